"""The typed API through a real server (uvicorn on loopback, PostgreSQL) gives what the in-process
API gives: the same dataclasses, the same refusals with the same sentences; and the acting user is
the session's, whatever the client does."""

from __future__ import annotations

import pytest

from returndesk.api.remote import ServerConnection, remote_api
from returndesk.api.rpc import remote_methods
from returndesk.domain.errors import DatabaseUnavailable, NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import intake
from returndesk.server.app import local_session

from .factories import PASSWORD, make_order

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server


def _remote(base: str, username: str):
    connection = ServerConnection(base, station="CTR-7")
    user = connection.sign_in(username, PASSWORD)
    return remote_api(connection, user), user


def test_every_group_of_the_protocol_is_offered(world_server):
    world, base = world_server
    api, _ = _remote(base, "clerk")
    for group, name in remote_methods():
        assert callable(getattr(getattr(api, group), name)), f"{group}.{name}"
    assert ("documents", "send_prepared") not in remote_methods()  # prints on the station itself


def test_a_return_taken_remotely_reads_back_as_in_process(world_server):
    world, base = world_server
    api, clerk = _remote(base, "clerk")
    local = local_session(world.ctx).api_for(clerk)
    order_no = make_order(world, [("AP-2001", 2), ("HM-4001", 1)])
    assert api.search.find_sales(order_no) == local.search.find_sales(order_no)
    sale = api.search.get_sale(order_no, channel=Channel.REMOTE)
    assert sale == local.search.get_sale(order_no, channel=Channel.REMOTE)
    line = next(line for line in sale.lines if line.sku == "AP-2001")
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_id=line.order_line_id, quantity=1,
                                                       reason_code="changed_mind"),))
    assert api.intake.preview_return(draft) == local.intake.preview_return(draft)
    created = api.intake.create_return(draft)
    assert created.created_by_id == clerk.user_id and created.status == "requested"
    authorized = api.intake.authorize_return(created.rma_no, expected_version=created.version)
    assert authorized.status == "authorized"
    assert api.search.get_return(created.rma_no) == local.search.get_return(created.rma_no)
    assert api.search.return_timeline(created.rma_no) == local.search.return_timeline(created.rma_no)
    page = api.search.find_returns(order_no)
    assert page == local.search.find_returns(order_no)
    assert [s.rma_no for s in page.items] == [created.rma_no]


def test_refusals_arrive_as_the_same_errors_with_the_same_sentences(world_server):
    world, base = world_server
    api, clerk = _remote(base, "clerk")
    local = local_session(world.ctx).api_for(clerk)
    with pytest.raises(NotFound) as remote_error:
        api.search.get_return(format_rma(987654))
    with pytest.raises(NotFound) as local_error:
        local.search.get_return(format_rma(987654))
    assert remote_error.value.message == local_error.value.message
    inspector_api, _ = _remote(base, "inspector")
    with pytest.raises(PermissionDenied):
        inspector_api.approval.approval_queue()
    with pytest.raises(ValidationFailed):
        api.intake.create_return(intake.ReturnDraft(order_no="SO-NOPE", channel=Channel.REMOTE,
                                                    refund_method=RefundMethod.ORIGINAL_PAYMENT, lines=()))


def test_a_server_that_is_gone_is_said_in_words(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    connection = ServerConnection(f"http://127.0.0.1:{port}")
    with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
        connection.sign_in("clerk", PASSWORD)


def _wait_readable(fileno: int) -> None:
    import select

    ready, _, _ = select.select([fileno], [], [], 120)  # a safety limit; readiness ends the wait
    assert ready, "no change arrived on the feed"


def test_the_change_feed_reaches_a_station_over_the_websocket(world_server):
    world, base = world_server
    connection = ServerConnection(base, station="INS-1")
    clerk = connection.sign_in("clerk", PASSWORD)
    api = remote_api(connection, clerk)
    feed = connection.open_change_feed()
    try:
        assert feed.pushes and feed.drain() == []
        order_no = make_order(world, [("AP-2001", 1)])
        sale = api.search.get_sale(order_no, channel=Channel.REMOTE)
        draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE,
                                   refund_method=RefundMethod.ORIGINAL_PAYMENT,
                                   lines=(intake.DraftLine(order_line_id=sale.lines[0].order_line_id, quantity=1,
                                                           reason_code="changed_mind"),))
        created = api.intake.create_return(draft)  # another station's change, through the server
        seen: list = []
        while not any(c.entity == "return" and c.entity_id == created.id for c in seen):
            _wait_readable(feed.fileno())
            seen += feed.drain()
        feed.heartbeat()
    finally:
        feed.close()


def test_the_feed_needs_a_session(world_server):
    from returndesk.api.types import FeedLost

    _world, base = world_server
    connection = ServerConnection(base)
    with pytest.raises(FeedLost):
        connection.open_change_feed()


# --------------------------------------------------------------------------- web shop and customers


def _shop_key(world, scopes):
    from returndesk.services.usecases import sessions

    import uuid

    return sessions.create_api_key(world.ctx, world.admin, f"Shop {uuid.uuid4().hex[:6]}", scopes).secret


def _count_returns(world, order_no):
    from sqlalchemy import func, select

    from returndesk.store.schema import Return, SalesOrder

    with world.ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(Return).join(SalesOrder, SalesOrder.id == Return.order_id)
                         .where(SalesOrder.order_no == order_no)).scalar_one()


def test_a_web_shop_request_lands_in_review_once_however_often_it_is_sent(world_server):
    import httpx

    world, base = world_server
    key = _shop_key(world, ["returns:create", "returns:read"])
    order_no = make_order(world, [("AP-2001", 2), ("HM-4001", 1)])
    body = {"order_no": order_no.lower().replace("so-", "ＳＯ-"), "request_id": "web-4711",
            "lines": [{"sku": "ap-2001", "quantity": 1, "reason": "changed_mind", "resolution": "exchange"}]}
    headers = {"Authorization": f"Bearer {key}"}
    first = httpx.post(f"{base}/api/v1/shop/returns", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "requested"
    again = httpx.post(f"{base}/api/v1/shop/returns", json=body, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.content == first.content  # the text kept for the first answer, as it is
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert _count_returns(world, order_no) == 1
    changed = httpx.post(f"{base}/api/v1/shop/returns", json={**body, "notes": "other"}, headers=headers)
    assert changed.status_code == 422 and "different request" in changed.json()["message"]
    detail = local_session(world.ctx).api_for(world.clerk).search.get_return(first.json()["rma_no"])
    assert detail.created_by.startswith("api.") and detail.lines[0].resolution == "exchange"


def test_web_shop_requests_are_checked(world_server):
    import httpx

    world, base = world_server
    order_no = make_order(world, [("AP-2001", 1)])
    body = {"order_no": order_no, "lines": [{"sku": "NOPE-1", "quantity": 1, "reason": "changed_mind"}]}
    assert httpx.post(f"{base}/api/v1/shop/returns", json=body).status_code == 401
    read_only = _shop_key(world, ["returns:read"])
    refused = httpx.post(f"{base}/api/v1/shop/returns", json=body, headers={"Authorization": f"Bearer {read_only}"})
    assert refused.status_code == 403 and "returns:create" in refused.json()["message"]
    key = _shop_key(world, ["returns:create"])
    bad = httpx.post(f"{base}/api/v1/shop/returns", json=body, headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 422 and "NOPE-1 is not on order" in bad.json()["message"]
    assert _count_returns(world, order_no) == 0


def test_a_customer_sees_the_status_only_with_the_orders_phone_or_email(world_server):
    import httpx

    world, base = world_server
    key = _shop_key(world, ["returns:create", "returns:read"])
    order_no = make_order(world, [("HM-4001", 1)])
    made = httpx.post(f"{base}/api/v1/shop/returns", headers={"Authorization": f"Bearer {key}"},
                      json={"order_no": order_no, "lines": [{"sku": "HM-4001", "quantity": 1,
                                                             "reason": "changed_mind"}]}).json()
    rma = made["rma_no"]
    auth = {"Authorization": f"Bearer {key}"}
    for contact in ("+86 138 0013 8000", "138-0013-8000", "LI.WEI@example.com"):
        answer = httpx.get(f"{base}/api/v1/shop/returns/{rma}", params={"contact": contact}, headers=auth)
        assert answer.status_code == 200, (contact, answer.text)
        assert answer.json()["status"] == "requested" and answer.json()["order_no"] == order_no
    wrong = httpx.get(f"{base}/api/v1/shop/returns/{rma}", params={"contact": "13900139000"}, headers=auth)
    unknown = httpx.get(f"{base}/api/v1/shop/returns/{format_rma(99999)}", params={"contact": "13800138000"},
                        headers=auth)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json()["message"] == unknown.json()["message"]
    page = httpx.post(f"{base}/status?lang=zh", content=f"rma={rma}&contact=13800138000",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 200 and "已收到您的退货申请" in page.text
    page = httpx.post(f"{base}/status?lang=en", content=f"rma={rma}&contact=1",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 404 and "No return matches" in page.text


def test_the_published_policy_is_the_rules_the_counter_applies(world_server):
    import httpx

    from returndesk.services.usecases.sales import load_active_policy

    world, base = world_server
    with world.ctx.db.read() as s:
        rules = load_active_policy(s).rules
    data = httpx.get(f"{base}/api/v1/policy").json()
    assert data["policy"]["rules"]["window_days"] == rules.window_days
    zh = httpx.get(f"{base}/policy", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert f"商品签收后 {rules.window_days} 天内可申请退货" in zh and 'lang="zh-CN"' in zh
    en = httpx.get(f"{base}/policy?lang=en").text
    assert f"within {rules.window_days} days of delivery" in en
    assert f"within {rules.defect_window_days} days, refunded in full" in en


def test_a_web_shop_request_is_reviewed_over_the_server_and_the_customer_answers(world_server):
    import httpx

    world, base = world_server
    key = _shop_key(world, ["returns:create", "returns:read"])
    shop = {"Authorization": f"Bearer {key}"}
    order_no = make_order(world, [("AP-2001", 1)])
    rma = httpx.post(f"{base}/api/v1/shop/returns", headers=shop, json={
        "order_no": order_no, "lines": [{"sku": "AP-2001", "quantity": 1, "reason": "changed_mind"}]}).json()["rma_no"]
    api, clerk = _remote(base, "clerk")
    local = local_session(world.ctx).api_for(clerk)
    assert rma in [row.rma_no for row in api.review.review_queue().items]
    case = api.review.get_review_case(rma)
    assert case == local.review.get_review_case(rma) and case.web_shop
    asked = api.review.ask_customer(rma, "Which colour did you receive?", expected_version=case.state.version)
    assert asked.status == "waiting_for_customer"
    status = httpx.get(f"{base}/api/v1/shop/returns/{rma}", params={"contact": "13800138000"}, headers=shop).json()
    assert (status["status"], status["question"]) == ("waiting_for_customer", "Which colour did you receive?")
    page = httpx.post(f"{base}/status?lang=en", content=f"rma={rma}&contact=13800138000",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "Which colour did you receive?" in page.text and 'action="/status/answer?lang=en"' in page.text
    short = httpx.post(f"{base}/status/answer?lang=en", content=f"rma={rma}&contact=13800138000&answer=blue",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert short.status_code == 422 and "at least 5 characters" in short.text and "Which colour" in short.text
    answered = httpx.post(f"{base}/api/v1/shop/returns/{rma}/answer", headers=shop,
                          json={"contact": "li.wei@example.com", "answer": "Dark blue, not black."})
    assert answered.status_code == 200 and answered.json()["status"] == "requested"
    result = api.review.authorize_request(rma)
    assert result.web_shop and result.label_sent_at is not None and result.detail.status == "authorized"
    status = httpx.get(f"{base}/api/v1/shop/returns/{rma}", params={"contact": "13800138000"}, headers=shop).json()
    assert status["status"] == "authorized" and status["label_sent_at"]
    with pytest.raises(PermissionDenied):
        _remote(base, "inspector")[0].review.review_queue()


def test_the_finance_desk_and_the_policy_draft_work_over_the_server(world_server):
    import io
    from dataclasses import replace

    from openpyxl import load_workbook

    from returndesk.domain.errors import PermissionDenied

    world, base = world_server
    admin, _ = _remote(base, "admin")
    in_force = admin.admin.policy_in_force()
    draft = admin.admin.save_policy_draft(replace(in_force.rules, window_days=21), "Remote draft")
    assert draft.rules.window_days == 21 and draft.rules.grade_factors == in_force.rules.grade_factors
    assert [(c.setting, c.after) for c in admin.admin.policy_draft_changes()] == [("window_days", "21")]
    admin.admin.discard_policy_draft()
    assert admin.admin.get_policy_draft() is None
    assert any(e.entity == "policy_draft" and e.action == "discarded" for e in admin.admin.admin_log(limit=5))

    finance, _ = _remote(base, "finance")
    today = world.ctx.now().date()
    page = finance.finance.find_refunds(today, today)
    assert page.next_cursor is None
    file = finance.finance.export_file("refunds", today, today, "xlsx")
    assert isinstance(file.data, bytes) and file.file_name.endswith(".xlsx")
    assert next(load_workbook(io.BytesIO(file.data)).active.iter_rows(values_only=True))[0] == "refund_no"
    clerk, _ = _remote(base, "clerk")
    with pytest.raises(PermissionDenied):
        clerk.admin.admin_log()


def test_a_claim_against_a_supplier_is_worked_remotely_as_in_process(world_server):
    from returndesk.domain.types import Disposition, Grade

    from .money_support import LineSpec, approved

    world, base = world_server
    api, inspector = _remote(base, "inspector")
    rma = approved(world, [LineSpec("EL-1002", 1, reason="defective", grade=Grade.D,
                                    disposition=Disposition.RETURN_TO_VENDOR)])
    added = api.claims.add_unit(rma)
    assert added == local_session(world.ctx).api_for(inspector).claims.get_claim(added.claim_no)
    authorised = api.claims.record_authorisation(added.claim_no, "ACME-1", world.ctx.now().date())
    assert authorised.authorised_on == world.ctx.now().date()
    shipped = api.claims.ship_claim(added.claim_no, expected_version=authorised.version)
    assert shipped.status == "shipped"
    finance_api, _ = _remote(base, "finance")
    answered = finance_api.claims.record_answer(added.claim_no, credit_note_no="CN-1", credited_minor=6000)
    assert answered.status == "credited" and answered.units[0].outcome == "accepted"
    with pytest.raises(PermissionDenied):
        api.claims.reject_claim(added.claim_no)


def test_the_refurbish_queue_is_worked_remotely_as_in_process(world_server):
    from returndesk.api.types import SignOff
    from returndesk.domain.types import Disposition, Grade

    from .money_support import LineSpec, approved

    world, base = world_server
    api, inspector = _remote(base, "inspector")
    rma = approved(world, [LineSpec("EL-1002", 2, reason="changed_mind", grade=Grade.C,
                                    disposition=Disposition.REFURBISH)])
    queue = api.refurbish.refurbish_queue()
    mine = [u for u in queue.waiting if u.rma_no == rma]
    assert len(mine) == 2 and queue.scrap_signoff_limit_minor == 50000
    local = local_session(world.ctx).api_for(inspector)
    assert api.refurbish.find_refurbish_unit(rma) == local.refurbish.find_refurbish_unit(rma)
    done = api.refurbish.refurbish_unit(mine[0].tag, grade=Grade.B, repair_note="Cleaned", parts_cost_minor=300)
    assert done == local.refurbish.find_refurbish_unit(mine[0].tag) and done.new_grade == "B"
    with pytest.raises(PermissionDenied, match="supervisor must sign it off"):
        api.refurbish.scrap_unit(mine[1].tag, reason="Burnt", parts_cost_minor=45000)
    scrapped = api.refurbish.scrap_unit(mine[1].tag, reason="Burnt", parts_cost_minor=45000,
                                        sign_off=SignOff(username="supervisor", password=PASSWORD))
    assert scrapped.status == "scrapped" and scrapped.signed_off_by == "Supervisor"
    clerk, _ = _remote(base, "clerk")
    with pytest.raises(PermissionDenied):
        clerk.refurbish.refurbish_queue()


def test_the_integrations_group_works_for_an_admin_through_the_server_and_refuses_a_clerk(world_server):
    world, base = world_server
    admin, _ = _remote(base, "admin")
    created = admin.integrations.create_api_key("Remote shop", ["returns:read"])
    assert created.secret.startswith("rdk_") and created.key.name == "Remote shop"
    listed = {k.name: k for k in admin.integrations.list_api_keys()}  # other tests of the module add keys too
    assert "Remote shop" in listed and not hasattr(listed["Remote shop"], "secret")
    assert admin.integrations.revoke_api_key("Remote shop").revoked
    assert all(row.status == "failed" for row in admin.integrations.list_outbox("failed"))
    clerk, _ = _remote(base, "clerk")
    with pytest.raises(PermissionDenied):
        clerk.integrations.list_api_keys()
    with pytest.raises(PermissionDenied):
        clerk.integrations.list_outbox("pending")


def test_an_exchange_is_moved_on_over_the_server_as_in_process(world_server):
    from returndesk.domain.errors import IllegalTransition
    from returndesk.domain.types import ReturnStatus

    from .return_states import return_in

    world, base = world_server
    api, clerk = _remote(base, "clerk")
    local = local_session(world.ctx).api_for(clerk)
    shipped, cancelled = return_in(world, ReturnStatus.EXCHANGED), return_in(world, ReturnStatus.EXCHANGED)
    version = api.search.get_return(shipped).version
    view = api.exchange.fulfil_exchange(shipped, "ship", expected_version=version)
    assert (view.status, view.fulfilment, view.rma_no) == ("fulfilled", "ship", shipped)
    assert view == local.exchange.find_replacement(shipped)
    with pytest.raises(IllegalTransition) as remote_error:
        api.exchange.cancel_exchange(shipped, "Customer changed their mind")
    with pytest.raises(IllegalTransition) as local_error:
        local.exchange.cancel_exchange(shipped, "Customer changed their mind")
    assert remote_error.value.message == local_error.value.message
    assert api.exchange.cancel_exchange(cancelled, "Customer changed their mind").status == "cancelled"
    page = api.search.get_return_page(cancelled)
    assert page.verdict("close").allowed and not page.verdict("hand_over").allowed
    inspector_api, _ = _remote(base, "inspector")
    with pytest.raises(PermissionDenied):
        inspector_api.exchange.fulfil_exchange(cancelled)


def test_a_web_shop_request_outside_the_policy_waits_in_review_for_a_supervisors_override(world_server):
    """Sent after the window (and a line missing its packaging): not refused at the API but kept in
    customer service's queue, out of policy, each line with its verdict; the clerk may not authorize
    it, a supervisor does with a written reason (the override recorded), or anyone rejects it."""
    import httpx
    from sqlalchemy import select

    from returndesk.domain.errors import PolicyViolation
    from returndesk.store.schema import AuditEvent, Return

    world, base = world_server
    shop = {"Authorization": f"Bearer {_shop_key(world, ['returns:create', 'returns:read'])}"}
    order_no = make_order(world, [("AP-2001", 1), ("HM-4001", 1)], days_ago=60)
    answer = httpx.post(f"{base}/api/v1/shop/returns", headers=shop, json={
        "order_no": order_no, "lines": [{"sku": "AP-2001", "quantity": 1, "reason": "changed_mind"},
                                        {"sku": "HM-4001", "quantity": 1, "reason": "changed_mind"}]})
    assert answer.status_code == 201, answer.text
    rma = answer.json()["rma_no"]
    assert answer.json()["status"] == "requested"
    api, clerk = _remote(base, "clerk")
    row = next(r for r in api.review.review_queue().items if r.rma_no == rma)
    assert row.policy_status == "override_needed"
    case = api.review.get_review_case(rma)
    assert [line.policy_status for line in case.detail.lines] == ["override_needed", "override_needed"]
    assert all(line.policy_note for line in case.detail.lines)
    assert case.state.needs_override and not case.state.can_authorize
    assert "a supervisor must override" in (case.state.why_not_authorize or "")
    with pytest.raises(PolicyViolation):
        api.review.authorize_request(rma)
    with pytest.raises(PolicyViolation):  # nor around the queue, from the detail page's service
        api.intake.authorize_return(rma)
    boss, supervisor = _remote(base, "supervisor")
    assert boss.review.get_review_case(rma).state.can_authorize
    with pytest.raises(ValidationFailed, match="write why it is accepted"):
        boss.review.authorize_request(rma)
    result = boss.review.authorize_request(rma, override_reason="Loyal customer, goods unopened")
    assert result.detail.status == "authorized" and result.web_shop
    with world.ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        assert (ret.in_policy, ret.override_reason, ret.override_by) == (
            False, "Loyal customer, goods unopened", supervisor.user_id)
        assert s.execute(select(AuditEvent.user_id).where(
            AuditEvent.entity_id == rma, AuditEvent.action == "override_policy")).scalar_one() == supervisor.user_id
    # A line that can never be returned is still refused at the API, with the line named.
    never = httpx.post(f"{base}/api/v1/shop/returns", headers=shop, json={
        "order_no": order_no, "lines": [{"sku": "AP-2001", "quantity": 5, "reason": "changed_mind"}]})
    assert never.status_code == 422
