"""The provider's Batch API, a third driver beside `Grader.grade`/`agrade`: many grades
handed over as one file, collected when done.

At scale the provider's batch endpoint is cheaper than a loop of requests. The flow:

1. `prepare_requests`: one JSONL request line per item (`custom_id` = the item's id), each the
   same Chat Completions body the grader would send (redacted answer, strict schema);
2. `submit`: upload the file (`purpose="batch"`) and create the batch;
3. `batch_status`: poll it;
4. `collect`: download the output (and error) files and turn each response into a verified
   `GradeResult` through the same code-side checks as a live grade. An item without a usable
   response (an error line, a refusal, a reply that does not validate, a missing line) falls
   back to the keyword grader in mode "auto", as a live grade would, and is an error otherwise.

`collect` re-reads the same input items, so the answers never have to be stored with the
provider beyond the requests themselves. A re-ask is impossible inside a batch: a reply that
would have been re-asked live falls back instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from coach.batch.run import BatchError, BatchItem, BatchResult
from coach.errors import CoachError, LLMError
from coach.grading.core import GraderCore
from coach.grading.job import Job
from coach.llm.reply import InvalidReply
from coach.llm.retry import ImmediateRetry

if TYPE_CHECKING:
    import openai

ENDPOINT: Final = "/v1/chat/completions"


def _prepared(item: BatchItem, index: int, grader: GraderCore) -> Job | BatchResult:
    """The grader's prepared job for an item that needs a request, else the item's outcome
    without one (a blank answer, no LLM) or its error (an unknown bank)."""
    try:
        job = grader._prepare(item.bank, item.question, item.answer, None)
    except Exception as exc:
        return BatchResult(index=index, id=item.id, error=_error(exc))
    if job.exchange is None:
        return BatchResult(index=index, id=item.id, result=grader._unsent(job))
    return job


def custom_id(item: BatchItem, index: int) -> str:
    """The batch line's id: the item's own, else its place in the input."""
    return item.id if item.id is not None else f"item-{index}"


def _error(exc: BaseException) -> BatchError:
    return BatchError(type=type(exc).__name__, message=str(exc))


def prepare_requests(
    grader: GraderCore, items: Iterable[BatchItem], path: str | Path
) -> tuple[int, list[BatchResult]]:
    """Write the request file; returns how many requests, and the items settled without one
    (blank answers, unknown banks, ...), which `collect` settles the same way again."""
    written = 0
    settled: list[BatchResult] = []
    with Path(path).open("w", encoding="utf-8") as out:
        for index, item in enumerate(items):
            job = _prepared(item, index, grader)
            if isinstance(job, BatchResult):
                settled.append(job)
                continue
            assert job.exchange is not None
            body = job.exchange.request().body
            line = {
                "custom_id": custom_id(item, index),
                "method": "POST",
                "url": ENDPOINT,
                "body": body,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            written += 1
    return written, settled


def submit(
    client: openai.OpenAI, path: str | Path, metadata: Mapping[str, str] | None = None
) -> Any:
    """Upload the request file and create the batch; returns the SDK's `Batch`."""
    with Path(path).open("rb") as handle:
        uploaded = client.files.create(file=handle, purpose="batch")
    return client.batches.create(
        input_file_id=uploaded.id,
        endpoint=ENDPOINT,
        completion_window="24h",
        metadata=dict(metadata or {"created_by": "coach"}),
    )


def batch_status(client: openai.OpenAI, batch_id: str) -> dict[str, Any]:
    """The batch's status and request counts, as plain data."""
    batch = client.batches.retrieve(batch_id)
    counts = batch.request_counts
    return {
        "id": batch.id,
        "status": batch.status,
        "total": counts.total if counts else None,
        "completed": counts.completed if counts else None,
        "failed": counts.failed if counts else None,
        "output_file_id": batch.output_file_id,
        "error_file_id": batch.error_file_id,
    }


def _responses(client: openai.OpenAI, file_id: str | None) -> dict[str, dict[str, Any]]:
    if not file_id:
        return {}
    text = client.files.content(file_id).text
    lines: dict[str, dict[str, Any]] = {}
    for raw in text.splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue  # a damaged line: its item is reported as missing
        if isinstance(record, dict) and isinstance(record.get("custom_id"), str):
            lines[record["custom_id"]] = record
    return lines


def collect(
    grader: GraderCore, client: openai.OpenAI, batch_id: str, items: Iterable[BatchItem]
) -> list[BatchResult]:
    """Every item's outcome from a finished batch, in input order."""

    status = batch_status(client, batch_id)
    if status["status"] not in ("completed", "expired", "cancelled", "failed"):
        raise CoachError(f"batch {batch_id} is {status['status']}, not finished; try again later")
    responses = _responses(client, status["output_file_id"])
    responses.update(_responses(client, status["error_file_id"]))
    results = []
    for index, item in enumerate(items):
        job = _prepared(item, index, grader)
        if isinstance(job, BatchResult):
            results.append(job)
            continue
        exchange = job.exchange
        assert exchange is not None  # `_prepared` returns only jobs that send a request
        exchange.spend.requests = 1
        record = responses.get(custom_id(item, index))
        outcome: Any
        response = (record or {}).get("response") or {}
        if record is None:
            outcome = CoachError(f"no response for {item.id!r} in batch {batch_id}")
        elif response.get("status_code") != 200:
            error = record.get("error") or response.get("body", {}).get("error") or {}
            outcome = CoachError(f"the batch request failed: {error.get('message', error)}")
        else:
            try:
                reply = exchange.accept(response["body"])
                outcome = exchange.check(reply, grader._verifier(job))
            except (ImmediateRetry, InvalidReply) as exc:
                outcome = InvalidReply(f"the reply would need a re-ask: {exc}")
            except Exception as exc:  # Refused, a malformed body
                outcome = exc
        try:
            result = grader._finish(job, outcome)
        except LLMError as exc:
            results.append(BatchResult(index=index, id=item.id, error=_error(exc)))
            continue
        results.append(BatchResult(index=index, id=item.id, result=result))
    return results
