"""`MockInterview`: drives one practice session, question by question, into a `SessionRecord`.

The interview picks its questions up front, reproducibly from a seed (a random one is drawn
and recorded when none is given, so any session can be replayed), then asks them one at a
time. After an answer that misses key points it may ask one follow-up (追问), as an
interviewer would, and grades the original question again on both answers together, so a
candidate who supplies the missing point on being asked earns it.

The driver does no input or output: the CLI (or a web app, or a test) asks it for the next
question, hands it the answers, and reads `record` whenever it likes, also after an
interruption.
"""

from __future__ import annotations

import os
import random
import secrets
import typing
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import NamedTuple, Protocol

from coach.errors import CoachError
from coach.result import GradeResult
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Bank, Question, QuestionKind
from coach.session import SessionRecord, Turn

KINDS: tuple[str, ...] = typing.get_args(QuestionKind)
_PROBING = ("missed_key_point", "llm")  # follow-ups that ask about what the answer left out


class InterviewError(CoachError, ValueError):
    """The interview cannot be set up as asked (too few questions, unknown kind), or a call
    came out of turn (an answer while a follow-up is pending, after `finish`)."""


class AnswerGrader(Protocol):
    """Anything that grades like `Grader` or `KeywordGrader`."""

    def grade(self, bank: Bank, question: Question, answer: str) -> GradeResult: ...


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned question: its place in the session and where it comes from."""

    number: int  # 1-based position in the session
    bank: Bank
    question: Question


class Progress(NamedTuple):
    """How far the session is: questions answered (skips excluded) out of those planned."""

    answered: int
    total: int


class MockInterview:
    """A mock interview over one or more banks.

    `count` questions are drawn without repeats from the banks' questions of the given
    `kinds` (all kinds when None), in an order fixed by `seed` (the same seed and the same
    banks give the same session). `grader` defaults to
    `Grader()` (the LLM when one is configured, else offline). Call `next_question()`, then
    `answer(text)`; when `pending_follow_up` is set, `answer_follow_up(text)` or
    `skip_follow_up()`; `skip()` passes over a question without recording it; `finish()`
    returns the final `SessionRecord`.
    """

    def __init__(
        self,
        banks: Sequence[BankRef],
        *,
        grader: AnswerGrader | None = None,
        count: int = 5,
        kinds: Collection[str] | None = None,
        seed: int | None = None,
        follow_ups: bool = True,
    ) -> None:
        if isinstance(banks, (str, os.PathLike, Bank)):
            banks = [banks]  # one bank given bare: a str is a Sequence, but not of banks
        if not banks:
            raise InterviewError("give at least one bank")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InterviewError(f"count must be a whole number of at least 1, not {count!r}")
        loaded = [load_bank(ref) for ref in banks]
        wanted = _check_kinds(kinds)
        pool = _pool(loaded, wanted)
        if len(pool) < count:
            raise InterviewError(_too_few(loaded, wanted, len(pool), count))
        self.seed = seed if seed is not None else secrets.randbits(32)
        picked = random.Random(self.seed).sample(pool, count)
        self.plan: tuple[Slot, ...] = tuple(
            Slot(number, bank, question) for number, (bank, question) in enumerate(picked, 1)
        )
        self.follow_ups = follow_ups
        self._owns_grader = grader is None
        if grader is None:
            from coach.grading.grader import Grader  # the openai SDK loads only when it may be used

            grader = Grader()
        self.grader: AnswerGrader = grader
        self.started_at = _now()
        self.id = _new_id(self.started_at)
        self.finished_at: datetime | None = None
        self.ended_early = False  # finished with questions left
        self.bank_ids = list(dict.fromkeys(bank.id for bank in loaded))
        self._position = 0  # index into `plan` of the question being worked on
        self._turns: list[Turn] = []
        self._pending: Turn | None = None  # answered, its follow-up not yet dealt with
        self.skipped: list[Slot] = []

    # -- where the session is -------------------------------------------------------------
    @property
    def current(self) -> Slot | None:
        """The question being worked on (also while its follow-up is pending); None at the end."""
        if self.finished_at is not None or self._position >= len(self.plan):
            return None
        return self.plan[self._position]

    def next_question(self) -> Question | None:
        """The question to answer now: it stays the same until its follow-up is answered or
        skipped. None when every question is done or the session is finished."""
        slot = self.current
        return slot.question if slot is not None else None

    @property
    def pending_follow_up(self) -> str | None:
        """The follow-up question the interviewer is waiting on, if any."""
        return self._pending.follow_up if self._pending is not None else None

    @property
    def progress(self) -> Progress:
        answered = len(self._turns) + (self._pending is not None)
        return Progress(answered, len(self.plan))

    @property
    def record(self) -> SessionRecord:
        """The session so far; unfinished (`finished_at` None) until `finish()`."""
        turns = [*self._turns, *([self._pending] if self._pending is not None else [])]
        return SessionRecord(
            id=self.id,
            started_at=self.started_at,
            finished_at=self.finished_at,
            bank_ids=self.bank_ids,
            seed=self.seed,
            method=self._method(turns),
            turns=turns,
            ended_early=self.ended_early,
        )

    # -- the steps --------------------------------------------------------------------------
    def answer(self, text: str) -> Turn:
        """Grade `text` as the answer to the current question.

        When the answer misses key points (and follow-ups are on), the returned turn carries
        the follow-up asked and `pending_follow_up` is set; otherwise the question is done.
        """
        slot = self._expect_question()
        result = self.grader.grade(slot.bank, slot.question, text)
        turn = Turn(
            number=slot.number,
            bank_id=slot.bank.id,
            question_id=slot.question.id,
            prompt=slot.question.prompt,
            kind=slot.question.kind,
            competencies=list(slot.question.competencies),
            answer=text,
            result=result,
            follow_up=self._follow_up_for(result),
            answered_at=_now(),
        )
        if turn.follow_up is None:
            self._close_turn(turn)
        else:
            self._pending = turn
        return turn

    def answer_follow_up(self, text: str) -> Turn:
        """Grade the original question again on the first answer and `text` together.

        A blank `text` is no further answer: the same as `skip_follow_up()`.
        """
        turn = self._expect_follow_up()
        if not text.strip():
            return self.skip_follow_up()
        slot = self.plan[self._position]
        combined = f"{turn.answer.rstrip()}\n{text.strip()}"
        result = self.grader.grade(slot.bank, slot.question, combined)
        done = turn.model_copy(update={"follow_up_answer": text, "follow_up_result": result})
        self._close_turn(done)
        return done

    def skip_follow_up(self) -> Turn:
        """Leave the pending follow-up unanswered: the first answer's grade stands."""
        turn = self._expect_follow_up()
        self._close_turn(turn)
        return turn

    def skip(self) -> Slot:
        """Pass over the current question: nothing is recorded for it, nothing scored."""
        slot = self._expect_question()
        self.skipped.append(slot)
        self._position += 1
        return slot

    def finish(self) -> SessionRecord:
        """End the session (early, if questions remain) and return its record.

        A pending follow-up counts as skipped. Calling it again returns the same record.
        """
        if self.finished_at is None:
            if self._pending is not None:
                self.skip_follow_up()
            self.ended_early = self.current is not None
            self.finished_at = _now()
            self.close()
        return self.record

    def close(self) -> None:
        """Release the grader's connections if this interview made the grader."""
        close = getattr(self.grader, "close", None)
        if self._owns_grader and callable(close):
            close()

    # -- helpers ------------------------------------------------------------------------------
    def _expect_question(self) -> Slot:
        if self._pending is not None:
            raise InterviewError("a follow-up is pending: answer it or skip it first")
        slot = self.current
        if slot is None:
            raise InterviewError("no question left to answer: the session is over")
        return slot

    def _expect_follow_up(self) -> Turn:
        if self._pending is None:
            raise InterviewError("no follow-up question is pending")
        return self._pending

    def _close_turn(self, turn: Turn) -> None:
        self._turns.append(turn)
        self._pending = None
        self._position += 1

    def _follow_up_for(self, result: GradeResult) -> str | None:
        """The one follow-up to ask: a probe for what was missed, else one of the rubric's."""
        if not self.follow_ups or not any(c.key_points_missed for c in result.criteria):
            return None
        asked = result.follow_up_questions
        probe = next((f for f in asked if f.source in _PROBING), None)
        rubric = next((f for f in asked if f.source == "rubric"), None)
        chosen = probe or rubric
        return chosen.question if chosen is not None else None

    def _method(self, turns: list[Turn]) -> str:
        """'llm' or 'keyword' when every grade agrees; 'mixed' when an LLM grade fell back
        to keywords part-way. With no grade yet, what the grader is set up to use."""
        methods = {r.method for t in turns for r in (t.result, t.follow_up_result) if r}
        if len(methods) == 1:
            return methods.pop()
        if methods:
            return "mixed"
        uses_llm = getattr(self.grader, "configured", False) and (
            getattr(self.grader, "mode", "keyword") != "keyword"
        )
        return "llm" if uses_llm else "keyword"


def _check_kinds(kinds: Collection[str] | None) -> frozenset[str] | None:
    if kinds is None:
        return None
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = frozenset(kinds)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise InterviewError(
            f"unknown question kind {', '.join(map(repr, unknown))}; kinds: {', '.join(KINDS)}"
        )
    if not wanted:
        raise InterviewError("kinds is empty: give at least one kind, or None for all")
    return wanted


def _pool(banks: list[Bank], kinds: frozenset[str] | None) -> list[tuple[Bank, Question]]:
    """Every eligible question once, in bank order then file order (the seed's domain)."""
    seen: set[tuple[str, str]] = set()
    pool = []
    for bank in banks:
        for question in bank.questions:
            key = (bank.id, question.id)
            if key not in seen and (kinds is None or question.kind in kinds):
                seen.add(key)
                pool.append((bank, question))
    return pool


def _too_few(banks: list[Bank], kinds: frozenset[str] | None, found: int, count: int) -> str:
    where = ", ".join(dict.fromkeys(bank.id for bank in banks))
    which = f" of kind {', '.join(sorted(kinds))}" if kinds else ""
    have = f"only {found}" if found else "none"
    more = "banks or kinds" if kinds else "banks"
    return (
        f"asked for {count} questions{which} but {where} {'has' if len(banks) == 1 else 'have'} "
        f"{have}; ask for fewer, or add {more}"
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _new_id(started: datetime) -> str:
    """A short id that sorts by time and is easy to type: 20250314-093000-3fa2c1 (UTC)."""
    return f"{started:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
