"""Peak memory of propagation requests and pictures, against what their jobs declare.

Each case runs in a fresh process: it imports everything and draws a small warm-up (BLAS
buffers, matplotlib's fonts), resets the peak RSS (``/proc/self/clear_refs``), then does what
the route's job does (the passes and the JSON text, or the passes and the picture) and prints
the peak RSS growth next to the bytes the job declares at admission
(``tensorseed.analysis.propagation.working_bytes``, ``plots.render_bytes``). Every ratio must
stay under 1: the constants there are set from these numbers. Not a test (RSS is per process
and slow to measure); Linux only.

    PYTHONPATH=. .venv/bin/python scripts/measure_propagation_memory.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HE = {"weight": {"scheme": "kaiming_normal", "nonlinearity": "relu"}}
# fmt: off
CASES: dict[str, dict[str, Any]] = {
    "linear 2048 x 1, batch 1024 (4M weights)": {"body": {"width": 2048, "depth": 1, "batch": 1024}},
    "linear 512 x 15, batch 512": {"body": {"width": 512, "depth": 15, "batch": 512, "init": HE}},
    "linear 256 x 30, layer norm, residual": {
        "body": {"width": 256, "depth": 30, "batch": 512, "norm": "layer_norm", "residual": True}
    },
    "conv2d 32 ch 32x32 x 3, batch 32": {
        "body": {"layer": "conv2d", "width": 32, "depth": 3, "batch": 32, "input_size": [32, 32]}
    },
    "conv2d 64 ch 16x16, groups 4, batch norm": {
        "body": {"layer": "conv2d", "width": 64, "depth": 3, "batch": 64, "input_size": [16, 16],
                 "groups": 4, "norm": "batch_norm", "padding": "circular"}
    },
    "conv3d 16 ch 16^3 x 2, batch 8": {
        "body": {"layer": "conv3d", "width": 16, "depth": 2, "batch": 8, "input_size": [16, 16, 16]}
    },
    "orthogonal 2048 x 1, batch 256": {
        "body": {"width": 2048, "depth": 1, "batch": 256, "init": {"weight": {"scheme": "orthogonal"}}}
    },
    "bins 1024, 400 layers": {"body": {"width": 8, "depth": 400, "batch": 4}, "bins": 1024},
    "compare 16 schemes, 60 layers, bins 32": {
        "compare": True, "bins": 32,
        "body": {"width": 64, "depth": 60, "batch": 64,
                 "schemes": [{"label": f"s{i}", "init": HE} for i in range(16)]},
    },
    "picture: histograms, 64 panels, png": {
        "body": {"width": 64, "depth": 200, "batch": 64}, "plot": "histograms", "format": "png"
    },
    "picture: histograms, 64 panels, svg": {
        "body": {"width": 64, "depth": 200, "batch": 64}, "plot": "histograms", "format": "svg"
    },
    "picture: std, 1000 layers, png": {"body": {"width": 8, "depth": 1000, "batch": 4}, "plot": "std",
                                       "format": "png"},
    "picture: depth view, 16 schemes x 1000 layers, svg": {
        "compare": True, "plot": "compare", "format": "svg",
        "body": {"width": 4, "depth": 1000, "batch": 4,
                 "schemes": [{"label": f"s{i}", "init": HE} for i in range(16)]},
    },
    "picture: stats std of 1024 tensors, png": {"stats_plot": 1024, "format": "png"},
    "picture: stats std of 1024 tensors, svg": {"stats_plot": 1024, "format": "svg"},
}
# fmt: on


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def measure(case: dict[str, Any]) -> dict[str, Any]:
    import gc

    from app.api.propagation import comparison_json, propagation_json
    from tensorseed.analysis import plots
    from tensorseed.analysis import propagation as p
    from tensorseed.analysis.models import CompareRequest, PropagationLimits, PropagationRequest
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.formats.stats import plan_stats
    from tensorseed.recipe.models import Recipe
    from tensorseed.recipe.plan import build_plan

    backend = cpu_backend()
    limits = PropagationLimits()
    fmt = case.get("format", "svg")
    warm = PropagationRequest.model_validate({"seed": 1, "width": 16, "depth": 3, "batch": 8})
    plots.render(plots.propagation_histogram_figure(p.propagate(warm, backend), 4), fmt)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak RSS starts again from here
    before = _kib("VmRSS")
    if "stats_plot" in case:
        n = case["stats_plot"]
        recipe = {"seed": 1, "tensors": [{"name": f"t{i}", "shape": [64], "init": {"scheme": "normal"}}
                                         for i in range(n)]}  # fmt: skip
        plan = build_plan(Recipe.model_validate(recipe))
        stats = plan_stats(plan, backend, 1 << 20, 32)["tensors"]
        plots.render(plots.stats_std_figure(stats), fmt)
        declared = plots.render_bytes(plots.stats_std_size(n), fmt) + n * (8 * 1024 + 32 * 2 * 96)
    else:
        body = {"seed": 1, **case["body"]}
        bins = case.get("bins", 32 if not case.get("compare") else 0)
        kind = case.get("plot")
        if case.get("compare"):
            request = CompareRequest.model_validate(body)
            prepared = p.plan_comparison(request, limits, None, bins)
            result = p.run_comparison(request, prepared, backend, bins)
            out = plots.render(plots.compare_figure(result), fmt) if kind else comparison_json(result)
            declared = p.demand(prepared, bins).bytes
            size = plots.COMPARE_SIZE
        else:
            single = PropagationRequest.model_validate(body)
            one = p.plan_propagation(single, limits, None, bins)
            result = p.run(one, backend, bins)
            if kind == "std":
                out = plots.render(plots.propagation_std_figure(result), fmt)
                size = plots.PROPAGATION_STD_SIZE
            elif kind == "histograms":
                out = plots.render(plots.propagation_histogram_figure(result, 64), fmt)
                size = plots.grid_size(plots.propagation_histogram_panels(one.network.depth, 64))
            else:
                out = propagation_json(result)
            declared = p.demand([one], bins).bytes
        if kind:
            declared += plots.render_bytes(size, fmt)
        del out
    peak = (_kib("VmHWM") - before) * 1024
    return {"peak_mib": round(peak / 2**20, 1), "declared_mib": round(declared / 2**20, 1),
            "ratio": round(peak / declared, 2)}  # fmt: skip


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(measure(CASES[sys.argv[1]])))
        return
    worst = 0.0
    for name in CASES:
        out = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        worst = max(worst, row["ratio"])
        print(f"{name:55} peak {row['peak_mib']:7.1f} MiB  declared {row['declared_mib']:7.1f} MiB  "
              f"ratio {row['ratio']:.2f}")  # fmt: skip
    print(f"worst ratio {worst:.2f} (must stay under 1)")


if __name__ == "__main__":
    main()
