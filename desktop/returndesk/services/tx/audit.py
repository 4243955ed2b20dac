"""The append-only audit trail, chained by SHA-256 hashes.

Each event's hash covers its own content and the previous event's hash, so changing or deleting any
event breaks every link after it. The single ``audit_head`` row is locked (``FOR UPDATE``; on SQLite
the write transaction is already exclusive) while a transaction's events are appended, just before
it commits, which gives the chain one total order across all stations.

On PostgreSQL the database appends them: one call of the ``SECURITY DEFINER`` function of
:mod:`returndesk.store.audit_chain` takes the transaction's events, assigns their sequence numbers
and hashes, and writes them with their webhook outbox rows; the server's login has no other way to
write the chain. On SQLite the same format is computed here.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Table, event, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from returndesk.domain.localtime import as_utc
from returndesk.domain.messages import msg
from returndesk.domain.permissions import Permission
from returndesk.domain.events import event_type
from returndesk.store import audit_chain
from returndesk.store.engine import root_engine
from returndesk.store.schema import AuditEvent, AuditHead, OutboxEvent
from returndesk.store.select_rows import run_driver_sql, session_connection, write_rows

from returndesk.services.tx.context import Actor, ServiceContext

GENESIS = "0" * 64


_canonical = audit_chain.canonical_json


def event_hash(
    *, seq: int, occurred_at: datetime, user_id: int | None, username: str | None,
    station: str | None, entity: str, entity_id: str, action: str,
    before_json: str | None, after_json: str | None, prev_hash: str,
    version: int = audit_chain.CURRENT_VERSION,
) -> str:
    """The hash of one event in the format ``version`` (the current one unless said otherwise).

    Naive UTC from SQLite, aware in the session's zone from PostgreSQL: the canonical UTC text the
    hash covers is the same for one instant either way.
    """
    return audit_chain.HASHES[version](
        seq=seq, occurred_at=occurred_at, user_id=user_id, username=username, station=station,
        entity=entity, entity_id=entity_id, action=action, before_json=before_json,
        after_json=after_json, prev_hash=prev_hash,
    )


_PENDING = "returndesk_audit_pending"


def record(
    session: Session,
    ctx: ServiceContext,
    actor: Actor | None,
    entity: str,
    entity_id: int | str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit event to the caller's transaction.

    The event is chained when the transaction commits (see :func:`_append_pending`): the lock on
    the chain's head — one row for all stations — is then held only for the moment of the append,
    not for the whole transaction, so stations do not queue behind each other's work.
    """
    session.info.setdefault(_PENDING, []).append(audit_chain.event_fields(
        occurred_at=as_utc(ctx.now()),
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else None,
        station=(actor.station if actor and actor.station else ctx.station),
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
    ))


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    """Chain the transaction's audit events, in the order they were recorded, just before commit."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    outbox = []
    for fields in pending:
        published = event_type(fields["entity"], fields["action"])
        outbox.append((published, _outbox_payload(published, fields) if published is not None else None))
    # The session's changes first, as its own execution of a statement would flush them: on
    # PostgreSQL the append locks the chain's head until the commit, so it is taken after every
    # row lock of the transaction, never before one that another transaction holding the head
    # waits for. (SQLite's write lock is the whole database's from the transaction's start.)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        append_in_database(session, pending, outbox)
        return
    _append_here(session, pending, outbox)


# engine -> (last_seq, last_hash) of the chain's head as this process last wrote it (SQLite).
_heads: weakref.WeakKeyDictionary[Engine, tuple[int, str]] = weakref.WeakKeyDictionary()
_heads_lock = threading.Lock()


#: SQLite's view through which a transaction's events, their outbox rows and the head are written
#: in one INSERT (its trigger checks each event against the head, migration 0008).
_APPEND_VIEW = Table(
    audit_chain.SQLITE_APPEND_VIEW, MetaData(),
    *(Column(c.name, c.type) for c in AuditEvent.__table__.columns),
    Column("event_type", OutboxEvent.__table__.c.event_type.type),
    Column("payload_json", OutboxEvent.__table__.c.payload_json.type),
)
_APPEND = insert(_APPEND_VIEW)


def _append_here(session: Session, pending: list[dict[str, Any]],
                 outbox: list[tuple[str | None, str | None]]) -> None:
    """Chain the events in this process (SQLite), in one statement (an executemany).

    The head this process wrote last is assumed: the events are hashed from it and inserted into
    the view ``audit_append``, whose trigger refuses the whole INSERT unless each event follows
    the head as it stands (its sequence one past the head's, its previous hash the head's), and
    writes the event, its webhook outbox row and the new head. SQLite's write transaction is
    exclusive, so once the insert went through no other connection can move the head before this
    transaction ends. When another process (or a rolled-back commit) moved it, the refused insert
    left nothing behind: the head is read and the events chained again from it.
    """
    conn = session_connection(session)
    engine = root_engine(conn)

    def chained(seq: int, prev: str) -> tuple[list[dict[str, Any]], int, str]:
        # The view's rows: each event with its webhook outbox row's type and body (None: not published).
        return audit_chain.append_view_rows(pending, outbox, seq, prev)

    def insert_all(rows: list[dict[str, Any]]) -> None:
        # One executemany of a statement compiled once. Only the first event can be refused (the
        # trigger moves the head on to each event written, and no one else can meanwhile), and a
        # refused row is undone with nothing written before it.
        write_rows(conn, _APPEND, rows)

    with _heads_lock:
        assumed = _heads.get(engine)
    done = None
    if assumed is not None:
        done = chained(*assumed)
        try:
            insert_all(done[0])
        except IntegrityError as exc:
            if audit_chain.SQLITE_HEAD_MOVED not in str(exc.orig):
                raise
            done = None
    if done is None:
        head = conn.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
        done = chained(head.last_seq, head.last_hash)
        insert_all(done[0])
    _, seq, prev = done
    with _heads_lock:
        _heads[engine] = (seq, prev)


_APPEND_SQL = text(audit_chain.APPEND_CALL)
#: :data:`_APPEND_SQL` in the driver's style of named parameters (psycopg's ``%(name)s``), by dialect.
_APPEND_DRIVER_SQL: dict[str, str] = {}


def append_in_database(session: Session, pending: list[dict[str, Any]],
                        outbox: list[tuple[str | None, str | None]]) -> None:
    """One call of the database's append function for the whole transaction (PostgreSQL), sent
    on the driver's cursor (its values are lists SQLAlchemy would hand to the driver as they
    are), after the session's changes are flushed (see :func:`_append_pending`)."""
    params = audit_chain.append_parameters(pending, outbox)
    # Aware UTC: a naive value would be read in the session's time zone by the cast to timestamptz.
    params["occurred_at"] = [as_utc(value) for value in params["occurred_at"]]
    session.flush()  # nothing left when called from _append_pending
    conn = session_connection(session)
    sql = _APPEND_DRIVER_SQL.get(conn.dialect.name)
    if sql is None:
        compiled = _APPEND_SQL.compile(dialect=conn.dialect)
        if compiled.positional:  # the values are given by name
            raise RuntimeError(f"the audit append needs a driver with named parameters, not {conn.dialect.driver}")
        sql = _APPEND_DRIVER_SQL[conn.dialect.name] = compiled.string
    run_driver_sql(conn, sql, params)


_outbox_payload = audit_chain.webhook_payload



@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    """A rolled-back transaction leaves no audit event behind."""
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    events: int
    first_broken_seq: int | None
    message: str


def verify_chain(ctx: ServiceContext, actor: Actor | None = None, batch: int = 5000) -> ChainVerification:
    """Walk the whole chain and report the first event whose link or content does not match."""
    if actor is not None:
        actor.require(Permission.VERIFY_AUDIT)
    prev = GENESIS
    expected_seq = 1
    count = 0
    with ctx.read(actor) as s:
        last = 0
        while True:
            rows = s.execute(
                select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
            ).scalars().all()
            if not rows:
                break
            for ev in rows:
                if ev.seq != expected_seq:
                    return ChainVerification(False, count, expected_seq,
                                             msg("Audit event {seq} is missing (next is {next}).", seq=expected_seq,
                                                 next=ev.seq))
                if ev.prev_hash != prev:
                    return ChainVerification(False, count, ev.seq,
                                             msg("Audit event {seq} does not link to event {before}.", seq=ev.seq,
                                                 before=ev.seq - 1))
                if ev.hash_version not in audit_chain.HASHES:
                    return ChainVerification(False, count, ev.seq,
                                             msg("Audit event {seq} names a hash format ({version}) that this "
                                                 "ReturnDesk does not know.", seq=ev.seq, version=ev.hash_version))
                digest = event_hash(
                    seq=ev.seq, occurred_at=ev.occurred_at, user_id=ev.user_id, username=ev.username,
                    station=ev.station, entity=ev.entity, entity_id=ev.entity_id, action=ev.action,
                    before_json=ev.before_json, after_json=ev.after_json, prev_hash=ev.prev_hash,
                    version=ev.hash_version,
                )
                if digest != ev.hash:
                    return ChainVerification(False, count, ev.seq,
                                             msg("Audit event {seq} was altered: its content does not match its hash.",
                                                 seq=ev.seq))
                prev = ev.hash
                expected_seq += 1
                count += 1
                last = ev.seq
        head = s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
        if head is not None and (head.last_seq != count or head.last_hash != prev):
            return ChainVerification(False, count, count + 1,
                                     msg("The audit chain ends at event {count}, but the head records event "
                                         "{last_seq}: events were removed from the end.", count=count,
                                         last_seq=head.last_seq))
    return ChainVerification(True, count, None, msg("The audit chain of {count} events is intact.", count=count))
