"""The coaching fields of an LLM result, each checked against what the grade supports.

The model writes strengths, improvements, follow-up questions, STAR parts and a rewrite; code
keeps only what the verified grade backs:

* a strength must name a criterion that kept at least half its points, and is quoted from that
  criterion's relevant evidence, so the model cannot praise what it did not credit;
* improvements keep only ids of the rubric;
* follow-ups: the rubric's first, then the model's, then the keyword grader's probes;
* STAR parts need verified quotes (or the keyword cues);
* without a rewrite from the model, the rubric's model answer stands in, labelled as such;
* no text repeats the answer outside its relevant evidence (`grading/dictation.py`): such a
  strength, improvement or follow-up is dropped, such sentences of the rewrite are cut, and a
  STAR part quoting such a sentence keeps the keyword cue's quote, or none. `Dropped` lists
  what was dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from coach.grading.dictation import CopyCheck
from coach.grading.feedback import MAX_FOLLOW_UPS, RUBRIC_FOLLOW_UPS
from coach.grading.texts import texts_for
from coach.grading.verify import Verified
from coach.llm.reply import GradeReply
from coach.result import GradeResult
from coach.rubric.model import Bank, Question
from coach.text.content import content_of
from coach.text.normalize import normalize

MIN_REWRITE_CONTENT = 15  # a rewrite shorter than this is not an answer ("string", "N/A")
MIN_FOLLOW_UP_CONTENT = 8  # "string", "N/A", "Why?" are not probes
MIN_STAR_QUOTE = 6  # a part of a story told in fewer characters is a word picked out ("脱帽")


@dataclass
class Dropped:
    """Texts of the model left out because they repeat the answer outside its evidence."""

    fields: list[str]

    def add(self, what: str) -> None:
        self.fields.append(what)


def llm_coaching(
    bank: Bank,
    question: Question,
    keyword: GradeResult,
    verified: Verified,
    reply: GradeReply | None,
    criteria: list[dict[str, Any]],
    deductions: list[dict[str, Any]],
    check: CopyCheck,
    dropped: Dropped,
) -> dict[str, Any]:
    """The coaching fields of an LLM result (see the module docstring)."""
    t = texts_for(bank.language)
    by_id = {c["id"]: c for c in criteria}
    key_points = {c.id: {kp.id for kp in c.key_points} for c in question.criteria}
    strengths = []
    improvements: list[dict[str, Any]] = [
        {"text": t.avoid.format(what=d["description"]), "deduction_id": d["id"]} for d in deductions
    ]
    for note in reply.strengths if reply else []:
        kept = by_id.get(note.criterion_id or "")
        if kept is None or kept["points"] < 0.5 * kept["max_points"] or not kept["evidence"]:
            continue
        if check.parrots(note.text):
            dropped.add("strengths")
            continue
        strengths.append(
            {"text": note.text, "criterion_id": kept["id"], "example": kept["evidence"][0]["quote"]}
        )
    for note in reply.improvements if reply else []:
        if check.parrots(note.text) or check.copies(note.example or ""):
            dropped.add("improvements")
            continue
        cid = note.criterion_id if note.criterion_id in by_id else None
        kp = note.key_point_id if cid and note.key_point_id in key_points[cid] else None
        improvements.append(
            {"text": note.text, "criterion_id": cid, "key_point_id": kp, "example": note.example}
        )
    return {
        "strengths": strengths,
        "improvements": improvements,
        "follow_up_questions": _follow_ups(question, keyword, reply, check, dropped),
        "star": _star(keyword, verified, check, dropped),
        "improved_answer": _improved(keyword, reply, check, dropped, t.rewrite_label),
    }


def _follow_ups(
    question: Question,
    keyword: GradeResult,
    reply: GradeReply | None,
    check: CopyCheck,
    dropped: Dropped,
) -> list[dict[str, Any]]:
    asked: list[dict[str, Any]] = [
        {"question": q, "source": "rubric"} for q in question.follow_ups[:RUBRIC_FOLLOW_UPS]
    ]
    for q in reply.follow_up_questions if reply else []:
        if check.parrots(q):
            dropped.add("follow_up_questions")
        elif substantial(q, MIN_FOLLOW_UP_CONTENT):
            asked.append({"question": q, "source": "llm"})
    asked += [f.model_dump() for f in keyword.follow_up_questions if f.source != "rubric"]
    follow_ups: list[dict[str, Any]] = []
    for item in asked:
        if len(follow_ups) < MAX_FOLLOW_UPS and all(
            item["question"] != f["question"] for f in follow_ups
        ):
            follow_ups.append(item)
    return follow_ups


def _star(
    keyword: GradeResult, verified: Verified, check: CopyCheck, dropped: Dropped
) -> dict[str, Any] | None:
    if keyword.star is None:
        return None
    star = keyword.star.model_dump()
    parts = {name: part for name, part in (verified.star or {}).items() if part["present"]}
    # One phrase cannot be the situation, the task, the action and the result at once: quoted
    # for two parts or more, it is what the model was told to show, not a reading.
    quoted = Counter(part["evidence"]["quote"] for part in parts.values())
    for name, part in parts.items():
        quote = part["evidence"]["quote"]
        if check.copies(quote) or not substantial(quote, MIN_STAR_QUOTE) or quoted[quote] > 1:
            # Told, says the model, but the quote is no evidence of the grade: it may be text
            # the answer planted to be shown. The keyword cue's quote, or none, stands in.
            if not star[name]["present"]:
                star[name] = {"present": True, "evidence": None}
            continue
        star[name] = part
    return star


def _improved(
    keyword: GradeResult,
    reply: GradeReply | None,
    check: CopyCheck,
    dropped: Dropped,
    label: str,
) -> dict[str, Any] | None:
    improved = keyword.improved_answer.model_dump() if keyword.improved_answer else None
    rewrite = reply.improved_answer.strip() if reply else ""
    kept = check.without_copies(rewrite)
    # A rewrite short enough to be nothing but the answer's own words adds nothing: it is a
    # phrase of the answer (a banner, a slogan) given back, whatever the evidence holds.
    if kept and check.parrots(kept):
        kept = ""
    if kept != rewrite:
        dropped.add("improved_answer")
    if substantial(kept, MIN_REWRITE_CONTENT):
        improved = {"text": kept, "source": "rewrite", "label": label}
    return improved


def substantial(text: str, chars: int) -> bool:
    """At least `chars` letters, digits or ideographs: a placeholder is no advice."""
    # Normalizing only adds content characters (full-width and upper-case letters become
    # ASCII lower case; ideographs stay ideographs), so a text already long enough as written
    # needs no normalizing.
    if len(content_of(text.lower())) >= chars:
        return True
    return len(content_of(normalize(text).text)) >= chars
