"""English words of rubric phrases match the forms candidates write (coach.text.english)."""

from __future__ import annotations

import pytest

from coach.text.english import stem
from coach.text.match import compile_phrases
from coach.text.normalize import normalize


def _matches(phrase: str, answer: str) -> bool:
    pattern = compile_phrases([phrase])
    assert pattern is not None
    return pattern.search(normalize(answer).text) is not None


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("types", "there are two type of account"),  # the rubric's plural, the answer's singular
        ("type", "typing the code"),
        ("verify", "I verified it"),
        ("verify", "after verification"),
        ("verify identity", "verifying identity first"),
        ("apologise", "we apologized twice"),  # -ise and -ize
        ("apologise", "apologising"),
        ("apologi", "my apologies"),  # cut short on purpose
        ("stop", "the payment was stopped"),  # a doubled consonant
        ("guarantee", "I cannot garantee a return"),  # a letter dropped
        ("tolerance", "their risk tollerance"),  # a letter added
        ("compounding", "includes compuonding"),  # two letters swapped
        ("ribosome", "1)nucleus2)ribosome3)membrane"),  # numbers glued to words
        ("how long*rinsed", "how long the samples were rinsed"),  # a gap of words
        ("apr*4.5%", "the apr is about 4.5%"),  # a decimal point is no full stop
        ("lose value", "the fund lost value"),  # an irregular past
        ("fall as well as rise", "prices fell as well as rose"),
        ("can't guarantee", "I cant guarantee it"),  # the apostrophe left out
        ("can't guarantee", "I can\u2019t guarantee it"),  # a curly one (normalizing drops it)
        ("can't guarantee", "I can not guarantee it"),  # written out
        ("cannot guarantee", "I can't guarantee it"),
        ("won't promise", "I will not promise that"),
        ("doesn't include compounding", "it does not include compounding"),
        ("does not include compounding", "it doesn't include compounding"),
        ("you have won", "it claims you've won a prize"),
        ("mother's maiden name", "your mothers maiden name"),
    ],
)
def test_an_english_phrase_meets_the_forms_candidates_write(phrase: str, answer: str) -> None:
    assert _matches(phrase, answer)


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("account", "the accountant"),  # another word, not a form of this one
        ("fee", "feel free"),
        ("rate", "a separate"),  # inside another word
        ("guarantee", "a guardian"),  # more than one slip
        ("verify", "verfy"),  # short words get no typo allowance
        ("atm", "atmosphere"),
        ("how long*rinsed", "how long. later they rinsed"),  # not across a sentence
        ("can't guarantee", "I can guarantee it"),
        ("won't promise", "I will promise that"),
        ("go down", "prices went down"),  # a form with another first letter is left out
        ("includes compounding", "includes the effect of compounding"),  # gaps: key points only
    ],
)
def test_an_english_phrase_does_not_meet_other_words(phrase: str, answer: str) -> None:
    assert not _matches(phrase, answer)


def _key_point_matches(phrase: str, answer: str) -> bool:
    pattern = compile_phrases([phrase], gaps=True)
    assert pattern is not None
    return pattern.search(normalize(answer).text) is not None


@pytest.mark.parametrize(
    ("phrase", "answer", "matches"),
    [
        ("includes compounding", "APY includes the effect of compounding", True),
        ("call back", "I would call them back", True),
        ("interest on the interest", "the interest you earn on the interest", True),
        ("not give any", "I will not give out any information", True),
        ("lose value", "funds like this lost a fifth of their value", False),  # four words
        ("i understand", "I do not understand why", False),  # a negation fills no gap
        ("i understand", "I really don't understand", False),
        ("lift the block", "lift it. The block", False),  # not across a sentence
        ("security questions", "security, then questions", False),  # nor a clause
    ],
)
def test_a_key_point_phrase_lets_a_few_words_stand_between_its_words(
    phrase: str, answer: str, matches: bool
) -> None:
    assert _key_point_matches(phrase, answer) is matches


def test_stems_drop_inflections_and_silent_e() -> None:
    assert stem("typing") == stem("typed") == stem("types") == stem("type") == "typ"
    assert stem("verified") == stem("verifies") == "verify"
    assert stem("process") == "process" and stem("status") == "status"


def test_bare_english_terms_are_a_keyword_list_and_short_sentences_are_not() -> None:
    from coach.text.term_list import looks_like_keyword_list

    def listed(answer: str) -> bool:
        text = normalize(answer).text
        return looks_like_keyword_list(answer, text, text)

    assert listed("Urgency, suspicious links, requests for passwords, generic greeting.")
    assert listed("Osmosis, Flagellum, Diffusion")
    assert listed("1)urgency 2)fake link 3)password request")
    assert not listed("I apologise. I escalate.")
    assert not listed("I would apologise, check the account and refund the fee.")


@pytest.mark.parametrize(
    "answer",
    [
        "n/2；\n（3*n+1）/4；",  # formulas, one per part of the question
        "（1）n/2\n（2）（2n+1）/3",
        "（n+1）/2\n（2*n+3）/2",
        "int QueueEmpty(Stack S1, Stack S2){ if(StackEmpty(S1) && StackEmpty(S2)){ return 1; }"
        " else return 0; }",  # code
        "问题一：int Input(Stack S1,Stack S2,int e){ if(!Full(S1)){ Push(S1,e); return 1; } }",
    ],
)
def test_formulas_and_code_are_answers_not_keyword_lists(answer: str) -> None:
    from coach.text.content import content_of
    from coach.text.term_list import looks_like_keyword_list

    text = normalize(answer).text
    assert not looks_like_keyword_list(answer, text, content_of(text))
