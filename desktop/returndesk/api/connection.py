"""Choosing and remembering the database a station works with (first start), before any session
exists, without loading the database layer. Re-exported from the services' choice module."""

from __future__ import annotations

from returndesk.services.infra.choice import (
    DatabaseChoice,
    DatabaseKind,
    ServerAddress,
    SslMode,
    check_server_url,
    choice_from_url,
    default_local_path,
    forget_password,
    given_database_url,
)

__all__ = [
    "DatabaseChoice", "DatabaseKind", "ServerAddress", "SslMode", "check_server_url",
    "choice_from_url", "default_local_path", "forget_password", "given_database_url",
]
