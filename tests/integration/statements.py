"""Counting the SQL statements a use case sends to the database.

``with count_statements(ctx) as counted: use_case(...)`` then ``counted.n`` (and
``counted.statements`` to see them). Every statement the engine hands to the driver counts
(SELECT, INSERT, UPDATE, DELETE, locks, savepoints), through SQLAlchemy's ``before_cursor_execute``
event on ``ctx``'s engine; an ``executemany`` counts once, as it is one round trip. A transaction's
``BEGIN`` does not count: SQLite gets it as a statement, PostgreSQL's driver starts transactions
without one, and the counts are the same on both. Statement budgets catch an N+1 that would
otherwise come back silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from returndesk.services.tx.context import ServiceContext


@dataclass
class CountedStatements:
    statements: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.statements)

    def listing(self) -> str:
        """The statements, one per line (first 160 characters), for a failing assertion."""
        return "\n".join(f"{i:3}. {' '.join(sql.split())[:160]}" for i, sql in enumerate(self.statements, 1))


@contextmanager
def count_statements(ctx: ServiceContext) -> Iterator[CountedStatements]:
    counted = CountedStatements()

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("BEGIN"):
            counted.statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        yield counted
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
