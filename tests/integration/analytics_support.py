"""A small known data set for the analytics, written straight to the database (rows and the audit
trail with chosen times), so that every figure can be worked out by hand.

The site SH01 keeps Asia/Shanghai time (UTC+8). The period is November 2026 there:
2026-10-31 16:00 UTC up to 2026-11-30 16:00 UTC.

======  ========  ======================================  ==================================
return  customer  line (order, product, qty, reason)      story (UTC)
======  ========  ======================================  ==================================
R1      Li Wei    O1 EL-1001 x1 of 2, defective           11-03 00:00 requested, 02:00 authorized,
                                                          11-04 02:00 received, 03:00 inspected and
                                                          sent for approval, 07:00 approved,
                                                          08:00 refunded 399.00 to the card
R2      Li Wei    O1 AP-2001 x3 of 4, changed_mind        11-06 00:00 requested, 00:20 the customer
                                                          is asked, 00:40 answers: back to
                                                          requested, 01:00 authorized, 05:00
                                                          received, 09:00 inspected, 10:00
                                                          approved, 12:00 refunded 213.30 credit
R3      Smith     O2 AP-2001 x2 of 6, changed_mind        10-31 16:30 (Nov 1 00:30 in Shanghai)
                                                          requested, 18:30 authorized; still open
R4      Smith     O2 AP-2001 x1 of 6, defective           11-30 16:10 (Dec 1 in Shanghai) requested
R5      Smith     O3 EL-1001 x1 (September), defective    closed; its unit had serial SN-1
======  ========  ======================================  ==================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from returndesk.domain.analytics import ACTION_ENTERS
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Location
from returndesk.services.tx.context import Actor
from returndesk.store.schema import (
    AuditEvent,
    AuditHead,
    InspectionUnit,
    Refund,
    Return,
    ReturnLine,
    ReturnPolicy,
    SalesOrder,
    SalesOrderLine,
    Site,
    Station,
    StockLocation,
    StockMovement,
)

from tests.integration.factories import World, build_world


#: The RMA numbers of the data set's returns R1..R5 (real numbers, with their check digit).
RMA = {f"R{i}": format_rma(i) for i in range(1, 6)}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class AnalyticsWorld:
    world: World
    manager: Actor
    supervisor: Actor
    rma: dict[str, str]  # R1..R5 -> the RMA number


def _order(s, world, no, channel, customer_id, sold_at, lines):
    order = SalesOrder(order_no=no, channel=channel, customer_id=customer_id, sold_at=sold_at, delivered_at=sold_at,
                       payment_method="card", currency="CNY", shipping_minor=0,
                       total_paid_minor=sum(p for _, _, p in lines), site="SH01")
    s.add(order)
    s.flush()
    ids = []
    for i, (sku, qty, paid) in enumerate(lines, start=1):
        ol = SalesOrderLine(order_id=order.id, line_no=i, product_id=world.products[sku], quantity=qty,
                            unit_price_minor=paid // qty, discount_minor=0, tax_minor=0, paid_minor=paid)
        s.add(ol)
        s.flush()
        ids.append(ol.id)
    return order.id, ids


def _return(s, world, rma, order_id, customer_id, order_line_id, sku, qty, reason, status, created, changed,
            *, deduction=0, fee=0, policy_id):
    r = Return(rma_no=rma, order_id=order_id, customer_id=customer_id, channel="remote", status=status,
               status_changed_at=changed, policy_id=policy_id, in_policy=True, refund_method="original_payment",
               created_by=world.clerk.user_id, created_at=created, created_station="TEST-1")
    s.add(r)
    s.flush()
    s.add(ReturnLine(return_id=r.id, line_no=1, order_line_id=order_line_id, product_id=world.products[sku],
                     qty_requested=qty, qty_authorized=qty, reason_code=reason, policy_status="within",
                     deduction_minor=deduction, fee_minor=fee))
    s.flush()
    return r


_seq = 0


def _events(s, rma, steps):
    global _seq
    for action, when in steps:
        _seq += 1
        entered = ACTION_ENTERS.get(action)
        after = json.dumps({"status": entered.value}) if entered is not None else None
        s.add(AuditEvent(seq=_seq, occurred_at=when, entity="return", entity_id=rma, action=action,
                         after_json=after, prev_hash="0" * 64, hash=f"{_seq:064d}"))


def _unit(s, world, ret, sku, when, grade, serial=None):
    line_id = s.execute(select(ReturnLine.id).where(ReturnLine.return_id == ret.id)).scalar_one()
    s.add(InspectionUnit(return_id=ret.id, return_line_id=line_id, product_id=world.products[sku], outcome="accepted",
                         grade=grade, serial_no=serial, inspected_by=world.inspector.user_id, inspected_at=when,
                         station="INS-1"))


def _move(s, world, ret, sku, src, dst, qty, when, loc):
    s.add(StockMovement(product_id=world.products[sku], from_location_id=loc[src], to_location_id=loc[dst],
                        quantity=qty, return_id=ret.id, reason="inspected", created_at=when))


def build_analytics_world(ctx) -> AnalyticsWorld:
    global _seq
    _seq = 0
    world = build_world(ctx)
    with ctx.db.write() as s:
        s.add(Site(code="SH01", name="Shanghai", kind="store", time_zone="Asia/Shanghai", created_at=ctx.now()))
        s.add(Station(code="INS-1", name="Inspection 1", kind="inspection", site="SH01"))
        s.add(Station(code="TEST-1", name="Counter 1", kind="counter", site="SH01"))
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        loc = dict(s.execute(select(StockLocation.code, StockLocation.id)).all())
        c1, c2 = world.customer_id, world.customer2_id
        o1, (o1l1, o1l2) = _order(s, world, "O1", "online", c1, at(11, 2, 2),
                                  [("EL-1001", 2, 79800), ("AP-2001", 4, 31600)])
        o2, (o2l1,) = _order(s, world, "O2", "store", c2, at(10, 31, 16), [("AP-2001", 6, 47400)])
        o3, (o3l1,) = _order(s, world, "O3", "online", c2, at(9, 1, 2), [("EL-1001", 1, 39900)])

        r1 = _return(s, world, RMA["R1"], o1, c1, o1l1, "EL-1001", 1, "defective", "refunded", at(11, 3, 0),
                     at(11, 4, 8), policy_id=pid)
        _events(s, RMA["R1"], [("create", at(11, 3, 0)), ("submit", at(11, 3, 0)), ("authorize", at(11, 3, 2)),
                          ("receive", at(11, 4, 2)), ("unit_recorded", at(11, 4, 2, 30)),
                          ("complete_inspection", at(11, 4, 3)), ("route_for_approval", at(11, 4, 3)),
                          ("approve", at(11, 4, 7)), ("refund", at(11, 4, 8))])
        _unit(s, world, r1, "EL-1001", at(11, 4, 2, 30), "D", serial="SN-1")
        _move(s, world, r1, "EL-1001", Location.CUSTOMER, Location.INSPECTION, 1, at(11, 4, 2), loc)
        _move(s, world, r1, "EL-1001", Location.INSPECTION, Location.SCRAP, 1, at(11, 4, 2, 30), loc)
        s.add(Refund(refund_no="RF-1", return_id=r1.id, method="original_payment", amount_minor=39900,
                     issued_by=world.clerk.user_id, issued_at=at(11, 4, 8)))

        r2 = _return(s, world, RMA["R2"], o1, c1, o1l2, "AP-2001", 3, "changed_mind", "refunded", at(11, 6, 0),
                     at(11, 6, 12), deduction=1580, fee=790, policy_id=pid)
        _events(s, RMA["R2"], [("submit", at(11, 6, 0)), ("ask_customer", at(11, 6, 0, 20)),
                               ("customer_reply", at(11, 6, 0, 40)), ("authorize", at(11, 6, 1)),
                               ("receive", at(11, 6, 5)), ("complete_inspection", at(11, 6, 9)),
                               ("auto_approve", at(11, 6, 10)), ("refund", at(11, 6, 12))])
        for minute_at in (at(11, 6, 5, 10), at(11, 6, 5, 20), at(11, 6, 7, 30)):
            _unit(s, world, r2, "AP-2001", minute_at, "B")
        _move(s, world, r2, "AP-2001", Location.INSPECTION, Location.AVAILABLE, 2, at(11, 6, 5, 20), loc)
        _move(s, world, r2, "AP-2001", Location.INSPECTION, Location.AVAILABLE, 1, at(11, 6, 7, 30), loc)
        _move(s, world, r2, "AP-2001", Location.AVAILABLE, Location.REFURBISH, 1, at(11, 6, 8), loc)
        s.add(Refund(refund_no="RF-2", return_id=r2.id, method="store_credit", amount_minor=21330,
                     issued_by=world.clerk.user_id, issued_at=at(11, 6, 12)))

        _return(s, world, RMA["R3"], o2, c2, o2l1, "AP-2001", 2, "changed_mind", "authorized", at(10, 31, 16, 30),
                at(10, 31, 18, 30), policy_id=pid)
        _events(s, RMA["R3"], [("submit", at(10, 31, 16, 30)), ("authorize", at(10, 31, 18, 30))])

        _return(s, world, RMA["R4"], o2, c2, o2l1, "AP-2001", 1, "defective", "requested", at(11, 30, 16, 10),
                at(11, 30, 16, 10), policy_id=pid)
        _events(s, RMA["R4"], [("submit", at(11, 30, 16, 10))])

        r5 = _return(s, world, RMA["R5"], o3, c2, o3l1, "EL-1001", 1, "defective", "closed", at(9, 5, 0),
                     at(9, 20, 0), policy_id=pid)
        _events(s, RMA["R5"], [("submit", at(9, 5, 0)), ("close", at(9, 20, 0))])
        _unit(s, world, r5, "EL-1001", at(9, 10, 0), "C", serial="SN-1")
        s.execute(update(AuditHead).values(last_seq=_seq))
    return AnalyticsWorld(world, world.manager, world.supervisor, dict(RMA))


@pytest.fixture
def analytics_world(ctx, clock) -> AnalyticsWorld:
    """The data set above; the clock stands at 2026-12-01 00:00 UTC."""
    clock.current = at(12, 1, 0)
    return build_analytics_world(ctx)
