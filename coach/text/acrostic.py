"""Words spelled by the first letters of lines: an acrostic.

A short poem or list whose lines begin with 全, 部, 满, 分 (or F, U, L, L ...) reads as verse to
a person going line by line, but a model asked to look spells out the hidden words and may obey
them. So the first character of each line in a run of short lines is read as one more sentence,
and every stretch of that reading (three lines or more) is judged like any other sentence
(`coach.text.addressed`); no chance spelling holds full marks, praise or a hiring decision, so
one of those alone is enough. Lines are the answer's own line breaks; a verse written on one
line is read by its clauses, when four or more in a row are of about one length, as verse
lines are.

What fires is reported as the normalized range of the lines that spell it, so the keyword
grader blanks them and the quote verifier refuses them as evidence. An answer that tells its
reader to read its lines down (`coach.text.spelled.pointed`) has every run of short lines
flagged, whatever they spell.
"""

from __future__ import annotations

import functools
import re

from coach.text.addressed import addressed_spans, may_anchor, tags_of
from coach.text.normalize import SENTENCE_END, normalize
from coach.text.spelled import FIRST as _FIRST
from coach.text.spelled import MAX_LINE, MIN_LINES, pointed
from coach.text.spelled import runs as spelled_runs

MIN_VERSE = 4  # clauses of one line read as verse lines
VERSE_LINE = (4, 12)  # characters of a verse line written as a clause
VERSE_SPREAD = 2  # verse lines are about one length: at most this many characters apart
MAX_STRETCH = 12  # the longest stretch of first letters read as one sentence
_LINE = re.compile(r"[^\n]+")
_CLAUSE = re.compile(r"[^\n,.;:!?，。；：！？、]+")
# What letters spelled by chance never say ("grade" may be G-R-A-D-E of a list of steps).
_SPELLED = frozenset({"full_marks", "praise", "hire", "grader", "rubric"})


def acrostic_spans(original: str, text: str) -> list[tuple[int, int]]:
    """Ranges of normalized `text` whose lines (in `original`) spell an instruction."""
    found: list[tuple[int, int]] = []
    # (Most answers have no run of short lines to be a vehicle: they are not read for words
    # that point at one.)
    if (vehicles := spelled_runs(original)) and pointed(text):
        # The answer says its lines hide a message: every run of them is the message's
        # vehicle, whatever the message says.
        found += [span for run in vehicles if (span := _located(run, text))]
    for unit, verse in ((_LINE, False), (_CLAUSE, True)):  # clauses where lines spell nothing
        # Most answers have too few lines to make a run: their lines are not read.
        enough = verse or original.count("\n") + 1 >= MIN_LINES
        runs = _runs(unit.findall(original), verse) if enough else []
        # One look at every run's first letters, folded one by one: most spell no grading word.
        letters = SENTENCE_END.join("".join(_letters(run)) for run in runs)
        if letters and may_anchor(_folded(letters)):
            for run in runs:
                found += _spelled(run, text)
        if found:
            break
    return found


def _folded(letters: str) -> str:
    """`letters` normalized one by one (each is the start of its own line)."""
    return "".join(map(_folded_letter, letters))


@functools.lru_cache(maxsize=8192)
def _folded_letter(letter: str) -> str:
    return normalize(letter).text


def _runs(lines: list[str], verse: bool) -> list[list[str]]:
    """Maximal runs of consecutive short lines that start with a letter: at least `MIN_LINES`
    lines, or, for clauses (`verse`), at least `MIN_VERSE` of about one length, as verse is."""
    runs: list[list[str]] = []
    current: list[str] = []
    least, shortest, longest = (MIN_VERSE, *VERSE_LINE) if verse else (MIN_LINES, 1, MAX_LINE)
    opening = 0  # the length of the run's first line
    for stripped in map(str.strip, lines):
        if not stripped:
            continue  # a blank line does not break a verse
        size = len(stripped)
        fits = shortest <= size <= longest and (
            # an ideograph is a letter: most clauses open on one, told without a search
            "\u4e00" <= stripped[0] <= "\u9fff" or _FIRST.search(stripped, 0, 4) is not None
        )
        if fits:
            if verse and current and abs(size - opening) > VERSE_SPREAD:
                if len(current) >= least:
                    runs.append(current)
                current = []
            if not current:
                opening = size
            current.append(stripped)
            continue
        if len(current) >= least:
            runs.append(current)
        current = []
    if len(current) >= least:
        runs.append(current)
    return runs


def _spelled(run: list[str], text: str) -> list[tuple[int, int]]:
    """The normalized range of each shortest stretch of `run` whose first letters fire, with
    the lines around it that look like its own (see `_verse_around`)."""
    letters = _letters(run)
    if not may_anchor(_folded("".join(letters))):
        return []  # no grading word anywhere in this run's letters
    stretches: list[tuple[int, int]] = []
    for size in range(MIN_LINES, min(len(letters), MAX_STRETCH) + 1):
        for first in range(len(letters) - size + 1):
            last = first + size
            if any(a >= first and b <= last for a, b in stretches):
                continue  # a shorter stretch inside says it already
            if not _alike(run[first:last]):
                continue  # an answer's sentence beside a verse is no line of it
            reading = normalize("".join(letters[first:last])).text + SENTENCE_END
            if _SPELLED & tags_of(reading) or addressed_spans(reading):
                stretches.append((first, last))
    found = []
    for first, last in stretches:
        first, last = _verse_around(run, first, last)
        span = _located(run[first:last], text)
        if span is not None:
            found.append(span)
    return found


def _letters(run: list[str]) -> list[str]:
    """The first letter of each line of `run` (every line of a run has one)."""
    return [match.group() for line in run if (match := _FIRST.search(line))]


def _verse_around(run: list[str], first: int, last: int) -> tuple[int, int]:
    """`run[first:last]` widened by the neighbouring lines of about its lines' length: the
    rest of the verse, not a sentence of the answer that happens to be short."""
    while first > 0 and _alike([run[first - 1], *run[first:last]]):
        first -= 1
    while last < len(run) and _alike([*run[first:last], run[last]]):
        last += 1
    return first, last


def _alike(lines: list[str]) -> bool:
    """Whether lines are of about one length and script, as a verse's are: none under half
    the median length, none over twice it, all opening on Latin letters or none."""
    sizes = sorted(len(line) for line in lines)
    middle = sizes[len(sizes) // 2]
    scripts = {_script(line) for line in lines}
    return middle <= 2 * sizes[0] and sizes[-1] <= 2 * middle and len(scripts) == 1


def _script(line: str) -> bool:
    match = _FIRST.search(line)
    return match is not None and match.group().isascii()


def _located(lines: list[str], text: str) -> tuple[int, int] | None:
    """Where the normalized lines stand in normalized `text`, first to last."""
    start = text.find(normalize(lines[0]).text)
    if start < 0:
        return None
    last = normalize(lines[-1]).text
    end = text.find(last, start)
    return None if end < 0 else (start, end + len(last))
