"""What a criterion's set of hit key points comes to, worked out once per set: the same as the
criterion's own rule for every set, and remembered for a bounded number of sets."""

from __future__ import annotations

from itertools import combinations

import pytest

import coach
from coach.grading.rules import OUTCOMES_KEPT, compile_question
from coach.grading.texts import texts_for
from coach.rubric.model import Criterion


def _criteria(bank_id: str) -> list[tuple[coach.Bank, coach.Question, Criterion]]:
    bank = coach.load_bank(bank_id)
    return [(bank, q, c) for q in bank.questions for c in q.criteria]


@pytest.mark.parametrize("bank_id", ["finance-cs-manager", "bank-smart-cs"])
def test_every_set_of_hits_comes_to_what_the_criterion_says(bank_id: str) -> None:
    t = texts_for("zh")
    banded = weighted = 0
    for bank, question, criterion in _criteria(bank_id):
        rules = compile_question(bank, question, t)
        (rule,) = [r for r in rules.criteria if r.criterion is criterion]
        ids = [kp.id for kp in criterion.key_points]
        for size in range(len(ids) + 1):
            for hit in combinations(range(len(ids)), size):
                mask = sum(1 << k for k in hit)
                outcome = rule.outcome(mask)
                hit_ids = [ids[k] for k in hit]
                assert list(outcome.hit) == hit_ids
                assert list(outcome.missed) == [i for i in ids if i not in hit_ids]
                assert outcome.points == criterion.points_for(hit_ids)
                # What an uncapped grade shows: the points held to the criterion's, rounded.
                shown = round(min(criterion.points, outcome.points) * 1.0, 2)
                assert outcome.shown == shown and str(outcome.shown) == str(shown)
                texts = [kp.text for kp in criterion.key_points]
                label = t.hit_label.format(hits=size, total=len(ids))
                missed = [texts[k] for k in range(len(ids)) if k not in hit]
                assert outcome.rationale == t.rationale(label, [texts[k] for k in hit], missed)
                assert rule.outcome(mask) is outcome  # remembered
        banded += bool(criterion.bands)
        weighted += not criterion.bands
    assert banded and weighted  # both kinds of rule were met


def test_a_criterion_with_many_key_points_remembers_a_bounded_number_of_sets() -> None:
    bank = coach.load_bank("finance-cs-manager")
    question = bank.questions[0]
    criterion = question.criteria[0].model_copy(
        update={
            "key_points": [
                coach.KeyPoint(id=f"kp{k}", text=f"要点{k}", variants=[f"词语{k}"])
                for k in range(12)
            ],
            "bands": [],
        }
    )
    wide = question.model_copy(update={"criteria": [criterion]})
    (rule,) = compile_question(bank, wide, texts_for("zh")).criteria
    for mask in range(2 * OUTCOMES_KEPT):
        hit = [f"kp{k}" for k in range(12) if mask >> k & 1]
        assert list(rule.outcome(mask).hit) == hit
        assert rule.outcome(mask).points == criterion.points_for(hit)
    assert len(rule.outcomes) == OUTCOMES_KEPT
