from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.t_fixup_init_block import TFixupInitBlock
from ..models.t_fixup_init_convention_type_0 import TFixupInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="TFixupInit")


@_attrs_define
class TFixupInit:
    """T-Fixup: xavier_uniform scaled by 0.67 N^-1/4 (encoder) or (9 M)^-1/4 (decoder).

    Attributes:
        n_layers (int):
        scheme (Literal['t_fixup']):
        block (TFixupInitBlock | Unset):  Default: TFixupInitBlock.ENCODER.
        convention (None | TFixupInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    n_layers: int
    scheme: Literal["t_fixup"]
    block: TFixupInitBlock | Unset = TFixupInitBlock.ENCODER
    convention: None | TFixupInitConventionType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        n_layers = self.n_layers

        scheme = self.scheme

        block: str | Unset = UNSET
        if not isinstance(self.block, Unset):
            block = self.block.value

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, TFixupInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n_layers = d.pop("n_layers")

        scheme = cast(Literal["t_fixup"], d.pop("scheme"))
        if scheme != "t_fixup":
            raise ValueError(f"scheme must match const 't_fixup', got '{scheme}'")

        _block = d.pop("block", UNSET)
        block: TFixupInitBlock | Unset
        if isinstance(_block, Unset):
            block = UNSET
        else:
            block = TFixupInitBlock(_block)

        def _parse_convention(data: object) -> None | TFixupInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = TFixupInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TFixupInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        t_fixup_init = cls(
            n_layers=n_layers,
            scheme=scheme,
            block=block,
            convention=convention,
        )

        return t_fixup_init
