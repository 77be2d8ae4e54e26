from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kaiming_uniform_mode import KaimingUniformMode
from ..models.kaiming_uniform_nonlinearity import KaimingUniformNonlinearity
from ..types import UNSET, Unset

T = TypeVar("T", bound="KaimingUniform")


@_attrs_define
class KaimingUniform:
    """
    Attributes:
        scheme (Literal['kaiming_uniform']):
        a (float | Unset):  Default: 0.0.
        mode (KaimingUniformMode | Unset):  Default: KaimingUniformMode.FAN_IN.
        nonlinearity (KaimingUniformNonlinearity | Unset):  Default: KaimingUniformNonlinearity.LEAKY_RELU.
    """

    scheme: Literal["kaiming_uniform"]
    a: float | Unset = 0.0
    mode: KaimingUniformMode | Unset = KaimingUniformMode.FAN_IN
    nonlinearity: KaimingUniformNonlinearity | Unset = KaimingUniformNonlinearity.LEAKY_RELU

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
        scheme = cast(Literal["kaiming_uniform"], d.pop("scheme"))
        if scheme != "kaiming_uniform":
            raise ValueError(f"scheme must match const 'kaiming_uniform', got '{scheme}'")

        a = d.pop("a", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: KaimingUniformMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = KaimingUniformMode(_mode)

        _nonlinearity = d.pop("nonlinearity", UNSET)
        nonlinearity: KaimingUniformNonlinearity | Unset
        if isinstance(_nonlinearity, Unset):
            nonlinearity = UNSET
        else:
            nonlinearity = KaimingUniformNonlinearity(_nonlinearity)

        kaiming_uniform = cls(
            scheme=scheme,
            a=a,
            mode=mode,
            nonlinearity=nonlinearity,
        )

        return kaiming_uniform
