"""Finance: the chart of accounts, the journal postings of refunds and exchanges, and the checks
that prove the books.

Chart of accounts (codes follow the Chinese enterprise chart where one exists)::

    1001  Cash on hand                       credited for cash refunds at the counter
    1002  Bank deposits                      credited for refunds by bank transfer
    1122  Customer accounts                  receivable from / payable to customers: credited for
                                             refunds to the original payment (the payment provider
                                             pays them out), debited for exchange differences the
                                             customer still has to pay
    1405  Inventory                          debited at cost for units put back into stock
    2203  Store-credit liability             credited for refunds as store credit
    2221  VAT output tax payable             debited for the tax inside a refund, credited for the
                                             tax inside a replacement sale
    4100  Sales returns and allowances       debited with the net (tax-free) value given back,
                                             restocking fee included (the fee is then income)
    4150  Shipping charges refunded          debited with shipping paid back on vendor faults
    6001  Sales revenue                      credited with the net value of replacement goods
    6051  Restocking-fee income              credited with the restocking fees withheld
    6401  Cost of goods sold                 credited at cost for restocked units (their sale is
                                             undone), debited at cost for replacement goods shipped
    1901  Pending gains and losses on assets a counter's cash over (credited) or short (debited) at
                                             the close of its cash shift, until explained

A refund of ``R`` with tax ``T``, fee ``F`` and shipping ``S`` (``R`` includes ``S``) posts::

    Dr 4100  R - S - T + F       Cr payment account (1001/1002/1122/2203)  R
    Dr 2221  T                   Cr 6051                                    F
    Dr 4150  S
    Dr 1405  cost of restocked   Cr 6401                                    cost of restocked

The grade deduction is not posted: for that part the original sale simply stands. Every entry is
checked to balance before it is written; :func:`check_books` proves it afterwards for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, and_, func, insert, literal, select, union_all
from sqlalchemy.orm import Session

from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import ReturnStatus
from returndesk.store.schema import (
    Base,
    JournalEntry,
    JournalLine,
    Refund,
    Return,
    SalesOrder,
    SalesOrderLine,
    StockLocation,
    StockMovement,
)
from returndesk.store.select_rows import write_rows

from returndesk.domain.postings import (  # the chart of accounts and the posting rules (pure)
    ACCOUNTS,
    BANK,
    CASH,
    COST_OF_GOODS,
    CUSTOMER_ACCOUNTS,
    INVENTORY,
    PAYMENT_ACCOUNT,
    RESTOCKING_FEE_INCOME,
    SALES_RETURNS,
    SALES_REVENUE,
    SHIPPING_REFUNDED,
    STORE_CREDIT,
    VAT_OUTPUT,
    Posting,
    RefundedLine,
    collection_postings,
    exchange_postings,
    refund_postings,
    replacement_cancelled_postings,
    replacement_shipped_postings,
    tax_inside,
)
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.inserts import insert_one
from returndesk.services.tx.sequences import next_document_no
from returndesk.domain.messages import dump_text, load_text, msg

__all__ = [
    # The use cases of the books and what they return.
    "BooksProblem",
    "JournalEntryView",
    "JournalLineView",
    "JournalTotals",
    "TrialBalance",
    "TrialBalanceRow",
    "check_books",
    "find_journal_entries",
    "journal_totals",
    "needs_entry",
    "post_entry",
    "trial_balance",
    # The chart of accounts and the posting rules, re-exported from the domain for the use cases
    # that post through this module.
    "ACCOUNTS",
    "BANK",
    "CASH",
    "COST_OF_GOODS",
    "CUSTOMER_ACCOUNTS",
    "INVENTORY",
    "PAYMENT_ACCOUNT",
    "RESTOCKING_FEE_INCOME",
    "SALES_RETURNS",
    "SALES_REVENUE",
    "SHIPPING_REFUNDED",
    "STORE_CREDIT",
    "VAT_OUTPUT",
    "Posting",
    "RefundedLine",
    "collection_postings",
    "exchange_postings",
    "refund_postings",
    "replacement_cancelled_postings",
    "replacement_shipped_postings",
    "tax_inside",
]

def needs_entry(postings: Sequence[Posting]) -> bool:
    """True when :func:`post_entry` would write an entry for ``postings`` (any non-zero one)."""
    return any(p.debit or p.credit for p in postings)


#: The length of a journal memo column: a memo is kept as its message data (template and parameters)
#: when that fits, else as its English text.
MEMO_LENGTH = 200
#: A journal entry's lines, built once (every refund posts some).
_INSERT_JOURNAL_LINE = insert(Base.metadata.tables[JournalLine.__tablename__])


def post_entry(
    session: Session,
    ctx: ServiceContext,
    *,
    memo: str,
    postings: Sequence[Posting],
    return_id: int | None = None,
    refund_id: int | None = None,
    entry_no: str | None = None,
) -> JournalEntry | None:
    """Write one balanced journal entry (number ``JE-<year>-NNNNNN``) inside the caller's transaction.

    ``entry_no``: the number the caller took already (with its other numbers in one statement,
    when :func:`needs_entry` said an entry will be written); else the next one is taken here.

    Zero postings are left out; when nothing is left, no entry is written and None is returned.
    An entry whose debits and credits differ is a bug in the caller and raises ``ValueError``
    before anything is written.
    """
    kept = [p for p in postings if p.debit or p.credit]
    for p in kept:
        if p.debit < 0 or p.credit < 0 or (p.debit and p.credit):
            raise ValueError(f"malformed posting {p!r}")
        if p.account not in ACCOUNTS:
            raise ValueError(f"posting to unknown account {p.account!r}")
    debits = sum(p.debit for p in kept)
    credits = sum(p.credit for p in kept)
    if debits != credits:
        raise ValueError(f"unbalanced journal entry '{memo}': debits {debits} != credits {credits}")
    if not kept:
        return None
    now = ctx.now()
    entry = JournalEntry(
        entry_no=entry_no or next_document_no(session, "journal", "JE", now.year),
        posted_at=now,
        return_id=return_id,
        refund_id=refund_id,
        memo=dump_text(memo, MEMO_LENGTH),
    )
    insert_one(session, entry)
    # The lines in one round trip (their ids are never needed here).
    write_rows(session.connection(), _INSERT_JOURNAL_LINE, [
        {"entry_id": entry.id, "account": p.account, "debit_minor": p.debit, "credit_minor": p.credit,
         "memo": dump_text(p.memo or memo, MEMO_LENGTH)}
        for p in kept
    ])
    return entry


# --------------------------------------------------------------------------- reports


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(
            msg(
                "The period starts on {date_from:%Y-%m-%d} but ends earlier, on {date_to:%Y-%m-%d}; swap the dates.",
                date_from=date_from, date_to=date_to)
        )


_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


def _period(stmt: _S, date_from: date | None, date_to: date | None) -> _S:
    # Days are UTC days: postings are stamped in UTC by the services' clock.
    if date_from is not None:
        stmt = stmt.where(JournalEntry.posted_at >= _day_start(date_from))
    if date_to is not None:
        stmt = stmt.where(JournalEntry.posted_at < _day_start(date_to + timedelta(days=1)))
    return stmt


@dataclass(frozen=True)
class JournalTotals:
    """Debits and credits of the journal entries in a selection."""

    entries: int
    debit_minor: int
    credit_minor: int

    @property
    def balanced(self) -> bool:
        return self.debit_minor == self.credit_minor


def journal_totals(
    ctx: ServiceContext,
    actor: Actor,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    rma_no: str | None = None,
) -> JournalTotals:
    """Totals of the journal for a period (inclusive UTC days) and/or one return."""
    actor.require(Permission.VIEW_FINANCE)
    _check_range(date_from, date_to)
    with ctx.read(actor) as s:
        entries = _period(select(JournalEntry.id), date_from, date_to)
        if rma_no is not None:
            return_id = s.execute(select(Return.id).where(Return.rma_no == parse_rma(rma_no))).scalar_one_or_none()
            if return_id is None:
                raise NotFound(msg("No return {rma_no} exists. Check the number.", rma_no=rma_no))
            entries = entries.where(JournalEntry.return_id == return_id)
        ids = entries.subquery()
        count = s.execute(select(func.count()).select_from(ids)).scalar_one()
        dr, cr = s.execute(
            select(
                func.coalesce(func.sum(JournalLine.debit_minor), 0),
                func.coalesce(func.sum(JournalLine.credit_minor), 0),
            ).where(JournalLine.entry_id.in_(select(ids.c.id)))
        ).one()
        return JournalTotals(int(count), int(dr), int(cr))


@dataclass(frozen=True)
class TrialBalanceRow:
    account: str
    name: str
    debit_minor: int
    credit_minor: int

    @property
    def balance_minor(self) -> int:
        """Debit balance (negative: credit balance)."""
        return self.debit_minor - self.credit_minor


@dataclass(frozen=True)
class TrialBalance:
    date_from: date
    date_to: date
    rows: tuple[TrialBalanceRow, ...]
    debit_minor: int
    credit_minor: int

    @property
    def balanced(self) -> bool:
        return self.debit_minor == self.credit_minor


def trial_balance(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date) -> TrialBalance:
    """Debits and credits per account for the entries posted from ``date_from`` to ``date_to``
    (inclusive, UTC days), in account order."""
    actor.require(Permission.VIEW_FINANCE)
    _check_range(date_from, date_to)
    with ctx.read(actor) as s:
        stmt = _period(
            select(
                JournalLine.account,
                func.sum(JournalLine.debit_minor),
                func.sum(JournalLine.credit_minor),
            )
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .group_by(JournalLine.account)
            .order_by(JournalLine.account),
            date_from,
            date_to,
        )
        rows = tuple(
            TrialBalanceRow(account, ACCOUNTS.get(account, account), int(dr), int(cr))
            for account, dr, cr in s.execute(stmt)
        )
    return TrialBalance(
        date_from, date_to, rows, sum(r.debit_minor for r in rows), sum(r.credit_minor for r in rows)
    )


@dataclass(frozen=True)
class JournalLineView:
    account: str
    account_name: str
    debit_minor: int
    credit_minor: int
    memo: str | None


@dataclass(frozen=True)
class JournalEntryView:
    id: int
    entry_no: str
    posted_at: datetime
    memo: str
    rma_no: str | None
    refund_no: str | None
    lines: tuple[JournalLineView, ...]


def find_journal_entries(
    ctx: ServiceContext,
    actor: Actor,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 100,
) -> list[JournalEntryView]:
    """Journal entries in posting order, keyset-paged: pass the last entry's ``(posted_at, id)`` as
    ``after`` for the next page."""
    actor.require(Permission.VIEW_FINANCE)
    _check_range(date_from, date_to)
    limit = max(1, min(int(limit), 1000))
    with ctx.read(actor) as s:
        stmt = _period(
            select(JournalEntry, Return.rma_no, Refund.refund_no)
            .outerjoin(Return, Return.id == JournalEntry.return_id)
            .outerjoin(Refund, Refund.id == JournalEntry.refund_id),
            date_from,
            date_to,
        )
        if after is not None:
            ts, last_id = after
            stmt = stmt.where(
                (JournalEntry.posted_at > ts)
                | and_(JournalEntry.posted_at == ts, JournalEntry.id > last_id)
            )
        rows = s.execute(stmt.order_by(JournalEntry.posted_at, JournalEntry.id).limit(limit)).all()
        ids = [entry.id for entry, _, _ in rows]
        by_entry: dict[int, list[JournalLineView]] = {i: [] for i in ids}
        if ids:
            for line in s.execute(
                select(JournalLine).where(JournalLine.entry_id.in_(ids)).order_by(JournalLine.id)
            ).scalars():
                by_entry[line.entry_id].append(
                    JournalLineView(
                        line.account, ACCOUNTS.get(line.account, line.account),
                        line.debit_minor, line.credit_minor, load_text(line.memo) or None,
                    )
                )
        return [
            JournalEntryView(e.id, e.entry_no, e.posted_at, load_text(e.memo), rma, refund_no,
                             tuple(by_entry[e.id]))
            for e, rma, refund_no in rows
        ]


# --------------------------------------------------------------------------- the books check


@dataclass(frozen=True)
class BooksProblem:
    """One thing in the books that must not be; ``kind`` is a short code, ``message`` the words."""

    kind: str
    reference: str
    message: str

    def __str__(self) -> str:
        return self.message


def check_books(ctx: ServiceContext) -> list[BooksProblem]:
    """Prove the invariants of money and stock over the whole database; an empty list means sound.

    Checked: every journal entry balances; no order line is refunded above what was paid; no order
    line has more returned plus in process than was bought (or a negative running total); no
    internal stock location is negative for any product; every refund with an amount has its
    credit note; every refunded return has its refund; and every amount written twice agrees with
    its other half (:mod:`returndesk.services.usecases.reconcile`: refunds, refund lines, credit notes,
    journal credits, return totals, order-line running totals, exchanges). Used by the command
    line, the demo and the load test; the database does the aggregation, so this reads no table
    row by row.
    """
    problems: list[BooksProblem] = []
    with ctx.db.read() as s:
        unbalanced = s.execute(
            select(
                JournalEntry.entry_no,
                func.sum(JournalLine.debit_minor),
                func.sum(JournalLine.credit_minor),
            )
            .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
            .group_by(JournalEntry.id, JournalEntry.entry_no)
            .having(func.sum(JournalLine.debit_minor) != func.sum(JournalLine.credit_minor))
            .order_by(JournalEntry.id)
        ).all()
        for entry_no, dr, cr in unbalanced:
            problems.append(BooksProblem(
                "unbalanced_entry", entry_no,
                msg(
                    "Journal entry {entry_no} does not balance: debits {debits}, credits {credits}.",
                    entry_no=entry_no, debits=format_money(int(dr)), credits=format_money(int(cr))),
            ))

        lines = s.execute(
            select(SalesOrderLine, SalesOrder.order_no)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .where(
                (SalesOrderLine.refunded_minor > SalesOrderLine.paid_minor)
                | (SalesOrderLine.refunded_minor < 0)
                | (SalesOrderLine.qty_returned + SalesOrderLine.qty_in_process > SalesOrderLine.quantity)
                | (SalesOrderLine.qty_returned < 0)
                | (SalesOrderLine.qty_in_process < 0)
            )
            .order_by(SalesOrderLine.id)
        ).all()
        for ol, order_no in lines:
            ref = f"{order_no}/{ol.line_no}"
            if ol.refunded_minor > ol.paid_minor or ol.refunded_minor < 0:
                problems.append(BooksProblem(
                    "refunded_above_paid", ref,
                    msg(
                        "Order {order_no} line {line_no}: {refunded} refunded of {paid} paid.",
                        order_no=order_no, line_no=ol.line_no, refunded=format_money(ol.refunded_minor),
                        paid=format_money(ol.paid_minor)),
                ))
            if (ol.qty_returned + ol.qty_in_process > ol.quantity or ol.qty_returned < 0
                    or ol.qty_in_process < 0):
                problems.append(BooksProblem(
                    "returned_above_purchased", ref,
                    msg(
                        "Order {order_no} line {line_no}: {qty_returned} returned and {qty_in_process} in "
                        "process of {quantity} bought.",
                        order_no=order_no, line_no=ol.line_no, qty_returned=ol.qty_returned,
                        qty_in_process=ol.qty_in_process, quantity=ol.quantity),
                ))

        moves = union_all(
            select(StockMovement.product_id.label("product_id"),
                   StockMovement.to_location_id.label("location_id"),
                   StockMovement.quantity.label("qty")),
            select(StockMovement.product_id, StockMovement.from_location_id,
                   (literal(0) - StockMovement.quantity)),
        ).subquery()
        negative = s.execute(
            select(moves.c.product_id, StockLocation.code, func.sum(moves.c.qty))
            .join(StockLocation, StockLocation.id == moves.c.location_id)
            .where(StockLocation.internal.is_(True))
            .group_by(moves.c.product_id, StockLocation.code)
            .having(func.sum(moves.c.qty) < 0)
            .order_by(moves.c.product_id, StockLocation.code)
        ).all()
        for product_id, location, qty in negative:
            problems.append(BooksProblem(
                "negative_stock", f"{product_id}@{location}",
                msg(
                    "Product #{product_id} has {qty} units at {location}: stock cannot be negative.",
                    product_id=product_id, qty=int(qty), location=location),
            ))

        no_note = s.execute(
            select(Refund.refund_no)
            .where(Refund.amount_minor > 0, Refund.credit_note_id.is_(None))
            .order_by(Refund.id)
        ).scalars().all()
        for refund_no in no_note:
            problems.append(BooksProblem(
                "refund_without_credit_note", refund_no,
                msg("Refund {refund_no} has no credit note.", refund_no=refund_no),
            ))
        unrefunded = s.execute(
            select(Return.rma_no)
            .outerjoin(Refund, Refund.return_id == Return.id)
            .where(Return.status == ReturnStatus.REFUNDED.value, Refund.id.is_(None))
            .order_by(Return.id)
        ).scalars().all()
        for rma in unrefunded:
            problems.append(BooksProblem(
                "refunded_without_refund", rma, msg("Return {rma} is refunded but has no refund record.", rma=rma),
            ))
        from returndesk.services.usecases.reconcile import reconcile  # it reads this module's chart of accounts

        problems.extend(reconcile(s, BooksProblem))
    return problems
