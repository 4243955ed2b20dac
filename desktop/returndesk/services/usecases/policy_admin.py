"""Administering the return policy and the return reasons.

The policy is versioned: publishing writes a new version and never changes an old one, because every
return keeps the id of the version it was judged by (``returns.policy_id``) and must be explainable
by it later. New returns are judged by the newest active version. Reasons are reference data that
returns point at, so they are retired (deactivated), never deleted.

Every change is audited with the values before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from returndesk.domain.errors import ConcurrentChange, NotFound, ValidationFailed
from returndesk.domain.permissions import Permission
from returndesk.domain.policy import PolicyRules, RuleChange, diff_rules
from returndesk.domain.types import Resolution
from returndesk.store.schema import Category, PolicyDraft, ReturnPolicy, ReturnReason

from returndesk.services.tx import audit, refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases.sales import (
    PolicyView,
    ReasonView,
    load_active_policy,
    load_policy,
    policy_view,
    reason_view,
)
from returndesk.services.usecases.sites import zone_for_site
from returndesk.domain.messages import Names, join, msg

_REASON_CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")
_NAME_LIMIT = 80


# --------------------------------------------------------------------------- policy


def get_policy(ctx: ServiceContext) -> PolicyView:
    """The policy version in force (the newest active one)."""
    with ctx.db.read() as s:
        return load_active_policy(s, ctx.now())


def get_policy_version(ctx: ServiceContext, policy_id: int) -> PolicyView:
    """One policy version by id, e.g. the one a return was judged by."""
    with ctx.db.read() as s:
        return load_policy(s, policy_id)


def list_policy_versions(
    ctx: ServiceContext, actor: Actor, *, limit: int = 50, before_version: int | None = None
) -> list[PolicyView]:
    """Policy versions, newest first; page on with ``before_version`` = the last version shown."""
    actor.require(Permission.ADMIN_POLICY)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationFailed(msg("The number of versions to list must be at least 1, not {limit!r}.", limit=limit))
    with ctx.read(actor) as s:
        stmt = select(ReturnPolicy).order_by(ReturnPolicy.version.desc()).limit(min(limit, 500))
        if before_version is not None:
            stmt = stmt.where(ReturnPolicy.version < before_version)
        return [policy_view(s, row) for row in s.execute(stmt).scalars()]


def _unknown_categories(known: set[str], names: Iterable[str]) -> list[str]:
    folded = {k.casefold() for k in known}
    return sorted({n for n in names if n.casefold() not in folded})


def _effective_from(session: Session, ctx: ServiceContext, effective_on: date | None) -> datetime:
    """The moment a version published now for ``effective_on`` takes effect: now for today (or
    None), the start of that day in the installation's zone for a later day."""
    now = ctx.now()
    if effective_on is None:
        return now
    if not isinstance(effective_on, date) or isinstance(effective_on, datetime):
        raise ValidationFailed(msg(
            "The effective date must be a day, not {effective_on!r}.",
            effective_on=effective_on))
    tz = zone_for_site(session, None)
    today = now.astimezone(tz).date()
    if effective_on < today:
        raise ValidationFailed(
            msg(
                "A policy cannot take effect in the past ({effective_on:%Y-%m-%d}): returns already taken keep the "
                "version they were judged by. Choose today ({today:%Y-%m-%d}) or a later day.",
                effective_on=effective_on, today=today)
        )
    if effective_on == today:
        return now
    return datetime.combine(effective_on, time(0), tzinfo=tz).astimezone(UTC)


def publish_policy(ctx: ServiceContext, actor: Actor, rules: PolicyRules, name: str,
                   effective_on: date | None = None, *, draft_id: int | None = None,
                   draft_version: int | None = None) -> PolicyView:
    """Publish ``rules`` as the next policy version; it judges every return created from the day
    ``effective_on`` (today when None: from now on).

    The previous versions stay as they are for the returns judged by them. Categories named in
    the rules must exist (a misspelt category would silently never apply).
    """
    actor.require(Permission.ADMIN_POLICY)
    problems: list[str] = []
    if not isinstance(rules, PolicyRules):
        raise ValidationFailed(msg("The policy to publish must be a PolicyRules value."))
    title = (name or "").strip()
    if not title:
        problems.append(msg("Give the policy version a name, e.g. 'Holiday season 2026'."))
    elif len(title) > _NAME_LIMIT:
        problems.append(msg(
            "The policy name is {title_count} characters long; keep it to {name_limit}.",
            title_count=len(title), name_limit=_NAME_LIMIT))
    try:
        with guarded_write(ctx, msg("the return policy"), actor) as s:
            known = set(s.execute(select(Category.code)).scalars())
            for setting, names in (
                ("category_windows", rules.category_windows.keys()),
                ("non_returnable_categories", rules.non_returnable_categories),
            ):
                unknown = _unknown_categories(known, names)
                if unknown:
                    problems.append(
                        msg(
                            "Return policy setting '{setting}' names {unknown}, which is not a category; the "
                            "categories are {known}." if len(unknown) == 1 else
                            "Return policy setting '{setting}' names {unknown}, which are not categories; the "
                            "categories are {known}.",
                            setting=setting, unknown=', '.join(unknown), known=', '.join(sorted(known)))
                    )
            if problems:
                raise ValidationFailed(
                    problems[0] if len(problems) == 1 else
                    msg("The policy was not published:\n{listed}", listed=_listed(problems)),
                    problems,
                )
            previous = s.execute(
                select(ReturnPolicy)
                .where(ReturnPolicy.active.is_(True))
                .order_by(ReturnPolicy.version.desc())
                .limit(1)
                .with_for_update()
            ).scalar_one_or_none()
            top = s.execute(select(func.max(ReturnPolicy.version))).scalar_one()
            now = ctx.now()
            row = ReturnPolicy(
                version=(top or 0) + 1,
                name=title,
                rules_json=rules.to_json(),
                effective_from=_effective_from(s, ctx, effective_on),
                created_by=actor.user_id,
                created_at=now,
                active=True,
            )
            s.add(row)
            s.flush()
            audit.record(
                s, ctx, actor, "policy", row.version, "publish",
                {"version": previous.version, "name": previous.name,
                 "rules": PolicyRules.from_json(previous.rules_json).to_dict()} if previous else None,
                {"version": row.version, "name": row.name, "rules": rules.to_dict(),
                 "effective_from": row.effective_from.isoformat()},
            )
            if draft_id is not None:
                # Published from the draft as it was read (``draft_version``): a save by another
                # administrator since then would be lost with the draft, so nothing is published.
                draft = s.execute(select(PolicyDraft).where(PolicyDraft.id == draft_id).with_for_update()
                                  .execution_options(populate_existing=True)).scalar_one_or_none()
                if draft is None:
                    raise ConcurrentChange(msg(
                        "The policy draft was discarded by another administrator since you opened it; nothing was "
                        "published."))
                if draft_version is not None and draft.version != draft_version:
                    raise ConcurrentChange(_DRAFT_CHANGED)
                s.delete(draft)
            view = policy_view(s, row)
    except IntegrityError as exc:
        # Two administrators published at the same moment and drew the same version number.
        raise ConcurrentChange(
            msg(
                "Another administrator published a policy version at the same moment; nothing was saved. Reload the "
                "policy and publish again.")
        ) from exc
    ctx.changed("policy", view.id)
    return view


def withdraw_policy_version(ctx: ServiceContext, actor: Actor, version: int) -> PolicyView:
    """Take back a version published for a later day before it takes effect (no return was judged
    by it yet); a version in effect, or one that was, stays."""
    actor.require(Permission.ADMIN_POLICY)
    with guarded_write(ctx, msg("policy version {version}", version=version), actor) as s:
        row = s.execute(
            select(ReturnPolicy).where(ReturnPolicy.version == version).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(msg("There is no policy version {version}.", version=version))
        starts = row.effective_from if row.effective_from.tzinfo else row.effective_from.replace(tzinfo=UTC)
        if not row.active or starts <= ctx.now():
            raise ValidationFailed(
                msg(
                    "Policy version {version} is in effect or was: returns may be judged by it, so it stays. Publish "
                    "a new version instead.",
                    version=version)
            )
        row.active = False
        s.flush()
        audit.record(s, ctx, actor, "policy", row.version, "withdraw", {"active": True}, {"active": False})
        view = policy_view(s, row)
    ctx.changed("policy", view.id)
    return view


# --------------------------------------------------------------------------- drafts


@dataclass(frozen=True)
class PolicyDraftView:
    """The policy being prepared: its rules, what it was started from, who changed it last."""

    id: int
    name: str
    rules: PolicyRules
    base_version: int | None
    updated_by: str | None
    updated_at: datetime
    version: int


def _draft_view(session: Session, row: PolicyDraft) -> PolicyDraftView:
    return PolicyDraftView(row.id, row.name, PolicyRules.from_json(row.rules_json), row.base_version,
                           refcache.display_name(session, row.updated_by), row.updated_at, row.version)


_DRAFT_CHANGED = msg(
    "The policy draft was saved by another administrator since you opened it; nothing was published. "
    "Reload the draft and look at it again.")


def _the_draft(session: Session, *, lock: bool = False) -> PolicyDraft | None:
    stmt = select(PolicyDraft).order_by(PolicyDraft.id).limit(1)
    if lock:
        # The policy in force is locked first, as a publication locks it before the draft: two
        # administrators saving the first draft at once make one draft, not two.
        session.execute(select(ReturnPolicy.id).where(ReturnPolicy.active.is_(True))
                        .order_by(ReturnPolicy.version.desc()).limit(1).with_for_update(key_share=True))
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def get_policy_draft(ctx: ServiceContext, actor: Actor) -> PolicyDraftView | None:
    """The draft of the next policy version, None when nobody is preparing one."""
    actor.require(Permission.ADMIN_POLICY)
    with ctx.read(actor) as s:
        row = _the_draft(s)
        return _draft_view(s, row) if row is not None else None


def save_policy_draft(ctx: ServiceContext, actor: Actor, rules: PolicyRules, name: str, *,
                      expected_version: int | None = None) -> PolicyDraftView:
    """Keep ``rules`` as the draft of the next version (created on the first save, from the
    version in force). ``expected_version`` is the draft's version the user edited: if another
    administrator saved it since, ``ConcurrentChange`` is raised and nothing is saved."""
    actor.require(Permission.ADMIN_POLICY)
    if not isinstance(rules, PolicyRules):
        raise ValidationFailed(msg("The draft to save must be a PolicyRules value."))
    title = (name or "").strip()
    if not title:
        raise ValidationFailed(msg("Give the draft a name, e.g. 'Holiday season 2026'."))
    if len(title) > _NAME_LIMIT:
        raise ValidationFailed(msg(
            "The policy name is {title_count} characters long; keep it to {name_limit}.",
            title_count=len(title), name_limit=_NAME_LIMIT))
    with guarded_write(ctx, msg("the policy draft"), actor) as s:
        row = _the_draft(s, lock=True)
        now = ctx.now()
        if row is None:
            base = load_active_policy(s, now)
            row = PolicyDraft(name=title, rules_json=rules.to_json(), base_version=base.version,
                              created_by=actor.user_id, created_at=now, updated_by=actor.user_id, updated_at=now)
            s.add(row)
            action = "created"
        else:
            if expected_version is not None and row.version != expected_version:
                who = refcache.display_name(s, row.updated_by) or msg("another administrator")
                raise ConcurrentChange(
                    msg(
                        "{who} saved the policy draft at {updated_at:%Y-%m-%d %H:%M} UTC since you opened it; "
                        "nothing was saved. Reload the draft and make your changes again.",
                        who=who, updated_at=row.updated_at)
                )
            row.name = title
            row.rules_json = rules.to_json()
            row.updated_by = actor.user_id
            row.updated_at = now
            action = "saved"
        s.flush()
        audit.record(s, ctx, actor, "policy_draft", row.id, action, None,
                     {"name": title, "rules": rules.to_dict()})
        view = _draft_view(s, row)
    ctx.changed("policy", 0)
    return view


def discard_policy_draft(ctx: ServiceContext, actor: Actor) -> None:
    """Throw the draft away (the published versions are not touched)."""
    actor.require(Permission.ADMIN_POLICY)
    with guarded_write(ctx, msg("the policy draft"), actor) as s:
        row = _the_draft(s, lock=True)
        if row is None:
            raise NotFound(msg("There is no policy draft to discard."))
        audit.record(s, ctx, actor, "policy_draft", row.id, "discarded", {"name": row.name}, None)
        s.delete(row)
    ctx.changed("policy", 0)


def policy_draft_changes(ctx: ServiceContext, actor: Actor) -> tuple[RuleChange, ...]:
    """What the draft changes against the version in force, setting by setting."""
    actor.require(Permission.ADMIN_POLICY)
    with ctx.read(actor) as s:
        row = _the_draft(s)
        if row is None:
            raise NotFound(msg("There is no policy draft; start one from the version in force."))
        return diff_rules(load_active_policy(s, ctx.now()).rules, PolicyRules.from_json(row.rules_json))


def publish_policy_draft(ctx: ServiceContext, actor: Actor, effective_on: date | None = None, *,
                         expected_version: int | None = None) -> PolicyView:
    """Publish the draft as the next version from ``effective_on`` (today when None); the draft is
    gone afterwards."""
    actor.require(Permission.ADMIN_POLICY)
    with ctx.read(actor) as s:
        row = _the_draft(s)
        if row is None:
            raise NotFound(msg("There is no policy draft to publish."))
        if expected_version is not None and row.version != expected_version:
            raise ConcurrentChange(_DRAFT_CHANGED)
        rules, name, draft_id, version = PolicyRules.from_json(row.rules_json), row.name, row.id, row.version
    return publish_policy(ctx, actor, rules, name, effective_on, draft_id=draft_id, draft_version=version)


# --------------------------------------------------------------------------- reasons


def _resolutions(value: Iterable[Resolution | str], problems: list[str]) -> tuple[Resolution, ...]:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    chosen: list[Resolution] = []
    for item in value:
        try:
            chosen.append(Resolution(str(item).strip()))
        except ValueError:
            problems.append(msg("'{item}' is not a resolution; use refund and/or exchange.", item=item))
    if not chosen and not problems:
        problems.append(msg("A reason must allow at least one resolution: refund or exchange."))
    return tuple(r for r in Resolution if r in chosen)


def _check_name(label: str, value: str | None, problems: list[str]) -> str:
    text = (value or "").strip()
    if not text:
        problems.append(msg("The {label} name of the reason is empty; write it.", label=label))
    elif len(text) > _NAME_LIMIT:
        problems.append(msg(
            "The {label} name is {text_count} characters long; keep it to {name_limit}.",
            label=label, text_count=len(text), name_limit=_NAME_LIMIT))
    return text


def _listed(problems: list[str]) -> str:
    """The problems one a line, each after a bullet."""
    return join([msg("• {problem}", problem=p) for p in problems], "\n")


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationFailed(
            problems[0] if len(problems) == 1 else
            msg("The reason was not saved:\n{listed}", listed=_listed(problems)),
            problems,
        )


def _snapshot(row: ReturnReason) -> dict[str, object]:
    return {
        "name_en": row.name_en,
        "name_zh": row.name_zh,
        "vendor_fault": bool(row.vendor_fault),
        "allowed_resolutions": row.allowed_resolutions,
        "active": bool(row.active),
        "sort_order": row.sort_order,
    }


def _reason_for_update(s: Session, code: str) -> ReturnReason:
    row = s.execute(
        select(ReturnReason).where(ReturnReason.code == code).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(msg("There is no return reason '{code}'.", code=code))
    return row


def _others_in_use(s: Session, code: str) -> int:
    """How many reasons but ``code`` are in use, with those and ``code`` locked in code order:
    two administrators retiring the last two reasons at once cannot both count the other's."""
    rows = s.execute(
        select(ReturnReason.code, ReturnReason.active)
        .where(or_(ReturnReason.active.is_(True), ReturnReason.code == code))
        .order_by(ReturnReason.code).with_for_update(key_share=True)  # a new return line's key check passes
    ).all()
    return sum(1 for other, active in rows if active and other != code)


def add_reason(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    name_en: str,
    name_zh: str,
    *,
    vendor_fault: bool,
    allowed_resolutions: Iterable[Resolution | str] = (Resolution.REFUND, Resolution.EXCHANGE),
    sort_order: int | None = None,
) -> ReasonView:
    """Add a return reason. ``vendor_fault`` reasons (defects, wrong items, transit damage) get
    the longer window and a full refund; ``code`` is lower case letters, digits and _."""
    actor.require(Permission.ADMIN_POLICY)
    problems: list[str] = []
    code = (code or "").strip()
    if not _REASON_CODE.fullmatch(code):
        problems.append(
            msg(
                "'{code}' cannot be a reason code: use 2 to 32 lower case letters, digits or _, starting with a "
                "letter (e.g. arrived_late).",
                code=code)
        )
    en = _check_name("English", name_en, problems)
    zh = _check_name("Chinese", name_zh, problems)
    allowed = _resolutions(allowed_resolutions, problems)
    if not isinstance(vendor_fault, bool):
        problems.append(msg("Say whether the reason is the vendor's fault (true or false)."))
    if sort_order is not None and (isinstance(sort_order, bool) or not isinstance(sort_order, int)):
        problems.append(msg("The sort order must be a whole number, not {sort_order!r}.", sort_order=sort_order))
    _refuse(problems)
    try:
        with guarded_write(ctx, msg("return reason {code}", code=code), actor) as s:
            if s.get(ReturnReason, code) is not None:
                _refuse([msg("A return reason '{code}' exists already; change it instead.", code=code)])
            if sort_order is None:
                top = s.execute(select(func.max(ReturnReason.sort_order))).scalar_one()
                sort_order = (top or 0) + 10
            row = ReturnReason(
                code=code, name_en=en, name_zh=zh, vendor_fault=vendor_fault,
                allowed_resolutions=",".join(r.value for r in allowed), active=True,
                sort_order=sort_order,
            )
            s.add(row)
            s.flush()
            audit.record(s, ctx, actor, "reason", code, "add", None, _snapshot(row))
            view = reason_view(row)
    except IntegrityError as exc:
        raise ValidationFailed(
            msg("A return reason '{code}' was added by someone else just now; change it instead.", code=code)
        ) from exc
    ctx.changed("reason", 0)
    return view


def update_reason(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    *,
    name_en: str | None = None,
    name_zh: str | None = None,
    vendor_fault: bool | None = None,
    allowed_resolutions: Iterable[Resolution | str] | None = None,
    sort_order: int | None = None,
    active: bool | None = None,
) -> ReasonView:
    """Change what is given of a reason (None leaves a field as it is).

    Open returns read the reason when they are refunded, so changing ``vendor_fault`` changes how
    their refunds are computed; the audit keeps the old value.
    """
    actor.require(Permission.ADMIN_POLICY)
    problems: list[str] = []
    en = _check_name("English", name_en, problems) if name_en is not None else None
    zh = _check_name("Chinese", name_zh, problems) if name_zh is not None else None
    allowed = _resolutions(allowed_resolutions, problems) if allowed_resolutions is not None else None
    if vendor_fault is not None and not isinstance(vendor_fault, bool):
        problems.append(msg("Say whether the reason is the vendor's fault (true or false)."))
    if active is not None and not isinstance(active, bool):
        problems.append(msg("Say whether the reason is in use (true or false)."))
    if sort_order is not None and (isinstance(sort_order, bool) or not isinstance(sort_order, int)):
        problems.append(msg("The sort order must be a whole number, not {sort_order!r}.", sort_order=sort_order))
    _refuse(problems)
    with guarded_write(ctx, msg("return reason {code}", code=code), actor) as s:
        others_in_use = _others_in_use(s, code) if active is False else None
        row = _reason_for_update(s, code)
        before = _snapshot(row)
        if en is not None:
            row.name_en = en
        if zh is not None:
            row.name_zh = zh
        if vendor_fault is not None:
            row.vendor_fault = vendor_fault
        if allowed is not None:
            row.allowed_resolutions = ",".join(r.value for r in allowed)
        if sort_order is not None:
            row.sort_order = sort_order
        if active is False and row.active:
            if others_in_use == 0:
                _refuse([msg("'{name}' is the last reason in use; add another before retiring it.",
                             name=Names(row.name_en, zh=row.name_zh))])
        if active is not None:
            row.active = active
        after = _snapshot(row)
        if after != before:
            s.flush()
            audit.record(
                s, ctx, actor, "reason", code, "update",
                {k: v for k, v in before.items() if after[k] != v},
                {k: v for k, v in after.items() if before[k] != v},
            )
        view = reason_view(row)
    ctx.changed("reason", 0)
    return view


def deactivate_reason(ctx: ServiceContext, actor: Actor, code: str) -> ReasonView:
    """Retire a reason: the counter no longer offers it; returns that use it keep it."""
    actor.require(Permission.ADMIN_POLICY)
    with guarded_write(ctx, msg("return reason {code}", code=code), actor) as s:
        others_in_use = _others_in_use(s, code)
        row = _reason_for_update(s, code)
        if row.active:
            if others_in_use == 0:
                _refuse([msg("'{name}' is the last reason in use; add another before retiring it.",
                             name=Names(row.name_en, zh=row.name_zh))])
            row.active = False
            s.flush()
            audit.record(s, ctx, actor, "reason", code, "deactivate", {"active": True}, {"active": False})
        view = reason_view(row)
    ctx.changed("reason", 0)
    return view
