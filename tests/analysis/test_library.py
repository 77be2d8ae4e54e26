"""tensorseed.propagation / compare_initializations: the library face of the analysis, and its examples."""

from __future__ import annotations

import doctest

import pytest
from fastapi.testclient import TestClient

import tensorseed
from tensorseed.analysis import library, propagation


@pytest.mark.parametrize("module", [library, propagation])
def test_the_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_the_library_answers_what_the_service_answers(client: TestClient) -> None:
    body = {"seed": 2, "width": 16, "depth": 3, "batch": 8, "activation": "tanh"}
    assert (
        tensorseed.propagation(body, bins=4)
        == client.post("/v1/propagation", params={"bins": 4}, json=body).json()
    )
    with pytest.raises(tensorseed.InvalidRecipe) as info:
        tensorseed.compare_initializations({"seed": 1, "width": 8, "depth": 2, "schemes": []})
    assert info.value.details[0]["loc"] == "schemes"
