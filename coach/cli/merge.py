"""`coach merge-results`: join the outputs of a `grade-file` job graded in parts (`--shard`).

    coach merge-results OUT1.jsonl OUT2.jsonl ... --out ALL.jsonl

One line per id, a graded line preferred to an error line (`coach.batch.merge`); an `--out`
ending in .csv, .tsv, .xlsx or .parquet gets that table, written from `ALL.xx.jsonl`.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from coach.cli.common import OUT_FLAGS
from coach.errors import CoachError


def add_merge_parser(sub: Any) -> None:
    merge = sub.add_parser(
        "merge-results",
        help="join the outputs of a grade-file job graded in parts (--shard) into one",
    )
    merge.add_argument("sources", nargs="+", metavar="OUT.jsonl", help="the parts' outputs")
    merge.add_argument(
        *OUT_FLAGS,
        required=True,
        metavar="ALL.jsonl",
        help="one line per id (.csv, .tsv, .xlsx or .parquet: that table, from ALL.xx.jsonl)",
    )


def cmd_merge_results(args: argparse.Namespace, out: TextIO) -> int:
    from coach.batch.merge import merge_outputs
    from coach.batch.table_in import table_format
    from coach.batch.table_out import export_table, output_for

    for source in args.sources:
        if table_format(source) != "jsonl":
            raise CoachError(
                f"{source!r}: merge-results reads the JSON-lines outputs (for an .xlsx or "
                ".parquet output, its .jsonl journal); grade each part into a .jsonl file"
            )
    target = output_for(args.out)  # a missing extra stops it here, before the merge
    journal = target.path
    if target.format != "jsonl":
        journal = target.path.with_name(target.path.name + ".jsonl")
    summary = merge_outputs(args.sources, journal)
    if target.format != "jsonl":
        export_table(journal, target.path, target.format)
    notes = ""
    if summary.unreadable:
        notes += f", {summary.unreadable} unreadable lines left out"
    out.write(
        f"{summary.ids} ids from {len(args.sources)} files: {summary.graded} graded, "
        f"{summary.errors} errors, {summary.duplicates} lines for an id seen before{notes}; "
        f"merged into {args.out}\n"
    )
    if summary.conflicts:
        out.flush()
        shown = ", ".join(repr(job_id) for job_id in summary.conflicts[:5])
        raise CoachError(
            f"{len(summary.conflicts)} ids were graded with different scores in different "
            f"files ({shown}{', ...' if len(summary.conflicts) > 5 else ''}); the first file's "
            "line was kept"
        )
    return 0
