"""The reply cache: a hit sends nothing, any change of what decides a grade misses, and the
code-side checks run again on every hit."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach
from coach.llm.cache import CacheError, GradeCache
from coach.testing import FakeJudge
from tests.support import MINI_ANSWER as ANSWER

TRADITIONAL = "賬戶凍結了，我會先安撫客戶的情緒，告訴他別擔心，並記錄訴求。然後說明需要審核。"
SIMPLIFIED = "账户冻结了，我会先安抚客户的情绪，告诉他别担心，并记录诉求。然后说明需要审核。"


def test_a_hit_sends_nothing_and_says_so(
    fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path
) -> None:
    cache = GradeCache(tmp_path / "cache.sqlite")
    grader = fake_judge.grader(cache=cache)
    first = grader.grade(mini, "atm", ANSWER)
    second = grader.grade(mini, "atm", ANSWER)
    assert len(fake_judge.requests) == 1
    assert not first.cached and second.cached
    assert second.usage.requests == 0 and second.usage.cost_usd in (None, 0.0)
    assert second.score == first.score and second.criteria == first.criteria
    assert cache.stats() == {"entries": 1, "hits": 1, "misses": 1}


def test_the_cache_outlives_the_grader(
    fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite"
    with fake_judge.grader(cache=path) as grader:
        grader.grade(mini, "atm", ANSWER)
    with fake_judge.grader(cache=path) as grader:
        assert grader.grade(mini, "atm", ANSWER).cached
    assert len(fake_judge.requests) == 1


def test_evidence_on_a_hit_comes_from_this_answer(
    fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path
) -> None:
    grader = fake_judge.grader(cache=GradeCache(tmp_path / "c.sqlite"))
    grader.grade(mini, "atm", SIMPLIFIED)
    copy = grader.grade(mini, "atm", TRADITIONAL)  # normalizes alike: the same key
    assert copy.cached and len(fake_judge.requests) == 1
    for criterion in copy.criteria:
        for evidence in criterion.evidence:
            assert TRADITIONAL[evidence.start : evidence.end] == evidence.quote


@pytest.mark.parametrize(
    "change",
    [
        {"model": "gpt-4o"},
        {"temperature": 0.5},
        {"feedback_language": "en"},
        {"allow_pii": True},
    ],
)
def test_a_change_of_model_or_parameters_misses(
    fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path, change: dict[str, object]
) -> None:
    cache = GradeCache(tmp_path / "c.sqlite")
    fake_judge.grader(cache=cache).grade(mini, "atm", ANSWER)
    result = fake_judge.grader(cache=cache, **change).grade(mini, "atm", ANSWER)
    assert not result.cached and len(fake_judge.requests) == 2


def test_a_change_of_rubric_or_template_misses(
    fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path
) -> None:
    cache = GradeCache(tmp_path / "c.sqlite")
    grader = fake_judge.grader(cache=cache)
    grader.grade(mini, "atm", ANSWER)
    edited = mini.model_copy(update={"version": "2"})
    assert not grader.grade(edited, "atm", ANSWER).cached
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    shipped = Path(coach.__file__).resolve().parent.parent / "prompts"
    for name in (
        "grade.zh.system.txt",
        "grade.zh.user.txt",
        "grade.en.system.txt",
        "grade.en.user.txt",
    ):
        text = (shipped / name).read_text(encoding="utf-8")
        (prompts / name).write_text(text + "\n", encoding="utf-8")
    other = fake_judge.grader(cache=cache, prompts_dir=prompts)
    assert not other.grade(mini, "atm", ANSWER).cached
    assert len(fake_judge.requests) == 3


def test_failures_are_not_cached(fake_judge: FakeJudge, mini: coach.Bank, tmp_path: Path) -> None:
    cache = GradeCache(tmp_path / "c.sqlite")
    for _ in range(3):
        fake_judge.push_error(500, "down")
    grader = fake_judge.grader(cache=cache)
    assert grader.grade(mini, "atm", ANSWER).status == "fallback"
    assert len(cache) == 0
    assert not grader.grade(mini, "atm", ANSWER).cached


def test_clear_and_bad_files(tmp_path: Path, fake_judge: FakeJudge, mini: coach.Bank) -> None:
    cache = GradeCache(tmp_path / "c.sqlite")
    fake_judge.grader(cache=cache).grade(mini, "atm", ANSWER)
    assert cache.clear() == 1 and len(cache) == 0
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError):
        len(GradeCache(junk))


def test_check_finds_a_broken_file_before_any_grade(tmp_path: Path) -> None:
    good = GradeCache(tmp_path / "good.sqlite")
    good.check()  # a new file: made, and fine
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(CacheError, match=r"broken\.sqlite"):
        GradeCache(broken).check()
    assert issubclass(CacheError, coach.CoachError) and coach.CacheError is CacheError
