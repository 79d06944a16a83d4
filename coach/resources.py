"""Where the shipped data lives: banks, prompt templates and sample answers.

In a wheel they are under `coach/_data/`; in a source checkout or an editable install they are
the top-level `rubrics/`, `prompts/` and `examples/` folders beside the package.
"""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=1)
def data_dir() -> Path:
    """The folder holding `rubrics/`, `prompts/` and `examples/`."""
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    if (installed / "rubrics").is_dir():
        return installed
    return package.parent
