"""Sessions, API keys and idempotency keys of the server, on SQLite and PostgreSQL."""

from __future__ import annotations


import pytest
from sqlalchemy import func, select, update

from returndesk.domain.errors import (
    AuthenticationFailed,
    ConcurrentChange,
    PermissionDenied,
    ValidationFailed,
)
from returndesk.services.usecases import sessions
from returndesk.store.schema import ApiKey, AuditEvent, ServerSession, User

from .factories import build_world

pytestmark = pytest.mark.both_databases(
    "sessions and idempotency keys: unique violations abort the transaction on PostgreSQL"
)


def _password(ctx, username: str) -> str:
    from returndesk.services.usecases import auth

    auth.set_password(ctx, None, username, f"{username}-password")
    return f"{username}-password"


def test_the_token_is_kept_only_as_its_hash_and_resolves_to_the_current_user(ctx):
    world = build_world(ctx)
    clerk = world.clerk
    grant = sessions.open_session(ctx, clerk.username, _password(ctx, clerk.username), station="CTR-9")
    with ctx.db.read() as s:
        stored = s.execute(select(ServerSession.token_hash, ServerSession.station)).one()
    assert grant.token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.station == "CTR-9"
    actor = sessions.resolve_session(ctx, grant.token)
    assert (actor.user_id, actor.role, actor.station) == (clerk.user_id, clerk.role, "CTR-9")
    with ctx.db.write() as s:
        s.execute(update(User).where(User.id == clerk.user_id).values(approval_limit_minor=777))
    assert sessions.resolve_session(ctx, grant.token).approval_limit_minor == 777


def test_a_session_ends_when_it_expires_is_closed_or_its_user_is_disabled(ctx, clock):
    world = build_world(ctx)
    name = world.clerk.username
    grant = sessions.open_session(ctx, name, _password(ctx, name))
    clock.advance(seconds=sessions.SESSION_LIFETIME.total_seconds() + 1)
    with pytest.raises(AuthenticationFailed, match="Sign in again"):
        sessions.resolve_session(ctx, grant.token)
    second = sessions.open_session(ctx, name, f"{name}-password")
    sessions.close_session(ctx, second.token)
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(ctx, second.token)
    third = sessions.open_session(ctx, name, f"{name}-password")
    with ctx.db.write() as s:
        s.execute(update(User).where(User.username == name).values(active=False))
    with pytest.raises(AuthenticationFailed, match="disabled"):
        sessions.resolve_session(ctx, third.token)


def test_last_seen_is_written_at_most_every_few_minutes(ctx, clock):
    world = build_world(ctx)
    name = world.clerk.username
    grant = sessions.open_session(ctx, name, _password(ctx, name))
    with ctx.db.read() as s:
        first = s.execute(select(ServerSession.last_seen_at)).scalar_one()
    clock.advance(minutes=1)
    sessions.resolve_session(ctx, grant.token)
    with ctx.db.read() as s:
        assert s.execute(select(ServerSession.last_seen_at)).scalar_one() == first
    clock.advance(seconds=sessions.TOUCH_INTERVAL.total_seconds())
    sessions.resolve_session(ctx, grant.token)
    with ctx.db.read() as s:
        assert s.execute(select(ServerSession.last_seen_at)).scalar_one() > first


def test_an_administrator_revokes_a_users_sessions_and_it_is_audited(ctx):
    world = build_world(ctx)
    name = world.clerk.username
    grants = [sessions.open_session(ctx, name, _password(ctx, name)) for _ in range(2)]
    with pytest.raises(PermissionDenied):
        sessions.revoke_sessions(ctx, world.clerk, name)
    assert sessions.revoke_sessions(ctx, world.admin, name) == 2
    for grant in grants:
        with pytest.raises(AuthenticationFailed):
            sessions.resolve_session(ctx, grant.token)
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "sessions_revoked")).scalar_one() == 1


def test_api_keys_are_shown_once_stored_hashed_scoped_and_revocable(ctx):
    world = build_world(ctx)
    made = sessions.create_api_key(ctx, world.admin, "Web shop", ["returns:create", "returns:read"])
    assert made.secret.startswith("rdk_") and made.key.prefix == made.secret[:12]
    with ctx.db.read() as s:
        assert made.secret not in s.execute(select(ApiKey.key_hash)).scalar_one()
    client = sessions.resolve_api_key(ctx, made.secret)
    assert client.name == "Web shop"
    client.require("returns:create")
    with pytest.raises(PermissionDenied, match="orders:write"):
        client.require("orders:write")
    with pytest.raises(ValidationFailed, match="Unknown scopes"):
        sessions.create_api_key(ctx, world.admin, "ERP", ["everything"])
    with pytest.raises(ValidationFailed, match="exists already"):
        sessions.create_api_key(ctx, world.admin, "Web  shop ", ["returns:read"])
    with pytest.raises(PermissionDenied):
        sessions.create_api_key(ctx, world.clerk, "ERP", ["orders:write"])
    sessions.revoke_api_key(ctx, world.admin, "Web shop")
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_api_key(ctx, made.secret)
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_api_key(ctx, "rdk_made-up")


def test_an_idempotency_key_runs_once_and_replays_the_answer(ctx):
    h = sessions.request_hash("POST", "/api/v1/returns", b'{"order": "SO-1"}')
    assert sessions.claim_idempotency_key(ctx, "key:1", "shop-req-42", h) is None
    with pytest.raises(ConcurrentChange, match="still being carried out"):
        sessions.claim_idempotency_key(ctx, "key:1", "shop-req-42", h)
    sessions.complete_idempotency_key(ctx, "key:1", "shop-req-42", 201, {"rma": "R-1"})
    replay = sessions.claim_idempotency_key(ctx, "key:1", "shop-req-42", h)
    assert replay == sessions.StoredAnswer(201, {"rma": "R-1"})
    assert replay.text == '{"rma":"R-1"}'  # the text kept, which a retry is sent as it is
    sessions.complete_idempotency_key(ctx, "key:1", "shop-req-42", 201, {"rma": "R-1"}, encoded='{"rma": "R-1"}')
    assert sessions.claim_idempotency_key(ctx, "key:1", "shop-req-42", h).text == '{"rma": "R-1"}'
    other = sessions.request_hash("POST", "/api/v1/returns", b'{"order": "SO-2"}')
    with pytest.raises(ValidationFailed, match="different request"):
        sessions.claim_idempotency_key(ctx, "key:1", "shop-req-42", other)
    assert sessions.claim_idempotency_key(ctx, "key:2", "shop-req-42", h) is None  # keys are per caller
    sessions.release_idempotency_key(ctx, "key:2", "shop-req-42")
    assert sessions.claim_idempotency_key(ctx, "key:2", "shop-req-42", h) is None  # a failed one runs again


def test_the_answer_of_a_carried_out_request_is_kept_when_its_first_write_meets_a_lost_connection(
        ctx, monkeypatch):
    from returndesk.domain.errors import DatabaseUnavailable

    h = sessions.request_hash("POST", "/api/v1/rpc/intake/create_return", b'{"args": {}}')
    assert sessions.claim_idempotency_key(ctx, "user:7", "station-cmd-1", h) is None
    real, tries = ctx.db.write_connection, []

    def lost_once(**options):
        tries.append(1)
        if len(tries) == 1:  # the pooled connection died after the request's own commit
            raise DatabaseUnavailable("The database cannot be reached; nothing was saved.")
        return real(**options)

    monkeypatch.setattr(ctx.db, "write_connection", lost_once)
    sessions.complete_idempotency_key(ctx, "user:7", "station-cmd-1", 200, {"result": "R-1"})
    monkeypatch.undo()
    assert len(tries) == 2
    # A retry of the command gets the answer, not "still being carried out".
    assert sessions.claim_idempotency_key(ctx, "user:7", "station-cmd-1", h) == sessions.StoredAnswer(
        200, {"result": "R-1"})


def test_an_api_key_acts_as_its_own_user_who_cannot_sign_in(ctx):
    world = build_world(ctx)
    made = sessions.create_api_key(ctx, world.admin, "Web shop", ["returns:create"])
    client = sessions.resolve_api_key(ctx, made.secret)
    assert client.actor.display_name == "API: Web shop"
    assert client.actor.role.value == "clerk" and client.actor.approval_limit_minor == 0
    with pytest.raises(AuthenticationFailed):
        sessions.open_session(ctx, client.actor.username, "!api-key")
    sessions.revoke_api_key(ctx, world.admin, "Web shop")
    with ctx.db.read() as s:
        assert s.execute(select(User.active).where(User.id == client.actor.user_id)).scalar_one() is False


def test_a_commands_key_is_claimed_answered_and_released_each_by_a_statement_that_is_its_own_transaction(ctx):
    """The server's bookkeeping around every command (claim, stored answer, release) writes one
    statement each, with no transaction around it: no BEGIN and COMMIT round trips on
    PostgreSQL (the driver in autocommit), no BEGIN IMMEDIATE on SQLite. Each is committed when
    it returns: another connection sees it at once."""
    from sqlalchemy import event

    from returndesk.store.schema import IdempotencyKey

    seen: list[tuple[str, bool]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        driver = conn.connection.driver_connection
        own = driver.autocommit if ctx.db.engine.dialect.name == "postgresql" else not driver.in_transaction
        seen.append((statement.split()[0].upper(), own))

    def stored() -> list[tuple[int, str]]:
        with ctx.db.read_connection() as other:  # a connection of its own
            return [tuple(row) for row in other.execute(
                select(IdempotencyKey.status_code, IdempotencyKey.response_json)
                .where(IdempotencyKey.principal == "user:9", IdempotencyKey.key == "cmd-own")).all()]

    h = sessions.request_hash("POST", "/api/v1/rpc/intake/create_return", b'{"args": {}}')
    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        assert sessions.claim_idempotency_key(ctx, "user:9", "cmd-own", h) is None
        assert stored() == [(0, "null")]
        sessions.release_idempotency_key(ctx, "user:9", "cmd-own")
        assert stored() == []
        assert sessions.claim_idempotency_key(ctx, "user:9", "cmd-own", h) is None
        sessions.complete_idempotency_key(ctx, "user:9", "cmd-own", 200, {"result": "R-9"})
        assert stored() == [(200, '{"result":"R-9"}')]  # as the server sends it (encode_answer)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    writes = [(verb, own) for verb, own in seen if verb in ("INSERT", "UPDATE", "DELETE")]
    assert [verb for verb, _ in writes] == ["INSERT", "DELETE", "INSERT", "UPDATE"]
    assert all(own for _, own in writes), writes
