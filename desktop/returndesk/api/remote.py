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

import functools
import ssl
import threading
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, cast

from returndesk.domain import errors
from returndesk.domain.types import Role

from .protocol import SessionApi
from .rpc import RemoteMethod, remote_methods
from .wire import from_wire, to_wire
from returndesk.domain.messages import from_data, is_message_data, msg, with_detail

#: How long one call may take before the station says the server does not answer.
TIMEOUT_SECONDS = 30.0
#: The close code of a change feed whose session is over (the server's 4401).
SESSION_OVER_CLOSE_CODE = 4401
#: How long a sign-in keeps trying while the server answers that it is busy with other sign-ins.
SIGN_IN_PATIENCE_SECONDS = 120.0


def _error_from(status: int, body: Any) -> errors.ReturnDeskError:
    name = body.get("error") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        message = msg("The ReturnDesk server refused the request (HTTP {status}) and saved nothing.", status=status)
    elif isinstance(body, dict) and is_message_data(body.get("message_code")):
        message = _message_or_text(body["message_code"], message)
    cls = getattr(errors, str(name), None) if name else None
    if not (isinstance(cls, type) and issubclass(cls, errors.ReturnDeskError)):
        cls = errors.DatabaseUnavailable if status >= 500 else errors.ReturnDeskError
    if cls is errors.ValidationFailed:
        problems = [str(p) for p in body.get("problems") or []]
        codes = body.get("problem_codes") or []
        if isinstance(codes, list) and len(codes) == len(problems):
            problems = [_message_or_text(code, text) for code, text in zip(codes, problems, strict=True)]
        return errors.ValidationFailed(message, problems)
    if cls is errors.SessionEnded:
        return errors.SessionEnded(message, str(body.get("reason") or "expired"))
    if cls is errors.IllegalTransition:
        return errors.IllegalTransition(message, body.get("current", ""), body.get("action", ""))
    return cls(message)


def _message_or_text(code: Any, text: str) -> str:
    """The server's sentence as a message when it sent one that fits, else its English text."""
    if is_message_data(code):
        try:
            return from_data(code)
        except ValueError:
            return text
    return text


class CertificateNotTrusted(errors.ReturnDeskError):
    """The server's certificate is not one this station trusts (see :func:`establish_trust`)."""

    def __init__(self, message: str, server_url: str, fingerprint: str) -> None:
        super().__init__(message)
        self.server_url = server_url
        self.fingerprint = fingerprint


class UnknownCertificate(CertificateNotTrusted):
    """A self-signed certificate seen for the first time: the person setting up the station compares
    ``fingerprint`` with what ``returndesk server init`` printed and confirms it (or not)."""

    def __init__(self, server_url: str, fingerprint: str, subject: str = "", valid_until: str = "") -> None:
        super().__init__(
            msg("The ReturnDesk server at {server_url} has a certificate this station does not know yet (SHA-256 "
                "{fingerprint}). Compare it with the fingerprint the server printed and confirm it.",
                server_url=server_url, fingerprint=fingerprint),
            server_url, fingerprint)
        self.subject = subject
        self.valid_until = valid_until


class CertificateChanged(CertificateNotTrusted):
    """The server shows another certificate than the one confirmed at set-up: refused."""

    def __init__(self, server_url: str, pinned: str, fingerprint: str) -> None:
        super().__init__(
            msg("The ReturnDesk server at {server_url} shows a different certificate than the one this station "
                "confirmed (confirmed {pinned}, now {fingerprint}). The station does not connect: someone may be "
                "intercepting the connection. Ask the administrator; if the server really has a new certificate, "
                "set the station up again and confirm the new fingerprint.",
                server_url=server_url, pinned=pinned, fingerprint=fingerprint),
            server_url, fingerprint)
        self.pinned = pinned


def normalize_fingerprint(text: str | None) -> str:
    """``AA:BB:…`` in capitals, from any spelling (colons, spaces or none)."""
    digits = "".join(c for c in (text or "") if c.isalnum()).upper()
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def fingerprint_of(pem: str) -> str:
    """The SHA-256 fingerprint of a PEM certificate, as ``returndesk server init`` prints it."""
    import hashlib

    return ":".join(f"{b:02X}" for b in hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).digest())


@dataclass(frozen=True)
class ServerTrust:
    """How the station trusts the server: the system's CAs (or ``ca_file``), or one self-signed
    certificate confirmed by its fingerprint (``certificate_pem``: trusted by itself, under any name
    the station uses for the server)."""

    ca_file: str | None = None
    certificate_pem: str | None = None

    def verify(self) -> ssl.SSLContext | bool:
        if self.certificate_pem:
            context = ssl.create_default_context(cadata=self.certificate_pem)
            # The pinned certificate is the anchor itself (also one a CA of the shop signed, which
            # this computer does not trust): no chain above it, and the pin, not the host name it
            # was made for, says which server it is.
            context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
            context.check_hostname = False
            return context
        if self.ca_file:
            return ssl.create_default_context(cafile=self.ca_file)
        return True


def _unreachable(server_url: str, exc: BaseException) -> errors.DatabaseUnavailable:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return errors.DatabaseUnavailable(with_detail(
        msg(
            "The ReturnDesk server at {server_url} cannot be reached. Check the address, the network and "
            "that the server is running.",
            server_url=server_url), reason))


def establish_trust(server_url: str, pinned: str | None = None, *, timeout: float = 10.0) -> ServerTrust:
    """Decide how to trust the server at ``server_url`` (``https://host:port``) before talking to it.

    A certificate the system's CAs vouch for (with the right host name) is trusted as is. Any other
    is trusted only if its SHA-256 fingerprint is ``pinned``: with no pin ``UnknownCertificate`` is
    raised (confirm it, then call again with the pin); with another pin ``CertificateChanged``. Plain
    http (loopback only, :func:`~returndesk.api.connection.check_server_url`) needs no trust.
    ``DatabaseUnavailable`` when nothing answers.
    """
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(server_url)
    if parts.scheme == "http":
        return ServerTrust()
    host, port = parts.hostname or "", parts.port or 443
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock, \
                ssl.create_default_context().wrap_socket(sock, server_hostname=host):
            return ServerTrust()
    except ssl.SSLCertVerificationError:
        pass  # self-signed, or a name the certificate does not carry: judged by the fingerprint below
    except (OSError, ssl.SSLError) as exc:
        raise _unreachable(server_url, exc) from None
    try:
        pem = ssl.get_server_certificate((host, port), timeout=timeout)
    except (OSError, ssl.SSLError) as exc:
        raise _unreachable(server_url, exc) from None
    presented = fingerprint_of(pem)
    if pinned is None:
        subject, valid_until = _describe_certificate(pem)
        raise UnknownCertificate(server_url, presented, subject, valid_until)
    if normalize_fingerprint(pinned) != presented:
        raise CertificateChanged(server_url, normalize_fingerprint(pinned), presented)
    return ServerTrust(certificate_pem=pem)


def _describe_certificate(pem: str) -> tuple[str, str]:
    """The names a certificate is made for and the last day it is valid (for the confirmation)."""
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    names: list[str] = []
    try:
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in alt.get_values_for_type(x509.DNSName)]
        names += [str(v) for v in alt.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = [a.value for a in cert.subject if a.oid == x509.oid.NameOID.COMMON_NAME]  # type: ignore[misc]
    return ", ".join(str(n) for n in names), cert.not_valid_after_utc.date().isoformat()


#: Transport failures after which the request may have reached the server (its answer was lost):
#: a command is sent once more with the same idempotency key.
_AMBIGUOUS = ("ReadError", "RemoteProtocolError", "WriteError", "ReadTimeout", "WriteTimeout")


@functools.lru_cache(maxsize=256)
def _address(base_url: str, path: str) -> Any:
    """The whole address of ``path`` on the server at ``base_url``, parsed once (httpx parses and
    joins a path with its base address at every request)."""
    import httpx

    return httpx.URL(base_url + "/" + path.lstrip("/"))


@functools.cache
def _station_client_class() -> Any:
    """``httpx.Client`` without a cookie jar (made at the first connection: httpx is imported then).

    The server sets no cookies (a session is a bearer token in a header), and httpx looks for them
    in every answer by building a ``urllib`` request and response for the standard library's jar
    (about 30 of the 130 µs of httpx's own work per call)."""
    import httpx

    class _NoCookies(httpx.Cookies):
        def extract_cookies(self, response: httpx.Response) -> None:
            return None

    class _StationClient(httpx.Client):
        _no_cookies = _NoCookies()

        @property
        def cookies(self) -> httpx.Cookies:
            return self._no_cookies

        @cookies.setter
        def cookies(self, cookies: Any) -> None:
            raise TypeError("a station's connection to the server keeps no cookies")

    return _StationClient


class ServerConnection:
    """One station's link to the server: address, trust, and the session tokens of its sign-ins
    (kept in memory only)."""

    def __init__(self, base_url: str, trust: ServerTrust | None = None, *, station: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.station = station
        self._token: str | None = None
        self._lock = threading.Lock()
        self._ended_listeners: list[Callable[[errors.SessionEnded], object]] = []
        verify = (trust or ServerTrust()).verify()
        self.ssl_context = verify if isinstance(verify, ssl.SSLContext) else ssl.create_default_context()
        self._client = _station_client_class()(base_url=self.base_url, verify=verify, timeout=TIMEOUT_SECONDS)

    def _url(self, path: str) -> Any:
        return _address(self.base_url, path)

    def describe(self) -> str:
        return f"ReturnDesk server {self.base_url}"

    @property
    def token(self) -> str | None:
        """The session of the latest sign-in."""
        return self._token

    def request(self, method: str, path: str, payload: Any = None, *, token: str | None = None,
                idempotency_key: str | None = None) -> Any:
        import httpx

        if token is None:
            token = self._token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        attempts = 2 if idempotency_key else 1
        for attempt in range(attempts):
            try:
                answer = self._client.request(method, self._url(path), json=payload, headers=headers)
                break
            except httpx.TransportError as exc:
                if attempt + 1 < attempts and type(exc).__name__ in _AMBIGUOUS:
                    continue  # the same command again: the server answers what it did the first time
                if isinstance(exc, httpx.TimeoutException):
                    raise errors.DatabaseUnavailable(
                        msg(
                            "The ReturnDesk server at {base_url} did not answer in time. Nothing was saved by this "
                            "station; check the network and try again.",
                            base_url=self.base_url)) from None
                raise errors.DatabaseUnavailable(
                    msg(
                        "The ReturnDesk server at {base_url} cannot be reached ({name__}). Check the network and "
                        "that the server is running.",
                        base_url=self.base_url, name__=type(exc).__name__)) from None
        try:
            body = answer.json() if answer.content else None
        except ValueError:
            body = None
        if answer.status_code >= 400:
            error = _error_from(answer.status_code, body)
            if isinstance(error, errors.SessionEnded) and token:
                self._session_ended(token, error)
            if isinstance(error, errors.ServerBusy):
                try:
                    error.retry_after = max(0.1, float(answer.headers.get("Retry-After") or 1))
                except ValueError:
                    pass
            raise error
        return body

    def sign_in(self, username: str, password: str, *, on_busy: Callable[[int], object] | None = None) -> Any:
        """Sign in at the server. While it answers ``ServerBusy`` (a whole shift signing in at
        once) the sign-in is tried again after the wait the server asks for, spread at random so
        that the stations do not come back together; ``on_busy(attempt)`` is told before each wait
        (the sign-in window says "busy, retrying"). After :data:`SIGN_IN_PATIENCE_SECONDS` the
        ``ServerBusy`` is raised."""
        import random
        import time

        from .types import Actor

        give_up = time.monotonic() + SIGN_IN_PATIENCE_SECONDS
        attempt = 0
        while True:
            try:
                body = self.request("POST", "/api/v1/session",
                                    {"username": username, "password": password, "station": self.station},
                                    token="")
                break
            except errors.ServerBusy as busy:
                attempt += 1
                pause = busy.retry_after * random.uniform(0.5, 1.5)
                if time.monotonic() + pause > give_up:
                    raise
                if on_busy is not None:
                    on_busy(attempt)
                time.sleep(pause)
        with self._lock:
            self._token = body["token"]
        user = body["user"]
        return Actor(user["id"], user["username"], user["display_name"], Role(user["role"]),
                     user["approval_limit_minor"], user["station"])

    def on_session_ended(self, listener: Callable[[errors.SessionEnded], object]) -> Callable[[], None]:
        """Call ``listener`` when the server says that the latest sign-in's session is over."""
        with self._lock:
            self._ended_listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._ended_listeners:
                    self._ended_listeners.remove(listener)

        return stop

    def _session_ended(self, token: str, error: errors.SessionEnded) -> None:
        with self._lock:
            if token != self._token:
                return  # an older sign-in's session (or a load-test user's): not the station's user
            self._token = None
            listeners = list(self._ended_listeners)
        for listener in listeners:
            listener(error)

    def sign_out(self, token: str | None = None) -> None:
        """End the session ``token`` (the latest sign-in's when None) at the server."""
        token = token or self._token
        if not token:
            return
        try:
            self.request("DELETE", "/api/v1/session", token=token)
        finally:
            with self._lock:
                if self._token == token:
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
        self._connection, self._token = connection, connection.token
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
            raise FeedLost(msg("The server's change feed cannot be opened; the station tries again by itself. Check "
                               "that the ReturnDesk server is running and reachable."), exc) from exc
        if '"ready"' not in str(ready):
            raise FeedLost(msg("The server did not open its change feed."))
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
            reason: str = msg("The server closed the change feed; the station reconnects by itself.")
        except Exception as exc:
            reason = with_detail(msg("The connection to the server's change feed was lost; the station reconnects "
                                     "by itself."), str(exc) or type(exc).__name__)
        if getattr(self._ws, "close_code", None) == SESSION_OVER_CLOSE_CODE:
            # The server closed the feed because the session is over: asking who is signed in
            # brings its reason, and tells the station to go back to the sign-in window.
            try:
                self._connection.request("GET", "/api/v1/session", token=self._token)
            except errors.ReturnDeskError:
                pass
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
            raise FeedLost(msg("The ReturnDesk server does not answer; the station reconnects by itself. If it stays "
                               "offline, check the network and the server."), exc) from exc

    def close(self) -> None:
        try:
            self._ws.close()
        finally:
            self._thread.join(timeout=5)
            self._reader.close()
            self._writer.close()


def _remote_function(api: RemoteApi, spec: RemoteMethod) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        from .idempotency import next_command_key

        arguments = spec.bind(*args, **kwargs)
        key = next_command_key() if spec.is_command else None
        body = api.connection.request("POST", spec.path, {"args": {k: to_wire(v) for k, v in arguments.items()}},
                                      token=api.token, idempotency_key=key)
        result = from_wire(body["result"], spec.returns)
        if api.session is not None:
            for entity, entity_id in body.get("changes") or ():
                api.session.announce(str(entity), int(entity_id))
        return result

    call.__name__ = spec.name
    call.__qualname__ = f"{spec.group}.{spec.name}"
    return call


class _RemoteGroup:
    """One workflow group; its methods are those of the protocol, each a call to the server."""

    def __init__(self, api: RemoteApi, group: str) -> None:
        self._group = group
        for (name_group, name), spec in remote_methods().items():
            if name_group == group:
                setattr(self, name, _remote_function(api, spec))

    def __repr__(self) -> str:
        return f"<remote {self._group}>"


class _RemoteDocuments(_RemoteGroup):
    """Documents are rendered and logged by the server and printed here, on the station's own
    printers and folders."""

    prepare_print: Callable[..., Any]
    record_print: Callable[..., Any]

    def send_prepared(self, prepared: Any, *, station: str | None = None) -> Any:
        from returndesk.services.usecases.documents import deliver_prepared, delivered_outcome

        job_id, path, stored = deliver_prepared(prepared)
        log_id = self.record_print(prepared.document, stored, station=station)
        return delivered_outcome(prepared, job_id, path, stored, log_id)

    def print_document(self, doc_type: Any, reference: str | None, *, printer: str | None = None,
                       out: Any = None, station: str | None = None, lang: Any = "en", size: str | None = None,
                       width_mm: int | None = None) -> Any:
        prepared = self.prepare_print(doc_type, reference, printer=printer, out=out, station=station, lang=lang,
                                      size=size, width_mm=width_mm)
        return self.send_prepared(prepared, station=station)


class RemoteApi:
    """:class:`~returndesk.api.protocol.ReturnDeskApi` carried out by the server, as ``user`` (the
    session ``token`` of that user's sign-in; the connection's latest when None)."""

    def __init__(self, connection: ServerConnection, user: Any, session: Any = None,
                 token: str | None = None) -> None:
        self.user = user
        self.session = session
        self.connection = connection
        self.token = token or connection.token
        for group in sorted({g for g, _ in remote_methods()}):
            cls = _RemoteDocuments if group == "documents" else _RemoteGroup
            setattr(self, group, cls(self, group))

    def __repr__(self) -> str:
        return f"<RemoteApi as {self.user.username} on {self.connection.describe()}>"


def remote_api(connection: ServerConnection, user: Any, session: Any = None) -> Any:
    """The typed API over ``connection`` (signed in), as the protocol type for callers."""
    from .protocol import ReturnDeskApi

    return cast(ReturnDeskApi, RemoteApi(connection, user, session))


# --------------------------------------------------------------------------- the station's session


class RemoteAuth:
    """Sign-in at the server: the password is checked there (argon2, lockout); the token stays in
    this process's memory."""

    def __init__(self, session: RemoteSession) -> None:
        self._session = session

    def has_users(self) -> bool:
        return bool(self._session.hello()["has_users"])

    def sign_in(self, username: str, password: str) -> Any:
        return self._session.sign_in(username, password)

    def create_first_administrator(self, username: str, display_name: str, password: str) -> Any:
        raise errors.ValidationFailed(
            msg(
                "The first administrator of a ReturnDesk server is made on the server's computer: returndesk user "
                "add --url postgresql://… --role admin NAME. Then sign in here."))


class RemoteSession:
    """:class:`~returndesk.api.protocol.SessionApi` of a station working through a ReturnDesk server.

    ``RemoteSession.open(choice, station=…)`` checks the certificate (:func:`establish_trust` with the
    fingerprint the station confirmed) and asks the server who it is; sign-ins then go to the
    server, and ``api_for(user)`` gives the API acting through that user's session.
    """

    def __init__(self, choice: Any, connection: ServerConnection, hello: dict[str, Any], *,
                 clock: Callable[[], Any] | None = None) -> None:
        from .types import utcnow

        self._choice = choice
        self.connection = connection
        self._hello = hello
        self._clock = clock or utcnow
        self._auth = RemoteAuth(self)
        self._tokens: dict[int, str] = {}
        self._listeners: list[Any] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, choice: Any, password: str | None = None, *, station: str | None = None,
             clock: Callable[[], Any] | None = None) -> RemoteSession:
        """Reach the server of ``choice`` (a ``DatabaseChoice.remote``); ``password`` is unused (a
        station holds no database login) and kept for the signature of ``open_local_session``."""
        del password
        from .connection import check_server_url

        url = check_server_url(choice.server_url or "")
        trust = establish_trust(url, choice.fingerprint)
        connection = ServerConnection(url, trust, station=station)
        try:
            hello = _hello(connection, station)
        except BaseException:
            connection.close()
            raise
        return cls(choice, connection, hello, clock=clock)

    def hello(self) -> dict[str, Any]:
        """What the server says about itself and this station (asked again each time)."""
        self._hello = _hello(self.connection, self.station)
        return self._hello

    # ------------------------------------------------------------------ SessionApi
    @property
    def auth(self) -> RemoteAuth:
        return self._auth

    @property
    def database(self) -> Any:
        return self._choice

    @property
    def station(self) -> str | None:
        return self.connection.station

    @property
    def is_local(self) -> bool:
        return False

    @property
    def created(self) -> bool:
        return False

    @property
    def schema_revision(self) -> str | None:
        return self._hello.get("schema_revision")

    def describe_database(self) -> str:
        return self.connection.describe()

    def now(self) -> Any:
        return self._clock()

    def set_station(self, name: str) -> None:
        self.connection.station = name

    def sign_in(self, username: str, password: str) -> Any:
        actor = self.connection.sign_in(username, password)
        with self._lock:
            self._tokens[actor.user_id] = self.connection.token or ""
        return actor

    def end_session(self, user: Any) -> None:
        with self._lock:
            token = self._tokens.pop(user.user_id, None)
        if token:
            self.connection.sign_out(token)

    def on_session_ended(self, listener: Callable[[errors.SessionEnded], None]) -> Callable[[], None]:
        return self.connection.on_session_ended(listener)

    def subscribe(self, listener: Any) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def announce(self, entity: str, entity_id: int) -> None:
        """Tell this client's listeners about a change its own call made (the server lists them)."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(entity, entity_id)

    def open_change_feed(self) -> RemoteChangeFeed:
        return RemoteChangeFeed(self.connection)

    def station_time(self) -> Any:
        from .types import StationTime

        return from_wire(self.hello()["station_time"], StationTime)

    def ensure_installation_zone(self, time_zone: str) -> str:
        # A station joining a server keeps the server's zone.
        return str(self.station_time().time_zone)

    def demo_available(self) -> bool:
        return False

    def fill_demo_data(self, progress: Callable[[str, int, int], None] | None = None) -> object:
        raise errors.ValidationFailed(msg(
            "Demo data is written only to a new local database, not through a server."))

    def demo_accounts(self) -> tuple[Any, ...]:
        return ()

    def run_housekeeping(self) -> Any:
        raise errors.ValidationFailed(msg("The ReturnDesk server does the housekeeping for every station."))

    def api_for(self, user: Any) -> Any:
        with self._lock:
            token = self._tokens.get(user.user_id)
        if token is None:
            raise errors.AuthenticationFailed(msg("Sign in first: this user has no session at the server."))
        return RemoteApi(self.connection, user, self, token)

    def close(self) -> None:
        with self._lock:
            tokens, self._tokens = list(self._tokens.values()), {}
        for token in tokens:
            try:
                self.connection.sign_out(token)
            except errors.ReturnDeskError:
                pass  # the server is gone: its sessions end by themselves
        self.connection.close()


def station_time_of(connection: ServerConnection) -> Any:
    """The site and time zone of the connection's station, as the server knows them."""
    from .types import StationTime

    return from_wire(_hello(connection, connection.station)["station_time"], StationTime)


def _hello(connection: ServerConnection, station: str | None) -> dict[str, Any]:
    from urllib.parse import quote

    try:
        body = connection.request("GET", f"/api/v1/station?name={quote(station or '')}", None, token="")
    except errors.ReturnDeskError as exc:
        if isinstance(exc, errors.DatabaseUnavailable):
            raise
        body = None
    if not (isinstance(body, dict) and "version" in body and "station_time" in body):
        raise errors.DatabaseUnavailable(
            msg(
                "{base_url} answers, but not as a ReturnDesk server of this version. Check the address and the port "
                "(8443 unless the administrator chose another).",
                base_url=connection.base_url))
    return body


#: Reach a ReturnDesk server as the frame's ``SessionApi`` (typed so, mypy checks here that
#: ``RemoteSession`` is one).
def open_remote_session(choice: Any, password: str | None = None, *, station: str | None = None,
                        clock: Callable[[], Any] | None = None) -> SessionApi:
    return RemoteSession.open(choice, password, station=station, clock=clock)


@dataclass(frozen=True)
class ServerCheck:
    """What "Test connection" found at a server address: ``problem`` (a sentence) when it failed;
    else the server's ``version`` and, for a self-signed certificate, its ``fingerprint`` (the
    station asks to confirm it when it connects)."""

    server_url: str
    problem: str | None = None
    version: str | None = None
    fingerprint: str | None = None
    encrypted: bool = True


def check_server(server_url: str) -> ServerCheck:
    """Reach the server once and describe it; never raises for a problem (the check is the answer)."""
    from .connection import check_server_url

    try:
        url = check_server_url(server_url)
    except errors.ReturnDeskError as exc:
        return ServerCheck(server_url, exc.message)
    fingerprint: str | None = None
    try:
        try:
            trust = establish_trust(url)
        except UnknownCertificate as unknown:
            fingerprint = unknown.fingerprint
            trust = establish_trust(url, fingerprint)
        connection = ServerConnection(url, trust)
        try:
            hello = _hello(connection, None)
        finally:
            connection.close()
    except errors.ReturnDeskError as exc:
        return ServerCheck(url, exc.message)
    return ServerCheck(url, None, str(hello.get("version") or ""), fingerprint, url.startswith("https:"))
