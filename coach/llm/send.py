"""The send loops of one grade: an `Exchange`'s requests sent until a verified grade.

`run_sync` posts with an `OpenAI` client, `run_async` with an `AsyncOpenAI` one (a plain client
of either kind straight through its HTTP client, `DirectPost`). Both send the first request on
its own and enter the retry loop (tenacity, under the exchange's policy) only when it fails:
most grades take one request, and setting the loop up cost about as much CPU as reading the
reply. The loop then judges that first failure as it judges any other (retried or raised, the
same wait), so a grade goes exactly as it would had the loop run from the start.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tenacity import AsyncRetrying, Retrying

from coach.llm.direct import direct_post
from coach.llm.exchange import ENDPOINT, Exchange

if TYPE_CHECKING:
    import openai


def run_sync(client: openai.OpenAI, exchange: Exchange, verify: Any, sleep: Any = None) -> Any:
    """Send the exchange's requests until a verified grade, under its retry policy; a plain
    client is posted to directly (`DirectPost`)."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    direct = direct_post(client, ENDPOINT)

    def attempt() -> Any:
        request = exchange.request()
        started = time.perf_counter()
        try:
            if direct is not None:
                body = direct.post_sync(request.body, request.timeout)
            else:
                body = client.post(
                    ENDPOINT, body=request.body, cast_to=bytes, options=request.options
                )
        except openai.APIError as exc:
            exchange.failed(request, started, exc)
            raise
        return exchange.check(exchange.accept(exchange.received(request, started, body)), verify)

    try:
        return attempt()
    except Exception as exc:
        first: Exception | None = exc
    extra = {"sleep": sleep} if sleep is not None else {}
    for retrying in Retrying(**exchange.retry_kwargs(), **extra):
        with retrying:
            if first is not None:
                failed, first = first, None
                raise failed  # the first attempt's failure, judged by the loop
            return attempt()
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover


async def run_async(
    client: openai.AsyncOpenAI, exchange: Exchange, verify: Any, sleep: Any = None
) -> Any:
    """`run_sync` for an `AsyncOpenAI` client."""
    import openai  # loaded here, not at import: offline grading never loads the SDK

    direct = direct_post(client, ENDPOINT)

    async def attempt() -> Any:
        request = exchange.request()
        started = time.perf_counter()
        try:
            if direct is not None:
                body = await direct.post(request.body, request.timeout)
            else:
                body = await client.post(
                    ENDPOINT, body=request.body, cast_to=bytes, options=request.options
                )
        except openai.APIError as exc:
            exchange.failed(request, started, exc)
            raise
        return exchange.check(exchange.accept(exchange.received(request, started, body)), verify)

    try:
        return await attempt()
    except Exception as exc:
        first: Exception | None = exc
    extra = {"sleep": sleep} if sleep is not None else {}
    async for retrying in AsyncRetrying(**exchange.retry_kwargs(), **extra):
        with retrying:
            if first is not None:
                failed, first = first, None
                raise failed  # the first attempt's failure, judged by the loop
            return await attempt()
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
