"""The Batch API round trip through the real SDK, with the files and batches endpoints mocked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import coach
from coach.batch.run import BatchItem
from coach.grading.batch_api import batch_status, collect, prepare_requests, submit
from tests.cli.support import run_cli
from tests.llm.support import completion_body, grade_json, sync_client
from tests.support import MINI_ANSWER as ANSWER


def items(mini: coach.Bank) -> list[BatchItem]:
    return [
        BatchItem(bank=mini, question="atm", answer=ANSWER + "客户手机13812345678。", id="good"),
        BatchItem(bank=mini, question="atm", answer="   ", id="blank"),
        BatchItem(bank=mini, question="atm", answer=ANSWER, id="refused"),
        BatchItem(bank=mini, question="atm", answer=ANSWER, id="failed"),
        BatchItem(bank=mini, question="atm", answer=ANSWER, id="lost"),
        BatchItem(bank="no-such-bank", question="atm", answer=ANSWER, id="bad-bank"),
    ]


def batch(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "batch_1",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file_in",
        "completion_window": "24h",
        "status": status,
        "created_at": 1,
        "request_counts": {"total": 4, "completed": 2, "failed": 1},
        **extra,
    }


def line(custom_id: str, status: int, body: dict[str, Any]) -> str:
    response = {"status_code": status, "request_id": "r", "body": body}
    return json.dumps({"id": f"l-{custom_id}", "custom_id": custom_id, "response": response})


def test_prepare_writes_one_redacted_request_per_gradable_item(
    mini: coach.Bank, tmp_path: Path
) -> None:
    grader = coach.Grader(client=sync_client())
    path = tmp_path / "requests.jsonl"
    count, settled = prepare_requests(grader, items(mini), path)
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(lines) == 4
    assert [x["custom_id"] for x in lines] == ["good", "refused", "failed", "lost"]
    assert {x["url"] for x in lines} == {"/v1/chat/completions"}
    body = lines[0]["body"]
    assert body["response_format"]["type"] == "json_schema" and "timeout" not in body
    assert "13812345678" not in path.read_text(encoding="utf-8")
    assert {s.id for s in settled} == {"blank", "bad-bank"}


def test_submit_status_and_collect(api: respx.MockRouter, mini: coach.Bank, tmp_path: Path) -> None:
    grader = coach.Grader(client=sync_client())
    path = tmp_path / "requests.jsonl"
    prepare_requests(grader, items(mini), path)
    uploads = api.post("/files").respond(
        200,
        json={
            "id": "file_in",
            "object": "file",
            "bytes": 10,
            "created_at": 1,
            "filename": "requests.jsonl",
            "purpose": "batch",
            "status": "processed",
        },
    )
    created = api.post("/batches").respond(200, json=batch("validating"))
    finished = batch("completed", output_file_id="file_out", error_file_id="file_err")
    api.get("/batches/batch_1").mock(
        side_effect=[httpx.Response(200, json=batch("in_progress"))] * 2
        + [httpx.Response(200, json=finished)] * 2
    )
    reply = grade_json(mini.question("atm"), ANSWER + "客户手机[PHONE_1]。", share=0.5)
    output = "\n".join(
        [
            line("good", 200, completion_body(reply, usage=(400, 90))),
            line(
                "refused",
                200,
                completion_body(None, refusal="I won't grade this.", usage=(400, 90)),
            ),
        ]
    )
    errors = line("failed", 500, {"error": {"message": "server overloaded"}})
    api.get("/files/file_out/content").respond(200, text=output + "\n")
    api.get("/files/file_err/content").respond(200, text=errors + "\n")

    created_batch = submit(grader.clients.sync(), path)
    assert created_batch.id == "batch_1" and uploads.called
    assert json.loads(created.calls[0].request.content)["endpoint"] == "/v1/chat/completions"
    client = grader.clients.sync()
    assert batch_status(client, "batch_1")["status"] == "in_progress"
    with pytest.raises(coach.CoachError, match="not finished"):
        collect(grader, client, "batch_1", items(mini))

    results = {r.id: r for r in collect(grader, client, "batch_1", items(mini))}
    good = results["good"].result
    assert good is not None and (good.method, good.status, good.score) == ("llm", "graded", 6)
    assert good.has_flag("pii_redacted") and good.usage.prompt_tokens == 400
    blank = results["blank"].result
    assert blank is not None and blank.score == 0 and blank.method == "keyword"
    for name, reason in (("refused", "refused"), ("failed", "overloaded"), ("lost", "no response")):
        fallback = results[name].result
        assert fallback is not None and fallback.status == "fallback", name
        assert fallback.fallback_reason is not None and reason in fallback.fallback_reason, name
    assert results["bad-bank"].error is not None
    assert results["bad-bank"].error.type == "BankNotFoundError"


def test_cli_prepare_needs_no_network_and_names_what_it_needs(
    tmp_path: Path, mini_path: Path
) -> None:
    job = tmp_path / "in.jsonl"
    job.write_text(
        json.dumps({"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER})
        + "\n{broken\n",
        encoding="utf-8",
    )
    requests = tmp_path / "requests.jsonl"
    missing = run_cli("batch", "prepare", str(job), "--out", str(requests), env={})
    assert missing.returncode == 1 and "needs an LLM provider" in missing.stderr
    done = run_cli(
        "batch",
        "prepare",
        str(job),
        "--out",
        str(requests),
        "--model",
        "gpt-4o-mini",
        env={"OPENAI_API_KEY": "sk-test"},
    )
    assert done.returncode == 0, done.stderr
    assert "1 requests" in done.stdout and "1 items need none" in done.stdout
    [request] = [json.loads(x) for x in requests.read_text(encoding="utf-8").splitlines()]
    assert request["custom_id"] == "a" and request["body"]["model"] == "gpt-4o-mini"
