"""Regexes that find where any of many plain words starts, shaped as tries.

An alternation of hundreds of words makes `re` try every word at every position. A trie
("评(?:分|语)|满分|...") lets it follow only the branch of the character it sees, but its top
level is still one branch per first character, tried in turn at every character that may start
a word: with 200 first characters, every letter of an English answer and many a common
ideograph pays for the whole row. So the words are cut by first character into a few tries,
by script and at most `MAX_BRANCHES` first characters each: a text meets the branches of its
own script's tries only, and each try is a short row. Together they find the same positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

MAX_BRANCHES = 96  # first characters in one trie (each trie is one more scan of the text)


class _Node(dict[str, "_Node"]):
    """A trie node: the characters that may follow, "" when a word ends here."""


def trie_source(words: Iterable[str]) -> str:
    """One regex for "one of `words` starts here", shaped as a trie. A word that starts
    another is enough alone: the regex matches the shortest word at a position."""
    trie = _Node()
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, _Node())
        node[""] = _Node()

    def emit(node: _Node) -> str:
        if "" in node:
            return ""
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(trie)


def branch_groups(firsts: Iterable[str]) -> list[set[str]]:
    """First characters by script (ASCII, CJK ideographs, the rest), each script cut into even
    parts of at most `MAX_BRANCHES`."""
    scripts: dict[int, list[str]] = {}
    for char in sorted(set(firsts)):
        script = 0 if char.isascii() else 1 if "\u4e00" <= char <= "\u9fff" else 2
        scripts.setdefault(script, []).append(char)
    groups = []
    for chars in scripts.values():
        parts = -(-len(chars) // MAX_BRANCHES)
        size = -(-len(chars) // parts)
        groups += [set(chars[k : k + size]) for k in range(0, len(chars), size)]
    return groups


def tries(words: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """`words` as one trie per group of first characters (`branch_groups`): the positions
    where a word starts are those where one of them matches."""
    kept = {word for word in words if word}
    return tuple(
        re.compile(trie_source(word for word in kept if word[0] in group))
        for group in branch_groups(word[0] for word in kept)
    )


# One literal character (itself, or escaped) that no quantifier makes optional or repeats.
_LITERAL_HEAD = re.compile(r"(?:\\[^0-9A-Za-z]|[^\\()\[\]{}|.?*+^$ ])(?![?*+{])")


def by_first_character(sources: list[str]) -> str:
    """The alternation `a|b|...` of regex `sources`, in their order, with the sources that
    open on one literal character gathered behind it: `x(?:a|b)|y(?:c)`. At any position
    only the sources of the character there can match, tried in their order, so the first
    that matches is the one the plain alternation takes, while `re` tries one branch per
    first character instead of one per source. When a source opens otherwise (a group, a
    class), the plain alternation."""
    return "|".join(_alternatives(sources))


def _alternatives(sources: list[str]) -> list[str]:
    """The branches of `by_first_character`, one per first character (or `sources` as they
    are, when one does not open on a literal)."""
    heads: dict[str, list[str]] = {}
    for source in sources:
        head = _LITERAL_HEAD.match(source)
        if head is None:
            return sources
        heads.setdefault(head.group(), []).append(source[head.end() :])
    return [head + _alternation(_gathered(rests)) for head, rests in heads.items()]


def _gathered(rests: list[str]) -> list[str]:
    """What follows one first character, gathered the same way again (by the next literal,
    or behind a shared lookbehind): a trie as deep as the sources allow, in their order."""
    if len(rests) == 1:
        return rests
    if any(_lookbehind(rest) is not None for rest in rests):
        return _behind_factored(rests)
    return _alternatives(rests)


# A lookbehind with no group inside, such as the word-start test that follows the first letter
# of a Latin entry ("s(?<![a-z]s)core").
_LOOKBEHIND = re.compile(r"\(\?<!\[[^\]]*\][^()]*\)")


def _behind_factored(rests: list[str]) -> list[str]:
    """`rests` with each run of neighbours that open on the same lookbehind written once
    behind it: `(?<!x)a|(?<!x)b|c` as `(?<!x)(?:a|b)|c`. Only neighbours, so the order in
    which alternatives are tried, and so the match, stay the same."""
    merged: list[str] = []
    for test, run in groupby(rests, key=_lookbehind):
        if test is None:
            merged += run
        else:
            merged.append(test + _alternation(_gathered([rest[len(test) :] for rest in run])))
    return merged


def _lookbehind(source: str) -> str | None:
    head = _LOOKBEHIND.match(source)
    return None if head is None else head.group()


def _alternation(sources: list[str]) -> str:
    return sources[0] if len(sources) == 1 else f"(?:{'|'.join(sources)})"
