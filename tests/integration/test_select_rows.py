"""A Core SELECT run on the driver's cursor (store/select_rows.py) reads what SQLAlchemy's execution
reads, value for value and type for type, keeps the transaction, the statement listeners and the
wrapped errors of SQLAlchemy's execution, and leaves to SQLAlchemy what it cannot run itself."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime

import pytest
from sqlalchemy import bindparam, event, func, literal_column, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.exc import DBAPIError, StatementError

from returndesk.services.tx.views import _scan_statements
from returndesk.store.schema import AuditEvent, Return, ReturnLine, User
from returndesk.store.engine import root_engine
from returndesk.store.select_rows import LIST_VALUES_PLANNED, select_rows
from tests.integration.factories import build_world, make_order
from tests.integration.money_support import LineSpec, take_return

pytestmark = pytest.mark.both_databases("the driver's own types and parameter style")


@pytest.fixture
def rma(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("AP-2001", 2)])
    return take_return(world, order_no, [LineSpec("EL-1002", 1), LineSpec("AP-2001", 2)])


def _same(direct, through_sqlalchemy) -> None:
    assert [tuple(row) for row in direct] == [tuple(row) for row in through_sqlalchemy]
    assert [[type(v) for v in row] for row in direct] == [[type(v) for v in row] for row in through_sqlalchemy]


def test_the_rows_and_their_types_are_sqlalchemys(ctx, rma):
    head, lines, units = _scan_statements()
    statements = [
        (select(Return.__table__).where(Return.rma_no == bindparam("rma")), {"rma": rma}),
        (select(ReturnLine.__table__).order_by(ReturnLine.id), {}),
        (select(AuditEvent.__table__).order_by(AuditEvent.seq).limit(bindparam("n")), {"n": 3}),
        (head, {"rma_no": rma}),
        (select(func.count().label("n"), func.max(Return.created_at).label("latest")), {}),
    ]
    read: list[int] = []
    with ctx.db.read_connection() as conn:
        return_id = conn.execute(select(Return.id).where(Return.rma_no == rma)).scalar_one()
        statements += [(lines, {"return_id": return_id}), (units, {"return_id": return_id})]
        for stmt, params in statements:
            first = select_rows(conn, stmt, params)  # run by SQLAlchemy: a statement is planned at its second run
            direct = select_rows(conn, stmt, params)
            assert not any(isinstance(row, Row) for row in direct)  # run on the driver's cursor
            _same(direct, first)
            _same(direct, conn.execute(stmt, params).all())
            read.append(len(direct))
        assert read[:-1] == [1, 2, 3, 1, 1, 2] and read[-1] == 0  # no unit inspected yet
        row = select_rows(conn, head, {"rma_no": rma})[0]
        assert row.rma_no == rma and isinstance(row.created_at, datetime)  # named; SQLite's text made a datetime


def test_a_statement_it_cannot_run_itself_is_run_by_sqlalchemy(ctx, rma):
    twice = select(User.id, User.id.label("id"))  # one name for two columns
    by_pairs = select(User.username).where(  # a list of tuples: SQLAlchemy's own rendering
        tuple_(User.username, User.role).in_(bindparam("pairs", expanding=True)))
    with ctx.db.read_connection() as conn:
        for _ in range(2):
            assert isinstance(select_rows(conn, twice)[0], Row)
            paired = select_rows(conn, by_pairs, {"pairs": [("clerk", "clerk")]})
            assert isinstance(paired[0], Row) and [r.username for r in paired] == ["clerk"]
            with_values = select(Return.rma_no).where(Return.rma_no == bindparam("rma")).params(rma=rma)
            assert [tuple(r) for r in select_rows(conn, with_values)] == [(rma,)]


def test_a_list_given_to_in_is_sent_with_one_placeholder_per_value_for_each_count_of_values(ctx, rma):
    """Expanding IN lists, given at each call or written into the statement, read on the cursor
    what SQLAlchemy reads, whatever the count of values; the values go through their type's
    processing (SQLite keeps times as text); an empty list is SQLAlchemy's."""
    by_names = (select(User.username).where(User.username.in_(bindparam("names", expanding=True)))
                .order_by(User.username))
    by_times = select(Return.rma_no).where(Return.created_at.in_(bindparam("times", expanding=True)))
    written = (select(User.username).where(User.role.in_(["clerk", "supervisor"]),
                                           User.username.not_in(["nobody"]))
               .order_by(User.username))
    sent: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if context is None:  # the cursor path (SQLAlchemy's runs have an execution context)
            sent.append(statement)

    with ctx.db.read_connection() as conn:
        created = conn.execute(select(Return.created_at).where(Return.rma_no == rma)).scalar_one()
        event.listen(ctx.db.engine, "before_cursor_execute", before)
        try:
            assert isinstance(select_rows(conn, by_names, {"names": ["clerk"]})[0], Row)  # the first run
            for names in (["clerk"], ["clerk", "supervisor", "inspector"], ["supervisor", "clerk"],
                          ["clerk", "supervisor", "inspector"]):
                direct = select_rows(conn, by_names, {"names": names})
                assert not any(isinstance(row, Row) for row in direct)
                _same(direct, conn.execute(by_names, {"names": names}).all())
                assert [r.username for r in direct] == sorted(names)
            assert select_rows(conn, by_names, {"names": []}) == conn.execute(by_names, {"names": []}).all() == []
            for _ in range(2):
                rows = select_rows(conn, by_times, {"times": [created, created.replace(year=2001)]})
                assert [r.rma_no for r in rows] == [rma]
                rows = select_rows(conn, written)
                _same(rows, conn.execute(written).all())
            assert not isinstance(rows[0], Row)
        finally:
            event.remove(ctx.db.engine, "before_cursor_execute", before)
    placeholders = "?" if ctx.db.is_sqlite else "%(names_"
    counts = [s.count(placeholders) for s in sent if "users.username IN" in s and "role" not in s]
    assert counts == [1, 3, 2, 3], sent


def test_a_list_is_found_as_sqlalchemy_finds_it_and_what_it_cannot_plan_is_sqlalchemys(ctx, rma):
    """A list written into the statement and given again under its name in the SQL, a list of
    tuples to an untyped expression (whose SQL depends on its values, not only their count) and a
    list longer than a plan is made for each read what SQLAlchemy's own execution reads."""
    written = select(User.username).where(User.username.in_(["clerk"])).order_by(User.username)
    compiled = written.compile(dialect=ctx.db.engine.dialect)
    name = compiled.bind_names[next(iter(compiled.post_compile_params))]  # its name in the SQL
    untyped = select(User.username).where(
        literal_column("(users.username, users.role)").in_(bindparam("pairs", expanding=True)))
    by_ids = select(User.username).where(User.id.in_(bindparam("ids", expanding=True))).order_by(User.username)
    many = list(range(1, LIST_VALUES_PLANNED + 2))
    with ctx.db.read_connection() as conn:
        for _ in range(2):
            given = select_rows(conn, written, {name: ["clerk", "supervisor"]})
            assert [r.username for r in given] == ["clerk", "supervisor"]
            _same(given, conn.execute(written, {name: ["clerk", "supervisor"]}).all())
            paired = select_rows(conn, untyped, {"pairs": [("clerk", "clerk")]})
            assert isinstance(paired[0], Row) and [r.username for r in paired] == ["clerk"]
            longer = select_rows(conn, by_ids, {"ids": many})
            assert isinstance(longer[0], Row)
            _same(longer, conn.execute(by_ids, {"ids": many}).all())
        assert not isinstance(select_rows(conn, by_ids, {"ids": many[:2]})[0], Row)  # a count it plans


def test_a_statement_built_for_each_call_is_never_compiled_apart(ctx, rma):
    """SQLAlchemy's cache, which knows a statement by its structure, runs it every time."""
    with ctx.db.read_connection() as conn:
        for _ in range(3):
            built_now = select(Return.rma_no).where(Return.rma_no == bindparam("rma"))
            assert isinstance(select_rows(conn, built_now, {"rma": rma})[0], Row)


def test_the_statement_reaches_the_engines_listeners_in_the_reads_transaction(ctx, rma):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    by_rma = select(Return.id).where(Return.rma_no == bindparam("rma"))
    with ctx.db.read_connection() as conn:
        assert isinstance(select_rows(conn, by_rma, {"rma": rma})[0], Row)  # the first run is SQLAlchemy's
    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        with ctx.db.read_connection() as conn:
            assert not isinstance(select_rows(conn, by_rma, {"rma": rma})[0], Row)
            assert conn.in_transaction()
            if ctx.db.is_sqlite:
                # The read's deferred BEGIN was sent as SQLAlchemy's first statement would send it.
                assert conn.connection.driver_connection.in_transaction
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    assert [s for s in seen if "returns" in s and "rma_no" in s], seen


def test_a_driver_error_is_sqlalchemys_and_the_connection_carries_on(ctx, rma):
    contexts: list[object] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "no_such_function" in statement:
            contexts.append(context)

    failing = select(func.no_such_function(Return.id))  # compiles; the database refuses it
    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        for _ in range(2):
            with ctx.db.read_connection(one_statement=True) as conn, pytest.raises(DBAPIError):
                select_rows(conn, failing)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    assert contexts[0] is not None and contexts[1] is None  # SQLAlchemy's run, then the driver's cursor
    with ctx.db.read_connection() as conn:
        by_rma = select(Return.rma_no).where(Return.rma_no == bindparam("rma"))
        assert select_rows(conn, by_rma, {"rma": rma})[0].rma_no == rma


def test_a_missing_value_is_refused_as_sqlalchemy_refuses_it(ctx, rma):
    by_rma = select(Return.rma_no).where(Return.rma_no == bindparam("rma"))
    with ctx.db.read_connection() as conn:
        select_rows(conn, by_rma, {"rma": rma})
        with pytest.raises(StatementError, match="A value is required for bind parameter 'rma'"):
            select_rows(conn, by_rma, {})


def test_a_planned_statement_is_not_kept_by_its_plan(ctx, rma):
    by_rma = select(Return.rma_no).where(Return.rma_no == bindparam("rma"))
    with ctx.db.read_connection() as conn:
        for _ in range(2):
            select_rows(conn, by_rma, {"rma": rma})
    kept = weakref.ref(by_rma)
    del by_rma
    ctx.db.engine._compiled_cache.clear()  # SQLAlchemy's own cache holds the statement of its first run
    gc.collect()
    assert kept() is None


def test_a_read_of_one_statement_runs_it_on_its_own_and_shares_the_databases_listeners_and_caches(ctx, rma):
    """A read of one statement begins no transaction around its statement (SQLite's driver has
    none, PostgreSQL's connection is in autocommit), its connection comes from an engine of the
    same pool whose listeners are the database's, and it belongs to the database's own engine
    (what the per-database caches are keyed by)."""
    by_rma = select(Return.id).where(Return.rma_no == bindparam("rma"))
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        for _ in range(2):
            with ctx.db.read_connection(one_statement=True) as conn:
                found = select_rows(conn, by_rma, {"rma": rma})
                # SQLAlchemy's first run begins its own (empty) transaction; the cursor's none.
                assert conn.in_transaction() == isinstance(found[0], Row)
                driver = conn.connection.driver_connection
                if ctx.db.is_sqlite:
                    assert not driver.in_transaction
                else:
                    assert driver.autocommit
                assert root_engine(conn) is ctx.db.engine
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    assert not isinstance(found[0], Row)  # the second read ran on the cursor
    assert sum("returns.rma_no" in s for s in seen) == 2


def test_a_read_of_one_statement_on_sqlite_keeps_its_connection_for_the_next_one(ctx, rma):
    """SQLite: the connection of a read of one statement is kept checked out for the next such
    read (no pool checkout and checkin), at most two of them, never one in doubt, never with a
    snapshot open; the database's disposal closes them. PostgreSQL keeps none."""
    by_rma = select(Return.id, Return.notes).where(Return.rma_no == bindparam("rma"))
    # SQLite: the connection kept for the writes (test_sqlite_checkpoint) is checked out as well.
    writes = ctx.db.engine.pool.checkedout()

    def reads_out() -> int:
        """The pool's connections the reads have checked out."""
        return ctx.db.engine.pool.checkedout() - writes

    def read_notes():
        with ctx.db.read_connection(one_statement=True) as conn:
            return conn.connection.driver_connection, select_rows(conn, by_rma, {"rma": rma})[0].notes

    first, notes = read_notes()
    assert notes is None
    if not ctx.db.is_sqlite:
        assert reads_out() == 0
        return
    assert writes == 1
    assert reads_out() == 1 and not first.in_transaction
    with ctx.db.write_connection() as conn:  # another connection writes between two reads
        conn.execute(Return.__table__.update().where(Return.rma_no == rma).values(notes="changed"))
    second, notes = read_notes()
    assert second is first and notes == "changed"  # the same connection, which sees the newest commit

    # Three reads at once: the first two connections back are kept, the third goes to the pool.
    from returndesk.store.engine import KEPT_READS
    with ctx.db.read_connection(one_statement=True) as a, ctx.db.read_connection(one_statement=True) as b, \
            ctx.db.read_connection(one_statement=True) as c:
        drivers = {id(x.connection.driver_connection) for x in (a, b, c)}
        assert len(drivers) == 3 and reads_out() == 3
    assert reads_out() == KEPT_READS == 2

    # A read that raised gives its connection back to the pool.
    with pytest.raises(DBAPIError):
        with ctx.db.read_connection(one_statement=True) as conn:
            select_rows(conn, select(func.no_such_function(Return.id)))
    assert reads_out() == 1

    # A connection left inside a transaction at the driver is not kept.
    with ctx.db.read_connection(one_statement=True) as conn:
        conn.connection.driver_connection.execute("BEGIN")
        left = conn.connection.driver_connection
    assert reads_out() == 0 and not left.in_transaction  # back to the pool, which ended it

    kept = read_notes()[0]
    ctx.db.dispose()
    with pytest.raises(Exception, match="closed"):
        kept.execute("SELECT 1")
    assert read_notes()[1] == "changed"  # a new connection after the disposal

    # A read under way when the database is disposed keeps nothing of the pool that is gone: its
    # connection is closed at its end, and the next read opens a new one.
    with ctx.db.read_connection(one_statement=True) as conn:
        during = conn.connection.driver_connection
        ctx.db.dispose()
        assert select_rows(conn, by_rma, {"rma": rma})[0].notes == "changed"
    with pytest.raises(Exception, match="closed"):
        during.execute("SELECT 1")
    after, notes = read_notes()
    assert after is not during and notes == "changed"
