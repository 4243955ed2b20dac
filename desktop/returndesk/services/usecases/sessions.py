"""Sessions at the ReturnDesk server, API keys of other systems, and idempotent replays.

A station signs in once per shift; the server answers with a random token and keeps only its
SHA-256. Every request names the token, and :func:`resolve_session` turns it back into the acting
user, re-reading the user's role, approval limit and active flag each time: a user disabled or
given another role stops at the next request, and a client can never name its own actor.

API keys work the same way for the web shop, the ERP and supplier systems: shown once when made,
stored hashed, limited to their scopes, revocable.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, Table, bindparam, select, update

from returndesk.domain.errors import (
    AuthenticationFailed,
    DatabaseUnavailable,
    SessionEnded,
    ConcurrentChange,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from returndesk.domain.permissions import Permission
from returndesk.domain.types import Role
from returndesk.store.schema import ApiKey, IdempotencyKey, ServerSession, User
from returndesk.store.select_rows import select_first, write_returning, write_rows

from returndesk.services.tx import audit
from returndesk.services.usecases import auth
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import join, msg

#: A station's session lasts a long shift; signing in again starts a new one.
SESSION_LIFETIME = timedelta(hours=14)
#: ``last_seen_at`` is written at most this often, so reads do not turn into writes.
TOUCH_INTERVAL = timedelta(minutes=5)

#: What an API key may be allowed to do.
SCOPES = {
    "returns:create": "create return requests for orders (web shop)",
    "returns:read": "look up the status of returns",
    "orders:write": "push sales orders",
    "master:write": "upsert products, customers and suppliers",
    "events:read": "receive webhooks and read the event outbox",
}

_SESSION_EXPIRED = msg("Your session has ended. Sign in again.")
_SESSION_REVOKED = msg(
    "Your session has ended: it was closed by an administrator or by signing out. Sign in again.")

#: No argon2 hash looks like this, so no password ever matches an API key's user.
API_USER_PASSWORD_HASH = "!api-key"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_MaybeTime = TypeVar("_MaybeTime", datetime, None)


def _aware(dt: _MaybeTime, like: datetime) -> _MaybeTime:
    if dt is not None and dt.tzinfo is None and like.tzinfo is not None:
        return dt.replace(tzinfo=like.tzinfo)
    return dt


@dataclass(frozen=True)
class SessionGrant:
    """What a successful sign-in at the server returns; ``token`` is shown only here."""

    token: str
    expires_at: datetime
    actor: Actor


@dataclass(frozen=True)
class SessionView:
    id: int
    username: str
    station: str | None
    client: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def open_session(ctx: ServiceContext, username: str, password: str, *, station: str | None = None,
                 client: str | None = None) -> SessionGrant:
    """Check the password (with the lockout of :func:`auth.sign_in`) and open a session."""
    actor = auth.sign_in(ctx, username, password, station=station)
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    expires = now + SESSION_LIFETIME
    with ctx.db.write() as s:
        s.add(ServerSession(token_hash=_digest(token), user_id=actor.user_id,
                            station=(station or "")[:40] or None, client=(client or "")[:80] or None,
                            created_at=now, expires_at=expires, last_seen_at=now))
    return SessionGrant(token, expires, actor)


#: The session of a token and its user, as :func:`resolve_session` reads them (built once).
_SESSION_OF_TOKEN = (
    select(ServerSession.id, ServerSession.station, ServerSession.expires_at,
           ServerSession.revoked_at, ServerSession.last_seen_at,
           User.id, User.username, User.display_name, User.role, User.approval_limit_minor,
           User.active)
    .join(User, User.id == ServerSession.user_id)
    .where(ServerSession.token_hash == bindparam("token_hash")))


def resolve_session(ctx: ServiceContext, token: str) -> Actor:
    """The acting user of a session token, as the database says now.

    Raises ``AuthenticationFailed`` for an unknown, expired or revoked token and for a user who has
    been disabled since signing in.
    """
    if not token or len(token) > 200:
        raise SessionEnded(_SESSION_EXPIRED, "expired")
    now = ctx.now()
    with ctx.db.read_connection(one_statement=True) as conn:
        row = select_first(conn, _SESSION_OF_TOKEN, {"token_hash": _digest(token)})  # the hash is unique
    if row is None:
        raise SessionEnded(_SESSION_EXPIRED, "expired")
    (session_id, station, expires_at, revoked_at, last_seen, user_id, username, display_name, role,
     limit, active) = row
    expires_at = _aware(expires_at, now)
    if revoked_at is not None:
        raise SessionEnded(_SESSION_REVOKED, "revoked")
    if expires_at is not None and expires_at <= now:
        raise SessionEnded(_SESSION_EXPIRED, "expired")
    if not active:
        raise SessionEnded(
            msg("The account {username} has been disabled. Ask an administrator.", username=username), "disabled")
    last_seen = _aware(last_seen, now)
    if last_seen is None or now - last_seen >= TOUCH_INTERVAL:
        with ctx.db.write_connection(one_statement=True) as conn:
            conn.execute(update(ServerSession).where(ServerSession.id == session_id)
                         .values(last_seen_at=now))
    return Actor(user_id, username, display_name, Role(role), limit, station)


def close_session(ctx: ServiceContext, token: str) -> None:
    """Sign out: the token stops working at once. Closing an unknown token does nothing."""
    now = ctx.now()
    with ctx.db.write() as s:
        s.execute(update(ServerSession)
                  .where(ServerSession.token_hash == _digest(token), ServerSession.revoked_at.is_(None))
                  .values(revoked_at=now))


def list_sessions(ctx: ServiceContext, actor: Actor | None) -> list[SessionView]:
    """Open sessions, newest first (administrators; ``actor`` None: on the database host)."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    now = ctx.now()
    with ctx.read(actor) as s:
        rows = s.execute(
            select(ServerSession.id, User.username, ServerSession.station, ServerSession.client,
                   ServerSession.created_at, ServerSession.last_seen_at, ServerSession.expires_at)
            .join(User, User.id == ServerSession.user_id)
            .where(ServerSession.revoked_at.is_(None), ServerSession.expires_at > now)
            .order_by(ServerSession.created_at.desc())
        ).all()
    return [SessionView(*row) for row in rows]


def revoke_sessions(ctx: ServiceContext, actor: Actor | None, username: str) -> int:
    """End every open session of a user (administrators). Returns how many were ended."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    now = ctx.now()
    with ctx.write(actor) as s:
        user_id = s.execute(select(User.id).where(User.username == username.strip())).scalar_one_or_none()
        if user_id is None:
            raise NotFound(msg("There is no user named {username}.", username=username.strip()[:40]))
        result = s.execute(update(ServerSession)
                           .where(ServerSession.user_id == user_id, ServerSession.revoked_at.is_(None))
                           .values(revoked_at=now, revoked_by=actor.user_id if actor else None))
        # An UPDATE's result is a CursorResult, the kind that counts the rows it changed.
        ended = result.rowcount if isinstance(result, CursorResult) else 0
        audit.record(s, ctx, actor, "user", username.strip(), "sessions_revoked", None, {"sessions": ended})
    return int(ended or 0)


def end_all_sessions(ctx: ServiceContext, actor: Actor | None) -> int:
    """End every open session (administrators) but the acting administrator's own, so that the
    desk ending them stays signed in; on the database host (``actor`` None) every session ends.
    Each station returns to its sign-in window at its next request. Returns how many were ended."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    now = ctx.now()
    with ctx.write(actor) as s:
        ending = update(ServerSession).where(ServerSession.revoked_at.is_(None), ServerSession.expires_at > now)
        if actor is not None:
            ending = ending.where(ServerSession.user_id != actor.user_id)
        result = s.execute(ending.values(revoked_at=now, revoked_by=actor.user_id if actor else None))
        ended = result.rowcount if isinstance(result, CursorResult) else 0
        audit.record(s, ctx, actor, "user", "*", "sessions_revoked", None, {"sessions": ended})
    return int(ended or 0)


# --------------------------------------------------------------------------- API keys


@dataclass(frozen=True)
class ApiClient:
    """The other system behind an API key; ``actor`` is its user, on whose behalf it works."""

    key_id: int
    name: str
    scopes: frozenset[str]
    actor: Actor

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(msg(
                "The API key {name} does not have the scope {scope}.",
                name=self.name, scope=scope))


@dataclass(frozen=True)
class ApiKeyView:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class NewApiKey:
    """A key just made: ``secret`` is shown this once and never stored."""

    secret: str
    key: ApiKeyView


def _key_view(k: ApiKey) -> ApiKeyView:
    return ApiKeyView(k.id, k.name, k.prefix, tuple(k.scopes.split()), k.created_at, k.last_used_at,
                      k.revoked_at is not None)


def create_api_key(ctx: ServiceContext, actor: Actor | None, name: str, scopes: list[str]) -> NewApiKey:
    """Make a key for another system (administrators)."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    name = " ".join(str(name or "").split())
    problems = []
    if not name or len(name) > 80:
        problems.append(msg("Give the key a name of 1-80 characters, e.g. the system that uses it."))
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        problems.append(msg(
            "Unknown scopes: {s}; use {scopes}.",
            s=', '.join(s[:30] for s in unknown), scopes=', '.join(SCOPES)))
    if not scopes:
        problems.append(msg("Give the key at least one scope."))
    if problems:
        raise ValidationFailed(msg("The API key was not made: {problems}", problems=join(problems)), problems)
    secret = "rdk_" + secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.write(actor) as s:
        if s.execute(select(ApiKey.id).where(ApiKey.name == name)).first():
            raise ValidationFailed(msg("An API key named {name} exists already; choose another name.", name=name))
        # The key's own user: named after the key, role clerk (what a web shop's return request
        # needs), no approval limit, and a password hash no password matches, so it never signs in.
        user = User(username=f"api.{secrets.token_hex(6)}", display_name=f"API: {name}"[:80], role=Role.CLERK.value,
                    password_hash=API_USER_PASSWORD_HASH, approval_limit_minor=0, created_at=now, active=True,
                    failed_attempts=0)
        s.add(user)
        s.flush()
        key = ApiKey(name=name, prefix=secret[:12], key_hash=_digest(secret), scopes=" ".join(sorted(set(scopes))),
                     user_id=user.id, created_at=now, created_by=actor.user_id if actor else None)
        s.add(key)
        s.flush()
        audit.record(s, ctx, actor, "api_key", name, "created", None, {"scopes": key.scopes})
        return NewApiKey(secret, _key_view(key))


def list_api_keys(ctx: ServiceContext, actor: Actor | None) -> list[ApiKeyView]:
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    with ctx.read(actor) as s:
        return [_key_view(k) for k in s.execute(select(ApiKey).order_by(ApiKey.name)).scalars()]


def revoke_api_key(ctx: ServiceContext, actor: Actor | None, name: str) -> ApiKeyView:
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    now = ctx.now()
    with ctx.write(actor) as s:
        key = s.execute(select(ApiKey).where(ApiKey.name == name.strip())).scalar_one_or_none()
        if key is None:
            raise NotFound(msg("There is no API key named {name}.", name=name.strip()[:40]))
        if key.revoked_at is None:
            key.revoked_at = now
            s.execute(update(User).where(User.id == key.user_id).values(active=False))
            audit.record(s, ctx, actor, "api_key", key.name, "revoked")
        return _key_view(key)


def resolve_api_key(ctx: ServiceContext, secret: str) -> ApiClient:
    """The system behind an API key; ``AuthenticationFailed`` for an unknown or revoked key."""
    if not secret or len(secret) > 200:
        raise AuthenticationFailed(msg("The API key is not valid."))
    now = ctx.now()
    with ctx.db.read() as s:
        key = s.execute(select(ApiKey.id, ApiKey.name, ApiKey.scopes, ApiKey.revoked_at, ApiKey.last_used_at,
                               User.id.label("user_id"), User.username, User.display_name, User.role,
                               User.active)
                        .join(User, User.id == ApiKey.user_id)
                        .where(ApiKey.key_hash == _digest(secret))).one_or_none()
    if key is None or key.revoked_at is not None or not key.active:
        raise AuthenticationFailed(msg("The API key is not valid."))
    last = _aware(key.last_used_at, now)
    if last is None or now - last >= TOUCH_INTERVAL:
        with ctx.db.write() as s:
            s.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
    actor = Actor(key.user_id, key.username, key.display_name, Role(key.role), 0, None)
    return ApiClient(key.id, key.name, frozenset(key.scopes.split()), actor)


# --------------------------------------------------------------------------- idempotency


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: object
    #: The answer's JSON text as it was kept (and first sent).
    text: str = field(default="null", compare=False, repr=False)


#: ``status_code`` of a claimed key whose request is still running.
_RUNNING = 0


def request_hash(method: str, path: str, body: bytes) -> str:
    return _digest(f"{method} {path}\n" + body.decode("utf-8", "replace"))


_KEYS = cast(Table, IdempotencyKey.__table__)
_KEY_OF = (_KEYS.c.principal == bindparam("of_principal")) & (_KEYS.c.key == bindparam("of_key"))
#: The statements of a station's every command, built once (a command costs a claim and an answer).
#: The claim by dialect (built at its first use, so that a station on SQLite never loads
#: PostgreSQL's dialect): an insert that does nothing when the key exists, so that it needs no
#: error and no rollback (which would make psycopg forget the connection's prepared statements).
#: Its values are the parameters, named as the columns.
_CLAIM_KEY: dict[str, Any] = {}


def _claim_statement(dialect: str) -> Any:
    stmt = _CLAIM_KEY.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            # psycopg reports no row count for it; the key comes back when the row was written.
            stmt = postgresql.insert(_KEYS).on_conflict_do_nothing(
                index_elements=[_KEYS.c.principal, _KEYS.c.key]).returning(_KEYS.c.key)
        else:
            from sqlalchemy.dialects import sqlite

            stmt = sqlite.insert(_KEYS).on_conflict_do_nothing(index_elements=[_KEYS.c.principal, _KEYS.c.key])
        _CLAIM_KEY[dialect] = stmt
    return stmt


_EARLIER_ANSWER = select(_KEYS.c.request_hash, _KEYS.c.status_code, _KEYS.c.response_json).where(_KEY_OF)
_KEEP_ANSWER = _KEYS.update().where(_KEY_OF).values(
    status_code=bindparam("new_status"), response_json=bindparam("new_response"))
_RELEASE_KEY = _KEYS.delete().where(_KEY_OF, _KEYS.c.status_code == _RUNNING)


def claim_idempotency_key(ctx: ServiceContext, principal: str, key: str, req_hash: str) -> StoredAnswer | None:
    """Claim ``key`` for this request, or return the answer already given for it.

    None means the caller claimed the key and must run the request, then call
    :func:`complete_idempotency_key` (or :func:`release_idempotency_key` when it failed). The claim
    is a committed row, so two servers receiving the same retry at once never both run it: the
    second is told that the request is still running. The same key with a different request is
    refused, since the client reused a key by mistake.
    """
    key = str(key or "").strip()
    if not key or len(key) > 100:
        raise ValidationFailed(msg("An idempotency key is 1-100 characters."))
    values = {"principal": principal, "key": key, "request_hash": req_hash, "status_code": _RUNNING,
              "response_json": "null", "created_at": ctx.now()}
    with ctx.db.write_connection(one_statement=True) as conn:
        # On the driver's cursor (select_rows): PostgreSQL's returns the key when it wrote the
        # row, SQLite's counts the row.
        if conn.dialect.name == "postgresql":
            claimed = bool(write_returning(conn, _claim_statement(conn.dialect.name), values))
        else:
            claimed = write_rows(conn, _claim_statement(conn.dialect.name), values) == 1
    if claimed:
        return None
    with ctx.db.read_connection(one_statement=True) as conn:
        row = select_first(conn, _EARLIER_ANSWER, {"of_principal": principal, "of_key": key})
    if row is None:  # released between our insert and this read: the caller may retry
        raise ConcurrentChange(msg("The same request was just retried; try again."))
    if row.request_hash != req_hash:
        raise ValidationFailed(msg("This idempotency key was used for a different request; use a new key."))
    if row.status_code == _RUNNING:
        raise ConcurrentChange(msg("The same request is still being carried out; ask again in a moment."))
    return StoredAnswer(row.status_code, json.loads(row.response_json), row.response_json)


def encode_answer(body: object) -> str:
    """The JSON text of an answer, as it is kept for retries and as the server sends it."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def complete_idempotency_key(ctx: ServiceContext, principal: str, key: str, status_code: int,
                             body: object, *, encoded: str | None = None) -> None:
    """Keep the answer of a claimed request for its retries (``encoded``: its text from
    :func:`encode_answer`, when the caller has it). Tried twice: the request's change is
    committed by now, and a claim left running would answer every retry "still being carried
    out"; a connection lost since the request's transaction is replaced for the second try."""
    params = {"of_principal": principal, "of_key": key.strip(), "new_status": status_code,
              "new_response": encode_answer(body) if encoded is None else encoded}
    for last_try in (False, True):
        try:
            with ctx.db.write_connection(one_statement=True) as conn:
                write_rows(conn, _KEEP_ANSWER, params)
            return
        except DatabaseUnavailable:
            if last_try:
                raise


def release_idempotency_key(ctx: ServiceContext, principal: str, key: str) -> None:
    """Forget a claim whose request failed before changing anything, so that a retry runs it."""
    with ctx.db.write_connection(one_statement=True) as conn:
        write_rows(conn, _RELEASE_KEY, {"of_principal": principal, "of_key": key.strip()})


#: How long the answers to stations' commands are kept for their retries (a scan kept during an
#: outage is applied within hours; a week covers a long weekend with the server down).
STATION_KEYS_KEPT = timedelta(days=7)


def forget_old_station_answers(ctx: ServiceContext) -> int:
    """Delete the stored answers of stations' commands older than :data:`STATION_KEYS_KEPT`
    (the server's housekeeping, hourly). Keys of other systems (``key:…``) stay: a web shop may
    send a request again much later. Returns how many were deleted."""
    from sqlalchemy import delete

    before = ctx.now() - STATION_KEYS_KEPT
    with ctx.db.write() as s:
        result = s.execute(delete(IdempotencyKey).where(IdempotencyKey.principal.like("user:%"),
                                                        IdempotencyKey.created_at < before))
        deleted = result.rowcount if isinstance(result, CursorResult) else 0
    return int(deleted or 0)
