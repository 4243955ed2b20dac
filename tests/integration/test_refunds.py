"""Issuing refunds: exactly once, with credit note and balanced journal; cash rules; closing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from returndesk.domain.errors import (
    AlreadyDone,
    ConcurrentChange,
    IllegalTransition,
    LimitExceeded,
    PermissionDenied,
    PolicyViolation,
)
from returndesk.domain.types import Channel, Disposition, Grade, Location, RefundMethod
from returndesk.services.usecases import finance, refunds
from returndesk.services.tx import stock
from returndesk.store.schema import (
    AuditEvent,
    CreditNote,
    JournalEntry,
    JournalLine,
    Refund,
    RefundLine,
    Return,
    ReturnLine,
    SalesOrderLine,
)

from .factories import build_world, make_order
from .money_support import LineSpec, approved, awaiting, receive_and_inspect, take_return

pytestmark = pytest.mark.both_databases("money: refunds exactly once under row locks, journal sums")


def _journal(ctx, entry_no):
    with ctx.db.read() as s:
        entry = s.execute(select(JournalEntry).where(JournalEntry.entry_no == entry_no)).scalar_one()
        lines = s.execute(select(JournalLine).where(JournalLine.entry_id == entry.id)).scalars().all()
        by_account: dict[str, tuple[int, int]] = {}
        for line in lines:
            dr, cr = by_account.get(line.account, (0, 0))
            by_account[line.account] = (dr + line.debit_minor, cr + line.credit_minor)
        return by_account


def _order_line(ctx, order_line_id):
    with ctx.db.read() as s:
        ol = s.get(SalesOrderLine, order_line_id)
        return ol.qty_in_process, ol.qty_returned, ol.refunded_minor


def test_refund_writes_credit_note_balanced_journal_and_running_totals(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2)])
    seen: list[tuple[str, int]] = []
    ctx.listeners.append(lambda entity, entity_id: seen.append((entity, entity_id)))

    result = refunds.issue_refund(ctx, world.finance, rma)

    assert result.detail.status == "refunded"
    assert result.refund.amount_minor == 29800 and result.refund.method == "original_payment"
    assert result.refund.issued_by == "Finance"
    assert result.credit_note_no == "CN-2026-000001" and result.refund.credit_note_no == "CN-2026-000001"
    assert result.refund.refund_no == "RF-2026-000001" and result.entry_no == "JE-2026-000001"
    assert seen == [("return", result.detail.id)]
    with ctx.db.read() as s:
        note = s.execute(select(CreditNote)).scalar_one()
        assert (note.total_minor, note.net_minor + note.tax_minor) == (29800, 29800)
        tax = s.execute(select(ReturnLine.tax_minor)).scalar_one()
        assert note.tax_minor == tax > 0
        lines = s.execute(select(RefundLine)).scalars().all()
        assert [(rl.amount_minor, rl.tax_minor) for rl in lines] == [(29800, tax)]
        order_line_id = lines[0].order_line_id
        event = s.execute(
            select(AuditEvent).where(AuditEvent.entity_id == rma, AuditEvent.action == "refund")
        ).scalar_one()
        assert "RF-2026-000001" in event.after_json and event.username == "finance"
    # 2 units restocked at a cost of 60.00 each; VAT and net sales returns debited; 1122 credited.
    assert _journal(ctx, "JE-2026-000001") == {
        finance.SALES_RETURNS: (29800 - tax, 0),
        finance.VAT_OUTPUT: (tax, 0),
        finance.CUSTOMER_ACCOUNTS: (0, 29800),
        finance.INVENTORY: (12000, 0),
        finance.COST_OF_GOODS: (0, 12000),
    }
    assert _order_line(ctx, order_line_id) == (0, 2, 29800)
    assert finance.check_books(ctx) == []


def test_a_second_refund_is_already_done_and_nothing_is_paid_twice(ctx, clock):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    first = refunds.issue_refund(ctx, world.clerk2, rma)
    clock.advance(minutes=5)
    with pytest.raises(AlreadyDone) as err:
        refunds.issue_refund(ctx, world.finance, rma)
    assert f"Return {rma} was refunded already ({first.refund.refund_no}" in err.value.message
    assert "by Clerk2, at 2026-11-27 09:00" in err.value.message
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(CreditNote)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 1
    assert refunds.find_refund(ctx, world.finance, rma).refund_no == first.refund.refund_no


def test_unique_constraint_is_the_last_line_of_defence(ctx, monkeypatch):
    """A station that slipped past every check meets the unique constraint on refunds.return_id;
    it gets AlreadyDone naming the refund that won, and its own writes are rolled back."""
    world = build_world(ctx)
    rma = approved(world, [LineSpec("HM-4001", 1)])
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        s.add(Refund(refund_no="RF-2026-999999", return_id=ret.id, method="store_credit",
                     amount_minor=4900, currency="CNY", issued_by=world.supervisor.user_id,
                     issued_at=ctx.now(), station="OTHER"))
    calls = {"n": 0}
    real = refunds.existing_refund

    def blind_first_look(session, return_id):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session, return_id)

    monkeypatch.setattr(refunds, "existing_refund", blind_first_look)
    with pytest.raises(AlreadyDone, match=r"refunded already \(RF-2026-999999, ¥49.00, by Supervisor"):
        refunds.issue_refund(ctx, world.finance, rma)
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "approved"
        assert s.execute(select(func.count()).select_from(CreditNote)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 0
        assert s.execute(select(SalesOrderLine.refunded_minor)).scalar_one() == 0


def test_document_numbers_follow_each_other(ctx, clock):
    world = build_world(ctx)
    rmas = [approved(world, [LineSpec(sku, 1)]) for sku in ("AP-2001", "HM-4001", "EL-1002")]
    notes = []
    for rma in rmas[:2]:
        notes.append(refunds.issue_refund(ctx, world.finance, rma).credit_note_no)
    clock.advance(days=40)  # into the next year's numbering prefix
    notes.append(refunds.issue_refund(ctx, world.finance, rmas[2]).credit_note_no)
    assert notes == ["CN-2026-000001", "CN-2026-000002", "CN-2027-000003"]
    with ctx.db.read() as s:
        assert s.execute(select(Refund.refund_no).order_by(Refund.id)).scalars().all() == [
            "RF-2026-000001", "RF-2026-000002", "RF-2027-000003"]


def test_only_an_approved_return_is_refunded(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    with pytest.raises(IllegalTransition, match=r"cannot refund: it is awaiting approval \(set by Inspector"):
        refunds.issue_refund(ctx, world.finance, rma)
    with pytest.raises(PermissionDenied):
        refunds.issue_refund(ctx, world.inspector, rma)


def test_stale_version_is_refused(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    with ctx.db.read() as s:
        version = s.execute(select(Return.version).where(Return.rma_no == rma)).scalar_one()
    with pytest.raises(ConcurrentChange, match="since you opened it"):
        refunds.issue_refund(ctx, world.finance, rma, expected_version=version - 1)
    assert refunds.issue_refund(ctx, world.finance, rma, expected_version=version).detail.status == "refunded"


def test_cash_only_at_the_counter_and_within_the_clerks_limit(ctx):
    world = build_world(ctx)
    remote = approved(world, [LineSpec("AP-2001", 1)])
    with pytest.raises(PolicyViolation, match="cash is paid out only for counter returns"):
        refunds.issue_refund(ctx, world.clerk2, remote, method=RefundMethod.CASH)

    small = approved(world, [LineSpec("AP-2001", 2)], channel=Channel.COUNTER, method=RefundMethod.CASH)
    big = approved(world, [LineSpec("SH-3001", 1)], channel=Channel.COUNTER, method=RefundMethod.CASH)
    with pytest.raises(PermissionDenied, match="may not issue cash refund"):
        refunds.issue_refund(ctx, world.finance, small)
    with pytest.raises(LimitExceeded, match=r"¥599.00 is above your cash limit of ¥500.00"):
        refunds.issue_refund(ctx, world.clerk2, big)
    # The supervisor's limit covers it; the small one is within the clerk's.
    paid = refunds.issue_refund(ctx, world.clerk2, small)
    assert (paid.refund.method, paid.refund.amount_minor) == ("cash", 15800)
    assert _journal(ctx, paid.entry_no)[finance.CASH] == (0, 15800)
    assert refunds.issue_refund(ctx, world.supervisor, big).refund.amount_minor == 59900
    # Another method is always possible for the clerk.
    assert finance.check_books(ctx) == []


def test_cash_limit_is_read_when_the_refund_is_issued(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)], channel=Channel.COUNTER, method=RefundMethod.CASH)
    from returndesk.store.schema import User

    with ctx.db.write() as s:
        s.execute(update(User).where(User.id == world.clerk2.user_id).values(approval_limit_minor=1000))
    with pytest.raises(LimitExceeded, match=r"¥79.00 is above your cash limit of ¥10.00"):
        refunds.issue_refund(ctx, world.clerk2, rma)
    store_credit = refunds.issue_refund(ctx, world.clerk2, rma, method=RefundMethod.STORE_CREDIT)
    assert store_credit.detail.refund_method == "store_credit"
    assert _journal(ctx, store_credit.entry_no)[finance.STORE_CREDIT] == (0, 7900)


def test_refunded_never_exceeds_paid_across_two_returns_of_one_line(ctx):
    world = build_world(ctx)
    # 3 mugs for 146.99: the units cost 49.00, 49.00 and 48.99.
    order_no = make_order(world, [("HM-4001", 3, 1)])
    first = take_return(world, order_no, [LineSpec("HM-4001", 2)])
    receive_and_inspect(world, first, [LineSpec("HM-4001", 2)])
    second = take_return(world, order_no, [LineSpec("HM-4001", 1)])
    receive_and_inspect(world, second, [LineSpec("HM-4001", 1)])
    from returndesk.services.usecases import approval

    for rma in (first, second):
        approval.approve_refund(ctx, world.supervisor, rma)
    assert refunds.issue_refund(ctx, world.finance, first).refund.amount_minor == 9800
    with ctx.db.read() as s:
        order_line_id = s.execute(select(SalesOrderLine.id)).scalar_one()
    assert refunds.issue_refund(ctx, world.finance, second).refund.amount_minor == 4899
    assert _order_line(ctx, order_line_id) == (0, 3, 14699)
    assert finance.check_books(ctx) == []


def test_a_refund_above_what_is_left_of_the_payment_is_refused(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 2)])
    first = approved(world, [LineSpec("HM-4001", 1)], order_no=order_no)
    second = approved(world, [LineSpec("HM-4001", 1)], order_no=order_no)
    refunds.issue_refund(ctx, world.finance, first)
    # A figure computed against an outdated total (say the line was partly refunded elsewhere).
    with ctx.db.write() as s:
        s.execute(update(SalesOrderLine).values(refunded_minor=SalesOrderLine.refunded_minor + 100))
    with pytest.raises(PolicyViolation) as err:
        refunds.issue_refund(ctx, world.finance, second)
    assert "paid ¥98.00 for order SO-100001 line 1 (HM-4001) and ¥50.00 of it is refunded" in err.value.message
    assert "¥49.00 more for return" in err.value.message and "Nothing was refunded" in err.value.message
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == second)).scalar_one() == "approved"
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 1
        assert s.execute(select(SalesOrderLine.refunded_minor)).scalar_one() == 5000


def test_partly_rejected_line_refunds_accepted_units_and_frees_the_rest(ctx):
    world = build_world(ctx)
    spec = LineSpec("AP-2001", 3, grade=Grade.C, accepted=2, rejected=1)
    rma = approved(world, [spec], order=[("AP-2001", 3)])
    result = refunds.issue_refund(ctx, world.finance, rma, method=RefundMethod.BANK_TRANSFER,
                                  external_ref="BANK-77")
    # Grade C on a change of mind: 80 % of 158.00, less the 10 % restocking fee.
    assert result.refund.amount_minor == 15800 - 3160 - 1580
    assert result.refund.external_ref == "BANK-77"
    journal = _journal(ctx, result.entry_no)
    assert journal[finance.BANK] == (0, 11060)
    assert journal[finance.RESTOCKING_FEE_INCOME] == (0, 1580)
    assert journal[finance.INVENTORY] == (2 * 2500, 0)
    with ctx.db.read() as s:
        ol = s.execute(select(SalesOrderLine)).scalar_one()
        assert (ol.qty_in_process, ol.qty_returned, ol.refunded_minor) == (0, 2, 11060)
        ret_id = s.execute(select(Return.id).where(Return.rma_no == rma)).scalar_one()
        assert stock.on_hand(s, world.products["AP-2001"], Location.AVAILABLE) == 20 - 3 + 2
    assert finance.check_books(ctx) == []
    assert ret_id


def test_units_not_restocked_do_not_go_back_into_inventory(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 1, reason="defective", grade=Grade.D,
                                    disposition=Disposition.RETURN_TO_VENDOR)])
    result = refunds.issue_refund(ctx, world.finance, rma)
    assert result.refund.amount_minor == 14900  # vendor fault: in full
    assert finance.INVENTORY not in _journal(ctx, result.entry_no)


def test_close_after_refund_and_after_a_rejected_refund(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    with pytest.raises(IllegalTransition, match="cannot close: it is approved"):
        refunds.close_return(ctx, world.clerk, rma)
    refunds.issue_refund(ctx, world.finance, rma)
    assert refunds.close_return(ctx, world.clerk, rma).status == "closed"
    with pytest.raises(PermissionDenied):
        refunds.close_return(ctx, world.inspector, rma)
