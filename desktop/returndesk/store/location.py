"""Where the database is, without SQLAlchemy: what a station needs to know before it opens one
(the address variable and the local file's default place)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "RETURNDESK_DB_URL"


def default_sqlite_path() -> Path:
    """The local database file in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("ReturnDesk", "ReturnDesk")) / "returndesk.sqlite3"


def resolve_url(url: str | None = None) -> str:
    """``url`` if given, else $RETURNDESK_DB_URL, else the local SQLite file.

    A bare ``postgresql://`` is made explicit as ``postgresql+psycopg://`` (psycopg 3).
    """
    url = url or os.environ.get(ENV_URL) or f"sqlite:///{default_sqlite_path()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
