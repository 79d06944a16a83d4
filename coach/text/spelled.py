"""What an answer's lines spell when read another way: down their first letters, or down the
columns of text written vertically.

A reader going line by line sees a verse or a list; a model asked to look reads "稳妥可靠" down
the first characters, or a verdict down the columns of a block of one- or two-character lines
("评　评⏎语　审⏎…", read top to bottom, right to left). These readings are the answer's text
too: the copy check (`coach.grading.dictation`) looks for them in the model's feedback, and an
answer that itself tells the reader to read that way (`pointed`) hides a message in its lines,
whatever the message says (`coach.text.acrostic`).
"""

from __future__ import annotations

import re

MIN_LINES = 3  # fewer lines spell nothing worth reading down
MAX_LINE = 40  # characters of a line read for its first letter: a longer one is prose
MAX_WORDS = 12  # or words, for a line of Latin letters, whose words are longer
MAX_CELLS = 6  # characters of a line of vertical text (its spaces aside)
# A line's first letter: bullets, numbering, quotes and spaces before it are skipped.
FIRST = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
# An answer telling its reader to read down or across its lines: first or last characters,
# vertical text, a direction.
_POINTED = re.compile(
    r"藏头|藏尾|首字[连相]|[每各][行句](?:的)?(?:第一|开头|首)|竖读|竖排|竖着[读看]|纵读|横着读"
    r"|从右往左[读看]|从上往下[读看]|从上到下[读看]|縦読み|縦書き|頭文字|세로|첫 ?글자"
    r"|首字母|acrostic|these initials|initial letters"
    r"|first letters? of (?:each|every|the) (?:line|row|sentence)"
    r"|read (?:it |them |this )?(?:down|vertically|from top to bottom|from right to left)",
    re.IGNORECASE,
)


# The characters `_POINTED` can start on (either case): case-insensitive, `_POINTED` is tried
# at every character, while this class is skipped to in C, and most answers hold none of it.
_POINTED_FIRST = re.compile("[藏首每各竖纵横从縦頭세첫aAfFrRtTiI]")


def pointed(text: str) -> bool:
    """Whether `text` tells its reader to read its lines another way ("藏头四字，即为…")."""
    first = _POINTED_FIRST.search(text)
    return first is not None and _POINTED.search(text, first.start()) is not None


def _few_words(line: str) -> bool:
    return line.isascii() and len(line.split()) <= MAX_WORDS


def runs(original: str) -> list[list[str]]:
    """Maximal runs of `MIN_LINES` or more consecutive short lines of `original` (stripped);
    a blank line ends a run, as a paragraph break ends a verse."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in [*original.splitlines(), ""]:
        stripped = line.strip()
        if stripped and (len(stripped) <= MAX_LINE or _few_words(stripped)):
            current.append(stripped)
            continue
        if len(current) >= MIN_LINES:
            found.append(current)
        current = []
    return found


def readings(original: str) -> list[str]:
    """Each run's first letters (bullets and numbers skipped), and the columns, read top to
    bottom, of each stretch of vertical text in it (lines of at most `MAX_CELLS` characters)."""
    if original.count("\n") < MIN_LINES - 1:
        return []
    found = []
    for run in runs(original):
        firsts = [m.group() for line in run if (m := FIRST.search(line))]
        if len(firsts) >= MIN_LINES:
            found.append("".join(firsts))
        cells = [_SPACES.sub("", line) for line in run]
        stretch: list[str] = []
        for row in [*cells, "-" * (MAX_CELLS + 1)]:
            if len(row) <= MAX_CELLS:
                stretch.append(row)
                continue
            if len(stretch) >= MIN_LINES:
                found += _columns(stretch)
            stretch = []
    return found


def _columns(rows: list[str]) -> list[str]:
    """The columns of `rows`, each read top to bottom (a short row leaves a column early)."""
    width = max(map(len, rows))
    return ["".join(row[k] for row in rows if k < len(row)) for k in range(width)]
