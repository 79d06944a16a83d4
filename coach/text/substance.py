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

from coach.text.content import EN_FUNCTION_WORDS
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END

MIN_WORDS = 2  # content words in English, besides the match
MIN_IDEOGRAPHS = 4  # ideographs in Chinese, besides the match
_WORD = re.compile(r"[a-z]{3,}")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def described(text: str, start: int, end: int) -> bool:
    """Whether the match `text[start:end]` sits in a clause that says something about it."""
    sentence_start = text.rfind(SENTENCE_END, 0, start) + 1
    sentence_end = _end(text, SENTENCE_END, end)
    clause_start = max(sentence_start, text.rfind(CLAUSE_BREAK, 0, start) + 1)
    clause_end = min(sentence_end, _end(text, CLAUSE_BREAK, end))
    if _says_something(text[clause_start:start] + " " + text[end:clause_end]):
        return True
    # A term followed by what it is ("Phishing links: the address is not the bank's"), unless
    # the clause before it is a bare term too: then it is an item of a list.
    if clause_end >= sentence_end:
        return False
    following = text[clause_end + 1 : min(sentence_end, _end(text, CLAUSE_BREAK, clause_end + 1))]
    if clause_start > sentence_start:
        before = text[
            max(sentence_start, text.rfind(CLAUSE_BREAK, 0, clause_start - 1) + 1) : clause_start
            - 1
        ]
        if not _says_something(before):
            return False
    return _says_something(following)


def explains(clause: str) -> bool:
    """Whether a quoted clause says something besides naming a term: one content word or two
    ideographs more than `described` asks around a match, standing in for the term itself."""
    if len(_IDEOGRAPH.findall(clause)) >= MIN_IDEOGRAPHS + 2:
        return True
    words = [w for w in _WORD.findall(clause) if w not in EN_FUNCTION_WORDS]
    return len(words) >= MIN_WORDS + 1


def _end(text: str, mark: str, start: int) -> int:
    found = text.find(mark, start)
    return len(text) if found < 0 else found


def _says_something(text: str) -> bool:
    if len(_IDEOGRAPH.findall(text)) >= MIN_IDEOGRAPHS:
        return True
    words = [w for w in _WORD.findall(text) if w not in EN_FUNCTION_WORDS]
    return len(words) >= MIN_WORDS
