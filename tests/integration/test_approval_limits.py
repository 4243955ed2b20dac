"""The limit `user list` shows and the limit the counter shows are the ones routing applies, and
they follow the policy in force (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from returndesk import cli
from returndesk.domain.approval import AUTOMATIC
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import auth, counter, intake, policy_admin, sales

from .factories import build_world, make_order

pytestmark = pytest.mark.both_databases("money limits read from the policy in force and compared in SQL")

MET = frozenset({"original_packaging", "accessories_complete"})


def _user_list(capsys, url: str) -> dict[str, str]:
    assert cli.main(["user", "list", "--url", url]) == 0
    out = capsys.readouterr().out
    return {line.split()[0]: line for line in out.splitlines()[1:]}


def _draft(world, order_no: str, qty: int = 1) -> intake.ReturnDraft:
    [line] = sales.get_sale(world.ctx, world.clerk, order_no).lines
    return intake.ReturnDraft(order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                              lines=(intake.DraftLine(line.order_line_id, qty, "changed_mind", conditions_met=MET),))


def test_user_list_shows_the_limit_the_policy_leaves_and_follows_a_new_policy(ctx, capsys):
    world = build_world(ctx)  # clerks 500.00, supervisors 5,000.00 of their own
    rows = _user_list(capsys, ctx.db.url)
    assert "¥200.00 (policy's automatic limit; own ¥500.00)" in rows["clerk"]
    assert "¥2,000.00 (policy's supervisor limit; own" in rows["supervisor"]
    assert [u.applied_limit.amount for u in auth.list_users(ctx) if u.username == "clerk"] == [20000]

    rules = sales.active_policy(ctx).rules
    policy_admin.publish_policy(ctx, world.admin, replace(rules, auto_approve_limit=80000, supervisor_limit=900000),
                                "Higher automatic limit")
    rows = _user_list(capsys, ctx.db.url)
    assert "¥500.00" in rows["clerk"] and "policy" not in rows["clerk"]


def test_the_counter_shows_the_limit_that_decides_an_on_the_spot_refund(ctx):
    world = build_world(ctx)
    cheap = make_order(world, [("HM-4001", 1)], channel="store", days_ago=2)  # 49.00
    dear = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)  # 599.00: above 200.00, below 500.00

    shown = intake.preview_return(ctx, world.clerk, _draft(world, cheap)).spot_limit
    assert (shown.amount, shown.own, shown.policy_limit) == (20000, world.clerk.approval_limit_minor, AUTOMATIC)

    preview = intake.preview_return(ctx, world.clerk, _draft(world, dear))
    assert preview.total_minor > preview.spot_limit.amount
    result = counter.counter_return(ctx, world.clerk, _draft(world, dear), complete_on_spot=True)
    assert not result.refunded and "automatic approval limit of ¥200.00" in result.message
    result = counter.counter_return(ctx, world.clerk, _draft(world, cheap), complete_on_spot=True)
    assert result.refunded
