"""Self-consistency: n samples combined per criterion by the median, with their spread."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import coach
from coach.testing import FakeJudge
from tests.support import MINI_ANSWER

# Makes every key point, so whatever points a sample gives rest on quotes that bear on them.
ANSWER = MINI_ANSWER + "请他提供交易凭证。"


def script(judge: FakeJudge, *grades: dict[str, float]) -> None:
    for points in grades:
        judge.push_grade(points)


def test_median_per_criterion_and_the_spread(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    script(
        fake_judge, {"calm": 1, "process": 8}, {"calm": 4, "process": 0}, {"calm": 2, "process": 8}
    )
    result = fake_judge.grader().grade(mini, "atm", ANSWER, samples=3)
    assert [c.points for c in result.criteria] == [2, 8] and result.score == 10
    consistency = result.consistency
    assert consistency is not None
    assert consistency.samples == consistency.requested == 3
    assert consistency.scores == [9, 4, 10] and consistency.score_spread == 6
    assert consistency.criterion_spread == {"calm": 3, "process": 8}
    assert result.has_flag("needs_review")  # 8 of 8 points apart on "process"
    assert result.usage.requests == 3 and result.usage.total_tokens == 3 * 150
    assert {r.body["temperature"] for r in fake_judge.requests} == {0.7}


def test_agreeing_samples_need_no_review(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    script(fake_judge, *[{"calm": 4, "process": 8}] * 3)
    result = fake_judge.grader(samples=3).grade(mini, "atm", ANSWER)
    assert result.score == 12 and not result.has_flag("needs_review")
    assert result.consistency is not None and result.consistency.score_spread == 0


def test_async_samples_go_out_together(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    script(
        fake_judge, {"calm": 1, "process": 8}, {"calm": 4, "process": 0}, {"calm": 2, "process": 8}
    )
    grader = coach.Grader(client=fake_judge.async_client())
    result = asyncio.run(grader.agrade(mini, "atm", ANSWER, samples=3))
    assert [c.points for c in result.criteria] == [2, 8]
    assert result.consistency is not None and sorted(result.consistency.scores) == [4, 9, 10]


def test_failed_samples_are_left_out(fake_judge: FakeJudge, mini: coach.Bank) -> None:
    fake_judge.push_grade({"calm": 4, "process": 4})
    for _ in range(3):
        fake_judge.push_error(500, "down")
    fake_judge.push_grade({"calm": 2, "process": 8})
    result = fake_judge.grader().grade(mini, "atm", ANSWER, samples=3)
    assert result.method == "llm" and result.consistency is not None
    assert (result.consistency.samples, result.consistency.requested) == (2, 3)
    assert [c.points for c in result.criteria] == [3, 6]


def test_samples_are_cached_apart(fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path) -> None:
    grader = fake_judge.grader(cache=tmp_path / "c.sqlite")
    grader.grade(mini, "atm", ANSWER, samples=2)
    again = grader.grade(mini, "atm", ANSWER, samples=2)
    assert len(fake_judge.requests) == 2 and again.cached


def test_nonsense_sample_counts_are_refused(mini: coach.Bank) -> None:
    with pytest.raises(coach.ConfigError):
        coach.Grader(mode="keyword", samples=0)
    with pytest.raises(coach.ConfigError):
        coach.Grader(mode="keyword").grade(mini, "atm", ANSWER, samples=0)


# A quote from ANSWER: it verifies, and no deduction's trigger is in it, so only the samples
# that claim the deduction find it (the keyword grader does not).
DEDUCTION = {"id": "promise_unfreeze", "evidence": ["请他提供交易凭证"]}


@pytest.mark.parametrize(
    ("found", "samples", "counted"),
    [(1, 3, False), (2, 3, True), (3, 3, True), (2, 4, False), (3, 4, True), (2, 5, False)],
)
def test_a_deduction_counts_only_when_most_samples_found_it(
    fake_judge: FakeJudge, mini: coach.Bank, found: int, samples: int, counted: bool
) -> None:
    assert coach.grade_offline(mini, "atm", ANSWER).deductions == []
    for index in range(samples):
        extra = {"deductions": [DEDUCTION]} if index < found else {}
        fake_judge.push_grade({"calm": 4, "process": 8}, **extra)
    result = fake_judge.grader().grade(mini, "atm", ANSWER, samples=samples)
    assert result.consistency is not None and result.consistency.samples == samples
    assert [d.id for d in result.deductions] == (["promise_unfreeze"] if counted else [])
    assert result.score == (12 - 4 if counted else 12)
