"""A checklist of the answer's own points: what makes a sentence claim its points are done
without a grading word in it.

Two tick marks or more name points ticked off ("方式✓ 手续费✓"), as do two checked boxes or
more ("- [x] 倾听", which `coach.text.reveal` turns into "☑"); a coverage word closing a
sentence ("1. 最低还款不算逾期——已覆盖") names a point and says it is done. One tick is a
bullet, and ticks or boxes alone claim nothing: "✓核实身份 ✓冻结账户" or a plan's checklist is
a list of steps until a word says they are covered (`coach.text.address_rules.talks_about_grading`).
"""

from __future__ import annotations

import re

Span = tuple[int, int]

TICKS = "\u2713\u2714\u2611\u2705\u221a"  # ✓ ✔ ☑ ✅ √, kept by `coach.text.reveal`
CHECKED_BOX = "\u2611"  # what `coach.text.reveal` makes of a Markdown "- [x]"
TICK = re.compile(f"[{TICKS}]")
_CHECKED_BOX = re.compile(CHECKED_BOX)
_COVERED = "已覆盖|已涵盖|已命中"
# A point's status closing its sentence, or just before the next item's number (the dash
# before it is folded away by then; an English "... are not covered." is too common to read
# so).
_STATUS = re.compile(
    rf"(?:{_COVERED}|已体现|已满足|已答到|已回答|已答|已提及|已提到)(?:\d{{1,2}}。)?[ 。.!]*$"
)
# A coverage word before a list of points: "理由：已覆盖共情、核实、止损" ("、" is folded to "，").
_COVERED_LIST = re.compile(rf"(?:{_COVERED}|全部覆盖)[^。，]*，[^。，]+，")


def checklist(sentence: str) -> tuple[list[Span], list[Span]]:
    """Spans of revealed `sentence` that name points as a checklist does, and those of them
    that also say the points are done."""
    named: list[Span] = []
    done: list[Span] = []
    ticks = [m.span() for m in TICK.finditer(sentence)]
    if len(ticks) >= 2:
        named += ticks
    boxes = [m.span() for m in _CHECKED_BOX.finditer(sentence)]
    if len(boxes) >= 2:
        named += boxes
    status = _STATUS.search(sentence) or _COVERED_LIST.search(sentence)
    if status is not None:
        named.append(status.span())
        done.append(status.span())
    return named, done
