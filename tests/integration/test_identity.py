"""Who is acting: sign-in lockout under parallel attempts, and a user disabled or given another
role stopping at the next action of every workflow."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

import returndesk.services
from returndesk import cli
from returndesk.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import (
    approval,
    auth,
    documents,
    exchange,
    finance,
    history,
    importing,
    inspection,
    intake,
    policy_admin,
    receiving,
    refunds,
    sales,
    worklists,
)
from returndesk.store.schema import User

from .factories import PASSWORD, build_world, make_order
from .money_support import CONDITIONS, LineSpec, approved, awaiting, order_line_ids, take_return
from .test_races import race

pytestmark = pytest.mark.both_databases("row locks: parallel sign-ins must count one by one on PostgreSQL")


def test_eight_simultaneous_wrong_passwords_lock_the_account(ctx):
    build_world(ctx)
    outcomes = race(ctx, *[lambda c: auth.sign_in(c, "clerk", "wrong password")] * 8)
    bugs = [o.error for o in outcomes if not isinstance(o.error, (AuthenticationFailed, AccountLocked))]
    assert not bugs, f"unexpected outcomes: {bugs!r}"
    locked_now = [o.error for o in outcomes if "now locked" in str(o.error)]
    assert len(locked_now) == 1, [str(o.error) for o in outcomes]
    with ctx.db.read() as s:
        locked_until = s.execute(select(User.locked_until).where(User.username == "clerk")).scalar_one()
    assert locked_until is not None
    with pytest.raises(AccountLocked, match="is locked"):
        auth.sign_in(ctx, "clerk", PASSWORD)


def test_attempts_left_count_down_by_one_per_parallel_failure(ctx):
    build_world(ctx)
    outcomes = race(ctx, *[lambda c: auth.sign_in(c, "clerk", "wrong password")] * 4)
    left = sorted(str(o.error) for o in outcomes)
    assert left == [f"Wrong user name or password. {n} attempts left before the account is locked."
                    for n in (1, 2, 3, 4)]
    with ctx.db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "clerk")).scalar_one() == 4


# --------------------------------------------------------------------------- a changed account


def _requested(w):
    order_no = make_order(w, [("EL-1002", 2)])
    ids = order_line_ids(w, order_no)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE,
                               refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_id=ids["EL-1002"], quantity=1,
                                                       reason_code="changed_mind", conditions_met=CONDITIONS),))
    return intake.create_return(w.ctx, w.clerk, draft).rma_no


def _authorized(w):
    return take_return(w, make_order(w, [("EL-1002", 1)]), [LineSpec("EL-1002", 1)])


def _received(w):
    rma = _authorized(w)
    receiving.receive_return(w.ctx, w.inspector, rma)
    return rma


def _inspected(w):
    rma = _received(w)
    inspection.record_unit(w.ctx, w.inspector, rma, scanned_code="6901234567908")
    return rma


def _not_found(act):
    """``act()``, which must say "not found" (an unknown order for an account that may act)."""
    with pytest.raises(NotFound):
        act()


def _draft(w):
    order_no = make_order(w, [("EL-1002", 1)])
    ids = order_line_ids(w, order_no)
    return intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE,
                              refund_method=RefundMethod.ORIGINAL_PAYMENT,
                              lines=(intake.DraftLine(order_line_id=ids["EL-1002"], quantity=1,
                                                      reason_code="changed_mind", conditions_met=CONDITIONS),))


def _import_file(w, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_no,channel,sold_at,payment_method,line_no,sku,quantity,unit_price,paid\n"
                    "SO-9001,store,2026-11-01,cash,1,HM-4001,1,49.00,49.00\n", encoding="utf-8")
    return path


# (workflow, who acts, what to set up, the action). Each action succeeds for an unchanged account.
CASES = [
    ("sales", "clerk", lambda w, t: make_order(w, [("HM-4001", 1)]),
     lambda w, a, x: sales.find_sales(w.ctx, a, x)),
    ("intake create", "clerk", lambda w, t: _draft(w),
     lambda w, a, x: intake.create_return(w.ctx, a, x)),
    ("intake", "clerk", lambda w, t: _requested(w),
     lambda w, a, x: intake.authorize_return(w.ctx, a, x)),
    ("receiving", "inspector", lambda w, t: _authorized(w),
     lambda w, a, x: receiving.receive_return(w.ctx, a, x)),
    ("inspection", "inspector", lambda w, t: _received(w),
     lambda w, a, x: inspection.record_unit(w.ctx, a, x, scanned_code="6901234567908")),
    ("inspection complete", "inspector", lambda w, t: _inspected(w),
     lambda w, a, x: inspection.complete_inspection(w.ctx, a, x)),
    ("approval", "supervisor", lambda w, t: awaiting(w, [LineSpec("EL-1002", 1)]),
     lambda w, a, x: approval.approve_refund(w.ctx, a, x)),
    ("approval desk", "supervisor", lambda w, t: awaiting(w, [LineSpec("EL-1002", 1)]),
     lambda w, a, x: approval.find_line_checks(w.ctx, a, x)),
    ("refunds", "clerk", lambda w, t: approved(w, [LineSpec("EL-1002", 1)]),
     lambda w, a, x: refunds.issue_refund(w.ctx, a, x)),
    ("worklists", "clerk", lambda w, t: _requested(w),
     lambda w, a, x: worklists.find_returns(w.ctx, a, x)),
    ("history", "clerk", lambda w, t: _requested(w),
     lambda w, a, x: history.get_return(w.ctx, a, x)),
    ("history, unknown RMA", "clerk", lambda w, t: format_rma(999_999),
     lambda w, a, x: _not_found(lambda: history.get_return(w.ctx, a, x))),
    ("documents", "clerk", lambda w, t: _authorized(w),
     lambda w, a, x: documents.return_label_data(w.ctx, a, x)),
    ("finance", "finance", lambda w, t: None,
     lambda w, a, x: finance.trial_balance(w.ctx, a, date(2026, 11, 1), date(2026, 11, 30))),
    ("exchange", "clerk", lambda w, t: None,
     lambda w, a, x: exchange.find_replacement(w.ctx, a, "SO-424242")),
    ("policy", "admin", lambda w, t: None,
     lambda w, a, x: policy_admin.deactivate_reason(w.ctx, a, "changed_mind")),
    ("users", "admin", lambda w, t: None,
     lambda w, a, x: auth.add_user(w.ctx, a, username="newbie", display_name="New", role="clerk",
                                   password="long enough 1")),
    ("import", "admin", lambda w, t: _import_file(w, t),
     lambda w, a, x: importing.import_orders(w.ctx, a, x)),
    # The station reads whose check rides on their first statement: when it finds rows, and when
    # it finds none (an unknown RMA or order, an empty queue) and the user is read on its own.
    ("scan", "inspector", lambda w, t: _authorized(w),
     lambda w, a, x: receiving.find_return_by_scan(w.ctx, a, x)),
    ("scan unknown", "inspector", lambda w, t: format_rma(999_999),
     lambda w, a, x: receiving.find_return_by_scan(w.ctx, a, x)),
    ("approval queue", "supervisor", lambda w, t: awaiting(w, [LineSpec("EL-1002", 1)]),
     lambda w, a, x: approval.approval_queue(w.ctx, a)),
    ("empty queue", "supervisor", lambda w, t: None,
     lambda w, a, x: (approval.approval_queue(w.ctx, a), approval.queue_counts_by_reason(w.ctx, a))),
    ("queue size", "supervisor", lambda w, t: None,
     lambda w, a, x: approval.queue_size(w.ctx, a)),
    ("inspection queue", "inspector", lambda w, t: _received(w),
     lambda w, a, x: worklists.inspection_queue(w.ctx, a)),
    ("expected returns", "inspector", lambda w, t: _authorized(w),
     lambda w, a, x: worklists.expected_returns(w.ctx, a)),
    ("returns list", "clerk", lambda w, t: _requested(w),
     lambda w, a, x: worklists.latest_returns(w.ctx, a)),
    ("sale", "clerk", lambda w, t: make_order(w, [("HM-4001", 1)]),
     lambda w, a, x: sales.get_sale(w.ctx, a, x)),
    ("sale unknown", "clerk", lambda w, t: "SO-404404",
     lambda w, a, x: _not_found(lambda: sales.get_sale(w.ctx, a, x))),
    ("sales search, nothing found", "clerk", lambda w, t: None,
     lambda w, a, x: sales.find_sales(w.ctx, a, "Nobody Such")),
    ("timeline", "supervisor", lambda w, t: _requested(w),
     lambda w, a, x: history.return_timeline(w.ctx, a, x)),
    ("customer history", "supervisor", lambda w, t: None,
     lambda w, a, x: history.customer_history(w.ctx, a, w.customer_id)),
]


def _set_user(ctx, username, **values):
    with ctx.db.write() as s:
        s.execute(update(User).where(User.username == username).values(**values))


@pytest.mark.parametrize(("workflow", "who", "setup", "act"), CASES, ids=[c[0] for c in CASES])
def test_a_disabled_or_re_roled_user_stops_at_the_next_action(ctx, tmp_path, workflow, who, setup, act):
    world = build_world(ctx)
    subject = setup(world, tmp_path)
    actor = getattr(world, who)
    other_role = "inspector" if actor.role.value != "inspector" else "clerk"

    _set_user(ctx, actor.username, role=other_role)
    changed = f"changed from {actor.role.value} to {other_role}; nothing was done.*sign in again"
    with pytest.raises(PermissionDenied, match=changed):
        act(world, actor, subject)

    _set_user(ctx, actor.username, role=actor.role.value, active=False)
    with pytest.raises(PermissionDenied, match=f"The account {actor.username} has been disabled"):
        act(world, actor, subject)

    _set_user(ctx, actor.username, active=True)
    act(world, actor, subject)  # the same step goes through for the account as it was


def test_a_disabled_account_is_refused_before_a_read_says_not_found(ctx):
    """A station read whose first statement finds nothing (an unknown customer or RMA) reads the
    user on its own and refuses a disabled account rather than answer "not found"."""
    world = build_world(ctx)
    reads = (lambda: history.customer_history(ctx, world.supervisor, 999_999),
             lambda: history.return_timeline(ctx, world.supervisor, format_rma(999_999)))
    for read in reads:
        with pytest.raises(NotFound):
            read()
    _set_user(ctx, world.supervisor.username, active=False)
    for read in reads:
        with pytest.raises(PermissionDenied, match=f"The account {world.supervisor.username} has been disabled"):
            read()


def test_every_use_case_that_acts_for_a_user_checks_the_user_inside_its_transaction():
    """A use case taking ``actor`` opens its transactions through ``ctx.read/write(actor)`` or
    ``guarded_write(..., actor)``, never straight on the database."""
    offenders = []
    services = Path(returndesk.services.__file__).parent
    tooling = {"demo.py", "loadtest.py", "bulk.py"}  # test and demo data, not use cases
    for path in sorted(services.rglob("*.py")):
        if path.name in tooling:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            names = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
            if not {"ctx", "actor"} <= names:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and ast.unparse(node.func) in ("ctx.db.read", "ctx.db.write",
                                                                                  "ctx.db.read_connection"):
                    offenders.append(f"{path.name}:{node.lineno} {fn.name}")
                if (isinstance(node, ast.Call) and ast.unparse(node.func) == "guarded_write"
                        and len(node.args) < 3):
                    offenders.append(f"{path.name}:{node.lineno} {fn.name}")
    assert offenders == []


def test_an_administrator_changes_a_user_and_the_change_counts_at_once(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)])
    assert sales.find_sales(ctx, world.clerk, order_no)
    view = auth.change_user(ctx, world.admin, "clerk", role="inspector", approval_limit_minor=0)
    assert (view.role, view.approval_limit_minor, view.active) == ("inspector", 0, True)
    with pytest.raises(PermissionDenied, match="The role of Clerk was changed from clerk to inspector"):
        sales.find_sales(ctx, world.clerk, order_no)
    again = auth.sign_in(ctx, "clerk", PASSWORD)
    assert again.role.value == "inspector" and sales.find_sales(ctx, again, order_no)
    auth.change_user(ctx, world.admin, "clerk", active=False)
    with pytest.raises(PermissionDenied, match="has been disabled"):
        sales.find_sales(ctx, again, order_no)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(ctx, "clerk", PASSWORD)
    with pytest.raises(PermissionDenied, match="may not admin users"):
        auth.change_user(ctx, world.supervisor, "inspector", active=False)
    with pytest.raises(ValidationFailed, match="your own account"):
        auth.change_user(ctx, world.admin, "admin", active=False)


def test_the_command_line_disables_and_enables_a_user(ctx, db_url, capsys):
    world = build_world(ctx)
    assert cli.main(["user", "set", "clerk", "--disable", "--url", db_url]) == 0
    assert "disabled" in capsys.readouterr().out
    with pytest.raises(PermissionDenied, match="has been disabled"):
        sales.find_sales(ctx, world.clerk, "SO-1")
    assert cli.main(["user", "set", "clerk", "--enable", "--limit", "200", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "active" in out and "200.00" in out
    assert sales.find_sales(ctx, world.clerk, "SO-1") == []
    assert cli.main(["user", "set", "clerk", "--url", db_url]) == 1
    assert "Nothing to change" in capsys.readouterr().err
