"""Approval routing, the grade/reason rule, approver checks and frequent returners."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.approval import (
    Routing,
    check_approver,
    frequent_returner_since,
    grade_reason_mismatch,
    is_frequent_returner,
    route,
)
from returndesk.domain.errors import (
    LimitExceeded,
    PermissionDenied,
    SegregationOfDuties,
    ValidationFailed,
)
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import ApprovalLevel, Grade, Role

RULES = PolicyRules(auto_approve_limit=20000, supervisor_limit=200000)


def routing(**overrides: object) -> Routing:
    args: dict[str, object] = {
        "amount": 5000,
        "in_policy": True,
        "overridden": False,
        "frequent_returner": False,
        "grade_reason_mismatch": False,
        "rules": RULES,
    }
    args.update(overrides)
    return route(**args)  # type: ignore[arg-type]


# ---------------------------------------------------------------- routing


def test_in_policy_small_clean_is_auto() -> None:
    r = routing()
    assert r.level is ApprovalLevel.AUTO
    assert r.reasons == ()
    assert r.automatic


def test_auto_limit_is_inclusive() -> None:
    assert routing(amount=20000).level is ApprovalLevel.AUTO
    r = routing(amount=20001)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert r.reasons == ("¥200.01 is above the automatic approval limit of ¥200.00.",)


def test_above_supervisor_limit_needs_manager() -> None:
    assert routing(amount=200000).level is ApprovalLevel.SUPERVISOR
    r = routing(amount=230000)
    assert r.level is ApprovalLevel.MANAGER
    assert r.reasons == ("¥2,300.00 is above the supervisor limit of ¥2,000.00; a manager must approve.",)


def test_manager_keeps_other_reasons() -> None:
    r = routing(amount=230000, frequent_returner=True)
    assert r.level is ApprovalLevel.MANAGER
    assert len(r.reasons) == 2
    assert "frequent returner" in r.reasons[1]


def test_out_of_policy_goes_to_supervisor() -> None:
    r = routing(in_policy=False)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert "outside the policy and was not overridden" in r.reasons[0]
    r = routing(in_policy=False, overridden=True)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert "policy override" in r.reasons[0]


def test_frequent_returner_goes_to_supervisor() -> None:
    r = routing(frequent_returner=True)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert r.reasons == (
        "The customer returned 5 or more times in the last 90 days (frequent returner).",
    )


def test_grade_reason_mismatch_goes_to_supervisor() -> None:
    r = routing(grade_reason_mismatch=True)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert "grade does not fit the return reason" in r.reasons[0]


def test_creator_limit_below_auto_limit() -> None:
    assert routing(amount=5000, creator_limit=5000).level is ApprovalLevel.AUTO
    r = routing(amount=5001, creator_limit=5000)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert r.reasons == ("¥50.01 is above the clerk's limit of ¥50.00.",)


def test_thresholds_are_configurable() -> None:
    rules = PolicyRules(auto_approve_limit=0, supervisor_limit=1000)
    assert routing(amount=0, rules=rules).level is ApprovalLevel.AUTO
    assert routing(amount=1, rules=rules).level is ApprovalLevel.SUPERVISOR
    assert routing(amount=1001, rules=rules).level is ApprovalLevel.MANAGER


def test_negative_amount_refused() -> None:
    with pytest.raises(ValidationFailed):
        routing(amount=-1)


@settings(deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**7),
    in_policy=st.booleans(),
    overridden=st.booleans(),
    frequent=st.booleans(),
    mismatch=st.booleans(),
    auto=st.integers(min_value=0, max_value=10**6),
    spread=st.integers(min_value=0, max_value=10**6),
    creator=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
)
def test_routing_rules(
    amount: int, in_policy: bool, overridden: bool, frequent: bool, mismatch: bool,
    auto: int, spread: int, creator: int | None,
) -> None:
    rules = PolicyRules(auto_approve_limit=auto, supervisor_limit=auto + spread)
    r = routing(
        amount=amount, in_policy=in_policy, overridden=overridden, frequent_returner=frequent,
        grade_reason_mismatch=mismatch, rules=rules, creator_limit=creator,
    )
    flagged = (not in_policy) or overridden or frequent or mismatch
    over_auto = amount > auto or (creator is not None and amount > creator)
    if amount > auto + spread:
        expected = ApprovalLevel.MANAGER
    elif flagged or over_auto:
        expected = ApprovalLevel.SUPERVISOR
    else:
        expected = ApprovalLevel.AUTO
    assert r.level is expected
    assert (r.reasons == ()) == (expected is ApprovalLevel.AUTO)


# ---------------------------------------------------------------- grade / reason


@pytest.mark.parametrize(
    ("vendor_fault", "grade", "expected"),
    [
        (True, Grade.A, True),  # "defective", yet new and working
        (True, Grade.B, True),
        (True, Grade.C, False),
        (True, Grade.D, False),
        (False, Grade.A, False),
        (False, Grade.B, False),
        (False, Grade.C, False),
        (False, Grade.D, True),  # "changed my mind", yet broken
    ],
)
def test_grade_reason_mismatch_rule(vendor_fault: bool, grade: Grade, expected: bool) -> None:
    assert grade_reason_mismatch(vendor_fault, grade) is expected
    assert grade_reason_mismatch(vendor_fault, grade.value) is expected


@pytest.mark.parametrize("grade", list(Grade))
def test_wrong_item_shipped_fits_any_grade(grade: Grade) -> None:
    assert grade_reason_mismatch(True, grade, defect_claimed=False) is False


# ---------------------------------------------------------------- approver checks


def check(**overrides: object) -> None:
    args: dict[str, object] = {
        "approver_id": 7,
        "approver_role": Role.SUPERVISOR,
        "approver_limit": 100000,
        "level_required": ApprovalLevel.SUPERVISOR,
        "amount": 50000,
        "created_by": 1,
        "inspected_by": 2,
    }
    args.update(overrides)
    check_approver(**args)  # type: ignore[arg-type]


def test_supervisor_within_limit_may_approve() -> None:
    check()
    check(approver_limit=None, amount=10**9)
    check(approver_role="manager", level_required="manager")
    check(approver_role=Role.ADMIN, level_required=ApprovalLevel.MANAGER)


def test_creator_cannot_approve() -> None:
    with pytest.raises(SegregationOfDuties, match="You created this return"):
        check(approver_id=1)


def test_inspector_of_the_return_cannot_approve() -> None:
    with pytest.raises(SegregationOfDuties, match="You inspected this return"):
        check(approver_id=2)
    with pytest.raises(SegregationOfDuties, match="You inspected this return"):
        check(approver_id="u9", created_by="u1", inspected_by={"u3", "u9"})


def test_segregation_comes_before_role_and_limit() -> None:
    with pytest.raises(SegregationOfDuties):
        check(approver_id=1, approver_role=Role.INSPECTOR, amount=10**9)


def test_missing_creator_or_inspector_is_no_conflict() -> None:
    check(created_by=None, inspected_by=None)
    check(created_by=None, inspected_by=[None, 3])


@pytest.mark.parametrize(
    ("role", "level"),
    [
        (Role.CLERK, ApprovalLevel.SUPERVISOR),
        (Role.SUPERVISOR, ApprovalLevel.MANAGER),
        (Role.CLERK, ApprovalLevel.MANAGER),
        (Role.INSPECTOR, ApprovalLevel.SUPERVISOR),
        (Role.FINANCE, ApprovalLevel.AUTO),
    ],
)
def test_role_cannot_approve_level(role: Role, level: ApprovalLevel) -> None:
    with pytest.raises(PermissionDenied) as info:
        check(approver_role=role, level_required=level)
    assert not isinstance(info.value, LimitExceeded | SegregationOfDuties)


def test_role_messages() -> None:
    with pytest.raises(PermissionDenied, match="An inspector cannot approve refunds; a supervisor must approve"):
        check(approver_role=Role.INSPECTOR)
    with pytest.raises(PermissionDenied, match="needs a manager's approval; a supervisor cannot"):
        check(level_required=ApprovalLevel.MANAGER)


def test_limit_exceeded_message() -> None:
    with pytest.raises(LimitExceeded) as info:
        check(amount=230000, approver_limit=100000)
    assert str(info.value) == (
        "¥2,300.00 is above your approval limit of ¥1,000.00; a manager must approve."
    )


def test_clerk_limit_message_names_supervisor() -> None:
    with pytest.raises(LimitExceeded, match="a supervisor must approve"):
        check(approver_role=Role.CLERK, level_required=ApprovalLevel.AUTO, amount=6000,
              approver_limit=5000)


def test_limit_is_inclusive() -> None:
    check(amount=100000, approver_limit=100000)


# ---------------------------------------------------------------- frequent returners


def test_frequent_returner_threshold() -> None:
    rules = PolicyRules(frequent_returner_count=5, frequent_returner_days=90)
    assert not is_frequent_returner(4, rules)
    assert is_frequent_returner(5, rules)
    assert is_frequent_returner(12, rules)


def test_frequent_returner_window_start() -> None:
    rules = PolicyRules(frequent_returner_days=90)
    assert frequent_returner_since(date(2025, 4, 1), rules) == date(2025, 1, 1)


def test_a_watched_customer_is_never_approved_automatically() -> None:
    r = routing(watched_customer=True)
    assert r.level is ApprovalLevel.SUPERVISOR
    assert any("watch list" in reason for reason in r.reasons)
    assert routing().level is ApprovalLevel.AUTO
