"""Webhooks: events from the outbox delivered to other systems, in order, signed, with retries.

Events enter ``outbox_events`` in the same transaction as the change (see
:func:`returndesk.services.tx.audit._append_pending`); their id is the audit sequence, so ids become
visible in commit order. Each endpoint keeps ``delivered_through``, the last event id it has
received. :func:`deliver_due` takes a short lease on each endpoint that is due (so that one of
several server processes delivers to it at a time), posts the next events outside any transaction,
and records the outcome: on success the cursor moves on; on failure the endpoint waits with an
exponential back-off and the error is kept for the administrator. A delivery that succeeded at the
receiver but whose answer was lost is sent again, with the same event id: receivers drop ids they
have seen (the id is in the payload and in ``X-ReturnDesk-Delivery``).

Each delivery is signed: ``X-ReturnDesk-Signature: sha256=HMAC-SHA256(secret, timestamp + "." +
body)`` with ``X-ReturnDesk-Timestamp``; :func:`verify_signature` is the receiver's check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.events import subscribed
from returndesk.domain.permissions import Permission
from returndesk.store.schema import OutboxEvent, WebhookEndpoint

from returndesk.services.tx import audit
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import dump_text, join, load_text, msg, with_detail

#: How long a server process may take to deliver one batch before another may take over.
LEASE = timedelta(seconds=120)
#: Events posted to one endpoint per round.
BATCH = 50
MAX_BACKOFF = timedelta(hours=1)

#: ``post(url, body, headers) -> status code``; raises ``OSError``/``httpx`` errors on failure.
Poster = Callable[[str, bytes, dict[str, str]], int]


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failure in a row: 10 s, 20 s, 40 s … at most an hour."""
    return min(timedelta(seconds=10 * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """The receiver's check of ``X-ReturnDesk-Signature``."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class WebhookView:
    name: str
    url: str
    event_types: str
    active: bool
    delivered_through: int
    pending: int
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    last_delivered_at: datetime | None


@dataclass(frozen=True)
class NewWebhook:
    """A webhook just added: ``secret`` signs its deliveries; give it to the receiver."""

    secret: str
    webhook: WebhookView


def _pattern_filter(patterns: str) -> ColumnElement[bool] | None:
    conditions: list[ColumnElement[bool]] = []
    for pattern in patterns.split():
        if pattern == "*":
            return None
        if pattern.endswith("."):
            conditions.append(OutboxEvent.event_type.startswith(pattern, autoescape=True))
        else:
            conditions.append(OutboxEvent.event_type == pattern)
    return or_(*conditions) if conditions else OutboxEvent.id < 0


def _view(s: Session, endpoint: WebhookEndpoint) -> WebhookView:
    stmt = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.id > endpoint.delivered_through)
    condition = _pattern_filter(endpoint.event_types)
    if condition is not None:
        stmt = stmt.where(condition)
    pending = s.execute(stmt).scalar_one()
    return WebhookView(endpoint.name, endpoint.url, endpoint.event_types, endpoint.active,
                       endpoint.delivered_through, pending, endpoint.attempts, endpoint.next_attempt_at,
                       load_text(endpoint.last_error) or None, endpoint.last_delivered_at)


def add_webhook(ctx: ServiceContext, actor: Actor | None, name: str, url: str, event_types: str = "*",
                *, from_now: bool = True) -> NewWebhook:
    """Register a receiver (administrators). It gets the events from now on (or all, with
    ``from_now=False``)."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    name = " ".join(str(name or "").split())
    url = str(url or "").strip()
    types = " ".join(str(event_types or "").split()) or "*"
    problems = []
    if not name or len(name) > 80:
        problems.append(msg("Give the webhook a name of 1-80 characters."))
    if not (url.startswith("https://") or url.startswith("http://")) or len(url) > 400:
        problems.append(msg("The address must start with https:// (or http:// inside the shop's network)."))
    if len(types) > 400:
        problems.append(msg("The list of event types is too long."))
    if problems:
        raise ValidationFailed(msg("The webhook was not added: {problems}", problems=join(problems)), problems)
    secret = secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.write(actor) as s:
        if s.execute(select(WebhookEndpoint.id).where(WebhookEndpoint.name == name)).first():
            raise ValidationFailed(msg("A webhook named {name} exists already; choose another name.", name=name))
        start = s.execute(select(func.max(OutboxEvent.id))).scalar_one() or 0 if from_now else 0
        endpoint = WebhookEndpoint(name=name, url=url, secret=secret, event_types=types, active=True,
                                   delivered_through=start, attempts=0, created_at=now)
        s.add(endpoint)
        s.flush()
        audit.record(s, ctx, actor, "webhook", name, "created", None, {"url": url, "event_types": types})
        return NewWebhook(secret, _view(s, endpoint))


def list_webhooks(ctx: ServiceContext, actor: Actor | None) -> list[WebhookView]:
    """Every webhook with what is pending, delivered and the last error (administrators)."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    with ctx.read(actor) as s:
        return [_view(s, e) for e in s.execute(select(WebhookEndpoint).order_by(WebhookEndpoint.name)).scalars()]


def _endpoint(s: Session, name: str) -> WebhookEndpoint:
    endpoint = s.execute(select(WebhookEndpoint).where(WebhookEndpoint.name == name.strip())
                         .with_for_update()).scalar_one_or_none()
    if endpoint is None:
        raise NotFound(msg("There is no webhook named {name}.", name=name.strip()[:40]))
    return endpoint


def replay_webhook(ctx: ServiceContext, actor: Actor | None, name: str, from_event: int) -> WebhookView:
    """Send again every event from ``from_event`` on (administrators); receivers drop duplicates."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    if from_event < 1:
        raise ValidationFailed(msg("Events are numbered from 1."))
    with ctx.write(actor) as s:
        endpoint = _endpoint(s, name)
        before = endpoint.delivered_through
        endpoint.delivered_through = min(before, from_event - 1)
        endpoint.attempts = 0
        endpoint.next_attempt_at = None
        audit.record(s, ctx, actor, "webhook", endpoint.name, "replay", {"delivered_through": before},
                     {"delivered_through": endpoint.delivered_through})
        return _view(s, endpoint)


def set_webhook_active(ctx: ServiceContext, actor: Actor | None, name: str, active: bool) -> WebhookView:
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    with ctx.write(actor) as s:
        endpoint = _endpoint(s, name)
        if endpoint.active != active:
            endpoint.active = active
            endpoint.attempts = 0
            endpoint.next_attempt_at = None
            audit.record(s, ctx, actor, "webhook", endpoint.name, "enabled" if active else "disabled")
        return _view(s, endpoint)


#: The states of an outbox row for one webhook: waiting, received, or the one the webhook is stuck on.
OUTBOX_STATES = ("pending", "delivered", "failed")


@dataclass(frozen=True)
class OutboxRow:
    """One event for one webhook: ``status`` pending (not yet sent), delivered (received), or failed
    (the event the webhook is stuck on: the last attempt failed with ``last_error``; the webhook
    tries again at ``next_attempt_at``)."""

    event_id: int
    event_type: str
    subject: str
    occurred_at: datetime
    webhook: str
    url: str
    status: str
    attempts: int | None  # failed attempts of the head event; None for a delivered event
    next_attempt_at: datetime | None
    last_error: str | None


def list_outbox(ctx: ServiceContext, actor: Actor | None, status: str = "pending", *,
                limit: int = 200) -> list[OutboxRow]:
    """The events of every webhook in ``status`` (administrators): ``pending`` every event not yet
    received, the one a webhook is stuck on first (its row's status "failed", with the error);
    ``failed`` only those; ``delivered`` the received ones, newest first. At most ``limit`` rows
    per webhook."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    if status not in OUTBOX_STATES:
        raise ValidationFailed(msg(
            "Show pending, delivered or failed events, not {status}.",
            status=str(status)[:20]))
    limit = max(1, min(int(limit), 1000))
    rows: list[OutboxRow] = []
    with ctx.read(actor) as s:
        for endpoint in s.execute(select(WebhookEndpoint).order_by(WebhookEndpoint.name)).scalars():
            stuck = endpoint.attempts > 0 and endpoint.last_error is not None
            if status == "failed" and not stuck:
                continue
            stmt = select(OutboxEvent.id, OutboxEvent.event_type, OutboxEvent.subject, OutboxEvent.occurred_at)
            condition = _pattern_filter(endpoint.event_types)
            if condition is not None:
                stmt = stmt.where(condition)
            if status == "delivered":
                stmt = stmt.where(OutboxEvent.id <= endpoint.delivered_through).order_by(OutboxEvent.id.desc())
            else:
                stmt = stmt.where(OutboxEvent.id > endpoint.delivered_through).order_by(OutboxEvent.id)
            stmt = stmt.limit(1 if status == "failed" else limit)
            for index, (event_id, event_type, subject, occurred_at) in enumerate(s.execute(stmt).all()):
                head = status != "delivered" and index == 0
                failed = head and stuck
                rows.append(OutboxRow(
                    event_id, event_type, subject, occurred_at, endpoint.name, endpoint.url,
                    "failed" if failed else status,
                    None if status == "delivered" else (endpoint.attempts if head else 0),
                    None if status == "delivered" or not endpoint.active else endpoint.next_attempt_at,
                    (load_text(endpoint.last_error) or None) if failed else None))
    return rows


# --------------------------------------------------------------------------- delivery


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    failed_endpoints: tuple[str, ...]


@dataclass(frozen=True)
class _Lease:
    endpoint_id: int
    name: str
    url: str
    secret: str
    event_types: str
    delivered_through: int
    attempts: int


def _due(now: datetime) -> ColumnElement[bool]:
    return (WebhookEndpoint.active.is_(True)) & or_(WebhookEndpoint.next_attempt_at.is_(None),
                                                    WebhookEndpoint.next_attempt_at <= now)


def _take_lease(ctx: ServiceContext, endpoint_id: int, now: datetime) -> _Lease | None:
    """Lease one endpoint, unless another process holds it or it stopped being due."""
    with ctx.db.write() as s:
        stmt = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, _due(now))
        if not ctx.db.is_sqlite:
            stmt = stmt.with_for_update(skip_locked=True)
        endpoint = s.execute(stmt).scalar_one_or_none()
        if endpoint is None:
            return None
        endpoint.next_attempt_at = now + LEASE
        return _Lease(endpoint.id, endpoint.name, endpoint.url, endpoint.secret, endpoint.event_types,
                      endpoint.delivered_through, endpoint.attempts)


#: The longest error kept for a webhook (the column's size).
ERROR_LENGTH = 400


def delivery_error(exc: BaseException, url: str) -> str:
    """Why posting to ``url`` failed, in words for the administrator (a message, shown in the
    language of whoever reads it), with the library's or the system's own text as the detail."""
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    text = str(exc)
    host = (urlsplit(url).hostname or url)[:100]
    if kinds & {"TimeoutException", "TimeoutError", "timeout"}:
        sentence = msg("The receiver at {host} did not answer in time. The delivery is tried again later.",
                       host=host)
    elif kinds & {"SSLError", "SSLCertVerificationError"} or "CERTIFICATE_VERIFY_FAILED" in text or "[SSL" in text:
        sentence = msg("The certificate of the receiver at {host} was not accepted. Check the webhook's "
                       "address and the receiver's certificate.", host=host)
    elif "gaierror" in kinds or any(words in text for words in (
            "Name or service not known", "nodename nor servname", "name resolution", "getaddrinfo")):
        sentence = msg("No computer named {host} was found. Check the webhook's address.", host=host)
    elif kinds & {"ConnectionRefusedError", "ConnectionError", "ConnectError", "NetworkError"}:
        sentence = msg("The receiver at {host} refused the connection or cannot be reached. Check that it "
                       "is running; the delivery is tried again later.", host=host)
    elif kinds & {"UnsupportedProtocol", "InvalidURL", "LocalProtocolError"}:
        sentence = msg("The address {url} cannot be posted to. Give the webhook an http:// or https:// "
                       "address.", url=url[:120])
    else:
        sentence = msg("Posting to the receiver at {host} failed. The delivery is tried again later.", host=host)
    # The detail is cut so that the whole is kept as a message (its data) in the column.
    detail = " ".join(f"{type(exc).__name__}: {text}".split())
    while detail:
        said = with_detail(sentence, detail)
        excess = len(dump_text(said)) - ERROR_LENGTH
        if excess <= 0:
            return said
        detail = detail[:-excess].rstrip()
    return sentence


def _default_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    import httpx

    return httpx.post(url, content=body, headers=headers, timeout=10.0).status_code


def deliver_due(ctx: ServiceContext, post: Poster | None = None, *, batch: int = BATCH) -> DeliveryReport:
    """One round: each endpoint that is due gets its next events, in order. Returns what happened."""
    post = post or _default_post
    delivered = 0
    failed: list[str] = []
    with ctx.db.read() as s:
        due = list(s.execute(select(WebhookEndpoint.id).where(_due(ctx.now())).order_by(WebhookEndpoint.id)).scalars())
    for endpoint_id in due:
        lease = _take_lease(ctx, endpoint_id, ctx.now())
        if lease is None:
            continue
        with ctx.db.read() as s:
            examined = s.execute(select(OutboxEvent.id, OutboxEvent.event_type, OutboxEvent.payload_json)
                                 .where(OutboxEvent.id > lease.delivered_through)
                                 .order_by(OutboxEvent.id).limit(batch)).all()
        through, error = lease.delivered_through, None
        for event_id, event_type, payload in examined:
            if subscribed(lease.event_types, event_type):
                body = payload.encode("utf-8")
                timestamp = str(int(time.time()))
                headers = {"Content-Type": "application/json", "X-ReturnDesk-Event": event_type,
                           "X-ReturnDesk-Delivery": str(event_id), "X-ReturnDesk-Timestamp": timestamp,
                           "X-ReturnDesk-Signature": sign(lease.secret, timestamp, body)}
                try:
                    status = post(lease.url, body, headers)
                except Exception as exc:
                    error = delivery_error(exc, lease.url)
                    break
                if not 200 <= status < 300:
                    error = msg("The receiver answered HTTP {status}. The delivery is tried again later.",
                                status=status)
                    break
                delivered += 1
            through = event_id
        finished = ctx.now()
        with ctx.db.write() as s:
            values: dict[str, object] = {"delivered_through": through}
            if error is None:
                values.update(attempts=0, next_attempt_at=None, last_error=None)
                if through != lease.delivered_through:
                    values["last_delivered_at"] = finished
            else:
                attempts = lease.attempts + 1
                values.update(attempts=attempts, next_attempt_at=finished + backoff(attempts),
                              last_error=dump_text(error, ERROR_LENGTH))
                if through != lease.delivered_through:
                    values["last_delivered_at"] = finished
            s.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == lease.endpoint_id).values(**values))
        if error is not None:
            failed.append(lease.name)
    return DeliveryReport(delivered, tuple(failed))
