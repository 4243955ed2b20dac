"""Customer service's review use cases: who may do what, the customer's answer through the status
page's service and the web shop, and refusals in words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from returndesk.domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from returndesk.services.usecases import integration, refunds, review, sessions, worklists
from returndesk.store.schema import Return, ReturnQuestion

from .factories import build_world, make_order

pytestmark = pytest.mark.both_databases("the new state and its keyset queue are written and read per dialect")


@pytest.fixture
def world(ctx):
    return build_world(ctx)


def _shop_request(world):
    key = sessions.create_api_key(world.ctx, world.admin, "Web shop", ["returns:create", "returns:read"])
    client = sessions.resolve_api_key(world.ctx, key.secret)
    order_no = make_order(world, [("AP-2001", 1)])
    detail = integration.request_return(world.ctx, client.actor, integration.ShopReturnRequest(
        order_no=order_no, lines=(integration.ShopReturnLine(quantity=1, reason="changed_mind", sku="AP-2001"),)))
    return detail.rma_no, client


def test_only_customer_service_roles_review_and_only_payers_see_the_worklist(ctx, world):
    rma, _client = _shop_request(world)
    for actor in (world.inspector, world.finance):
        with pytest.raises(PermissionDenied):
            review.review_queue(ctx, actor)
        with pytest.raises(PermissionDenied):
            review.get_review_case(ctx, actor, rma)
        with pytest.raises(PermissionDenied):
            review.authorize_request(ctx, actor, rma)
        with pytest.raises(PermissionDenied):
            review.reject_request(ctx, actor, rma, "duplicate")
        with pytest.raises(PermissionDenied):
            review.ask_customer(ctx, actor, rma, "Which colour did you receive?")
    with pytest.raises(PermissionDenied):
        worklists.to_pay_queue(ctx, world.inspector)
    assert worklists.to_pay_queue(ctx, world.finance).items == ()
    assert [r.rma_no for r in review.review_queue(ctx, world.clerk).items] == [rma]
    assert [r.rma_no for r in review.review_queue(ctx, world.supervisor).items] == [rma]
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "requested"


def test_the_customer_answers_through_the_web_shop_and_wrong_answers_are_refused(ctx, world):
    rma, client = _shop_request(world)
    case = review.get_review_case(ctx, world.clerk, rma)
    assert case.web_shop and "web_shop" in case.flags and case.state.can_ask and not case.state.can_record_answer
    with pytest.raises(ValidationFailed, match="at least 5 characters"):
        review.ask_customer(ctx, world.clerk, rma, "Why")
    with pytest.raises(ValidationFailed, match="no open question"):
        integration.answer_customer_question(ctx, client.actor, rma, "13800138000", "Nothing to say here")
    review.ask_customer(ctx, world.clerk, rma, "Is the seal of the packaging intact?")
    with pytest.raises(IllegalTransition, match="waiting for customer"):
        review.authorize_request(ctx, world.clerk, rma)
    with pytest.raises(NotFound):
        integration.answer_customer_question(ctx, client.actor, rma, "13900000000", "Yes it is intact")
    status = integration.answer_customer_question(ctx, client.actor, rma, "li.wei@example.com", "Yes, still sealed")
    assert status.status == "requested" and status.question is None
    with ctx.db.read() as s:
        row = s.execute(select(ReturnQuestion.answer, ReturnQuestion.answered_by)).one()
    assert row == ("Yes, still sealed", None)  # the customer answered, not a user
    case = review.get_review_case(ctx, world.clerk, rma)
    assert "answered" in case.flags and case.open_question is None
    with pytest.raises(ValidationFailed, match="not a reason"):
        review.reject_request(ctx, world.clerk, rma, "because")
    review.reject_request(ctx, world.clerk, rma, "not_our_sale")
    assert integration.customer_return_status(ctx, rma, "13800138000").status == "rejected"


def test_a_request_waiting_for_its_customer_can_be_declined_or_cancelled(ctx, world):
    rma, _client = _shop_request(world)
    review.ask_customer(ctx, world.clerk, rma, "Please send a photo of the damage.")
    assert review.review_counts(ctx, world.clerk) == review.ReviewCounts(0, 1)
    assert [r.question for r in review.review_queue(ctx, world.clerk, waiting=True).items] == [
        "Please send a photo of the damage."]
    detail = review.reject_request(ctx, world.clerk, rma, "no_answer")
    assert detail.status == "rejected"
    assert refunds.find_refund(ctx, world.clerk, rma) is None


def test_the_to_pay_worklist_holds_approved_refunds_longest_waiting_first(ctx, clock, world):
    from returndesk.services.usecases import intake

    from .money_support import CONDITIONS, LineSpec, approved, order_line_ids, receive_and_inspect, take_return

    auto = take_return(world, make_order(world, [("AP-2001", 1)]), [LineSpec("AP-2001", 1)], auto_approve=True)
    assert receive_and_inspect(world, auto, [LineSpec("AP-2001", 1)]) == "approved"
    clock.advance(minutes=5)
    # A customer who asked for an exchange gets replacement goods, never a refund from this list.
    order_no = make_order(world, [("AP-2001", 1)])
    draft = intake.ReturnDraft(order_no=order_no, channel="remote", refund_method="original_payment", lines=(
        intake.DraftLine(order_line_id=order_line_ids(world, order_no)["AP-2001"], quantity=1,
                         reason_code="wrong_size", resolution="exchange", conditions_met=CONDITIONS),))
    swap = intake.create_return(ctx, world.clerk, draft).rma_no
    intake.authorize_return(ctx, world.clerk, swap)
    assert receive_and_inspect(world, swap, [LineSpec("AP-2001", 1)]) == "approved"
    clock.advance(minutes=5)
    signed = approved(world, [LineSpec("HM-4001", 1)])  # every refund reviewed now: a supervisor signs

    first = worklists.to_pay_queue(ctx, world.finance, limit=1)
    assert [row.rma_no for row in first.items] == [auto] and first.items[0].approved_automatically
    second = worklists.to_pay_queue(ctx, world.finance, after=first.next_cursor, limit=1)
    assert [row.rma_no for row in second.items] == [signed] and second.next_cursor is None
    assert not second.items[0].approved_automatically and second.items[0].refund_method == "original_payment"
    refunds.issue_refund(ctx, world.finance, auto)
    assert [row.rma_no for row in worklists.to_pay_queue(ctx, world.clerk).items] == [signed]
    with pytest.raises(ValidationFailed, match="no longer valid"):
        worklists.to_pay_queue(ctx, world.clerk, after="not-a-cursor")
