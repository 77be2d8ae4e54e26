"""Contains all the data models used in inputs/outputs"""

from .batch_norm_1d_layer import BatchNorm1DLayer
from .batch_norm_1d_layer_convention_type_0 import BatchNorm1DLayerConventionType0
from .batch_norm_1d_layer_init_type_0 import BatchNorm1DLayerInitType0
from .batch_norm_2d_layer import BatchNorm2DLayer
from .batch_norm_2d_layer_convention_type_0 import BatchNorm2DLayerConventionType0
from .batch_norm_2d_layer_init_type_0 import BatchNorm2DLayerInitType0
from .batch_norm_3d_layer import BatchNorm3DLayer
from .batch_norm_3d_layer_convention_type_0 import BatchNorm3DLayerConventionType0
from .batch_norm_3d_layer_init_type_0 import BatchNorm3DLayerInitType0
from .bilinear_layer import BilinearLayer
from .bilinear_layer_convention_type_0 import BilinearLayerConventionType0
from .bilinear_layer_init_type_0 import BilinearLayerInitType0
from .compare_request import CompareRequest
from .compare_request_activation import CompareRequestActivation
from .compare_request_dtype import CompareRequestDtype
from .compare_request_layer import CompareRequestLayer
from .compare_request_norm_init_type_0 import CompareRequestNormInitType0
from .compare_request_norm_type_0 import CompareRequestNormType0
from .compare_request_padding import CompareRequestPadding
from .compare_response import CompareResponse
from .compared_init import ComparedInit
from .compared_init_init import ComparedInitInit
from .constant_init import ConstantInit
from .constant_init_convention_type_0 import ConstantInitConventionType0
from .conv_1d_layer import Conv1DLayer
from .conv_1d_layer_convention_type_0 import Conv1DLayerConventionType0
from .conv_1d_layer_init_type_0 import Conv1DLayerInitType0
from .conv_2d_layer import Conv2DLayer
from .conv_2d_layer_convention_type_0 import Conv2DLayerConventionType0
from .conv_2d_layer_init_type_0 import Conv2DLayerInitType0
from .conv_3d_layer import Conv3DLayer
from .conv_3d_layer_convention_type_0 import Conv3DLayerConventionType0
from .conv_3d_layer_init_type_0 import Conv3DLayerInitType0
from .conv_transpose_1d_layer import ConvTranspose1DLayer
from .conv_transpose_1d_layer_convention_type_0 import ConvTranspose1DLayerConventionType0
from .conv_transpose_1d_layer_init_type_0 import ConvTranspose1DLayerInitType0
from .conv_transpose_2d_layer import ConvTranspose2DLayer
from .conv_transpose_2d_layer_convention_type_0 import ConvTranspose2DLayerConventionType0
from .conv_transpose_2d_layer_init_type_0 import ConvTranspose2DLayerInitType0
from .conv_transpose_3d_layer import ConvTranspose3DLayer
from .conv_transpose_3d_layer_convention_type_0 import ConvTranspose3DLayerConventionType0
from .conv_transpose_3d_layer_init_type_0 import ConvTranspose3DLayerInitType0
from .deep_net_init import DeepNetInit
from .deep_net_init_block import DeepNetInitBlock
from .deep_net_init_convention_type_0 import DeepNetInitConventionType0
from .delta_orthogonal_init import DeltaOrthogonalInit
from .delta_orthogonal_init_convention_type_0 import DeltaOrthogonalInitConventionType0
from .dirac_init import DiracInit
from .dirac_init_convention_type_0 import DiracInitConventionType0
from .direction import Direction
from .embedding_layer import EmbeddingLayer
from .embedding_layer_convention_type_0 import EmbeddingLayerConventionType0
from .embedding_layer_init_type_0 import EmbeddingLayerInitType0
from .error_body import ErrorBody
from .error_body_details_type_0_item import ErrorBodyDetailsType0Item
from .eye_init import EyeInit
from .eye_init_convention_type_0 import EyeInitConventionType0
from .eye_init_scheme import EyeInitScheme
from .fan_in_uniform import FanInUniform
from .fan_in_uniform_convention_type_0 import FanInUniformConventionType0
from .fixup_init import FixupInit
from .fixup_init_convention_type_0 import FixupInitConventionType0
from .fixup_init_mode import FixupInitMode
from .gain_entry import GainEntry
from .group_norm_layer import GroupNormLayer
from .group_norm_layer_convention_type_0 import GroupNormLayerConventionType0
from .group_norm_layer_init_type_0 import GroupNormLayerInitType0
from .gru_layer import GRULayer
from .gru_layer_convention_type_0 import GRULayerConventionType0
from .gru_layer_init_type_0 import GRULayerInitType0
from .health import Health
from .histogram import Histogram
from .input_propagation import InputPropagation
from .irnn_init import IRNNInit
from .irnn_init_convention_type_0 import IRNNInitConventionType0
from .kaiming_normal import KaimingNormal
from .kaiming_normal_convention_type_0 import KaimingNormalConventionType0
from .kaiming_normal_mode import KaimingNormalMode
from .kaiming_normal_nonlinearity import KaimingNormalNonlinearity
from .kaiming_normal_scheme import KaimingNormalScheme
from .kaiming_uniform import KaimingUniform
from .kaiming_uniform_convention_type_0 import KaimingUniformConventionType0
from .kaiming_uniform_mode import KaimingUniformMode
from .kaiming_uniform_nonlinearity import KaimingUniformNonlinearity
from .kaiming_uniform_scheme import KaimingUniformScheme
from .layer_convention import LayerConvention
from .layer_entry import LayerEntry
from .layer_entry_conventions import LayerEntryConventions
from .layer_entry_example import LayerEntryExample
from .layer_entry_fields import LayerEntryFields
from .layer_norm_layer import LayerNormLayer
from .layer_norm_layer_convention_type_0 import LayerNormLayerConventionType0
from .layer_norm_layer_init_type_0 import LayerNormLayerInitType0
from .layer_parameter import LayerParameter
from .layer_parameter_default import LayerParameterDefault
from .layer_propagation import LayerPropagation
from .layers_response import LayersResponse
from .lecun_normal import LecunNormal
from .lecun_normal_convention_type_0 import LecunNormalConventionType0
from .lecun_uniform import LecunUniform
from .lecun_uniform_convention_type_0 import LecunUniformConventionType0
from .linear_layer import LinearLayer
from .linear_layer_convention_type_0 import LinearLayerConventionType0
from .linear_layer_init_type_0 import LinearLayerInitType0
from .lstm_forget_bias import LSTMForgetBias
from .lstm_forget_bias_convention_type_0 import LSTMForgetBiasConventionType0
from .lstm_layer import LSTMLayer
from .lstm_layer_convention_type_0 import LSTMLayerConventionType0
from .lstm_layer_init_type_0 import LSTMLayerInitType0
from .mean_and_std import MeanAndStd
from .model_spec import ModelSpec
from .model_spec_config import ModelSpecConfig
from .moments import Moments
from .multihead_attention_layer import MultiheadAttentionLayer
from .multihead_attention_layer_convention_type_0 import MultiheadAttentionLayerConventionType0
from .multihead_attention_layer_init_type_0 import MultiheadAttentionLayerInitType0
from .mup_init import MupInit
from .mup_init_convention_type_0 import MupInitConventionType0
from .mup_init_role import MupInitRole
from .network_description import NetworkDescription
from .normal_init import NormalInit
from .normal_init_convention_type_0 import NormalInitConventionType0
from .observed import Observed
from .ones import Ones
from .ones_convention_type_0 import OnesConventionType0
from .orthogonal_init import OrthogonalInit
from .orthogonal_init_convention_type_0 import OrthogonalInitConventionType0
from .p_re_lu_layer import PReLULayer
from .p_re_lu_layer_convention_type_0 import PReLULayerConventionType0
from .p_re_lu_layer_init_type_0 import PReLULayerInitType0
from .plot_comparison_format import PlotComparisonFormat
from .plot_propagation_format import PlotPropagationFormat
from .plot_propagation_kind import PlotPropagationKind
from .plot_stats_format import PlotStatsFormat
from .plot_stats_kind import PlotStatsKind
from .prediction import Prediction
from .preset_entry import PresetEntry
from .preset_entry_config import PresetEntryConfig
from .preset_entry_config_additional_property import PresetEntryConfigAdditionalProperty
from .preset_override import PresetOverride
from .presets_response import PresetsResponse
from .propagation_request import PropagationRequest
from .propagation_request_activation import PropagationRequestActivation
from .propagation_request_dtype import PropagationRequestDtype
from .propagation_request_init_type_0 import PropagationRequestInitType0
from .propagation_request_layer import PropagationRequestLayer
from .propagation_request_norm_init_type_0 import PropagationRequestNormInitType0
from .propagation_request_norm_type_0 import PropagationRequestNormType0
from .propagation_request_padding import PropagationRequestPadding
from .propagation_response import PropagationResponse
from .propagation_response_recipe import PropagationResponseRecipe
from .recipe import Recipe
from .recipe_convention import RecipeConvention
from .recipe_dtype import RecipeDtype
from .recipe_export_type_0 import RecipeExportType0
from .recipe_resource import RecipeResource
from .recipe_resource_header import RecipeResourceHeader
from .recipe_rng import RecipeRng
from .recipe_spec import RecipeSpec
from .recipe_tensor import RecipeTensor
from .recipe_ties import RecipeTies
from .recipe_urls import RecipeUrls
from .rms_norm_layer import RMSNormLayer
from .rms_norm_layer_convention_type_0 import RMSNormLayerConventionType0
from .rms_norm_layer_init_type_0 import RMSNormLayerInitType0
from .rnn_layer import RNNLayer
from .rnn_layer_convention_type_0 import RNNLayerConventionType0
from .rnn_layer_init_type_0 import RNNLayerInitType0
from .scaled_residual import ScaledResidual
from .scaled_residual_convention_type_0 import ScaledResidualConventionType0
from .scheme_entry import SchemeEntry
from .scheme_entry_libraries import SchemeEntryLibraries
from .scheme_parameter import SchemeParameter
from .scheme_result import SchemeResult
from .scheme_result_init import SchemeResultInit
from .schemes_response import SchemesResponse
from .schemes_response_library_versions import SchemesResponseLibraryVersions
from .selu_init import SeluInit
from .selu_init_convention_type_0 import SeluInitConventionType0
from .small_init import SmallInit
from .small_init_convention_type_0 import SmallInitConventionType0
from .sparse_init import SparseInit
from .sparse_init_convention_type_0 import SparseInitConventionType0
from .spec_entry import SpecEntry
from .specs_response import SpecsResponse
from .stats_response import StatsResponse
from .summary import Summary
from .t_fixup_embedding import TFixupEmbedding
from .t_fixup_embedding_convention_type_0 import TFixupEmbeddingConventionType0
from .t_fixup_init import TFixupInit
from .t_fixup_init_block import TFixupInitBlock
from .t_fixup_init_convention_type_0 import TFixupInitConventionType0
from .tensor_spec import TensorSpec
from .tensor_spec_convention_type_0 import TensorSpecConventionType0
from .tensor_stats import TensorStats
from .trunc_normal_init import TruncNormalInit
from .trunc_normal_init_convention_type_0 import TruncNormalInitConventionType0
from .truncated_normal_init import TruncatedNormalInit
from .truncated_normal_init_convention_type_0 import TruncatedNormalInitConventionType0
from .uniform_init import UniformInit
from .uniform_init_convention_type_0 import UniformInitConventionType0
from .variance_scaling import VarianceScaling
from .variance_scaling_convention_type_0 import VarianceScalingConventionType0
from .variance_scaling_distribution import VarianceScalingDistribution
from .variance_scaling_mode import VarianceScalingMode
from .verdict import Verdict
from .wang_init import WangInit
from .wang_init_convention_type_0 import WangInitConventionType0
from .weight_summary import WeightSummary
from .xavier_normal import XavierNormal
from .xavier_normal_convention_type_0 import XavierNormalConventionType0
from .xavier_normal_scheme import XavierNormalScheme
from .xavier_uniform import XavierUniform
from .xavier_uniform_convention_type_0 import XavierUniformConventionType0
from .xavier_uniform_scheme import XavierUniformScheme
from .zer_o_init import ZerOInit
from .zer_o_init_convention_type_0 import ZerOInitConventionType0
from .zero_init_residual import ZeroInitResidual
from .zero_init_residual_convention_type_0 import ZeroInitResidualConventionType0
from .zeros import Zeros
from .zeros_convention_type_0 import ZerosConventionType0

__all__ = (
    "BatchNorm1DLayer",
    "BatchNorm1DLayerConventionType0",
    "BatchNorm1DLayerInitType0",
    "BatchNorm2DLayer",
    "BatchNorm2DLayerConventionType0",
    "BatchNorm2DLayerInitType0",
    "BatchNorm3DLayer",
    "BatchNorm3DLayerConventionType0",
    "BatchNorm3DLayerInitType0",
    "BilinearLayer",
    "BilinearLayerConventionType0",
    "BilinearLayerInitType0",
    "ComparedInit",
    "ComparedInitInit",
    "CompareRequest",
    "CompareRequestActivation",
    "CompareRequestDtype",
    "CompareRequestLayer",
    "CompareRequestNormInitType0",
    "CompareRequestNormType0",
    "CompareRequestPadding",
    "CompareResponse",
    "ConstantInit",
    "ConstantInitConventionType0",
    "Conv1DLayer",
    "Conv1DLayerConventionType0",
    "Conv1DLayerInitType0",
    "Conv2DLayer",
    "Conv2DLayerConventionType0",
    "Conv2DLayerInitType0",
    "Conv3DLayer",
    "Conv3DLayerConventionType0",
    "Conv3DLayerInitType0",
    "ConvTranspose1DLayer",
    "ConvTranspose1DLayerConventionType0",
    "ConvTranspose1DLayerInitType0",
    "ConvTranspose2DLayer",
    "ConvTranspose2DLayerConventionType0",
    "ConvTranspose2DLayerInitType0",
    "ConvTranspose3DLayer",
    "ConvTranspose3DLayerConventionType0",
    "ConvTranspose3DLayerInitType0",
    "DeepNetInit",
    "DeepNetInitBlock",
    "DeepNetInitConventionType0",
    "DeltaOrthogonalInit",
    "DeltaOrthogonalInitConventionType0",
    "DiracInit",
    "DiracInitConventionType0",
    "Direction",
    "EmbeddingLayer",
    "EmbeddingLayerConventionType0",
    "EmbeddingLayerInitType0",
    "ErrorBody",
    "ErrorBodyDetailsType0Item",
    "EyeInit",
    "EyeInitConventionType0",
    "EyeInitScheme",
    "FanInUniform",
    "FanInUniformConventionType0",
    "FixupInit",
    "FixupInitConventionType0",
    "FixupInitMode",
    "GainEntry",
    "GroupNormLayer",
    "GroupNormLayerConventionType0",
    "GroupNormLayerInitType0",
    "GRULayer",
    "GRULayerConventionType0",
    "GRULayerInitType0",
    "Health",
    "Histogram",
    "InputPropagation",
    "IRNNInit",
    "IRNNInitConventionType0",
    "KaimingNormal",
    "KaimingNormalConventionType0",
    "KaimingNormalMode",
    "KaimingNormalNonlinearity",
    "KaimingNormalScheme",
    "KaimingUniform",
    "KaimingUniformConventionType0",
    "KaimingUniformMode",
    "KaimingUniformNonlinearity",
    "KaimingUniformScheme",
    "LayerConvention",
    "LayerEntry",
    "LayerEntryConventions",
    "LayerEntryExample",
    "LayerEntryFields",
    "LayerNormLayer",
    "LayerNormLayerConventionType0",
    "LayerNormLayerInitType0",
    "LayerParameter",
    "LayerParameterDefault",
    "LayerPropagation",
    "LayersResponse",
    "LecunNormal",
    "LecunNormalConventionType0",
    "LecunUniform",
    "LecunUniformConventionType0",
    "LinearLayer",
    "LinearLayerConventionType0",
    "LinearLayerInitType0",
    "LSTMForgetBias",
    "LSTMForgetBiasConventionType0",
    "LSTMLayer",
    "LSTMLayerConventionType0",
    "LSTMLayerInitType0",
    "MeanAndStd",
    "ModelSpec",
    "ModelSpecConfig",
    "Moments",
    "MultiheadAttentionLayer",
    "MultiheadAttentionLayerConventionType0",
    "MultiheadAttentionLayerInitType0",
    "MupInit",
    "MupInitConventionType0",
    "MupInitRole",
    "NetworkDescription",
    "NormalInit",
    "NormalInitConventionType0",
    "Observed",
    "Ones",
    "OnesConventionType0",
    "OrthogonalInit",
    "OrthogonalInitConventionType0",
    "PlotComparisonFormat",
    "PlotPropagationFormat",
    "PlotPropagationKind",
    "PlotStatsFormat",
    "PlotStatsKind",
    "Prediction",
    "PReLULayer",
    "PReLULayerConventionType0",
    "PReLULayerInitType0",
    "PresetEntry",
    "PresetEntryConfig",
    "PresetEntryConfigAdditionalProperty",
    "PresetOverride",
    "PresetsResponse",
    "PropagationRequest",
    "PropagationRequestActivation",
    "PropagationRequestDtype",
    "PropagationRequestInitType0",
    "PropagationRequestLayer",
    "PropagationRequestNormInitType0",
    "PropagationRequestNormType0",
    "PropagationRequestPadding",
    "PropagationResponse",
    "PropagationResponseRecipe",
    "Recipe",
    "RecipeConvention",
    "RecipeDtype",
    "RecipeExportType0",
    "RecipeResource",
    "RecipeResourceHeader",
    "RecipeRng",
    "RecipeSpec",
    "RecipeTensor",
    "RecipeTies",
    "RecipeUrls",
    "RMSNormLayer",
    "RMSNormLayerConventionType0",
    "RMSNormLayerInitType0",
    "RNNLayer",
    "RNNLayerConventionType0",
    "RNNLayerInitType0",
    "ScaledResidual",
    "ScaledResidualConventionType0",
    "SchemeEntry",
    "SchemeEntryLibraries",
    "SchemeParameter",
    "SchemeResult",
    "SchemeResultInit",
    "SchemesResponse",
    "SchemesResponseLibraryVersions",
    "SeluInit",
    "SeluInitConventionType0",
    "SmallInit",
    "SmallInitConventionType0",
    "SparseInit",
    "SparseInitConventionType0",
    "SpecEntry",
    "SpecsResponse",
    "StatsResponse",
    "Summary",
    "TensorSpec",
    "TensorSpecConventionType0",
    "TensorStats",
    "TFixupEmbedding",
    "TFixupEmbeddingConventionType0",
    "TFixupInit",
    "TFixupInitBlock",
    "TFixupInitConventionType0",
    "TruncatedNormalInit",
    "TruncatedNormalInitConventionType0",
    "TruncNormalInit",
    "TruncNormalInitConventionType0",
    "UniformInit",
    "UniformInitConventionType0",
    "VarianceScaling",
    "VarianceScalingConventionType0",
    "VarianceScalingDistribution",
    "VarianceScalingMode",
    "Verdict",
    "WangInit",
    "WangInitConventionType0",
    "WeightSummary",
    "XavierNormal",
    "XavierNormalConventionType0",
    "XavierNormalScheme",
    "XavierUniform",
    "XavierUniformConventionType0",
    "XavierUniformScheme",
    "ZerOInit",
    "ZerOInitConventionType0",
    "ZeroInitResidual",
    "ZeroInitResidualConventionType0",
    "Zeros",
    "ZerosConventionType0",
)
