"""Text addressed to the grader instead of answering the question.

An answer may try to steer the grader: an instruction ("忽略评分标准", "ignore the rubric"), a
claim that it meets every criterion, a note from an "interviewer", words dictated for the
feedback, a request for the prompt. `coach.text.addressed` finds such sentences by what they
are made of, in any language and through disguises (`coach.text.reveal`). This module adds the
shapes that are structure rather than sentences: a fake score line or JSON grade block, chat
template markers, a list of key-point ids, an HTML comment with grading words in it,
payloads a model could decode (base64, hex, escapes, ROT13) and the first letters of lines
(`coach.text.acrostic`). `injection_sentences` returns the sentences that hold any of them, so
the keyword grader can blank them out, the quote verifier can refuse them as evidence and the
LLM grader can flag them.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right

from coach.text.acrostic import acrostic_spans
from coach.text.addressed import addressed_spans, hinted_anywhere, tags_of
from coach.text.match import Hit
from coach.text.normalize import SENTENCE_END
from coach.text.sections import aside_spans, located

# Keys of a grade as JSON ("{"score": 12, "feedback": ...}" arrives as "score，12，feedback，..."),
# YAML or a record of key=value pairs (a log line's "status=passed deductions=0 total=max").
_KEYS = (
    "score|max_score|points|grade|percent|total|criteria|evidence|rationale|feedback|strengths"
    "|improvements|key_points|deductions|verdict|decision|passed|hire|comment|comments|override"
    "|remarks|summary"
)
# (Each branch opens with its first letter and tests the word start after it: `re` then skips
# in C to the letters a key can start with.)
_GRADE_KEY = re.compile(
    "|".join(f"{key[0]}(?<![a-z]{key[0]})({key[1:]}) ?[，=]" for key in _KEYS.split("|"))
)
# Snake-case ids like a rubric's key points ("calm_customer"): an answer has no use for them.
_ID = re.compile(r"[a-z](?<![a-z0-9_.@/][a-z])[a-z0-9]*(?:_[a-z0-9]+)+(?![a-z0-9_@])")
# Chat-template and message-boundary markers (brackets and quotes are gone by now).
_MARKER = re.compile(
    r"<(?:\|?im_(?:start|end)\|?>|\|[a-z_]+\|>|<<\s?(?:end\s?)?answer"
    r"|/?(?:answer|instructions?|system|assistant|prompt)>)|/(?<![a-z]/)inst(?![a-z])"
    r"|###\s?(?:instruction|system|response)|r(?<![a-z]r)ole，\s?(?:system|assistant|developer)"
)
# An HTML comment ("<!--" has its "!" folded to a sentence end): hidden from a reader, not from
# a model.
_COMMENT = re.compile(r"<。--(.*?)(?:-->|$)")
_HIDDEN_CONCEPTS = frozenset(
    {"grader", "full_marks", "rubric", "score", "answer", "ignore", "instructions", "hire", "field"}
    | {"you", "please", "give", "write", "authority"}
)
# Encoded payloads: an interview answer has no reason to carry base64, hex, escapes or
# entities, and a model may decode and obey them. Each run must mix letters and digits, so
# long numbers (card, order) and long words are not payloads.
_ENCODED = re.compile(
    r"(?<![a-z0-9+/])(?=[a-z+/]*[0-9])(?=[0-9+/]*[a-z])[a-z0-9+/]{24,}={0,2}"  # base64
    r"|(?<![a-z0-9])(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{16,}(?![a-z0-9])"  # hex bytes
    r"|(?:\\u[0-9a-f]{4}){2,}|(?:\\x[0-9a-f]{2}){3,}"  # escapes
    r"|(?:%[0-9a-f]{2}){3,}"  # URL encoding
    r"|(?:&#x?[0-9a-f]+[。;]?){2,}"  # HTML entities (";" is folded to "。")
)
# Every payload `_ENCODED` finds holds one of these (16 letters and digits in a row, an escape,
# a percent-encoded byte, an entity); most answers, English ones too, hold none. (One class
# opens the pattern, each branch looking behind at its own first character: `re` then skips
# in C to the characters a payload starts with instead of trying four branches everywhere.)
_ENCODED_HINT = re.compile(
    r"[a-z0-9+/\\%&](?:(?<=[a-z0-9+/])[a-z0-9+/]{15}|(?<=\\)[ux]|(?<=%)[0-9a-f]{2}|(?<=&)#)"
)
# A numbered list whose marks folding dropped ("1)anaphase2)telophase3)…"): words, not a payload.
_NUMBERED = re.compile(r"(?:([0-9]{1,2})[a-z]{3,})+")
_NUMBER = re.compile("[0-9]+")


def _numbered_list(run: str) -> bool:
    """Whether a run of letters and digits is words numbered 1, 2, 3, … in a row."""
    if _NUMBERED.fullmatch(run) is None:
        return False
    numbers = [int(n) for n in _NUMBER.findall(run)]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# ROT13 keeps the shape of English: the answer is read decoded (same length, so offsets hold)
# when one of these rotated words is present.
_ROT13_HINTS = re.compile("vtaber|qvfertneq|znexf|fpber|cbvagf|tenqr|njneq|ehoevp|vafgehpgvba")
ROT13 = str.maketrans("abcdefghijklmnopqrstuvwxyz", "nopqrstuvwxyzabcdefghijklm")
# Every shape `_structure` finds holds one of these: a marker's "<", "/" or "#", an id's "_", or
# a key's last letter before its "，" or "=" (a Chinese answer without Latin letters holds none).
# The letter is tested behind the comma, so that letters are not candidates to `re`, and one class
# opens the pattern, so that `re` skips in C to its characters.
_STRUCTURE_HINT = re.compile(r"[_<#/，=](?<![^a-z ]=)(?<![^a-z]，)(?<!^，)")
# Letters interleaved one by one with a symbol ("满🌟分🌟通🌟过", "W🔥R🔥I🔥T🔥E",
# "处\u200b理\u200b投\u200b诉"): no one writes an answer so, and a model reads straight
# through it. Like an encoded payload, the shape is the tell, whatever the letters say. The
# separators are pictographs, arrows, dingbats, format and zero-width characters, soft hyphens,
# variation selectors, bullets, "*", "~" and line breaks (a word written down a column, a letter
# a line), a space beside them allowed; a list's "、", "/" or
# ", " is none, nor is "." ("U.S.A.", "a.m."; `coach.text.reveal` reads "忽.略.评.分").
_SYMBOLS = (
    "\u00ad\u00b7\u2022\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f"
    "\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff*~"
)
_INTERLEAVED = re.compile(rf"(?<![^\W\d_])[^\W\d_](?: ?[{_SYMBOLS}\n]{{1,3}} ?[^\W\d_]){{3,}}")
# A separator other than a line break, or two lines of one letter each in a row: two patterns,
# since one class alone lets `re` skip in C to its characters (an alternation is tried at every
# character), and a text of one line holds no two lines.
_INTERLEAVED_HINT = re.compile(rf"[{_SYMBOLS}]")
_LETTER_LINES = re.compile(r"^[^\S\n]*[^\W\d_][^\S\n]*\n[^\S\n]*[^\W\d_][^\S\n]*$", re.MULTILINE)
# An HTML element styled out of a reader's sight (no size, no display, transparent, hidden):
# like a comment, its text is there for a model alone.
_HIDDEN_ELEMENT = re.compile(
    r"<([a-z][a-z0-9]*)\b[^>]*?(?:font-size\s*:\s*0|display\s*:\s*none|visibility\s*:\s*hidden"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])|\bhidden\b)[^>]*>(.*?)</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
# A sentence ends at "。" or at a full stop after a word, unless a letter or digit follows it
# ("e.g", "3.5", "www.example.com").
_ENDS = re.compile(rf"{SENTENCE_END}|\.(?<=[^\W_]\.)(?![a-z0-9])")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of normalized text: up to each "。", or a full stop after a word."""
    spans = []
    start = 0
    for end in _ENDS.finditer(text):
        spans.append((start, end.end()))
        start = end.end()
        while start < len(text) and text[start] == " ":
            start += 1  # the space after a full stop belongs to neither sentence
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentences that `[start, end)` touches."""
    starts = [first for first, _ in sentences]
    first = max(0, bisect_right(starts, start) - 1)
    last = max(0, bisect_right(starts, max(start, end - 1)) - 1)
    return sentences[first][0], sentences[last][1]


def _structure(text: str) -> list[tuple[int, int]]:
    """Spans of the structural shapes: JSON grades, id lists, markers, comments. (Score lines
    are a shape of the revealed text: see `coach.text.grading_concepts`.)"""
    found = [m.span() for m in _MARKER.finditer(text)]
    key_hits = list(_GRADE_KEY.finditer(text))
    id_hits = list(_ID.finditer(text)) if "_" in text else []
    if key_hits or id_hits:
        sentences = _sentences(text)
        starts = [start for start, _ in sentences]
        keys: dict[int, set[str]] = {}
        ids: dict[int, list[str]] = {}
        for match in key_hits:
            key = match.group()[0] + next(group for group in match.groups() if group is not None)
            keys.setdefault(bisect_right(starts, match.start()) - 1, set()).add(key)
        for match in id_hits:
            ids.setdefault(bisect_right(starts, match.start()) - 1, []).append(match.group())
        for k in {k for k, named in keys.items() if len(named) >= 2} | set(ids):
            start, end = sentences[k]
            many = len(keys.get(k, ())) >= 2 or len(ids.get(k, ())) >= 2
            if many or {"score", "full_marks"} & tags_of(text[start:end]):
                found.append((start, end))
    if "<。--" in text:
        for match in _COMMENT.finditer(text):
            if _HIDDEN_CONCEPTS & tags_of(match.group(1)):
                found.append(match.span())
    return found


def _interleaving_hinted(original: str) -> bool:
    """Whether `original` holds a separator of interleaved letters, or two one-letter lines."""
    if _INTERLEAVED_HINT.search(original) is not None:
        return True
    return "\n" in original and _LETTER_LINES.search(original) is not None


@functools.lru_cache(maxsize=8)  # an LLM grade asks twice: the screen, and the quote finder
def injection_sentences(text: str, original: str = "", prompt: str = "") -> tuple[Hit, ...]:
    """Sentences of normalized text that speak to the grader instead of answering; given the
    `original` answer too, its lines are also read for an acrostic; given the question's
    normalized `prompt`, score words are the job's where it asks about scores."""
    found = addressed_spans(text, prompt)
    if original:
        found += acrostic_spans(original, text)
    if _ROT13_HINTS.search(text) is not None:
        found += addressed_spans(text.translate(ROT13))
    if _ENCODED_HINT.search(text) is not None:
        found += [m.span() for m in _ENCODED.finditer(text) if not _numbered_list(m.group())]
    if _STRUCTURE_HINT.search(text) is not None:
        found += _structure(text)
    if original and _interleaving_hinted(original):
        found += located([m.group() for m in _INTERLEAVED.finditer(original)], text)
    if original and "<" in original:  # the text of each element styled out of sight
        found += located([m.group(2) for m in _HIDDEN_ELEMENT.finditer(original)], text)
    if original and hinted_anywhere(text):
        found += aside_spans(original, text, lambda bare: addressed_spans(bare, prompt))
    if not found:
        return ()
    sentences = _sentences(text)
    spans: list[Hit] = []
    for match_start, match_end in sorted(found):
        start, end = _sentence_of(sentences, match_start, match_end)
        if spans and start < spans[-1].end:
            spans[-1] = Hit(spans[-1].start, max(end, spans[-1].end))
        else:
            spans.append(Hit(start, end))
    return tuple(spans)
