"""An outline: the answer's points announced by name rather than made.

"这道题我想从倾听、理解您的心情、不保本三个方面来答", "（先列一下我的思路：我能理解 →
操作记录 → 按规定）", "Quick outline before I answer: 消费信贷; 免息期; 随借随还",
"回答の要点：核实身份・标准话术・留痕": a sentence that says what the answer covers and
lists it in a few short terms names the points; it does not make them. Its terms earn
nothing there, and the answer earns them where it says them, so an honest preview followed
by the answer itself loses nothing. A sentence that says its steps ("我的思路：先安抚客户，
再核实身份，最后处理问题") is the answer, not an outline.
"""

from __future__ import annotations

import re

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


def _named(part: str) -> bool:
    items = [item for item in _ITEM_SPLIT.split(part.strip(_WRAPPING)) if item.strip(_WRAPPING)]
    if len(items) < 3 or any(len(item.strip(_WRAPPING)) > MAX_ITEM for item in items):
        return False
    said = sum(_SAID.match(item.strip(_WRAPPING)) is not None for item in items)
    return 2 * said < len(items)


def outline_spans(original: str, text: str) -> list[tuple[int, int]]:
    """Where each outline sentence of `original` stands in normalized `text`."""
    return located(outline_sentences(original), text)
