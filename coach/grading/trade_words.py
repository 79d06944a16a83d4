"""The words of the trade an interview is about, and text written in another trade's words.

An artefact planted in an answer (a waybill, a parcel-locker notice, a prescription, a puzzle
box) is told apart less by what it says than by the words it says it in: its labels and filler
come from a trade the interview is not about ("运单号", "取件码", "保险箱"), while a candidate
writes in the words of the job, which the rubrics use too. So the trade's words are read from
the rubrics themselves: every token of the bank's questions (prompts, key points and their
variants, criteria, model answers, topic terms), with the built-in banks of its language beside
them, so that a bank of one question still knows the everyday words of the service.

A token is a pair of adjacent ideographs or a Latin word: enough to tell "存入3号柜" from "存入
账户" without a dictionary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from coach.rubric.loader import builtin_banks
from coach.rubric.model import Bank, Question
from coach.text.content import IDEOGRAPHS
from coach.text.normalize import normalize

_IDEOGRAPH_RUN = re.compile(f"[{IDEOGRAPHS}]{{2,}}")
_WORD = re.compile(r"[a-z]{2,}")


def tokens(folded: str) -> list[str]:
    """The tokens of normalized text: its ideograph pairs and its Latin words."""
    found = [run[i : i + 2] for run in _IDEOGRAPH_RUN.findall(folded) for i in range(len(run) - 1)]
    return found + _WORD.findall(folded)


def _question_texts(question: Question) -> Iterable[str]:
    yield question.prompt
    yield question.model_answer or ""
    yield from question.topic_terms
    for criterion in question.criteria:
        yield criterion.name
        yield criterion.description or ""
        for key_point in criterion.key_points:
            yield key_point.text
            yield from key_point.variants


def bank_words(bank: Bank) -> frozenset[str]:
    """Every token of `bank`'s questions."""
    text = "\n".join(t for q in bank.questions for t in _question_texts(q))
    return frozenset(tokens(normalize(text).text))


@functools.lru_cache(maxsize=4)
def _builtin_words(language: str) -> frozenset[str]:
    found: set[str] = set()
    for bank in builtin_banks():
        if bank.language == language:
            found |= bank_words(bank)
    return frozenset(found)


def trade_words(bank: Bank) -> frozenset[str]:
    """The tokens of the trade `bank` is about: its own and the built-in banks' of its
    language."""
    return bank_words(bank) | _builtin_words(bank.language)
