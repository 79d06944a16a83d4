"""The OpenAI clients a grader sends through: the caller's, or ones built here on first use.

A client passed in is used through `with_options(max_retries=0)`, so only coach's retry policy
retries, and it stays the caller's to close. Clients built here (from `api_key`/`base_url` or
the SDK's `OPENAI_API_KEY`/`OPENAI_BASE_URL`) are owned and closed here.

An async client's connections belong to the event loop that opened them, so a grader builds one
async client per event loop: a second `asyncio.run`, or a web app's test client opened twice,
gets a client of its own rather than connections of a loop that is gone. A client built for a
loop is closed when that loop shuts its async generators down (as `asyncio.run` does before it
closes the loop), or by `aclose()` on that loop. An async client passed in cannot be rebuilt:
used on a second loop after its first one closed, it is refused with a `ConfigError`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, Any

from coach.errors import ConfigError

if TYPE_CHECKING:  # the SDK loads when a client is first built, not when a grader is made
    import asyncio

    import openai

# Base URLs answered inside this process by a test double (`coach.testing.FakeJudge`): a client
# built for one of them is handed the double's HTTP client, which its mock can see whichever
# HTTP stack the installed SDK uses by default. Maps the URL to a factory taking `is_async`.
_TEST_ROUTES: dict[str, Callable[[bool], Any]] = {}


def route_to_test_double(base_url: str, http_client: Callable[[bool], Any]) -> Callable[[], None]:
    """Make clients built for `base_url` use `http_client(is_async)`; returns the undo."""
    key = base_url.rstrip("/")
    _TEST_ROUTES[key] = http_client

    def undo() -> None:
        if _TEST_ROUTES.get(key) is http_client:
            del _TEST_ROUTES[key]

    return undo


def llm_configured(api_key: str | None = None, base_url: str | None = None) -> bool:
    """True when these settings, or the SDK's environment variables, name an LLM to ask."""
    return bool(
        api_key or base_url or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")
    )


async def _close_with_loop(client: openai.AsyncOpenAI) -> AsyncGenerator[None, None]:
    """Started once on a loop, this generator is finalized when the loop shuts its async
    generators down; that is when the client built for the loop is closed."""
    try:
        yield
    finally:
        await client.close()


class _LoopClient:
    """An async client built for one event loop, and what closes it with the loop."""

    def __init__(self, client: openai.AsyncOpenAI) -> None:
        self.client = client
        self.closer = _close_with_loop(client)  # held here: loops keep only weak references


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
        if client is not None or async_client is not None:
            import openai

            if isinstance(client, openai.AsyncOpenAI):
                client, async_client = None, async_client or client
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._given_sync = client.with_options(max_retries=0) if client is not None else None
        self._given_async = async_client.with_options(max_retries=0) if async_client else None
        self._built_sync: openai.OpenAI | None = None
        self._built_async: dict[asyncio.AbstractEventLoop, _LoopClient] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        """True when an LLM can be asked (without asking it)."""
        given = self._given_sync is not None or self._given_async is not None
        return given or llm_configured(self._api_key, self._base_url)

    def _build_args(self, is_async: bool) -> dict[str, Any]:
        key = self._api_key or os.environ.get("OPENAI_API_KEY")
        base = self._base_url or os.environ.get("OPENAI_BASE_URL")
        # Local servers (vLLM, Ollama) take no key, but the SDK insists on one.
        args: dict[str, Any] = {
            "api_key": key or "not-needed",
            "base_url": base,
            "max_retries": 0,
            "timeout": self._timeout,
        }
        route = _TEST_ROUTES.get(base.rstrip("/")) if base else None
        if route is not None:
            args["http_client"] = route(is_async)
        return args

    def sync(self) -> openai.OpenAI:
        """The sync client; built now when none was passed and one can be."""
        if self._given_sync is not None:
            return self._given_sync
        if self._given_async is not None and not (self._api_key or self._base_url):
            # The environment might name another server than the caller's client: no guessing.
            raise ConfigError(
                "grade() needs a sync client: pass an openai.OpenAI as client=, or call agrade()"
            )
        with self._lock:
            if self._built_sync is None:
                import openai

                self._built_sync = openai.OpenAI(**self._build_args(is_async=False))
            return self._built_sync

    async def async_client(self) -> openai.AsyncOpenAI | None:
        """The async client for the running event loop; None when only a sync client was
        passed (run it off the loop)."""
        import asyncio  # loaded already on a running loop; not at import, for offline grades

        loop = asyncio.get_running_loop()
        if self._given_async is not None:
            return self._given_async
        if self._given_sync is not None:
            return None
        with self._lock:
            for gone in [other for other in self._built_async if other.is_closed()]:
                del self._built_async[gone]  # its loop closed without shutting it down
            built = self._built_async.get(loop)
            fresh = built is None
            if built is None:
                import openai

                built = _LoopClient(openai.AsyncOpenAI(**self._build_args(is_async=True)))
                self._built_async[loop] = built
        if fresh:
            await built.closer.__anext__()  # registers the generator with this loop
        return built.client

    def loop_error(self, exc: BaseException) -> ConfigError | None:
        """A clear error for a request that failed because its client's event loop is closed
        (an async client passed in, used again from a second loop); None for any other
        failure, which is the LLM's and may fall back."""
        seen: set[int] = set()
        cause: BaseException | None = exc
        while cause is not None and id(cause) not in seen:
            seen.add(id(cause))
            if isinstance(cause, RuntimeError) and "Event loop is closed" in str(cause):
                return ConfigError(
                    "the openai.AsyncOpenAI client of this Grader holds connections of an event "
                    "loop that is closed: pass a new client for each event loop, or give "
                    "api_key=/base_url= (or the environment) and let the Grader build one per "
                    "loop"
                )
            cause = cause.__cause__ or cause.__context__
        return None

    def close(self) -> None:
        """Close the sync client built here; a later grade builds a fresh one."""
        with self._lock:
            client, self._built_sync = self._built_sync, None
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close the async client built here for the running loop (await it on that loop);
        those of loops that are closed already are let go."""
        import asyncio  # loaded already on a running loop

        loop = asyncio.get_running_loop()
        with self._lock:
            built = self._built_async.pop(loop, None)
            for gone in [other for other in self._built_async if other.is_closed()]:
                del self._built_async[gone]
        if built is not None:
            await built.closer.aclose()  # runs its `finally`: closes the client
