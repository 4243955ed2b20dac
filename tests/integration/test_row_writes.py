"""The rows a step of a return writes outside the session's unit of work (services/tx/inserts.py,
services/tx/updates.py): what they write, the version check they keep, and that they leave the
session with nothing more to flush."""

from __future__ import annotations

import pytest
from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import InvalidRequestError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from returndesk.services.tx import sequences
from returndesk.services.tx.inserts import MANY_VALUES_KEPT, _written, insert_one, insert_returning_ids
from returndesk.services.tx.updates import write_changes, write_columns
from returndesk.store.entity_rows import loaded_view
from returndesk.store.schema import Approval, Customer, Return, ReturnLine
from tests.integration.factories import build_world, make_order
from tests.integration.money_support import LineSpec, take_return

pytestmark = pytest.mark.both_databases("the version check's row count and the batch of updates are the driver's")


@pytest.fixture
def rma(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("AP-2001", 1)])
    return take_return(world, order_no, [LineSpec("EL-1002", 1), LineSpec("AP-2001", 1)])


class _Statements:
    """The statements sent on ``engine`` while the block runs (the frame's BEGIN and COMMIT aside)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.sent: list[str] = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            self.sent.append(" ".join(statement.split()))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)


def test_changed_columns_are_written_with_the_version_moved_on_and_nothing_is_left_to_flush(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        lines = s.execute(select(ReturnLine).where(ReturnLine.return_id == ret.id)).scalars().all()
        version = ret.version
        ret.notes = "Box dented"
        ret.refund_method = ret.refund_method  # set to what it was: not a change
        for line in lines:
            line.qty_rejected = 1
        with _Statements(ctx.db.engine) as seen:
            write_changes(s)
            assert not s.dirty and not s.new
            s.flush()  # nothing left for the unit of work
        # The return by itself (its version checked), both lines in one round trip.
        assert len(seen.sent) == 2, seen.sent
        assert ret.version == version + 1
    with ctx.db.read() as s:
        assert s.execute(select(Return.notes, Return.version).where(Return.rma_no == rma)).one() == (
            "Box dented", version + 1)
        assert set(s.execute(select(ReturnLine.qty_rejected).where(ReturnLine.return_id == ret.id)).scalars()) == {1}


def test_a_row_another_transaction_changed_since_it_was_read_is_refused_and_nothing_is_written(ctx, rma):
    with pytest.raises(StaleDataError), ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        # As if another station had moved the return on since this one read it.
        s.connection().execute(update(Return.__table__).where(Return.__table__.c.id == ret.id)
                               .values(version=Return.__table__.c.version + 1))
        ret.notes = "Stale"
        write_changes(s)
    with ctx.db.read() as s:
        assert s.execute(select(Return.notes).where(Return.rma_no == rma)).scalar_one() != "Stale"


def test_a_new_row_is_left_to_the_flush_which_writes_it_as_well(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        ret.notes = "With a note"
        s.add(Approval(return_id=ret.id, level="supervisor", decision="approved", decided_at=ctx.now(),
                       amount_minor=0))
        write_changes(s)
        assert not s.new and not s.dirty
    with ctx.db.read() as s:
        assert s.execute(select(Approval.decision).join(Return, Return.id == Approval.return_id)
                         .where(Return.rma_no == rma)).scalars().all() == ["approved"]


def test_insert_one_gives_the_row_its_id_and_defaults_and_puts_it_in_the_session_as_written(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        approval = Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(), amount_minor=5)
        with _Statements(ctx.db.engine) as seen:
            insert_one(s, approval)
            s.flush()
        assert len(seen.sent) == 1 and seen.sent[0].startswith("INSERT INTO approvals")
        assert approval.id is not None and approval in s and not s.new
        assert approval.reason is None  # unset: NULL, on the object as in the row
    with ctx.db.read() as s:
        assert s.get(Approval, approval.id).amount_minor == 5


def test_write_columns_sends_nothing_when_nothing_changed(ctx, rma):
    with ctx.db.write() as s:
        line = s.execute(select(ReturnLine).join(Return, Return.id == ReturnLine.return_id)
                         .where(Return.rma_no == rma).order_by(ReturnLine.line_no)).scalars().first()
        with _Statements(ctx.db.engine) as seen:
            write_columns(s, line, qty_received=line.qty_received)
            write_columns(s, line, qty_received=line.qty_received + 1)
            s.flush()
        assert len(seen.sent) == 1 and seen.sent[0].startswith("UPDATE return_lines")
        received = line.qty_received
    with ctx.db.read() as s:
        assert s.get(ReturnLine, line.id).qty_received == received


def test_inside_a_savepoint_the_flush_writes_so_that_its_rollback_undoes_the_change(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        notes, version = ret.notes, ret.version
        savepoint = s.begin_nested()
        ret.notes = "Undone"
        write_changes(s)
        savepoint.rollback()
        assert (ret.notes, ret.version) == (notes, version)  # expired by the rollback, read again
        ret.notes = "Kept"
        write_changes(s)
    with ctx.db.read() as s:
        assert s.execute(select(Return.notes, Return.version).where(Return.rma_no == rma)).one() == (
            "Kept", version + 1)


def test_a_row_whose_columns_the_database_computes_is_left_to_the_flush(ctx, rma):
    with ctx.db.write() as s:
        customer = s.execute(select(Customer).join(Return, Return.customer_id == Customer.id)
                             .where(Return.rma_no == rma)).scalar_one()
        customer.name = "Zhang Wei"
        write_changes(s)
        assert customer.name_fold == "zhang wei"  # the computed column read again after the update


def test_a_version_not_loaded_is_read_by_the_flush_before_it_writes(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        version = ret.version
        s.expire(ret, ["version"])
        ret.notes = "Expired version"
        write_changes(s)
        assert ret.version == version + 1


def test_insert_one_writes_a_columns_default_for_none_as_the_orm_does(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        approval = Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(), amount_minor=None)
        insert_one(s, approval)
        assert approval.amount_minor == 0


def test_write_columns_refuses_a_row_that_is_gone(ctx, rma):
    with pytest.raises(StaleDataError), ctx.db.write() as s:
        line = s.execute(select(ReturnLine).join(Return, Return.id == ReturnLine.return_id)
                         .where(Return.rma_no == rma).order_by(ReturnLine.line_no)).scalars().first()
        s.connection().execute(ReturnLine.__table__.delete().where(ReturnLine.__table__.c.id == line.id))
        write_columns(s, line, qty_received=line.qty_received + 1)


def test_taking_numbers_leaves_the_steps_changes_to_write_changes_not_to_the_unit_of_work(ctx, rma):
    # A refund takes its numbers after changing the return and its lines: the numbers' UPDATE is
    # sent alone, and the changes are still the step's own to write.
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        ret.notes = "Numbered"
        with _Statements(ctx.db.engine) as seen:
            taken = sequences.next_values(s, ["refund", "credit_note"])
            one = sequences.next_value(s, "journal")
        assert len(seen.sent) == 2 and all("number_sequences" in sql for sql in seen.sent), seen.sent
        assert ret in s.dirty
        with _Statements(ctx.db.engine) as seen:
            write_changes(s)
        assert len(seen.sent) == 1 and seen.sent[0].startswith("UPDATE returns"), seen.sent
    with ctx.db.write() as s:
        again = sequences.next_values(s, ["refund", "credit_note"])
        assert again == {"refund": taken["refund"] + 1, "credit_note": taken["credit_note"] + 1}
        assert sequences.next_value(s, "journal") == one + 1
    with ctx.db.read() as s:
        assert s.execute(select(Return.notes).where(Return.rma_no == rma)).scalar_one() == "Numbered"


def test_the_numbers_of_several_sequences_are_taken_on_the_drivers_cursor_in_one_statement(ctx, rma):
    """next_values' UPDATE ... WHERE name IN (...) RETURNING, its list written into the statement,
    is sent with one placeholder per name on the driver's cursor (no execution context of
    SQLAlchemy's) once planned, and takes the same numbers SQLAlchemy's run takes."""
    contexts: list[object] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "number_sequences" in statement:
            contexts.append(context)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        taken = []
        for _ in range(3):
            with ctx.db.write() as s:
                taken.append(sequences.next_values(s, ["refund", "credit_note"]))
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    assert [t["refund"] - taken[0]["refund"] for t in taken] == [0, 1, 2]
    assert [t["credit_note"] - taken[0]["credit_note"] for t in taken] == [0, 1, 2]
    assert contexts[-1] is None and len(contexts) == 3  # the last one on the cursor, one statement each


@pytest.mark.parametrize("count", [1, 3, MANY_VALUES_KEPT + 5])
def test_insert_returning_ids_writes_the_rows_in_one_statement_and_gives_each_object_its_own_id(ctx, rma, count):
    """Each object gets the id of its own row (matched by its key), its unset columns their
    defaults; the rows are one statement, on the driver's cursor once planned (SQLAlchemy's batch
    beyond the statements kept per count), and the session has nothing left to write."""
    contexts: list[object] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("INSERT INTO approvals"):
            contexts.append(context)

    made: list[list[Approval]] = []
    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        for run in range(3):
            with ctx.db.write() as s:
                ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
                approvals = [Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(),
                                      amount_minor=1000 * run + i) for i in range(count)]
                insert_returning_ids(s, approvals, key=("amount_minor",))
                assert all(a in s for a in approvals) and not s.new and not s.dirty
                made.append(approvals)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    assert len(contexts) == 3  # one statement a run
    assert (contexts[-1] is None) == (count <= MANY_VALUES_KEPT)  # planned: the driver's cursor
    with ctx.db.read() as s:
        stored = dict(s.execute(select(Approval.id, Approval.amount_minor)).all())
    for approvals in made:
        assert len({a.id for a in approvals}) == count
        assert all(stored[a.id] == a.amount_minor and a.reason is None for a in approvals)


def test_a_row_insert_one_wrote_is_the_sessions_as_loaded_and_a_later_change_is_written(ctx, rma):
    """insert_one makes the object persistent itself (no ``Session.add``): in the identity map
    under its row's key, nothing left to flush, a relationship loaded when first used, and a
    change made afterwards written by write_changes like any loaded row's."""
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        approval = Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(), amount_minor=5)
        insert_one(s, approval)
        state = inspect(approval)
        assert state.persistent and not state.modified and s.get(Approval, approval.id) is approval
        line = ReturnLine(return_id=ret.id, line_no=99, order_line_id=ret.lines[0].order_line_id,
                          product_id=ret.lines[0].product_id, qty_requested=1, reason_code="changed_mind",
                          resolution="refund", policy_status="within")
        insert_returning_ids(s, [line], key=("line_no",))
        assert line.ret is ret  # the relationship, loaded when first used
        approval.reason = "Changed after"
        write_changes(s)
        assert not s.dirty
    with ctx.db.read() as s:
        assert s.get(Approval, approval.id).reason == "Changed after"


def test_insert_one_goes_through_session_add_where_the_sessions_attach_events_are_listened_to(ctx, rma):
    heard: list[object] = []
    with ctx.db.write() as s:
        event.listen(s, "detached_to_persistent", lambda session, instance: heard.append(instance))
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        approval = Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(), amount_minor=7)
        insert_one(s, approval)
        assert heard == [approval] and inspect(approval).persistent


def test_insert_one_refuses_an_object_already_written():
    approval = Approval(level="auto", decision="auto", amount_minor=1)
    inspect(approval).key = (Approval, (1,), None)
    with pytest.raises(InvalidRequestError, match="already in a session or written"):
        _written(Session(), approval)


def test_the_constructor_writes_columns_into_the_new_object_and_sets_anything_else_as_an_attribute(ctx, rma):
    """A new object made by keyword: its columns are held as given (the flush or insert_one writes
    them), a relationship given goes through the attribute (its other side is set), and a keyword
    that is not an attribute is refused naming it."""
    with pytest.raises(TypeError, match="'colour' is an invalid keyword argument for Approval"):
        Approval(level="auto", colour="red")
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        line = ReturnLine(ret=ret, line_no=98, order_line_id=ret.lines[0].order_line_id,
                          product_id=ret.lines[0].product_id, qty_requested=2, reason_code="changed_mind",
                          resolution="refund", policy_status="within")
        assert line in ret.lines and line.qty_requested == 2
        s.add(line)
        s.flush()  # the unit of work writes it, with every column given
        line_id = line.id
    with ctx.db.read() as s:
        assert s.execute(select(ReturnLine.qty_requested, ReturnLine.line_no).where(ReturnLine.id == line_id)
                         ).one() == (2, 98)


def test_a_value_its_type_refuses_is_sqlalchemys_statement_error_on_the_drivers_path_too(ctx, rma):
    """insert_one's values are processed by their types on the planned path as well: a value the
    type refuses is a StatementError naming the statement, as SQLAlchemy's execution raises it."""
    with pytest.raises(StatementError, match="INSERT INTO approvals"), ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        for amount in (1, 2, 3):  # planned from its second run on
            insert_one(s, Approval(return_id=ret.id, level="auto", decision="auto", decided_at=ctx.now(),
                                   amount_minor=amount))
        insert_one(s, Approval(return_id=ret.id, level="auto", decision="auto", decided_at="not a date",
                               amount_minor=4))


def test_a_loaded_view_reads_an_objects_state_and_leaves_one_with_a_column_not_loaded_to_the_orm(ctx, rma):
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        view = loaded_view(ret)
        assert view is not ret and (view.rma_no, view.version) == (ret.rma_no, ret.version)
        s.expire(ret, ["notes"])
        assert loaded_view(ret) is ret  # reading its notes loads them
