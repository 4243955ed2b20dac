"""Sign-in, the audit hash chain, number sequences and the stock ledger, on both databases."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, event, inspect, select, update

from returndesk.domain.errors import AccountLocked, AuthenticationFailed, ValidationFailed
from returndesk.domain.types import Location, Role
from returndesk.services.tx import audit, sequences, stock
from returndesk.services.usecases import auth
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import AuditEvent, AuditHead, User

from .factories import PASSWORD, build_world

pytestmark = pytest.mark.both_databases(
    "concurrent writers: the audit chain and the number sequences rely on row locks"
)


def test_sign_in_with_the_right_password_returns_the_actor(ctx):
    world = build_world(ctx)
    actor = auth.sign_in(ctx, "supervisor", PASSWORD)
    assert actor.user_id == world.supervisor.user_id
    assert actor.role is Role.SUPERVISOR
    assert actor.station == "TEST-1"
    with ctx.db.read() as s:
        assert (
            s.execute(select(AuditEvent).where(AuditEvent.action == "signed_in")).scalar_one().username == "supervisor"
        )


def test_wrong_passwords_lock_the_account_and_say_so_differently(ctx, clock):
    build_world(ctx)
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed, match=f"{left} attempts left"):
            auth.sign_in(ctx, "clerk", "wrong password")
    with pytest.raises(AccountLocked, match="now locked for 15 minutes"):
        auth.sign_in(ctx, "clerk", "wrong password")
    # Even the right password is refused while locked, with the lock message, not the wrong-password one.
    with pytest.raises(AccountLocked, match="is locked"):
        auth.sign_in(ctx, "clerk", PASSWORD)
    clock.advance(minutes=16)
    assert auth.sign_in(ctx, "clerk", PASSWORD).username == "clerk"


def test_unknown_user_gets_the_wrong_password_message(ctx):
    build_world(ctx)
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        auth.sign_in(ctx, "nobody", PASSWORD)


def test_admin_unlocks_and_passwords_are_only_stored_hashed(ctx):
    world = build_world(ctx)
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            auth.sign_in(ctx, "clerk", "nope nope")
    auth.unlock_user(ctx, world.admin, "clerk")
    assert auth.sign_in(ctx, "clerk", PASSWORD).username == "clerk"
    with ctx.db.read() as s:
        stored = s.execute(select(User.password_hash).where(User.username == "clerk")).scalar_one()
    assert PASSWORD not in stored and stored.startswith("$argon2id$")


def test_add_user_validates_and_refuses_non_admins(ctx):
    world = build_world(ctx)
    with pytest.raises(ValidationFailed) as err:
        auth.add_user(ctx, world.admin, username="bad name!", display_name="", role="boss", password="short")
    assert len(err.value.problems) == 3
    from returndesk.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        auth.add_user(ctx, world.clerk, username="x1", display_name="X", role="clerk", password="long enough 1")
    view = auth.add_user(ctx, world.admin, username="wang.fang", display_name="王芳", role="clerk",
                         password="长密码也可以用的", approval_limit_minor=30000)
    assert view.role == "clerk"
    assert auth.sign_in(ctx, "wang.fang", "长密码也可以用的").display_name == "王芳"


def test_audit_chain_verifies_and_detects_tampering(ctx):
    build_world(ctx)
    for i in range(5):
        with ctx.db.write() as s:
            audit.record(s, ctx, None, "test", i, "did", {"n": i}, {"n": i + 1})
    result = audit.verify_chain(ctx)
    assert result.ok and result.events == 5

    with ctx.db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(after_json='{"n":99}'))
    broken = audit.verify_chain(ctx)
    assert not broken.ok and broken.first_broken_seq == 3 and "altered" in broken.message


def test_audit_chain_detects_a_removed_last_event(ctx):
    for i in range(3):
        with ctx.db.write() as s:
            audit.record(s, ctx, None, "test", i, "did")
    with ctx.db.write() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    result = audit.verify_chain(ctx)
    assert not result.ok and "removed from the end" in result.message


def test_the_chain_is_appended_after_every_change_the_transaction_holds(ctx):
    """At commit, the changes the session still holds are written before the audit events are
    chained (PostgreSQL locks the chain's head with the append and holds it to the commit, so it
    must come after every row lock the transaction takes), in one statement for all the events."""
    world = build_world(ctx)
    sent: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement.lstrip().split()[0].upper() + (" audit" if "audit" in statement else ""))

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        with ctx.db.write() as s:
            user = s.get(User, world.clerk.user_id)
            audit.record(s, ctx, None, "user", user.id, "renamed", {"name": user.display_name}, {"name": "Renamed"})
            user.display_name = "Renamed"  # held by the session until the commit
            audit.record(s, ctx, None, "user", user.id, "looked_at")
            sent.clear()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    # The change, then the chain (on SQLite the head is read first when this process has not
    # written it yet); PostgreSQL appends the events in one call of its function.
    assert sent[0] == "UPDATE" and sent[-1] == ("INSERT audit" if ctx.db.is_sqlite else "SELECT audit"), sent
    assert all("audit" in statement for statement in sent[1:]) and len(sent) <= 3, sent
    with ctx.db.read() as s:
        assert s.get(User, world.clerk.user_id).display_name == "Renamed"
    result = audit.verify_chain(ctx)
    assert result.ok and result.events >= 2


def test_audit_chain_stays_linear_under_concurrent_writers(ctx, db_url):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        db = Database.open(db_url)
        wctx = ServiceContext(db=db, clock=ctx.clock, station=f"S{n}")
        try:
            barrier.wait()
            for i in range(10):
                with db.write() as s:
                    audit.record(s, wctx, None, "race", f"{n}-{i}", "write")
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = audit.verify_chain(ctx)
    assert result.ok and result.events == 40
    with ctx.db.read() as s:
        assert s.execute(select(AuditHead.last_seq)).scalar_one() == 40


def test_sequences_never_hand_out_a_number_twice(ctx, db_url):
    got: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(3)

    def taker() -> None:
        db = Database.open(db_url)
        try:
            barrier.wait()
            for _ in range(10):
                with db.write() as s:
                    value = sequences.next_value(s, "refund")
                with lock:
                    got.append(value)
        finally:
            db.dispose()

    threads = [threading.Thread(target=taker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 31))


def test_a_rolled_back_transaction_gives_its_number_back(ctx):
    with pytest.raises(RuntimeError):
        with ctx.db.write() as s:
            sequences.next_value(s, "credit_note")
            raise RuntimeError("boom")
    with ctx.db.write() as s:
        assert sequences.next_value(s, "credit_note") == 1


def test_on_hand_is_the_sum_of_movements(ctx):
    world = build_world(ctx)
    pid = world.products["EL-1002"]
    with ctx.db.write() as s:
        stock.move(s, ctx, world.inspector, product_id=pid, from_location=Location.AVAILABLE,
                   to_location=Location.SCRAP, quantity=3, reason="test")
        stock.move(s, ctx, world.inspector, product_id=pid, from_location=Location.SCRAP,
                   to_location=Location.RTV, quantity=1, reason="test")
    levels = {lvl.location: lvl.quantity for lvl in stock.stock_levels(ctx, pid)}
    assert levels["available"] == 17 and levels["scrap"] == 2 and levels["rtv"] == 1
    with ctx.db.read() as s, pytest.raises(ValueError):
        stock.move(s, ctx, None, product_id=pid, from_location="available", to_location="scrap",
                   quantity=0, reason="x")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_appends_through_a_view_that_refuses_an_event_off_the_head(ctx, db_url):
    """SQLite writes a transaction's events through the view ``audit_append`` in one statement:
    its trigger refuses, whole, events that do not follow the head, so a process whose idea of the
    head is stale (another process appended since) reads the head and chains again."""
    from sqlalchemy import func, insert, text
    from sqlalchemy.exc import IntegrityError

    from returndesk.store.audit_chain import SQLITE_HEAD_MOVED

    with ctx.db.write() as s:
        audit.record(s, ctx, None, "test", 1, "did")
    other_db = Database.open(db_url)
    try:
        other = ServiceContext(db=other_db, clock=ctx.clock, station="S2")
        with other_db.write() as s:
            audit.record(s, other, None, "test", 2, "did")
            audit.record(s, other, None, "test", 3, "did")
    finally:
        other_db.dispose()
    # This process still assumes the head after event 1: refused, then chained from event 3.
    with ctx.db.write() as s:
        audit.record(s, ctx, None, "test", 4, "did")
    result = audit.verify_chain(ctx)
    assert result.ok and result.events == 4

    with ctx.db.write() as s:
        head = s.execute(select(AuditHead.last_seq, AuditHead.last_hash)).one()
        with pytest.raises(IntegrityError, match=SQLITE_HEAD_MOVED):
            s.connection().execute(insert(audit._APPEND_VIEW), [
                dict(seq=head.last_seq + 1, occurred_at=ctx.now(), user_id=None, username=None, station=None,
                     entity="test", entity_id="5", action="forged", before_json=None, after_json=None,
                     prev_hash="f" * 64, hash="e" * 64, hash_version=2, event_type=None, payload_json=None),
            ])
        # Nothing of the refused statement is left, and the transaction goes on.
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 4
        assert s.execute(text("SELECT last_seq FROM audit_head")).scalar_one() == 4
    assert audit.verify_chain(ctx).ok


def _display_name(ctx, user_id: int) -> str:
    with ctx.db.read() as s:
        return s.get(User, user_id).display_name


def test_a_write_that_raises_or_whose_commit_fails_leaves_nothing_and_the_next_write_commits(ctx):
    """A write commits at the end of its block: its changes, what a ``before_commit`` listener
    changes (flushed before the commit), and its audit events, then its objects leave the session.
    A block that raises, or a commit whose listener raises, rolls all of it back and the error
    reaches the caller; the next write goes through on the same database."""
    world = build_world(ctx)
    user_id = world.clerk.user_id
    events = audit.verify_chain(ctx).events

    with pytest.raises(ZeroDivisionError), ctx.db.write() as s:
        s.get(User, user_id).display_name = "Raised in the block"
        audit.record(s, ctx, None, "user", user_id, "renamed")
        raise ZeroDivisionError

    def refuse(session):
        raise RuntimeError("refused at commit")

    with pytest.raises(RuntimeError, match="refused at commit"), ctx.db.write() as s:
        event.listen(s, "before_commit", refuse)
        s.get(User, user_id).display_name = "Refused at commit"
        audit.record(s, ctx, None, "user", user_id, "renamed")
    assert _display_name(ctx, user_id) != "Refused at commit" and audit.verify_chain(ctx).events == events

    def late_change(session):
        session.get(User, user_id).display_name = "Changed at commit"  # flushed before the commit

    committed: list[str] = []
    with ctx.db.write() as s:
        event.listen(s, "before_commit", late_change)
        event.listen(s, "after_commit", lambda session: committed.append(_display_name(ctx, user_id)))
        user = s.get(User, user_id)
        audit.record(s, ctx, None, "user", user_id, "renamed")
    assert committed == ["Changed at commit"]  # after_commit heard once the change is in the database
    assert inspect(user).detached and not s.in_transaction()
    assert _display_name(ctx, user_id) == "Changed at commit"
    result = audit.verify_chain(ctx)
    assert result.ok and result.events == events + 1
