"""The chart of accounts and the posting rules of refunds and exchanges: pure, no database.

Each function returns the postings (debits and credits) of one business event; the finance use
cases write them as one balanced journal entry (``services.usecases.finance.post_entry``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .messages import msg, template
from .types import RefundMethod

CASH = "1001"
BANK = "1002"
CUSTOMER_ACCOUNTS = "1122"
SUPPLIER_RECEIVABLE = "1221"
SPARE_PARTS = "1403"
INVENTORY = "1405"
RTV_CLEARING = "1409"
STORE_CREDIT = "2203"
VAT_OUTPUT = "2221"
SALES_RETURNS = "4100"
SHIPPING_REFUNDED = "4150"
SALES_REVENUE = "6001"
RESTOCKING_FEE_INCOME = "6051"
COST_OF_GOODS = "6401"
REFURBISH_COSTS = "6402"
CASH_OVER_SHORT = "1901"
RTV_LOSS = "6711"
SCRAP_WRITE_OFF = "6712"

#: The chart of accounts: each account's name (a template: screens show it in their language).
ACCOUNTS: dict[str, str] = {
    CASH: template("Cash on hand"),
    BANK: template("Bank deposits"),
    CUSTOMER_ACCOUNTS: template("Customer accounts (receivable / refunds payable)"),
    SUPPLIER_RECEIVABLE: template("Receivable from suppliers (credit notes due)"),
    SPARE_PARTS: template("Materials and spare parts"),
    INVENTORY: template("Inventory"),
    RTV_CLEARING: template("Goods returned to vendors awaiting credit (RTV clearing)"),
    STORE_CREDIT: template("Store-credit liability"),
    VAT_OUTPUT: template("VAT output tax payable"),
    SALES_RETURNS: template("Sales returns and allowances"),
    SHIPPING_REFUNDED: template("Shipping charges refunded"),
    SALES_REVENUE: template("Sales revenue"),
    RESTOCKING_FEE_INCOME: template("Restocking-fee income"),
    COST_OF_GOODS: template("Cost of goods sold"),
    REFURBISH_COSTS: template("Refurbishment costs (parts used on returned units)"),
    CASH_OVER_SHORT: template("Pending gains and losses on assets (cash over and short)"),
    RTV_LOSS: template("Losses on claims against suppliers"),
    SCRAP_WRITE_OFF: template("Write-off of scrapped goods"),
}

#: The account a refund is paid out of, by refund method.
PAYMENT_ACCOUNT: dict[RefundMethod, str] = {
    RefundMethod.CASH: CASH,
    RefundMethod.BANK_TRANSFER: BANK,
    RefundMethod.ORIGINAL_PAYMENT: CUSTOMER_ACCOUNTS,
    RefundMethod.STORE_CREDIT: STORE_CREDIT,
}


# --------------------------------------------------------------------------- postings


@dataclass(frozen=True)
class Posting:
    """One side of one journal line, in minor units (exactly one of debit/credit is non-zero)."""

    account: str
    debit: int = 0
    credit: int = 0
    memo: str | None = None


def debit(account: str, amount: int, memo: str | None = None) -> Posting:
    """A debit of ``amount``; a negative amount becomes a credit (so callers need not branch)."""
    return Posting(account, amount, 0, memo) if amount >= 0 else Posting(account, 0, -amount, memo)


def credit(account: str, amount: int, memo: str | None = None) -> Posting:
    """A credit of ``amount``; a negative amount becomes a debit."""
    return Posting(account, 0, amount, memo) if amount >= 0 else Posting(account, -amount, 0, memo)


@dataclass(frozen=True)
class RefundedLine:
    """The figures of one return line that a refund or an exchange gives back."""

    refund_minor: int  # paid back for the line, tax included, after deductions
    tax_minor: int  # the tax inside refund_minor
    fee_minor: int  # restocking fee withheld
    restock_cost_minor: int  # cost of the units put back into available stock


def returned_goods_postings(
    lines: Iterable[RefundedLine], shipping_minor: int, memo: str
) -> list[Posting]:
    """The return side of a refund or an exchange: what is given back, before it is paid out.

    The total of these postings leaves ``sum(refund) + shipping`` as debit to be credited by the
    settlement (payment account, replacement sale...).
    """
    lines = list(lines)
    tax = sum(line.tax_minor for line in lines)
    fee = sum(line.fee_minor for line in lines)
    refunded = sum(line.refund_minor for line in lines)
    restock = sum(line.restock_cost_minor for line in lines)
    return [
        debit(SALES_RETURNS, refunded - tax + fee, memo),
        debit(VAT_OUTPUT, tax, memo),
        debit(SHIPPING_REFUNDED, shipping_minor, memo),
        credit(RESTOCKING_FEE_INCOME, fee, memo),
        debit(INVENTORY, restock, msg("{memo}: restocked at cost", memo=memo)),
        credit(COST_OF_GOODS, restock, msg("{memo}: restocked at cost", memo=memo)),
    ]


def refund_postings(
    lines: Iterable[RefundedLine], shipping_minor: int, method: RefundMethod | str, memo: str
) -> list[Posting]:
    """The postings of a refund paid out by ``method`` (see the module docstring)."""
    lines = list(lines)
    total = sum(line.refund_minor for line in lines) + shipping_minor
    return [
        *returned_goods_postings(lines, shipping_minor, memo),
        credit(PAYMENT_ACCOUNT[RefundMethod(method)], total, memo),
    ]


def tax_inside(gross_minor: int, rate_bp: int) -> int:
    """The VAT inside a tax-inclusive amount: ``gross × rate / (1 + rate)``, rounded half up."""
    if rate_bp <= 0 or gross_minor == 0:
        return 0
    num = gross_minor * rate_bp * 2
    den = (10000 + rate_bp) * 2
    return (num + den // 2) // den if gross_minor > 0 else -((-num + den // 2) // den)


def exchange_postings(
    lines: Iterable[RefundedLine],
    shipping_minor: int,
    *,
    replacement_value_minor: int,
    replacement_tax_minor: int,
    method: RefundMethod | str,
    memo: str,
) -> list[Posting]:
    """The postings of an exchange: the returned goods credited, the replacement sold, and the
    difference settled — collected from the customer (booked on 1122 until paid) or paid back by
    ``method``.

    With credit ``C`` (lines + shipping) and replacement value ``V``, the difference ``V - C`` is
    debited to 1122 when positive and credited to the payment account when negative, so the entry
    balances for either sign.
    """
    lines = list(lines)
    credit_value = sum(line.refund_minor for line in lines) + shipping_minor
    difference = replacement_value_minor - credit_value
    postings = [
        *returned_goods_postings(lines, shipping_minor, memo),
        credit(SALES_REVENUE, replacement_value_minor - replacement_tax_minor,
               msg("{memo}: replacement sold", memo=memo)),
        credit(VAT_OUTPUT, replacement_tax_minor, msg("{memo}: replacement sold", memo=memo)),
    ]
    if difference > 0:
        postings.append(debit(CUSTOMER_ACCOUNTS, difference, msg("{memo}: difference to collect", memo=memo)))
    elif difference < 0:
        postings.append(credit(PAYMENT_ACCOUNT[RefundMethod(method)], -difference,
                               msg("{memo}: difference refunded", memo=memo)))
    return postings


def collection_postings(amount_minor: int, method: str, memo: str) -> list[Posting]:
    """The difference of an exchange collected from the customer at the counter: the amount booked
    on the customer's account (1122) by :func:`exchange_postings` is paid — into the cash drawer,
    or by card or a payment app into the bank."""
    account = CASH if method == "cash" else BANK
    return [debit(account, amount_minor, memo), credit(CUSTOMER_ACCOUNTS, amount_minor, memo)]


def replacement_shipped_postings(cost_minor: int, memo: str) -> list[Posting]:
    """Replacement goods handed over: their cost leaves inventory."""
    return [debit(COST_OF_GOODS, cost_minor, memo), credit(INVENTORY, cost_minor, memo)]


def replacement_cancelled_postings(value_minor: int, tax_minor: int, memo: str) -> list[Posting]:
    """A replacement that will not be delivered: its sale is reversed and its value is owed to the
    customer on their account (1122) for finance to settle."""
    return [
        debit(SALES_REVENUE, value_minor - tax_minor, memo),
        debit(VAT_OUTPUT, tax_minor, memo),
        credit(CUSTOMER_ACCOUNTS, value_minor, memo),
    ]


def cash_difference_postings(difference_minor: int, memo: str) -> list[Posting]:
    """A counter's cash count that differs from what the drawer should hold: a shortage
    (``difference < 0``) leaves cash on hand for 1901 until it is explained; an overage comes in.
    Zero posts nothing."""
    return [debit(CASH, difference_minor, memo), credit(CASH_OVER_SHORT, difference_minor, memo)]


def store_credit_spent_postings(amount_minor: int, memo: str) -> list[Posting]:
    """Store credit spent by the customer on what they owe on their account (an exchange's
    difference to collect, booked on 1122): the liability shrinks, the receivable is settled."""
    return [debit(STORE_CREDIT, amount_minor, memo), credit(CUSTOMER_ACCOUNTS, amount_minor, memo)]


# --------------------------------------------------------------------------- claims against suppliers
#
# A unit a customer returned and that was not restocked carries no value in the books: its cost went
# to cost of goods sold when it was sold. Shipping it back to its supplier recovers that cost into the
# RTV clearing account until the supplier answers; the answer empties the clearing account again.


def claim_shipped_postings(cost_minor: int, memo: str) -> list[Posting]:
    """A claim leaves for the supplier: the purchase cost of its units awaits the supplier's credit."""
    return [debit(RTV_CLEARING, cost_minor, memo), credit(COST_OF_GOODS, cost_minor, memo)]


def claim_answered_postings(
    *,
    accepted_cost_minor: int,
    credited_minor: int,
    replaced: bool,
    restocked_cost_minor: int,
    scrapped_cost_minor: int,
    memo: str,
) -> list[Posting]:
    """The supplier's answer to a shipped claim.

    Accepted units: with a credit note, the supplier owes ``credited_minor`` (1221) against the
    clearing account, the difference to the cost is a loss (or a gain, as a credit to the loss
    account); replaced by new goods, the cost goes into inventory. Refused units either come back
    into stock at cost or are written off.
    """
    postings: list[Posting] = []
    if replaced:
        postings.append(debit(INVENTORY, accepted_cost_minor, msg("{memo}: replacement goods received", memo=memo)))
    else:
        postings.append(debit(SUPPLIER_RECEIVABLE, credited_minor, msg("{memo}: credit note", memo=memo)))
        postings.append(debit(RTV_LOSS, accepted_cost_minor - credited_minor, msg("{memo}: not credited", memo=memo)))
    postings.append(debit(INVENTORY, restocked_cost_minor, msg("{memo}: refused units back in stock", memo=memo)))
    postings.append(debit(SCRAP_WRITE_OFF, scrapped_cost_minor, msg("{memo}: refused units scrapped", memo=memo)))
    postings.append(credit(RTV_CLEARING, accepted_cost_minor + restocked_cost_minor + scrapped_cost_minor, memo))
    return postings


# --------------------------------------------------------------------------- refurbish and scrap
#
# A unit inspected for refurbishment, like one going back to its supplier, carries no value in the
# books: its cost stayed in cost of goods sold. Refurbished, it comes back into inventory at its
# purchase cost, and the parts used on it are a refurbishment cost; scrapped, its cost and the parts
# spent on it are written off, so that scrap losses show apart from the cost of goods sold.


def refurbished_postings(cost_minor: int, parts_cost_minor: int, memo: str) -> list[Posting]:
    """A unit refurbished and put back into available stock."""
    return [
        debit(INVENTORY, cost_minor, msg("{memo}: refurbished into stock at cost", memo=memo)),
        credit(COST_OF_GOODS, cost_minor, msg("{memo}: refurbished into stock at cost", memo=memo)),
        debit(REFURBISH_COSTS, parts_cost_minor, msg("{memo}: parts", memo=memo)),
        credit(SPARE_PARTS, parts_cost_minor, msg("{memo}: parts", memo=memo)),
    ]


def scrapped_postings(cost_minor: int, parts_cost_minor: int, memo: str) -> list[Posting]:
    """A unit scrapped: its purchase cost and the parts spent on it are written off."""
    return [
        debit(SCRAP_WRITE_OFF, cost_minor, msg("{memo}: scrapped", memo=memo)),
        credit(COST_OF_GOODS, cost_minor, msg("{memo}: scrapped", memo=memo)),
        debit(SCRAP_WRITE_OFF, parts_cost_minor, msg("{memo}: parts written off", memo=memo)),
        credit(SPARE_PARTS, parts_cost_minor, msg("{memo}: parts written off", memo=memo)),
    ]
