from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lstm_forget_bias_convention_type_0 import LSTMForgetBiasConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="LSTMForgetBias")


@_attrs_define
class LSTMForgetBias:
    """Forget-gate bias: ``value`` on the second quarter of a (4 * hidden) LSTM bias, 0 elsewhere.

    Attributes:
        scheme (Literal['lstm_forget_bias']):
        convention (LSTMForgetBiasConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        value (float | Unset):  Default: 1.0.
    """

    scheme: Literal["lstm_forget_bias"]
    convention: LSTMForgetBiasConventionType0 | None | Unset = UNSET
    value: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, LSTMForgetBiasConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["lstm_forget_bias"], d.pop("scheme"))
        if scheme != "lstm_forget_bias":
            raise ValueError(f"scheme must match const 'lstm_forget_bias', got '{scheme}'")

        def _parse_convention(data: object) -> LSTMForgetBiasConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = LSTMForgetBiasConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LSTMForgetBiasConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        value = d.pop("value", UNSET)

        lstm_forget_bias = cls(
            scheme=scheme,
            convention=convention,
            value=value,
        )

        return lstm_forget_bias
