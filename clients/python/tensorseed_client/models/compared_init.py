from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.compared_init_init import ComparedInitInit


T = TypeVar("T", bound="ComparedInit")


@_attrs_define
class ComparedInit:
    """
    Attributes:
        init (ComparedInitInit):
        label (str):
    """

    init: ComparedInitInit
    label: str

    def to_dict(self) -> dict[str, Any]:
        init = self.init.to_dict()

        label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "init": init,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compared_init_init import ComparedInitInit  # noqa: PLC0415

        d = dict(src_dict)
        init = ComparedInitInit.from_dict(d.pop("init"))

        label = d.pop("label")

        compared_init = cls(
            init=init,
            label=label,
        )

        return compared_init
