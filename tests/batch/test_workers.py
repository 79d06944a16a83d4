"""Offline batches on worker processes (spawned): the same outcomes in the same order as in one
process, bad items as their errors, a killed worker's items as errors to retry, no pool for a
small input, and `grade_many(workers=n)` / `grade-file --workers N` around them."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
import yaml

import coach
from coach.batch import workers as workers_module
from coach.batch.jobs import run_job
from coach.batch.run import BatchItem
from coach.batch.workers import Graded, Processes, available_cpus, graded_in_order
from coach.errors import ConfigError
from coach.grading.processes import keyword_grade
from coach.result import GradeResult
from tests.batch.test_jobs import job_input, lines_of, read_out
from tests.cli.support import run_cli
from tests.support import DATA

KILL = "KILL THIS WORKER"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="kills a worker with SIGKILL")


def sample_items() -> list[tuple[str, str, str, str]]:
    """Every sample answer of tests/data/answers_*.yaml as (bank, question, answer, id)."""
    items = []
    for path in sorted(DATA.glob("answers_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for n, answer in enumerate(data["answers"]):
            items.append((data["bank"], answer["question"], answer["text"], f"{path.stem}-{n}"))
    return items


def bad_items() -> list[Any]:
    return [
        ("no-such-bank", "b1", "答案", "bad-bank"),
        ("account-manager", "no-such-question", "答案", "bad-question"),
        ("account-manager", "b1", None, "no-text"),
        ("account-manager", "b1", lambda: "答案", "does-not-pickle"),  # graded in this process
    ]


def dumped(results: list[coach.BatchResult]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in results]


def grade_or_die(bank: Any, question: Any, answer: Any) -> GradeResult:
    """The keyword grade, except that a worker process given `KILL` dies on the spot."""
    if answer == KILL:
        os.kill(os.getpid(), signal.SIGKILL)
    return keyword_grade(bank, question, answer)


def die_in_any_worker(bank: Any, question: Any, answer: Any) -> GradeResult:
    """A worker process dies at its first item; this process grades."""
    if multiprocessing.parent_process() is not None:
        os.kill(os.getpid(), signal.SIGKILL)
    return keyword_grade(bank, question, answer)


def test_two_workers_grade_exactly_as_one() -> None:
    # Three rounds of the samples: more than one chunk, so a pool of two is started.
    items = sample_items() * 3 + bad_items()
    assert len(items) > workers_module.CHUNK_SIZE
    grader = coach.Grader(mode="keyword")
    one, two = grader.grade_many(items, workers=1), grader.grade_many(items, workers=2)
    assert [r.id for r in two] == [item[3] for item in items]
    assert dumped(two) == dumped(one)
    errors = {r.id: r.error.type for r in two if r.error is not None}
    assert errors == {
        "bad-bank": "BankNotFoundError",
        "bad-question": "QuestionNotFoundError",
        "no-text": "AnswerError",
        "does-not-pickle": "AnswerError",
    }
    scores = {r.result.score for r in two if r.result is not None}
    assert len(scores) > 10  # strong, weak and harmful answers: real grades, not one value


def test_many_small_chunks_on_spawned_workers_keep_the_order() -> None:
    items = [BatchItem(bank=b, question=q, answer=a, id=i) for b, q, a, i in sample_items()]
    grade = functools.partial(keyword_grade, feedback_language="en")
    processes = Processes(grade=grade, workers=2, chunk_size=7, start_method="spawn")
    outcomes = list(graded_in_order(processes, items))
    assert all(isinstance(o, Graded) for o in outcomes)
    assert [o.index for o in outcomes if isinstance(o, Graded)] == list(range(len(items)))
    expected = coach.Grader(mode="keyword", feedback_language="en").grade_many(items)
    got = [o.result for o in outcomes if isinstance(o, Graded)]
    assert [r.model_dump() for r in got if r] == [
        e.result.model_dump() for e in expected if e.result
    ]
    assert all(r is not None for r in got)


@posix_only
def test_a_killed_worker_loses_no_item() -> None:
    items = [
        BatchItem(
            bank="account-manager",
            question="b1",
            answer=KILL if n == 12 else f"答案{n}",
            id=f"i{n}",
        )
        for n in range(60)
    ]
    processes = Processes(grade=grade_or_die, workers=2, chunk_size=5)
    outcomes = [o for o in graded_in_order(processes, items) if isinstance(o, Graded)]
    assert [o.id for o in outcomes] == [item.id for item in items]
    stopped = [o for o in outcomes if o.error is not None]
    assert "i12" in {o.id for o in stopped}
    assert all(
        o.error is not None and o.error.type == "WorkerStopped" and o.error.retry for o in stopped
    )
    assert len(stopped) <= 4 * 5  # the chunks in flight then, no more
    assert outcomes[-1].result is not None  # a fresh pool graded the rest
    alone = keyword_grade("account-manager", "b1", "答案59")
    assert outcomes[-1].result.model_dump() == alone.model_dump()


@posix_only
def test_a_worker_found_dead_when_sending_the_next_part_loses_no_item() -> None:
    # The pool breaks between two sends: the send itself fails then, not the part's result.
    lane = workers_module._Lane(multiprocessing.get_context("spawn"))
    try:
        killed = lane.submit(grade_or_die, [(0, "i0", "account-manager", "b1", KILL)], False)
        assert killed.future is not None
        assert isinstance(killed.future.exception(timeout=120), BrokenProcessPool)
        after = lane.submit(grade_or_die, [(1, "i1", "account-manager", "b1", "答案1")], False)
        assert after.pool is not killed.pool  # sent to a fresh pool
        [stopped] = lane.settle(killed, grade_or_die)
        [graded] = lane.settle(after, grade_or_die)
    finally:
        lane.close()
    assert stopped.error is not None and stopped.error.type == "WorkerStopped"
    assert graded.result is not None
    alone = keyword_grade("account-manager", "b1", "答案1")
    assert graded.result.model_dump() == alone.model_dump()


@posix_only
def test_workers_that_keep_dying_leave_the_rest_to_this_process() -> None:
    items = [
        BatchItem(bank="account-manager", question="b1", answer=f"答案{n}", id=f"i{n}")
        for n in range(40)
    ]
    processes = Processes(grade=die_in_any_worker, workers=2, chunk_size=3)
    outcomes = [o for o in graded_in_order(processes, items) if isinstance(o, Graded)]
    assert [o.id for o in outcomes] == [item.id for item in items]
    kinds = [o.error.type if o.error else "graded" for o in outcomes]
    # Two pools stop before finishing a chunk (the chunks they held are to be retried); then
    # the items are graded here.
    first_graded = kinds.index("graded")
    assert set(kinds[:first_graded]) == {"WorkerStopped"}
    assert set(kinds[first_graded:]) == {"graded"}


def test_a_small_batch_starts_no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for one chunk")

    monkeypatch.setattr(workers_module, "ProcessPoolExecutor", no_pool)
    items = sample_items()
    assert len(items) <= workers_module.CHUNK_SIZE
    grader = coach.Grader(mode="keyword")
    assert dumped(grader.grade_many(items, workers=4)) == dumped(grader.grade_many(items))


def test_workers_are_for_keyword_graders_only() -> None:
    items = sample_items()[:2]
    with pytest.raises(ConfigError, match="mode='keyword'"):
        coach.Grader(mode="auto").grade_many(items, workers=2)
    with pytest.raises(ConfigError, match="rate limits"):
        coach.Grader(mode="keyword").grade_many(items, workers=2, requests_per_minute=60)
    with pytest.raises(ConfigError, match="at least 1"):
        coach.Grader(mode="keyword").grade_many(items, workers=0)


def test_the_cpus_available_follow_the_affinity_mask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    assert available_cpus() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert available_cpus() == 6


def test_a_file_job_on_workers_writes_what_one_process_writes(
    tmp_path: Path, mini_path: Path
) -> None:
    # Bad lines between good ones, and more lines than a chunk: the order holds across chunks.
    source = job_input(tmp_path, mini_path)
    text = source.read_text(encoding="utf-8")
    extra = "".join(
        json.dumps(
            {"id": f"s{n}", "bank": "account-manager", "question": "b1", "answer": f"安抚{n}"}
        )
        + "\n"
        for n in range(30)
    )
    source.write_text(text + extra + text.replace('"id": "', '"id": "again-'), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    grader = coach.Grader(mode="keyword")
    processes = Processes(grade=keyword_grade, workers=2, chunk_size=4)
    first = run_job(grader, source, one, progress=False)
    second = run_job(grader, source, two, progress=False, processes=processes)
    assert two.read_bytes() == one.read_bytes()
    assert (second.total, second.graded, second.failed) == (first.total, first.graded, first.failed)
    # Run again: everything is done already, nothing is written.
    again = run_job(grader, source, two, progress=False, processes=processes)
    assert again.skipped == again.total and two.read_bytes() == one.read_bytes()


@posix_only
def test_a_killed_worker_s_items_are_graded_by_the_next_run(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        {
            "id": f"i{n}",
            "bank": "account-manager",
            "question": "b1",
            "answer": KILL if n == 9 else f"答案{n}",
        }
        for n in range(40)
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    grader = coach.Grader(mode="keyword")
    summary = run_job(
        grader,
        source,
        out,
        progress=False,
        processes=Processes(grade=grade_or_die, workers=2, chunk_size=4),
    )
    records = read_out(out)
    assert len(records) == 40 and summary.to_retry >= 1
    assert records["i9"]["error"]["type"] == "WorkerStopped" and records["i9"]["error"]["retry"]
    # The next run takes the retry lines out and grades them (the answer no longer kills).
    source.write_text(source.read_text(encoding="utf-8").replace(KILL, "答案9"), encoding="utf-8")
    again = run_job(
        grader,
        source,
        out,
        progress=False,
        processes=Processes(grade=grade_or_die, workers=2, chunk_size=4),
    )
    assert again.retried == summary.to_retry and again.to_retry == 0
    final = read_out(out)
    assert len(final) == 40 and all("result" in record for record in final.values())


def test_grade_file_workers_option(tmp_path: Path, mini_path: Path) -> None:
    source = job_input(tmp_path, mini_path)
    refused = run_cli(
        "grade-file", source, "--out", tmp_path / "o.jsonl", "--mode", "auto", "--workers", "2"
    )
    assert refused.returncode == 2 and "--workers is for offline grading" in refused.stderr
    zero = run_cli(
        "grade-file", source, "--out", tmp_path / "o.jsonl", "--offline", "--workers", "0"
    )
    assert zero.returncode == 2 and "at least 1" in zero.stderr
    assert not (tmp_path / "o.jsonl").exists()
    one = run_cli(
        "grade-file", source, "--out", tmp_path / "one.jsonl", "--offline", "--workers", "1"
    )
    two = run_cli(
        "grade-file", source, "--out", tmp_path / "two.jsonl", "--offline", "--workers", "2"
    )
    assert one.returncode == two.returncode == 0
    assert lines_of(tmp_path / "two.jsonl") == lines_of(tmp_path / "one.jsonl")


def test_a_question_stays_with_one_worker_until_it_is_hot() -> None:
    router = workers_module._Router(2)
    lanes = [router.lane("account-manager", f"q{n % 4}") for n in range(40)]
    for question in range(4):
        assert len({lanes[n] for n in range(question, 40, 4)}) == 1  # compiled by one worker
    assert sorted(lanes.count(lane) for lane in (0, 1)) == [20, 20]  # and the load shared
    hot = [router.lane(Path("bank.yaml"), "one") for _ in range(router.HOT + 600)]
    assert len(set(hot[: router.HOT])) == 1
    assert set(hot[router.HOT :]) == {0, 1}  # a job of one question still uses every worker
    assert abs(router.load[0] - router.load[1]) <= 1
