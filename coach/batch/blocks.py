"""Appending whole lines to an output file, many lines to a write, never part of a line for good.

A file job writes a line per answer. One unbuffered write (a system call) per line cost about a
twentieth of an offline grade, so `LineFile` gathers lines and writes them as one block:

* once `BLOCK_BYTES` are waiting;
* once the first waiting line is `BLOCK_SECONDS` old, however long the next line takes (a
  timer thread sees to it, so a slow LLM job's lines are not held back either);
* when the file is closed: at the end of the job, and when an exception or Ctrl-C stops it.

So a crash or a kill -9 loses at most the lines of the last `BLOCK_SECONDS` or `BLOCK_BYTES`:
their ids are not in the file, and the next run grades them again. A block is written whole or
cut off again: when a write fails (a full disk, a quota) the part that got out is truncated
away, the block's lines are tried one at a time so the file keeps those that still fit (whole
lines only), and `OutputError` says what happened; after that nothing more is written. Should
the truncation fail too (or the process die mid-write), the next run's scan cuts the torn last
line off (`coach.batch.jsonl.cut_torn_tail`).

`block_bytes=0` writes every line on its own, at once.

Ctrl-C can land between any two steps of the thread that writes lines, so that thread uses
only primitives that are one C call each (a plain lock taken with `with`, a `SimpleQueue` to
nudge the timer) and never waits for the timer: the Python-level steps of a
`threading.Condition` can be cut in the middle and leave its lock held, and a job stopped that
way waited for the timer forever when it closed the file.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from typing import IO

from coach.errors import CoachError

# About fifty result lines of an offline grade. Each write has a fixed cost in the kernel
# (about 20 us on ext4: times, size, journal); at 256 KB it is spread thin (system time per
# 5 KB line: 4.4 us a line at a time, 3.1 us in 64 KB blocks, 1.6 us in 256 KB ones).
BLOCK_BYTES = 1 << 18
BLOCK_SECONDS = 0.5  # the longest a line waits in memory before it is written


class OutputError(CoachError):
    """The output file could not be written; what was written before is intact."""


class LineFile:
    """Appends whole lines (bytes ending in "\\n") to `handle`, an unbuffered file opened for
    appending, in blocks as the module docstring says. `lines` counts the lines in the file."""

    def __init__(
        self,
        handle: IO[bytes],
        name: str,
        *,
        block_bytes: int = 0,
        block_seconds: float = BLOCK_SECONDS,
    ) -> None:
        self._handle = handle  # unbuffered, so a failed block leaves nothing to flush later
        self._name = name
        self._size = handle.seek(0, os.SEEK_END)
        self._failed: OutputError | None = None
        self.lines = 0
        self._block_bytes = block_bytes
        self._block_seconds = block_seconds
        self._waiting: list[bytes] = []
        self._waiting_bytes = 0
        self._since = 0.0  # when the first waiting line came
        self._lock = threading.Lock()  # guards the waiting lines and the file
        self._wake: queue.SimpleQueue[None] = queue.SimpleQueue()  # nudges the timer
        self._timer: threading.Thread | None = None
        self._closing = False

    def _write_bytes(self, line: bytes) -> None:
        """Add one whole line; written at once when that fills a block."""
        with self._lock:
            if self._failed is not None:  # after one failure nothing more: the job is stopping
                raise self._failed
            self._waiting.append(line)
            self._waiting_bytes += len(line)
            if self._waiting_bytes >= self._block_bytes:
                self._write_waiting()
                return
            if len(self._waiting) > 1:
                return
            self._since = time.monotonic()  # a new block: the timer writes it if it is slow
        if self._timer is None:
            timer = threading.Thread(target=self._time_blocks, name="coach-output", daemon=True)
            timer.start()
            self._timer = timer
        self._wake.put(None)

    def _time_blocks(self) -> None:
        """The timer thread: writes a block whose first line has waited `BLOCK_SECONDS`.
        A nudge it does not need (the block was written meanwhile) only makes it look again."""
        while True:
            with self._lock:
                if self._closing:
                    return
                left = None  # nothing waiting: sleep until nudged
                if self._waiting:
                    left = self._since + self._block_seconds - time.monotonic()
                    if left <= 0:
                        with contextlib.suppress(OutputError):  # raised to the job later
                            self._write_waiting()
                        continue
            with contextlib.suppress(queue.Empty):
                self._wake.get(timeout=left)

    def _write_waiting(self) -> None:
        """Write the waiting lines as one block (the caller holds `_lock`): all of them, or
        none and `OutputError`."""
        if not self._waiting or self._failed is not None:
            return
        block = b"".join(self._waiting) if len(self._waiting) > 1 else self._waiting[0]
        try:
            self._write_all(block)
        except OSError as exc:
            if self._undo():
                self._keep_what_fits()
            self._drop_waiting()
            self._failed = OutputError(
                f"cannot write {self._name!r}: {exc.strerror or exc}; the lines already in it "
                "are whole, so running the same command again resumes the job"
            )
            raise self._failed from None
        except BaseException:  # Ctrl-C mid-block: none of it stays, `close` writes it whole
            if not self._undo():
                self._drop_waiting()  # part of it is in the file: not written a second time
            raise
        self._size += len(block)
        self.lines += len(self._waiting)
        self._drop_waiting()

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            sent = self._handle.write(view)
            if not sent:  # pragma: no cover - a raw file writes something or raises
                raise OSError("the file took no bytes")
            view = view[sent:]
        self._handle.flush()

    def _keep_what_fits(self) -> None:
        """After a block failed and was cut off: its lines one at a time, as many as the file
        still takes (a disk that filled up mid-block has room for some), so a full disk keeps
        what one line at a time would have kept."""
        if len(self._waiting) == 1:
            return
        for line in self._waiting:
            try:
                self._write_all(line)
            except OSError:
                self._undo()
                return
            self._size += len(line)
            self.lines += 1

    def _drop_waiting(self) -> None:
        self._waiting.clear()
        self._waiting_bytes = 0

    def _undo(self) -> bool:
        # Should this fail too, the next run's `scan_output` cuts the torn line off.
        try:
            self._handle.truncate(self._size)
        except OSError:
            return False
        return True

    def flush(self) -> None:
        """Write the waiting lines now; `OutputError` when that fails."""
        with self._lock:
            if self._failed is not None:
                raise self._failed
            self._write_waiting()

    def close(self) -> None:
        """Write the waiting lines and close the file; `OutputError` when the last block
        could not be written (the file then holds the whole lines before it)."""
        # Not joined: the timer takes the lock before it writes and ends when it sees
        # `_closing`, so nothing is written after this, and a timer that Ctrl-C stopped half
        # started cannot keep the job from ending.
        try:
            with self._lock:
                self._closing = True
                try:
                    self._write_waiting()
                finally:
                    with contextlib.suppress(OSError):
                        self._handle.close()
        finally:
            self._wake.put(None)  # the timer wakes, sees `_closing` and ends

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.close()
            return
        # Stopped by an exception: the waiting lines are written all the same; should that
        # fail, the file holds whole lines and the exception that stopped the job goes on.
        with contextlib.suppress(OutputError):
            self.close()
