"""What a reader sees in a report: the report's own language for kinds, flags and key points
(no ids or hashes meant for programs), and Markdown lists without HTML in them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

import coach
from coach.reports.html import result_html, session_html
from coach.reports.markdown import result_markdown, session_markdown
from coach.session import SessionRecord
from tests.reports.support import turn
from tests.reports.test_reports import B1_ANSWER, ENGLISH_BANK, S2_ANSWER

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
BANK = coach.load_bank("finance-cs-manager")
S2 = BANK.question("s2")


def _as_if_from_the_llm(result: coach.GradeResult) -> coach.GradeResult:
    """The same grade with rationales that name no key point, as a model's may."""
    criteria = [c.model_copy(update={"rationale": "依据回答给分。"}) for c in result.criteria]
    return result.model_copy(update={"criteria": criteria, "method": "llm"})


def _ids(question: coach.Question) -> list[str]:
    return [kp.id for c in question.criteria for kp in c.key_points]


@pytest.mark.parametrize("render", [result_html, result_markdown])
def test_key_points_are_named_by_their_text_never_by_id(render: Callable[..., str]) -> None:
    graded = _as_if_from_the_llm(coach.grade_offline(BANK, "s2", S2_ANSWER))
    page = render(graded, rubric=S2)
    hit = next(c for c in graded.criteria if c.key_points_hit)
    text = next(
        kp.text for c in S2.criteria for kp in c.key_points if kp.id == hit.key_points_hit[0]
    )
    assert text in page
    for kp_id in _ids(S2):
        assert not re.search(rf"[>`]{re.escape(kp_id)}[<`]", page), kp_id
    bare = render(graded)
    assert text not in bare and 'class="chip' not in bare
    assert render(graded, rubric=BANK) == page  # the bank finds its question


def test_an_offline_rationale_names_its_key_points_once() -> None:
    graded = coach.grade_offline(BANK, "s2", S2_ANSWER)
    page = result_html(graded, rubric=S2)
    assert 'class="chip' not in page  # each text is in the rationale already
    for criterion in graded.criteria:
        assert criterion.rationale in page


def test_a_chinese_report_shows_no_english_kind_code_or_hash() -> None:
    graded = coach.grade_offline(BANK, "s2", S2_ANSWER)
    behavioral = coach.load_bank("account-manager").question("b1")
    b1 = coach.grade_offline("account-manager", "b1", B1_ANSWER)
    session = SessionRecord(
        id="s-1",
        started_at=T0,
        finished_at=T0 + timedelta(minutes=9),
        bank_ids=["account-manager"],
        method="keyword",
        turns=[turn(1, behavioral, B1_ANSWER, b1, T0)],
    )
    digest = graded.rubric_version.split("+")[1]
    for page in (result_html(graded), result_markdown(graded)):
        assert digest not in page and graded.rubric_version.split("+")[0] in page
        assert "pii_redacted" not in page and "too_short" not in page
    for page in (session_html(session), session_markdown(session)):
        assert "behavioral" not in page and "行为题" in page
        assert b1.rubric_version.split("+")[1] not in page


def test_flags_are_named_in_the_reports_language() -> None:
    graded = coach.grade_offline(BANK, "s2", "先安抚客户情绪。")
    assert graded.has_flag("too_short")
    assert "回答过短" in result_html(graded) and "回答过短" in result_markdown(graded)
    english = coach.parse_bank(ENGLISH_BANK)
    short = coach.grade_offline(english, "q1", "No guarantee.")
    assert "Too short" in result_markdown(short) and "too\\_short" not in result_markdown(short)


def test_markdown_list_items_hold_no_html() -> None:
    graded = coach.grade_offline(BANK, "s2", S2_ANSWER)
    assert any(i.example for i in graded.improvements)
    text = result_markdown(graded)
    items = [line for line in text.splitlines() if re.match(r"\s*(?:[-*]|\d+\.) ", line)]
    assert items and not [line for line in items if "<br>" in line]
    example = next(i.example for i in graded.improvements if i.example)
    assert f"  - 示例说法：「{example}」" in text


@pytest.mark.parametrize("render", [session_html, session_markdown])
def test_a_session_ended_early_says_so(render: Callable[..., str]) -> None:
    b1 = coach.grade_offline("account-manager", "b1", B1_ANSWER)
    behavioral = coach.load_bank("account-manager").question("b1")
    common = {
        "id": "s-2",
        "started_at": T0,
        "finished_at": T0 + timedelta(minutes=5),
        "bank_ids": ["account-manager"],
        "method": "keyword",
        "turns": [turn(1, behavioral, B1_ANSWER, b1, T0)],
    }
    early = render(SessionRecord(**common, ended_early=True))
    done = render(SessionRecord(**common))
    assert "提前结束" in early and "提前结束" not in done
