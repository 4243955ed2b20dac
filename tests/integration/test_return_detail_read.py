"""A return's detail read for the counter and the queues (``history.get_return``) as Core rows
mapped straight into the view: the same view, field for field, as the one built from the ORM rows,
in every state a return passes through, on both databases."""

from __future__ import annotations

import pytest

from returndesk.domain.errors import NotFound
from returndesk.domain.scan import format_rma
from returndesk.services.usecases import history
from returndesk.services.tx.views import load_return, return_detail

from .factories import build_world, make_order
from .money_support import review_everything
from .test_statement_budgets import _authorized, _awaiting_approval, _whole_return

pytestmark = pytest.mark.both_databases("timestamps, booleans and money come back through each driver's own types")


def _from_orm(ctx, rma):
    with ctx.db.read() as s:
        return return_detail(s, load_return(s, rma_no=rma))


def test_the_detail_is_the_view_built_from_the_orm_rows_in_every_state(ctx):
    world = build_world(ctx)
    review_everything(world)
    authorized = _authorized(world)
    waiting = _awaiting_approval(world)
    refunded = _whole_return(world, make_order(world, [("EL-1002", 2), ("AP-2001", 1)]))
    for rma in (authorized, waiting, refunded):
        detail = history.get_return(ctx, world.clerk, rma.lower())
        assert detail == _from_orm(ctx, rma), rma
    units = [len(history.get_return(ctx, world.clerk, rma).units) for rma in (authorized, waiting, refunded)]
    assert units == [0, 2, 3]
    assert history.get_return(ctx, world.clerk, refunded).status == "refunded"


def test_an_unknown_rma_is_not_found(ctx):
    world = build_world(ctx)
    _authorized(world)
    with pytest.raises(NotFound, match=format_rma(99999)):
        history.get_return(ctx, world.clerk, format_rma(99999))
