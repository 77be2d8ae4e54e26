"""Write openapi/openapi.json from the app, or (--check) fail if the committed one differs."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.main import create_app

TARGET = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def render() -> str:
    return json.dumps(create_app().openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    fresh = render()
    if not args.check:
        TARGET.write_text(fresh, encoding="utf-8")
        return 0
    committed = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if committed == fresh:
        print("openapi/openapi.json is up to date")
        return 0
    diff = difflib.unified_diff(committed.splitlines(), fresh.splitlines(), "committed", "app", lineterm="")
    print("openapi/openapi.json is out of date; run 'make openapi'.", file=sys.stderr)
    print("\n".join(list(diff)[:80]), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
