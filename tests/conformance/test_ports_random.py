"""Random recipes through the reference, the HTTP service and both ports: same bytes or all reject.

600 random recipes per run (450 general, drawn from every exact scheme, convention, layer type and
dtype of the catalogue; 100 number literals; 50 name sets), compared as the sha256 and size of the
whole file, header included. Each draws its stream version too: tensorseed-stream/1 (``spec``
written), tensorseed-stream/2 written, or v2 by leaving ``spec`` out, a third each; every port is
given the recipes of the versions it declares. Recipes the reference accepts but that use what the
ports do not implement (tolerance-tier schemes, layer defaults included) must be refused by both
ports.
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
from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS
from tests.conformance.ports import BatchPort, Case, Outcome, case, compare, quiet_overflow
from tests.conformance.strategies import DTYPES, json_texts, names, number_literals, recipes

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
N_RECIPES, N_LITERALS, N_NAME_SETS = 450, 100, 50

#: v1 written, v2 written, v2 by default (spec left out).
VERSION_CHOICES = [*((spec, True) for spec in SPEC_VERSIONS), (SPEC_VERSION, False)]
versions = st.sampled_from(VERSION_CHOICES)


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


def check(c: Case, ports: dict[str, BatchPort], client: TestClient | None = None) -> Outcome:
    expected = compare(c, ports)
    if client is not None:
        assert service(client, c.text).same_as(expected), (
            f"the service differs from the reference for {c.text}"
        )
    return expected


@settings(SETTINGS, max_examples=N_RECIPES)
@given(text=json_texts(recipes()), version=versions)
def test_random_recipes_agree(
    text: str, version: tuple[str, bool], batch_ports: dict[str, BatchPort], client: TestClient
) -> None:
    check(case(text, version[0], explicit=version[1]), batch_ports, client)


@settings(SETTINGS, max_examples=N_LITERALS)
@given(
    literal=number_literals(),
    dtype=st.sampled_from(DTYPES),
    field=st.sampled_from(["value", "a", "mean"]),
    version=versions,
)
def test_number_literals_agree(
    literal: str, dtype: str, field: str, version: tuple[str, bool], batch_ports: dict[str, BatchPort]
) -> None:
    # The literal lands in the canonical recipe (RFC 8785 re-printing) and, for constants, in the
    # data; the ports must parse and round it exactly as the reference does.
    init = {
        "value": f'{{"scheme": "constant", "value": {literal}}}',
        "a": f'{{"scheme": "uniform", "a": {literal}, "b": 1e300}}',
        "mean": f'{{"scheme": "normal", "mean": {literal}, "std": 0.5}}',
    }[field]
    text = f'{{"seed": 7, "dtype": "{dtype}", "tensors": [{{"name": "x", "shape": [3], "init": {init}}}]}}'
    check(case(text, version[0], explicit=version[1]), batch_ports)


@settings(SETTINGS, max_examples=N_NAME_SETS)
@given(
    tensor_names=st.lists(names, min_size=2, max_size=6, unique=True),
    ascii_only=st.booleans(),
    version=versions,
)
def test_name_order_agrees(
    tensor_names: list[str], ascii_only: bool, version: tuple[str, bool], batch_ports: dict[str, BatchPort]
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
    check(case(json.dumps(recipe, ensure_ascii=ascii_only), version[0], explicit=version[1]), batch_ports)
