"""The analytics through a real server: the RPC table offers the group, and the figures arrive as
the same dataclasses the in-process API gives."""

from __future__ import annotations

from datetime import UTC

import pytest

from returndesk.api.remote import ServerConnection, remote_api
from returndesk.api.rpc import remote_methods
from returndesk.api.types import ReportFilter
from returndesk.domain.errors import PermissionDenied
from returndesk.domain.localtime import local_day
from returndesk.domain.types import Channel, RefundMethod
from returndesk.server.app import local_session
from returndesk.services.usecases import intake

from .factories import PASSWORD, make_order

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server


def test_the_analytics_group_is_offered_and_answers_as_in_process(world_server):
    world, base = world_server
    assert ("analytics", "reason_pareto") in remote_methods()
    assert ("analytics", "set_customer_watch") in remote_methods()
    connection = ServerConnection(base, station="SUP-1")
    manager = connection.sign_in("manager", PASSWORD)
    api = remote_api(connection, manager)
    local = local_session(world.ctx).api_for(manager)
    order_no = make_order(world, [("AP-2001", 2)])
    line = local.search.get_sale(order_no, channel=Channel.REMOTE).lines[0]
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_id=line.order_line_id, quantity=2,
                                                       reason_code="wrong_size"),))
    local_session(world.ctx).api_for(world.clerk).intake.create_return(draft)
    today = local_day(world.ctx.now(), UTC)
    f = ReportFilter(today, today)
    pareto = api.analytics.reason_pareto(f)
    assert pareto == local.analytics.reason_pareto(f)
    assert [(b.code, b.units) for b in pareto.bars] == [("wrong_size", 2)]
    assert api.analytics.money(f) == local.analytics.money(f)
    clerk_connection = ServerConnection(base, station="CTR-1")
    clerk_api = remote_api(clerk_connection, clerk_connection.sign_in("clerk", PASSWORD))
    with pytest.raises(PermissionDenied):
        clerk_api.analytics.reason_pareto(f)


def test_stage_targets_and_the_trend_over_the_server(world_server):
    world, base = world_server
    for name in ("cycle_trend", "get_stage_targets", "set_stage_targets"):
        assert ("analytics", name) in remote_methods()
    assert not remote_methods()[("analytics", "cycle_trend")].is_command
    assert remote_methods()[("analytics", "set_stage_targets")].is_command
    connection = ServerConnection(base, station="SUP-1")
    manager = connection.sign_in("manager", PASSWORD)
    api = remote_api(connection, manager)
    local = local_session(world.ctx).api_for(manager)
    saved = api.analytics.set_stage_targets({"received": 6})
    assert {t.stage: t.hours for t in saved}["received"] == 6
    assert api.analytics.get_stage_targets() == local.analytics.get_stage_targets()
    today = local_day(world.ctx.now(), UTC)
    f = ReportFilter(today, today)
    assert {a.stage: a.target_hours for a in api.analytics.cycle_times(f).ageing}["received"] == 6
    assert api.analytics.cycle_trend(f, "day") == local.analytics.cycle_trend(f, "day")
    supervisor_connection = ServerConnection(base, station="SUP-2")
    supervisor_api = remote_api(supervisor_connection, supervisor_connection.sign_in("supervisor", PASSWORD))
    with pytest.raises(PermissionDenied):
        supervisor_api.analytics.set_stage_targets({"received": 8})
