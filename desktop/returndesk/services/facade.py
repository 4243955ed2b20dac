"""The one object the desktop client talks to (Qt-free).

``Services`` owns the open database of a running client and offers:

* what the frame needs itself: opening the database, sign-in, the first administrator of an empty
  database, demo data, a password-free description of the database for the status bar, and the
  returns search behind the "Returns" screen;
* every workflow module of :mod:`returndesk.services` with the context already bound:
  ``services.intake.create_return(actor, ...)`` calls ``intake.create_return(ctx, actor, ...)``.
  Screens therefore need no edit here when a use case is added, and never see the context's
  database. Functions that take a session (the ``*_in`` building blocks of one transaction) are
  not offered: a screen never holds a session.

Every call runs in the caller's thread and blocks: the UI calls it from its task runner.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sqlalchemy import and_, or_, select

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import Role
from returndesk.store.schema import Return

from . import auth, worklists
from .connection import DatabaseChoice, OpenedDatabase, open_database_at
from .context import Actor, ChangeListener, ServiceContext, utcnow
from .views import Page, ReturnSummary, return_summaries

# Parameter names by which a use case takes the context, and by which a building block takes a
# session (those stay inside the services).
_CONTEXT_PARAMS = ("ctx",)
_SESSION_PARAMS = ("s", "session")

# The demo written into a new local database at first start: small enough to be ready in
# seconds, large enough for every state of a return (at least 14 returns over 45 days or more).
DEMO_ORDERS = 150
DEMO_RETURNS = 24
DEMO_DAYS = 90


class BoundModule:
    """A services module whose use cases have the context bound as first argument."""

    def __init__(self, module: ModuleType, ctx: ServiceContext) -> None:
        self._module = module
        self._ctx = ctx
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<services.{self._module.__name__.rsplit('.', 1)[-1]} bound to a context>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._cache:
            return self._cache[name]
        value = getattr(self._module, name)
        if inspect.isfunction(value):
            params = list(inspect.signature(value).parameters)
            first = params[0] if params else ""
            if first in _SESSION_PARAMS:
                raise AttributeError(
                    f"{self._module.__name__}.{name} works inside an open transaction and is not "
                    "offered to the user interface; call the use case that wraps it."
                )
            if first in _CONTEXT_PARAMS:
                value = functools.wraps(value)(functools.partial(value, self._ctx))
        self._cache[name] = value
        return value


class Services:
    """The services of one open database, for one running client."""

    def __init__(self, opened: OpenedDatabase) -> None:
        self._opened = opened
        self._bound: dict[str, BoundModule] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, choice: DatabaseChoice, password: str | None = None, *, station: str | None = None,
             clock: Callable[..., Any] = utcnow) -> Services:
        """Open (upgrade, seed) the chosen database; see ``connection.open_database_at``."""
        return cls(open_database_at(choice, password, station=station, clock=clock))

    # ------------------------------------------------------------------ the database
    @property
    def ctx(self) -> ServiceContext:
        """The context (for the live-update bridge and the bound modules)."""
        return self._opened.ctx

    @property
    def choice(self) -> DatabaseChoice:
        return self._opened.choice

    @property
    def station(self) -> str | None:
        return self._opened.ctx.station

    @property
    def is_local(self) -> bool:
        return self._opened.choice.is_local

    @property
    def created(self) -> bool:
        """True when this start created the database's schema."""
        return self._opened.created

    @property
    def schema_revision(self) -> str | None:
        return self._opened.status.current

    def describe_database(self) -> str:
        """Where the data is, without any password: "local file …" or "PostgreSQL user@host…"."""
        return self._opened.choice.describe()

    def close(self) -> None:
        """Release the database connections (on quit, or before switching databases)."""
        self._opened.ctx.db.dispose()

    # ------------------------------------------------------------------ change notifications
    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener(entity, id)`` after each committed change in this process.

        Returns the function that ends the subscription.
        """
        listeners = self._opened.ctx.listeners
        listeners.append(listener)

        def unsubscribe() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return unsubscribe

    # ------------------------------------------------------------------ workflow modules
    def __getattr__(self, name: str) -> BoundModule:
        if name.startswith("_"):
            raise AttributeError(name)
        with self._lock:
            bound = self._bound.get(name)
            if bound is None:
                try:
                    module = importlib.import_module(f"{__package__}.{name}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{__package__}.{name}":
                        raise
                    raise AttributeError(f"there is no services module named {name!r}") from None
                bound = BoundModule(module, self._opened.ctx)
                self._bound[name] = bound
        return bound

    # ------------------------------------------------------------------ sign-in and users
    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; raises AuthenticationFailed or AccountLocked with the reason."""
        return auth.sign_in(self._opened.ctx, username, password, station=self.station)

    def has_users(self) -> bool:
        """False for a database nobody can sign in to yet (it needs its first administrator)."""
        return any(u.active for u in auth.list_users(self._opened.ctx))

    def create_first_administrator(self, username: str, display_name: str, password: str) -> Actor:
        """Create the administrator of a database without users and sign them in.

        Refused once any user exists: from then on only an administrator adds users.
        """
        if self.has_users():
            raise ValidationFailed(
                "This database has users already; sign in, or ask an administrator to add you."
            )
        auth.add_user(self._opened.ctx, None, username=username, display_name=display_name,
                      role=Role.ADMIN, password=password)
        return self.sign_in(username, password)

    # ------------------------------------------------------------------ demo data
    def demo_available(self) -> bool:
        """True when this installation can fill a database with demo data."""
        return importlib.util.find_spec(f"{__package__}.demo") is not None

    def fill_demo_data(self, progress: Callable[[str, int, int], None] | None = None) -> object:
        """Fill this new, empty database with a small demo: users of each role, catalogue, sales
        and returns in every state (``demo.generate_demo``). ``progress(stage, done, total)`` is
        called as it goes, on the calling thread.

        Refused on a database that has users: demo data never mixes with real data.
        """
        if self.has_users():
            raise ValidationFailed(
                "This database has users already; demo data is only written to a new, empty database."
            )
        demo = importlib.import_module(f"{__package__}.demo")
        return demo.generate_demo(self._opened.ctx, orders=DEMO_ORDERS, returns=DEMO_RETURNS,
                                  days=DEMO_DAYS, progress=progress)

    def demo_accounts(self) -> tuple:
        """The demo users with their passwords on a demo database, else ``()``."""
        if not self.demo_available():
            return ()
        demo = importlib.import_module(f"{__package__}.demo")
        if not demo.is_demo_database(self._opened.ctx):
            return ()
        return tuple(demo.demo_accounts())

    # ------------------------------------------------------------------ finding returns
    def find_returns(self, actor: Actor, text: str = "", *, after: str | None = None,
                     limit: int = 50) -> Page[ReturnSummary]:
        """Returns named by an RMA, order number or phone (``worklists.find_returns``), newest
        first; with no text, the newest returns of all. One keyset page; pass ``next_cursor`` back
        as ``after``."""
        if " ".join(str(text or "").split()):
            return worklists.find_returns(self._opened.ctx, actor, text, after=after, limit=limit)
        return latest_returns(self._opened.ctx, actor, after=after, limit=limit)


def latest_returns(ctx: ServiceContext, actor: Actor, *, after: str | None = None,
                   limit: int = 50) -> Page[ReturnSummary]:
    """All returns, newest first, one keyset page over the index ``(created_at, id)``."""
    if not any(can(actor.role, p) for p in (Permission.FIND_SALES, Permission.RECEIVE,
                                            Permission.INSPECT, Permission.VIEW_QUEUES)):
        actor.require(Permission.FIND_SALES)
    n = max(1, min(int(limit), worklists.MAX_PAGE))
    with ctx.db.read() as s:
        stmt = select(Return)
        if after:
            values = Page.decode_cursor(after)
            if len(values) != 2:
                raise ValidationFailed("The list position is no longer valid; reload the list from the top.")
            ts, last_id = values
            stmt = stmt.where(or_(Return.created_at < ts, and_(Return.created_at == ts, Return.id < last_id)))
        rows = list(s.execute(stmt.order_by(Return.created_at.desc(), Return.id.desc()).limit(n + 1)).scalars())
        more = len(rows) > n
        rows = rows[:n]
        cursor = Page.encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
        return Page(tuple(return_summaries(s, rows)), cursor)
