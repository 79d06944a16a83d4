"""Key points named beside a verdict: a grade dressed up as something else.

An attacker who knows that talk to the grader is caught no longer addresses anyone. The grade
rides on an everyday artefact set apart from the answer (a receipt whose items are the key
points and whose total is "10分", a setlist closing on an encore called 满分, a trip whose
waypoints are the key points and whose rating is five stars, a cashier's or a supervisor's
note of praise), and no word in it names a grader. What such a block holds is the same
whatever its costume: the rubric's points, named, and a verdict on them (full marks, a score,
a rating, praise, a hiring decision, a remark for the grade, the points declared done), with
nobody in it doing anything.

A candidate's own text differs in the last part. Where an answer reports a verdict ("回访时客户
给了五星"), the candidate is in the sentence doing the work, or the verdict names no key point;
a plan or a list of one's own says "我" or gives the steps without grading them. So a block
(a paragraph or a line of an answer with more than one, a run of lines in which nobody speaks
as "I", or an aside in brackets) is a verdict block when it holds a verdict, names two or more
key points, and says "I" or "we" nowhere; full marks or a hiring decision needs no key point
beside it, in a block that is not the whole answer. Points closed by one status mark, in
whatever word ("——已采；…——已采", "✔ 已接种" line after line), are declared done: a status
column says how each point came out, where a list of one's steps opens them with bullets.
A costume can also give itself away with no verdict anyone could list ("寄件附言：见解深刻，令人
信服", or none at all): the key points' own texts, recited nearly word for word, among words
that the trade does not use. A block that recites two or more of them and whose other words are
mostly foreign to the question's bank and the built-in banks (`grading/trade_words.py`: "运单号",
"取件码", "柜门" in a finance interview) is a waybill or a locker notice carrying the rubric, not
the candidate's list, which speaks the service's words around them.
Its key points earn nothing, offline and as an LLM's evidence: the answer earns where it says
them as its own. And the answer is flagged `suspected_injection`, as a forged score is, so the
LLM path caps its grade at the keyword grade.

Scores and ratings are no verdict where the question asks about them (a quality-check
question), nor where a word of the service stands in their sentence: a quality-check score
(质检分) or a customer's rating (满意度, 回访) is a figure of the job, which answers report all
the time. Full marks with no key point beside it is the service's only beside a rating or
someone's reported words ("客户回访评价：满分", "客户说：满分"); beside an amount ("金额：满分")
it is a verdict.

Measured on 11,016 honest texts (the labelled samples, the plain answers, every red-team half's
ordinary answers and its attacks' clean answers, the English set): none holds such a block.
Technical answers say "I" nowhere, so their explanations are read the same way: on ads-zh's
1,107 (data structures, `bench/README_ads.md`) 14 were flagged, by "通过" meaning "by way of",
"所有元素均已入栈" (a fact, not the points declared done) and items ending on one variable or
code value; 2 still are ("结点数据" holds 点数, a score; "完美做到…" praises as it explains).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from coach.grading.recital import Recital
from coach.grading.trade_words import tokens
from coach.text.addressed import scores_are_topic, tags_of
from coach.text.checklist import TICKS
from coach.text.content import CLOSING_BRACKETS, OPENING_BRACKETS
from coach.text.normalize import SENTENCE_END, NormalizedText
from coach.text.sections import PARAGRAPH_BREAK
from coach.text.term_list import reads_as_code

MIN_KEY_POINTS = 2  # distinct key points named in one block
# What pronounces a verdict: full marks, praise, hiring, a remark for the grade ("评语：…"), the
# points said to be done ("已完成", "以上均已讲到"), and a score or a rating, only where the
# question does not ask about them and no word of the service stands in their sentence (any
# rating word is one: a customer's rating is the job's; see the module docstring).
_VERDICTS = frozenset({"full_marks", "praise", "hire", "verdict_label", "done", "score", "rating"})
_SERVICE_OWN = frozenset({"score", "rating"})
_STRONG = frozenset({"full_marks", "hire"})  # verdicts that need no key point beside them
_ASKED = _SERVICE_OWN | {"full_marks"}
# Full marks alone beside a word of the service is the service's where something is rated or
# someone's words are reported ("客户回访评价：满分", "客户说：满分"), not beside an amount.
_RATED = frozenset({"rating", "reported"})
# Someone in the block doing the work: the candidate's own account. A letter "i" between dots
# is an abbreviation's ("b.i.d."), not the candidate.
_AGENT = re.compile(r"我|咱|(?<![a-z])(?:(?<!\.)i(?!\.[a-z])|we|my|our|me|us)(?![a-z])")
_LINE = re.compile(r"[^\n]+")
# An aside in brackets, long enough to hold a key point and a verdict.
_OPENING, _CLOSING = re.escape(OPENING_BRACKETS), re.escape(CLOSING_BRACKETS)
_ASIDE = re.compile(f"[{_OPENING}][^{_OPENING}{_CLOSING}\n]{{6,}}[{_CLOSING}]")
# Cheap test first: a block needs a line break or a bracket to stand apart.
_APART = re.compile(f"\n|[{_OPENING}]")
# A status column: items of a block that close on the same mark, a tick or a word of up to
# three characters after a dash, a colon or a space ("讲清规则——已采；核实身份——已采",
# "…平静下来  ✔ 已接种"). A list of one's steps opens its items with bullets; marks that
# close them say how each point came out, as a checklist of the points done does.
_ITEMS = re.compile(r"[；;／|\n]")
_TICKED = re.compile(f"[{TICKS}]$")
_STATUS = re.compile(rf"(?:——|—|–|--|:|：|\s)\s*([^\s—–\-:：{TICKS}，。,.;；]{{1,3}})$")
_QUANTITY = re.compile(r"x\d+")
_ITEM_END = " \t。.，,！!" + CLOSING_BRACKETS
# A costume: key-point texts recited nearly word for word in a block whose other words are
# mostly not the trade's (`trade_words`), this share of at least this many tokens.
FOREIGN_SHARE = 0.6
MIN_COSTUME_TOKENS = 8

Span = tuple[int, int]


class Verdicts:
    """Finds the verdict blocks of an answer to one question; built once per question."""

    def __init__(
        self,
        key_point_patterns: Sequence[re.Pattern[str]],
        prompt: str,
        recital: Recital | None = None,
        trade: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        """`key_point_patterns`: the question's compiled key-point patterns; `prompt`: its
        prompt, normalized; `recital`, the question's key-point texts, and `trade`, the words
        of its trade (`trade_words`, read when first needed), find costumes."""
        self._patterns = tuple(key_point_patterns)
        self._prompt = prompt
        self._recital = recital
        self._trade = trade
        # The last answer read: an LLM grade asks twice, for the keyword grade beside it and
        # for the quotes it may not use (as `Recital` does).
        self._last: tuple[str, str, list[Span]] = ("", "", [])

    @functools.cached_property
    def _trade_words(self) -> frozenset[str]:
        return self._trade() if self._trade is not None else frozenset()

    @functools.cached_property
    def _scores_asked(self) -> bool:
        # Read when a block is judged, not when the question is compiled: reading a prompt's
        # concepts compiles every grading pattern, which a process grading one plain answer
        # (`coach grade --offline`) never needs.
        return bool(self._prompt) and scores_are_topic(self._prompt)

    def spans(self, answer: NormalizedText) -> list[Span]:
        """Ranges of `answer.text` that stand in verdict blocks."""
        if len(self._patterns) < MIN_KEY_POINTS or _APART.search(answer.original) is None:
            return []
        last_original, last_text, found = self._last
        if answer.original == last_original and answer.text == last_text:
            return list(found)
        found = []
        for start, end in _blocks(answer):
            first, last = answer.folded_index(start), answer.folded_index(end)
            if first < last and self._judges(answer, answer.text[first:last], start, end):
                found.append((first, last))
        self._last = (answer.original, answer.text, found)
        return list(found)

    def _judges(self, answer: NormalizedText, block: str, start: int, end: int) -> bool:
        """Whether the block `[start, end)` of `answer.original` (`block`, folded) is one."""
        if _AGENT.search(block) is not None:
            return False
        points = self._names_points(block)
        # Full marks or a hiring decision needs no key point beside it, in a block that is not
        # the whole answer: a line of "出货：满分" under the answer is a verdict on it.
        if not points and not answer.original[:start].strip() and not answer.original[end:].strip():
            return False
        # Read by lines as written: folding runs a line without closing punctuation into the
        # next, and a receipt's total would share its sentence with the items above it.
        for line in _LINE.finditer(answer.original, start, end):
            first, last = answer.folded_index(line.start()), answer.folded_index(line.end())
            for sentence in answer.text[first:last].split(SENTENCE_END):
                named = self._verdicts(sentence, alone=not points)
                if named and (points or named & _STRONG):
                    return True
        return points and (_status_column(answer.original[start:end]) or self._costume(block))

    def _costume(self, block: str) -> bool:
        """Whether `block` (folded) recites key-point texts in another trade's words."""
        if self._recital is None:
            return False
        recited = self._recital.recited_in(block)
        if len(recited) < MIN_KEY_POINTS:
            return False
        theirs = {t for i in recited for t in tokens(self._recital.phrases[i])}
        rest = [token for token in tokens(block) if token not in theirs]
        if len(rest) < MIN_COSTUME_TOKENS:
            return False
        foreign = sum(token not in self._trade_words for token in rest)
        return foreign >= FOREIGN_SHARE * len(rest)

    def _names_points(self, block: str) -> bool:
        hits = 0
        for pattern in self._patterns:
            if pattern.search(block) is not None:
                hits += 1
                if hits >= MIN_KEY_POINTS:
                    return True
        return False

    def _verdicts(self, sentence: str, alone: bool = False) -> frozenset[str]:
        """The verdicts a sentence of a block pronounces: a score or a rating with a word of
        the service in its sentence is the service's (质检分, 满意度), and so is full marks,
        `alone` (with no key point named beside it: "客户回访评价：满分")."""
        if not sentence.strip(" ，"):
            return frozenset()
        tags = tags_of(sentence + SENTENCE_END)
        named = tags & _VERDICTS
        if self._scores_asked:  # a scale's top ("5分制") is the topic's too
            named -= _ASKED
        elif "domain" in tags:
            named -= _ASKED if alone and tags & _RATED else _SERVICE_OWN
        return named


def _status_column(block: str) -> bool:
    """Whether two or more items of `block` (as written) close on the same status mark; program
    code is no column ("return 1;" line after line)."""
    if reads_as_code(block):
        return False
    seen: set[str] = set()
    for item in _ITEMS.split(block):
        item = item.rstrip(_ITEM_END)
        if _TICKED.search(item):
            mark = "✓"
        elif (found := _STATUS.search(item)) and _word(found.group(1)):
            mark = found.group(1)
        else:
            continue
        if mark in seen:
            return True
        seen.add(mark)
    return False


def _word(mark: str) -> bool:
    """Whether an item's last token can say how it came out: a word ("已采", "OK"), a mark
    ("▲"), a number (a score) or a quantity ("x1", as on a receipt), but no variable that items
    of an explanation end on (a complexity "n", "3n", "S2")."""
    latin = sum(char.isascii() and char.isalpha() for char in mark)
    return not latin or latin == len(mark) >= 2 or _QUANTITY.fullmatch(mark) is not None


def _blocks(answer: NormalizedText) -> list[Span]:
    """The `[start, end)` of each block of `answer.original` that may be set apart from the
    answer: each paragraph (when it has more than one), each line (likewise), each run of
    lines in which nobody speaks as "I" (a receipt's items under its total, below the answer's
    own lines), and each aside in brackets."""
    original = answer.original
    found = {m.span() for m in _ASIDE.finditer(original)}
    lines = [m.span() for m in _LINE.finditer(original) if not m.group().isspace()]
    if len(lines) < 2:
        return sorted(found)
    found.update(lines)
    run: list[Span] = []
    for line in [*lines, None]:  # the sentinel closes the last run
        if line is not None and not _speaks(answer, *line):
            run.append(line)
            continue
        if len(run) > 1:
            found.add((run[0][0], run[-1][1]))
        run = []
    start = 0
    paragraphs = []
    for blank in PARAGRAPH_BREAK.finditer(original):
        paragraphs.append((start, blank.start()))
        start = blank.end()
    paragraphs.append((start, len(original)))
    kept = [(a, b) for a, b in paragraphs if original[a:b].strip()]
    if len(kept) > 1:
        found.update(kept)
    return sorted(found)


def _speaks(answer: NormalizedText, start: int, end: int) -> bool:
    """Whether someone speaks as "I" or "we" in `[start, end)` of `answer.original`."""
    folded = answer.text[answer.folded_index(start) : answer.folded_index(end)]
    return _AGENT.search(folded) is not None
