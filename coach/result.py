"""`GradeResult`: what every grader returns, LLM or keyword, as one JSON-serializable model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Method = Literal["llm", "keyword"]
Status = Literal["graded", "fallback", "unscored"]
FlagCode = Literal[
    "blank",  # nothing but whitespace or punctuation
    "non_answer",  # "不知道", "pass", ... : no attempt at the question
    "too_short",  # shorter than the question's minimum
    "keyword_stuffing",  # a bare list of terms instead of sentences
    "suspected_injection",  # text addressed to the grader ("忽略以上评分标准", fake scores)
    "language_mismatch",  # answer not in the bank's language
    "off_topic",  # none of the question's topic terms
    "rubric_copy",  # mostly the rubric's own wording pasted back
    "repetition",  # the answer repeats its own sentences (pasted twice, one line over and over)
    "padding",  # filler: punctuation runs, lorem ipsum, the prompt restated, courtesy phrases
    "truncated",  # the answer or the model's reply was cut to a budget
    "pii_redacted",  # personal data was replaced before the text left the machine
    "needs_review",  # graders disagree, or a high score on a suspicious answer
    "points_clamped",  # the LLM gave points outside a criterion's range; code clamped them
    "unverified_evidence",  # the LLM quoted words that are not in the answer; they earn nothing
    "reply_repaired",  # parts of the LLM's reply that are not in the rubric were ignored
    "unsupported_credit",  # key points the LLM credited that no quote of it bears on
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Renderer = Callable[[Any], str]


class Displayed:
    """A model that prints as a report: `str()` gives the terminal text, Jupyter the HTML.

    The renderers belong to `coach.reports`, which registers them with `register_views` when
    it is imported (`import coach` does), so the results, at the bottom of the pipeline, never
    import the stage that draws them. Unregistered, a model shows its fields.
    """

    def __str__(self) -> str:
        views = _VIEWS.get(type(self))
        return views[0](self) if views else repr(self)

    def _repr_html_(self) -> str | None:
        """Jupyter shows the model as its report."""
        views = _VIEWS.get(type(self))
        return views[1](self) if views else None

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text view: the terminal report, not the field dump."""
        printer.text(str(self))


_VIEWS: dict[type, tuple[Renderer, Renderer]] = {}  # (text, html) of each displayed type


def register_views(kind: type[Displayed], text: Renderer, html: Renderer) -> None:
    """Make `text` and `html` the way `kind` shows itself."""
    _VIEWS[kind] = (text, html)


class Evidence(_Frozen):
    """A quote from the candidate's answer, with its place in the original text."""

    quote: str
    start: int = Field(ge=0, description="Index of the quote's first character in the answer.")
    end: int = Field(ge=0, description="Index just past the quote's last character.")


class Flag(_Frozen):
    """Something a reader of the score should know about the answer or the grading."""

    code: FlagCode
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class CriterionResult(_Frozen):
    id: str
    name: str
    points: float = Field(ge=0, description="Points awarded.")
    max_points: float = Field(gt=0)
    rationale: str
    evidence: list[Evidence] = Field(default_factory=list)
    key_points_hit: list[str] = Field(default_factory=list)
    key_points_missed: list[str] = Field(default_factory=list)


class DeductionResult(_Frozen):
    id: str
    description: str
    points: float = Field(gt=0, description="Points taken off.")
    evidence: list[Evidence] = Field(default_factory=list)


class Feedback(_Frozen):
    """One strength or one improvement, tied to what it is about.

    An improvement says what to add (`text`) and, where there is one, a way to say it
    (`example`); a strength quotes where the answer earned it (`example`).
    """

    text: str
    criterion_id: str | None = None
    key_point_id: str | None = None
    deduction_id: str | None = None
    example: str | None = None


FollowUpSource = Literal["rubric", "missed_key_point", "llm"]


class FollowUp(_Frozen):
    """A question an interviewer would ask next (追问), probing what the answer left out."""

    question: str
    source: FollowUpSource
    key_point_id: str | None = None


class StarPart(_Frozen):
    """One part of a behavioral answer's STAR structure, and where the answer gives it."""

    present: bool
    evidence: Evidence | None = None


class Star(_Frozen):
    """Situation, task, action, result: which parts a behavioral answer tells."""

    situation: StarPart
    task: StarPart
    action: StarPart
    result: StarPart

    @property
    def missing(self) -> list[str]:
        """The parts the answer does not tell, in STAR order."""
        parts = ("situation", "task", "action", "result")
        return [name for name in parts if not getattr(self, name).present]


class ImprovedAnswer(_Frozen):
    """A better answer to learn from, labelled with what it is.

    `source="rewrite"`: the LLM rewrote the candidate's answer, keeping their facts and filling
    the gaps (an example, not the only right answer). `source="model_answer"`: the rubric's own
    reference answer, shown when no LLM rewrote the answer.
    """

    text: str
    source: Literal["rewrite", "model_answer"]
    label: str


class Consistency(_Frozen):
    """How the samples of a self-consistent grade agreed."""

    samples: int = Field(description="Grades combined (requested samples that succeeded).")
    requested: int
    scores: list[float] = Field(description="Each sample's total, in the order graded.")
    score_spread: float = Field(description="Highest minus lowest total.")
    criterion_spread: dict[str, float] = Field(description="Per criterion, max minus min.")


class Usage(_Frozen):
    """Requests and tokens spent on one grade (all zero for the keyword grader)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float | None = None
    estimated: bool = Field(default=False, description="Token counts are estimates.")

    @classmethod
    def total(cls, usages: Iterable[Usage]) -> Usage:
        """Several grades' usage added up (cost None when none of them had a known price)."""
        done = list(usages)
        costs = [u.cost_usd for u in done if u.cost_usd is not None]
        return cls(
            requests=sum(u.requests for u in done),
            prompt_tokens=sum(u.prompt_tokens for u in done),
            completion_tokens=sum(u.completion_tokens for u in done),
            total_tokens=sum(u.total_tokens for u in done),
            cost_usd=round(sum(costs), 6) if costs else None,
            estimated=any(u.estimated for u in done),
        )


class GradeResult(Displayed, _Frozen):
    """The grade of one answer to one question."""

    bank_id: str
    question_id: str
    score: float = Field(ge=0)
    max_score: float = Field(gt=0)
    percent: float = Field(ge=0, le=100)
    method: Method
    status: Status
    fallback_reason: str | None = None
    criteria: list[CriterionResult]
    deductions: list[DeductionResult] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    strengths: list[Feedback] = Field(default_factory=list)
    improvements: list[Feedback] = Field(default_factory=list)
    follow_up_questions: list[FollowUp] = Field(default_factory=list)
    star: Star | None = Field(default=None, description="For behavioral questions only.")
    improved_answer: ImprovedAnswer | None = None
    model: str | None = None
    usage: Usage = Field(default=Usage())  # frozen, so one shared zero is safe
    prompt_hash: str | None = None
    rubric_version: str
    cached: bool = Field(
        default=False, description="The LLM's reply came from the cache; no request was sent."
    )
    consistency: Consistency | None = Field(
        default=None, description="Set when several samples were combined (`samples=n`)."
    )

    def has_flag(self, code: FlagCode) -> bool:
        return any(flag.code == code for flag in self.flags)

    @property
    def flag_codes(self) -> list[str]:
        return [flag.code for flag in self.flags]
