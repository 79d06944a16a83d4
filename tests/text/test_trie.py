"""Tries of plain words, cut by first character: they find exactly where a word starts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.text.trie import MAX_BRANCHES, branch_groups, tries

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
