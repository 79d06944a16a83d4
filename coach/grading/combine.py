"""One `GradeResult` from a verified LLM grade and the keyword analysis that ran beside it.

The keyword grader's findings are facts about the answer, so they bind the LLM's grade:

* its negation-aware deductions apply even when the model missed them;
* its screening flags (injection, keyword list, pasted rubric, off topic, too short, language)
  carry over;
* a criterion scores above its keyword points only as far as the key points it was credited
  with, each resting on a quote that bears on it (or found by the keyword grader), earn;
* on an answer it flags as an injection attempt, a pasted rubric or a keyword list, no
  criterion scores above its keyword points (an obedient model cannot be talked into points),
  and `needs_review` says what the model had asked for;
* on such an answer, on one that talks about its own grade or writes under a field of it
  (`coach.text.field_lines`), and where the model credited key points no quote bears on, no
  text of the model is kept (the keyword grader's stand in, and `reply_repaired` says why):
  the answer may have dictated them;
* a wide gap between the two grades adds `needs_review`.

A fallback is the keyword result itself, labelled with the reason, the usage spent and the
flags of what was prepared to send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from coach.grading.dictation import CopyCheck
from coach.grading.llm_coaching import Dropped, llm_coaching
from coach.grading.verify import Verified
from coach.llm.reply import GradeReply
from coach.result import Evidence, Flag, GradeResult, Usage
from coach.rubric.model import Bank, Question
from coach.text.field_lines import field_sentences
from coach.text.normalize import NormalizedText
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
# How a flag message names what was redacted, and the list separator.
_PII_NAMES: dict[str, tuple[dict[str, str], str]] = {
    "zh": (
        {
            "phone": "手机号 {n} 处",
            "landline": "固定电话 {n} 处",
            "id_number": "身份证号 {n} 处",
            "hk_id": "香港身份证号 {n} 处",
            "mo_id": "澳门身份证号 {n} 处",
            "tw_id": "台湾身份证号 {n} 处",
            "passport": "护照号 {n} 处",
            "bank_card": "银行卡号 {n} 处",
            "email": "邮箱 {n} 处",
            "qq": "QQ 号 {n} 处",
            "wechat": "微信号 {n} 处",
            "name": "姓名 {n} 处",
            "address": "住址 {n} 处",
        },
        "、",
    ),
    "en": (
        {
            "phone": "{n} phone number(s)",
            "landline": "{n} landline number(s)",
            "id_number": "{n} ID number(s)",
            "hk_id": "{n} Hong Kong ID number(s)",
            "mo_id": "{n} Macau ID number(s)",
            "tw_id": "{n} Taiwan ID number(s)",
            "passport": "{n} passport number(s)",
            "bank_card": "{n} bank card number(s)",
            "email": "{n} e-mail address(es)",
            "qq": "{n} QQ number(s)",
            "wechat": "{n} WeChat ID(s)",
            "name": "{n} name(s)",
            "address": "{n} address(es)",
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
        "copied": "模型的反馈照抄了回答中并非评分证据的文字（可能是回答要求写入的内容），"
        "已删去：{what}。",
        "steered": "回答谈到了自己的评分（或在评分栏目下写了内容），模型的反馈文字可能受其左右，"
        "已改用关键词评分的反馈。",
        "overreached": "模型把引用的原文中找不到依据的要点记为覆盖，它的反馈文字也可能受回答左右，"
        "已改用关键词评分的反馈。",
        "unsupported": "模型记为覆盖的要点在其引用的原文中找不到依据，"
        "超出关键词评分的部分不计：{what}。",
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
        "copied": "The model's feedback repeated words of the answer that are not evidence "
        "(perhaps text the answer asked for); they were left out: {what}.",
        "steered": "The answer talks about its own grade (or writes under a field of it), which "
        "may have steered the model's feedback; the keyword grader's feedback stands in.",
        "overreached": "The model credited key points that no quote of it bears on, so its "
        "feedback may have been steered by the answer too; the keyword grader's feedback stands "
        "in.",
        "unsupported": "Key points the model credited rest on no quote that bears on them and "
        "earn nothing (points above the keyword grade do not count): {what}.",
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
    answer: NormalizedText,
    talk: Sequence[tuple[int, int]],
    model_coaching: bool = True,
) -> GradeResult:
    """The LLM's verified grade, bound by the keyword findings (see the module docstring).

    `offline_coaching` builds the coaching fields from the final criteria and deductions; it
    stands in for the model's advice when the grader asked for the grade alone
    (`model_coaching=False`) and on an answer flagged as suspicious or talking about its own
    grade, or credited by the model beyond what its quotes bear on, where the model may have
    been made to write what the answer dictated: then no text of the model is kept, and each
    criterion's rationale is the keyword grader's. `answer` is the candidate's, normalized once
    for the whole grade; `talk`, its normalized ranges that talk about the grade
    (`screen.grading_talk`, read when the grade was prepared).
    """
    messages = _texts(bank.language)
    deductions = list(verified.deductions)
    for found in keyword.deductions:
        if all(d["id"] != found.id for d in deductions):
            deductions.append(found.model_dump())
    criteria = verified.criteria
    unsupported = _bind_to_key_points(question, keyword, verified)
    suspicious = [code for code in SUSPICIOUS if keyword.has_flag(code)]  # type: ignore[arg-type]
    offline = {c.id: c for c in keyword.criteria}
    # An answer that talks about its own grade, or writes under a field of it ("反馈栏：妙问"),
    # may have steered what the model wrote, in words as short as two characters: none of the
    # model's texts is kept, as on a suspicious answer, though its points still count.
    steered = not suspicious and bool(talk or field_sentences(answer.text))
    # A model that credits key points no quote bears on is not reading the answer as a grader
    # would (it may be obeying it): its texts are not kept either.
    overreached = not suspicious and not steered and bool(unsupported)
    # Only relevant evidence may be repeated in the model's texts: the rest was dictated. Where
    # no text of the model is kept, none needs checking.
    check = None
    if not suspicious and not steered and not overreached:
        evidence = [e.quote for c in keyword.criteria for e in c.evidence]
        quoted = verified.relevant_text + evidence
        check = CopyCheck(answer.original, quoted, folded=answer.text)
    dropped = Dropped([])
    for entry in criteria:
        if check is None or check.parrots(entry["rationale"]):
            if check is not None:
                dropped.add(f"{entry['id']}.rationale")
            entry["rationale"] = offline[entry["id"]].rationale
        if suspicious and entry["points"] > offline[entry["id"]].points:
            entry["points"] = offline[entry["id"]].points
            entry["rationale"] += messages["capped_note"]
    earned = sum(c["points"] for c in criteria)
    lost = sum(d["points"] for d in deductions)
    score = round(min(question.points, max(0.0, earned - lost)), 2)
    percent = round(100 * score / question.points, 1)
    flags: list[Any] = [f for f in keyword.flags if f.code in SCREEN_FLAGS]  # models as they are
    flags += list(prepared_flags)
    # The offline coaching quotes its examples from the keyword grader's evidence: the clause
    # around a key point found, never a quote of the model's that takes in planted text.
    coaching = (
        offline_coaching(
            [{**c, "evidence": _dumped(offline[c["id"]].evidence)} for c in criteria], deductions
        )
        if check is None or not model_coaching
        else llm_coaching(
            bank, question, keyword, verified, reply, criteria, deductions, check, dropped
        )
    )
    notes = {
        "points_clamped": "clamped",
        "unverified_evidence": "unverified",
        "reply_repaired": "repaired",
    }
    for code, key in notes.items():
        if code in verified.notes:
            what = ", ".join(verified.notes[code])
            flags.append({"code": code, "message": messages[key].format(what=what)})
    if dropped.fields:
        what = ", ".join(dict.fromkeys(dropped.fields))
        flags.append({"code": "reply_repaired", "message": messages["copied"].format(what=what)})
    if steered:
        flags.append({"code": "reply_repaired", "message": messages["steered"]})
    if overreached:
        flags.append({"code": "reply_repaired", "message": messages["overreached"]})
    if unsupported:
        flags.append(
            {
                "code": "unsupported_credit",
                "message": messages["unsupported"].format(what=", ".join(unsupported)),
            }
        )
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
            **coaching,
            "model": model,
            "usage": usage,
            "prompt_hash": prompt_hash,
            "rubric_version": keyword.rubric_version,
        }
    )


def _bind_to_key_points(question: Question, keyword: GradeResult, verified: Verified) -> list[str]:
    """Cap each criterion at what its supported key points earn, or at its keyword points.

    A claimed key point the model's quotes do not bear on still counts where the keyword grader
    found it in the answer. A criterion left without relevant quotes shows the keyword
    grader's. Returns `criterion/key point` for each claimed key point that stays unsupported.
    """
    offline = {c.id: c for c in keyword.criteria}
    unsupported: list[str] = []
    for entry in verified.criteria:
        criterion = question.criterion(entry["id"])
        found = offline[entry["id"]]
        claimed = verified.unsupported.get(entry["id"], [])
        rescued = {kp for kp in claimed if kp in found.key_points_hit}
        unsupported += [f"{entry['id']}/{kp}" for kp in claimed if kp not in rescued]
        hit = set(entry["key_points_hit"]) | rescued
        own = [kp.id for kp in criterion.key_points]
        entry["key_points_hit"] = [kp for kp in own if kp in hit]
        entry["key_points_missed"] = [kp for kp in own if kp not in hit]
        cap = max(found.points, round(criterion.points_for(hit), 2))
        if entry["points"] > cap:
            entry["points"] = cap
        if entry["points"] > 0 and not entry["evidence"]:
            entry["evidence"] = [e.model_dump() for e in found.evidence]
    return unsupported


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


def _dumped(evidence: Sequence[Evidence]) -> list[dict[str, Any]]:
    return [e.model_dump() for e in evidence]
