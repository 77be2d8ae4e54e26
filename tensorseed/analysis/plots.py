"""Pictures of statistics and signal propagation, as SVG or PNG, drawn with matplotlib.

matplotlib is imported when a picture is drawn, never at import time (``tensorseed --help``
stays fast). Only its object API is used (Figure and a canvas, no pyplot state), so pictures
can be drawn on worker threads; saving sets global rcParams (``rc_context``) and matplotlib is
not thread-safe there, so one picture is saved at a time (``render``). The SVG output is
deterministic: no date, fixed element ids.

Every figure's size is a function of what it shows (``stats_std_size``, ``grid_size``, ...), and
those are bounded by the callers' limits (panels, tensors), so ``render_bytes`` can say before
drawing how much memory a picture takes.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from tensorseed.recipe.presets import MAX_PATTERN_WILDCARDS, matches, wildcards

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ImageFormat = Literal["svg", "png"]
MEDIA_TYPES: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}
#: Colours of the compared schemes (the depth view), in the order of the default schemes.
PALETTE = (
    "#7f7f7f",
    "#bcbd22",
    "#d62728",
    "#ff7f0e",
    "#8c564b",
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#e377c2",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
)


class PlotError(ValueError):
    """A picture that cannot be drawn as asked: too many panels (``too_large``), nothing matched."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


#: Pixels per inch of every figure (PNG output; SVG sizes are in points).
DPI = 100
#: Peak memory of drawing and saving a figure (scripts/measure_propagation_memory.py measures it
#: against this): a fixed part (the figure's artists, the font cache, the renderer), and per
#: pixel: PNG rasterizes into an RGBA buffer (4 bytes) and encodes it; SVG holds the text.
RENDER_BASE_BYTES = 32 * 1024 * 1024
RENDER_BYTES_PER_PIXEL: dict[str, int] = {"png": 8, "svg": 2}
#: Sizes (inches) of the fixed-size figures.
PROPAGATION_STD_SIZE = (10.0, 4.2)
COMPARE_SIZE = (11.0, 4.6)
#: One picture is saved at a time: rc_context changes matplotlib's global rcParams, and a
#: concurrent save could restore them under another's feet (losing the fixed SVG ids).
_RENDER_LOCK = threading.Lock()


def _figure(size: tuple[float, float]) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=DPI, layout="constrained")


#: Agg (PNG) refuses canvases of 2^16 pixels or more per side; SVG is held to the same.
MAX_SIDE_PIXELS = 2**16 - 1


def check_size(size: tuple[float, float]) -> None:
    """A figure too large to draw (more panels or rows than a canvas holds) is a PlotError (413)."""
    width, height = (math.ceil(side * DPI) for side in size)
    if max(width, height) > MAX_SIDE_PIXELS:
        raise PlotError(
            f"the picture would be {width} x {height} pixels, over {MAX_SIDE_PIXELS} per side; "
            "draw fewer tensors or panels",
            too_large=True,
        )


def render_bytes(size: tuple[float, float], fmt: ImageFormat) -> int:
    """The memory a figure of ``size`` inches takes to draw and save as ``fmt``, at most."""
    pixels = math.ceil(size[0] * DPI) * math.ceil(size[1] * DPI)
    return RENDER_BASE_BYTES + RENDER_BYTES_PER_PIXEL[fmt] * pixels


def render(fig: Figure, fmt: ImageFormat) -> bytes:
    """The figure's bytes; SVG without a date and with ids from a fixed salt (same picture, same bytes)."""
    import matplotlib

    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.rc_context({"svg.hashsalt": "tensorseed", "svg.fonttype": "path"}):
        if fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _positive(values: Sequence[float | None]) -> list[float]:
    """None and non-positive values become NaN: gaps on a log axis."""
    return [v if v is not None and v > 0 and math.isfinite(v) else math.nan for v in values]


# ---- statistics (POST /v1/stats) ----


def select_tensors(stats: dict[str, Any], match: str | None) -> list[dict[str, Any]]:
    """The tensors whose name matches the glob (as presets' overrides match), all without one."""
    if match is not None and wildcards(match) > MAX_PATTERN_WILDCARDS:
        # As for overrides: each test of a glob with many stars costs ~10 ms on a long name.
        raise PlotError(f"match holds at most {MAX_PATTERN_WILDCARDS} wildcards (* ? [)")
    tensors = [t for t in stats["tensors"] if match is None or matches(match, t["name"])]
    if not tensors:
        raise PlotError(f"no tensor matches {match!r}")
    return tensors


def stats_std_size(tensors: int) -> tuple[float, float]:
    """Size of ``stats_std_figure`` for that many tensors (one row each)."""
    return 8.0, 1.2 + 0.22 * tensors


def stats_std_figure(tensors: list[dict[str, Any]]) -> Figure:
    """Observed std (dots) next to the scheme's expected std (rings) for every tensor."""
    fig = _figure(stats_std_size(len(tensors)))
    ax = fig.add_subplot()
    names = [t["name"] for t in tensors]
    rows = list(range(len(tensors)))
    ax.scatter(
        _positive([t["expected"]["std"] for t in tensors]),
        rows,
        s=60,
        facecolors="none",
        edgecolors="#1f77b4",
        label="expected std",
    )
    ax.scatter(
        _positive([t["observed"]["std"] for t in tensors]), rows, s=14, color="#d62728", label="observed std"
    )
    ax.set_yticks(rows, names, fontsize=7)
    ax.invert_yaxis()
    if any(not math.isnan(v) for v in _positive([t["observed"]["std"] for t in tensors])):
        ax.set_xscale("log")
    ax.set_xlabel("standard deviation (constant tensors have none and are left out)")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _histogram(ax: Axes, hist: dict[str, Any] | None, title: str, marks: dict[str, float | None]) -> None:
    ax.set_title(title, fontsize=7)
    ax.tick_params(labelsize=6)
    if not hist:
        ax.text(0.5, 0.5, "no finite values", ha="center", va="center", transform=ax.transAxes, fontsize=7)
        return
    edges, counts = hist["edges"], hist["counts"]
    ax.stairs(counts, edges, fill=True, color="#9ecae1")
    for label, (value, style) in {
        "mean": (marks.get("mean"), "-"),
        "min": (marks.get("min"), ":"),
        "max": (marks.get("max"), ":"),
    }.items():
        if value is not None and math.isfinite(value) and edges[0] <= value <= edges[-1]:
            ax.axvline(value, color="#d62728", linestyle=style, linewidth=0.8, label=f"expected {label}")


def _grid(panels: int) -> tuple[int, int]:
    cols = min(4, panels)
    return math.ceil(panels / cols), cols


def grid_size(panels: int) -> tuple[float, float]:
    """Size of a figure of ``panels`` histograms, four to a row."""
    rows, cols = _grid(panels)
    return 2.6 * cols, 1.9 * rows + 0.3


def stats_histogram_figure(tensors: list[dict[str, Any]], max_panels: int) -> Figure:
    """One histogram per tensor (observed values over [min, max]), with the expected mean and bounds."""
    if len(tensors) > max_panels:
        raise PlotError(
            f"{len(tensors)} tensors would make {len(tensors)} histograms, over the limit of {max_panels}; "
            "choose some with match (a glob over tensor names)",
            too_large=True,
        )
    rows, cols = _grid(len(tensors))
    fig = _figure(grid_size(len(tensors)))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, t in zip(axes.flat, tensors, strict=False):
        _histogram(ax, t["histogram"], f"{t['name']} ({t['scheme']})", t["expected"])
    for ax in list(axes.flat)[len(tensors) :]:
        ax.set_visible(False)
    return fig


# ---- propagation (POST /v1/propagation) ----


def _layer_axis(ax: Axes, depth: int) -> None:
    ax.set_xlabel("layer (0 = input)")
    ax.set_xlim(0, max(depth, 1))
    ax.grid(True, alpha=0.3)


def _band(ax: Axes, band: Sequence[float], reference: float | None) -> None:
    if reference and reference > 0 and math.isfinite(reference):
        ax.axhspan(band[0] * reference, band[1] * reference, color="#2ca02c", alpha=0.07, label="stable band")


def propagation_std_figure(result: dict[str, Any]) -> Figure:
    """Per-layer std of activations and of gradients: measured (solid) and mean field (dashed)."""
    layers = result["layers"]
    inp = result["input"]
    depth = len(layers)
    xs = list(range(depth + 1))
    band = result["verdict"]["band"]
    fig = _figure(PROPAGATION_STD_SIZE)
    left, right = fig.subplots(1, 2)
    act = [inp["summary"]["std"]] + [e["activation"]["std"] for e in layers]
    act_exp = [inp["expected_std"]] + [e["expected"]["activation_std"] for e in layers]
    pre = [math.nan] + [e["preactivation"]["std"] for e in layers]
    pre_exp = [math.nan] + [e["expected"]["preactivation_std"] for e in layers]
    _band(left, band, inp["summary"]["std"])
    left.plot(xs, _positive(act), color="#1f77b4", label="activation std")
    left.plot(xs, _positive(act_exp), color="#1f77b4", linestyle="--", label="mean field")
    left.plot(xs, _positive(pre), color="#ff7f0e", label="pre-activation std")
    left.plot(xs, _positive(pre_exp), color="#ff7f0e", linestyle="--", label="mean field")
    left.set_title("forward: " + result["verdict"]["forward"]["state"], fontsize=10)
    grad = [inp["grad_std"]] + [e["activation_grad"]["std"] for e in layers]
    grad_exp = [inp["expected_grad_std"]] + [e["expected"]["activation_grad_std"] for e in layers]
    wgrad = [math.nan] + [e["weight_grad"]["std"] for e in layers]
    wgrad_exp = [math.nan] + [e["expected"]["weight_grad_std"] for e in layers]
    _band(right, band, layers[-1]["activation_grad"]["std"])
    right.plot(xs, _positive(grad), color="#2ca02c", label="dL/d activation std")
    right.plot(xs, _positive(grad_exp), color="#2ca02c", linestyle="--", label="mean field")
    right.plot(xs, _positive(wgrad), color="#9467bd", label="dL/dW std")
    right.plot(xs, _positive(wgrad_exp), color="#9467bd", linestyle="--", label="mean field")
    right.set_title("backward: " + result["verdict"]["backward"]["state"], fontsize=10)
    for ax in (left, right):
        _layer_axis(ax, depth)
        if any(v == v for v in _positive(act + grad)):
            ax.set_yscale("log")
        ax.legend(fontsize=7)
    net = result["network"]
    fig.suptitle(
        f"{net['layer']} x {net['depth']}, {net['activation']}, widths {_widths(net['widths'])}", fontsize=10
    )
    return fig


def _widths(widths: list[int]) -> str:
    return str(widths[0]) if len(set(widths)) == 1 else f"{widths[0]}..{widths[-1]}"


def pick_layers(depth: int, panels: int) -> list[int]:
    """Up to ``panels`` layer indices (1-based), evenly spaced, first and last included."""
    if depth <= panels:
        return list(range(1, depth + 1))
    if panels == 1:
        return [depth]
    return sorted({round(1 + i * (depth - 1) / (panels - 1)) for i in range(panels)})


def propagation_histogram_panels(depth: int, max_panels: int) -> int:
    """Panels of ``propagation_histogram_figure``: the input and at most max_panels - 1 layers."""
    return 1 + len(pick_layers(depth, max(1, max_panels - 1)))


def propagation_histogram_figure(result: dict[str, Any], max_panels: int) -> Figure:
    """Histograms of the activations of the input and of evenly spaced layers."""
    layers = result["layers"]
    chosen = pick_layers(len(layers), max(1, max_panels - 1))
    panels = [("input", result["input"]["summary"])] + [
        (f"layer {i}", layers[i - 1]["activation"]) for i in chosen
    ]
    rows, cols = _grid(len(panels))
    fig = _figure(grid_size(len(panels)))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, (title, summary) in zip(axes.flat, panels, strict=False):
        std = summary.get("std")
        _histogram(ax, summary.get("histogram"), f"{title}: std {std:.3g}" if std is not None else title, {})
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    return fig


def compare_figure(result: dict[str, Any]) -> Figure:
    """The depth view: activation and gradient std through the layers, one curve per scheme."""
    fig = _figure(COMPARE_SIZE)
    left, right = fig.subplots(1, 2)
    depth = result["network"]["depth"]
    xs = list(range(depth + 1))
    for k, r in enumerate(result["results"]):
        colour = PALETTE[k % len(PALETTE)]
        act = [r["input"]["summary"]["std"]] + [e["activation"]["std"] for e in r["layers"]]
        grad = [r["input"]["grad_std"]] + [e["activation_grad"]["std"] for e in r["layers"]]
        label = f"{r['label']} ({r['verdict']['forward']['state']})"
        left.plot(xs, _positive(act), color=colour, label=label)
        backward = r["verdict"]["backward"]["state"]
        right.plot(xs, _positive(grad), color=colour, label=f"{r['label']} ({backward})")
    left.set_title("activation std", fontsize=10)
    right.set_title("gradient std (dL/d activation)", fontsize=10)
    for ax in (left, right):
        _layer_axis(ax, depth)
        ax.set_yscale("log")
        ax.legend(fontsize=7)
    net = result["network"]
    fig.suptitle(
        f"width {_widths(net['widths'])}, depth {depth}, {net['activation']}; "
        "zero curves are left out (log axis)",
        fontsize=10,
    )
    return fig
