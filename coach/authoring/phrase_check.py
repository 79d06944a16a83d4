"""Asking the grader's own matcher about one rubric phrase, for `coach lint`.

Every question lint asks ("does this variant match its own text?", "does the prompt contain
it?") is answered by `coach.text.match` on text folded by `coach.text.normalize`, exactly as an
answer is graded, so lint and the grader cannot disagree.
"""

from __future__ import annotations

import functools
import re

from coach.text.match import Clauses, asserted_hits, phrase_pattern
from coach.text.normalize import normalize, normalize_phrase

_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.lru_cache(maxsize=8192)
def pattern(phrase: str) -> re.Pattern[str] | None:
    """The regex the grader looks for `phrase` with; None when folding leaves nothing of it
    (the grader skips such a phrase)."""
    if not normalize_phrase(phrase.replace("*", "")):
        return None
    return re.compile(phrase_pattern(phrase))


@functools.lru_cache(maxsize=8192)
def folded(text: str) -> str:
    """`text` folded as an answer is."""
    return normalize(text).text


def found(phrase: str, text: str) -> bool:
    """True when the grader would find `phrase` in an answer reading `text`."""
    compiled = pattern(phrase)
    return compiled is not None and compiled.search(folded(text)) is not None


def asserted(phrase: str, text: str) -> bool:
    """`found`, for a deduction trigger the grader ignores when negated or condemned."""
    compiled = pattern(phrase)
    return compiled is not None and any(asserted_hits(compiled, Clauses(folded(text))))


def is_phrase(phrase: str, text: str) -> bool:
    """True when `phrase` matches the whole of `text`: the phrase *is* that wording."""
    compiled = pattern(phrase)
    return compiled is not None and compiled.fullmatch(folded(text)) is not None


def filled(phrase: str) -> tuple[str, ...]:
    """The plainest answers that say `phrase`: its gaps left empty, and (between words)
    filled with one space."""
    parts = phrase.split("*")
    if len(parts) == 1:
        return (phrase,)
    return ("".join(parts), " ".join(parts))


def key(phrase: str) -> str:
    """`phrase` as the grader sees it: each part folded; two phrases with one key are one."""
    return "*".join(normalize_phrase(part) for part in phrase.split("*"))


def has_word(text: str) -> bool:
    """True when folded `text` keeps a letter, digit or Chinese character."""
    return _WORD_CHAR.search(folded(text)) is not None


def is_chinese(text: str) -> bool:
    return _CJK.search(text) is not None
