"""Byte ranges: any slice of the file, computed alone, equals that slice of the whole file, and
costs only the elements it covers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensorseed.engine.backend import ReferenceBackend
from tensorseed.formats.ranges import HeaderSlice, TensorSlice, iter_byte_range, map_byte_range
from tensorseed.formats.safetensors import layout
from tensorseed.recipe.plan import TensorPlan
from tests.strategies import positions, recipes
from tests.support import file_bytes, plan_of


class CountingBackend(ReferenceBackend):
    """The reference backend, counting the elements it is asked for."""

    def __init__(self) -> None:
        self.elements = 0

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        self.elements += count
        return super().fill(tensor, start, count)


@settings(max_examples=150, deadline=None)
@given(recipe=recipes(), data=st.data(), chunk_elements=st.integers(1, 64))
def test_any_range_equals_the_slice_of_the_whole_file(
    recipe: dict[str, Any], data: st.DataObject, chunk_elements: int
) -> None:
    plan = plan_of(recipe)
    file_layout = layout(plan)
    full = file_bytes(recipe)
    size = len(full)
    assert file_layout.total_size(plan) == size
    anchors = [0, 8, file_layout.data_start] + [file_layout.data_start + o for o in file_layout.data_offsets]
    a, b = data.draw(positions(size, [*anchors, size])), data.draw(positions(size, [*anchors, size]))
    start, stop = min(a, b), max(a, b)
    backend = CountingBackend()
    got = b"".join(iter_byte_range(plan, file_layout, backend, chunk_elements, start, stop))
    assert got == full[start:stop]
    # Only covering elements are generated: the range's bytes in tensors, plus at most one
    # partial element at each end of each tensor it touches.
    itemsize = plan.dtype.itemsize
    in_data = max(0, stop - max(start, file_layout.data_start))
    touched = sum(isinstance(p, TensorSlice) for p in map_byte_range(plan, file_layout, start, stop))
    assert backend.elements <= -(-in_data // itemsize) + 2 * touched


def test_pieces_split_at_the_header_and_tensor_boundaries() -> None:
    recipe = {"seed": 1, "tensors": [{"name": "a", "shape": [3], "init": {"scheme": "ones"}},
                                     {"name": "b", "shape": [5], "init": {"scheme": "zeros"}}]}  # fmt: skip
    plan = plan_of(recipe)
    file_layout = layout(plan)
    start = file_layout.data_start
    pieces = map_byte_range(plan, file_layout, start - 3, start + 14)
    a, b = plan.tensors
    assert pieces == [HeaderSlice(start - 3, start), TensorSlice(a, 0, 12), TensorSlice(b, 0, 2)]
    only_b = map_byte_range(plan, file_layout, start + 13, start + 17)
    assert only_b == [TensorSlice(b, 1, 5)]
    assert (only_b[0].first_element, only_b[0].stop_element) == (0, 2)
    assert map_byte_range(plan, file_layout, 5, 5) == []


def test_a_range_far_into_a_huge_tensor_generates_only_its_elements() -> None:
    # 2^31 normal elements (8 GiB): generating the prefix would take minutes; the range is instant.
    recipe = {"seed": 7, "tensors": [{"name": "w", "shape": [2**31], "init": {"scheme": "normal"}}]}
    plan = plan_of(recipe)
    file_layout = layout(plan)
    backend = CountingBackend()
    start = file_layout.data_start + 4 * (2**31 - 10) + 1
    got = b"".join(iter_byte_range(plan, file_layout, backend, 1024, start, start + 30))
    expected = ReferenceBackend().fill(plan.tensors[0], 2**31 - 10, 8)[1:31]
    assert got == expected and backend.elements == 8


def test_outside_the_file_is_refused() -> None:
    plan = plan_of({"seed": 1, "tensors": [{"name": "a", "shape": [3], "init": {"scheme": "ones"}}]})
    file_layout = layout(plan)
    with pytest.raises(ValueError, match="outside"):
        map_byte_range(plan, file_layout, 0, file_layout.total_size(plan) + 1)
