"""Return policy: rules as data, JSON round trip, and the verdict on a line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.policy import (
    PolicyRules,
    PolicyVerdict,
    evaluate_line,
    returnable_quantity,
    worst_status,
)
from returndesk.domain.types import Grade, PolicyStatus

TODAY = date(2025, 3, 20)
ALL_CONDITIONS = frozenset({"original_packaging", "accessories_complete", "tags_attached"})


def verdict(rules: PolicyRules | None = None, **overrides: object) -> PolicyVerdict:
    args: dict[str, object] = {
        "category": "Electronics",
        "product_returnable": True,
        "vendor_fault": False,
        "reference_date": TODAY - timedelta(days=10),
        "today": TODAY,
        "requested_qty": 1,
        "returnable_qty": 3,
        "conditions_met": ALL_CONDITIONS,
    }
    args.update(overrides)
    return evaluate_line(rules or PolicyRules.default(), **args)  # type: ignore[arg-type]


# ---------------------------------------------------------------- defaults


def test_defaults() -> None:
    rules = PolicyRules.default()
    assert rules.window_days == 30
    assert rules.defect_window_days == 90
    assert rules.grade_factors == {
        Grade.A: Decimal("1"), Grade.B: Decimal("1"), Grade.C: Decimal("0.8"), Grade.D: Decimal("0.5")
    }
    assert rules.restocking_fee_pct == Decimal("0.10")
    assert rules.receive_deadline_days == 30
    assert rules.supervisor_limit >= rules.auto_approve_limit
    assert rules.refund_shipping_on_vendor_fault is True
    assert rules.policy_text_en and rules.policy_text_zh


def test_rules_are_immutable_and_hashable() -> None:
    windows = {"Toys": 60}
    rules = PolicyRules(category_windows=windows)
    windows["Toys"] = 1  # the caller's dict must not reach into the rules
    assert rules.category_windows == {"Toys": 60}
    with pytest.raises(AttributeError):
        rules.window_days = 5  # type: ignore[misc]
    assert hash(rules) == hash(PolicyRules(category_windows={"Toys": 60}))
    assert hash(PolicyRules(restocking_fee_pct=Decimal("0.1"))) == hash(
        PolicyRules(restocking_fee_pct=Decimal("0.10"))
    )


def test_grade_letters_as_text_are_accepted() -> None:
    rules = PolicyRules(grade_factors={"A": Decimal(1), "b": Decimal(1), "C": Decimal("0.7"),
                                       "D": Decimal("0.4")})
    assert rules.grade_factors[Grade.C] == Decimal("0.7")


# ---------------------------------------------------------------- JSON round trip

categories = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij 电子玩具", min_size=1, max_size=12).filter(
    lambda s: s.strip() != ""
)
fractions = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=0, max_value=3650)


@st.composite
def policy_rules(draw: st.DrawFn) -> PolicyRules:
    windows = draw(st.dictionaries(categories, days, max_size=4))
    # Category names are case-insensitive, so two that fold alike cannot both be configured.
    unique: dict[str, int] = {}
    for name, window in windows.items():
        if all(name.casefold() != other.casefold() for other in unique):
            unique[name] = window
    auto = draw(st.integers(min_value=0, max_value=10**8))
    return PolicyRules(
        window_days=draw(days),
        defect_window_days=draw(days),
        category_windows=unique,
        non_returnable_categories=frozenset(draw(st.lists(categories, max_size=3))),
        required_conditions=tuple(
            draw(st.lists(st.sampled_from(sorted(ALL_CONDITIONS) + ["seal_intact"]), unique=True))
        ),
        conditions_apply_to_vendor_fault=draw(st.booleans()),
        grade_factors={g: draw(fractions) for g in Grade},
        restocking_fee_pct=draw(fractions),
        auto_approve_limit=auto,
        supervisor_limit=auto + draw(st.integers(min_value=0, max_value=10**8)),
        frequent_returner_count=draw(st.integers(min_value=1, max_value=50)),
        frequent_returner_days=draw(st.integers(min_value=1, max_value=365)),
        refund_shipping_on_vendor_fault=draw(st.booleans()),
        receive_deadline_days=draw(st.integers(min_value=1, max_value=365)),
        policy_text_en=draw(st.text(max_size=40)),
        policy_text_zh=draw(st.text(max_size=40)),
    )


@settings(deadline=None)
@given(policy_rules())
def test_json_round_trip(rules: PolicyRules) -> None:
    text = rules.to_json()
    assert PolicyRules.from_json(text) == rules
    assert PolicyRules.from_json(text).to_json() == text


def test_json_stores_decimals_as_strings() -> None:
    data = json.loads(PolicyRules.default().to_json())
    assert data["restocking_fee_pct"] == "0.10"
    assert data["grade_factors"] == {"A": "1", "B": "1", "C": "0.8", "D": "0.5"}


def test_missing_settings_take_defaults() -> None:
    # A policy stored before a setting existed still loads.
    rules = PolicyRules.from_json('{"window_days": 14}')
    assert rules.window_days == 14
    assert rules.supervisor_limit == PolicyRules.default().supervisor_limit


@pytest.mark.parametrize(
    ("patch", "field_name"),
    [
        ({"window_days": -1}, "window_days"),
        ({"window_days": "30"}, "window_days"),
        ({"window_days": 30.0}, "window_days"),
        ({"window_days": True}, "window_days"),
        ({"defect_window_days": 99999}, "defect_window_days"),
        ({"category_windows": {"Toys": -3}}, "category_windows[Toys]"),
        ({"category_windows": {"Toys": 3, "toys": 4}}, "category_windows"),
        ({"category_windows": ["Toys"]}, "category_windows"),
        ({"non_returnable_categories": "Food"}, "non_returnable_categories"),
        ({"non_returnable_categories": [""]}, "non_returnable_categories"),
        ({"required_conditions": ["Original Packaging"]}, "required_conditions"),
        ({"required_conditions": ["tags_attached", "tags_attached"]}, "required_conditions"),
        ({"grade_factors": {"A": "1", "B": "1", "C": "0.8"}}, "grade_factors"),
        ({"grade_factors": {"A": "1", "B": "1", "C": "0.8", "D": "0.5", "E": "1"}}, "grade_factors"),
        ({"grade_factors": {"A": "1.5", "B": "1", "C": "0.8", "D": "0.5"}}, "grade_factors[A]"),
        ({"grade_factors": {"A": 0.9, "B": "1", "C": "0.8", "D": "0.5"}}, "grade_factors[A]"),
        ({"grade_factors": {"A": "x", "B": "1", "C": "0.8", "D": "0.5"}}, "grade_factors[A]"),
        ({"restocking_fee_pct": "-0.1"}, "restocking_fee_pct"),
        ({"restocking_fee_pct": 0.1}, "restocking_fee_pct"),
        ({"restocking_fee_pct": "NaN"}, "restocking_fee_pct"),
        ({"auto_approve_limit": -100}, "auto_approve_limit"),
        ({"auto_approve_limit": "100.00"}, "auto_approve_limit"),
        ({"auto_approve_limit": 500, "supervisor_limit": 100}, "supervisor_limit"),
        ({"frequent_returner_count": 0}, "frequent_returner_count"),
        ({"frequent_returner_days": 0}, "frequent_returner_days"),
        ({"refund_shipping_on_vendor_fault": "yes"}, "refund_shipping_on_vendor_fault"),
        ({"conditions_apply_to_vendor_fault": 1}, "conditions_apply_to_vendor_fault"),
        ({"receive_deadline_days": 0}, "receive_deadline_days"),
        ({"policy_text_en": 5}, "policy_text_en"),
        ({"window_dayz": 30}, "window_dayz"),
    ],
)
def test_from_json_rejects_invalid_values_naming_the_field(
    patch: dict[str, object], field_name: str
) -> None:
    data = json.loads(PolicyRules.default().to_json())
    data.update(patch)
    with pytest.raises(ValidationFailed) as info:
        PolicyRules.from_json(json.dumps(data))
    assert f"'{field_name}'" in str(info.value)
    assert info.value.problems


@pytest.mark.parametrize("text", ["not json", "[1, 2]", "null"])
def test_from_json_rejects_non_objects(text: str) -> None:
    with pytest.raises(ValidationFailed, match="return policy"):
        PolicyRules.from_json(text)


def test_constructor_validates_too() -> None:
    with pytest.raises(ValidationFailed, match="'window_days'"):
        PolicyRules(window_days=-2)
    with pytest.raises(ValidationFailed, match="'restocking_fee_pct'"):
        PolicyRules(restocking_fee_pct=0.1)  # type: ignore[arg-type]


# ---------------------------------------------------------------- quantities


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=-5, max_value=10**6))
def test_returnable_quantity(purchased: int, returned: int) -> None:
    q = returnable_quantity(purchased, returned)
    assert q >= 0
    assert q == max(0, purchased - max(0, returned))


def test_returnable_quantity_examples() -> None:
    assert returnable_quantity(5, 2) == 3
    assert returnable_quantity(2, 5) == 0


# ---------------------------------------------------------------- verdicts


def test_within_policy() -> None:
    v = verdict()
    assert v.status is PolicyStatus.WITHIN
    assert v.reasons == ()
    assert v.window_days == 30 and v.days_elapsed == 10
    assert v.allowed and not v.needs_override
    assert v.summary == "Delivered 10 days ago; the policy allows 30 for Electronics."


def test_outside_window_needs_override_with_clerk_sentence() -> None:
    v = verdict(reference_date=TODAY - timedelta(days=47))
    assert v.status is PolicyStatus.OVERRIDE_NEEDED
    assert v.reasons == ("Delivered 47 days ago; the policy allows 30 for Electronics.",)
    assert v.needs_override and not v.allowed


def test_window_boundary_is_inclusive() -> None:
    assert verdict(reference_date=TODAY - timedelta(days=30)).status is PolicyStatus.WITHIN
    assert verdict(reference_date=TODAY - timedelta(days=31)).status is PolicyStatus.OVERRIDE_NEEDED


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_window_rule(window: int, elapsed: int) -> None:
    rules = PolicyRules(window_days=window, defect_window_days=window)
    v = verdict(rules, reference_date=TODAY - timedelta(days=elapsed))
    assert v.days_elapsed == elapsed
    assert (v.status is PolicyStatus.WITHIN) == (elapsed <= window)


def test_category_window_replaces_default_case_insensitively() -> None:
    rules = PolicyRules(category_windows={"Apparel": 60})
    v = verdict(rules, category="apparel", reference_date=TODAY - timedelta(days=45))
    assert v.status is PolicyStatus.WITHIN
    assert v.window_days == 60
    v = verdict(rules, category="Apparel", reference_date=TODAY - timedelta(days=61))
    assert v.reasons == ("Delivered 61 days ago; the policy allows 60 for Apparel.",)


def test_vendor_fault_gets_defect_window() -> None:
    v = verdict(vendor_fault=True, reference_date=TODAY - timedelta(days=80))
    assert v.status is PolicyStatus.WITHIN
    assert v.window_days == 90
    v = verdict(vendor_fault=True, reference_date=TODAY - timedelta(days=91))
    assert v.status is PolicyStatus.OVERRIDE_NEEDED
    assert v.reasons == (
        "Delivered 91 days ago; the policy allows 90 for defects and other vendor faults.",
    )


def test_vendor_fault_never_shorter_than_category_window() -> None:
    rules = PolicyRules(category_windows={"Furniture": 365})
    v = verdict(rules, category="Furniture", vendor_fault=True, reference_date=TODAY - timedelta(days=200))
    assert v.status is PolicyStatus.WITHIN
    assert v.window_days == 365


def test_counter_sale_wording_and_datetimes() -> None:
    v = verdict(
        reference_date=datetime(2025, 1, 1, 18, 30),
        today=datetime(2025, 3, 1, 9, 0),
        sold_at_counter=True,
        category=None,
    )
    assert v.days_elapsed == 59
    assert v.reasons == ("Sold 59 days ago; the policy allows 30.",)


def test_not_delivered_yet_and_future_dates() -> None:
    v = verdict(reference_date=None)
    assert v.status is PolicyStatus.WITHIN and v.days_elapsed == 0
    assert "Not delivered yet" in v.summary
    assert verdict(reference_date=TODAY + timedelta(days=3)).days_elapsed == 0


def test_non_returnable_category() -> None:
    rules = PolicyRules(non_returnable_categories=frozenset({"Gift Cards"}))
    v = verdict(rules, category="gift cards")
    assert v.status is PolicyStatus.NOT_RETURNABLE
    assert v.reasons == ("gift cards is a non-returnable category; this item cannot be returned.",)


def test_non_returnable_product() -> None:
    v = verdict(product_returnable=False)
    assert v.status is PolicyStatus.NOT_RETURNABLE
    assert "not returnable" in v.reasons[0]


def test_quantity_above_returnable_is_never_overridable() -> None:
    v = verdict(requested_qty=4, returnable_qty=2)
    assert v.status is PolicyStatus.NOT_RETURNABLE
    assert v.reasons == (
        "4 requested, but only 2 can still be returned; reduce the quantity. A quantity above what"
        " is returnable cannot be overridden.",
    )
    v = verdict(requested_qty=1, returnable_qty=0)
    assert v.status is PolicyStatus.NOT_RETURNABLE
    assert "cannot be overridden" in v.reasons[0]


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=50))
def test_quantity_rule(requested: int, returnable: int) -> None:
    v = verdict(requested_qty=requested, returnable_qty=returnable)
    assert (v.status is PolicyStatus.NOT_RETURNABLE) == (requested > returnable)


def test_not_returnable_beats_override_and_lists_every_reason() -> None:
    v = verdict(
        reference_date=TODAY - timedelta(days=100),
        requested_qty=5,
        returnable_qty=1,
        conditions_met=frozenset(),
    )
    assert v.status is PolicyStatus.NOT_RETURNABLE
    assert len(v.reasons) == 3
    assert v.reasons[0].startswith("5 requested")


def test_missing_required_conditions_need_override() -> None:
    v = verdict(conditions_met=frozenset({"accessories_complete"}))
    assert v.status is PolicyStatus.OVERRIDE_NEEDED
    assert v.reasons == (
        "Required condition not met: original packaging. A supervisor override is needed.",
    )
    v = verdict(conditions_met=frozenset())
    assert v.reasons == (
        "Required conditions not met: original packaging, accessories complete. A supervisor"
        " override is needed.",
    )


def test_conditions_not_judged_before_they_are_checked() -> None:
    assert verdict(conditions_met=None).status is PolicyStatus.WITHIN


def test_conditions_apply_to_vendor_fault_only_when_configured() -> None:
    assert verdict(vendor_fault=True, conditions_met=frozenset()).status is PolicyStatus.WITHIN
    rules = PolicyRules(conditions_apply_to_vendor_fault=True)
    v = verdict(rules, vendor_fault=True, conditions_met=frozenset())
    assert v.status is PolicyStatus.OVERRIDE_NEEDED


def test_custom_condition_codes_are_named_in_words() -> None:
    rules = PolicyRules(required_conditions=("warranty_card",))
    v = verdict(rules, conditions_met=frozenset())
    assert "warranty card" in v.reasons[0]


@pytest.mark.parametrize(("requested", "returnable"), [(0, 3), (-1, 3), (1, -1)])
def test_invalid_quantities_are_refused(requested: int, returnable: int) -> None:
    with pytest.raises(ValidationFailed):
        verdict(requested_qty=requested, returnable_qty=returnable)


def test_worst_status() -> None:
    assert worst_status([]) is PolicyStatus.WITHIN
    assert worst_status([PolicyStatus.WITHIN, PolicyStatus.OVERRIDE_NEEDED]) is PolicyStatus.OVERRIDE_NEEDED
    assert worst_status(
        [PolicyStatus.NOT_RETURNABLE, PolicyStatus.OVERRIDE_NEEDED, PolicyStatus.WITHIN]
    ) is PolicyStatus.NOT_RETURNABLE


def test_replace_keeps_validation() -> None:
    with pytest.raises(ValidationFailed, match="'supervisor_limit'"):
        replace(PolicyRules.default(), supervisor_limit=1, auto_approve_limit=2)
