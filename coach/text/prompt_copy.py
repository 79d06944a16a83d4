"""The question's prompt restated in the answer.

Copying the question fills an answer without answering it. `compile_prompt` prepares a prompt
once (its content, packed 4-grams and probe pieces); `prompt_copy` then finds a long run of it
in an answer with substring searches and integer comparisons, done mostly in C. The packed
4-grams serve the keyword grader's check for an answer copied from the rubric as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.text.content import content_of
from coach.text.match import Hit

PROMPT_COPY_CHARS = {"zh": 20, "en": 40}  # content characters copied from the question in a row


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question's prompt, prepared once for `prompt_copy`."""

    content: str
    grams: frozenset[int]  # every 4-gram of `content`, packed as in `packed_grams`
    min_chars: int
    # Pieces of `content` spaced so that any `min_chars` copied from it hold one whole: most
    # answers contain none, found by plain substring searches in C.
    probes: tuple[str, ...]


def packed_grams(content: str) -> memoryview:
    """The consecutive (non-overlapping) 4-grams of `content`, each packed into one integer.

    Content is BMP-only (see `content_of`), so UTF-16 spends exactly two bytes per character
    and four characters fill one unsigned 64-bit item: cutting and packing happen in C, and
    comparing integers is cheaper than building and hashing a string per gram.
    """
    usable = len(content) // 4 * 4
    return memoryview(content[:usable].encode("utf-16-le")).cast("Q")


def all_packed_grams(content: str) -> frozenset[int]:
    """Every 4-gram of `content`, overlapping ones included, packed as in `packed_grams`."""
    return frozenset(gram for shift in range(4) for gram in packed_grams(content[shift:]))


PROMPT_COPY_SHARE = 0.8  # of the prompt's content, copied in a row, is the question restated


def compile_prompt(folded_prompt: str, language: str) -> Prompt:
    """`folded_prompt` is the question's prompt, normalized."""
    content = content_of(folded_prompt)
    # Most of the prompt in one run: answers often restate part of a question to structure
    # themselves ("(1)分别用多个顺序存储空间建立多个独立的顺序栈。优点……"), which is no filler.
    need = max(PROMPT_COPY_CHARS.get(language, 40), int(PROMPT_COPY_SHARE * len(content)))
    size = need // 2 - 2
    step = need - size + 1  # a window of `need` characters always holds one whole probe
    probes = tuple(content[i : i + size] for i in range(0, max(1, len(content) - size + 1), step))
    return Prompt(content, all_packed_grams(content), need, probes)


def prompt_copy(text: str, content: str, prompt: Prompt) -> tuple[Hit, ...]:
    """The question's prompt restated in the answer: `prompt.min_chars` content characters or
    more in a row copied from it (at least `PROMPT_COPY_SHARE` of the prompt; a partial quote
    of the question is an answer's way in)."""
    need = prompt.min_chars
    if len(content) < need or len(prompt.content) < need:
        return ()
    if not any(probe in content for probe in prompt.probes):
        return ()
    grams = packed_grams(content)
    # A copied run of `need` characters holds at least this many whole aligned 4-grams; most
    # answers share fewer with the prompt and stop here, in C.
    aligned = (need - 3) // 4
    if len(prompt.grams.intersection(grams)) < aligned:
        return ()
    run = 0
    for index, gram in enumerate(grams):
        run = run + 1 if gram in prompt.grams else 0
        if run < aligned:
            continue
        # Grams `index - run + 1 .. index` are in the prompt; check the characters around.
        low = max(0, 4 * (index - run + 1) - 3)
        high = min(len(content), 4 * (index + 1) + 3)
        for start in range(low, high - need + 1):
            piece = content[start : start + need]
            if piece in prompt.content:
                # Evidence: where the copy starts (its first characters, when the answer
                # writes them without punctuation between them, as the prompt does).
                at = text.find(piece[:4])
                return (Hit(at, at + 4),) if at >= 0 else ()
    return ()
