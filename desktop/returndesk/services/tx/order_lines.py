"""The order lines a flush changes, written in one UPDATE.

Order lines carry the running totals of returns (``qty_in_process``, ``qty_returned``,
``refunded_minor``) and a version column: the ORM writes each changed line with its own
``UPDATE ... WHERE id = ? AND version = ?``, one statement per line, because a batch of versioned
updates cannot tell which row missed its version. Here every changed order line of a flush is
written by one statement before the flush: each column set by ``CASE id WHEN ... END``, the
version moved on, and each line's version checked in the ``WHERE`` (``CASE id WHEN ... THEN the
version read``). The statement must match every line, else nothing of the transaction is kept
(``StaleDataError``, which the use cases report as another station's change, as the ORM's own
check does). The lines' new values then count as written, so the flush leaves them alone.

The use cases lock the order lines they change (``FOR UPDATE``, in id order: the lock order of
``intake`` and ``settlement``) before they read them, so this statement takes no lock of its own.
A single changed line, or a line whose version or relationships were changed by hand, is left
to the ORM (its own statement is one as well).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, case, event, literal, update
from sqlalchemy.orm import Session, UOWTransaction, attributes
from sqlalchemy.orm.exc import StaleDataError

from returndesk.store.schema import Base, SalesOrderLine

_TABLE: Table = Base.metadata.tables[SalesOrderLine.__tablename__]
_COLUMN_KEYS = frozenset(attr.key for attr in SalesOrderLine.__mapper__.column_attrs)


def changes(line: SalesOrderLine) -> dict[str, Any] | None:
    """The columns ``line`` changed since it was read (``{key: new value}``), None when it
    cannot be written here."""
    state = attributes.instance_state(line)
    if not state.committed_state or "version" not in state.dict or "id" not in state.dict:
        return None
    if not set(state.committed_state) <= _COLUMN_KEYS or "version" in state.committed_state:
        return None
    changed = {}
    for key in state.committed_state:
        history = attributes.get_history(line, key, passive=attributes.PASSIVE_NO_INITIALIZE)
        if history.has_changes():
            changed[key] = history.added[0] if history.added else None
    return changed


@event.listens_for(Session, "before_flush")
def _write_order_lines_together(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    lines: list[tuple[SalesOrderLine, dict[str, Any]]] = []
    for obj in session.dirty:
        if type(obj) is SalesOrderLine:
            changed = changes(obj)
            if changed:
                lines.append((obj, changed))
    if len(lines) < 2:
        return
    write_lines(session, lines)


def write_lines(session: Session, lines: list[tuple[SalesOrderLine, dict[str, Any]]]) -> None:
    """Write ``lines`` (two or more, each with its :func:`changes`) in one statement, each
    line's version checked and moved on; the lines then hold their values as written."""
    lines.sort(key=lambda pair: pair[0].id)
    keys = sorted({key for _, changed in lines for key in changed})
    values: dict[Any, Any] = {}
    for key in keys:
        column = _TABLE.c[SalesOrderLine.__mapper__.get_property(key).columns[0].name]
        values[column] = case(
            {line.id: literal(changed[key], column.type) for line, changed in lines if key in changed},
            value=_TABLE.c.id, else_=column,
        )
    values[_TABLE.c.version] = _TABLE.c.version + 1
    read_version = case({line.id: literal(line.version, _TABLE.c.version.type) for line, _ in lines},
                        value=_TABLE.c.id)
    result = session.connection().execute(
        update(_TABLE)
        .where(_TABLE.c.id.in_([line.id for line, _ in lines]), _TABLE.c.version == read_version)
        .values(values)
    )
    if result.rowcount != len(lines):
        raise StaleDataError(
            f"UPDATE statement on table 'sales_order_lines' expected to update {len(lines)} row(s); "
            f"{result.rowcount} were matched."
        )
    for line, changed in lines:
        new_version = line.version + 1
        for key, value in changed.items():
            attributes.set_committed_value(line, key, value)
        attributes.set_committed_value(line, "version", new_version)
