"""The drill bank of `tests.practice.support`, as a file and loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

import coach
from tests.practice.support import drill_file


@pytest.fixture
def drill_path(tmp_path: Path) -> Path:
    return drill_file(tmp_path)


@pytest.fixture
def drill(drill_path: Path) -> coach.Bank:
    return coach.load_file(drill_path)
