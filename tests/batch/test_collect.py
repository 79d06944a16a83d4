"""Garbage collection during an inline batch: paused, what the batch made moved to the oldest
generation without a walk, young generations collected after a failed item, and collection
left as the caller had it afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

import coach
from coach.batch.collect import YoungCollections
from tests.support import MINI_ANSWER as ANSWER


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations collected while the test runs."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


class Node:
    other: object = None


def _nodes() -> int:
    return len([o for o in gc.get_objects() if isinstance(o, Node)])


def test_what_a_batch_makes_goes_to_the_oldest_generation_unwalked(
    collections: list[int],
) -> None:
    with YoungCollections(every=3) as collect:
        assert not gc.isenabled()
        kept = []
        for _ in range(7):
            kept.append(Node())
            collect.tick()
    assert gc.isenabled()
    assert collections == []  # no collection walked them, young or old
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in kept)


def test_young_generations_are_collected_after_a_failed_item(collections: list[int]) -> None:
    with YoungCollections(every=3) as collect:
        for k in range(7):
            if k == 1:
                collect.failed()
            collect.tick()
    # The failure is settled at the third item by a collection; the sixth item and the end
    # move the young generations unwalked.
    assert collections == [1]


def test_a_cycle_a_failed_item_made_is_freed() -> None:
    with YoungCollections(every=1) as collect:
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = _nodes()
        del a, b
        collect.failed()
        collect.tick()
        assert _nodes() == alive - 2


def test_a_batch_stopped_by_an_exception_collects_on_the_way_out(
    collections: list[int],
) -> None:
    with pytest.raises(KeyError), YoungCollections():
        raise KeyError("stop")
    assert collections == [1]


def test_objects_the_caller_froze_stay_frozen(collections: list[int]) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with YoungCollections(every=1) as collect:
            collect.tick()
        assert gc.get_freeze_count() == frozen and collections == [1, 1]
    finally:
        gc.unfreeze()


def test_collection_turned_off_by_the_caller_stays_off(collections: list[int]) -> None:
    gc.disable()
    try:
        with YoungCollections(every=1) as collect:
            collect.tick()
        assert not gc.isenabled() and collections == []
    finally:
        gc.enable()


def test_a_keyword_batch_restores_collection_even_when_an_item_fails(
    mini: coach.Bank, collections: list[int]
) -> None:
    items = [(mini, "atm", ANSWER), (mini, "atm", None), (mini, "calm", "深呼吸")]
    results = coach.Grader(mode="keyword").grade_many(items)
    assert [r.ok for r in results] == [True, False, True]
    assert gc.isenabled()
    assert 1 in collections  # the failed item's traceback had its chance to be freed
