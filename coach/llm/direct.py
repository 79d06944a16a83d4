"""Chat-completions requests posted straight through an OpenAI client's HTTP client.

In a batch the SDK's `post` costs about a quarter of a grade's own CPU (and as much in a sync
grade): it copies its request
options twice, merges the headers anew, serializes the body through its encoder, walks its auth
hooks and wraps the response, for every request, although nothing of that changes between the
requests of one client. `DirectPost` reads what does not change from the client once (the URL
under its base URL, the headers it sends, with its key) and then sends each body through the
client's own `httpx` client (the one its `http_client` gave or it built: same connection pool,
proxies, event hooks, mocks), with the request's timeout, and raises the SDK's own errors: a
timeout is `openai.APITimeoutError`, a failed connection `openai.APIConnectionError`, an error
status the client's `APIStatusError` subclass (`RateLimitError`, ...), built by the client
itself from the response.

Only a plain `openai.OpenAI` or `openai.AsyncOpenAI` with a fixed API key and no auth or request
hooks of its own is sent this way (`direct_post` says None for any other: Azure, a key provider,
workload identity, a provider runtime, default query parameters, a subclass); those go through
the SDK's `post`. The shortcut reads a few private attributes of the SDK: if a version lacks
one, the client simply goes through `post`. What it leaves out are the SDK's own debug log lines
for these requests; coach's exchange events (`on_exchange`, the `coach.llm` logger) report each.
"""

from __future__ import annotations

import copy
import json
import weakref
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import openai

# Per client, built once: None when the client must go through the SDK's `post`.
_KNOWN: weakref.WeakKeyDictionary[Any, DirectPost | None] = weakref.WeakKeyDictionary()
_FORMATS_MAX = 1024  # encoded reply formats kept per client; past that the table starts over


class DirectPost:
    """Posts JSON bodies to one endpoint of one client, the SDK's way, without its per-request
    machinery: `post` for an async client, `post_sync` for a sync one."""

    def __init__(self, client: openai.OpenAI | openai.AsyncOpenAI, endpoint: str) -> None:
        self._client = client
        self._http: Any = client._client
        self._url = str(client.base_url) + endpoint.lstrip("/")
        merged = {**client.auth_headers, **client.default_headers}
        # What the SDK adds to every first attempt; `Omit` values are headers left out.
        self._headers = {k: v for k, v in merged.items() if isinstance(v, str)}
        self._headers["x-stainless-retry-count"] = "0"
        self._timeouts, self._failures = _transport_errors()
        # The HTTP client's `build_request` parses the URL and merges its headers with ours
        # anew for every request (two thirds of its cost): the URL is parsed once here, and
        # the merged headers kept while the client's stay as they were. An HTTP client with
        # default query parameters builds each request itself.
        probe = self._http.build_request("POST", self._url)
        self._parsed_url = probe.url
        self._request_type: Any = type(probe)
        self._timeout_type: Any = type(self._http.timeout)
        self._merged: tuple[Any, Any] | None = None  # (the client's raw headers, merged)
        # id of a reply schema -> (the schema, its response format, that format encoded)
        self._formats: dict[int, tuple[Any, Any, str]] = {}

    async def post(self, body: dict[str, Any], timeout: float) -> bytes:
        """The response's bytes for `body`; the SDK's errors as `client.post` raises them."""
        request = self._request(body, timeout)
        try:
            response = await self._http.send(request)
        except Exception as exc:
            self._reraise(request, exc)
        return self._content(response)

    def post_sync(self, body: dict[str, Any], timeout: float) -> bytes:
        """`post` through a sync client."""
        request = self._request(body, timeout)
        try:
            response = self._http.send(request)
        except Exception as exc:
            self._reraise(request, exc)
        return self._content(response)

    def _reraise(self, request: Any, exc: Exception) -> NoReturn:
        """`exc` as the SDK raises it (`_sdk_error`), or as it is."""
        error = self._sdk_error(request, exc)
        if error is None:
            raise exc
        raise error from exc

    def _request(self, body: dict[str, Any], timeout: float) -> Any:
        """The request `build_request` would build for `body`."""
        http = self._http
        content = self._encode(body).encode()
        timeout_header = {"x-stainless-read-timeout": str(timeout)}
        if http.params:
            headers = {**self._headers, **timeout_header}
            return http.build_request(
                "POST", self._url, headers=headers, content=content, timeout=timeout
            )
        own = http.headers.raw
        known = self._merged  # read once: a sync client may post from several threads
        if known is None or known[0] != own:
            merged = http.headers.copy()
            merged.update(self._headers)
            known = self._merged = (own, merged)
        headers = known[1].copy()
        headers.update(timeout_header)  # as `build_request` merges: replaced, then last
        return self._request_type(
            "POST",
            self._parsed_url,
            headers=headers,
            cookies=http.cookies,
            content=content,
            extensions={"timeout": self._timeout_type(timeout).as_dict()},
        )

    def _sdk_error(self, request: Any, exc: Exception) -> Exception | None:
        """The SDK's error for `exc`, raised by sending `request`, as its `post` raises it;
        None where it lets `exc` through as it is."""
        import openai

        if isinstance(exc, self._timeouts):
            return openai.APITimeoutError(request=request)
        if isinstance(exc, openai.OpenAIError) or not isinstance(exc, self._failures):
            return None
        return openai.APIConnectionError(request=request)

    def _content(self, response: Any) -> bytes:
        if not response.is_success:
            raise self._client._make_status_error_from_response(response) from None
        content: bytes = response.content
        return content

    def _encode(self, body: dict[str, Any]) -> str:
        """`body` as the SDK encodes it; a question's reply schema, the bulk of every body and
        the same object in every request for that question (`strict_schema`), is encoded once."""
        fmt = body.get("response_format")
        schema = _strict_schema(fmt)
        if schema is None or len(body) < 2 or next(reversed(body)) != "response_format":
            return _dumps(body)
        known = self._formats.get(id(schema))
        # The same schema object, and the same fields around it (the dicts compare equal at
        # once: their schema is one object).
        if known is None or known[0] is not schema or known[1] != fmt:
            if len(self._formats) >= _FORMATS_MAX:
                self._formats.clear()
            known = (schema, copy.deepcopy(fmt, {id(schema): schema}), _dumps(fmt))
            self._formats[id(schema)] = known
        rest = _dumps({key: value for key, value in body.items() if key != "response_format"})
        return f'{rest[:-1]},"response_format":{known[2]}}}'


def _dumps(value: Any) -> str:
    """JSON as the SDK sends it: UTF-8 text, no spaces, no NaN."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _strict_schema(fmt: Any) -> Any:
    """The schema of a `json_schema` response format, or None for any other field."""
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        inner = fmt.get("json_schema")
        if isinstance(inner, dict) and isinstance(inner.get("schema"), dict):
            return inner["schema"]
    return None


def direct_post(client: openai.OpenAI | openai.AsyncOpenAI, endpoint: str) -> DirectPost | None:
    """The direct sender for `client`, or None when it must go through the SDK's `post`."""
    try:
        return _KNOWN[client]
    except KeyError:
        pass
    except TypeError:  # not weakly referenceable: no shortcut
        return None
    sender = DirectPost(client, endpoint) if _plain(client) else None
    _KNOWN[client] = sender
    return sender


def _transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """What the SDK's transport raises for a timeout, and for any other failed request: openai
    3 says so itself (its transport is httpx2); openai 2 sends through httpx, and its `post`
    reads every other exception as a failed connection."""
    try:
        from openai._httpx2 import request_exceptions, timeout_exceptions
    except ImportError:
        import httpx

        return (httpx.TimeoutException,), (Exception,)
    return tuple(timeout_exceptions()), tuple(request_exceptions())


def _plain(client: Any) -> bool:
    """Whether every request of `client` is the same URL and headers with another body (the
    hooks openai 3 added are absent from openai 2's clients: none is set there)."""
    import openai

    try:
        return (
            type(client) in (openai.OpenAI, openai.AsyncOpenAI)
            and isinstance(client.api_key, str)
            and getattr(client, "_api_key_provider", None) is None
            and getattr(client, "_provider_runtime", None) is None
            and getattr(client, "_workload_identity_auth", None) is None
            and client.custom_auth is None
            and not client._idempotency_header
            and not client.default_query
            and not client.base_url.query
            and client._client is not None
        )
    except AttributeError:
        return False
