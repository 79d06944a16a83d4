"""The built-in banks against the offline grader: the quality bars every bank must meet.

Each bank is checked on its own questions: model answers score high, non-answers and answers
to other questions score near zero, and the hand-written sample answers in
``tests/data/answers_<bank>.yaml`` land where a human grader would put them.
"""

from __future__ import annotations

import opencc
import pytest
import yaml

import coach
from coach.grading.topic import Topic
from coach.text.normalize import normalize
from tests.rubric.support import pasted_rubric, samples
from tests.support import DATA

BANK_IDS = coach.builtin_bank_ids()
MODEL_MIN = 80.0  # % a bank's own model answer must reach
NEAR_ZERO = 20.0  # % a non-answer, a pasted rubric or another question's answer may reach


@pytest.fixture(scope="module", params=BANK_IDS)
def bank(request: pytest.FixtureRequest) -> coach.Bank:
    return coach.load_bank(request.param)


def test_every_bank_has_a_sample_file() -> None:
    assert sorted(path.stem.removeprefix("answers_") for path in DATA.glob("answers_*.yaml")) == (
        sorted(BANK_IDS)
    )


def test_model_answers_score_high(bank: coach.Bank) -> None:
    low = {
        q.id: coach.grade_offline(bank, q, q.model_answer).percent
        for q in bank.questions
        if coach.grade_offline(bank, q, q.model_answer).percent < MODEL_MIN
    }
    assert low == {}


def test_model_answers_raise_no_screening_flag(bank: coach.Bank) -> None:
    # "在知识库里检索标准答案" once read as an answer key pasted in: the model answer of a
    # question about a knowledge base was flagged as an injection.
    suspicious = {"suspected_injection", "rubric_copy", "keyword_stuffing", "off_topic"}
    flagged = {
        q.id: codes
        for q in bank.questions
        if (codes := suspicious & set(coach.grade_offline(bank, q, q.model_answer).flag_codes))
    }
    assert flagged == {}


NON_ANSWERS = ["", "   \n", "不知道", "我也不太清楚。", "。。。？！", "……", "pass"]


@pytest.mark.parametrize("answer", NON_ANSWERS)
def test_non_answers_score_zero(bank: coach.Bank, answer: str) -> None:
    for question in bank.questions:
        result = coach.grade_offline(bank, question, answer)
        assert result.score == 0, (question.id, answer)
        assert {"blank", "non_answer"} & set(result.flag_codes), (question.id, answer)


def test_pasted_rubric_scores_near_zero(bank: coach.Bank) -> None:
    for question in bank.questions:
        plain = coach.grade_offline(bank, question, pasted_rubric(question))
        assert plain.percent <= NEAR_ZERO, question.id
        labelled = yaml.safe_dump(
            question.model_dump(include={"criteria", "deductions"}), allow_unicode=True
        )
        assert coach.grade_offline(bank, question, labelled).percent <= NEAR_ZERO, question.id


def test_answers_to_other_questions_score_near_zero(bank: coach.Bank) -> None:
    """Unless the two questions ask about the same thing (a fifth or more of the other answer's
    wording is this question's, as for "what is the role" and "what does the role need"):
    then it is on topic, and still well below this question's own model answer."""
    too_high = []
    for question in bank.questions:
        topic = Topic(question, bank.language)
        own = coach.grade_offline(bank, question, question.model_answer).percent
        for other in bank.questions:
            if other.id == question.id:
                continue
            result = coach.grade_offline(bank, question, other.model_answer)
            related = not topic.off_topic(normalize(other.model_answer).text)
            limit = own - 30 if related else NEAR_ZERO
            if result.percent > limit:
                too_high.append((question.id, other.id, result.percent))
    assert too_high == []


def test_keyword_list_scores_well_below_the_model_answer(bank: coach.Bank) -> None:
    for question in bank.questions:
        terms = [kp.variants[0] for c in question.criteria for kp in c.key_points]
        listing = coach.grade_offline(bank, question, "、".join(terms))
        model = coach.grade_offline(bank, question, question.model_answer)
        assert listing.percent <= model.percent / 2, question.id
        # A list of the rubric's own first phrasings may be caught as a rubric copy instead.
        assert {"keyword_stuffing", "rubric_copy"} & set(listing.flag_codes), question.id


def test_traditional_copy_scores_within_five_points(bank: coach.Bank) -> None:
    to_traditional = opencc.OpenCC("s2t")
    for question in bank.questions:
        traditional = to_traditional.convert(question.model_answer)
        assert traditional != question.model_answer, question.id
        model = coach.grade_offline(bank, question, question.model_answer)
        copy = coach.grade_offline(bank, question, traditional)
        assert abs(copy.score - model.score) <= 5, question.id


def test_each_deduction_costs_its_points(bank: coach.Bank) -> None:
    for question in bank.questions:
        clean = coach.grade_offline(bank, question, question.model_answer)
        assert clean.deductions == [], question.id
        for deduction in question.deductions:
            trigger = deduction.triggers[0].replace("*", "")
            harmful = question.model_answer + f"另外，我会直接跟客户说{trigger}。"
            result = coach.grade_offline(bank, question, harmful)
            assert deduction.id in [d.id for d in result.deductions], (question.id, trigger)
            assert result.score <= max(0.0, clean.score - deduction.points) + 1e-9


def test_sample_answers_land_where_a_grader_would_put_them(bank: coach.Bank) -> None:
    by_question: dict[str, dict[str, list[coach.GradeResult]]] = {}
    for sample in samples(bank.id):
        question = bank.question(sample["question"])
        result = coach.grade_offline(bank, question, sample["text"])
        by_question.setdefault(question.id, {}).setdefault(sample["label"], []).append(result)
        where = (question.id, sample["label"], result.percent)
        if sample["label"] == "strong":
            assert result.percent >= 70, where
        elif sample["label"] == "weak":
            assert result.percent <= 40, where
        elif sample["label"] == "harmful":
            assert result.deductions, where
        else:
            assert sample["label"] == "adequate", where
    for question_id, labels in by_question.items():
        if "strong" in labels and "weak" in labels:
            best_weak = max(r.score for r in labels["weak"])
            assert min(r.score for r in labels["strong"]) > best_weak, question_id
