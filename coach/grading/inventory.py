"""The rubric's points listed by name: an inventory, not an answer.

"如实、需要核实、换关键词、请教、转人工、工单、按时回复", placed before, inside or after a weak
answer, under any label or none, in any vehicle: each item is nothing but a phrase of a key
point, and together they name points of several criteria. Such a list says which points exist;
it makes none of them. Its items earn nothing, and the answer earns the points where it says
them.

What tells it from an honest list is the rubric itself, not a label or a phrase:
- most items are short and almost all made of a key point's own phrases (an item that says
  something, "请他看产品说明" or "金条是现金借款", is more than the phrase it holds, and a
  clause with a person in it, "我会先道歉", is the answer's); the others are short too;
- there are `MIN_ITEMS` or more in a row, set apart as a list is: list marks, bars, bullets
  or line breaks (clauses set apart by commas alone are a sentence: "微笑说您好，欢迎光临，
  请问需要办理什么业务", unless they make a line of their own and every one is nothing but a
  key point's phrases: "Covered: 别着急, 马上帮您, 核验身份, 交易明细 ✔");
- they name points of `MIN_CRITERIA` or more criteria. A list within one criterion is often
  the enumeration the question asks for ("知情权、自主选择权、公平交易权……" for the consumer
  rights), and keeps its credit.
An item glued by a mark to the list's label or to what follows it ("kp=别着急", "客户满意——
评分的同事……") is an item too. On the labelled honest answers of the repository no grade
changes (`tests/grading/test_inventory.py` holds the shapes).

Works on normalized text, where list marks and commas are clause breaks and sentences end in
"。"; spans are ranges of that text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from coach.text.content import IDEOGRAPH, IDEOGRAPHS
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END, NormalizedText

MIN_ITEMS = 4  # items in a row
MAX_EDGE_EXTRA = 2  # characters beside the phrase of an item glued to what surrounds the list
MIN_NAMED = 3  # of them made of the rubric's phrases; the others short, naming something else
MAX_OTHER_CHARS = 8  # letters, digits and ideographs of such another item
MIN_CRITERIA = 2  # criteria whose points the items name
MAX_ITEM_CHARS = 12  # letters, digits and ideographs of an item that only names
MAX_ITEM_WORDS = 4  # ... or English words
COVERED = 0.8  # share of an item's letters, digits and ideographs that a phrase matches
# Where the original breaks items that folding runs together: a line break, or a space beside
# an ideograph ("G1024 倾听", "倾听 正点"), unless that ideograph stands alone between spaces,
# as letters spaced out do ("核 验 本 人"); an English phrase keeps its spaces.
_ITEM_BREAK = re.compile(
    f"\\n|(?<=[^\\s][{IDEOGRAPHS}])[ \\t\u3000]+(?![{IDEOGRAPHS}](?:\\s|$))"
    f"|(?<![{IDEOGRAPHS}])[ \\t\u3000]+(?=[{IDEOGRAPHS}][^\\s])"
)
# Marks that set items apart besides the comma-like ones: slashes, bars, bullets, box lines,
# ticks, triangles, boxes and stars ("关键词检索 / 风险等级 / 非存款", "风险提示 ✓ | 风险测评 ✓").
# Normalizing keeps them, and an item holds none. Arrows are not among them: "停止转账 → 报警止付
# → 上报" is a plan, its steps in order. Markdown's bullets and headings ("-", "*", "+", "#")
# mark lines, which line breaks set apart already, and a table's bars its cells (`_TABLE_RULE`).
_SYMBOLS = (
    "/|\u00b7\u2022\u2023\u2027\u2500-\u257f\u25a0-\u2793\u2b1b-\u2b55\u30fb\U0001f300-\U0001faff"
)
_MARKS = f"、｜\n{_SYMBOLS}"
# Short items in a row, as written: three list marks, bars, bullets or line breaks with short
# pieces between them. The pattern opens on its mark, which `re` looks for in C: most answers
# are read in one pass.
_MARKED_RUN = re.compile(f"[{_MARKS}](?:[^{_MARKS}，,。；;！!？?]{{1,16}}[{_MARKS}]){{2}}")
# ... or a line of short pieces between commas that no sentence mark closes (`_whole_line`).
_COMMA_LINE = re.compile(r"^(?=[^。！？!?\n]*$)(?:[^，,\n]{1,16}[，,]){3}", re.MULTILINE)


def _outside_words(symbols: str) -> re.Pattern[str]:
    """A run of `symbols` in normalized text, unless it stands inside a word or a number
    ("10/10", "jd-b1", "e-mail"): each is a clause break where the items are read."""
    return re.compile(f"(?<![a-z0-9])[{symbols}]+|[{symbols}]+(?![a-z0-9])")


_SYMBOL_MARK = _outside_words(_SYMBOLS)
_CELL_MARK = _outside_words(_SYMBOLS.replace("|", ""))  # a table's bars part its cells
# A Markdown table's rule ("|---|:--|"): its cells are facts side by side, each read alone.
_TABLE_RULE = re.compile(r"^[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*$", re.MULTILINE)
_LIST_MARK = re.compile(f"[{_MARKS};；]")
# A piece that is no item: marks, or a list number alone ("1" of "① 别着急", "-" of "- 登记",
# spaced off).
_BARE = re.compile(r"[\W_]*(?:[0-9]{1,2}[\W_]*)?")
# An item's number: "1 ", "2." (a circled "①" folds to "1").
_NUMBERING = re.compile(r"^\s*[0-9]{1,2}\s*[.)]?\s*(?=[^\W0-9_])")
_PIECE = re.compile(f"[^{SENTENCE_END}{CLAUSE_BREAK}]+")
# MIN_ITEMS pieces or more in a row, none long (a piece of up to 32 characters may hold an item
# once its spaces and marks are left out), opening on the break before the first.
_RUN = re.compile(
    f"[{SENTENCE_END}{CLAUSE_BREAK}]([^{SENTENCE_END}{CLAUSE_BREAK}]{{1,32}}"
    f"(?:{CLAUSE_BREAK}+[^{SENTENCE_END}{CLAUSE_BREAK}]{{1,32}}){{{MIN_ITEMS - 1},}})"
)
_WORDS = re.compile(r"[a-z0-9]+")
_CONTENT = re.compile(r"[^\W_]")  # a letter, digit or ideograph
# A person in an item makes it a clause of the answer: "我会先道歉", "I would apologise".
_PERSON_WORDS = frozenset({"i", "we", "you", "he", "she", "they", "my", "our", "your"})
_PERSON_CJK = re.compile("[我你您他她咱们]")

Span = tuple[int, int]


class Inventory:
    """Finds inventories of one question's key points; built once per question."""

    def __init__(self, criteria: Sequence[Sequence[re.Pattern[str] | None]]) -> None:
        """`criteria`: for each criterion, each key point's phrases as one pattern."""
        sources = []
        self._criterion: dict[str, int] = {}
        for c, patterns in enumerate(criteria):
            for k, pattern in enumerate(patterns):
                if pattern is not None:
                    name = f"k{c}_{k}"
                    self._criterion[name] = c
                    sources.append(f"(?P<{name}>{pattern.pattern})")
        # One pass over an item finds every criterion's phrases in it.
        self._phrases = re.compile("|".join(sources)) if sources else None

    def spans(self, text: str, folded: NormalizedText) -> list[Span]:
        """The ranges of `text` (normalized) that hold an inventory, first item to last.

        `folded` (the answer `text` was normalized from, blanked or not) splits items at the
        original's line breaks, which folding drops: "止付" ending one line is an item, not the
        start of "止付我会提醒客户注意安全" on the next.
        """
        # Most answers hold no run of short items at all, as the original shows them.
        if self._phrases is None or not _runs_of_items(folded.original):
            return []
        cuts = _item_breaks(folded)
        # A clause break where each line broke, and one before the text, for `_RUN` to open on.
        if _TABLE_RULE.search(folded.original):  # a cell's items are read apart from the next
            work = _CELL_MARK.sub(_as_breaks, _cut(text, cuts)).replace("|", SENTENCE_END)
        else:
            work = _SYMBOL_MARK.sub(_as_breaks, _cut(text, cuts))
        work = SENTENCE_END + work
        found = []
        for run in _RUN.finditer(work):
            pieces = [piece.span() for piece in _PIECE.finditer(work, *run.span(1))]
            pieces = [(a, b) for a, b in pieces if not _BARE.fullmatch(work[a:b])]
            # The pieces beside the run, for items glued to them (`_edge`).
            before = _piece_before(work, run.start(1))
            after = _piece_after(work, run.end(1))
            pieces = [*([before] if before else []), *pieces, *([after] if after else [])]
            first = 1 if before else 0
            stop = len(pieces) - (1 if after else 0)
            start = first  # of the short pieces in a row: the candidates for items
            for i in range(first, stop + 1):
                if i < stop and _short(work[slice(*pieces[i])]):
                    continue
                if i - start >= MIN_ITEMS:
                    found += self._listed(work, pieces, start, i)
                start = i + 1
        listed = []
        for first, last in found:
            start, end = _uncut(first - 1, cuts), _uncut(last - 1, cuts)
            if _marked(folded, start, end) or (
                _whole_line(folded, start, end) and self._all_named(work[first:last])
            ):
                listed.append((start, end))
        return listed

    def _all_named(self, run: str) -> bool:
        """Whether every item of `run` is nothing but phrases of key points."""
        return all(self._named(piece) for piece in _PIECE.findall(run) if not piece.isspace())

    def _listed(self, text: str, pieces: list[Span], first: int, stop: int) -> list[Span]:
        """The inventories among `pieces[first:stop]`, short pieces in a row; each reaches into
        the pieces beside it for an item glued to its label or to what follows ("kp=理解您的
        心情", "客户满意——评分的同事……")."""
        found = []
        run: list[int] = []
        bits: list[int] = []
        for i in [*range(first, stop), -1]:
            named = self._named(text[slice(*pieces[i])]) if i >= 0 else None
            if named is not None:
                run.append(i)
                bits.append(named)
                continue
            counted = list(bits)  # the items between clauses, as the test below counts them
            while bits and not bits[-1]:  # a list runs from its first named item to its last
                del run[-1], bits[-1]
            while bits and not bits[0]:
                del run[0], bits[0]
            before = after = None
            if len(run) >= MIN_ITEMS - 2 and any(bits):  # else no edge could make it a list
                if run[0] > 0:
                    before = self._edge(text, pieces[run[0] - 1], last=True)
                if run[-1] + 1 < len(pieces):
                    after = self._edge(text, pieces[run[-1] + 1], last=False)
            items = counted + [edge[1] for edge in (before, after) if edge is not None]
            if _inventory(items):
                start = before[0][0] if before else pieces[run[0]][0]
                end = after[0][1] if after else pieces[run[-1]][1]
                found.append((start, end))
            run, bits = [], []
        return found

    def _edge(self, text: str, piece: Span, last: bool) -> tuple[Span, int] | None:
        """An item glued to the list's neighbouring `piece`: a phrase at its end (`last`) or its
        start, with its criterion (a bit), and the span the item takes. The phrase is glued by
        a mark ("kp=别着急", "客户满意——评分的同事……"), not run into words of the answer's own
        ("确认产品名称", "我会先在知识库里检索"); the item may hold a word or two more."""
        assert self._phrases is not None
        matches = list(self._phrases.finditer(text, *piece))
        if not matches:
            return None
        match = matches[-1] if last else matches[0]
        if match.lastgroup is None:
            return None
        if last:
            item, rest = text[match.end() : piece[1]], text[piece[0] : match.start()]
            glue, span = rest[-1:], (match.start(), piece[1])
        else:
            item, rest = text[piece[0] : match.start()], text[match.end() : piece[1]]
            glue, span = rest[:1], (piece[0], match.end())
        if len(_CONTENT.findall(item)) > MAX_EDGE_EXTRA or _content(glue) or _person(rest):
            return None
        return span, 1 << self._criterion[match.lastgroup]

    def _named(self, item: str) -> int | None:
        """What a short `item` is in a list: the criteria (a bit each) whose key points' phrases
        make up nearly all of it; 0 for an item that names something else (a label, a word the
        rubric does not use); None for one of the answer's clauses, with a person in it."""
        item = _NUMBERING.sub("", item, count=1)  # "① 先别转" names what "先别转" names
        size = len(_CONTENT.findall(item))
        assert self._phrases is not None
        criteria = 0
        covered = 0
        for match in self._phrases.finditer(item):
            if match.lastgroup is not None:
                criteria |= 1 << self._criterion[match.lastgroup]
            covered += match.end() - match.start()  # a phrase is letters and ideographs
        if criteria and covered >= COVERED * size:
            return criteria
        if _person(item):
            return None
        return 0 if size <= MAX_OTHER_CHARS else None


def _short(item: str) -> bool:
    """Whether `item` is short enough to be an item of a list (a cheap test first)."""
    if IDEOGRAPH.search(item):
        return len(_CONTENT.findall(item)) <= MAX_ITEM_CHARS
    words = _WORDS.findall(item)
    return 0 < len(words) <= MAX_ITEM_WORDS


def _inventory(bits: list[int]) -> bool:
    """Whether items with these criteria bits (0: naming something else) are an inventory."""
    named = sum(b > 0 for b in bits)
    criteria = 0
    for b in bits:
        criteria |= b
    # Most items are the rubric's phrases: a bulleted answer of facts names some in passing.
    return (
        len(bits) >= MIN_ITEMS
        and named >= MIN_NAMED
        and 2 * named > len(bits)
        and criteria.bit_count() >= MIN_CRITERIA
    )


def _content(text: str) -> bool:
    return _CONTENT.search(text) is not None


def _as_breaks(mark: re.Match[str]) -> str:
    """A list mark as clause breaks, one a character, so offsets stay."""
    return CLAUSE_BREAK * (mark.end() - mark.start())


def _cut(text: str, cuts: list[int]) -> str:
    """`text` with a clause break put in at each of `cuts` (sorted offsets)."""
    if not cuts:
        return text
    bounds = [0, *cuts, len(text)]
    return CLAUSE_BREAK.join(text[a:b] for a, b in pairwise(bounds))


def _uncut(index: int, cuts: list[int]) -> int:
    """The offset in the text of `index` in the text with `cuts` put in (`_cut`)."""
    return index - sum(1 for k, cut in enumerate(cuts) if cut + k < index)


def _piece_before(text: str, start: int) -> Span | None:
    """The piece before the one at `start`, in the same sentence (blank breaks skipped)."""
    end = start - 1
    while end >= 0 and text[end] == CLAUSE_BREAK:
        end -= 1
    if end < 0 or text[end] == SENTENCE_END or end == start - 1:
        return None
    first = max(text.rfind(CLAUSE_BREAK, 0, end), text.rfind(SENTENCE_END, 0, end)) + 1
    return first, end + 1


def _piece_after(text: str, end: int) -> Span | None:
    """The piece after the one ending at `end`, in the same sentence."""
    start = end
    while start < len(text) and text[start] == CLAUSE_BREAK:
        start += 1
    if start >= len(text) or text[start] == SENTENCE_END or start == end:
        return None
    stops = [i for i in (text.find(CLAUSE_BREAK, start), text.find(SENTENCE_END, start)) if i >= 0]
    return start, min(stops, default=len(text))


def _item_breaks(folded: NormalizedText) -> list[int]:
    """Where the original's item breaks (`_ITEM_BREAK`) fall in the normalized text (folding
    drops them), each once."""
    cuts = (folded.folded_index(m.start()) for m in _ITEM_BREAK.finditer(folded.original))
    return sorted({cut for cut in cuts if 0 < cut < len(folded.text)})


def _marked(folded: NormalizedText, start: int, end: int) -> bool:
    """Whether the original text of folded `[start, end)` sets its items apart as a list
    does: list marks, bars, bullets or line breaks (folding turns them all into commas)."""
    first, last = folded.original_span(start, end)
    return _LIST_MARK.search(folded.original, first, last) is not None


def _whole_line(folded: NormalizedText, start: int, end: int) -> bool:
    """Whether folded `[start, end)` is a line of the original of its own, a short label
    before it aside ("Covered: 别着急, 马上帮您, 核验身份, 交易明细 ✔"): items set apart by
    commas alone are a list there, and the clauses of a sentence in prose ("账户冻结了，理解您的
    心情，登记，核实身份，这些我都会做")."""
    first, last = folded.original_span(start, end)
    original = folded.original
    head = original[original.rfind("\n", 0, first) + 1 : first]
    tail_end = original.find("\n", last)
    tail = original[last : len(original) if tail_end < 0 else tail_end]
    label = not _content(head) or (head.rstrip().endswith((":", "：")) and _short(head[:-1]))
    return label and not _content(tail)


def _person(text: str) -> bool:
    """Whether `text` has a person in it ("我", "您", "we"): it is a clause of the answer."""
    return _PERSON_CJK.search(text) is not None or not _PERSON_WORDS.isdisjoint(
        _WORDS.findall(text)
    )


def _runs_of_items(original: str) -> bool:
    """Whether `original` holds short pieces set apart as a list (`_MARKED_RUN`, `_COMMA_LINE`):
    a test in C that spares most answers the reading item by item. Blank lines after the
    answer set nothing apart: "A\nB\nC\n\n" is the answer "A\nB\nC"."""
    original = original.rstrip()
    return _MARKED_RUN.search(original) is not None or _COMMA_LINE.search(original) is not None
