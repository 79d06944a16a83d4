"""An English rubric copy is long: a short answer that uses the rubric's terms is no copy."""

from __future__ import annotations

import coach
from tests.support import DATA

BANK = coach.load_bank(DATA / "english" / "bank.yaml")


def test_a_short_answer_in_the_rubrics_terms_is_graded_not_flagged() -> None:
    answer = (
        "APR means the annual percentage rate. APY means the annual percentage yield, which "
        "includes the effect of compounding."
    )
    result = coach.grade_offline(BANK, "apr-apy", answer)
    assert not result.has_flag("rubric_copy")
    assert result.score >= 2


def test_the_pasted_rubric_is_still_a_copy() -> None:
    question = BANK.question("apr-apy")
    pasted = " ".join(
        f"{c.name}: {c.description} " + " ".join(kp.text + "." for kp in c.key_points)
        for c in question.criteria
    )
    result = coach.grade_offline(BANK, question, pasted)
    assert result.has_flag("rubric_copy")
    assert result.score == 0
