"""Stock never goes negative, whatever the order of events: a restocked unit that another desk has
reserved or moved since cannot be undone or changed at the scanning station."""

from __future__ import annotations

import pytest

from returndesk.domain.errors import PolicyViolation
from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.usecases import finance, inspection, receiving
from returndesk.services.tx import stock

from .factories import build_world
from .inspection_support import authorized_return, barcode, on_hand


def _reserve_everything(world, sku):
    """Another desk reserves every available unit of ``sku`` (for replacement orders)."""
    with world.ctx.db.write() as s:
        have = stock.on_hand(s, world.products[sku], Location.AVAILABLE)
        stock.move(s, world.ctx, None, product_id=world.products[sku], from_location=Location.AVAILABLE,
                   to_location=Location.RESERVED, quantity=have, reason="replacement_reserved")


@pytest.mark.parametrize("disposition", [Disposition.RESTOCK, Disposition.REFURBISH])
def test_a_unit_moved_on_by_another_desk_cannot_be_undone_or_changed(ctx, disposition):
    world = build_world(ctx)
    rma = authorized_return(world, [("HM-4001", 1, "changed_mind")])
    receiving.receive_return(ctx, world.inspector, rma)
    unit = inspection.record_unit(ctx, world.inspector, rma, scanned_code=barcode("HM-4001"), grade=Grade.A,
                                  disposition=disposition)
    location = Location.AVAILABLE if disposition is Disposition.RESTOCK else Location.REFURBISH
    if disposition is Disposition.RESTOCK:
        _reserve_everything(world, "HM-4001")
    else:  # the refurbish bench moved it on
        with ctx.db.write() as s:
            stock.move(s, ctx, None, product_id=world.products["HM-4001"], from_location=Location.REFURBISH,
                       to_location=Location.AVAILABLE, quantity=1, reason="refurbished")
    assert on_hand(world, "HM-4001", location) == 0
    with pytest.raises(PolicyViolation, match=f"HM-4001 of return {rma} went .* another desk has reserved or moved it"):
        inspection.undo_last_unit(ctx, world.inspector, rma)
    with pytest.raises(PolicyViolation, match="cannot be changed; nothing was changed"):
        inspection.update_unit(ctx, world.inspector, unit.unit.id, disposition=Disposition.SCRAP)
    assert on_hand(world, "HM-4001", location) == 0
    # The refusals changed nothing; the only finding is the refurbish bench's move made above
    # outside the refurbish queue, which the books check names.
    expected = [] if disposition is Disposition.RESTOCK else ["refurbish_stock_mismatch"]
    assert [p.kind for p in finance.check_books(ctx)] == expected
    # A change that leaves the unit where it is still works.
    changed = inspection.update_unit(ctx, world.inspector, unit.unit.id, notes="box dented")
    assert changed.disposition is disposition
