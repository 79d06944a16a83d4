"""A criterion's points for the key points it hit: one rule (`Criterion.points_earned`) for the
keyword grader, the cap on an LLM's points and calibration."""

from __future__ import annotations

import pytest

import coach
from tests.rubric.support import samples

CAPPING = {"keyword_stuffing", "off_topic", "rubric_copy", "blank", "non_answer"}


def test_bands_award_the_highest_band_reached(mini: coach.Bank) -> None:
    process = mini.question("atm").criterion("process")
    ids = [kp.id for kp in process.key_points]
    assert [process.points_for(ids[:n]) for n in range(len(ids) + 1)][:3] == [0.0, 4, 8]
    assert process.points_earned(2, 0.0) == process.points_for(ids[:2])


def test_without_bands_points_follow_the_hit_weights(mini: coach.Bank) -> None:
    (criterion,) = [c for q in mini.questions for c in q.criteria if not c.bands][:1]
    weights = {kp.id: kp.weight for kp in criterion.key_points}
    total = sum(weights.values())
    first = criterion.key_points[0].id
    assert criterion.points_for([first]) == pytest.approx(criterion.points * weights[first] / total)
    assert criterion.points_for(list(weights)) == pytest.approx(criterion.points)
    assert criterion.points_for([]) == 0


@pytest.mark.parametrize("bank_id", ["account-manager", "finance-cs-manager"])
def test_the_keyword_grader_awards_what_the_criterion_rule_says(bank_id: str) -> None:
    bank = coach.load_bank(bank_id)
    grader = coach.KeywordGrader()
    checked = 0
    for sample in samples(bank_id):
        result = grader.grade(bank, sample["question"], sample["text"])
        if CAPPING & set(result.flag_codes):
            continue
        question = bank.question(sample["question"])
        for found in result.criteria:
            rule = question.criterion(found.id)
            assert found.points == round(rule.points_for(found.key_points_hit), 2)
            checked += 1
    assert checked >= 20
