"""A revealed reading of text, for detection only, with a map back to the text it came from.

An instruction to the grader can be disguised so that a model still reads it but a pattern does
not: zero-width, bidi-control or tag characters inside words, look-alike letters from other
scripts ("іgnоrе" with Cyrillic і, о, е), full-width, mathematical or enclosed letters, emoji
or dots between letters ("g🙂i🙂v🙂e", "忽.略.评.分"), letters spaced out ("f u l l"),
leetspeak ("fu11 m4rk5"), a scanner's "rn" for "m" ("ful1 rnarks"), emoji between pieces of
words ("full🔥marks", "ig🔥nore") or for a grade ("💯", "⭐⭐⭐", "🔟"); a dash between words
breaks the clause there, as a comma does. `reveal` undoes each of these in a copy of the text
that is only ever searched, never shown or scored: `Revealed.span` maps its characters back to
the input, so what is found there is reported as the input's own sentences.

Leetspeak and run-together letters are resolved only into words the caller knows (`vocabulary`),
so "b2b", "mp3" or "a1" are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Collection
from dataclasses import dataclass
from itertools import product

from coach.text.checklist import CHECKED_BOX, TICKS

_DROPPED = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me", "So", "Sk"})
# Letters of other scripts drawn like Latin ones (lower case: the text is case-folded, so
# capitals such as Cyrillic В, Н or М arrive as в, н, м). One character for one.
_CONFUSABLE = {
    **dict(zip("аеорсухіјѕԁһԛԝӏвмнткгпь", "aeopcyxijsdhqwlbmhtkrnb", strict=True)),
    **dict(zip("αβεικνορτυχγηωμ", "abeiknoptuxynwu", strict=True)),
    **dict(zip("օսոհցզլ", "ounhgql", strict=True)),
}
# Latin look-alikes that NFKC keeps: small capitals, IPA letters, negative circled and squared
# letters, regional indicators.
_LATIN_LIKE = {
    **dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", strict=True)),
    **dict(zip("ɡıȷɑɩʀɪℓ", "gijairil", strict=True)),
    **{chr(0x1F150 + i): chr(97 + i) for i in range(26)},
    **{chr(0x1F170 + i): chr(97 + i) for i in range(26)},
    **{chr(0x1F1E6 + i): chr(97 + i) for i in range(26)},
}
# Emoji that stand for a grade: a hundred points, ten, a row of stars. Other pictographs read as
# a break between pieces of a word ("full🔥marks", "ig🔥nore"), like a hyphen.
_GRADE_EMOJI = re.compile("\U0001f4af+|(?:[\u2b50\u2605\U0001f31f]\ufe0f? ?){3,}")
_EMOJI_WORDS = {"\U0001f51f": "10"}
_PICTOGRAPH = "*"
_TAG_BASE = 0xE0000
# Characters every answer is mostly made of; only the rest is folded, one character at a time.
_IRREGULAR = re.compile(r"[^a-z0-9 \u4e00-\u9fff\u3400-\u4dbf。，.%/]")
# Text with nothing to undo is made of ideographs, ASCII letters and digits, single spaces,
# "，", "。" and "%", with no single letters or ideographs spaced out by them ("忽，略，评，分").
# (One class, with two spaces looked for apart: `re` skips in C to a class's characters, while
# an alternation is tried at every character.)
_IRREGULAR_FOR_PLAIN = re.compile(r"[^a-z0-9\u4e00-\u9fff\u3400-\u4dbf。，% ]")
_MAX_MARKS = 8  # marks in numbers looked at one by one before taking the long way
_SPACED_IN_PLAIN = re.compile(r"[ ，%][^\W_][ ，%]{1,3}[^\W_](?![^\W_])")
_IN_NUMBER = re.compile(r"[./+](?<=\d[./+])(?=\d)")  # "3.5", "10/12", "1+1"
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_BREAK = re.compile(r"[。.!?\n]")
_LATIN = re.compile("[a-z]")
_OTHER_SCRIPT = re.compile("[\u0370-\u058f]")
# A run of single letters or ideographs, each apart from the next by a few non-letters:
# "i g n o r e", "忽.略.评.分", "f-u-l-l". (Four or more: "a, b, c" lists stay as they are.)
_SPACED = re.compile(r"[^\W_](?<![^\W_]{2})(?:(?:[^\w。]|_){1,3}[^\W_](?![^\W_])){3,}")
# Latin pieces joined by symbols inside one word: "ig-no-re", "dis.re.gard".
_PIECES = re.compile(r"[a-z](?<![a-z]{2})[a-z]*(?:[-._*|~+]+[a-z]+)+(?![a-z])")
_PIECE_SEP = re.compile(r"[-._*|~+]+")
_LEET_TOKEN = re.compile(r"[a-z0-9@$|](?<![a-z0-9@$|]{2})[a-z0-9@$|]{2,}(?![a-z0-9@$|])")
_LEET_HINT = re.compile(r"[0-9@$|](?:(?<=[a-z].)|(?=[a-z]))")  # a letter beside a digit
_LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
_LEET.update({"@": "a", "$": "s", "|": "li", "6": "g"})
_LEET_MAX_READINGS = 64
# A word with "rn" in it, which a scanner (or an attacker imitating one) may have made of "m".
_RN_WORD = re.compile(r"[a-z]*rn[a-z]*")
# A full stop after a word or a number ends a sentence as "。" does, unless a letter or digit
# follows it (normalization keeps "." for "3.5", "e.g", "www.example.com").
_FULL_STOP = re.compile(r"\.(?<=[^\W_]\.)(?![a-z0-9])")
# Markup and symbols left between words once the rest is folded: read as a space.
# A Markdown checked box ("- [x] item", its brackets folded away by normalization): a tick.
_CHECKBOX = re.compile(r"[-*+\u2022] ?x(?= ?[^\W\d_])")
_SYMBOLS = re.compile(rf"[^\w\s。，%'./+{TICKS}]")
_DASH = re.compile("[\u2013\u2014\u2015]+")  # a dash between words breaks the clause there
_LOOSE_MARKS = re.compile(r"[./+](?<!\d[./+])(?!\d)")  # ("3.5%", "10/10" keep theirs)
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_WIDE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff。，"  # ideographs and kana: no spaces between
_WIDE_SPACE = re.compile(rf" (?<=[{_WIDE}] )| (?=[{_WIDE}])")
MAX_WORD = 24  # the longest word looked for when splitting run-together letters


@dataclass(frozen=True, slots=True)
class Revealed:
    """The revealed text and, for each of its characters, the index of the input one."""

    text: str
    source: tuple[int, ...] | None  # None: the text is the input itself, index for index

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input range that revealed characters `[start, end)` came from."""
        if self.source is None:
            return start, end
        return self.source[start], self.source[end - 1] + 1

    def origins(self) -> tuple[int, ...]:
        """The input index of every revealed character."""
        return tuple(range(len(self.text))) if self.source is None else self.source


def reveal(text: str, vocabulary: Collection[str] = frozenset()) -> Revealed:
    """`text` with disguises undone (see the module docstring), mapped back to `text`."""
    if _plain(text) and not _scanned_rn(text, vocabulary):
        return Revealed(text, None)  # most answers: nothing to undo
    source = list(range(len(text)))
    folded, source = _rewrite(text, source, _GRADE_EMOJI, lambda m: " full marks ")
    folded, source = _rewrite(folded, source, _IRREGULAR, lambda m: fold_char(m.group()))
    folded = _fold_lookalike_words(folded)
    folded, source = _rewrite(folded, source, _SPACED, lambda m: _join_spaced(m, vocabulary))
    folded, source = _rewrite(folded, source, _PIECES, lambda m: _join_pieces(m, vocabulary))
    if _LEET_HINT.search(folded):
        folded, source = _rewrite(folded, source, _LEET_TOKEN, lambda m: _unleet(m, vocabulary))
    if "rn" in folded:
        folded, source = _rewrite(folded, source, _RN_WORD, lambda m: _unscanned(m, vocabulary))
    folded, source = _rewrite(folded, source, _FULL_STOP, lambda m: "。")
    folded = folded.replace("_", " ")  # one for one: the map holds
    folded, source = _rewrite(folded, source, _CHECKBOX, lambda m: CHECKED_BOX)
    folded, source = _rewrite(folded, source, _DASH, lambda m: "，")
    folded, source = _rewrite(folded, source, _SYMBOLS, lambda m: " ")
    folded, source = _rewrite(folded, source, _LOOSE_MARKS, lambda m: " ")
    folded, source = _rewrite(folded, source, _SPACES, lambda m: " ")
    folded, source = _rewrite(folded, source, _WIDE_SPACE, lambda m: "")
    return Revealed(folded, tuple(source))


def _unscanned(match: re.Match[str], vocabulary: Collection[str]) -> str | None:
    """A word read as a scanner misreads it, "rn" for "m" ("rnarks", "cornplaint"), as the
    known word it stands for; a known word ("learn", "turn") is left as it is."""
    word = match.group()
    if word in vocabulary:
        return None
    fixed = word.replace("rn", "m")
    return fixed if fixed in vocabulary else None


def _scanned_rn(text: str, vocabulary: Collection[str]) -> bool:
    """Whether `text` holds a word that `_unscanned` reads as another (English answers hold
    "rn" often: "learn", "concern"; only a word the vocabulary lacks is looked at twice)."""
    return "rn" in text and any(_unscanned(m, vocabulary) for m in _RN_WORD.finditer(text))


def _plain(text: str) -> bool:
    """Whether `text` has nothing to undo: no character to fold (a mark inside a number is
    fine), no letters beside digits, nothing spaced out, no space beside an ideograph."""
    if "  " in text:
        return False
    for count, match in enumerate(_IRREGULAR_FOR_PLAIN.finditer(text)):
        if count >= _MAX_MARKS or not _IN_NUMBER.match(text, match.start()):
            return False
    return (
        _LEET_HINT.search(text) is None
        and _SPACED_IN_PLAIN.search(text) is None
        and _WIDE_SPACE.search(text) is None
    )


_FOLDED: dict[str, str] = {}


def fold_char(char: str) -> str:
    """One character as the revealed text reads it ('' when it is dropped)."""
    folded = _FOLDED.get(char)
    if folded is None:
        folded = _FOLDED[char] = _fold(char)
    return folded


def _fold(char: str) -> str:
    code = ord(char)
    if _TAG_BASE + 0x20 <= code <= _TAG_BASE + 0x7E:
        return fold_char(chr(code - _TAG_BASE))
    if char.isspace():
        return " "
    if char in _LATIN_LIKE:
        return _LATIN_LIKE[char]
    if char in _EMOJI_WORDS:
        return _EMOJI_WORDS[char]
    if char in TICKS:
        return char  # a tick names a point ticked off: a checklist (`coach.text.checklist`)
    out = []
    for piece in unicodedata.normalize("NFKC", char).casefold():
        piece = _LATIN_LIKE.get(piece, piece)
        if unicodedata.category(piece) in _DROPPED:
            continue
        if "\u00c0" <= piece <= "\u024f" or "\u1e00" <= piece <= "\u1eff":
            # Accents go: "évaluateur" and "evaluateur" are one word to look for.
            base = unicodedata.normalize("NFD", piece)[0]
            piece = base if base.isascii() else piece
        out.append(piece)
    if not out and ord(char) >= 0x2190 and unicodedata.category(char) == "So":
        return _PICTOGRAPH
    return "".join(out)


def _fold_lookalike_words(text: str) -> str:
    """Look-alike letters read as Latin inside words that mix them with Latin letters, and in
    words made of nothing else when their sentence is mostly Latin. Russian words stay Russian
    (a Russian sentence after an English one too)."""
    if _OTHER_SCRIPT.search(text) is None:
        return text
    ends = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    latin = [
        len(_LATIN.findall(part)) > len(_OTHER_SCRIPT.findall(part))
        for part in _SENTENCE_BREAK.split(text)
    ]
    pieces = []
    done = 0
    for word in _WORD.finditer(text):
        letters = word.group()
        if not any(c in _CONFUSABLE for c in letters):
            continue
        mixed = _LATIN.search(letters) is not None
        latin_text = latin[bisect_right(ends, word.start())]
        if mixed or (latin_text and all(c in _CONFUSABLE for c in letters)):
            pieces += [text[done : word.start()], "".join(_CONFUSABLE.get(c, c) for c in letters)]
            done = word.end()
    return "".join([*pieces, text[done:]])


def _rewrite(
    text: str,
    source: list[int],
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str | None],
) -> tuple[str, list[int]]:
    """Replace matches of `pattern` by `replace(match)` (None keeps one), carrying the map: a
    replacement of the same length maps one for one, any other maps to where the match began."""
    pieces: list[str] = []
    mapped: list[int] = []
    done = 0
    for match in pattern.finditer(text):
        new = replace(match)
        if new is None or new == match.group():
            continue
        start, end = match.span()
        pieces.append(text[done:start])
        mapped += source[done:start]
        pieces.append(new)
        if len(new) == end - start:
            mapped += source[start:end]
        else:
            mapped += [source[start]] * len(new)  # (no pattern here matches an empty string)
        done = end
    if not pieces:
        return text, source
    pieces.append(text[done:])
    mapped += source[done:]
    return "".join(pieces), mapped


def _join_spaced(match: re.Match[str], vocabulary: Collection[str]) -> str:
    letters = "".join(c for c in match.group() if c.isalnum())
    if letters.isascii():
        return " ".join(split_words(letters, vocabulary))
    return letters


def _join_pieces(match: re.Match[str], vocabulary: Collection[str]) -> str | None:
    pieces = _PIECE_SEP.split(match.group())
    if all(piece in vocabulary for piece in pieces):
        return None  # words joined by a hyphen or a dot are words already
    joined = "".join(pieces)
    words = split_words(joined, vocabulary)
    return " ".join(words) if all(word in vocabulary for word in words) else None


def _unleet(match: re.Match[str], vocabulary: Collection[str]) -> str | None:
    """A token mixing letters with digits or symbols, read as the known word it spells."""
    token = match.group()
    if token.isalpha() or _LATIN.search(token) is None:
        return None  # a word or a number, not both
    choices = [_LEET.get(char, char) for char in token]
    readings = 1
    for choice in choices:
        readings *= len(choice)
    if readings > _LEET_MAX_READINGS:
        return None
    for letters in product(*choices):
        word = "".join(letters)
        if word in vocabulary:
            return word
        words = split_words(word, vocabulary)
        if len(words) > 1 and all(w in vocabulary for w in words):
            return " ".join(words)
    return None


def split_words(letters: str, vocabulary: Collection[str]) -> list[str]:
    """Run-together letters split into known words, the fewest unknown letters first (then the
    fewest words); `[letters]` when more than a quarter of them fall in no known word."""
    size = len(letters)
    # cost[i]: (unknown letters, pieces) of the best split of letters[:i]; back[i]: where its
    # last piece starts (a piece is a known word or one unknown letter)
    cost = [(0, 0)] + [(size + 1, 0)] * size
    back = [0] * (size + 1)
    for end in range(1, size + 1):
        unknown, pieces = cost[end - 1]
        cost[end], back[end] = (unknown + 1, pieces + 1), end - 1
        for start in range(max(0, end - MAX_WORD), end):
            if letters[start:end] in vocabulary:
                unknown, pieces = cost[start]
                if (unknown, pieces + 1) < cost[end]:
                    cost[end], back[end] = (unknown, pieces + 1), start
    if cost[size][0] * 4 > size:
        return [letters]
    found: list[str] = []
    end = size
    while end > 0:
        found.append(letters[back[end] : end])
        end = back[end]
    words: list[str] = []
    for piece in reversed(found):
        if piece not in vocabulary and words and words[-1] not in vocabulary:
            words[-1] += piece  # unknown letters in a row make one unknown word
        else:
            words.append(piece)
    return words
