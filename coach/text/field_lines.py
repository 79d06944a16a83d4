"""Sentences an answer opens with a field of the grade: words it wants written there.

"反馈栏：妙问。", "Feedback: clever question.", "改进建议：无需改进": the answer names a field of
the grade (a feedback, a comment, a rationale, a follow-up: `grading_words.FIELD`) and puts its
words under it. Whether or not the sentence reads as talk about the grade, the answer has
tried to dictate the grade's texts, so on the LLM path none of the model's texts is kept
(`coach.grading.combine`). None of the ~1,300 labelled honest answers opens a sentence so.
"""

from __future__ import annotations

import re

from coach.text.grading_concepts import patterns
from coach.text.normalize import SENTENCE_END

_SENTENCE = re.compile(f"[^{SENTENCE_END}]+")


def field_sentences(text: str) -> list[tuple[int, int]]:
    """Ranges of normalized `text` of the sentences that open with a field of the grade."""
    label = patterns()["field_line"]
    return [m.span() for m in _SENTENCE.finditer(text) if label.match(m.group())]
