"""Worklists of the receiving dock and the inspection station, and finding returns (SQLite and
PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.types import Channel
from returndesk.services.usecases import intake, receiving, worklists
from returndesk.services.tx.views import Page
from returndesk.store.schema import Return

from .factories import build_world, make_order
from .inspection_support import authorized_return, return_row

pytestmark = pytest.mark.both_databases(
    "keyset pages over timestamps (aware on PostgreSQL, naive on SQLite); search by phone with LIKE"
)


def walk(fetch, limit: int) -> list[str]:
    """Every RMA of a paged list, page by page, following the cursors."""
    seen: list[str] = []
    after = None
    while True:
        page = fetch(after=after, limit=limit)
        assert len(page.items) <= limit
        seen += [item.rma_no for item in page.items]
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


def test_expected_returns_page_by_deadline_without_repeats_or_gaps(ctx, clock):
    w = build_world(ctx)
    rmas = []
    # Authorized on different days, two per day: deadlines tie in pairs and the id breaks the tie.
    for _day in range(4):
        for _ in range(2):
            rmas.append(authorized_return(w, [("HM-4001", 1, "changed_mind")]))
        clock.advance(days=1)
    # A return without deadline comes after every dated one; not expected: received, cancelled,
    # counter returns, requests not yet authorized.
    requested = authorized_return(w, [("AP-2001", 1, "changed_mind")], authorize=False)
    undated = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    with ctx.db.write() as s:
        s.execute(update(Return).where(Return.rma_no == undated).values(receive_by=None))
    receiving.receive_return(ctx, w.inspector, rmas[3])
    intake.cancel_return(ctx, w.clerk, rmas[5], "Customer kept it")
    counter = authorized_return(w, [("HM-4001", 1, "changed_mind")], channel=Channel.COUNTER)

    def deadline(rma: str):
        row = return_row(w, rma)
        return (row.receive_by is None, row.receive_by, row.id)

    expected = sorted(
        [r for i, r in enumerate(rmas) if i not in (3, 5)] + [undated], key=deadline
    )
    assert expected[-1] == undated
    for limit in (1, 2, 3, 50):
        assert walk(lambda **kw: worklists.expected_returns(ctx, w.inspector, **kw), limit) == expected
    assert requested not in expected and counter not in expected

    # A return authorized while the list is being paged shows up in the pages still to come.
    first = worklists.expected_returns(ctx, w.inspector, limit=3)
    newcomer = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    rest = walk(lambda **kw: worklists.expected_returns(
        ctx, w.inspector, **({**kw, "after": kw["after"] or first.next_cursor})), 3)
    assert [s.rma_no for s in first.items] + rest == sorted(expected + [newcomer], key=deadline)
    summary = first.items[0]
    assert (summary.status, summary.customer_name, summary.item_count) == ("authorized", "Li Wei", 1)


def test_the_inspection_queue_lists_received_returns_longest_waiting_first(ctx, clock):
    w = build_world(ctx)
    rmas = [authorized_return(w, [("HM-4001", 2, "changed_mind")]) for _ in range(5)]
    for rma in (rmas[2], rmas[0], rmas[4], rmas[1]):
        receiving.receive_return(ctx, w.inspector, rma)
        clock.advance(minutes=3)
    assert walk(lambda **kw: worklists.inspection_queue(ctx, w.inspector, **kw), 2) == [
        rmas[2], rmas[0], rmas[4], rmas[1]]
    page = worklists.inspection_queue(ctx, w.inspector, limit=10)
    assert page.items[0].item_count == 2 and page.items[0].days_in_status(clock.current) == 0
    clock.advance(days=2)
    assert page.items[0].days_in_status(clock.current) == 2


def test_returns_are_found_by_rma_order_number_or_phone_newest_first(ctx, clock):
    w = build_world(ctx)
    order_no = make_order(w, [("HM-4001", 3)])
    same_order = []
    for _ in range(3):
        same_order.append(authorized_return(w, [("HM-4001", 1, "changed_mind")], order_no=order_no))
        clock.advance(minutes=1)
    other = authorized_return(w, [("AP-2001", 1, "changed_mind")], customer_id=w.customer2_id)

    assert [s.rma_no for s in worklists.find_returns(ctx, w.clerk, same_order[1].lower()).items] == [same_order[1]]
    newest_first = list(reversed(same_order))
    assert walk(lambda **kw: worklists.find_returns(ctx, w.inspector, order_no.lower(), **kw), 2) == newest_first
    assert walk(lambda **kw: worklists.find_returns(ctx, w.inspector, "138 0013 8000", **kw), 2) == newest_first
    assert [s.rma_no for s in worklists.find_returns(ctx, w.finance, "+86 139-0013-9000").items] == [other]
    assert worklists.find_returns(ctx, w.clerk, "nothing like it").items == ()
    with pytest.raises(ValidationFailed, match="check digit does not match"):
        worklists.find_returns(ctx, w.clerk, same_order[0][:-1] + str((int(same_order[0][-1]) + 1) % 10))
    with pytest.raises(ValidationFailed, match="Type or scan an RMA number"):
        worklists.find_returns(ctx, w.clerk, "   ")


def test_a_tampered_cursor_is_refused_in_words(ctx):
    w = build_world(ctx)
    with pytest.raises(ValidationFailed, match="reload the list from the top"):
        worklists.inspection_queue(ctx, w.inspector, after="not-a-cursor")
    with pytest.raises(ValidationFailed, match="reload the list from the top"):
        worklists.expected_returns(ctx, w.inspector, after=Page.encode_cursor(1, 2))


def _plan(conn, db, statement: str, params, *, without_index: str | None = None) -> list[str]:
    """The lines of the plan of ``statement``: SQLite's ``EXPLAIN QUERY PLAN``, or PostgreSQL's
    ``EXPLAIN`` with sequential scans off (so that an index is used wherever one can serve), there
    optionally with the index ``without_index`` dropped inside a transaction that is rolled back."""
    from sqlalchemy import text

    if db.is_sqlite:
        return [str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]
    conn.execute(text("SET enable_seqscan = off"))
    if without_index is not None:
        conn.execute(text(f"DROP INDEX {without_index}"))
    try:
        return [line for (line,) in conn.exec_driver_sql("EXPLAIN " + statement, params)]
    finally:
        conn.rollback()


def test_the_expected_returns_without_a_deadline_are_read_along_their_index(ctx):
    """Not along the primary key with a filter: at a million returns that walk read past 460,000
    others before the first return without a deadline."""
    from .query_plans import recorded_selects

    w = build_world(ctx)
    with recorded_selects(ctx.db) as seen:
        worklists.expected_returns(ctx, w.inspector, limit=5)
    (statement, params), = [(sql, p) for sql, p in seen if "receive_by IS NULL" in sql]
    with ctx.db.engine.connect() as conn:
        plan = _plan(conn, ctx.db, statement, params)
    if ctx.db.is_sqlite:
        assert any("USING INDEX ix_returns_expected (status=? AND receive_by=?)" in line for line in plan), plan
    else:
        assert any("Index Scan using ix_returns_expected" in line for line in plan), plan
        assert any("receive_by IS NULL" in line and "Index Cond" in line for line in plan), plan
    assert not any("Sort" in line or "TEMP B-TREE" in line for line in plan), plan


def test_the_inspection_queue_seeks_in_the_index_of_its_state_on_every_page(ctx, clock):
    """Not along the partial index of open returns by the time they changed, skipping the other
    states' (at a million returns, 17,487 of them before the first received one)."""
    from .query_plans import recorded_selects

    w = build_world(ctx)
    with recorded_selects(ctx.db) as seen:
        first = worklists.inspection_queue(ctx, w.inspector, limit=1)
        worklists.inspection_queue(ctx, w.inspector, limit=1, after=first.next_cursor or Page.encode_cursor(
            clock(), 1))
    pages = [(sql, p) for sql, p in seen if "status_changed_at" in sql and "ORDER BY" in sql]
    assert len(pages) == 2, seen
    with ctx.db.engine.connect() as conn:
        for statement, params in pages:
            plan = _plan(conn, ctx.db, statement, params)
            if ctx.db.is_sqlite:
                assert any("INDEX ix_returns_status_changed (" in line for line in plan), plan
            else:
                assert any("ix_returns_status_changed" in line for line in plan), plan
                assert any("Index Cond" in line and "status" in line for line in plan), plan
                # The plan at scale is what counts; on a test's few rows PostgreSQL picks the state's
                # index either way. So: without that index, the partial indexes of open returns still
                # cannot serve the page, as they did at scale.
                without = _plan(conn, ctx.db, statement, params, without_index="ix_returns_status_changed")
                assert not any("ix_returns_open" in line for line in without), without
            assert not any("Sort" in line or "TEMP B-TREE" in line or "open_since" in line for line in plan), plan


def _in_order_of_deadline(w, rmas: list[str]) -> list[str]:
    def key(rma: str):
        row = return_row(w, rma)
        return (row.receive_by is None, row.receive_by, row.id)

    return sorted(rmas, key=key)


def _without_deadline(ctx, rmas: list[str]) -> None:
    with ctx.db.write() as s:
        s.execute(update(Return).where(Return.rma_no.in_(rmas)).values(receive_by=None))


@pytest.mark.parametrize("first_runs", [True, False])
def test_expected_returns_with_and_without_deadlines_page_at_every_size(ctx, clock, first_runs):
    """Dated returns with deadlines tied in pairs, then returns without a deadline, walked at every
    page size: in order, no repeats, no gaps, across the boundary and after a cursor in either part
    (``first_runs``: each statement's first run is SQLAlchemy's own, the later ones planned)."""
    from returndesk.store import select_rows

    if first_runs:
        select_rows._PLANS.clear()
        select_rows._SEEN_ONCE.clear()
    w = build_world(ctx)
    dated = []
    for _day in range(3):
        dated += [authorized_return(w, [("HM-4001", 1, "changed_mind")]) for _ in range(2)]
        clock.advance(days=1)
    undated = [authorized_return(w, [("HM-4001", 1, "changed_mind")]) for _ in range(5)]
    _without_deadline(ctx, undated)
    expected = _in_order_of_deadline(w, dated + undated)
    assert expected[-5:] == _in_order_of_deadline(w, undated)
    for limit in range(1, len(expected) + 2):
        assert walk(lambda **kw: worklists.expected_returns(ctx, w.inspector, **kw), limit) == expected, limit
    # A page that ends exactly where the dated returns end: the next one starts the others.
    page = worklists.expected_returns(ctx, w.inspector, limit=len(dated))
    assert [s.rma_no for s in page.items] == expected[:len(dated)] and page.next_cursor is not None
    rest = worklists.expected_returns(ctx, w.inspector, limit=len(dated), after=page.next_cursor)
    assert [s.rma_no for s in rest.items] == expected[len(dated):] and rest.next_cursor is None


def test_expected_returns_without_any_deadline_are_read_in_two_statements(ctx):
    """When no return has a deadline, the actor's check rides on the read of those without one
    (two statements, not a third of its own); with no return at all it is still made, and a
    disabled account is refused either way."""
    from returndesk.services.usecases import auth

    from .statements import count_statements

    w = build_world(ctx)
    assert worklists.expected_returns(ctx, w.inspector).items == ()
    auth.change_user(ctx, w.admin, "inspector", active=False)
    with pytest.raises(PermissionDenied):  # nothing to list: checked by a statement of its own
        worklists.expected_returns(ctx, w.inspector)
    auth.change_user(ctx, w.admin, "inspector", active=True)
    undated = [authorized_return(w, [("HM-4001", 1, "changed_mind")]) for _ in range(3)]
    _without_deadline(ctx, undated)
    with count_statements(ctx) as counted:
        page = worklists.expected_returns(ctx, w.inspector, limit=2)
    assert [s.rma_no for s in page.items] == _in_order_of_deadline(w, undated)[:2]
    assert counted.n == 2, counted.listing()
    auth.change_user(ctx, w.admin, "inspector", active=False)
    for after in (None, page.next_cursor):
        with pytest.raises(PermissionDenied):
            worklists.expected_returns(ctx, w.inspector, after=after)
