"""The counter side of issue 11: the requested resolution honoured (an exchange line is never
refunded unless the customer changed their mind), exchanges with the customer present (difference
collected or refunded, replacement handed over or shipped), and a supervisor's sign-off on the
clerk's screen (password or badge, recorded as the approver, segregation of duties and lockout)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    LimitExceeded,
    PermissionDenied,
    PolicyViolation,
    SegregationOfDuties,
    ValidationFailed,
)
from returndesk.domain.types import Channel, DocumentType, Location, RefundMethod, Resolution
from returndesk.domain.messages import Message, load_text
from returndesk.services.tx import stock
from returndesk.services.usecases import auth, counter, documents, exchange, finance, intake, refunds
from returndesk.services.usecases.auth import SignOff
from returndesk.store.schema import (
    Approval,
    AuditEvent,
    JournalEntry,
    JournalLine,
    Refund,
    ReplacementOrder,
    Return,
    ReturnLine,
    User,
)

from ..unit.documents_support import decoded_texts, pdf_text

from .factories import PASSWORD, build_world, make_order
from .money_support import CONDITIONS, order_line_ids

pytestmark = pytest.mark.both_databases("money settled both ways in one transaction under row locks")


def _draft(world, order_no, lines, *, method=RefundMethod.CASH, reason="wrong_size",
           resolution=Resolution.EXCHANGE, override_reason=None):
    ids = order_line_ids(world, order_no)
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=method, override_reason=override_reason,
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code=reason,
                                     resolution=resolution, conditions_met=CONDITIONS) for sku, qty in lines),
    )


def _exchange_return(world, sku="AP-2001", qty=1):
    order_no = make_order(world, [(sku, qty)], channel="store", days_ago=2)
    result = counter.counter_return(world.ctx, world.clerk, _draft(world, order_no, [(sku, qty)]))
    return result


def _on_hand(ctx, product_id, location):
    with ctx.db.read() as s:
        return stock.on_hand(s, product_id, location)


def test_a_walk_in_exchange_is_approved_not_refunded_and_a_refund_is_refused(ctx):
    world = build_world(ctx)
    result = _exchange_return(world)
    assert result.stage == "approved" and result.exchange_wanted and result.refund is None
    assert "the customer asked for an exchange" in result.message
    rma = result.detail.rma_no
    with pytest.raises(PolicyViolation) as err:
        refunds.issue_refund(ctx, world.supervisor, rma)
    assert err.value.message == (
        f"Return {rma} cannot be refunded: the customer asked for an exchange on line 1 (Cotton T-shirt)."
        " Exchange the goods, or record at the counter that the customer changed their mind and wants"
        " the money back.")
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "approved"


def test_changed_mind_is_recorded_with_who_and_when_and_then_the_refund_is_paid(ctx):
    world = build_world(ctx)
    rma = _exchange_return(world).detail.rma_no
    case = exchange.get_exchange_case(ctx, world.clerk, rma)
    assert case.can_change_mind and case.can_exchange and len(case.exchange_line_ids) == 1

    detail = exchange.record_changed_mind(ctx, world.clerk, rma)
    assert detail.resolution == "refund"
    line = detail.lines[0]
    assert line.resolution == "refund" and line.changed_mind_by == "clerk" and line.changed_mind_at is not None
    paid = refunds.issue_refund(ctx, world.clerk, rma)
    assert paid.refund.amount_minor == 7900
    with ctx.db.read() as s:
        row = s.execute(select(ReturnLine)).scalar_one()
        assert row.changed_mind_by == world.clerk.user_id
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "changed_mind")).scalar_one()
        assert event.username == "clerk" and event.entity_id == rma
    with pytest.raises(PolicyViolation, match="can no longer change an exchange into a refund"):
        exchange.record_changed_mind(ctx, world.clerk, rma)


def test_counter_exchange_with_the_customer_paying_the_difference_by_card(ctx):
    world = build_world(ctx)
    rma = _exchange_return(world).detail.rma_no
    shoes = world.products["SH-3001"]
    with pytest.raises(ValidationFailed, match="choose how they pay"):
        exchange.exchange_at_counter(ctx, world.clerk, rma, [("SH-3001", 1)])
    with ctx.db.read() as s:  # nothing half written
        assert s.execute(select(func.count()).select_from(ReplacementOrder)).scalar_one() == 0
    result = exchange.exchange_at_counter(ctx, world.clerk, rma, [("SH-3001", 1)], collect_method="card")

    ro = result.replacement
    assert (ro.value_minor, ro.credit_minor, ro.difference_minor) == (59900, 7900, 52000)
    assert (ro.collected_minor, ro.collected_method, ro.collected_by) == (52000, "card", "Clerk")
    assert ro.status == "fulfilled" and ro.fulfilment == "counter" and result.to_collect_minor == 0
    assert result.detail.status == "exchanged"
    assert (_on_hand(ctx, shoes, Location.AVAILABLE), _on_hand(ctx, shoes, Location.RESERVED)) == (19, 0)
    with ctx.db.read() as s:
        order = s.execute(select(ReplacementOrder)).scalar_one()
        collected = (order.collected_minor, order.collected_method, order.collected_by)
        assert collected == (52000, "card", world.clerk.user_id)
        entry = s.execute(select(JournalEntry).where(JournalEntry.memo.like("%Difference of exchange%"))).scalar_one()
        lines = {(ln.account, ln.debit_minor, ln.credit_minor) for ln in
                 s.execute(select(JournalLine).where(JournalLine.entry_id == entry.id)).scalars()}
        assert lines == {(finance.BANK, 52000, 0), (finance.CUSTOMER_ACCOUNTS, 0, 52000)}
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0
        actions = set(s.execute(select(AuditEvent.action).where(AuditEvent.entity_id == rma)).scalars())
        assert {"exchange", "collect_difference", "fulfil_replacement"} <= actions
    assert finance.check_books(ctx) == []


def test_counter_exchange_for_cheaper_goods_refunds_the_difference_and_ships_later(ctx):
    world = build_world(ctx)
    rma = _exchange_return(world, "SH-3001").detail.rma_no
    # 599.00 is above the automatic limit: a supervisor signs off on the clerk's screen, and the
    # customer who asked for an exchange is not refunded.
    signed = counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="supervisor", password=PASSWORD))
    assert signed.stage == "approved" and signed.exchange_wanted and signed.refund is None
    mugs = world.products["HM-4001"]
    result = exchange.exchange_at_counter(ctx, world.clerk, rma, [("HM-4001", 2)], fulfilment="ship",
                                          refund_method="store_credit")
    ro = result.replacement
    assert ro.difference_minor == 9800 - 59900 and ro.collected_minor == 0
    assert ro.status == "reserved" and ro.fulfilment == "ship"
    assert (result.refund.amount_minor, result.refund.method) == (50100, "store_credit")
    assert _on_hand(ctx, mugs, Location.RESERVED) == 2
    with ctx.db.read() as s:
        refund = s.execute(select(Refund)).scalar_one()
        assert (refund.amount_minor, refund.method) == (50100, "store_credit")
    # The packing slip for the parcel: by the RO number or the RMA, its barcode the RO number.
    slip = documents.render_document(ctx, world.clerk, DocumentType.PACKING_SLIP, rma, lang="zh_CN")
    assert slip.reference == ro.order_no and slip.title == f"Packing slip {ro.order_no} ({rma})"
    words = pdf_text(slip.pdf)
    assert "发货单" in words and "HM-4001" in words and "陶瓷马克杯" in words and rma in words
    assert ro.order_no in decoded_texts(slip.pdf)
    shipped = exchange.fulfil_replacement(ctx, world.clerk, ro.order_no)
    assert shipped.status == "fulfilled" and _on_hand(ctx, mugs, Location.RESERVED) == 0
    assert finance.check_books(ctx) == []


def test_products_are_found_by_barcode_sku_or_name_and_variants_are_suggested(ctx):
    world = build_world(ctx)
    with ctx.db.write() as s:
        from returndesk.store.schema import Product
        tee = s.get(Product, world.products["AP-2001"])
        tee.style_code, tee.variant = "TEE", "Size M"
        s.add(Product(sku="AP-2001-L", barcode="6901234567960", name="Cotton T-shirt", name_zh="纯棉T恤",
                      category="apparel", price_minor=7900, cost_minor=2500, style_code="TEE", variant="Size L"))
    rma = _exchange_return(world).detail.rma_no
    case = exchange.get_exchange_case(ctx, world.clerk, rma)
    assert [(p.sku, p.variant, p.available) for p in case.suggestions] == [
        ("AP-2001", "Size M", 20), ("AP-2001-L", "Size L", 0)]
    assert [p.sku for p in exchange.find_products(ctx, world.clerk, "6901234567922")] == ["SH-3001"]
    assert [p.sku for p in exchange.find_products(ctx, world.clerk, "shoes")] == ["SH-3001"]
    assert [p.sku for p in exchange.find_products(ctx, world.clerk, "跑鞋")] == ["SH-3001"]
    with pytest.raises(PermissionDenied):
        exchange.find_products(ctx, world.inspector, "shoes")


# --------------------------------------------------------------------------- supervisor sign-off


def _above_limit_return(world):
    """A walk-in refund of 599.00 in cash: above the automatic limit and the clerk's limit."""
    order_no = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)
    result = counter.counter_return(world.ctx, world.clerk, _draft(
        world, order_no, [("SH-3001", 1)], reason="changed_mind", resolution=Resolution.REFUND))
    assert result.stage == "awaiting_approval"
    return result.detail


def test_supervisor_signs_off_on_the_clerks_screen_and_the_refund_is_paid(ctx):
    world = build_world(ctx)
    detail = _above_limit_return(world)
    result = counter.sign_off_return(ctx, world.clerk, detail.rma_no,
                                     SignOff(username="supervisor", password=PASSWORD),
                                     expected_version=detail.version)
    assert result.refunded and result.detail.status == "refunded"
    with ctx.db.read() as s:
        approval = s.execute(select(Approval).where(Approval.decision == "approved")).scalar_one()
        assert approval.decided_by == world.supervisor.user_id
        # The services' sentence is kept as a message (a screen shows it in its language), not
        # as the supervisor's words in the approval's step: the sign-off has a step of its own.
        reason = load_text(approval.reason)
        assert isinstance(reason, Message) and reason.template == "Signed off at the counter on the screen of {clerk}."
        approved = s.execute(select(AuditEvent).where(AuditEvent.action == "approve")).scalar_one()
        assert '"note":null' in approved.after_json
        # Above the clerk's cash limit of 500.00: the supervisor who signed off paid it out.
        refund = s.execute(select(Refund)).scalar_one()
        assert (refund.amount_minor, refund.issued_by) == (59900, world.supervisor.user_id)
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "signed_off")).scalar_one()
        assert event.username == "supervisor" and '"on_screen_of":"clerk"' in event.after_json


def test_sign_off_refusals_wrong_password_same_person_and_limit(ctx):
    world = build_world(ctx)
    detail = _above_limit_return(world)
    rma = detail.rma_no
    with pytest.raises(AuthenticationFailed, match="4 attempts left"):
        counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="supervisor", password="nope"))
    with ctx.db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "supervisor")).scalar_one() == 1
    # The clerk cannot sign off their own return, not even with their own right password.
    with pytest.raises(SegregationOfDuties, match="cannot sign off your own return"):
        counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="clerk", password=PASSWORD))
    # Another clerk is no supervisor.
    with pytest.raises(PermissionDenied, match=r"\(clerk\) cannot sign off returns"):
        counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="clerk2", password=PASSWORD))
    # A supervisor whose limit is below the amount.
    auth.change_user(ctx, None, "supervisor2", approval_limit_minor=30000)
    with pytest.raises(LimitExceeded, match="above your approval limit"):
        counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="supervisor2", password=PASSWORD))
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "awaiting_approval"
        assert s.execute(select(func.count()).select_from(Approval)).scalar_one() == 0
    # Five wrong passwords lock the supervisor's account, as at sign-in.
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="supervisor", password="nope"))
    with pytest.raises(AccountLocked, match="now locked"):
        counter.sign_off_return(ctx, world.clerk, rma, SignOff(username="supervisor", password="nope"))
    with pytest.raises(AccountLocked):
        auth.sign_in(ctx, "supervisor", PASSWORD)


def test_badge_sign_off_and_an_override_signed_at_intake(ctx):
    world = build_world(ctx)
    auth.set_badge(ctx, world.admin, "supervisor", "BADGE-7731")
    with pytest.raises(ValidationFailed, match="belongs to supervisor"):
        auth.set_badge(ctx, world.admin, "manager", "badge-7731")
    with pytest.raises(AuthenticationFailed, match="badge is not known"):
        counter.sign_off_return(ctx, world.clerk, _above_limit_return(world).rma_no, SignOff(badge="BADGE-0000"))
    # Outside the policy (sold 60 days ago): the clerk writes the reason, the supervisor's badge signs.
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=60)
    draft = _draft(world, order_no, [("AP-2001", 1)], reason="changed_mind", resolution=Resolution.REFUND,
                   override_reason="Regular customer, tags still on")
    with pytest.raises(PolicyViolation, match="ask a supervisor"):
        counter.counter_return(ctx, world.clerk, draft)
    result = counter.counter_return(ctx, world.clerk, draft, sign_off=SignOff(badge=" badge-7731 "))
    assert result.refunded
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == result.detail.rma_no)).scalar_one()
        assert (ret.in_policy, ret.override_by, ret.created_by) == (
            False, world.supervisor.user_id, world.clerk.user_id)
        deciders = set(s.execute(select(Approval.decided_by).where(Approval.return_id == ret.id)).scalars())
        assert deciders == {world.supervisor.user_id}
        assert s.execute(select(User.badge_hash).where(User.username == "supervisor")).scalar_one() != "BADGE-7731"


# --------------------------------------------------------------------------- returns without a receipt


def test_a_blind_return_is_store_credit_at_the_lowest_recent_price_signed_off_and_flagged(ctx):
    from returndesk.services.usecases import blind, history
    from returndesk.store.schema import CreditNote, SalesOrder, SalesOrderLine

    world = build_world(ctx)
    # Running shoes (list 599.00) sold at 560.00 ten days ago and at 520.00 a hundred days ago:
    # the policy's 90 days see 560.00.
    make_order(world, [("SH-3001", 1, 3900)], channel="store", days_ago=8)
    make_order(world, [("SH-3001", 1, 7900)], channel="store", days_ago=98)
    quote = blind.quote_blind_return(ctx, world.clerk, "6901234567922", customer_phone="139 0013 9000")
    assert (quote.sku, quote.unit_price_minor, quote.lowest_sold_minor, quote.days) == ("SH-3001", 56000, 56000, 90)
    assert (quote.customer_name, quote.earlier_no_receipt, quote.refund_method) == ("Anna Smith", 0, "store_credit")

    draft = blind.BlindDraft(product="6901234567922", quantity=1, reason_code="changed_mind",
                             customer_phone="13900139000", conditions_met=CONDITIONS)
    with pytest.raises(ValidationFailed, match="needs a supervisor's sign-off"):
        blind.blind_return(ctx, world.clerk, draft, None)
    with pytest.raises(AuthenticationFailed):
        blind.blind_return(ctx, world.clerk, draft, SignOff(username="supervisor", password="nope"))
    with pytest.raises(SegregationOfDuties):
        blind.blind_return(ctx, world.clerk, draft, SignOff(username="clerk", password=PASSWORD))
    result = blind.blind_return(ctx, world.clerk, draft, SignOff(username="supervisor", password=PASSWORD))

    assert result.refunded and result.refund.refund.method == "store_credit"
    assert result.refund.refund.amount_minor == 56000
    with ctx.db.read() as s:
        ret = s.execute(select(Return)).scalar_one()
        order = s.get(SalesOrder, ret.order_id)
        assert order.channel == "no_receipt" and order.order_no == "NR-2026-000001"
        assert order.customer_id == world.customer2_id
        line = s.execute(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)).scalar_one()
        assert (line.paid_minor, line.qty_returned, line.refunded_minor) == (56000, 1, 56000)
        assert (ret.in_policy, ret.override_by, ret.refund_method) == (False, world.supervisor.user_id, "store_credit")
        assert ret.override_reason.startswith(
            "No receipt: refunded as store credit at the lowest price of the last 90 days")
        decisions = {(a.decision, a.decided_by) for a in s.execute(select(Approval)).scalars()}
        assert decisions == {("override", world.supervisor.user_id), ("approved", world.supervisor.user_id)}
        assert s.execute(select(CreditNote.total_minor)).scalar_one() == 56000
    past = history.customer_history(ctx, world.supervisor, world.customer2_id)
    assert past.no_receipt_returns == 1 and past.last_returns[0].no_receipt
    # A no-receipt sale is never a price of its own, and the next quote names the earlier one.
    again = blind.quote_blind_return(ctx, world.clerk, "SH-3001", customer_phone="13900139000")
    assert again.unit_price_minor == 56000 and again.earlier_no_receipt == 1
    assert finance.check_books(ctx) == []


def test_a_blind_return_is_refused_for_serial_items_unknown_customers_without_a_name_and_no_sales(ctx):
    from returndesk.services.usecases import blind

    world = build_world(ctx)
    ok = SignOff(username="supervisor", password=PASSWORD)
    with pytest.raises(PolicyViolation, match="serial-numbered"):
        blind.blind_return(ctx, world.clerk, blind.BlindDraft("EL-1001", 1, "changed_mind", "13800138000"), ok)
    with pytest.raises(PolicyViolation, match="can never be returned"):
        blind.blind_return(ctx, world.clerk, blind.BlindDraft("FD-5001", 1, "changed_mind", "13800138000"), ok)
    with pytest.raises(ValidationFailed, match="type the customer's name"):
        blind.blind_return(ctx, world.clerk, blind.BlindDraft("HM-4001", 1, "changed_mind", "13700000001",
                                                              conditions_met=CONDITIONS), ok)
    # No sale of the mug in 90 days: today's price; a new customer is added with the name given.
    result = blind.blind_return(ctx, world.clerk, blind.BlindDraft(
        "HM-4001", 2, "changed_mind", "137-0000-0001", customer_name="Zhao Lei", conditions_met=CONDITIONS), ok)
    assert result.refunded and result.refund.refund.amount_minor == 9800
    assert "today's price (¥49.00); no lower sale in the last 90 days" in result.detail.override_reason
    with ctx.db.read() as s:
        from returndesk.store.schema import Customer
        added = s.execute(select(Customer).where(Customer.phone == "13700000001")).scalar_one()
        assert added.name == "Zhao Lei" and result.detail.customer_id == added.id


def test_a_blind_return_missing_a_condition_is_overridden_once_by_the_signing_supervisor(ctx):
    from returndesk.services.usecases import blind

    world = build_world(ctx)
    result = blind.blind_return(ctx, world.clerk, blind.BlindDraft("HM-4001", 1, "changed_mind", "13800138000"),
                                SignOff(username="supervisor", password=PASSWORD))
    assert result.refunded
    with ctx.db.read() as s:
        overrides = s.execute(select(Approval.decided_by).where(Approval.decision == "override")).scalars().all()
        assert overrides == [world.supervisor.user_id]


def test_an_exchange_difference_in_cash_goes_through_the_counters_shift(ctx):
    """Cash the customer pays for dearer goods goes into the open shift's drawer, cash handed back
    for cheaper goods comes out of it: the shift's expected cash, its report and its PDF say so."""
    from returndesk.services.usecases import cash

    world = build_world(ctx)
    shift = cash.open_shift(ctx, world.clerk, 10000)
    dearer = _exchange_return(world).detail.rma_no
    exchange.exchange_at_counter(ctx, world.clerk, dearer, [("SH-3001", 1)], collect_method="cash")
    cheaper = _exchange_return(world).detail.rma_no
    result = exchange.exchange_at_counter(ctx, world.clerk, cheaper, [("HM-4001", 1)], refund_method="cash")
    assert (result.refund.amount_minor, result.refund.method) == (3000, "cash")

    now = cash.current_shift(ctx, world.clerk)
    assert (now.taken_in_minor, now.collections, now.paid_out_minor, now.payments) == (52000, 1, 3000, 1)
    assert now.expected_minor == 10000 + 52000 - 3000
    with ctx.db.read() as s:
        assert s.execute(select(ReplacementOrder.cash_shift_id)
                         .where(ReplacementOrder.collected_method == "cash")).scalar_one() == shift.id
        assert s.execute(select(Refund.cash_shift_id).where(Refund.method == "cash")).scalar_one() == shift.id
    closed = cash.close_shift(ctx, world.clerk, 59000)
    assert (closed.expected_minor, closed.difference_minor) == (59000, 0)
    report = cash.shift_report(ctx, world.finance, shift.shift_no)
    assert [(c.rma_no, c.amount_minor) for c in report.collections] == [(dearer, 52000)]
    assert [p.rma_no for p in report.payments] == [cheaper]
    words = pdf_text(cash.shift_report_pdf(ctx, world.finance, shift.shift_no, lang="zh_CN"))
    assert "换货差价" in words and "520.00" in words
    # The station keeps shifts: no cash taken while none is open, and nothing half written.
    third = _exchange_return(world).detail.rma_no
    with pytest.raises(PolicyViolation, match="no open cash shift"):
        exchange.exchange_at_counter(ctx, world.clerk, third, [("SH-3001", 1)], collect_method="cash")
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(ReplacementOrder)).scalar_one() == 2
    assert finance.check_books(ctx) == []


def test_a_new_customer_without_a_receipt_passes_over_codes_the_shops_file_gave_already(ctx):
    """The shop imported its customers with codes of the same form (C-000001, C-000002): a new
    customer at the counter takes the next code nobody has, not a refusal at every try."""
    from returndesk.services.usecases import blind
    from returndesk.store.schema import Customer

    world = build_world(ctx)
    with ctx.db.write() as s:
        for code in ("C-000001", "C-000002"):
            s.add(Customer(code=code, name=f"Imported {code}", phone=None, created_at=ctx.now()))
    ok = SignOff(username="supervisor", password=PASSWORD)
    result = blind.blind_return(ctx, world.clerk, blind.BlindDraft(
        "HM-4001", 1, "changed_mind", "137-0000-0002", customer_name="Qian Yu", conditions_met=CONDITIONS), ok)
    with ctx.db.read() as s:
        added = s.execute(select(Customer).where(Customer.phone == "13700000002")).scalar_one()
    assert added.code == "C-000003" and result.detail.customer_id == added.id
