"""Writing many rows at once (imports of sales, demo and benchmark data).

Rows are inserted with Core ``executemany`` in the caller's transaction. Their ids are taken up
front so that rows of several tables can refer to each other without a round trip per row:

* SQLite: the write transaction (``BEGIN IMMEDIATE``) already excludes every other writer, so the
  next id is simply ``max(id) + 1``.
* PostgreSQL: the tables are locked against concurrent inserts for the rest of the transaction
  (readers are not blocked), ids continue after ``max(id)``, and the id sequences are moved past
  them so that later ordinary inserts do not collide.

Audit events are appended with the same hash chain as :func:`returndesk.services.tx.audit.record`.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from returndesk.store.engine import note_driver_write
from returndesk.store.audit_chain import CURRENT_VERSION
from returndesk.store.schema import AuditEvent, AuditHead, Base, NumberSequence

from returndesk.services.tx.audit import append_in_database, event_hash

#: Rows per executemany call: large enough to amortise the round trip, small enough for memory.
CHUNK = 5000


def table(name: str) -> Table:
    """The Core table of the schema called ``name``."""
    return Base.metadata.tables[name]


class IdAllocator:
    """Hands out primary keys for rows inserted in bulk within one transaction."""

    def __init__(self, session: Session, tables: Iterable[str]) -> None:
        self.session = session
        self.is_pg = session.get_bind().dialect.name == "postgresql"
        names = sorted(set(tables))
        if self.is_pg and names:
            quoted = ", ".join(f'"{n}"' for n in names)
            # SHARE ROW EXCLUSIVE: no one else inserts into these tables until we commit, readers go on.
            session.execute(text(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE"))
        self._next: dict[str, int] = {}
        for name in names:
            t = table(name)
            top = session.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()
            self._next[name] = int(top) + 1

    def take(self, name: str, count: int = 1) -> int:
        """Reserve ``count`` consecutive ids of ``name``; returns the first."""
        first = self._next[name]
        self._next[name] = first + count
        return first

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids handed out (SQLite needs nothing)."""
        if not self.is_pg:
            return
        for name, nxt in self._next.items():
            if nxt <= 1:
                continue
            # Safe while the table lock is held: no row above ``nxt - 1`` exists.
            self.session.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": name, "v": nxt - 1}
            )


def reserve_numbers(session: Session, name: str, count: int) -> int:
    """Take ``count`` consecutive values of number sequence ``name``; returns the first.

    The same row lock as :func:`returndesk.services.tx.sequences.next_value`, so numbers never repeat.
    """
    if count <= 0:
        raise ValueError("reserve at least one number")
    value = session.execute(
        update(NumberSequence)
        .where(NumberSequence.name == name)
        .values(next_value=NumberSequence.next_value + count)
        .returning(NumberSequence.next_value)
    ).scalar_one_or_none()
    if value is None:
        raise LookupError(f"number sequence {name!r} is missing; run 'returndesk db upgrade'")
    return int(value) - count


_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(session: Session, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into table ``name``, in the session's transaction.

    Values are converted by the same bind processors the column types apply in an ordinary Core
    insert (SQLite keeps timestamps as text, for instance), but once per value in a tight loop
    instead of through the per-row machinery of a Core statement: for the millions of rows of a
    load test that machinery costs more than the database does. SQLite gets one prepared INSERT
    run with the DBAPI's ``executemany`` per chunk; PostgreSQL (psycopg) gets ``COPY ... FROM
    STDIN`` on the same connection, so the rows are still part of the transaction.
    """
    if not rows:
        return
    t = table(name)
    conn = session.connection()
    dialect = conn.dialect
    columns = list(rows[0])
    placeholder = _PLACEHOLDER.get(dialect.paramstyle)
    if placeholder is None:  # pragma: no cover - both supported drivers use one of the above
        stmt = insert(t)
        for start in range(0, len(rows), CHUNK):
            session.execute(stmt, list(rows[start:start + CHUNK]))
        return
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(t.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([placeholder] * len(columns))})")
    processed = [(i, proc) for i, c in enumerate(columns)
                 if (proc := t.c[c].type._cached_bind_processor(dialect)) is not None]
    getter = operator.itemgetter(*columns)
    if len(columns) == 1:
        values: list[Any] = [(getter(row),) for row in rows]
    elif not processed:
        values = [getter(row) for row in rows]
    else:
        values = []
        for row in rows:
            value = list(getter(row))
            for i, proc in processed:
                if value[i] is not None:
                    value[i] = proc(value[i])
            values.append(tuple(value))
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        # PostgreSQL's COPY takes the rows as one stream: many times faster than row-by-row INSERTs.
        raw = conn.connection.dbapi_connection
        assert raw is not None  # a live connection inside the transaction
        note_driver_write(conn)  # unseen by SQLAlchemy: the transaction is rolled back should it fail
        cursor = raw.cursor()
        copy_sql = f"COPY {quote(t.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            for value in values:
                copy.write_row(value)
        cursor.close()
        return
    for start in range(0, len(values), CHUNK):
        conn.exec_driver_sql(sql, values[start:start + CHUNK])


# json.dumps with these arguments builds a new encoder per call; one encoder serves them all.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical_json(value: Any) -> str | None:
    """The JSON text audit events store (the same text as ``audit.record`` writes)."""
    if value is None:
        return None
    return _CANONICAL.encode(value)


class AuditAppender:
    """Appends audit events to the hash chain in bulk, inside the caller's transaction.

    The chain head is locked when the appender is created and moved when :meth:`flush` runs, so
    the events chain exactly as if :func:`audit.record` had written them one by one. A PostgreSQL
    login that may not write the audit trail itself (the server's) appends through the database's
    append function instead, which does the same in the database.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.through_function = session.get_bind().dialect.name == "postgresql" and not session.execute(
            text("SELECT has_table_privilege('audit_events', 'INSERT')")).scalar_one()
        self.head: AuditHead | None = None
        self.seq = 0
        self.prev = ""
        if not self.through_function:
            self.head = session.execute(
                select(AuditHead).where(AuditHead.id == 1).with_for_update()
            ).scalar_one()
            self.seq = self.head.last_seq
            self.prev = self.head.last_hash
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        *,
        occurred_at: datetime,
        user_id: int | None,
        username: str | None,
        station: str | None,
        entity: str,
        entity_id: int | str,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Queue one event; its hash covers the previous event's hash."""
        fields: dict[str, Any] = dict(
            occurred_at=occurred_at, user_id=user_id, username=username,
            station=station, entity=entity, entity_id=str(entity_id), action=action,
            before_json=canonical_json(before), after_json=canonical_json(after),
        )
        if not self.through_function:
            self.seq += 1
            fields.update(seq=self.seq, prev_hash=self.prev)
            digest = event_hash(**fields)
            fields["hash"] = digest
            fields["hash_version"] = CURRENT_VERSION
            self.prev = digest
        self.rows.append(fields)

    def flush(self) -> int:
        """Write the queued events and move the chain head; returns how many were written."""
        count = len(self.rows)
        if not count:
            return 0
        if self.through_function:
            for start in range(0, count, CHUNK):
                chunk = self.rows[start:start + CHUNK]
                append_in_database(self.session, chunk, [(None, None)] * len(chunk))
        else:
            insert_rows(self.session, AuditEvent.__tablename__, self.rows)
            self.session.execute(
                update(AuditHead).where(AuditHead.id == 1).values(last_seq=self.seq, last_hash=self.prev)
            )
            assert self.head is not None
            self.session.expire(self.head)
        self.rows = []
        return count
