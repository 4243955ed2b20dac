"""The schema check at start-up reads the migration chain without Alembic and agrees with it."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from returndesk.store.migrate import alembic_config, known_revisions, schema_status, upgrade


def test_the_chain_read_from_the_scripts_is_alembics():
    script = ScriptDirectory.from_config(alembic_config())
    known = known_revisions()
    assert known.head == script.get_current_head()
    assert known.revisions == {r.revision for r in script.walk_revisions()}


def test_status_of_an_empty_an_upgraded_and_a_newer_database(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'status.sqlite3'}")
    try:
        empty = schema_status(engine)
        assert (empty.current, empty.known, empty.up_to_date) == (None, True, False)
        upgraded = upgrade(engine)
        assert upgraded.current == known_revisions().head and upgraded.up_to_date
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        newer = schema_status(engine)
        assert newer.too_new and not newer.up_to_date
    finally:
        engine.dispose()
