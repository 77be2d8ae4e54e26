"""POST /v1/propagation, /compare and the picture routes: shapes, errors located at the field, images."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api.analysis_schemas import CompareResponse, PropagationResponse
from app.main import create_app
from app.settings import Settings

HE = {"weight": {"scheme": "kaiming_normal", "nonlinearity": "relu"}}
SMALL = {"seed": 5, "width": 32, "depth": 6, "batch": 16, "init": HE}


def test_propagation_reports_every_layer_with_the_mean_field(client: TestClient) -> None:
    r = client.post("/v1/propagation", params={"bins": 8}, json=SMALL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["network"]["widths"] == [32] * 7 and body["network"]["depth"] == 6
    assert [e["index"] for e in body["layers"]] == [1, 2, 3, 4, 5, 6]
    first = body["layers"][0]
    assert len(first["activation"]["histogram"]["counts"]) == 8
    assert sum(first["activation"]["histogram"]["counts"]) == 16 * 32
    assert first["expected"]["preactivation_std"] > 0 and first["fan_in"] == 32
    assert body["verdict"]["forward"]["state"] == "stable"
    # the equivalent recipe is a recipe the service takes, holding the input and gradient too
    weights = client.post("/v1/weights", json=body["recipe"])
    assert weights.status_code == 200 and b'"input"' in weights.content[:4096]


def test_compare_defaults_to_the_eight_schemes(client: TestClient) -> None:
    r = client.post("/v1/propagation/compare", json={"seed": 1, "width": 32, "depth": 8, "batch": 8})
    assert r.status_code == 200, r.text
    labels = [s["label"] for s in r.json()["results"]]
    assert labels == ["zeros", "ones", "U(-1, 1)", "U(+-1/sqrt(n))", "N(0, 1)", "Xavier", "He", "LeCun"]
    assert all(s["layers"][0]["activation"]["histogram"] is None for s in r.json()["results"])


def test_errors_name_the_field(client: TestClient) -> None:
    cases = [
        ({**SMALL, "activation": "swish"}, 422, "activation"),
        ({**SMALL, "widths": [4, 4]}, 422, "widths"),
        ({**SMALL, "init": {"weight": {"scheme": "dirac"}}}, 422, "init"),
        ({**SMALL, "norm_init": {"gamma": {"scheme": "ones"}}, "norm": "layer_norm"}, 422, "norm_init"),
        ({**SMALL, "band": [2, 3]}, 422, "band"),
        ({**SMALL, "extra": 1}, 422, "extra"),
        ({**SMALL, "depth": 100_000}, 413, "depth"),
        ({**SMALL, "batch": 10**9}, 413, "batch"),
        ({**SMALL, "layer": "conv2d", "input_size": [4096, 4096]}, 413, "batch"),
        ({**SMALL, "layer": "conv1d", "input_size": [8], "kernel_size": 100_000}, 413, "width"),
    ]
    for body, status, where in cases:
        r = client.post("/v1/propagation", json=body)
        assert r.status_code == status, (body, r.text)
        details = r.json()["details"]
        assert any(d["loc"].startswith(where) for d in details), (where, details)


def test_bins_and_schemes_are_bounded(client: TestClient) -> None:
    assert client.post("/v1/propagation", params={"bins": 10**6}, json=SMALL).status_code == 422
    schemes = [{"label": f"s{i}", "init": HE} for i in range(17)]
    r = client.post("/v1/propagation/compare", json={"seed": 1, "width": 8, "depth": 2, "schemes": schemes})
    assert r.status_code == 413 and r.json()["error_type"] == "limit_exceeded"
    dup = [{"label": "a", "init": HE}, {"label": "a", "init": HE}]
    assert (
        client.post(
            "/v1/propagation/compare", json={"seed": 1, "width": 8, "depth": 2, "schemes": dup}
        ).status_code
        == 422
    )


def test_pictures_are_svg_or_png_and_repeat_byte_for_byte(client: TestClient) -> None:
    svg = client.post("/v1/propagation/plot", json=SMALL)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content[:1000]
    assert client.post("/v1/propagation/plot", json=SMALL).content == svg.content
    png = client.post("/v1/propagation/plot", params={"format": "png", "kind": "histograms"}, json=SMALL)
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    depth = client.post("/v1/propagation/compare/plot", params={"format": "png"},
                        json={"seed": 1, "width": 16, "depth": 5, "batch": 8})  # fmt: skip
    assert depth.status_code == 200 and depth.content[:4] == b"\x89PNG"
    recipe = {"seed": 1, "layers": [{"type": "linear", "name": "fc", "in_features": 20, "out_features": 10}]}
    stats_svg = client.post("/v1/stats/plot", json=recipe)
    assert stats_svg.status_code == 200 and b"<svg" in stats_svg.content[:1000]
    hist = client.post("/v1/stats/plot", params={"kind": "histograms", "format": "png"}, json=recipe)
    assert hist.status_code == 200 and hist.content[:4] == b"\x89PNG"


def test_picture_limits(client: TestClient) -> None:
    many = {
        "seed": 1,
        "tensors": [{"name": f"t{i}", "shape": [4], "init": {"scheme": "normal"}} for i in range(65)],
    }
    r = client.post("/v1/stats/plot", params={"kind": "histograms"}, json=many)
    assert r.status_code == 413 and "match" in r.json()["error"]
    assert (
        client.post("/v1/stats/plot", params={"kind": "histograms", "match": "t1*"}, json=many).status_code
        == 200
    )
    assert client.post("/v1/stats/plot", params={"match": "nothing*"}, json=many).status_code == 422
    # 17 wildcards: over the limit overrides have too (a glob of 120 stars costs ~10 ms a name)
    stars = client.post("/v1/stats/plot", params={"match": "*t" * 17}, json=many)
    assert stars.status_code == 422 and "at most 16 wildcards" in stars.json()["error"]
    assert client.post("/v1/stats/plot", params={"format": "gif"}, json=many).status_code == 422


def test_long_lists_are_refused_before_they_are_validated(client: TestClient) -> None:
    """A megabyte of items would take a validation call of about 100 ms before pydantic says the
    list is too long: the raw list's length is checked first, with the same answer."""
    long = list(range(1, 50_001))
    cases = [
        ({**SMALL, "band": [0.5, 2.0, *long]}, "/v1/propagation", 422, "band", "at most 2 items"),
        ({**SMALL, "layer": "conv1d", "input_size": long}, "/v1/propagation/plot", 422, "input_size",
         "not 50000"),
        ({**SMALL, "layer": "conv1d", "input_size": [8], "kernel_size": long}, "/v1/propagation", 422,
         "kernel_size", "at most 3 items"),
        ({"seed": 1, "widths": long}, "/v1/propagation", 413, "widths", "exceeds the limit of 1000"),
        ({"seed": 1, "width": 8, "depth": 2, "schemes": [{"label": str(i), "init": HE} for i in range(5000)]},
         "/v1/propagation/compare", 413, "schemes", "at most 16 schemes"),
        ({**SMALL, "init": {f"p{i}": {"scheme": "zeros"} for i in range(5000)}}, "/v1/propagation", 422,
         "init", "at most 8 parameters"),
        ({"seed": 1, "width": 8, "depth": 2, "schemes": [{"label": "a", "init": {
            f"p{i}": {"scheme": "zeros"} for i in range(9)}}]}, "/v1/propagation/compare/plot", 422,
         "schemes.0.init", "at most 8 parameters"),
    ]  # fmt: skip
    for body, path, status, where, needle in cases:
        r = client.post(path, json=body)
        assert r.status_code == status, (where, r.text[:300])
        assert needle in r.text and any(d["loc"] == where for d in r.json()["details"]), r.text[:300]


def test_numbers_with_too_many_digits_are_a_400_not_a_500(client: TestClient) -> None:
    body = b'{"seed": ' + b"1" * 5000 + b', "width": 8, "depth": 1}'
    for path in ("/v1/propagation", "/v1/propagation/plot", "/v1/weights"):
        r = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error_type"] == "invalid_json", r.text
        assert "4300 digits" in r.json()["error"]


def test_histogram_values_are_bounded(client: TestClient) -> None:
    """2 x 1000 + 1 histograms of 1024 bins: two million numbers (about 50 MB of JSON)."""
    deep = {"seed": 1, "width": 4, "depth": 1000, "batch": 1}
    r = client.post("/v1/propagation", params={"bins": 1024}, json=deep)
    assert r.status_code == 413 and r.json()["details"][0]["loc"] == "bins"
    assert "2001 histograms x 1024 bins" in r.json()["error"]
    schemes = [{"label": str(i), "init": HE} for i in range(16)]
    r = client.post("/v1/propagation/compare", params={"bins": 64}, json={**deep, "schemes": schemes})
    assert r.status_code == 413 and "x 16 schemes" in r.json()["error"]
    assert client.post("/v1/propagation", params={"bins": 256}, json=deep).status_code == 200


def test_the_answer_is_the_response_model() -> None:
    """The JSON written on the worker thread is what FastAPI would write from the model."""
    with TestClient(create_app(Settings())) as c:
        one = c.post("/v1/propagation", params={"bins": 4}, json={**SMALL, "norm": "layer_norm"}).json()
        assert PropagationResponse.model_validate(one).model_dump(mode="json") == one
        many = c.post(
            "/v1/propagation/compare", params={"bins": 2}, json={"seed": 1, "width": 8, "depth": 3}
        ).json()
        assert CompareResponse.model_validate(many).model_dump(mode="json") == many


def test_a_request_whose_memory_could_never_fit_is_413() -> None:
    """One wide layer declares about 480 MiB (activations, weight, temporaries): more than a
    60 MiB heavy pool could ever give, refused before anything is computed."""
    settings = Settings(memory_budget_bytes=64 * 2**20, chunk_bytes=65536)
    with TestClient(create_app(settings)) as c:
        wide = {"seed": 1, "width": 2048, "depth": 1, "batch": 1024}
        for path in ("/v1/propagation", "/v1/propagation/plot"):
            r = c.post(path, json=wide)
            assert r.status_code == 413 and r.json()["error_type"] == "job_too_large", r.text
            assert "TENSORSEED_MEMORY_BUDGET_BYTES" in r.json()["error"]
        assert c.post("/v1/propagation", json=SMALL).status_code == 200


def test_a_picture_too_large_to_draw_is_413() -> None:
    """Raised limits cannot make a canvas of 2^16 pixels or more per side (matplotlib's error):
    refused before the statistics are computed."""
    with TestClient(create_app(Settings(max_plot_tensors=5000, max_plot_panels=5000))) as c:
        many = {"seed": 1, "tensors": [{"name": f"t{i}", "shape": [2], "init": {"scheme": "zeros"}}
                                       for i in range(3000)]}  # fmt: skip
        for kind in ("std", "histograms"):
            r = c.post("/v1/stats/plot", params={"kind": kind}, json=many)
            assert r.status_code == 413 and "pixels" in r.json()["error"], r.text
