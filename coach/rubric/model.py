"""Rubric data model: banks of questions with criteria, key points, bands and deductions.

These models are the public contract of a rubric file. They are strict (`extra="forbid"`) so
that a typo in a YAML key is an error naming the field, not a silently ignored setting.

Matching vocabulary (used by `variants` and `triggers`):

* a plain phrase matches where it occurs in the normalized answer (Traditional folded to
  Simplified, full-width to half-width, case folded);
* ``A*B`` matches ``A`` followed, within the same sentence and at most 12 characters later,
  by ``B`` ("安抚*情绪" matches "安抚客户的情绪");
* a phrase made only of ASCII letters and digits matches whole words only ("ATM", "KYC"),
  each English word in its inflected forms and with one typo in a long word
  (`coach.text.english`).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

QuestionKind = Literal["behavioral", "situational", "knowledge", "roleplay", "scenario", "open"]
Language = Literal["zh", "en"]

_Id = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)

# Limits that keep a rubric a rubric: generous for a real bank (the built-in ones use a small
# fraction of each), small enough that a runaway or hostile file is refused with a message
# instead of taking seconds to validate and minutes to grade against. The file size limit is
# the loader's (`MAX_FILE_BYTES`).
MAX_POINTS = 1000  # on a question, criterion, deduction, band or level; also a weight's cap
MAX_QUESTIONS = 500  # the longest list of all (the loader refuses any longer one at once)
MAX_CRITERIA = 50  # per question; deductions too
MAX_KEY_POINTS = 50  # per criterion; bands and levels too
MAX_PHRASES = 200  # variants per key point, triggers per deduction, topic terms per question
MAX_PHRASE_CHARS = 100
MAX_NAME_CHARS = 200  # titles, names, roles, competencies
MAX_TEXT_CHARS = 5_000  # prompts, descriptions, key point texts, follow-ups, notes
MAX_ANSWER_CHARS = 20_000  # a model answer

_Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
_Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]


def _points(*, zero: bool = False, description: str | None = None) -> Any:
    """A finite number of points above 0 (or from 0) up to `MAX_POINTS`."""
    return Field(
        ge=0 if zero else None,
        gt=None if zero else 0,
        le=MAX_POINTS,
        allow_inf_nan=False,
        description=description,
    )


def problem(reason: str, *, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A rubric error a validator raises: reported as `reason` alone (no "Value error, "), at
    the location `at` below the model that raised it (the loader adds it to pydantic's)."""
    return PydanticCustomError("rubric", "{reason}", {"reason": reason, "at": at})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_phrases(phrases: list[str]) -> list[str]:
    for index, phrase in enumerate(phrases):
        if not phrase:
            raise problem("empty phrase", at=(index,))
        if len(phrase) > MAX_PHRASE_CHARS:
            raise problem(
                f"a phrase of {len(phrase)} characters; at most {MAX_PHRASE_CHARS}", at=(index,)
            )
        if phrase.startswith("*") or phrase.endswith("*") or "**" in phrase:
            raise problem(
                f"bad gap pattern {phrase!r}: '*' must join two non-empty parts", at=(index,)
            )
    return phrases


class KeyPoint(_Strict):
    """One thing a good answer says, recognised through any of its phrasings."""

    id: str = _Id
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="What the key point is, in the bank's language.",
    )
    variants: list[str] = Field(
        min_length=1,
        max_length=MAX_PHRASES,
        description="Phrasings that count as making this point (keywords, synonyms, 'A*B' gaps).",
    )
    weight: float = Field(
        default=1.0,
        gt=0,
        le=MAX_POINTS,
        allow_inf_nan=False,
        description="Relative weight within its criterion.",
    )
    requires: Literal["mention", "explanation"] = Field(
        default="mention",
        description=(
            "What earns the point: 'mention' (a matching phrase is enough) or 'explanation' "
            "(the phrase must sit in a clause that also says something about it, so a bare "
            "term in a list earns nothing)."
        ),
    )

    _phrases = field_validator("variants")(_check_phrases)


class Band(_Strict):
    """Count-to-points rule: `hits` or more key points of the criterion earn `points`."""

    hits: int = Field(ge=1, le=MAX_KEY_POINTS)
    points: float = _points(zero=True)


class Level(_Strict):
    """A level descriptor for graders that judge holistically (rendered into LLM prompts)."""

    points: float = _points(zero=True)
    description: _Text


class Criterion(_Strict):
    """A scored dimension of a question; its key points decide the points offline."""

    id: str = _Id
    name: _Name
    points: float = _points()
    description: _Text
    key_points: list[KeyPoint] = Field(min_length=1, max_length=MAX_KEY_POINTS)
    bands: list[Band] = Field(
        default_factory=list,
        max_length=MAX_KEY_POINTS,
        description="Optional count-to-points rule; without it, credit is proportional to weight.",
    )
    levels: list[Level] = Field(default_factory=list, max_length=MAX_KEY_POINTS)

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        _unique([kp.id for kp in self.key_points], "key point id", "key_points")
        if self.bands:
            hits = [band.hits for band in self.bands]
            if hits != sorted(set(hits)):
                raise problem("bands must have strictly increasing 'hits'", at=("bands",))
            for index, band in enumerate(self.bands):
                if band.points > self.points:
                    raise problem(
                        f"a band awards more than the criterion's {self.points:g} points",
                        at=("bands", index),
                    )
            if hits[-1] > len(self.key_points):
                raise problem(
                    f"a band needs {hits[-1]} hits but there are only "
                    f"{len(self.key_points)} key points",
                    at=("bands", len(hits) - 1),
                )
        for index, level in enumerate(self.levels):
            if level.points > self.points:
                raise problem(
                    f"a level awards more than the criterion's {self.points:g} points",
                    at=("levels", index),
                )
        return self

    def points_for(self, hit: Collection[str]) -> float:
        """The points the key points with ids in `hit` earn (see `points_earned`)."""
        found = [kp for kp in self.key_points if kp.id in hit]
        return self.points_earned(len(found), sum(kp.weight for kp in found))

    def points_earned(self, hits: int, weight: float) -> float:
        """The points `hits` key points of total weight `weight` earn: by the count bands if
        there are any, otherwise in proportion to the weights. The one place of this rule: the
        keyword grader and the cap on an LLM's points both use it."""
        if self.bands:
            return max((b.points for b in self.bands if hits >= b.hits), default=0.0)
        return self.points * weight / sum(kp.weight for kp in self.key_points)


class Deduction(_Strict):
    """A red flag (promising returns, leaking data, ...) that costs points when said."""

    id: str = _Id
    description: _Text
    points: float = _points(description="Points taken off when triggered.")
    triggers: list[str] = Field(
        min_length=1, max_length=MAX_PHRASES, description="Phrases that show the red flag."
    )
    negation_aware: bool = Field(
        default=True,
        description="Ignore a trigger that is negated or condemned ('我绝不会保证收益').",
    )

    _phrases = field_validator("triggers")(_check_phrases)


class Question(_Strict):
    """One interview question with its scoring rubric."""

    id: str = _Id
    kind: QuestionKind
    prompt: _Text
    points: float = _points()
    competencies: list[_Name] = Field(default_factory=list, max_length=MAX_CRITERIA)
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_CRITERIA)
    deductions: list[Deduction] = Field(default_factory=list, max_length=MAX_CRITERIA)
    model_answer: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    topic_terms: list[str] = Field(
        default_factory=list,
        max_length=MAX_PHRASES,
        description="Phrases of which an on-topic answer uses at least one; none -> off-topic.",
    )
    follow_ups: list[_Text] = Field(default_factory=list, max_length=MAX_CRITERIA)
    min_chars: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ANSWER_CHARS,
        description="Shorter answers are flagged too short.",
    )
    added: bool = Field(
        default=False, description="True when the question is not in the source document."
    )
    source_ref: str | None = Field(
        default=None, max_length=MAX_TEXT_CHARS, description="Where in the source it comes from."
    )
    points_note: str | None = Field(
        default=None,
        max_length=MAX_TEXT_CHARS,
        description="Why the criteria points do not add up to the question's points.",
    )

    _topic = field_validator("topic_terms")(_check_phrases)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        _unique([c.id for c in self.criteria], "criterion id", "criteria")
        _unique([d.id for d in self.deductions], "deduction id", "deductions")
        total = sum(c.points for c in self.criteria)
        if math.isclose(total, self.points, abs_tol=1e-9):
            return self
        if total > self.points:
            # A note may explain points the criteria leave to the interviewer, not a score
            # that could come to more than the question is worth.
            raise problem(
                f"criteria points add up to {total:g}, more than the question's "
                f"{self.points:g}: a grade could pass 100%"
            )
        if not self.points_note:
            raise problem(
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
    title: _Name
    language: Language
    role: _Name = Field(description="The job the interview is for.")
    source: _Text = Field(description="Where the questions come from.")
    version: str = Field(
        default="1",
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="A label; a number is read as text.",
        json_schema_extra={"type": ["string", "number"]},
    )
    description: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    questions: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # `version: 1` or `version: 2.1` in YAML is a number; a version is a label.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @model_validator(mode="after")
    def _unique_questions(self) -> Bank:
        _unique([q.id for q in self.questions], "question id", "questions")
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id; `KeyError` lists the ids that exist."""
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {question_id!r} in bank {self.id!r} (known: {known})")


def _unique(ids: list[str], what: str, field: str) -> None:
    """Refuse a repeated id, located at the repeat (`field`, its index, "id")."""
    first: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in first:
            raise problem(
                f"duplicate {what} {item!r} (also item {first[item] + 1} of {field!r})",
                at=(field, index, "id"),
            )
        first[item] = index
