"""Webhooks: the outbox is written with the change; delivery is ordered, signed, retried with
back-off after a failure and a time-out, and each event reaches the receiver once as far as it can
tell (it drops event ids it has seen). Against a real HTTP receiver on loopback."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.events import event_type, subscribed
from returndesk.services.usecases import intake, webhooks
from returndesk.store.schema import AuditEvent, OutboxEvent

from .factories import build_world, make_order
from .money_support import LineSpec, take_return

pytestmark = pytest.mark.both_databases("delivery claims outbox rows with FOR UPDATE SKIP LOCKED")


class Receiver:
    """An HTTP receiver whose answers follow a script: a status code, or "hang" until released."""

    def __init__(self, script: list[int | str], secret_box: dict[str, str]) -> None:
        self.script = list(script)
        self.received: list[dict] = []  # every request, duplicates included
        self.accepted_ids: list[int] = []  # what the receiver's application took, duplicates dropped
        self.bad_signatures = 0
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                payload = json.loads(body)
                receiver.received.append(payload)
                ok = webhooks.verify_signature(secret_box["secret"], self.headers["X-ReturnDesk-Timestamp"],
                                               body, self.headers["X-ReturnDesk-Signature"])
                receiver.bad_signatures += not ok
                step = receiver.script.pop(0) if receiver.script else 200
                if step == "hang":
                    receiver.release.wait()
                    step = 200  # too late: the sender gave up and will send again
                elif step == 200 and payload["id"] not in receiver.accepted_ids:
                    receiver.accepted_ids.append(payload["id"])
                self.send_response(int(step))
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


def _poster(timeout: float):
    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code
    return post


def test_event_types_and_subscriptions():
    assert event_type("return", "authorize") == "return.authorize"
    assert event_type("return", "refund") == "return.refund"
    assert event_type("return", "unit_recorded") is None
    assert event_type("user", "signed_in") is None
    assert subscribed("return.", "return.refund") and subscribed("*", "claim.shipped")
    assert subscribed("return.refund claim.", "claim.credited")
    assert not subscribed("return.refund", "return.authorize")


def test_the_outbox_is_written_with_the_change_and_numbered_by_the_audit_chain(ctx):
    world = build_world(ctx)
    order = make_order(world, [("HM-4001", 1)])
    rma = take_return(world, order, [LineSpec("HM-4001", 1)])
    with ctx.db.read() as s:
        events = s.execute(select(OutboxEvent.id, OutboxEvent.event_type, OutboxEvent.subject,
                                  OutboxEvent.payload_json).order_by(OutboxEvent.id)).all()
        audit_seqs = {row.seq: (row.entity, row.action) for row in s.execute(select(AuditEvent)).scalars()}
    assert [e.event_type for e in events] == ["return.submit", "return.authorize"]
    for e in events:
        assert audit_seqs[e.id] == ("return", e.event_type.split(".", 1)[1])
        payload = json.loads(e.payload_json)
        assert payload["id"] == e.id and payload["subject"] == rma and e.subject == rma
    assert json.loads(events[1].payload_json)["after"]["status"] == "authorized"


def test_a_rolled_back_change_leaves_no_event(ctx):
    world = build_world(ctx)
    order = make_order(world, [("HM-4001", 1)])
    rma = take_return(world, order, [LineSpec("HM-4001", 1)])
    with ctx.db.read() as s:
        before = s.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
    with pytest.raises(ValidationFailed):
        intake.cancel_return(ctx, world.clerk, rma, "")  # no reason: refused, nothing written
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(OutboxEvent)).scalar_one() == before


def test_delivery_survives_a_failure_and_a_time_out_and_each_event_arrives_once(ctx, clock):
    world = build_world(ctx)
    box: dict[str, str] = {}
    receiver = Receiver([500, "hang"], box)
    try:
        made = webhooks.add_webhook(ctx, world.admin, "Finance", receiver.url, "return.")
        box["secret"] = made.secret
        order = make_order(world, [("HM-4001", 2)])
        rma = take_return(world, order, [LineSpec("HM-4001", 1)])
        intake.cancel_return(ctx, world.clerk, rma, "Customer kept it")
        with ctx.db.read() as s:
            expected = list(s.execute(select(OutboxEvent.id).order_by(OutboxEvent.id)).scalars())
        assert len(expected) == 3  # submit, authorize, cancel

        post = _poster(timeout=1.0)
        first = webhooks.deliver_due(ctx, post)  # the receiver answers 500
        assert first.delivered == 0 and first.failed_endpoints == ("Finance",)
        view = webhooks.list_webhooks(ctx, world.admin)[0]
        assert view.pending == 3 and view.attempts == 1
        assert view.last_error == "The receiver answered HTTP 500. The delivery is tried again later."
        assert webhooks.deliver_due(ctx, post).delivered == 0  # backing off: not due yet
        assert len(receiver.received) == 1

        clock.advance(seconds=webhooks.backoff(1).total_seconds())
        second = webhooks.deliver_due(ctx, post)  # the receiver hangs: the sender times out
        assert second.failed_endpoints == ("Finance",)
        timed_out = webhooks.list_webhooks(ctx, world.admin)[0].last_error
        assert timed_out.template.startswith("{message}\nTechnical detail")  # kept as a message, not plain text
        assert timed_out.startswith("The receiver at 127.0.0.1 did not answer in time.")
        assert "Technical detail: ReadTimeout" in timed_out
        receiver.release.set()

        clock.advance(seconds=webhooks.backoff(2).total_seconds())
        third = webhooks.deliver_due(ctx, post)
        assert third.delivered == 3 and third.failed_endpoints == ()
        view = webhooks.list_webhooks(ctx, world.admin)[0]
        assert (view.pending, view.attempts, view.last_error) == (0, 0, None)
        assert receiver.accepted_ids == expected  # in order, once each
        assert [p["id"] for p in receiver.received] == [expected[0]] * 3 + expected[1:]
        assert receiver.bad_signatures == 0
        assert [p["type"] for p in receiver.received[-3:]] == ["return.submit", "return.authorize",
                                                             "return.cancel"]

        # Replay from the first event: sent again, dropped by the receiver as already seen.
        webhooks.replay_webhook(ctx, world.admin, "Finance", expected[0])
        assert webhooks.deliver_due(ctx, post).delivered == 3
        assert receiver.accepted_ids == expected
    finally:
        receiver.close()


def test_a_receiver_only_gets_the_types_it_subscribed_to(ctx):
    world = build_world(ctx)
    box: dict[str, str] = {}
    receiver = Receiver([], box)
    try:
        box["secret"] = webhooks.add_webhook(ctx, world.admin, "Refunds only", receiver.url,
                                             "return.cancel").secret
        order = make_order(world, [("HM-4001", 1)])
        rma = take_return(world, order, [LineSpec("HM-4001", 1)])
        intake.cancel_return(ctx, world.clerk, rma, "Changed mind")
        assert webhooks.list_webhooks(ctx, world.admin)[0].pending == 1
        assert webhooks.deliver_due(ctx, _poster(5.0)).delivered == 1
        assert [p["type"] for p in receiver.received] == ["return.cancel"]
        view = webhooks.list_webhooks(ctx, world.admin)[0]
        assert view.pending == 0 and view.last_delivered_at is not None
    finally:
        receiver.close()


def test_only_administrators_manage_webhooks_and_addresses_are_checked(ctx):
    world = build_world(ctx)
    with pytest.raises(PermissionDenied):
        webhooks.add_webhook(ctx, world.clerk, "Mine", "https://example.invalid/hook")
    with pytest.raises(ValidationFailed, match="https://"):
        webhooks.add_webhook(ctx, world.admin, "Bad", "ftp://example.invalid/hook")
    webhooks.add_webhook(ctx, world.admin, "ERP", "https://erp.invalid/hook")
    with pytest.raises(ValidationFailed, match="exists already"):
        webhooks.add_webhook(ctx, world.admin, "ERP", "https://erp.invalid/other")
    assert not webhooks.set_webhook_active(ctx, world.admin, "ERP", False).active


def test_a_receiver_that_is_not_running_is_named_with_what_to_do(ctx):
    world = build_world(ctx)
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    webhooks.add_webhook(ctx, world.admin, "ERP", f"http://127.0.0.1:{port}/hooks", "return.", from_now=False)
    take_return(world, make_order(world, [("HM-4001", 1)]), [LineSpec("HM-4001", 1)])

    report = webhooks.deliver_due(ctx)  # the client the server uses
    assert report.failed_endpoints == ("ERP",)
    said = webhooks.list_webhooks(ctx, world.admin)[0].last_error
    assert said.startswith("The receiver at 127.0.0.1 refused the connection or cannot be reached.")
    assert "\nTechnical detail: ConnectError: " in said
    assert webhooks.list_outbox(ctx, world.admin, "failed")[0].last_error == said
