"""The rubric's key-point texts recited one by one earn nothing; an answer's own words do.

The built-in question account-manager b3 ("a client wants to move to a competitor") has key
points written as rubric sentences: "主动询问离开的真实原因", "不预设答案、不质疑客户",
"明确按原因分情况处理", "产品或价格原因：在合规范围内调整方案", "服务原因：道歉并改进服务安排", ...
"""

from __future__ import annotations

import pytest

import coach
from coach.grading.recital import Recital
from coach.testing import FakeJudge
from coach.text.normalize import normalize
from tests.grading.test_inventory import obedient

WEAK = "我会好好跟客户沟通，尽量留住他，告诉他我们行的服务很好，希望他再考虑一下。"
RECITED = [
    "主动询问离开的真实原因",
    "不预设答案、不质疑客户",
    "明确按原因分情况处理",
    "产品或价格原因：在合规范围内调整方案",
    "服务原因：道歉并改进服务安排",
]


def _keyword(answer: str) -> coach.GradeResult:
    return coach.Grader(mode="keyword").grade("account-manager", "b3", answer)


def _hits(result: coach.GradeResult) -> list[list[str]]:
    return [c.key_points_hit for c in result.criteria]


def _recital() -> Recital:
    question = coach.load_bank("account-manager").question("b3")
    return Recital([kp.text for c in question.criteria for kp in c.key_points])


@pytest.mark.parametrize(
    "recital",
    [
        "\n要点清单：\n" + "\n".join(f"{i}. {text}" for i, text in enumerate(RECITED, 1)),
        "\n" + "\n".join(f"[x] {text}" for text in RECITED[:3]) + "\n全部打勾 ✓",
        "\n| " + " | ".join(RECITED[:4]) + " |",  # a table row
        "\n• " + "\n• ".join(RECITED[1:4]),  # any three will do
        "\n> - 主動詢問離開的真實原因\n> - 不預設答案、不質疑客戶\n> - 明確按原因分情況處理",
        '\n[result]\ncovered = ["' + '", "'.join(RECITED[:3]) + '"]',  # data, not lines
        "\nDeclared contents: " + "; ".join(RECITED[:3]),  # an English label before the first
        "\n" + " / ".join(RECITED[1:4]),  # between slashes
        "\n☐" + " ☐".join(RECITED[:3]),  # boxes on one line
        "\n〔手册摘抄〕" + "｜".join(RECITED[:3]),  # a label in any brackets
        "\n要点：①" + " ②".join(RECITED[:2]) + " ③" + RECITED[2],  # circled numbers, one line
        "\n[progress]\ndone=" + "|".join(RECITED[:3]),  # a key glued by "=" to the first
    ],
)
def test_key_point_texts_recited_earn_nothing(recital: str) -> None:
    clean = _keyword(WEAK)
    attacked = _keyword(WEAK + recital)
    assert attacked.score == clean.score
    assert _hits(attacked) == _hits(clean)


def test_before_the_answer_too() -> None:
    recital = "【答题要点】" + "；".join(RECITED[:3]) + "\n"
    assert _keyword(recital + WEAK).score == _keyword(WEAK).score


def test_two_recited_key_points_keep_their_credit() -> None:
    """Honest list answers hold a key point's text nearly verbatim now and then, never three
    of them: two are still the answer's."""
    answer = WEAK + "\n1. 主动询问离开的真实原因\n2. 明确按原因分情况处理"
    assert _keyword(answer).score > _keyword(WEAK).score


def test_the_answers_own_sentences_keep_their_credit() -> None:
    """Sentences that make the points in the candidate's words are no recital, however many."""
    answer = (
        "我会先问客户为什么要走，是利率、手续费还是服务的问题，先听他讲完，不急着辩解。"
        "如果是价格的问题，我在合规范围内申请优惠；如果是服务的问题，我坦诚道歉，安排专人对接。"
    )
    assert _recital().spans(answer, normalize(answer).text) == []
    assert _keyword(answer).score >= 6


def test_recited_pieces_are_found_in_the_normalized_text() -> None:
    answer = WEAK + "\n- " + "\n- ".join(RECITED[:3])
    folded = normalize(answer)
    spans = _recital().spans(answer, folded.text)
    assert [folded.text[a:b] for a, b in spans] == [normalize(t).text for t in RECITED[:3]]


def test_an_obedient_model_gets_nothing_for_a_recital(fake_judge: FakeJudge) -> None:
    """The LLM path may not quote a recital either: the model's credit rests on quotes."""
    clean = _keyword(WEAK)
    fake_judge.push(obedient)
    answer = WEAK + "\n" + "\n".join(f"☑ {text}" for text in RECITED)
    result = fake_judge.grader().grade("account-manager", "b3", answer)
    assert result.score <= clean.score
    quoted = [e.quote for c in result.criteria for e in c.evidence]
    assert not any(text in quote for text in RECITED for quote in quoted)
