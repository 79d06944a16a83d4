"""A question compiled for the keyword grader: key point and deduction patterns, the rubric's
wording as grams, the coaching it can give, and the fixed sentences in one feedback language."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from coach.grading.feedback import CoachingRules, coaching_rules
from coach.grading.inventory import Inventory
from coach.grading.recital import Recital
from coach.grading.texts import Texts
from coach.grading.topic import Topic
from coach.grading.trade_words import trade_words
from coach.grading.verdicts import Verdicts
from coach.result import CriterionResult
from coach.rubric.model import Bank, Criterion, Deduction, Question
from coach.text.content import content_of
from coach.text.match import compile_phrases
from coach.text.normalize import normalize_phrase
from coach.text.prompt_copy import Prompt, all_packed_grams, compile_prompt


class KeyPointRule(NamedTuple):
    id: str
    text: str
    weight: float
    pattern: re.Pattern[str] | None
    explained: bool  # the match must be described, not only named (`coach.text.substance`)
    bit: int  # this key point in a criterion's set of hits (`CriterionRule.outcome`)


OUTCOMES_KEPT = 512  # sets of hit key points remembered per criterion
UNMET_KEPT = 16  # caps (factor and note) whose result with no key point hit is remembered


class Outcome(NamedTuple):
    """What a criterion's set of hit key points comes to, whatever the answer that hit them."""

    hit: tuple[str, ...]  # key point ids, in rubric order
    missed: tuple[str, ...]
    rationale: str
    points: float  # `Criterion.points_earned`, before any cap
    # Those points held to the criterion's and rounded as a grade shows them, when no cap
    # applies (`round` with digits is one of the dearer calls of a grade).
    shown: float


@dataclass(frozen=True, slots=True)
class CriterionRule:
    criterion: Criterion
    key_points: tuple[KeyPointRule, ...]
    t: Texts
    # Each set of hits met so far, by its bits: answers meet the same few sets again and
    # again. Kept up to `OUTCOMES_KEPT` sets (a criterion may have 50 key points, and so more
    # sets than a long batch should hold).
    outcomes: dict[int, Outcome]
    # The criterion's result with no key point hit, by the cap on it (its factor and note):
    # one model for every such grade, validated once. Most grades miss a criterion or two
    # entirely, and validating a result's models is a tenth of a grade.
    unmet: dict[tuple[float, str], CriterionResult]
    # The key points that have a phrasing, as (pattern, explained, bit): what a grade searches,
    # unpacked once here rather than read field by field from each key point per grade.
    searches: tuple[tuple[re.Pattern[str], bool, int], ...] = ()

    def unmet_result(self, data: dict[str, Any], factor: float, note: str) -> CriterionResult:
        """`data` (this criterion's result with no key point hit, under cap `factor` and
        `note`) as the model, validated the first time."""
        found = self.unmet.get((factor, note))
        if found is None:
            found = CriterionResult.model_validate(data)
            if len(self.unmet) < UNMET_KEPT:
                self.unmet[factor, note] = found
        return found

    def outcome(self, hits: int) -> Outcome:
        """The outcome of the key points whose bits are set in `hits`."""
        found = self.outcomes.get(hits)
        if found is None:
            found = self._outcome(hits)
            if len(self.outcomes) < OUTCOMES_KEPT:
                self.outcomes[hits] = found
        return found

    def _outcome(self, hits: int) -> Outcome:
        hit = [kp for kp in self.key_points if kp.bit & hits]
        missed = [kp for kp in self.key_points if not kp.bit & hits]
        weight = 0.0
        for kp in hit:  # summed in rubric order, as the grader always did
            weight += kp.weight
        label = self.t.hit_label.format(hits=len(hit), total=len(self.key_points))
        points = self.criterion.points_earned(len(hit), weight)
        return Outcome(
            tuple(kp.id for kp in hit),
            tuple(kp.id for kp in missed),
            self.t.rationale(label, [kp.text for kp in hit], [kp.text for kp in missed]),
            points,
            round(min(self.criterion.points, points), 2),
        )


def criterion_rule(criterion: Criterion, t: Texts) -> CriterionRule:
    key_points = tuple(
        KeyPointRule(
            kp.id,
            kp.text,
            kp.weight,
            compile_phrases(kp.variants, gaps=True),
            explained=kp.requires == "explanation",
            bit=1 << k,
        )
        for k, kp in enumerate(criterion.key_points)
    )
    searches = tuple(
        (kp.pattern, kp.explained, kp.bit) for kp in key_points if kp.pattern is not None
    )
    return CriterionRule(criterion, key_points, t, {}, {}, searches)


class DeductionRule(NamedTuple):
    deduction: Deduction
    pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class QuestionRules:
    """A question compiled for matching; built once per question object and feedback language."""

    question: Question
    criteria: tuple[CriterionRule, ...]
    deductions: tuple[DeductionRule, ...]
    topic: Topic
    # The rubric's wording as grams: packed character 4-grams for Chinese, word 3-grams for
    # English (character grams of English words are shared by any two English texts).
    rubric_grams: frozenset[int] | frozenset[str]
    digest: str  # of the question's rubric; with the bank's id and version, `rubric_version`
    coaching: CoachingRules
    prompt: Prompt  # the question's own words, to find them restated as padding
    asked: str  # the question's prompt, normalized
    key_point_patterns: tuple[re.Pattern[str], ...]  # what the rubric asks for
    inventory: Inventory  # finds the key points listed by name (`grading/inventory.py`)
    recital: Recital  # finds their texts recited (`grading/recital.py`)
    verdicts: Verdicts  # finds them named beside a verdict (`grading/verdicts.py`)


def question_digest(question: Question) -> str:
    return hashlib.sha256(question.model_dump_json().encode()).hexdigest()[:12]


def rubric_version(bank: Bank, question: Question, digest: str | None = None) -> str:
    """`bank@version+hash`: changes whenever anything in the question's rubric changes.

    Built per grade, not cached with the compiled question: two banks (or two versions of one)
    may share a question object.
    """
    return f"{bank.id}@{bank.version}+{digest or question_digest(question)}"


_WORD = re.compile(r"[a-z0-9]+")


def word_grams(text: str, step: int = 1) -> list[str]:
    """Word 3-grams of normalized text, every `step` words (3: consecutive, non-overlapping)."""
    words = _WORD.findall(text)
    return [" ".join(words[i : i + 3]) for i in range(0, len(words) - 2, step)]


def compile_question(bank: Bank, question: Question, t: Texts) -> QuestionRules:
    """`question` of `bank` compiled, its fixed sentences from `t` (the feedback language)."""
    criteria = tuple(criterion_rule(criterion, t) for criterion in question.criteria)
    deductions = tuple(DeductionRule(d, compile_phrases(d.triggers)) for d in question.deductions)
    wording = [c.name + "。" + c.description for c in question.criteria]
    wording += [
        kp.text + "。" + "，".join(kp.variants) for c in question.criteria for kp in c.key_points
    ]
    wording += [d.description for d in question.deductions]
    folded = normalize_phrase("。".join(wording))
    # Wording the model answer uses too is what a strong answer says, not the rubric's own: a
    # knowledge answer listing the eight consumer rights repeats the rubric's key points.
    model = normalize_phrase(question.model_answer or "")
    grams: frozenset[int] | frozenset[str]
    if bank.language == "zh":
        grams = all_packed_grams(content_of(folded)) - all_packed_grams(content_of(model))
    else:
        grams = frozenset(word_grams(folded)) - frozenset(word_grams(model))
    patterns = {
        (rule.criterion.id, kp.id): kp.pattern for rule in criteria for kp in rule.key_points
    }
    key_point_patterns = tuple(p for p in patterns.values() if p is not None)
    recital = Recital([kp.text for c in question.criteria for kp in c.key_points])
    return QuestionRules(
        question=question,
        criteria=criteria,
        deductions=deductions,
        topic=Topic(question, bank.language, key_point_patterns),
        rubric_grams=grams,
        digest=question_digest(question),
        coaching=coaching_rules(question, patterns, t),
        prompt=compile_prompt(normalize_phrase(question.prompt), bank.language),
        asked=normalize_phrase(question.prompt),
        key_point_patterns=key_point_patterns,
        inventory=Inventory([[kp.pattern for kp in rule.key_points] for rule in criteria]),
        recital=recital,
        verdicts=Verdicts(
            key_point_patterns,
            normalize_phrase(question.prompt),
            recital,
            functools.partial(trade_words, bank),
        ),
    )
