"""Regenerate the tables that coach ships precomputed, so that no process builds them at start.

    python tools/build_tables.py          # rewrite them
    python tools/build_tables.py --check  # exit 1 when a shipped table is out of date

- `coach/text/t2s_chars.txt`: every CJK character (the BMP blocks, extension A and the
  compatibility ideographs) that OpenCC's `t2s` converts, alone, to another single character.
  Building it takes OpenCC a pass over 28,000 characters, which every start used to pay.
- `coach/grading/generic_units.json`: the units common to the shipped banks' questions, per
  language (`coach.grading.relevance.count_generic_units`); counting them reads and normalizes
  every built-in bank. It depends on the folding table, so it is built second.
- `coach/rubric/built/*.json`: each built-in bank as validated from its YAML file, under the
  file's SHA-256 (`coach.rubric.prebuilt`); an edited bank is parsed from YAML until rebuilt.

Run it after upgrading OpenCC or editing a built-in bank; `tests/text/test_tables.py` fails
until the shipped tables match.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.text.fold_table import CJK_RANGES, TABLE_PATH  # noqa: E402


def t2s_lines() -> str:
    """The folding table's file text: a comment, then one 'TRADITIONAL SIMPLIFIED' pair a line."""
    t2s = opencc.OpenCC("t2s")
    lines = [
        f"# OpenCC {opencc.__version__} t2s, one character at a time; "
        "written by tools/build_tables.py, do not edit"
    ]
    for first, last in CJK_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            converted = t2s.convert(char)
            if converted != char and len(converted) == 1:  # longer ones are not folded
                lines.append(f"{char} {converted}")
    return "\n".join(lines) + "\n"


def generic_units_text() -> str:
    from coach.grading.relevance import count_generic_units

    table = {language: sorted(units) for language, units in count_generic_units().items()}
    return json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def bank_text(source: Path) -> str:
    """A built-in bank's validated copy, parsed from its YAML file."""
    from coach.rubric.loader import load_file
    from coach.rubric.prebuilt import built_text

    return built_text(source, load_file(source))


def prebuilt_banks() -> list[tuple[Path, Callable[[], str]]]:
    from coach.resources import data_dir
    from coach.rubric.prebuilt import built_path

    sources = sorted((data_dir() / "rubrics").glob("*.yaml"))
    return [(built_path(source), functools.partial(bank_text, source)) for source in sources]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    # The generic units are counted with the folding table as written, so write it first.
    from coach.grading.relevance import GENERIC_UNITS_PATH

    tables: list[tuple[Path, Callable[[], str]]] = [
        (TABLE_PATH, t2s_lines),
        (GENERIC_UNITS_PATH, generic_units_text),
        *prebuilt_banks(),
    ]
    for path, build in tables:
        text = build()
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not check:
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'out of date' if check else 'rewritten'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
