"""Housekeeping: settled returns close after the policy's period, overdue remote returns expire by
the selling site's calendar, every change is its own audit event by the system."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.tx import audit
from returndesk.services.usecases import approval, exchange, housekeeping, intake, refunds, sales, sites
from returndesk.store.schema import AuditEvent, Return

from .factories import build_world, make_order
from .money_support import LineSpec, approved, awaiting

pytestmark = pytest.mark.both_databases("keyset batches locked with FOR UPDATE; deadlines compared in SQL")


def _status(ctx, rma):
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def _system_events(ctx, rma, action):
    with ctx.db.read() as s:
        return list(s.execute(select(AuditEvent.user_id).where(
            AuditEvent.entity_id == rma, AuditEvent.action == action)).scalars())


def test_close_after_days_is_a_validated_policy_setting():
    assert PolicyRules.default().close_after_days == 14
    assert PolicyRules.from_dict({"close_after_days": 3}).close_after_days == 3
    with pytest.raises(ValidationFailed, match="close_after_days"):
        PolicyRules.from_dict({"close_after_days": -1})


def test_a_refunded_return_closes_once_the_period_has_passed(ctx, clock):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, rma)
    with pytest.raises(PermissionDenied):
        housekeeping.run_housekeeping(ctx, world.clerk)
    clock.advance(days=13, hours=23)
    report = housekeeping.run_housekeeping(ctx)
    assert (report.expired, report.closed) == ([], []) and _status(ctx, rma) == "refunded"
    assert "nothing to do" in report.summary()
    clock.advance(hours=2)
    report = housekeeping.run_housekeeping(ctx)
    assert report.closed == [rma] and report.closed_count == 1 and _status(ctx, rma) == "closed"
    assert report.summary() == "Housekeeping expired 0 overdue returns (never received) and closed 1 settled return."
    assert _system_events(ctx, rma, "close") == [None]
    assert housekeeping.run_housekeeping(ctx).closed == []
    assert audit.verify_chain(ctx).ok


def test_an_exchange_with_a_reserved_replacement_stays_open(ctx, clock):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("HM-4001", 2, reason="defective")])
    exchange.create_exchange(ctx, world.clerk2, rma, [("HM-4001", 2)])
    clock.advance(days=20)
    assert housekeeping.run_housekeeping(ctx).closed == []
    assert _status(ctx, rma) == "exchanged"
    exchange.fulfil_replacement(ctx, world.clerk2, rma)
    assert housekeeping.run_housekeeping(ctx).closed == [rma]
    assert _status(ctx, rma) == "closed"


def test_a_return_whose_refund_was_refused_closes_after_the_period(ctx, clock):
    """The refund refused, the goods went back to the customer: nothing is left to do, so the
    return closes like a settled one (refund_rejected -> closed), by the system."""
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)], in_policy=False)
    assert _status(ctx, rma) == "awaiting_approval"
    approval.reject_refund(ctx, world.supervisor, rma, "Scratches the customer made, photos attached")
    assert _status(ctx, rma) == "refund_rejected"
    clock.advance(days=13)
    assert housekeeping.run_housekeeping(ctx).closed == [] and _status(ctx, rma) == "refund_rejected"
    clock.advance(days=1, minutes=1)
    report = housekeeping.run_housekeeping(ctx)
    assert report.closed == [rma] and _status(ctx, rma) == "closed"
    assert _system_events(ctx, rma, "close") == [None]
    assert audit.verify_chain(ctx).ok


def test_closing_walks_a_backlog_in_batches(ctx, clock, monkeypatch):
    monkeypatch.setattr(housekeeping, "CLOSE_BATCH", 2)
    world = build_world(ctx)
    rmas = []
    for _ in range(3):
        rma = approved(world, [LineSpec("HM-4001", 1)])
        refunds.issue_refund(ctx, world.finance, rma)
        rmas.append(rma)
        clock.advance(minutes=1)
    clock.advance(days=15)
    assert sorted(housekeeping.run_housekeeping(ctx).closed) == sorted(rmas)


def test_expiry_counts_the_selling_sites_days(ctx, clock):
    """Authorized at 01:30 in Shanghai (17:30 the day before in UTC): the 30 days run from the
    Shanghai day, and the return expires when Shanghai's day is past the receive-by day."""
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "SH01", name="Nanjing Rd.", time_zone="Asia/Shanghai")
    clock.current = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    order_no = make_order(world, [("AP-2001", 1)])
    order_line = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
    draft = intake.ReturnDraft(
        order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=(intake.DraftLine(order_line, 1, "changed_mind",
                                conditions_met=frozenset({"original_packaging", "accessories_complete"})),),
    )
    rma = intake.create_return(ctx, world.clerk, draft).rma_no
    intake.authorize_return(ctx, world.clerk, rma)
    with ctx.db.read() as s:
        receive_by = s.execute(select(Return.receive_by).where(Return.rma_no == rma)).scalar_one()
    assert receive_by == date(2026, 12, 28)
    clock.current = datetime(2026, 12, 28, 15, 59, tzinfo=UTC)  # 23:59 on the 28th in Shanghai
    assert housekeeping.run_housekeeping(ctx).expired == []
    clock.current = datetime(2026, 12, 28, 16, 1, tzinfo=UTC)  # 00:01 on the 29th in Shanghai
    report = housekeeping.run_housekeeping(ctx)
    assert report.expired == [rma] and _status(ctx, rma) == "expired"
    assert _system_events(ctx, rma, "expire") == [None]


def test_one_process_at_a_time_does_it_and_the_server_runs_it_in_the_background(ctx, clock):
    import threading

    from sqlalchemy import text

    from returndesk.server import app as server_app

    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, rma)
    clock.advance(days=15)
    if not ctx.db.is_sqlite:
        # Another server process holds the housekeeping lock: this one skips the round.
        with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
            other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": housekeeping.HOUSEKEEPING_LOCK})
            assert housekeeping.run_housekeeping_alone(ctx) is None
            assert _status(ctx, rma) == "refunded"
            other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": housekeeping.HOUSEKEEPING_LOCK})
    job = server_app.housekeeping_job(ctx, 3600)
    ran = threading.Event()
    round_of = job.job
    job.job = lambda c: (round_of(c), ran.set())
    job.start()
    try:
        assert ran.wait(30), "the server's housekeeping round did not finish"
    finally:
        job.stop()
    assert _status(ctx, rma) == "closed"
    assert housekeeping.run_housekeeping_alone(ctx) == housekeeping.HousekeepingReport()
