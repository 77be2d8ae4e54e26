"""The layer catalogue: for each layer type, what each library calls it and what it registers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.layers import layer_parameters


@dataclass(frozen=True)
class LayerInfo:
    """One layer type: its model, the library classes it stands for, and an example for listings."""

    name: str
    model: type[m.LayerBase]
    sources: dict[str, str]
    example: dict[str, Any]
    notes: str = ""


def _info(type_: str, model: type[m.LayerBase], torch: str, keras: str, flax: str, notes: str = "",
          **example: Any) -> LayerInfo:  # fmt: skip
    return LayerInfo(type_, model, {"torch": torch, "keras": keras, "flax": flax}, example, notes)


_CONV_NOTE = (
    "fans: torch (out, in/g, *k) and keras/flax (*k, in/g, out) agree; keras DepthwiseConv kernels "
    "(*k, in, multiplier) have fan_in = in * rf where torch has 1 * rf"
)
_TRANSPOSE_NOTE = (
    "fan_in disagrees: torch (in, out/g, *k) gives out/g * rf, keras (*k, out, in) gives out * rf, "
    "flax (*k, in, out) gives in * rf"
)
_RNN_NOTE = "torch: every parameter U(-1/sqrt(hidden), 1/sqrt(hidden)); keras/flax: one cell per layer"

LAYERS: list[LayerInfo] = [
    _info("linear", m.LinearLayer, "torch.nn.Linear", "keras.layers.Dense", "flax.linen.Dense",
          in_features=4, out_features=3),
    _info("bilinear", m.BilinearLayer, "torch.nn.Bilinear", "", "", in1_features=2, in2_features=3,
          out_features=4),
    *[_info(f"conv{d}d", model, f"torch.nn.Conv{d}d", f"keras.layers.Conv{d}D", "flax.linen.Conv", _CONV_NOTE,
            in_channels=4, out_channels=8, kernel_size=3, groups=2)
      for d, model in ((1, m.Conv1dLayer), (2, m.Conv2dLayer), (3, m.Conv3dLayer))],
    *[_info(f"conv_transpose{d}d", model, f"torch.nn.ConvTranspose{d}d", f"keras.layers.Conv{d}DTranspose",
            "flax.linen.ConvTranspose", _TRANSPOSE_NOTE, in_channels=4, out_channels=6, kernel_size=2)
      for d, model in ((1, m.ConvTranspose1dLayer), (2, m.ConvTranspose2dLayer),
                       (3, m.ConvTranspose3dLayer))],
    _info("embedding", m.EmbeddingLayer, "torch.nn.Embedding", "keras.layers.Embedding", "flax.linen.Embed",
          "torch N(0, 1); keras U(-0.05, 0.05); flax N(0, 1/features)", num_embeddings=10, embedding_dim=4),
    _info("layer_norm", m.LayerNormLayer, "torch.nn.LayerNorm", "keras.layers.LayerNormalization",
          "flax.linen.LayerNorm", normalized_shape=4),
    _info("rms_norm", m.RMSNormLayer, "torch.nn.RMSNorm", "keras.layers.RMSNormalization",
          "flax.linen.RMSNorm", normalized_shape=4),
    *[_info(f"batch_norm{d}d", model, f"torch.nn.BatchNorm{d}d", "keras.layers.BatchNormalization",
            "flax.linen.BatchNorm", "torch's num_batches_tracked is an int64 buffer (safetensors I64)",
            num_features=4)
      for d, model in ((1, m.BatchNorm1dLayer), (2, m.BatchNorm2dLayer), (3, m.BatchNorm3dLayer))],
    _info("group_norm", m.GroupNormLayer, "torch.nn.GroupNorm", "keras.layers.GroupNormalization",
          "flax.linen.GroupNorm", num_groups=2, num_channels=4),
    _info("rnn", m.RNNLayer, "torch.nn.RNN", "keras.layers.SimpleRNN", "flax.linen.SimpleCell", _RNN_NOTE,
          input_size=3, hidden_size=4),
    _info("lstm", m.LSTMLayer, "torch.nn.LSTM", "keras.layers.LSTM", "flax.linen.LSTMCell",
          _RNN_NOTE + "; keras: unit forget bias; flax: zero biases", input_size=3, hidden_size=4),
    _info("gru", m.GRULayer, "torch.nn.GRU", "keras.layers.GRU (reset_after=True)", "flax.linen.GRUCell",
          _RNN_NOTE, input_size=3, hidden_size=4),
    _info("multihead_attention", m.MultiheadAttentionLayer, "torch.nn.MultiheadAttention",
          "keras.layers.MultiHeadAttention", "flax.linen.MultiHeadDotProductAttention",
          "torch packs q/k/v in in_proj_weight when kdim = vdim = embed_dim; keras fans read the 3-D kernels "
          "(fan_in = heads * d_model); flax DenseGeneral flattens them to (in, heads * head_dim)",
          embed_dim=8, num_heads=2),
    _info("prelu", m.PReLULayer, "torch.nn.PReLU", "keras.layers.PReLU", "flax.linen.PReLU",
          "torch slope 0.25; keras alpha 0; flax a scalar slope 0.01", num_parameters=1),
]  # fmt: skip


def describe(info: LayerInfo) -> dict[str, Any]:
    """Fields, library classes, and the parameters each convention registers for the example."""
    schema = info.model.model_json_schema()
    conventions: dict[str, Any] = {}
    for convention in ("torch", "keras", "flax"):
        if not info.sources[convention]:
            conventions[convention] = {"source": None, "parameters": []}
            continue
        layer = info.model.model_validate({"type": info.name, "name": "x", **info.example})
        try:
            params = layer_parameters(layer, convention, ())  # type: ignore[arg-type]
        except RecipeError as exc:  # not expected for the examples; listed rather than hidden
            conventions[convention] = {
                "source": info.sources[convention],
                "error": exc.message,
                "parameters": [],
            }
            continue
        conventions[convention] = {
            "source": info.sources[convention],
            "parameters": [
                {
                    "name": p.suffix,
                    "shape": list(p.shape),
                    "dtype": p.dtype.value if p.dtype else None,
                    "default": p.default.model_dump(exclude_none=True),
                    "fan_in": p.fans.fan_in,
                    "fan_out": p.fans.fan_out,
                }
                for p in params
            ],
        }
    return {
        "type": info.name,
        "fields": {k: v for k, v in schema["properties"].items() if k != "type"},
        "example": info.example,
        "conventions": conventions,
        "notes": info.notes,
    }
