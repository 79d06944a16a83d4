"""Whether a key point's match is described or only named.

A rubric can ask for more than a term (`requires: explanation`): "Osmosis, Flagellum,
Diffusion" names three processes and says nothing about any. A match counts as described when
the clause holding it says something besides the matched words: two content words in English,
four ideographs in Chinese. A term followed by a clause that says what it is ("Phishing links:
the address is not the bank's", "核实身份，比如问密保问题") is described by that clause, unless
it is an item of a list (the clause before it is a bare term too).

Works on normalized text, where every sentence ends in "。" and every clause break is "，".
"""

from __future__ import annotations

import re

from coach.text.content import EN_FUNCTION_WORDS, IDEOGRAPH
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END

MIN_WORDS = 2  # content words in English, besides the match
MIN_IDEOGRAPHS = 4  # ideographs in Chinese, besides the match
_WORD = re.compile(r"[a-z]{3,}")


def described(text: str, start: int, end: int) -> bool:
    """Whether the match `text[start:end]` sits in a clause that says something about it."""
    sentence = (text.rfind(SENTENCE_END, 0, start) + 1, _end(text, SENTENCE_END, end))
    clause_start, clause_end = _clause(text, start, end, sentence)
    if _says_something(text[clause_start:start] + " " + text[end:clause_end]):
        return True
    # A term followed by what it is ("Phishing links: the address is not the bank's"), unless
    # the clause before it is a bare term too: then it is an item of a list.
    if clause_end >= sentence[1]:
        return False
    if clause_start > sentence[0]:
        before = _clause(text, clause_start - 1, clause_start - 1, sentence)
        if not _says_something(text[before[0] : before[1]]):
            return False
    following = _clause(text, clause_end + 1, clause_end + 1, sentence)
    return _says_something(text[following[0] : following[1]])


def explains(clause: str) -> bool:
    """Whether a quoted clause says something besides naming a term: one content word or two
    ideographs more than `described` asks around a match, standing in for the term itself."""
    return _says_something(clause, MIN_IDEOGRAPHS + 2, MIN_WORDS + 1)


def _clause(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The clause holding `text[start:end]`, within `sentence`."""
    return (
        max(sentence[0], text.rfind(CLAUSE_BREAK, 0, start) + 1),
        min(sentence[1], _end(text, CLAUSE_BREAK, end)),
    )


def _end(text: str, mark: str, start: int) -> int:
    found = text.find(mark, start)
    return len(text) if found < 0 else found


def _says_something(text: str, ideographs: int = MIN_IDEOGRAPHS, words: int = MIN_WORDS) -> bool:
    if len(IDEOGRAPH.findall(text)) >= ideographs:
        return True
    return sum(w not in EN_FUNCTION_WORDS for w in _WORD.findall(text)) >= words
