"""Traditional, Taiwan and Hong Kong phrases folded to mainland ones, after the character table.

Folding one character at a time cannot tell 瞭解 (了解) from 瞭望, or 回覆 (回复) from 覆盖: the
character stays, and a rubric's 了解 or 回复 is missed. OpenCC resolves these with phrase
dictionaries; `t2s_phrases.txt` holds the pairs of its spelling dictionaries that the character
table leaves apart (`tools/build_tables.py`), and a few Taiwan words that differ in length from
their mainland ones are added here (最佳化 -> 优化). Only text that had Traditional characters is
folded this way, so Simplified answers never change.

A replacement may change the text's length; `coach.text.normalize` rebuilds its offset map.
"""

from __future__ import annotations

import functools
import re
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


def phrase_spans(text: str) -> list[tuple[int, int, str]]:
    """Each phrase of `text` (folded by character) to fold: its range and its mainland form."""
    table = _table()
    return [(m.start(), m.end(), table[m.group()]) for m in _pattern().finditer(text) if m.group()]
