"""Writes on the driver's cursor (store/select_rows.py: write_rows, write_returning) and ORM objects
made from rows read as columns (store/entity_rows.py): the rows written, matched and returned are
SQLAlchemy's, and the objects are the session's own, as its loading with ``populate_existing``
makes them (one per row, overwritten when already held, tracked when changed, relationships
loaded when used)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, func, insert, inspect, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from returndesk.services.tx.views import _held_statement
from returndesk.store.entity_rows import entity_rows, entity_shape, materialize
from returndesk.store.schema import Product, Return, ReturnLine, ReturnReason, StockMovement
from returndesk.store.select_rows import select_rows, write_returning, write_rows
from tests.integration.factories import build_world, make_order
from tests.integration.money_support import LineSpec, take_return

pytestmark = pytest.mark.both_databases("the driver's own types, parameter style and row counts")


@pytest.fixture
def rma(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("AP-2001", 2)])
    return take_return(world, order_no, [LineSpec("EL-1002", 1), LineSpec("AP-2001", 2)])


def _return_id(ctx, rma: str) -> int:
    with ctx.db.read() as s:
        return s.execute(select(Return.id).where(Return.rma_no == rma)).scalar_one()


_RENAME = update(ReturnReason.__table__).where(ReturnReason.code == bindparam("_code")).values(
    name_en=bindparam("label"))


def test_an_update_matches_its_rows_on_the_cursor_one_set_or_many(ctx, rma):
    with ctx.db.read() as s:
        codes = list(s.execute(select(ReturnReason.code).order_by(ReturnReason.code).limit(3)).scalars())
    seen: list[tuple[str, bool]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE return_reasons"):
            seen.append((type(context).__name__, executemany))

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        for attempt in range(2):  # SQLAlchemy's first run, then the driver's cursor
            with ctx.db.write_connection() as conn:
                assert write_rows(conn, _RENAME, {"_code": codes[0], "label": f"one {attempt}"}) == 1
                assert write_rows(conn, _RENAME, {"_code": "no-such-reason", "label": "x"}) == 0
                many = [{"_code": code, "label": f"many {attempt}"} for code in codes[1:]] + [
                    {"_code": "no-such-reason", "label": "x"}]
                matched = write_rows(conn, _RENAME, many)
                if conn.dialect.supports_sane_multi_rowcount:
                    assert matched == 2
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    with ctx.db.read() as s:
        labels = dict(s.execute(select(ReturnReason.code, ReturnReason.name_en)
                                .where(ReturnReason.code.in_(codes))).all())
    assert labels == {codes[0]: "one 1", codes[1]: "many 1", codes[2]: "many 1"}
    # The second round ran on the driver's cursor (no execution context), the many as one executemany.
    assert seen[3:] == [("NoneType", False), ("NoneType", False), ("NoneType", True)]


def test_an_insert_returns_what_sqlalchemy_returns_and_a_refused_one_writes_nothing(ctx, rma):
    return_id = _return_id(ctx, rma)
    with ctx.db.read() as s:
        product_id, location_id = s.execute(select(Product.id, func.min(StockMovement.to_location_id))
                                            .join(StockMovement, StockMovement.product_id == Product.id)
                                            .group_by(Product.id).limit(1)).one()
    table = StockMovement.__table__
    stmt = insert(table).returning(table.c.id, table.c.created_at, table.c.quantity)
    now = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    values = {"product_id": product_id, "from_location_id": location_id, "to_location_id": location_id,
              "quantity": 2, "return_id": return_id, "reason": "test", "created_at": now, "created_by": None}
    with ctx.db.write_connection() as conn:
        (first,) = write_returning(conn, stmt, values)  # SQLAlchemy's run
        (row,) = write_returning(conn, stmt, values)  # the driver's
    assert isinstance(first, Row) and not isinstance(row, Row)
    assert [type(v) for v in row] == [type(v) for v in first] and row[1:] == first[1:]
    assert row.created_at.replace(tzinfo=UTC) == now and row.quantity == 2  # SQLite's text made a datetime
    ids = [first.id, row.id]
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).where(StockMovement.id.in_(ids))).scalar_one() == 2
    with pytest.raises(IntegrityError), ctx.db.write_connection() as conn:
        write_returning(conn, stmt, {**values, "product_id": 999_999_999})  # no such product
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).where(StockMovement.return_id == return_id,
                                                    StockMovement.reason == "test")).scalar_one() == 2


def _columns(obj) -> dict:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


def test_objects_made_from_columns_are_the_ones_the_orm_loads(ctx, rma):
    return_id = _return_id(ctx, rma)
    stmt = _held_statement(None, True)
    params = {"return_id": return_id, "customer_id": None}
    with ctx.db.read() as s:
        expected = [[_columns(x) if hasattr(x, "_sa_instance_state") else x for x in row]
                    for row in s.execute(stmt, params).all()]
    for _ in range(2):  # SQLAlchemy runs the shadow statement first, then the driver's cursor
        with ctx.db.read() as s:
            rows = entity_rows(s, stmt, params)
            assert [[_columns(x) if hasattr(x, "_sa_instance_state") else x for x in row] for row in rows] == expected
            line = rows[0][0]
            assert s.get(ReturnLine, line.id) is line and not s.dirty  # the session's own, unchanged
            assert inspect(line).persistent and rows[0][1] is s.get(Product, line.product_id)
            assert [x.id for x in line.ret.lines] == [r[0].id for r in rows]  # relationships load when used
    assert len(expected) == 2 and all(row[9] is None for row in expected)  # outer join: no unit yet is None


def test_an_object_held_is_overwritten_by_what_was_read_and_a_change_to_it_is_written(ctx, rma):
    return_id = _return_id(ctx, rma)
    lock = select(Return).where(Return.id == bindparam("rid")).with_for_update().execution_options(
        populate_existing=True)
    for attempt in range(2):
        with ctx.db.write() as s:
            held = s.get(Return, return_id)
            s.expire(held, ["status"])  # read again when used, unless re-read before
            s.connection().execute(update(Return.__table__).where(Return.id == return_id).values(
                notes=f"written elsewhere {attempt}"))
            (row,) = entity_rows(s, lock, {"rid": return_id})
            assert row[0] is held and held.notes == f"written elsewhere {attempt}" and not s.dirty
            assert not inspect(held).expired_attributes  # loaded: using it reads nothing
            version = held.version
            held.notes = f"changed {attempt}"  # the ORM's flush writes it, its version checked and moved on
    with ctx.db.read() as s:
        ret = s.get(Return, return_id)
        assert (ret.notes, ret.version) == ("changed 1", version + 1)


def test_a_session_with_changes_not_flushed_is_read_by_the_orm_which_flushes_them_first(ctx, rma):
    return_id = _return_id(ctx, rma)
    lock = select(Return).where(Return.id == bindparam("rid")).execution_options(populate_existing=True)
    with ctx.db.read() as s:
        entity_rows(s, lock, {"rid": return_id})  # planned
    with ctx.db.write() as s:
        ret = s.get(Return, return_id)
        ret.notes = "pending"
        (row,) = entity_rows(s, lock, {"rid": return_id})
        assert row[0] is ret and ret.notes == "pending"
        assert s.connection().execute(select(Return.notes).where(Return.id == return_id)).scalar_one() == "pending"


def test_a_statement_without_populate_existing_is_the_orms(ctx, rma):
    return_id = _return_id(ctx, rma)
    plain = select(Return).where(Return.id == bindparam("rid"))
    for _ in range(2):
        with ctx.db.read() as s:
            (row,) = entity_rows(s, plain, {"rid": return_id})
            assert isinstance(row[0], Return) and row[0] is s.get(Return, return_id)


def test_materialize_makes_an_updates_returned_row_the_sessions_object(ctx, rma):
    return_id = _return_id(ctx, rma)
    shape = entity_shape(Return)
    table = Return.__table__
    bump = update(table).where(table.c.id == bindparam("rid")).values(version=table.c.version + 1).returning(
        *shape.columns)
    with ctx.db.write() as s:
        before = s.get(Return, return_id).version
        (row,) = write_returning(s.connection(), bump, {"rid": return_id})
        ret = materialize(s, shape, row)
        assert ret is s.get(Return, return_id) and ret.version == before + 1 and not s.dirty
        assert materialize(s, shape, [None] * len(shape.keys)) is None


def test_a_relationship_loaded_before_is_loaded_again_after_its_object_is_read_again(ctx, rma):
    """As the ORM's lazy loader resets it on a row read with ``populate_existing``."""
    lock = select(Return).where(Return.rma_no == bindparam("rma")).with_for_update().execution_options(
        populate_existing=True)
    table = ReturnLine.__table__
    for attempt in range(2):  # SQLAlchemy's run of the shadow statement, then the driver's cursor
        with ctx.db.write() as s:
            ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
            before = len(ret.lines)
            first = s.connection().execute(select(table).where(table.c.return_id == ret.id).limit(1)).mappings().one()
            s.connection().execute(insert(table).values(
                {**{k: v for k, v in first.items() if k != "id"}, "line_no": 90 + attempt}))
            (row,) = entity_rows(s, lock, {"rma": rma})
            assert row[0] is ret and len(ret.lines) == before + 1


def test_a_listener_that_changes_the_statement_is_heard_as_in_sqlalchemys_execution(ctx, rma):
    by_rma = select(Return.rma_no).where(Return.rma_no == bindparam("rma"))
    sent: list[str] = []

    def tag(conn, cursor, statement, parameters, context, executemany):
        return statement + " /* tagged */", parameters

    def after(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with ctx.db.write_connection() as conn:
        select_rows(conn, by_rma, {"rma": rma})  # planned at the next run
        write_rows(conn, _RENAME, {"_code": "no-such-reason", "label": "x"})
    event.listen(ctx.db.engine, "before_cursor_execute", tag, retval=True)
    event.listen(ctx.db.engine, "after_cursor_execute", after)
    try:
        with ctx.db.write_connection() as conn:
            assert [tuple(r) for r in select_rows(conn, by_rma, {"rma": rma})] == [(rma,)]
            assert write_rows(conn, _RENAME, {"_code": "no-such-reason", "label": "x"}) == 0
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", tag)
        event.remove(ctx.db.engine, "after_cursor_execute", after)
    assert len(sent) == 2 and all(statement.endswith("/* tagged */") for statement in sent)
