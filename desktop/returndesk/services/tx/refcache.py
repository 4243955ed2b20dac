"""Per-process caches of reference rows that never change once written.

- A user's ``username`` and ``display_name``: only an administrator changes a display name
  (``auth.change_user``, which forgets the cached one; another process shows the old name until it
  restarts), and the identity fields that do change — active, role, approval limit, failed
  attempts — are never cached here and are read from the database by the use cases that decide
  on them.
- A stock location's id by its code: locations are seeded once and never renumbered.
- A return policy version's rules (and its other columns but ``active``) by the version's id: a
  published version is never changed (a change is a new version; withdrawing one only clears its
  ``active`` flag, which is not cached), so a version is read, and its rules parsed, once per
  process. Which version is in force is never cached: intake reads its id with the order
  (``sales.find_order_for_return``), a sale's view with its lines (``sales.get_sale``).
- Reference tables that do change, kept with the version the database gives them (a number a
  trigger moves on at every change, read by the use case with a statement it makes anyway): the
  return reasons (``sales.reasons_at``). A different version read means the table is read again.

Each cache belongs to one engine (one database), so a process that opens another database, or a
test that empties one and opens it again, never sees another database's rows. A use case that
renames a user must call :func:`forget_user_names`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from returndesk.domain.policy import PolicyRules
from returndesk.store.engine import root_engine
from returndesk.store.schema import ReturnPolicy, StockLocation, User

_lock = threading.Lock()
# engine -> {user id: (username, display name)}
_user_names: weakref.WeakKeyDictionary[Engine, dict[int, tuple[str, str]]] = weakref.WeakKeyDictionary()
# engine -> {location code: id}
_location_ids: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
# engine -> {policy version id: its rules}
_policy_rules: weakref.WeakKeyDictionary[Engine, dict[int, KeptRules]] = weakref.WeakKeyDictionary()
# engine -> {policy version id: the version's row, its active flag left out}
_policy_rows: weakref.WeakKeyDictionary[Engine, dict[int, PolicyRow]] = weakref.WeakKeyDictionary()
# engine -> {table name: (its version, what was built from it)}
_versioned: weakref.WeakKeyDictionary[Engine, dict[str, tuple[int, object]]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class PolicyRow:
    """A published policy version's columns that never change (``active`` is not one of them)."""

    id: int
    version: int
    name: str
    rules_json: str
    effective_from: datetime
    created_at: datetime
    created_by: int | None

    @cached_property
    def rules(self) -> PolicyRules:
        """The version's rules, parsed from ``rules_json`` once (the row is kept per process)."""
        return PolicyRules.from_json(self.rules_json)


def _engine(session: Session | Connection) -> Engine:
    return root_engine(session if isinstance(session, Connection) else session.get_bind())


def _names_of(session: Session) -> dict[int, tuple[str, str]]:
    bind = session.bind
    last = _last_names[0]
    if last is not None and bind is not None and last[0]() is bind:
        return last[1]
    engine = _engine(session)
    with _lock:
        names = _user_names.setdefault(engine, {})
    if bind is not None:
        # The names of the database a station's sessions bind to, found again at once (the
        # kept write connection and the engine are the same objects from one use case to the next).
        _last_names[0] = (weakref.ref(bind), names)
    return names


#: The bind of the last session whose names were looked up (held weakly, as the names are by
#: their engine), and its database's names.
_last_names: list[tuple[weakref.ref[Any], dict[int, tuple[str, str]]] | None] = [None]


def user_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """``{user id: (username, display name)}`` of the given users (unknown ids are left out).

    Reads the users not cached yet in one statement.
    """
    cache = _names_of(session)
    wanted = {int(i) for i in user_ids if i is not None}
    missing = wanted - cache.keys()
    if missing:
        rows = session.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_(sorted(missing)))
        ).all()
        with _lock:
            for user_id, username, display_name in rows:
                cache[user_id] = (username, display_name)
    return {i: cache[i] for i in wanted if i in cache}


def username(session: Session, user_id: int | None) -> str | None:
    """The user name of ``user_id`` (None for None or an unknown id)."""
    if user_id is None:
        return None
    found = user_names(session, (user_id,)).get(int(user_id))
    return found[0] if found else None


def display_name(session: Session, user_id: int | None) -> str | None:
    """The display name of ``user_id`` (None for None or an unknown id)."""
    if user_id is None:
        return None
    found = user_names(session, (user_id,)).get(int(user_id))
    return found[1] if found else None


def forget_user_names(session: Session, user_id: int | None = None) -> None:
    """Drop the cached names of ``user_id`` (of every user when None) on this session's database."""
    cache = _names_of(session)
    with _lock:
        if user_id is None:
            cache.clear()
        else:
            cache.pop(int(user_id), None)


def location_id(session: Session, code: str) -> int | None:
    """The id of the stock location ``code``, None when the database has no such location."""
    engine = _engine(session)
    with _lock:
        cache = _location_ids.setdefault(engine, {})
        found = cache.get(code)
    if found is None:
        # All locations in one read: a few rows, and every other code is asked for soon.
        rows = session.execute(select(StockLocation.code, StockLocation.id)).all()
        with _lock:
            cache.update({row_code: int(row_id) for row_code, row_id in rows})
        found = cache.get(code)
    return found


def policy_row(session: Session | Connection, policy_id: int) -> PolicyRow | None:
    """The policy version ``policy_id`` (None when there is no such version), read once per
    process: a published version is never changed, a change is a new version."""
    engine = _engine(session)
    with _lock:
        cache = _policy_rows.setdefault(engine, {})
        found = cache.get(policy_id)
    if found is None:
        p = ReturnPolicy
        row = session.execute(
            select(p.id, p.version, p.name, p.rules_json, p.effective_from, p.created_at, p.created_by)
            .where(p.id == policy_id)
        ).first()
        if row is None:
            return None
        found = PolicyRow(*row)
        with _lock:
            cache[policy_id] = found
    return found


class KeptRules:
    """The rules of a policy version as kept per process: the JSON, parsed at the first use."""

    def __init__(self, rules_json: str) -> None:
        self.rules_json = rules_json

    @cached_property
    def rules(self) -> PolicyRules:
        return PolicyRules.from_json(self.rules_json)


def _kept_rules(session: Session | Connection, policy_id: int) -> KeptRules | None:
    engine = _engine(session)
    with _lock:
        cache = _policy_rules.setdefault(engine, {})
        found = cache.get(policy_id)
    if found is None:
        rules_json = session.execute(
            select(ReturnPolicy.rules_json).where(ReturnPolicy.id == policy_id)
        ).scalar_one_or_none()
        if rules_json is None:
            return None
        found = KeptRules(rules_json)
        with _lock:
            found = cache.setdefault(policy_id, found)
    return found


def policy_rules_json(session: Session | Connection, policy_id: int) -> str | None:
    """The rules (JSON) of the policy version ``policy_id``, None when there is no such version."""
    kept = _kept_rules(session, policy_id)
    return None if kept is None else kept.rules_json


def policy_rules(session: Session | Connection, policy_id: int) -> PolicyRules | None:
    """The rules of the policy version ``policy_id``, parsed once per process (a published version
    never changes); None when there is no such version."""
    kept = _kept_rules(session, policy_id)
    return None if kept is None else kept.rules


def versioned(session: Session, name: str, version: int) -> object | None:
    """What was kept of the table ``name`` at ``version`` (None when another version, or
    nothing, is kept)."""
    engine = _engine(session)
    with _lock:
        kept = _versioned.get(engine, {}).get(name)
    return kept[1] if kept is not None and kept[0] == version else None


def keep_versioned(session: Session, name: str, version: int, value: object) -> None:
    """Keep ``value``, built from the table ``name`` as it was at ``version``."""
    engine = _engine(session)
    with _lock:
        _versioned.setdefault(engine, {})[name] = (version, value)
