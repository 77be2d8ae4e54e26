from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kaiming_normal_convention_type_0 import KaimingNormalConventionType0
from ..models.kaiming_normal_mode import KaimingNormalMode
from ..models.kaiming_normal_nonlinearity import KaimingNormalNonlinearity
from ..models.kaiming_normal_scheme import KaimingNormalScheme
from ..types import UNSET, Unset

T = TypeVar("T", bound="KaimingNormal")


@_attrs_define
class KaimingNormal:
    """
    Attributes:
        scheme (KaimingNormalScheme):
        a (float | Unset):  Default: 0.0.
        convention (KaimingNormalConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        mode (KaimingNormalMode | Unset):  Default: KaimingNormalMode.FAN_IN.
        nonlinearity (KaimingNormalNonlinearity | Unset):  Default: KaimingNormalNonlinearity.LEAKY_RELU.
    """

    scheme: KaimingNormalScheme
    a: float | Unset = 0.0
    convention: KaimingNormalConventionType0 | None | Unset = UNSET
    mode: KaimingNormalMode | Unset = KaimingNormalMode.FAN_IN
    nonlinearity: KaimingNormalNonlinearity | Unset = KaimingNormalNonlinearity.LEAKY_RELU

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme.value

        a = self.a

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, KaimingNormalConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

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
        if convention is not UNSET:
            field_dict["convention"] = convention
        if mode is not UNSET:
            field_dict["mode"] = mode
        if nonlinearity is not UNSET:
            field_dict["nonlinearity"] = nonlinearity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = KaimingNormalScheme(d.pop("scheme"))

        a = d.pop("a", UNSET)

        def _parse_convention(data: object) -> KaimingNormalConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = KaimingNormalConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KaimingNormalConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

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
            convention=convention,
            mode=mode,
            nonlinearity=nonlinearity,
        )

        return kaiming_normal
