from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kaiming_uniform_convention_type_0 import KaimingUniformConventionType0
from ..models.kaiming_uniform_mode import KaimingUniformMode
from ..models.kaiming_uniform_nonlinearity import KaimingUniformNonlinearity
from ..models.kaiming_uniform_scheme import KaimingUniformScheme
from ..types import UNSET, Unset

T = TypeVar("T", bound="KaimingUniform")


@_attrs_define
class KaimingUniform:
    """
    Attributes:
        scheme (KaimingUniformScheme):
        a (float | Unset):  Default: 0.0.
        convention (KaimingUniformConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        mode (KaimingUniformMode | Unset):  Default: KaimingUniformMode.FAN_IN.
        nonlinearity (KaimingUniformNonlinearity | Unset):  Default: KaimingUniformNonlinearity.LEAKY_RELU.
    """

    scheme: KaimingUniformScheme
    a: float | Unset = 0.0
    convention: KaimingUniformConventionType0 | None | Unset = UNSET
    mode: KaimingUniformMode | Unset = KaimingUniformMode.FAN_IN
    nonlinearity: KaimingUniformNonlinearity | Unset = KaimingUniformNonlinearity.LEAKY_RELU

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme.value

        a = self.a

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, KaimingUniformConventionType0):
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
        scheme = KaimingUniformScheme(d.pop("scheme"))

        a = d.pop("a", UNSET)

        def _parse_convention(data: object) -> KaimingUniformConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = KaimingUniformConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KaimingUniformConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

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
            convention=convention,
            mode=mode,
            nonlinearity=nonlinearity,
        )

        return kaiming_uniform
