"""`requires: explanation`: a key point that must be described, not only named, on both paths."""

from __future__ import annotations

from typing import Any

import pytest

import coach
from coach.llm.render import render_rubric
from coach.testing import FakeJudge
from coach.text.normalize import normalize
from coach.text.substance import described, explains


def _bank(requires: str) -> coach.Bank:
    def kp(kp_id: str, variants: list[str]) -> dict[str, Any]:
        return {"id": kp_id, "text": kp_id, "variants": variants, "requires": requires}

    return coach.Bank.model_validate(
        {
            "id": "explain-demo",
            "title": "Explain demo",
            "role": "Customer service adviser",
            "source": "written for this test",
            "language": "en",
            "questions": [
                {
                    "id": "phishing",
                    "kind": "knowledge",
                    "prompt": "Name and describe three warning signs of a phishing message.",
                    "points": 3,
                    "criteria": [
                        {
                            "id": "signs",
                            "name": "Signs",
                            "points": 3,
                            "description": "One point per sign named and described.",
                            "key_points": [
                                kp("urgency", ["urgency", "urgent"]),
                                kp("link", ["link"]),
                                kp("spelling", ["spelling"]),
                            ],
                        }
                    ],
                    "model_answer": "Urgency: they push you to act at once. A link that leads "
                    "to a fake site. Spelling mistakes a bank would not make.",
                }
            ],
        }
    )


BARE = "Urgency, link, spelling."
DESCRIBED = (
    "Urgency: the message pushes you to act before you think. The link goes to a fake site "
    "with a wrong address. Spelling mistakes that a real bank would never print."
)


def _at(text: str, word: str) -> tuple[str, int, int]:
    folded = normalize(text).text
    start = folded.index(word)
    return folded, start, start + len(word)


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Osmosis, Flagellum, Diffusion", "osmosis", False),
        ("Osmosis, Flagellum, Diffusion", "flagellum", False),
        ("Diffusion is when molecules spread from high to low", "diffusion", True),
        ("Phishing links: the address is not the bank's site.", "phishing", True),
        ("APR and APY", "apy", False),
        ("我会核实身份，比如问密保问题", "核实身份", True),
        ("核实身份、转人工、道歉", "转人工", False),
    ],
)
def test_a_match_is_described_by_its_clause_or_the_one_after_it(
    text: str, word: str, expected: bool
) -> None:
    assert described(*_at(text, word)) is expected


def test_a_quote_explains_when_it_says_more_than_a_term() -> None:
    assert not explains("urgency")
    assert explains("urgency the message pushes you to act")
    assert not explains("核实身份")
    assert explains("核实身份比如问密保问题")


def test_offline_a_bare_list_earns_nothing_where_explanation_is_required() -> None:
    grader = coach.Grader(mode="keyword")
    mention, explain = _bank("mention"), _bank("explanation")
    bare = grader.grade(explain, "phishing", BARE)
    assert bare.criteria[0].key_points_hit == [] and bare.score == 0
    # the same rubric without the requirement credits the bare terms (capped as a term list)
    assert grader.grade(mention, "phishing", BARE).criteria[0].key_points_hit
    full = grader.grade(explain, "phishing", DESCRIBED)
    assert full.criteria[0].key_points_hit == ["urgency", "link", "spelling"]
    assert full.score == 3


def test_the_prompt_tells_the_model_and_a_bare_quote_supports_nothing(
    fake_judge: FakeJudge,
) -> None:
    bank = _bank("explanation")
    question = bank.question("phishing")
    assert render_rubric(bank, question).count("must be explained") == 3
    # A model that credits every key point on the bare list: no quote explains, so no credit
    # survives above the keyword grade (zero).
    fake_judge.push_grade(1.0)
    result = fake_judge.grader().grade(bank, "phishing", BARE)
    assert result.criteria[0].points == 0
    assert result.criteria[0].key_points_hit == []
    assert result.has_flag("unsupported_credit")
    fake_judge.push_grade(1.0)
    described_result = fake_judge.grader().grade(bank, "phishing", DESCRIBED)
    assert described_result.criteria[0].points == 3
