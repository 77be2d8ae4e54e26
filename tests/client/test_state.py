"""Resume state: interval arithmetic against a set-of-bytes model, and atomic, versioned sidecars."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tensorseed.client.progress import human_bytes, render_line
from tensorseed.client.state import Intervals, PullState

SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted), max_size=12)


@given(adds=SPANS, removes=SPANS)
def test_intervals_behave_like_a_set_of_bytes(adds: list[list[int]], removes: list[list[int]]) -> None:
    intervals, model = Intervals(), set()
    for a, b in adds:
        intervals.add(a, b)
        model |= set(range(a, b))
    for a, b in removes:
        intervals.remove(a, b)
        model -= set(range(a, b))
    covered = {i for s, e in intervals.spans for i in range(s, e)}
    assert covered == model and intervals.total == len(model)
    # Canonical form: sorted, disjoint and never touching (touching spans are merged).
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(intervals.spans, intervals.spans[1:], strict=False))
    assert all(s < e for s, e in intervals.spans)
    gaps = {i for s, e in intervals.missing(64) for i in range(s, e)}
    assert gaps == set(range(64)) - model


def test_state_round_trips_and_rejects_garbage(tmp_path: Path) -> None:
    path = tmp_path / "f.part.json"
    state = PullState('"abc"', 100, "1.xyz", Intervals([(0, 10), (20, 30)]))
    state.save(path)
    assert PullState.load(path) == state
    assert not list(tmp_path.glob("*.tmp"))
    for garbage in (
        "",
        "{",
        '{"version": 99}',
        '{"version": 1, "etag": "x"}',
        '{"version":1,"etag":"x","size":1,"token":"t","done":[[0]]}',
    ):
        path.write_text(garbage)
        assert PullState.load(path) is None
    assert PullState.load(tmp_path / "missing.json") is None


def test_progress_line_shows_bytes_rate_and_eta() -> None:
    line = render_line("m.safetensors", 512 * 2**20, 2**30, 64 * 2**20, 8.0)
    assert line.startswith("m.safetensors  50% [##########----------]")
    assert (
        "512.0 MiB/1.0 GiB" in line
        and "64.0 MiB/s" in line
        and "ETA 00:08" in line
        and "elapsed 00:08" in line
    )
    assert "ETA --:--" in render_line("x", 0, 100, None, 0.0)
    assert human_bytes(1023) == "1023 B" and human_bytes(1536) == "1.5 KiB"
