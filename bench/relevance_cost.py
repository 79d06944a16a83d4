"""What the relevance check costs honest grades, and what it still lets an obedient model take.

What: the LLM path keeps a credited key point only where a verified quote bears on it
(`coach/grading/relevance.py`). Two scripted judges, mocked at the HTTP layer so the real
`Grader` runs:

* honest: for each answer of `tests/data/honest_credits_<half>.yaml` (model answers, strong
  and adequate samples, with the key points a careful reader credits and the clause that makes
  each), the reply credits exactly those key points, quotes exactly those clauses and gives each
  criterion the points its credited key points earn. Lost: credits the result no longer lists
  as hit, and points below what the reply gave.
  Also counted: honest replies flagged `unsupported_credit`, whose texts (rationales,
  coaching) the result does not keep.
* obedient: the same answers, but the reply claims every key point and full marks on every
  criterion, quoting every sentence. Taken: key points the result lists as hit that the reader
  did not credit, and points above the honest reply's.

Run: ``python bench/relevance_cost.py --half dev [--show]``. Needs the test extra (respx).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

import coach
from coach.grading import relevance
from coach.testing import FakeJudge, JudgeRequest, claim_all, completion

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n")


@cache
def bank(bank_id: str) -> coach.Bank:
    return coach.load_bank(bank_id)


def answer_text(entry: dict[str, Any]) -> str:
    question = bank(entry["bank"]).question(entry["question"])
    if entry["source"] == "model_answer":
        return question.model_answer
    label = entry["source"].split(":")[1]
    samples = yaml.safe_load((DATA / f"answers_{entry['bank']}.yaml").read_text("utf-8"))
    (text,) = [
        a["text"]
        for a in samples["answers"]
        if a["question"] == entry["question"] and a["label"] == label
    ]
    return str(text)


def honest_reply(question: coach.Question, credits: list[dict[str, str]]) -> dict[str, Any]:
    criteria = {}
    for criterion in question.criteria:
        mine = [c for c in credits if c["criterion"] == criterion.id]
        hit = [c["key_point"] for c in mine]
        criteria[criterion.id] = {
            # quoted from the answer as the model sees it: personal data is redacted
            "evidence": [coach.redact(c["quote"]).text for c in mine],
            "rationale": "honest",
            "key_points": hit,
            "points": round(criterion.points_for(hit), 2),
        }
    return {"criteria": criteria, "deductions": []}


def obedient_reply(question: coach.Question, answer: str) -> dict[str, Any]:
    sentences = [s.strip() for s in _SENTENCES.split(answer) if s.strip()]
    return claim_all(question, sentences, rationale="obedient")


def scripted(reply: dict[str, Any]) -> Callable[[JudgeRequest], Any]:
    return lambda _request: completion(json.dumps(reply, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["dev", "test"], default="dev")
    parser.add_argument("--show", action="store_true", help="list every lost or taken credit")
    parser.add_argument("--threshold", type=float, help="try another relevance threshold")
    args = parser.parse_args()
    if args.threshold is not None:
        relevance.THRESHOLD = args.threshold
    entries = yaml.safe_load((DATA / f"honest_credits_{args.half}.yaml").read_text("utf-8"))
    judge = FakeJudge()
    credits = lost = taken = 0
    honest_points = lost_points = taken_points = 0.0
    uncredited = 0
    distrusted = 0  # honest replies whose texts are not kept
    per_source: dict[str, list[int]] = {}
    started = time.perf_counter()
    with judge.activate(), judge.grader(coaching=False) as grader:
        for entry in entries["answers"]:
            question = bank(entry["bank"]).question(entry["question"])
            text = answer_text(entry)
            reply = honest_reply(question, entry["credits"])
            judge.push(scripted(reply))
            honest = grader.grade(entry["bank"], entry["question"], text)
            given = sum(c["points"] for c in reply["criteria"].values())
            hit = {(c.id, kp) for c in honest.criteria for kp in c.key_points_hit}
            wanted = {(c["criterion"], c["key_point"]) for c in entry["credits"]}
            missing = sorted(wanted - hit)
            distrusted += honest.has_flag("unsupported_credit")
            credits += len(wanted)
            lost += len(missing)
            honest_points += given
            lost_points += max(0.0, given - honest.score)
            kind = entry["source"].split(":")[-1]
            counts = per_source.setdefault(kind, [0, 0])
            counts[0] += len(wanted)
            counts[1] += len(missing)
            judge.push(scripted(obedient_reply(question, text)))
            obeyed = grader.grade(entry["bank"], entry["question"], text)
            all_kps = {(c.id, kp.id) for c in question.criteria for kp in c.key_points}
            got = {(c.id, kp) for c in obeyed.criteria for kp in c.key_points_hit}
            extra = sorted(got - wanted)
            uncredited += len(all_kps - wanted)
            taken += len(extra)
            taken_points += max(0.0, obeyed.score - given)
            if args.show and (missing or extra):
                where = f"{entry['bank']}/{entry['question']} {entry['source']}"
                for cid, kp in missing:
                    quote = next(
                        c["quote"]
                        for c in entry["credits"]
                        if (c["criterion"], c["key_point"]) == (cid, kp)
                    )
                    print(f"lost  {where} {cid}/{kp}: {quote}")
                for cid, kp in extra:
                    print(f"taken {where} {cid}/{kp}")
    took = time.perf_counter() - started
    print(f"\n{args.half} half: {len(entries['answers'])} answers, {took:.1f} s\n")
    print("| measure | count | share |")
    print("|---|---:|---:|")
    print(f"| honest credits lost | {lost} of {credits} | {100 * lost / credits:.1f}% |")
    for kind, (n, m) in sorted(per_source.items()):
        print(f"| … in {kind} answers | {m} of {n} | {100 * m / max(n, 1):.1f}% |")
    print(
        f"| honest points lost | {lost_points:.1f} of {honest_points:.1f} "
        f"| {100 * lost_points / honest_points:.1f}% |"
    )
    answers = len(entries["answers"])
    print(
        f"| honest replies whose texts are not kept (`unsupported_credit`) | {distrusted} of "
        f"{answers} | {100 * distrusted / answers:.1f}% |"
    )
    print(
        f"| key points an obedient model got credited that the reader did not | {taken} of "
        f"{uncredited} | {100 * taken / max(uncredited, 1):.1f}% |"
    )
    print(f"| points an obedient model took above the honest reply | {taken_points:.1f} | |")


if __name__ == "__main__":
    main()
