"""Shared fixtures: a small rubric written for precise expectations, the built-in banks, and an
OpenAI-compatible API mocked with respx; and the property tests' settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from hypothesis import settings

import coach
from coach.testing import fake_judge  # noqa: F401 (the test kit's fixture, as users import it)
from tests.llm.support import BASE_URL
from tests.support import MINI_BANK

# Property tests draw the same examples on every run and machine, so a red run can be re-run
# and a green one means the same everywhere; `HYPOTHESIS_PROFILE=explore` draws afresh.
settings.register_profile("coach", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "coach"))


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_BANK, encoding="utf-8")
    return path


@pytest.fixture
def mini(mini_path: Path) -> coach.Bank:
    return coach.load_file(mini_path)


@pytest.fixture(scope="session")
def banks() -> list[coach.Bank]:
    return coach.builtin_banks()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """respx in front of `tests.llm.support.BASE_URL`, where its `sync_client()` sends."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router
