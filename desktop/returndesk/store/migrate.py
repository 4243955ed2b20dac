"""Schema upgrades through Alembic; the migration scripts ship in ``returndesk.db.migrations``.

Opening an up-to-date database does not import Alembic: the revisions this application knows are
read from the ``revision`` / ``down_revision`` lines of the scripts (once per process), and the
database's revision from its ``alembic_version`` table. Alembic is imported only to upgrade.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from returndesk.domain.errors import SchemaTooNew
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("returndesk.db") / "migrations"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


@dataclass(frozen=True)
class KnownRevisions:
    """The migration scripts this application ships: every revision, and the newest (head)."""

    revisions: frozenset[str]
    head: str


def _down_revisions(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)  # a merge revision names several


@functools.cache
def known_revisions() -> KnownRevisions:
    """Read the revision chain from the scripts' source without importing Alembic (cached)."""
    revisions: dict[str, tuple[str, ...]] = {}
    for script in (files("returndesk.db") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("__"):
            continue
        found = dict((m.group(1), ast.literal_eval(m.group(2)))
                     for m in _ASSIGNMENT.finditer(script.read_text("utf-8")))
        if "revision" in found:
            revisions[found["revision"]] = _down_revisions(found.get("down_revision"))
    referenced = {down for downs in revisions.values() for down in downs}
    heads = sorted(set(revisions) - referenced)
    if len(heads) != 1:
        raise RuntimeError(f"the migration scripts must have one head, not {heads or 'none'}")
    return KnownRevisions(frozenset(revisions), heads[0])


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


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, None for a database Alembic never touched."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise RuntimeError(f"the database records several schema revisions at once: {', '.join(rows)}")
    return rows[0] if rows else None


def schema_status(engine: Engine) -> SchemaStatus:
    known = known_revisions()
    current = current_revision(engine)
    return SchemaStatus(current=current, head=known.head, known=current is None or current in known.revisions)


def upgrade(engine: Engine) -> SchemaStatus:
    """Bring the schema to the newest revision; refuse a database from a newer application."""
    status = schema_status(engine)
    if status.too_new:
        raise SchemaTooNew(
            msg(
                "This database is at schema revision {current}, which this version of ReturnDesk does not know: it "
                "was upgraded by a newer ReturnDesk. Install that version (or newer) on this station.",
                current=status.current)
        )
    if not status.up_to_date:
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
        return schema_status(engine)
    return status
