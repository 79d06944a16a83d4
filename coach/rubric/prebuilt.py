"""Built-in banks validated ahead of time: read back as JSON, not parsed from YAML at each start.

Parsing a built-in bank's YAML and checking it (PyYAML, duplicate keys, line numbers for
errors) took 30-45 ms of CPU at the start of every command that grades. `tools/build_tables.py`
stores the bank it gives as JSON in `built/` beside this module, under the SHA-256 of the YAML
bytes it came from; reading it back through the same pydantic model takes about a millisecond.
A file whose bytes no longer match the stored digest (a bank edited since) is parsed as before,
so a stored copy can be out of date, never wrong.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from coach.rubric.model import Bank

BUILT_DIR = Path(__file__).with_name("built")


def built_path(source: Path) -> Path:
    """Where the validated copy of the bank file `source` is stored."""
    return BUILT_DIR / f"{source.stem}.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prebuilt_bank(source: Path) -> Bank | None:
    """The bank stored for `source` when it was built from exactly these bytes, else None."""
    try:
        stored = built_path(source).read_text(encoding="utf-8")
        data = source.read_bytes()
    except OSError:
        return None
    recorded, _, body = stored.partition("\n")
    if recorded != _digest(data):
        return None
    try:
        return Bank.model_validate_json(body)
    except ValueError:  # a damaged copy: the YAML is still there to parse
        return None


def built_text(source: Path, bank: Bank) -> str:
    """What is stored for `source`: the digest of its bytes, then `bank` (parsed from it) as
    JSON, fields at their defaults left out."""
    return f"{_digest(source.read_bytes())}\n{bank.model_dump_json(exclude_defaults=True)}\n"
