"""An outline names the answer's points; the answer earns them where it makes them."""

from __future__ import annotations

import pytest

import coach
from coach.text.outline import outline_sentences

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
