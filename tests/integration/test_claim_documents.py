"""The documents of a claim: the RTV packing list decodes at 203 dpi (the claim number and every
unit's item tag) and its text lists the units and the supplier's RMA number; the shipping label
is addressed to the supplier's return address."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.types import Disposition, Grade
from returndesk.services.usecases import claims
from returndesk.store.schema import Product

from ..unit.documents_support import decoded_texts, page_sizes, pdf_text
from .factories import build_world
from .money_support import LineSpec, approved


@pytest.fixture
def claim(ctx):
    world = build_world(ctx)
    rmas = [approved(world, [LineSpec("EL-1002", 2, reason="defective", grade=Grade.D,
                                      disposition=Disposition.RETURN_TO_VENDOR)]),
            approved(world, [LineSpec("HM-4001", 1, reason="damaged_in_transit", grade=Grade.C,
                                       disposition=Disposition.RETURN_TO_VENDOR)])]
    for rma, count in zip(rmas, (2, 1), strict=True):
        for _ in range(count):
            detail = claims.add_unit(ctx, world.inspector, rma)
    return world, detail


def test_no_packing_list_before_the_supplier_authorised_the_claim(ctx, claim):
    world, detail = claim
    with pytest.raises(ValidationFailed, match="no supplier RMA number yet"):
        claims.claim_documents(ctx, world.inspector, detail.claim_no)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_packing_list_decodes_and_lists_the_units_and_the_suppliers_rma(ctx, claim, lang):
    world, detail = claim
    with ctx.db.write() as s:  # the supplier's own article number, from the master data
        s.execute(update(Product).where(Product.sku == "EL-1002").values(supplier_sku="ACME-CH65-W"))
    claims.record_authorisation(ctx, world.inspector, detail.claim_no, "ACME-RMA-7781", ctx.now().date())
    docs = claims.claim_documents(ctx, world.inspector, detail.claim_no, lang)
    tags = [u.tag for u in detail.units]
    assert len(tags) == 3
    assert decoded_texts(docs.packing_list) == sorted([detail.claim_no, *tags])
    text = " ".join(pdf_text(docs.packing_list).split())
    assert "ACME-RMA-7781" in text and detail.claim_no in text
    assert text.count("ACME-CH65-W") == 2  # on both units of EL-1002
    for unit in detail.units:
        assert unit.tag in text and unit.sku in text
    assert ("退供装箱单" if lang == "zh_CN" else "RTV PACKING LIST") in text
    assert ("65W 充电器" if lang == "zh_CN" else "USB-C charger 65W") in text
    assert ("运输途中损坏" if lang == "zh_CN" else "Damaged in transit") in text
    assert page_sizes(docs.packing_list)[0] == pytest.approx((595.28, 841.89), abs=0.1)

    label = pdf_text(docs.shipping_label)
    assert "Acme Supplies" in label and "1 Supplier Road" in label and "ACME-RMA-7781" in label
    assert decoded_texts(docs.shipping_label) == [detail.claim_no]
