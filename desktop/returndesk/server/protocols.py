"""uvicorn's connection protocols, cut promptly when the server stops.

When uvicorn stops, it asks every connection to close: idle HTTP keep-alive connections and the
stations' change-feed WebSockets included. Over TLS, closing waits for the other side's TLS
goodbye, up to 30 seconds, which a station's idle connection never sends, so a server with one
station connected took half a minute to stop. These protocols close as uvicorn's do (the
WebSocket with code 1012, "service restart") and cut the connection after a short grace, so the
server stops at once; a request still being answered is left to finish. HTTP is parsed by
httptools where it is installed (the server's dependencies), else by h11.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

#: Time for the goodbye (a close frame, TLS close-notify) to go out before the connection is cut.
CLOSE_GRACE_SECONDS = 0.5
#: How long a stopping server lets requests in progress finish before it cancels them (each runs
#: in one database transaction, which then rolls back whole).
STOP_GRACE_SECONDS = 30


def _cut_when_closing(transport: asyncio.BaseTransport | None) -> None:
    if transport is None or not transport.is_closing():
        return  # still answering a request: uvicorn lets it finish

    def cut() -> None:
        abort = getattr(transport, "abort", None)
        if abort is not None:
            abort()

    asyncio.get_running_loop().call_later(CLOSE_GRACE_SECONDS, cut)


class PromptH11Protocol(H11Protocol):
    def shutdown(self) -> None:
        super().shutdown()
        _cut_when_closing(self.transport)


try:  # httptools parses HTTP in C (uvicorn's "standard" choice); h11 is pure Python
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - a platform without the httptools wheel
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


if HttpToolsProtocol is not None:
    class PromptHttpToolsProtocol(HttpToolsProtocol):
        def shutdown(self) -> None:
            super().shutdown()
            _cut_when_closing(self.transport)


class PromptWebSocketProtocol(WebSocketsSansIOProtocol):
    def shutdown(self) -> None:
        super().shutdown()
        _cut_when_closing(self.transport)


HTTP = f"{__name__}:{'PromptH11Protocol' if HttpToolsProtocol is None else 'PromptHttpToolsProtocol'}"
WEBSOCKETS = f"{__name__}:PromptWebSocketProtocol"
