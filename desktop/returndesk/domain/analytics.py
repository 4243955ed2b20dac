"""The rules behind the figures of the analytics: stages, targets, Pareto shares, rate jumps.

The figures themselves are summed by the database; these pure functions say what a stage is,
how long a return may wait in one, when a product's return rate has jumped against its own past,
and what makes a customer's behaviour worth a supervisor's look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import ValidationFailed
from .lifecycle import Action
from .types import ReturnStatus as S
from returndesk.domain.messages import msg

#: The stages of a return's way through the shop, in order. A return is in a stage from the
#: transition that put it there until the next one.
STAGES: tuple[S, ...] = (
    S.REQUESTED,
    S.WAITING_FOR_CUSTOMER,
    S.AUTHORIZED,
    S.RECEIVED,
    S.INSPECTED,
    S.AWAITING_APPROVAL,
    S.APPROVED,
    S.REFUNDED,
    S.EXCHANGED,
)

#: The stage each audited action puts a return in (the lifecycle table, by action).
ACTION_ENTERS: dict[str, S] = {
    Action.SUBMIT.value: S.REQUESTED,
    Action.ASK_CUSTOMER.value: S.WAITING_FOR_CUSTOMER,
    Action.CUSTOMER_REPLY.value: S.REQUESTED,
    Action.AUTHORIZE.value: S.AUTHORIZED,
    Action.RECEIVE.value: S.RECEIVED,
    Action.COMPLETE_INSPECTION.value: S.INSPECTED,
    Action.ROUTE_FOR_APPROVAL.value: S.AWAITING_APPROVAL,
    Action.AUTO_APPROVE.value: S.APPROVED,
    Action.APPROVE.value: S.APPROVED,
    Action.REFUND.value: S.REFUNDED,
    Action.EXCHANGE.value: S.EXCHANGED,
    Action.CLOSE.value: S.CLOSED,
    Action.REJECT.value: S.REJECTED,
    Action.CANCEL.value: S.CANCELLED,
    Action.EXPIRE.value: S.EXPIRED,
    Action.REJECT_REFUND.value: S.REFUND_REJECTED,
}

#: Hours a return may wait in each stage before it counts as late (the shop's service targets).
DEFAULT_STAGE_TARGET_HOURS: dict[S, int] = {
    S.REQUESTED: 24,
    S.WAITING_FOR_CUSTOMER: 72,
    S.AUTHORIZED: 14 * 24,
    S.RECEIVED: 24,
    S.INSPECTED: 4,
    S.AWAITING_APPROVAL: 24,
    S.APPROVED: 24,
    S.REFUNDED: 14 * 24,
    S.EXCHANGED: 14 * 24,
}

#: Stages an open return can be waiting in (ageing).
OPEN_STAGES: tuple[S, ...] = (
    S.REQUESTED, S.WAITING_FOR_CUSTOMER, S.AUTHORIZED, S.RECEIVED, S.INSPECTED, S.AWAITING_APPROVAL, S.APPROVED,
)

#: How the cycle-time trend cuts a period: into days or into weeks from its first day.
TREND_BUCKETS: dict[str, int] = {"day": 1, "week": 7}

#: The longest period a report covers (a query over more is refused with a sentence).
MAX_PERIOD_DAYS = 3 * 366


def stage_targets(overrides: Mapping[str, int] | None = None) -> dict[S, int]:
    """The target hours per stage: the defaults, with ``overrides`` (stage code -> hours) applied.

    An unknown stage or a target that is not a whole number of hours of at least 1 raises
    ``ValidationFailed`` naming it.
    """
    targets = dict(DEFAULT_STAGE_TARGET_HOURS)
    for code, hours in (overrides or {}).items():
        try:
            stage = S(str(code).strip().lower())
        except ValueError:
            raise ValidationFailed(
                msg(
                    "'{code}' is not a stage; use one of {value}.",
                    code=code, value=', '.join(s.value for s in STAGES))
            ) from None
        if stage not in targets:
            raise ValidationFailed(msg(
                "'{code}' is not a stage; use one of {value}.",
                code=code, value=', '.join(s.value for s in STAGES)))
        if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
            raise ValidationFailed(msg(
                "The target of stage {value} must be a whole number of hours, 1 or more.",
                value=stage.value))
        targets[stage] = hours
    return targets


def check_period(date_from: date, date_to: date) -> None:
    """Refuse a period that ends before it starts or is longer than :data:`MAX_PERIOD_DAYS`."""
    if date_to < date_from:
        raise ValidationFailed(
            msg(
                "The period ends ({date_to}) before it starts ({date_from}); swap the dates.",
                date_to=date_to.isoformat(), date_from=date_from.isoformat())
        )
    if (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(msg(
            "A report covers at most {max_period_days} days; choose a shorter period.",
            max_period_days=MAX_PERIOD_DAYS))


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length just before ``date_from``..``date_to`` (both inclusive)."""
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


def cumulative_shares(counts: Sequence[int]) -> list[float]:
    """The running share of the total after each count (Pareto's line), 0..1; zeros for no total."""
    total = sum(counts)
    if total <= 0:
        return [0.0 for _ in counts]
    shares: list[float] = []
    running = 0
    for n in counts:
        running += n
        shares.append(running / total)
    return shares


def rate(returned: int, sold: int) -> float | None:
    """Returned ÷ sold, or None when nothing was sold."""
    if sold <= 0:
        return None
    return returned / sold


#: A rate counts as jumped when it is at least this many times its past rate ...
JUMP_FACTOR = 1.5
#: ... and at least this much higher (5 percentage points) ...
JUMP_MIN_DIFFERENCE = 0.05
#: ... with at least this many units returned now (a single return is no trend).
JUMP_MIN_UNITS = 3


def rate_jumped(returned: int, sold: int, past_returned: int, past_sold: int) -> bool:
    """True when the return rate now stands well above the same product's rate in the past
    period: at least :data:`JUMP_FACTOR` times it and :data:`JUMP_MIN_DIFFERENCE` higher, on at
    least :data:`JUMP_MIN_UNITS` returned units. Nothing sold before counts as a past rate of 0."""
    now = rate(returned, sold)
    if now is None or returned < JUMP_MIN_UNITS:
        return False
    past = rate(past_returned, past_sold) or 0.0
    return now >= past * JUMP_FACTOR and now - past >= JUMP_MIN_DIFFERENCE


#: The risk review's period unless the supervisor picks another: the last 90 of the installation's
#: days, today included. The summaries keep each customer's figures of this window (the review's
#: first paint reads them); any other period, a site or a station reads the returns themselves.
RISK_WINDOW_DAYS = 90


@dataclass(frozen=True)
class RiskThresholds:
    """What makes a customer's returns unusual (a supervisor looks; nothing is refused)."""

    #: Returns in the period at or above which a customer is listed.
    returns_in_period: int = 3
    #: Share of the units bought that came back, at or above which a customer is listed.
    unit_rate: float = 0.5
    #: A unit graded D whose line value per unit is at least this (minor units) is a high-value claim.
    high_value_minor: int = 100000
    #: Returns without a receipt in the period at or above which a customer is listed.
    no_receipt_in_period: int = 2

    @property
    def unit_rate_permille(self) -> int:
        """The share of units as whole thousandths, so that SQL and Python judge it alike."""
        return round(self.unit_rate * 1000)


def returns_much_of_what_they_bought(units_returned: int, units_bought: int, thresholds: RiskThresholds) -> bool:
    """The ``rate`` signal: at least two units back and at least the threshold's share of the units
    bought (compared in whole thousandths, as the review's SQL does)."""
    return (units_returned >= 2 and units_bought > 0
            and units_returned * 1000 >= units_bought * thresholds.unit_rate_permille)


def risk_signals(
    *, returns: int, units_returned: int, units_bought: int, high_value_d: int, serials_seen_before: int,
    watched: bool, thresholds: RiskThresholds, no_receipt: int = 0,
) -> tuple[str, ...]:
    """The codes of the signals a customer shows: ``count``, ``rate``, ``grade_d``, ``serial``,
    ``no_receipt``, ``watch``; a customer with none is not listed."""
    signals: list[str] = []
    if returns >= thresholds.returns_in_period:
        signals.append("count")
    if returns_much_of_what_they_bought(units_returned, units_bought, thresholds):
        signals.append("rate")
    if high_value_d > 0:
        signals.append("grade_d")
    if serials_seen_before > 0:
        signals.append("serial")
    if no_receipt >= thresholds.no_receipt_in_period:
        signals.append("no_receipt")
    if watched:
        signals.append("watch")
    return tuple(signals)



def trend_buckets(date_from: date, date_to: date, bucket: str) -> list[date]:
    """The first days of the buckets (``day`` or ``week``) that cut ``date_from``..``date_to``."""
    if bucket not in TREND_BUCKETS:
        raise ValidationFailed(msg("'{bucket}' is not a trend bucket; use day or week.", bucket=bucket))
    check_period(date_from, date_to)
    step = TREND_BUCKETS[bucket]
    days = (date_to - date_from).days + 1
    return [date_from + timedelta(days=i) for i in range(0, days, step)]


def check_target_hours(stage: str, hours: object) -> int:
    """A stage target as whole hours, 1 to 90 days; anything else raises ``ValidationFailed``."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 90 * 24:
        raise ValidationFailed(
            msg(
                "The target of stage {stage} must be a whole number of hours from 1 to {value}, not {hours!r}.",
                stage=stage, value=90 * 24, hours=hours))
    return hours
