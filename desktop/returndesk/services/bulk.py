"""Writing many rows at once (imports of sales, demo and benchmark data).

Rows are inserted with Core ``executemany`` in the caller's transaction. Their ids are taken up
front so that rows of several tables can refer to each other without a round trip per row:

* SQLite: the write transaction (``BEGIN IMMEDIATE``) already excludes every other writer, so the
  next id is simply ``max(id) + 1``.
* PostgreSQL: the tables are locked against concurrent inserts for the rest of the transaction
  (readers are not blocked), ids continue after ``max(id)``, and the id sequences are moved past
  them so that later ordinary inserts do not collide.

Audit events are appended with the same hash chain as :func:`returndesk.services.audit.record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from returndesk.store.schema import AuditEvent, AuditHead, Base, NumberSequence

from .audit import event_hash

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

    The same row lock as :func:`returndesk.services.sequences.next_value`, so numbers never repeat.
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


def insert_rows(session: Session, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into table ``name`` in chunks."""
    if not rows:
        return
    stmt = insert(table(name))
    for start in range(0, len(rows), CHUNK):
        session.execute(stmt, list(rows[start:start + CHUNK]))


def canonical_json(value: Any) -> str | None:
    """The JSON text audit events store (same as ``audit.record``)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class AuditAppender:
    """Appends audit events to the hash chain in bulk, inside the caller's transaction.

    The chain head is locked when the appender is created and moved when :meth:`flush` runs, so
    the events chain exactly as if :func:`audit.record` had written them one by one.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
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
        self.seq += 1
        fields = dict(
            seq=self.seq, occurred_at=occurred_at, user_id=user_id, username=username,
            station=station, entity=entity, entity_id=str(entity_id), action=action,
            before_json=canonical_json(before), after_json=canonical_json(after),
            prev_hash=self.prev,
        )
        digest = event_hash(**fields)
        fields["hash"] = digest
        self.prev = digest
        self.rows.append(fields)

    def flush(self) -> int:
        """Write the queued events and move the chain head; returns how many were written."""
        count = len(self.rows)
        if count:
            insert_rows(self.session, AuditEvent.__tablename__, self.rows)
            self.session.execute(
                update(AuditHead).where(AuditHead.id == 1).values(last_seq=self.seq, last_hash=self.prev)
            )
            self.session.expire(self.head)
            self.rows = []
        return count
