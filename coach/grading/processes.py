"""Keyword grading on worker processes: the grade a worker runs, and `grade_many`'s driver.

`keyword_grade` is what `Grader(mode="keyword")` returns for one answer, the same steps in the
same order (so a bad bank, question or answer raises the same error), without importing the
LLM modules: a worker process starts in a third of the time when it never loads the openai SDK.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from coach.batch.progress import Progress, ProgressOption
from coach.batch.run import BatchResult, ItemLike, as_item
from coach.batch.workers import Processes, graded_in_order
from coach.grading.keyword import KeywordGrader, require_text
from coach.grading.lookup import find_question
from coach.result import GradeResult
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Question
from coach.text.normalize import normalize

_GRADER = KeywordGrader()  # one a process: its compiled rules are reused across chunks


def keyword_grade(
    bank: BankRef, question: str | Question, answer: str, *, feedback_language: str | None = None
) -> GradeResult:
    """`Grader(mode="keyword", feedback_language=...).grade(bank, question, answer)`."""
    loaded = load_bank(bank)
    found = find_question(loaded, question)
    folded = normalize(require_text(answer))
    feedback = feedback_language or loaded.language
    return _GRADER.grade_normalized(loaded, found, folded, feedback_language=feedback)


def keyword_processes(workers: int, feedback_language: str | None = None) -> Processes:
    """Keyword grading on `workers` processes (a partial of a module-level function, so a
    spawned worker can import it by name)."""
    grade = functools.partial(keyword_grade, feedback_language=feedback_language)
    return Processes(grade=grade, workers=workers)


def grade_many_in_processes(
    items: Iterable[ItemLike], processes: Processes, progress: ProgressOption = None
) -> list[BatchResult]:
    """One `BatchResult` per item, in input order, graded by `processes`."""
    batch = [as_item(item) for item in items]  # a malformed item is refused before any grade
    bar = Progress(len(batch), progress)
    results = []
    outcomes = graded_in_order(processes, batch)
    try:
        for graded in outcomes:
            results.append(
                BatchResult(
                    index=graded.index, id=graded.id, result=graded.result, error=graded.error
                )
            )
            bar.advance(failed=graded.error is not None)
    finally:
        outcomes.close()
        bar.close()
    return results
