"""The options of `coach grade-file` for tables and shards.

    coach grade-file IN.csv --out OUT.csv [--format F] [--id-col C] [--answer-col C]
                     [--bank-col C] [--question-col C] [--bank B] [--question Q] [--shard K/N]

Input and output formats follow the files' suffixes (see `coach.batch.table_in` and
`coach.batch.table_out`); shards, `coach.batch.shard`. The parts of a sharded job are joined
by `coach merge-results` (`coach.cli.merge`).
"""

from __future__ import annotations

import argparse
from typing import Any

from coach.cli.common import open_bank
from coach.grading.offline import find_question


def add_table_options(jobs: argparse.ArgumentParser) -> None:
    """The table and shard options of `grade-file`."""
    group = jobs.add_argument_group(
        "tables",
        "IN and OUT may be .csv, .tsv, .xlsx (pip install 'interview-coach[excel]') or "
        ".parquet ('interview-coach[parquet]'), by suffix; an .xlsx or .parquet OUT is written "
        "from the journal OUT.xlsx.jsonl beside it, which is what resumes",
    )
    group.add_argument(
        "--format",
        choices=["jsonl", "csv", "tsv", "xlsx", "parquet"],
        help="read IN as this, whatever its suffix",
    )
    group.add_argument("--id-col", metavar="C", help="column of ids (id; without one: row-N)")
    group.add_argument("--answer-col", default="answer", metavar="C", help="of answers (answer)")
    group.add_argument("--bank-col", default="bank", metavar="C", help="of bank ids (bank)")
    group.add_argument(
        "--question-col", default="question", metavar="C", help="of question ids (question)"
    )
    group.add_argument("--bank", metavar="B", help="bank of rows without one (a column or cell)")
    group.add_argument("--question", metavar="Q", help="question of rows without one")
    jobs.add_argument(
        "--shard",
        metavar="K/N",
        help="grade only part K of N (by a hash of the id), e.g. on N machines; join the "
        "outputs with 'coach merge-results'",
    )


def table_job_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `run_job` the table and shard options give; a `--bank` or
    `--question` that does not exist stops the job before anything is written."""
    from coach.batch.shard import Shard
    from coach.batch.table_in import Columns

    if args.bank is not None:
        bank = open_bank(args.bank, args.encoding)
        if args.question is not None:
            find_question(bank, args.question)
    columns = Columns(
        id=args.id_col or "id",
        answer=args.answer_col,
        bank_col=args.bank_col,
        question_col=args.question_col,
        bank=args.bank,
        question=args.question,
        id_required=args.id_col is not None,
    )
    return {
        "input_format": args.format,
        "columns": columns,
        "shard": Shard.parse(args.shard) if args.shard else None,
    }


def binary_input(args: argparse.Namespace) -> bool:
    """Whether IN is a workbook or Parquet file: bytes that no text encoding is sniffed from."""
    from coach.batch.table_in import table_format

    return table_format(args.source, args.format) in ("xlsx", "parquet")
