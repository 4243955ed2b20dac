"""Where the database is, without SQLAlchemy: what a station needs to know before it opens one
(the address variable and the local file's default place)."""

from __future__ import annotations

from pathlib import Path

ENV_URL = "RETURNDESK_DB_URL"


def default_sqlite_path() -> Path:
    """The local database file in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("ReturnDesk", "ReturnDesk")) / "returndesk.sqlite3"
