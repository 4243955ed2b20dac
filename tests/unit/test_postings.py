"""Journal postings of refunds and exchanges balance for any figures (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.types import RefundMethod
from returndesk.services.usecases import finance

refunded_lines = st.lists(
    st.builds(
        lambda refund, tax_share, fee, cost: finance.RefundedLine(refund, refund * tax_share // 100, fee, cost),
        st.integers(0, 10_000_000), st.integers(0, 13), st.integers(0, 1_000_000), st.integers(0, 5_000_000),
    ),
    max_size=6,
)


def _balanced(postings):
    assert all(p.debit >= 0 and p.credit >= 0 and not (p.debit and p.credit) for p in postings)
    return sum(p.debit for p in postings) == sum(p.credit for p in postings)


@given(refunded_lines, st.integers(0, 100_000), st.sampled_from(list(RefundMethod)))
def test_a_refund_balances_and_pays_out_the_refund(lines, shipping, method):
    postings = finance.refund_postings(lines, shipping, method, "memo")
    assert _balanced(postings)
    paid = sum(p.credit for p in postings if p.account == finance.PAYMENT_ACCOUNT[method])
    fee_and_paid = sum(line.refund_minor + line.fee_minor for line in lines) + shipping
    assert paid == sum(line.refund_minor for line in lines) + shipping
    assert sum(p.debit for p in postings if p.account == finance.SALES_RETURNS) + sum(
        p.debit for p in postings if p.account in (finance.VAT_OUTPUT, finance.SHIPPING_REFUNDED)
    ) == fee_and_paid


@given(refunded_lines, st.integers(0, 100_000), st.integers(0, 20_000_000), st.integers(0, 13),
       st.sampled_from(list(RefundMethod)))
def test_an_exchange_balances_whichever_way_the_difference_goes(lines, shipping, value, tax_pct, method):
    tax = value * tax_pct // 100
    postings = finance.exchange_postings(lines, shipping, replacement_value_minor=value,
                                         replacement_tax_minor=tax, method=method, memo="memo")
    assert _balanced(postings)
    credit = sum(line.refund_minor for line in lines) + shipping
    collected = sum(p.debit for p in postings if p.account == finance.CUSTOMER_ACCOUNTS)
    refunded = sum(p.credit for p in postings if p.account == finance.PAYMENT_ACCOUNT[method]
                   and "difference refunded" in (p.memo or ""))
    assert collected - refunded == value - credit


@given(st.integers(0, 10_000_000), st.integers(0, 10_000_000), st.integers(0, 3000))
def test_replacement_handover_and_cancellation_balance(cost, value, rate_bp):
    assert _balanced(finance.replacement_shipped_postings(cost, "memo"))
    tax = finance.tax_inside(value, rate_bp)
    assert 0 <= tax <= value
    assert _balanced(finance.replacement_cancelled_postings(value, tax, "memo"))


def test_tax_inside_rounds_half_up():
    # 113.00 at 13 % holds exactly 13.00; 1.00 holds 11.504 cents, rounded to 12.
    assert finance.tax_inside(11300, 1300) == 1300
    assert finance.tax_inside(100, 1300) == 12
    assert finance.tax_inside(0, 1300) == 0
    assert finance.tax_inside(5000, 0) == 0
