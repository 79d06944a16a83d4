"""Check a rubric bank against the offline grader's quality bars; prints a table and problems.

    python tools/check_bank.py rubrics/finance-cs-manager.yaml [more.yaml ...]

For every question: the model answer must score >= 80%, its Traditional-Chinese copy within 5
points of it, blank and "不知道" 0, every other question's model answer <= 20% (off topic), or 30
points under the question's own when the two questions ask about the same thing (coach reads
it as on topic: a fifth of its wording is this question's, `coach.grading.topic`), a bare
list of the key points' first phrasings (four or more) well below the model answer, and each
deduction's first trigger appended to the model answer must cost that deduction's points. Exit
status 1 on problems, 2 when a bank cannot be read.
"""

from __future__ import annotations

import sys

import opencc

from coach import CoachError, grade_offline, load_file
from coach.grading.topic import Topic
from coach.text.normalize import normalize

MODEL_MIN = 80.0
CROSS_MAX = 20.0
MIN_LIST = 4  # key points a question needs before a list of their phrasings is a list
RELATED_GAP = 30.0  # a related question's model answer stays this far under the question's own


def check(path: str) -> list[str]:
    bank = load_file(path)
    s2t = opencc.OpenCC("s2t")
    problems: list[str] = []
    print(f"\n{bank.id}: {len(bank.questions)} questions")
    print(f"{'id':<8}{'model%':>8}{'trad%':>8}{'list%':>8}{'cross max%':>12}  worst cross")
    for question in bank.questions:
        model = grade_offline(bank, question, question.model_answer)
        trad = grade_offline(bank, question, s2t.convert(question.model_answer))
        terms = [
            c.key_points[i].variants[0] for c in question.criteria for i in range(len(c.key_points))
        ]
        listing = grade_offline(bank, question, "、".join(terms))
        topic = Topic(question, bank.language)
        cross = [
            (
                grade_offline(bank, question, other.model_answer).percent,
                other.id,
                not topic.off_topic(normalize(other.model_answer).text),
            )
            for other in bank.questions
            if other.id != question.id
        ]
        worst = max(cross, default=(0.0, "-", False))
        print(
            f"{question.id:<8}{model.percent:>8.1f}{trad.percent:>8.1f}{listing.percent:>8.1f}"
            f"{worst[0]:>12.1f}  {worst[1]}"
        )
        where = f"{bank.id}/{question.id}"
        if model.percent < MODEL_MIN:
            missed = [
                f"{c.id}:{','.join(c.key_points_missed)}"
                for c in model.criteria
                if c.key_points_missed
            ]
            problems.append(
                f"{where}: model answer scores {model.percent}% (< {MODEL_MIN}); "
                f"flags={model.flag_codes} missed={missed}"
            )
        if abs(trad.score - model.score) > 5:
            problems.append(f"{where}: Traditional copy scores {trad.score} vs {model.score}")
        for blank in ("", "不知道"):
            if grade_offline(bank, question, blank).score != 0:
                problems.append(f"{where}: {blank!r} scores above 0")
        # Two or three phrases are a short answer, not a list (coach's list test wants four).
        if len(terms) >= MIN_LIST and listing.percent > 0.5 * model.percent:
            problems.append(
                f"{where}: keyword list scores {listing.percent}% vs model {model.percent}%"
            )
        for pct, other, related in cross:
            limit = model.percent - RELATED_GAP if related else CROSS_MAX
            if pct > limit:
                problems.append(
                    f"{where}: model answer of {other} scores {pct}% here (> {limit:g})"
                )
        for deduction in question.deductions:
            harmful = (
                question.model_answer.rstrip()
                + "\n另外我会跟客户说："
                + deduction.triggers[0]
                + "。"
            )
            result = grade_offline(bank, question, harmful)
            if deduction.id not in {d.id for d in result.deductions}:
                problems.append(
                    f"{where}: deduction {deduction.id} not triggered by {deduction.triggers[0]!r}"
                )
        if model.deductions:
            problems.append(
                f"{where}: model answer triggers deductions {[d.id for d in model.deductions]}"
            )
    return problems


def main(paths: list[str]) -> int:
    try:
        problems = [problem for path in paths for problem in check(path)]
    except CoachError as exc:  # a bank that cannot be read is not a problem list
        print(f"check_bank: error: {exc}", file=sys.stderr)
        return 2
    print(f"\n{len(problems)} problem(s)")
    for problem in problems:
        print(" -", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
