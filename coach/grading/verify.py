"""Checking an LLM's grade against the rubric and the answer, and turning it into numbers.

The model proposes; code decides. What each problem leads to:

* a criterion of the rubric missing from the reply: `InvalidReply`, which the grader turns into
  a re-ask carrying the message (then a fallback, or `LLMReplyError` in mode "llm");
* an unknown or repeated criterion id: the entry is ignored (`reply_repaired` flag);
* points below 0 or above the criterion's maximum: clamped (`points_clamped` flag);
* an evidence quote that is not in the answer (invented, paraphrased, or taken from the rubric),
  or that quotes a sentence addressed to the grader: dropped; a criterion awarded points
  without one verified quote gets 0 (`unverified_evidence`);
* key point ids not of that criterion: ignored;
* a key point counts as made only where a verified quote bears on it (`grading/relevance.py`);
  a quote that bears on no key point of its criterion is not kept as evidence, and the key
  points claimed without one are listed in `Verified.unsupported`: `combine` caps the
  criterion's points at what the supported key points (or the keyword grade) earn;
* a deduction counts only with a verified quote, and costs the rubric's points, not the model's;
* a STAR part counts as told only with a verified quote.

Quotes are found in the normalized answer, so Traditional/Simplified, full-width and punctuation
differences do not matter; a quote elided with "……" is checked piece by piece. Verified
evidence is cut from the candidate's original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.grading.relevance import Relevance
from coach.llm.reply import GradeReply, InvalidReply
from coach.rubric.model import Question
from coach.text.content import content_of
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END, NormalizedText, normalize
from coach.text.substance import explains

STAR_PARTS = ("situation", "task", "action", "result")
MIN_QUOTE_CONTENT = 2  # letters, digits or ideographs a quote (or each elided piece) needs
_ELISION = re.compile(r"…+|⋯+|\.{3,}|。{2,}")
_LOOSE = f"[{SENTENCE_END}{CLAUSE_BREAK} ]*"

Span = tuple[int, int]


@dataclass
class Verified:
    """The checked grade, as plain data ready for `GradeResult`."""

    criteria: list[dict[str, Any]]
    deductions: list[dict[str, Any]]
    notes: dict[str, list[str]] = field(default_factory=dict)  # flag code -> what was repaired
    star: dict[str, Any] | None = None  # STAR parts with verified evidence (behavioral only)
    # criterion id -> key points the model claimed that no verified quote bears on
    unsupported: dict[str, list[str]] = field(default_factory=dict)
    # criterion id -> verified quotes that bear on none of the criterion's key points
    irrelevant: dict[str, int] = field(default_factory=dict)
    # the clauses (normalized) of verified quotes that bear on a key point: all of the answer
    # the model's own texts may repeat
    relevant_text: list[str] = field(default_factory=list)

    def note(self, code: str, what: str) -> None:
        self.notes.setdefault(code, []).append(what)


class QuoteFinder:
    """Finds quotes in one normalized answer and maps them to the original text.

    A quote that overlaps an `excluded` span of the original (a sentence addressed to the
    grader) is not evidence: an obedient model would quote the injection itself.
    """

    def __init__(
        self,
        answer: NormalizedText,
        to_original: Callable[[int, int], Span],
        excluded: Sequence[Span] = (),
    ) -> None:
        self.answer = answer
        self.to_original = to_original  # from `answer.original` offsets to the caller's text
        self.excluded = tuple(excluded)
        self._located: dict[str, list[Span] | None] = {}  # quote -> `locate(quote)`

    def _find(self, folded: str, start: int) -> Span | None:
        """Where normalized quote piece `folded` is in the answer, from `start` on."""
        text = folded.strip(f"{SENTENCE_END}{CLAUSE_BREAK} ")
        if len(content_of(text)) < MIN_QUOTE_CONTENT:
            return None
        at = self.answer.text.find(text, start)
        if at >= 0:
            return at, at + len(text)
        # Punctuation and spaces may differ between the quote and the answer.
        chars = [re.escape(c) for c in text if c not in f"{SENTENCE_END}{CLAUSE_BREAK} "]
        match = re.compile(_LOOSE.join(chars)).search(self.answer.text, start)
        return (match.start(), match.end()) if match else None

    def found(self, quote: str) -> list[Span] | None:
        """`locate(quote)`, looked up once per quote: a reply often quotes one sentence for
        several criteria."""
        if quote not in self._located:
            self._located[quote] = self.locate(quote)
        return self._located[quote]

    def locate(self, quote: str) -> list[Span] | None:
        """Spans in the original text of every piece of `quote`, or None if any is missing."""
        spans: list[Span] = []
        at = 0
        for piece in _ELISION.split(quote):
            folded = normalize(piece).text
            if not content_of(folded):
                continue
            found = self._find(folded, at)
            if found is None:
                return None
            at = found[1]
            start, end = self.to_original(*self.answer.original_span(*found))
            if any(start < stop and first < end for first, stop in self.excluded):
                return None
            spans.append((start, end))
        return spans or None


def _evidence(finder: QuoteFinder, original: str, quotes: Iterable[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[Span] = set()
    for quote in quotes:
        for start, end in finder.found(quote) or ():
            if (start, end) not in seen:
                seen.add((start, end))
                out.append({"quote": original[start:end], "start": start, "end": end})
    return out


def verify_reply(
    reply: GradeReply,
    question: Question,
    finder: QuoteFinder,
    original: str,
    relevance: Relevance | None = None,
) -> Verified:
    """Check `reply` against the rubric of `question` and the answer `finder` searches.

    `relevance` (of `question`; built here when not given) decides which quotes bear on which
    key points.

    Raises `InvalidReply` when a criterion is missing: that is worth a re-ask.
    """
    by_id = {}
    verified = Verified(criteria=[], deductions=[])
    relevance = relevance or Relevance(question)
    known = {c.id for c in question.criteria}
    for entry in reply.criteria:
        if entry.id not in known or entry.id in by_id:
            verified.note("reply_repaired", f"criterion {entry.id!r} ignored")
            continue
        by_id[entry.id] = entry
    missing = [c.id for c in question.criteria if c.id not in by_id]
    if missing:
        ids = ", ".join(c.id for c in question.criteria)
        raise InvalidReply(
            f"criteria missing: {', '.join(missing)}; give one entry for each of {ids}"
        )

    for criterion in question.criteria:
        entry = by_id[criterion.id]
        points = entry.points
        if not 0 <= points <= criterion.points:
            points = min(max(points, 0.0), criterion.points)
            verified.note("points_clamped", f"{criterion.id}: {entry.points:g} -> {points:g}")
        evidence = _evidence(finder, original, entry.evidence)
        if points > 0 and not evidence:
            verified.note("unverified_evidence", criterion.id)
            points = 0.0
        own = [kp.id for kp in criterion.key_points]
        claimed = set(entry.key_points)
        # A key point that asks for an explanation rests only on a clause that gives one.
        named_only = {kp.id for kp in criterion.key_points if kp.requires == "explanation"}
        bearing = {}
        for index, quote in enumerate(evidence):
            clauses = relevance.bearing(quote["quote"], own)
            if named_only:
                clauses = _explained(clauses, named_only)
            verified.relevant_text += clauses
            bearing[index] = set().union(*clauses.values()) if clauses else set()
        supported = set().union(*bearing.values()) if bearing else set()
        hit = [kp for kp in own if kp in claimed and kp in supported]
        if unsupported := [kp for kp in own if kp in claimed and kp not in supported]:
            verified.unsupported[criterion.id] = unsupported
        if dropped := sum(1 for kps in bearing.values() if not kps):
            verified.irrelevant[criterion.id] = dropped
        verified.criteria.append(
            {
                "id": criterion.id,
                "name": criterion.name,
                "points": round(points, 2),
                "max_points": criterion.points,
                "rationale": entry.rationale,
                "evidence": [q for index, q in enumerate(evidence) if bearing[index]],
                "key_points_hit": hit,
                "key_points_missed": [kp for kp in own if kp not in hit],
            }
        )

    deductions = {d.id: d for d in question.deductions}
    for claim in reply.deductions:
        rule = deductions.get(claim.id)
        if rule is None or any(d["id"] == claim.id for d in verified.deductions):
            continue
        evidence = _evidence(finder, original, claim.evidence)
        if not evidence:
            verified.note("unverified_evidence", f"deduction {claim.id}")
            continue
        verified.deductions.append(
            {
                "id": rule.id,
                "description": rule.description,
                "points": rule.points,
                "evidence": evidence,
            }
        )
    if reply.star is not None and question.kind == "behavioral":
        verified.star = {}
        for name in STAR_PARTS:
            part = getattr(reply.star, name)
            quotes = _evidence(finder, original, [part.evidence]) if part.present else []
            # A part counts as told only where the answer shows it.
            verified.star[name] = {
                "present": bool(quotes),
                "evidence": quotes[0] if quotes else None,
            }
    return verified


def _explained(clauses: dict[str, set[str]], named_only: set[str]) -> dict[str, set[str]]:
    """`clauses` with the key points in `named_only` kept only where the clause explains."""
    kept = {}
    for clause, kps in clauses.items():
        if not explains(clause):
            kps = kps - named_only
        if kps:
            kept[clause] = kps
    return kept
