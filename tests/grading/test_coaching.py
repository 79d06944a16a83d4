"""Coaching on both paths: strengths, improvements, follow-ups, STAR and the improved answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

import coach
from coach.llm.retry import RetryPolicy
from coach.testing import completion
from tests.llm.support import grade_json, sync_client

BANK = """\
id: star
title: Behavioral practice
language: en
role: Bank customer service
source: written for the tests
questions:
  - id: complaint
    kind: behavioral
    prompt: Tell me about a time you turned an angry customer around.
    points: 10
    topic_terms: [customer, complaint, angry]
    follow_ups: [What would you do differently next time?]
    criteria:
      - id: empathy
        name: Empathy
        points: 4
        description: Acknowledges the customer's feelings
        key_points:
          - id: acknowledge
            text: acknowledge the feelings
            variants: [understand how, i understand, apologi]
          - id: listen
            text: listen without interrupting
            variants: [listened, let him finish, without interrupting]
      - id: resolution
        name: Resolution
        points: 6
        description: Solves the problem and follows up
        key_points:
          - id: fix
            text: fix the root cause
            variants: [fixed, root cause, refunded]
          - id: follow
            text: follow up afterwards
            variants: [followed up, called back, checked in]
            weight: 2
    deductions:
      - id: blame
        description: Blames the customer
        points: 3
        triggers: [his own fault, customer was wrong]
    model_answer: >-
      Last year at my previous bank a customer was furious about a double charge. My task was to
      calm him and get the money back. I listened without interrupting and said I understand how
      stressful that is. Then I traced the root cause, a duplicated card authorisation, and
      refunded it the same day. Finally I called back two days later and he thanked me.
"""
STORY = (
    "Last year at my previous job an angry customer called about a double charge. My task was to "
    "get his money back. I first listened without interrupting and said I understand how upset "
    "he was, then fixed the root cause and refunded him. I called back the next day. In the end "
    "he thanked me."
)


@pytest.fixture
def star_bank(tmp_path: Path) -> coach.Bank:
    path = tmp_path / "star.yaml"
    path.write_text(BANK, encoding="utf-8")
    return coach.load_file(path)


# -- offline --------------------------------------------------------------------------------


def test_offline_coaching_is_deterministic(star_bank: coach.Bank) -> None:
    first = coach.grade_offline(star_bank, "complaint", STORY).model_dump_json()
    assert coach.grade_offline(star_bank, "complaint", STORY).model_dump_json() == first


def test_strengths_are_earned_and_quoted(star_bank: coach.Bank) -> None:
    result = coach.grade_offline(star_bank, "complaint", STORY)
    by_id = {c.id: c for c in result.criteria}
    assert result.strengths, "a strong criterion should be named"
    for strength in result.strengths:
        criterion = by_id[strength.criterion_id or ""]
        assert criterion.points >= 0.75 * criterion.max_points
        assert strength.example is not None and strength.example in STORY
    weak = coach.grade_offline(star_bank, "complaint", "I would help the customer somehow.")
    assert weak.strengths == []


def test_improvements_name_the_missed_key_point_and_how_to_say_it(star_bank: coach.Bank) -> None:
    answer = "An angry customer complained. I said I understand how he felt and fixed it."
    result = coach.grade_offline(star_bank, "complaint", answer)
    tips = {tip.key_point_id: tip for tip in result.improvements if tip.key_point_id}
    assert set(tips) == {"listen", "follow"}
    model = star_bank.question("complaint").model_answer
    assert tips["follow"].criterion_id == "resolution"
    assert "follow up afterwards" in tips["follow"].text
    assert tips["follow"].example is not None and tips["follow"].example in model
    assert "called back" in tips["follow"].example


def test_the_example_is_the_clause_that_makes_the_point(
    tmp_path: Path, star_bank: coach.Bank
) -> None:
    # A phrasing of the point turns up first in a clause about something else ("checked in"
    # at the branch); the clause with most of its phrasings is the one shown.
    model = star_bank.question("complaint").model_answer
    busy = "I checked in at the branch at nine that day. " + model.replace(
        "Finally I called back", "Finally I followed up and called back"
    )
    path = tmp_path / "busy.yaml"
    rubric = BANK[: BANK.index("    model_answer: >-")]  # the model answer is the last field
    path.write_text(f"{rubric}    model_answer: {json.dumps(busy)}\n", encoding="utf-8")
    bank = coach.load_file(path)
    result = coach.grade_offline(bank, "complaint", "An angry customer complained.")
    tips = {tip.key_point_id: tip for tip in result.improvements if tip.key_point_id}
    example = tips["follow"].example
    assert example is not None and "followed up and called back" in example
    assert "nine" not in example


def test_a_deduction_becomes_the_first_improvement(star_bank: coach.Bank) -> None:
    answer = STORY + " Honestly it was his own fault."
    result = coach.grade_offline(star_bank, "complaint", answer)
    assert result.improvements[0].deduction_id == "blame"
    assert "Blames the customer" in result.improvements[0].text


def test_follow_ups_start_with_the_rubric_then_probe_missed_points(star_bank: coach.Bank) -> None:
    answer = "An angry customer complained. I said I understand how he felt and fixed it."
    follow_ups = coach.grade_offline(star_bank, "complaint", answer).follow_up_questions
    assert follow_ups[0].source == "rubric"
    assert follow_ups[0].question == "What would you do differently next time?"
    probes = [f for f in follow_ups if f.source == "missed_key_point"]
    assert [f.key_point_id for f in probes] == ["follow", "listen"]  # heavier first
    assert len(follow_ups) <= 3
    assert coach.grade_offline(star_bank, "complaint", "I don't know").follow_up_questions == []


def test_star_parts_are_found_with_the_candidates_words(star_bank: coach.Bank) -> None:
    star = coach.grade_offline(star_bank, "complaint", STORY).star
    assert star is not None and star.missing == []
    for name in ("situation", "task", "action", "result"):
        evidence = getattr(star, name).evidence
        assert evidence is not None and STORY[evidence.start : evidence.end] == evidence.quote
    partial = coach.grade_offline(
        star_bank, "complaint", "The customer was angry. I listened and fixed the root cause."
    )
    assert partial.star is not None
    assert "situation" in partial.star.missing and "result" in partial.star.missing
    (tip,) = [tip for tip in partial.improvements if "STAR" in tip.text]
    assert ", ".join(partial.star.missing) in tip.text  # a list of names, not of key points


def test_star_is_only_for_behavioral_questions(mini: coach.Bank) -> None:
    assert coach.grade_offline(mini, "atm", "账户冻结了我会先安抚客户。").star is None
    calm = coach.grade_offline(mini, "calm", "压力大时我会深呼吸。")
    assert calm.star is not None
    # every part is missing: named as a list, "、" between them
    assert calm.star.missing == ["situation", "task", "action", "result"]
    (tip,) = [tip for tip in calm.improvements if "STAR" in tip.text]
    assert "情境、任务、行动、结果" in tip.text


def test_offline_improved_answer_is_the_labelled_model_answer(star_bank: coach.Bank) -> None:
    improved = coach.grade_offline(star_bank, "complaint", STORY).improved_answer
    assert improved is not None and improved.source == "model_answer"
    assert improved.text == star_bank.question("complaint").model_answer.strip()
    assert "reference answer" in improved.label


def test_chinese_banks_coach_in_chinese(mini: coach.Bank) -> None:
    result = coach.grade_offline(mini, "atm", "账户冻结了，我会先安抚客户的情绪。")
    assert result.improvements and all("补充" in tip.text for tip in result.improvements)
    assert result.follow_up_questions[0].question.startswith("你刚才没有谈到")
    assert result.improved_answer is not None and "参考答案" in result.improved_answer.label


def test_every_built_in_question_gets_coherent_coaching(banks: list[coach.Bank]) -> None:
    grader = coach.KeywordGrader()
    for bank in banks:
        for question in bank.questions:
            weak = grader.grade(bank, question, "我会认真对待这个问题，尽力做好。")
            assert weak.strengths == [], (bank.id, question.id)
            assert 1 <= len(weak.follow_up_questions) <= 3
            for tip in weak.improvements:
                if tip.example is not None:
                    assert tip.example in question.model_answer, (bank.id, question.id)
            assert (weak.star is not None) == (question.kind == "behavioral")


# -- the LLM path ---------------------------------------------------------------------------


def llm_grade(
    api: respx.MockRouter, bank: coach.Bank, answer: str, reply: dict
) -> coach.GradeResult:  # type: ignore[type-arg]
    api.post("/chat/completions").mock(
        return_value=completion(json.dumps(reply, ensure_ascii=False))
    )
    grader = coach.Grader(client=sync_client(), policy=RetryPolicy(backoff=0.001))
    return grader.grade(bank, "complaint", answer)


def base_reply(bank: coach.Bank, answer: str) -> dict:  # type: ignore[type-arg]
    return json.loads(grade_json(bank.question("complaint"), answer))  # type: ignore[no-any-return]


def test_llm_praise_needs_credited_points(api: respx.MockRouter, star_bank: coach.Bank) -> None:
    reply = base_reply(star_bank, STORY)
    reply["criteria"]["empathy"]["points"] = 0
    reply["strengths"] = [
        {"criterion_id": "empathy", "text": "wonderful empathy"},
        {"criterion_id": "resolution", "text": "solid fix"},
        {"criterion_id": "nope", "text": "invented"},
    ]
    result = llm_grade(api, star_bank, STORY, reply)
    assert [s.text for s in result.strengths] == ["solid fix"]
    assert result.strengths[0].example is not None and result.strengths[0].example in STORY


def test_llm_improvements_keep_only_rubric_ids(
    api: respx.MockRouter, star_bank: coach.Bank
) -> None:
    reply = base_reply(star_bank, STORY)
    reply["improvements"] = [
        {"criterion_id": "resolution", "key_point_id": "acknowledge", "text": "a", "example": ""},
        {"criterion_id": "ghost", "key_point_id": "follow", "text": "b", "example": "say x"},
    ]
    tips = llm_grade(api, star_bank, STORY, reply).improvements
    assert [(t.criterion_id, t.key_point_id, t.example) for t in tips] == [
        ("resolution", None, None),
        (None, None, "say x"),
    ]


def test_llm_follow_ups_come_after_the_rubrics(
    api: respx.MockRouter, star_bank: coach.Bank
) -> None:
    reply = base_reply(star_bank, STORY)
    reply["follow_up_questions"] = [
        "How did you know it was a duplicate?",
        "And then what?",
        "What did the customer say?",
    ]
    follow_ups = llm_grade(api, star_bank, STORY, reply).follow_up_questions
    assert [f.source for f in follow_ups] == ["rubric", "llm", "llm"]


def test_llm_star_needs_a_verified_quote(api: respx.MockRouter, star_bank: coach.Bank) -> None:
    answer = "The customer was angry. I listened and fixed the root cause."
    reply = base_reply(star_bank, answer)
    # Credit that rests on its quotes (a model that overreaches keeps none of its texts).
    reply["criteria"]["empathy"].update(evidence=["I listened"], key_points=["listen"])
    reply["criteria"]["resolution"].update(evidence=["fixed the root cause"], key_points=["fix"])
    reply["star"] = {
        "situation": {"present": True, "evidence": "It was a rainy Monday in 2019"},  # invented
        "task": {"present": True, "evidence": "The customer was angry"},
        "action": {"present": True, "evidence": "I listened and fixed the root cause"},
        "result": {"present": False, "evidence": ""},
    }
    star = llm_grade(api, star_bank, answer, reply).star
    assert star is not None
    assert not star.situation.present and star.task.present and star.action.present
    # The action's quote bears on key points and is shown; the task's bears on none, so it is
    # not shown (it could be text the answer planted), though the part still counts as told.
    assert star.action.evidence is not None
    assert star.action.evidence.quote == "I listened and fixed the root cause"
    assert star.task.evidence is None


def test_llm_rewrite_is_labelled_and_absent_rewrite_falls_back(
    api: respx.MockRouter, star_bank: coach.Bank
) -> None:
    reply = base_reply(star_bank, STORY)
    reply["improved_answer"] = "Your story, with a follow-up call added."
    improved = llm_grade(api, star_bank, STORY, reply).improved_answer
    assert improved is not None and improved.source == "rewrite" and "example" in improved.label


def test_missing_rewrite_shows_the_model_answer(
    api: respx.MockRouter, star_bank: coach.Bank
) -> None:
    reply = base_reply(star_bank, STORY)
    reply["improved_answer"] = ""
    reply["star"] = "garbled"  # coaching that cannot be read is dropped; the grade stands
    result = llm_grade(api, star_bank, STORY, reply)
    assert result.status == "graded" and result.improved_answer is not None
    assert result.improved_answer.source == "model_answer"


def test_the_schema_asks_for_coaching(star_bank: coach.Bank, mini: coach.Bank) -> None:
    from coach.llm.reply_schema import output_schema

    behavioral = output_schema(star_bank.question("complaint"))["properties"]
    assert {"strengths", "improvements", "follow_up_questions", "improved_answer", "star"} <= set(
        behavioral
    )
    assert "star" not in output_schema(mini.question("atm"))["properties"]


def test_respx_sees_the_sdk(api: respx.MockRouter, star_bank: coach.Bank) -> None:
    route = api.post("/chat/completions").mock(
        return_value=httpx.Response(500, json={"error": {"message": "x"}})
    )
    coach.Grader(client=sync_client(), policy=RetryPolicy(max_attempts=1)).grade(
        star_bank, "complaint", STORY
    )
    assert route.call_count == 1
