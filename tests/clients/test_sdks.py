"""The generated SDKs (clients/python, clients/typescript) against a real uvicorn process.

The server has one job slot and no queue (TENSORSEED_MAX_ACTIVE_JOBS=1, MAX_QUEUED_JOBS=0), so
holding one download open makes the next job a 429.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Server, running_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python"))

from tensorseed_client import Client  # noqa: E402 (after the sys.path line)
from tensorseed_client.api.recipes import create_recipe, get_recipe_stats, get_recipe_weights  # noqa: E402
from tensorseed_client.api.weights import generate_weights  # noqa: E402
from tensorseed_client.errors import ErrorStatus  # noqa: E402
from tensorseed_client.models import ErrorBody, Recipe, RecipeResource, StatsResponse  # noqa: E402

pytestmark = pytest.mark.server

TS = ROOT / "clients" / "typescript"
RECIPE: dict[str, Any] = {
    "seed": "18446744073709551615",
    "dtype": "float16",
    "layers": [{"type": "linear", "name": "fc", "in_features": 300, "out_features": 200}],
    "tensors": [{"name": "scale", "shape": [64], "init": {"scheme": "constant", "value": 0.5}}],
}
LARGE: dict[str, Any] = {
    "seed": 1,
    "tensors": [{"name": "big", "shape": [16, 1024, 1024], "init": {"scheme": "ones"}}],
}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server({"TENSORSEED_MAX_ACTIVE_JOBS": "1", "TENSORSEED_MAX_QUEUED_JOBS": "0"}) as s:
        yield s


@pytest.fixture
def client(server: Server) -> Iterator[Client]:
    with Client(base_url=server.url, timeout=httpx.Timeout(60.0), raise_on_unexpected_status=True) as c:
        yield c


def create(client: Client, recipe: dict[str, Any]) -> RecipeResource:
    response = create_recipe.sync_detailed(client=client, body=Recipe.from_dict(recipe))
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, RecipeResource)
    return response.parsed


def wait_until_idle(client: Client, token: str) -> None:
    """A released slot is freed when the server notices the closed connection: wait for it."""
    deadline = time.monotonic() + 10
    while get_recipe_stats.sync_detailed(token, client=client, bins=1).status_code == 429:
        assert time.monotonic() < deadline, "the held slot was never released"
        time.sleep(0.05)


def test_python_sdk_create_stats_and_streamed_download_agree(client: Client) -> None:
    info = create(client, RECIPE)
    assert info.spec_version == "tensorseed-stream/2"
    assert [t.name for t in info.tensors] == ["fc.bias", "fc.weight", "scale"]
    stats = get_recipe_stats.sync(info.token, client=client, bins=4)
    assert isinstance(stats, StatsResponse) and stats.seed == "18446744073709551615"
    # stream_detailed (generated from clients/python-templates) leaves the body unread, so it
    # is hashed chunk by chunk and never held whole.
    digests: dict[str, Any] = {t.name: hashlib.sha256() for t in info.tensors}
    spans = [(t.begin, t.end, digests[t.name]) for t in info.tensors]
    pos = chunks = 0
    with get_recipe_weights.stream_detailed(info.token, client=client) as response:
        assert response.status_code == 200 and response.headers["etag"] == info.etag
        for chunk in response.iter_bytes(16384):
            chunks += 1
            for begin, end, digest in spans:
                lo, hi = max(begin, pos), min(end, pos + len(chunk))
                if lo < hi:
                    digest.update(chunk[lo - pos : hi - pos])
            pos += len(chunk)
    assert pos == info.size and chunks > 1
    assert {t.name: t.sha256 for t in stats.tensors} == {n: d.hexdigest() for n, d in digests.items()}


def test_python_sdk_invalid_recipe_is_a_typed_422(client: Client) -> None:
    bad = Recipe.from_dict({"seed": 1, "tensors": [{"name": "t", "shape": [0], "init": {"scheme": "ones"}}]})
    response = create_recipe.sync_detailed(client=client, body=bad)
    assert response.status_code == 422
    assert isinstance(response.parsed, ErrorBody)
    assert response.parsed.error_type == "validation_error" and "tensors.0.shape.0" in response.parsed.error


def test_python_sdk_streamed_errors_are_typed(client: Client) -> None:
    info = create(client, RECIPE)
    with (
        pytest.raises(ErrorStatus) as caught,
        get_recipe_weights.stream_detailed(info.token, client=client, range_=f"bytes={info.size}-"),
    ):
        pytest.fail("an unsatisfiable range must not yield a body")
    assert caught.value.status_code == 416
    assert int(caught.value.response.status_code) == 416
    bad = Recipe.from_dict({"seed": 1, "tensors": [{"name": "t", "shape": [-1], "init": {"scheme": "ones"}}]})
    with pytest.raises(ErrorStatus) as caught, generate_weights.stream_detailed(client=client, body=bad):
        pytest.fail("an invalid recipe must not yield a body")
    assert caught.value.status_code == 422
    parsed = caught.value.response.parsed
    assert isinstance(parsed, ErrorBody) and parsed.error_type == "validation_error"
    # A satisfiable range streams as 206 with exactly the asked bytes.
    with get_recipe_weights.stream_detailed(info.token, client=client, range_="bytes=8-15") as part:
        assert part.status_code == 206 and len(b"".join(part.iter_bytes())) == 8


def test_python_sdk_busy_server_is_a_typed_429(client: Client) -> None:
    info, big = create(client, RECIPE), create(client, LARGE)
    with get_recipe_weights.stream_detailed(big.token, client=client) as held:
        assert held.status_code == 200
        # Keep the iterator: dropping it would close the connection and free the slot.
        chunks = held.iter_bytes(65536)
        next(chunks)  # the download is under way and holds the only slot
        response = get_recipe_stats.sync_detailed(info.token, client=client)
        assert response.status_code == 429
        assert isinstance(response.parsed, ErrorBody) and response.parsed.error_type == "over_capacity"
        assert int(response.headers["retry-after"]) >= 1
    wait_until_idle(client, info.token)


def test_typescript_sdk_under_node_test(server: Server, client: Client) -> None:
    node, npx = shutil.which("node"), shutil.which("npx")
    assert node and npx, "Node.js 20+ is needed for the TypeScript SDK tests"
    assert (TS / "node_modules" / ".bin" / "tsc").exists(), (
        "run 'npm ci' in clients/typescript (make unit does)"
    )
    subprocess.run([str(TS / "node_modules" / ".bin" / "tsc"), "-p", str(TS)], check=True, cwd=TS)
    wait_until_idle(client, create(client, RECIPE).token)
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "dist/test/sdk.test.js"],
        cwd=TS, env={**os.environ, "TENSORSEED_URL": server.url}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 4" in result.stdout and "# fail 0" in result.stdout


# ---- authentication: a server with API keys, both SDKs and `tensorseed pull` ----

API_KEY = "sdk-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[Server]:
    with running_server({"TENSORSEED_API_KEYS": API_KEY}) as s:
        yield s


def test_python_sdk_authenticates(keyed_server: Server) -> None:
    from tensorseed_client import AuthenticatedClient

    with Client(base_url=keyed_server.url, timeout=httpx.Timeout(60.0)) as anonymous:
        refused = create_recipe.sync_detailed(client=anonymous, body=Recipe.from_dict(RECIPE))  # type: ignore[arg-type]
        assert refused.status_code == 401
        assert isinstance(refused.parsed, ErrorBody) and refused.parsed.error_type == "unauthorized"
    with AuthenticatedClient(base_url=keyed_server.url, token="wrong-key-0123456789abcdef") as wrong:
        assert create_recipe.sync_detailed(client=wrong, body=Recipe.from_dict(RECIPE)).status_code == 401
    with AuthenticatedClient(base_url=keyed_server.url, token=API_KEY, timeout=httpx.Timeout(60.0)) as keyed:
        info = create(keyed, RECIPE)  # type: ignore[arg-type]
        with get_recipe_weights.stream_detailed(info.token, client=keyed) as response:
            assert response.status_code == 200 and sum(len(c) for c in response.iter_bytes()) == info.size


def test_typescript_sdk_authenticates_under_node(keyed_server: Server) -> None:
    node = shutil.which("node")
    assert node, "Node.js 20+ is needed for the TypeScript SDK tests"
    subprocess.run([str(TS / "node_modules" / ".bin" / "tsc"), "-p", str(TS)], check=True, cwd=TS)
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "dist/test/auth.test.js"],
        cwd=TS, capture_output=True, text=True, timeout=300,
        env={**os.environ, "TENSORSEED_AUTH_URL": keyed_server.url, "TENSORSEED_API_KEY": API_KEY},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 2" in result.stdout and "# fail 0" in result.stdout


def test_pull_authenticates_with_the_option_or_the_variable(keyed_server: Server, tmp_path: Path) -> None:
    recipe = tmp_path / "r.json"
    recipe.write_text(json.dumps(RECIPE))
    command = [
        sys.executable,
        "-m",
        "tensorseed.cli",
        "pull",
        str(recipe),
        "--server",
        keyed_server.url,
        "-q",
    ]
    env = {k: v for k, v in os.environ.items() if k != "TENSORSEED_API_KEY"} | {"PYTHONPATH": str(ROOT)}
    refused = subprocess.run([*command, "-o", str(tmp_path / "a.safetensors")], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 1 and "API key" in refused.stderr
    by_option = subprocess.run([*command, "-o", str(tmp_path / "b.safetensors"), "--api-key", API_KEY],
                               env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert by_option.returncode == 0, by_option.stderr
    by_variable = subprocess.run([*command, "-o", str(tmp_path / "c.safetensors")],
                                 env={**env, "TENSORSEED_API_KEY": API_KEY}, capture_output=True, text=True,
                                 timeout=120)  # fmt: skip
    assert by_variable.returncode == 0, by_variable.stderr
    assert (tmp_path / "b.safetensors").read_bytes() == (tmp_path / "c.safetensors").read_bytes()
