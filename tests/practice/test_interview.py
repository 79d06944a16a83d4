"""`MockInterview`: which questions it asks, when it follows up, and what the session records.

The drill bank of tests/practice/support.py, written into tmp_path, gives exact expectations:
its first question's model answer is two halves, one per criterion, so answering the first half
misses the second criterion's key points and a follow-up answered with the second half supplies
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone
from pathlib import Path

import pytest

import coach
from coach.practice.interview import InterviewError, MockInterview
from coach.result import FollowUp, GradeResult
from coach.session import SessionRecord
from tests.practice.support import FIRST_HALF, SECOND_HALF


class Recording:
    """The keyword grader, remembering every answer it was given; optionally rewriting the
    follow-up list or the method of its results, to stand in for an LLM grader."""

    def __init__(
        self,
        follow_ups: list[FollowUp] | None = None,
        methods: Iterator[str] | None = None,
    ) -> None:
        self.inner = coach.KeywordGrader()
        self.answers: list[str] = []
        self.follow_ups = follow_ups
        self.methods = methods

    def grade(self, bank: coach.Bank, question: coach.Question, answer: str) -> GradeResult:
        self.answers.append(answer)
        result = self.inner.grade(bank, question, answer)
        update: dict[str, object] = {}
        if self.follow_ups is not None:
            update["follow_up_questions"] = self.follow_ups
        if self.methods is not None:
            update["method"] = next(self.methods)
        return result.model_copy(update=update)


def only_freeze(drill: coach.Bank, **options: object) -> MockInterview:
    """An interview of exactly one question: `freeze`, found by trying seeds."""
    grader = options.pop("grader", None) or Recording()
    for seed in range(50):
        interview = MockInterview(
            [drill],
            grader=grader,
            count=1,
            kinds={"situational"},
            seed=seed,
            **options,  # type: ignore[arg-type]
        )
        if interview.plan[0].question.id == "freeze":
            return interview
    raise AssertionError("no seed below 50 picks 'freeze' first")


def keys(interview: MockInterview) -> list[tuple[str, str]]:
    return [(slot.bank.id, slot.question.id) for slot in interview.plan]


# ------------------------------------------------------------------ picking questions


def test_picks_count_questions_without_repeats(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=4, seed=1)
    assert len(interview.plan) == 4
    assert len(set(keys(interview))) == 4
    assert [slot.number for slot in interview.plan] == [1, 2, 3, 4]
    assert interview.progress == (0, 4)


def test_kinds_filter(drill: coach.Bank) -> None:
    for seed in range(10):
        interview = MockInterview(
            [drill], grader=Recording(), count=2, kinds=["situational"], seed=seed
        )
        assert {slot.question.id for slot in interview.plan} == {"freeze", "fraud"}


def test_several_banks_share_one_pool(drill: coach.Bank, mini: coach.Bank) -> None:
    behavioral = MockInterview([drill, mini], grader=Recording(), count=2, kinds={"behavioral"})
    assert sorted(keys(behavioral)) == [("drill", "pressure"), ("mini", "calm")]
    everything = MockInterview([drill, mini], grader=Recording(), count=6, seed=0)
    assert {bank for bank, _ in keys(everything)} == {"drill", "mini"}
    assert everything.record.bank_ids == ["drill", "mini"]


def test_the_same_bank_twice_does_not_repeat_questions(drill: coach.Bank) -> None:
    interview = MockInterview([drill, drill], grader=Recording(), count=4, seed=5)
    assert len(set(keys(interview))) == 4
    with pytest.raises(InterviewError, match="only 4"):
        MockInterview([drill, drill], grader=Recording(), count=5)


def test_seed_reproduces_the_session(drill: coach.Bank, mini: coach.Bank) -> None:
    first = MockInterview([drill, mini], grader=Recording(), count=4, seed=42)
    again = MockInterview([drill, mini], grader=Recording(), count=4, seed=42)
    assert keys(first) == keys(again)
    orders = {
        tuple(keys(MockInterview([drill, mini], grader=Recording(), count=4, seed=s)))
        for s in range(8)
    }
    assert len(orders) > 1  # the seed matters


def test_no_seed_draws_one_and_records_it_for_a_replay(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=3)
    assert isinstance(interview.seed, int)
    assert interview.record.seed == interview.seed
    replay = MockInterview([drill], grader=Recording(), count=3, seed=interview.record.seed)
    assert keys(replay) == keys(interview)


def test_too_few_questions_is_a_clear_error(drill: coach.Bank) -> None:
    with pytest.raises(InterviewError, match=r"asked for 5 questions .*drill has only 4"):
        MockInterview([drill], grader=Recording(), count=5)
    with pytest.raises(InterviewError, match="of kind knowledge but drill has only 1"):
        MockInterview([drill], grader=Recording(), count=2, kinds=["knowledge"])
    with pytest.raises(InterviewError, match="of kind roleplay but drill has none"):
        MockInterview([drill], grader=Recording(), count=1, kinds=["roleplay"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kinds": ["smalltalk"]}, "unknown question kind 'smalltalk'"),
        ({"kinds": []}, "kinds is empty"),
        ({"count": 0}, "at least 1"),
    ],
)
def test_bad_settings(drill: coach.Bank, options: dict[str, object], message: str) -> None:
    with pytest.raises(InterviewError, match=message):
        MockInterview([drill], grader=Recording(), **options)  # type: ignore[arg-type]


def test_interview_errors_are_coach_errors() -> None:
    assert issubclass(InterviewError, coach.CoachError)


def test_unknown_bank_is_reported() -> None:
    with pytest.raises(coach.BankNotFoundError):
        MockInterview(["no-such-bank"], grader=Recording())


def test_a_bare_bank_id_is_one_bank(drill_path: Path) -> None:
    interview = MockInterview(str(drill_path), grader=Recording(), count=4, seed=1)
    assert interview.bank_ids == ["drill"]


# ------------------------------------------------------------------------- follow-ups


def test_no_follow_up_when_nothing_was_missed(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    turn = interview.answer(FIRST_HALF + SECOND_HALF)
    assert not any(c.key_points_missed for c in turn.result.criteria)
    assert turn.follow_up is None
    assert interview.pending_follow_up is None
    assert interview.next_question() is None  # the only question is done
    assert interview.progress == (1, 1)


def test_follow_up_when_key_points_were_missed(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    turn = interview.answer(FIRST_HALF)
    assert turn.follow_up is not None
    assert interview.pending_follow_up == turn.follow_up
    # the probe for a missed key point, not the rubric's own follow-up listed first
    probes = {f.question: f.source for f in turn.result.follow_up_questions}
    assert turn.result.follow_up_questions[0].source == "rubric"
    assert probes[turn.follow_up] == "missed_key_point"
    assert interview.next_question() is not None  # still the same question until it is done
    assert interview.next_question() == interview.plan[0].question


def test_no_follow_ups_when_switched_off(drill: coach.Bank) -> None:
    interview = only_freeze(drill, follow_ups=False)
    turn = interview.answer(FIRST_HALF)
    assert turn.follow_up is None
    assert interview.next_question() is None


def test_no_follow_up_on_a_blank_answer(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    turn = interview.answer("不知道")
    assert turn.result.score == 0
    assert turn.follow_up is None


def test_an_llm_probe_is_preferred_over_the_rubric(drill: coach.Bank) -> None:
    asked = [
        FollowUp(question="RUBRIC?", source="rubric"),
        FollowUp(question="LLM?", source="llm"),
        FollowUp(question="MISSED?", source="missed_key_point", key_point_id="proof"),
    ]
    assert only_freeze(drill, grader=Recording(asked)).answer(FIRST_HALF).follow_up == "LLM?"


def test_a_rubric_follow_up_when_there_is_no_probe(drill: coach.Bank) -> None:
    asked = [FollowUp(question="RUBRIC?", source="rubric")]
    assert only_freeze(drill, grader=Recording(asked)).answer(FIRST_HALF).follow_up == "RUBRIC?"
    assert only_freeze(drill, grader=Recording([])).answer(FIRST_HALF).follow_up is None


def test_follow_up_grades_both_answers_together(drill: coach.Bank) -> None:
    grader = Recording()
    interview = only_freeze(drill, grader=grader)
    first = interview.answer(FIRST_HALF)
    turn = interview.answer_follow_up(SECOND_HALF)
    assert grader.answers[-1].startswith(FIRST_HALF) and grader.answers[-1].endswith(SECOND_HALF)
    assert turn.follow_up == first.follow_up
    assert turn.follow_up_answer == SECOND_HALF
    assert turn.result == first.result  # the first grade is kept
    assert turn.follow_up_result is not None
    assert turn.follow_up_result.question_id == "freeze"  # the ORIGINAL question, again
    assert turn.follow_up_result.score > turn.result.score
    assert turn.follow_up_result.score == 10
    assert turn.final == turn.follow_up_result
    assert interview.pending_follow_up is None
    assert interview.record.turns == [turn]


def test_skipping_the_follow_up_keeps_the_first_grade(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    first = interview.answer(FIRST_HALF)
    turn = interview.skip_follow_up()
    assert turn.follow_up == first.follow_up  # asked, not answered
    assert turn.follow_up_answer is None and turn.follow_up_result is None
    assert turn.final == first.result


def test_a_blank_follow_up_answer_is_a_skip(drill: coach.Bank) -> None:
    grader = Recording()
    interview = only_freeze(drill, grader=grader)
    interview.answer(FIRST_HALF)
    turn = interview.answer_follow_up("  \n")
    assert turn.follow_up_result is None
    assert len(grader.answers) == 1


def test_calls_out_of_turn_are_refused(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    with pytest.raises(InterviewError, match="no follow-up"):
        interview.answer_follow_up(SECOND_HALF)
    interview.answer(FIRST_HALF)
    with pytest.raises(InterviewError, match="follow-up is pending"):
        interview.answer("再来一个回答")
    with pytest.raises(InterviewError, match="follow-up is pending"):
        interview.skip()
    interview.finish()
    with pytest.raises(InterviewError, match="session is over"):
        interview.answer("再来一个回答")


# ------------------------------------------------------------------- the session record


def run_session(interview: MockInterview) -> SessionRecord:
    """Answer every question with its model answer's first sentence; follow up with the rest."""
    while (question := interview.next_question()) is not None:
        first, _, rest = question.model_answer.partition("。")
        interview.answer(first + "。")
        if interview.pending_follow_up:
            interview.answer_follow_up(rest or "好的。")
    return interview.finish()


def test_session_totals_and_competencies(drill: coach.Bank) -> None:
    record = run_session(MockInterview([drill], grader=Recording(), count=4, seed=7))
    assert len(record.turns) == 4
    assert record.score == round(sum(t.final.score for t in record.turns), 2)
    assert record.max_score == 34
    assert record.percent == round(100 * record.score / 34, 1)
    scores = {c.competency: c for c in record.competencies()}
    assert set(scores) == {"沟通技巧", "合规意识", "抗压能力", "风险防范"}
    compliance = scores["合规意识"]  # assessed by freeze, fraud and privacy
    assert compliance.questions == 3
    assert compliance.max_score == 10 + 8 + 6
    by_id = {t.question_id: t for t in record.turns}
    expected = sum(by_id[q].final.score for q in ("freeze", "fraud", "privacy"))
    assert compliance.score == round(expected, 2)


def test_turns_copy_the_question(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    turn = interview.answer(FIRST_HALF)
    assert (turn.number, turn.bank_id, turn.question_id, turn.kind) == (
        1,
        "drill",
        "freeze",
        "situational",
    )
    assert turn.prompt == drill.question("freeze").prompt
    assert turn.competencies == ["沟通技巧", "合规意识"]
    assert turn.answer == FIRST_HALF


def test_record_so_far_is_unfinished_and_holds_a_pending_turn(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=4, seed=2)
    assert interview.record.turns == []
    question = interview.next_question()
    assert question is not None
    interview.answer(question.model_answer[:12])
    so_far = interview.record
    assert so_far.finished_at is None
    assert len(so_far.turns) == 1
    assert interview.progress == (1, 4)
    for moment in (so_far.started_at, so_far.turns[0].answered_at):
        assert moment.tzinfo is not None and moment.utcoffset() == timezone.utc.utcoffset(None)


def test_finish_early_keeps_what_was_answered(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=4, seed=2)
    question = interview.next_question()
    assert question is not None
    interview.answer(question.model_answer)
    record = interview.finish()
    assert record.finished_at is not None and record.finished_at >= record.started_at
    assert len(record.turns) == 1
    assert record.ended_early and record.status == "ended early"
    assert interview.finish() == record  # idempotent
    assert interview.next_question() is None


def test_a_session_answered_or_skipped_to_the_end_is_finished(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=2, seed=2, follow_ups=False)
    question = interview.next_question()
    assert question is not None
    interview.answer(question.model_answer)
    assert interview.record.status == "unfinished"
    interview.skip()  # a skipped question is not a question left unasked
    record = interview.finish()
    assert not record.ended_early and record.status == "finished"


def test_a_follow_up_left_pending_on_the_last_question_is_not_early(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=1, seed=2)
    question = interview.next_question()
    assert question is not None
    interview.answer(question.model_answer[:12])
    assert interview.pending_follow_up is not None
    assert interview.finish().status == "finished"


def test_finish_with_a_pending_follow_up_counts_it_skipped(drill: coach.Bank) -> None:
    interview = only_freeze(drill)
    interview.answer(FIRST_HALF)
    record = interview.finish()
    assert record.turns[0].follow_up is not None
    assert record.turns[0].follow_up_result is None


def test_skip_records_nothing(drill: coach.Bank) -> None:
    interview = MockInterview([drill], grader=Recording(), count=2, seed=4)
    skipped = interview.skip()
    assert skipped.number == 1
    second = interview.next_question()
    assert second is not None and second != skipped.question
    turn = interview.answer(second.model_answer)
    assert turn.number == 2  # numbers are places in the session; the skipped one is a gap
    record = interview.finish()
    assert [t.question_id for t in record.turns] == [second.id]
    assert interview.skipped == [skipped]


def test_method_comes_from_the_results(drill: coach.Bank) -> None:
    keyword = run_session(MockInterview([drill], grader=Recording(), count=2, seed=1))
    assert keyword.method == "keyword"
    llm = run_session(
        MockInterview([drill], grader=Recording(methods=iter(["llm"] * 8)), count=2, seed=1)
    )
    assert llm.method == "llm"
    mixed = run_session(
        MockInterview(
            [drill], grader=Recording(methods=iter(["llm", "keyword"] * 4)), count=2, seed=1
        )
    )
    assert mixed.method == "mixed"


def test_default_grader_is_the_auto_grader(
    drill: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    interview = MockInterview([drill], count=1, seed=0)
    assert type(interview.grader).__name__ == "Grader"
    assert interview.record.method == "keyword"  # no LLM configured: offline
    question = interview.next_question()
    assert question is not None
    turn = interview.answer(question.model_answer)
    assert turn.result.method == "keyword" and turn.result.status == "fallback"


def test_the_record_round_trips_through_json(drill: coach.Bank) -> None:
    record = run_session(MockInterview([drill], grader=Recording(), count=4, seed=9))
    assert SessionRecord.model_validate_json(record.model_dump_json()) == record
