"""Gap-free document numbers (RMA, refunds, credit notes, journal entries, replacement orders)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from returndesk.domain.scan import format_rma
from returndesk.store.schema import NumberSequence

SEQUENCES = ("rma", "refund", "credit_note", "journal", "replacement", "customer", "no_receipt", "cash_shift")


def next_value(session: Session, name: str) -> int:
    """Take the next number of sequence ``name`` inside the caller's transaction.

    A single UPDATE ... RETURNING locks the row until commit, so two stations never get the same
    number, and a rolled-back transaction gives its number back.
    """
    value = session.execute(
        update(NumberSequence)
        .where(NumberSequence.name == name)
        .values(next_value=NumberSequence.next_value + 1)
        .returning(NumberSequence.next_value)
    ).scalar_one_or_none()
    if value is None:
        raise LookupError(f"number sequence {name!r} is missing; run 'returndesk db upgrade'")
    return int(value) - 1


def next_rma(session: Session) -> str:
    return format_rma(next_value(session, "rma"))


def next_document_no(session: Session, name: str, prefix: str, year: int) -> str:
    """E.g. ``CN-2026-000042``."""
    return f"{prefix}-{year}-{next_value(session, name):06d}"
