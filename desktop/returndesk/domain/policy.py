"""The return policy: its rules as one value, and the verdict on one requested line.

The policy is administered as data (:class:`PolicyRules`, stored as JSON) and applied by pure
functions, so the counter, the scanning station and the approval queue all judge a return alike.

Verdicts are one of three (:class:`~returndesk.domain.types.PolicyStatus`):

* ``NOT_RETURNABLE`` — the category or the product is not returnable, or more is requested than can
  still be returned. Nobody can override these.
* ``OVERRIDE_NEEDED`` — outside the time window, or a required condition (original packaging, tags,
  accessories) is not met. A supervisor may override with a written reason.
* ``WITHIN`` — nothing stands in the way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files
from typing import Any

from .errors import ValidationFailed
from .localtime import days_between, transit_reference
from .money import format_money
from .types import Grade, PolicyStatus
from returndesk.domain.messages import join, msg, template

DEFAULT_GRADE_FACTORS: dict[Grade, Decimal] = {
    Grade.A: Decimal("1"),
    Grade.B: Decimal("1"),
    Grade.C: Decimal("0.8"),
    Grade.D: Decimal("0.5"),
}

#: Conditions the policy can require, with the words used in verdicts and on receipts.
CONDITION_LABELS: dict[str, str] = {
    "original_packaging": template("original packaging"),
    "tags_attached": template("tags attached"),
    "accessories_complete": template("accessories complete"),
    "proof_of_purchase": template("proof of purchase"),
    "seal_intact": template("factory seal intact"),
}

#: A reason a supervisor's override can set aside (``reason`` is the sentence before it).
NEEDS_OVERRIDE = template("{reason} A supervisor override is needed.")


def _default_policy_text() -> dict[str, str]:
    """The policy text a new installation starts with, in each language: the shop's own words
    (data it edits, printed on receipts and labels), kept with the reference data."""
    text = (files("returndesk.db") / "seed" / "policy_text.json").read_text("utf-8")
    return {language: str(words) for language, words in json.loads(text).items()}


_DEFAULT_TEXT = _default_policy_text()
DEFAULT_POLICY_TEXT_EN = _DEFAULT_TEXT["en"]
DEFAULT_POLICY_TEXT_ZH = _DEFAULT_TEXT["zh_CN"]

_CONDITION_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def condition_label(code: str) -> str:
    """Words for a condition code (``"tags_attached"`` -> ``"tags attached"``)."""
    return CONDITION_LABELS.get(code, code.replace("_", " "))


def condition_words(code: str) -> str:
    """:func:`condition_label` as a message (a code of the shop's own is shown as it is)."""
    return msg(CONDITION_LABELS[code]) if code in CONDITION_LABELS else code.replace("_", " ")


def _fail(field_name: str, problem: str) -> ValidationFailed:
    """``problem`` (a message that follows the setting's name) about the setting ``field_name``."""
    message = msg("Return policy setting '{setting}' {problem}.", setting=field_name, problem=problem)
    return ValidationFailed(message, [message])


def _check_days(name: str, value: object, *, minimum: int = 0, maximum: int = 3650) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, msg("must be a whole number of days, not {value}", value=repr(value)))
    if not minimum <= value <= maximum:
        raise _fail(name, msg("must be between {minimum} and {maximum} days, not {value}", minimum=minimum,
                                   maximum=maximum, value=value))


def _check_minor(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, msg("must be an amount in minor units (an integer), not {value}", value=repr(value)))
    if value < 0:
        raise _fail(name, msg("must not be negative ({amount})", amount=format_money(value)))


def _check_fraction(name: str, value: object) -> None:
    if not isinstance(value, Decimal):
        raise _fail(name, msg("must be a Decimal between 0 and 1, not {value}", value=repr(value)))
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise _fail(name, msg("must be between 0 and 1, not {value}", value=value))


@dataclass(frozen=True)
class PolicyRules:
    """Every configurable rule of the return policy and of approval routing.

    Amounts are minor units (``auto_approve_limit=20000`` is 200.00). Fractions are ``Decimal``
    between 0 and 1 (``restocking_fee_pct=Decimal("0.10")`` is 10 %). Invalid values raise
    ``ValidationFailed`` naming the setting, whether built in code or read from JSON.
    """

    #: Days since delivery (remote) or since the sale (counter) within which a return is accepted.
    window_days: int = 30
    #: Window for vendor-fault reasons (defective, wrong item, damaged in transit).
    defect_window_days: int = 90
    #: Category -> window in days, replacing ``window_days`` for that category (case-insensitive).
    category_windows: Mapping[str, int] = field(default_factory=dict)
    #: Categories that are never returnable (case-insensitive).
    non_returnable_categories: frozenset[str] = frozenset()
    #: Condition codes a returned item must meet (see ``CONDITION_LABELS``).
    required_conditions: tuple[str, ...] = ("original_packaging", "accessories_complete")
    #: Whether required conditions also apply to vendor-fault returns. Off by default: a unit
    #: damaged in transit rarely still has intact packaging, and that is not the customer's doing.
    conditions_apply_to_vendor_fault: bool = False
    #: Share of the price refunded per grade on customer-fault returns.
    grade_factors: Mapping[Grade, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_GRADE_FACTORS)
    )
    #: Restocking fee as a fraction of the price paid, on customer-fault returns of opened items
    #: (grades B and C). Never charged on vendor fault.
    restocking_fee_pct: Decimal = Decimal("0.10")
    #: Refunds up to this amount (minor units) that need no flag are approved automatically.
    auto_approve_limit: int = 20000
    #: Refunds above this amount (minor units) need a manager, the second approval level.
    supervisor_limit: int = 200000
    #: A customer with this many returns ...
    frequent_returner_count: int = 5
    #: ... within this many days is a frequent returner (routed to a supervisor).
    frequent_returner_days: int = 90
    #: Whether the shipping the customer paid is refunded when the return is the vendor's fault.
    refund_shipping_on_vendor_fault: bool = True
    #: Days an authorized remote return has to arrive before it expires.
    receive_deadline_days: int = 30
    #: Days a parcel is assumed to travel when a phone or online sale has no delivery date on
    #: record: the window then runs from the sale day plus this allowance, never forever.
    transit_allowance_days: int = 7
    #: Days a refunded or exchanged return stays open before housekeeping closes it.
    close_after_days: int = 14
    #: A return without a receipt is refunded at the lowest price the item sold for in this many
    #: days (never above today's price), as store credit, with a supervisor's sign-off.
    blind_price_days: int = 90
    #: Days a claim shipped back to a supplier may wait for the supplier's answer before it is flagged.
    claim_ageing_days: int = 30
    #: Scrapping a unit worth more than this (purchase cost plus parts spent on it, minor units)
    #: needs a supervisor's sign-off.
    scrap_signoff_limit: int = 50000
    #: Policy text printed on receipts and labels.
    policy_text_en: str = DEFAULT_POLICY_TEXT_EN
    policy_text_zh: str = DEFAULT_POLICY_TEXT_ZH

    def __post_init__(self) -> None:
        # Copies keep the frozen value safe from callers that later mutate what they passed in.
        object.__setattr__(self, "category_windows", dict(self.category_windows))
        object.__setattr__(
            self, "non_returnable_categories", frozenset(self.non_returnable_categories)
        )
        object.__setattr__(self, "required_conditions", tuple(self.required_conditions))
        object.__setattr__(
            self,
            "grade_factors",
            {_as_grade(k): v for k, v in dict(self.grade_factors).items()},
        )
        self._validate()

    def _validate(self) -> None:
        _check_days("window_days", self.window_days)
        _check_days("defect_window_days", self.defect_window_days)
        folded: set[str] = set()
        for category, days in self.category_windows.items():
            if not isinstance(category, str) or not category.strip():
                raise _fail("category_windows", msg("has an empty or non-text category {category}",
                                                    category=repr(category)))
            if category.casefold() in folded:
                raise _fail("category_windows", msg("names category '{category}' twice", category=category))
            folded.add(category.casefold())
            _check_days(f"category_windows[{category}]", days)
        for category in self.non_returnable_categories:
            if not isinstance(category, str) or not category.strip():
                raise _fail(
                    "non_returnable_categories",
                    msg("has an empty or non-text category {category}", category=repr(category)),
                )
        seen: set[str] = set()
        for code in self.required_conditions:
            if not isinstance(code, str) or not _CONDITION_CODE.fullmatch(code):
                raise _fail(
                    "required_conditions",
                    msg("has {code}, which is not a condition code (lower case letters, digits, _)",
                        code=repr(code)),
                )
            if code in seen:
                raise _fail("required_conditions", msg("lists '{code}' twice", code=code))
            seen.add(code)
        if not isinstance(self.conditions_apply_to_vendor_fault, bool):
            raise _fail("conditions_apply_to_vendor_fault", msg("must be true or false"))
        for key in self.grade_factors:
            if not isinstance(key, Grade):
                raise _fail("grade_factors", msg("has {key}, which is not a grade (A, B, C, D)", key=repr(key)))
        missing = [g.value for g in Grade if g not in self.grade_factors]
        if missing:
            raise _fail("grade_factors", msg("has no factor for grade {grades}", grades=", ".join(missing)))
        for grade, factor in self.grade_factors.items():
            _check_fraction(f"grade_factors[{grade.value}]", factor)
        _check_fraction("restocking_fee_pct", self.restocking_fee_pct)
        _check_minor("auto_approve_limit", self.auto_approve_limit)
        _check_minor("supervisor_limit", self.supervisor_limit)
        if self.supervisor_limit < self.auto_approve_limit:
            raise _fail(
                "supervisor_limit",
                msg("({supervisor_limit}) must not be below auto_approve_limit ({auto_approve_limit})",
                    supervisor_limit=format_money(self.supervisor_limit),
                    auto_approve_limit=format_money(self.auto_approve_limit)),
            )
        _check_days("frequent_returner_count", self.frequent_returner_count, minimum=1, maximum=10000)
        _check_days("frequent_returner_days", self.frequent_returner_days, minimum=1)
        if not isinstance(self.refund_shipping_on_vendor_fault, bool):
            raise _fail("refund_shipping_on_vendor_fault", msg("must be true or false"))
        _check_days("receive_deadline_days", self.receive_deadline_days, minimum=1)
        _check_days("transit_allowance_days", self.transit_allowance_days, maximum=365)
        _check_days("close_after_days", self.close_after_days, maximum=365)
        _check_days("blind_price_days", self.blind_price_days, minimum=1, maximum=3650)
        _check_days("claim_ageing_days", self.claim_ageing_days, minimum=1, maximum=365)
        _check_minor("scrap_signoff_limit", self.scrap_signoff_limit)
        for name in ("policy_text_en", "policy_text_zh"):
            if not isinstance(getattr(self, name), str):
                raise _fail(name, msg("must be text"))

    def __hash__(self) -> int:
        # Mappings are not hashable; frozensets of their items are, and Decimal hashes by value
        # (Decimal("0.10") and Decimal("0.1") are equal and hash alike).
        return hash(
            tuple(
                frozenset(v.items()) if isinstance(v, dict) else v
                for v in (getattr(self, f.name) for f in fields(self))
            )
        )

    # ---------------------------------------------------------------- construction and JSON

    @classmethod
    def default(cls) -> PolicyRules:
        """The policy a new installation starts with."""
        return cls()

    def window_for(self, category: str | None, *, vendor_fault: bool) -> int:
        """Days allowed for a category; vendor faults get the longer of the defect window and the
        category's own window, so a defect never has less time than a change of mind."""
        base = self.window_days
        if category:
            folded = category.casefold()
            for name, days in self.category_windows.items():
                if name.casefold() == folded:
                    base = days
                    break
        return max(base, self.defect_window_days) if vendor_fault else base

    def with_categories(self, windows: Mapping[str, int], non_returnable: Iterable[str]) -> PolicyRules:
        """These rules with the categories' own settings (master data) filled in: a category's own
        window applies unless these rules name the category themselves, and a category marked not
        returnable is not, whatever the rules say."""
        named = {name.casefold() for name in self.category_windows}
        merged = dict(self.category_windows)
        merged.update({code: days for code, days in windows.items() if code.casefold() not in named})
        blocked = set(self.non_returnable_categories)
        folded = {name.casefold() for name in blocked}
        blocked.update(code for code in non_returnable if code.casefold() not in folded)
        if merged == dict(self.category_windows) and blocked == set(self.non_returnable_categories):
            return self
        return replace(self, category_windows=merged, non_returnable_categories=frozenset(blocked))

    def is_category_returnable(self, category: str | None) -> bool:
        """False when ``category`` is one of the non-returnable categories (case-insensitive)."""
        if not category:
            return True
        folded = category.casefold()
        return all(name.casefold() != folded for name in self.non_returnable_categories)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: Decimals as strings, sets as sorted lists, grades by letter."""
        return {
            "window_days": self.window_days,
            "defect_window_days": self.defect_window_days,
            "category_windows": dict(sorted(self.category_windows.items())),
            "non_returnable_categories": sorted(self.non_returnable_categories),
            "required_conditions": list(self.required_conditions),
            "conditions_apply_to_vendor_fault": self.conditions_apply_to_vendor_fault,
            "grade_factors": {g.value: str(self.grade_factors[g]) for g in Grade},
            "restocking_fee_pct": str(self.restocking_fee_pct),
            "auto_approve_limit": self.auto_approve_limit,
            "supervisor_limit": self.supervisor_limit,
            "frequent_returner_count": self.frequent_returner_count,
            "frequent_returner_days": self.frequent_returner_days,
            "refund_shipping_on_vendor_fault": self.refund_shipping_on_vendor_fault,
            "receive_deadline_days": self.receive_deadline_days,
            "transit_allowance_days": self.transit_allowance_days,
            "close_after_days": self.close_after_days,
            "blind_price_days": self.blind_price_days,
            "claim_ageing_days": self.claim_ageing_days,
            "scrap_signoff_limit": self.scrap_signoff_limit,
            "policy_text_en": self.policy_text_en,
            "policy_text_zh": self.policy_text_zh,
        }

    def to_json(self) -> str:
        """The rules as JSON text (stable key order, non-ASCII kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyRules:
        """Rules from a dict as written by :meth:`to_dict`.

        Settings missing from ``data`` take their defaults (so a policy stored by an older version
        still loads); unknown settings and invalid values raise ``ValidationFailed`` naming them.
        """
        if not isinstance(data, Mapping):
            raise ValidationFailed(msg("The stored return policy is not a JSON object."))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _fail(unknown[0], msg("is not a known setting"))
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            kwargs[name] = _from_json_value(name, value)
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> PolicyRules:
        """Rules from JSON text; see :meth:`from_dict`."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(
                msg("The stored return policy is not valid JSON ({exc}); save the policy again.", exc=exc)
            ) from exc
        return cls.from_dict(data)


def _as_grade(key: object) -> object:
    # Grade letters given as text ("A") are accepted; anything else is left for validation to name.
    if isinstance(key, str) and not isinstance(key, Grade):
        try:
            return Grade(key.upper())
        except ValueError:
            return key
    return key


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(name, msg("must be a decimal number written as text, not {value}", value=repr(value)))
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise _fail(name, msg("must be a decimal number, not {value}", value=repr(value))) from None


def _from_json_value(name: str, value: Any) -> Any:
    if name == "category_windows":
        if not isinstance(value, dict):
            raise _fail(name, msg("must be an object of category -> days"))
        return dict(value)
    if name == "non_returnable_categories":
        if not isinstance(value, list):
            raise _fail(name, msg("must be a list of categories"))
        return frozenset(value)
    if name == "required_conditions":
        if not isinstance(value, list):
            raise _fail(name, msg("must be a list of condition codes"))
        return tuple(value)
    if name == "grade_factors":
        if not isinstance(value, dict):
            raise _fail(name, msg("must be an object of grade -> factor"))
        factors: dict[Grade, Decimal] = {}
        for key, factor in value.items():
            try:
                grade = Grade(str(key).upper())
            except ValueError:
                raise _fail(name, msg("has {key}, which is not a grade (A, B, C, D)", key=repr(key))) from None
            factors[grade] = _decimal(f"{name}[{grade.value}]", factor)
        return factors
    if name == "restocking_fee_pct":
        return _decimal(name, value)
    return value


# --------------------------------------------------------------------------------------------
# Quantities and verdicts
# --------------------------------------------------------------------------------------------


def returnable_quantity(purchased: int, returned_or_in_process: int) -> int:
    """How many units of an order line can still be returned (never negative)."""
    return max(0, purchased - max(0, returned_or_in_process))


@dataclass(frozen=True)
class PolicyVerdict:
    """The policy's verdict on one requested line.

    ``reasons`` holds one sentence per problem (empty when ``WITHIN``); ``summary`` always states
    the time window, for display next to the line. ``transit_days`` is set when no delivery date
    is on record and the window runs from the sale day plus that transit allowance.
    """

    status: PolicyStatus
    reasons: tuple[str, ...]
    window_days: int
    days_elapsed: int
    summary: str = ""
    transit_days: int | None = None

    @property
    def needs_override(self) -> bool:
        """True when a supervisor override (with a written reason) would allow the line."""
        return self.status is PolicyStatus.OVERRIDE_NEEDED

    @property
    def allowed(self) -> bool:
        """True when the line may go ahead without an override."""
        return self.status is PolicyStatus.WITHIN


@lru_cache(maxsize=1024)
def _days(n: int) -> str:
    # Kept per number of days: a message is an immutable value, and every verdict says two.
    return msg("1 day") if n == 1 else msg("{n} days", n=n)


@lru_cache(maxsize=256)
def _scope(category: str | None, vendor_fault: bool) -> str:
    """What a window is for, following its number of days ("30 days for shoes")."""
    if vendor_fault:
        return msg(" for defects and other vendor faults")
    if category:
        return msg(" for {category}", category=category)
    return ""


# The sentences of a verdict are kept per value (a message is an immutable value): the counter
# judges every line of a sale twice, and the same windows, day counts and quantities recur.


@lru_cache(maxsize=4096)
def _window_summary(window: int, category: str | None, vendor_fault: bool, elapsed: int | None,
                    sold_on: date | None, transit: int | None, sold_at_counter: bool) -> str:
    """The sentence that states a verdict's window: ``elapsed`` days since the reference day
    (None: not delivered yet), counted from the sale day ``sold_on`` plus ``transit`` days when
    no delivery is on record (see :func:`evaluate_line`)."""
    scope = _scope(category, vendor_fault)
    if elapsed is None:
        return msg("Not delivered yet; the policy allows {window} days{scope} from delivery.",
                   window=window, scope=scope)
    if transit is not None:
        assert sold_on is not None
        return msg("No delivery date on record: counted from the sale on {sold_on} plus {transit} in transit, "
                   "{elapsed} ago; the policy allows {window}{scope}.", sold_on=sold_on.isoformat(),
                   transit=_days(transit), elapsed=_days(elapsed), window=window, scope=scope)
    if sold_at_counter:
        return msg("Sold {elapsed} ago; the policy allows {window}{scope}.",
                   elapsed=_days(elapsed), window=window, scope=scope)
    return msg("Delivered {elapsed} ago; the policy allows {window}{scope}.",
               elapsed=_days(elapsed), window=window, scope=scope)


@lru_cache(maxsize=256)
def _category_not_returnable(category: str | None) -> str:
    return msg("{category} is a non-returnable category; this item cannot be returned.", category=category)


@lru_cache(maxsize=1)
def _product_not_returnable() -> str:
    return msg("This product is marked as not returnable; it cannot be returned.")


@lru_cache(maxsize=1024)
def _too_many(requested_qty: int, returnable_qty: int) -> str:
    """Why ``requested_qty`` units cannot be returned when ``returnable_qty`` (fewer) can."""
    if returnable_qty == 0:
        return msg(
            "{requested_qty} requested, but nothing of this line can be returned any more: every unit bought "
            "is already returned or in process. This cannot be overridden.",
            requested_qty=requested_qty)
    return msg(
        "{requested_qty} requested, but only {returnable_qty} can still be returned; reduce the "
        "quantity. A quantity above what is returnable cannot be overridden.",
        requested_qty=requested_qty, returnable_qty=returnable_qty)


def evaluate_line(
    rules: PolicyRules,
    *,
    category: str | None,
    product_returnable: bool,
    vendor_fault: bool,
    reference_date: date | datetime | None,
    today: date | datetime,
    requested_qty: int,
    returnable_qty: int,
    conditions_met: frozenset[str] | None = None,
    sold_at_counter: bool = False,
    sold_date: date | None = None,
) -> PolicyVerdict:
    """Judge one requested return line against the policy.

    Dates are calendar days of the selling site (see :mod:`returndesk.domain.localtime`).
    ``reference_date`` is the delivery date (or the sale date for a counter sale, with
    ``sold_at_counter=True``). When it is ``None`` and ``sold_date`` is given (a phone or online
    sale with no delivery on record), the window runs from the sale day plus the policy's transit
    allowance; with neither, the goods are not delivered yet, which is within any window.
    ``conditions_met`` is ``None`` when the conditions have not been checked yet (a phone request
    before the goods are seen); then they are not judged. Required conditions apply to
    customer-fault returns only, unless ``rules.conditions_apply_to_vendor_fault``.
    """
    if isinstance(requested_qty, bool) or not isinstance(requested_qty, int) or requested_qty < 1:
        raise ValidationFailed(msg(
            "The quantity to return must be at least 1, not {requested_qty}.",
            requested_qty=requested_qty))
    if isinstance(returnable_qty, bool) or not isinstance(returnable_qty, int) or returnable_qty < 0:
        raise ValidationFailed(msg(
            "The returnable quantity cannot be {returnable_qty}.",
            returnable_qty=returnable_qty))

    window = rules.window_for(category, vendor_fault=vendor_fault)
    today_d = today.date() if isinstance(today, datetime) else today
    transit: int | None = None
    ref_d: date | None = None
    if reference_date is not None:
        ref_d = reference_date.date() if isinstance(reference_date, datetime) else reference_date
    elif sold_date is not None and not sold_at_counter:
        transit = rules.transit_allowance_days
        ref_d = transit_reference(sold_date, transit)
    # A reference date in the future (clock skew, a pre-dated delivery) counts as today.
    elapsed = 0 if ref_d is None else days_between(ref_d, today_d)

    summary = _window_summary(window, category, vendor_fault, None if ref_d is None else elapsed,
                              sold_date if transit is not None else None, transit, sold_at_counter)

    blocking: list[str] = []
    override: list[str] = []

    if not rules.is_category_returnable(category):
        blocking.append(_category_not_returnable(category))
    if not product_returnable:
        blocking.append(_product_not_returnable())
    if requested_qty > returnable_qty:
        blocking.append(_too_many(requested_qty, returnable_qty))

    if elapsed > window:
        override.append(summary)
    checks_conditions = conditions_met is not None and (
        not vendor_fault or rules.conditions_apply_to_vendor_fault
    )
    if checks_conditions:
        assert conditions_met is not None
        missing = [c for c in rules.required_conditions if c not in conditions_met]
        if missing:
            words = join([condition_words(c) for c in missing], ", ")
            override.append(msg(NEEDS_OVERRIDE, reason=msg(
                "Required condition not met: {words}." if len(missing) == 1
                else "Required conditions not met: {words}.", words=words)))

    if blocking:
        status = PolicyStatus.NOT_RETURNABLE
    elif override:
        status = PolicyStatus.OVERRIDE_NEEDED
    else:
        status = PolicyStatus.WITHIN
    return PolicyVerdict(
        status=status,
        reasons=tuple(blocking + override),
        window_days=window,
        days_elapsed=elapsed,
        summary=summary,
        transit_days=transit,
    )


def worst_status(statuses: list[PolicyStatus] | tuple[PolicyStatus, ...]) -> PolicyStatus:
    """The status of a whole return from its lines' statuses (the worst one wins)."""
    order = [PolicyStatus.WITHIN, PolicyStatus.OVERRIDE_NEEDED, PolicyStatus.NOT_RETURNABLE]
    return max(statuses, key=order.index, default=PolicyStatus.WITHIN)


# --------------------------------------------------------------------------- versions compared


@dataclass(frozen=True)
class RuleChange:
    """One setting that differs between two versions of the rules, as JSON-ready text.

    ``setting`` is the field name; for mappings (``category_windows``, ``grade_factors``) one
    change per key, named ``setting[key]``. ``before`` or ``after`` is "" when the key is absent.
    """

    setting: str
    before: str
    after: str


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def diff_rules(old: PolicyRules, new: PolicyRules) -> tuple[RuleChange, ...]:
    """The settings ``new`` changes against ``old``, in the order of :meth:`PolicyRules.to_dict`."""
    before, after = old.to_dict(), new.to_dict()
    changes: list[RuleChange] = []
    for name in after:
        a, b = before.get(name), after[name]
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                x, y = a.get(key), b.get(key)
                if name == "grade_factors" and x is not None and y is not None and Decimal(x) == Decimal(y):
                    continue
                if x != y:
                    changes.append(RuleChange(f"{name}[{key}]", _as_text(a.get(key)), _as_text(b.get(key))))
        elif name == "restocking_fee_pct":
            if Decimal(str(a)) != Decimal(str(b)):
                changes.append(RuleChange(name, _as_text(a), _as_text(b)))
        elif a != b:
            changes.append(RuleChange(name, _as_text(a), _as_text(b)))
    return tuple(changes)
