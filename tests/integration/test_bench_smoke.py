"""The benchmark code runs: a few hundred returns on SQLite through every measurement of bench/run.py.

Nothing here looks at how long anything took; the figures are the benchmark's business.
"""

from __future__ import annotations

import json
import re

import pytest

from bench import run
from bench.dataset import DatasetSpec
from bench.report import Report, findings, render_text, write_json


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    spec = DatasetSpec.for_returns(300, orders=700, seed=3, days=60)
    data_dir = tmp_path_factory.mktemp("bench-data")
    return run.prepare("sqlite", spec, data_dir=data_dir, say=lambda line: None), data_dir


@pytest.mark.slow
def test_a_dataset_is_built_once_and_then_reused(small_dataset):
    dataset, data_dir = small_dataset
    assert not dataset.reused
    assert dataset.build.row_counts["returns"] == dataset.build.returns_written > 0
    assert dataset.build.bulk_rate > 0
    again = run.prepare("sqlite", dataset.spec, data_dir=data_dir, say=lambda line: None)
    assert again.reused and again.url == dataset.url
    assert again.build.built_at == dataset.build.built_at
    assert not list(data_dir.glob("*.building.*"))


@pytest.mark.slow
def test_every_measurement_runs_and_agrees_with_its_floor(small_dataset, qapp, tmp_path):
    dataset, _ = small_dataset
    result = run.measure(dataset, repeat=2, warmup=1, ui_repeat=1, seed=3, say=lambda line: None)
    keys = [r.key for r in result.results]
    for key in ("scan", "return_detail", "approval_first", "inspection_queue", "expected_returns", "latest_returns",
                "sales_phone", "sales_name", "get_sale", "counts_by_reason", "queue_size", "whole_return", "ui_model",
                "ui_screen", "wire_page_send", "wire_page_receive", "wire_detail_receive"):
        assert key in keys
    assert result.missing_indexes == []
    steps = {r.key: r for r in result.results if r.key.startswith("write_")}
    # Steps of every return; authorization and approval only of those whose intake or routing asks
    # for them (which of the data's returns do depends on the day and time the data was built).
    every_return = {"write_intake", "write_receive", "write_unit", "write_complete", "write_refund"}
    assert every_return <= set(steps)
    for r in result.results:
        if r.key == "whole_return":  # whole returns through the services: an absolute target, no floor
            assert r.service.n == 2 and r.floor.n == 0 and r.ratio != r.ratio
            assert " statements)" in r.title
            continue
        if r.key in steps:  # each step of those returns beside its own statements through the driver
            # Steps and floors take whole returns in pairs by turns (two timed each here); a step that
            # only some returns need, or one per unit, counts as often as those returns had it.
            assert r.service.n >= (2 if r.key in every_return else 1) and r.floor.n >= 1, r.key
            assert r.floor.median > 0 and r.ratio == r.ratio, r.key
            assert re.search(r", \d+ statements$", r.title), r.title
            continue
        timed = 1 if r.key.startswith("ui") else 2
        assert r.service.n == r.floor.n == timed, r.key
        assert r.agree is not False, f"{r.key}: the use case and its floor found different rows"
        if r.key.startswith("wire"):  # no SQL: the API's coding beside plain JSON, the same value back
            assert r.agree is True and r.rows > 0 and r.floor.median > 0, r.key
        elif not r.key.startswith("ui"):
            assert r.floor_plan, r.key
            assert r.statements, f"{r.key}: no statement of the use case was recorded"

    # Half the measured returns were taken by their floors' statements, committed by the bare
    # driver: the audit chain they wrote on is still whole.
    from returndesk.services.tx.audit import verify_chain
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    db = Database.open(dataset.url)
    try:
        chain = verify_chain(ServiceContext(db=db, station="bench"))
    finally:
        db.dispose()
    assert chain.ok and chain.events > 0, chain.message

    report = Report(run.datetime.now(run.UTC), run.datetime.now(run.UTC), {"returns": 300}, ((0.0,) * 3,) * 2,
                    [result])
    text = render_text(report)
    assert "Find a return by a scanned RMA" in text and "== Findings" in text
    path = write_json(report, tmp_path)
    saved = json.loads(path.read_text("utf-8"))
    assert saved["backends"][0]["backend"] == "sqlite"
    assert len(saved["backends"][0]["results"]) == len(result.results)
    assert saved["findings"] == findings(report)


def test_the_command_line_asks_for_sane_sizes():
    quick = run.parse_args(["--quick"])
    assert quick.returns == run.QUICK_RETURNS and quick.backends == ["sqlite", "postgresql"]
    assert run.parse_args([]).returns == run.FULL_RETURNS
    assert run.parse_args(["--backends", "both"]).backends == ["sqlite", "postgresql"]
    assert run.parse_args(["--backends", "postgresql"]).backends == ["postgresql"]
    with pytest.raises(SystemExit):
        run.parse_args(["--backends", "oracle"])


def test_plans_that_read_a_whole_table_are_flagged():
    from bench.plans import findings_for, sqlite_plan_lines

    scan = sqlite_plan_lines([(2, 0, 0, "SCAN r")])
    assert [f.severity for f in findings_for("sqlite", scan, "SELECT * FROM returns r WHERE r.notes = ?")] == [
        "full scan"
    ]
    seek = sqlite_plan_lines([(3, 0, 0, "SEARCH returns USING INDEX ix_returns_created (created_at<?)")])
    assert findings_for("sqlite", seek, "SELECT * FROM returns WHERE created_at < ? LIMIT 5") == []
    keyset = ("SELECT * FROM returns WHERE returns.status = ? AND (returns.status_changed_at > ? OR "
              "returns.status_changed_at = ? AND returns.id > ?) ORDER BY returns.status_changed_at LIMIT ?")
    walk = sqlite_plan_lines([(3, 0, 0, "SEARCH returns USING INDEX ix_returns_status_changed (status=?)")])
    assert [f.severity for f in findings_for("sqlite", walk, keyset)] == ["keyset walk"]
    seq = ["Gather  (cost=1000.00..2000.00 rows=1 width=8)", "  ->  Parallel Seq Scan on customers  (cost=0.00..1.00)",
           "        Filter: ((phone)::text ~~ '%1234'::text)"]
    assert [(f.severity, f.table) for f in findings_for("postgresql", seq, "SELECT id FROM customers")] == [
        ("full scan", "customers")]
    limited = ["Limit  (cost=0.29..6.44 rows=51 width=388)",
               "  ->  Index Scan Backward using ix_returns_created on returns  (cost=0.29..6031.76 rows=50000)"]
    assert findings_for("postgresql", limited, "SELECT * FROM returns ORDER BY created_at DESC LIMIT 51") == []
    filtered = [*limited, "        Filter: ((created_at < '2026-10-20'::timestamp with time zone))"]
    assert [
        f.severity for f in findings_for("postgresql", filtered, "SELECT * FROM returns WHERE created_at < $1")
    ] == ["index walk"]


@pytest.mark.slow
def test_the_fast_generator_writes_consistent_returns_and_their_summaries(tmp_path, monkeypatch):
    from returndesk.services.tx.context import ServiceContext
    from sqlalchemy import text

    from returndesk.services.usecases import analytics, finance, worklists
    from returndesk.store.engine import Database

    from bench import cases

    spec = DatasetSpec.for_returns(400, seed=5, days=60, fast=True)
    dataset = run.prepare("sqlite", spec, data_dir=tmp_path, say=lambda line: None)
    counts = dataset.build.row_counts
    assert counts["returns"] == 400 and counts["sales_orders"] == 800
    assert counts["audit_events"] > 3 * 400 and counts["inspection_units"] > 0
    assert sum(dataset.build.returns_by_status.values()) == 400
    db = Database.open(dataset.url)
    try:
        ctx = ServiceContext(db=db, station="bench")
        # Only what the generator leaves out (bench/bulkgen.py): the refunds' credit notes, lines and journal.
        kinds = {p.kind for p in finance.check_books(ctx)}
        assert kinds == {"refund_without_credit_note", "refund_lines_mismatch", "journal_mismatch"}
        # Remote returns carry the deadline their authorization set, as intake's does; counter returns none.
        with db.read() as s:
            deadlines = dict(s.execute(text(
                "SELECT channel || ':' || status || ':' || (receive_by IS NULL), count(*) FROM returns "
                "WHERE status IN ('authorized', 'expired', 'received', 'refunded') GROUP BY 1")).all())
        assert deadlines["remote:authorized:0"] > 0 and deadlines["remote:expired:0"] > 0
        assert not {key for key in deadlines if key.startswith("remote:") and key.endswith(":1")}
        assert not {key for key in deadlines if key.startswith("counter:") and key.endswith(":0")}
        # A return expires after its deadline's day, at the first expiry run (as the demo's).
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM returns WHERE status = 'expired' "
                                  "AND date(status_changed_at) <= receive_by")).scalar_one() == 0
        inspector = cases.sign_in_actors(ctx).inspector
        expected = worklists.expected_returns(ctx, inspector, limit=500).items
        assert len(expected) == deadlines["remote:authorized:0"]
        assert [r.receive_by for r in expected] == sorted(r.receive_by for r in expected)
        f, _, _ = cases._analytics_period(ctx)

        def figures():
            return (analytics.reason_pareto(ctx, None, f), analytics.return_rates(ctx, None, f),
                    analytics.return_rates(ctx, None, f, "channel"), analytics.money(ctx, None, f),
                    analytics.cycle_trend(ctx, None, f), analytics.cycle_times(ctx, None, f).stages)

        summed = figures()
        assert summed[0].returns > 0 and summed[3].refunds > 0 and summed[5]
        # The same figures from the base tables, as a read replica behind the primary takes them.
        monkeypatch.setattr(analytics, "_fresh", lambda ctx: False)
        assert figures() == summed
    finally:
        db.dispose()


@pytest.mark.pg
@pytest.mark.slow
def test_the_floors_of_a_returns_steps_stand_in_for_the_steps_on_postgresql():
    """Each step is first run in a transaction that is rolled back (to learn its statements); every
    other whole return the bare driver then commits them instead of the step: the returns the
    services took and those their floors took are numbered one after the other, with the ids a
    station would have given them (PostgreSQL's sequences are not rolled back by themselves), and
    the audit chain has no gap."""
    import os

    import psycopg
    from sqlalchemy import func, select
    from sqlalchemy.engine import make_url

    from bench import cases
    from bench.dataset import postgres_database_name
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database
    from returndesk.store.schema import AuditEvent, Return
    from tests.conftest import PG_ADMIN_URL

    spec = DatasetSpec.for_returns(120, orders=400, seed=1000 + os.getpid() % 100_000, days=30)
    dataset = run.prepare("postgresql", spec, pg_server=PG_ADMIN_URL, say=lambda line: None)
    db = Database.open(dataset.url)
    try:
        ctx = ServiceContext(db=db, station="bench")
        actors = cases.sign_in_actors(ctx)
        with db.read() as s:
            last_return = s.execute(select(func.max(Return.id))).scalar_one()
            last_event = s.execute(select(func.max(AuditEvent.seq))).scalar_one()
        results = cases.run_whole_returns(ctx, actors, dataset, repeat=2, warmup=1)
        steps = {r.key: r for r in results if r.key.startswith("write_")}
        assert steps["write_unit"].floor.n >= 2 and steps["write_unit"].service.n >= 2
        assert steps["write_intake"].floor.n == steps["write_intake"].service.n == 2
        assert all(r.floor.median > 0 for r in steps.values())
        with db.read() as s:
            made = list(s.execute(select(Return.id).where(Return.id > last_return).order_by(Return.id)).scalars())
            events = s.execute(select(func.count(), func.min(AuditEvent.seq), func.max(AuditEvent.seq))
                               .where(AuditEvent.seq > last_event)).one()
        # One counted, one warm-up of the services and one of the floors, then two pairs by the
        # services and two by their floors (the second of each timed), numbered one after the
        # other as if only the services had run; the audit chain without a gap either.
        assert made == list(range(last_return + 1, last_return + 12))
        with db.read() as s:
            taken = s.execute(select(func.count()).select_from(Return).where(
                Return.id > last_return, Return.status == "refunded")).scalar_one()
        assert taken == 11  # every one of them taken to its refund
        assert events[0] == events[2] - events[1] + 1 and events[1] == last_event + 1
    finally:
        db.dispose()
        admin = make_url(PG_ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{postgres_database_name(spec)}" WITH (FORCE)')
