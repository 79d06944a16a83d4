"""One run at a time per output file: an operating-system lock on a file beside it.

`OutputLock(out)` locks `OUT.lock` (fcntl's `flock` on POSIX, `msvcrt.locking` on Windows)
without waiting: when another run holds it, `OutputLocked` names the lock file and what that
run wrote into it (its process id, host and start time). The operating system drops the lock
when its process ends in any way, kill -9 included, so a lock file left behind by a killed run
holds nobody up; a run that ends normally removes it (on POSIX; Windows cannot remove a file
that is open, so there it stays, unlocked).

Why not the `filelock` package: its POSIX lock opens the file with O_TRUNC before trying the
lock, which wipes the holder's note that the refusal message is meant to quote; the two
system calls it wraps are a few lines here.
"""

from __future__ import annotations

import datetime
import os
import socket
import sys
from pathlib import Path

from coach.errors import CoachError

_WINDOWS_LOCK_AT = 1 << 30  # the byte Windows locks, far past the note, which stays readable


class OutputLocked(CoachError):
    """Another run is writing the same output file."""


def _try_lock(fd: int) -> bool:
    """Take the lock on `fd` without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _note(fd: int) -> str:
    """What the holder wrote into the lock file (empty if it has not yet)."""
    try:
        return os.pread(fd, 500, 0).decode("utf-8", "replace").strip()
    except (OSError, AttributeError):  # pragma: no cover - Windows has no pread
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 500).decode("utf-8", "replace").strip()


class OutputLock:
    """Held while a job writes `target`; use as a context manager."""

    def __init__(self, target: Path, what: str = "coach grade-file") -> None:
        self.target = target
        self.path = target.with_name(target.name + ".lock")
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise CoachError(
                    f"cannot create the lock file {str(self.path)!r}: {exc.strerror or exc}"
                ) from None
            if not _try_lock(fd):
                holder = _note(fd) or "a run that has just started"
                os.close(fd)
                raise OutputLocked(
                    f"another run is writing {str(self.target)!r} ({holder}); its lock is "
                    f"{str(self.path)!r}: wait for that run to end, or stop it"
                )
            if self._still_there(fd):
                break
            os.close(fd)  # the previous holder removed the file as we opened it: again
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        note = f"{self.what}, process {os.getpid()} on {socket.gethostname()}, since {started}"
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)  # Windows left the position at the byte it locked
        os.write(fd, note.encode("utf-8") + b"\n")
        self._fd = fd

    def _still_there(self, fd: int) -> bool:
        """Whether the locked file is still the one the path names."""
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except OSError:
            return False

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if self._still_there(self._fd):
                self.path.unlink()  # while still locked, so no run can lock the old file
        except OSError:  # pragma: no cover - Windows cannot remove an open file; it stays
            pass
        os.close(self._fd)  # closing the descriptor drops the lock
        self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
