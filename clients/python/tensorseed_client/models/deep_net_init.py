from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deep_net_init_block import DeepNetInitBlock
from ..models.deep_net_init_convention_type_0 import DeepNetInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="DeepNetInit")


@_attrs_define
class DeepNetInit:
    """DeepNet: xavier_normal with gain beta; beta from the layer counts (see the formula).

    Attributes:
        n_layers (int):
        scheme (Literal['deepnet']):
        block (DeepNetInitBlock | Unset):  Default: DeepNetInitBlock.ENCODER.
        convention (DeepNetInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        decoder_layers (int | None | Unset):
    """

    n_layers: int
    scheme: Literal["deepnet"]
    block: DeepNetInitBlock | Unset = DeepNetInitBlock.ENCODER
    convention: DeepNetInitConventionType0 | None | Unset = UNSET
    decoder_layers: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        n_layers = self.n_layers

        scheme = self.scheme

        block: str | Unset = UNSET
        if not isinstance(self.block, Unset):
            block = self.block.value

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, DeepNetInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        decoder_layers: int | None | Unset
        if isinstance(self.decoder_layers, Unset):
            decoder_layers = UNSET
        else:
            decoder_layers = self.decoder_layers

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "n_layers": n_layers,
                "scheme": scheme,
            }
        )
        if block is not UNSET:
            field_dict["block"] = block
        if convention is not UNSET:
            field_dict["convention"] = convention
        if decoder_layers is not UNSET:
            field_dict["decoder_layers"] = decoder_layers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n_layers = d.pop("n_layers")

        scheme = cast(Literal["deepnet"], d.pop("scheme"))
        if scheme != "deepnet":
            raise ValueError(f"scheme must match const 'deepnet', got '{scheme}'")

        _block = d.pop("block", UNSET)
        block: DeepNetInitBlock | Unset
        if isinstance(_block, Unset):
            block = UNSET
        else:
            block = DeepNetInitBlock(_block)

        def _parse_convention(data: object) -> DeepNetInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = DeepNetInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeepNetInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_decoder_layers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        decoder_layers = _parse_decoder_layers(d.pop("decoder_layers", UNSET))

        deep_net_init = cls(
            n_layers=n_layers,
            scheme=scheme,
            block=block,
            convention=convention,
            decoder_layers=decoder_layers,
        )

        return deep_net_init
