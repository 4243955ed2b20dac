"""`returndesk check` reconciles: any single edited amount among refunds, refund lines, credit
notes, journal lines, order-line running totals, return totals and exchanges is found."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from returndesk.services.usecases import exchange, finance, refunds
from returndesk.store.schema import (
    CreditNote,
    JournalEntry,
    JournalLine,
    Refund,
    RefundLine,
    ReplacementOrder,
    Return,
    ReturnLine,
    SalesOrderLine,
)

from .factories import build_world
from .money_support import LineSpec, approved, awaiting

pytestmark = pytest.mark.both_databases("the books check sums money in SQL (numeric on PostgreSQL)")


@pytest.fixture
def books(ctx):
    """A refund with shipping, an exchange whose difference is refunded, and a return waiting."""
    world = build_world(ctx)
    refunded = approved(world, [LineSpec("HM-4001", 2, reason="wrong_item"), LineSpec("AP-2001", 1)],
                        shipping_minor=1000)
    paid = refunds.issue_refund(ctx, world.finance, refunded)
    swapped = approved(world, [LineSpec("SH-3001", 1, reason="wrong_size")])
    swap = exchange.create_exchange(ctx, world.supervisor, swapped, [("HM-4001", 1)])
    assert swap.refund is not None
    awaiting(world, [LineSpec("EL-1002", 2)])
    assert finance.check_books(ctx) == []
    return {"refund": paid.refund.refund_no, "exchange_refund": swap.refund.refund_no,
            "replacement": swap.replacement.order_no}


def _refund_id(s, refund_no):
    return s.execute(select(Refund.id).where(Refund.refund_no == refund_no)).scalar_one()


def _edits(books):
    """(what, kind expected, a function that edits one amount by one cent inside a session)."""

    def refund_amount(refund_no):
        return lambda s, d: s.execute(update(Refund).where(Refund.refund_no == refund_no)
                                      .values(amount_minor=Refund.amount_minor + d))

    def refund_line(refund_no):
        def edit(s, d):
            line_id = s.execute(select(RefundLine.id).where(RefundLine.refund_id == _refund_id(s, refund_no))
                                .order_by(RefundLine.id).limit(1)).scalar_one()
            s.execute(update(RefundLine).where(RefundLine.id == line_id)
                      .values(amount_minor=RefundLine.amount_minor + d))
        return edit

    def credit_note(refund_no):
        def edit(s, d):
            note_id = s.execute(select(Refund.credit_note_id).where(Refund.refund_no == refund_no)).scalar_one()
            s.execute(update(CreditNote).where(CreditNote.id == note_id)
                      .values(total_minor=CreditNote.total_minor + d))
        return edit

    def journal_line(refund_no, credited: bool):
        def edit(s, d):
            column = JournalLine.credit_minor if credited else JournalLine.debit_minor
            line_id = s.execute(
                select(JournalLine.id).join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(JournalEntry.refund_id == _refund_id(s, refund_no), column > 0)
                .order_by(column.desc(), JournalLine.id).limit(1)  # the credit: the payment account
            ).scalar_one()
            s.execute(update(JournalLine).where(JournalLine.id == line_id).values({column: column + d}))
        return edit

    def order_line(column):
        def edit(s, d):
            line_id = s.execute(select(SalesOrderLine.id).order_by(SalesOrderLine.id).limit(1)).scalar_one()
            s.execute(update(SalesOrderLine).where(SalesOrderLine.id == line_id).values({column: column + d}))
        return edit

    def return_total(s, d):
        rid = s.execute(select(Return.id).order_by(Return.id.desc()).limit(1)).scalar_one()
        s.execute(update(Return).where(Return.id == rid).values(refund_total_minor=Return.refund_total_minor + d))

    def return_line(s, d):
        lid = s.execute(select(ReturnLine.id).order_by(ReturnLine.id).limit(1)).scalar_one()
        s.execute(update(ReturnLine).where(ReturnLine.id == lid).values(refund_minor=ReturnLine.refund_minor + d))

    def replacement_credit(s, d):
        s.execute(update(ReplacementOrder).where(ReplacementOrder.order_no == books["replacement"])
                  .values(credit_minor=ReplacementOrder.credit_minor + d))

    refund, swap = books["refund"], books["exchange_refund"]
    return [
        ("refund amount", "refund_mismatch", refund_amount(refund)),
        ("exchange refund amount", "refund_lines_mismatch", refund_amount(swap)),
        ("refund line", "refund_lines_mismatch", refund_line(refund)),
        ("exchange refund line", "refund_lines_mismatch", refund_line(swap)),
        ("credit note", "credit_note_mismatch", credit_note(refund)),
        ("exchange credit note", "exchange_mismatch", credit_note(swap)),
        ("journal credit", "journal_mismatch", journal_line(refund, True)),
        ("journal debit", "unbalanced_entry", journal_line(refund, False)),
        ("exchange journal credit", "journal_mismatch", journal_line(swap, True)),
        ("order line refunded", "order_line_mismatch", order_line(SalesOrderLine.refunded_minor)),
        ("order line returned", "order_line_mismatch", order_line(SalesOrderLine.qty_returned)),
        ("order line in process", "order_line_mismatch", order_line(SalesOrderLine.qty_in_process)),
        ("return total", "return_total_mismatch", return_total),
        ("return line", "return_total_mismatch", return_line),
        ("exchange credit", "exchange_mismatch", replacement_credit),
    ]


def test_check_finds_any_single_edited_amount(ctx, books):
    for what, kind, edit in _edits(books):
        for delta in (1, -1):
            with ctx.db.write() as s:
                edit(s, delta)
            kinds = {p.kind for p in finance.check_books(ctx)}
            with ctx.db.write() as s:
                edit(s, -delta)
            assert kind in kinds, (what, delta, kinds)
        assert finance.check_books(ctx) == [], what


def test_check_from_the_command_line_names_the_problem(ctx, books, capsys):
    from returndesk import cli

    with ctx.db.write() as s:
        s.execute(update(Refund).where(Refund.refund_no == books["refund"])
                  .values(amount_minor=Refund.amount_minor + 1))
    code = cli.main(["check", "--url", str(ctx.db.engine.url.render_as_string(hide_password=False))])
    err = capsys.readouterr().err
    assert code == 1
    assert "[refund_mismatch]" in err and books["refund"] in err
