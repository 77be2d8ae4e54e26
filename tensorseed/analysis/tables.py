"""Terminal tables of statistics, propagation and comparisons: aligned columns, 4 significant digits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def number(value: float | None, digits: int = 4) -> str:
    """A compact number: 4 significant digits, '-' for none, 0 as '0'."""
    if value is None:
        return "-"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def _ratio(observed: float | None, expected: float | None) -> str:
    if observed is None or expected is None or expected == 0:
        return "-"
    return f"{100.0 * (observed / expected - 1.0):+.1f}%"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Columns padded to their widest cell; numbers (``right``) aligned right."""
    right = right or [False] * len(headers)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def stats_table(stats: dict[str, Any]) -> str:
    """One row per tensor: expected and observed moments, the std's deviation, sha256 prefix."""
    headers = [
        "tensor",
        "shape",
        "scheme",
        "exp mean",
        "exp std",
        "mean",
        "std",
        "std dev",
        "min",
        "max",
        "sha256",
    ]
    rows = []
    for t in stats["tensors"]:
        e, o = t["expected"], t["observed"]
        rows.append(
            [
                t["name"],
                "x".join(map(str, t["shape"])),
                t["scheme"],
                number(e["mean"]),
                number(e["std"]),
                number(o["mean"]),
                number(o["std"]),
                _ratio(o["std"], e["std"]),
                number(o["min"]),
                number(o["max"]),
                t["sha256"][:12],
            ]
        )
    right = [False, False, False, True, True, True, True, True, True, True, False]
    total = (
        f"{stats['total_elements']} elements, {len(stats['tensors'])} tensors, {stats['dtype']}, "
        f"seed {stats['seed']}"
    )
    return table(headers, rows, right) + "\n" + total


def propagation_table(result: dict[str, Any]) -> str:
    """One row per layer: measured / mean-field std of pre-activations, activations and gradients."""
    headers = [
        "layer",
        "fan_in",
        "pre std",
        "(mf)",
        "act mean",
        "act std",
        "(mf)",
        "grad std",
        "(mf)",
        "dW std",
        "(mf)",
        "units",
    ]
    inp = result["input"]
    rows = [
        [
            "input",
            "",
            "",
            "",
            number(inp["summary"]["mean"]),
            number(inp["summary"]["std"]),
            number(inp["expected_std"]),
            number(inp["grad_std"]),
            number(inp["expected_grad_std"]),
            "",
            "",
            "",
        ]
    ]
    for e in result["layers"]:
        x = e["expected"]
        rows.append(
            [
                str(e["index"]),
                str(e["fan_in"]),
                number(e["preactivation"]["std"]),
                number(x["preactivation_std"]),
                number(e["activation"]["mean"]),
                number(e["activation"]["std"]),
                number(x["activation_std"]),
                number(e["activation_grad"]["std"]),
                number(x["activation_grad_std"]),
                number(e["weight_grad"]["std"]),
                number(x["weight_grad_std"]),
                "identical" if e["identical_units"] else "",
            ]
        )
    right = [True] * 11 + [False]
    return table(headers, rows, right) + "\n\n" + verdict_lines(result["verdict"])


def verdict_lines(verdict: dict[str, Any]) -> str:
    """The verdict's summary, one finding per line."""
    summary: str = verdict["summary"]
    return "verdict: " + summary.replace("; ", "\n         ")


def compare_table(result: dict[str, Any]) -> str:
    """One row per scheme: activation and gradient std at a few depths, and the verdicts."""
    depth = result["network"]["depth"]
    marks = sorted({1, max(1, depth // 4), max(1, depth // 2), depth})
    headers = [
        "scheme",
        *[f"act std @{m}" for m in marks],
        "forward",
        *[f"grad std @{m}" for m in marks[:1]],
        "grad std @in",
        "backward",
        "units",
    ]
    rows = []
    for r in result["results"]:
        v = r["verdict"]
        fwd, bwd = v["forward"], v["backward"]

        def state(part: dict[str, Any]) -> str:
            at = f" @{part['left_band_at']}" if part["left_band_at"] is not None else ""
            return f"{part['state']}{at}"

        rows.append(
            [
                r["label"],
                *[number(r["layers"][m - 1]["activation"]["std"], 3) for m in marks],
                state(fwd),
                number(r["layers"][0]["activation_grad"]["std"], 3),
                number(r["input"]["grad_std"], 3),
                state(bwd),
                f"identical @{v['identical_units_from']}" if v["identical_units_from"] else "",
            ]
        )
    right = [False, *[True] * len(marks), False, True, True, False, False]
    net = result["network"]
    band = result["results"][0]["verdict"]["band"]
    title = f"width {net['widths'][0]}, depth {depth}, {net['activation']}, batch {net['batch']}; band {band}"
    return title + "\n" + table(headers, rows, right)
