"""Alembic environment: runs against the engine the application hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from returndesk.store.engine import make_engine, resolve_url
from returndesk.store.schema import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations copy tables (DROP TABLE of a table other rows refer to); foreign keys must
        # be off, and SQLite ignores the pragma inside a transaction. The driver's connection runs in
        # autocommit (the engine begins transactions itself), so the pragma is set on it directly,
        # before SQLAlchemy begins anything.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        connection.commit()
        if problems:
            raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")
