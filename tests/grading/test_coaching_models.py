"""The coaching texts fixed by the rubric are made into models once per question and shared by
every grade of it: the grades are the same as if each were validated from plain data."""

from __future__ import annotations

import coach
from coach.result import GradeResult
from tests.rubric.support import samples

BANK = "account-manager"


def _graded() -> list[GradeResult]:
    grader = coach.KeywordGrader()
    return [grader.grade(BANK, s["question"], s["text"]) for s in samples(BANK)]


# The fields each kind of coaching item was always given (validated from plain data), so an
# `exclude_unset` dump of a grade is what it was.
_SET = {
    "tip": {"text", "criterion_id", "key_point_id", "example"},
    "rubric": {"question", "source"},
    "missed_key_point": {"question", "source", "key_point_id"},
    "model_answer": {"text", "source", "label"},
}


def test_a_grade_equals_its_own_data_validated_and_sets_the_same_fields() -> None:
    results = _graded()
    assert any(r.improvements for r in results) and any(r.follow_up_questions for r in results)
    for result in results:
        again = GradeResult.model_validate(result.model_dump())
        assert again == result and again.model_dump_json() == result.model_dump_json()
        for tip in result.improvements:
            if tip.key_point_id is not None:
                assert tip.model_fields_set == _SET["tip"]
        for ask in result.follow_up_questions:
            assert ask.model_fields_set == _SET[ask.source]
        assert result.improved_answer is not None
        assert result.improved_answer.model_fields_set == _SET["model_answer"]


def test_the_fixed_coaching_of_a_question_is_one_object_for_every_grade() -> None:
    grader = coach.KeywordGrader()
    first = grader.grade(BANK, "b1", "我先道歉，然后查清原因。")
    second = grader.grade(BANK, "b1", "我会耐心倾听客户。")
    assert first.improved_answer is not None and first.improved_answer is second.improved_answer
    rubric_asks = [f for f in first.follow_up_questions if f.source == "rubric"]
    assert rubric_asks and rubric_asks[0] is second.follow_up_questions[0]
    # An improvement asking for the same missed key point is the same object in both grades.
    tips = {(f.criterion_id, f.key_point_id): f for f in first.improvements if f.key_point_id}
    shared = [f for f in second.improvements if (f.criterion_id, f.key_point_id) in tips]
    assert shared and all(f is tips[f.criterion_id, f.key_point_id] for f in shared)


def test_another_feedback_language_has_its_own_coaching_models() -> None:
    zh = coach.KeywordGrader().grade(BANK, "b1", "我先道歉，然后查清原因。")
    en = coach.KeywordGrader(feedback_language="en").grade(BANK, "b1", "我先道歉，然后查清原因。")
    assert zh.improved_answer is not None and en.improved_answer is not None
    assert zh.improved_answer.label != en.improved_answer.label
    assert zh.improved_answer.text == en.improved_answer.text
