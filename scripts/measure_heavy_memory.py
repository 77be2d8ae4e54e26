"""Peak memory of the heavy computations, in multiples of what the engine declares for them.

Each case runs in a fresh process (peak RSS is per process): it plans a recipe, generates the
first element of one heavy tensor (which computes it whole) and prints the peak RSS growth over
the tensor's binary64 size (orthogonal: ``ORTHOGONAL_WORK_FACTOR`` is declared) or over its step's
bytes (torch-exact: ``TORCH_STEP_FACTOR``). Not a test: the numbers go into those constants.

    PYTHONPATH=. .venv/bin/python scripts/measure_heavy_memory.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys


def _tensor(shape: list[int], scheme: str, rng: str = "portable") -> dict[str, object]:
    return {"seed": 1, "rng": rng, "tensors": [{"name": "t", "shape": shape, "init": {"scheme": scheme}}]}


CASES = {
    "orthogonal 2048x2048": _tensor([2048, 2048], "orthogonal"),
    "orthogonal 4096x1024": _tensor([4096, 1024], "orthogonal"),
    "orthogonal 1024x4096": _tensor([1024, 4096], "orthogonal"),
    "torch linear 4096x4096": {
        "seed": 1, "rng": "torch",
        "layers": [{"type": "linear", "name": "fc", "in_features": 4096, "out_features": 4096}],
    },
    "torch trunc_normal 2^24": _tensor([16777216], "trunc_normal", "torch"),
    "torch orthogonal 2048x2048": _tensor([2048, 2048], "orthogonal", "torch"),
}  # fmt: skip


def measure(recipe: dict[str, object]) -> None:
    from tensorseed.engine.backend import ReferenceBackend
    from tensorseed.engine.demand import TORCH_STEP_FACTOR, torch_step_bytes
    from tensorseed.recipe.models import Recipe
    from tensorseed.recipe.plan import build_plan
    from tensorseed.stream.orthogonal import ORTHOGONAL_WORK_FACTOR

    plan = build_plan(Recipe.model_validate(recipe))
    tensor = max(plan.tensors, key=lambda t: t.numel)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    ReferenceBackend().fill(tensor, 0, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    if tensor.torch_draw is not None:
        unit = torch_step_bytes(plan.tensors, [tensor]) / TORCH_STEP_FACTOR
        declared = TORCH_STEP_FACTOR
    else:
        unit = 8 * tensor.numel
        declared = ORTHOGONAL_WORK_FACTOR
    print(
        json.dumps(
            {"peak_mib": round(peak / 2**20, 1), "factor": round(peak / unit, 2), "declared": declared}
        )
    )


def main() -> int:
    if len(sys.argv) == 2:
        measure(json.loads(sys.argv[1]))
        return 0
    for name, recipe in CASES.items():
        out = subprocess.run([sys.executable, __file__, json.dumps(recipe)], capture_output=True, text=True)
        print(f"{name:28s} {out.stdout.strip() or out.stderr.strip()[-300:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
