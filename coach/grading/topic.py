"""Whether an answer is about its question at all: read from the whole question, not a list.

A question's `topic_terms` are a quick test: an answer using one of them is on topic. An answer
using none is off topic only when nothing else ties it to the question either: less than a
fifth of its distinctive units (ideograph pairs, English stems; `grading/relevance.py`) are in
the question's wording (its prompt, criteria, key points, variants and model answer). Hitting
a key point is not enough on its own: variants are short words ("记录", "道歉") that answers to
other questions use too. A plain-spoken answer that says "给我转人工" where the list
has "转人工客服" is about the question; one about weekend hiking or a different question is not.

An answer in the other script (English to a Chinese bank, or the reverse) shares no units with
the question's wording whatever it says, so it is judged only on whether it is about the job
at all: two or more different words of the service and finance domain ("customer", "fraud",
"credit"; `coach.text.answer_words.DOMAIN`) say it is. Its `language_mismatch` flag stays.
"""

from __future__ import annotations

from coach.grading.relevance import generic_units, units
from coach.rubric.model import Question
from coach.text.grading_concepts import patterns
from coach.text.match import compile_phrases
from coach.text.normalize import SENTENCE_END, normalize

# The share of an answer's units found in its question's wording: 5% (median) to 17% (99th
# percentile) for the model answer of another question of the same bank, 22% to 47% for plain
# answers that miss the topic terms (the ordinary answers of the red-team development corpus).
MIN_SHARE = 0.2
MIN_SHARED = 3  # and never fewer units than this
MIN_DOMAIN_WORDS = 2  # different domain words that tie an answer in the other script to the job


class Topic:
    """One question's topic; its wording is read on the first answer that needs it."""

    def __init__(self, question: Question, language: str) -> None:
        self.question = question
        self.language = language
        self.terms = compile_phrases(question.topic_terms)
        self._wording: frozenset[str] | None = None

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
        if found and not any(_in_script(unit, self.language) for unit in found):
            domain = {m.group() for m in patterns()["domain"].finditer(text)}
            return len(domain) < MIN_DOMAIN_WORDS
        shared = len(found & self.wording)
        return shared < MIN_SHARED or shared < MIN_SHARE * len(found)


def _in_script(unit: str, language: str) -> bool:
    """Whether a unit (an ideograph pair or an English stem) is written in `language`'s script."""
    return (unit[0] >= "\u3400") == (language == "zh")
