"""tensorseed-stream/1 stays frozen after v2 became the default: every committed v1 vector, pinned
with ``"spec": "tensorseed-stream/1"``, gives its committed file through the HTTP service (POST
/v1/weights, and a ``1.`` token URL) and the CLI, header included; ``1.`` tokens keep meaning v1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tensorseed.cli import main
from tensorseed.recipe.token import decode_token, encode_token
from tensorseed.stream import SPEC_V1, SPEC_V2

VECTOR_DIR = Path(__file__).parent / "vectors"
V1_CASES = [
    case
    for name in ("tensorseed-stream-1.json", "catalogue-tensorseed-stream-1.json")
    for case in json.loads((VECTOR_DIR / name).read_text(encoding="utf-8"))["cases"]
]
IDS = [case["name"] for case in V1_CASES]


def pinned(case: dict[str, Any]) -> dict[str, Any]:
    return {**case["recipe"], "spec": SPEC_V1}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as c:
        yield c


@pytest.mark.parametrize("case", V1_CASES, ids=IDS)
def test_service_serves_v1_bytes(client: TestClient, case: dict[str, Any]) -> None:
    r = client.post("/v1/weights", json=pinned(case))
    assert r.status_code == 200, r.text
    assert r.headers["x-tensorseed-spec"] == SPEC_V1
    assert hashlib.sha256(r.content).hexdigest() == case["file_sha256"]


@pytest.mark.parametrize("case", V1_CASES[:: max(1, len(V1_CASES) // 12)], ids=IDS[:: max(1, len(IDS) // 12)])
def test_v1_token_urls_serve_v1_bytes(client: TestClient, case: dict[str, Any]) -> None:
    created = client.post("/v1/recipes", json=pinned(case)).json()
    assert created["token"].startswith("1.") and created["spec_version"] == SPEC_V1
    # The canonical recipe is v1's own: no spec member, exactly as v1 wrote it.
    assert "spec" not in json.loads(created["canonical_recipe"])
    r = client.get(created["urls"]["weights"])
    assert r.status_code == 200
    assert r.headers["x-tensorseed-spec"] == SPEC_V1
    assert hashlib.sha256(r.content).hexdigest() == case["file_sha256"]


@pytest.mark.parametrize("case", V1_CASES, ids=IDS)
def test_cli_writes_v1_bytes(tmp_path: Path, case: dict[str, Any]) -> None:
    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps(pinned(case)), encoding="utf-8")
    out = tmp_path / "w.safetensors"
    assert main(["generate", str(recipe), "-o", str(out)]) == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == case["file_sha256"]


def test_a_token_from_before_v2_still_means_v1(client: TestClient) -> None:
    # What v1's service issued: its canonical recipe (no spec member) behind a "1." prefix.
    case = V1_CASES[0]
    v1_canonical = client.post("/v1/recipes", json=pinned(case)).json()["canonical_recipe"]
    token = encode_token(v1_canonical, SPEC_V1)
    assert decode_token(token, 8000, 1 << 20) == (v1_canonical, SPEC_V1)
    r = client.get(f"/v1/recipes/{token}/weights.safetensors")
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == case["file_sha256"]
    # The same canonical recipe behind a "2." prefix is a v2 recipe: other bytes, other ETag.
    v2 = client.get(f"/v1/recipes/{encode_token(v1_canonical, SPEC_V2)}/weights.safetensors")
    assert v2.status_code == 200 and v2.headers["x-tensorseed-spec"] == SPEC_V2
    assert v2.headers["etag"] != r.headers["etag"] and v2.content != r.content


def test_a_token_whose_recipe_contradicts_its_prefix_is_refused(client: TestClient) -> None:
    v2_canonical = client.post("/v1/recipes", json={**V1_CASES[0]["recipe"], "spec": SPEC_V2}).json()[
        "canonical_recipe"
    ]
    assert json.loads(v2_canonical)["spec"] == SPEC_V2
    r = client.get(f"/v1/recipes/{encode_token(v2_canonical, SPEC_V1)}")
    assert r.status_code == 400, r.text
    assert r.json()["error_type"] == "invalid_token" and "disagree" in r.json()["error"]
