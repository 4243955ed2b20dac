"""A station's session with a real ReturnDesk server (uvicorn on loopback, TLS with a self-signed
certificate, PostgreSQL): the certificate is confirmed by its fingerprint and a changed one is
refused; sign-in happens at the server; a command sent twice with one idempotency key acts once;
the station hears of its own commits; a disabled user stops at the next call."""

from __future__ import annotations

import pytest
from returndesk.api.connection import DatabaseChoice
from returndesk.api.idempotency import command_key
from returndesk.api.remote import (
    CertificateChanged,
    RemoteSession,
    UnknownCertificate,
    check_server,
    establish_trust,
)
from returndesk.domain.errors import AuthenticationFailed, ValidationFailed
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import intake
from returndesk.store.schema import IdempotencyKey, InspectionUnit, User
from sqlalchemy import func, select, update

from .factories import build_world, make_order
from .station_server import make_certificate, signed_in

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server


def test_a_self_signed_certificate_needs_its_fingerprint_confirmed(running_server):
    with pytest.raises(UnknownCertificate) as unknown:
        RemoteSession.open(running_server.choice(pinned=False), station="TEST-1")
    assert unknown.value.fingerprint == running_server.fingerprint
    assert "127.0.0.1" in unknown.value.subject and unknown.value.valid_until
    trust = establish_trust(running_server.base_url, running_server.fingerprint.lower().replace(":", " "))
    assert trust.certificate_pem and "BEGIN CERTIFICATE" in trust.certificate_pem
    check = check_server(running_server.base_url)
    assert check.problem is None and check.fingerprint == running_server.fingerprint and check.version


def test_a_changed_certificate_is_refused(running_server, tmp_path):
    pinned = running_server.choice()
    make_certificate(tmp_path / "new-tls")
    running_server.restart(tls_dir=tmp_path / "new-tls")
    with pytest.raises(CertificateChanged) as changed:
        RemoteSession.open(pinned, station="TEST-1")
    assert changed.value.pinned == running_server.fingerprint
    assert changed.value.fingerprint != running_server.fingerprint
    assert "different certificate" in changed.value.message


@pytest.mark.parametrize("address, says", [
    ("http://returns.example.lan:8443", "only allowed to this computer"),
    ("ftp://returns.example.lan", "Enter the address"),
    ("https://returns.example.lan:8443/api", "only the scheme, host and port"),
])
def test_plain_http_goes_only_to_this_computer(address, says):
    from returndesk.api.connection import check_server_url

    with pytest.raises(ValidationFailed) as refused:
        check_server_url(address)
    assert says in refused.value.message
    assert check_server_url("returns.example.lan") == "https://returns.example.lan:8443"
    assert check_server_url("http://127.0.0.1:9000/") == "http://127.0.0.1:9000"


def _remote_return(world, api):
    order_no = make_order(world, [("AP-2001", 2)])
    sale = api.search.get_sale(order_no, channel=Channel.REMOTE)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_id=sale.lines[0].order_line_id, quantity=2,
                                                       reason_code="changed_mind"),))
    created = api.intake.create_return(draft)
    return api.intake.authorize_return(created.rma_no, expected_version=created.version)


def test_a_command_retried_with_its_key_is_carried_out_once(server_ctx, remote_session):
    world = build_world(server_ctx)
    clerk_api, _ = signed_in(remote_session, world.clerk)
    authorized = _remote_return(world, clerk_api)
    inspector_api, _ = signed_in(remote_session, world.inspector)
    received = inspector_api.receiving.receive_return(authorized.rma_no, expected_version=authorized.version)
    answers = []
    for _attempt in range(2):  # the scan applied again after an outage: same input, same key
        with command_key("scan-4711"):
            answers.append(inspector_api.inspection.record_unit(received.rma_no, scanned_code="6901234567915",
                                                                expected_version=received.version))
    assert answers[0] == answers[1]
    with server_ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(InspectionUnit)).scalar_one() == 1
        keys = s.execute(select(IdempotencyKey.key).where(IdempotencyKey.key.like("scan-4711%"))).scalars().all()
    assert keys == ["scan-4711.1"]
    with command_key("scan-4712"):  # a new scan is a new input
        inspector_api.inspection.record_unit(received.rma_no, scanned_code="6901234567915",
                                             expected_version=answers[0].detail.version)
    with server_ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(InspectionUnit)).scalar_one() == 2


def test_the_station_hears_of_its_own_commits(server_ctx, remote_session):
    world = build_world(server_ctx)
    heard: list[tuple[str, int]] = []
    unsubscribe = remote_session.subscribe(lambda entity, entity_id: heard.append((entity, entity_id)))
    api, _ = signed_in(remote_session, world.clerk)
    authorized = _remote_return(world, api)
    unsubscribe()
    assert ("return", authorized.id) in heard
    assert remote_session.station_time().time_zone and remote_session.auth.has_users()


def test_a_disabled_user_stops_at_the_next_call_and_sign_out_ends_the_session(server_ctx, remote_session):
    world = build_world(server_ctx)
    api, _clerk = signed_in(remote_session, world.clerk)
    api.search.find_returns("")
    with server_ctx.db.write() as s:
        s.execute(update(User).where(User.username == "clerk").values(active=False))
    with pytest.raises(AuthenticationFailed, match="has been disabled"):
        api.search.find_returns("")
    inspector_api, inspector = signed_in(remote_session, world.inspector)
    inspector_api.inspection.inspection_queue()
    remote_session.end_session(inspector)
    with pytest.raises(AuthenticationFailed, match="session has ended"):
        inspector_api.inspection.inspection_queue()


def test_the_server_tells_a_station_without_users_where_the_first_one_is_made(server_ctx, running_server):
    session = RemoteSession.open(running_server.choice(), station="TEST-1")
    try:
        assert not session.auth.has_users()
        with pytest.raises(ValidationFailed, match="returndesk user add"):
            session.auth.create_first_administrator("admin", "Admin", "x" * 12)
        assert session.database == running_server.choice() and not session.is_local
    finally:
        session.close()


def test_settings_never_keep_a_database_login(tmp_path):
    from returndesk.services.infra.connection import ServerAddress

    assert DatabaseChoice.remote("https://a:8443/", "AA").server_url == "https://a:8443"
    with pytest.raises(ValidationFailed):
        DatabaseChoice.remote("https://a:8443").url()
    assert DatabaseChoice.shared(ServerAddress("db")).describe().startswith("PostgreSQL")


def test_stored_answers_of_station_commands_are_forgotten_after_a_week(server_ctx):
    from datetime import timedelta

    from returndesk.services.usecases import sessions

    now = server_ctx.now()
    with server_ctx.db.write() as s:
        for principal, key, age in (("user:1", "old", 8), ("user:1", "recent", 1), ("key:3", "shop-old", 30)):
            s.add(IdempotencyKey(principal=principal, key=key, request_hash="x", status_code=200,
                                 response_json="null", created_at=now - timedelta(days=age)))
    assert sessions.forget_old_station_answers(server_ctx) == 1
    with server_ctx.db.read() as s:
        assert sorted(s.execute(select(IdempotencyKey.key)).scalars()) == ["recent", "shop-old"]


def test_an_address_that_is_not_a_returndesk_server_is_said_in_words(tmp_path):
    import http.server
    import threading

    httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        check = check_server(f"http://127.0.0.1:{httpd.server_address[1]}")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert check.problem and "not as a ReturnDesk server" in check.problem
