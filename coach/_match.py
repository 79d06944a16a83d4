"""Phrase matching on normalized text: rubric phrases compiled to regexes, and negation scope.

Chinese has no word boundaries (CJK characters are ``\\w`` to `re`), so phrases match as
substrings; only all-ASCII phrases ("ATM", "KYC") are held to whole words. ``A*B`` allows a short
gap inside one sentence. A deduction trigger is ignored when its clause negates it before
("我绝不会保证收益") or condemns it after ("保证收益是违规的"), or reports someone else's words
("客户要求我保证收益").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from coach._normalize import CLAUSE_BREAK, SENTENCE_END, normalize_phrase

GAP_CHARS = 12  # the most characters an 'A*B' gap may hold
NEGATION_WINDOW = 10  # how far before a trigger a negation still reaches, inside its clause
CONDEMN_WINDOW = 12  # how far after a trigger a condemnation still reaches

_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9 .'+-]*")
_CLAUSE_ENDS = SENTENCE_END + CLAUSE_BREAK

# Negators, without the look-alikes that do not negate (无论, 不管, 未来, 非常, 特别, ...).
_NEGATION = re.compile(
    r"(?<!忍)(?<!不得)不(?![管论仅但断久少光过同满错行由禁住]|得不)|没|未(?!来|必)|无(?!论)|别(?<!特别)(?<!区别)(?<!分别)(?<!级别)"
    r"|勿|莫|严禁|禁止|杜绝|拒绝|避免|防止|切忌|谨防|绝非|并非"
    r"|(?<![a-z])(?:not|never|no|don't|won't|cannot|can't|avoid|refuse to|rather than)(?![a-z])"
)
_REPORTED = re.compile(
    r"要求|让我|希望我|逼我|问我|问能否|是否|能否|如果客户|客户说|客户想|他说|她说"
)
_CONDEMNED = re.compile(
    r"违规|违法|违反|不允许|不被允许|不可以|不能这样|是不对|是错误|错误的|被禁止|是禁止|不合规|红线|大忌"
    r"|不可取|是不行|不行的|误导|(?<![a-z])(?:is|are) (?:not allowed|forbidden|prohibited|wrong)"
)


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a phrase matched in the normalized text."""

    start: int
    end: int


def phrase_pattern(phrase: str) -> str:
    """Regex source for one rubric phrase (already validated by the rubric model)."""
    parts = [normalize_phrase(part) for part in phrase.split("*")]
    pieces = []
    for part in parts:
        source = re.escape(part)
        if _ASCII_WORD.fullmatch(part):
            source = rf"(?<![a-z0-9]){source}(?![a-z0-9])"
        pieces.append(source)
    return f"[^{SENTENCE_END}]{{0,{GAP_CHARS}}}?".join(pieces)


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of `phrases`; None when there are none (or all fold to nothing)."""
    sources = sorted({phrase_pattern(p) for p in phrases if normalize_phrase(p.replace("*", ""))})
    if not sources:
        return None
    # Longest first, so the reported span is the most specific phrasing.
    sources.sort(key=lambda source: (-len(source), source))
    return re.compile("|".join(f"(?:{source})" for source in sources))


def first_hit(pattern: re.Pattern[str] | None, text: str) -> Hit | None:
    if pattern is None:
        return None
    match = pattern.search(text)
    return Hit(match.start(), match.end()) if match else None


def asserted_hits(pattern: re.Pattern[str], text: str) -> Iterator[Hit]:
    """Matches of a trigger that the answer really asserts (not negated, condemned or reported)."""
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        clause_start = max(text.rfind(SENTENCE_END, 0, start), text.rfind(CLAUSE_BREAK, 0, start))
        before = text[max(clause_start + 1, start - NEGATION_WINDOW) : start]
        if _NEGATION.search(before) or _REPORTED.search(before):
            continue
        clause_end = _clause_end(text, end)
        after = text[end : min(clause_end, end + CONDEMN_WINDOW)]
        if _CONDEMNED.search(after):
            continue
        yield Hit(start, end)


def _clause_end(text: str, index: int) -> int:
    ends = [pos for pos in (text.find(mark, index) for mark in _CLAUSE_ENDS) if pos >= 0]
    return min(ends) if ends else len(text)


def clause_around(text: str, hit: Hit, limit: int = 40) -> Hit:
    """The clause holding `hit`, trimmed to about `limit` characters, as an evidence span."""
    start = max(text.rfind(SENTENCE_END, 0, hit.start), text.rfind(CLAUSE_BREAK, 0, hit.start)) + 1
    end = _clause_end(text, hit.end)
    spare = max(0, limit - (hit.end - hit.start))
    start = max(start, hit.start - spare // 2)
    end = min(end, hit.end + spare - (hit.start - start))
    while start < hit.start and text[start] == " ":
        start += 1
    return Hit(start, max(end, hit.end))
