"""Traditional, Taiwan and Hong Kong phrases folded to mainland ones, after the character table.

Folding one character at a time cannot tell 瞭解 (了解) from 瞭望, or 回覆 (回复) from 覆盖: the
character stays, and a rubric's 了解 or 回复 is missed. OpenCC resolves these with phrase
dictionaries; `t2s_phrases.txt` holds the pairs of its spelling dictionaries that the character
table leaves apart (`tools/build_tables.py`), and a few Taiwan words that differ in length from
their mainland ones are added here (最佳化 -> 优化). Only text that had Traditional characters is
folded this way, so Simplified answers never change.

A replacement may change the text's length: the offset map is rebuilt so that every folded
character still leads back to the original one it came from (a shorter word's characters to the
first ones of the original word, a longer one's extra characters to its last).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from typing import Any

from coach.text.fold_table import t2s_phrases

# Taiwan words whose mainland ones differ in length, for service and finance answers (folded
# by character first). Same-length words are in `coach.text.normalize._REGIONAL`.
_TAIWAN_WORDS = {"最佳化": "优化", "许可权": "权限", "智慧型": "智能"}


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return {**t2s_phrases(), **_TAIWAN_WORDS}


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    """Every phrase of the table as one regex shaped like a trie, the longest phrase first."""
    trie: dict[str, Any] = {}
    for phrase in _table():
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_alternatives(trie))


def _alternatives(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _alternatives(child) for char, child in node.items() if char]
    if "" in node:  # a phrase may end here; longer ones are tried before it
        return f"(?:{'|'.join(branches)})?" if branches else ""
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def fold_phrases(
    text: str, starts: tuple[int, ...], origins: tuple[int, ...]
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """`text` (folded by character, with its segment map) with its phrases folded."""
    table = _table()
    pieces: list[str] = []
    new_starts: list[int] = []
    new_origins: list[int] = []
    size = 0
    done = 0

    def origin(index: int) -> int:
        k = bisect_right(starts, index) - 1
        return origins[k] + index - starts[k]

    def emit(piece: str, at: int) -> None:
        nonlocal size
        if not new_starts or new_origins[-1] + size - new_starts[-1] != at:
            new_starts.append(size)
            new_origins.append(at)
        pieces.append(piece)
        size += len(piece)

    def copy(start: int, end: int) -> None:
        """Copy `text[start:end]` with its own map, segment by segment."""
        while start < end:
            k = bisect_right(starts, start) - 1
            stop = min(end, starts[k + 1] if k + 1 < len(starts) else end)
            emit(text[start:stop], origin(start))
            start = stop

    for match in _pattern().finditer(text):
        start, end = match.span()
        if start == end:
            continue
        copy(done, start)
        new = table[match.group()]
        for offset, char in enumerate(new):
            emit(char, origin(min(start + offset, end - 1)))
        done = end
    if not pieces:
        return text, starts, origins
    copy(done, len(text))
    return "".join(pieces), tuple(new_starts), tuple(new_origins)
