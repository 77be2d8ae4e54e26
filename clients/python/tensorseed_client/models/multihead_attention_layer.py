from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.multihead_attention_layer_convention_type_0 import MultiheadAttentionLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.multihead_attention_layer_init_type_0 import MultiheadAttentionLayerInitType0


T = TypeVar("T", bound="MultiheadAttentionLayer")


@_attrs_define
class MultiheadAttentionLayer:
    """
    Attributes:
        embed_dim (int):
        name (str):
        num_heads (int):
        type_ (Literal['multihead_attention']): 'multihead_attention' (the torch.nn class name 'MultiheadAttention' is
            accepted too)
        add_bias_kv (bool | Unset):  Default: False.
        bias (bool | Unset):  Default: True.
        convention (MultiheadAttentionLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults
            (default: the recipe's).
        init (MultiheadAttentionLayerInitType0 | None | Unset):
        kdim (int | None | Unset):
        vdim (int | None | Unset):
    """

    embed_dim: int
    name: str
    num_heads: int
    type_: Literal["multihead_attention"]
    add_bias_kv: bool | Unset = False
    bias: bool | Unset = True
    convention: MultiheadAttentionLayerConventionType0 | None | Unset = UNSET
    init: MultiheadAttentionLayerInitType0 | None | Unset = UNSET
    kdim: int | None | Unset = UNSET
    vdim: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.multihead_attention_layer_init_type_0 import MultiheadAttentionLayerInitType0  # noqa: PLC0415

        embed_dim = self.embed_dim

        name = self.name

        num_heads = self.num_heads

        type_ = self.type_

        add_bias_kv = self.add_bias_kv

        bias = self.bias

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, MultiheadAttentionLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, MultiheadAttentionLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        kdim: int | None | Unset
        if isinstance(self.kdim, Unset):
            kdim = UNSET
        else:
            kdim = self.kdim

        vdim: int | None | Unset
        if isinstance(self.vdim, Unset):
            vdim = UNSET
        else:
            vdim = self.vdim

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "embed_dim": embed_dim,
                "name": name,
                "num_heads": num_heads,
                "type": type_,
            }
        )
        if add_bias_kv is not UNSET:
            field_dict["add_bias_kv"] = add_bias_kv
        if bias is not UNSET:
            field_dict["bias"] = bias
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init
        if kdim is not UNSET:
            field_dict["kdim"] = kdim
        if vdim is not UNSET:
            field_dict["vdim"] = vdim

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.multihead_attention_layer_init_type_0 import MultiheadAttentionLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        embed_dim = d.pop("embed_dim")

        name = d.pop("name")

        num_heads = d.pop("num_heads")

        type_ = cast(Literal["multihead_attention"], d.pop("type"))
        if type_ != "multihead_attention":
            raise ValueError(f"type must match const 'multihead_attention', got '{type_}'")

        add_bias_kv = d.pop("add_bias_kv", UNSET)

        bias = d.pop("bias", UNSET)

        def _parse_convention(data: object) -> MultiheadAttentionLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = MultiheadAttentionLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MultiheadAttentionLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> MultiheadAttentionLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = MultiheadAttentionLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MultiheadAttentionLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        def _parse_kdim(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        kdim = _parse_kdim(d.pop("kdim", UNSET))

        def _parse_vdim(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        vdim = _parse_vdim(d.pop("vdim", UNSET))

        multihead_attention_layer = cls(
            embed_dim=embed_dim,
            name=name,
            num_heads=num_heads,
            type_=type_,
            add_bias_kv=add_bias_kv,
            bias=bias,
            convention=convention,
            init=init,
            kdim=kdim,
            vdim=vdim,
        )

        return multihead_attention_layer
