"""Customer service's review of return requests (客服审核): the queue, one request, the decisions.

Requests come from the counter's phone or online intake and from the web shop
(:func:`~returndesk.services.usecases.integration.request_return`); both wait as ``requested``. The
reviewer sees each line's policy verdict and the customer's history, then

* authorizes the request (:func:`authorize_request`): the return label is printed at the station,
  or — for a web-shop request — recorded as sent to the shop, whose status lookup then shows it;
* rejects it with a reason from the list of :mod:`returndesk.domain.review` and their own words
  (:func:`reject_request`); the held quantities are freed;
* or asks the customer a question (:func:`ask_customer`): the request waits as
  ``waiting_for_customer``, the question shows on the customer's status lookup, and the answer —
  from the customer (``integration.answer_customer_question``) or taken by phone
  (:func:`record_answer`) — brings the request back to the queue at its place (oldest first).

Every list is keyset-paged on an index; every change is one transaction with its audit events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from returndesk.domain.approval import is_frequent_returner
from returndesk.domain.errors import PolicyViolation, ReturnDeskError, ValidationFailed
from returndesk.domain.lifecycle import Action
from returndesk.domain.permissions import Permission, can
from returndesk.domain.policy import worst_status
from returndesk.domain.review import HistoryFacts, question_text, rejection_text, review_flags
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import PolicyStatus, ReturnStatus
from returndesk.store.schema import ApiKey, Return, ReturnLine, ReturnQuestion

from returndesk.services.tx import audit, refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.settlement import lock_return, require_state
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import Page, ReturnDetail, ReturnSummary, load_return, return_detail, return_summaries
from returndesk.services.usecases import intake
from returndesk.services.usecases.history import CustomerHistory, TimelineEntry, customer_history_in, timeline_in
from returndesk.services.usecases.sales import load_active_policy
from returndesk.domain.messages import msg

#: Most rows one page of the queue may hold.
MAX_PAGE = 500
#: How many of the customer's earlier returns the reasons are counted over.
RECENT_RETURNS = 10
#: Declined earlier: requests rejected by customer service, refunds rejected by a supervisor.
_DECLINED = (ReturnStatus.REJECTED.value, ReturnStatus.REFUND_REJECTED.value)
#: Returns that never became one (as the customer's history counts).
_NOT_COUNTED = (ReturnStatus.DRAFT.value, ReturnStatus.CANCELLED.value)


# --------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class ReviewRow:
    """One request of the review queue: its summary and what the reviewer sees at a glance."""

    summary: ReturnSummary
    web_shop: bool
    policy_status: str  # the worst verdict of its lines (domain.types.PolicyStatus)
    customer_returns: int  # the customer's returns of all time, this one included
    flags: tuple[str, ...]  # domain.review.ReviewFlag values
    question: str | None  # the open question (waiting) or the last one answered
    answer: str | None

    @property
    def rma_no(self) -> str:
        return self.summary.rma_no


@dataclass(frozen=True)
class ReviewCounts:
    """How many requests wait for a reviewer, and how many wait for their customer."""

    requested: int
    waiting_for_customer: int


def _limit(limit: int) -> int:
    try:
        n = int(limit)
    except (TypeError, ValueError):
        raise ValidationFailed(msg("A page size must be a whole number, not {limit!r}.", limit=limit)) from None
    return max(1, min(n, MAX_PAGE))


def review_queue(ctx: ServiceContext, actor: Actor, *, waiting: bool = False, after: str | None = None,
                 limit: int = 50) -> Page[ReviewRow]:
    """Return requests waiting for customer service, the oldest request first (one keyset page over
    the index ``(status, created_at, id)``); with ``waiting`` the requests waiting for their
    customer's answer instead. Each row carries its lines' worst verdict, the customer's count of
    returns and the flags of :mod:`returndesk.domain.review`."""
    actor.require(Permission.REVIEW_RETURNS)
    status = ReturnStatus.WAITING_FOR_CUSTOMER if waiting else ReturnStatus.REQUESTED
    n = _limit(limit)
    with ctx.read(actor) as s:
        stmt = select(Return).where(Return.status == status.value)
        if after:
            values = Page.decode_cursor(after)
            if len(values) != 2:
                raise ValidationFailed(msg("The list position is no longer valid; reload the list from the top."))
            stmt = stmt.where(tuple_(Return.created_at, Return.id) > values)
        rows = list(s.execute(stmt.order_by(Return.created_at, Return.id).limit(n + 1)).scalars())
        more = len(rows) > n
        rows = rows[:n]
        cursor = Page.encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
        return Page(tuple(_review_rows(s, ctx, rows)), cursor)


def review_counts(ctx: ServiceContext, actor: Actor) -> ReviewCounts:
    """How many requests wait for review and how many for their customer (one indexed count)."""
    actor.require(Permission.REVIEW_RETURNS)
    states = (ReturnStatus.REQUESTED.value, ReturnStatus.WAITING_FOR_CUSTOMER.value)
    with ctx.read(actor) as s:
        counts = dict(s.execute(
            select(Return.status, func.count()).where(Return.status.in_(states)).group_by(Return.status)
        ).all())
    return ReviewCounts(int(counts.get(states[0], 0)), int(counts.get(states[1], 0)))


def _web_shop_users(s: Session, user_ids: set[int]) -> set[int]:
    """Which of ``user_ids`` are the users of API keys (a web shop's requests are made by them)."""
    if not user_ids:
        return set()
    return set(s.execute(select(ApiKey.user_id).where(ApiKey.user_id.in_(sorted(user_ids)))).scalars())


@dataclass(frozen=True)
class _CustomerFacts:
    all_time: int
    in_window: int
    declined: int


def _customer_facts(s: Session, ctx: ServiceContext, customer_ids: set[int], window_days: int
                    ) -> dict[int, _CustomerFacts]:
    if not customer_ids:
        return {}
    since = ctx.now() - timedelta(days=window_days)
    rows = s.execute(
        select(Return.customer_id, func.count(),
               func.sum(case((Return.created_at >= since, 1), else_=0)),
               func.sum(case((Return.status.in_(_DECLINED), 1), else_=0)))
        .where(Return.customer_id.in_(sorted(customer_ids)), Return.status.not_in(_NOT_COUNTED))
        .group_by(Return.customer_id)
    ).all()
    return {cid: _CustomerFacts(int(n), int(w or 0), int(d or 0)) for cid, n, w, d in rows}


def _review_rows(s: Session, ctx: ServiceContext, rets: list[Return]) -> list[ReviewRow]:
    """The rows of one page, with a fixed number of statements for the whole page."""
    if not rets:
        return []
    summaries = return_summaries(s, rets)
    ids = [r.id for r in rets]
    verdicts: dict[int, list[PolicyStatus]] = {}
    for rid, status in s.execute(select(ReturnLine.return_id, ReturnLine.policy_status)
                                 .where(ReturnLine.return_id.in_(ids))):
        verdicts.setdefault(rid, []).append(PolicyStatus(status))
    questions: dict[int, ReturnQuestion] = {}
    for q in s.execute(select(ReturnQuestion).where(ReturnQuestion.return_id.in_(ids))
                       .order_by(ReturnQuestion.return_id, ReturnQuestion.id)).scalars():
        questions[q.return_id] = q  # the latest per return wins
    shop_users = _web_shop_users(s, {r.created_by for r in rets})
    rules = load_active_policy(s).rules
    facts = _customer_facts(s, ctx, {r.customer_id for r in rets if r.customer_id is not None},
                            rules.frequent_returner_days)
    out = []
    for ret, summary in zip(rets, summaries, strict=True):
        customer = facts.get(ret.customer_id) if ret.customer_id is not None else None
        question = questions.get(ret.id)
        web_shop = ret.created_by in shop_users
        flags = review_flags(HistoryFacts(
            web_shop=web_shop, in_policy=ret.in_policy,
            frequent_returner=customer is not None and is_frequent_returner(customer.in_window, rules),
            earlier_rejected=customer.declined if customer else 0,
            answered=question is not None and question.answered_at is not None,
        ))
        out.append(ReviewRow(
            summary=summary, web_shop=web_shop,
            policy_status=worst_status(verdicts.get(ret.id) or [PolicyStatus.WITHIN]).value,
            customer_returns=customer.all_time if customer else 0,
            flags=tuple(f.value for f in flags),
            question=question.question if question else None,
            answer=question.answer if question else None,
        ))
    return out


# --------------------------------------------------------------------------- one request


@dataclass(frozen=True)
class QuestionView:
    """A question asked of the customer, and the answer once given."""

    id: int
    question: str
    asked_at: datetime
    asked_by: str
    answer: str | None
    answered_at: datetime | None
    answered_by: str | None  # None: the customer answered themselves


@dataclass(frozen=True)
class ReviewState:
    """What the acting user may do with a request now, and in words why not."""

    version: int
    can_authorize: bool
    why_not_authorize: str | None
    can_reject: bool
    why_not_reject: str | None
    can_ask: bool
    why_not_ask: str | None
    can_record_answer: bool
    why_not_record_answer: str | None
    #: The request is outside the policy and not overridden yet: authorizing it is a supervisor's
    #: policy override and needs a written reason.
    needs_override: bool = False


@dataclass(frozen=True)
class ReviewCase:
    """Everything the review screen shows of one request, read in one snapshot."""

    detail: ReturnDetail
    web_shop: bool
    label_sent_at: datetime | None
    history: CustomerHistory | None  # None for a return without a customer
    recent_reasons: tuple[tuple[str, int], ...]  # reason codes of the customer's earlier returns, most first
    earlier_rejected: int
    flags: tuple[str, ...]
    questions: tuple[QuestionView, ...]
    state: ReviewState
    timeline: tuple[TimelineEntry, ...]

    @property
    def rma_no(self) -> str:
        return self.detail.rma_no

    @property
    def status(self) -> str:
        return self.detail.status

    @property
    def open_question(self) -> QuestionView | None:
        """The question the customer has not answered yet."""
        return next((q for q in reversed(self.questions) if q.answered_at is None), None)


def _verdict(check: Callable[[], None]) -> tuple[bool, str | None]:
    try:
        check()
    except ReturnDeskError as exc:
        return False, exc.message
    return True, None


#: Fewest characters of the reason for overriding the policy when authorizing a request.
MIN_OVERRIDE_REASON = 5


def _needs_override(ret: Return) -> bool:
    return not ret.in_policy and not ret.override_reason


def _check_authorize(s: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.AUTHORIZE_RETURN)
    require_state(s, ret, Action.AUTHORIZE)
    if _needs_override(ret) and not can(actor.role, Permission.OVERRIDE_POLICY):
        raise PolicyViolation(
            msg(
                "Return {rma_no} is outside the return policy; a supervisor must override the policy with a written "
                "reason before it is authorized.",
                rma_no=ret.rma_no))


def check_authorize(s: Session, actor: Actor, ret: Return) -> None:
    """Refuses, with the sentence, what :func:`authorize_request` would refuse before its reason is
    read: the role, the state, a request outside the policy for a user who may not override it."""
    _check_authorize(s, actor, ret)


def _check_reject(s: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.REJECT_RETURN)
    require_state(s, ret, Action.REJECT)


def _check_ask(s: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.REVIEW_RETURNS)
    require_state(s, ret, Action.ASK_CUSTOMER)


def _check_answer(s: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.REVIEW_RETURNS)
    require_state(s, ret, Action.CUSTOMER_REPLY)


def review_state_in(s: Session, actor: Actor, ret: Return) -> ReviewState:
    """:func:`get_review_case`'s buttons: the checks the use cases run, without changing anything."""
    ok_a, why_a = _verdict(lambda: _check_authorize(s, actor, ret))
    ok_r, why_r = _verdict(lambda: _check_reject(s, actor, ret))
    ok_q, why_q = _verdict(lambda: _check_ask(s, actor, ret))
    ok_n, why_n = _verdict(lambda: _check_answer(s, actor, ret))
    return ReviewState(ret.version, ok_a, why_a, ok_r, why_r, ok_q, why_q, ok_n, why_n,
                       needs_override=_needs_override(ret))


def _questions(s: Session, return_id: int) -> tuple[QuestionView, ...]:
    rows = s.execute(select(ReturnQuestion).where(ReturnQuestion.return_id == return_id)
                     .order_by(ReturnQuestion.id)).scalars()
    return tuple(
        QuestionView(q.id, q.question, q.asked_at, refcache.display_name(s, q.asked_by) or "", q.answer,
                     q.answered_at, refcache.display_name(s, q.answered_by) if q.answered_by else None)
        for q in rows
    )


def get_review_case(ctx: ServiceContext, actor: Actor, rma_no: str) -> ReviewCase:
    """One request as the review screen shows it: the return with each line's verdict, whether the
    web shop sent it, the customer's history (counts, the reasons of their recent returns, earlier
    declined requests), the questions asked and answered, what the user may do and why not, and the
    timeline. One read transaction (a snapshot on PostgreSQL)."""
    actor.require(Permission.REVIEW_RETURNS)
    rma = parse_rma(str(rma_no or ""))
    with ctx.read(actor, snapshot=True) as s:
        ret = load_return(s, rma_no=rma)
        detail = return_detail(s, ret)
        history = customer_history_in(s, ctx, ret.customer_id) if ret.customer_id is not None else None
        reasons: Counter[str] = Counter()
        declined = 0
        if ret.customer_id is not None:
            earlier = [rid for rid, in s.execute(
                select(Return.id).where(Return.customer_id == ret.customer_id, Return.id != ret.id,
                                        Return.status.not_in(_NOT_COUNTED))
                .order_by(Return.created_at.desc(), Return.id.desc()).limit(RECENT_RETURNS))]
            if earlier:
                reasons.update(s.execute(select(ReturnLine.reason_code)
                                         .where(ReturnLine.return_id.in_(earlier))).scalars())
            declined = int(s.execute(select(func.count()).where(
                Return.customer_id == ret.customer_id, Return.id != ret.id, Return.status.in_(_DECLINED))
            ).scalar_one())
        web_shop = bool(_web_shop_users(s, {ret.created_by}))
        questions = _questions(s, ret.id)
        flags = review_flags(HistoryFacts(
            web_shop=web_shop, in_policy=ret.in_policy,
            frequent_returner=bool(history and history.frequent_returner), earlier_rejected=declined,
            answered=any(q.answered_at is not None for q in questions),
        ))
        return ReviewCase(
            detail=detail, web_shop=web_shop, label_sent_at=ret.label_sent_at, history=history,
            recent_reasons=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
            earlier_rejected=declined, flags=tuple(f.value for f in flags), questions=questions,
            state=review_state_in(s, actor, ret), timeline=tuple(timeline_in(s, ret.rma_no)),
        )


# --------------------------------------------------------------------------- the decisions


@dataclass(frozen=True)
class AuthorizeResult:
    """An authorized request: the return, and whether its label went to the web shop (else the
    station prints it)."""

    detail: ReturnDetail
    web_shop: bool
    label_sent_at: datetime | None


def authorize_request(ctx: ServiceContext, actor: Actor, rma_no: str, *, override_reason: str | None = None,
                      expected_version: int | None = None) -> AuthorizeResult:
    """Authorize a request from the queue. A web-shop request's label is recorded as sent to the
    shop in the same transaction (the shop's status lookup shows it); the screen prints the label
    of any other request. A request outside the policy is authorized only by a supervisor (or
    above) overriding the policy with ``override_reason``, recorded as the override."""
    actor.require(Permission.AUTHORIZE_RETURN)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        _check_authorize(s, actor, ret)
        if _needs_override(ret):
            text = " ".join((override_reason or "").split())
            if len(text) < MIN_OVERRIDE_REASON:
                raise ValidationFailed(
                    msg("Return {rma_no} is outside the return policy: write why it is accepted (at least "
                        "{count} characters) to override the policy, or reject it.",
                        rma_no=ret.rma_no,
                        count=MIN_OVERRIDE_REASON))
            ret.override_reason = text[:500]
            ret.override_by = actor.user_id
            notes = list(s.execute(select(ReturnLine.policy_note).where(
                ReturnLine.return_id == ret.id, ReturnLine.policy_status != PolicyStatus.WITHIN.value)
                .order_by(ReturnLine.line_no)).scalars())
            audit.record(s, ctx, actor, "return", ret.rma_no, "override_policy", {"in_policy": True},
                         {"in_policy": False, "reason": ret.override_reason, "lines": [n for n in notes if n]})
        detail = intake.authorize_return_in(s, ctx, actor, ret.rma_no)
        web_shop = bool(_web_shop_users(s, {ret.created_by}))
        if web_shop:
            ret.label_sent_at = ctx.now()
            audit.record(s, ctx, actor, "return", ret.rma_no, "label_sent", None,
                         {"to": "web shop", "receive_by": detail.receive_by.isoformat() if detail.receive_by else None})
            s.flush()
            detail = return_detail(s, ret)
        result = AuthorizeResult(detail, web_shop, ret.label_sent_at)
    ctx.changed("return", result.detail.id)
    return result


def reject_request(ctx: ServiceContext, actor: Actor, rma_no: str, reason_code: str, words: str | None = None, *,
                   expected_version: int | None = None) -> ReturnDetail:
    """Decline a request (requested, or waiting for the customer) with a reason from the list and
    the reviewer's words (required for "other"); its held quantities are freed."""
    actor.require(Permission.REJECT_RETURN)
    code, text = rejection_text(reason_code, words)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        _check_reject(s, actor, ret)
        detail = intake.reject_return_in(s, ctx, actor, ret.rma_no, text, reason_code=code.value)
    ctx.changed("return", detail.id)
    return detail


def ask_customer(ctx: ServiceContext, actor: Actor, rma_no: str, question: str, *,
                 expected_version: int | None = None) -> ReturnDetail:
    """Put a request on hold with a question to the customer: requested -> waiting_for_customer.

    The question is kept with the request and shown on the customer's status lookup."""
    actor.require(Permission.REVIEW_RETURNS)
    text = question_text(question)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        _check_ask(s, actor, ret)
        s.add(ReturnQuestion(return_id=ret.id, question=text, asked_at=ctx.now(), asked_by=actor.user_id))
        transition(s, ctx, actor, ret, Action.ASK_CUSTOMER, details={"question": text})
        s.flush()
        detail = return_detail(s, ret)
    ctx.changed("return", detail.id)
    return detail


def answer_in(s: Session, ctx: ServiceContext, actor: Actor | None, ret: Return, answer: str, *,
              via: str) -> None:
    """Record the answer to the open question and bring the request back to the queue, inside the
    caller's transaction (``actor`` None: the customer answered on the status page)."""
    text = question_text(answer, msg("answer"))
    require_state(s, ret, Action.CUSTOMER_REPLY)
    question = s.execute(
        select(ReturnQuestion).where(ReturnQuestion.return_id == ret.id, ReturnQuestion.answered_at.is_(None))
        .order_by(ReturnQuestion.id.desc()).limit(1)
    ).scalar_one_or_none()
    if question is not None:
        question.answer = text
        question.answered_at = ctx.now()
        question.answered_by = actor.user_id if actor is not None and via != "web_shop" else None
    transition(s, ctx, actor, ret, Action.CUSTOMER_REPLY, details={"answer": text, "via": via})
    s.flush()


def record_answer(ctx: ServiceContext, actor: Actor, rma_no: str, answer: str, *,
                  expected_version: int | None = None) -> ReturnDetail:
    """The customer answered by phone or e-mail: customer service records the answer and the
    request comes back to the queue (waiting_for_customer -> requested)."""
    actor.require(Permission.REVIEW_RETURNS)
    question_text(answer, msg("answer"))
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        _check_answer(s, actor, ret)
        answer_in(s, ctx, actor, ret, answer, via="customer_service")
        detail = return_detail(s, ret)
    ctx.changed("return", detail.id)
    return detail
