"""The analytics on a PostgreSQL read replica (``--read-url``): a second address of the database,
here a login of its own that may only read, stands in for the replica; the figures are read there
and the primary sees none of their statements."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from returndesk.domain.errors import ValidationFailed
from returndesk.services.infra import maintenance
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter

from tests.integration.analytics_support import build_analytics_world, at

pytestmark = [pytest.mark.parametrize("db_url", ["pg"], indirect=True), pytest.mark.pg]

NOV = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), site="SH01")
READER = "returndesk_test_reader"


def _reader_url(db_url: str) -> str:
    """A login that may only read every table of the test database (made once per server)."""
    url = make_url(db_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER,)).fetchone() is None:
            try:
                conn.execute(f"CREATE ROLE {READER} LOGIN")
            except psycopg.errors.DuplicateObject:  # another worker made it meanwhile
                pass
        conn.execute(f'GRANT CONNECT ON DATABASE "{url.database}" TO {READER}')
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {READER}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}")
    return url.set(username=READER, password=None).render_as_string(hide_password=False)


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cur, sql, *rest: seen.append(sql))
    return seen


def test_the_figures_are_read_on_the_replica_and_not_on_the_primary(ctx, clock, db_url):
    clock.current = at(12, 1, 0)
    w = build_analytics_world(ctx)
    expected = (analytics.reason_pareto(ctx, w.manager, NOV), analytics.money(ctx, w.manager, NOV),
                analytics.cycle_times(ctx, w.manager, NOV), analytics.risk(ctx, w.manager, NOV),
                analytics.cycle_trend(ctx, w.manager, NOV))
    maintenance.attach_read_replica(ctx, _reader_url(db_url))
    try:
        assert ctx.read_db is not None and ctx.read_db.engine.url.username == READER
        on_primary, on_replica = _statements(ctx.db.engine), _statements(ctx.read_db.engine)
        got = (analytics.reason_pareto(ctx, w.manager, NOV), analytics.money(ctx, w.manager, NOV),
               analytics.cycle_times(ctx, w.manager, NOV), analytics.risk(ctx, w.manager, NOV),
               analytics.cycle_trend(ctx, w.manager, NOV))
        assert got == expected
        assert on_primary == []
        assert any("return_lines" in sql for sql in on_replica)
        # Saving a target writes on the primary (the replica's login could not).
        analytics.set_stage_targets(ctx, w.manager, {"received": 12})
        assert any("stage_targets" in sql for sql in on_primary)
        with ctx.read_db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar() == READER
    finally:
        ctx.close_read_db()


def test_a_replica_is_a_postgresql_address(ctx):
    with pytest.raises(ValidationFailed, match="read replica"):
        maintenance.attach_read_replica(ctx, "sqlite:////tmp/elsewhere.sqlite3")
    maintenance.attach_read_replica(ctx, None)
    assert ctx.read_db is None


def test_the_report_command_reads_on_the_read_url(ctx, clock, db_url, capsys):
    from returndesk import cli

    clock.current = at(12, 1, 0)
    build_analytics_world(ctx)
    args = ["report", "reasons", "--from", "2026-11-01", "--to", "2026-11-30", "--site", "SH01"]
    assert cli.main([*args, "--url", ctx.db.url, "--read-url", _reader_url(db_url)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[1].startswith("changed_mind,")
    # A replica that cannot be reached is said in words, not as a traceback.
    unreachable = make_url(db_url).set(port=1).render_as_string(hide_password=False)
    assert cli.main([*args, "--url", ctx.db.url, "--read-url", unreachable]) == 1
    assert "Traceback" not in capsys.readouterr().err
