"""Garbage collection during an inline batch: the young generations only.

Every result a batch keeps ends up in the oldest generation, and each automatic collection of
that generation walks every object in it: in a keyword batch of a few thousand answers those
walks took a third of the time. A keyword grade makes no reference cycles, so automatic
collection is paused for the batch and the young generations are collected every
`YOUNG_EVERY` items instead, which still frees any cycle an item does make (an error's
traceback) without walking the kept results again. Afterwards collection goes on as before.
"""

from __future__ import annotations

import gc

YOUNG_EVERY = 1000  # items between collections of the young generations


class YoungCollections:
    """`with YoungCollections() as collect:` pauses automatic collection; `collect.tick()`
    once per item collects the young generations every `every` items."""

    def __init__(self, every: int = YOUNG_EVERY) -> None:
        self.every = every
        self.count = 0
        self.paused = False

    def __enter__(self) -> YoungCollections:
        self.paused = gc.isenabled()  # a caller who turned collection off keeps it off
        gc.disable()
        return self

    def tick(self) -> None:
        self.count += 1
        if self.paused and self.count % self.every == 0:
            gc.collect(1)

    def __exit__(self, *exc_info: object) -> None:
        if self.paused:
            gc.enable()
