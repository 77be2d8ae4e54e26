"""``tensorseed serve | generate | stats``: the service, or the same work locally without one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from app.engine.backend import cpu_backend
from app.formats.safetensors import iter_file
from app.formats.stats import plan_stats
from app.recipe.errors import RecipeError
from app.recipe.models import Recipe
from app.recipe.plan import Plan, build_plan
from app.settings import Settings

CHUNK_BYTES = 4 * 1024 * 1024


def _load_plan(path: str) -> Plan:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    return build_plan(Recipe.model_validate(json.loads(text)))


def _write(plan: Plan, out: BinaryIO) -> None:
    for chunk in iter_file(plan, cpu_backend(Settings().threads), CHUNK_BYTES // plan.dtype.itemsize):
        out.write(chunk)


def cmd_serve(args: argparse.Namespace) -> int:
    from app.server import build_server

    build_server(Settings(), host=args.host, port=args.port).run()
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
    plan = _load_plan(args.recipe)
    stats = plan_stats(plan, cpu_backend(Settings().threads), CHUNK_BYTES // plan.dtype.itemsize, args.bins)
    json.dump(stats, sys.stdout, indent=2)
    sys.stdout.write("\n")
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
    st.set_defaults(func=cmd_stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (ValidationError, RecipeError, json.JSONDecodeError) as exc:
        print(f"tensorseed: invalid recipe: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
