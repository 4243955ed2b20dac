"""Fixtures shared by the whole suite.

Tests that take ``ctx`` (a ServiceContext) or ``db_url`` run on SQLite. A module (or a test) where the
database's behaviour could differ opts in to PostgreSQL as well with a one-line reason::

    pytestmark = pytest.mark.both_databases("row locks: two stations refund the same return")

and then runs once on each (ids ``[sqlite]`` and ``[pg]``; the PostgreSQL run carries the ``pg``
marker). RETURNDESK_TEST_DATABASES=both runs every database test on both, as a check after changes
to the store or to SQL in the services. docs/testing.md says when to opt in.

PostgreSQL tests are never skipped in silence: if the server is not answering they fail, unless
RETURNDESK_TEST_PG=off is set on purpose.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hypothesis  # noqa: F401  (imported early: a late import under pytest's assertion
# rewriting at deep stack depth trips a CPython 3.11 ast bug in the plugin's summary hook)
import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never assert on time: no per-example deadline (a loaded CI machine would flake), and no
# health check on slow data generation for the same reason.
settings.register_profile("returndesk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("returndesk")

# Fixtures shared by modules in different folders: a test names them as arguments and imports nothing.
pytest_plugins = [
    "tests.integration.analytics_support",
    "tests.integration.cups_support",
    "tests.integration.keyring_support",
    "tests.integration.server_support",
    "tests.integration.station_server",
    "tests.ui.frame_support",
]

PG_ADMIN_URL = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_ENABLED = os.environ.get("RETURNDESK_TEST_PG", "on") != "off"
ALL_ON_BOTH = os.environ.get("RETURNDESK_TEST_DATABASES", "") == "both"
#: ``server``: the services of PostgreSQL tests (``ctx``) connect as the ReturnDesk server's own
#: login, with exactly its rights (``returndesk db init``), instead of as the database's owner.
PG_AS_SERVER = os.environ.get("RETURNDESK_TEST_PG_LOGIN", "owner") == "server"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """argon2 with production parameters costs ~0.2 s a hash; tests use a cheap one."""
    from argon2 import PasswordHasher

    from returndesk.services.usecases import auth

    auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield


@pytest.fixture(autouse=True)
def _collector_unfrozen():
    """The desktop freezes what it holds for the garbage collector after each sign-in (and the
    server once started): in a test process, whose windows and databases come and go test after
    test, what one test froze is handed back to the collector after it."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@dataclass
class FakeClock:
    """A clock the test moves by hand; the services read time only through it."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


# --------------------------------------------------------------------------- databases


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    open_database(ServiceContext(db=db))
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database():
    """One PostgreSQL database per test worker, migrated once; tables are emptied per test."""
    if not PG_ENABLED:
        pytest.skip("PostgreSQL tests disabled with RETURNDESK_TEST_PG=off")
    import psycopg

    from returndesk.store.engine import Database
    from returndesk.store.migrate import upgrade

    name = f"rd_test_{_worker()}_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:  # pragma: no cover - environment problem
        pytest.fail(f"PostgreSQL is not answering at {admin}: {exc}. Start it (scripts/ensure-services.sh) "
                    "or set RETURNDESK_TEST_PG=off to run without it.")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    db = Database.open(url)
    upgrade(db.engine)
    if PG_AS_SERVER:
        _add_server_login(db, name)
    db.dispose()
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if PG_AS_SERVER:
            conn.execute(f'DROP ROLE IF EXISTS "{name}_srv"')


def _add_server_login(db, name: str) -> None:
    from sqlalchemy import inspect

    from returndesk.store import roles

    with db.engine.begin() as conn:
        roles.set_up_server_login(conn, f"{name}_srv", inspect(conn).get_table_names(),
                                  lambda: "test server password")


def services_url(url: str) -> str:
    """The address the services use in a test: on PostgreSQL with RETURNDESK_TEST_PG_LOGIN=server,
    the server's login instead of the owner's."""
    if not PG_AS_SERVER or not url.startswith("postgresql"):
        return url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(username=f"{parsed.database}_srv").render_as_string(hide_password=False)


def _empty_pg(url: str) -> None:
    """Delete every row and restart the id sequences: the database is as freshly migrated.

    DELETE rather than TRUNCATE: TRUNCATE gives each of the ~30 tables new files (half a second a
    test); deleting the few rows a test wrote takes milliseconds. Children go before parents.
    """
    from sqlalchemy import text

    from returndesk.store.engine import make_engine
    from returndesk.store.schema import Base

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("; ".join(f'DELETE FROM "{t.name}"' for t in reversed(Base.metadata.sorted_tables))))
            sequences = conn.execute(text(
                "SELECT c.oid::regclass::text FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace")).scalars().all()
            if sequences:
                conn.execute(text("; ".join(f"ALTER SEQUENCE {name} RESTART" for name in sequences)))
    finally:
        engine.dispose()


#: Where each test worker writes the Python stacks of a crash (a worker that dies of a signal takes
#: its stderr with it, and the run would only say "node down"); the run prints what they hold.
_CRASH_DIR = "RETURNDESK_TEST_CRASH_DIR"


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        os.environ[_CRASH_DIR] = tempfile.mkdtemp(prefix="returndesk-test-crashes-")
        return
    folder = os.environ.get(_CRASH_DIR)
    if folder and os.path.isdir(folder):
        config._returndesk_crash_file = open(Path(folder) / f"{worker}-{os.getpid()}.txt", "w")
        faulthandler.enable(file=config._returndesk_crash_file, all_threads=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The stacks of every worker that crashed, so that a crash in a run can be read in its log."""
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        return
    folder = os.environ.get(_CRASH_DIR)
    if not folder or not os.path.isdir(folder):
        return
    for report in sorted(Path(folder).glob("*.txt")):
        text = report.read_text(errors="replace").strip()
        if text:
            terminalreporter.section(f"crash of test worker {report.stem}", sep="=", red=True)
            terminalreporter.write_line(text)
    shutil.rmtree(folder, ignore_errors=True)


def pytest_generate_tests(metafunc):
    """Choose the databases of a test that uses ``db_url`` (directly or through ``ctx``): SQLite,
    plus PostgreSQL when the test or its module is marked ``both_databases("why")``. A test that
    parametrizes ``db_url`` itself (``indirect=True``) keeps its own choice."""
    if "db_url" not in metafunc.fixturenames:
        return
    if any("db_url" in _argnames(m) for m in metafunc.definition.iter_markers("parametrize")):
        return
    marker = metafunc.definition.get_closest_marker("both_databases")
    if marker is not None and not (marker.args and isinstance(marker.args[0], str) and marker.args[0].strip()):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: both_databases needs a reason, "
                                'e.g. pytest.mark.both_databases("row locks differ")')
    if marker is not None or ALL_ON_BOTH:
        metafunc.parametrize("db_url", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True)
    else:
        metafunc.parametrize("db_url", ["sqlite"], indirect=True)


def pytest_collection_modifyitems(session, config, items):
    """Modules with slow tests (servers, load runs, whole days and weeks, renders of every screen)
    run first: the workers (``-n 2 --dist worksteal``) start on the long tests, and what is left at
    the end, to be shared out between them, is short. A module's tests stay together and in their
    order (its module-scoped fixtures are set up once)."""
    slow_modules = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow_modules)  # stable: the order within stays


def _argnames(marker) -> list[str]:
    names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
    return [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)


@pytest.fixture
def db_url(request, tmp_path) -> str:
    """A fresh, migrated database with no rows: a copy of the SQLite template, or the worker's
    PostgreSQL database emptied (the databases are chosen by ``pytest_generate_tests``)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "returndesk.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _empty_pg(url)
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ctx(request, db_url, clock):
    """A ServiceContext on a fresh database (SQLite and PostgreSQL) with reference data."""
    from returndesk.services.infra.bootstrap import ensure_reference_data
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    db = Database.open(db_url)
    context = ServiceContext(db=db, clock=clock, station="TEST-1")
    ensure_reference_data(context)
    if services_url(db_url) != db_url and request.node.get_closest_marker("database_owner") is None:
        db.dispose()
        db = Database.open(services_url(db_url))
        context = ServiceContext(db=db, clock=clock, station="TEST-1")
    yield context
    db.dispose()
