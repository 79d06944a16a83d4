"""`coach derive` and `coach calibrate`: draft a rubric from references, fit it to human scores.

    coach derive --question TEXT --reference TEXT [--reference TEXT ...] [--id ID]
                 [--bank-id ID] [--out FILE]
    coach derive FILE.jsonl --id ID [--min-score S] [--full-share F] [--out FILE]
    coach calibrate BANK LABELS.jsonl [--method weights|bands] --out FILE

A JSON-lines file for `derive` holds one line per reference answer or per scored answer, as
ads-zh does: `q_id` (or `id`), `question` (its text), `reference1`..`reference3` (or
`references`, a list), and optionally `answer` and `score`; with `--min-score S`, answers
scored at least S are used as extra references. Lines of one `q_id` make one question; the
bank holds them all, and `--id` names the bank (`--bank-id` is the same option); without it the
bank is named after FILE.jsonl, and the YAML's header and the summary line say so. With
`--question`, `--id` names the question (q1) and `--bank-id` the bank (derived), as before.
Ids are checked here (lowercase letters, digits, `_`, `.`, `-`) so that a bad one is a
one-line error, not a failed draft. `calibrate` reads the labels format of `coach eval`
(`question`, `answer`, `score`, and `bank`, which may be left out; lines of another bank are
skipped). `--full-share F` gives each question count bands: full points once a share F of
its key points is hit (0.5: half of them), proportionally less below.

Both write YAML that `coach validate` accepts and that a person can edit (`dump_bank`);
`derive_bank` is the library form of `derive` for many questions (both in `_bank_draft`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from coach.authoring.calibrate import ScoredAnswer, calibrate_bank
from coach.authoring.draft import QuestionSource, derive_bank, dump_bank
from coach.cli.common import OUT_FLAGS, add_encoding_option, open_bank, read_text
from coach.cli.labels import human_score
from coach.errors import CoachError
from coach.rubric.loader import load_bank
from coach.rubric.model import Bank


def add_derive_parsers(sub: Any) -> None:
    """Add `derive` and `calibrate` to the CLI's subparsers."""
    derive = sub.add_parser(
        "derive",
        help="draft a rubric (key points, variants) from reference answers",
        description="Draft a rubric from a question and its reference answers, or from a "
        "JSON-lines file of them (one bank of all its questions).",
    )
    derive.add_argument(
        "file", nargs="?", metavar="FILE.jsonl", help="q_id, question, reference1..3"
    )
    derive.add_argument("--question", metavar="TEXT", help="the question's text")
    derive.add_argument("--reference", action="append", default=[], metavar="TEXT")
    derive.add_argument(
        "--id",
        metavar="ID",
        help="with FILE.jsonl: the bank's id (else named after the file); with --question: "
        "the question's id (q1)",
    )
    derive.add_argument("--points", type=float, default=10, metavar="N", help="points (10)")
    derive.add_argument("--min-score", type=float, metavar="S", help="use answers scored >= S")
    derive.add_argument("--language", choices=["zh", "en"], default="zh")
    derive.add_argument(
        "--full-share",
        type=float,
        metavar="F",
        help="full points once this share (0-1] of the key points is hit; count bands",
    )
    derive.add_argument(
        "--bank-id", metavar="ID", help="the bank's id (FILE.jsonl: as --id; --question: derived)"
    )
    derive.add_argument("--title", metavar="TEXT", help="bank title")
    derive.add_argument(*OUT_FLAGS, metavar="FILE", help="write the YAML here (default stdout)")
    add_encoding_option(derive, "FILE.jsonl")
    calibrate = sub.add_parser(
        "calibrate",
        help="fit a rubric's key point weights or bands to human scores",
        description="Fit the keyword grader's key point weights and deduction points "
        "(or count bands) of BANK to the human scores in LABELS.jsonl.",
    )
    calibrate.add_argument("bank", metavar="BANK", help="built-in id or rubric file")
    calibrate.add_argument("labels", metavar="LABELS.jsonl", help="question, answer, score[, bank]")
    calibrate.add_argument("--method", choices=["weights", "bands"], default="weights")
    calibrate.add_argument("--seed", type=int, default=0, help="seed of the inner folds (0)")
    calibrate.add_argument(*OUT_FLAGS, metavar="FILE", required=True)
    add_encoding_option(calibrate, "LABELS.jsonl and of a rubric file")


def _lines(path: str, encoding: str | None) -> list[tuple[int, dict[str, Any]]]:
    text = read_text(path, encoding=encoding)
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise CoachError(f"{path}:{number}: not a JSON line") from None
        if not isinstance(record, dict):
            raise CoachError(f"{path}:{number}: not a JSON object")
        records.append((number, record))
    if not records:
        raise CoachError(f"{path!r} holds no lines")
    return records


def _sources(path: str, min_score: float | None, encoding: str | None) -> list[QuestionSource]:
    questions: dict[str, tuple[str, list[str], list[str]]] = {}
    for number, record in _lines(path, encoding):
        q_id, prompt = record.get("q_id", record.get("id")), record.get("question")
        if not isinstance(q_id, str | int) or not isinstance(prompt, str):
            raise CoachError(f"{path}:{number}: needs 'q_id' and 'question' (its text)")
        refs = record.get("references") or [record.get(f"reference{n}") for n in (1, 2, 3)]
        entry = questions.setdefault(str(q_id), (prompt, [], []))
        entry[1].extend(r for r in refs if isinstance(r, str) and r.strip() and r not in entry[1])
        score = human_score(record.get("score"))
        good = min_score is not None and score is not None and score >= min_score
        if good and isinstance(record.get("answer"), str):
            entry[2].append(record["answer"])
    return [QuestionSource(q, p, refs, good) for q, (p, refs, good) in questions.items()]


def cmd_derive(args: argparse.Namespace, out: TextIO) -> int:
    if args.file and (args.question or args.reference):
        raise CoachError("give FILE.jsonl or --question/--reference, not both")
    named = ""
    if args.file:
        if args.id and args.bank_id and args.id != args.bank_id:
            raise CoachError(f"--id {args.id!r} and --bank-id {args.bank_id!r} differ; give one")
        questions = _sources(args.file, args.min_score, args.encoding)
        bank_id = _checked_id(args.id or args.bank_id, "--id" if args.id else "--bank-id")
        if bank_id is None:
            bank_id = _id_from(Path(args.file).stem)
            named = f"The bank id {bank_id!r} comes from the file name; --id ID sets it.\n"
        origin = f"{os.path.basename(args.file)}, {len(questions)} questions"
    elif args.question and args.reference:
        question_id = _checked_id(args.id, "--id") or "q1"
        questions = [QuestionSource(question_id, args.question, args.reference)]
        bank_id = _checked_id(args.bank_id, "--bank-id") or "derived"
        origin = "reference answers given on the command line"
    else:
        raise CoachError("give FILE.jsonl, or --question TEXT and at least one --reference TEXT")
    bank = derive_bank(
        questions,
        bank_id=bank_id,
        title=args.title or f"Draft rubric: {bank_id}",
        language=args.language,
        points=args.points,
        full_share=args.full_share,
    )
    header = f"Drafted by `coach derive` from {origin}.\n{named}Review the key points and variants."
    _write(dump_bank(bank, header=header), args.out, out, bank)
    if named and args.out:
        out.write(named.replace("The bank id", "bank id"))
    return 0


_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")  # as a rubric file's ids


def _checked_id(value: str | None, option: str) -> str | None:
    if value is not None and not _ID.fullmatch(value):
        raise CoachError(
            f"{option} {value!r} is not an id: up to 64 lowercase letters, digits, '_', '.' "
            "or '-', starting with a letter or a digit"
        )
    return value


def _id_from(name: str) -> str:
    """A valid id from a file name: lowercase, other characters as '-'."""
    text = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name.lower())
    text = text.lstrip("-_.")[:64]
    return text or "derived"


def _labels(path: str, bank: Bank, encoding: str | None) -> tuple[list[ScoredAnswer], Counter[str]]:
    answers, skipped = [], Counter[str]()
    base = Path(path).parent
    for number, record in _lines(path, encoding):
        ref = record.get("bank")
        if ref not in (None, bank.id):
            try:
                other = load_bank(base / ref if (base / str(ref)).is_file() else str(ref))
            except CoachError:
                other = None
            if other is None or other.id != bank.id:
                skipped["another bank"] += 1
                continue
        question, answer, score = record.get("question"), record.get("answer"), record.get("score")
        value = human_score(score)
        if not isinstance(question, str) or not isinstance(answer, str) or value is None:
            raise CoachError(f"{path}:{number}: needs 'question' (an id), 'answer' and 'score'")
        answers.append(ScoredAnswer(question, answer, value))
    if not answers:
        raise CoachError(f"no line of {path!r} is for bank {bank.id!r}")
    return answers, skipped


def cmd_calibrate(args: argparse.Namespace, out: TextIO) -> int:
    bank = open_bank(args.bank, args.encoding)
    answers, skipped = _labels(args.labels, bank, args.encoding)
    calibrated = calibrate_bank(bank, answers, method=args.method, seed=args.seed)
    counts = Counter(a.question_id for a in answers)
    header = (
        f"Calibrated by `coach calibrate --method {args.method}` on {len(answers)} scored "
        f"answers to {len(counts)} questions."
    )
    _write(dump_bank(calibrated, header=header), args.out, out, calibrated)
    if skipped:
        out.write(f"skipped {sum(skipped.values())} lines of another bank\n")
    return 0


def _write(text: str, path: str | None, out: TextIO, bank: Bank) -> int:
    if path is None:
        out.write(text)
        return 0
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"cannot write {path!r}: {exc.strerror}") from None
    points = sum(len(c.key_points) for q in bank.questions for c in q.criteria)
    out.write(f"wrote {path}: {len(bank.questions)} questions, {points} key points\n")
    return 0
