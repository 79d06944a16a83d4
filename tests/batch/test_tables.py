"""`coach grade-file` on tables: CSV and TSV read and written a row at a time, Excel and Parquet
through their extras, column options, and the same resume guarantees as JSON lines."""

from __future__ import annotations

import csv
import io
import json
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.batch.jobs import run_job
from coach.batch.table_in import Columns, TableSource
from coach.batch.table_out import FIELDS, output_for
from coach.errors import CoachError
from tests.batch.test_job_lock import coach_process, exit_code, posix_only, wait_until
from tests.cli.support import run_cli
from tests.support import MINI_ANSWER as ANSWER

GRADER = coach.Grader(mode="keyword")
CALM = "压力大时我会深呼吸，调整心态，然后先处理最紧急的事。"


def read_table(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    assert data.endswith(b"\n"), "a torn last row"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "an id appears twice"
    return rows


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(row["id"]): row for row in rows}


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = True) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def expected_score(bank: Path | str, question: str, answer: str) -> float:
    loaded = coach.load_file(bank) if isinstance(bank, Path) else coach.load_bank(bank)
    return coach.grade_offline(loaded, question, answer).score


def people(tmp_path: Path, mini_path: Path) -> Path:
    """A CSV as Excel exports it: a byte order mark, CRLF, an answer over two lines, columns
    that are none of coach's, a row without an answer, one without an id, a repeated id."""
    return write_csv(
        tmp_path / "people.csv",
        [
            ["id", "name", "answer", "question", "score"],
            ["7", "王伟", ANSWER.replace("。", "。\n", 1), "atm", "n/a"],
            ["8", "李娜", "", "atm", ""],
            ["", "张敏", CALM, "calm", ""],
            ["7", "赵磊", ANSWER, "atm", ""],
            ["9", "刘洋", ANSWER, "no-such-question", ""],
        ],
    )


def test_csv_in_csv_out(tmp_path: Path, mini_path: Path) -> None:
    out = tmp_path / "grades.csv"
    columns = Columns(bank=str(mini_path))
    summary = run_job(GRADER, people(tmp_path, mini_path), out, columns=columns, progress=False)
    rows = by_id(read_table(out))
    assert set(rows) == {"7", "8", "row-3", "7@row-4", "9"}
    assert summary.total == 5 and summary.graded == 2 and summary.failed == 3
    # The byte order mark is no part of the first column's name: the ids are read.
    first = rows["7"]
    assert float(first["score"]) == pytest.approx(
        expected_score(mini_path, "atm", ANSWER.replace("。", "。\n", 1)), abs=1e-4
    )
    assert (first["bank"], first["question"], first["method"]) == ("mini", "atm", "keyword")
    assert first["name"] == "王伟" and first["input score"] == "n/a"  # extra columns ride along
    assert float(rows["row-3"]["score"]) == pytest.approx(
        expected_score(mini_path, "calm", CALM), abs=1e-4
    )
    assert rows["8"]["error"] == "InvalidRow: row 2 lacks an answer" and rows["8"]["name"] == "李娜"
    assert rows["7@row-4"]["error"].startswith("DuplicateId")
    assert rows["9"]["error"].startswith("QuestionNotFoundError")
    assert list(read_table(out)[0]) == [*FIELDS, "name", "input score"]


def test_tsv_with_bank_and_question_per_row(tmp_path: Path, mini_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.tsv",
        [
            ["cand", "text", "bk", "q"],
            ["a", ANSWER, str(mini_path), "atm"],
            ["b", "我会先核实身份再处理。", "finance-cs-manager", "s2"],
            ["c", ANSWER, "no-such-bank", "atm"],
            ["d", ANSWER, "", "atm"],
        ],
        delimiter="\t",
        bom=False,
    )
    out = tmp_path / "out.tsv"
    columns = Columns(id="cand", answer="text", bank_col="bk", question_col="q", id_required=True)
    run_job(GRADER, source, out, columns=columns, progress=False)
    rows = by_id(read_table(out, "\t"))
    assert float(rows["a"]["score"]) == pytest.approx(
        expected_score(mini_path, "atm", ANSWER), abs=1e-4
    )
    assert float(rows["b"]["score"]) == pytest.approx(
        expected_score("finance-cs-manager", "s2", "我会先核实身份再处理。"), abs=1e-4
    )
    assert rows["c"]["error"].startswith("BankNotFoundError")
    assert rows["d"]["error"] == "InvalidRow: row 4 lacks a bank"


def test_a_missing_column_names_the_columns_the_file_has(tmp_path: Path, mini_path: Path) -> None:
    source = people(tmp_path, mini_path)
    out = tmp_path / "out.csv"
    with pytest.raises(CoachError) as caught:
        run_job(GRADER, source, out, columns=Columns(answer="reply"), progress=False)
    message = str(caught.value)
    assert "'reply'" in message and "'bank' (or --bank for every row)" in message
    assert "its columns are 'id', 'name', 'answer', 'question', 'score'" in message
    assert not out.exists()
    run = run_cli("grade-file", source, "--out", out, "--id-col", "cid", "--bank", mini_path)
    assert run.returncode == 1 and not out.exists()
    assert "has no column 'cid'; its columns are 'id', 'name'" in run.stderr, run.stderr


def test_no_id_column_numbers_the_rows_the_same_on_every_run(
    tmp_path: Path, mini_path: Path
) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [["answer", "note"], [ANSWER, ""], ["", "x"], ["", ""], [CALM, ""], [ANSWER, ""]],
    )
    out = tmp_path / "out.csv"
    columns = Columns(bank=str(mini_path), question="atm")
    run_job(GRADER, source, out, columns=columns, progress=False)
    first = out.read_bytes()
    rows = by_id(read_table(out))
    # A blank row is no item, but it keeps its number, so the ids after it do not move.
    assert set(rows) == {"row-1", "row-2", "row-4", "row-5"}
    assert rows["row-2"]["error"] == "InvalidRow: row 2 lacks an answer"
    again = run_job(GRADER, source, out, columns=columns, progress=False)
    assert again.skipped == 4 and again.graded == 0 and out.read_bytes() == first


def test_the_cli_reads_a_gbk_csv_and_turns_down_only_a_row_it_cannot_decode(
    tmp_path: Path, mini_path: Path
) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(f"id,answer\r\n1,{ANSWER}\r\n2,{CALM}\r\n".encode("gbk"))
    out = tmp_path / "out.jsonl"
    run = run_cli("grade-file", gbk, "--out", out, "--bank", mini_path, "--question", "atm")
    assert run.returncode == 0, run.stderr
    assert "GB18030" in run.stderr  # the note says how it was read
    records = by_id([json.loads(line) for line in out.read_text("utf-8").splitlines()])
    assert records["1"]["result"]["score"] == expected_score(mini_path, "atm", ANSWER)
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(
        f"id,answer\n1,{ANSWER}\n2,".encode() + "坏".encode("gbk") + f"\n3,{ANSWER}\n".encode()
    )
    source = TableSource(mixed, Columns(bank=str(mini_path), question="atm"))
    items = dict(source.items())
    assert isinstance(items["row-2"], dict) and "not utf-8 text" in str(items["row-2"])
    assert not isinstance(items["1"], dict) and not isinstance(items["3"], dict)


def test_excel_unicode_text_is_utf16_tsv_with_another_suffix(
    tmp_path: Path, mini_path: Path
) -> None:
    export = tmp_path / "export.txt"  # what Excel's "Unicode Text" writes
    export.write_bytes(f"\ufeffid\tanswer\r\n1\t{ANSWER}\r\n2\t{CALM}\r\n".encode("utf-16-le"))
    out = tmp_path / "out.csv"
    args = ("--bank", mini_path, "--question", "atm", "--offline")
    run = run_cli("grade-file", export, "--out", out, "--format", "tsv", *args)
    assert run.returncode == 0, run.stderr
    assert "UTF-16" in run.stderr  # the note says how it was read
    rows = by_id(read_table(out))
    assert set(rows) == {"1", "2"}  # the byte order mark is not in the id column's name
    assert float(rows["1"]["score"]) == pytest.approx(
        expected_score(mini_path, "atm", ANSWER), abs=1e-4
    )


def test_a_rerun_resumes_an_interrupted_csv_output(tmp_path: Path, mini_path: Path) -> None:
    source = people(tmp_path, mini_path)
    out = tmp_path / "out.csv"
    columns = Columns(bank=str(mini_path))
    run_job(GRADER, source, out, columns=columns, progress=False)
    whole = read_table(out)
    lines = out.read_bytes().split(b"\n")
    # A crash after two rows, in the middle of writing the third:
    out.write_bytes(b"\n".join(lines[:3]) + b"\n" + lines[3][:9])
    summary = run_job(GRADER, source, out, columns=columns, progress=False)
    assert summary.repaired == 1 and summary.skipped == 2 and summary.graded + summary.failed == 3
    assert by_id(read_table(out)) == by_id(whole)  # no id twice, none lost, the same rows


@posix_only
def test_a_csv_run_killed_mid_job_is_finished_by_the_next(tmp_path: Path, mini_path: Path) -> None:
    count = 3000  # rows are written in blocks of 256 KB: enough of them to kill the run mid-job
    rows = [["id", "answer"], *([f"q{n}", f"{ANSWER}{'，别着急' * (n % 3)}"] for n in range(count))]
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    args = ("grade-file", source, "--out", out, "--bank", mini_path, "--question", "atm")
    for _ in range(2):  # killed twice, at different points
        # one process: a pool writes whole chunks, which may finish before the kill
        run = coach_process(*args, "--offline", "--workers", "1", quiet=True)
        start = out.read_bytes().count(b"\n") if out.exists() else 0
        wait_until(
            lambda start=start: out.exists() and out.read_bytes().count(b"\n") >= start + 20,
            "twenty more rows",
        )
        run.send_signal(signal.SIGKILL)
        exit_code(run, 30)
    partial = out.read_bytes().count(b"\n") - 1  # the header
    assert partial < count  # killed before the end (else the test proves nothing)
    done = run_cli(*args, "--offline")
    assert done.returncode == 0, done.stderr
    assert f"{partial} already done" in done.stdout
    clean = tmp_path / "clean.csv"
    run_job(
        GRADER, source, clean, columns=Columns(bank=str(mini_path), question="atm"), progress=False
    )
    scores = {row["id"]: row["score"] for row in read_table(out)}  # no id twice
    assert scores == {row["id"]: row["score"] for row in read_table(clean)}  # none lost


def test_a_rerun_grades_rows_marked_retry_again(tmp_path: Path, mini_path: Path) -> None:
    source = people(tmp_path, mini_path)
    out = tmp_path / "out.csv"
    columns = Columns(bank=str(mini_path))
    run_job(GRADER, source, out, columns=columns, progress=False)
    rows = read_table(out)
    header = list(rows[0])
    for row in rows:
        if row["id"] == "7":  # as a network failure would have left it
            row.update(score="", error="LLMUnavailableError: timed out", retry="true")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    summary = run_job(GRADER, source, out, columns=columns, progress=False)
    assert summary.retried == 1 and summary.graded == 1 and summary.skipped == 4
    assert by_id(read_table(out))["7"]["error"] == ""


def test_an_output_that_is_not_coach_s_is_left_alone(tmp_path: Path, mini_path: Path) -> None:
    out = write_csv(tmp_path / "hr.csv", [["name", "phone"], ["王伟", "123"]])
    before = out.read_bytes()
    with pytest.raises(CoachError, match="not an output of coach grade-file"):
        run_job(GRADER, people(tmp_path, mini_path), out, columns=Columns(bank="x"), progress=False)
    assert out.read_bytes() == before


def test_xlsx_in_and_out(tmp_path: Path, mini_path: Path) -> None:
    import openpyxl  # the excel extra, installed with the test extra

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "answer", "dept"])
    sheet.append([17, ANSWER, "零售"])  # an id typed as a number
    sheet.append(["=1+1", CALM, None])  # text that looks like a formula stays text
    sheet["A3"].data_type = "s"
    sheet.append([None, None, None])
    sheet.append([18, "", "对公"])
    source = tmp_path / "in.xlsx"
    book.save(source)
    out = tmp_path / "out.xlsx"
    run = run_cli("grade-file", source, "--out", out, "--bank", mini_path, "--question", "atm")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out.xlsx.jsonl").exists()  # the journal that resumes
    read = openpyxl.load_workbook(out, read_only=True)
    values = list(read.worksheets[0].iter_rows(values_only=True))
    kinds = {row[0].value: row[0].data_type for row in read.worksheets[0].iter_rows()}
    read.close()
    assert kinds["=1+1"] == "s"  # written as text, not as a formula a spreadsheet would run
    header = list(values[0])
    rows = by_id([dict(zip(header, row, strict=True)) for row in values[1:]])
    assert set(rows) == {"17", "=1+1", "18"}
    assert rows["17"]["score"] == expected_score(mini_path, "atm", ANSWER)
    assert rows["17"]["dept"] == "零售"
    assert rows["18"]["error"] == "InvalidRow: row 4 lacks an answer"
    again = run_cli("grade-file", source, "--out", out, "--bank", mini_path, "--question", "atm")
    assert "3 already done" in again.stdout and out.exists()


def test_parquet_in_and_out(tmp_path: Path, mini_path: Path) -> None:
    import pyarrow  # the parquet extra, installed with the test extra
    import pyarrow.parquet as parquet

    source = tmp_path / "in.parquet"
    table = {"id": ["a", "b", "c"], "answer": [ANSWER, CALM, None], "question": ["atm"] * 3}
    parquet.write_table(pyarrow.table(table), source)
    out = tmp_path / "out.parquet"
    summary = run_job(GRADER, source, out, columns=Columns(bank=str(mini_path)), progress=False)
    assert summary.graded == 2 and summary.failed == 1
    rows = by_id(parquet.read_table(out).to_pylist())
    assert rows["a"]["score"] == expected_score(mini_path, "atm", ANSWER)
    assert rows["c"]["error"] == "InvalidRow: row 3 lacks an answer"
    assert rows["c"]["score"] is None and rows["a"]["retry"] is None


@pytest.mark.parametrize(
    ("module", "suffix", "extra"),
    [("openpyxl", ".xlsx", "excel"), ("pyarrow.parquet", ".parquet", "parquet")],
)
def test_a_missing_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, suffix: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    hint = f"pip install 'interview-coach\\[{extra}\\]'"
    with pytest.raises(CoachError, match=hint):
        output_for(tmp_path / f"out{suffix}")
    (tmp_path / f"in{suffix}").write_bytes(b"")
    with pytest.raises(CoachError, match=hint):
        TableSource(tmp_path / f"in{suffix}", Columns(bank="x", question="y"))


def test_a_row_the_csv_reader_refuses_is_an_error_line_and_the_rest_are_read(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    huge = "x" * (csv.field_size_limit() + 1)
    source.write_text(f'id,answer\n1,ok\n2,{huge}\n3,fine\n4,"two\nlines"\n', encoding="utf-8")
    items = dict(TableSource(source, Columns(bank="b", question="q")).items())
    assert list(items) == ["1", "row-2", "3", "4"]
    assert "row 2 is not CSV: field larger than field limit" in str(items["row-2"])
    assert getattr(items["4"], "answer", None) == "two\nlines"


def test_a_table_graded_on_worker_processes_matches_one_process(
    tmp_path: Path, mini_path: Path
) -> None:
    """Past one chunk of rows, a CSV job runs on the pool; its rows, the input's other columns
    included, are the ones a single process writes, in the same order."""
    rows = [["id", "name", "answer"]]
    rows += [[f"p{n}", f"name {n}", f"{ANSWER}{'，别着急' * (n % 3)}"] for n in range(300)]
    rows.append(["p-empty", "nobody", ""])  # a bad row among them
    source = write_csv(tmp_path / "in.csv", rows)
    outputs = []
    for workers in ("1", "2"):
        for suffix in ("csv", "jsonl"):
            out = tmp_path / f"out-{workers}.{suffix}"
            args = ("--bank", mini_path, "--question", "atm", "--offline", "--workers", workers)
            run = run_cli("grade-file", source, "--out", out, *args)
            assert run.returncode == 0 or "1 failed" in run.stdout, run.stderr
            outputs.append(out.read_bytes())
    one_csv, one_jsonl, two_csv, two_jsonl = outputs
    assert two_csv == one_csv and two_jsonl == one_jsonl
    first = json.loads(one_jsonl.splitlines()[0])
    assert first["row"] == {"name": "name 0"}


def test_a_json_id_with_a_lone_surrogate_is_an_error_row_not_a_crash(
    tmp_path: Path, mini_path: Path
) -> None:
    # "\udc80" is valid JSON but no text: a table (UTF-8) could not hold it, and the job used
    # to stop there, losing the rows after it.
    lines = [
        {"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
        {"id": "b\udc80", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
        {"id": "c", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "grades.csv"
    summary = run_job(GRADER, source, out, progress=False)
    rows = by_id(read_table(out))
    assert set(rows) == {"a", "line-2", "c"}
    assert summary.graded == 2 and summary.failed == 1
    assert "lone surrogate" in rows["line-2"]["error"]
    assert float(rows["c"]["score"]) > 0
    again = run_job(GRADER, source, out, progress=False)  # resumes: nothing graded twice
    assert again.graded == 0 and len(read_table(out)) == 3
