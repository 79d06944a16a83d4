"""Regenerate the tables that coach ships precomputed, so that no process builds them at start.

    python tools/build_tables.py          # rewrite them
    python tools/build_tables.py --check  # exit 1 when a shipped table is out of date

- `coach/text/t2s_chars.txt`: every CJK character (the BMP blocks, extension A and the
  compatibility ideographs) that OpenCC's `t2s` converts, alone, to another single character.
  Building it takes OpenCC a pass over 28,000 characters, which every start used to pay.
- `coach/text/t2s_phrases.txt`: Traditional, Taiwan and Hong Kong spellings of words with their
  mainland ones (瞭解 → 了解, 回覆 → 回复), from OpenCC's phrase dictionaries of spelling
  (`TSPhrases` and the Taiwan and Hong Kong variant phrases), each side folded with the
  character table; only pairs that the character table leaves apart are kept.
  The dictionaries are read with the `opencc_dict` tool that ships inside the OpenCC wheel.
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
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.text.fold_table import CJK_RANGES, PHRASES_PATH, TABLE_PATH  # noqa: E402

# OpenCC's phrase dictionaries of spelling: the same word written the Traditional, Taiwan or
# Hong Kong way (瞭解, 回覆, 反覆). Its vocabulary ones (TWPhrasesRev: 查詢 -> 查找, 文件 -> 文档,
# 建立 -> 创建) would rewrite words that mainland rubrics use too, so the few vocabulary pairs
# that matter to service answers are chosen by hand (`coach.text.normalize`).
PHRASE_DICTIONARIES = ("TWVariantsRevPhrases", "HKVariantsRevPhrases", "TSPhrases")


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


def _dictionary(name: str) -> list[tuple[str, str]]:
    """(key, first value) pairs of one of OpenCC's binary dictionaries, as text."""
    clib = Path(opencc.__file__).parent / "clib"
    tool = clib / "bin" / "opencc_dict"
    source = clib / "share" / "opencc" / f"{name}.ocd2"
    env = {**os.environ, "LD_LIBRARY_PATH": str(clib / "lib64")}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / f"{name}.txt"
        command = [str(tool), "-i", str(source), "-o", str(out), "-f", "ocd2", "-t", "text"]
        subprocess.run(command, check=True, env=env, capture_output=True)
        lines = out.read_text(encoding="utf-8").splitlines()
    pairs = []
    for line in lines:
        key, _, values = line.partition("\t")
        if key and values:
            pairs.append((key, values.split(" ")[0]))
    return pairs


def t2s_phrase_lines() -> str:
    """The phrase table's file text: a comment, then one 'FOLDED MAINLAND' pair a line."""
    chars = dict(line.split(" ") for line in t2s_lines().splitlines()[1:])

    def fold(word: str) -> str:
        return "".join(chars.get(c, c) for c in word)

    table: dict[str, str] = {}
    for name in PHRASE_DICTIONARIES:
        for key, value in _dictionary(name):
            folded, mainland = fold(key), fold(value)
            cjk = all(0x3400 <= ord(c) <= 0x9FFF for c in folded + mainland)
            if cjk and len(folded) > 1 and folded != mainland and folded not in table:
                table[folded] = mainland
    lines = [
        f"# OpenCC {opencc.__version__} {', '.join(PHRASE_DICTIONARIES)}, folded by character; "
        "written by tools/build_tables.py, do not edit"
    ]
    lines += [f"{key} {value}" for key, value in sorted(table.items())]
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
        (PHRASES_PATH, t2s_phrase_lines),
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
