"""Run the reference (in process) and the C and JavaScript ports on recipe JSON text.

Every comparison goes through JSON *text*, never a Python dict, because parsing is part of what
must agree: integer vs float literals, u64 seeds, escapes, duplicate keys.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tensorseed.engine.backend import ReferenceBackend
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_V1, SPEC_VERSION

ROOT = Path(__file__).resolve().parents[2]
C_PORT = ROOT / "ports" / "c" / "tensorseed-c"
JS_CLI = ROOT / "ports" / "js" / "cli.mjs"
CHUNK_ELEMENTS = 1 << 18

# ---- the transition switch (issue 13) ----
#: The stream version the C and JavaScript ports implement. They read tensorseed-stream/1 only
#: until their engineers add v2: until then the recipes the suite gives them carry no "spec"
#: member (the ports reject unknown fields, as they should), and the reference and the service
#: read the very same text as a v1 recipe, so both sides still produce v1's bytes. When the ports
#: implement v2, set this to SPEC_VERSION: recipes then mean v2 everywhere, as in the service.
PORTS_SPEC = SPEC_V1


def for_reference(text: str) -> str:
    """The recipe text as the reference and the service must read it to mean PORTS_SPEC: a
    ``"spec"`` member inserted first in a JSON object (a member the text itself names comes later
    and wins, since the last duplicate key counts); any other text is returned unchanged."""
    if PORTS_SPEC == SPEC_VERSION:
        return text
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith("{"):
        return text
    rest = stripped[1:]
    member = f'"spec":{json.dumps(PORTS_SPEC)}'
    return "{" + member + ("" if rest.lstrip(" \t\r\n").startswith("}") else ",") + rest


@dataclass(frozen=True)
class Outcome:
    """What a generator made of a recipe: a file (size and sha256) or a rejection."""

    ok: bool
    size: int = 0
    sha256: str = ""
    error: str = ""

    def same_as(self, other: Outcome) -> bool:
        if self.ok != other.ok:
            return False
        return not self.ok or (self.size, self.sha256) == (other.size, other.sha256)


@contextmanager
def quiet_overflow() -> Iterator[None]:
    """The reference lets numpy warn when a value overflows to infinity in float16 (which the
    spec defines: it becomes infinity); the suite turns warnings into errors, so mute that one."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)
        yield


def reference_bytes(text: str) -> bytes:
    """The file the reference CLI writes for this recipe text (same parse and validation path)."""
    with quiet_overflow():
        plan = build_plan(Recipe.model_validate(json.loads(for_reference(text))))
        return b"".join(iter_file(plan, ReferenceBackend(), CHUNK_ELEMENTS))


def reference(text: str) -> Outcome:
    """The reference's outcome: the file's size and sha256, or the rejection it reports."""
    digest = hashlib.sha256()
    size = 0
    with quiet_overflow():
        try:
            plan = build_plan(Recipe.model_validate(json.loads(for_reference(text))))
            for chunk in iter_file(plan, ReferenceBackend(), CHUNK_ELEMENTS):
                digest.update(chunk)
                size += len(chunk)
        except (ValidationError, RecipeError, json.JSONDecodeError) as exc:
            return Outcome(ok=False, error=str(exc))
    return Outcome(ok=True, size=size, sha256=digest.hexdigest())


#: Tolerance-tier schemes (QR): the ports refuse them instead of producing other bytes.
TOLERANCE_SCHEMES = frozenset({"orthogonal", "delta_orthogonal"})


def refusal_expected(text: str) -> str | None:
    """Why both ports must refuse a recipe the reference accepts, as a word their message contains:
    "tolerance" (a tolerance-tier scheme, layer defaults included), "rng" (rng other than
    "portable") or "model" (a model preset); None when the ports must produce the reference's bytes."""
    data = json.loads(for_reference(text))
    if not isinstance(data, dict):
        return None
    if data.get("rng", "portable") != "portable":
        return "rng"
    if data.get("model") is not None:
        return "model"
    try:
        plan = build_plan(Recipe.model_validate(data))
    except (ValidationError, RecipeError):
        return None
    if any(t.scheme in TOLERANCE_SCHEMES for t in plan.tensors):
        return "tolerance"
    return None


def node() -> str:
    path = shutil.which("node")
    if path is None:
        raise RuntimeError("the conformance suite needs Node.js 20+ on PATH (for ports/js)")
    return path


def build_c_port() -> Path:
    """Builds ports/c (a no-op when up to date) and returns the binary."""
    subprocess.run(["make", "-s", "-C", str(C_PORT.parent)], check=True, capture_output=True)
    return C_PORT


def port_commands() -> dict[str, list[str]]:
    return {"c": [str(build_c_port())], "js": [node(), str(JS_CLI)]}


class BatchPort:
    """One long-lived port process in --batch mode: a recipe line in, a result line out."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [*command, "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
        )

    def run(self, text: str) -> Outcome:
        assert "\n" not in text, "a batch line must not contain a raw newline"
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"{self.name} port died on {text[:300]!r}: {err[-2000:]}")
        out: dict[str, Any] = json.loads(line)
        if out["ok"]:
            return Outcome(ok=True, size=out["size"], sha256=out["sha256"])
        return Outcome(ok=False, error=out["error"])

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
        self.proc.wait(timeout=30)


def run_cli(command: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    """The plain CLI contract: recipe on stdin, the safetensors file on stdout."""
    return subprocess.run(command, input=data, capture_output=True, timeout=300)


def capabilities(command: list[str]) -> dict[str, Any]:
    out = subprocess.run([*command, "--capabilities"], capture_output=True, check=True, timeout=60)
    caps: dict[str, Any] = json.loads(out.stdout)
    return caps


def tensors_of(data: bytes) -> dict[str, tuple[dict[str, Any], bytes]]:
    """Parses a safetensors file: name -> (header entry, raw bytes)."""
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    return {
        name: (entry, body[entry["data_offsets"][0] : entry["data_offsets"][1]])
        for name, entry in header.items()
        if name != "__metadata__"
    }
