"""The README's examples run as printed: the Python API example prints what its comment says,
and the test kit's example test passes."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from coach.testing import FakeJudge

README = Path(__file__).resolve().parents[2] / "README.md"


def _first_block(heading: str) -> str:
    """The first Python code block under `heading`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("\n```", start)]


def test_the_api_example_prints_the_score_its_comment_shows() -> None:
    code = _first_block("## Python API")
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


def test_the_test_kit_example_passes() -> None:
    code = _first_block("## Testing an app that uses coach")
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    example = namespace["test_grading_survives_a_rate_limit"]
    judge = FakeJudge()
    with judge.activate():
        example(judge)  # type: ignore[operator]
    assert len(judge.requests) == 2
