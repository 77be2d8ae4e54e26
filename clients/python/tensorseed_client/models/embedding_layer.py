from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.embedding_layer_convention_type_0 import EmbeddingLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.embedding_layer_init_type_0 import EmbeddingLayerInitType0


T = TypeVar("T", bound="EmbeddingLayer")


@_attrs_define
class EmbeddingLayer:
    """
    Attributes:
        embedding_dim (int):
        name (str):
        num_embeddings (int):
        type_ (Literal['embedding']): 'embedding' (the torch.nn class name 'Embedding' is accepted too)
        convention (EmbeddingLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default:
            the recipe's).
        init (EmbeddingLayerInitType0 | None | Unset):
        padding_idx (int | None | Unset):
    """

    embedding_dim: int
    name: str
    num_embeddings: int
    type_: Literal["embedding"]
    convention: EmbeddingLayerConventionType0 | None | Unset = UNSET
    init: EmbeddingLayerInitType0 | None | Unset = UNSET
    padding_idx: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.embedding_layer_init_type_0 import EmbeddingLayerInitType0  # noqa: PLC0415

        embedding_dim = self.embedding_dim

        name = self.name

        num_embeddings = self.num_embeddings

        type_ = self.type_

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, EmbeddingLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, EmbeddingLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        padding_idx: int | None | Unset
        if isinstance(self.padding_idx, Unset):
            padding_idx = UNSET
        else:
            padding_idx = self.padding_idx

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "embedding_dim": embedding_dim,
                "name": name,
                "num_embeddings": num_embeddings,
                "type": type_,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init
        if padding_idx is not UNSET:
            field_dict["padding_idx"] = padding_idx

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.embedding_layer_init_type_0 import EmbeddingLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        embedding_dim = d.pop("embedding_dim")

        name = d.pop("name")

        num_embeddings = d.pop("num_embeddings")

        type_ = cast(Literal["embedding"], d.pop("type"))
        if type_ != "embedding":
            raise ValueError(f"type must match const 'embedding', got '{type_}'")

        def _parse_convention(data: object) -> EmbeddingLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = EmbeddingLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EmbeddingLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> EmbeddingLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = EmbeddingLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EmbeddingLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        def _parse_padding_idx(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        padding_idx = _parse_padding_idx(d.pop("padding_idx", UNSET))

        embedding_layer = cls(
            embedding_dim=embedding_dim,
            name=name,
            num_embeddings=num_embeddings,
            type_=type_,
            convention=convention,
            init=init,
            padding_idx=padding_idx,
        )

        return embedding_layer
