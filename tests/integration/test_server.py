"""The ReturnDesk server, started for real (uvicorn on a free loopback port) on PostgreSQL.

Driven with plain HTTP: sign-in, the session as the only source of the acting user (role, limit
and active flag re-read on every request), sign-out, an administrator ending sessions, TLS with a
certificate made by ``returndesk server init``, and the refusal to serve plain HTTP off loopback.
"""

from __future__ import annotations

import json
import os
import ssl
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from returndesk import cli
from returndesk.domain.types import Role
from returndesk.services.usecases import auth
from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import User

from .server_support import _Server, _start, server_login

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server

PG_ADMIN_URL = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="module")
def server_db() -> Iterator[str]:
    import psycopg

    name = f"rd_server_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    db = Database.open(url)
    ctx = ServiceContext(db=db)
    open_database(ctx)
    for username, role, limit in (("admin", Role.ADMIN, 0), ("clerk", Role.CLERK, 50_000),
                                  ("ann", Role.SUPERVISOR, 500_000), ("bob", Role.CLERK, 50_000),
                                  ("carl", Role.CLERK, 50_000)):
        auth.add_user(ctx, None, username=username, display_name=username.title(), role=role,
                      password=f"{username}-secret", approval_limit_minor=limit)
    db.dispose()
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{name}_srv"')


@pytest.fixture(scope="module")
def running_server(server_db, tmp_path_factory) -> Iterator[_Server]:
    tls_dir = tmp_path_factory.mktemp("no-cert")  # no certificate: plain HTTP on loopback
    served_by, _login = server_login(server_db)  # the server's own login, as in production
    running = _start(served_by, "--tls-dir", str(tls_dir))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def server(running_server) -> str:
    return f"http://127.0.0.1:{running_server.port}"


def _sign_in(base: str, username: str, password: str | None = None, **extra) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/session",
                      json={"username": username, "password": password or f"{username}-secret",
                            "station": "CTR-1", **extra})


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _set_user(url: str, username: str, **values) -> None:
    db = Database.open(url)
    with db.write() as s:
        s.execute(update(User).where(User.username == username).values(**values))
    db.dispose()


def test_sign_in_gives_a_session_whose_user_comes_from_the_database(server):
    answer = _sign_in(server, "clerk", role="admin", user_id=1, approval_limit_minor=10**9)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["token"]) >= 40
    assert body["user"]["username"] == "clerk"
    assert body["user"]["role"] == "clerk"  # the forged role in the request is ignored
    me = httpx.get(f"{server}/api/v1/session", headers=_auth(body["token"]))
    assert me.status_code == 200
    assert me.json()["user"] == {"id": body["user"]["id"], "username": "clerk", "display_name": "Clerk",
                                 "role": "clerk", "approval_limit_minor": 50_000, "station": "CTR-1"}


def test_wrong_password_and_missing_session_are_refused_with_a_sentence(server):
    wrong = _sign_in(server, "carl", "not-the-password")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "AuthenticationFailed"
    assert "Wrong user name or password" in wrong.json()["message"]
    assert httpx.get(f"{server}/api/v1/session").status_code == 401
    forged = httpx.get(f"{server}/api/v1/session", headers=_auth("made-up-token"))
    assert forged.status_code == 401
    assert forged.json()["message"] == "Your session has ended. Sign in again."


def test_a_role_change_and_a_disabled_account_apply_at_the_next_request(server, server_db):
    token = _sign_in(server, "bob").json()["token"]
    _set_user(server_db, "bob", role="supervisor", approval_limit_minor=123_400)
    me = httpx.get(f"{server}/api/v1/session", headers=_auth(token)).json()["user"]
    assert (me["role"], me["approval_limit_minor"]) == ("supervisor", 123_400)
    _set_user(server_db, "bob", active=False)
    refused = httpx.get(f"{server}/api/v1/session", headers=_auth(token))
    assert refused.status_code == 401
    assert "disabled" in refused.json()["message"]


def test_sign_out_ends_the_session(server):
    token = _sign_in(server, "ann").json()["token"]
    assert httpx.delete(f"{server}/api/v1/session", headers=_auth(token)).status_code == 204
    assert httpx.get(f"{server}/api/v1/session", headers=_auth(token)).status_code == 401


def test_only_an_administrator_ends_other_peoples_sessions(server):
    clerk = _sign_in(server, "clerk").json()["token"]
    admin = _sign_in(server, "admin").json()["token"]
    refused = httpx.delete(f"{server}/api/v1/admin/users/ann/sessions", headers=_auth(clerk))
    assert refused.status_code == 403
    ann = _sign_in(server, "ann").json()["token"]
    listed = httpx.get(f"{server}/api/v1/admin/sessions", headers=_auth(admin)).json()
    assert "ann" in {row["username"] for row in listed}
    ended = httpx.delete(f"{server}/api/v1/admin/users/ann/sessions", headers=_auth(admin))
    assert ended.status_code == 200 and ended.json()["ended"] >= 1
    assert httpx.get(f"{server}/api/v1/session", headers=_auth(ann)).status_code == 401
    assert httpx.get(f"{server}/api/v1/session", headers=_auth(clerk)).status_code == 200


def test_a_call_with_an_ended_session_is_refused_before_its_body_is_looked_at(server):
    token = _sign_in(server, "ann").json()["token"]
    call = f"{server}/api/v1/rpc/search/find_sales"
    for body in (b"[]", b"", b"not json"):
        answer = httpx.post(call, content=body, headers=_auth(token))
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["error"] == "ValidationFailed"
        assert answer.json()["message"] == 'The request body must be a JSON object such as {"args": {}}.'
    assert httpx.delete(f"{server}/api/v1/session", headers=_auth(token)).status_code == 204
    for body in (b"[]", b"", b"not json", b'{"args": {"query": "SO-1"}}'):
        ended = httpx.post(call, content=body, headers=_auth(token))
        assert ended.status_code == 401, (body, ended.text)
        assert ended.json()["error"] == "SessionEnded"
    assert httpx.post(call, content=b"[]").status_code == 401  # no session at all


def test_the_api_is_documented_at_docs(server):
    spec = httpx.get(f"{server}/openapi.json").json()
    assert "/api/v1/session" in spec["paths"]
    rpc = spec["paths"]["/api/v1/rpc/{group}/{method}"]["post"]
    assert rpc["requestBody"]["content"]["application/json"]["schema"]["required"] == ["args"]
    documented = {(p["name"], p["in"]) for p in rpc["parameters"]}
    assert {("group", "path"), ("method", "path"), ("authorization", "header"),
            ("idempotency-key", "header")} <= documented, documented
    assert httpx.get(f"{server}/docs").status_code == 200


def test_tls_with_the_certificate_of_server_init(server_db, tmp_path, capsys):
    tls_dir = tmp_path / "tls"
    assert cli.main(["server", "init", "--tls-dir", str(tls_dir), "--name", "127.0.0.1"]) == 0
    printed = capsys.readouterr().out
    fingerprint = printed.split("SHA-256 fingerprint: ")[1].split()[0]
    from returndesk.server.tls import fingerprint_of_pem

    assert fingerprint == fingerprint_of_pem((tls_dir / "server.crt").read_bytes())
    assert oct((tls_dir / "server.key").stat().st_mode & 0o777) == "0o600"
    running = _start(server_db, "--tls-dir", str(tls_dir))
    try:
        base = f"https://127.0.0.1:{running.port}"
        trust = ssl.create_default_context(cafile=str(tls_dir / "server.crt"))
        assert httpx.get(f"{base}/healthz", verify=trust).json()["status"] == "ok"
        answer = httpx.post(f"{base}/api/v1/session", verify=trust,
                            json={"username": "clerk", "password": "clerk-secret"})
        assert answer.status_code == 200
        with pytest.raises(httpx.ConnectError):  # a client that does not trust it refuses
            httpx.get(f"{base}/healthz")
    finally:
        running.stop()


def test_plain_http_off_loopback_is_refused(server_db, tmp_path, capsys):
    status = cli.main(["server", "--url", server_db, "--bind", "0.0.0.0:8443", "--tls-dir", str(tmp_path)])
    assert status == 1
    assert "without TLS" in capsys.readouterr().err


def test_the_database_login_is_never_in_an_answer(server, server_db):
    token = _sign_in(server, "admin").json()["token"]
    texts = [httpx.get(f"{server}/api/v1/session", headers=_auth(token)).text,
             httpx.get(f"{server}/api/v1/admin/sessions", headers=_auth(token)).text,
             httpx.get(f"{server}/openapi.json").text, httpx.get(f"{server}/healthz").text]
    database = Path(server_db.rsplit("/", 1)[1]).name
    assert not any(database in text or "postgres" in text for text in texts)


def test_an_administrator_adds_a_webhook_and_the_server_delivers_it(server, server_db):
    received: list[dict] = []
    got = threading.Event()

    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append({"headers": dict(self.headers),
                             "body": self.rfile.read(int(self.headers["Content-Length"]))})
            self.send_response(204)
            self.end_headers()
            got.set()

        def log_message(self, *args: object) -> None:
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        admin = _sign_in(server, "admin").json()["token"]
        clerk = _sign_in(server, "clerk").json()["token"]
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        assert httpx.post(f"{server}/api/v1/admin/webhooks", headers=_auth(clerk),
                          json={"name": "ERP", "url": url}).status_code == 403
        made = httpx.post(f"{server}/api/v1/admin/webhooks", headers=_auth(admin),
                          json={"name": "ERP", "url": url, "event_types": "claim. return."})
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]
        # A published change, written straight through the services on the same database.
        db = Database.open(server_db)
        with db.write() as s:
            from returndesk.services.tx import audit

            audit.record(s, ServiceContext(db=db), None, "claim", "RTV-1", "shipped", None, {"units": 2})
        db.dispose()
        assert got.wait(timeout=120), "the server did not deliver the event"
        delivery = received[0]
        from returndesk.services.usecases.webhooks import verify_signature

        assert delivery["headers"]["X-ReturnDesk-Event"] == "claim.shipped"
        assert verify_signature(secret, delivery["headers"]["X-ReturnDesk-Timestamp"], delivery["body"],
                                delivery["headers"]["X-ReturnDesk-Signature"])
        assert json.loads(delivery["body"])["after"] == {"units": 2}
    finally:
        receiver.shutdown()


def test_a_failed_delivery_is_listed_as_a_sentence_and_as_its_template(server, server_db, running_server):
    admin = _sign_in(server, "admin").json()["token"]
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    made = httpx.post(f"{server}/api/v1/admin/webhooks", headers=_auth(admin),
                      json={"name": "Nobody home", "url": url, "event_types": "claim."})
    assert made.status_code == 201, made.text
    since = len(running_server.log)
    db = Database.open(server_db)  # a published change, written straight through the services
    with db.write() as s:
        from returndesk.services.tx import audit

        audit.record(s, ServiceContext(db=db), None, "claim", "RTV-2", "shipped", None, {"units": 1})
    db.dispose()

    # The server names the webhook in its log once the attempt failed and was recorded.
    running_server.wait_for_log(lambda lines: any("'Nobody home' failed" in line for line in lines), since=since)
    answer = httpx.get(f"{server}/api/v1/admin/webhooks", headers=_auth(admin))
    assert answer.status_code == 200
    row = next(w for w in answer.json() if w["name"] == "Nobody home")
    assert row["last_error"].startswith("The receiver at 127.0.0.1 refused the connection or cannot be reached.")
    assert "\nTechnical detail: ConnectError: " in row["last_error"]
    code = row["last_error_code"]
    assert code["$message"] == "{message}\nTechnical detail: {detail}"
    assert code["params"]["message"]["params"] == {"host": "127.0.0.1"}


def test_api_keys_are_made_by_an_administrator_and_shown_once(server):
    admin = _sign_in(server, "admin").json()["token"]
    made = httpx.post(f"{server}/api/v1/admin/api-keys", headers=_auth(admin),
                      json={"name": "Web shop", "scopes": ["returns:create", "returns:read"]})
    assert made.status_code == 201
    assert made.json()["secret"].startswith("rdk_")
    listed = httpx.get(f"{server}/api/v1/admin/api-keys", headers=_auth(admin)).json()
    assert [k["name"] for k in listed] == ["Web shop"]
    assert "secret" not in listed[0] and made.json()["secret"] not in json.dumps(listed)
    bad = httpx.post(f"{server}/api/v1/admin/api-keys", headers=_auth(admin),
                     json={"name": "ERP", "scopes": ["root"]})
    assert bad.status_code == 422 and "Unknown scopes" in bad.json()["message"]


def test_the_server_sets_what_every_call_needs_out_of_the_collectors_reach(ctx):
    """Once started, the server's loaded code and tables are frozen for the garbage collector, so
    that its full passes do not walk them while requests wait."""
    import asyncio
    import gc

    from returndesk.server.app import create_app

    app = create_app(ctx, webhook_interval=None, housekeeping_interval=None)
    frozen: list[int] = []

    async def start_and_stop() -> None:
        async with app.router.lifespan_context(app):
            frozen.append(gc.get_freeze_count())

    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        asyncio.run(start_and_stop())
        assert frozen[0] > 10_000
    finally:
        gc.unfreeze()  # the test process's own objects go back to the collector


def test_station_calls_are_answered_ahead_of_the_routing_as_the_route_declares(ctx):
    """The station calls are taken before FastAPI's routing (server.app._StationCalls): a call is
    answered and its refusals are the registered handlers' answers; what is not a call (another
    HTTP method, a path with a part missing or one too many) gets the routing's own answers."""
    import asyncio
    import gc

    from returndesk.domain.types import Role
    from returndesk.server.app import create_app
    from returndesk.services.usecases import auth

    from returndesk.server.app import RPC_PATH

    auth.add_user(ctx, None, username="nia", display_name="Nia", role=Role.CLERK, password="nia-secret-1")
    app = create_app(ctx, webhook_interval=None, housekeeping_interval=None)
    # What reaches the declared route through the routing (its own answers around the calls).
    (declared,) = [route for route in app.router.routes if getattr(route, "path", None) == RPC_PATH]
    routed: list[str] = []
    route_app = declared.app

    async def spy(scope, receive, send):
        routed.append(scope["path"])
        await route_app(scope, receive, send)

    declared.app = spy

    async def ask() -> dict[str, httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as client:
                signed_in = await client.post("/api/v1/session", json={"username": "nia", "password": "nia-secret-1"})
                headers = _auth(signed_in.json()["token"])
                body = {"args": {"query": "nobody-has-this-name"}}
                call = "/api/v1/rpc/search/find_sales"
                return {
                    "call": await client.post(call, headers=headers, json=body),
                    "unknown method": await client.post("/api/v1/rpc/search/no_such_method", headers=headers,
                                                        json={"args": {}}),
                    "bad argument": await client.post(call, headers=headers, json={"args": {"colour": "red"}}),
                    "no session": await client.post(call, json=body),
                    "get": await client.get(call, headers=headers),
                    "no method part": await client.post("/api/v1/rpc/search", headers=headers, json=body),
                    "one part too many": await client.post(call + "/more", headers=headers, json=body),
                }

    try:
        answers = asyncio.run(ask())
    finally:
        gc.unfreeze()
    assert answers["call"].status_code == 200, answers["call"].text
    assert answers["call"].json() == {"result": [], "changes": []}
    assert answers["unknown method"].status_code == 404
    assert answers["unknown method"].json()["message"] == "The API has no method search.no_such_method."
    assert answers["bad argument"].status_code == 422
    assert answers["bad argument"].json()["error"] == "ValidationFailed"
    assert answers["no session"].status_code == 401
    assert answers["no session"].json()["error"] == "AuthenticationFailed"
    assert answers["get"].status_code == 405
    for name in ("no method part", "one part too many"):  # the routing's own "Not Found", not a call's
        assert answers[name].status_code == 404 and answers[name].json() == {"detail": "Not Found"}, name
    # No call went through the routing to the declared route's endpoint (the GET was answered 405
    # by the route before it).
    assert routed == [], routed


def test_a_refused_station_call_is_answered_by_its_handler_and_lets_go_of_its_frames():
    """_StationCalls finds a refusal's handler as Starlette's exception middleware does (by status
    code for an HTTPException, by class, a plain function in the thread pool) and clears the
    exception's traceback once answered, so that the request's frames are not kept until the
    collector's next full pass."""
    import asyncio
    from types import SimpleNamespace

    from starlette.exceptions import HTTPException
    from starlette.responses import PlainTextResponse

    from returndesk.domain import errors
    from returndesk.server.app import _StationCalls

    refused = errors.ValidationFailed("no")
    teapot = HTTPException(status_code=418)

    async def by_class(_request, exc):
        return PlainTextResponse(f"class {type(exc).__name__}", status_code=422)

    def by_status(_request, _exc):  # a plain function: run in the thread pool
        return PlainTextResponse("status 418", status_code=418)

    handlers = {errors.ReturnDeskError: by_class, 418: by_status}
    raised = iter([refused, teapot])

    async def call(_request, _group, _method):
        raise next(raised)

    async def routing(_scope, _receive, _send):  # pragma: no cover - no call may get here
        raise AssertionError("a station call went to the routing")

    middleware = _StationCalls(routing, call)

    async def one() -> list[dict]:
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"{}", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/api/v1/rpc/search/find_sales", "root_path": "",
                 "headers": [], "query_string": b"", "app": SimpleNamespace(exception_handlers=handlers)}
        await middleware(scope, receive, send)
        return sent

    first, second = asyncio.run(one()), asyncio.run(one())
    assert first[0]["status"] == 422 and first[1]["body"] == b"class ValidationFailed"
    assert second[0]["status"] == 418 and second[1]["body"] == b"status 418"
    assert refused.__traceback__ is None and teapot.__traceback__ is None


def test_a_write_another_station_refused_at_the_same_moment_is_answered_409(ctx, monkeypatch):
    """A unique key taken by another station's write at the same moment, or a deadlock, that no
    use case said in words, is answered 409 ConcurrentChange ("try again"), not 500."""
    import asyncio
    import gc

    from sqlalchemy.exc import IntegrityError, OperationalError

    from returndesk.domain.types import Role
    from returndesk.server.app import create_app
    from returndesk.services.usecases import auth, master_data

    class DriverError(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(f"the database refused it ({sqlstate})")
            self.sqlstate = sqlstate

    refusals = iter([IntegrityError("INSERT", {}, DriverError("23505")),
                     OperationalError("UPDATE", {}, DriverError("40P01")),
                     IntegrityError("INSERT", {}, DriverError("23503"))])  # a foreign key: a bug, 500

    def refused(*_args, **_kwargs):
        raise next(refusals)

    auth.add_user(ctx, None, username="mia", display_name="Mia", role=Role.ADMIN, password="mia-secret-1")
    monkeypatch.setattr(master_data, "save_profile", refused)
    app = create_app(ctx, webhook_interval=None, housekeeping_interval=None)

    async def save_three_times() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as client:
                signed_in = await client.post("/api/v1/session", json={"username": "mia", "password": "mia-secret-1"})
                headers = _auth(signed_in.json()["token"])
                body = {"args": {"kind": "products", "name": "ERP", "mapping": {"货品ID": "sku"}}}
                return [await client.post("/api/v1/rpc/master_data/save_profile", headers=headers, json=body)
                        for _ in range(3)]

    try:
        unique, deadlock, bug = asyncio.run(save_three_times())
    finally:
        gc.unfreeze()
    for answer in (unique, deadlock):
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"] == "ConcurrentChange" and "try again" in answer.json()["message"]
    assert bug.status_code == 500
