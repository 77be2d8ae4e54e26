"""The mean-field prediction: what each layer's statistics should be, from the schemes' moments alone.

Forward (Poole et al. 2016; Schoenholz et al. 2017), with pre-activations h = W x + b Gaussian and
the weights i.i.d. with mean a and variance s2, the bias mean c and variance t2, fan n:

    q_{l+1} = n s2 E[phi(h_l)^2] + t2            (zero-mean weights and biases: the classic form)

This module keeps the means and the covariance two units of one sample share, so that
non-zero-mean weights (ones, U(0, 1)) are predicted too: with a != 0 every unit adds the same
n a E[x] and the units become correlated (all ones: identical). Backward, under the usual
gradient-independence assumption, the gradient's second moment goes through phi'(h)^2 and the
fan-out; the gradient of a weight sums over the batch (and positions) of delta_h * x.

Normalization layers are modelled to leading order in 1/width (layer and batch norm give unit
variance and divide gradients by the normalized std; RMS norm divides by the root mean square);
residual blocks add their branch under independence. Convolutions use the average number of
kernel taps inside the input (zero padding loses some at the borders).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tensorseed.analysis.activations import cross_moments, moments
from tensorseed.analysis.models import NORM_EPS, Network

#: Beyond this variance the recursion's products overflow binary64: the layer counts as overflowed.
OVERFLOW_VAR = 1e300


@dataclass(frozen=True)
class Moments:
    """Mean and variance of an i.i.d. parameter (from its scheme's expected statistics)."""

    mean: float = 0.0
    var: float = 0.0

    @property
    def second(self) -> float:
        return self.var + self.mean * self.mean


@dataclass(frozen=True)
class LayerParams:
    weight: Moments
    bias: Moments | None
    norm_weight: Moments | None = None
    norm_bias: Moments | None = None


@dataclass
class LayerPrediction:
    """Predicted statistics of one layer (None where the recursion overflowed)."""

    linear_std: float | None = None
    pre_mean: float | None = None
    pre_std: float | None = None
    act_mean: float | None = None
    act_std: float | None = None
    act_grad_std: float | None = None
    weight_grad_std: float | None = None
    bias_grad_std: float | None = None


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _std(var: float) -> float | None:
    if not math.isfinite(var):
        return None
    return math.sqrt(var) if var > 0.0 else 0.0


@dataclass
class _Signal:
    """Mean, second moment and the second moment two units of a sample share (E[x_i x_k])."""

    mean: float
    second: float
    shared: float

    @property
    def var(self) -> float:
        var = self.second - self.mean * self.mean
        return 0.0 if var < 0.0 else var  # NaN (an overflowed layer) stays NaN


def _through_layer(x: _Signal, w: Moments, b: Moments | None, fan: float) -> tuple[float, float, float]:
    """(mean, variance, shared covariance) of h = W x + b: sums of fan terms with i.i.d. weights."""
    a, s2 = w.mean, w.var
    bm, bv = (b.mean, b.var) if b is not None else (0.0, 0.0)
    mean = fan * a * x.mean + bm
    pairs = fan * x.second + fan * (fan - 1.0) * x.shared  # E[(sum_j x_j)^2]
    second = fan * s2 * x.second + a * a * pairs + 2.0 * bm * fan * a * x.mean + bv + bm * bm
    shared = a * a * pairs + 2.0 * bm * fan * a * x.mean + bm * bm
    var = max(0.0, second - mean * mean)
    cov = min(var, max(-var, shared - mean * mean))
    return mean, var, cov


@dataclass(frozen=True)
class _Saved:
    """What the backward recursion needs from the forward one, per layer."""

    d_mean: float  # E[phi'(h)]
    d_second: float  # E[phi'(h)^2]
    d_shared: float  # E[phi'(h1) phi'(h2)]
    mean_scale: float  # how the norm scales the mean of delta
    scale2: float  # ... the second moment of delta
    shared2: float  # ... the part of delta^2 two units share
    previous: _Signal  # the layer's input


def predict(
    net: Network, layers: list[LayerParams], inp: Moments, out_grad: Moments
) -> list[LayerPrediction]:
    """Per-layer prediction for the network; entry 0 is the input (its gradient), then each layer."""
    taps = net.taps()
    x = _Signal(inp.mean, inp.second, inp.mean * inp.mean)
    out = [LayerPrediction(act_mean=inp.mean, act_std=math.sqrt(inp.var))]
    saved: list[_Saved | None] = []
    for i, p in enumerate(layers):
        mean, var, cov = _through_layer(x, p.weight, p.bias, net.widths[i] / net.groups * taps)
        pred = LayerPrediction(linear_std=_std(var))
        mean_scale, scale2, shared2 = 1.0, 1.0, 1.0
        if net.norm is not None and math.isfinite(var) and math.isfinite(mean):
            g = p.norm_weight or Moments(1.0, 0.0)
            beta = p.norm_bias or Moments(0.0, 0.0)
            if net.norm == "rms_norm":
                denom = var + mean * mean + NORM_EPS
                mean_scale, scale2, shared2 = (
                    g.mean / math.sqrt(denom),
                    g.second / denom,
                    g.mean * g.mean / denom,
                )
                mean, var, cov = mean * mean_scale, var * scale2, cov * shared2
            else:
                # Layer norm removes what the units of a sample share; batch norm keeps it.
                spread = var - cov if net.norm == "layer_norm" else var
                ratio = spread / (spread + NORM_EPS)
                shared = 0.0 if net.norm == "layer_norm" or var == 0.0 else cov / var * ratio
                mean, var, cov = beta.mean, g.second * ratio + beta.var, g.mean * g.mean * shared
                mean_scale, scale2 = 0.0, g.second / (spread + NORM_EPS)
                shared2 = 0.0 if net.norm == "layer_norm" else g.mean * g.mean / (spread + NORM_EPS)
        pred.pre_mean, pred.pre_std = _finite(mean), _std(var)
        out.append(pred)
        if not (math.isfinite(mean) and math.isfinite(var)) or var > OVERFLOW_VAR:
            saved.append(None)
            x = _Signal(math.nan, math.nan, math.nan)
            continue
        try:
            e_f, e_f2, e_d, e_d2 = moments(net.activation, mean, var, net.slope)
            e_ff, e_dd = cross_moments(net.activation, mean, var, cov, net.slope)
        except (OverflowError, ValueError):  # a signal beyond binary64 (exp of a huge number)
            e_f = e_f2 = e_d = e_d2 = e_ff = e_dd = math.nan
        saved.append(_Saved(e_d, e_d2, e_dd, mean_scale, scale2, shared2, x))
        if net.residual_at(i):
            x = _Signal(
                x.mean + e_f, x.second + 2.0 * x.mean * e_f + e_f2, x.shared + 2.0 * x.mean * e_f + e_ff
            )
        else:
            x = _Signal(e_f, e_f2, e_ff)
        pred.act_mean, pred.act_std = _finite(x.mean), _std(x.var)
    # Backward: delta = dL/dx for L = sum(output_grad * x_L).
    d = _Signal(out_grad.mean, out_grad.second, out_grad.mean * out_grad.mean)
    out[-1].act_grad_std = _std(d.var)
    samples = float(net.batch * net.positions)
    for i in range(len(layers) - 1, -1, -1):
        step = saved[i]
        if step is None or not math.isfinite(d.second):
            d = _Signal(math.nan, math.nan, math.nan)
            continue
        h = _Signal(  # delta at the pre-activation h = W x + b
            step.d_mean * d.mean * step.mean_scale,
            step.d_second * d.second * step.scale2,
            step.d_shared * d.shared * step.shared2,
        )
        layer = out[i + 1]
        prev = step.previous
        layer.weight_grad_std = _std(
            samples * (h.second * prev.second - (h.mean * prev.mean) * (h.mean * prev.mean))
        )
        if layers[i].bias is not None:
            layer.bias_grad_std = _std(samples * (h.second - h.mean * h.mean))
        mean, var, cov = _through_layer(h, layers[i].weight, None, net.widths[i + 1] / net.groups * taps)
        back = _Signal(mean, var + mean * mean, cov + mean * mean)
        if net.residual_at(i):
            d = _Signal(
                d.mean + back.mean,
                d.second + 2.0 * d.mean * back.mean + back.second,
                d.shared + 2.0 * d.mean * back.mean + back.shared,
            )
        else:
            d = back
        out[i].act_grad_std = _std(d.var) if math.isfinite(d.second) else None
    return out
