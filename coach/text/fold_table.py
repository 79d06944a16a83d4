"""The Traditional -> Simplified character table that normalization folds with, shipped built.

OpenCC's `t2s`, applied to one character at a time, over every character `is_cjk` accepts.
Every process used to convert the 21,000 characters of the main CJK block at start (tens of
milliseconds of CPU) to find the few thousand that change; the table is now computed once, by
`tools/build_tables.py`, and read from `t2s_chars.txt` beside this module (a test holds it
equal to what OpenCC gives).
"""

from __future__ import annotations

import functools
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("t2s_chars.txt")
PHRASES_PATH = Path(__file__).with_name("t2s_phrases.txt")
# The ranges `normalize.is_cjk` accepts: the BMP ideographs, extension A, compatibility forms.
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _pairs(path: Path) -> dict[str, str]:
    """The 'KEY VALUE' lines of a shipped table (comment lines start with '#')."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.split(" ")
            table[key] = value
    return table


@functools.lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Traditional character -> its Simplified one; characters that do not change are absent."""
    return _pairs(TABLE_PATH)


@functools.lru_cache(maxsize=1)
def t2s_phrases() -> dict[str, str]:
    """A Traditional, Taiwan or Hong Kong phrase, folded by character -> its mainland form
    (瞭解 -> 了解, 最佳化 -> 优化), from OpenCC's phrase dictionaries (`tools/build_tables.py`)."""
    return _pairs(PHRASES_PATH)
