"""Drafting a rubric from a question and its reference answers, with no LLM.

A reference answer says what a good answer contains; the keyword grader needs that as key
points, each recognised through a few phrasings. The draft is built deterministically:

1. every reference (and any extra good answer) is folded with the grader's own normalizer and
   cut into clauses, so a phrase is written exactly as the matcher will look for it;
2. each clause offers character n-grams (2-4 characters; words for English) that do not start
   or end on a function character, do not cut an ASCII word and are not the question's own
   wording (every answer repeats that, so it tells nothing);
3. salience is rarity in ordinary interview Chinese (`general_background`), judged by the
   commonest character pair, a little more for length, and more when several sources share
   the phrase: shared phrasing between references is what a key point looks like;
4. clauses are taken best first; a clause whose phrasing overlaps an existing key point adds
   its other phrasings there as variants, otherwise it becomes a new key point;
5. the question's terms that the references repeat become a `topic` key point, and a
   true/false question ("判断…是否正确") whose reference opens with a verdict gets that verdict
   as a key point and the opposite verdict as a (negation-aware) deduction.

With `full_share`, the criterion gets count bands that give full points once that share of its
key points is hit (and proportionally less below): a reference answer usually says more than a
full-mark answer needs.

Variants match as substrings of the normalized answer (`coach.text.match`): short phrases, never
sentences. The result is a plain `Question`: edit it, or calibrate it (`coach.authoring.calibrate`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from coach.errors import CoachError
from coach.rubric.model import Band, Criterion, Deduction, KeyPoint, Language, Question
from coach.text.normalize import CLAUSE_BREAK, SENTENCE_END, normalize

MAX_KEY_POINTS = 8
VARIANTS_PER_POINT = 4
TOPIC_TERMS = 4
EDGE_PENALTY = 0.4  # for a phrase that starts or ends with a character pair seen nowhere else
_LENGTH_BONUS = {1: 1.0, 2: 1.0, 3: 1.1, 4: 1.15}
_EDGE_STOP = frozenset(
    "的了是和与及或而则即就也都在对把被将从其之这那个些等着过为以于所因但若如该此并且很更最再又还只已地得们"
)
_EN_STOP = frozenset(
    "a an the and or of to in on for with is are be it this that as by at from which can"
    " will not no its their there then than so if when".split()
)
_RUN = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff^+/-]+")
_ASCII = re.compile(r"[0-9a-z]")
_ENUMERATOR = re.compile(r"^(?:\d{1,2}\.|\d(?=[\u4e00-\u9fff]))")
_VERDICT_QUESTION = re.compile(r"判断.{0,16}(?:正确|对错|正误)|是否正确|对不对|true or false")
_WRONG = re.compile(r"^(?:答，?)?(?:错误|不正确|错|不对|false)")
_RIGHT = re.compile(r"^(?:答，?)?(?:正确|对|true)")
_CRITERION = {
    "zh": ("要点覆盖", "回答覆盖参考答案中的要点"),
    "en": ("Key points", "Covers the key points of the reference answers"),
}
_VERDICTS = {  # verdict: (key point variants, deduction triggers for the opposite verdict)
    "wrong": (["错误", "不正确", "不对", "错的"], ["正确"]),
    "right": (["正确", "对的", "成立"], ["错误", "不正确", "不对"]),
}


class _Candidate(NamedTuple):
    score: float
    phrase: str


def _clauses(text: str) -> list[str]:
    folded = normalize(text).text.replace(CLAUSE_BREAK, SENTENCE_END)
    clauses = [_ENUMERATOR.sub("", part.strip()) for part in folded.split(SENTENCE_END)]
    return [clause for clause in clauses if len(clause) >= 2]


def _grams(clause: str, language: Language) -> set[str]:
    """Candidate phrases of one clause (see the module docstring, step 2)."""
    found: set[str] = set()
    if language == "en":
        words = re.findall(r"[a-z0-9][a-z0-9'-]*", clause)
        for size in (1, 2, 3):
            for i in range(len(words) - size + 1):
                gram = words[i : i + size]
                edges = gram[0] not in _EN_STOP and gram[-1] not in _EN_STOP
                if edges and (size > 1 or len(gram[0]) >= 4):
                    found.add(" ".join(gram))
        return found
    for run in _RUN.findall(clause.replace("*", " ")):
        for size in range(2, 5):
            for i in range(len(run) - size + 1):
                gram = run[i : i + size]
                if gram[0] in _EDGE_STOP or gram[-1] in _EDGE_STOP or gram[-1] == "不":
                    continue
                cuts_word = (i > 0 and _ASCII.match(gram[0]) and _ASCII.match(run[i - 1])) or (
                    i + size < len(run) and _ASCII.match(gram[-1]) and _ASCII.match(run[i + size])
                )
                if not cuts_word:
                    found.add(gram)
    return found


class _Salience:
    """Scores candidate phrases against the sources and the background (step 3).

    A long n-gram is rare anywhere, so rarity is judged part by part: a phrase is as specific
    as its most common character pair ("大量元素" is no rarer than "元素").
    """

    def __init__(
        self, sources: Sequence[str], background: Sequence[str], prompt: str, corpus: Sequence[str]
    ) -> None:
        self.sources = sources
        self.background = background
        self.prompt = prompt
        self.corpus = list(dict.fromkeys([*background, *corpus]))  # each text once
        self._idf: dict[str, float] = {}
        self._cohesive: dict[str, bool] = {}

    def cohesive(self, pair: str) -> bool:
        """A character pair seen in two texts is likely a word, not a cut across two."""
        found = self._cohesive.get(pair)
        if found is None:
            found = self._cohesive[pair] = sum(pair in text for text in self.corpus) >= 2
        return found

    def idf(self, part: str) -> float:
        found = self._idf.get(part)
        if found is None:
            seen = sum(part in text for text in self.background)
            found = self._idf[part] = math.log((2 + len(self.background)) / (1 + seen))
        return found

    def score(self, phrase: str, language: Language) -> float:
        if phrase in self.prompt:
            return 0.0
        support = sum(phrase in source for source in self.sources) / len(self.sources)
        if language == "en":
            parts, size = phrase.split(), len(phrase.split())
        else:
            parts, size = [phrase[i : i + 2] for i in range(len(phrase) - 1)], len(phrase)
        rarity = min(self.idf(part) for part in parts)
        edges = 1.0 if self.cohesive(parts[0]) and self.cohesive(parts[-1]) else EDGE_PENALTY
        return rarity * edges * _LENGTH_BONUS.get(size, 1.3) * math.sqrt(support)


def _related(a: str, b: str) -> bool:
    return a in b or b in a


def _pick(candidates: list[_Candidate], limit: int, taken: Iterable[str] = ()) -> list[str]:
    """The best phrases, none containing another or one already taken."""
    picked: list[str] = []
    blocked = list(taken)
    for candidate in sorted(candidates, key=lambda c: (-c.score, -len(c.phrase), c.phrase)):
        if len(picked) >= limit or candidate.score <= 0:
            break
        if not any(_related(candidate.phrase, other) for other in [*picked, *blocked]):
            picked.append(candidate.phrase)
    return picked


def _verdict(prompt: str, references: Sequence[str]) -> str | None:
    if not _VERDICT_QUESTION.search(prompt):
        return None
    votes = ["wrong" if _WRONG.match(r) else "right" if _RIGHT.match(r) else "" for r in references]
    wrong, right = votes.count("wrong"), votes.count("right")
    return None if wrong == right else "wrong" if wrong > right else "right"


def _groups(
    salience: _Salience,
    texts: Sequence[str],
    references: int,
    language: Language,
    limit: int,
    blocked: Sequence[str],
) -> list[tuple[str, list[str]]]:
    """Key points as (source clause, variants), best clause first (step 4)."""
    ordered: list[tuple[float, str, list[_Candidate]]] = []
    for number, text in enumerate(texts):
        for clause in _clauses(text):
            cands = [
                _Candidate(salience.score(g, language), g)
                for g in sorted(_grams(clause, language))
                if not any(_related(g, b) for b in blocked)
            ]
            if number >= references:  # an answer's phrase counts only if another source has it
                cands = [c for c in cands if sum(c.phrase in s for s in salience.sources) >= 2]
            best = max((c.score for c in cands), default=0.0)
            if best > 0:
                ordered.append((best + (0.01 if number < references else 0.0), clause, cands))
    ordered.sort(key=lambda item: -item[0])
    groups: list[tuple[str, list[str]]] = []
    for _, clause, cands in ordered:
        every = [v for _, variants in groups for v in variants]
        picks = _pick(cands, VARIANTS_PER_POINT)
        owner = next((g for g in groups if any(_related(p, v) for p in picks for v in g[1])), None)
        if owner is None and len(groups) < limit:
            fresh = [p for p in picks if not any(_related(p, v) for v in every)]
            if fresh:
                groups.append((clause, fresh))
        elif owner is not None and len(owner[1]) < VARIANTS_PER_POINT:
            owner[1].extend(_pick(cands, VARIANTS_PER_POINT - len(owner[1]), every))
    return groups


def derive_rubric(
    question_prompt: str,
    references: Sequence[str],
    *,
    question_id: str = "q1",
    points: float = 10,
    language: Language = "zh",
    answers: Sequence[str] = (),
    background: Sequence[str] | None = None,
    corpus: Sequence[str] = (),
    max_key_points: int = MAX_KEY_POINTS,
    full_share: float | None = None,
) -> Question:
    """A draft rubric for one question from its reference answers.

    `answers` are extra good answers (high-scoring ones) used like references. `corpus` holds
    other questions' texts: a phrase they share is a word of the subject, not of this answer.
    A phrase's rarity is judged against `background` (default: `general_background` plus
    `corpus`). `full_share` (0-1] gives full points for that share of the key points (see the
    module docstring). Raises `CoachError` when there is no usable reference or no phrase in it.
    """
    refs = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if not question_prompt.strip():
        raise CoachError(f"question {question_id!r}: the question text is empty")
    if not refs:
        raise CoachError(f"question {question_id!r}: no reference answer to derive a rubric from")
    prompt = normalize(question_prompt).text
    sources = [normalize(text).text for text in [*refs, *answers] if text.strip()]
    own = {prompt, *sources}
    others = [text for text in (normalize(t).text for t in corpus) if text not in own]
    folded = (
        [*general_background(), *others]
        if background is None
        else [normalize(t).text for t in background]
    )
    salience = _Salience(sources, folded, prompt, [prompt, *sources, *others])
    verdict = _verdict(prompt, [normalize(r).text for r in refs]) if language == "zh" else None
    blocked = _VERDICTS[verdict][0] if verdict else []
    groups = _groups(salience, [*refs, *answers], len(refs), language, max_key_points, blocked)
    if not groups:
        raise CoachError(f"question {question_id!r}: no key phrase found in its references")
    # Texts name phrases, not clauses: an answer worded like the rubric scores 0 (rubric copy).
    key_points = [
        KeyPoint(id=f"kp{n}", text=_label(clause, variants), variants=variants)
        for n, (clause, variants) in enumerate(groups, start=1)
    ]
    topic = _topic_terms(prompt, sources, language)
    if topic:
        text = "紧扣题目，用到题目中的核心术语" if language == "zh" else "Uses the question's terms"
        key_points.insert(0, KeyPoint(id="topic", text=text, variants=topic))
    deductions = []
    if verdict is not None:
        variants, opposite = _VERDICTS[verdict]
        key_points.insert(0, KeyPoint(id="verdict", text=f"判断：{variants[0]}", variants=variants))
        wrong = f"判断结论与参考答案相反（参考答案为「{variants[0]}」）"
        deductions.append(
            Deduction(id="wrong_verdict", description=wrong, points=points / 2, triggers=opposite)
        )
    name, description = _CRITERION[language]
    criterion = Criterion(
        id="key_points", name=name, points=points, description=description, key_points=key_points,
        bands=_share_bands(len(key_points), points, full_share),
    )  # fmt: skip
    return Question(
        id=question_id, kind="knowledge", prompt=question_prompt.strip(), points=points,
        criteria=[criterion], deductions=deductions, model_answer=refs[0],
    )  # fmt: skip


@functools.lru_cache(maxsize=1)
def general_background() -> tuple[str, ...]:
    """Ordinary interview Chinese to judge rarity against: the built-in banks' questions.

    They share the function words and common verbs of any Chinese answer but hardly any
    subject's terms: "需要" and "进行" come out common, "链式" or "前驱" rare.
    """
    from coach.rubric.loader import builtin_banks

    return tuple(
        normalize("。".join([q.prompt, q.model_answer, *(c.description for c in q.criteria)])).text
        for bank in builtin_banks()
        for q in bank.questions
    )


def _topic_terms(prompt: str, sources: Sequence[str], language: Language) -> list[str]:
    """The question's own terms that most sources repeat: an answer on topic uses them."""
    grams = {g for clause in _clauses(prompt) for g in _grams(clause, language)}
    scored = [
        _Candidate(sum(g in s for s in sources) / len(sources) * len(g), g)
        for g in sorted(grams)
        if sum(g in s for s in sources) * 2 >= len(sources)
    ]
    return _pick(scored, TOPIC_TERMS)


def _label(clause: str, variants: Sequence[str]) -> str:
    """The variants in the order the source clause says them."""
    return " / ".join(sorted(variants, key=lambda v: (clause.find(v), v)))


def _share_bands(key_points: int, points: float, full_share: float | None) -> list[Band]:
    """Count bands giving `points` at `full_share` of `key_points` hits, a proportional part
    below; none without a share."""
    if full_share is None:
        return []
    if not 0 < full_share <= 1:
        raise CoachError(f"full_share must be in (0, 1], not {full_share}")
    full = max(1, math.ceil(full_share * key_points))
    bands: list[Band] = []
    for hits in range(1, full + 1):
        earned = points if hits == full else round(points * hits / full, 2)
        if earned > (bands[-1].points if bands else 0):  # bands must rise
            bands.append(Band(hits=hits, points=earned))
    return bands
