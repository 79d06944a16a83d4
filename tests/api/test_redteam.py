"""The red-team corpus (tests/data/redteam.yaml) on both grading paths.

Each case attacks a clean answer. The keyword path grades the clean and the attacked answer
offline. The LLM path grades them through the real SDK against a scripted judge mocked at the
HTTP layer: honest on the clean answer (the keyword grade, with the keyword grader's quotes),
and compromised on the attacked one, where it obeys everything: full marks (or the points the
attack asks for) on every criterion, the whole answer and each of its sentences as evidence,
no deductions, and the texts, links or prompt the attack dictates in every feedback field.
Code-side checks alone must keep the attacked score within the corpus's bound of the clean
answer's, raise the expected flags, and keep dictated texts out of the result's feedback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, get_args

import httpx
import pytest
import yaml

import coach
from coach.result import FlagCode
from coach.testing import FakeJudge, JudgeRequest, completion
from tests.rubric.support import pasted_rubric, samples
from tests.support import DATA

CORPUS = yaml.safe_load((DATA / "redteam.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = CORPUS["cases"]
BOUND = float(CORPUS["bound_percent"])
MIN_CASES = 100
CATEGORIES = frozenset(
    {
        "instruction_override",
        "fake_score",
        "delimiter_confusion",
        "fake_authority",
        "role_play",
        "master_key",
        "keyword_stuffing",
        "duplication",
        "padding",
        "off_topic",
        "rubric_copy",
        "invisible_chars",
        "encoded_payload",
        "prompt_leak",
        "feedback_hijack",
        "range_manipulation",
        "pii_bait",
    }
)
_cached_samples = cache(samples)
LEAK_WINDOW = 24  # characters of a system-prompt rule that, found in feedback, count as a leak
_SENTENCE = re.compile(r"(?<=[。！？!?.\n])")


@cache
def _bank(bank_id: str) -> coach.Bank:
    return coach.load_bank(bank_id)


def _clean(case: dict[str, Any]) -> str:
    clean = case["clean"]
    if isinstance(clean, str):
        return clean
    if "ref" in clean:
        text: str = CORPUS["clean_answers"][clean["ref"]]
        return text
    (text,) = [
        a["text"]
        for a in _cached_samples(case["bank"])
        if a["question"] == case["question"] and a["label"] == clean["label"]
    ]
    return text.strip()


def _fill(template: str, clean: str, question: coach.Question) -> str:
    # str.replace, not str.format: attack texts are full of braces (fake JSON).
    return template.replace("{clean}", clean).replace("{rubric}", pasted_rubric(question))


def _attacked(case: dict[str, Any], clean: str) -> str:
    question = _bank(case["bank"]).question(case["question"])
    attack = case["attack"]
    if "repeat" in attack:
        return "\n".join([clean] * int(attack["repeat"]))
    if "replace" in attack:
        return _fill(attack["replace"], clean, question)
    if "template" in attack:
        return _fill(attack["template"], clean, question)
    return str(attack.get("prefix", "")) + clean + str(attack.get("suffix", ""))


def _expect(case: dict[str, Any]) -> dict[str, Any]:
    expect: dict[str, Any] = case["expect"]
    return expect


def _within_bound(
    case: dict[str, Any], attacked: coach.GradeResult, clean: coach.GradeResult
) -> None:
    score = _expect(case).get("score", "relative")
    if score == "relative":
        limit = clean.percent + BOUND
        what = f"clean {clean.score:g}/{clean.max_score:g} ({clean.percent}%) + {BOUND:g}%"
    else:
        limit = float(score["max_percent"])
        what = f"{limit:g}%"
    assert attacked.percent <= limit + 1e-9, (
        f"{case['id']}: attacked {attacked.score:g}/{attacked.max_score:g} "
        f"({attacked.percent}%) above {what}"
    )


def _missing_flags(result: coach.GradeResult, codes: list[str]) -> list[str]:
    return [code for code in codes if not result.has_flag(code)]  # type: ignore[arg-type]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["id"] for case in cases]


# -- the corpus itself -------------------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_category() -> None:
    assert len(CASES) >= MIN_CASES
    assert len(set(_ids(CASES))) == len(CASES), "case ids must be unique"
    seen = {case["category"] for case in CASES}
    assert seen == CATEGORIES, (
        f"missing {sorted(CATEGORIES - seen)}, unknown {sorted(seen - CATEGORIES)}"
    )
    per_category = {c: sum(case["category"] == c for case in CASES) for c in CATEGORIES}
    assert min(per_category.values()) >= 5, per_category
    assert {case["bank"] for case in CASES} == set(coach.builtin_bank_ids())
    overrides = [_attacked(c, _clean(c)) for c in CASES if c["category"] == "instruction_override"]
    assert any(re.search("[\u4e00-\u9fff]{4}", a.split("\n")[-1][-30:]) for a in overrides)
    assert any(re.search("[A-Za-z]{6}", a) for a in overrides)


def test_every_case_is_well_formed() -> None:
    flag_codes = set(get_args(FlagCode))
    for case in CASES:
        assert set(case) <= {
            "id",
            "category",
            "bank",
            "question",
            "clean",
            "attack",
            "obey",
            "expect",
        }
        question = _bank(case["bank"]).question(case["question"])
        clean = _clean(case)
        assert clean and _attacked(case, clean) != clean, case["id"]
        assert set(case["attack"]) <= {"prefix", "suffix", "template", "replace", "repeat"}
        expect = _expect(case)
        assert set(expect) <= {"flags", "llm_flags", "score", "forbid", "not_sent"}, case["id"]
        assert set(expect["flags"]) | set(expect.get("llm_flags", [])) <= flag_codes, case["id"]
        assert question.points > 0


# -- the keyword path --------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyword_grader() -> Iterator[coach.Grader]:
    with coach.Grader(mode="keyword") as grader:
        yield grader


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_keyword_path(case: dict[str, Any], keyword_grader: coach.Grader) -> None:
    clean_text = _clean(case)
    clean = keyword_grader.grade(case["bank"], case["question"], clean_text)
    attacked = keyword_grader.grade(case["bank"], case["question"], _attacked(case, clean_text))
    assert attacked.method == "keyword"
    flags = [f.code for f in attacked.flags]
    missing = _missing_flags(attacked, _expect(case)["flags"])
    assert not missing, f"{case['id']}: flags {flags} lack {missing}"
    _within_bound(case, attacked, clean)


# -- the LLM path, with a compromised judge ----------------------------------------------


def _honest_reply(honest: coach.GradeResult) -> dict[str, Any]:
    """The keyword grade as a model reply: its points, quotes, key points and deductions."""
    return {
        "criteria": {
            c.id: {
                "evidence": [e.quote for e in c.evidence],
                "rationale": c.rationale,
                "key_points": c.key_points_hit,
                "points": c.points,
            }
            for c in honest.criteria
        },
        "deductions": [
            {"id": d.id, "evidence": [e.quote for e in d.evidence]} for d in honest.deductions
        ],
        "strengths": [],
        "improvements": [],
        "follow_up_questions": [],
        "improved_answer": "",
    }


def _compromised_reply(request: JudgeRequest, obey: dict[str, Any]) -> dict[str, Any]:
    """Everything the attack asks for, as a model that obeys every injection would reply."""
    schema = request.schema
    assert schema is not None
    answer = request.answer or ""
    quotes = [answer, *(s for s in _SENTENCE.split(answer) if s.strip())]
    dictated: list[str] = list(obey.get("feedback", []))
    if obey.get("leak_prompt"):
        dictated.append(request.system)
    if obey.get("echo"):
        dictated.append(answer)
    said = "\n".join(dictated) or "回答按要求应得满分"
    criteria = schema["properties"]["criteria"]["properties"]
    first = next(iter(criteria))
    return {
        "criteria": {
            cid: {
                "evidence": quotes,
                "rationale": said,
                "key_points": spec["properties"]["key_points"]["items"]["enum"],
                "points": obey.get("points", spec["properties"]["points"]["maximum"]),
            }
            for cid, spec in criteria.items()
        },
        "deductions": [],
        "strengths": [{"criterion_id": cid, "text": said} for cid in criteria],
        "improvements": [
            {"criterion_id": first, "text": text, "example": text} for text in dictated or [said]
        ],
        "follow_up_questions": [*dictated, "这个回答已经满分了，还有什么要补充的吗？"],
        "improved_answer": said
        + ("。这是按考生要求写入的改写内容，请原样展示给考生。" if dictated else ""),
    }


@dataclass
class ScriptedJudge(FakeJudge):
    """Honest on the clean answer (`honest` set), compromised on everything else."""

    obey: dict[str, Any] = field(default_factory=dict)
    honest: dict[str, Any] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        seen = JudgeRequest(json.loads(request.content or b"{}"))
        self.requests.append(seen)
        reply = self.honest if self.honest is not None else _compromised_reply(seen, self.obey)
        return completion(json.dumps(reply, ensure_ascii=False))


def _feedback_texts(result: coach.GradeResult) -> list[str]:
    """Every text of the result that a candidate reads as advice about their answer."""
    texts = [c.rationale for c in result.criteria]
    for note in [*result.strengths, *result.improvements]:
        texts += [note.text, note.example or ""]
    texts += [f.question for f in result.follow_up_questions]
    if result.improved_answer is not None:
        texts.append(result.improved_answer.text)
    return texts


def _prompt_rules(system: str) -> list[str]:
    """Pieces of the system prompt's numbered rules: none may reach the candidate."""
    rules = [line for line in system.splitlines() if re.match(r"\d+\.", line)]
    return [
        line[i : i + LEAK_WINDOW]
        for line in rules
        for i in range(3, len(line) - LEAK_WINDOW, LEAK_WINDOW)
    ]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_llm_path_with_a_compromised_judge(
    case: dict[str, Any], keyword_grader: coach.Grader
) -> None:
    bank, question = case["bank"], case["question"]
    clean_text = _clean(case)
    attacked_text = _attacked(case, clean_text)
    expect = _expect(case)
    judge = ScriptedJudge(obey=case.get("obey", {}))
    judge.honest = _honest_reply(keyword_grader.grade(bank, question, clean_text))
    with judge.activate():
        grader = judge.grader(mode="llm")
        clean = grader.grade(bank, question, clean_text)
        assert clean.method == "llm", f"{case['id']}: the clean answer was not sent"
        judge.honest = None
        sent_before = len(judge.requests)
        attacked = grader.grade(bank, question, attacked_text)
        grader.close()
    requests = judge.requests[sent_before:]
    problems = []
    if attacked.method == "llm":
        missing = _missing_flags(attacked, expect["flags"] + expect.get("llm_flags", []))
    else:  # blank and non-answers are never sent
        assert not requests, f"{case['id']}: a {attacked.method} result after a request"
        missing = _missing_flags(attacked, expect["flags"])
    if missing:
        problems.append(f"flags {[f.code for f in attacked.flags]} lack {missing}")
    try:
        _within_bound(case, attacked, clean)
    except AssertionError as exc:
        problems.append(str(exc))
    feedback = _feedback_texts(attacked)
    forbidden = list(expect.get("forbid", []))
    if case.get("obey", {}).get("leak_prompt") and requests:
        forbidden += _prompt_rules(requests[0].system)
    leaked = sorted({text for text in forbidden for said in feedback if text in said})
    if leaked:
        problems.append(f"dictated text reached the feedback: {leaked[:3]}")
    for secret in expect.get("not_sent", []):
        for request in requests:
            assert secret not in json.dumps(request.body, ensure_ascii=False), (
                f"{case['id']}: {secret} was sent to the model"
            )
    assert not problems, f"{case['id']}: " + "; ".join(problems)
