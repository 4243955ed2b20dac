"""The pure rules of the analytics: targets, periods, Pareto shares, rate jumps, risk signals."""

from __future__ import annotations

from datetime import date

import pytest

from returndesk.domain.analytics import (
    RiskThresholds,
    check_period,
    cumulative_shares,
    previous_period,
    rate_jumped,
    risk_signals,
    stage_targets,
)
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.types import ReturnStatus


def test_targets_take_overrides_and_refuse_nonsense() -> None:
    assert stage_targets({"received": 8})[ReturnStatus.RECEIVED] == 8
    assert stage_targets()[ReturnStatus.INSPECTED] == 4
    with pytest.raises(ValidationFailed, match="whole number"):
        stage_targets({"received": 0})
    with pytest.raises(ValidationFailed, match="not a stage"):
        stage_targets({"closed": 5})


def test_periods() -> None:
    assert previous_period(date(2026, 11, 1), date(2026, 11, 30)) == (date(2026, 10, 2), date(2026, 10, 31))
    with pytest.raises(ValidationFailed, match="swap"):
        check_period(date(2026, 11, 2), date(2026, 11, 1))
    with pytest.raises(ValidationFailed, match="at most"):
        check_period(date(2020, 1, 1), date(2026, 1, 1))


def test_cumulative_shares() -> None:
    assert cumulative_shares([6, 3, 1]) == [0.6, 0.9, 1.0]
    assert cumulative_shares([0, 0]) == [0.0, 0.0]


@pytest.mark.parametrize(("now", "past", "jumped"), [
    ((6, 10), (0, 0), True),      # new product returned a lot
    ((6, 10), (4, 10), False),    # 60 % after 40 %: not 1.5 times
    ((6, 10), (2, 10), True),     # 60 % after 20 %
    ((2, 10), (0, 10), False),    # two units are no trend
    ((3, 100), (1, 100), False),  # 3 % after 1 %: less than 5 points
])
def test_rate_jumped(now: tuple[int, int], past: tuple[int, int], jumped: bool) -> None:
    assert rate_jumped(now[0], now[1], past[0], past[1]) is jumped


def test_risk_signals() -> None:
    t = RiskThresholds(returns_in_period=3, unit_rate=0.5)
    assert risk_signals(returns=3, units_returned=1, units_bought=10, high_value_d=0, serials_seen_before=0,
                        watched=False, thresholds=t) == ("count",)
    assert risk_signals(returns=1, units_returned=2, units_bought=3, high_value_d=1, serials_seen_before=2,
                        watched=True, thresholds=t) == ("rate", "grade_d", "serial", "watch")
    assert risk_signals(returns=1, units_returned=1, units_bought=1, high_value_d=0, serials_seen_before=0,
                        watched=False, thresholds=t) == ()
