"""STAR cues: English ones count as whole words only, Chinese ones anywhere."""

from __future__ import annotations

import pytest

from coach.grading.star import star_parts
from coach.text.match import Clauses
from coach.text.normalize import normalize


def _present(answer: str) -> dict[str, bool]:
    folded = normalize(answer)
    return {
        part: found["present"] for part, found in star_parts(folded, Clauses(folded.text)).items()
    }


@pytest.mark.parametrize(
    ("answer", "part"),
    [
        ("Once a customer called about a blocked card.", "situation"),
        ("My task was to restore access.", "task"),
        ("I first checked the logs.", "action"),
        ("In the end the card worked again.", "result"),
        ("当时客户很着急。", "situation"),
        ("然后我联系了运营部门。", "action"),
    ],
)
def test_a_cue_marks_its_part(answer: str, part: str) -> None:
    assert _present(answer)[part]


@pytest.mark.parametrize(
    ("answer", "part"),
    [
        ("A nonce value was reused.", "situation"),
        ("Army task forces.", "task"),
        ("Hi first-timers.", "action"),
        ("Within the end zone.", "result"),
        ("Unfinally done.", "result"),
    ],
)
def test_an_english_cue_inside_a_word_does_not(answer: str, part: str) -> None:
    assert not _present(answer)[part]
