"""The lifecycle of a return as one explicit transition table.

``TRANSITIONS[(state, action)] -> next state``. Every service that changes a return's status asks
:func:`next_status`; an action the current state does not allow raises :class:`IllegalTransition`
naming the current state, who put the return there and when.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from .errors import IllegalTransition
from .types import ReturnStatus as S
from returndesk.domain.messages import join, msg, template


class Action(StrEnum):
    SUBMIT = "submit"
    AUTHORIZE = "authorize"
    ASK_CUSTOMER = "ask_customer"
    CUSTOMER_REPLY = "customer_reply"
    REJECT = "reject"
    CANCEL = "cancel"
    EXPIRE = "expire"
    RECEIVE = "receive"
    COMPLETE_INSPECTION = "complete_inspection"
    ROUTE_FOR_APPROVAL = "route_for_approval"
    AUTO_APPROVE = "auto_approve"
    APPROVE = "approve"
    REJECT_REFUND = "reject_refund"
    REFUND = "refund"
    EXCHANGE = "exchange"
    CLOSE = "close"
    REOPEN = "reopen"


#: Each action in words, as it follows "cannot" in a refusal.
ACTION_WORDS: dict[Action, str] = {
    Action.SUBMIT: template("submit"),
    Action.AUTHORIZE: template("authorize"),
    Action.ASK_CUSTOMER: template("ask the customer"),
    Action.CUSTOMER_REPLY: template("take the customer's reply"),
    Action.REJECT: template("reject"),
    Action.CANCEL: template("cancel"),
    Action.EXPIRE: template("expire"),
    Action.RECEIVE: template("receive"),
    Action.COMPLETE_INSPECTION: template("complete inspection"),
    Action.ROUTE_FOR_APPROVAL: template("route for approval"),
    Action.AUTO_APPROVE: template("auto approve"),
    Action.APPROVE: template("approve"),
    Action.REJECT_REFUND: template("reject refund"),
    Action.REFUND: template("refund"),
    Action.EXCHANGE: template("exchange"),
    Action.CLOSE: template("close"),
    Action.REOPEN: template("reopen"),
}

TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.DRAFT, Action.SUBMIT): S.REQUESTED,
    (S.DRAFT, Action.CANCEL): S.CANCELLED,
    (S.REQUESTED, Action.AUTHORIZE): S.AUTHORIZED,
    (S.REQUESTED, Action.REJECT): S.REJECTED,
    # A request rejected by mistake goes back to customer service's queue (audited, with a reason).
    (S.REJECTED, Action.REOPEN): S.REQUESTED,
    (S.REQUESTED, Action.CANCEL): S.CANCELLED,
    # Customer service asks the customer for information; the answer brings the request back.
    (S.REQUESTED, Action.ASK_CUSTOMER): S.WAITING_FOR_CUSTOMER,
    (S.WAITING_FOR_CUSTOMER, Action.CUSTOMER_REPLY): S.REQUESTED,
    (S.WAITING_FOR_CUSTOMER, Action.REJECT): S.REJECTED,
    (S.WAITING_FOR_CUSTOMER, Action.CANCEL): S.CANCELLED,
    (S.AUTHORIZED, Action.RECEIVE): S.RECEIVED,
    (S.AUTHORIZED, Action.CANCEL): S.CANCELLED,
    (S.AUTHORIZED, Action.EXPIRE): S.EXPIRED,
    (S.RECEIVED, Action.COMPLETE_INSPECTION): S.INSPECTED,
    (S.INSPECTED, Action.ROUTE_FOR_APPROVAL): S.AWAITING_APPROVAL,
    (S.INSPECTED, Action.AUTO_APPROVE): S.APPROVED,
    (S.AWAITING_APPROVAL, Action.APPROVE): S.APPROVED,
    (S.AWAITING_APPROVAL, Action.REJECT_REFUND): S.REFUND_REJECTED,
    (S.APPROVED, Action.REFUND): S.REFUNDED,
    (S.APPROVED, Action.EXCHANGE): S.EXCHANGED,
    (S.REFUNDED, Action.CLOSE): S.CLOSED,
    (S.EXCHANGED, Action.CLOSE): S.CLOSED,
    (S.REFUND_REJECTED, Action.CLOSE): S.CLOSED,
}


def allowed_actions(state: S | str) -> list[Action]:
    """Actions the given state allows, in table order."""
    st = S(state)
    return [a for (s, a) in TRANSITIONS if s == st]


def next_status(
    state: S | str,
    action: Action | str,
    *,
    set_by: str | None = None,
    set_at: datetime | None = None,
    rma: str | None = None,
) -> S:
    """Return the state that ``action`` leads to from ``state`` or raise ``IllegalTransition``.

    ``set_by``/``set_at`` say who put the return in its current state and when; they go into the
    error message so the user knows whom to ask.
    """
    st = S(state)
    act = Action(action)
    target = TRANSITIONS.get((st, act))
    if target is None:
        who = msg(" by {set_by}", set_by=set_by) if set_by else ""
        when = msg(" on {set_at:%Y-%m-%d %H:%M}", set_at=set_at) if set_at else ""
        name = msg("Return {rma}", rma=rma) if rma else msg("This return")
        actions = [msg(ACTION_WORDS[a]) for a in allowed_actions(st)]
        allowed = join(actions, ", ") if actions else msg("nothing more")
        raise IllegalTransition(
            msg(
                "{name} cannot {value}: it is {value2} (set{who}{when}). From there it can: {allowed}.",
                name=name, value=msg(ACTION_WORDS[act]), value2=st, who=who, when=when, allowed=allowed),
            current=st.value,
            action=act.value,
        )
    return target
