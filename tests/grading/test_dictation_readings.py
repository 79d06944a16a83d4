"""The copy check's readings of a text, read with searches where they can, against their
definition read token by token: leetspeak undone in every token, the ideographs-only reading
where the text has other tokens, the Latin letters one by one; and a text sharing no token
with the answer passed at once, without passing one that shares a few."""

from __future__ import annotations

import random

from coach.grading.dictation import _LATIN, _TOKEN, CopyCheck, _canonical, _readings
from coach.text.content import IDEOGRAPH
from coach.text.normalize import normalize
from coach.text.reveal import reveal
from tests.grading.test_dictation_windows import ANSWER, ReferenceCheck


def reference(text: str) -> list[list[str]]:
    """The readings of a text that is not the answer, token by token."""
    folded = normalize(text).text
    readings = [[_canonical(t) for t in _TOKEN.findall(folded)]]
    revealed = reveal(folded).text
    if revealed != folded:
        readings.append([_canonical(t) for t in _TOKEN.findall(revealed)])
    ideographs = [t for t in readings[-1] if IDEOGRAPH.fullmatch(t)]
    if len(ideographs) < len(readings[-1]) and ideographs:
        readings.append(ideographs)
    if _LATIN.search(revealed):
        readings.append(_LATIN.findall(revealed))
    return readings


PIECES = [
    "沟通能力突出",
    "建议录用",
    "a",
    "b z",
    "7",
    "13",
    "5up3r",
    "r3c0mm3nd",
    "é",
    "²",
    "かな",
    "한국",
    "_",
    "。",
    "，",
    "!",
    "💯",
    "🔒",
    "表1️⃣现",
    "ＡＢＣ",
    "hire",
    " ",
    "1️⃣",
    "ⅻ",
]


def texts() -> list[str]:
    rng = random.Random(11)
    found = ["", "沟通能力突出，建议录用。", "recommend hiring", "f u l l m4rk5", "沟_通"]
    for _ in range(600):
        found.append("".join(rng.choices(PIECES, k=rng.randint(1, 12))))
    return found


def test_readings_match_their_definition() -> None:
    seen = {"ideographs-only": 0, "leetspeak": 0, "plain": 0}
    for text in texts():
        readings = _readings(text)
        assert readings == reference(text), text
        first = [t for t in _TOKEN.findall(normalize(text).text)]
        seen["leetspeak" if readings[0] != first else "plain"] += 1
        seen["ideographs-only"] += any(
            r and all(IDEOGRAPH.fullmatch(t) for t in r) and r != readings[0] for r in readings
        )
    assert min(seen.values()) > 20  # every branch was put to the test


def test_a_text_with_tokens_the_answer_lacks_is_still_checked() -> None:
    """A text that shares no token with the answer is passed at once; one that shares some is
    checked in full, whatever else it holds."""
    answer = ANSWER
    check, expected = CopyCheck(answer, []), ReferenceCheck(answer, [])
    foreign = ["xyzzy quux", "猫狗鱼鸟", "qq 2 zz", ""]
    copied = [answer[i : i + 14] for i in range(0, 60, 7)]
    seen = {True: 0, False: 0}
    for piece in copied + foreign:
        for other in foreign:
            for text in (piece + other, other + piece, other):
                assert check.copies(text) == expected.copies(text), text
                seen[expected.copies(text)] += 1
    assert seen[True] > 10 and seen[False] > 10
    assert check.copies("xyzzy " + copied[0]) and not check.copies("xyzzy quux 猫狗鱼鸟")
    assert check.parrots(copied[1] + "猫") and not check.parrots("猫狗鱼鸟")
