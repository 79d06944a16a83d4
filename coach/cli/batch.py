"""The `coach batch` commands: prepare, submit, status and collect a provider batch.

    coach batch prepare IN.jsonl --out requests.jsonl [--model M]
    coach batch submit requests.jsonl            # prints the batch id
    coach batch status BATCH_ID
    coach batch collect BATCH_ID IN.jsonl --out OUT.jsonl

IN.jsonl is the same file `coach grade-file` reads, and OUT.jsonl gets the same lines: one per
input line, with its result or its error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from coach.batch.run import BatchItem, BatchResult
from coach.cli.common import OUT_FLAGS, add_llm_options, llm_options
from coach.errors import CoachError


def add_batch_parser(sub: Any) -> None:
    batch = sub.add_parser("batch", help="grade through the provider's Batch API")
    steps = batch.add_subparsers(dest="step", metavar="STEP", required=True)
    prepare = steps.add_parser("prepare", help="write the request file for a job file")
    prepare.add_argument("source", metavar="IN.jsonl")
    prepare.add_argument(*OUT_FLAGS, required=True, metavar="REQUESTS.jsonl")
    submit = steps.add_parser("submit", help="upload the request file and start the batch")
    submit.add_argument("requests", metavar="REQUESTS.jsonl")
    status = steps.add_parser("status", help="how far the batch has got")
    status.add_argument("batch_id", metavar="BATCH_ID")
    collect = steps.add_parser("collect", help="download and verify the grades")
    collect.add_argument("batch_id", metavar="BATCH_ID")
    collect.add_argument("source", metavar="IN.jsonl", help="the job file the batch was made of")
    collect.add_argument(*OUT_FLAGS, required=True, metavar="OUT.jsonl")
    for step in (prepare, submit, status, collect):
        add_llm_options(step)


def _items(source: str) -> tuple[list[BatchItem], list[BatchResult]]:
    """The job file's gradable items, and error outcomes for the lines that are not."""
    from coach.batch.jobs import read_job
    from coach.batch.run import BatchError

    items: list[BatchItem] = []
    bad: list[BatchResult] = []
    for index, (job_id, parsed) in enumerate(read_job(source)):
        if isinstance(parsed, BatchItem):
            items.append(parsed)
        else:
            error = BatchError.model_validate(parsed["error"])
            bad.append(BatchResult(index=index, id=job_id, error=error))
    return items, bad


def cmd_batch(args: argparse.Namespace, out: TextIO) -> int:
    from coach.batch.jobs import write_outcome
    from coach.grading.batch_api import batch_status, collect, prepare_requests, submit
    from coach.grading.grader import Grader

    grader = Grader(**llm_options(args))
    if not grader.configured:
        raise CoachError(
            "the Batch API needs an LLM provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for "
            "another provider), or pass --base-url"
        )
    with grader:
        if args.step == "prepare":
            items, bad = _items(args.source)
            count, settled = prepare_requests(grader, items, args.out)
            out.write(
                f"{count} requests in {args.out}; {len(settled) + len(bad)} items need none "
                "(blank answers, bad lines): collect settles them\n"
            )
            return 0
        client = grader.clients.sync()
        if args.step == "submit":
            batch = submit(client, args.requests)
            out.write(f"{batch.id}\n")
            return 0
        if args.step == "status":
            out.write(json.dumps(batch_status(client, args.batch_id), indent=2) + "\n")
            return 0
        items, bad = _items(args.source)
        outcomes = collect(grader, client, args.batch_id, items) + bad
        try:
            handle = open(args.out, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CoachError(f"cannot write {args.out!r}: {exc.strerror}") from None
        with handle:
            for outcome in outcomes:
                write_outcome(handle, outcome)
        graded = sum(1 for o in outcomes if o.ok)
        out.write(f"{graded} graded, {len(outcomes) - graded} errors; results in {args.out}\n")
        return 0
