"""Gap-free document numbers (RMA, refunds, credit notes, journal entries, replacement orders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, case, select, update
from sqlalchemy.orm import Session

from returndesk.domain.scan import format_rma
from returndesk.store.schema import Base, NumberSequence
from returndesk.store.select_rows import session_connection, write_returning

SEQUENCES = ("rma", "refund", "credit_note", "journal", "replacement", "customer", "no_receipt", "cash_shift")


_TABLE: Table = Base.metadata.tables[NumberSequence.__tablename__]
_SEQUENCES = _TABLE.c
#: The next number of one sequence (parameter ``sequence``), taken by a single UPDATE ... RETURNING.
#: The numbers are taken on the session's connection, as Core statements: no use case holds a
#: sequence's row as an object, and through the session the statement would first flush whatever
#: the use case has changed so far by the unit of work (which its ``write_changes`` writes more
#: cheaply at its end).
_NEXT_VALUE = (
    update(_TABLE).where(_SEQUENCES.name == bindparam("sequence"))
    .values(next_value=_SEQUENCES.next_value + 1).returning(_SEQUENCES.next_value)
)
#: :func:`next_values`' statements, by the tuple of names (a handful of combinations in all).
_NEXT_VALUES: dict[tuple[str, ...], Any] = {}


def next_value(session: Session, name: str) -> int:
    """Take the next number of sequence ``name`` inside the caller's transaction.

    A single UPDATE ... RETURNING locks the row until commit, so two stations never get the same
    number, and a rolled-back transaction gives its number back.
    """
    rows = write_returning(session_connection(session), _NEXT_VALUE, {"sequence": name})
    value = rows[0][0] if rows else None
    if value is None:
        raise LookupError(f"number sequence {name!r} is missing; run 'returndesk db upgrade'")
    return int(value) - 1


_LOCK_SEQUENCE = select(_SEQUENCES.next_value).where(_SEQUENCES.name == bindparam("sequence")).with_for_update()


def lock_sequence(session: Session, name: str) -> None:
    """Lock the row of sequence ``name`` until the caller's transaction ends, taking no number:
    whoever looks for a row before numbering a new one (a customer by phone) looks again after
    this, and two stations never both create it."""
    session_connection(session).execute(_LOCK_SEQUENCE, {"sequence": name})


def next_values(session: Session, names: Sequence[str]) -> dict[str, int]:
    """Take the next number of each sequence of ``names`` in one statement: ``{name: number}``.

    The rows are locked in the order of ``names`` (a locking subquery sorted by that order, then the
    UPDATE ... RETURNING), so a caller that passes them in the fixed order of the money
    transactions (``settlement``'s module docstring) waits on other stations exactly as taking
    them one by one would. Gap-free as :func:`next_value`: a rolled-back transaction gives them back.
    """
    if not names:
        return {}
    rows = write_returning(session_connection(session), _next_values_statement(tuple(names)), {})
    taken = {name: int(value) - 1 for name, value in rows}
    missing = [name for name in names if name not in taken]
    if missing:
        raise LookupError(f"number sequence {missing[0]!r} is missing; run 'returndesk db upgrade'")
    return taken


def _next_values_statement(names: tuple[str, ...]) -> Any:
    """The statement of :func:`next_values` for ``names`` (built once per tuple of known names)."""
    found = _NEXT_VALUES.get(names)
    if found is None:
        position = case({name: i for i, name in enumerate(names)}, value=_SEQUENCES.name)
        locked = (
            select(_SEQUENCES.name).where(_SEQUENCES.name.in_(names))
            .order_by(position).with_for_update()
        )
        found = (
            update(_TABLE)
            .where(_SEQUENCES.name.in_(locked.scalar_subquery()))
            .values(next_value=_SEQUENCES.next_value + 1)
            .returning(_SEQUENCES.name, _SEQUENCES.next_value)
        )
        if set(names) <= set(SEQUENCES):
            _NEXT_VALUES[names] = found
    return found


def document_no(prefix: str, year: int, value: int) -> str:
    """E.g. ``CN-2026-000042`` for ``("CN", 2026, 42)``."""
    return f"{prefix}-{year}-{value:06d}"


def next_rma(session: Session) -> str:
    return format_rma(next_value(session, "rma"))


def next_document_no(session: Session, name: str, prefix: str, year: int) -> str:
    """E.g. ``CN-2026-000042``."""
    return document_no(prefix, year, next_value(session, name))
