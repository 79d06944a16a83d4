"""The examples run as a new user would run them: the quickstart, the English rubric, the
notebook (executed in a real Jupyter kernel), all offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

import coach
from tests.cli.support import cli_env
from tests.support import EXAMPLES


def test_quickstart_runs_offline_and_says_so() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py")],
        env=cli_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "by keyword" in done.stdout and "no LLM configured" in done.stdout
    assert "to improve:" in done.stdout and "follow-up:" in done.stdout


def test_the_english_rubric_is_a_working_bank() -> None:
    bank = coach.load_bank(EXAMPLES / "rubric-en.yaml")
    assert bank.language == "en"
    for question in bank.questions:
        strong = coach.grade_offline(bank, question, question.model_answer)
        assert strong.percent >= 80, question.id
        assert strong.strengths and all(" " in s.text for s in strong.strengths)
        pasted = " ".join(
            f"{kp.text}. {', '.join(kp.variants)}."
            for c in question.criteria
            for kp in c.key_points
        )
        assert coach.grade_offline(bank, question, pasted).percent <= 20, question.id
        off_topic = coach.grade_offline(bank, question, "I like hiking and cooking at weekends.")
        assert off_topic.percent <= 20


@pytest.mark.parametrize("where", ["examples", "copied-out"])
def test_the_notebook_runs_end_to_end_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    # Copied out of the repository, with nothing beside it, it runs the same (it once looked
    # for examples/rubric-en.yaml relative to where it ran, and died with a bare StopIteration).
    for name in [k for k in os.environ if k.startswith("OPENAI_")]:
        monkeypatch.delenv(name)
    folder = EXAMPLES
    if where == "copied-out":
        folder = tmp_path / "mine"
        folder.mkdir()
        shutil.copy(EXAMPLES / "notebook.ipynb", folder)
    notebook = nbformat.read(folder / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    outputs = [
        str(out.get("data", {}).get("text/plain", out.get("text", "")))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    ]
    errors = [
        out
        for cell in notebook.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert errors == []
    joined = "\n".join(outputs)
    assert "'keyword'" in joined and "fallback" in joined and "no LLM configured" in joined
    assert "Calm the customer: well covered" in joined  # the notebook's own English rubric
