from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.recipe_convention import RecipeConvention
from ..models.recipe_dtype import RecipeDtype
from ..models.recipe_export_type_0 import RecipeExportType0
from ..models.recipe_rng import RecipeRng
from ..models.recipe_spec import RecipeSpec
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_norm_1d_layer import BatchNorm1DLayer
    from ..models.batch_norm_2d_layer import BatchNorm2DLayer
    from ..models.batch_norm_3d_layer import BatchNorm3DLayer
    from ..models.bilinear_layer import BilinearLayer
    from ..models.conv_1d_layer import Conv1DLayer
    from ..models.conv_2d_layer import Conv2DLayer
    from ..models.conv_3d_layer import Conv3DLayer
    from ..models.conv_transpose_1d_layer import ConvTranspose1DLayer
    from ..models.conv_transpose_2d_layer import ConvTranspose2DLayer
    from ..models.conv_transpose_3d_layer import ConvTranspose3DLayer
    from ..models.embedding_layer import EmbeddingLayer
    from ..models.group_norm_layer import GroupNormLayer
    from ..models.gru_layer import GRULayer
    from ..models.layer_norm_layer import LayerNormLayer
    from ..models.linear_layer import LinearLayer
    from ..models.lstm_layer import LSTMLayer
    from ..models.model_spec import ModelSpec
    from ..models.multihead_attention_layer import MultiheadAttentionLayer
    from ..models.p_re_lu_layer import PReLULayer
    from ..models.recipe_ties import RecipeTies
    from ..models.rms_norm_layer import RMSNormLayer
    from ..models.rnn_layer import RNNLayer
    from ..models.tensor_spec import TensorSpec


T = TypeVar("T", bound="Recipe")


@_attrs_define
class Recipe:
    """Seed, dtype, convention, layers (expanded to ``<layer>.<parameter>``) and raw tensors.

    Attributes:
        seed (int | str): Unsigned 64-bit seed, as a JSON integer or a decimal string (use the string form from
            languages whose numbers are doubles).
        convention (RecipeConvention | Unset): Default convention of every layer, tensor and scheme name (torch's unless
            set). Default: RecipeConvention.TORCH.
        dtype (RecipeDtype | Unset):  Default: RecipeDtype.FLOAT32.
        export (None | RecipeExportType0 | Unset): Write every layer's parameters under this library's names and layouts
            (torch, keras or flax; null or absent: each layer's own convention). Values stay those of the layer's
            convention, bit for bit: only their positions and names change.
        layers (list[BatchNorm1DLayer | BatchNorm2DLayer | BatchNorm3DLayer | BilinearLayer | Conv1DLayer | Conv2DLayer
            | Conv3DLayer | ConvTranspose1DLayer | ConvTranspose2DLayer | ConvTranspose3DLayer | EmbeddingLayer |
            GroupNormLayer | GRULayer | LayerNormLayer | LinearLayer | LSTMLayer | MultiheadAttentionLayer | PReLULayer |
            RMSNormLayer | RNNLayer] | Unset):
        model (ModelSpec | None | Unset):
        rng (RecipeRng | Unset): 'portable': the tensorseed stream (same bytes everywhere). 'torch': byte-equal to
            torch.manual_seed(seed) then building the same torch modules in recipe order on CPU (sequential, CPU-only,
            depends on the torch version and CPU capability). Default: RecipeRng.PORTABLE.
        spec (RecipeSpec | Unset): The stream version whose bytes to produce. Absent: tensorseed-stream/2. 'tensorseed-
            stream/1' gives that frozen version's bytes forever (GET /v1/specs lists the versions served). Default:
            RecipeSpec.TENSORSEED_STREAM2.
        tensors (list[TensorSpec] | Unset):
        ties (RecipeTies | Unset): Tied tensors: each key is a tensor with exactly the bytes of the tensor its value
            names (the same stream, e.g. a language model's output embedding and input embedding). The target is a layer
            parameter, a raw tensor or a preset tensor.
    """

    seed: int | str
    convention: RecipeConvention | Unset = RecipeConvention.TORCH
    dtype: RecipeDtype | Unset = RecipeDtype.FLOAT32
    export: None | RecipeExportType0 | Unset = UNSET
    layers: (
        list[
            BatchNorm1DLayer
            | BatchNorm2DLayer
            | BatchNorm3DLayer
            | BilinearLayer
            | Conv1DLayer
            | Conv2DLayer
            | Conv3DLayer
            | ConvTranspose1DLayer
            | ConvTranspose2DLayer
            | ConvTranspose3DLayer
            | EmbeddingLayer
            | GroupNormLayer
            | GRULayer
            | LayerNormLayer
            | LinearLayer
            | LSTMLayer
            | MultiheadAttentionLayer
            | PReLULayer
            | RMSNormLayer
            | RNNLayer
        ]
        | Unset
    ) = UNSET
    model: ModelSpec | None | Unset = UNSET
    rng: RecipeRng | Unset = RecipeRng.PORTABLE
    spec: RecipeSpec | Unset = RecipeSpec.TENSORSEED_STREAM2
    tensors: list[TensorSpec] | Unset = UNSET
    ties: RecipeTies | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_norm_1d_layer import BatchNorm1DLayer  # noqa: PLC0415
        from ..models.batch_norm_2d_layer import BatchNorm2DLayer  # noqa: PLC0415
        from ..models.batch_norm_3d_layer import BatchNorm3DLayer  # noqa: PLC0415
        from ..models.bilinear_layer import BilinearLayer  # noqa: PLC0415
        from ..models.conv_1d_layer import Conv1DLayer  # noqa: PLC0415
        from ..models.conv_2d_layer import Conv2DLayer  # noqa: PLC0415
        from ..models.conv_3d_layer import Conv3DLayer  # noqa: PLC0415
        from ..models.conv_transpose_1d_layer import ConvTranspose1DLayer  # noqa: PLC0415
        from ..models.conv_transpose_2d_layer import ConvTranspose2DLayer  # noqa: PLC0415
        from ..models.conv_transpose_3d_layer import ConvTranspose3DLayer  # noqa: PLC0415
        from ..models.embedding_layer import EmbeddingLayer  # noqa: PLC0415
        from ..models.group_norm_layer import GroupNormLayer  # noqa: PLC0415
        from ..models.gru_layer import GRULayer  # noqa: PLC0415
        from ..models.layer_norm_layer import LayerNormLayer  # noqa: PLC0415
        from ..models.linear_layer import LinearLayer  # noqa: PLC0415
        from ..models.lstm_layer import LSTMLayer  # noqa: PLC0415
        from ..models.model_spec import ModelSpec  # noqa: PLC0415
        from ..models.multihead_attention_layer import MultiheadAttentionLayer  # noqa: PLC0415
        from ..models.rms_norm_layer import RMSNormLayer  # noqa: PLC0415
        from ..models.rnn_layer import RNNLayer  # noqa: PLC0415

        seed: int | str
        seed = self.seed

        convention: str | Unset = UNSET
        if not isinstance(self.convention, Unset):
            convention = self.convention.value

        dtype: str | Unset = UNSET
        if not isinstance(self.dtype, Unset):
            dtype = self.dtype.value

        export: None | str | Unset
        if isinstance(self.export, Unset):
            export = UNSET
        elif isinstance(self.export, RecipeExportType0):
            export = self.export.value
        else:
            export = self.export

        layers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.layers, Unset):
            layers = []
            for layers_item_data in self.layers:
                layers_item: dict[str, Any]
                if isinstance(layers_item_data, LinearLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, BilinearLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, Conv1DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, Conv2DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, Conv3DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, ConvTranspose1DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, ConvTranspose2DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, ConvTranspose3DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, EmbeddingLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, LayerNormLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, RMSNormLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, BatchNorm1DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, BatchNorm2DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, BatchNorm3DLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, GroupNormLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, RNNLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, LSTMLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, GRULayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, MultiheadAttentionLayer):
                    layers_item = layers_item_data.to_dict()
                else:
                    layers_item = layers_item_data.to_dict()

                layers.append(layers_item)

        model: dict[str, Any] | None | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ModelSpec):
            model = self.model.to_dict()
        else:
            model = self.model

        rng: str | Unset = UNSET
        if not isinstance(self.rng, Unset):
            rng = self.rng.value

        spec: str | Unset = UNSET
        if not isinstance(self.spec, Unset):
            spec = self.spec.value

        tensors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tensors, Unset):
            tensors = []
            for tensors_item_data in self.tensors:
                tensors_item = tensors_item_data.to_dict()
                tensors.append(tensors_item)

        ties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ties, Unset):
            ties = self.ties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seed": seed,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if dtype is not UNSET:
            field_dict["dtype"] = dtype
        if export is not UNSET:
            field_dict["export"] = export
        if layers is not UNSET:
            field_dict["layers"] = layers
        if model is not UNSET:
            field_dict["model"] = model
        if rng is not UNSET:
            field_dict["rng"] = rng
        if spec is not UNSET:
            field_dict["spec"] = spec
        if tensors is not UNSET:
            field_dict["tensors"] = tensors
        if ties is not UNSET:
            field_dict["ties"] = ties

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_norm_1d_layer import BatchNorm1DLayer  # noqa: PLC0415
        from ..models.batch_norm_2d_layer import BatchNorm2DLayer  # noqa: PLC0415
        from ..models.batch_norm_3d_layer import BatchNorm3DLayer  # noqa: PLC0415
        from ..models.bilinear_layer import BilinearLayer  # noqa: PLC0415
        from ..models.conv_1d_layer import Conv1DLayer  # noqa: PLC0415
        from ..models.conv_2d_layer import Conv2DLayer  # noqa: PLC0415
        from ..models.conv_3d_layer import Conv3DLayer  # noqa: PLC0415
        from ..models.conv_transpose_1d_layer import ConvTranspose1DLayer  # noqa: PLC0415
        from ..models.conv_transpose_2d_layer import ConvTranspose2DLayer  # noqa: PLC0415
        from ..models.conv_transpose_3d_layer import ConvTranspose3DLayer  # noqa: PLC0415
        from ..models.embedding_layer import EmbeddingLayer  # noqa: PLC0415
        from ..models.group_norm_layer import GroupNormLayer  # noqa: PLC0415
        from ..models.gru_layer import GRULayer  # noqa: PLC0415
        from ..models.layer_norm_layer import LayerNormLayer  # noqa: PLC0415
        from ..models.linear_layer import LinearLayer  # noqa: PLC0415
        from ..models.lstm_layer import LSTMLayer  # noqa: PLC0415
        from ..models.model_spec import ModelSpec  # noqa: PLC0415
        from ..models.multihead_attention_layer import MultiheadAttentionLayer  # noqa: PLC0415
        from ..models.p_re_lu_layer import PReLULayer  # noqa: PLC0415
        from ..models.recipe_ties import RecipeTies  # noqa: PLC0415
        from ..models.rms_norm_layer import RMSNormLayer  # noqa: PLC0415
        from ..models.rnn_layer import RNNLayer  # noqa: PLC0415
        from ..models.tensor_spec import TensorSpec  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_seed(data: object) -> int | str:
            return cast(int | str, data)

        seed = _parse_seed(d.pop("seed"))

        _convention = d.pop("convention", UNSET)
        convention: RecipeConvention | Unset
        if isinstance(_convention, Unset):
            convention = UNSET
        else:
            convention = RecipeConvention(_convention)

        _dtype = d.pop("dtype", UNSET)
        dtype: RecipeDtype | Unset
        if isinstance(_dtype, Unset):
            dtype = UNSET
        else:
            dtype = RecipeDtype(_dtype)

        def _parse_export(data: object) -> None | RecipeExportType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                export_type_0 = RecipeExportType0(data)

                return export_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecipeExportType0 | Unset, data)

        export = _parse_export(d.pop("export", UNSET))

        _layers = d.pop("layers", UNSET)
        layers: (
            list[
                BatchNorm1DLayer
                | BatchNorm2DLayer
                | BatchNorm3DLayer
                | BilinearLayer
                | Conv1DLayer
                | Conv2DLayer
                | Conv3DLayer
                | ConvTranspose1DLayer
                | ConvTranspose2DLayer
                | ConvTranspose3DLayer
                | EmbeddingLayer
                | GroupNormLayer
                | GRULayer
                | LayerNormLayer
                | LinearLayer
                | LSTMLayer
                | MultiheadAttentionLayer
                | PReLULayer
                | RMSNormLayer
                | RNNLayer
            ]
            | Unset
        ) = UNSET
        if _layers is not UNSET:
            layers = []
            for layers_item_data in _layers:

                def _parse_layers_item(
                    data: object,
                ) -> (
                    BatchNorm1DLayer
                    | BatchNorm2DLayer
                    | BatchNorm3DLayer
                    | BilinearLayer
                    | Conv1DLayer
                    | Conv2DLayer
                    | Conv3DLayer
                    | ConvTranspose1DLayer
                    | ConvTranspose2DLayer
                    | ConvTranspose3DLayer
                    | EmbeddingLayer
                    | GroupNormLayer
                    | GRULayer
                    | LayerNormLayer
                    | LinearLayer
                    | LSTMLayer
                    | MultiheadAttentionLayer
                    | PReLULayer
                    | RMSNormLayer
                    | RNNLayer
                ):
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_0 = LinearLayer.from_dict(data)

                        return layers_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_1 = BilinearLayer.from_dict(data)

                        return layers_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_2 = Conv1DLayer.from_dict(data)

                        return layers_item_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_3 = Conv2DLayer.from_dict(data)

                        return layers_item_type_3
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_4 = Conv3DLayer.from_dict(data)

                        return layers_item_type_4
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_5 = ConvTranspose1DLayer.from_dict(data)

                        return layers_item_type_5
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_6 = ConvTranspose2DLayer.from_dict(data)

                        return layers_item_type_6
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_7 = ConvTranspose3DLayer.from_dict(data)

                        return layers_item_type_7
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_8 = EmbeddingLayer.from_dict(data)

                        return layers_item_type_8
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_9 = LayerNormLayer.from_dict(data)

                        return layers_item_type_9
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_10 = RMSNormLayer.from_dict(data)

                        return layers_item_type_10
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_11 = BatchNorm1DLayer.from_dict(data)

                        return layers_item_type_11
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_12 = BatchNorm2DLayer.from_dict(data)

                        return layers_item_type_12
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_13 = BatchNorm3DLayer.from_dict(data)

                        return layers_item_type_13
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_14 = GroupNormLayer.from_dict(data)

                        return layers_item_type_14
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_15 = RNNLayer.from_dict(data)

                        return layers_item_type_15
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_16 = LSTMLayer.from_dict(data)

                        return layers_item_type_16
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_17 = GRULayer.from_dict(data)

                        return layers_item_type_17
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_18 = MultiheadAttentionLayer.from_dict(data)

                        return layers_item_type_18
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    layers_item_type_19 = PReLULayer.from_dict(data)

                    return layers_item_type_19

                layers_item = _parse_layers_item(layers_item_data)

                layers.append(layers_item)

        def _parse_model(data: object) -> ModelSpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                model_type_0 = ModelSpec.from_dict(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelSpec | None | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        _rng = d.pop("rng", UNSET)
        rng: RecipeRng | Unset
        if isinstance(_rng, Unset):
            rng = UNSET
        else:
            rng = RecipeRng(_rng)

        _spec = d.pop("spec", UNSET)
        spec: RecipeSpec | Unset
        if isinstance(_spec, Unset):
            spec = UNSET
        else:
            spec = RecipeSpec(_spec)

        _tensors = d.pop("tensors", UNSET)
        tensors: list[TensorSpec] | Unset = UNSET
        if _tensors is not UNSET:
            tensors = []
            for tensors_item_data in _tensors:
                tensors_item = TensorSpec.from_dict(tensors_item_data)

                tensors.append(tensors_item)

        _ties = d.pop("ties", UNSET)
        ties: RecipeTies | Unset
        if isinstance(_ties, Unset):
            ties = UNSET
        else:
            ties = RecipeTies.from_dict(_ties)

        recipe = cls(
            seed=seed,
            convention=convention,
            dtype=dtype,
            export=export,
            layers=layers,
            model=model,
            rng=rng,
            spec=spec,
            tensors=tensors,
            ties=ties,
        )

        return recipe
