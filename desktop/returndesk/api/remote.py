"""The API over HTTPS: the same protocol, carried out by the ReturnDesk server.

:class:`ServerConnection` holds the server's address, the trust in its certificate and, after
sign-in, the session token; :class:`RemoteApi` offers every group of
:class:`~returndesk.api.protocol.ReturnDeskApi` with the same methods and the same dataclasses as
the in-process implementation (the method table of :mod:`returndesk.api.rpc`). The server derives
the acting user from the session on every call: nothing the client sends names it.

Refusals arrive as the same errors of :mod:`returndesk.domain.errors`, with the server's sentence;
a server that cannot be reached is ``DatabaseUnavailable``. Calls block; the UI makes them from its
task runner, one ``httpx.Client`` shared by its threads.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, cast

from returndesk.domain import errors
from returndesk.domain.types import Role

from .rpc import RemoteMethod, remote_methods
from .wire import from_wire, to_wire

#: How long one call may take before the station says the server does not answer.
TIMEOUT_SECONDS = 30.0


def _error_from(status: int, body: Any) -> errors.ReturnDeskError:
    name = body.get("error") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        message = f"The ReturnDesk server refused the request (HTTP {status}) and saved nothing."
    cls = getattr(errors, str(name), None) if name else None
    if not (isinstance(cls, type) and issubclass(cls, errors.ReturnDeskError)):
        cls = errors.DatabaseUnavailable if status >= 500 else errors.ReturnDeskError
    if cls is errors.ValidationFailed:
        return errors.ValidationFailed(message, list(body.get("problems") or []))
    if cls is errors.IllegalTransition:
        return errors.IllegalTransition(message, body.get("current", ""), body.get("action", ""))
    return cls(message)


@dataclass(frozen=True)
class ServerTrust:
    """How the station trusts the server: a CA file (or the system's CAs), or plain HTTP on loopback."""

    ca_file: str | None = None

    def verify(self) -> ssl.SSLContext | bool:
        if self.ca_file:
            return ssl.create_default_context(cafile=self.ca_file)
        return True


class ServerConnection:
    """One station's link to the server: address, trust, session token."""

    def __init__(self, base_url: str, trust: ServerTrust | None = None, *, station: str | None = None) -> None:
        import httpx

        self.base_url = base_url.rstrip("/")
        self.station = station
        self._token: str | None = None
        self._lock = threading.Lock()
        verify = (trust or ServerTrust()).verify()
        self.ssl_context = verify if isinstance(verify, ssl.SSLContext) else ssl.create_default_context()
        self._client = httpx.Client(base_url=self.base_url, verify=verify, timeout=TIMEOUT_SECONDS)

    def describe(self) -> str:
        return f"ReturnDesk server {self.base_url}"

    @property
    def token(self) -> str | None:
        return self._token

    def request(self, method: str, path: str, payload: Any = None) -> Any:
        import httpx

        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            answer = self._client.request(method, path, json=payload, headers=headers)
        except httpx.TimeoutException:
            raise errors.DatabaseUnavailable(
                f"The ReturnDesk server at {self.base_url} did not answer in time. Nothing was saved "
                "by this station; check the network and try again.") from None
        except httpx.TransportError as exc:
            raise errors.DatabaseUnavailable(
                f"The ReturnDesk server at {self.base_url} cannot be reached ({type(exc).__name__}). "
                "Check the network and that the server is running.") from None
        try:
            body = answer.json() if answer.content else None
        except ValueError:
            body = None
        if answer.status_code >= 400:
            raise _error_from(answer.status_code, body)
        return body

    def sign_in(self, username: str, password: str) -> Any:
        from .types import Actor

        body = self.request("POST", "/api/v1/session",
                            {"username": username, "password": password, "station": self.station})
        with self._lock:
            self._token = body["token"]
        user = body["user"]
        return Actor(user["id"], user["username"], user["display_name"], Role(user["role"]),
                     user["approval_limit_minor"], user["station"])

    def sign_out(self) -> None:
        if self._token:
            try:
                self.request("DELETE", "/api/v1/session")
            finally:
                with self._lock:
                    self._token = None

    def close(self) -> None:
        self._client.close()

    def open_change_feed(self) -> RemoteChangeFeed:
        """Other stations' changes as they commit (needs a session)."""
        return RemoteChangeFeed(self)


class RemoteChangeFeed:
    """The server's change feed over a WebSocket, as the protocol's ``ChangeFeed``.

    A thread receives the messages; ``fileno()`` becomes readable when changes are waiting (a
    socket pair), so the UI's socket notifier wakes up exactly as with a PostgreSQL LISTEN.
    ``drain()`` raises ``FeedLost`` once the link is gone; the caller reconnects and resyncs.
    """

    def __init__(self, connection: ServerConnection) -> None:
        import socket
        from urllib.parse import urlsplit

        from websockets.sync.client import connect

        from .types import FeedLost

        parts = urlsplit(connection.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self._changes: list[Any] = []
        self._lost: str | None = None
        self._lock = threading.Lock()
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        try:
            self._ws = connect(f"{scheme}://{parts.netloc}/api/v1/feed",
                               additional_headers={"Authorization": f"Bearer {connection.token}"},
                               ssl=connection.ssl_context if scheme == "wss" else None,
                               open_timeout=TIMEOUT_SECONDS).__enter__()
            ready = self._ws.recv(timeout=TIMEOUT_SECONDS)
        except Exception as exc:
            self._reader.close()
            self._writer.close()
            raise FeedLost(f"The server's change feed cannot be opened: {exc}") from exc
        if '"ready"' not in str(ready):
            raise FeedLost("The server did not open its change feed.")
        self._thread = threading.Thread(target=self._receive, name="remote-feed", daemon=True)
        self._thread.start()

    @property
    def pushes(self) -> bool:
        return True

    def fileno(self) -> int | None:
        return self._reader.fileno()

    def _receive(self) -> None:
        import json

        from .types import Change

        try:
            for message in self._ws:
                data = json.loads(message)
                change = (Change("any", 0) if data.get("resync")
                          else Change(data["entity"], int(data["id"]), data.get("status"), data.get("origin")))
                with self._lock:
                    self._changes.append(change)
                self._writer.send(b"!")
            reason = "the server closed the change feed"
        except Exception as exc:
            reason = str(exc) or type(exc).__name__
        with self._lock:
            self._lost = reason
        try:
            self._writer.send(b"!")
        except OSError:
            pass

    def drain(self) -> list[Any]:
        from .types import FeedLost

        try:
            while self._reader.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        with self._lock:
            changes, self._changes = self._changes, []
            lost = self._lost
        if lost is not None and not changes:
            raise FeedLost(lost)
        return changes

    def heartbeat(self) -> None:
        from .types import FeedLost

        try:
            self._ws.ping().wait(TIMEOUT_SECONDS)
        except Exception as exc:
            raise FeedLost(str(exc) or "the server does not answer") from exc

    def close(self) -> None:
        try:
            self._ws.close()
        finally:
            self._thread.join(timeout=5)
            self._reader.close()
            self._writer.close()


def _remote_function(connection: ServerConnection, spec: RemoteMethod) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        arguments = spec.bind(*args, **kwargs)
        body = connection.request("POST", spec.path, {"args": {k: to_wire(v) for k, v in arguments.items()}})
        return from_wire(body["result"], spec.returns)

    call.__name__ = spec.name
    call.__qualname__ = f"{spec.group}.{spec.name}"
    return call


class _RemoteGroup:
    """One workflow group; its methods are those of the protocol, each a call to the server."""

    def __init__(self, connection: ServerConnection, group: str) -> None:
        self._group = group
        for (name_group, name), spec in remote_methods().items():
            if name_group == group:
                setattr(self, name, _remote_function(connection, spec))

    def __repr__(self) -> str:
        return f"<remote {self._group}>"


class RemoteApi:
    """:class:`~returndesk.api.protocol.ReturnDeskApi` carried out by the server, as ``user``."""

    def __init__(self, connection: ServerConnection, user: Any, session: Any = None) -> None:
        self.user = user
        self.session = session
        self.connection = connection
        for group in sorted({g for g, _ in remote_methods()}):
            setattr(self, group, _RemoteGroup(connection, group))

    def __repr__(self) -> str:
        return f"<RemoteApi as {self.user.username} on {self.connection.describe()}>"


def remote_api(connection: ServerConnection, user: Any, session: Any = None) -> Any:
    """The typed API over ``connection`` (signed in), as the protocol type for callers."""
    from .protocol import ReturnDeskApi

    return cast(ReturnDeskApi, RemoteApi(connection, user, session))
