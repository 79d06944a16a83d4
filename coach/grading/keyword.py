"""The deterministic offline grader: key points found through their phrasings, no network.

Scoring, per question:

1. screen the answer (`_screen`): blank or non-answer scores 0; sentences addressed to the
   grader are blanked out before matching, so injected text can never earn points, and so are
   key points named in an outline, listed by name, recited from the rubric or named beside a
   verdict on them (`grading/inventory.py`, `grading/recital.py`, `grading/verdicts.py`);
2. each criterion earns points from the key points it hits: by its count bands if it has any,
   otherwise in proportion to the hit key points' weights;
3. honest caps: a bare keyword list keeps 30% of those points, an answer that uses none of the
   question's topic terms and shares little wording with the question 15%
   (`grading/topic.py`), a pasted copy of the rubric nothing;
4. each deduction whose trigger the answer asserts (not negated, condemned or reported) takes its
   points off; the total never goes below zero.

The same answer always gives byte-identical JSON.
"""

from __future__ import annotations

from typing import Any

from coach.errors import AnswerError
from coach.grading.feedback import offline_feedback
from coach.grading.lookup import find_question
from coach.grading.quotes import answer_evidence, run_evidence
from coach.grading.rubric_copy import is_rubric_copy
from coach.grading.rules import (
    CriterionRule,
    QuestionRules,
    compile_question,
    rubric_version,
)
from coach.grading.star import star_parts
from coach.grading.texts import Texts, texts_for
from coach.result import FlagCode, GradeResult, Star
from coach.rubric.loader import BankRef, load_bank
from coach.rubric.model import Bank, Question
from coach.text.content import content_of
from coach.text.match import Clauses, Hit, asserted_hits
from coach.text.normalize import NormalizedText, normalize
from coach.text.outline import recap_blocks
from coach.text.part_labels import part_label_spans
from coach.text.plain_prose import unplain_spans
from coach.text.screen import blank_out, merged, screen
from coach.text.sections import located, vehicle_spans
from coach.text.substance import described
from coach.text.term_list import keyword_list_without

KEYWORD_LIST_FACTOR = 0.3
OFF_TOPIC_FACTOR = 0.15
EVIDENCE_CONTEXT = 20  # characters of the clause kept before a hit in an evidence quote
EVIDENCE_CHARS = 40  # an evidence quote stops at its clause's end or after about this many
DEFAULT_MIN_CHARS = {"zh": 30, "en": 80}


def require_text(answer: object) -> str:
    """`answer`, or `AnswerError` when it is not text (None, bytes, a number...)."""
    if not isinstance(answer, str):
        raise AnswerError(f"an answer must be a str, not {type(answer).__name__}")
    return answer


class KeywordGrader:
    """Grades answers offline against a question's key points; no network, no randomness.

    Its own sentences (flags, rationales, tips) are in `feedback_language` ("zh" or "en"; per
    call, or for every grade), else in the bank's language; the rubric's texts stay as written.
    """

    method = "keyword"

    def __init__(self, *, feedback_language: str | None = None) -> None:
        self.feedback_language = feedback_language
        # Keyed by object identity and language; the question is kept alive by the value, so
        # ids are not reused.
        self._rules: dict[tuple[int, str], QuestionRules] = {}

    def _rules_for(self, bank: Bank, question: Question, language: str) -> QuestionRules:
        rules = self._rules.get((id(question), language))
        if rules is None or rules.question is not question:
            t = texts_for(language)
            rules = self._rules[id(question), language] = compile_question(bank, question, t)
        return rules

    def _language(self, bank: Bank, feedback_language: str | None) -> str:
        return feedback_language or self.feedback_language or bank.language

    def grade(
        self,
        bank: BankRef,
        question: str | Question,
        answer: str,
        *,
        feedback_language: str | None = None,
    ) -> GradeResult:
        """Grade `answer` to `question` of `bank`: a bank id, a YAML path or a `Bank`, and a
        question id of that bank or a `Question`."""
        folded = normalize(require_text(answer))
        return self.grade_normalized(bank, question, folded, feedback_language=feedback_language)

    def grade_normalized(
        self,
        bank: BankRef,
        question: str | Question,
        answer: NormalizedText,
        *,
        feedback_language: str | None = None,
    ) -> GradeResult:
        """`grade`, for an answer the caller has normalized already (the LLM grader needs the
        folded text too, and normalizing is a tenth of a keyword grade)."""
        loaded = load_bank(bank)
        language = self._language(loaded, feedback_language)
        rules = self._rules_for(loaded, find_question(loaded, question), language)
        return _Grading(loaded, rules, answer, texts_for(language)).result()

    def coaching_for(
        self,
        bank: BankRef,
        question: str | Question,
        criteria: list[dict[str, Any]],
        deductions: list[dict[str, Any]],
        *,
        star: Star | None = None,
        feedback_language: str | None = None,
    ) -> dict[str, Any]:
        """The offline coaching fields for a grade made elsewhere (`criteria` and `deductions`
        as plain data, in `GradeResult`'s shape): the tips follow that grade's missed key
        points, so they agree with it. `star`: the answer's STAR reading, the keyword grade's
        (made on the answer as graded), for a behavioral question."""
        loaded = load_bank(bank)
        language = self._language(loaded, feedback_language)
        rules = self._rules_for(loaded, find_question(loaded, question), language)
        reading = star.model_dump() if star is not None else None
        t = texts_for(language)
        return offline_feedback(rules.coaching, t, criteria, deductions, reading, True)

    def recited(
        self,
        bank: BankRef,
        question: str | Question,
        answer: NormalizedText,
        *,
        feedback_language: str | None = None,
    ) -> list[tuple[int, int]]:
        """The ranges of normalized `answer` that recite the question's key-point texts
        (`grading/recital.py`), list them in a recap (`text/outline.py`) or name them beside
        a verdict (`grading/verdicts.py`): on the LLM path too they are evidence for nothing."""
        loaded = load_bank(bank)
        language = self._language(loaded, feedback_language)
        rules = self._rules_for(loaded, find_question(loaded, question), language)
        found = rules.recital.spans(answer.original, answer.text)
        found += located(recap_blocks(answer.original), answer.text)
        return found + rules.verdicts.spans(answer)


class _Grading:
    """One grading run: the steps of the module docstring, in order.

    The result is assembled as plain data and validated once at the end: one pass through
    pydantic-core costs a fraction of building each evidence and criterion model on its own,
    and a grade holds a dozen of them.
    """

    def __init__(self, bank: Bank, rules: QuestionRules, answer: NormalizedText, t: Texts) -> None:
        self.bank = bank
        self.rules = rules
        self.question = rules.question
        self.answer = answer
        self.t = t
        self.flags: list[dict[str, Any]] = []
        # Evidence is cut from the answer as written, before any injected sentence is blanked.
        self.clauses = Clauses(answer.text)

    def _evidence(self, start: int, end: int) -> dict[str, Any]:
        """The clause around folded span `[start, end)`, quoted from the original answer."""
        return answer_evidence(
            self.answer, self.clauses, start, end, EVIDENCE_CONTEXT, EVIDENCE_CHARS
        )

    def _flag(self, code: FlagCode, message: str, hits: tuple[Hit, ...] = ()) -> None:
        evidence = [self._evidence(hit.start, hit.end) for hit in hits[:3]]
        self.flags.append({"code": code, "message": message, "evidence": evidence})

    def result(self) -> GradeResult:
        t, text = self.t, self.answer.text
        found = screen(
            self.answer.original,
            text,
            self.bank.language,
            self.rules.prompt,
            self._asked,
            self.rules.asked,
        )
        factor = 1.0
        factor_note = ""
        if found.blank:
            self._flag("blank", t.blank)
            factor = 0.0
        elif found.non_answer:
            self._flag("non_answer", t.non_answer)
            factor = 0.0
        content = found.content
        copied = False
        if found.injection:
            self._flag("suspected_injection", t.injection, found.injection)
            # A copy of the rubric is read less the instruction's sentences, not its lines:
            # rubric lines joined to an instruction are still the rubric's.
            unsaid = blank_out(text, found.injection)
            copied = bool(factor) and self._is_rubric_copy(content_of(unsaid), unsaid)
            text = self._blanked(text, found.injection, addressed=True)
            text = self._plain_prose(text)
            content = content_of(text)
        copied = copied or (bool(factor) and self._is_rubric_copy(content, text))
        if found.only_tags:  # (there is talk, and all of it is such lines)
            # Lines that name terms earn nothing themselves, but say nothing to the grader: the
            # rest of the answer is read as written ("- [x] 不代客操作、不代签" under a plan).
            text = blank_out(text, found.grading_talk)
            content = content_of(text)
        elif found.grading_talk:
            text = self._blanked(text, found.grading_talk)
            if not found.injection:
                text = self._plain_prose(text)
            content = content_of(text)
        if found.outlines:  # points named in an outline are earned where they are made
            text = blank_out(text, found.outlines)
        # ... and so are points listed by name (`grading/inventory.py`).
        if listed := self.rules.inventory.spans(text, self.answer):
            text = blank_out(text, merged(listed))  # an edge may reach into the next list
        # ... or their texts recited (`grading/recital.py`).
        if recited := self.rules.recital.spans(self.answer.original, text):
            text = blank_out(text, merged(recited))
        # ... or named beside a verdict on them (`grading/verdicts.py`): a grade planted in
        # a costume, flagged as a forged score is, so that the LLM path caps the grade too.
        if judged := merged(self.rules.verdicts.spans(self.answer)):
            text = blank_out(text, judged)
            if not found.injection:
                self._flag("suspected_injection", t.injection, judged)
        if labels := part_label_spans(self.answer):  # "a. … b. …" names no option a or b
            text = blank_out(text, merged(labels))
        # The rubric copied is a copy with or without its talk about the grade ("评分要点如下：").
        if factor and (copied or (found.grading_talk and self._is_rubric_copy(content, text))):
            self._flag("rubric_copy", t.rubric_copy)
            factor, factor_note = 0.0, t.note_rubric_copy
        # A list is judged without the sentences caught speaking to the grader, which dilute it.
        terms = found.keyword_list or (
            bool(found.injection) and keyword_list_without(self.answer, found.injection)
        )
        if factor and terms:
            self._flag("keyword_stuffing", t.keyword_stuffing)
            factor, factor_note = KEYWORD_LIST_FACTOR, t.note_keyword_list
        if factor and self.rules.topic.off_topic(text):
            self._flag("off_topic", t.off_topic)
            if factor > OFF_TOPIC_FACTOR:
                factor, factor_note = OFF_TOPIC_FACTOR, t.note_off_topic
        minimum = self.question.min_chars or DEFAULT_MIN_CHARS[self.bank.language]
        if not (found.blank or found.non_answer) and found.content_chars < minimum:
            self._flag("too_short", t.too_short.format(n=found.content_chars, min=minimum))
        if found.language_mismatch:
            self._flag("language_mismatch", t.mismatch(self.bank.language))
        # Repetition and padding are facts for the reader (and, on the LLM path, a reason not
        # to trust a high score); the key points counted once already, so they cost nothing.
        if found.repetition:
            self._flag("repetition", t.repetition, found.repetition)
        if found.padded:
            self._flag("padding", t.padding, found.padding)
            # Runs of punctuation and blank lines are quoted from the original text, where
            # they are spans already (normalizing folded them away).
            evidence = self.flags[-1]["evidence"]
            evidence += [
                run_evidence(self.answer.as_written, run.start, run.end)
                for run in found.padding_runs[: max(0, 3 - len(evidence))]
            ]

        criteria = [
            self._criterion(rule, text, factor, factor_note) for rule in self.rules.criteria
        ]
        # A fault counts wherever it stands: blanking a sentence addressed to the grader must
        # not take a promise of returns that shares its sentence out of sight.
        deductions = self._deductions(self.answer.text) if content else []
        earned = sum(c["points"] for c in criteria)
        lost = sum(d["points"] for d in deductions)
        score = round(max(0.0, earned - lost), 2)
        max_score = self.question.points
        attempted = not (found.blank or found.non_answer)
        # STAR cues are read in the answer as graded: none in text planted for the grader.
        star = None
        if self.rules.coaching.behavioral:
            star = star_parts(self.answer, self.clauses, text)
        coaching = offline_feedback(self.rules.coaching, t, criteria, deductions, star, attempted)
        # A criterion with no key point hit is the same model every time (`unmet_result`).
        shown = [
            data if data["evidence"] else rule.unmet_result(data, factor, factor_note)
            for rule, data in zip(self.rules.criteria, criteria, strict=True)
        ]
        return GradeResult.model_validate(
            {
                "bank_id": self.bank.id,
                "question_id": self.question.id,
                "score": score,
                "max_score": max_score,
                "percent": round(100 * score / max_score, 1),
                "method": "keyword",
                "status": "graded",
                "criteria": shown,
                "deductions": deductions,
                "flags": self.flags,
                **coaching,
                "rubric_version": rubric_version(self.bank, self.question, self.rules.digest),
            }
        )

    def _asked(self, phrase: str) -> bool:
        """The rubric asks for `phrase` (a filler phrase found in the answer): a key point's
        phrasing matches inside it."""
        return any(p.search(phrase) is not None for p in self.rules.key_point_patterns)

    def _blanked(self, text: str, spans: tuple[Hit, ...], addressed: bool = False) -> str:
        """`text` with `spans` blanked, and the paragraphs set apart for them: an instruction's
        (`addressed`) or talk about the grade's vehicle (`sections.vehicle_spans`)."""
        if addressed:
            vehicles = vehicle_spans(self.answer.original, text, (), spans)
        else:
            vehicles = vehicle_spans(self.answer.original, text, spans)
        return blank_out(text, merged([*spans, *vehicles]))

    def _plain_prose(self, text: str) -> str:
        """Caught planting text for the grader, the answer earns only with its plain prose."""
        return blank_out(text, merged(unplain_spans(self.answer.original, text)))

    def _is_rubric_copy(self, content: str, text: str) -> bool:
        return is_rubric_copy(self.rules.rubric_grams, self.bank.language, content, text)

    def _criterion(
        self, rule: CriterionRule, text: str, factor: float, note: str
    ) -> dict[str, Any]:
        criterion = rule.criterion
        evidence = []
        hits = 0
        for pattern, explained, bit in rule.searches:
            if explained:  # the first match that is described, not only named
                found = (m for m in pattern.finditer(text) if described(text, *m.span()))
                match = next(found, None)
            else:
                match = pattern.search(text)
            if match is not None:
                hits |= bit
                evidence.append(self._evidence(*match.span()))
        outcome = rule.outcome(hits)
        rationale = outcome.rationale
        if note and outcome.points:
            rationale += note
        # (Times 1.0 is exact: uncapped, the outcome's rounded points are the same number.)
        if factor == 1.0:
            points = outcome.shown
        else:
            points = round(min(criterion.points, outcome.points) * factor, 2)
        return {
            "id": criterion.id,
            "name": criterion.name,
            "points": points,
            "max_points": criterion.points,
            "rationale": rationale,
            "evidence": evidence,
            "key_points_hit": outcome.hit,
            "key_points_missed": outcome.missed,
        }

    def _deductions(self, text: str) -> list[dict[str, Any]]:
        results = []
        for deduction, pattern in self.rules.deductions:
            if pattern is None:
                continue
            if deduction.negation_aware:
                clauses = self.clauses if text is self.answer.text else Clauses(text)
                hits = list(asserted_hits(pattern, clauses))
            else:
                hits = [Hit(m.start(), m.end()) for m in pattern.finditer(text)]
            if hits:
                evidence = [self._evidence(hit.start, hit.end) for hit in hits[:3]]
                results.append(
                    {
                        "id": deduction.id,
                        "description": deduction.description,
                        "points": deduction.points,
                        "evidence": evidence,
                    }
                )
        return results
