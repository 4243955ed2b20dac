"""Policy versions and return reasons, administered and audited (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from returndesk.domain.errors import ConcurrentChange, NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.messages import Names, render
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import Channel, RefundMethod, Resolution
from returndesk.services.usecases import intake, policy_admin, sales
from returndesk.store.schema import AuditEvent, ReturnPolicy, ReturnReason

from .factories import build_world, make_order

pytestmark = pytest.mark.both_databases(
    "version numbers drawn with max() under row locks; a unique violation aborts the transaction on PostgreSQL"
)

MET = frozenset({"original_packaging", "accessories_complete"})


def _audit(ctx, entity, entity_id):
    with ctx.db.read() as s:
        return s.execute(
            select(AuditEvent.action, AuditEvent.username, AuditEvent.before_json, AuditEvent.after_json)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq)
        ).all()


def test_the_seeded_policy_is_in_force(ctx):
    build_world(ctx)
    policy = policy_admin.get_policy(ctx)
    assert policy.version == 1 and policy.active and policy.rules == PolicyRules.default()
    assert policy_admin.get_policy_version(ctx, policy.id) == policy
    with pytest.raises(NotFound):
        policy_admin.get_policy_version(ctx, 987654)


def test_publish_makes_a_new_version_and_keeps_the_old_one(ctx, clock):
    world = build_world(ctx)
    v1 = policy_admin.get_policy(ctx)
    clock.advance(days=1)
    rules = PolicyRules(window_days=14, restocking_fee_pct=Decimal("0.15"),
                        category_windows={"electronics": 7}, required_conditions=("tags_attached",))
    v2 = policy_admin.publish_policy(ctx, world.admin, rules, "  Spring 2027  ")
    assert (v2.version, v2.name, v2.created_by) == (2, "Spring 2027", "admin")
    assert v2.rules == rules and v2.effective_from == clock.current
    assert policy_admin.get_policy(ctx).id == v2.id and sales.active_policy(ctx).version == 2
    assert policy_admin.get_policy_version(ctx, v1.id).rules == PolicyRules.default()
    with ctx.db.read() as s:
        assert s.execute(select(ReturnPolicy.rules_json).where(ReturnPolicy.id == v1.id)).scalar_one() \
            == PolicyRules.default().to_json()
    (event,) = _audit(ctx, "policy", 2)
    assert event.action == "publish" and event.username == "admin"
    assert json.loads(event.before_json)["rules"]["window_days"] == 30
    assert json.loads(event.after_json)["rules"]["restocking_fee_pct"] == "0.15"
    # New returns are judged by the new version.
    order_no = make_order(world, [("EL-1002", 1)], days_ago=10)
    charger = sales.get_sale(ctx, world.clerk, order_no).lines[0]
    assert charger.verdict_customer_fault.window_days == 7
    assert sales.get_sale(ctx, world.clerk, order_no).required_conditions == (("tags_attached", "tags attached"),)


def test_publish_is_for_administrators_and_validated(ctx):
    world = build_world(ctx)
    for actor in (world.clerk, world.supervisor, world.manager):
        with pytest.raises(PermissionDenied):
            policy_admin.publish_policy(ctx, actor, PolicyRules(), "Mine")
    with pytest.raises(ValidationFailed) as err:
        policy_admin.publish_policy(ctx, world.admin,
                                    PolicyRules(non_returnable_categories={"Food", "perishables"},
                                                category_windows={"shoe": 60}), " ")
    problems = err.value.problems
    assert len(problems) == 3
    assert "Give the policy version a name" in problems[0]
    assert "'category_windows' names shoe, which is not a category" in problems[1]
    assert "'non_returnable_categories' names perishables" in problems[2]  # Food matches food
    with pytest.raises(ValidationFailed):
        policy_admin.publish_policy(ctx, world.admin, {"window_days": 3}, "Not rules")
    assert policy_admin.get_policy(ctx).version == 1
    assert _audit(ctx, "policy", 2) == []


def test_list_versions_newest_first_with_paging(ctx):
    world = build_world(ctx)
    for days in (10, 20, 40, 50):
        policy_admin.publish_policy(ctx, world.admin, PolicyRules(window_days=days), f"{days} days")
    first = policy_admin.list_policy_versions(ctx, world.admin, limit=3)
    assert [p.version for p in first] == [5, 4, 3]
    rest = policy_admin.list_policy_versions(ctx, world.admin, limit=3, before_version=first[-1].version)
    assert [p.version for p in rest] == [2, 1]
    assert rest[0].rules.window_days == 10
    with pytest.raises(PermissionDenied):
        policy_admin.list_policy_versions(ctx, world.clerk)


def test_add_reason_validates_and_audits(ctx):
    world = build_world(ctx)
    with pytest.raises(ValidationFailed) as err:
        policy_admin.add_reason(ctx, world.admin, "Bad Code", "", "好", vendor_fault=False,
                                allowed_resolutions=["swap"])
    assert len(err.value.problems) == 3
    assert "cannot be a reason code" in err.value.problems[0]
    assert "English name of the reason is empty" in err.value.problems[1]
    assert "'swap' is not a resolution" in err.value.problems[2]
    with pytest.raises(ValidationFailed, match="at least one resolution"):
        policy_admin.add_reason(ctx, world.admin, "gift", "Unwanted gift", "礼物", vendor_fault=False,
                                allowed_resolutions=[])
    with pytest.raises(ValidationFailed, match="exists already"):
        policy_admin.add_reason(ctx, world.admin, "defective", "Broken", "坏了", vendor_fault=True)
    with pytest.raises(PermissionDenied):
        policy_admin.add_reason(ctx, world.supervisor, "gift", "Unwanted gift", "礼物", vendor_fault=False)
    view = policy_admin.add_reason(ctx, world.admin, "gift", "Unwanted gift", "不需要的礼物",
                                   vendor_fault=False, allowed_resolutions=["exchange"])
    assert view.allowed_resolutions == (Resolution.EXCHANGE,) and view.active
    assert view.sort_order == 90  # after the last seeded reason (80)
    assert sales.list_reasons(ctx)[-1].code == "gift"
    (event,) = _audit(ctx, "reason", "gift")
    assert event.action == "add" and json.loads(event.after_json)["allowed_resolutions"] == "exchange"
    # The reason decides the resolution: an exchange-only reason refuses a refund.
    order_no = make_order(world, [("HM-4001", 1)])
    mug = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
    d = intake.ReturnDraft(order_no, Channel.COUNTER, RefundMethod.STORE_CREDIT,
                           (intake.DraftLine(mug, 1, "gift", "refund", conditions_met=MET),))
    with pytest.raises(ValidationFailed, match="allows exchange only, not refund"):
        intake.create_return(ctx, world.clerk, d)


def test_update_reason_changes_only_what_is_given(ctx):
    world = build_world(ctx)
    view = policy_admin.update_reason(ctx, world.admin, "late_delivery", vendor_fault=True,
                                      name_zh="到货太迟", allowed_resolutions="refund,exchange")
    assert view.vendor_fault and view.name_zh == "到货太迟" and view.name_en == "Arrived too late"
    assert view.allowed_resolutions == (Resolution.REFUND, Resolution.EXCHANGE)
    (event,) = _audit(ctx, "reason", "late_delivery")
    assert json.loads(event.before_json) == {"vendor_fault": False, "name_zh": "到货太晚",
                                             "allowed_resolutions": "refund"}
    assert json.loads(event.after_json)["vendor_fault"] is True
    # Changing nothing writes nothing.
    policy_admin.update_reason(ctx, world.admin, "late_delivery", vendor_fault=True)
    assert len(_audit(ctx, "reason", "late_delivery")) == 1
    with pytest.raises(NotFound):
        policy_admin.update_reason(ctx, world.admin, "nope", name_en="x")
    with pytest.raises(ValidationFailed, match="English name of the reason is empty"):
        policy_admin.update_reason(ctx, world.admin, "late_delivery", name_en="  ")
    with ctx.db.read() as s:
        assert s.get(ReturnReason, "late_delivery").name_en == "Arrived too late"


def test_deactivated_reasons_are_not_offered_but_stay(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 2)])
    mug = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
    old = intake.create_return(ctx, world.clerk, intake.ReturnDraft(
        order_no, Channel.COUNTER, RefundMethod.CASH,
        (intake.DraftLine(mug, 1, "better_price", conditions_met=MET),)))
    view = policy_admin.deactivate_reason(ctx, world.admin, "better_price")
    assert not view.active
    assert "better_price" not in [r.code for r in sales.list_reasons(ctx)]
    assert "better_price" in [r.code for r in sales.list_reasons(ctx, include_inactive=True)]
    assert [e.action for e in _audit(ctx, "reason", "better_price")] == ["deactivate"]
    # The return that used it keeps it.
    assert intake.authorize_return(ctx, world.clerk, old.rma_no).lines[0].reason_code == "better_price"
    policy_admin.deactivate_reason(ctx, world.admin, "better_price")  # already retired: no new event
    assert len(_audit(ctx, "reason", "better_price")) == 1
    assert policy_admin.update_reason(ctx, world.admin, "better_price", active=True).active
    with pytest.raises(PermissionDenied):
        policy_admin.deactivate_reason(ctx, world.clerk, "defective")


def test_the_last_reason_in_use_cannot_be_retired(ctx):
    world = build_world(ctx)
    codes = [r.code for r in sales.list_reasons(ctx)]
    for code in codes[:-1]:
        policy_admin.deactivate_reason(ctx, world.admin, code)
    with pytest.raises(ValidationFailed, match="last reason in use") as refused:
        policy_admin.deactivate_reason(ctx, world.admin, codes[-1])
    assert [r.code for r in sales.list_reasons(ctx)] == [codes[-1]]
    # The sentence names the reason in both languages: a Chinese screen shows its Chinese name.
    last = next(r for r in sales.list_reasons(ctx, include_inactive=True) if r.code == codes[-1])
    name = refused.value.message.params["name"]
    assert isinstance(name, Names) and name.in_language("zh_CN") == last.name_zh and name == last.name_en
    chinese = render(refused.value.message, lambda t: "“{name}”是最后一个在用的退货原因。", language="zh_CN")
    assert chinese == f"“{last.name_zh}”是最后一个在用的退货原因。"


def test_a_draft_saved_by_another_administrator_while_it_is_published_is_not_lost(ctx, monkeypatch):
    """Administrator A publishes the draft as A read it; B saves the draft between A's read and
    A's publication: nothing is published, and B's draft is still there to look at."""
    from dataclasses import replace

    world = build_world(ctx)
    rules = PolicyRules.default()
    read = policy_admin.save_policy_draft(ctx, world.admin, rules, "Draft")
    publish = policy_admin.publish_policy

    def publish_after_another_save(*args, **kwargs):
        policy_admin.save_policy_draft(ctx, world.admin, replace(rules, auto_approve_limit=1234), "Draft B",
                                       expected_version=read.version)
        return publish(*args, **kwargs)

    monkeypatch.setattr(policy_admin, "publish_policy", publish_after_another_save)
    with ctx.db.read() as s:
        versions_before = s.execute(select(ReturnPolicy.version)).scalars().all()
    with pytest.raises(ConcurrentChange, match="saved by another administrator"):
        policy_admin.publish_policy_draft(ctx, world.admin, expected_version=read.version)
    left = policy_admin.get_policy_draft(ctx, world.admin)
    assert left is not None and left.name == "Draft B" and left.rules.auto_approve_limit == 1234
    with ctx.db.read() as s:
        assert s.execute(select(ReturnPolicy.version)).scalars().all() == versions_before
