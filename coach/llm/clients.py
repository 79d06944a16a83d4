"""The OpenAI clients a grader sends through: the caller's, or ones built here on first use.

A client passed in is used through `with_options(max_retries=0)`, so only coach's retry policy
retries, and it stays the caller's to close. Clients built here (from `api_key`/`base_url` or
the SDK's `OPENAI_API_KEY`/`OPENAI_BASE_URL`) are owned and closed here; an async one belongs
to the event loop that used it, so a batch on a loop of its own closes it before the loop ends.
"""

from __future__ import annotations

import os
from typing import Any

import openai

from coach.errors import ConfigError


class Clients:
    """The sync and async clients of one grader, built lazily, closed by who owns them."""

    def __init__(
        self,
        client: openai.OpenAI | openai.AsyncOpenAI | None,
        async_client: openai.AsyncOpenAI | None,
        api_key: str | None,
        base_url: str | None,
        timeout: float,
    ) -> None:
        if isinstance(client, openai.AsyncOpenAI):
            client, async_client = None, async_client or client
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._owned: list[openai.OpenAI | openai.AsyncOpenAI] = []  # clients built here
        self._sync = client.with_options(max_retries=0) if client is not None else None
        self._async = async_client.with_options(max_retries=0) if async_client else None

    @property
    def configured(self) -> bool:
        """True when an LLM can be asked (without asking it)."""
        return bool(
            self._sync
            or self._async
            or self._api_key
            or self._base_url
            or os.environ.get("OPENAI_API_KEY")
            or os.environ.get("OPENAI_BASE_URL")
        )

    def _build_args(self) -> dict[str, Any]:
        key = self._api_key or os.environ.get("OPENAI_API_KEY")
        base = self._base_url or os.environ.get("OPENAI_BASE_URL")
        # Local servers (vLLM, Ollama) take no key, but the SDK insists on one.
        return {
            "api_key": key or "not-needed",
            "base_url": base,
            "max_retries": 0,
            "timeout": self._timeout,
        }

    def sync(self) -> openai.OpenAI:
        """The sync client; built now when none was passed and one can be."""
        if self._sync is None:
            if self._async is not None and not (self._api_key or self._base_url):
                raise ConfigError(
                    "grade() needs a sync client: pass an openai.OpenAI as client=, "
                    "or call agrade()"
                )
            self._sync = openai.OpenAI(**self._build_args())
            self._owned.append(self._sync)
        return self._sync

    def async_or_none(self) -> openai.AsyncOpenAI | None:
        """The async client; None when only a sync client was passed (run it off the loop)."""
        if self._async is None and self._sync is None:
            self._async = openai.AsyncOpenAI(**self._build_args())
            self._owned.append(self._async)
        return self._async

    def close(self) -> None:
        """Close the sync client built here; a later grade builds a fresh one."""
        for client in self._forget(openai.OpenAI):
            client.close()

    async def aclose(self) -> None:
        """Close the async client built here; await it on the loop that used it."""
        for client in self._forget(openai.AsyncOpenAI):
            await client.close()

    def _forget(self, kind: type[Any]) -> list[Any]:
        gone = [c for c in self._owned if isinstance(c, kind)]
        self._owned = [c for c in self._owned if c not in gone]
        if self._sync in gone:
            self._sync = None
        if self._async in gone:
            self._async = None
        return gone
