"""A key point's English phrasing in the other orders answers use (coach.text.phrase_forms)."""

from __future__ import annotations

import re

import pytest

from coach.text.match import compile_phrases
from coach.text.normalize import normalize
from coach.text.phrase_forms import (
    negated_forms,
    participle_source,
    passive_parts,
    subject_parts,
)


def _key_point_matches(phrase: str, answer: str) -> bool:
    pattern = compile_phrases([phrase], gaps=True)
    assert pattern is not None
    return pattern.search(normalize(answer).text) is not None


def _trigger_matches(phrase: str, answer: str) -> bool:
    pattern = compile_phrases([phrase])
    assert pattern is not None
    return pattern.search(normalize(answer).text) is not None


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("come into the branch", "they can come into a branch with ID"),  # another article
        ("lift the block", "lift their temporary block"),
        ("refund the fee", "the fee was refunded the same day"),  # the passive order
        ("refund it", "I'd have it refunded today"),
        ("verify*identity", "once their identity is verified"),
        ("raise the limit", "the limit can be raised for a week"),
        ("stop the payment", "the payment was stopped"),  # a doubled consonant
        ("authorise the payment", "the payment was authorized"),  # -ise and -ize
        ("hold the funds", "the funds are held"),  # an irregular participle
        ("release*energy", "energy is released in respiration"),
        ("raise the limit", "If it's the daily limit, I can raise it for you"),  # a pronoun
        ("raise the limit", "They hit their limit. I'd raise it"),  # named the sentence before
        ("confirm the transaction", "read the transactions to them and confirm them"),
        ("apy is higher", "APY includes compounding, so it's higher"),  # a subject pronoun
        ("prices are rising", "Prices went up in May. They are still rising"),
        ("do not disclose", "end the call without disclosing anything"),  # negation reworded
        ("not disclose", "disclose nothing, direct them to a branch"),
        ("don't share", "I would never share the balance"),
        ("can't promise", "nobody can promise a return on shares"),
        ("cannot guarantee", "no one can guarantee that"),
        ("doesn't include compounding", "APR includes no compounding"),
    ],
)
def test_a_key_point_meets_its_other_word_orders(phrase: str, answer: str) -> None:
    assert _key_point_matches(phrase, answer)


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("security questions", "questions about security"),  # no verb: no passive order
        ("refund the fee", "the fee was not refunded"),  # a negation fills no gap
        ("refund the fee", "the fee refunds"),  # the passive needs the participle
        ("verify*identity", "identity. It was verified"),  # not across a sentence
        ("can't guarantee", "I can guarantee that nothing goes wrong"),  # words kept together
        ("can't guarantee", "I can guarantee it"),
        ("raise the limit", "I'd raise it with my manager"),  # no limit named: "it" is no limit
        ("raise the limit", "I'd raise it. Then the limit"),  # named after, not before
        ("raise the limit", "The limit was hit. I called. Then I'd raise it"),  # too far back
        ("apy is higher", "it is higher"),  # APY never named
        ("not share", "I share the code with them"),  # the verb alone is no refusal
        ("do not disclose", "disclose the balance, nothing else"),  # "nothing" not after it
    ],
)
def test_a_key_point_does_not_meet_other_words(phrase: str, answer: str) -> None:
    assert not _key_point_matches(phrase, answer)


def test_deduction_triggers_keep_their_words_as_written() -> None:
    """A trigger is matched as written: no passive, no dropped article, no reworded negation."""
    assert _trigger_matches("refund the fee", "refund the fee")
    assert not _trigger_matches("refund the fee", "the fee was refunded")
    assert not _trigger_matches("refund the fee", "refund your fee")
    assert not _trigger_matches("you will not lose", "you will never lose")


def test_passive_parts_read_a_verb_and_its_object() -> None:
    assert passive_parts(["refund the fee"]) == ("refund", "fee")
    assert passive_parts(["verify", "identity"]) == ("verify", "identity")
    assert passive_parts(["refund it"]) == ("refund", "it")
    assert passive_parts(["hold"]) is None  # no object
    assert passive_parts(["security questions"]) is None  # nothing marks a verb
    assert passive_parts(["verify identity"]) is None  # a verb or a noun: left alone
    assert passive_parts(["look at the account"]) is None  # a phrasal verb
    assert passive_parts(["the block"]) is None
    assert passive_parts(["a", "b", "c"]) is None


def test_subject_parts_read_a_noun_and_what_is_said_of_it() -> None:
    assert subject_parts(["apy", "is", "higher"]) == ("apy", ["it", "is", "higher"])
    assert subject_parts(["the", "prices", "are", "rising"]) == (
        "prices",
        ["they", "are", "rising"],
    )
    assert subject_parts(["apy", "higher"]) is None
    assert subject_parts(["it", "is", "higher"]) is None  # a pronoun already


@pytest.mark.parametrize(
    ("verb", "participle", "other"),
    [
        ("refund", "refunded", "refundd"),
        ("verify", "verified", "verifyed"),
        ("confirm", "confirmed", "confirmmed"),
        ("stop", "stopped", "stops"),
        ("release", "released", "releaseed"),
        ("authorise", "authorized", "authorizd"),
        ("lose", "lost", "losed"),
    ],
)
def test_participles(verb: str, participle: str, other: str) -> None:
    assert re.fullmatch(participle_source(verb), participle)
    assert not re.fullmatch(participle_source(verb), other)


def test_negated_forms_reword_the_negated_verb_only() -> None:
    assert negated_forms(["do", "not", "disclose"]) == [
        ["never", "disclose"],
        ["without", "disclose"],
        ["disclose", "nothing"],
    ]
    assert ["nobody", "can", "promise"] in negated_forms(["can't", "promise"])
    assert ["nobody", "can", "promise"] in negated_forms(["can", "not", "promise"])
    assert negated_forms(["not", "your", "name"]) == []  # no verb after the negation
    assert negated_forms(["security", "questions"]) == []
