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
from collections.abc import Iterator, Mapping
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
from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS

ROOT = Path(__file__).resolve().parents[2]
C_PORT = ROOT / "ports" / "c" / "tensorseed-c"
JS_CLI = ROOT / "ports" / "js" / "cli.mjs"
CHUNK_ELEMENTS = 1 << 18


# ---- stream versions (spec section 13.1) ----
# Every recipe the suite compares is a Case: the JSON text the reference and the service read,
# and the version it means. A port is given a case only if it declares that version in its
# --capabilities ("spec_versions"); so each port is checked on every version it implements, and
# test_coverage.py fails while a port lags behind a version the service serves.


def with_spec(text: str, spec: str | None) -> str:
    """The recipe text with a ``"spec"`` member inserted first in its JSON object (a member the text
    itself names comes later and wins, since the last duplicate key counts); ``spec`` None, or a
    text that is not a JSON object, is returned unchanged."""
    if spec is None:
        return text
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith("{"):
        return text
    rest = stripped[1:]
    member = f'"spec":{json.dumps(spec)}'
    return "{" + member + ("" if rest.lstrip(" \t\r\n").startswith("}") else ",") + rest


def member(text: str, key: str) -> Any:
    """A top-level member of a recipe text (the last one of that name), or None when the text is
    not a JSON object or lacks it."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data.get(key) if isinstance(data, dict) else None


def named_spec(text: str) -> str | None:
    """The version a recipe text names itself, when it names a valid one (the last "spec" member)."""
    spec = member(text, "spec")
    return spec if spec in SPEC_VERSIONS else None


@dataclass(frozen=True)
class Case:
    """A recipe text as the reference reads it, and the version it means.

    ``spec`` is None when the text names its own version (possibly an invalid one: the spec field's
    own edge cases); such a text goes only to ports that read the field. ``bare`` is the same
    recipe without the inserted member, for a port from before v2 that reads no "spec" field and
    means its one version (v1) by every recipe; None when there is no such text."""

    text: str
    spec: str | None
    bare: str | None = None

    @property
    def id(self) -> str:
        """``v1``, ``v2`` (spec written), ``v2-default`` (left out) or ``own-spec``."""
        if self.spec is None or self.bare is None:
            return "own-spec"
        return "v" + self.spec.rsplit("/", 1)[1] + ("-default" if self.bare == self.text else "")


def case(text: str, spec: str | None, *, explicit: bool = True) -> Case:
    """The recipe ``text`` (which names no version) read as ``spec``: with the member inserted, or
    (``explicit`` False, only for the default version) left out, which means the same (13.1).
    ``spec`` None: the text names its version itself."""
    if spec is None:
        return Case(text, named_spec(text))
    if not explicit:
        assert spec == SPEC_VERSION, "only the default version may be meant by leaving spec out"
        return Case(text, spec, bare=text)
    return Case(with_spec(text, spec), spec, bare=text)


def cases_of(text: str) -> list[Case]:
    """A text that names no version, read as every version the service serves (the default both
    with ``spec`` written and left out)."""
    return [case(text, spec) for spec in SPEC_VERSIONS] + [case(text, SPEC_VERSION, explicit=False)]


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
        plan = build_plan(Recipe.model_validate(json.loads(text)))
        return b"".join(iter_file(plan, ReferenceBackend(), CHUNK_ELEMENTS))


def reference(text: str) -> Outcome:
    """The reference's outcome: the file's size and sha256, or the rejection it reports."""
    digest = hashlib.sha256()
    size = 0
    with quiet_overflow():
        try:
            plan = build_plan(Recipe.model_validate(json.loads(text)))
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
    data = json.loads(text)
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
    # An exported tensor gathered from several sources names their schemes joined by "+".
    if any(part in TOLERANCE_SCHEMES for t in plan.tensors for part in t.scheme.split("+")):
        return "tolerance"
    return None


def export_target(text: str) -> str | None:
    """The export target a recipe text names (section 18), if any."""
    target = member(text, "export")
    return target if isinstance(target, str) else None


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


def declared_versions(caps: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The stream versions a port declares, and whether it reads a recipe's "spec" field: ports that
    implement v2 list ``spec_versions``; a port from before v2 states only ``spec_version`` and reads
    every recipe as that version (it refuses a "spec" member as an unknown field, as v1 says)."""
    if "spec_versions" in caps:
        return tuple(caps["spec_versions"]), True
    return (caps["spec_version"],), False


class BatchPort:
    """One long-lived port process in --batch mode: a recipe line in, a result line out."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        caps = capabilities(command)
        self.versions, self.reads_spec = declared_versions(caps)
        #: The export targets (section 18) the port writes; it must refuse the others, naming export.
        self.exports: tuple[str, ...] = tuple(caps.get("exports", ()))
        self.proc = subprocess.Popen(
            [*command, "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
        )

    def text_for(self, case: Case) -> str | None:
        """What this port is given for a case; None when it does not implement the case's version."""
        if case.spec is None:
            return case.text if self.reads_spec else None
        if case.spec not in self.versions:
            return None
        return case.text if self.reads_spec else case.bare

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


def compare(case: Case, ports: Mapping[str, BatchPort]) -> Outcome:
    """Runs a case through the reference and every port that implements its version: each port
    must give the reference's file (size and sha256, header included) or reject it as the reference
    does, and must refuse, naming why, what the reference accepts but is not exact (tolerance-tier
    schemes, rng, model, an export target the port does not write). Returns the reference's
    outcome."""
    expected = reference(case.text)
    refusal = refusal_expected(case.text) if expected.ok else None
    for name, port in ports.items():
        text = port.text_for(case)
        if text is None:
            continue
        got = port.run(text)
        if refusal is not None:
            assert not got.ok and refusal in got.error, (name, case.text[:300], got)
            continue
        target = export_target(case.text)
        if expected.ok and target is not None and target not in port.exports:
            assert not got.ok and "export" in got.error, (name, case.text[:300], got)
            continue
        assert got.same_as(expected), (
            f"{name} differs from the reference for {case.id} recipe {case.text[:2000]}\n"
            f"reference: {expected}\n{name}: {got}"
        )
    return expected


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
