"""Gap-free document numbers (RMA, refunds, credit notes, journal entries, replacement orders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import Session

from returndesk.domain.scan import format_rma
from returndesk.store.schema import NumberSequence

SEQUENCES = ("rma", "refund", "credit_note", "journal", "replacement", "customer", "no_receipt", "cash_shift")


#: The next number of one sequence (parameter ``sequence``), taken by a single UPDATE ... RETURNING.
#: The session's objects are left alone (``synchronize_session=False``): no use case holds a
#: sequence's row, and the ORM could not match a bound parameter's value against them anyway.
_NEXT_VALUE = (
    update(NumberSequence).where(NumberSequence.name == bindparam("sequence"))
    .values(next_value=NumberSequence.next_value + 1).returning(NumberSequence.next_value)
    .execution_options(synchronize_session=False)
)
#: :func:`next_values`' statements, by the tuple of names (a handful of combinations in all).
_NEXT_VALUES: dict[tuple[str, ...], Any] = {}


def next_value(session: Session, name: str) -> int:
    """Take the next number of sequence ``name`` inside the caller's transaction.

    A single UPDATE ... RETURNING locks the row until commit, so two stations never get the same
    number, and a rolled-back transaction gives its number back.
    """
    value = session.execute(_NEXT_VALUE, {"sequence": name}).scalar_one_or_none()
    if value is None:
        raise LookupError(f"number sequence {name!r} is missing; run 'returndesk db upgrade'")
    return int(value) - 1


def next_values(session: Session, names: Sequence[str]) -> dict[str, int]:
    """Take the next number of each sequence of ``names`` in one statement: ``{name: number}``.

    The rows are locked in the order of ``names`` (a locking subquery sorted by that order, then the
    UPDATE ... RETURNING), so a caller that passes them in the fixed order of the money
    transactions (``settlement``'s module docstring) waits on other stations exactly as taking
    them one by one would. Gap-free as :func:`next_value`: a rolled-back transaction gives them back.
    """
    if not names:
        return {}
    rows = session.execute(_next_values_statement(tuple(names))).all()
    taken = {name: int(value) - 1 for name, value in rows}
    missing = [name for name in names if name not in taken]
    if missing:
        raise LookupError(f"number sequence {missing[0]!r} is missing; run 'returndesk db upgrade'")
    return taken


def _next_values_statement(names: tuple[str, ...]) -> Any:
    """The statement of :func:`next_values` for ``names`` (built once per tuple of known names)."""
    found = _NEXT_VALUES.get(names)
    if found is None:
        position = case({name: i for i, name in enumerate(names)}, value=NumberSequence.name)
        locked = (
            select(NumberSequence.name).where(NumberSequence.name.in_(names))
            .order_by(position).with_for_update()
        )
        found = (
            update(NumberSequence)
            .where(NumberSequence.name.in_(locked.scalar_subquery()))
            .values(next_value=NumberSequence.next_value + 1)
            .returning(NumberSequence.name, NumberSequence.next_value)
            .execution_options(synchronize_session=False)
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
