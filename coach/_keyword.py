"""The deterministic offline grader: key points found through their phrasings, no network.

Scoring, per question:

1. screen the answer (`_screen`): blank or non-answer scores 0; sentences addressed to the
   grader are blanked out before matching, so injected text can never earn points;
2. each criterion earns points from the key points it hits: by its count bands if it has any,
   otherwise in proportion to the hit key points' weights;
3. honest caps: a bare keyword list keeps 30% of those points, an answer that uses none of the
   question's topic terms 15%, a pasted copy of the rubric nothing;
4. each deduction whose trigger the answer asserts (not negated, condemned or reported) takes its
   points off; the total never goes below zero.

The same answer always gives byte-identical JSON.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from coach._exceptions import AnswerError
from coach._match import Hit, asserted_hits, clause_around, compile_phrases, first_hit
from coach._normalize import NormalizedText, normalize, normalize_phrase
from coach._result import (
    CriterionResult,
    DeductionResult,
    Evidence,
    Flag,
    FlagCode,
    GradeResult,
)
from coach._rubric import Bank, Criterion, Deduction, KeyPoint, Question
from coach._screen import blank_out, content_of, screen
from coach._texts import texts_for

KEYWORD_LIST_FACTOR = 0.3
OFF_TOPIC_FACTOR = 0.15
RUBRIC_COPY_SHARE = 0.5  # share of the answer's 4-grams found in the rubric's own wording
DEFAULT_MIN_CHARS = {"zh": 30, "en": 80}
_RUBRIC_MARKERS = re.compile(
    r"key_points|keypoints|variants|criteria|model_answer|deductions|topic_terms|评分标准|评分要点"
    r"|得分点|扣分项|考察点|高分回答思路|答案要点"
)


@dataclass(frozen=True, slots=True)
class _KeyPointRule:
    key_point: KeyPoint
    pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class _CriterionRule:
    criterion: Criterion
    key_points: tuple[_KeyPointRule, ...]


@dataclass(frozen=True, slots=True)
class _DeductionRule:
    deduction: Deduction
    pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class _QuestionRules:
    """A question compiled for matching; built once per question object."""

    question: Question
    criteria: tuple[_CriterionRule, ...]
    deductions: tuple[_DeductionRule, ...]
    topic: re.Pattern[str] | None
    rubric_grams: frozenset[str]
    rubric_version: str


def rubric_version(bank: Bank, question: Question) -> str:
    """`bank@version+hash`: changes whenever anything in the question's rubric changes."""
    digest = hashlib.sha256(question.model_dump_json().encode()).hexdigest()[:12]
    return f"{bank.id}@{bank.version}+{digest}"


def _grams(content: str, size: int = 4) -> set[str]:
    return {content[i : i + size] for i in range(len(content) - size + 1)}


def compile_question(bank: Bank, question: Question) -> _QuestionRules:
    criteria = tuple(
        _CriterionRule(
            criterion,
            tuple(_KeyPointRule(kp, compile_phrases(kp.variants)) for kp in criterion.key_points),
        )
        for criterion in question.criteria
    )
    deductions = tuple(_DeductionRule(d, compile_phrases(d.triggers)) for d in question.deductions)
    wording = [c.name + "。" + c.description for c in question.criteria]
    wording += [
        kp.text + "。" + "，".join(kp.variants) for c in question.criteria for kp in c.key_points
    ]
    wording += [d.description for d in question.deductions]
    grams = _grams(content_of(normalize_phrase("。".join(wording))))
    return _QuestionRules(
        question=question,
        criteria=criteria,
        deductions=deductions,
        topic=compile_phrases(question.topic_terms),
        rubric_grams=frozenset(grams),
        rubric_version=rubric_version(bank, question),
    )


class KeywordGrader:
    """Grades answers offline against a question's key points; no network, no randomness."""

    method = "keyword"

    def __init__(self) -> None:
        # Keyed by object identity; the question is kept alive by the value, so ids are not reused.
        self._rules: dict[int, _QuestionRules] = {}

    def _rules_for(self, bank: Bank, question: Question) -> _QuestionRules:
        rules = self._rules.get(id(question))
        if rules is None or rules.question is not question:
            rules = self._rules[id(question)] = compile_question(bank, question)
        return rules

    def grade(self, bank: Bank, question: Question, answer: str) -> GradeResult:
        """Grade `answer` to `question` of `bank`."""
        if not isinstance(answer, str):
            raise AnswerError(f"an answer must be a str, not {type(answer).__name__}")
        rules = self._rules_for(bank, question)
        return _Grading(bank, rules, normalize(answer)).result()


class _Grading:
    """One grading run: the steps of the module docstring, in order."""

    def __init__(self, bank: Bank, rules: _QuestionRules, answer: NormalizedText) -> None:
        self.bank = bank
        self.rules = rules
        self.question = rules.question
        self.answer = answer
        self.t = texts_for(bank.language)
        self.flags: list[Flag] = []

    def _evidence(self, hit: Hit) -> Evidence:
        span = clause_around(self.answer.text, hit)
        start, end = self.answer.original_span(span.start, span.end)
        return Evidence(quote=self.answer.original[start:end], start=start, end=end)

    def _flag(self, code: FlagCode, message: str, hits: tuple[Hit, ...] = ()) -> None:
        evidence = [self._evidence(hit) for hit in hits[:3]]
        self.flags.append(Flag(code=code, message=message, evidence=evidence))

    def result(self) -> GradeResult:
        t, text = self.t, self.answer.text
        found = screen(self.answer.original, text, self.bank.language)
        factor = 1.0
        factor_note = ""
        if found.blank:
            self._flag("blank", t.blank)
            factor = 0.0
        elif found.non_answer:
            self._flag("non_answer", t.non_answer)
            factor = 0.0
        if found.injection:
            self._flag("suspected_injection", t.injection, found.injection)
            text = blank_out(text, found.injection)
        content = content_of(text)
        if factor and self._is_rubric_copy(content, text):
            self._flag("rubric_copy", t.rubric_copy)
            factor, factor_note = 0.0, t.note_rubric_copy
        if factor and found.keyword_list:
            self._flag("keyword_stuffing", t.keyword_stuffing)
            factor, factor_note = KEYWORD_LIST_FACTOR, t.note_keyword_list
        if factor and self.rules.topic is not None and first_hit(self.rules.topic, text) is None:
            self._flag("off_topic", t.off_topic)
            if factor > OFF_TOPIC_FACTOR:
                factor, factor_note = OFF_TOPIC_FACTOR, t.note_off_topic
        minimum = self.question.min_chars or DEFAULT_MIN_CHARS[self.bank.language]
        if not (found.blank or found.non_answer) and found.content_chars < minimum:
            self._flag("too_short", t.too_short.format(n=found.content_chars, min=minimum))
        if found.language_mismatch:
            self._flag("language_mismatch", t.language_mismatch)

        criteria = [
            self._criterion(rule, text, factor, factor_note) for rule in self.rules.criteria
        ]
        deductions = [] if not content else self._deductions(text)
        earned = sum(c.points for c in criteria)
        lost = sum(d.points for d in deductions)
        score = round(max(0.0, earned - lost), 2)
        max_score = self.question.points
        return GradeResult(
            bank_id=self.bank.id,
            question_id=self.question.id,
            score=score,
            max_score=max_score,
            percent=round(100 * score / max_score, 1),
            method="keyword",
            status="graded",
            criteria=criteria,
            deductions=deductions,
            flags=self.flags,
            strengths=self._strengths(criteria),
            improvements=self._improvements(criteria, deductions),
            rubric_version=self.rules.rubric_version,
        )

    def _is_rubric_copy(self, content: str, text: str) -> bool:
        if len({m.group(0) for m in _RUBRIC_MARKERS.finditer(text)}) >= 2:
            return True
        if len(content) < 20:
            return False
        # Every third 4-gram is a fair sample of how much of the answer is rubric wording.
        starts = range(0, len(content) - 3, 3)
        shared = sum(content[i : i + 4] in self.rules.rubric_grams for i in starts)
        return shared >= RUBRIC_COPY_SHARE * len(starts)

    def _criterion(
        self, rule: _CriterionRule, text: str, factor: float, note: str
    ) -> CriterionResult:
        criterion = rule.criterion
        hit_ids: list[str] = []
        missed: list[KeyPoint] = []
        evidence: list[Evidence] = []
        hit_weight = 0.0
        for kp_rule in rule.key_points:
            hit = first_hit(kp_rule.pattern, text)
            if hit is None:
                missed.append(kp_rule.key_point)
                continue
            hit_ids.append(kp_rule.key_point.id)
            hit_weight += kp_rule.key_point.weight
            evidence.append(self._evidence(hit))
        if criterion.bands:
            raw = max((b.points for b in criterion.bands if len(hit_ids) >= b.hits), default=0.0)
        else:
            total_weight = sum(kp.weight for kp in criterion.key_points)
            raw = criterion.points * hit_weight / total_weight
        points = round(min(criterion.points, raw) * factor, 2)
        total = len(criterion.key_points)
        hit_texts = [kp.text for kp in criterion.key_points if kp.id in hit_ids]
        rationale = self.t.rationale(len(hit_ids), total, hit_texts, [kp.text for kp in missed])
        if note and raw:
            rationale += note
        return CriterionResult(
            id=criterion.id,
            name=criterion.name,
            points=points,
            max_points=criterion.points,
            rationale=rationale,
            evidence=evidence,
            key_points_hit=hit_ids,
            key_points_missed=[kp.id for kp in missed],
        )

    def _deductions(self, text: str) -> list[DeductionResult]:
        results = []
        for rule in self.rules.deductions:
            if rule.pattern is None:
                continue
            deduction = rule.deduction
            if deduction.negation_aware:
                hits = list(asserted_hits(rule.pattern, text))
            else:
                hits = [Hit(m.start(), m.end()) for m in rule.pattern.finditer(text)]
            if hits:
                results.append(
                    DeductionResult(
                        id=deduction.id,
                        description=deduction.description,
                        points=deduction.points,
                        evidence=[self._evidence(hit) for hit in hits[:3]],
                    )
                )
        return results

    def _strengths(self, criteria: list[CriterionResult]) -> list[str]:
        return [
            self.t.strength.format(name=c.name) for c in criteria if c.points >= 0.75 * c.max_points
        ]

    def _improvements(
        self, criteria: list[CriterionResult], deductions: list[DeductionResult]
    ) -> list[str]:
        tips = [self.t.avoid.format(what=d.description) for d in deductions]
        for result, rule in zip(criteria, self.rules.criteria, strict=True):
            if result.points >= 0.75 * result.max_points:
                continue
            missed = [
                kp.text for kp in rule.criterion.key_points if kp.id in result.key_points_missed
            ]
            if missed:
                tips.append(self.t.add.format(name=result.name, what="；".join(missed[:3])))
        return tips
