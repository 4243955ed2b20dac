"""Approval routing: who must approve a refund after inspection, and whether a given person may.

Routing rules (thresholds live in :class:`~returndesk.domain.policy.PolicyRules`):

* above ``supervisor_limit`` -> ``MANAGER`` (the second level), whatever else holds;
* above ``auto_approve_limit`` (or above the creating clerk's own limit, when lower) ->
  ``SUPERVISOR``;
* outside the policy (overridden or not), a frequent returner, a customer on the watch list, or
  a grade that does not fit the reason -> ``SUPERVISOR``;
* otherwise ``AUTO``: approved by the system, nobody signs.

Whoever created or inspected a return may never approve its refund (segregation of duties).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import LimitExceeded, PermissionDenied, SegregationOfDuties, ValidationFailed
from .money import format_money
from .permissions import A_ROLE
from .policy import PolicyRules
from .types import ApprovalLevel, Grade, Role
from returndesk.domain.messages import lower_first, msg, template

_LEVEL_RANK = {ApprovalLevel.AUTO: 0, ApprovalLevel.SUPERVISOR: 1, ApprovalLevel.MANAGER: 2}

#: The highest approval level each role can sign. A clerk's AUTO covers the counter fast path
#: (confirming what routing already approved); inspectors and finance do not approve refunds.
ROLE_APPROVAL_LEVEL: dict[Role, ApprovalLevel] = {
    Role.CLERK: ApprovalLevel.AUTO,
    Role.SUPERVISOR: ApprovalLevel.SUPERVISOR,
    Role.MANAGER: ApprovalLevel.MANAGER,
    Role.ADMIN: ApprovalLevel.MANAGER,
}

_LEVEL_WHO = {
    ApprovalLevel.AUTO: template("a clerk"),
    ApprovalLevel.SUPERVISOR: template("a supervisor"),
    ApprovalLevel.MANAGER: template("a manager"),
}



@dataclass(frozen=True)
class Routing:
    """Who must approve, and why (one sentence per reason; empty for ``AUTO``)."""

    level: ApprovalLevel
    reasons: tuple[str, ...]

    @property
    def automatic(self) -> bool:
        """True when the refund is approved without anyone signing."""
        return self.level is ApprovalLevel.AUTO


def route(
    *,
    amount: int,
    in_policy: bool,
    overridden: bool,
    frequent_returner: bool,
    grade_reason_mismatch: bool,
    rules: PolicyRules,
    creator_limit: int | None = None,
    currency: str = "CNY",
    watched_customer: bool = False,
) -> Routing:
    """Decide the approval level for a refund of ``amount`` (minor units).

    ``in_policy`` is False when any line is outside the policy; ``overridden`` is True when a
    supervisor overrode the policy at intake. An override still routes the refund to a supervisor:
    the override allowed the return, the refund is approved separately. ``creator_limit`` is the
    approval limit of the clerk who took the return; a refund above it is never automatic.
    ``watched_customer`` is True when a supervisor put the customer on the watch list (analytics'
    risk review): such a refund is never automatic either.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationFailed(msg("A refund amount must be 0 or more minor units, not {amount!r}.", amount=amount))
    money = format_money(amount, currency)
    supervisor_reasons: list[str] = []
    if not in_policy and not overridden:
        supervisor_reasons.append(
            msg(
                "The return is outside the policy and was not overridden; a supervisor must override with a written "
                "reason and approve.")
        )
    elif not in_policy or overridden:
        supervisor_reasons.append(
            msg("The return was accepted by a policy override; a supervisor must approve the refund.")
        )
    if frequent_returner:
        supervisor_reasons.append(
            msg(
                "The customer returned {frequent_returner_count} or more times in the last {frequent_returner_days} "
                "days (frequent returner).",
                frequent_returner_count=rules.frequent_returner_count,
                frequent_returner_days=rules.frequent_returner_days)
        )
    if watched_customer:
        supervisor_reasons.append(
            msg("The customer is on the watch list (risk review); a supervisor must approve.")
        )
    if grade_reason_mismatch:
        supervisor_reasons.append(
            msg("The inspected grade does not fit the return reason; a supervisor must decide.")
        )
    if amount > rules.auto_approve_limit:
        supervisor_reasons.append(
            msg(
                "{money} is above the automatic approval limit of {auto_approve_limit}.",
                money=money, auto_approve_limit=format_money(rules.auto_approve_limit, currency))
        )
    elif creator_limit is not None and amount > creator_limit:
        supervisor_reasons.append(
            msg(
                "{money} is above the clerk's limit of {creator_limit}.",
                money=money, creator_limit=format_money(creator_limit, currency))
        )

    if amount > rules.supervisor_limit:
        manager_reason = msg("{money} is above the supervisor limit of {limit}; a manager must approve.",
                             money=money, limit=format_money(rules.supervisor_limit, currency))
        # The auto-limit sentence is implied by the supervisor-limit one.
        others = [r for r in supervisor_reasons if "automatic approval limit" not in r]
        return Routing(ApprovalLevel.MANAGER, (manager_reason, *others))
    if supervisor_reasons:
        return Routing(ApprovalLevel.SUPERVISOR, tuple(supervisor_reasons))
    return Routing(ApprovalLevel.AUTO, ())


AUTOMATIC = "automatic"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class AppliedLimit:
    """The approval limit that applies to one person, and which number it comes from.

    The policy owns the level limits (``auto_approve_limit``, ``supervisor_limit``); a user's own
    limit (``own``) can only lower them. For a clerk ``amount`` is how much a return the clerk
    takes may refund without anyone signing (the counter's on-the-spot refund); for a supervisor,
    manager or administrator, how much they may approve. ``policy_limit`` names the policy's
    limit that applies (``"automatic"`` or ``"supervisor"``), None when the own limit applies.
    ``amount`` is None for roles that approve no refunds.
    """

    amount: int | None
    own: int
    policy_limit: str | None = None

    def describe(self, currency: str = "CNY") -> str:
        """Words for lists and the command line, e.g. "¥200.00 (policy's automatic limit; own ¥500.00)"."""
        if self.amount is None:
            return "-"
        text = format_money(self.amount, currency)
        if self.policy_limit is not None:
            own = f"; own {format_money(self.own, currency)}" if self.own > self.amount else ""
            text += f" (policy's {self.policy_limit} limit{own})"
        return text


def applied_limit(role: Role | str, own_limit: int, rules: PolicyRules) -> AppliedLimit:
    """What a person of ``role`` with ``own_limit`` may refund or approve under ``rules``.

    The same numbers :func:`route` and :func:`check_approver` decide by: a clerk's returns are
    refunded automatically up to the lower of the policy's automatic limit and the clerk's own
    limit; a supervisor approves what routing gives a supervisor (up to the policy's supervisor
    limit) within their own limit; a manager or administrator within their own limit.
    """
    role = Role(role)
    level = ROLE_APPROVAL_LEVEL.get(role)
    if level is None:
        return AppliedLimit(None, own_limit)
    policy_limit, name = {
        ApprovalLevel.AUTO: (rules.auto_approve_limit, AUTOMATIC),
        ApprovalLevel.SUPERVISOR: (rules.supervisor_limit, SUPERVISOR),
        ApprovalLevel.MANAGER: (None, None),
    }[level]
    if policy_limit is not None and policy_limit < own_limit:
        return AppliedLimit(policy_limit, own_limit, name)
    return AppliedLimit(own_limit, own_limit)


def on_the_spot_limit(role: Role | str, own_limit: int, rules: PolicyRules) -> AppliedLimit:
    """Up to what a return that this person takes is refunded without anyone signing.

    This is the ``creator_limit`` of :func:`route`: a clerk's applied limit; for anyone else the
    policy's automatic limit (whoever took a return may not approve its refund).
    """
    if Role(role) is Role.CLERK:
        return applied_limit(role, own_limit, rules)
    return AppliedLimit(rules.auto_approve_limit, own_limit, AUTOMATIC)


def grade_reason_mismatch(
    vendor_fault: bool, grade: Grade | str, *, defect_claimed: bool | None = None
) -> bool:
    """True when the inspected grade contradicts the return reason.

    The rule: a claimed defect or transit damage (``defect_claimed``, by default the same as
    ``vendor_fault``) on a unit graded A or B — the inspector found it whole and working — is a
    mismatch; so is a customer reason (changed mind, did not fit) on a unit graded D, defective or
    unusable — either an unreported defect or damage by the customer, which a supervisor must
    judge. A vendor fault that claims no defect (wrong item shipped) fits any grade; pass
    ``defect_claimed=False`` for it.
    """
    g = Grade(grade)
    claims_defect = vendor_fault if defect_claimed is None else defect_claimed
    if claims_defect:
        return g in (Grade.A, Grade.B)
    if not vendor_fault:
        return g is Grade.D
    return False


def _a(role: Role) -> str:
    """"A clerk", "An inspector"... as a message."""
    return msg(A_ROLE[role])


def _ids(value: object) -> frozenset[object]:
    if value is None:
        return frozenset()
    if isinstance(value, Collection) and not isinstance(value, str | bytes):
        return frozenset(v for v in value if v is not None)
    return frozenset({value})


def check_approver(
    *,
    approver_id: object,
    approver_role: Role | str,
    approver_limit: int | None,
    level_required: ApprovalLevel | str,
    amount: int,
    created_by: object,
    inspected_by: object,
    currency: str = "CNY",
) -> None:
    """Raise unless this person may approve this refund; return None when they may.

    Checked in this order: segregation of duties (``created_by`` and ``inspected_by`` — one id or
    a collection of ids — cannot approve), the role's approval level, then ``approver_limit``
    (minor units; ``None`` means no limit). An ``AUTO`` routing needs no approver and so no check.
    """
    level = ApprovalLevel(level_required)
    role = Role(approver_role)
    if approver_id is not None and approver_id in _ids(created_by):
        raise SegregationOfDuties(
            msg("You created this return, so you cannot approve its refund; someone else must approve it.")
        )
    if approver_id is not None and approver_id in _ids(inspected_by):
        raise SegregationOfDuties(
            msg("You inspected this return, so you cannot approve its refund; someone else must approve it.")
        )
    own_level = ROLE_APPROVAL_LEVEL.get(role)
    if own_level is None:
        who = msg(_LEVEL_WHO[level] if level is not ApprovalLevel.AUTO else _LEVEL_WHO[ApprovalLevel.SUPERVISOR])
        raise PermissionDenied(msg("{a} cannot approve refunds; {who} must approve.", a=_a(role), who=who))
    if _LEVEL_RANK[own_level] < _LEVEL_RANK[level]:
        raise PermissionDenied(
            msg(
                "This refund needs {level_who}'s approval; {a} cannot approve it.",
                level_who=msg(_LEVEL_WHO[level]), a=lower_first(_a(role)))
        )
    if approver_limit is not None and amount > approver_limit:
        next_level = {
            ApprovalLevel.AUTO: msg("a supervisor"),
            ApprovalLevel.SUPERVISOR: msg("a manager"),
            ApprovalLevel.MANAGER: msg("a manager with a higher limit"),
        }[own_level]
        raise LimitExceeded(
            msg(
                "{amount} is above your approval limit of {approver_limit}; {next_level} must approve.",
                amount=format_money(amount, currency), approver_limit=format_money(approver_limit, currency),
                next_level=next_level)
        )


def is_frequent_returner(returns_in_window: int, rules: PolicyRules) -> bool:
    """True when the customer's returns in the last ``rules.frequent_returner_days`` days
    (counting the one being routed) reach ``rules.frequent_returner_count``."""
    return returns_in_window >= rules.frequent_returner_count


def frequent_returner_since(today: date, rules: PolicyRules) -> date:
    """First day of the window in which returns are counted for :func:`is_frequent_returner`."""
    return today - timedelta(days=rules.frequent_returner_days)
