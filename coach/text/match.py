"""Phrase matching on normalized text: rubric phrases compiled to regexes, and negation scope.

Chinese has no word boundaries (CJK characters are ``\\w`` to `re`), so phrases match as
substrings; all-ASCII phrases ("ATM", "verify identity") are held to whole words, each word in
the forms of `coach.text.english` (inflections, one typo in a long word). ``A*B`` allows a
short gap inside one sentence: 12 characters, or about six words between English parts. The
words of a key point's English phrasing may stand up to three words apart inside one clause
("includes the effect of compounding" makes "includes compounding"), unless one of those words
is a negation; a deduction's trigger keeps its words together. A
deduction trigger is ignored when its clause negates it before ("我绝不会保证收益") or condemns
it after ("保证收益是违规的"), reports someone else's words ("客户要求我保证收益", "销售说了保本"),
or supposes it ("如果当时销售承诺了保本").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from coach.text.content import IDEOGRAPHS
from coach.text.english import words_source
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END, normalize_phrase
from coach.text.phrase_forms import (
    negated_forms,
    participle_source,
    passive_parts,
    subject_parts,
    without_determiners,
)

GAP_CHARS = 12  # the most characters an 'A*B' gap may hold
GAP_WORDS_CHARS = 40  # ... between two English parts: about six words ("how long * rinsed")
_DEGREE = "最更较"  # what opens a comparison: "最大", "更多", "较低"; no gap before one holds one
FILLER_WORDS = 3  # words a key point's English phrasing may have between two of its words
NEGATION_WINDOW = 10  # how far before a trigger a negation still reaches, inside its clause
CONDEMN_WINDOW = 12  # how far after a trigger a condemnation still reaches

_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9 .'+-]*")

# Negators, without the look-alikes that do not negate (无论, 不管, 未来, 非常, 特别, ...).
_NEGATION = re.compile(
    r"(?<!忍)(?<!不得)不(?![管论仅但断久少光过同满错行由禁住]|得不)|没|未(?!来|必)|无(?!论)|别(?<!特别)(?<!区别)(?<!分别)(?<!级别)"
    r"|勿|莫|严禁|禁止|杜绝|拒绝|避免|防止|切忌|谨防|绝非|并非"
    r"|(?<![a-z])(?:not|never|no|don'?t|won'?t|cannot|can'?t|couldn'?t|wouldn'?t|shouldn'?t"
    r"|doesn'?t|didn'?t|isn'?t|aren'?t|avoid|refuse to|rather than)(?![a-z])"
)
# Someone else's words; "跟客户说" / "对客户说" is the candidate speaking, so it does not count.
# A clause that opens on a demand continues the speaker of the clause before ("客户说…，要求保本").
_REPORTED = re.compile(
    r"(?<![跟和对向给同其])(?:客户|对方|他|她|领导|上级|销售|销售人员|理财经理|客户经理|业务员"
    r"|同事|别人|有人|人家|骗子|他们)(?:要求|说|想|希望|坚持|讲|承诺|答应|保证过|许诺)"
    r"|要求我|让我|希望我|逼我|问我|问能否|是否|能否|如果客户|^(?:要求|坚持要|非要|希望)"
)
# A supposition: what the clause says might have happened is not said by the candidate
# ("如果当时销售说了保证收益之类的话，…我会上报"). A supposition's consequence is asserted: in
# "如果客户坚持，我就保证收益" the trigger is in the next clause.
_SUPPOSED = re.compile(
    r"如果|假如|假设|要是|万一|倘若|若是|(?<![a-z])(?:if|suppose|whether)(?![a-z])"
)
_CONDEMNED = re.compile(
    r"违规|违法|违反|不允许|不被允许|不可以|不能这样|是不对|是错误|错误的|被禁止|是禁止|不合规|红线|大忌"
    r"|不可取|是不行|不行的|误导|(?<![a-z])(?:is|are) (?:not allowed|forbidden|prohibited|wrong)"
)


class Hit(NamedTuple):
    """Where a phrase matched in the normalized text."""

    start: int
    end: int


class Clauses:
    """Clause boundaries of one normalized text, for cutting evidence and scoping negation.

    Both kinds of break are folded to one mark up front, so each lookup is a single search in C.
    """

    __slots__ = ("_marks", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._marks = text.replace(CLAUSE_BREAK, SENTENCE_END)

    def start_before(self, index: int) -> int:
        """Where the clause holding `index` starts (just past the previous break)."""
        return self._marks.rfind(SENTENCE_END, 0, index) + 1

    def end_after(self, index: int) -> int:
        """The first clause break at or after `index`, or the end of the text."""
        end = self._marks.find(SENTENCE_END, index)
        return len(self.text) if end < 0 else end

    def around(self, start: int, end: int, before: int, chars: int) -> tuple[int, int]:
        """The clause holding `[start, end)`, cut to `before` characters ahead of it and to
        about `chars` in all: the span an evidence quote shows."""
        first = self._marks.rfind(SENTENCE_END, 0, start) + 1
        if first < start - before:
            first = start - before
        last = self._marks.find(SENTENCE_END, end)
        if last < 0 or last > first + chars:
            last = max(end, first + chars)
            if last > len(self.text):
                last = len(self.text)
        text = self.text
        while first < start and text[first] == " ":
            first += 1
        return first, last


# Words that may not fill a gap: "i understand" is not "i do not understand".
_NEGATORS = (
    r"(?:not|no|never|nor|none|nothing|without|cannot|[a-z]+n't|dont|doesnt|didnt|wont|cant"
    r"|isnt|arent|wasnt|werent|couldnt|wouldnt|shouldnt|havent|hasnt|hadnt)(?![a-z'])"
)
# Between two words of a key point's phrasing: a space, or a few words that are no negation,
# as English puts them ("includes the effect of compounding", "call them back").
_FILLED_GAP = rf" (?:(?!{_NEGATORS})[a-z0-9'-]+ ){{0,{FILLER_WORDS}}}"


# A character of the sentence: an English full stop stays in normalized text, and ends it too
# unless a digit follows (a decimal point).
_IN_SENTENCE = rf"(?:[^{SENTENCE_END}.]|\.(?=\d))"


def phrase_pattern(phrase: str, *, gaps: bool = False) -> str:
    """Regex source for one rubric phrase (already validated by the rubric model). With
    `gaps` (a key point's phrasing, not a deduction's trigger), its English words may stand a
    few words apart."""
    parts = [normalize_phrase(part) for part in phrase.split("*")]
    source = ""
    for k, part in enumerate(parts):
        if k and _ASCII_WORD.fullmatch(parts[k - 1]) and _ASCII_WORD.fullmatch(part):
            source += rf"{_IN_SENTENCE}{{0,{GAP_WORDS_CHARS}}}?"
        elif k and part[:1] in _DEGREE:
            # A gap before a comparison holds no other comparison: "B*最大" reads "B的质量最大",
            # not "B的质量最小，C的质量最大".
            source += f"(?:(?![{_DEGREE}])[^{SENTENCE_END}]){{0,{GAP_CHARS}}}?"
        elif k:
            source += f"[^{SENTENCE_END}]{{0,{GAP_CHARS}}}?"
        if _ASCII_WORD.fullmatch(part):
            source += _ascii_source(part, _FILLED_GAP if gaps else " ")
        else:
            source += _mixed_source(part, particles=gaps)
    return source


# A formula or number, not a word: a digit, an operator, or a hyphen that joins no two words
# ("n-1", "2n+1", "o(n)"). A letter glued to a digit is part of it ("2n-1" is no "n-1"),
# where a word glued to a list number is still the word ("1)listen2)").
_FORMULA = re.compile(r"\d|[+*/^=]|(?<![a-z]{2})-|-(?![a-z]{2})")
_ASCII_HEAD = re.compile(r"[a-z0-9][a-z0-9.+*/^=-]*")
_ASCII_TAIL = re.compile(r"[a-z0-9.+*/^=-]*[a-z0-9]$")


def _bound(run: str, edge: str) -> str:
    """The characters that may not touch `run` (an ASCII run at a phrase's edge) at `edge`, its
    first or last character: letters and digits around a digit or a formula's letter, letters
    around a word's (or an operator, which nothing glues to)."""
    if edge.isdigit() or (edge.isalpha() and _FORMULA.search(run)):
        return "a-z0-9"
    return "a-z"


def _mixed_source(part: str, *, particles: bool = False) -> str:
    """A part that is not all ASCII words ("n-1个", "o1时间", "保证收益") as a substring, except
    that an ASCII run at either edge is held to its whole word or formula: "n-1个" is not in
    "2n-1个", nor "1个" in "21个". The start test goes after the first character (see
    `_ascii_source`). With `particles`, a 的 may stand between two of its Chinese characters
    ("相反方向" in "相反的方向"): it ties a modifier to its noun and changes nothing a key
    point asks for."""
    head, tail = _ASCII_HEAD.match(part), _ASCII_TAIL.search(part)
    escape = _with_particles if particles else re.escape
    source = escape(part)
    if head:
        first = re.escape(part[0])
        bound = _bound(head.group(), part[0])
        source = rf"{first}(?<![{bound}]{first}){escape(part[1:])}"
    if tail:
        source += rf"(?![{_bound(tail.group(), part[-1])}])"
    return source


_PARTICLE = "的"
_BETWEEN_IDEOGRAPHS = re.compile(
    f"(?<=[{IDEOGRAPHS}])(?<!{_PARTICLE})(?=[{IDEOGRAPHS}])(?!{_PARTICLE})"
)


def _with_particles(part: str) -> str:
    """`re.escape(part)` with an optional 的 between each two ideographs that are not 的."""
    return "".join(
        f"{_PARTICLE}?{re.escape(piece)}" if k else re.escape(piece)
        for k, piece in enumerate(_BETWEEN_IDEOGRAPHS.split(part))
    )


def _other_orders(phrase: str) -> list[str]:
    """Regex sources for a key point's English phrase as answers also say it
    (`coach.text.phrase_forms`): a "verb object" phrase in the passive ("the fee was refunded"
    for "refund the fee") or with a pronoun for a noun just named ("raise it"), a negated verb
    as "never ...", "... nothing", "without ...", "nobody can ..." (those with their words
    together, as written)."""
    parts = [normalize_phrase(part) for part in phrase.split("*")]
    if not all(_ASCII_WORD.fullmatch(part) for part in parts):
        return []
    sources = []
    # Without typo tolerance: a slip in a reordered phrase is rarer than either alone, and
    # each form with it would double the regex a key point compiles to.
    found = passive_parts(parts)
    if found is not None:
        verb, object_words = found
        participle = participle_source(verb) + "(?![a-z])"
        object_source = _ascii_source(object_words, _FILLED_GAP, typos=False)
        sources.append(object_source + _FILLED_GAP + participle)
        if " " not in object_words and object_words != "it":
            said = _ascii_source(verb, typos=False) + " (?:it|them)(?![a-z])"
            sources.append(_after_naming(object_words, said))
    if len(parts) == 1:
        words = [word for word in parts[0].split(" ") if word]
        negated = negated_forms(words)
        sources += [_ascii_source(" ".join(form), typos=False) for form in negated]
        subject = subject_parts(words)
        if subject is not None:
            noun, said_words = subject
            said = _ascii_source(" ".join(said_words), _FILLED_GAP, typos=False)
            sources.append(_after_naming(noun, said))
    return sources


def _after_naming(noun: str, said: str) -> str:
    """`said` (a phrase with a pronoun for `noun`: "raise it", "it's higher") when the answer
    named `noun` before, in the same sentence or the one before: the pronoun stands for a noun
    the answer has just used (and for nothing the rubric asks about when it has not). The
    match spans both."""
    antecedent = rf"(?:{_IN_SENTENCE}*[{SENTENCE_END}.])?{_IN_SENTENCE}*?"
    return _ascii_source(noun, typos=False) + antecedent + said


def _ascii_source(part: str, gap: str = " ", *, typos: bool = True) -> str:
    """A part of ASCII words ("ATM", "verify identity"), held to whole words, each in the forms
    `coach.text.english` accepts. The word-start test goes after the first letter, not before
    it: a pattern whose every branch opens with a literal lets `re` skip ahead to candidate
    characters, and one leading lookbehind would make it try every position of the answer.
    Only letters bound a word, so "them2)" still ends "them"; a digit bounds a digit."""
    words = [word for word in part.split(" ") if word]
    if gap != " ":  # a key point's phrasing: any determiner, or none, between its words
        words = without_determiners(words)
    first = re.escape(words[0][0])
    before, after = _bound(part, words[0][0]), _bound(part, words[-1][-1])
    # Every form `word_source` accepts keeps the word's first character, written first.
    body = words_source(words, gap, typos=typos)[len(first) :]
    return rf"{first}(?<![{before}]{first}){body}(?![{after}])"


def compile_phrases(phrases: Iterable[str], *, gaps: bool = False) -> re.Pattern[str] | None:
    """One regex matching any of `phrases`; None when there are none (or all fold to nothing).
    `gaps`: as `phrase_pattern`'s."""
    kept = [p for p in phrases if normalize_phrase(p.replace("*", ""))]
    sources = {phrase_pattern(p, gaps=gaps) for p in kept}
    if gaps:
        sources.update(source for p in kept for source in _other_orders(p))
    if not sources:
        return None
    # Longest first, so the reported span is the most specific phrasing.
    ordered = sorted(sources, key=lambda source: (-len(source), source))
    return re.compile("|".join(f"(?:{source})" for source in ordered))


def first_hit(pattern: re.Pattern[str] | None, text: str) -> Hit | None:
    if pattern is None:
        return None
    match = pattern.search(text)
    return Hit(match.start(), match.end()) if match else None


def asserted_hits(pattern: re.Pattern[str], clauses: Clauses) -> Iterator[Hit]:
    """Matches of a trigger that the answer really asserts (not negated, condemned or reported)."""
    text = clauses.text
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        clause_start = clauses.start_before(start)
        before = text[max(clause_start, start - NEGATION_WINDOW) : start]
        if _NEGATION.search(before) or _REPORTED.search(before):
            continue
        if _SUPPOSED.search(text, clause_start, start):
            continue
        after = text[end : min(clauses.end_after(end), end + CONDEMN_WINDOW)]
        if _CONDEMNED.search(after):
            continue
        yield Hit(start, end)
