"""Which role may do what. Enforced by the services before any work is done."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .errors import PermissionDenied
from .lifecycle import TRANSITIONS, Action
from .types import ReturnStatus, Role
from returndesk.domain.messages import msg, template


class Permission(StrEnum):
    FIND_SALES = "find_sales"
    CREATE_RETURN = "create_return"
    AUTHORIZE_RETURN = "authorize_return"
    REJECT_RETURN = "reject_return"
    REVIEW_RETURNS = "review_returns"
    CANCEL_RETURN = "cancel_return"
    RECEIVE = "receive"
    INSPECT = "inspect"
    APPROVE_REFUND = "approve_refund"
    OVERRIDE_POLICY = "override_policy"
    ISSUE_REFUND = "issue_refund"
    ISSUE_CASH_REFUND = "issue_cash_refund"
    EXCHANGE = "exchange"
    VIEW_QUEUES = "view_queues"
    VIEW_FINANCE = "view_finance"
    EXPORT = "export"
    IMPORT = "import"
    MANAGE_MASTER_DATA = "manage_master_data"
    ADMIN_USERS = "admin_users"
    ADMIN_POLICY = "admin_policy"
    VERIFY_AUDIT = "verify_audit"
    EXPIRE_RETURNS = "expire_returns"
    PRINT = "print"
    REOPEN_RETURN = "reopen_return"
    MANAGE_CLAIMS = "manage_claims"  # put claims against suppliers together, ask, ship
    SETTLE_CLAIMS = "settle_claims"  # record the supplier's answer (credit notes)
    VIEW_CLAIMS = "view_claims"  # open the claims screen: the warehouse, and finance for the credit notes
    REFURBISH = "refurbish"  # work the refurbish queue: units back to stock at a new grade, or scrapped


P = Permission
_CLERK = {P.FIND_SALES, P.CREATE_RETURN, P.AUTHORIZE_RETURN, P.REJECT_RETURN, P.CANCEL_RETURN, P.REVIEW_RETURNS,
          P.RECEIVE, P.INSPECT, P.ISSUE_REFUND, P.ISSUE_CASH_REFUND, P.EXCHANGE, P.PRINT, P.APPROVE_REFUND}
_INSPECTOR = {P.RECEIVE, P.INSPECT, P.PRINT, P.FIND_SALES, P.MANAGE_CLAIMS, P.VIEW_CLAIMS, P.REFURBISH}
_SUPERVISOR = _CLERK | _INSPECTOR | {P.APPROVE_REFUND, P.OVERRIDE_POLICY, P.VIEW_QUEUES, P.EXPORT,
                                     P.EXPIRE_RETURNS, P.REOPEN_RETURN,
                                     P.SETTLE_CLAIMS, P.VIEW_CLAIMS}
_MANAGER = _SUPERVISOR | {P.VIEW_FINANCE, P.VERIFY_AUDIT, P.MANAGE_MASTER_DATA}
_FINANCE = {P.VIEW_FINANCE, P.EXPORT, P.VIEW_QUEUES, P.VERIFY_AUDIT, P.PRINT, P.ISSUE_REFUND,
            P.SETTLE_CLAIMS, P.VIEW_CLAIMS}
_ADMIN = set(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.INSPECTOR: frozenset(_INSPECTOR),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.MANAGER: frozenset(_MANAGER),
    Role.FINANCE: frozenset(_FINANCE),
    Role.ADMIN: frozenset(_ADMIN),
}

# A clerk's APPROVE_REFUND covers only what approval routing leaves within the clerk's own limit
# (the counter fast path); routing decides who must approve, this table only who may try.


#: Each right in words, as it follows "may not" in a refusal.
PERMISSION_WORDS: dict[Permission, str] = {
    Permission.FIND_SALES: template("find sales"),
    Permission.CREATE_RETURN: template("create return"),
    Permission.AUTHORIZE_RETURN: template("authorize return"),
    Permission.REJECT_RETURN: template("reject return"),
    Permission.REVIEW_RETURNS: template("review returns"),
    Permission.CANCEL_RETURN: template("cancel return"),
    Permission.RECEIVE: template("receive"),
    Permission.INSPECT: template("inspect"),
    Permission.APPROVE_REFUND: template("approve refund"),
    Permission.OVERRIDE_POLICY: template("override policy"),
    Permission.ISSUE_REFUND: template("issue refund"),
    Permission.ISSUE_CASH_REFUND: template("issue cash refund"),
    Permission.EXCHANGE: template("exchange"),
    Permission.VIEW_QUEUES: template("view queues"),
    Permission.VIEW_FINANCE: template("view finance"),
    Permission.EXPORT: template("export"),
    Permission.IMPORT: template("import"),
    Permission.MANAGE_MASTER_DATA: template("manage master data"),
    Permission.ADMIN_USERS: template("admin users"),
    Permission.ADMIN_POLICY: template("admin policy"),
    Permission.VERIFY_AUDIT: template("verify audit"),
    Permission.EXPIRE_RETURNS: template("expire returns"),
    Permission.PRINT: template("print"),
    Permission.REOPEN_RETURN: template("reopen return"),
    Permission.MANAGE_CLAIMS: template("manage claims"),
    Permission.SETTLE_CLAIMS: template("settle claims"),
    Permission.VIEW_CLAIMS: template("view claims"),
    Permission.REFURBISH: template("refurbish"),
}

#: "A clerk", "An inspector"...: who is refused, when no name is given.
A_ROLE: dict[Role, str] = {
    Role.CLERK: template("A clerk"),
    Role.INSPECTOR: template("An inspector"),
    Role.SUPERVISOR: template("A supervisor"),
    Role.MANAGER: template("A manager"),
    Role.FINANCE: template("A finance user"),
    Role.ADMIN: template("An administrator"),
}


def _subject(role: Role | str, who: str) -> str:
    return msg("{who} ({role})", who=who, role=Role(role)) if who else msg(A_ROLE[Role(role)])


def _words(permission: Permission) -> str:
    return msg(PERMISSION_WORDS[permission]) if permission in PERMISSION_WORDS else permission.value.replace("_", " ")


def can(role: Role | str, permission: Permission) -> bool:
    """True when ``role`` carries ``permission``."""
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def require(role: Role | str, permission: Permission, who: str = "") -> None:
    """Raise ``PermissionDenied`` unless ``role`` carries ``permission``."""
    if not can(role, permission):
        raise PermissionDenied(
            msg("{subject} may not {value}. Ask a user with that right.", subject=_subject(role, who),
                value=_words(permission))
        )


#: Who may read returns and customers' return histories: counter staff, who look up sales, and
#: whoever watches the queues.
RETURN_READERS: tuple[Permission, ...] = (Permission.FIND_SALES, Permission.VIEW_QUEUES)


def can_any(role: Role | str, permissions: Iterable[Permission]) -> bool:
    """True when ``role`` carries at least one of ``permissions``."""
    return any(can(role, p) for p in permissions)


def require_any(role: Role | str, permissions: Sequence[Permission], who: str = "",
                doing: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``role`` carries one of ``permissions``.

    The sentence names ``doing`` ("look at customers' return histories") when given, else the
    first permission.
    """
    if can_any(role, permissions):
        return
    if doing is None:
        require(role, permissions[0], who)
        return  # pragma: no cover - require raised
    raise PermissionDenied(msg("{subject} may not {doing}.", subject=_subject(role, who), doing=doing))


# --------------------------------------------------------------------------- one return's actions


class ReturnAction(StrEnum):
    """What a person may do with one return from its detail page."""

    AUTHORIZE = "authorize"
    REJECT = "reject"  # refuse the request (requested -> rejected)
    CANCEL = "cancel"
    RECEIVE = "receive"
    INSPECT = "inspect"  # count and grade the units at the inspection station
    APPROVE = "approve"
    OVERRIDE = "override"
    REJECT_REFUND = "reject_refund"
    ISSUE_REFUND = "issue_refund"
    EXCHANGE = "exchange"  # start an exchange (the exchange dialog)
    CLOSE = "close"
    REOPEN = "reopen"  # a request rejected by mistake goes back to requested
    HAND_OVER = "hand_over"  # the reserved replacement is picked at the counter and handed over
    SHIP_REPLACEMENT = "ship_replacement"  # the reserved replacement is shipped with a packing slip
    CANCEL_EXCHANGE = "cancel_exchange"  # the replacement is cancelled, its reservation released
    COLLECT_DIFFERENCE = "collect_difference"  # the customer pays what the reserved replacement still owes


#: Per action: the right it needs and the step of the lifecycle it takes (the inspection station's
#: step is completing the inspection of a received return).
RETURN_ACTIONS: dict[ReturnAction, tuple[Permission, Action]] = {
    ReturnAction.AUTHORIZE: (P.AUTHORIZE_RETURN, Action.AUTHORIZE),
    ReturnAction.REJECT: (P.REJECT_RETURN, Action.REJECT),
    ReturnAction.CANCEL: (P.CANCEL_RETURN, Action.CANCEL),
    ReturnAction.RECEIVE: (P.RECEIVE, Action.RECEIVE),
    ReturnAction.INSPECT: (P.INSPECT, Action.COMPLETE_INSPECTION),
    ReturnAction.APPROVE: (P.APPROVE_REFUND, Action.APPROVE),
    ReturnAction.OVERRIDE: (P.OVERRIDE_POLICY, Action.APPROVE),
    ReturnAction.REJECT_REFUND: (P.APPROVE_REFUND, Action.REJECT_REFUND),
    ReturnAction.ISSUE_REFUND: (P.ISSUE_REFUND, Action.REFUND),
    ReturnAction.EXCHANGE: (P.EXCHANGE, Action.EXCHANGE),
    ReturnAction.CLOSE: (P.ISSUE_REFUND, Action.CLOSE),
    ReturnAction.REOPEN: (P.REOPEN_RETURN, Action.REOPEN),
}


#: Actions on the replacement of an exchange: the right they need. They take no step of the
#: lifecycle (the return stays exchanged) and are possible only while the return is
#: :data:`REPLACEMENT_STATE`; the services add that a replacement still holds reserved stock.
REPLACEMENT_ACTIONS: dict[ReturnAction, Permission] = {
    ReturnAction.HAND_OVER: P.EXCHANGE,
    ReturnAction.SHIP_REPLACEMENT: P.EXCHANGE,
    ReturnAction.CANCEL_EXCHANGE: P.EXCHANGE,
    ReturnAction.COLLECT_DIFFERENCE: P.EXCHANGE,
}
REPLACEMENT_STATE = ReturnStatus.EXCHANGED


class Refusal(StrEnum):
    """Why an action is not offered, as a kind the screens can name."""

    ROLE = "role"  # the user's role does not carry the right
    STATE = "state"  # the return's state does not allow it
    SEGREGATION = "segregation"  # segregation of duties: the user created or inspected it
    LIMIT = "limit"  # above the user's approval or cash limit
    POLICY = "policy"  # the return policy, or what the return holds, stands in the way
    OTHER = "other"


@dataclass(frozen=True)
class ActionVerdict:
    """May the user take ``action`` now; when not, the kind of refusal and the sentence saying why."""

    action: ReturnAction
    allowed: bool
    refusal: Refusal | None = None
    reason: str | None = None


def action_verdict(role: Role | str, status: ReturnStatus | str, action: ReturnAction | str) -> ActionVerdict:
    """The verdict of the role and the lifecycle on ``action`` for a return in ``status``.

    The services add what only the data can say (segregation of duties, limits, the policy): see
    ``services.usecases.return_page.return_actions``.
    """
    act = ReturnAction(action)
    state = ReturnStatus(status)
    if act in REPLACEMENT_ACTIONS:
        permission = REPLACEMENT_ACTIONS[act]
        possible = state is REPLACEMENT_STATE
    else:
        permission, step = RETURN_ACTIONS[act]
        possible = (state, step) in TRANSITIONS
    if not can(role, permission):
        return ActionVerdict(act, False, Refusal.ROLE,
                             msg("{subject} may not {value}.", subject=_subject(role, ""), value=_words(permission)))
    if not possible:
        return ActionVerdict(act, False, Refusal.STATE,
                             msg("Not possible while the return is {status}.", status=state))
    return ActionVerdict(act, True)
