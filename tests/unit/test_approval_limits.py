"""One source of truth for approval limits: the policy owns the level limits, a user's own limit
can only lower them, and what :func:`applied_limit` / :func:`on_the_spot_limit` say is exactly
what routing and the approver check decide."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.approval import (
    AUTOMATIC,
    SUPERVISOR,
    AppliedLimit,
    applied_limit,
    check_approver,
    on_the_spot_limit,
    route,
)
from returndesk.domain.errors import LimitExceeded, PermissionDenied
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import ApprovalLevel, Role

ROOT = Path(__file__).resolve().parents[2]
money = st.integers(min_value=0, max_value=10_000_000)


@st.composite
def rules(draw) -> PolicyRules:
    auto = draw(money)
    return PolicyRules(
        auto_approve_limit=auto, supervisor_limit=draw(st.integers(min_value=auto, max_value=20_000_000))
    )


def _routed(amount: int, r: PolicyRules, creator_limit: int | None):
    return route(amount=amount, in_policy=True, overridden=False, frequent_returner=False,
                 grade_reason_mismatch=False, rules=r, creator_limit=creator_limit)


@given(amount=money, own=money, r=rules())
def test_a_clerk_s_return_is_automatic_exactly_up_to_the_limit_the_counter_shows(amount, own, r):
    shown = on_the_spot_limit(Role.CLERK, own, r)
    assert _routed(amount, r, creator_limit=own).automatic == (amount <= shown.amount)
    assert shown.amount == min(own, r.auto_approve_limit)
    assert (shown.policy_limit == AUTOMATIC) == (r.auto_approve_limit < own)


@given(amount=money, own=money, r=rules(), role=st.sampled_from([Role.SUPERVISOR, Role.MANAGER, Role.ADMIN]))
def test_nobody_else_s_return_goes_through_above_the_policy_s_automatic_limit(amount, own, r, role):
    shown = on_the_spot_limit(role, own, r)
    assert shown.amount == r.auto_approve_limit and shown.policy_limit == AUTOMATIC
    assert _routed(amount, r, creator_limit=None).automatic == (amount <= shown.amount)


@given(amount=money, own=money, r=rules(), role=st.sampled_from([Role.SUPERVISOR, Role.MANAGER, Role.ADMIN]))
def test_an_approver_may_approve_exactly_up_to_the_limit_the_list_shows(amount, own, r, role):
    shown = applied_limit(role, own, r)
    level = _routed(amount, r, creator_limit=None).level
    if level is ApprovalLevel.AUTO:
        return  # nobody signs
    try:
        check_approver(approver_id=1, approver_role=role, approver_limit=own, level_required=level,
                       amount=amount, created_by=2, inspected_by=3)
        allowed = True
    except LimitExceeded:
        allowed = False
    except PermissionDenied:  # a refund above the supervisor limit needs a manager
        assert role is Role.SUPERVISOR and level is ApprovalLevel.MANAGER
        allowed = False
    assert allowed == (amount <= shown.amount)


def test_the_policy_s_limits_cap_the_own_limits_and_say_so():
    r = PolicyRules()
    assert applied_limit(Role.CLERK, 50000, r) == AppliedLimit(20000, 50000, AUTOMATIC)
    assert applied_limit(Role.SUPERVISOR, 500000, r) == AppliedLimit(200000, 500000, SUPERVISOR)
    assert applied_limit(Role.CLERK, 10000, r) == AppliedLimit(10000, 10000, None)
    assert applied_limit(Role.MANAGER, 10000000, r) == AppliedLimit(10000000, 10000000, None)
    assert applied_limit(Role.INSPECTOR, 0, r).amount is None
    assert applied_limit(Role.CLERK, 50000, r).describe() == "¥200.00 (policy's automatic limit; own ¥500.00)"
    assert applied_limit(Role.MANAGER, 10000000, r).describe() == "¥100,000.00"
    assert applied_limit(Role.FINANCE, 0, r).describe() == "-"


def _demo_accounts() -> dict[str, tuple[Role, int]]:
    from returndesk.devtools.demo import demo_accounts

    return {a.username: (Role(a.role), a.approval_limit_minor) for a in demo_accounts()}


def _minor(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def test_the_readme_states_the_limits_that_apply_to_the_demo_users():
    """The README's table of demo users says the same numbers as `user list` and the screens."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if re.match(r"\| `\w+`", line)]
    accounts = _demo_accounts()
    checked = 0
    for row in rows:
        users = re.findall(r"`(\w+)`", row.split("|")[1])
        if not users or users[0] not in accounts:
            continue
        role, own = accounts[users[0]]
        stated = re.search(r"limit ([\d,]+\.\d\d)", row)
        applied = applied_limit(role, own, PolicyRules())
        if applied.amount is None or applied.amount == 0:
            assert stated is None, row
            continue
        assert stated is not None, f"README gives no limit for {users[0]}: {row}"
        assert _minor(stated.group(1)) == applied.amount, row
        checked += 1
    assert checked >= 3
