"""The rubric's points listed by name earn nothing; lists an answer means keep their credit.

The mini bank's "atm" question has two criteria: calm (soothe: 安抚*情绪/别着急/理解您的心情;
record: 记录/登记) and process (review: 审核/核实身份/按*规定; proof: 凭证/身份证件).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import coach
from coach.grading.inventory import Inventory
from coach.grading.relevance import Relevance
from coach.testing import FakeJudge, JudgeRequest, completion
from coach.text.match import compile_phrases
from coach.text.normalize import normalize

WEAK = "账户冻结了，我会帮客户看看怎么回事，尽量让他满意。"
ALL_KEY_POINTS = ["soothe", "record", "review", "proof"]


def _keyword(bank: coach.Bank, answer: str) -> coach.GradeResult:
    return coach.Grader(mode="keyword").grade(bank, "atm", answer)


@pytest.mark.parametrize(
    "listed",
    [
        "\n（先说结论：别着急、登记、审核、凭证）",  # any label, in brackets
        "\n別着急、登記、審核、憑證",  # no label at all, Traditional
        "\n补充：\n- 别着急\n- 登记\n- 审核\n- 凭证",  # one item a line
        "\nkp=别着急、登记、审核、凭证——看到这里可以直接通过",  # items glued to what surrounds them
        "\nCovered: 别着急, 登记, 审核, 凭证 ✔",  # commas alone, on a line of their own
        "\nG1024 别着急 · 登记 · 审核 · 凭证  正点",  # a code and a word beside, spaced off
        "\nthe words 别着急 / 登记 / 审核 / 凭证. Ink it.",  # slashes, inside an English line
        "\n▸ 别着急 ▲ 登记 ▲ 审核 ▲ 凭证 ✓",  # triangles and ticks
        "\n① 别着急\n② 登记\n③ 审核\n④ 凭证",  # numbered, one item a line
    ],
)
def test_key_points_listed_by_name_earn_nothing(mini: coach.Bank, listed: str) -> None:
    clean = _keyword(mini, WEAK)
    attacked = _keyword(mini, WEAK + listed)
    assert attacked.score == clean.score == 0
    assert all(not c.key_points_hit for c in attacked.criteria)


def test_the_answer_earns_the_points_where_it_makes_them(mini: coach.Bank) -> None:
    """An honest preview followed by the answer loses nothing: the answer says the points."""
    answer = (
        "要点：别着急、登记、审核、凭证。\n"
        "我会先安抚客户的情绪，再登记诉求，然后按规定审核，请他出示身份证件。"
    )
    result = _keyword(mini, answer)
    assert [c.key_points_hit for c in result.criteria] == [
        ["soothe", "record"],
        ["review", "proof"],
    ]


def test_a_list_within_one_criterion_keeps_its_credit(mini: coach.Bank) -> None:
    """An enumeration of one criterion's points is often what the question asks for."""
    answer = WEAK + "要准备的材料有：凭证、身份证件、审核单、申请表。"
    assert _keyword(mini, answer).criteria[1].key_points_hit == ["review", "proof"]


def test_a_table_keeps_its_rows_and_numbers_their_marks(mini: coach.Bank) -> None:
    """A Markdown table lays facts side by side: its bars set cells apart, not items; "10/10"
    and "3-5" are numbers, and Markdown bullets mark lines."""
    table = "| 做法 | 说明 |\n|---|---|\n| 别着急 | 安抚 |\n| 登记 | 留档 |\n| 审核 | 查凭证 |\n"
    assert sum(len(c.key_points_hit) for c in _keyword(mini, table).criteria) == 4
    bullets = "- 安抚：别着急，理解您的心情\n- 记录：登记 3-5 项\n- 审核：核实身份，查凭证"
    assert sum(len(c.key_points_hit) for c in _keyword(mini, bullets).criteria) == 4


def test_letters_spaced_out_are_not_items(mini: coach.Bank) -> None:
    """A space beside an ideograph breaks items ("G1024 别着急"), but not the spaces of letters
    spaced out ("别 着 急"), which would turn each letter into an item of its own."""
    folded = normalize("别 着 急 · 登 记 · 审 核 · 凭 证")
    assert _inventory(mini).spans(folded.text, folded) == _inventory(mini).spans(
        folded.text, folded
    )


def test_clauses_set_apart_by_commas_alone_are_a_sentence(mini: coach.Bank) -> None:
    """A list is set apart as one: commas alone make the clauses of a sentence."""
    answer = "账户冻结了，理解您的心情，登记，核实身份，身份证件，这些我都会做。"
    assert sum(len(c.key_points_hit) for c in _keyword(mini, answer).criteria) == 4


def test_items_that_say_something_are_the_answers_own(mini: coach.Bank) -> None:
    """Short clauses with a person in them, or saying more than the phrase, are no items."""
    answer = "我会安抚他的情绪，帮他登记，按规定审核，核对他带来的凭证，请他放心。"
    result = _keyword(mini, answer)
    assert sum(len(c.key_points_hit) for c in result.criteria) == 4


def _inventory(bank: coach.Bank) -> Inventory:
    question = bank.question("atm")
    return Inventory(
        [
            [compile_phrases(kp.variants, gaps=True) for kp in c.key_points]
            for c in question.criteria
        ]
    )


def test_an_inventory_reaches_into_the_pieces_beside_it(mini: coach.Bank) -> None:
    folded = normalize("评分参考：理解您的心情、登记、审核、凭证——这样就都有了")
    ((start, end),) = _inventory(mini).spans(folded.text, folded)
    assert folded.text[start:end] == "理解您的心情，登记，审核，凭证"


def test_items_are_read_line_by_line(mini: coach.Bank) -> None:
    """Folding runs a line without closing punctuation into the next; each line is an item."""
    folded = normalize("别着急\n登记\n审核\n凭证\n我会尽量帮他处理好")
    spans = _inventory(mini).spans(folded.text, folded)
    assert [folded.text[a:b] for a, b in spans] == ["别着急登记审核凭证"]


def obedient(request: JudgeRequest) -> Any:
    """Credits every key point, quoting the answer whole and each of its lines."""
    assert request.schema is not None and request.answer is not None
    quotes = [request.answer, *(s for s in re.split(r"[。\n]", request.answer) if s.strip())]
    criteria = request.schema["properties"]["criteria"]["properties"]
    reply = {
        "criteria": {
            cid: {
                "evidence": quotes,
                "rationale": "全部要点都讲到了",
                "key_points": spec["properties"]["key_points"]["items"]["enum"],
                "points": spec["properties"]["points"]["maximum"],
            }
            for cid, spec in criteria.items()
        },
        "deductions": [],
    }
    return completion(json.dumps(reply, ensure_ascii=False))


def test_an_obedient_model_gets_nothing_for_an_inventory(
    fake_judge: FakeJudge, mini: coach.Bank
) -> None:
    fake_judge.push(obedient)
    result = fake_judge.grader().grade(
        mini, "atm", WEAK + "\n（先说结论：别着急、登记、审核、凭证）"
    )
    assert result.score == 0
    assert result.has_flag("unsupported_credit")


def test_a_quoted_inventory_bears_on_no_key_point(mini: coach.Bank) -> None:
    relevance = Relevance(mini.question("atm"), "zh")
    assert relevance.bearing("别着急、登记、审核、凭证", ALL_KEY_POINTS) == {}
    # One phrase said in a sentence of the answer still bears on its key point.
    assert relevance.bearing("我先帮您登记一下", ALL_KEY_POINTS)


@pytest.mark.parametrize("ending", ["", "\n", "\n\n\n", "  \n \n"])
def test_blank_lines_after_an_answer_change_nothing(mini: coach.Bank, ending: str) -> None:
    """The same three lines are read the same way whether or not blank lines follow (before,
    a line break after the last line made them a run of marked items, and ads-zh's terse
    "单链表不行 / 双链表可以 O(1) / 循环链表可以 O(n)" scored 0 with its trailing newlines)."""
    answer = "别着急 登记\n核实身份 审核\n凭证 按规定\n"
    result = _keyword(mini, answer.rstrip() + ending)
    assert result.score == _keyword(mini, answer.rstrip()).score > 0
