"""``tensorseed propagation`` and the ``--table`` / ``--plot`` output of ``tensorseed stats``.

Kept apart from ``tensorseed/cli.py`` and light at import time (argparse only): numpy work,
matplotlib and the engine are imported when a command runs, so ``tensorseed --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

#: The activations (tensorseed.analysis.activations.ACTIVATIONS, written out so that building the
#: parser imports no numpy; tests/analysis/test_commands.py checks they agree).
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "selu", "linear")

#: --init shortcuts: the depth view's names (case-insensitive) and their weight init.
INIT_SHORTCUTS: dict[str, dict[str, Any]] = {
    "zeros": {"scheme": "zeros"},
    "ones": {"scheme": "ones"},
    "uniform": {"scheme": "uniform", "a": -1.0, "b": 1.0},
    "fan_in_uniform": {"scheme": "fan_in_uniform"},
    "normal": {"scheme": "normal", "std": 1.0},
    "xavier": {"scheme": "xavier_normal"},
    "he": {"scheme": "kaiming_normal", "nonlinearity": "relu"},
    "lecun": {"scheme": "lecun_normal"},
}


def add_stats_output(parser: argparse.ArgumentParser) -> None:
    """``tensorseed stats`` options beyond JSON: a terminal table and a picture."""
    parser.add_argument("--table", action="store_true", help="print a table instead of JSON")
    parser.add_argument("--plot", metavar="OUT", help="also draw a picture: OUT.png or OUT.svg")
    parser.add_argument(
        "--kind",
        choices=["std", "histograms"],
        default="std",
        help="what --plot draws (default std: expected vs observed)",
    )
    parser.add_argument("--match", metavar="GLOB", help="only tensors whose name matches (for --plot)")


def _format_of(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise SystemExit(f"tensorseed: --plot writes .png or .svg files, not {path!r}")
    return suffix


def stats_output(stats: dict[str, Any], args: argparse.Namespace) -> int:
    """Print the statistics (table or JSON) and draw the picture ``--plot`` asks for."""
    from tensorseed.analysis import plots, tables

    if args.plot:
        fmt = _format_of(args.plot)
        try:
            tensors = plots.select_tensors(stats, args.match)
        except plots.PlotError as exc:
            print(f"tensorseed: {exc}", file=sys.stderr)
            return 2
        figure = (
            plots.stats_std_figure(tensors)
            if args.kind == "std"
            else plots.stats_histogram_figure(tensors, max_panels=len(tensors))
        )
        Path(args.plot).write_bytes(plots.render(figure, fmt))  # type: ignore[arg-type]
    if args.table:
        print(tables.stats_table(stats))
    else:
        json.dump(stats, sys.stdout, indent=2)
        sys.stdout.write("\n")
    return 0


def add_propagation_parser(sub: Any) -> None:
    """The ``propagation`` subcommand."""
    p = sub.add_parser(
        "propagation",
        help="signal propagation through a network: measured and mean-field std per layer, and a verdict",
        description="Push a seeded batch through a network (the body of POST /v1/propagation as a JSON "
        "file, or the options below) and print per-layer statistics; --compare runs the write-up's eight "
        "initializations side by side.",
    )
    p.add_argument("request", nargs="?", help="request JSON file (or - for standard input)")
    p.add_argument("--width", type=int, help="units (or channels) per layer (default 256)")
    p.add_argument("--depth", type=int, help="number of layers (default 20)")
    p.add_argument("--layer", choices=["linear", "conv1d", "conv2d", "conv3d"])
    p.add_argument("--input-size", type=int, nargs="+", help="spatial size of conv inputs")
    p.add_argument("--activation", choices=list(ACTIVATIONS))
    p.add_argument("--norm", choices=["layer_norm", "rms_norm", "batch_norm"])
    p.add_argument("--residual", action="store_true")
    p.add_argument("--no-bias", action="store_true", help="layers without bias")
    p.add_argument("--init", help=f"weight init: {', '.join(INIT_SHORTCUTS)}, a scheme name, or JSON")
    p.add_argument("--batch", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--bins", type=int, default=16, help="histogram bins (for --plot --kind histograms)")
    p.add_argument(
        "--compare",
        action="store_true",
        help="zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1), Xavier, He, LeCun side by side",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="OUT", help="draw a picture: OUT.png or OUT.svg")
    p.add_argument("--kind", choices=["std", "histograms"], default="std", help="what --plot draws")
    p.set_defaults(func=cmd_propagation)


def _init(text: str) -> dict[str, Any]:
    if text.lower() in INIT_SHORTCUTS:
        return INIT_SHORTCUTS[text.lower()]
    if text.lstrip().startswith("{"):
        value: dict[str, Any] = json.loads(text)
        return value
    return {"scheme": text}


def _request(args: argparse.Namespace) -> dict[str, Any]:
    if args.request:
        text = sys.stdin.read() if args.request == "-" else Path(args.request).read_text(encoding="utf-8")
        body: dict[str, Any] = json.loads(text)
    else:
        body = {"seed": 0}
    options = {
        "width": args.width,
        "depth": args.depth,
        "layer": args.layer,
        "input_size": args.input_size,
        "activation": args.activation,
        "norm": args.norm,
        "batch": args.batch,
        "seed": args.seed,
    }
    body.update({k: v for k, v in options.items() if v is not None})
    if "widths" not in body:
        body.setdefault("width", 256)
        body.setdefault("depth", 20)
    if args.residual:
        body["residual"] = True
    if args.no_bias:
        body["bias"] = False
    if args.init:
        body["init"] = {**body.get("init", {}), "weight": _init(args.init)}
    return body


def cmd_propagation(args: argparse.Namespace) -> int:
    """Run the analysis locally, print a table (or JSON), draw the picture asked for."""
    from pydantic import BaseModel, ValidationError

    from tensorseed.analysis import plots, tables
    from tensorseed.analysis.models import CompareRequest, PropagationRequest
    from tensorseed.analysis.propagation import compare, propagate
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.recipe.validation import InvalidRecipe, error_details, summary

    body = _request(args)
    backend = cpu_backend()
    model: type[BaseModel] = CompareRequest if args.compare else PropagationRequest
    if args.compare:
        body.pop("init", None)
    try:
        request = model.model_validate(body)
    except ValidationError as exc:  # reported as the service reports it (main prints the body)
        details = error_details(exc.errors(include_url=False))
        raise InvalidRecipe(summary(details), details, "validation_error") from None
    if isinstance(request, CompareRequest):
        result = compare(request, backend)
        figure = plots.compare_figure(result) if args.plot else None
        text = tables.compare_table(result)
    else:
        assert isinstance(request, PropagationRequest)
        result = propagate(request, backend, bins=args.bins)
        figure = None
        if args.plot:
            figure = (
                plots.propagation_std_figure(result)
                if args.kind == "std"
                else plots.propagation_histogram_figure(result, max_panels=16)
            )
        text = tables.propagation_table(result)
    if figure is not None:
        Path(args.plot).write_bytes(plots.render(figure, _format_of(args.plot)))  # type: ignore[arg-type]
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)
    return 0
