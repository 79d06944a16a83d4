"""The honest-credit ground truth (tests/data/honest_credits_{dev,test}.yaml) is well formed.

Each file lists answers to built-in questions (a question's model answer, or a strong/adequate
sample from tests/data/answers_<bank>.yaml) with the key points a careful reader credits and the
exact words that make each one. These tests check the data only: ids exist, quotes are verbatim
substrings of the named answer, and the dev/test halves split by question.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml

import coach
from tests.support import DATA

HALVES = ("dev", "test")


def load_half(half: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((DATA / f"honest_credits_{half}.yaml").read_text(encoding="utf-8"))
    answers: list[dict[str, Any]] = data["answers"]
    return answers


@cache
def bank(bank_id: str) -> coach.Bank:
    return coach.load_bank(bank_id)


@cache
def samples(bank_id: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((DATA / f"answers_{bank_id}.yaml").read_text(encoding="utf-8"))
    assert data["bank"] == bank_id
    answers: list[dict[str, Any]] = data["answers"]
    return answers


def question(bank_id: str, question_id: str) -> coach.Question:
    found = [q for q in bank(bank_id).questions if q.id == question_id]
    assert found, f"{bank_id}/{question_id}: no such question"
    return found[0]


def answer_text(bank_id: str, question_id: str, source: str) -> str:
    """The text `source` names: `model_answer`, or `sample:<label>` (`sample:<label>:<n>`, 1-based,
    when the question has several samples with that label)."""
    if source == "model_answer":
        model_answer = question(bank_id, question_id).model_answer
        assert model_answer, f"{bank_id}/{question_id} has no model answer"
        return model_answer
    kind, _, rest = source.partition(":")
    assert kind == "sample", f"unknown source {source!r}"
    label, _, index = rest.partition(":")
    assert label in ("strong", "adequate"), f"source {source!r}: only strong/adequate samples"
    texts: list[str] = [
        a["text"] for a in samples(bank_id) if a["question"] == question_id and a["label"] == label
    ]
    if index:
        n = int(index)
        assert 1 <= n <= len(texts), f"{bank_id}/{question_id}: no {source}"
        return texts[n - 1]
    assert len(texts) == 1, f"{bank_id}/{question_id}: {len(texts)} {label} samples for {source!r}"
    return texts[0]


ANSWERS = {half: load_half(half) for half in HALVES}
CASES = [
    pytest.param(answer, id=f"{half}-{answer['bank']}-{answer['question']}-{answer['source']}")
    for half in HALVES
    for answer in ANSWERS[half]
]


@pytest.mark.parametrize("answer", CASES)
def test_ids_exist_and_quotes_are_verbatim(answer: dict[str, Any]) -> None:
    assert answer["bank"] in coach.builtin_bank_ids()
    q = question(answer["bank"], answer["question"])
    text = answer_text(answer["bank"], answer["question"], answer["source"])
    key_points = {c.id: {k.id for k in c.key_points} for c in q.criteria}
    seen = set()
    for credit in answer["credits"]:
        criterion, key_point, quote = credit["criterion"], credit["key_point"], credit["quote"]
        assert criterion in key_points, f"{answer['question']}: no criterion {criterion!r}"
        assert key_point in key_points[criterion], f"{criterion}: no key point {key_point!r}"
        assert (criterion, key_point) not in seen, f"{criterion}/{key_point} credited twice"
        seen.add((criterion, key_point))
        assert isinstance(quote, str) and quote, f"{criterion}/{key_point}: empty quote"
        assert quote in text, f"{criterion}/{key_point}: quote not in the answer: {quote!r}"


@pytest.mark.parametrize("half", HALVES)
def test_each_half_covers_every_bank(half: str) -> None:
    assert {a["bank"] for a in ANSWERS[half]} == set(coach.builtin_bank_ids())


@pytest.mark.parametrize("half", HALVES)
def test_each_answer_is_listed_once(half: str) -> None:
    keys = [(a["bank"], a["question"], a["source"]) for a in ANSWERS[half]]
    assert len(keys) == len(set(keys))


def test_no_question_in_both_halves() -> None:
    dev, test = ({(a["bank"], a["question"]) for a in ANSWERS[half]} for half in HALVES)
    assert not dev & test


def test_halves_alternate_by_question_in_bank_order() -> None:
    halves = {half: {(a["bank"], a["question"]) for a in ANSWERS[half]} for half in HALVES}
    for bank_id in coach.builtin_bank_ids():
        for i, q in enumerate(bank(bank_id).questions):
            expected = HALVES[i % 2]
            other = HALVES[1 - i % 2]
            assert (bank_id, q.id) in halves[expected], f"{bank_id}/{q.id} belongs in _{expected}"
            assert (bank_id, q.id) not in halves[other]
