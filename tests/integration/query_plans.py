"""Recording the SELECTs a use case runs and asking the database how it would run them.

"Never a full table scan" is checked, not hoped for: each recorded statement is explained with its
own parameters, on SQLite with ``EXPLAIN QUERY PLAN`` and on PostgreSQL with ``EXPLAIN`` after
``SET enable_seqscan = off`` (the planner then uses an index wherever one can serve the query, so a
remaining ``Seq Scan`` means no index can). Small tests tables would otherwise make a sequential
scan the cheaper plan and hide a missing index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from returndesk.store.engine import Database

#: Tables that grow with the business; small reference tables (reasons, policies) may be scanned.
GROWING_TABLES = frozenset(
    {"customers", "sales_orders", "sales_order_lines", "returns", "return_lines", "products",
     "audit_events", "stock_movements"}
)


@contextmanager
def recorded_selects(db: Database) -> Iterator[list[tuple[str, object]]]:
    """Collect (statement, parameters) of every SELECT run on ``db`` inside the block."""
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def full_scans(db: Database, statements: list[tuple[str, object]]) -> list[str]:
    """Plan lines that read a whole growing table, with the statement they belong to."""
    bad: list[str] = []
    with db.engine.connect() as conn:
        if db.is_sqlite:
            for statement, params in statements:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                for row in rows:
                    detail = str(row[-1])
                    m = re.match(r"SCAN (\w+)", detail)
                    if m and m.group(1) in GROWING_TABLES:
                        bad.append(f"{detail}  <-  {statement.strip()[:200]}")
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            for statement, params in statements:
                rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
                for (line,) in rows:
                    m = re.search(r"Seq Scan on (\w+)", line)
                    if m and m.group(1) in GROWING_TABLES:
                        bad.append(f"{line.strip()}  <-  {statement.strip()[:200]}")
            conn.rollback()
    return bad
