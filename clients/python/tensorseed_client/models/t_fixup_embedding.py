from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.t_fixup_embedding_convention_type_0 import TFixupEmbeddingConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="TFixupEmbedding")


@_attrs_define
class TFixupEmbedding:
    """T-Fixup input embeddings: N(0, d^-1) scaled by (9 M)^-1/4.

    Attributes:
        dim (int):
        n_layers (int):
        scheme (Literal['t_fixup_embedding']):
        convention (None | TFixupEmbeddingConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
    """

    dim: int
    n_layers: int
    scheme: Literal["t_fixup_embedding"]
    convention: None | TFixupEmbeddingConventionType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        dim = self.dim

        n_layers = self.n_layers

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, TFixupEmbeddingConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dim": dim,
                "n_layers": n_layers,
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dim = d.pop("dim")

        n_layers = d.pop("n_layers")

        scheme = cast(Literal["t_fixup_embedding"], d.pop("scheme"))
        if scheme != "t_fixup_embedding":
            raise ValueError(f"scheme must match const 't_fixup_embedding', got '{scheme}'")

        def _parse_convention(data: object) -> None | TFixupEmbeddingConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = TFixupEmbeddingConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TFixupEmbeddingConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        t_fixup_embedding = cls(
            dim=dim,
            n_layers=n_layers,
            scheme=scheme,
            convention=convention,
        )

        return t_fixup_embedding
