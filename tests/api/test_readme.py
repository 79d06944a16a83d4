"""The README's Python API example runs as printed and prints what its comment says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _api_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("\n```", start)]


def test_the_api_example_prints_the_score_its_comment_shows() -> None:
    code = _api_example()
    promised = re.search(
        r"print\(result\.score, result\.max_score, result\.percent\)\s+# (.+)", code
    )
    assert promised is not None, code
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == promised.group(1).strip()
    # The criteria loop prints one line per criterion, then the lists, then the JSON.
    assert any(line.startswith("{") for line in lines)
