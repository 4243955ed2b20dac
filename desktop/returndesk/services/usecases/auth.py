"""Signing in and user administration. Passwords are stored only as argon2id hashes."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from returndesk.domain.approval import AppliedLimit, applied_limit
from returndesk.domain.codes import clean_text, shown
from returndesk.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    SegregationOfDuties,
    ValidationFailed,
)
from returndesk.domain.permissions import Permission, can
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import Role
from returndesk.store.schema import User

from returndesk.services.tx import audit, refcache
from returndesk.services.tx.context import Actor, ServiceContext, verify_actor
from returndesk.domain.messages import join, msg

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
#: Longest password hashed at sign-in; a megabyte pasted into the field is refused before argon2.
MAX_PASSWORD_LENGTH = 1024
USERNAME_LENGTH = 40

#: Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane): about 30 ms of one core, so a
#: server signs a shift of stations in within seconds while an offline guess stays expensive. Each
#: stored hash carries its own parameters: an older hash (argon2-cffi's 64 MiB default) still
#: verifies with the parameters written in it and is rehashed at these on the next sign-in.
PASSWORD_TIME_COST = 2
PASSWORD_MEMORY_KIB = 19 * 1024
PASSWORD_PARALLELISM = 1

_hasher = PasswordHasher(time_cost=PASSWORD_TIME_COST, memory_cost=PASSWORD_MEMORY_KIB,
                         parallelism=PASSWORD_PARALLELISM)


def set_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use cheaper parameters; production keeps the parameters above)."""
    global _hasher
    _hasher = hasher


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def _username(text: str) -> str:
    """A user name as typed, for a lookup: NFKC, trimmed; ValidationFailed for what no one types."""
    return clean_text(text, what=msg("The user name"), max_length=USERNAME_LENGTH)


def _locked_user(session: Session, username: str) -> User | None:
    """The user row, locked for the rest of the transaction and re-read: sign-ins, unlocks and
    password changes of one account then happen one after another, each on what the one before
    committed (the failure count above all)."""
    return session.execute(
        select(User).where(User.username == username).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def hash_password(password: str) -> str:
    return _hasher.hash(_normalise(password))


def _aware(dt: datetime | None, like: datetime) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None and like.tzinfo is not None:
        return dt.replace(tzinfo=like.tzinfo)
    return dt


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    approval_limit_minor: int  # the user's own limit
    active: bool
    locked: bool
    #: The limit that applies under the active policy (the own limit, or a policy limit below it).
    applied_limit: AppliedLimit | None = None


def _view(u: User, now: datetime, rules: PolicyRules | None = None) -> UserView:
    locked_until = _aware(u.locked_until, now)
    applied = applied_limit(u.role, u.approval_limit_minor, rules) if rules is not None else None
    return UserView(u.id, u.username, u.display_name, u.role, u.approval_limit_minor, u.active,
                    bool(locked_until and locked_until > now), applied)


def _active_rules(session: Session) -> PolicyRules | None:
    """The rules the approval limits are applied under; None before any policy is in force."""
    from returndesk.services.usecases.sales import (
        load_active_policy,
    )  # sales imports this module's neighbours; import late

    try:
        return load_active_policy(session).rules
    except NotFound:
        return None


def sign_in(ctx: ServiceContext, username: str, password: str, station: str | None = None) -> Actor:
    """Check the password; lock the account after repeated failures. Returns the acting user."""
    wrong = AuthenticationFailed(msg("Wrong user name or password. Check both and try again."))
    try:
        username = _username(username)
    except ValidationFailed:
        raise wrong from None
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        raise wrong
    now = ctx.now()
    with ctx.db.write() as s:
        # Parallel attempts count one after another, so the lockout holds however many arrive.
        user = _locked_user(s, username)
        if user is None or not user.active:
            # Same message as a wrong password: do not reveal which user names exist.
            raise wrong
        error = _check_password(s, ctx, user, password, now)
        if error is None:
            actor = Actor(user.id, user.username, user.display_name, Role(user.role),
                          user.approval_limit_minor, station or ctx.station)
            audit.record(s, ctx, actor, "user", user.username, "signed_in")
    if error is not None:
        raise error
    return actor


def _locked_error(user: User, now: datetime) -> AccountLocked | None:
    locked_until = _aware(user.locked_until, now)
    if locked_until and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        return AccountLocked(
            msg(
                "The account {username} is locked after {max_failed_attempts} failed sign-ins. Try again in "
                "{minutes} minutes or ask an administrator to unlock it.",
                username=user.username, max_failed_attempts=MAX_FAILED_ATTEMPTS, minutes=minutes)
        )
    return None


def _check_password(
    s: Session, ctx: ServiceContext, user: User, password: str, now: datetime
) -> Exception | None:
    """Check ``password`` of the locked ``user`` row: None when right (failures reset), else the
    error to raise once the transaction committed the failure count (and the lock after
    :data:`MAX_FAILED_ATTEMPTS` wrong ones)."""
    locked = _locked_error(user, now)
    if locked is not None:
        return locked
    try:
        _hasher.verify(user.password_hash, _normalise(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = now + LOCKOUT
            user.failed_attempts = 0
            audit.record(s, ctx, None, "user", user.username, "locked",
                         None, {"until": (now + LOCKOUT).isoformat()})
            return AccountLocked(
                msg(
                    "The account {username} is now locked for {total_seconds} minutes after too many failed "
                    "sign-ins. Ask an administrator to unlock it.",
                    username=user.username, total_seconds=int(LOCKOUT.total_seconds() // 60))
            )
        left = MAX_FAILED_ATTEMPTS - user.failed_attempts
        return AuthenticationFailed(
            msg("Wrong user name or password. {left} attempts left before the account is locked.", left=left)
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    return None


# --------------------------------------------------------------------------- signing off on another's screen


#: Fewest characters of a badge code.
MIN_BADGE_LENGTH = 6


def badge_hash(code: str) -> str:
    """The stored form of a badge code: SHA-256 of its normal form (upper case, NFKC, trimmed)."""
    text = clean_text(code, what=msg("The badge code"), max_length=80).upper()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignOff:
    """A supervisor's credentials given on a clerk's screen: user name and password, or a badge
    scan (``badge``)."""

    username: str | None = None
    password: str | None = None
    badge: str | None = None


def verify_sign_off(ctx: ServiceContext, actor: Actor, sign_off: SignOff) -> Actor:
    """The supervisor who signs off on ``actor``'s screen, by their password or badge.

    A wrong password counts toward the supervisor's lockout exactly as a wrong sign-in does (and is
    committed even though the sign-off is refused). Refused too: the signed-in user signing off
    their own work, and a person whose role does not approve refunds. Nobody is signed in or out.
    """
    now = ctx.now()
    badge = (sign_off.badge or "").strip()
    if badge:
        try:
            wanted = badge_hash(badge)
        except ValidationFailed:
            raise AuthenticationFailed(msg(
                "This badge is not known. Scan it again, or type the user name and password.")) from None
        with ctx.write(actor) as s:
            user = s.execute(
                select(User).where(User.badge_hash == wanted).with_for_update()
                .execution_options(populate_existing=True)
            ).scalar_one_or_none()
            if user is None or not user.active:
                raise AuthenticationFailed(msg(
                    "This badge is not known. Scan it again, or type the user name and password."))
            error: Exception | None = _locked_error(user, now)
            found = _sign_off_actor(user, actor)
    else:
        wrong = AuthenticationFailed(msg("Wrong user name or password for the sign-off. Check both and try again."))
        try:
            username = _username(sign_off.username or "")
        except ValidationFailed:
            raise wrong from None
        password = sign_off.password
        if not username or not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_LENGTH:
            raise AuthenticationFailed(msg("Type the supervisor's user name and password, or scan their badge."))
        with ctx.write(actor) as s:
            user = _locked_user(s, username)
            if user is None or not user.active:
                raise wrong
            error = _check_password(s, ctx, user, password, now)
            found = _sign_off_actor(user, actor)
    if error is not None:
        raise error
    if found.user_id == actor.user_id:
        raise SegregationOfDuties(
            msg("You cannot sign off your own return; a second person, a supervisor, must sign off.")
        )
    if not can(found.role, Permission.APPROVE_REFUND) or found.role is Role.CLERK:
        raise PermissionDenied(
            msg(
                "{display_name} ({role}) cannot sign off returns; a supervisor or a manager must.",
                display_name=found.display_name, role=found.role)
        )
    return found


def _sign_off_actor(user: User, actor: Actor) -> Actor:
    return Actor(user.id, user.username, user.display_name, Role(user.role), user.approval_limit_minor,
                 actor.station)


def set_badge(ctx: ServiceContext, actor: Actor | None, username: str, code: str | None) -> UserView:
    """Give a user a badge to sign off with (``code`` None or empty: take the badge away). Only its
    hash is kept; one badge belongs to one user."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    username = _username(username)
    text = (code or "").strip()
    if text and len(clean_text(text, what=msg("The badge code"), max_length=80)) < MIN_BADGE_LENGTH:
        raise ValidationFailed(msg(
            "A badge code has at least {min_badge_length} characters; scan the badge.",
            min_badge_length=MIN_BADGE_LENGTH))
    hashed = badge_hash(text) if text else None
    now = ctx.now()
    with ctx.write(actor) as s:
        user = _locked_user(s, username)
        if user is None:
            raise NotFound(msg("There is no user named {username}.", username=shown(username)))
        if hashed is not None:
            other = s.execute(select(User.username).where(User.badge_hash == hashed, User.id != user.id)).scalar()
            if other is not None:
                raise ValidationFailed(msg(
                    "This badge belongs to {other} already; each badge is one person's.",
                    other=other))
        before = user.badge_hash is not None
        user.badge_hash = hashed
        audit.record(s, ctx, actor, "user", username, "badge_set" if hashed else "badge_removed",
                     {"has_badge": before}, {"has_badge": hashed is not None})
        return _view(user, now, _active_rules(s))


def add_user(ctx: ServiceContext, actor: Actor | None, *, username: str, display_name: str,
             role: Role | str, password: str, approval_limit_minor: int = 0) -> UserView:
    """Create a user. ``actor`` None is the command line run by the machine's administrator."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    problems = []
    username = username.strip()
    if not username or len(username) > 40 or not all(c.isalnum() or c in "._-" for c in username):
        problems.append(msg("User names are 1-40 letters, digits, dots, dashes or underscores."))
    try:
        role = Role(role)
    except ValueError:
        problems.append(msg(
            "'{role}' is not a role; use one of: {value}.",
            role=role, value=', '.join(r.value for r in Role)))
    if len(_normalise(password)) < MIN_PASSWORD_LENGTH:
        problems.append(msg(
            "The password must have at least {min_password_length} characters.",
            min_password_length=MIN_PASSWORD_LENGTH))
    if approval_limit_minor < 0:
        problems.append(msg("The approval limit cannot be negative."))
    if problems:
        raise ValidationFailed(msg("The user was not created: {problems}", problems=join(problems)), problems)
    now = ctx.now()
    with ctx.write(actor) as s:
        if s.execute(select(User.id).where(User.username == username)).first():
            raise ValidationFailed(msg(
                "A user named {username} exists already; choose another name.",
                username=username))
        user = User(username=username, display_name=display_name.strip() or username, role=str(role),
                    password_hash=hash_password(password), approval_limit_minor=approval_limit_minor,
                    created_at=now, active=True, failed_attempts=0)
        s.add(user)
        s.flush()
        audit.record(s, ctx, actor, "user", username, "created", None,
                     {"role": str(role), "approval_limit_minor": approval_limit_minor})
        return _view(user, now, _active_rules(s))


def unlock_user(ctx: ServiceContext, actor: Actor | None, username: str) -> UserView:
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    username = _username(username)
    now = ctx.now()
    with ctx.write(actor) as s:
        user = _locked_user(s, username)
        if user is None:
            raise NotFound(msg("There is no user named {username}.", username=shown(username)))
        user.locked_until = None
        user.failed_attempts = 0
        audit.record(s, ctx, actor, "user", username, "unlocked")
        return _view(user, now)


def change_user(ctx: ServiceContext, actor: Actor | None, username: str, *, role: Role | str | None = None,
                active: bool | None = None, approval_limit_minor: int | None = None,
                display_name: str | None = None) -> UserView:
    """Give a user another role, approval limit or display name, or disable or enable the account.

    Takes effect at the user's next action, wherever the user is signed in: every use case
    re-reads its actor inside its transaction (``context.verify_actor``). ``None`` leaves a value
    as it is.
    """
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    username = _username(username)
    if role is not None:
        try:
            role = Role(role)
        except ValueError:
            raise ValidationFailed(
                msg(
                    "'{role}' is not a role; use one of: {value}.",
                    role=shown(role), value=', '.join(r.value for r in Role))
            ) from None
    if approval_limit_minor is not None and (
            isinstance(approval_limit_minor, bool) or not isinstance(approval_limit_minor, int)):
        raise ValidationFailed(msg(
            "The approval limit must be an amount, not {approval_limit_minor!r}.",
            approval_limit_minor=approval_limit_minor))
    if approval_limit_minor is not None and approval_limit_minor < 0:
        raise ValidationFailed(msg("The approval limit cannot be negative."))
    if display_name is not None:
        display_name = clean_text(display_name, what=msg("The display name"), max_length=80)
        if not display_name:
            raise ValidationFailed(msg("The display name is empty; write the name colleagues know the user by."))
    if actor is not None and actor.username == username and active is False:
        raise ValidationFailed(msg("You cannot disable your own account; ask another administrator."))
    if actor is not None and actor.username == username and role is not None and role is not Role.ADMIN:
        raise ValidationFailed(msg(
            "You cannot take the administrator role from yourself; ask another administrator."))
    now = ctx.now()
    with ctx.write(actor) as s:
        if actor is not None and (active is False or role is not None):
            # The acting administrator's row and the changed user's, locked in id order, then the
            # administrator checked again: two administrators disabling (or demoting) each other at
            # the same moment cannot both succeed and leave nobody to administer.
            s.execute(select(User.id).where(or_(User.id == actor.user_id, User.username == username))
                      .order_by(User.id).with_for_update(key_share=True))
            verify_actor(s, actor)
        user = _locked_user(s, username)
        if user is None:
            raise NotFound(msg("There is no user named {username}.", username=shown(username)))
        before = {"role": user.role, "active": user.active, "approval_limit_minor": user.approval_limit_minor,
                  "display_name": user.display_name}
        if display_name is not None and display_name != user.display_name:
            user.display_name = display_name
            refcache.forget_user_names(s, user.id)
        if role is not None:
            user.role = str(role)
        if active is not None:
            user.active = active
        if approval_limit_minor is not None:
            user.approval_limit_minor = approval_limit_minor
        after = {"role": user.role, "active": user.active, "approval_limit_minor": user.approval_limit_minor,
                 "display_name": user.display_name}
        if after != before:
            audit.record(s, ctx, actor, "user", username, "changed",
                         {k: v for k, v in before.items() if after[k] != v},
                         {k: v for k, v in after.items() if before[k] != v})
        return _view(user, now, _active_rules(s))


def set_password(ctx: ServiceContext, actor: Actor | None, username: str, password: str) -> None:
    username = _username(username)
    if actor is not None and actor.username != username:
        actor.require(Permission.ADMIN_USERS)
    if len(_normalise(password)) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(msg(
            "The password must have at least {min_password_length} characters.",
            min_password_length=MIN_PASSWORD_LENGTH))
    with ctx.write(actor) as s:
        user = _locked_user(s, username)
        if user is None:
            raise NotFound(msg("There is no user named {username}.", username=shown(username)))
        user.password_hash = hash_password(password)
        audit.record(s, ctx, actor, "user", username, "password_changed")


def list_users(ctx: ServiceContext, actor: Actor | None = None) -> list[UserView]:
    now = ctx.now()
    with ctx.read(actor) as s:
        rules = _active_rules(s)
        return [_view(u, now, rules) for u in s.execute(select(User).order_by(User.username)).scalars()]
