"""Pictures: the same request gives the same bytes even when drawn concurrently; sizes are declared."""

from __future__ import annotations

import threading

from tensorseed.analysis import plots
from tensorseed.analysis.models import PropagationRequest
from tensorseed.analysis.propagation import propagate
from tensorseed.engine.backend import cpu_backend


def test_concurrent_svgs_are_byte_identical() -> None:
    """Saving sets matplotlib's global rcParams (the fixed SVG id salt) in an rc_context: two
    threads saving at once could restore them under each other and write random ids."""
    result = propagate(PropagationRequest.model_validate({"seed": 2, "width": 8, "depth": 6, "batch": 4}),
                       cpu_backend(), bins=8)  # fmt: skip
    reference = plots.render(plots.propagation_histogram_figure(result, 8), "svg")
    outputs: list[bytes] = []

    def draw() -> None:
        for _ in range(3):
            outputs.append(plots.render(plots.propagation_histogram_figure(result, 8), "svg"))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outputs) == 12 and all(o == reference for o in outputs)


def test_figure_sizes_are_what_render_bytes_is_told() -> None:
    for panels in (1, 4, 5, 64):
        fig = plots.stats_histogram_figure(
            [{"name": f"t{i}", "scheme": "normal", "histogram": None, "expected": {}} for i in range(panels)],
            64,
        )
        assert tuple(fig.get_size_inches()) == plots.grid_size(panels)
    png = plots.render(plots.stats_histogram_figure([{"name": "t", "scheme": "normal", "histogram": None,
                                                       "expected": {}}], 1), "png")  # fmt: skip
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    size = plots.grid_size(1)
    assert (width, height) == (round(size[0] * plots.DPI), round(size[1] * plots.DPI))
    assert plots.render_bytes(size, "png") >= plots.RENDER_BASE_BYTES + 8 * width * height
