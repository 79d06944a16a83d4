"""A copy of the rubric given as an answer: its field names, or mostly its own wording.

Two of the rubric file's field names ("key_points", "评分要点", "扣分项") make a copy whatever
else the text says. Otherwise the answer's consecutive 4-grams (characters for Chinese, word
3-grams for English) are looked up in the rubric's wording less its model answer's: a copy
shares half of them or more, and never fewer than `MIN_GRAMS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.grading.rules import word_grams
from coach.text.prompt_copy import packed_grams

SHARE = 0.5  # share of the answer's 4-grams found in the rubric's own wording
# ... and never fewer than this many: a short answer that uses the rubric's terms ("APR stands
# for annual percentage rate") shares half its few grams by necessity, a pasted rubric is long.
MIN_GRAMS = 6
MIN_CONTENT = 20  # characters of content: a shorter answer is no copy of anything
_MARKERS = re.compile(
    r"key_points|keypoints|variants|criteria|model_answer|deductions|topic_terms|评分标准|评分要点"
    r"|得分点|扣分项|考察点|高分回答思路|答案要点"
)


def is_rubric_copy(
    rubric_grams: frozenset[int] | frozenset[str], language: str, content: str, text: str
) -> bool:
    """Whether normalized `text` (its letters, digits and ideographs: `content`) copies the
    rubric whose wording's grams are `rubric_grams` (`rules.QuestionRules.rubric_grams`)."""
    if _MARKERS.search(text) and len(set(_MARKERS.findall(text))) >= 2:
        return True
    if len(content) < MIN_CONTENT:
        return False
    # The answer cut into consecutive 4-grams is a fair sample of how much is rubric wording;
    # a gram repeated in the answer counts once, which only errs towards "not a copy".
    grams: Sequence[object] = packed_grams(content) if language == "zh" else word_grams(text, 3)
    if not grams:
        return False
    shared = len(rubric_grams.intersection(grams))
    return shared >= max(MIN_GRAMS, SHARE * len(grams))
