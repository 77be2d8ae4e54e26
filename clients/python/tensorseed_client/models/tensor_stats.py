from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.histogram import Histogram
    from ..models.moments import Moments
    from ..models.observed import Observed


T = TypeVar("T", bound="TensorStats")


@_attrs_define
class TensorStats:
    """
    Attributes:
        dtype (str):
        expected (Moments):
        fan_in (int | None):
        fan_out (int | None):
        gain (float | None):
        histogram (Histogram):
        name (str):
        observed (Observed):
        scheme (str):
        sha256 (str): sha256 of the tensor's bytes exactly as /v1/weights serves them.
        shape (list[int]):
    """

    dtype: str
    expected: Moments
    fan_in: int | None
    fan_out: int | None
    gain: float | None
    histogram: Histogram
    name: str
    observed: Observed
    scheme: str
    sha256: str
    shape: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dtype = self.dtype

        expected = self.expected.to_dict()

        fan_in: int | None
        fan_in = self.fan_in

        fan_out: int | None
        fan_out = self.fan_out

        gain: float | None
        gain = self.gain

        histogram = self.histogram.to_dict()

        name = self.name

        observed = self.observed.to_dict()

        scheme = self.scheme

        sha256 = self.sha256

        shape = self.shape

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dtype": dtype,
                "expected": expected,
                "fan_in": fan_in,
                "fan_out": fan_out,
                "gain": gain,
                "histogram": histogram,
                "name": name,
                "observed": observed,
                "scheme": scheme,
                "sha256": sha256,
                "shape": shape,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.histogram import Histogram  # noqa: PLC0415
        from ..models.moments import Moments  # noqa: PLC0415
        from ..models.observed import Observed  # noqa: PLC0415

        d = dict(src_dict)
        dtype = d.pop("dtype")

        expected = Moments.from_dict(d.pop("expected"))

        def _parse_fan_in(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_in = _parse_fan_in(d.pop("fan_in"))

        def _parse_fan_out(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_out = _parse_fan_out(d.pop("fan_out"))

        def _parse_gain(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        gain = _parse_gain(d.pop("gain"))

        histogram = Histogram.from_dict(d.pop("histogram"))

        name = d.pop("name")

        observed = Observed.from_dict(d.pop("observed"))

        scheme = d.pop("scheme")

        sha256 = d.pop("sha256")

        shape = cast(list[int], d.pop("shape"))

        tensor_stats = cls(
            dtype=dtype,
            expected=expected,
            fan_in=fan_in,
            fan_out=fan_out,
            gain=gain,
            histogram=histogram,
            name=name,
            observed=observed,
            scheme=scheme,
            sha256=sha256,
            shape=shape,
        )

        tensor_stats.additional_properties = d
        return tensor_stats

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
