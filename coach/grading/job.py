"""One grade prepared before any request: the answer as it leaves the machine, and its way back.

The text sent to the model is not the candidate's text: hidden tag characters are spelled out,
personal data is replaced, and a long answer is cut to a token budget. The model quotes that
text, so `outgoing` also builds the `QuoteFinder` that maps a quote back to the candidate's own
characters, and refuses sentences addressed to the grader as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coach.grading.combine import pii_flag, truncated_flag
from coach.grading.verify import QuoteFinder
from coach.llm.exchange import Exchange
from coach.result import GradeResult
from coach.rubric.model import Bank, Question
from coach.text.injection import injection_sentences
from coach.text.match import Hit
from coach.text.normalize import NormalizedText, normalize, reveal_tags
from coach.text.plain_prose import unplain_spans
from coach.text.redact import redact
from coach.text.screen import grading_talk
from coach.text.sections import vehicle_spans
from coach.text.tokens import truncate_to_budget


@dataclass(frozen=True, slots=True)
class Job:
    """Everything one grade needs, prepared before any request."""

    bank: Bank
    question: Question
    answer: str
    keyword: GradeResult
    exchange: Exchange | None  # None: decided without the LLM
    finder: QuoteFinder | None
    flags: tuple[dict[str, Any], ...]  # pii_redacted, truncated
    folded: NormalizedText  # the answer normalized, for offline coaching
    cache_key: str | None = None
    feedback_language: str | None = None  # of the grader's own sentences; None: the bank's
    # The answer's talk about its grade (`screen.grading_talk`), read once for the quote finder
    # and kept for the result, which keeps no text of the model where there is any.
    talk: tuple[Hit, ...] = ()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """The answer as the model will see it."""

    text: str  # redacted and cut to the budget
    searched: NormalizedText  # `text` before the cut, normalized: where quotes are looked for
    finder: QuoteFinder
    flags: tuple[dict[str, Any], ...]
    cut: bool
    talk: tuple[Hit, ...]  # normalized ranges of the answer that talk about its grade

    @property
    def sent_normalized(self) -> str:
        """The normalized text actually sent: what a cached reply must have been about."""
        return normalize(self.text).text if self.cut else self.searched.text


def outgoing(
    answer: str,
    folded: NormalizedText,
    language: str,
    *,
    allow_pii: bool,
    max_answer_tokens: int,
    model: str,
    prompt: str = "",
    recited: Sequence[tuple[int, int]] = (),
) -> Outgoing:
    """`answer` (already normalized as `folded`) made ready to send; `prompt` is the
    question's, normalized (see `_unquotable`); `recited`: ranges of `folded.text` that
    recite key-point texts, which no quote may use (`grading/recital.py`)."""
    flags: list[dict[str, Any]] = []
    # Hidden tag characters go out as the text they spell, as the screen read them.
    sent = reveal_tags(answer)
    to_original = _identity
    if not allow_pii:
        redaction = redact(sent)  # offsets of `sent` are those of `answer`
        if redaction.found:
            sent = redaction.text
            to_original = redaction.original_span
            flags.append(pii_flag(language, redaction.counts))
    searched = folded if sent is answer else normalize(sent)  # no PII: the same text
    talk = grading_talk(folded.text, folded.original, prompt)
    unquotable = _unquotable(folded, prompt, talk)
    unquotable += [folded.original_span(start, end) for start, end in recited]
    finder = QuoteFinder(searched, to_original, unquotable)
    sent, cut = truncate_to_budget(sent, max_answer_tokens, model)
    if cut:
        flags.append(truncated_flag(language, max_answer_tokens))
    return Outgoing(sent, searched, finder, tuple(flags), cut, talk)


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


def _unquotable(
    folded: NormalizedText, prompt: str, talk: tuple[Hit, ...] | None = None
) -> list[tuple[int, int]]:
    """Original-text spans of the sentences that address the grader instead of answering, of
    the text that talks about the grade (`screen.grading_talk`), and of the paragraphs set
    apart for either, and, on an answer with any of them, of what is not plain prose
    (`coach.text.plain_prose`): read in the whole answer, since a piece of a checklist
    ("- [x] 倾听") quoted alone no longer looks like one. `talk`: that text, where the caller
    has read it (the fuzz tests build a finder without)."""
    if talk is None:
        talk = grading_talk(folded.text, folded.original, prompt)
    addressed = [
        (h.start, h.end) for h in injection_sentences(folded.text, folded.original, prompt)
    ]
    spans = [*addressed, *talk]
    spans += vehicle_spans(folded.original, folded.text, spans, addressed)
    if spans:  # caught planting text for the grader, it earns only with its plain prose
        spans += unplain_spans(folded.original, folded.text)
    return [folded.original_span(start, end) for start, end in spans]
