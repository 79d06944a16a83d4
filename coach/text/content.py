"""What an answer is made of: its content characters, and the script it is written in.

Every screening check works on `content_of` a normalized text (letters, digits and ideographs
only), counts its ideographs and Latin words with the cheap helpers here, and may ask whether
the answer is in the bank's language at all.
"""

from __future__ import annotations

import re

from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END

# The ideographs an answer is read in: the unified CJK block and extension A (normalizing
# folds compatibility ideographs into them).
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff"
IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
_CONTENT = re.compile(f"[0-9a-z{IDEOGRAPHS}]+")
_NOT_CONTENT = re.compile(f"[^0-9a-z{IDEOGRAPHS}]")
LATIN_WORD = re.compile(r"[a-z]+")
# The brackets that set an aside apart from the text around it, each opening with its closing
# at the same place in the other string.
OPENING_BRACKETS = "（(【〔[〈⟨‹«"
CLOSING_BRACKETS = "）)】〕]〉⟩›»"
EN_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "to",
        "of",
        "i",
        "we",
        "you",
        "will",
        "would",
        "is",
        "are",
        "be",
        "with",
        "for",
        "in",
        "on",
        "that",
        "this",
        "it",
        "my",
        "our",
    ]
)


def content_of(text: str) -> str:
    """The letters, digits and ideographs of normalized text, without punctuation or spaces."""
    # Folded sentence and clause marks are nearly all an answer's punctuation: drop them in C,
    # and take the slower path only when something else is left.
    content = text.replace(SENTENCE_END, "").replace(CLAUSE_BREAK, "")
    if _NOT_CONTENT.search(content) is None:
        return content
    return "".join(_CONTENT.findall(content))


def ideographs(content: str) -> int:
    """How many ideographs `content` (the output of `content_of`) holds.

    Content is ASCII letters and digits (one byte each in UTF-8) plus BMP ideographs (three
    bytes each), so the encoded length gives the count without a pass in Python.
    """
    return (len(content.encode()) - len(content)) // 2


def count_chars(pattern: re.Pattern[str], text: str) -> int:
    """How many characters of `text` the character-class `pattern` covers (in C, not a loop)."""
    return len(text) - len(pattern.sub("", text))


def language_mismatch(content: str, language: str) -> bool:
    """True when the answer is plainly not written in the bank's language."""
    cjk = ideographs(content)
    if language == "zh" and len(content) - cjk < 20:
        return False  # fewer than 20 ASCII letters and digits: it cannot be mostly Latin
    latin = count_chars(LATIN_WORD, content)
    if language == "zh":
        return latin >= 20 and cjk < 0.2 * (cjk + latin)
    return cjk >= 10 and cjk > 0.5 * (cjk + latin)
