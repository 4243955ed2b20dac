"""The rules of claims against suppliers: value under each of the supplier's terms, the minimum,
the status of an answer, ageing, and the journal of shipping and answering."""

from __future__ import annotations

import pytest

from returndesk.domain.claims import ClaimStatus, RtvTerms, claim_value, is_overdue, parse_terms, settled_status
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.postings import (
    INVENTORY,
    RTV_CLEARING,
    RTV_LOSS,
    SCRAP_WRITE_OFF,
    SUPPLIER_RECEIVABLE,
    claim_answered_postings,
    claim_shipped_postings,
)


def test_credit_at_cost_asks_for_the_purchase_cost():
    value = claim_value(RtvTerms.CREDIT_AT_COST, [6000, 6000, 2500])
    assert (value.cost_minor, value.fee_minor, value.value_minor, value.below_minimum) == (14500, 0, 14500, False)


def test_cost_minus_fee_keeps_one_fee_per_claim_never_more_than_the_cost():
    assert claim_value("cost_minus_fee", [6000, 6000], handling_fee_minor=1500).value_minor == 10500
    assert claim_value("cost_minus_fee", [500], handling_fee_minor=1500).value_minor == 0


def test_replacement_asks_for_no_money():
    value = claim_value(RtvTerms.REPLACEMENT, [6000])
    assert value.replacement and value.value_minor == 0 and not value.below_minimum


def test_a_claim_below_the_minimum_or_empty_may_not_be_sent():
    assert claim_value("credit_at_cost", [4000], min_claim_minor=5000).below_minimum
    assert not claim_value("credit_at_cost", [4000, 1000], min_claim_minor=5000).below_minimum
    assert claim_value("credit_at_cost", []).below_minimum


def test_unknown_terms_are_refused_in_words():
    with pytest.raises(ValidationFailed, match="not one of the RTV terms"):
        parse_terms("free")


def test_the_status_of_an_answer():
    assert settled_status(3, 3, 18000, 18000, False) is ClaimStatus.CREDITED
    assert settled_status(3, 3, 15000, 18000, False) is ClaimStatus.PARTLY_CREDITED
    assert settled_status(3, 2, 12000, 18000, False) is ClaimStatus.PARTLY_CREDITED
    assert settled_status(3, 0, 0, 18000, False) is ClaimStatus.REJECTED
    assert settled_status(2, 2, 0, 0, True) is ClaimStatus.CREDITED


def test_ageing_flags_only_shipped_claims_past_the_days():
    assert is_overdue("shipped", 31, 30) and not is_overdue("shipped", 30, 30)
    assert not is_overdue("credited", 90, 30) and not is_overdue("open", None, 30)


def _net(postings):
    out: dict[str, int] = {}
    for p in postings:
        out[p.account] = out.get(p.account, 0) + p.debit - p.credit
    return out


def test_shipping_and_a_partial_credit_balance_and_empty_the_clearing_account():
    shipped = _net(claim_shipped_postings(24000, "c"))
    answered = _net(claim_answered_postings(accepted_cost_minor=18000, credited_minor=15000, replaced=False,
                                            restocked_cost_minor=6000, scrapped_cost_minor=0, memo="c"))
    for postings in (shipped, answered):
        assert sum(postings.values()) == 0
    assert shipped[RTV_CLEARING] + answered[RTV_CLEARING] == 0
    assert answered[SUPPLIER_RECEIVABLE] == 15000 and answered[RTV_LOSS] == 3000 and answered[INVENTORY] == 6000


def test_replaced_and_scrapped_units():
    net = _net(claim_answered_postings(accepted_cost_minor=6000, credited_minor=0, replaced=True,
                                       restocked_cost_minor=0, scrapped_cost_minor=2500, memo="c"))
    assert {account: amount for account, amount in net.items() if amount} == {
        INVENTORY: 6000, SCRAP_WRITE_OFF: 2500, RTV_CLEARING: -8500}
    assert sum(net.values()) == 0
