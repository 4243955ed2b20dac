"""Store credit as a customer's balance.

A refund paid as store credit adds its amount to the customer's balance (a sale without a customer
on record gives a voucher instead: the liability is booked, no balance is kept) (an entry in
``store_credit_entries``; the journal already credits ``2203`` store-credit liability). Spending
it takes an amount off (a negative entry) and posts ``Dr 2203 / Cr 1122``: the credit settles what
the customer owes on their account, such as an exchange's difference to collect. The balance is
the sum of the entries and never goes below zero: spending locks the customer's row, so two
counters cannot spend the same credit twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from returndesk.domain.errors import NotFound, PolicyViolation, ValidationFailed
from returndesk.domain.money import format_money
from returndesk.domain.permissions import RETURN_READERS, Permission, require_any
from returndesk.domain.postings import store_credit_spent_postings
from returndesk.services.tx import audit
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases import finance
from returndesk.store.schema import Customer, StoreCreditEntry
from returndesk.domain.messages import dump_text, load_text, msg

#: Entries shown with a balance (the newest).
RECENT = 20


@dataclass(frozen=True)
class StoreCreditEntryView:
    id: int
    created_at: datetime
    amount_minor: int  # positive: issued; negative: spent
    reference: str | None
    memo: str | None


@dataclass(frozen=True)
class StoreCreditBalance:
    """A customer's store credit: the balance and the newest movements."""

    customer_id: int
    balance_minor: int
    currency: str
    entries: tuple[StoreCreditEntryView, ...]


def _balance(session: Session, customer_id: int) -> int:
    return int(session.execute(
        select(func.coalesce(func.sum(StoreCreditEntry.amount_minor), 0))
        .where(StoreCreditEntry.customer_id == customer_id)
    ).scalar_one())


def issue_in(session: Session, ctx: ServiceContext, actor: Actor | None, customer_id: int, amount_minor: int, *,
             currency: str = "CNY", refund_id: int | None = None, reference: str | None = None,
             memo: str | None = None) -> None:
    """Add store credit to a customer's balance inside the caller's transaction (a refund)."""
    session.add(StoreCreditEntry(
        customer_id=customer_id, amount_minor=amount_minor, currency=currency, refund_id=refund_id,
        reference=reference, memo=dump_text(memo, 200) if memo else None, created_at=ctx.now(),
        created_by=actor.user_id if actor is not None else None,
    ))


def _view(session: Session, customer_id: int) -> StoreCreditBalance:
    rows = session.execute(
        select(StoreCreditEntry).where(StoreCreditEntry.customer_id == customer_id)
        .order_by(StoreCreditEntry.id.desc()).limit(RECENT)
    ).scalars().all()
    currency = rows[0].currency if rows else "CNY"
    return StoreCreditBalance(
        customer_id, _balance(session, customer_id), currency,
        tuple(StoreCreditEntryView(r.id, r.created_at, r.amount_minor, r.reference, load_text(r.memo) or None)
              for r in rows),
    )


def store_credit_balance(ctx: ServiceContext, actor: Actor, customer_id: int) -> StoreCreditBalance:
    """The customer's store-credit balance and newest movements (counter staff, queues, finance)."""
    require_any(actor.role, (*RETURN_READERS, Permission.VIEW_FINANCE), actor.username,
                doing=msg("look at customers' store credit"))
    with ctx.read(actor) as s:
        if s.get(Customer, customer_id) is None:
            raise NotFound(msg("There is no customer #{customer_id}.", customer_id=customer_id))
        return _view(s, customer_id)


def spend_in(session: Session, ctx: ServiceContext, actor: Actor, customer_id: int, amount_minor: int, *,
             reference: str, memo: str | None = None) -> StoreCreditBalance:
    """Take ``amount_minor`` off the customer's store credit inside the caller's transaction, and
    post it against what the customer owes on their account (``Dr 2203 / Cr 1122``).

    Refused, with nothing written, when the balance is smaller. The exchange uses this for the
    difference a customer pays with store credit.
    """
    actor.require(Permission.EXCHANGE)
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationFailed(msg(
            "The store credit to spend must be a positive amount, not {amount_minor!r}.",
            amount_minor=amount_minor))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed(msg("Say what the store credit is spent on (the RMA or order number)."))
    customer = session.execute(
        select(Customer).where(Customer.id == customer_id).with_for_update()
    ).scalar_one_or_none()
    if customer is None:
        raise NotFound(msg("There is no customer #{customer_id}.", customer_id=customer_id))
    balance = _balance(session, customer_id)
    if amount_minor > balance:
        raise PolicyViolation(
            msg(
                "{name} has {balance} of store credit, less than the {amount_minor} to spend. Take the rest another "
                "way.",
                name=customer.name, balance=format_money(balance), amount_minor=format_money(amount_minor))
        )
    text = memo or msg("Store credit spent on {reference}", reference=reference)
    session.add(StoreCreditEntry(
        customer_id=customer_id, amount_minor=-amount_minor, reference=reference[:40], memo=dump_text(text, 200),
        created_at=ctx.now(), created_by=actor.user_id,
    ))
    finance.post_entry(session, ctx, memo=text, postings=store_credit_spent_postings(amount_minor, text))
    audit.record(session, ctx, actor, "customer", customer.code, "store_credit_spent",
                 {"balance_minor": balance}, {"balance_minor": balance - amount_minor, "reference": reference})
    session.flush()
    return _view(session, customer_id)


def spend_store_credit(ctx: ServiceContext, actor: Actor, customer_id: int, amount_minor: int, *,
                       reference: str, memo: str | None = None) -> StoreCreditBalance:
    """:func:`spend_in` in a transaction of its own."""
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("the store credit of customer #{customer_id}", customer_id=customer_id), actor) as s:
        result = spend_in(s, ctx, actor, customer_id, amount_minor, reference=reference, memo=memo)
    ctx.changed("customer", customer_id)
    return result
