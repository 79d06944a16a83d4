"""Letters that label an answer's parts ("a. … b. …", "(a) … (b) …"): labels, not words.

An item asks for parts (a) and (b), and its key points name options by letter ("B 最大"); an
answer's label "b." then reads as option B. Letters that run a, b, … in order, one case and one
mark, each opening the text, a line or a clause, label parts: they match no phrase. A letter
standing alone ("选B", "答案：B。") is an option still.
"""

from __future__ import annotations

import re

from coach.text.normalize import NormalizedText

# A letter and its mark, at the start of the text, a line or a clause: "a.", "(b)", "c）", "D、".
_LABEL = re.compile(r"(?:^|(?<=[\s。；;，,：:]))[(（]?([a-hA-H])([.)）、:：])")
# What every label holds, a letter and its mark: `_LABEL` opens on no literal, so `re` tries it
# at every character, while this is skipped to in C, and most answers hold none.
_LETTER_MARK = re.compile(r"[a-hA-H][.)）、:：]")


def part_label_spans(folded: NormalizedText) -> list[tuple[int, int]]:
    """Where the letters of the answer's part labels stand in its folded text."""
    if _LETTER_MARK.search(folded.original) is None:
        return []
    run: list[re.Match[str]] = []
    best: list[re.Match[str]] = []
    for label in _LABEL.finditer(folded.original):
        letter, mark = label.group(1), label.group(2)
        previous = run[-1] if run else None
        if previous and ord(letter) == ord(previous.group(1)) + 1 and mark == previous.group(2):
            run.append(label)
        elif letter in "aA":
            run = [label]
        else:
            continue
        if len(run) > len(best):
            best = list(run)
    if len(best) < 2:
        return []
    spans = []
    for label in best:
        index = folded.folded_index(label.start(1))
        if folded.text[index : index + 1] == label.group(1).lower():
            spans.append((index, index + 1))
    return spans
