"""The JavaScript port on both stream versions (issue 13): tensorseed-stream/2 by default, v1 when
a recipe names it, against the reference run as a black box on the very same JSON text.

The shared suite (ports.py, test_ports_*.py) feeds the ports v1 recipes until its transition
switch flips; this file checks what the JavaScript port does with recipe text as the service
reads it: the committed vectors of both versions, random recipes of every version, scheme,
dtype, convention and layer type, the far tails and saturated scalars of the binary32 samplers,
the version field's refusals, and the worked examples of docs/stream-spec.md section 17.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tensorseed.engine.backend import KernelBackend, ReferenceBackend
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tests.conformance.ports import (
    CHUNK_ELEMENTS,
    JS_CLI,
    ROOT,
    TOLERANCE_SCHEMES,
    BatchPort,
    Outcome,
    capabilities,
    node,
    quiet_overflow,
    run_cli,
    tensors_of,
)
from tests.conformance.strategies import json_texts, parameters_of, recipes

V1, V2 = "tensorseed-stream/1", "tensorseed-stream/2"
N_RANDOM = 150


@pytest.fixture(scope="module")
def js() -> Iterator[BatchPort]:
    port = BatchPort("js", [node(), str(JS_CLI)])
    yield port
    port.close()


def plan_of(text: str) -> Any:
    return build_plan(Recipe.model_validate(json.loads(text)))


def reference(text: str) -> Outcome:
    """The reference's outcome for the text exactly as written (no version inserted)."""
    digest = hashlib.sha256()
    size = 0
    with quiet_overflow():
        try:
            for chunk in iter_file(plan_of(text), ReferenceBackend(), CHUNK_ELEMENTS):
                digest.update(chunk)
                size += len(chunk)
        except (ValidationError, RecipeError, json.JSONDecodeError) as exc:
            return Outcome(ok=False, error=str(exc))
    return Outcome(ok=True, size=size, sha256=digest.hexdigest())


def needs_tolerance(text: str) -> bool:
    """True when the reference accepts the recipe but it holds a tolerance-tier (QR) tensor."""
    return any(t.scheme in TOLERANCE_SCHEMES for t in plan_of(text).tensors)


def agree(js: BatchPort, text: str) -> Outcome:
    """The port gives the reference's file, or refuses what the reference refuses, or refuses a
    tolerance-tier recipe loudly."""
    expected = reference(text)
    got = js.run(text)
    if expected.ok and needs_tolerance(text):
        assert not got.ok and "tolerance" in got.error, (text, got)
        return expected
    assert got.same_as(expected), (
        f"js differs from the reference for {text}\nreference: {expected}\njs: {got}"
    )
    return expected


def with_spec(recipe: dict[str, Any], spec: str) -> dict[str, Any]:
    return {"spec": spec, **recipe}


# ---- committed vectors ----------------------------------------------------------------------

VECTORS_DIR = ROOT / "tests" / "conformance" / "vectors"


def load_vectors() -> list[dict[str, Any]]:
    """Every committed case of every version: {"id", "spec", "text", "file_sha256", "tensors"}.
    A case's recipe means the version it names, else its file's; the recipes of v1's files predate
    the spec field, so their text names v1 (13.3: the file is the same with or without it)."""
    vectors = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            recipe = case["recipe"]
            spec = recipe.get("spec", data["spec_version"])
            if spec == V1 and "spec" not in recipe:
                recipe = with_spec(recipe, V1)
            vectors.append(
                {
                    "id": f"{path.stem}:{case['name']}",
                    "spec": spec,
                    "text": json.dumps(recipe, ensure_ascii=False),
                    "file_sha256": case["file_sha256"],
                    "tensors": {name: t["sha256"] for name, t in case["tensors"].items()},
                }
            )
    return vectors


VECTORS = load_vectors()


def exact_overrides(recipe: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The recipe with every tolerance-tier layer default (Keras/Flax orthogonal recurrent kernels)
    overridden by zeros, and the names of the tensors so replaced."""
    recipe = json.loads(json.dumps(recipe))
    replaced: set[str] = set()
    convention = recipe.get("convention", "torch")
    for layer in recipe.get("layers", []):
        params = parameters_of(layer, layer.get("convention") or convention)
        for p in params:
            written = (layer.get("init") or {}).get(p.suffix)
            if p.default.scheme in TOLERANCE_SCHEMES and written is None:
                layer.setdefault("init", {})
                layer["init"] = dict(layer["init"] or {}, **{p.suffix: {"scheme": "zeros"}})
                replaced.add(f"{layer['name']}.{p.suffix}")
    return recipe, replaced


@pytest.mark.parametrize("vector", [pytest.param(v, id=v["id"]) for v in VECTORS])
def test_committed_vector(vector: dict[str, Any]) -> None:
    text = vector["text"]
    out = run_cli([node(), str(JS_CLI)], text.encode())
    if out.returncode == 0:
        assert hashlib.sha256(out.stdout).hexdigest() == vector["file_sha256"], "whole file differs"
        return
    # Keras and Flax recurrent kernels default to orthogonal (QR): refused loudly. Every other
    # tensor of the vector must still match once those kernels are overridden (a tensor's bytes
    # depend only on its own name, shape, dtype and init).
    assert out.returncode == 2 and not out.stdout and b"tolerance" in out.stderr, out.stderr
    recipe, replaced = exact_overrides(json.loads(text))
    assert replaced
    out = run_cli([node(), str(JS_CLI)], json.dumps(recipe, ensure_ascii=False).encode())
    assert out.returncode == 0, out.stderr
    tensors = tensors_of(out.stdout)
    compared = 0
    for name, sha in vector["tensors"].items():
        if name not in replaced:
            assert hashlib.sha256(tensors[name][1]).hexdigest() == sha, f"tensor {name!r} differs"
            compared += 1
    assert compared > 0


def test_v1_named_gives_the_v1_file() -> None:
    # A v1 vector's recipe with "spec": "tensorseed-stream/1" written gives the committed file,
    # made before the field existed: its header names tensorseed-stream/1 and its canonical
    # recipe has no "spec" (13.3).
    vector = next(v for v in VECTORS if v["id"].startswith("tensorseed-stream-1:"))
    out = run_cli([node(), str(JS_CLI)], vector["text"].encode())
    assert out.returncode == 0 and hashlib.sha256(out.stdout).hexdigest() == vector["file_sha256"]
    header = json.loads(out.stdout[8 : 8 + int.from_bytes(out.stdout[:8], "little")])
    assert header["__metadata__"]["tensorseed.spec"] == V1
    assert "spec" not in json.loads(header["__metadata__"]["tensorseed.recipe"])


@pytest.mark.parametrize("spec", [None, V2])
def test_v2_canonical_recipe_names_the_version(spec: str | None) -> None:
    recipe: dict[str, Any] = {"seed": 7, "tensors": [{"name": "t", "shape": [3], "init": {"scheme": "ones"}}]}
    if spec:
        recipe["spec"] = spec
    out = run_cli([node(), str(JS_CLI)], json.dumps(recipe).encode())
    assert out.returncode == 0, out.stderr
    header = json.loads(out.stdout[8 : 8 + int.from_bytes(out.stdout[:8], "little")])
    # The example of section 13.3, byte for byte.
    assert header["__metadata__"]["tensorseed.recipe"] == (
        '{"seed":"7","spec":"tensorseed-stream/2","tensors":[{"init":{"scheme":"ones"},"name":"t","shape":[3]}]}'
    )
    assert header["__metadata__"]["tensorseed.spec"] == V2


# ---- the version field ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["null", '"tensorseed-stream/3"', '"tensorseed-stream/0"', '""', "2", '"TENSORSEED-STREAM/2"', "[]"],
)
def test_unknown_versions_are_refused(value: str) -> None:
    text = (
        '{"seed": 1, "spec": '
        + value
        + ', "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "normal"}}]}'
    )
    assert not reference(text).ok
    out = run_cli([node(), str(JS_CLI)], text.encode())
    assert out.returncode == 2 and not out.stdout
    message = out.stderr.decode()
    assert "spec" in message and V1 in message and V2 in message, message


def test_capabilities_list_both_versions() -> None:
    caps = capabilities([node(), str(JS_CLI)])
    assert caps["spec_versions"] == [V1, V2]
    assert caps["spec_version"] == V2


# ---- random recipes of both versions ---------------------------------------------------------

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@st.composite
def versioned_recipes(draw: st.DrawFn) -> dict[str, Any]:
    recipe = draw(recipes())
    choice = draw(st.integers(0, 19))
    if choice < 7:
        return recipe  # v2 by default
    if choice < 10:
        return with_spec(recipe, V2)
    if choice < 19:
        return with_spec(recipe, V1)
    return with_spec(recipe, draw(st.sampled_from([None, "tensorseed-stream/3", 1])))


@settings(SETTINGS, max_examples=N_RANDOM)
@given(text=json_texts(versioned_recipes()))
def test_random_recipes_agree(text: str, js: BatchPort) -> None:
    outcome = agree(js, text)
    spec = json.loads(text).get("spec", "absent")
    event(f"spec {spec}: {'file' if outcome.ok else 'refused'}")


# ---- the binary32 samplers' edges ----------------------------------------------------------------

DTYPES = ["float32", "float16", "bfloat16", "float64"]


def tensor(name: str, shape: list[int], init: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "shape": shape, "init": init}


def tn(a: float, b: float, **extra: float) -> dict[str, Any]:
    return {"scheme": "truncated_normal", "a": a, "b": b, **extra}


EDGE_TENSORS: list[dict[str, Any]] = [
    # Far tails (section 15.3): one-sided both ways, Phi below binary32 and below binary64's normals.
    tensor("tail.5_6", [3000], tn(5, 6, std=1)),
    tensor("tail.m6_m5", [3000], tn(-6, -5, std=1)),
    tensor("tail.8_30", [3000], tn(8, 30, std=1)),
    tensor("tail.m30_m8", [3000], tn(-30, -8, std=1)),
    tensor("tail.14_15", [3000], tn(14, 15, std=1)),
    tensor("tail.30_37", [3000], tn(30, 37, std=1)),
    tensor("tail.m37_m30", [3000], tn(-37, -30, std=1)),
    tensor("tail.37_375", [500], tn(37, 37.5, std=1)),
    tensor("tail.0_1e-6", [500], tn(0, 1e-6, std=1)),
    tensor("tail.m1_6", [3000], tn(-1, 6, std=1)),
    tensor("tail.m100_100", [3000], tn(-100, 100, std=1)),
    tensor("tail.m2_2", [3000], tn(-2, 2, std=1)),
    tensor("tail.abs", [3000], {"scheme": "trunc_normal", "mean": 1, "std": 0.25, "a": 2.5, "b": 2.75}),
    # Saturated scalars (r32): huge std and mean, uniform widths beyond binary32.
    tensor("huge.normal", [2000], {"scheme": "normal", "std": 1e300}),
    tensor("huge.normal_mean", [2000], {"scheme": "normal", "mean": -1e39, "std": 1e38}),
    tensor("huge.normal_small", [2000], {"scheme": "normal", "std": 1e-45}),
    tensor(
        "huge.trunc", [2000], {"scheme": "trunc_normal", "mean": 0, "std": 1e300, "a": -1e300, "b": 1e300}
    ),
    tensor("huge.trunc_std", [2000], tn(-0.2, 0.1, std=1e39, mean=2)),  # S saturates to 7f7fffff
    tensor("uniform.over", [2000], {"scheme": "uniform", "a": -3e38, "b": 3e38}),
    tensor("uniform.edge", [2000], {"scheme": "uniform", "a": -1.7014118e38, "b": 1.7014118e38}),
    tensor(
        "uniform.max", [2000], {"scheme": "uniform", "a": -3.4028234663852886e38, "b": 3.4028234663852886e38}
    ),
    tensor("uniform.tiny", [2000], {"scheme": "uniform", "a": 1e-40, "b": 3e-40}),
    tensor("uniform.point", [100], {"scheme": "uniform", "a": 0.1, "b": 0.1}),
    tensor("normal.zero_std", [100], {"scheme": "normal", "mean": 0, "std": 0}),
    tensor("sparse", [40, 30], {"scheme": "sparse", "sparsity": 0.3, "std": 0.7}),
    tensor("sparse.zero_std", [10, 10], {"scheme": "sparse", "sparsity": 0.3, "std": 0}),
]


@pytest.mark.parametrize("spec", [V2, V1])
@pytest.mark.parametrize("dtype", DTYPES)
def test_sampler_edges(dtype: str, spec: str, js: BatchPort) -> None:
    # Each tensor alone, so a refusal (a bound outside the dtype) is compared for that tensor only.
    accepted = 0
    for t in EDGE_TENSORS:
        accepted += agree(js, json.dumps({"seed": 11, "spec": spec, "dtype": dtype, "tensors": [t]})).ok
    # Only bounds outside the dtype's range are refused (at most 5 of them, in float16).
    assert accepted >= len(EDGE_TENSORS) - 5


def test_long_normals_draw_tail_words(js: BatchPort) -> None:
    # 2^20 words hold about 4096 tail words (k < 2^23) and several chunks of the port.
    for dtype in ("float32", "bfloat16"):
        for init in ({"scheme": "normal", "mean": 0.5, "std": 2}, tn(-2, 2, std=0.02), tn(0.5, 1, std=1)):
            out = agree(
                js, json.dumps({"seed": 3, "dtype": dtype, "tensors": [tensor("t", [1024, 1024], init)]})
            )
            assert out.ok


@pytest.mark.parametrize("dtype", DTYPES)
def test_v2_layer_conventions(dtype: str, js: BatchPort) -> None:
    # Section 13.5: Keras attention kernels' fans from the einsum axes, Flax batch_stats float32.
    layers = [
        {"type": "multihead_attention", "name": "mha", "embed_dim": 12, "num_heads": 3, "kdim": 5, "vdim": 7},
        {"type": "batch_norm2d", "name": "bn", "num_features": 5},
        {
            "type": "batch_norm1d",
            "name": "bn2",
            "num_features": 4,
            "init": {"mean": {"scheme": "normal"}, "var": {"scheme": "uniform", "a": -1e39, "b": 1e39}},
        },
    ]
    for convention in ("keras", "flax", "jax", "torch"):
        for spec in (V2, V1):
            for layer in layers:
                recipe = {
                    "seed": 9,
                    "spec": spec,
                    "dtype": dtype,
                    "convention": convention,
                    "layers": [layer],
                }
                agree(js, json.dumps(recipe))


# ---- the worked examples of section 17, function by function ---------------------------------

WORKED = """
import { log2f, normal32, tail, bits32 } from './ports/js/binary32.mjs';
const h = (x) => bits32(x).toString(16).padStart(8, '0');
console.log(JSON.stringify({
  log2f: [h(log2f(0.75)), h(log2f(3))],
  normal32: [0x8f3a2b1c, 0x00123456, 0x7fffffff].map((w) => h(normal32(w))),
  tail33: h(tail(33)),
}));
"""


def test_worked_examples() -> None:
    out = subprocess.run(
        [node(), "--input-type=module", "-e", WORKED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {
        "log2f": ["bed47fcc", "3fcae00d"],
        "normal32": ["3fc791fa", "c05cf4a9", "b3a06c99"],
        "tail33": "40cad08d",
    }


# ---- the batch fast paths against the readable definitions --------------------------------------


def test_fast_paths_equal_the_readable_definitions() -> None:
    # Every central input Normal32 produces, every tail word, and truncated normals of every kind
    # (js_fast_paths.mjs exits 1 on the first difference).
    out = subprocess.run(
        [node(), str(ROOT / "tests" / "conformance" / "js_fast_paths.mjs")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    counts = json.loads(out.stdout)
    assert counts["central"] == 2**23 - 2**15 + 1 + 2 + 3 + 5 + 7
    assert counts["normal32"] > 2**23 and counts["trunc_normal32"] > 0


# ---- signed zeros at the clamps ---------------------------------------------------------------


@pytest.mark.parametrize("spec", [V1, V2])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clamps_keep_positive_zero(spec: str, dtype: str) -> None:
    # Section 14.1 (and v1's TruncNormal): max(a, b) = (a >= b) ? a : b, so a value +0 clamped by
    # a bound -0 (low = -0.0) stays +0; with mean 0 no element can be -0. About one element in
    # 20 is exactly 0 here. (The numpy reference, tensorseed's ReferenceBackend, writes -0.0 for
    # them; the compiled kernel, which the CLI and the service use, writes +0.)
    text = json.dumps(
        {
            "seed": 1,
            "spec": spec,
            "dtype": dtype,
            "tensors": [
                tensor("t", [10000], {"scheme": "trunc_normal", "mean": 0, "std": 1, "a": -0.0, "b": 2.6e-15})
            ],
        }
    )
    out = run_cli([node(), str(JS_CLI)], text.encode())
    assert out.returncode == 0, out.stderr
    data = tensors_of(out.stdout)["t"][1]
    size = 8 if dtype == "float64" else 4
    items = [data[i : i + size] for i in range(0, len(data), size)]
    zeros = sum(1 for x in items if x == bytes(size))
    negative_zeros = sum(1 for x in items if x == bytes(size - 1) + b"\x80")
    assert zeros > 100 and negative_zeros == 0
    try:
        backend = KernelBackend(1)
    except RuntimeError:  # the compiled kernel is not built here
        return
    with quiet_overflow():
        kernel_file = b"".join(iter_file(plan_of(text), backend, CHUNK_ELEMENTS))
    assert out.stdout == kernel_file
