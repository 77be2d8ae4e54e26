"""Contains all the data models used in inputs/outputs"""

from .constant_init import ConstantInit
from .conv_1d_layer import Conv1DLayer
from .conv_1d_layer_init_type_0 import Conv1DLayerInitType0
from .conv_2d_layer import Conv2DLayer
from .conv_2d_layer_init_type_0 import Conv2DLayerInitType0
from .conv_3d_layer import Conv3DLayer
from .conv_3d_layer_init_type_0 import Conv3DLayerInitType0
from .embedding_layer import EmbeddingLayer
from .embedding_layer_init_type_0 import EmbeddingLayerInitType0
from .error_body import ErrorBody
from .error_body_details_type_0_item import ErrorBodyDetailsType0Item
from .fan_in_uniform import FanInUniform
from .health import Health
from .histogram import Histogram
from .kaiming_normal import KaimingNormal
from .kaiming_normal_mode import KaimingNormalMode
from .kaiming_normal_nonlinearity import KaimingNormalNonlinearity
from .kaiming_uniform import KaimingUniform
from .kaiming_uniform_mode import KaimingUniformMode
from .kaiming_uniform_nonlinearity import KaimingUniformNonlinearity
from .layer_entry import LayerEntry
from .layer_entry_fields import LayerEntryFields
from .layers_response import LayersResponse
from .linear_layer import LinearLayer
from .linear_layer_init_type_0 import LinearLayerInitType0
from .model_spec import ModelSpec
from .model_spec_config import ModelSpecConfig
from .moments import Moments
from .normal_init import NormalInit
from .observed import Observed
from .ones import Ones
from .preset_entry import PresetEntry
from .preset_entry_config import PresetEntryConfig
from .preset_entry_config_additional_property import PresetEntryConfigAdditionalProperty
from .preset_override import PresetOverride
from .presets_response import PresetsResponse
from .recipe import Recipe
from .recipe_dtype import RecipeDtype
from .recipe_resource import RecipeResource
from .recipe_resource_header import RecipeResourceHeader
from .recipe_rng import RecipeRng
from .recipe_tensor import RecipeTensor
from .recipe_urls import RecipeUrls
from .scheme_entry import SchemeEntry
from .scheme_parameter import SchemeParameter
from .schemes_response import SchemesResponse
from .stats_response import StatsResponse
from .tensor_spec import TensorSpec
from .tensor_stats import TensorStats
from .trunc_normal_init import TruncNormalInit
from .uniform_init import UniformInit
from .xavier_normal import XavierNormal
from .xavier_uniform import XavierUniform
from .zeros import Zeros

__all__ = (
    "ConstantInit",
    "Conv1DLayer",
    "Conv1DLayerInitType0",
    "Conv2DLayer",
    "Conv2DLayerInitType0",
    "Conv3DLayer",
    "Conv3DLayerInitType0",
    "EmbeddingLayer",
    "EmbeddingLayerInitType0",
    "ErrorBody",
    "ErrorBodyDetailsType0Item",
    "FanInUniform",
    "Health",
    "Histogram",
    "KaimingNormal",
    "KaimingNormalMode",
    "KaimingNormalNonlinearity",
    "KaimingUniform",
    "KaimingUniformMode",
    "KaimingUniformNonlinearity",
    "LayerEntry",
    "LayerEntryFields",
    "LayersResponse",
    "LinearLayer",
    "LinearLayerInitType0",
    "ModelSpec",
    "ModelSpecConfig",
    "Moments",
    "NormalInit",
    "Observed",
    "Ones",
    "PresetEntry",
    "PresetEntryConfig",
    "PresetEntryConfigAdditionalProperty",
    "PresetOverride",
    "PresetsResponse",
    "Recipe",
    "RecipeDtype",
    "RecipeResource",
    "RecipeResourceHeader",
    "RecipeRng",
    "RecipeTensor",
    "RecipeUrls",
    "SchemeEntry",
    "SchemeParameter",
    "SchemesResponse",
    "StatsResponse",
    "TensorSpec",
    "TensorStats",
    "TruncNormalInit",
    "UniformInit",
    "XavierNormal",
    "XavierUniform",
    "Zeros",
)
