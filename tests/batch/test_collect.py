"""Garbage collection during an inline batch: paused for the old generation, young ones
collected every so many items, and left as the caller had it afterwards."""

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


def test_young_generations_are_collected_every_so_many_items(collections: list[int]) -> None:
    with YoungCollections(every=3) as collect:
        assert not gc.isenabled()
        for _ in range(7):
            collect.tick()
    assert gc.isenabled()
    assert collections.count(1) == 2 and 2 not in collections


def test_a_cycle_made_during_the_batch_is_freed() -> None:
    class Node:
        other: object = None

    with YoungCollections(every=1) as collect:
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = len([o for o in gc.get_objects() if isinstance(o, Node)])
        del a, b
        collect.tick()
        assert len([o for o in gc.get_objects() if isinstance(o, Node)]) == alive - 2


def test_collection_turned_off_by_the_caller_stays_off(collections: list[int]) -> None:
    gc.disable()
    try:
        with YoungCollections(every=1) as collect:
            collect.tick()
        assert not gc.isenabled() and collections == []
    finally:
        gc.enable()


def test_a_keyword_batch_restores_collection_even_when_an_item_fails(mini: coach.Bank) -> None:
    items = [(mini, "atm", ANSWER), (mini, "atm", None), (mini, "calm", "深呼吸")]
    results = coach.Grader(mode="keyword").grade_many(items)
    assert [r.ok for r in results] == [True, False, True]
    assert gc.isenabled()
