from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kaiming_normal_mode import KaimingNormalMode
from ..models.kaiming_normal_nonlinearity import KaimingNormalNonlinearity
from ..types import UNSET, Unset

T = TypeVar("T", bound="KaimingNormal")


@_attrs_define
class KaimingNormal:
    """
    Attributes:
        scheme (Literal['kaiming_normal']):
        a (float | Unset):  Default: 0.0.
        mode (KaimingNormalMode | Unset):  Default: KaimingNormalMode.FAN_IN.
        nonlinearity (KaimingNormalNonlinearity | Unset):  Default: KaimingNormalNonlinearity.LEAKY_RELU.
    """

    scheme: Literal["kaiming_normal"]
    a: float | Unset = 0.0
    mode: KaimingNormalMode | Unset = KaimingNormalMode.FAN_IN
    nonlinearity: KaimingNormalNonlinearity | Unset = KaimingNormalNonlinearity.LEAKY_RELU

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        a = self.a

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        nonlinearity: str | Unset = UNSET
        if not isinstance(self.nonlinearity, Unset):
            nonlinearity = self.nonlinearity.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if a is not UNSET:
            field_dict["a"] = a
        if mode is not UNSET:
            field_dict["mode"] = mode
        if nonlinearity is not UNSET:
            field_dict["nonlinearity"] = nonlinearity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["kaiming_normal"], d.pop("scheme"))
        if scheme != "kaiming_normal":
            raise ValueError(f"scheme must match const 'kaiming_normal', got '{scheme}'")

        a = d.pop("a", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: KaimingNormalMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = KaimingNormalMode(_mode)

        _nonlinearity = d.pop("nonlinearity", UNSET)
        nonlinearity: KaimingNormalNonlinearity | Unset
        if isinstance(_nonlinearity, Unset):
            nonlinearity = UNSET
        else:
            nonlinearity = KaimingNormalNonlinearity(_nonlinearity)

        kaiming_normal = cls(
            scheme=scheme,
            a=a,
            mode=mode,
            nonlinearity=nonlinearity,
        )

        return kaiming_normal
