"""Splitting one job across machines: `--shard K/N` grades the ids that fall in part K of N.

An id's part is a stable hash of the id (SHA-256, the same on every machine and every Python,
unlike `hash()`), not its row's position, for two reasons. A repeated id lands in the same part
as its first appearance, so it is reported as `ID@line-N` there exactly as a run on one machine
reports it, instead of being graded twice on two machines. And rows added to or removed from
the file later move no other id to another part, so every machine's output stays resumable.
The parts are not exactly equal in size, only close (within a few percent for thousands of
ids).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from coach.errors import CoachError

_REPEAT = re.compile(r"@(?:line|row)-\d+$")  # how a repeated id is named: ID@line-7


@dataclass(frozen=True)
class Shard:
    """Part `part` (1 to `parts`) of a job."""

    part: int
    parts: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N`, 1 <= K <= N; `CoachError` otherwise."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise CoachError(f"--shard takes K/N with 1 <= K <= N (1/4 to 4/4), not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def takes(self, job_id: str) -> bool:
        """Whether the item named `job_id` is this part's; a repeat goes with its first."""
        digest = hashlib.sha256(_REPEAT.sub("", job_id).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.parts == self.part - 1
