"""Offline coaching: strengths, improvements, follow-up questions, STAR and a reference answer.

Everything here is derived from the rubric and the keyword grader's findings, so it is
deterministic and in the bank's language, and it never invents praise: a strength is a
criterion that earned at least 75% of its points, quoted where it was earned. An improvement
names the criterion and the missed key point, with a way to say it taken from the model answer
(the clause where that key point is made). Follow-ups are the rubric's own first, then probes
for the heaviest missed key points, as an interviewer would 追问. The improved answer offline is
the rubric's model answer, labelled as such: only the LLM path rewrites the candidate's answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from coach.grading.quotes import quote_span
from coach.grading.texts import Texts
from coach.result import Feedback, FollowUp, ImprovedAnswer
from coach.rubric.model import Question
from coach.text.match import Clauses
from coach.text.normalize import NormalizedText, normalize

STRONG_SHARE = 0.75  # a criterion at or above this share of its points is named a strength
TIPS_PER_CRITERION = 3
MAX_FOLLOW_UPS = 3
RUBRIC_FOLLOW_UPS = 2  # of those, at most this many from the rubric's own list
EXAMPLE_CHARS = 60


class KeyPointCoaching(NamedTuple):
    text: str
    weight: float
    example: str | None  # the model answer's clause that makes this point
    tip: str  # the improvement that asks for it
    probe: str  # the follow-up question that asks about it
    # The same two as models, made once: a grade holds them as they are (frozen, so shared),
    # and validating the grade checks only that they are models.
    improvement: Feedback
    follow_up: FollowUp


@dataclass(frozen=True, slots=True)
class CoachingRules:
    """What offline coaching needs of one question, worked out once."""

    key_points: Mapping[tuple[str, str], KeyPointCoaching]  # (criterion id, key point id)
    names: Mapping[str, str]  # criterion id -> name
    strengths: Mapping[str, str]  # criterion id -> the strength's sentence
    follow_ups: tuple[FollowUp, ...]
    behavioral: bool
    improved_answer: ImprovedAnswer


def coaching_rules(
    question: Question,
    patterns: Mapping[tuple[str, str], re.Pattern[str] | None],
    t: Texts,
) -> CoachingRules:
    """Compile the coaching of `question`; `patterns` are its key points' compiled phrasings."""
    model = normalize(question.model_answer)
    clauses = Clauses(model.text)
    key_points = {}
    for criterion in question.criteria:
        for kp in criterion.key_points:
            pattern = patterns.get((criterion.id, kp.id))
            example = _example(model, clauses, pattern) if pattern is not None else None
            tip = t.add_point.format(name=criterion.name, point=kp.text)
            probe = t.follow_up.format(point=kp.text)
            key_points[criterion.id, kp.id] = KeyPointCoaching(
                kp.text,
                kp.weight,
                example,
                tip,
                probe,
                improvement=Feedback(
                    text=tip, criterion_id=criterion.id, key_point_id=kp.id, example=example
                ),
                follow_up=FollowUp(question=probe, source="missed_key_point", key_point_id=kp.id),
            )
    return CoachingRules(
        key_points=key_points,
        names={c.id: c.name for c in question.criteria},
        strengths={c.id: t.strength.format(name=c.name) for c in question.criteria},
        follow_ups=tuple(FollowUp(question=q, source="rubric") for q in question.follow_ups),
        behavioral=question.kind == "behavioral",
        improved_answer=ImprovedAnswer(
            text=question.model_answer.strip(), source="model_answer", label=t.model_answer_label
        ),
    )


def _example(model: NormalizedText, clauses: Clauses, pattern: re.Pattern[str]) -> str | None:
    """The model answer's clause that makes a key point: of the clauses around its matches,
    the one where its phrasings match most often, the first of those tied. A short phrasing
    may also turn up in a clause about something else ("记录" in "调取借款记录"), where the
    clause that makes the point holds several ("在工单里完整记录、存档留痕")."""
    best: tuple[int, int] | None = None
    most = 0
    for match in pattern.finditer(model.text):
        first, last = quote_span(clauses, match.start(), match.end(), 20, EXAMPLE_CHARS)
        hits = sum(1 for _ in pattern.finditer(model.text, first, last))
        if hits > most:
            best, most = (first, last), hits
    return None if best is None else model.quote(*best)


def offline_feedback(
    rules: CoachingRules,
    t: Texts,
    criteria: list[dict[str, Any]],
    deductions: list[dict[str, Any]],
    star: dict[str, Any] | None,
    attempted: bool,
) -> dict[str, Any]:
    """The coaching fields of a keyword `GradeResult`, as plain data and the models of
    `rules` (the texts fixed by the rubric); `star`: the answer's STAR reading (`star_parts`,
    made on the answer as graded), None where the question is not behavioral."""
    strengths = []
    improvements: list[dict[str, Any] | Feedback] = [
        {"text": t.avoid.format(what=d["description"]), "deduction_id": d["id"]} for d in deductions
    ]
    missed: list[tuple[float, int, str, KeyPointCoaching]] = []
    for criterion in criteria:
        cid = criterion["id"]
        for kp_id in criterion["key_points_missed"]:
            coaching = rules.key_points[cid, kp_id]
            missed.append((-coaching.weight, len(missed), kp_id, coaching))
        if criterion["points"] >= STRONG_SHARE * criterion["max_points"]:
            quotes = criterion["evidence"]
            strengths.append(
                {
                    "text": rules.strengths[cid],
                    "criterion_id": cid,
                    "example": quotes[0]["quote"] if quotes else None,
                }
            )
            continue
        for kp_id in criterion["key_points_missed"][:TIPS_PER_CRITERION]:
            improvements.append(rules.key_points[cid, kp_id].improvement)
    if star is not None and attempted:
        absent = [t.star_names[part] for part, found in star.items() if not found["present"]]
        if absent:
            parts = t.name_separator.join(absent)
            improvements.append({"text": t.star_missing.format(parts=parts)})
    follow_ups: list[FollowUp] = []
    if attempted:
        follow_ups = list(rules.follow_ups[:RUBRIC_FOLLOW_UPS])
        for _, _, _, coaching in sorted(missed):
            if len(follow_ups) >= MAX_FOLLOW_UPS:
                break
            follow_ups.append(coaching.follow_up)
    return {
        "strengths": strengths,
        "improvements": improvements,
        "follow_up_questions": follow_ups,
        "star": star,
        "improved_answer": rules.improved_answer,
    }
