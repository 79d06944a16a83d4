"""An outline: the answer's points announced by name rather than made.

"这道题我想从倾听、理解您的心情、不保本三个方面来答", "（先列一下我的思路：我能理解 →
操作记录 → 按规定）", "Quick outline before I answer: 消费信贷; 免息期; 随借随还",
"回答の要点：核实身份・标准话术・留痕": a sentence that says what the answer covers and
lists it in a few short terms names the points; it does not make them. Its terms earn
nothing there, and the answer earns them where it says them, so an honest preview followed
by the answer itself loses nothing. A sentence that says its steps ("我的思路：先安抚客户，
再核实身份，最后处理问题") is the answer, not an outline.

A recap is the same list set apart, under a label that names the answer's points ("要点回顾：
…", "答题提纲：" over numbered lines, "【得分点】…"), in items of any length: beside an
answer, it names what the answer covers and makes none of it (on both paths). Alone, or
naming something's points ("《个人信息保护法》的要点："), or saying steps ("要点：先让客户停止
转账，再上报…"), such a list is the answer.
"""

from __future__ import annotations

import functools
import re

from coach.text.content import content_of
from coach.text.sections import located

# What announces the answer's parts: its outline, its points, the aspects it takes. (One class
# opens the pattern, each branch looking behind at its own first character, so that `re`
# skips in C to the characters a word starts with: a long answer is read five times faster.)
_ANNOUNCE = re.compile(
    r"[思提大纲綱要重核框概方角几幾两兩三四五六2-6以OoKkMmポ요골]"
    r"(?:(?<=思)路|(?<=[提大])[纲綱]|(?<=[纲綱])要|(?<=要)[点點旨]|(?<=重)[点點]|(?<=核)心"
    r"|(?<=框)架|(?<=概)要|(?<=方)面|(?<=角)度|(?<=[几幾两兩三四五六2-6])[点點]|(?<=以)下[几幾]"
    r"|(?<=[Oo])(?:utline|verview)|(?<=[Kk])ey points?|(?<=[Mm])ain points?|(?<=ポ)イント"
    r"|(?<=요)점|(?<=골)자)"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_MARKS = "。！？!?\n"
# "从A、B、C三个方面来答": the list between 从 and the count of aspects.
_FROM = re.compile(
    r"[从從]([^。！？!?\n]{2,60}?)[这這]?[两兩三四五六七几幾2-7][个個]?(?:方面|角度|点|點|部分)"
)
_ITEM_SPLIT = re.compile(r"\s*(?:[、,，/|｜;；·•・→⇒➜>]|->|\d{1,2}[.)）、])\s*")
_WRAPPING = " \t.。（）()[]【】「」\"'“”"
MAX_ITEM = 8  # characters of a named point; a longer item says something
MAX_INTRO = 24  # characters that introduce an outline; a longer lead-in is the answer's own
MAX_INTRO_WORDS = 8  # ... or English words
# An item that opens on a step or a condition is said, not named: "先安抚客户，再核实身份".
_SAID = re.compile(
    r"先|再|然后|接着|最后|首先|其次|同时|如果|要是|我会|会|就|then|first|next", re.IGNORECASE
)


def outline_sentences(original: str) -> list[str]:
    """The sentences of `original` that announce the answer's points by name (stripped)."""
    found = []
    end = -1
    for announced in _ANNOUNCE.finditer(original):  # most answers: none
        if announced.start() < end:
            continue  # in the sentence just read
        match = _SENTENCE.search(original, _sentence_start(original, announced.start()))
        if match is None:
            continue
        end = match.end()
        sentence = match.group()
        # The list after the words that introduce it, which are few: "我的思路：", "这道题我想从".
        lists = [m.group(1) for m in _FROM.finditer(sentence) if _brief(sentence[: m.start()])]
        head, colon, tail = sentence.rpartition("：" if "：" in sentence else ":")
        if colon and _brief(head):
            lists.append(tail)
        if any(_named(part) for part in lists):
            found.append(sentence.strip())
    return found


def _sentence_start(text: str, index: int) -> int:
    """Where the sentence holding `index` starts: just past the last mark before it."""
    return max(text.rfind(mark, 0, index) for mark in _MARKS) + 1


def _brief(intro: str) -> bool:
    """Whether `intro` is few enough words to introduce a list ("Quick outline before I
    answer", "这道题我想") rather than be a sentence of the answer itself."""
    intro = intro.strip()
    if intro.isascii():
        return len(intro.split()) <= MAX_INTRO_WORDS
    return len(intro) <= MAX_INTRO


def _said(part: str) -> bool:
    """Whether most items of a list say steps ("先让客户停止转账，再上报…"): the answer's own."""
    items = [item.strip(_WRAPPING) for item in _RECAP_ITEMS.split(part)]
    items = [item for item in items if item]
    return 2 * sum(_SAID.match(item) is not None for item in items) >= len(items) > 0


def _named(part: str) -> bool:
    items = [item for item in _ITEM_SPLIT.split(part.strip(_WRAPPING)) if item.strip(_WRAPPING)]
    if len(items) < 3 or any(len(item.strip(_WRAPPING)) > MAX_ITEM for item in items):
        return False
    said = sum(_SAID.match(item.strip(_WRAPPING)) is not None for item in items)
    return 2 * said < len(items)


def outline_spans(original: str, text: str) -> list[tuple[int, int]]:
    """Where each outline sentence and each recap (`recap_blocks`) of `original` stands in
    normalized `text` (an outline may stand in a recap)."""
    return located([*outline_sentences(original), *recap_blocks(original)], text)


# A recap set apart from the answer: a label naming the answer's points ("要点回顾：",
# "答题要点：", "【答题提纲】", "关键点：") opening a line, the list after it. A label naming
# something's points ("《个人信息保护法》的要点：") opens the answer's account of that thing.
_LABEL_WORDS = "要点|要點|提纲|提綱|关键点|關鍵點|得分点|采分点"
_RECAP_LABEL = re.compile(
    rf"(?:^|(?<=\n))[ \t]*[^\n。！？!?：:的》]{{0,12}}?"
    rf"(?:{_LABEL_WORDS})[^\n。！？!?：:】]{{0,16}}[：:】]"
)
# The cheap test first: the label's word, searched in C (most answers hold none).
_LABEL_WORD = re.compile(_LABEL_WORDS)
MIN_OUTSIDE = 20  # letters, digits and ideographs of the answer beside its recaps
_RECAP_ITEMS = re.compile(f"{_ITEM_SPLIT.pattern}|\\s*[\\n。；;]\\s*")
_LINE_REST = 4  # characters after a label that make it a line's list; fewer: the lines below


@functools.lru_cache(maxsize=8)  # an LLM grade asks twice: the screen, and the quote finder
def recap_blocks(original: str) -> tuple[str, ...]:
    """The recaps of `original`: each labelled list of the answer's points set apart from the
    answer (the rest of its line, or the lines below a label that ends its line, to a blank
    line), where the answer says more than its recaps. A recap names the points; like an
    outline it makes none, and the answer earns them where it says them. An answer that is
    nothing but such a list ("合规要点：保护隐私，核实身份……") is the answer."""
    if _LABEL_WORD.search(original) is None:
        return ()
    blocks: list[tuple[int, int]] = []
    for label in _RECAP_LABEL.finditer(original):
        if blocks and label.start() < blocks[-1][1]:
            continue
        end = original.find("\n", label.end())
        end = len(original) if end < 0 else end
        if len(original[label.end() : end].strip()) < _LINE_REST:
            blank = original.find("\n\n", label.end())
            end = len(original) if blank < 0 else blank
        if not _said(original[label.end() : end]):
            blocks.append((label.start(), end))
    if not blocks:
        return ()
    outside = original
    for start, end in reversed(blocks):
        outside = outside[:start] + outside[end:]
    if len(content_of(outside)) < MIN_OUTSIDE:
        return ()
    return tuple(original[start:end].strip() for start, end in blocks)
