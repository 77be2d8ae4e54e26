"""Random recipes through the reference, the HTTP service and both ports: same bytes or all reject.

600 random recipes per run (450 general, drawn from every exact scheme, convention, layer type and
dtype of the catalogue; 100 number literals; 50 name sets), compared as the sha256 and size of the
whole file, header included. Recipes the reference accepts but that use what the ports do not
implement (tolerance-tier schemes, layer defaults included) must be refused by both ports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.main import create_app
from app.settings import Settings
from tests.conformance.ports import BatchPort, Outcome, quiet_overflow, reference, refusal_expected
from tests.conformance.strategies import DTYPES, json_texts, names, number_literals, recipes

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
N_RECIPES, N_LITERALS, N_NAME_SETS = 450, 100, 50


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    # The service's finite-values policy is off: here it must accept exactly what the reference does.
    with TestClient(create_app(Settings(finite_values=False))) as c:
        yield c


def service(client: TestClient, text: str) -> Outcome:
    with quiet_overflow():
        r = client.post("/v1/weights", content=text.encode(), headers={"content-type": "application/json"})
    if r.status_code == 422:
        return Outcome(ok=False, error=r.text)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return Outcome(ok=True, size=len(r.content), sha256=hashlib.sha256(r.content).hexdigest())


def check(text: str, ports: dict[str, BatchPort], client: TestClient | None = None) -> Outcome:
    expected = reference(text)
    got = {name: port.run(text) for name, port in ports.items()}
    if client is not None:
        assert service(client, text).same_as(expected), f"the service differs from the reference for {text}"
    refusal = refusal_expected(text) if expected.ok else None
    for name, outcome in got.items():
        if refusal is not None:
            # Tolerance-tier schemes (and rng/model) are refused loudly, never approximated.
            assert not outcome.ok and refusal in outcome.error, (name, text, outcome)
            continue
        assert outcome.same_as(expected), (
            f"{name} differs from the reference for recipe {text}\nreference: {expected}\n{name}: {outcome}"
        )
    return expected


@settings(SETTINGS, max_examples=N_RECIPES)
@given(text=json_texts(recipes()))
def test_random_recipes_agree(text: str, batch_ports: dict[str, BatchPort], client: TestClient) -> None:
    check(text, batch_ports, client)


@settings(SETTINGS, max_examples=N_LITERALS)
@given(
    literal=number_literals(), dtype=st.sampled_from(DTYPES), field=st.sampled_from(["value", "a", "mean"])
)
def test_number_literals_agree(
    literal: str, dtype: str, field: str, batch_ports: dict[str, BatchPort]
) -> None:
    # The literal lands in the canonical recipe (RFC 8785 re-printing) and, for constants, in the
    # data; the ports must parse and round it exactly as the reference does.
    init = {
        "value": f'{{"scheme": "constant", "value": {literal}}}',
        "a": f'{{"scheme": "uniform", "a": {literal}, "b": 1e300}}',
        "mean": f'{{"scheme": "normal", "mean": {literal}, "std": 0.5}}',
    }[field]
    text = f'{{"seed": 7, "dtype": "{dtype}", "tensors": [{{"name": "x", "shape": [3], "init": {init}}}]}}'
    check(text, batch_ports)


@settings(SETTINGS, max_examples=N_NAME_SETS)
@given(tensor_names=st.lists(names, min_size=2, max_size=6, unique=True), ascii_only=st.booleans())
def test_name_order_agrees(
    tensor_names: list[str], ascii_only: bool, batch_ports: dict[str, BatchPort]
) -> None:
    # Tensors are ordered by UTF-16 code units; astral-plane characters (surrogate pairs D800-DBFF)
    # sort before U+E000-U+FFFF there, unlike in UTF-8 or code-point order.
    recipe = {
        "seed": "12345678901234567890",
        "tensors": [
            {"name": n, "shape": [i + 1], "init": {"scheme": "uniform", "a": -i, "b": i}}
            for i, n in enumerate(tensor_names)
        ],
    }
    check(json.dumps(recipe, ensure_ascii=ascii_only), batch_ports)
