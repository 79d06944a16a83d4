"""One `GradeResult` from a verified LLM grade and the keyword analysis that ran beside it.

The keyword grader's findings are facts about the answer, so they bind the LLM's grade:

* its negation-aware deductions apply even when the model missed them;
* its screening flags (injection, keyword list, pasted rubric, off topic, too short, language)
  carry over;
* on an answer it flags as an injection attempt, a pasted rubric or a keyword list, no
  criterion scores above its keyword points (an obedient model cannot be talked into points),
  and `needs_review` says what the model had asked for;
* a wide gap between the two grades adds `needs_review`.

A fallback is the keyword result itself, labelled with the reason, the usage spent and the
flags of what was prepared to send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from coach.grading.feedback import MAX_FOLLOW_UPS, RUBRIC_FOLLOW_UPS
from coach.grading.texts import texts_for
from coach.grading.verify import Verified
from coach.llm.reply import GradeReply
from coach.result import Flag, GradeResult, Usage
from coach.rubric.model import Bank, Question
from coach.text.content import content_of
from coach.text.normalize import normalize
from coach.text.redact import PiiKind

# Screening flags on which the LLM may not score above the keyword grader: an answer that does
# not address the question, or tries to game the grade, needs a person to raise its grade.
SUSPICIOUS = (
    "suspected_injection",
    "rubric_copy",
    "keyword_stuffing",
    "off_topic",
    "repetition",
    "padding",
)
SCREEN_FLAGS = frozenset(
    {
        "suspected_injection",
        "keyword_stuffing",
        "off_topic",
        "rubric_copy",
        "too_short",
        "language_mismatch",
        "repetition",
        "padding",
    }
)
MIN_REWRITE_CONTENT = 15  # a rewrite shorter than this is not an answer ("string", "N/A")
MIN_FOLLOW_UP_CONTENT = 8  # "string", "N/A", "Why?" are not probes
# How a flag message names what was redacted, and the list separator.
_PII_NAMES: dict[str, tuple[dict[str, str], str]] = {
    "zh": (
        {
            "phone": "手机号 {n} 处",
            "id_number": "身份证号 {n} 处",
            "bank_card": "银行卡号 {n} 处",
            "email": "邮箱 {n} 处",
        },
        "、",
    ),
    "en": (
        {
            "phone": "{n} phone number(s)",
            "id_number": "{n} ID number(s)",
            "bank_card": "{n} bank card number(s)",
            "email": "{n} e-mail address(es)",
        },
        ", ",
    ),
}
_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "pii": "回答中的个人信息（{what}）在发送前已替换为占位符。",
        "truncated": "回答过长，发送给模型前截断到 {tokens} 个 token。",
        "clamped": "模型给出的分数超出范围，已按满分和 0 截断：{what}。",
        "unverified": "模型引用的证据在回答中找不到，相关得分不计：{what}。",
        "repaired": "模型回复中有不属于评分标准的条目，已忽略：{what}。",
        "gap": "模型评分 {llm:.0f}% 与关键词评分 {kw:.0f}% 差距较大，建议人工复核。",
        "suspicious": "回答被标记为可疑（{what}），模型给了 {claimed:g} 分，高于关键词评分 {kw:g} "
        "分；高出的部分不计，建议人工复核。",
        "capped_note": "（回答可疑，按关键词评分封顶）",
    },
    "en": {
        "pii": "Personal data in the answer ({what}) was replaced by placeholders before sending.",
        "truncated": "The answer was too long and was cut to {tokens} tokens before sending.",
        "clamped": "The model's points were out of range and were clamped: {what}.",
        "unverified": "Evidence the model quoted is not in the answer; "
        "those points count 0: {what}.",
        "repaired": "Entries of the model's reply that are not in the rubric were ignored: {what}.",
        "gap": "The LLM grade ({llm:.0f}%) and the keyword grade ({kw:.0f}%) differ widely; "
        "review it.",
        "suspicious": "The answer is flagged ({what}) and the LLM gave {claimed:g} points, "
        "more than the keyword grade of {kw:g}; the excess does not count. Review it.",
        "capped_note": " (suspicious answer: capped at the keyword grade)",
    },
}


def _texts(language: str) -> dict[str, str]:
    return _MESSAGES.get(language, _MESSAGES["en"])


def pii_flag(language: str, counts: Mapping[PiiKind, int]) -> dict[str, Any]:
    """The `pii_redacted` flag, naming how much of each kind was replaced."""
    names, sep = _PII_NAMES.get(language, _PII_NAMES["en"])
    what = sep.join(names[kind].format(n=n) for kind, n in sorted(counts.items()))
    return {"code": "pii_redacted", "message": _texts(language)["pii"].format(what=what)}


def truncated_flag(language: str, tokens: int) -> dict[str, Any]:
    return {"code": "truncated", "message": _texts(language)["truncated"].format(tokens=tokens)}


def claimed_points(reply: GradeReply | None, question: Question) -> float:
    """The points the model asked for, in range, before any evidence was checked."""
    if reply is None:
        return 0.0
    limits = {c.id: c.points for c in question.criteria}
    asked = {e.id: min(max(e.points, 0.0), limits[e.id]) for e in reply.criteria if e.id in limits}
    return round(sum(asked.values()), 2)


def llm_result(
    *,
    bank: Bank,
    question: Question,
    keyword: GradeResult,
    verified: Verified,
    reply: GradeReply | None,
    prepared_flags: Sequence[dict[str, Any]],
    usage: Usage,
    model: str,
    prompt_hash: str,
    review_gap: float,
    offline_coaching: Callable[[list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]],
    model_coaching: bool = True,
) -> GradeResult:
    """The LLM's verified grade, bound by the keyword findings (see the module docstring).

    `offline_coaching` builds the coaching fields from the final criteria and deductions; it
    stands in for the model's advice when the grader asked for the grade alone
    (`model_coaching=False`) and on an answer flagged as suspicious, where the model may have
    been made to write what the answer dictated: then no text of the model is kept, and each
    criterion's rationale is the keyword grader's.
    """
    messages = _texts(bank.language)
    deductions = list(verified.deductions)
    for found in keyword.deductions:
        if all(d["id"] != found.id for d in deductions):
            deductions.append(found.model_dump())
    criteria = verified.criteria
    suspicious = [code for code in SUSPICIOUS if keyword.has_flag(code)]  # type: ignore[arg-type]
    if suspicious:
        offline = {c.id: c for c in keyword.criteria}
        for entry in criteria:
            entry["rationale"] = offline[entry["id"]].rationale
            if entry["points"] > offline[entry["id"]].points:
                entry["points"] = offline[entry["id"]].points
                entry["rationale"] += messages["capped_note"]
    earned = sum(c["points"] for c in criteria)
    lost = sum(d["points"] for d in deductions)
    score = round(min(question.points, max(0.0, earned - lost)), 2)
    percent = round(100 * score / question.points, 1)
    flags: list[Any] = [f for f in keyword.flags if f.code in SCREEN_FLAGS]  # models as they are
    flags += list(prepared_flags)
    notes = {
        "points_clamped": "clamped",
        "unverified_evidence": "unverified",
        "reply_repaired": "repaired",
    }
    for code, key in notes.items():
        if code in verified.notes:
            what = ", ".join(verified.notes[code])
            flags.append({"code": code, "message": messages[key].format(what=what)})
    claimed = claimed_points(reply, question)
    if suspicious and claimed > keyword.score:
        message = messages["suspicious"].format(
            what=", ".join(suspicious), claimed=claimed, kw=keyword.score
        )
        flags.append({"code": "needs_review", "message": message})
    elif abs(percent - keyword.percent) >= review_gap:
        message = messages["gap"].format(llm=percent, kw=keyword.percent)
        flags.append({"code": "needs_review", "message": message})
    return GradeResult.model_validate(
        {
            "bank_id": bank.id,
            "question_id": question.id,
            "score": score,
            "max_score": question.points,
            "percent": percent,
            "method": "llm",
            "status": "graded",
            "criteria": criteria,
            "deductions": deductions,
            "flags": flags,
            **(
                offline_coaching(criteria, deductions)
                if suspicious or not model_coaching
                else llm_coaching(bank, question, keyword, verified, reply, criteria, deductions)
            ),
            "model": model,
            "usage": usage,
            "prompt_hash": prompt_hash,
            "rubric_version": keyword.rubric_version,
        }
    )


def llm_coaching(
    bank: Bank,
    question: Question,
    keyword: GradeResult,
    verified: Verified,
    reply: GradeReply | None,
    criteria: list[dict[str, Any]],
    deductions: list[dict[str, Any]],
) -> dict[str, Any]:
    """The coaching fields of an LLM result, checked against what the grade supports.

    A strength must name a criterion that kept at least half its points, and is quoted from
    that criterion's verified evidence, so the model cannot praise what it did not credit.
    Improvements keep only ids of the rubric. Follow-ups: the rubric's first, then the model's,
    then the keyword grader's probes. STAR parts need verified quotes (or the keyword cues).
    Without a rewrite from the model, the rubric's model answer stands in, labelled as such.
    """
    t = texts_for(bank.language)
    by_id = {c["id"]: c for c in criteria}
    key_points = {c.id: {kp.id for kp in c.key_points} for c in question.criteria}
    strengths = []
    improvements: list[dict[str, Any]] = [
        {"text": t.avoid.format(what=d["description"]), "deduction_id": d["id"]} for d in deductions
    ]
    notes_strengths = reply.strengths if reply else []
    for note in notes_strengths:
        kept = by_id.get(note.criterion_id or "")
        if kept is None or kept["points"] < 0.5 * kept["max_points"] or not kept["evidence"]:
            continue
        strengths.append(
            {
                "text": note.text,
                "criterion_id": kept["id"],
                "example": kept["evidence"][0]["quote"],
            }
        )
    for note in reply.improvements if reply else []:
        cid = note.criterion_id if note.criterion_id in by_id else None
        kp = note.key_point_id if cid and note.key_point_id in key_points[cid] else None
        improvements.append(
            {"text": note.text, "criterion_id": cid, "key_point_id": kp, "example": note.example}
        )
    asked: list[dict[str, Any]] = [
        {"question": q, "source": "rubric"} for q in question.follow_ups[:RUBRIC_FOLLOW_UPS]
    ]
    asked += [
        {"question": q, "source": "llm"}
        for q in (reply.follow_up_questions if reply else [])
        if _substantial(q, MIN_FOLLOW_UP_CONTENT)
    ]
    asked += [f.model_dump() for f in keyword.follow_up_questions if f.source != "rubric"]
    follow_ups: list[dict[str, Any]] = []
    for item in asked:
        if len(follow_ups) < MAX_FOLLOW_UPS and all(
            item["question"] != f["question"] for f in follow_ups
        ):
            follow_ups.append(item)
    star = None
    if keyword.star is not None:
        star = keyword.star.model_dump()
        for name, part in (verified.star or {}).items():
            if part["present"]:
                star[name] = part
    improved = keyword.improved_answer.model_dump() if keyword.improved_answer else None
    rewrite = reply.improved_answer.strip() if reply else ""
    if _substantial(rewrite, MIN_REWRITE_CONTENT):
        improved = {"text": rewrite, "source": "rewrite", "label": t.rewrite_label}
    return {
        "strengths": strengths,
        "improvements": improvements,
        "follow_up_questions": follow_ups,
        "star": star,
        "improved_answer": improved,
    }


def _substantial(text: str, chars: int) -> bool:
    """At least `chars` letters, digits or ideographs: a placeholder is no advice."""
    # Normalizing only adds content characters (full-width and upper-case letters become
    # ASCII lower case; ideographs stay ideographs), so a text already long enough as written
    # needs no normalizing.
    if len(content_of(text.lower())) >= chars:
        return True
    return len(content_of(normalize(text).text)) >= chars


def fallback_result(
    keyword: GradeResult,
    reason: str,
    *,
    prepared_flags: Sequence[dict[str, Any]] = (),
    usage: Usage | None = None,
    model: str | None = None,
    prompt_hash: str | None = None,
) -> GradeResult:
    """The keyword result, labelled as a fallback with its reason."""
    update: dict[str, Any] = {"status": "fallback", "fallback_reason": reason}
    if prepared_flags:
        update["flags"] = [*keyword.flags, *(Flag.model_validate(f) for f in prepared_flags)]
    if usage is not None:
        update |= {"usage": usage, "model": model, "prompt_hash": prompt_hash}
    return keyword.model_copy(update=update)
