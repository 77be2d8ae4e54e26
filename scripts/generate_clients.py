"""Generate the Python and TypeScript SDKs from openapi/openapi.json, or (--check) fail if the
committed ones differ from what the generators produce now.

Python: openapi-python-client -> clients/python (a whole installable project), with two stock
templates overridden from clients/python-templates (streaming downloads, a typed error).
TypeScript: @hey-api/openapi-ts -> clients/typescript/src/gen (the rest of clients/typescript,
package.json, tsconfig.json and the tests, is written by hand). Run `npm ci` in
clients/typescript first (`make clients` does).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.json"
PYTHON_OUT = ROOT / "clients" / "python"
PYTHON_CONFIG = ROOT / "clients" / "python.config.yaml"
#: Overrides of two stock templates: stream_detailed() for binary bodies, errors.ErrorStatus.
PYTHON_TEMPLATES = ROOT / "clients" / "python-templates"
TS_ROOT = ROOT / "clients" / "typescript"
TS_OUT = TS_ROOT / "src" / "gen"
BIN = Path(sys.executable).parent


def generate_python(out: Path) -> None:
    # The post hooks call `ruff`: use the one pinned in this environment, whatever PATH says.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [str(BIN / "openapi-python-client"), "generate", "--path", str(SPEC), "--output-path", str(out),
         "--overwrite", "--meta", "setup", "--config", str(PYTHON_CONFIG),
         "--custom-template-path", str(PYTHON_TEMPLATES)],
        check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def generate_typescript(out: Path) -> None:
    tool = TS_ROOT / "node_modules" / ".bin" / "openapi-ts"
    if not tool.exists():
        sys.exit(f"{tool} is missing: run 'npm ci' in {TS_ROOT.relative_to(ROOT)} (make clients does)")
    # openapi-ts.config.mjs holds the settings; the output folder comes through the environment.
    subprocess.run(
        [str(tool), "--file", "openapi-ts.config.mjs", "--silent"],
        check=True, cwd=TS_ROOT, env={**os.environ, "OPENAPI_TS_OUTPUT": str(out)},
    )  # fmt: skip


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that are missing, extra or different between two trees."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        out.extend(f"{prefix}{name} (only in the committed SDK)" for name in cmp.left_only)
        out.extend(f"{prefix}{name} (missing from the committed SDK)" for name in cmp.right_only)
        out.extend(f"{prefix}{name} (differs)" for name in cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), "")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    if not args.check:
        generate_python(PYTHON_OUT)
        generate_typescript(TS_OUT)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh_python, fresh_ts = Path(tmp) / "python", Path(tmp) / "ts"
        generate_python(fresh_python)
        generate_typescript(fresh_ts)
        problems = [f"clients/python/{p}" for p in differences(PYTHON_OUT, fresh_python)]
        problems += [f"clients/typescript/src/gen/{p}" for p in differences(TS_OUT, fresh_ts)]
        shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        print("The committed SDKs are out of date; run 'make clients':", file=sys.stderr)
        print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 1
    print("clients/python and clients/typescript/src/gen are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
