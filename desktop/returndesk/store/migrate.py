"""Schema upgrades through Alembic; the migration scripts ship in ``returndesk.db.migrations``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from returndesk.domain.errors import SchemaTooNew


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("returndesk.db") / "migrations"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None  # revision in the database, None for an empty database
    head: str  # newest revision this application knows
    known: bool  # the database revision is one this application knows

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def too_new(self) -> bool:
        return self.current is not None and not self.known


def schema_status(engine: Engine) -> SchemaStatus:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    known = current is None or any(r.revision == current for r in script.walk_revisions())
    return SchemaStatus(current=current, head=head, known=known)


def upgrade(engine: Engine) -> SchemaStatus:
    """Bring the schema to the newest revision; refuse a database from a newer application."""
    status = schema_status(engine)
    if status.too_new:
        raise SchemaTooNew(
            f"This database is at schema revision {status.current}, which this version of "
            "ReturnDesk does not know: it was upgraded by a newer ReturnDesk. Install that "
            "version (or newer) on this station."
        )
    if not status.up_to_date:
        command.upgrade(alembic_config(engine), "head")
    return schema_status(engine)
