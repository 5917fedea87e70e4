"""Puts the wire compatibility layer between an httpx / httpx2 client and its transports.

The adapters are thin: they hand request bodies and response bytes to the I/O-free `WireLayer`
(`layer.py`) and do nothing else, so the sync and async paths of both HTTP libraries share one
implementation of every rewrite.
"""

from __future__ import annotations

import functools
import logging
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast


from .._compat import FAMILIES
from .._errors import VertexConfigError
from .layer import BodyProcessor, ChatExchange, WireLayer
from .routes import EmbeddingsExchange, beta_path, embeddings_body

if TYPE_CHECKING:
    from .._compat import HttpClient

__all__ = ["install_wire_layer"]

_T = TypeVar("_T")
_log = logging.getLogger("openai_vertex.wire")
_REQUEST_NOT_READ = tuple(module.RequestNotRead for module in FAMILIES)


def install_wire_layer(
    http_client: HttpClient, *, publisher_prefix: bool = True, skip_unknown_signatures: bool = False
) -> None:
    """Wrap every transport of `http_client` (httpx or httpx2, sync or async) in the wire layer, in place.

    Installing again re-applies the options to the layer already there instead of wrapping twice; the
    thought-signature memory is kept. `publisher_prefix=False` leaves model ids alone (self-deployed
    endpoints take the served model's own name). `skip_unknown_signatures=True` sends Google's
    `skip_thought_signature_validator` for tool calls in the history that this client never received.
    """
    module, is_async = _family(http_client)
    wire_class: type[_SyncWire | _AsyncWire] = (
        _subclass(_AsyncWire, module.AsyncBaseTransport) if is_async else _subclass(_SyncWire, module.BaseTransport)
    )
    # httpx offers no public way to wrap a client's transports after construction. `_transport` is the
    # default one and `_mounts` maps URL patterns to the others (proxies taken from HTTPS_PROXY, user
    # mounts; None means "the default"); both have kept their names and meaning across httpx 0.2x and httpx2.
    client = cast(Any, http_client)
    current = client._transport
    installed = current.layer if isinstance(current, (_SyncWire, _AsyncWire)) else None
    layer = WireLayer(
        publisher_prefix=publisher_prefix,
        skip_unknown_signatures=skip_unknown_signatures,
        signatures=None if installed is None else installed.signatures,
    )

    def wrap(transport: Any) -> Any:
        if transport is None:
            return None
        if isinstance(transport, (_SyncWire, _AsyncWire)):
            transport.layer = layer
            return transport
        return wire_class(transport, layer, module)

    client._transport = wrap(current)
    mounts: dict[Any, Any] = client._mounts
    for pattern, transport in list(mounts.items()):
        mounts[pattern] = wrap(transport)


def _family(http_client: object) -> tuple[ModuleType, bool]:
    """The HTTP library of a client, and whether the client is async."""
    for module in FAMILIES:
        if isinstance(http_client, module.AsyncClient):
            return module, True
        if isinstance(http_client, module.Client):
            return module, False
    raise VertexConfigError(
        f"install_wire_layer() needs an httpx or httpx2 Client or AsyncClient, not {type(http_client).__name__}."
    )


@functools.cache
def _subclass(cls: type[_T], base: type) -> type[_T]:
    """`cls`, also deriving from `base`: clients check transports' streams against their own library's classes."""
    return cast("type[_T]", type(cls.__name__, (cls, base), {}))


def _prepare(layer: WireLayer, request: Any) -> tuple[Any, ChatExchange | EmbeddingsExchange | None]:
    """Rewrite a chat-completion request if needed; other routes as routes.py says; anything else untouched."""
    path = request.url.path
    if request.method != "POST" or not path.endswith("/chat/completions"):
        return _other_route(request, path)
    try:
        body = request.content
    except _REQUEST_NOT_READ:  # a streamed body: not one the SDK builds for chat completions
        return request, None
    result = layer.rewrite_chat_body(body)
    if result is None:
        return request, None
    new_body, exchange = result
    return (request if new_body is body else _with_body(request, new_body)), exchange


def _other_route(request: Any, path: str) -> tuple[Any, EmbeddingsExchange | None]:
    if "/responses/" in path:
        beta = beta_path(path)
        if beta is not None:
            request.url = request.url.copy_with(path=beta)  # same host: the credentials stay at home
            _log.debug("Sent %s of a stored response to v1beta1, where Google serves it.", request.method)
        return request, None
    if request.method == "POST" and path.endswith("/embeddings"):
        try:
            result = embeddings_body(request.content)
        except _REQUEST_NOT_READ:
            return request, None
        if result is not None:
            _log.debug("Sent the embeddings request without encoding_format=base64, which Google does not "
                       "document for this route.")
            return _with_body(request, result[0]), result[1]
    return request, None


def _with_body(request: Any, body: bytes) -> Any:
    headers = request.headers.copy()
    headers["Content-Length"] = str(len(body))
    return type(request)(request.method, request.url, headers=headers, content=body, extensions=request.extensions)


def _respond(layer: WireLayer, exchange: ChatExchange | EmbeddingsExchange | None, response: Any, body: type,
             request: Any) -> Any:
    """The response to hand the client: the transport's own, or one whose body the layer rewrites."""
    status = response.status_code
    if status < 300:
        if exchange is None or status < 200:
            return response
        if isinstance(exchange, EmbeddingsExchange):
            return _fixed_json(response, exchange.fix)
        # A request that did not ask for a stream is answered whole, and the SDK reads it with json()
        # whatever its Content-Type says (reading that header costs more than the rest of this function).
        processor = layer.response_processor(response.headers.get("content-type", "")) if exchange.streamed else None
        if processor is None:
            return _fixed_json(response, layer.fix_parsed)
        return _rebuild(response, body(response, processor))
    if status >= 400:
        try:
            sent = request.content
        except _REQUEST_NOT_READ:
            sent = None
        return _rebuild(response, body(response, layer.error_processor(
            exchange, status, request.method, request.url.path, sent)))
    return response


def _fixed_json(response: Any, fix: Callable[[Any], None]) -> Any:
    """The same response, bytes untouched; only what `json()` returns is fixed (completion.py, routes.py).

    The SDK parses every non-streamed answer with `response.json()`: fixing that parse, instead of the bytes
    before it, keeps the layer's cost off the body's size (no scan, no second parse, no rebuilt response).
    `content` and `text` stay exactly what Vertex sent. The hook is an attribute of this one response (a
    class swap would turn its attributes into a plain dict and slow every later read of them), and it
    reaches the response through a weak reference, so that the two do not form a cycle.
    """
    parse = type(response).json
    ref = weakref.ref(response)

    def json(**kwargs: Any) -> Any:
        value = parse(ref(), **kwargs)
        fix(value)
        return value

    response.json = json
    return response


def _rebuild(response: Any, stream: object) -> Any:
    headers = response.headers.copy()
    # The new body is read decoded and may change length, so neither header would still be true.
    headers.pop("content-encoding", None)
    headers.pop("content-length", None)
    return type(response)(response.status_code, headers=headers, stream=stream, extensions=response.extensions)


def _decoded(response: Any) -> bool:
    """Whether the body must go through httpx's decoders; the transport's own stream is cheaper to read."""
    return "content-encoding" in response.headers


class _SyncBody:
    def __init__(self, response: Any, processor: BodyProcessor) -> None:
        self._response = response
        self._processor = processor

    def __iter__(self) -> Iterator[bytes]:
        feed = self._processor.feed
        for chunk in self._response.iter_bytes() if _decoded(self._response) else self._response.stream:
            out = feed(chunk)
            if out:
                yield out
        tail = self._processor.close()
        if tail:
            yield tail

    def close(self) -> None:
        self._response.close()


class _AsyncBody:
    def __init__(self, response: Any, processor: BodyProcessor) -> None:
        self._response = response
        self._processor = processor

    async def __aiter__(self) -> AsyncIterator[bytes]:
        feed = self._processor.feed
        async for chunk in self._response.aiter_bytes() if _decoded(self._response) else self._response.stream:
            out = feed(chunk)
            if out:
                yield out
        tail = self._processor.close()
        if tail:
            yield tail

    async def aclose(self) -> None:
        await self._response.aclose()


class _SyncWire:
    def __init__(self, transport: Any, layer: WireLayer, module: ModuleType) -> None:
        self.transport = transport
        self.layer = layer
        self._body = _subclass(_SyncBody, module.SyncByteStream)

    def handle_request(self, request: Any) -> Any:
        request, exchange = _prepare(self.layer, request)
        return _respond(self.layer, exchange, self.transport.handle_request(request), self._body, request)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> _SyncWire:
        self.transport.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.transport.__exit__(exc_type, exc_value, traceback)


class _AsyncWire:
    def __init__(self, transport: Any, layer: WireLayer, module: ModuleType) -> None:
        self.transport = transport
        self.layer = layer
        self._body = _subclass(_AsyncBody, module.AsyncByteStream)

    async def handle_async_request(self, request: Any) -> Any:
        request, exchange = _prepare(self.layer, request)
        return _respond(self.layer, exchange, await self.transport.handle_async_request(request), self._body,
                        request)

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> _AsyncWire:
        await self.transport.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.transport.__aexit__(exc_type, exc_value, traceback)
