"""Refund arithmetic, in integer minor units.

The refund of a line is

    gross           price actually paid for the accepted units (after discounts, with tax)
  − grade_deduction gross × (1 − grade factor)            (customer-fault returns only)
  − restocking_fee  gross × restocking_fee_pct            (customer fault, opened: grades B and C)
  − cap_reduction   whatever would exceed paid − already refunded
  = net

Rounding rule (one, everywhere): each multiplication by a factor is rounded once, half up, with
:func:`returndesk.domain.money.scale`, and every deduction is the difference between two rounded
amounts, so the printed figures always add up. The price of single units comes from
:func:`returndesk.domain.money.allocate`: the paid total is split into equal parts and the cents left
over go to the first units of the line. Each unit keeps its own share (see
:mod:`returndesk.domain.units`): however the units of a line are refunded — one at a time, in any
batches, with other returns cancelled or rejected in between — the refunds at full factor add up to
exactly the paid total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import ValidationFailed
from .money import scale
from .policy import PolicyRules
from .types import Channel, Grade, RefundMethod
from .units import share_of_units
from returndesk.domain.messages import msg

#: Grades on which the restocking fee applies (opened items still fit for sale in some form).
RESTOCKING_FEE_GRADES = frozenset({Grade.B, Grade.C})


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed(msg(
            "{name} must be a whole number of at least 0, not {value!r}.",
            name=name, value=value))
    return value


def _paid_for_first(total: int, quantity: int, units: int) -> int:
    # allocate(total, [1] * quantity) gives the first `total % quantity` units one extra minor
    # unit; the sum over the first `units` of them is therefore closed-form (no list needed).
    base, extra = divmod(total, quantity)
    return units * base + min(units, extra)


def unit_paid(line_paid_total: int, purchased_qty: int, unit_index: int) -> int:
    """What the customer paid for the unit at ``unit_index`` (0-based) of an order line.

    Equal to ``money.allocate(line_paid_total, [1] * purchased_qty)[unit_index]``.
    """
    _check_count("The quantity bought", purchased_qty)
    if purchased_qty == 0:
        raise ValidationFailed(msg("The order line has no units bought; nothing can be refunded."))
    if not 0 <= unit_index < purchased_qty:
        raise ValidationFailed(
            msg(
                "Unit {unit_index} does not exist on a line of {purchased_qty} units.",
                unit_index=unit_index + 1, purchased_qty=purchased_qty)
        )
    return _paid_for_first(line_paid_total, purchased_qty, unit_index + 1) - _paid_for_first(
        line_paid_total, purchased_qty, unit_index
    )


def paid_for_units(line_paid_total: int, purchased_qty: int, first_unit: int, count: int) -> int:
    """What was paid for ``count`` units starting at unit ``first_unit`` (0-based)."""
    _check_count("The quantity bought", purchased_qty)
    _check_count("The first unit", first_unit)
    _check_count("The number of units", count)
    if first_unit + count > purchased_qty:
        raise ValidationFailed(
            msg(
                "Units {first_unit} to {first_unit2} do not exist on a line of {purchased_qty} units.",
                first_unit=first_unit + 1, first_unit2=first_unit + count, purchased_qty=purchased_qty)
        )
    if count == 0:
        return 0
    return _paid_for_first(line_paid_total, purchased_qty, first_unit + count) - _paid_for_first(
        line_paid_total, purchased_qty, first_unit
    )


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LineRefund:
    """The refund figures of one line; ``net`` is what is paid back.

    ``gross - grade_deduction - restocking_fee - cap_reduction == net``; ``tax_part`` is the share
    of ``net`` that is tax (for the journal's tax line).
    """

    gross: int
    factor: Decimal
    grade_deduction: int
    restocking_fee: int
    net: int
    tax_part: int
    cap_reduction: int = 0
    accepted_qty: int = 0

    @property
    def deductions(self) -> int:
        """Everything taken off the gross amount."""
        return self.grade_deduction + self.restocking_fee + self.cap_reduction


def compute_line_refund(
    *,
    paid_total: int,
    purchased_qty: int,
    accepted_qty: int,
    previously_accepted_qty: int = 0,
    already_refunded: int,
    grade: Grade | str,
    vendor_fault: bool,
    rules: PolicyRules,
    tax_total: int = 0,
    units: tuple[int, ...] | list[int] | None = None,
    fee_exempt: bool = False,
) -> LineRefund:
    """Refund for ``accepted_qty`` units of an order line.

    ``paid_total`` is what the customer paid for the whole line (after discounts, with tax;
    ``tax_total`` is the tax inside it). ``units`` are the numbers of the units refunded (see
    :mod:`returndesk.domain.units`), each priced at its own fixed share of paid and tax; without
    them, the ``accepted_qty`` units after the first ``previously_accepted_qty`` are priced.
    ``already_refunded`` is what was paid back for the line before. Vendor-fault returns are
    refunded in full (factor 1, no fee). ``fee_exempt``: the product's restocking-fee class is
    exempt, so no restocking fee is taken. The refund never takes the line's total refunded above
    ``paid_total``.
    """
    _check_count("The amount paid", paid_total)
    _check_count("The quantity bought", purchased_qty)
    _check_count("The accepted quantity", accepted_qty)
    _check_count("The quantity accepted before", previously_accepted_qty)
    _check_count("The amount already refunded", already_refunded)
    _check_count("The tax", tax_total)
    if tax_total > paid_total:
        raise ValidationFailed(
            msg(
                "The tax ({tax_total}) cannot be more than the amount paid ({paid_total}).",
                tax_total=tax_total, paid_total=paid_total)
        )
    if units is None and previously_accepted_qty + accepted_qty > purchased_qty:
        raise ValidationFailed(
            msg(
                "Accepting {accepted_qty} more would make {previously_accepted_qty} returned of {purchased_qty} "
                "bought; reduce the accepted quantity.",
                accepted_qty=accepted_qty, previously_accepted_qty=previously_accepted_qty + accepted_qty,
                purchased_qty=purchased_qty)
        )
    grade = Grade(grade)

    if units is None:
        units = tuple(range(previously_accepted_qty, previously_accepted_qty + accepted_qty))
    units = tuple(units)
    if len(units) != accepted_qty:
        raise ValidationFailed(
            msg(
                "{accepted_qty} units are accepted but {units_count} unit numbers were given.",
                accepted_qty=accepted_qty, units_count=len(units))
        )
    gross = share_of_units(paid_total, purchased_qty, units)
    tax_of_units = share_of_units(tax_total, purchased_qty, units) if tax_total else 0
    if vendor_fault:
        factor = Decimal(1)
        grade_deduction = 0
        restocking_fee = 0
    else:
        factor = rules.grade_factors[grade]
        grade_deduction = gross - scale(gross, factor)
        restocking_fee = (
            scale(gross, rules.restocking_fee_pct)
            if grade in RESTOCKING_FEE_GRADES and not fee_exempt else 0
        )
        # A low grade factor and a fee together could go below zero; the fee gives way.
        restocking_fee = min(restocking_fee, gross - grade_deduction)

    before_cap = gross - grade_deduction - restocking_fee
    remaining = max(0, paid_total - already_refunded)
    net = min(before_cap, remaining)
    cap_reduction = before_cap - net

    if net == gross:
        tax_part = tax_of_units
    elif gross == 0:
        tax_part = 0
    else:
        tax_part = _round_half_up(Decimal(tax_of_units) * net / gross)

    return LineRefund(
        gross=gross,
        factor=factor,
        grade_deduction=grade_deduction,
        restocking_fee=restocking_fee,
        net=net,
        tax_part=tax_part,
        cap_reduction=cap_reduction,
        accepted_qty=accepted_qty,
    )


@dataclass(frozen=True)
class RefundBreakdown:
    """The refund of a whole return: ``subtotal - deductions + shipping_refund == total``."""

    lines: tuple[LineRefund, ...]
    subtotal: int
    deductions: int
    shipping_refund: int
    total: int

    @property
    def restocking_fees(self) -> int:
        """Restocking fees kept (income in the journal)."""
        return sum(line.restocking_fee for line in self.lines)

    @property
    def tax_total(self) -> int:
        """Tax inside the refunded line amounts."""
        return sum(line.tax_part for line in self.lines)

    @property
    def lines_net(self) -> int:
        """What the lines refund, shipping excluded."""
        return sum(line.net for line in self.lines)


def compute_refund(
    lines: list[LineRefund] | tuple[LineRefund, ...],
    shipping_paid: int,
    vendor_fault_any: bool,
    rules: PolicyRules,
) -> RefundBreakdown:
    """Add up line refunds and the refundable shipping.

    ``shipping_paid`` is the shipping this return may give back (the caller decides the share of
    an order's shipping, e.g. with ``money.allocate`` over the lines returned, and makes sure it is
    refunded once). It is refunded only when a line was the vendor's fault and the policy refunds
    shipping on vendor fault.
    """
    _check_count("The shipping paid", shipping_paid)
    line_tuple = tuple(lines)
    subtotal = sum(line.gross for line in line_tuple)
    deductions = sum(line.deductions for line in line_tuple)
    shipping_refund = (
        shipping_paid if vendor_fault_any and rules.refund_shipping_on_vendor_fault else 0
    )
    return RefundBreakdown(
        lines=line_tuple,
        subtotal=subtotal,
        deductions=deductions,
        shipping_refund=shipping_refund,
        total=subtotal - deductions + shipping_refund,
    )


def refund_methods_for(channel: Channel | str) -> tuple[RefundMethod, ...]:
    """Refund methods a return of ``channel`` may use: cash is paid out at the counter only."""
    if Channel(channel) is Channel.COUNTER:
        return tuple(RefundMethod)
    return tuple(m for m in RefundMethod if m is not RefundMethod.CASH)
