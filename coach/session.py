"""A mock interview as data: the questions asked, the answers given, their grades, follow-ups.

`SessionRecord` is what a practice run produces, what the history stores and what a session
report shows. It serializes to JSON like `GradeResult` and holds everything needed to redraw
the report later (question prompts and competencies are copied in, so a changed bank does not
change an old session).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from coach.result import Displayed, GradeResult


class _Record(BaseModel):
    # Validators are built on first use, not at `import coach`: grading never needs them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Turn(_Record):
    """One question of a session: asked, answered, graded, perhaps followed up."""

    number: int = Field(ge=1, description="1 for the first question of the session.")
    bank_id: str
    question_id: str
    prompt: str
    kind: str
    competencies: list[str] = Field(default_factory=list)
    answer: str
    result: GradeResult
    follow_up: str | None = Field(default=None, description="The follow-up question asked.")
    follow_up_answer: str | None = None
    follow_up_result: GradeResult | None = Field(
        default=None, description="The original question graded again on both answers."
    )
    answered_at: datetime

    @property
    def final(self) -> GradeResult:
        """The grade that counts: after the follow-up, when there was one."""
        return self.follow_up_result or self.result


class CompetencyScore(_Record):
    """Points earned and available on the questions that assess one competency."""

    competency: str
    score: float
    max_score: float
    questions: int

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0


class SessionRecord(Displayed, _Record):
    """A finished (or interrupted) mock interview."""

    id: str
    started_at: datetime
    finished_at: datetime | None = None
    bank_ids: list[str]
    seed: int | None = None
    method: str = Field(
        description="How the answers were graded: 'llm', 'keyword', or 'mixed' when some LLM "
        "grades fell back to keywords."
    )
    turns: list[Turn] = Field(default_factory=list)
    ended_early: bool = Field(
        default=False,
        description="Ended (input ran out, Ctrl-D, `finish()`) with questions left unasked.",
    )

    @property
    def status(self) -> str:
        """'finished', 'ended early' (finished with questions left), or 'unfinished'
        (interrupted: never finished)."""
        if self.finished_at is None:
            return "unfinished"
        return "ended early" if self.ended_early else "finished"

    @property
    def score(self) -> float:
        return round(sum(t.final.score for t in self.turns), 2)

    @property
    def max_score(self) -> float:
        return sum(t.final.max_score for t in self.turns)

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0

    def competencies(self) -> list[CompetencyScore]:
        """Per competency, the points of the questions that assess it (a question may count
        towards several); competencies in order of first appearance."""
        totals: dict[str, list[float]] = {}
        for turn in self.turns:
            for name in turn.competencies or ["(general)"]:
                entry = totals.setdefault(name, [0.0, 0.0, 0])
                entry[0] += turn.final.score
                entry[1] += turn.final.max_score
                entry[2] += 1
        return [
            CompetencyScore(competency=name, score=round(s, 2), max_score=m, questions=int(n))
            for name, (s, m, n) in totals.items()
        ]
