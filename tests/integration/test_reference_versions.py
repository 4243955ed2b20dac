"""What intake keeps per process follows the database: the return reasons are read again when
another connection changed them, and the order lines a flush changes, written in one statement,
keep their version check."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm.exc import StaleDataError

from returndesk.domain.errors import ValidationFailed
from returndesk.services.usecases import intake
from returndesk.store.schema import ReasonVersion, SalesOrderLine

from .factories import build_world, make_order
from .money_support import CONDITIONS, order_line_ids
from .statements import count_statements

pytestmark = pytest.mark.both_databases("the reasons' version is moved on by a trigger of each database")


def _draft(order_no: str, line_id: int, reason: str) -> intake.ReturnDraft:
    return intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=(intake.DraftLine(order_line_id=line_id, quantity=1, reason_code=reason,
                                conditions_met=CONDITIONS),),
    )


def _reads_reasons(counted) -> bool:
    return any("FROM return_reasons" in " ".join(sql.split()) for sql in counted.statements)


@pytest.fixture
def other(db_url):
    """Another connection to the same database, as another station or a tool would have (the
    schema owner's on PostgreSQL)."""
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


def test_a_reason_added_renamed_or_retired_elsewhere_is_seen_by_the_next_intake(ctx, other):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
    line_id = order_line_ids(world, order_no)["EL-1002"]
    # The first intake reads the reasons and keeps them; the next reads only their version.
    assert intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "changed_mind")).ready
    with count_statements(ctx) as counted:
        kept = intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "changed_mind"))
    assert kept.ready and not _reads_reasons(counted), counted.listing()
    assert intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "late_gift")).problems

    with other.begin() as conn:
        conn.execute(text(
            "INSERT INTO return_reasons (code, name_en, name_zh, vendor_fault, allowed_resolutions, active, "
            "sort_order) VALUES ('late_gift', 'Gift arrived late', '礼物迟到', false, 'refund,exchange', true, 99)"))
    with count_statements(ctx) as counted:
        added = intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "late_gift"))
    assert added.ready and added.lines[0].reason_name == "Gift arrived late", added.problems
    assert _reads_reasons(counted)

    with other.begin() as conn:
        conn.execute(text("UPDATE return_reasons SET name_en = 'Gift came too late' WHERE code = 'late_gift'"))
    renamed = intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "late_gift"))
    assert renamed.lines[0].reason_name == "Gift came too late"

    with other.begin() as conn:
        conn.execute(text("UPDATE return_reasons SET active = false WHERE code = 'late_gift'"))
    with pytest.raises(ValidationFailed, match="no longer in use"):
        intake.create_return(ctx, world.clerk, _draft(order_no, line_id, "late_gift"))
    created = intake.create_return(ctx, world.clerk, _draft(order_no, line_id, "changed_mind"))
    assert created.lines[0].reason_code == "changed_mind"

    with other.begin() as conn:
        conn.execute(text("DELETE FROM return_reasons WHERE code = 'late_gift'"))
    gone = intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "late_gift"))
    assert any("is not a return reason" in str(p) for p in gone.problems), gone.problems


def test_the_reasons_version_row_comes_back_with_the_next_change(ctx, other):
    """A version row someone deleted is made again by the next change of the reasons, and
    without it the reasons are read every time rather than kept."""
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2)])
    line_id = order_line_ids(world, order_no)["EL-1002"]
    with other.begin() as conn:
        conn.execute(text("DELETE FROM reason_versions"))
    for _ in range(2):
        with count_statements(ctx) as counted:
            assert intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "changed_mind")).ready
        assert _reads_reasons(counted)
    with other.begin() as conn:
        conn.execute(text("UPDATE return_reasons SET name_en = 'Changed their mind' WHERE code = 'changed_mind'"))
        assert conn.execute(select(ReasonVersion.version)).scalar_one() >= 1
    seen = intake.preview_return(ctx, world.clerk, _draft(order_no, line_id, "changed_mind"))
    assert seen.lines[0].reason_name == "Changed their mind"


def test_order_lines_written_together_keep_each_lines_version_check(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
    ids = order_line_ids(world, order_no)
    with ctx.db.write() as s:
        lines = s.execute(select(SalesOrderLine).where(SalesOrderLine.id.in_(ids.values()))
                          .order_by(SalesOrderLine.id)).scalars().all()
        for line in lines:
            line.qty_in_process += 1
        with count_statements(ctx) as counted:
            s.flush()
        assert counted.n == 1, counted.listing()
        assert [line.version for line in lines] == [2, 2]
    with ctx.db.read() as s:
        rows = s.execute(select(SalesOrderLine.qty_in_process, SalesOrderLine.version)
                         .where(SalesOrderLine.id.in_(ids.values()))).all()
    assert sorted(rows) == [(1, 2), (1, 2)]

    # One line moved on behind the session's back: nothing of the flush is written.
    with pytest.raises(StaleDataError), ctx.db.write() as s:
        lines = s.execute(select(SalesOrderLine).where(SalesOrderLine.id.in_(ids.values()))
                          .order_by(SalesOrderLine.id)).scalars().all()
        s.connection().execute(update(SalesOrderLine.__table__).where(SalesOrderLine.__table__.c.id == lines[1].id)
                               .values(version=SalesOrderLine.__table__.c.version + 1))
        for line in lines:
            line.qty_in_process += 1
        s.flush()
    with ctx.db.read() as s:
        rows = s.execute(select(SalesOrderLine.qty_in_process)
                         .where(SalesOrderLine.id.in_(ids.values()))).scalars().all()
    assert rows == [1, 1]
