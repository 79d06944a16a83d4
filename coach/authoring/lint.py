"""Linting a rubric: variants that cannot do their job, found with the grader's own matcher.

Schema validation (`coach validate`) says a rubric is well formed; it cannot say that a variant
will never match, or that the model answer earns nothing of a key point. `lint_bank` asks the
matcher (`coach.authoring.phrase_check`) and reports, per question:

* `never-matches`: a variant the grader can never find: folding leaves nothing of it or of a
  part of a gap pattern, it does not match even its own text, a candidate's natural spelling
  of it (a straight apostrophe) does not match, or it is an English word cut short that does
  not match the whole word the rubric itself uses ("verif" and "verify");
* `redundant`: a variant the same as another one of its key point once folded;
* `ambiguous`: a variant the same as one of another key point of the question: one phrase
  earns both;
* `in-prompt`: a variant the question's prompt contains: restating the question earns it;
* `model-answer`: a key point the model answer earns through none of its variants;
* `deduction-overlap`: a deduction trigger that fires on a key point's variant (as the
  grader reads it: a negated trigger does not fire), so saying the point costs points. The
  other way round (a red flag's wording holding a variant, "把验证码告诉我") is common and
  harmless: the deduction still applies, so it is not reported.

Suggestions (`coach.authoring.suggest`) come with the warnings; nothing is changed in the rubric.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from coach.authoring import phrase_check as pc
from coach.authoring.suggest import suggest_for
from coach.rubric.model import Bank, Criterion, KeyPoint, Question
from coach.text.english import word_source

CUT_SUFFIX_LETTERS = 4  # a rubric word this much longer than a variant's word is its whole form
_LETTERS = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One warning or suggestion about one place of a rubric."""

    kind: Literal["warning", "suggestion"]
    code: str
    bank: str
    question: str
    criterion: str | None
    key_point: str | None
    variant: str | None  # the variant (or trigger) concerned, or the one a suggestion grows from
    reason: str
    fix: str | None = None  # what to do about a warning
    add: str | None = None  # the variant a suggestion proposes

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def place(self) -> str:
        """`bank/question/criterion/key_point`, as far as the finding goes."""
        parts = [self.bank, self.question, self.criterion, self.key_point]
        return "/".join(part for part in parts if part)


def lint_bank(bank: Bank, question_id: str | None = None) -> list[Finding]:
    """Warnings, then suggestions, for every question of `bank` (or the one `question_id`
    names; `KeyError` when there is none)."""
    questions = [bank.question(question_id)] if question_id else bank.questions
    warnings: list[Finding] = []
    suggestions: list[Finding] = []
    for question in questions:
        warnings += _question_warnings(bank.id, question)
        for criterion in question.criteria:
            for kp in criterion.key_points:
                others = [o for c in question.criteria for o in c.key_points if o is not kp]
                for code, variant, reason, add in suggest_for(kp, others):
                    suggestions.append(
                        Finding(
                            "suggestion", code, bank.id, question.id, criterion.id, kp.id,
                            variant, reason, add=add,
                        )
                    )  # fmt: skip
    return warnings + suggestions


def _question_warnings(bank: str, question: Question) -> Iterator[Finding]:
    owners: dict[str, tuple[Criterion, KeyPoint, str]] = {}
    context = _context_words(question)
    for criterion in question.criteria:
        for kp in criterion.key_points:
            warn = functools.partial(_warning, bank, question.id, criterion.id, kp.id)
            seen: dict[str, str] = {}
            for variant in kp.variants:
                for reason, fix in _never_matches(variant, context):
                    yield warn("never-matches", variant, reason, fix)
                folded = pc.key(variant)
                if folded in seen:
                    yield warn(
                        "redundant",
                        variant,
                        f"the same as variant {seen[folded]!r} once folded ({folded!r})",
                        "remove one of them",
                    )
                    continue
                seen[folded] = variant
                owner = owners.setdefault(folded, (criterion, kp, variant))
                if owner[1] is not kp:
                    yield warn(
                        "ambiguous",
                        variant,
                        f"also a variant of key point {owner[0].id}/{owner[1].id} "
                        f"({owner[2]!r}): one phrase earns both",
                        "keep it on the key point it belongs to",
                    )
                if pc.found(variant, question.prompt):
                    yield warn(
                        "in-prompt",
                        variant,
                        "the question's prompt contains it: an answer that restates the "
                        "question earns it",
                        "use wording an answer adds to the question",
                    )
            if not any(pc.found(variant, question.model_answer) for variant in kp.variants):
                yield warn(
                    "model-answer",
                    None,
                    f"the model answer earns none of its variants ({kp.text})",
                    "add the model answer's own wording of this point as a variant, or say "
                    "the point in the model answer",
                )
            for variant in kp.variants:
                for reason in _deduction_overlaps(question, variant):
                    yield warn(
                        "deduction-overlap",
                        variant,
                        reason,
                        "make the trigger or the variant specific enough to tell them apart",
                    )


def _warning(
    bank: str,
    question: str,
    criterion: str,
    key_point: str,
    code: str,
    variant: str | None,
    reason: str,
    fix: str,
) -> Finding:
    return Finding("warning", code, bank, question, criterion, key_point, variant, reason, fix)


def _never_matches(variant: str, context: frozenset[str]) -> Iterator[tuple[str, str]]:
    """Why the grader can never (or only by accident) find `variant`, with a fix."""
    if not pc.has_word(variant.replace("*", "")):
        yield "folding leaves no word of it (empty or punctuation only)", "remove it"
        return
    parts = variant.split("*")
    if len(parts) > 1 and not all(pc.has_word(part) for part in parts):
        yield "a part of the gap pattern is punctuation only", "remove the empty part and its '*'"
        return
    if not any(pc.found(variant, text) for text in pc.filled(variant)):
        text = pc.filled(variant)[0]
        yield (
            f"the matcher does not find it even in its own text {text!r}, which folds to "
            f"{pc.folded(text)!r}",
            f"write it as it folds, or without the gap: {pc.folded(text)!r}",
        )
        return
    if "\u2019" in variant or "\u2018" in variant:
        straight = variant.replace("\u2019", "'").replace("\u2018", "'")
        if not any(pc.found(variant, text) for text in pc.filled(straight)):
            yield (
                "a curly apostrophe is dropped by folding, so an answer typed with a straight "
                f"one ({straight!r}) does not match",
                f"write it with a straight apostrophe: {straight!r}",
            )
    for word in _LETTERS.findall(pc.folded(variant.replace("*", " "))):
        whole = _whole_word(word, context)
        if whole is not None:
            yield (
                f"{word!r} looks cut short: it does not match {whole!r}, the whole word the "
                "question uses",
                f"write {whole!r} (its inflections match by themselves)",
            )


def _whole_word(word: str, context: frozenset[str]) -> str | None:
    """A longer word of the question's own text that `word` is a cut-short form of and does
    not match; None when `word` is a word there itself, or matches every such form."""
    if len(word) < 3 or word in context:
        return None
    accepts = re.compile(word_source(word))
    for other in sorted(context):
        longer = 0 < len(other) - len(word) <= CUT_SUFFIX_LETTERS
        if longer and other.startswith(word) and not accepts.fullmatch(other):
            return other
    return None


def _context_words(question: Question) -> frozenset[str]:
    """The English words of the question's own texts: prompt, model answer, criteria."""
    texts = [question.prompt, question.model_answer]
    for criterion in question.criteria:
        texts += [criterion.name, criterion.description, *(kp.text for kp in criterion.key_points)]
    return frozenset(_LETTERS.findall(pc.folded(" ".join(texts))))


def _deduction_overlaps(question: Question, variant: str) -> Iterator[str]:
    for deduction in question.deductions:
        for trigger in deduction.triggers:
            fires = pc.asserted if deduction.negation_aware else pc.found
            if any(fires(trigger, text) for text in pc.filled(variant)):
                yield (
                    f"deduction {deduction.id!r} fires on it (trigger {trigger!r}): saying the "
                    "key point costs points"
                )
