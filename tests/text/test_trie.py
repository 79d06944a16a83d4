"""Tries of plain words, cut by first character: they find exactly where a word starts."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.text.grading_concepts import CONCEPTS, vocabulary
from coach.text.lexicon_patterns import _entry_sources, _narrowed, compile_lexicon
from coach.text.normalize import normalize
from coach.text.reveal import reveal
from coach.text.trie import MAX_BRANCHES, branch_groups, by_first_character, tries
from tests.rubric.support import samples
from tests.support import DATA

BANKS = ("account-manager", "bank-smart-cs", "finance-cs-manager")


def _english() -> list[dict[str, Any]]:
    lines = (DATA / "english" / "labels_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# Latin letters, ideographs and a few other scripts, so that every kind of group is made.
_CHARS = "abcde评分满给回答我的是вгдこに"
_WORDS = st.sets(st.text(alphabet=_CHARS, min_size=1, max_size=4), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.text(alphabet=_CHARS + " 。", max_size=40))
def test_a_word_starts_where_one_of_the_tries_matches(words: set[str], text: str) -> None:
    scans = tries(words)
    for at in range(len(text) + 1):
        expected = any(text.startswith(word, at) for word in words)
        assert any(scan.match(text, at) for scan in scans) == expected


def test_a_script_with_many_first_characters_is_cut_into_even_parts() -> None:
    ideographs = {chr(0x4E00 + k) for k in range(200)}
    groups = branch_groups({*ideographs, *"abc"})
    assert {"a", "b", "c"} in groups
    cut = [group for group in groups if group <= ideographs]
    assert len(cut) == 3 and {len(group) for group in cut} == {66, 67}
    assert all(len(group) <= MAX_BRANCHES for group in groups)


def test_special_characters_are_matched_literally() -> None:
    (scan,) = tries({"a.b", "(x"})
    assert scan.match("a.b") and scan.match("(x") and not scan.match("axb")


# -- alternations gathered by first character ------------------------------------------------

_PIECES = [
    "a",
    "b",
    "ab",
    "c",
    "\\-",
    "\\.",
    "x?",
    "(?:a|b)",
    "[ab]",
    "(?<!a)",
    "(?!b)",
    "b*",
    " ?",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4), min_size=1, max_size=8),
    st.text(alphabet="abc-. x", max_size=30),
)
def test_gathered_sources_match_as_the_plain_alternation(
    pieces: list[list[str]], text: str
) -> None:
    sources = ["".join(parts) for parts in pieces]
    plain = re.compile("|".join(sources))
    gathered = re.compile(by_first_character(sources))
    assert [m.span() for m in gathered.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_sources_that_share_a_first_character_are_gathered_behind_it() -> None:
    assert by_first_character(["ab", "ac", "b", "a?d"]) == "ab|ac|b|a?d"  # "a?" is no literal
    assert by_first_character(["ab", "b", "ac"]) == "a(?:b|c)|b"
    assert by_first_character(["\\-x", "\\-y", "z"]) == "\\-(?:x|y)|z"
    assert by_first_character(["abc", "abd", "ax", "b"]) == "a(?:b(?:c|d)|x)|b"  # and deeper
    assert by_first_character(["你们", "你哋", "你"]) == "你(?:们|哋|)"  # the empty rest last
    # Neighbours behind the same word-start test share it; the order stays as it was.
    gathered = by_first_character(["s(?<![a]s)b", "s(?<![a]s)c", "sd", "s(?<![a]s)e", "s"])
    assert gathered == "s(?:(?<![a]s)(?:b|c)|d|(?<![a]s)e|)"


def test_every_concept_finds_what_its_plain_alternation_finds() -> None:
    texts = [normalize(s["text"]).text for bank in BANKS for s in samples(bank)]
    texts += [normalize(line["answer"]).text for line in _english()]
    texts = [reveal(text, vocabulary()).text for text in texts]
    for name, lexicon in CONCEPTS.items():
        entries = {e for line in lexicon for e in line.split("|") if e.strip("*' ")}
        sources = sorted(
            {source for entry in entries for source in _entry_sources(entry)},
            key=lambda s: (-len(s), s),
        )
        plain = re.compile("|".join(sources))
        gathered = compile_lexicon(lexicon)
        if len({source[0] for source in sources}) < len(sources):
            # entries sharing a first character are gathered under it: the test compares
            # two different patterns (a lexicon whose entries all start apart stays as it is)
            assert gathered.pattern != plain.pattern, name
        for text in texts:
            found = [m.span() for m in gathered.finditer(text)]
            assert found == [m.span() for m in plain.finditer(text)], name


def test_narrowed_letter_tests_match_as_the_one_class_does() -> None:
    # Accented and Cyrillic letters at both edges of an entry (folded text), and elided forms.
    entries = ("score", "score*", "*mark", "high* grade", "'evaluation", "оценк*", "bareme")
    texts = [
        "score scores ascore éscore scoreé scoreж жscore the score, score-based",
        "high grade highest grade highéé grade xhigh grade l'evaluation qu'evaluation",
        "éevaluation evaluationж оценка высшая оценкой поценка bareme baremes ébareme d'evaluation",
    ]
    for entry in entries:
        plain = re.compile("|".join(_entry_sources(entry)))
        narrowed = re.compile("|".join(_narrowed(source) for source in _entry_sources(entry)))
        assert plain.pattern != narrowed.pattern, entry
        for text in texts:
            assert [m.span() for m in narrowed.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], entry
