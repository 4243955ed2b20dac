"""Claims against suppliers (退供单): the rules of a return-to-vendor claim, without a database.

Units inspected with the disposition "return to vendor" collect, per supplier, into one open claim.
What the claim asks for depends on the supplier's RTV terms:

* ``credit_at_cost`` — a credit note for the purchase cost of every unit;
* ``cost_minus_fee`` — the cost less the supplier's handling fee (once per claim);
* ``replacement`` — the supplier sends new units instead of money.

Every supplier also has a minimum claim value (zero: none): a claim worth less is not sent, it
waits for more units.

A claim goes ``open`` → ``requested`` (authorisation asked) → ``authorised`` (the supplier's RMA
number and date recorded) → ``shipped`` → ``credited`` (everything accepted and credited in full),
``partly_credited`` (some units refused or less money than asked) or ``rejected`` (nothing accepted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import ValidationFailed
from .money import format_money
from returndesk.domain.messages import msg


class RtvTerms(StrEnum):
    CREDIT_AT_COST = "credit_at_cost"
    COST_MINUS_FEE = "cost_minus_fee"
    REPLACEMENT = "replacement"


class ClaimStatus(StrEnum):
    OPEN = "open"
    REQUESTED = "requested"
    AUTHORISED = "authorised"
    SHIPPED = "shipped"
    CREDITED = "credited"
    PARTLY_CREDITED = "partly_credited"
    REJECTED = "rejected"


#: Claims still being put together: units may be added and removed.
COLLECTING = frozenset({ClaimStatus.OPEN, ClaimStatus.REQUESTED, ClaimStatus.AUTHORISED})
#: Claims the supplier has answered; nothing changes on them any more.
ANSWERED = frozenset({ClaimStatus.CREDITED, ClaimStatus.PARTLY_CREDITED, ClaimStatus.REJECTED})


class UnitFate(StrEnum):
    """Where a unit the supplier refused goes."""

    BACK_TO_STOCK = "available"
    SCRAP = "scrap"


def parse_terms(value: str) -> RtvTerms:
    """The terms named ``value``; the master data's spellings are accepted."""
    try:
        return RtvTerms(value)
    except ValueError:
        known = ", ".join(t.value for t in RtvTerms)
        raise ValidationFailed(
            msg("'{value}' is not one of the RTV terms ({known}).", value=value, known=known)) from None


@dataclass(frozen=True)
class ClaimValue:
    """What a claim asks of the supplier, in minor units."""

    cost_minor: int  # purchase cost of the units
    fee_minor: int  # the handling fee kept by the supplier
    value_minor: int  # the credit asked for (0 when the supplier replaces the goods)
    replacement: bool
    below_minimum: bool  # the claim may not be sent yet


def claim_value(
    terms: RtvTerms | str, unit_costs: Iterable[int], *, handling_fee_minor: int = 0, min_claim_minor: int = 0
) -> ClaimValue:
    """The value of a claim holding units of these purchase costs under ``terms``."""
    terms = RtvTerms(terms)
    costs = list(unit_costs)
    if any(c < 0 for c in costs) or handling_fee_minor < 0 or min_claim_minor < 0:
        raise ValueError("claim costs, fees and minimums are not negative")
    cost = sum(costs)
    fee = min(handling_fee_minor, cost) if terms is RtvTerms.COST_MINUS_FEE and costs else 0
    replacement = terms is RtvTerms.REPLACEMENT
    value = 0 if replacement else cost - fee
    below = not costs or (not replacement and value < min_claim_minor) or (replacement and cost < min_claim_minor)
    return ClaimValue(cost, fee, value, replacement, below)


def below_minimum_message(claim_no: str, supplier: str, value: ClaimValue, min_claim_minor: int) -> str:
    if value.cost_minor == 0:
        return msg("Claim {claim_no} holds no units yet; scan the item tags of the units going back to {supplier}"
                   " first.", claim_no=claim_no, supplier=supplier)
    return msg(
        "Claim {claim_no} to {supplier} is worth {value}, below the supplier's minimum claim of {minimum}; collect"
        " more units before asking for authorisation.", claim_no=claim_no, supplier=supplier,
        value=format_money(value.value_minor or value.cost_minor), minimum=format_money(min_claim_minor))


def settled_status(units: int, accepted: int, credited_minor: int, value_minor: int,
                   replacement: bool) -> ClaimStatus:
    """The status of a claim the supplier answered."""
    if accepted == 0:
        return ClaimStatus.REJECTED
    if accepted < units or (not replacement and credited_minor < value_minor):
        return ClaimStatus.PARTLY_CREDITED
    return ClaimStatus.CREDITED


def is_overdue(status: ClaimStatus | str, days_since_shipped: int | None, ageing_days: int) -> bool:
    """Shipped and still not answered after ``ageing_days`` days."""
    return ClaimStatus(status) is ClaimStatus.SHIPPED and days_since_shipped is not None \
        and days_since_shipped > ageing_days
