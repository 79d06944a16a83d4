"""Garbage collection during an inline batch: what the batch keeps is not walked for cycles.

Every result a batch keeps is a few dozen objects the collector tracks (models, their dicts
and lists). Automatic collection walks them again and again as they age, and even one young
collection at the end walks each of them once: in a keyword batch of a few thousand answers
those walks cost a quarter of the batch or more. A keyword grade makes no reference cycles, so
automatic collection is paused for the batch, and every `YOUNG_EVERY` items (and at the end)
the objects made since are moved straight into the oldest generation (`gc.freeze()` then
`gc.unfreeze()`: two list splices, no walk), where only a full collection looks at them.

A failed item may have made a cycle (an exception, its traceback and the frames): when one
failed since the last move, the young generations are collected instead, which frees it. So
does a caller who froze objects of their own (`gc.freeze()` before forking workers): their
objects stay frozen. Afterwards collection goes on as before.
"""

from __future__ import annotations

import gc

YOUNG_EVERY = 1000  # items between moves (or collections) of the young generations


class YoungCollections:
    """`with YoungCollections() as collect:` pauses automatic collection; `collect.tick()`
    once per item, `collect.failed()` once per failed item. With `cycles`, the items may make
    reference cycles (an LLM grade's responses and clients do): the young generations are
    always collected, never moved."""

    def __init__(self, every: int = YOUNG_EVERY, *, cycles: bool = False) -> None:
        self.every = every
        self.cycles = cycles
        self.count = 0
        self.paused = False
        self._failures = False  # an item failed since the young generations were last settled

    def __enter__(self) -> YoungCollections:
        self.paused = gc.isenabled()  # a caller who turned collection off keeps it off
        gc.disable()
        return self

    def tick(self) -> None:
        self.count += 1
        if self.paused and self.count % self.every == 0:
            self._settle()

    def failed(self) -> None:
        """An item failed: its exception may have left a cycle for the next collection."""
        self._failures = True

    def _settle(self) -> None:
        """Collect the young generations if they may hold a cycle, else move them to the
        oldest one without walking them."""
        if self.cycles or self._failures or gc.get_freeze_count():
            gc.collect(1)
        else:
            gc.freeze()
            gc.unfreeze()
        self._failures = False

    def __exit__(self, *exc_info: object) -> None:
        if self.paused:
            if exc_info[0] is not None:  # a batch stopped by an exception: its traceback too
                self._failures = True
            self._settle()
            gc.enable()
