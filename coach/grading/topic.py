"""Whether an answer is about its question at all: read from the whole question, not a list.

A question's `topic_terms` are a quick test: an answer using one of them is on topic. An answer
using none is off topic only when nothing else ties it to the question either: less than a
fifth of its distinctive units (ideograph pairs, English stems; `grading/relevance.py`) are the
question's. A unit is the question's when the question's wording holds it (its prompt,
criteria, key points, variants and model answer), or when it stands in a clause of the answer
that makes one of the key points, the clause the keyword grader quotes as that point's
evidence. So an answer that earns key-point credit in its own words ("倒了杯水，跟她说不好意思
让您久等了") is about the question, though it shares few words with the question's wording;
one about hiking or a recipe that makes no key point is not. An answer that names what the
prompt asks about (three or more of the prompt's own distinctive units: "银行智能客服岗位" for
"你对银行智能客服岗位的理解是什么？") is about the question too, in whatever words it goes on;
the price is that an answer restating the prompt and then wandering off is on topic (its
restatement is padding, and it earns only the key points it makes).

The price: a key point's variants are short words ("记录", "道歉"), and an answer about
something else that uses one in passing is read as making that point: it earns that point's
credit, no longer cut to 15%, and nothing for the rest; on the LLM path only quotes that bear
on a key point earn anything (`grading/relevance.py`). A list of key-point words is caught by
its own screen (`keyword_stuffing`), whatever it is about.

An answer in the other script (English to a Chinese bank, or the reverse) shares no units with
the question's wording whatever it says, so it is judged only on whether it is about the job
at all: a word of the service and finance domain ("customer", "bank", "team"; `coach.text.
answer_words.DOMAIN`) says it is; a note on the weather holds none. Its `language_mismatch` flag
stays. (Two such words were asked for once, and five plain English answers of the red-team
halves, about merging a customer's tickets or asking a team leader for advice, were called off
topic; no attack needed the second word. Offline such an answer makes a key point only through
the rubric's few Latin words, and on the LLM path a quote in the other script bears on none.)

An answer of numbers and formulas alone ("2^(n-1)", "n/2；(2n+1)/3") holds no word to be about
something else: it is never off topic, and earns what its key points say. (Read as English to a
Chinese bank, such answers on ads-zh were cut to 15% of the one key point they made.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.grading.relevance import generic_units, units
from coach.rubric.model import Question
from coach.text.grading_concepts import patterns
from coach.text.match import Clauses, compile_phrases
from coach.text.normalize import SENTENCE_END, normalize

# The share of an answer's units found in its question's wording: 5% (median) to 17% (99th
# percentile) for the model answer of another question of the same bank, 22% to 47% for plain
# answers that miss the topic terms (the ordinary answers of the red-team development corpus).
MIN_SHARE = 0.2
MIN_SHARED = 3  # and never fewer units than this
MIN_DOMAIN_WORDS = 1  # domain words that tie an answer in the other script to the job
MIN_POINTS_MADE = 2  # key points an answer makes that tie it to the question, whatever its words
_FORMULA_TOKEN = re.compile(r"[a-z0-9]")  # what is left of a formula, once folded


class Topic:
    """One question's topic; its wording is read on the first answer that needs it."""

    def __init__(
        self,
        question: Question,
        language: str,
        key_points: Sequence[re.Pattern[str]] | None = None,
    ) -> None:
        """`key_points`: the question's key-point patterns where the caller has compiled them
        already (the keyword grader); else they are compiled from the question when needed."""
        self.question = question
        self.language = language
        self.terms = compile_phrases(question.topic_terms)
        self._wording: frozenset[str] | None = None
        self._subject: frozenset[str] | None = None
        self._key_points = None if key_points is None else tuple(key_points)

    @property
    def key_points(self) -> tuple[re.Pattern[str], ...]:
        """One pattern per key point of the question that has any phrasing."""
        if self._key_points is None:
            compiled = (
                compile_phrases(kp.variants, gaps=True)
                for c in self.question.criteria
                for kp in c.key_points
            )
            self._key_points = tuple(p for p in compiled if p is not None)
        return self._key_points

    @property
    def subject(self) -> frozenset[str]:
        """The distinctive units of the question's prompt: what it asks about."""
        if self._subject is None:
            found = units(normalize(self.question.prompt).text)
            self._subject = frozenset(found - generic_units(self.language))
        return self._subject

    @property
    def wording(self) -> frozenset[str]:
        """The distinctive units of the question's whole wording."""
        if self._wording is None:
            question = self.question
            pieces = [question.prompt, question.model_answer, *question.topic_terms]
            for criterion in question.criteria:
                pieces += [criterion.name, criterion.description]
                for kp in criterion.key_points:
                    pieces += [kp.text, *(part for v in kp.variants for part in v.split("*"))]
            found = units(normalize(SENTENCE_END.join(pieces)).text)
            self._wording = frozenset(found - generic_units(self.language))
        return self._wording

    def off_topic(self, text: str) -> bool:
        """Whether normalized `text` is off topic (see the module docstring)."""
        if self.terms is None or self.terms.search(text):
            return False
        found = units(text)
        words = [unit for unit in found if unit.isalpha()]  # not a formula's ("pow2", "2n")
        if not words and _FORMULA_TOKEN.search(text) is not None:
            return False  # numbers and formulas only ("2^(n-1)", "n/2"): no words to be off with
        if words and not any(_in_script(unit, self.language) for unit in words):
            domain = {m.group() for m in patterns()["domain"].finditer(text)}
            return len(domain) < MIN_DOMAIN_WORDS
        ours = found & self.wording
        if _ties(ours, found) or len(found & self.subject) >= MIN_SHARED:
            return False
        # Only where the wording falls short: finding the clauses costs a search per key point.
        made = self._points_made(text)
        if len(made) >= MIN_POINTS_MADE:
            return False
        return not _ties(ours | (found & units(SENTENCE_END.join(made))), found)

    def _points_made(self, text: str) -> list[str]:
        """The clauses of normalized `text` where a key point is first found, as the keyword
        grader credits it (one clause per key point, so repeating a variant adds nothing)."""
        clauses = Clauses(text)
        made = []
        for pattern in self.key_points:
            match = pattern.search(text)
            if match is not None:
                made.append(
                    text[clauses.start_before(match.start()) : clauses.end_after(match.end())]
                )
        return made


def _ties(ours: set[str], found: set[str]) -> bool:
    """Whether the question's units `ours`, of the answer's `found`, tie the answer to it."""
    return len(ours) >= MIN_SHARED and len(ours) >= MIN_SHARE * len(found)


def _in_script(unit: str, language: str) -> bool:
    """Whether a unit (an ideograph pair or an English stem) is written in `language`'s script."""
    return (unit[0] >= "\u3400") == (language == "zh")
