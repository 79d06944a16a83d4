"""The English agreement set (tests/data/english): its files are well formed, and the keyword
grader's agreement with the human scores on each half stays at or above what was measured when
the set was made.

The set was written rubric first and labelled blind (its README.md); `dev` is the half a
matcher may be tuned on, `test` the half its figures are reported on.
"""

from __future__ import annotations

import argparse
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.cli.eval import add_eval_parser, cmd_eval
from coach.cli.labels import read_labels
from tests.support import DATA

FOLDER = DATA / "english"
BANK = FOLDER / "bank.yaml"
HALVES = ("dev", "test")
MIN_PER_QUESTION = 30  # both halves together

# Overall QWK of `coach eval LABELS --offline` as last measured (dev 0.787, test 0.710),
# rounded down to two decimals. A floor: it can only go up as the matcher improves (the
# target is 0.70); raise it to the new figure when it does.
QWK_FLOOR = {"dev": 0.78, "test": 0.71}


def labels_path(half: str) -> Path:
    return FOLDER / f"labels_{half}.jsonl"


def records(half: str) -> list[dict[str, Any]]:
    lines = labels_path(half).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(autouse=True)
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_the_bank_validates_with_three_points_a_question() -> None:
    bank = coach.load_bank(BANK)
    assert bank.language == "en"
    assert len(bank.questions) >= 5
    assert {question.points for question in bank.questions} == {3}


@pytest.mark.parametrize("half", HALVES)
def test_every_line_is_usable_by_coach_eval(half: str) -> None:
    # read_labels resolves `bank: bank.yaml` beside the labels file, as `coach eval` does.
    labels, failures, encoding = read_labels(labels_path(half))
    assert failures == []
    assert encoding == "utf-8"
    assert len(labels) == len(records(half))
    assert {label.bank.id for label in labels} == {"cs-en-dev"}


@pytest.mark.parametrize("half", HALVES)
def test_every_line_has_a_whole_score_from_0_to_3_and_a_reason(half: str) -> None:
    for record in records(half):
        assert set(record) == {"id", "bank", "question", "answer", "score", "why"}, record
        assert record["bank"] == "bank.yaml"
        assert type(record["score"]) is int and 0 <= record["score"] <= 3, record["id"]
        assert record["answer"].strip() and record["why"].strip(), record["id"]


def test_ids_and_answers_are_unique_across_both_halves() -> None:
    every = [record for half in HALVES for record in records(half)]
    ids = Counter(record["id"] for record in every)
    answers = Counter(record["answer"] for record in every)
    assert [key for key, count in ids.items() if count > 1] == []
    assert [key for key, count in answers.items() if count > 1] == []


def test_both_halves_cover_every_question_with_enough_answers() -> None:
    questions = {question.id for question in coach.load_bank(BANK).questions}
    per_half = {half: Counter(record["question"] for record in records(half)) for half in HALVES}
    for half, counts in per_half.items():
        assert set(counts) == questions, half
    for question in questions:
        total = sum(counts[question] for counts in per_half.values())
        assert total >= MIN_PER_QUESTION, question
        # Alternating within a question keeps the halves within one answer of each other.
        assert abs(per_half["dev"][question] - per_half["test"][question]) <= 1, question


def test_the_scores_span_the_whole_scale_in_every_question() -> None:
    every = [record for half in HALVES for record in records(half)]
    for question in {record["question"] for record in every}:
        scores = {record["score"] for record in every if record["question"] == question}
        assert scores == {0, 1, 2, 3}, question


def offline_eval(half: str) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="coach")
    add_eval_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["eval", str(labels_path(half)), "--offline", "--json", "--bootstrap", "0"]
    )
    out = io.StringIO()
    assert cmd_eval(args, out) == 0
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


@pytest.mark.parametrize("half", HALVES)
def test_offline_agreement_holds_its_floor(half: str) -> None:
    document = offline_eval(half)
    assert document["failed"] == 0
    assert document["graders"] == {"keyword": len(records(half))}
    qwk = document["agreement"]["overall"]["qwk"]["value"]
    assert qwk >= QWK_FLOOR[half], f"{half}: QWK {qwk:.3f} fell below {QWK_FLOOR[half]}"
