"""The library versions GET /v1/schemes says the conventions follow are the ones installed and
tested here (so a dependency upgrade that changes them fails until the catalogue says so)."""

from __future__ import annotations

import flax
import jax
import keras
import torch
from fastapi.testclient import TestClient


def test_schemes_state_the_library_versions_the_conventions_follow(client: TestClient) -> None:
    body = client.get("/v1/schemes").json()
    minor = lambda version: ".".join(version.split(".")[:2])  # noqa: E731
    assert body["library_versions"]["keras"] == minor(keras.__version__)
    assert body["library_versions"]["torch"] == minor(torch.__version__)
    assert body["library_versions"]["jax"] == minor(jax.__version__)
    assert body["library_versions"]["flax"].startswith(minor(flax.__version__) + " ")
    assert body["exports"] == ["torch", "keras", "flax"]
