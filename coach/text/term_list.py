"""Keyword lists: an answer that names terms instead of explaining them.

A list of the rubric's words ("审核、凭证、登记、……"), bare or appended to a written answer,
would earn key points without saying how they fit together. `looks_like_keyword_list` tells
such lists from prose by their separators, item lengths and missing glue words.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence

from coach.text.content import (
    EN_FUNCTION_WORDS,
    IDEOGRAPH,
    content_of,
    count_chars,
    ideographs,
)
from coach.text.normalize import CLAUSE_BREAK, LINE_END_SPACE, SENTENCE_END, NormalizedText

# Characters that glue Chinese sentences together; a list of terms has almost none.
_GLUE = re.compile(
    "[的了是我会在把将对给让先再后因所如并且而但就要也都能这那您你他她它们及与和时从向到被]+"
)
# "/", "-" and "." separate list items, except inside a formula or a number ("n/2", "3.5").
_LIST_SPLIT = re.compile(
    r"(?:[\s,，、;；。!！?？|·]|(?<![0-9a-z)）])[./\-]|[./\-](?![0-9a-z(（]))+"
)
TERM_RUN_ITEMS = 10  # bare terms in one sentence that make it a term list, not an enumeration
_TERM_SEPARATORS = ("、", ",", " ", "/", "|")
# TERM_RUN_ITEMS items of at most six characters in a row, within one sentence (the pattern
# starts with a separator, so the engine only tries separators).
_TERM_RUN = re.compile(rf"(?:[、，, /|][^、，, /|。！？!?；;\n]{{1,6}}){{{TERM_RUN_ITEMS - 1},}}")


def _separators(original: str, text: str) -> int:
    """Clause and list separators: folded punctuation plus the original's runs of whitespace
    (blank lines between paragraphs separate once, however many there are)."""
    folded = text.count(CLAUSE_BREAK) + text.count(SENTENCE_END)
    if " " in original or "\n" in original or "\u3000" in original:  # most hold none: no scan
        folded += len(_WHITESPACE_RUN.findall(original))
    return folded


def _has_term_run(original: str) -> bool:
    """A long run of bare terms inside an otherwise written answer.

    A term list appended to a real answer ("关键词：审核、凭证、登记、……") would earn the key
    points the prose missed; a sentence that names documents or steps has fewer items, or glue.
    """
    # Prose separates clauses with "，"; a list of terms needs other separators too. Counting
    # them is done in C, and most answers stop here.
    if sum(map(original.count, _TERM_SEPARATORS)) < TERM_RUN_ITEMS - 1:
        return False
    for run in _TERM_RUN.finditer(original):
        items = [item for item in _LIST_SPLIT.split(run.group(0)) if item]
        terms = "".join(items)
        cjk = count_chars(IDEOGRAPH, terms)
        if cjk >= len(terms) // 2 and count_chars(_GLUE, terms) < 0.05 * cjk:
            return True
    return False


_WHITESPACE_RUN = re.compile("[ \n\u3000]+")
# A Markdown table: a header row, its rule ("|---|:--|") and at least one row more. Its cells
# are short by design, like a list's items, but it lays out facts side by side rather than
# naming terms, so the item tests below skip it (its words still count as content).
_TABLE = re.compile(
    r"^[ \t]*\|.*\|[ \t]*\n"  # the header row
    r"[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*\n"  # its rule
    r"(?:[ \t]*\|.*\|[ \t]*(?:\n|$))+",  # the rows
    re.MULTILINE,
)
_ITEM_GLUE = 0.1  # glue characters per ideograph of short items, above which they are clauses
_LIST_MARKS = ("、", "/", "|", "·")
_ARROW = re.compile(r"\s*(?:→|⇒|⟶|➔|➜|➡|->|=>)\s*")
_FORMULA = re.compile(r"[\s0-9a-z+\-*/^().=<>≤≥%·…]+")
_MATH = re.compile(r"[0-9+*/^=<>()]")  # what a formula has that a word does not


def looks_like_keyword_list(original: str, text: str, content: str) -> bool:
    """A bare list of terms: many very short items, or sentences without any glue words, or a
    long run of terms inside an otherwise written answer.

    The test follows the script the answer is written in, not the bank's language: an English
    answer to a Chinese bank separates its words by spaces, which the Chinese test would read
    as a list of short items.
    """
    # Whitespace around the answer, or at the end of a line, separates nothing.
    original = LINE_END_SPACE.sub("\n", original.strip())
    if len(content) < 6 or reads_as_code(original):
        return False  # code has short items and few function words, and is no list of terms
    # A fifth of ideographs makes it a Chinese answer, however much code or English it quotes.
    if 5 * ideographs(content) >= len(content):
        # An arrow joins its two sides into one statement ("口碑好 → 获客成本低": good word of
        # mouth lowers the cost of new customers), as a verb would.
        if _ARROW.search(original):
            original = _ARROW.sub("就", original)
        separators = _separators(original, text)
        if "|" in original:  # a table's cells are short by design (and a table has bars)
            original = _TABLE.sub("", original)
        if _has_term_run(original):
            return True
        # Items of at most four characters need a separator every few characters.
        if separators >= 3 and separators * 5 >= len(content):
            # Numbers and formulas ("3，6，9，…，3n", "n/2；(2n+1)/3") are answers, not terms.
            items = [
                item
                for item in _LIST_SPLIT.split(original)
                if item and not _FORMULA.fullmatch(item.lower())
            ]
            if (
                len(items) >= 4
                and statistics.median(len(item) for item in items) <= 4
                and _listed(original, items)
            ):
                # Short clauses of a written answer ("大小无序，但出栈遵循，先进后出"), split by
                # commas alone, hold glue; a list of terms is split by list marks too
                # ("审核、凭证、登记") or holds next to none.
                joined = "".join(items)
                prose = not any(mark in original for mark in _LIST_MARKS)
                if not prose or count_chars(_GLUE, joined) < _ITEM_GLUE * ideographs(joined):
                    return True
        if separators * 25 >= len(content):
            return False  # punctuated like prose: the glue test below is for run-on term lists
        cjk = ideographs(content)
        if cjk < max(8, len(content) // 2):
            return False
        return count_chars(_GLUE, content) / cjk < 0.05
    words = re.findall(r"[a-z']+", text)
    if _bare_terms(original):
        return True
    if len(words) < 8:
        return False
    return sum(word in EN_FUNCTION_WORDS for word in words) / len(words) < 0.08


# Items of a named list: split at list marks, at a space between ideographs, at wide gaps.
_NAMED_SPLIT = re.compile(r"\s*[、,，/|｜;；·•▪●◦]\s*|\s{2,}|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
MAX_NAMED_ITEM = 10  # characters of a term named in a list; a longer item says something
_WRAPPING = " \t[]【】()（）\"“”「」'"


def list_items(body: str) -> list[str]:
    """The items of `body` (the text after a line's label) between list marks."""
    return [item for item in _NAMED_SPLIT.split(body.strip(_WRAPPING)) if item]


def names_terms(body: str, least: int = 3) -> bool:
    """Whether `body` (the text after a line's label) only names terms: `least` items or more,
    each short, with next to no glue ("理解心情｜操作记录｜客观事实", "empathy, escalation,
    follow-up"). A line that explains ("先安抚，再核实") or one long item is no such list."""
    items = list_items(body)
    if len(items) < least or any(len(item) > MAX_NAMED_ITEM for item in items):
        return False
    joined = "".join(items)
    cjk = ideographs(joined)
    if 2 * cjk >= len(joined):
        return count_chars(_GLUE, joined) <= _ITEM_GLUE * cjk
    words = [word for item in items for word in _EN_WORD.findall(item.lower())]
    short = all(len(_EN_WORD.findall(item.lower())) <= 3 for item in items)
    return short and sum(word in EN_FUNCTION_WORDS for word in words) <= len(items) // 4


_SENTENCE = re.compile(r"[。！？!?；;\n]+")


def _listed(original: str, items: list[str]) -> bool:
    """Whether short items are a list rather than an enumeration inside written clauses: they
    hold a third of the items' characters or more, or some sentence is made of nothing else
    ("…我去爬山了。安抚情绪、记录、审核、凭证。"). "先了解收入支出和负债，按四笔钱分配：应急、保障、
    稳健、增值，定期检视调整。" names four kinds of money in a sentence that says what to do."""
    if 3 * sum(len(item) for item in items if len(item) <= 4) >= sum(map(len, items)):
        return True
    for sentence in _SENTENCE.split(original):
        parts = [part for part in _LIST_SPLIT.split(sentence) if part]
        if len(parts) >= 3 and all(len(part) <= 4 for part in parts):
            return True
    return False


_CODE_MARKS = "{}();=[]"


def reads_as_code(original: str) -> bool:
    """Whether `original` reads as program code: brackets, parentheses, semicolons and
    assignments make up a good part of it (a term list has next to none)."""
    marks = sum(map(original.count, _CODE_MARKS))
    return marks >= max(6, len(original) // 25)


_EN_ITEM_SPLIT = re.compile(r"[,;.:\n。、]+|\d+[).]")
_EN_WORD = re.compile(r"[a-z][a-z'-]*")


def _bare_terms(original: str) -> bool:
    """Terms named, not described: two or more items of at most three words each, next to no
    function words ("Urgency, suspicious links, requests for passwords"; "Osmosis, Flagellum,
    Diffusion"). Two short sentences ("I apologise. I escalate.") have function words."""
    # Numbers and formulas ("n/2; (3*n+1)/4") are answers, not terms.
    pieces = _EN_ITEM_SPLIT.split(unicodedata.normalize("NFKC", original.lower()))
    items = [
        _EN_WORD.findall(item)
        for item in pieces
        if not (_FORMULA.fullmatch(item.strip()) and _MATH.search(item))
    ]
    items = [item for item in items if item]
    if len(items) < 2 or any(len(item) > 3 for item in items):
        return False
    words = [word for item in items for word in item]
    return sum(word in EN_FUNCTION_WORDS for word in words) < 0.15 * len(words)


def keyword_list_without(answer: NormalizedText, spans: Sequence[tuple[int, int]]) -> bool:
    """`looks_like_keyword_list` for `answer` less the normalized `spans` (sentences caught
    speaking to the grader): text an attack adds must not lift a list's cap by diluting it."""
    text, original = answer.text, answer.original
    kept, kept_original = [], []
    done = done_original = 0
    for start, end in sorted(spans):
        if start >= end or start < done:
            continue
        first, last = answer.original_span(start, end)
        kept.append(text[done:start])
        kept_original.append(original[done_original:first])
        done, done_original = end, last
    kept.append(text[done:])
    kept_original.append(original[done_original:])
    rest = "".join(kept)
    return looks_like_keyword_list("".join(kept_original), rest, content_of(rest))
