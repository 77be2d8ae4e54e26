"""API keys, rate limits, CORS, headers and the offline docs, in process."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.auth import ApiKeys, key_id
from app.main import create_app
from app.settings import Settings

KEY = "test-key-0123456789abcdef"
OTHER = "other-key-0123456789abcdef"
RECIPE = {"seed": 1, "tensors": [{"name": "t", "shape": [8], "init": {"scheme": "normal"}}]}


def keyed(**kw: object) -> TestClient:
    return TestClient(create_app(Settings(api_keys=[KEY, OTHER], **kw)))  # type: ignore[arg-type]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with keyed() as c:
        yield c


def test_v1_needs_a_key(client: TestClient) -> None:
    for method, path in (("POST", "/v1/weights"), ("POST", "/v1/stats"), ("GET", "/v1/schemes"),
                         ("GET", "/v1/recipes/1.abc"), ("POST", "/v1/recipes")):  # fmt: skip
        response = client.request(method, path, json=RECIPE)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == 'Bearer realm="tensorseed"'
        assert response.json()["error_type"] == "unauthorized"


def test_a_wrong_key_is_401_invalid_token(client: TestClient) -> None:
    for headers in (
        bearer("wrong-key-0123456789abcdef"),
        bearer(KEY + "x"),
        {"Authorization": f"Basic {KEY}"},
    ):
        response = client.post("/v1/weights", json=RECIPE, headers=headers)
        assert response.status_code == 401
    assert (
        'error="invalid_token"'
        in client.get("/v1/schemes", headers=bearer("nope")).headers["www-authenticate"]
    )


def test_the_right_key_is_served(client: TestClient) -> None:
    assert client.post("/v1/weights", json=RECIPE, headers=bearer(KEY)).status_code == 200
    assert client.get("/v1/schemes", headers=bearer(OTHER)).status_code == 200


def test_health_docs_and_metrics_stay_open(client: TestClient) -> None:
    for path in ("/v2/health/live", "/v2/health/ready", "/metrics", "/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_metrics_can_be_keyed() -> None:
    with keyed(metrics_auth=True) as c:
        assert c.get("/metrics").status_code == 401
        assert c.get("/metrics", headers=bearer(KEY)).status_code == 200
        assert c.get("/v2/health/live").status_code == 200


def test_keys_are_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with keyed() as c:
        c.post("/v1/weights", json=RECIPE, headers=bearer(KEY))
        c.post("/v1/weights", json=RECIPE, headers=bearer("leaked-secret-0123456789"))
    assert KEY not in caplog.text and "leaked-secret" not in caplog.text


def test_keys_file_is_read_and_reloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keys"
    path.write_text(f"# rotated monthly\n{KEY}\n\n")
    keys = ApiKeys([], str(path))
    assert keys.enabled and keys.identify(KEY) == key_id(KEY) and keys.identify(OTHER) is None
    path.write_text(OTHER + "\n")
    os.utime(path, (time.time() + 5, time.time() + 5))
    monkeypatch.setattr("app.auth.RELOAD_CHECK_S", 0.0)
    assert keys.enabled and keys.identify(OTHER) == key_id(OTHER) and keys.identify(KEY) is None
    assert not ApiKeys([], str(tmp_path / "absent")).enabled


def test_short_keys_and_required_auth_without_keys_refuse_to_start() -> None:
    with pytest.raises(ValueError, match="shorter than 16"):
        ApiKeys(["short"])
    with pytest.raises(ValueError, match="AUTH_REQUIRED"):
        create_app(Settings(auth_required=True))


def test_request_rate_limit_answers_429_with_retry_after() -> None:
    with keyed(rate_limit_requests=0.5, rate_limit_burst=2) as c:
        statuses = [c.get("/v1/schemes", headers=bearer(KEY)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = c.get("/v1/schemes", headers=bearer(KEY))
        assert limited.json()["error_type"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
        # Buckets are per key: the other key is not limited, and health never is.
        assert c.get("/v1/schemes", headers=bearer(OTHER)).status_code == 200
        assert c.get("/v2/health/live").status_code == 200


def test_generated_bytes_rate_limit_lets_one_file_through_then_waits() -> None:
    with keyed(rate_limit_bytes=1000, rate_limit_bytes_burst=100) as c:
        first = c.post("/v1/weights", json=RECIPE, headers=bearer(KEY))  # more than the burst: allowed
        assert first.status_code == 200
        second = c.post("/v1/weights", json=RECIPE, headers=bearer(KEY))  # the bucket is in debt
        assert second.status_code == 429 and second.json()["error_type"] == "rate_limited"
        assert int(second.headers["retry-after"]) >= 1


def test_cors_is_off_by_default_and_allows_only_configured_origins() -> None:
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}
    with keyed() as c:
        assert "access-control-allow-origin" not in c.options("/v1/weights", headers=preflight).headers
    with keyed(cors_origins=["https://app.example"]) as c:
        ok = c.options(
            "/v1/weights", headers={**preflight, "Access-Control-Request-Headers": "authorization"}
        )
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://app.example"
        evil = c.options("/v1/weights", headers={**preflight, "Origin": "https://evil.example"})
        assert evil.headers.get("access-control-allow-origin") is None
        real = c.get("/v1/schemes", headers={**bearer(KEY), "Origin": "https://app.example"})
        assert real.headers["access-control-allow-origin"] == "https://app.example"
        assert "etag" in real.headers["access-control-expose-headers"].lower()


def test_settings_read_comma_lists_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENSORSEED_API_KEYS", f"{KEY}, {OTHER}")
    monkeypatch.setenv("TENSORSEED_CORS_ORIGINS", "https://a.example,https://b.example")
    settings = Settings()
    assert settings.api_keys == [KEY, OTHER]
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert KEY not in repr(settings)


def test_docs_pages_use_only_local_assets(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        urls = re.findall(r"""(?:src|href|url)\s*[=:(]\s*['"]([^'"]+)['"]""", html)
        assert urls, page
        assert all(u.startswith("/") for u in urls), (page, urls)
        assert "fonts.googleapis" not in html and "cdn." not in html
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 100, url
    assert '"validatorUrl": null' in client.get("/docs").text


def test_every_response_says_nosniff_and_names_no_server(client: TestClient) -> None:
    for response in (client.get("/v2/health/live"), client.get("/v1/schemes"), client.get("/docs")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers
