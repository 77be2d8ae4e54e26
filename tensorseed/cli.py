"""``tensorseed serve | generate | stats | propagation | pull``: the service, the same work locally
without one, signal propagation through a network, or a parallel, resumable, verified download."""

# Start-up time is part of the interface: this module imports only the standard library at the
# top; each command imports what it needs when it runs (numpy, pydantic, httpx; torch only for
# "rng": "torch" recipes, FastAPI only for `serve`). tests/test_cli.py checks it.
from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tensorseed.analysis.commands import add_propagation_parser, add_stats_output
from tensorseed.recipe.errors import RecipeError

if TYPE_CHECKING:
    from tensorseed.recipe.plan import Plan

CHUNK_BYTES = 4 * 1024 * 1024
#: The installed name of the REST service (the repository's app/ folder), which depends on this
#: library; the library itself never imports it, only ``serve`` loads it, on demand.
SERVICE_MODULE = "tensorseed_service.server"
#: What `serve` needs beyond the library (pyproject's `service` extra).
SERVICE_INSTALL = (
    "pip install 'tensorseed[service]'  (in a checkout: make serve, or pip install -e '.[service]')"
)


def _threads() -> int:
    """CPU kernel threads: TENSORSEED_THREADS as the service reads it (0 or unset: every CPU)."""
    text = os.environ.get("TENSORSEED_THREADS", "0").strip() or "0"
    try:
        return max(0, int(text))
    except ValueError:
        raise SystemExit(f"tensorseed: TENSORSEED_THREADS must be an integer, got {text!r}") from None


def _load_plan(path: str) -> Plan:
    from tensorseed.recipe.plan import SERVICE_LIMITS, build_plan
    from tensorseed.recipe.validation import parse_recipe

    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return build_plan(parse_recipe(data), SERVICE_LIMITS)


def _write(plan: Plan, out: BinaryIO) -> None:
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.formats.safetensors import iter_file

    for chunk in iter_file(plan, cpu_backend(_threads()), CHUNK_BYTES // plan.dtype.itemsize):
        out.write(chunk)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        server = importlib.import_module(SERVICE_MODULE)
    except ModuleNotFoundError as exc:
        print(f"tensorseed: `serve` needs the service's dependencies ({exc.name} is missing); "
              f"install them with: {SERVICE_INSTALL}", file=sys.stderr)  # fmt: skip
        return 1
    server.serve(host=args.host, port=args.port)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    plan = _load_plan(args.recipe)
    if args.output == "-":
        _write(plan, sys.stdout.buffer)
    else:
        with open(args.output, "wb") as out:
            _write(plan, out)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.formats.stats import plan_stats

    plan = _load_plan(args.recipe)
    stats = plan_stats(plan, cpu_backend(_threads()), CHUNK_BYTES // plan.dtype.itemsize, args.bins)
    if args.table or args.plot:
        from tensorseed.analysis.commands import stats_output

        return stats_output(stats, args)
    json.dump(stats, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _rate(text: str) -> int:
    """Bytes per second from '500K', '10M', '1.5G' (binary multiples) or a plain number."""
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([KMG]?)I?B?", text.strip().upper())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r} (use e.g. 500K, 10M, 1G)")
    scale = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2)]
    return max(1, int(float(match.group(1)) * scale))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _local_check(info: dict[str, object]) -> tuple[bytes, dict[str, str]]:
    """Regenerate the header and tensor digests here, with the backend `generate` uses."""
    from tensorseed.client.pull import PullError
    from tensorseed.client.verify import local_digests
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.formats.safetensors import layout
    from tensorseed.recipe.plan import build_plan
    from tensorseed.recipe.validation import parse_recipe
    from tensorseed.stream import SPEC_VERSIONS

    # The version comes from the server's answer (the token's prefix): a v1 canonical recipe
    # names none, and read without one it would mean v2.
    spec = str(info["spec_version"])
    if spec not in SPEC_VERSIONS:
        raise PullError(
            f"the server generates {spec}, which this tensorseed does not ({', '.join(SPEC_VERSIONS)}), "
            "so it cannot verify locally; use --verify server"
        )
    plan = build_plan(parse_recipe(str(info["canonical_recipe"])).read_as(spec))
    if f'"{layout(plan).digest}"' != info["etag"]:
        raise PullError(
            f"the server generates {info['spec_version']} and this tensorseed does not produce the same "
            "file for this recipe, so it cannot verify locally; use --verify server"
        )
    return local_digests(plan, cpu_backend(_threads()), CHUNK_BYTES // plan.dtype.itemsize)


def cmd_pull(args: argparse.Namespace) -> int:
    from tensorseed.client.pull import PullError, PullOptions, as_json, pull, summary_line

    text = sys.stdin.read() if args.recipe == "-" else Path(args.recipe).read_text(encoding="utf-8")
    output = Path(
        args.output or (Path(args.recipe).stem if args.recipe != "-" else "weights") + ".safetensors"
    )
    servers = tuple(args.server or [os.environ.get("TENSORSEED_SERVER", "http://127.0.0.1:8000")])
    opts = PullOptions(
        servers=servers,
        connections=args.connections,
        retries=args.retries,
        verify=args.verify,
        limit_rate=args.limit_rate,
        progress=None if args.quiet else sys.stderr,
        api_key=args.api_key or os.environ.get("TENSORSEED_API_KEY") or None,
    )

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    try:
        result = pull(text, output, opts, local_check=_local_check, log=log)
    except PullError as exc:
        print(f"tensorseed: {exc}", file=sys.stderr)
        return exc.code
    print(as_json(result) if args.json else summary_line(result, args.connections))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tensorseed", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP service (settings from TENSORSEED_*)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
    gen = sub.add_parser("generate", help="write the safetensors file of a recipe, locally")
    gen.add_argument("recipe", help="recipe JSON file, or - for standard input")
    gen.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    gen.set_defaults(func=cmd_generate)
    st = sub.add_parser("stats", help="print the statistics of a recipe as JSON, locally")
    st.add_argument("recipe", help="recipe JSON file, or - for standard input")
    st.add_argument("--bins", type=int, default=32)
    add_stats_output(st)
    st.set_defaults(func=cmd_stats)
    add_propagation_parser(sub)
    pl = sub.add_parser(
        "pull",
        help="download a recipe's file from servers: parallel byte ranges, resumable, verified",
        description="Download the safetensors file of a recipe from one or more tensorseed servers "
        "in parallel byte ranges. An interrupted pull resumes when run again (state in OUTPUT.part.json).",
    )
    pl.add_argument("recipe", help="recipe JSON file, or - for standard input")
    pl.add_argument("-o", "--output", help="output file (default: the recipe's name with .safetensors)")
    pl.add_argument("--server", action="append", metavar="URL",
                    help="server base URL; repeat to spread ranges over replicas "
                    "(default: $TENSORSEED_SERVER or http://127.0.0.1:8000)")  # fmt: skip
    pl.add_argument("-c", "--connections", type=_positive, default=4, help="parallel connections (default 4)")
    pl.add_argument(
        "--retries", type=_positive, default=5, help="attempts per range without progress (default 5)"
    )
    pl.add_argument("--verify", choices=["server", "local", "none"], default="server",
                    help="check each tensor's sha256 against the server's stats (default), a local "
                    "regeneration, or not at all")  # fmt: skip
    pl.add_argument("--limit-rate", type=_rate, metavar="RATE", help="at most RATE bytes/s in all (e.g. 20M)")
    pl.add_argument("--api-key", metavar="KEY",
                    help="API key for servers that require one (default: $TENSORSEED_API_KEY; prefer the "
                    "variable: a command line is visible to other users of the machine)")  # fmt: skip
    pl.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    pl.add_argument("--json", action="store_true", help="print the summary as JSON")
    pl.set_defaults(func=cmd_pull)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except RecipeError as exc:
        from tensorseed.recipe.validation import error_body

        # The same JSON body the HTTP API answers with (422, or 413 over a limit).
        print(json.dumps(error_body(exc), indent=2, ensure_ascii=False), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tensorseed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tensorseed: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
