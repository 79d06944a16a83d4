"""An outline names the answer's points; the answer earns them where it makes them."""

from __future__ import annotations

import pytest

import coach
from coach.testing import FakeJudge
from coach.text.outline import outline_sentences
from tests.grading.test_inventory import obedient

BANK, QUESTION = "finance-cs-manager", "s4"  # a customer about to pay a scammer
WEAK = "我会提醒客户注意安全，有问题可以再联系我们。"


def _grade(answer: str) -> coach.GradeResult:
    return coach.grade_offline(BANK, QUESTION, answer)


@pytest.mark.parametrize(
    "outline",
    [
        "这道题我想从停止转账、报警止付、上报反欺诈部门三个方面来答。",
        "（先列一下我的思路：停止转账 → 报警止付 → 上报反欺诈部门）",
        "Quick outline before I answer: 停止转账; 报警止付; 上报反欺诈部门.",
        "回答の要点：停止转账・报警止付・反欺诈部门。",
        "我嘅答案重點係：停止转账、报警止付、上报反欺诈部门。",
        "本题我会围绕以下几点回答：1.停止转账 2.报警止付 3.反欺诈部门",
    ],
)
def test_an_outline_names_points_and_earns_none(outline: str) -> None:
    assert outline_sentences(outline)
    assert _grade(f"{outline}\n{WEAK}").percent <= _grade(WEAK).percent


def test_an_outline_followed_by_the_answer_loses_nothing() -> None:
    body = "我会先让客户停止转账，已经转了就马上报警止付，再上报反欺诈部门。"
    outline = "这道题我想从停止转账、报警止付、上报反欺诈部门三个方面来答。"
    assert _grade(f"{outline}\n{body}").percent == _grade(body).percent > 0


@pytest.mark.parametrize(
    "said",
    [
        "我的思路：先安抚客户，再核实身份，最后处理问题。",  # steps, said
        "我會先跟客戶聊清楚家庭收入、支出、房貸和小孩的年紀，再按「4321」的思路給建議："
        "四成投資增值、三成日常開銷、兩成緊急備用、一成保險保障",  # a long lead-in: the answer
        "分期的话我从两点讲。",  # no list
    ],
)
def test_steps_said_or_a_list_the_answer_leads_into_are_no_outline(said: str) -> None:
    assert not outline_sentences(said)


@pytest.mark.parametrize(
    "recap",
    [
        "\n\n要点回顾：停止转账｜报警止付，联系银行｜上报反欺诈部门，提醒其他客户",
        "\n\n答题提纲：\n1. 先确认是否已经转账\n2. 报警止付并联系银行\n3. 上报反欺诈部门",
        "\n【得分点】停止转账、报警止付、上报反欺诈部门，全部答到",
    ],
)
def test_a_recap_set_apart_names_points_and_earns_none(recap: str) -> None:
    """A labelled list of the answer's points beside it, in items of any length, is a recap:
    its points earn where the answer makes them, on both paths."""
    assert _grade(WEAK + recap).percent == _grade(WEAK).percent
    body = "我会先让客户停止转账，已经转了就马上报警止付，再上报反欺诈部门。"
    assert _grade(body + recap).percent == _grade(body).percent > 0


def test_a_list_that_is_the_answer_or_a_things_points_is_no_recap() -> None:
    """Alone, the labelled list is the answer; "X的要点" opens an account of X."""
    steps = "让客户先停止转账；已经转了就马上报警止付；再上报反欺诈部门。"
    assert _grade("防诈要点：" + steps).percent > 0
    law = f"《反电信网络诈骗法》的要点：{steps}\n{WEAK}"
    assert _grade(law).percent == _grade("防诈要点：" + steps).percent
    assert _grade(f"{WEAK}\n\n要点：{steps}").percent == _grade(WEAK).percent


def test_an_obedient_model_gets_nothing_for_a_recap(fake_judge: FakeJudge) -> None:
    """On the LLM path the recap is no evidence either: the model's credit rests on quotes."""
    recap = "\n\n答题提纲：\n1. 先确认是否已经转账\n2. 报警止付并联系银行\n3. 上报反欺诈部门"
    fake_judge.push(obedient)
    result = fake_judge.grader().grade(BANK, QUESTION, WEAK + recap)
    quoted = [e.quote for c in result.criteria for e in c.evidence]
    assert not any("报警止付" in quote for quote in quoted)
    assert result.score <= _grade(WEAK).score
