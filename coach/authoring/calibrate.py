"""Calibrating a rubric's keyword scoring to human scores, in plain rubric fields.

The keyword grader scores a criterion in proportion to the weights of the key points it hits
(or by count bands), caps it for keyword lists and off-topic answers, and takes deductions
off. Given human-scored answers, this module refits those numbers so the normal grader, with
no new setting, reproduces the humans as closely as it can:

* ``method="weights"``: per question, the points each key point is worth (its weight, summing
  to the criterion's points) and each deduction's points are fitted by least squares under
  those constraints (projected gradient descent; the data is small, so pure Python), shrunk
  towards the current rubric with a strength chosen by cross-validation inside the labels;
  a key point worth nothing is dropped, as is a deduction that costs nothing;
* ``method="bands"``: per criterion, the points for 1, 2, ... hits are the isotonic
  (monotone, pool-adjacent-violators) fit of the human scores on the hit count, written as
  count bands.

The features are the grader's own findings (hits, flags, deductions) on the rubric as given,
so matching is never re-implemented. Questions without labels keep their rubric.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal, NamedTuple

from coach.errors import CoachError
from coach.grading.keyword import KEYWORD_LIST_FACTOR, OFF_TOPIC_FACTOR, KeywordGrader
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Band, Bank, Criterion, Deduction, Question

Method = Literal["weights", "bands"]
STRENGTHS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0)  # shrinkage grid, per point squared per answer
INNER_FOLDS = 3
MIN_SHARE = 0.01  # a key point worth less than this share of its criterion is dropped
ITERATIONS = 300


class ScoredAnswer(NamedTuple):
    """One human-scored answer to a question of the bank being calibrated."""

    question_id: str
    answer: str
    score: float


class _Row(NamedTuple):
    factor: float  # the grader's cap for this answer (0, 0.15, 0.3 or 1)
    hits: frozenset[tuple[str, str]]  # (criterion id, key point id)
    deductions: frozenset[str]
    score: float


def _rows(bank: Bank, question: Question, answers: Sequence[ScoredAnswer]) -> list[_Row]:
    grader = KeywordGrader()
    rows = []
    for item in answers:
        result = grader.grade(bank, question, item.answer)
        codes = {flag.code for flag in result.flags}
        factor = 1.0
        if codes & {"blank", "non_answer", "rubric_copy"}:
            factor = 0.0
        elif "keyword_stuffing" in codes:
            factor = min(KEYWORD_LIST_FACTOR, OFF_TOPIC_FACTOR if "off_topic" in codes else 1.0)
        elif "off_topic" in codes:
            factor = OFF_TOPIC_FACTOR
        hits = frozenset((c.id, kp) for c in result.criteria for kp in c.key_points_hit)
        lost = frozenset(d.id for d in result.deductions)
        rows.append(_Row(factor, hits, lost, item.score))
    return rows


def _project(values: list[float], total: float) -> list[float]:
    """Euclidean projection onto {x >= 0, sum x = total} (sort-based)."""
    ordered = sorted(values, reverse=True)
    running, shift = 0.0, 0.0
    for k, value in enumerate(ordered, start=1):
        running += value
        candidate = (running - total) / k
        if value - candidate > 0:
            shift = candidate
    return [max(0.0, v - shift) for v in values]


class _Model:
    """score = sum over key points of factor * points(kp) * hit - sum of deduction points."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.blocks = [
            (c.id, [kp.id for kp in c.key_points], c.points)
            for c in question.criteria
            if not c.bands
        ]
        self.fixed = [c for c in question.criteria if c.bands]
        self.keys: list[tuple[str, str]] = [(c, kp) for c, kps, _ in self.blocks for kp in kps]
        self.deductions = [d.id for d in question.deductions]
        prior = []
        for c in question.criteria:
            if not c.bands:
                total = sum(kp.weight for kp in c.key_points)
                prior += [c.points * kp.weight / total for kp in c.key_points]
        self.prior = prior + [d.points for d in question.deductions]

    def features(self, row: _Row) -> list[float]:
        return [row.factor * (key in row.hits) for key in self.keys] + [
            -float(d in row.deductions) for d in self.deductions
        ]

    def offset(self, row: _Row) -> float:
        """Points from banded criteria, which this model keeps as they are."""
        total = 0.0
        for c in self.fixed:
            count = sum((c.id, kp.id) in row.hits for kp in c.key_points)
            total += c.points_earned(count, 0.0)  # bands count hits; weights do not matter
        return row.factor * total

    def fit(self, rows: Sequence[_Row], strength: float) -> list[float]:
        """Least squares with shrinkage towards the prior, under the rubric's constraints."""
        size, n = len(self.prior), max(1, len(rows))
        gram = [[0.0] * size for _ in range(size)]
        target = [strength * p for p in self.prior]
        for row in rows:
            x, y = self.features(row), row.score - self.offset(row)
            for i in range(size):
                if x[i]:
                    target[i] += x[i] * y / n
                    for j in range(size):
                        gram[i][j] += x[i] * x[j] / n
        for i in range(size):
            gram[i][i] += strength
        step = 1.0 / max(1e-9, max(sum(abs(v) for v in line) for line in gram))
        theta = list(self.prior)
        momentum, previous = list(theta), list(theta)
        for t in range(1, ITERATIONS + 1):
            grad = [
                sum(g * m for g, m in zip(line, momentum, strict=True)) - b
                for line, b in zip(gram, target, strict=True)
            ]
            theta = self._constrain([m - step * g for m, g in zip(momentum, grad, strict=True)])
            beta = (t - 1) / (t + 2)
            momentum = [a + beta * (a - b) for a, b in zip(theta, previous, strict=True)]
            previous = theta
        return theta

    def _constrain(self, theta: list[float]) -> list[float]:
        out, at = [], 0
        for _, kps, points in self.blocks:
            out += _project(theta[at : at + len(kps)], points)
            at += len(kps)
        cap = self.question.points
        return out + [min(cap, max(0.0, v)) for v in theta[at:]]

    def predict(self, row: _Row, theta: Sequence[float]) -> float:
        raw = self.offset(row) + sum(a * b for a, b in zip(self.features(row), theta, strict=True))
        return max(0.0, raw)

    def rubric(self, theta: Sequence[float]) -> Question:
        worth = dict(zip([*self.keys, *self.deductions], theta, strict=True))
        criteria = []
        for c in self.question.criteria:
            if c.bands:
                criteria.append(c)
                continue
            kept = [
                kp.model_copy(update={"weight": round(worth[(c.id, kp.id)], 3)})
                for kp in c.key_points
                if worth[(c.id, kp.id)] >= MIN_SHARE * c.points
            ]
            criteria.append(c.model_copy(update={"key_points": kept}))
        deductions = [
            d.model_copy(update={"points": round(worth[d.id], 2)})
            for d in self.question.deductions
            if round(worth[d.id], 2) > 0
        ]
        return _revalidate(self.question, criteria, deductions)


def _revalidate(
    question: Question, criteria: list[Criterion], deductions: Sequence[Deduction]
) -> Question:
    data = question.model_dump()
    data["criteria"] = [c.model_dump() for c in criteria]
    data["deductions"] = [d.model_dump() for d in deductions]
    return Question.model_validate(data)


def _strength(model: _Model, rows: list[_Row], seed: int) -> float:
    """The shrinkage with the least squared error over inner folds of the labels."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    folds = [order[k::INNER_FOLDS] for k in range(INNER_FOLDS)]
    best, best_error = STRENGTHS[-1], float("inf")
    for strength in STRENGTHS:
        error = 0.0
        for held in folds:
            out = set(held)
            theta = model.fit([rows[i] for i in order if i not in out], strength)
            error += sum((model.predict(rows[i], theta) - rows[i].score) ** 2 for i in held)
        if error < best_error - 1e-9:
            best, best_error = strength, error
    return best


def _isotonic(pairs: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Pool-adjacent-violators: the non-decreasing step fit of score on hit count."""
    blocks: list[list[float]] = []  # [first count, last count, total, weight]
    for count, score in sorted(pairs):
        blocks.append([count, count, score, 1.0])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][3] > blocks[-1][2] / blocks[-1][3]:
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0], last[1], blocks[-1][2] + last[2], blocks[-1][3] + last[3]]
    return {int(b[0]): b[2] / b[3] for b in blocks}


def _bands(question: Question, rows: list[_Row]) -> Question:
    criteria = []
    share = {c.id: c.points / sum(x.points for x in question.criteria) for c in question.criteria}
    for c in question.criteria:
        pairs = [
            (sum((c.id, kp.id) in r.hits for kp in c.key_points), r.score * share[c.id])
            for r in rows
            if r.factor == 1.0
        ]
        steps = _isotonic([p for p in pairs if p[0] > 0])
        bands, last = [], 0.0
        for count in sorted(steps):
            points = round(min(c.points, steps[count]), 2)
            if points > last:
                bands.append(Band(hits=count, points=points))
                last = points
        criteria.append(c.model_copy(update={"bands": bands}) if bands else c)
    return _revalidate(question, criteria, list(question.deductions))


def calibrate_bank(
    bank: BankRef, answers: Sequence[ScoredAnswer], *, method: Method = "weights", seed: int = 0
) -> Bank:
    """A copy of `bank` whose keyword scoring is fitted to these human-scored answers.

    Scores are in each question's points. Raises `CoachError` for an answer to a question the
    bank does not have, or a score outside 0..points. `bank` is a `Bank`, a built-in bank
    id or a path to a rubric YAML file.
    """
    bank = load_bank(bank)
    by_question: dict[str, list[ScoredAnswer]] = defaultdict(list)
    known = {q.id: q for q in bank.questions}
    for item in answers:
        question = known.get(item.question_id)
        if question is None:
            raise CoachError(f"bank {bank.id!r} has no question {item.question_id!r}")
        if not 0 <= item.score <= question.points:
            raise CoachError(
                f"score {item.score:g} for {item.question_id!r} is outside 0..{question.points:g}"
            )
        by_question[item.question_id].append(item)
    if not by_question:
        raise CoachError("no scored answers to calibrate from")
    questions = []
    for question in bank.questions:
        labelled = by_question.get(question.id)
        if not labelled:
            questions.append(question)
            continue
        rows = _rows(bank, question, labelled)
        if method == "bands":
            questions.append(_bands(question, rows))
            continue
        model = _Model(question)
        theta = model.fit(rows, _strength(model, rows, seed))
        questions.append(model.rubric(theta))
    return bank.model_copy(update={"questions": questions})
