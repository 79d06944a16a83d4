"""How a lexicon's entries become one pattern (see `grading_words` for the entry syntax).

Each entry becomes a source that starts with a literal character (so `re` skips in C to where
an entry can start), the sources are gathered by first character (`coach.text.trie`), and the
letter tests are written in classes `re` compiles cheaply.
"""

from __future__ import annotations

import re

from coach.text.normalize import normalize_phrase
from coach.text.reveal import reveal
from coach.text.trie import by_first_character

_LETTER = r"a-z\u00e0-\u024f\u0400-\u04ff"
_LATIN_ENTRY = re.compile(rf"[{_LETTER}0-9' +/-]+")
# The letter class in the forms `_narrowed` writes it: classes of at most two ranges, since
# `re` compiles a class of three into a 64K-entry table and the concepts hold ~3,000 copies
# (0.37 s of start-up). `(?!)`, a branch that never matches, keeps the parser from merging
# the two classes of the repeat back into one.
_ASCII, _WIDE = "a-z", r"\u00e0-\u024f\u0400-\u04ff"
_NARROW_FORMS = {
    f"[{_LETTER}]*": rf"(?:[{_ASCII}]|[{_WIDE}]|(?!))*",
    f"(?![{_LETTER}])": rf"(?![{_ASCII}])(?![{_WIDE}])",
}
_LETTER_TESTS = re.compile(
    "|".join(map(re.escape, _NARROW_FORMS)) + "|" + re.escape(f"(?<![{_LETTER}]") + r"(\\?.)\)"
)


def _entry_sources(entry: str) -> list[str]:
    """Regex sources for one lexicon entry (see `grading_words` for the syntax).

    Every source starts with a literal character, the word-start test after it: `re` then
    skips in C to the characters an entry can start with, instead of trying every branch at
    every position (a leading lookbehind costs a hundred times as much).
    """
    head, tail, elided = entry.startswith("*"), entry.endswith("*"), entry.startswith("'")
    core = reveal(normalize_phrase(entry.strip("*'"))).text.strip()
    # A word inside a phrase may go on too ("высш* балл*": высший балл, высшая оценка).
    inner = [part.endswith("*") for part in entry.split(" ")[:-1]] + [False]
    parts = core.split(" ")
    if len(parts) != len(inner):
        inner = [False] * len(parts)
    source = " ?".join(
        re.escape(part) + (f"[{_LETTER}]*" if more else "")
        for part, more in zip(parts, inner, strict=True)
    )
    if not _LATIN_ENTRY.fullmatch(core):
        return [source]  # ideographs, kana, hangul: no word boundaries to keep
    right = f"[{_LETTER}]*" if tail else f"(?![{_LETTER}])"
    starts = [""]
    if elided:
        starts += ["c'", "d'", "j'", "l'", "m'", "n'", "s'", "t'", "qu'", *"cdjlmnst"]
    sources = []
    for start in starts:
        whole = re.escape(start) + source
        first = re.escape((start + core)[0])
        test = "" if head and not start else f"(?<![{_LETTER}]{first})"
        sources.append(f"{first}{test}{whole[len(first) :]}{right}")
    return sources


def compile_lexicon(lexicon: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every entry of `lexicon`, longest first (gathered by first character:
    the same matches, see `coach.text.trie.by_first_character`)."""
    entries = {e for line in lexicon for e in line.split("|") if e.strip("*' ")}
    sources = {source for entry in entries for source in _entry_sources(entry)}
    ordered = sorted(sources, key=lambda s: (-len(s), s))
    return re.compile(by_first_character([_narrowed(source) for source in ordered]))


def _narrowed(source: str) -> str:
    """`source` with its letter tests in classes of at most two ranges: the same matches."""

    def narrow(test: re.Match[str]) -> str:
        first = test.group(1)  # the character a lookbehind ends on
        if first is None:
            return _NARROW_FORMS[test.group()]
        return f"(?<![{_ASCII}]{first})(?<![{_WIDE}]{first})"

    return _LETTER_TESTS.sub(narrow, source)
