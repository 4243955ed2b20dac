"""The ASGI application (FastAPI): sessions, the API under /api/v1, and the errors as JSON.

Every request that acts for a person carries ``Authorization: Bearer <session token>``; the acting
user is derived from that session on every request (role, limit and active flag re-read), never
taken from the request body. Use cases are blocking, so the endpoints are plain functions that
FastAPI runs in its thread pool.
"""



import gc
import inspect
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError

from returndesk import __version__
from returndesk.domain import errors
from returndesk.api.rpc import remote_methods
from returndesk.api.wire import WireError, from_wire, to_wire
from returndesk.services.usecases import housekeeping, importing, integration, master_data, sessions, webhooks
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import Message, msg, text_of, to_data
from returndesk.domain.permissions import Permission

if TYPE_CHECKING:
    from returndesk.api.local import LocalSession

log = logging.getLogger("returndesk.server")

#: HTTP status of each kind of refusal; the body always carries the sentence for the user.
STATUS_OF_ERROR: dict[type[errors.ReturnDeskError], int] = {
    errors.AuthenticationFailed: 401,
    errors.AccountLocked: 423,
    errors.SegregationOfDuties: 403,
    errors.LimitExceeded: 403,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.ValidationFailed: 422,
    errors.IllegalTransition: 409,
    errors.PolicyViolation: 409,
    errors.ConcurrentChange: 409,
    errors.AlreadyDone: 409,
    errors.Cancelled: 409,
    errors.DatabaseUnavailable: 503,
    errors.SchemaTooNew: 503,
}

#: How often a connected station's session is checked again on the change feed.
FEED_SESSION_CHECK_SECONDS = 60.0

INTERNAL_ERROR = msg("The server could not complete the request and saved nothing. "
                     "Tell the administrator the time it happened; the details are in the server log.")


def status_of(exc: errors.ReturnDeskError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF_ERROR:
            return STATUS_OF_ERROR[cls]
    return 400


def error_body(exc: errors.ReturnDeskError) -> dict[str, Any]:
    """The JSON answer for a refusal: the English sentence in ``message`` (and ``problems``) for any
    client, and the same sentences as templates with parameters (``message_code``, ``problem_codes``)
    for stations that say them in their own language."""
    body: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc.message)}
    if isinstance(exc.message, Message):
        body["message_code"] = to_data(exc.message)
    problems = getattr(exc, "problems", None)
    if problems:
        body["problems"] = [str(p) for p in problems]
        body["problem_codes"] = [to_data(p) if isinstance(p, Message) else None for p in problems]
    for name in ("current", "action", "reason"):
        value = getattr(exc, name, None)
        if value:
            body[name] = value
    return body


class ChangeCollector:
    """The changes a request's use cases announce (``ctx.changed``), kept per thread: the answer of
    a station's call lists them, so the station's own screens follow its commits at once, as they
    do in process. Registered once as a listener of the server's context."""

    def __init__(self) -> None:
        self._local = threading.local()

    def __call__(self, entity: str, entity_id: int) -> None:
        seen = getattr(self._local, "changes", None)
        if seen is not None:
            seen.append([entity, int(entity_id)])

    def start(self) -> None:
        self._local.changes = []

    def take(self) -> list[list[Any]]:
        seen, self._local.changes = getattr(self._local, "changes", None) or [], None
        return seen


def local_session(ctx: ServiceContext) -> "LocalSession":
    """The in-process API over the server's own open database. Each request acts through
    ``local_session(ctx).api_for(actor)`` with the user of that request's session."""
    from returndesk.api.local import LocalSession
    from returndesk.services.infra.connection import OpenedDatabase, choice_from_url
    from returndesk.store.migrate import schema_status

    choice, _password = choice_from_url(ctx.db.url)
    return LocalSession(OpenedDatabase(ctx, choice, schema_status(ctx.db.engine), False))


# --------------------------------------------------------------------------- request bodies


class NewKey(BaseModel):
    name: str = Field(max_length=200)
    scopes: list[str] = Field(max_length=20)


class NewWebhookBody(BaseModel):
    name: str = Field(max_length=200)
    url: str = Field(max_length=1000)
    event_types: str = Field(default="*", max_length=1000)


class Replay(BaseModel):
    from_event: int


class ShopLine(BaseModel):
    quantity: int = Field(ge=1, le=100000)
    reason: str = Field(max_length=32)
    sku: str | None = Field(default=None, max_length=40)
    line_no: int | None = Field(default=None, ge=1)
    resolution: str = Field(default="refund", max_length=16)
    notes: str | None = Field(default=None, max_length=500)


class ShopRequest(BaseModel):
    order_no: str = Field(max_length=64)
    lines: list[ShopLine] = Field(min_length=1, max_length=100)
    refund_method: str = Field(default="original_payment", max_length=24)
    notes: str | None = Field(default=None, max_length=1000)
    request_id: str | None = Field(default=None, max_length=100,
                                   description="the shop's own id of the request; a retry with it creates nothing new")


class ShopAnswer(BaseModel):
    contact: str = Field(max_length=160)
    answer: str = Field(max_length=2000)


class SignIn(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)
    station: str | None = Field(default=None, max_length=40)


def _user_json(actor: Actor) -> dict[str, Any]:
    return {"id": actor.user_id, "username": actor.username, "display_name": actor.display_name,
            "role": actor.role.value, "approval_limit_minor": actor.approval_limit_minor,
            "station": actor.station}


# --------------------------------------------------------------------------- sign-ins


#: How long a sign-in waits for a free password check before the server answers "busy".
SIGN_IN_WAIT_SECONDS = 5.0


def sign_in_slots() -> int:
    """Password checks run at once per server process: ``RETURNDESK_SIGN_IN_SLOTS``, else one per
    processor (each argon2 check keeps one core busy and holds one database connection)."""
    configured = os.environ.get("RETURNDESK_SIGN_IN_SLOTS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, os.cpu_count() or 1)


def sign_in_wait() -> float:
    """How long a sign-in waits for its turn: ``RETURNDESK_SIGN_IN_WAIT`` seconds, else
    :data:`SIGN_IN_WAIT_SECONDS`."""
    try:
        configured = float(os.environ.get("RETURNDESK_SIGN_IN_WAIT", "") or SIGN_IN_WAIT_SECONDS)
    except ValueError:
        return SIGN_IN_WAIT_SECONDS
    return configured if configured > 0 else SIGN_IN_WAIT_SECONDS


class SignInGate:
    """Runs sign-ins (argon2 checks) in worker threads, at most ``slots`` at a time, so that a
    shift signing in at once neither blocks the event loop nor empties the database pool. A
    sign-in that waited :data:`SIGN_IN_WAIT_SECONDS` for a slot is answered ``ServerBusy``."""

    def __init__(self, slots: int, wait_seconds: float = SIGN_IN_WAIT_SECONDS) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._semaphore: Any = None  # made on the server's event loop, at the first sign-in

    async def run(self, func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        import asyncio
        import functools

        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        try:
            await asyncio.wait_for(self._semaphore.acquire(), timeout=self.wait_seconds)
        except TimeoutError:
            raise errors.ServerBusy(
                msg("The server is busy signing other people in. The station tries again by itself; if this stays, "
                    "try again in a minute."), retry_after=1.0) from None
        try:
            return await asyncio.get_running_loop().run_in_executor(None, functools.partial(func, *args, **kwargs))
        finally:
            self._semaphore.release()


# --------------------------------------------------------------------------- the application


class BackgroundJob:
    """Runs ``job(ctx)`` in the background, at once and then every ``interval`` seconds, until
    stopped; an outage or a failure is logged and the next round tries again."""

    def __init__(self, ctx: ServiceContext, interval: float, job: Callable[[ServiceContext], object],
                 name: str) -> None:
        self.ctx, self.interval, self.job, self.name = ctx, interval, job, name
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.job(self.ctx)
            except errors.DatabaseUnavailable:
                log.warning("%s: the database is unreachable; trying again later", self.name)
            except Exception:
                log.exception("%s failed", self.name)
            self.stopping.wait(self.interval)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)


def webhook_delivery(ctx: ServiceContext, interval: float) -> BackgroundJob:
    """Delivers the webhook outbox every ``interval`` seconds. Every server process runs one; the
    endpoints' leases make sure that one delivers to each endpoint at a time."""
    return BackgroundJob(ctx, interval, _deliver_webhooks, "webhook-delivery")


def _deliver_webhooks(ctx: ServiceContext) -> None:
    """One round of deliveries; each webhook that failed is named in the log (why is kept with the
    webhook: ``GET /api/v1/admin/webhooks`` and the integrations screen show it)."""
    for name in webhooks.deliver_due(ctx).failed_endpoints:
        log.warning("webhook delivery: %r failed; it is tried again later (see its last error)", name)


def _housekeep(ctx: ServiceContext) -> None:
    report = housekeeping.run_housekeeping_alone(ctx)
    if report is None:
        log.info("housekeeping: another server process is doing it")
    else:
        log.info("%s", report.summary())
        forgotten = sessions.forget_old_station_answers(ctx)
        if forgotten:
            log.info("housekeeping: forgot %d stored answers to stations' commands older than a week", forgotten)


def housekeeping_job(ctx: ServiceContext, interval: float) -> BackgroundJob:
    """Expires overdue and closes settled returns every ``interval`` seconds. Every server process
    runs one; a PostgreSQL advisory lock lets one of them do it at a time."""
    return BackgroundJob(ctx, interval, _housekeep, "housekeeping")


#: The RPC call's body, path and headers as the OpenAPI page shows them (the endpoint reads them
#: itself; the body after the session: an ended session is told so before anything about its
#: request).
_RPC_CALL: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["args"],
        "properties": {"args": {"type": "object", "description": "the method's arguments by name"}}}}}},
    "parameters": [
        {"name": "group", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "the API's part, such as intake or inspection"},
        {"name": "method", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "the method of that part, such as create_return"},
        {"name": "authorization", "in": "header", "required": True, "schema": {"type": "string"},
         "description": "Bearer and the session's token"},
        {"name": "idempotency-key", "in": "header", "required": False, "schema": {"type": "string"},
         "description": "a command sent with a key is carried out once; a retry gets the same answer"},
    ],
}


#: The station calls' path (the typed API, see :class:`_StationCalls`).
RPC_PATH = "/api/v1/rpc/{group}/{method}"
_RPC_PREFIX = RPC_PATH.split("{", 1)[0]


class _StationCalls:
    """The station calls (``POST /api/v1/rpc/{group}/{method}``), the server's busiest requests,
    taken straight to :func:`create_app`'s ``station_call`` ahead of FastAPI's routing, exception
    middleware and request handler, which cost a station call more processor time than its own
    reading of the session, the body and the answer: an ASGI middleware inside the application's
    outermost ones (its error page for a fault). A refusal is answered by the handler the
    application registered for it, found as Starlette's exception middleware finds it (by status
    code for an ``HTTPException``, else by class; a plain function run in the thread pool); an
    exception without one goes on to the outermost middleware's error page. Any other request
    (another method, another path) goes through the application as before.

    So whatever is given to the declared route (its dependencies, a body size of its own) does
    not apply to the calls, and FastAPI's tracing, when a deployment turns OpenTelemetry on,
    names their spans by method alone, without the route."""

    def __init__(self, app: Any, call: Callable[[Request, str, str], Any]) -> None:
        self.app = app
        self.call = call

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope["path"] if scope["type"] == "http" and scope["method"] == "POST" else ""
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        group, _, method = path[len(_RPC_PREFIX):].partition("/") if path.startswith(_RPC_PREFIX) else ("", "", "")
        if not group or not method or "/" in method:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.call(request, group, method)
        except Exception as exc:
            handler = _handler_for(scope["app"].exception_handlers, exc)
            if handler is None:
                raise
            if inspect.iscoroutinefunction(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
            # As Starlette's: the answered exception lets go of its frames (the request, its body),
            # which a traceback would otherwise keep for the collector's next full pass.
            exc.__traceback__ = None
            if response is None:
                return
        await response(scope, receive, send)


def _handler_for(handlers: dict[Any, Any], exc: Exception) -> Any | None:
    """The handler registered for ``exc``, as Starlette's exception middleware finds it: for an
    ``HTTPException`` the one of its status code first, then the one of its class or the nearest
    of its bases (None: left to the outermost middleware's error page, as the handler of
    ``Exception`` is)."""
    if isinstance(exc, HTTPException) and exc.status_code in handlers:
        return handlers[exc.status_code]
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None


def create_app(ctx: ServiceContext, *, webhook_interval: float | None = 5.0,
               housekeeping_interval: float | None = None,
               feed_session_check: float = FEED_SESSION_CHECK_SECONDS) -> FastAPI:
    """The server over one open, upgraded database. ``webhook_interval`` None: no delivery thread;
    ``housekeeping_interval`` None: no housekeeping thread (the served application runs it hourly);
    ``feed_session_check``: how often a connected station's session is checked again."""

    from .feed import FeedRelay

    relay = FeedRelay(ctx)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs = [webhook_delivery(ctx, webhook_interval)] if webhook_interval else []
        if housekeeping_interval:
            jobs.append(housekeeping_job(ctx, housekeeping_interval))
        for job in jobs:
            job.start()
        relay.start()
        # What every call needs is loaded by now (the use cases, and the API's method table made
        # here): moved out of the collector's reach, whose full passes would otherwise walk it
        # again and again while requests wait (tens of milliseconds each time, and processor time).
        remote_methods()
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            relay.stop()
            for job in jobs:
                job.stop()

    app = FastAPI(title="ReturnDesk", version=__version__, lifespan=lifespan,
                  description="Returns (RMA) for stations, web shops, ERPs and suppliers.")
    app.state.ctx = ctx

    @app.exception_handler(errors.ReturnDeskError)
    async def _refused(_request: Request, exc: errors.ReturnDeskError) -> JSONResponse:
        headers = None
        if isinstance(exc, errors.ServerBusy):
            headers = {"Retry-After": str(max(1, round(exc.retry_after)))}
        return JSONResponse(error_body(exc), status_code=status_of(exc), headers=headers)

    @app.exception_handler(DBAPIError)
    async def _database_refused(request: Request, exc: DBAPIError) -> JSONResponse:
        concurrent = errors.concurrency_problem(exc)
        if concurrent is None:
            return await _bug(request, exc)
        # Another station's write at the same moment (a unique key, a deadlock): 409, try again.
        log.info("%s %s refused by a concurrent write: %s", request.method, request.url.path,
                 str(exc).splitlines()[0])
        return JSONResponse(error_body(concurrent), status_code=status_of(concurrent))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return JSONResponse({"error": "InternalError", "message": str(INTERNAL_ERROR),
                             "message_code": to_data(INTERNAL_ERROR)}, status_code=500)

    async def bearer(authorization: Annotated[str | None, Header()] = None) -> str:
        # Async: it only reads a header, so it runs on the event loop, not in a worker thread.
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise errors.AuthenticationFailed(msg("Sign in first: this request carries no session."))
        return token.strip()

    def current_actor(token: Annotated[str, Depends(bearer)]) -> Actor:
        return sessions.resolve_session(ctx, token)

    @app.get("/healthz", tags=["server"])
    def health() -> dict[str, Any]:
        """The server is up and reaches its database."""
        from sqlalchemy import text

        with ctx.db.read() as s:
            s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    gate = SignInGate(sign_in_slots(), sign_in_wait())

    @app.post("/api/v1/session", tags=["session"],
              responses={503: {"description": "busy checking other sign-ins: try again after Retry-After"}})
    async def sign_in(body: SignIn, request: Request) -> dict[str, Any]:
        """Sign in with user name and password; the answer's token opens the session.

        Passwords are checked a few at a time (argon2 is meant to be costly), off the event loop;
        when a whole shift signs in at once, those that waited :data:`SIGN_IN_WAIT_SECONDS` get 503
        ``ServerBusy`` with ``Retry-After``, and the station tries again by itself."""
        client = request.client.host if request.client else None
        grant = await gate.run(sessions.open_session, ctx, body.username, body.password,
                               station=body.station, client=client)
        return {"token": grant.token, "expires_at": grant.expires_at.isoformat(), "user": _user_json(grant.actor)}

    @app.get("/api/v1/station", tags=["session"])
    def station_info(name: str = "") -> dict[str, Any]:
        """What a station needs before sign-in: the server's version and schema revision, whether
        the database has users yet, and the site and time zone of the station ``name``."""
        from returndesk.store.migrate import schema_status

        station = " ".join(name.split())[:40] or None
        return {"version": __version__, "schema_revision": schema_status(ctx.db.engine).current,
                "has_users": session.auth.has_users(),
                "station_time": to_wire(session.station_time() if station is None
                                        else _station_time(ctx, station))}

    @app.get("/api/v1/session", tags=["session"])
    def who_am_i(actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        """The signed-in user as the database says now."""
        return {"user": _user_json(actor)}

    @app.delete("/api/v1/session", status_code=204, tags=["session"])
    def sign_out(token: Annotated[str, Depends(bearer)]) -> Response:
        sessions.close_session(ctx, token)
        return Response(status_code=204)

    @app.get("/api/v1/admin/sessions", tags=["admin"])
    def open_sessions(actor: Annotated[Actor, Depends(current_actor)]) -> list[dict[str, Any]]:
        return to_wire(sessions.list_sessions(ctx, actor))

    @app.delete("/api/v1/admin/users/{username}/sessions", tags=["admin"])
    def end_sessions(username: str, actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, int]:
        return {"ended": sessions.revoke_sessions(ctx, actor, username)}

    @app.get("/api/v1/admin/usage", tags=["admin"])
    def server_usage(actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        """Processor seconds the server's processes (all workers) and, when PostgreSQL runs on the
        same machine, the database processes serving them have used since they started. Read it
        before and after a piece of work to know what the work cost; the load test does."""
        from .usage import usage

        actor.require(Permission.ADMIN_USERS)
        return usage(ctx)

    session = local_session(ctx)
    collector = ChangeCollector()
    ctx.listeners.append(collector)

    def api_client(authorization: Annotated[str | None, Header()] = None) -> sessions.ApiClient:
        scheme, _, secret = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip().startswith("rdk_"):
            raise errors.AuthenticationFailed(msg("This call needs an API key: Authorization: Bearer rdk_…"))
        return sessions.resolve_api_key(ctx, secret.strip())

    @app.post("/api/v1/shop/returns", status_code=201, tags=["web shop"])
    def shop_return(body: ShopRequest, request: Request,
                    client: Annotated[sessions.ApiClient, Depends(api_client)],
                    idempotency_key: Annotated[str | None, Header()] = None) -> Response:
        """A customer's return request from the web shop. It waits in the review queue as
        ``requested``. Send the shop's request id (``request_id`` or the ``Idempotency-Key``
        header): a retried request answers with the same RMA and creates nothing."""
        client.require("returns:create")
        key = idempotency_key or body.request_id
        principal = f"key:{client.key_id}"
        raw = body.model_dump_json().encode("utf-8")
        req_hash = sessions.request_hash("POST", "/api/v1/shop/returns", raw)
        if key:
            earlier = sessions.claim_idempotency_key(ctx, principal, key, req_hash)
            if earlier is not None:  # a retry: the text first sent, as it was kept
                return _json_text(earlier.text, earlier.status_code)
        try:
            detail = integration.request_return(ctx, client.actor, integration.ShopReturnRequest(
                order_no=body.order_no, refund_method=body.refund_method, notes=body.notes,
                lines=tuple(integration.ShopReturnLine(**line.model_dump()) for line in body.lines)))
        except BaseException:
            if key:
                sessions.release_idempotency_key(ctx, principal, key)
            raise
        answer = {"rma_no": detail.rma_no, "status": detail.status, "receive_by": to_wire(detail.receive_by),
                  "lines": [{"sku": line.sku, "quantity": line.qty_requested, "reason": line.reason_code}
                            for line in detail.lines]}
        encoded = sessions.encode_answer(answer)
        if key:
            sessions.complete_idempotency_key(ctx, principal, key, 201, answer, encoded=encoded)
        return _json_text(encoded, 201)

    @app.post("/api/v1/master/{kind}", tags=["integration"])
    def upsert_master(kind: str, body: Annotated[dict[str, Any], Body()],
                      client: Annotated[sessions.ApiClient, Depends(api_client)]) -> dict[str, Any]:
        """Create or update products, customers, suppliers or categories, keyed by SKU or code:
        ``{"products": [{"sku": "EL-1001", "name_en": ..., "price": "399.00", ...}]}``. Checked
        as an import file is and refused whole (422, ``problems`` numbered "item N: ...");
        sending the same records again changes nothing. Needs the scope ``master:write``."""
        client.require("master:write")
        if kind not in master_data.MASTER_KINDS:
            raise errors.NotFound(msg(
                "There is no master data '{kind}'; use {master_kinds}.",
                kind=kind[:30], master_kinds=', '.join(master_data.MASTER_KINDS)))
        records = body.get(kind)
        if not isinstance(records, list):
            raise errors.ValidationFailed(msg("Send {{\"{kind}\": [...]}}: a list of {kind}.", kind=kind))
        result = master_data.upsert_records(ctx, client.actor, kind, records)
        return {"kind": kind, "received": result.rows, "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "categories_created": result.categories_created}

    @app.post("/api/v1/orders", status_code=201, tags=["integration"])
    def push_orders(body: Annotated[dict[str, Any], Body()],
                    client: Annotated[sessions.ApiClient, Depends(api_client)]) -> dict[str, Any]:
        """Sales orders from the shop or the ERP, in the JSON form of order import
        (``{"orders": [{"order_no": "SO-1042", ..., "lines": [...]}]}``). Checked whole and
        refused whole (422, ``problems`` numbered "order N, line M: ..."); an order number already
        in ReturnDesk is refused. Needs the scope ``orders:write``."""
        client.require("orders:write")
        result = importing.push_orders(ctx, client.actor, body.get("orders"))
        return {"orders": result.orders, "lines": result.lines, "units": result.units,
                "customers_created": result.customers_created, "total_paid_minor": result.total_paid_minor,
                "first_order_no": result.first_order_no, "last_order_no": result.last_order_no}

    @app.get("/api/v1/shop/returns/{rma}", tags=["web shop"])
    def shop_status(
        rma: str, contact: str, client: Annotated[sessions.ApiClient, Depends(api_client)]
    ) -> dict[str, Any]:
        """Where a return is, for the customer (``contact``: the order's phone or e-mail)."""
        client.require("returns:read")
        return to_wire(integration.customer_return_status(ctx, rma, contact))

    @app.post("/api/v1/shop/returns/{rma}/answer", tags=["web shop"])
    def shop_answer(rma: str, body: ShopAnswer,
                    client: Annotated[sessions.ApiClient, Depends(api_client)]) -> dict[str, Any]:
        """The customer's answer to customer service's question, relayed by the web shop
        (``contact``: the order's phone or e-mail). The request goes back to the review queue."""
        client.require("returns:create")
        return to_wire(integration.answer_customer_question(ctx, client.actor, rma, body.contact, body.answer))

    @app.get("/api/v1/policy", tags=["customers"])
    def policy_json() -> dict[str, Any]:
        """The published return policy (the rules the counter applies), for the shop to embed."""
        return to_wire(integration.published_policy(ctx))

    @app.get("/policy", response_class=HTMLResponse, tags=["customers"])
    def policy_html(request: Request, lang: str | None = None) -> HTMLResponse:
        from .pages import language, policy_page

        chosen = language(lang, request.headers.get("accept-language"))
        return HTMLResponse(policy_page(integration.published_policy(ctx), chosen))

    @app.get("/status", response_class=HTMLResponse, tags=["customers"])
    def status_form(request: Request, lang: str | None = None) -> HTMLResponse:
        from .pages import language, status_page

        return HTMLResponse(status_page(language(lang, request.headers.get("accept-language"))))

    @app.post("/status", response_class=HTMLResponse, tags=["customers"])
    async def status_lookup(request: Request, lang: str | None = None) -> HTMLResponse:
        import asyncio
        from urllib.parse import parse_qs

        from .pages import TEXT, language, status_page

        chosen = language(lang, request.headers.get("accept-language"))
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        rma = (form.get("rma") or [""])[0][:40]
        contact = (form.get("contact") or [""])[0][:160]
        try:
            status = await asyncio.to_thread(integration.customer_return_status, ctx, rma, contact)
        except errors.NotFound:
            return HTMLResponse(status_page(chosen, error=TEXT[chosen]["unknown"], rma=rma), status_code=404)
        return HTMLResponse(status_page(chosen, status=status, rma=rma, contact=contact))

    @app.post("/status/answer", response_class=HTMLResponse, tags=["customers"])
    async def status_answer(request: Request, lang: str | None = None) -> HTMLResponse:
        """The customer's answer to customer service's question (from the status page's form)."""
        import asyncio
        from urllib.parse import parse_qs

        from .pages import TEXT, language, status_page

        chosen = language(lang, request.headers.get("accept-language"))
        form = parse_qs((await request.body())[:16384].decode("utf-8", "replace"))
        rma = (form.get("rma") or [""])[0][:40]
        contact = (form.get("contact") or [""])[0][:160]
        answer = (form.get("answer") or [""])[0][:2000]
        try:
            status = await asyncio.to_thread(integration.answer_customer_question, ctx, None, rma, contact, answer)
        except errors.NotFound:
            return HTMLResponse(status_page(chosen, error=TEXT[chosen]["unknown"], rma=rma), status_code=404)
        except errors.ValidationFailed:
            status = await asyncio.to_thread(integration.customer_return_status, ctx, rma, contact)
            problem = TEXT[chosen]["answer_short" if status.question else "no_question"]
            return HTMLResponse(status_page(chosen, status=status, error=problem, rma=rma, contact=contact),
                                status_code=422)
        return HTMLResponse(status_page(chosen, status=status, rma=rma, answered=True))

    @app.websocket("/api/v1/feed")
    async def feed(websocket: WebSocket) -> None:
        """Changes as they commit: ``{"entity": "return", "id": 7}``, or ``{"resync": true}`` when
        the station must reload what it shows. Needs the session in the Authorization header."""
        import asyncio

        scheme, _, token = (websocket.headers.get("authorization") or "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise errors.AuthenticationFailed(msg("Sign in first."))
            await asyncio.to_thread(sessions.resolve_session, ctx, token.strip())
        except errors.ReturnDeskError:
            await websocket.close(code=4401, reason="Sign in first.")
            return
        await websocket.accept()
        key, queue = relay.subscribe()

        async def until_closed() -> None:
            # The station sends nothing; reading notices at once when it goes away or when the
            # server shuts down (which must not wait for the next change to send).
            while (await websocket.receive()).get("type") != "websocket.disconnect":
                pass

        closed = asyncio.ensure_future(until_closed())
        try:
            await websocket.send_text('{"ready": true}')
            while True:
                waiting = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({waiting, closed}, timeout=feed_session_check,
                                             return_when=asyncio.FIRST_COMPLETED)
                if closed in done:
                    waiting.cancel()
                    return
                if waiting not in done:
                    waiting.cancel()
                    # A session ended by sign-out, an administrator or a disabled account ends the feed too.
                    try:
                        await asyncio.to_thread(sessions.resolve_session, ctx, token.strip())
                    except errors.ReturnDeskError:
                        await websocket.close(code=4401, reason="The session has ended.")
                        return
                    continue
                await websocket.send_text(waiting.result())
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            closed.cancel()
            relay.unsubscribe(key)

    @app.post(RPC_PATH, tags=["stations"], openapi_extra=_RPC_CALL)
    async def call(request: Request) -> Response:
        """One method of the typed API (returndesk.api.protocol), acting as the session's user.

        The body is ``{"args": {name: value}}``; the answer ``{"result": value, "changes": [[entity,
        id], …]}``. A command sent with an ``Idempotency-Key`` header is carried out once: a retry
        with the same key (by the same user) answers what the first answered and changes nothing.
        An ended session is refused before the body is looked at.
        """
        # Declared for the API's description; the calls themselves are taken by _StationCalls
        # before FastAPI's routing (this route answers only where that is not installed), so
        # nothing given to this route (dependencies, a body size) applies to them.
        return await station_call(request, request.path_params["group"], request.path_params["method"])

    async def station_call(request: Request, group: str, method: str) -> Response:
        # Its path's two parts and two headers read here rather than declared as parameters: the
        # busiest route of the server spares FastAPI's resolving and checking of them at every
        # call (they are documented in _RPC_CALL).
        headers = request.headers
        token = await bearer(headers.get("authorization"))
        idempotency_key = headers.get("idempotency-key")
        raw = await request.body()
        # The session, the body and the call in one worker thread (one hand-over per call).
        return await run_in_threadpool(_call_in_session, group, method, token, raw, idempotency_key)

    app.add_middleware(_StationCalls, call=station_call)

    def _call_in_session(group: str, method: str, token: str, raw: bytes,
                         idempotency_key: str | None) -> Response:
        import json

        actor = sessions.resolve_session(ctx, token)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise errors.ValidationFailed(msg(
                'The request body must be a JSON object such as {{"args": {{}}}}.'))
        if not idempotency_key:
            return _json_text(sessions.encode_answer(_call(group, method, actor, body)))
        principal = f"user:{actor.user_id}"
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
        req_hash = sessions.request_hash("POST", f"/api/v1/rpc/{group}/{method}", canonical)
        earlier = sessions.claim_idempotency_key(ctx, principal, idempotency_key, req_hash)
        if earlier is not None:  # a retry: the text first sent, as it was kept
            return _json_text(earlier.text, earlier.status_code)
        try:
            answer = _call(group, method, actor, body)
        except BaseException:
            sessions.release_idempotency_key(ctx, principal, idempotency_key)
            raise
        # Encoded once: the same text is kept for the retries and sent.
        encoded = sessions.encode_answer(answer)
        sessions.complete_idempotency_key(ctx, principal, idempotency_key, 200, answer, encoded=encoded)
        return _json_text(encoded)

    def _call(group: str, method: str, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
        spec = remote_methods().get((group, method))
        if spec is None:
            raise errors.NotFound(msg(
                "The API has no method {group}.{method}.",
                group=group[:30], method=method[:40]))
        args = body.get("args") or {}
        if not isinstance(args, dict):
            raise errors.ValidationFailed(msg("The arguments must be an object of names and values."))
        unknown = sorted(set(args) - set(spec.hints))
        if unknown:
            raise errors.ValidationFailed(msg(
                "{group}.{method} takes no argument {unknown}.",
                group=group, method=method, unknown=', '.join(unknown)[:80]))
        try:
            kwargs = {name: from_wire(value, spec.hints[name]) for name, value in args.items()}
            spec.signature.bind(**kwargs)
        except (WireError, TypeError, ValueError) as exc:
            raise errors.ValidationFailed(msg(
                "The arguments of {group}.{method} do not fit: {exc}",
                group=group, method=method, exc=str(exc)[:200])) from None
        collector.start()
        try:
            result = getattr(getattr(session.api_for(actor), group), method)(**kwargs)
        finally:
            changes = collector.take()
        return {"result": to_wire(result), "changes": changes}

    @app.get("/api/v1/admin/api-keys", tags=["admin"])
    def api_keys(actor: Annotated[Actor, Depends(current_actor)]) -> list[dict[str, Any]]:
        return to_wire(sessions.list_api_keys(ctx, actor))

    @app.post("/api/v1/admin/api-keys", status_code=201, tags=["admin"])
    def add_api_key(body: NewKey, actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        """Make a key for another system; the secret is in this answer only."""
        return to_wire(sessions.create_api_key(ctx, actor, body.name, body.scopes))

    @app.delete("/api/v1/admin/api-keys/{name}", tags=["admin"])
    def revoke_api_key(name: str, actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        return to_wire(sessions.revoke_api_key(ctx, actor, name))

    @app.get("/api/v1/admin/webhooks", tags=["admin"])
    def list_webhooks(actor: Annotated[Actor, Depends(current_actor)]) -> list[dict[str, Any]]:
        """Each webhook: pending events, the last delivered, the last error (``last_error`` in English,
        ``last_error_code`` the same sentence as a template with its parameters, as a refusal's)."""
        answer = []
        for view in webhooks.list_webhooks(ctx, actor):
            row = to_wire(view)
            row["last_error"] = text_of(view.last_error) if view.last_error else None
            row["last_error_code"] = to_wire(view.last_error) if isinstance(view.last_error, Message) else None
            answer.append(row)
        return answer

    @app.post("/api/v1/admin/webhooks", status_code=201, tags=["admin"])
    def add_webhook(body: NewWebhookBody, actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        """Register a receiver; the answer holds the secret that signs its deliveries."""
        return to_wire(webhooks.add_webhook(ctx, actor, body.name, body.url, body.event_types))

    @app.post("/api/v1/admin/webhooks/{name}/replay", tags=["admin"])
    def replay_webhook(name: str, body: Replay, actor: Annotated[Actor, Depends(current_actor)]) -> dict[str, Any]:
        return to_wire(webhooks.replay_webhook(ctx, actor, name, body.from_event))

    return app


def _json_text(text: str, status_code: int = 200) -> Response:
    """An answer already encoded (``sessions.encode_answer``) sent as it is."""
    return Response(text.encode("utf-8"), status_code=status_code, media_type="application/json")


def _station_time(ctx: ServiceContext, station: str) -> Any:
    from returndesk.services.usecases import sites

    return sites.station_time(ctx, station)


def server_pool_size() -> int:
    """Database connections a server process keeps (and as many more at peaks):
    ``RETURNDESK_DB_POOL``, else 10. Requests run in a pool of 40 threads; each holds a connection
    only while its transaction runs."""
    configured = os.environ.get("RETURNDESK_DB_POOL", "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else 10


def open_server_context(url: str, read_url: str | None = None) -> ServiceContext:
    """Open the database the server works on, upgrading it only if its login may.

    The server's own login (``returndesk db init``) cannot change the schema: a database older than
    this server is refused with a sentence saying how to upgrade it with the owner's login.
    ``read_url``: a PostgreSQL read replica the analytics read on, so dashboards never slow the stations.
    """
    from returndesk.services.infra.bootstrap import ensure_reference_data
    from returndesk.store.engine import Database
    from returndesk.store.migrate import schema_status, upgrade

    from .usage import application_name

    ctx = ServiceContext(db=Database.open(url, application_name=application_name(), pool_size=server_pool_size()))
    status = schema_status(ctx.db.engine)
    try:
        if not status.up_to_date:
            upgrade(ctx.db.engine)
        ensure_reference_data(ctx)
    except DBAPIError as exc:
        ctx.db.dispose()
        if "permission denied" not in str(exc.orig) and "must be owner" not in str(exc.orig):
            raise
        raise errors.ValidationFailed(
            msg(
                "The database is at schema revision {value} and this server needs {head}; its login may not change "
                "the schema. Upgrade it with the owner's login: returndesk db init --url "
                "postgresql://OWNER@HOST/DATABASE, then start the server again.",
                value=status.current or msg('(empty)'), head=status.head)) from None
    except BaseException:
        ctx.db.dispose()
        raise
    try:
        from returndesk.services.infra.maintenance import attach_read_replica

        attach_read_replica(ctx, read_url)
    except BaseException:
        ctx.db.dispose()
        raise
    return ctx


def app_from_environment() -> FastAPI:
    """uvicorn's factory for each worker process: the database address comes from the environment."""
    url = os.environ.get("RETURNDESK_DB_URL")
    if not url:
        raise SystemExit("RETURNDESK_DB_URL is not set: the server needs the database address.")
    interval = float(os.environ.get("RETURNDESK_WEBHOOK_INTERVAL", "5") or 0)
    housekeeping_interval = float(os.environ.get("RETURNDESK_HOUSEKEEPING_INTERVAL", "3600") or 0)
    session_check = float(os.environ.get("RETURNDESK_FEED_SESSION_CHECK", "") or FEED_SESSION_CHECK_SECONDS)
    return create_app(open_server_context(url, os.environ.get("RETURNDESK_READ_URL") or None),
                      webhook_interval=interval or None,
                      housekeeping_interval=housekeeping_interval or None, feed_session_check=session_check)
