"""The books check's reconciliation: every amount that is written twice must agree with its other half.

* a refund = the sum of its refund lines (+ the return's shipping refund, which has no line) = its
  credit note = what its journal entry credits to the refund method's account = the return's
  approved total; each refund line = its return line's refund and tax;
* an exchange: the replacement's credit = the return's total = its credit note; its refund (a
  negative difference) = the difference = its refund lines = its journal credit;
* a credit note's net + tax = its total, and its tax = the tax of the return's lines;
* a return's total = its lines + shipping, its deductions = its lines' deductions and fees;
* an order line's refunded and returned running totals = what its settled returns (refunded or
  exchanged) refunded and accepted; what it has in process = what its open returns hold;
* a claim against a supplier: its cost = its units' costs once shipped; the RTV clearing account
  holds the cost of the claims shipped and not yet answered; the supplier location holds the units
  of shipped claims and the units suppliers accepted for credit;
* the refurbish queue: the units refurbished and scrapped = the stock moved out of the refurbish
  location back to available stock and to scrap.

Every query lets the database aggregate and returns only the rows that disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import SupportsInt, TypeVar

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from returndesk.domain.claims import ClaimStatus
from returndesk.domain.money import format_money
from returndesk.domain.types import Location, ReturnStatus
from returndesk.domain.messages import msg
from returndesk.domain.postings import CASH_OVER_SHORT, RTV_CLEARING
from returndesk.store.schema import (
    CashShift,
    CreditNote,
    JournalEntry,
    JournalLine,
    Refund,
    RefundLine,
    RefurbishJob,
    ReplacementOrder,
    Return,
    ReturnLine,
    RtvClaim,
    RtvClaimUnit,
    SalesOrder,
    SalesOrderLine,
    StoreCreditEntry,
    StockLocation,
    StockMovement,
)

#: What a disagreement becomes: ``problem(kind, reference, message)``.
P = TypeVar("P")
Problem = Callable[[str, str, str], P]

_REQUESTED = [s.value for s in (ReturnStatus.DRAFT, ReturnStatus.REQUESTED, ReturnStatus.WAITING_FOR_CUSTOMER,
                                ReturnStatus.AUTHORIZED,
                                ReturnStatus.RECEIVED)]
_COUNTED = [s.value for s in (ReturnStatus.INSPECTED, ReturnStatus.AWAITING_APPROVAL, ReturnStatus.APPROVED)]


def _m(value: SupportsInt | None) -> str:
    # Sums come back as int (SQLite) or Decimal (PostgreSQL sums bigint to numeric).
    return format_money(int(value or 0))


def reconcile(session: Session, problem: Problem[P]) -> list[P]:
    """The disagreements, as ``problem(kind, reference, message)`` objects."""
    found: list[P] = []
    found += _refunds(session, problem)
    found += _exchanges(session, problem)
    found += _refund_lines(session, problem)
    found += _returns(session, problem)
    found += _order_lines(session, problem)
    found += _claims(session, problem)
    found += _refurbish(session, problem)
    found += _cash_shifts(session, problem)
    found += _store_credit(session, problem)
    return found


def _cash_shifts(session: Session, problem: Problem[P]) -> list[P]:
    """A closed shift expected its float less its cash refunds plus the exchange differences paid
    into it in cash, and its difference (counted − expected) is what its journal entry moved on
    1901; a shift's refunds are cash refunds, and so are the differences it took in."""
    paid = (
        select(func.coalesce(func.sum(Refund.amount_minor), 0))
        .where(Refund.cash_shift_id == CashShift.id).scalar_subquery()
    )
    taken = (
        select(func.coalesce(func.sum(ReplacementOrder.collected_minor), 0))
        .where(ReplacementOrder.cash_shift_id == CashShift.id).scalar_subquery()
    )
    posted = (
        select(func.coalesce(func.sum(JournalLine.credit_minor - JournalLine.debit_minor), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.entry_no == CashShift.entry_no, JournalLine.account == CASH_OVER_SHORT)
        .scalar_subquery()
    )
    rows = session.execute(
        select(CashShift.shift_no, CashShift.float_minor, paid.label("paid"), taken.label("taken"),
               CashShift.expected_minor,
               CashShift.counted_minor, CashShift.difference_minor, posted.label("posted"))
        .where(CashShift.status == "closed")
        .where(or_(
            CashShift.expected_minor != CashShift.float_minor - paid + taken,
            CashShift.difference_minor != CashShift.counted_minor - CashShift.expected_minor,
            posted != CashShift.difference_minor,
        ))
        .order_by(CashShift.id)
    ).all()
    found = [problem(
        "cash_shift_mismatch", r.shift_no,
        msg(
            "Cash shift {shift_no}: float {float}, cash refunds {paid}, cash taken in {taken}, expected "
            "{expected}, counted {counted}, difference {difference}, posted {posted}: these do not agree.",
            shift_no=r.shift_no, float=_m(r.float_minor), paid=_m(r.paid), taken=_m(r.taken),
            expected=_m(r.expected_minor), counted=_m(r.counted_minor), difference=_m(r.difference_minor),
            posted=_m(r.posted)),
    ) for r in rows]
    not_cash = session.execute(
        select(Refund.refund_no).where(Refund.cash_shift_id.is_not(None), Refund.method != "cash").order_by(Refund.id)
    ).scalars().all()
    found += [problem("cash_shift_not_cash", no, msg("Refund {no} is on a cash shift but was not paid in cash.", no=no))
              for no in not_cash]
    not_cash_in = session.execute(
        select(ReplacementOrder.order_no)
        .where(ReplacementOrder.cash_shift_id.is_not(None), ReplacementOrder.collected_method != "cash")
        .order_by(ReplacementOrder.id)
    ).scalars().all()
    found += [problem("cash_shift_not_cash", no,
                      msg(
                          "Replacement order {no} is on a cash shift but its difference was not paid in cash.",
                          no=no))
              for no in not_cash_in]
    return found


def _store_credit(session: Session, problem: Problem[P]) -> list[P]:
    """A customer's store credit issued by a refund is the refund's amount; no balance is negative."""
    issued = session.execute(
        select(Refund.refund_no, Refund.amount_minor, func.sum(StoreCreditEntry.amount_minor).label("issued"))
        .join(StoreCreditEntry, StoreCreditEntry.refund_id == Refund.id)
        .group_by(Refund.id, Refund.refund_no, Refund.amount_minor)
        .having(func.sum(StoreCreditEntry.amount_minor) != Refund.amount_minor)
        .order_by(Refund.id)
    ).all()
    found = [problem("store_credit_mismatch", r.refund_no,
                     msg(
                         "Refund {refund_no} of {amount} gave {issued} of store credit.",
                         refund_no=r.refund_no, amount=_m(r.amount_minor), issued=_m(r.issued)))
             for r in issued]
    negative = session.execute(
        select(StoreCreditEntry.customer_id, func.sum(StoreCreditEntry.amount_minor))
        .group_by(StoreCreditEntry.customer_id)
        .having(func.sum(StoreCreditEntry.amount_minor) < 0)
        .order_by(StoreCreditEntry.customer_id)
    ).all()
    found += [problem("store_credit_negative", f"customer #{cid}",
                      msg(
                          "Customer #{cid} has a negative store-credit balance ({total}).",
                          cid=cid, total=_m(total)))
              for cid, total in negative]
    return found


def _refunds(session: Session, problem: Problem[P]) -> list[P]:
    from returndesk.services.usecases.finance import PAYMENT_ACCOUNT

    lines = (
        select(RefundLine.refund_id, func.sum(RefundLine.amount_minor).label("amount"),
               func.sum(RefundLine.tax_minor).label("tax"))
        .group_by(RefundLine.refund_id).subquery()
    )
    account = case(*[(Refund.method == m.value, literal(a)) for m, a in PAYMENT_ACCOUNT.items()],
                   else_=literal(""))
    paid_out = (
        select(func.coalesce(func.sum(JournalLine.credit_minor), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.refund_id == Refund.id, JournalLine.account == account)
        .scalar_subquery()
    )
    exchanged = exists().where(ReplacementOrder.return_id == Refund.return_id)
    line_amount = func.coalesce(lines.c.amount, 0)
    # A refund pays its lines plus the shipping given back; an exchange's refund (the difference)
    # is shared over the lines, shipping included.
    expected_lines = case((exchanged, Refund.amount_minor),
                          else_=Refund.amount_minor - Return.shipping_refund_minor)
    rows = session.execute(
        select(Refund.refund_no, Refund.amount_minor, exchanged.label("exchanged"), Return.rma_no,
               Return.refund_total_minor, line_amount.label("lines"), expected_lines.label("expected"),
               paid_out.label("paid_out"), CreditNote.number, CreditNote.total_minor)
        .join(Return, Return.id == Refund.return_id)
        .outerjoin(lines, lines.c.refund_id == Refund.id)
        .outerjoin(CreditNote, CreditNote.id == Refund.credit_note_id)
        .where(or_(
            line_amount != expected_lines,
            paid_out != Refund.amount_minor,
            and_(~exchanged, Refund.amount_minor != Return.refund_total_minor),
            and_(~exchanged, CreditNote.id.is_not(None), CreditNote.total_minor != Refund.amount_minor),
        ))
        .order_by(Refund.id)
    ).all()
    found: list[P] = []
    for refund_no, amount, is_exchange, rma, total, line_sum, expected, paid, note_no, note_total in rows:
        if line_sum != expected:
            found.append(problem(
                "refund_lines_mismatch", refund_no,
                msg(
                    "Refund {refund_no} pays {amount} but its lines add up to {line_sum} (expected "
                    "{expected}).",
                    refund_no=refund_no, amount=_m(amount), line_sum=_m(line_sum), expected=_m(expected)),
            ))
        if paid != amount:
            found.append(problem(
                "journal_mismatch", refund_no,
                msg(
                    "Refund {refund_no} pays {amount} but its journal entry credits {paid} to the refund "
                    "method's account.",
                    refund_no=refund_no, amount=_m(amount), paid=_m(paid)),
            ))
        if not is_exchange and amount != total:
            found.append(problem(
                "refund_mismatch", refund_no,
                msg(
                    "Refund {refund_no} pays {amount} but return {rma} was approved for {total}.",
                    refund_no=refund_no, amount=_m(amount), rma=rma, total=_m(total)),
            ))
        if not is_exchange and note_no is not None and note_total != amount:
            found.append(problem(
                "credit_note_mismatch", refund_no,
                msg(
                    "Refund {refund_no} pays {amount} but its credit note {note_no} says {note_total}.",
                    refund_no=refund_no, amount=_m(amount), note_no=note_no, note_total=_m(note_total)),
            ))
    return found


def _exchanges(session: Session, problem: Problem[P]) -> list[P]:
    note_total = (
        select(func.coalesce(func.sum(CreditNote.total_minor), 0))
        .where(CreditNote.return_id == ReplacementOrder.return_id).scalar_subquery()
    )
    refunded = (
        select(func.coalesce(func.sum(Refund.amount_minor), 0))
        .where(Refund.return_id == ReplacementOrder.return_id).scalar_subquery()
    )
    to_refund = case((ReplacementOrder.difference_minor < 0, -ReplacementOrder.difference_minor), else_=0)
    rows = session.execute(
        select(ReplacementOrder.order_no, Return.rma_no, Return.refund_total_minor,
               ReplacementOrder.credit_minor, ReplacementOrder.value_minor,
               ReplacementOrder.difference_minor, note_total.label("note"), refunded.label("refunded"))
        .join(Return, Return.id == ReplacementOrder.return_id)
        .where(or_(
            ReplacementOrder.credit_minor != Return.refund_total_minor,
            ReplacementOrder.difference_minor != ReplacementOrder.value_minor - ReplacementOrder.credit_minor,
            note_total != ReplacementOrder.credit_minor,
            refunded != to_refund,
        ))
        .order_by(ReplacementOrder.id)
    ).all()
    return [
        problem(
            "exchange_mismatch", order_no,
            msg(
                "Exchange {order_no} of return {rma}: the return's total is {total}, the exchange credits "
                "{credit} for goods worth {value} (difference {difference}), its credit notes say {note} and "
                "{paid} was refunded.",
                order_no=order_no, rma=rma, total=_m(total), credit=_m(credit), value=_m(value),
                difference=_m(difference), note=_m(note), paid=_m(paid)),
        )
        for order_no, rma, total, credit, value, difference, note, paid in rows
    ]


def _refund_lines(session: Session, problem: Problem[P]) -> list[P]:
    exchanged = exists().where(ReplacementOrder.return_id == ReturnLine.return_id)
    rows = session.execute(
        select(Refund.refund_no, ReturnLine.line_no, RefundLine.amount_minor, ReturnLine.refund_minor,
               RefundLine.tax_minor, ReturnLine.tax_minor)
        .join(Refund, Refund.id == RefundLine.refund_id)
        .join(ReturnLine, ReturnLine.id == RefundLine.return_line_id)
        .where(~exchanged, or_(RefundLine.amount_minor != ReturnLine.refund_minor,
                               RefundLine.tax_minor != ReturnLine.tax_minor))
        .order_by(RefundLine.id)
    ).all()
    return [
        problem(
            "refund_line_mismatch", f"{refund_no}/{line_no}",
            msg(
                "Refund {refund_no} line {line_no} pays {amount} (tax {tax}) but the return line says "
                "{expected} (tax {expected_tax}).",
                refund_no=refund_no, line_no=line_no, amount=_m(amount), tax=_m(tax), expected=_m(expected),
                expected_tax=_m(expected_tax)),
        )
        for refund_no, line_no, amount, expected, tax, expected_tax in rows
    ]


def _returns(session: Session, problem: Problem[P]) -> list[P]:
    lines = (
        select(ReturnLine.return_id, func.sum(ReturnLine.refund_minor).label("refund"),
               func.sum(ReturnLine.tax_minor).label("tax"),
               func.sum(ReturnLine.deduction_minor + ReturnLine.fee_minor).label("deductions"))
        .group_by(ReturnLine.return_id).subquery()
    )
    refund = func.coalesce(lines.c.refund, 0)
    deductions = func.coalesce(lines.c.deductions, 0)
    found: list[P] = []
    rows = session.execute(
        select(Return.rma_no, Return.refund_total_minor, Return.shipping_refund_minor,
               Return.deductions_minor, refund, deductions)
        .outerjoin(lines, lines.c.return_id == Return.id)
        .where(or_(Return.refund_total_minor != refund + Return.shipping_refund_minor,
                   Return.deductions_minor != deductions))
        .order_by(Return.id)
    ).all()
    for rma, total, shipping, ded, line_sum, line_ded in rows:
        found.append(problem(
            "return_total_mismatch", rma,
            msg(
                "Return {rma}: total {total} and deductions {ded}, but its lines give {line_sum} plus "
                "shipping {shipping}, with deductions {line_ded}.",
                rma=rma, total=_m(total), ded=_m(ded), line_sum=_m(line_sum), shipping=_m(shipping),
                line_ded=_m(line_ded)),
        ))
    tax = func.coalesce(lines.c.tax, 0)
    for number, rma, net, note_tax, total, line_tax in session.execute(
        select(CreditNote.number, Return.rma_no, CreditNote.net_minor, CreditNote.tax_minor,
               CreditNote.total_minor, tax)
        .join(Return, Return.id == CreditNote.return_id)
        .outerjoin(lines, lines.c.return_id == CreditNote.return_id)
        .where(or_(CreditNote.net_minor + CreditNote.tax_minor != CreditNote.total_minor,
                   CreditNote.tax_minor != tax))
        .order_by(CreditNote.id)
    ):
        found.append(problem(
            "credit_note_mismatch", number,
            msg(
                "Credit note {number} of return {rma}: net {net} + tax {note_tax} should be its total "
                "{total}, and its tax the lines' tax {line_tax}.",
                number=number, rma=rma, net=_m(net), note_tax=_m(note_tax), total=_m(total), line_tax=_m(line_tax)),
        ))
    return found


def _order_lines(session: Session, problem: Problem[P]) -> list[P]:
    settled = or_(exists().where(Refund.return_id == Return.id),
                  exists().where(ReplacementOrder.return_id == Return.id))
    held = case(
        (Return.status.in_(_REQUESTED), ReturnLine.qty_requested),
        (Return.status.in_(_COUNTED), ReturnLine.qty_accepted + ReturnLine.qty_rejected),
        else_=0,
    )
    sums = (
        select(
            ReturnLine.order_line_id,
            func.sum(case((settled, ReturnLine.refund_minor), else_=0)).label("refunded"),
            func.sum(case((settled, ReturnLine.qty_accepted), else_=0)).label("returned"),
            func.sum(case((settled, 0), else_=held)).label("in_process"),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .group_by(ReturnLine.order_line_id).subquery()
    )
    refunded = func.coalesce(sums.c.refunded, 0)
    returned = func.coalesce(sums.c.returned, 0)
    in_process = func.coalesce(sums.c.in_process, 0)
    rows = session.execute(
        select(SalesOrder.order_no, SalesOrderLine.line_no, SalesOrderLine.refunded_minor, refunded,
               SalesOrderLine.qty_returned, returned, SalesOrderLine.qty_in_process, in_process)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .outerjoin(sums, sums.c.order_line_id == SalesOrderLine.id)
        .where(or_(SalesOrderLine.refunded_minor != refunded, SalesOrderLine.qty_returned != returned,
                   SalesOrderLine.qty_in_process != in_process))
        .order_by(SalesOrderLine.id)
    ).all()
    return [
        problem(
            "order_line_mismatch", f"{order_no}/{line_no}",
            msg(
                "Order {order_no} line {line_no} records {ol_refunded} refunded, {ol_returned} returned and "
                "{ol_held} in process, but its returns give {r_refunded}, {r_returned} and {r_held}.",
                order_no=order_no, line_no=line_no, ol_refunded=_m(ol_refunded), ol_returned=ol_returned,
                ol_held=ol_held, r_refunded=_m(r_refunded), r_returned=r_returned, r_held=r_held),
        )
        for order_no, line_no, ol_refunded, r_refunded, ol_returned, r_returned, ol_held, r_held in rows
    ]



#: What became of a refurbish job, and where its unit went from the refurbish location.
_REFURBISH_MOVES = {"refurbished": Location.AVAILABLE, "scrapped": Location.SCRAP}


def _refurbish(session: Session, problem: Problem[P]) -> list[P]:
    found: list[P] = []
    jobs = dict(session.execute(select(RefurbishJob.status, func.count()).group_by(RefurbishJob.status)).all())
    refurbish = select(StockLocation.id).where(StockLocation.code == Location.REFURBISH.value).scalar_subquery()
    for status, destination in _REFURBISH_MOVES.items():
        target = select(StockLocation.id).where(StockLocation.code == destination.value).scalar_subquery()
        moved = session.execute(
            select(func.coalesce(func.sum(StockMovement.quantity), 0))
            .where(StockMovement.from_location_id == refurbish, StockMovement.to_location_id == target,
                   StockMovement.reason == status)
        ).scalar_one()
        if int(moved) != int(jobs.get(status, 0)):
            found.append(problem(
                "refurbish_stock_mismatch", status,
                msg(
                    "{units} units are recorded as {status} in the refurbish queue, but the stock ledger "
                    "moved {moved} from refurbishment to {location}.",
                    units=int(jobs.get(status, 0)), status=status, moved=int(moved), location=destination),
            ))
    return found


def _claims(session: Session, problem: Problem[P]) -> list[P]:
    found: list[P] = []
    units = (select(RtvClaimUnit.claim_id, func.sum(RtvClaimUnit.cost_minor).label("cost"))
             .group_by(RtvClaimUnit.claim_id).subquery())
    cost = func.coalesce(units.c.cost, 0)
    for number, claimed, summed in session.execute(
        select(RtvClaim.claim_no, RtvClaim.cost_minor, cost)
        .outerjoin(units, units.c.claim_id == RtvClaim.id)
        .where(RtvClaim.shipped_at.is_not(None), RtvClaim.cost_minor != cost)
        .order_by(RtvClaim.id)
    ):
        found.append(problem(
            "claim_cost_mismatch", number,
            msg(
                "Claim {number} shipped at a cost of {claimed}, but its units cost {summed}.",
                number=number, claimed=_m(claimed), summed=_m(summed)),
        ))
    awaiting = session.execute(
        select(func.coalesce(func.sum(RtvClaim.cost_minor), 0)).where(RtvClaim.status == ClaimStatus.SHIPPED.value)
    ).scalar_one()
    balance = session.execute(
        select(func.coalesce(func.sum(JournalLine.debit_minor - JournalLine.credit_minor), 0))
        .where(JournalLine.account == RTV_CLEARING)
    ).scalar_one()
    if int(awaiting) != int(balance):
        found.append(problem(
            "rtv_clearing_mismatch", RTV_CLEARING,
            msg(
                "The RTV clearing account {account} holds {balance}, but the claims shipped and not yet "
                "answered cost {awaiting}.",
                account=RTV_CLEARING, balance=_m(balance), awaiting=_m(awaiting)),
        ))
    supplier = select(StockLocation.id).where(StockLocation.code == Location.SUPPLIER.value).scalar_subquery()
    moved_in = session.execute(select(func.coalesce(func.sum(StockMovement.quantity), 0))
                               .where(StockMovement.to_location_id == supplier)).scalar_one()
    moved_out = session.execute(select(func.coalesce(func.sum(StockMovement.quantity), 0))
                                .where(StockMovement.from_location_id == supplier)).scalar_one()
    kept = session.execute(
        select(func.count(RtvClaimUnit.id)).join(RtvClaim, RtvClaim.id == RtvClaimUnit.claim_id)
        .where(or_(RtvClaim.status == ClaimStatus.SHIPPED.value,
                   and_(RtvClaimUnit.outcome == "accepted", RtvClaim.terms != "replacement")))
    ).scalar_one()
    if int(moved_in) - int(moved_out) != int(kept):
        found.append(problem(
            "supplier_stock_mismatch", Location.SUPPLIER.value,
            msg(
                "{units} units went to suppliers by the stock ledger, but the claims account for {kept} "
                "(shipped and awaiting an answer, or accepted for credit).",
                units=int(moved_in) - int(moved_out), kept=int(kept)),
        ))
    return found
