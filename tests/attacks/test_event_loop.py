"""Costly bodies are handled off the event loop: health answers within 200 ms meanwhile.

Each case of the issue's point 1 plus 1 MiB bodies of every long list a recipe has, sent
together to a real server while a prober asks /v2/health/live every 20 ms.
Every body gets its expected status (never a 5xx), and no health answer takes 200 ms or more.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.attacks.support import CostlyCase, assert_costly_bodies_answered_while_health_stays_fast
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

MIB = 1024 * 1024
TINY_GPT2 = {"n_layer": 200, "n_embd": 8, "n_head": 1, "vocab_size": 8, "n_positions": 8}


def _fill(template: dict[str, Any], key: str, item: Any, budget: int = MIB - 200) -> bytes:
    """A recipe whose list ``key`` repeats ``item`` as often as fits in about 1 MiB."""
    size = len(json.dumps(item)) + 2
    body = json.loads(json.dumps(template))
    target = body["model"] if key == "overrides" else body
    target[key] = [item] * (budget // size)
    raw = json.dumps(body).encode()
    assert MIB - 4096 < len(raw) <= MIB, len(raw)
    return raw


#: (name, path, body, expected status, needle in the error)
CASES: list[CostlyCase] = [
    # The 23 KB body: 500 copies of one override (tested once per name now).
    ("500 overrides", "/v1/recipes",
     {"seed": 1, "model": {"preset": "gpt2", "config": TINY_GPT2,
                           "overrides": [{"match": "*", "init": {"scheme": "zeros"}}] * 500}}, 200, ""),
    # 600 distinct patterns (each matching): refused once the planning work budget is spent.
    ("600 distinct overrides", "/v1/recipes",
     {"seed": 1, "model": {"preset": "gpt2", "config": TINY_GPT2,
                           "overrides": [{"match": form.format(i), "init": {"scheme": "zeros"}}
                                         for form in ("*h.{}.*", "*.{}.*", "*{}.mlp*") for i in range(200)]}},
     413, "TENSORSEED_MAX_PLAN_WORK"),
    # 72 bytes that expand to a million layers: refused at the tensor limit.
    ("n_layer 1e6", "/v1/recipes", {"seed": 1, "model": {"preset": "gpt2", "config": {"n_layer": 1000000}}},
     413, "10000 tensors"),
    ("1 MiB of tensors", "/v1/recipes",
     _fill({"seed": 1}, "tensors", {"name": "t", "shape": [1], "init": {"scheme": "zeros"}}), 422,
     "duplicate tensor name"),
    ("1 MiB of overrides", "/v1/recipes",
     _fill({"seed": 1, "model": {"preset": "gpt2", "config": TINY_GPT2}}, "overrides",
           {"match": "*.weight", "init": {"scheme": "zeros"}}), 200, ""),
    ("1 MiB of invalid layers", "/v1/stats",
     _fill({"seed": 1}, "layers", {"type": "linear", "name": "l", "in_features": 0, "out_features": 1}),
     422, "layers.0.linear.in_features"),
    ("1 MiB of nesting", "/v1/weights", b"[" * (MIB // 2) + b"]" * (MIB // 2), 400, "not valid JSON"),
    ("1 MiB config list", "/v1/recipes",
     b'{"seed": 1, "model": {"preset": "gpt2", "config": {"n_layer": [' + b"1," * (MIB // 2 - 100) + b'1]}}}',
     422, "n_layer must be of type integer"),
]  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # Every request comes from 127.0.0.1: no per-client cap here (tested in test_slots).
    with running_server({"TENSORSEED_MAX_JOBS_PER_CLIENT": "0", "TENSORSEED_MAX_QUEUED_JOBS": "32"}) as s:
        yield s


def test_costly_bodies_get_their_status_and_health_stays_under_200_ms(server: Server) -> None:
    assert_costly_bodies_answered_while_health_stays_fast(server.url, CASES)
