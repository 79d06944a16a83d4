"""A progress bar for long runs, in a notebook cell or on a terminal, and silent elsewhere.

In Jupyter the bar is a small HTML block updated in place through IPython's display handles (no
widget library needed); on a terminal it is one line on stderr rewritten with a carriage
return; in a pipe or a log it says nothing. A callable can take its place for apps that report
progress their own way.

Why not tqdm: `tqdm.auto` draws a notebook bar only through ipywidgets and raises ImportError
in a Jupyter kernel without them (coach's notebook users need not have them), and importing
it took 63-105 ms here (tqdm 4.70.1, `python -X importtime`), against under 1 ms for this
module. The bar needs a redraw throttle, a carriage return and one HTML display handle: less
code than adapting tqdm's fallbacks.
"""

from __future__ import annotations

import html
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

ProgressOption = bool | Callable[[int, int, int], None] | None  # (done, total, failed)
REDRAW_EVERY = 0.1  # seconds between redraws, so a fast run does not spend its time drawing


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ipython = shell.get_ipython()
    except AttributeError:  # pragma: no cover - an IPython without get_ipython
        return False
    return ipython is not None and type(ipython).__name__ == "ZMQInteractiveShell"


def will_show(option: ProgressOption, stream: TextIO | None = None) -> bool:
    """Whether a bar with this option reports anything (so its total is worth counting)."""
    if option is None:
        return _in_notebook() or (stream or sys.stderr).isatty()
    return option is not False


class Progress:
    """Reports `done` of `total` items, and how many failed; a `total` of 0 means unknown (a
    streamed batch reading a pipe): the count alone is shown."""

    def __init__(self, total: int, option: ProgressOption = None, stream: TextIO | None = None):
        self.total = total
        self.done = 0
        self.failed = 0
        self._stream = stream or sys.stderr
        self._callback = option if callable(option) else None
        self._handle: Any = None
        self._last = 0.0
        if option is None:
            option = _in_notebook() or self._stream.isatty()
        self._mode = "callback" if self._callback else ("off" if option is False else "auto")
        if self._mode == "auto":
            self._mode = "notebook" if _in_notebook() else "terminal"

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        self._draw(final=0 < self.total <= self.done)

    def close(self) -> None:
        self._draw(final=True)
        if self._mode == "terminal":
            self._stream.write("\n")
            self._stream.flush()
            self._mode = "off"

    def _draw(self, final: bool) -> None:
        if self._mode == "off":
            return
        if self._callback is not None:
            self._callback(self.done, self.total, self.failed)
            return
        now = time.monotonic()
        if not final and now - self._last < REDRAW_EVERY:
            return
        self._last = now
        share = self.done / self.total if self.total else 1.0
        errors = f", {self.failed} failed" if self.failed else ""
        label = f"{self.done}{f'/{self.total}' if self.total else ''} graded{errors}"
        if self._mode == "terminal":
            filled = round(30 * share)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] " if self.total else ""
            self._stream.write(f"\r{bar}{label}")
            self._stream.flush()
            return
        shown: Any = importlib.import_module("IPython.display")  # untyped; present in Jupyter
        bar = (
            f'<div style="font:13px sans-serif"><progress value="{self.done}" '
            f'max="{max(self.total, 1)}" style="width:300px"></progress> {html.escape(label)}</div>'
        )
        if self._handle is None:
            self._handle = shown.display(shown.HTML(bar), display_id=True)
        else:
            self._handle.update(shown.HTML(bar))
