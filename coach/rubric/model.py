"""Rubric data model: banks of questions with criteria, key points, bands and deductions.

These models are the public contract of a rubric file. They are strict (`extra="forbid"`) so
that a typo in a YAML key is an error naming the field, not a silently ignored setting.

Matching vocabulary (used by `variants` and `triggers`):

* a plain phrase matches where it occurs in the normalized answer (Traditional folded to
  Simplified, full-width to half-width, case folded);
* ``A*B`` matches ``A`` followed, within the same sentence and at most 12 characters later,
  by ``B`` ("安抚*情绪" matches "安抚客户的情绪");
* a phrase made only of ASCII letters and digits matches whole words only ("ATM", "KYC").
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QuestionKind = Literal["behavioral", "situational", "knowledge", "roleplay", "scenario", "open"]
Language = Literal["zh", "en"]

_Id = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_phrases(phrases: list[str]) -> list[str]:
    for phrase in phrases:
        if not phrase:
            raise ValueError("empty phrase")
        if phrase.startswith("*") or phrase.endswith("*") or "**" in phrase:
            raise ValueError(f"bad gap pattern {phrase!r}: '*' must join two non-empty parts")
    return phrases


class KeyPoint(_Strict):
    """One thing a good answer says, recognised through any of its phrasings."""

    id: str = _Id
    text: str = Field(min_length=1, description="What the key point is, in the bank's language.")
    variants: list[str] = Field(
        min_length=1,
        description="Phrasings that count as making this point (keywords, synonyms, 'A*B' gaps).",
    )
    weight: float = Field(default=1.0, gt=0, description="Relative weight within its criterion.")

    _phrases = field_validator("variants")(_check_phrases)


class Band(_Strict):
    """Count-to-points rule: `hits` or more key points of the criterion earn `points`."""

    hits: int = Field(ge=1)
    points: float = Field(ge=0)


class Level(_Strict):
    """A level descriptor for graders that judge holistically (rendered into LLM prompts)."""

    points: float = Field(ge=0)
    description: str = Field(min_length=1)


class Criterion(_Strict):
    """A scored dimension of a question; its key points decide the points offline."""

    id: str = _Id
    name: str = Field(min_length=1)
    points: float = Field(gt=0)
    description: str = Field(min_length=1)
    key_points: list[KeyPoint] = Field(min_length=1)
    bands: list[Band] = Field(
        default_factory=list,
        description="Optional count-to-points rule; without it, credit is proportional to weight.",
    )
    levels: list[Level] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        _unique([kp.id for kp in self.key_points], "key point id")
        if self.bands:
            hits = [band.hits for band in self.bands]
            if hits != sorted(set(hits)):
                raise ValueError("bands must have strictly increasing 'hits'")
            if any(b.points > self.points for b in self.bands):
                raise ValueError(f"a band awards more than the criterion's {self.points} points")
            if hits[-1] > len(self.key_points):
                raise ValueError(
                    f"a band needs {hits[-1]} hits but there are only "
                    f"{len(self.key_points)} key points"
                )
        for level in self.levels:
            if level.points > self.points:
                raise ValueError(f"a level awards more than the criterion's {self.points} points")
        return self

    def points_for(self, hit: Collection[str]) -> float:
        """The points the key points with ids in `hit` earn: by the count bands if there are
        any, otherwise in proportion to their weights."""
        if self.bands:
            count = sum(1 for kp in self.key_points if kp.id in hit)
            return max((b.points for b in self.bands if count >= b.hits), default=0.0)
        total = sum(kp.weight for kp in self.key_points)
        return self.points * sum(kp.weight for kp in self.key_points if kp.id in hit) / total


class Deduction(_Strict):
    """A red flag (promising returns, leaking data, ...) that costs points when said."""

    id: str = _Id
    description: str = Field(min_length=1)
    points: float = Field(gt=0, description="Points taken off when triggered.")
    triggers: list[str] = Field(min_length=1, description="Phrases that show the red flag.")
    negation_aware: bool = Field(
        default=True,
        description="Ignore a trigger that is negated or condemned ('我绝不会保证收益').",
    )

    _phrases = field_validator("triggers")(_check_phrases)


class Question(_Strict):
    """One interview question with its scoring rubric."""

    id: str = _Id
    kind: QuestionKind
    prompt: str = Field(min_length=1)
    points: float = Field(gt=0)
    competencies: list[str] = Field(default_factory=list)
    criteria: list[Criterion] = Field(min_length=1)
    deductions: list[Deduction] = Field(default_factory=list)
    model_answer: str = Field(min_length=1)
    topic_terms: list[str] = Field(
        default_factory=list,
        description="Phrases of which an on-topic answer uses at least one; none -> off-topic.",
    )
    follow_ups: list[str] = Field(default_factory=list)
    min_chars: int | None = Field(
        default=None, ge=1, description="Shorter answers are flagged too short."
    )
    added: bool = Field(
        default=False, description="True when the question is not in the source document."
    )
    source_ref: str | None = Field(default=None, description="Where in the source it comes from.")
    points_note: str | None = Field(
        default=None,
        description="Why the criteria points do not add up to the question's points.",
    )

    _topic = field_validator("topic_terms")(_check_phrases)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        _unique([c.id for c in self.criteria], "criterion id")
        _unique([d.id for d in self.deductions], "deduction id")
        total = sum(c.points for c in self.criteria)
        if not math.isclose(total, self.points, abs_tol=1e-9) and not self.points_note:
            raise ValueError(
                f"criteria points add up to {total:g}, not the question's {self.points:g} "
                "(fix them or explain why in 'points_note')"
            )
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


class Bank(_Strict):
    """A question bank: the unit a rubric file holds."""

    id: str = _Id
    title: str = Field(min_length=1)
    language: Language
    role: str = Field(min_length=1, description="The job the interview is for.")
    source: str = Field(min_length=1, description="Where the questions come from.")
    version: str = Field(default="1", min_length=1)
    description: str | None = None
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_questions(self) -> Bank:
        _unique([q.id for q in self.questions], "question id")
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id; `KeyError` lists the ids that exist."""
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {question_id!r} in bank {self.id!r} (known: {known})")


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {what} {item!r}")
        seen.add(item)
