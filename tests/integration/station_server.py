"""The desktop client against a real ReturnDesk server: ``returndesk server`` (uvicorn) on a free
loopback port over the worker's PostgreSQL database, with a self-signed certificate made as
``returndesk server init`` makes it; the screens get the API of a user signed in at that server.

``server_ctx`` is the services' context on the same database (the test arranges data and checks
rows with it, as the administrator on the database host would); the stations never use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from returndesk.api.connection import DatabaseChoice
from returndesk.api.remote import RemoteSession
from returndesk.services.tx.context import Actor, ServiceContext

from .factories import PASSWORD
from .server_support import _Server, _start

__all__ = ["RunningServer", "remote_session", "running_server", "server_ctx", "signed_in"]


@dataclass
class RunningServer:
    db_url: str
    process: _Server
    tls_dir: Path
    fingerprint: str

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.process.port}"

    def choice(self, *, pinned: bool = True) -> DatabaseChoice:
        return DatabaseChoice.remote(self.base_url, self.fingerprint if pinned else None)

    def stop(self) -> None:
        self.process.stop()

    def crash(self) -> None:
        """The server process dies at once (SIGKILL): no goodbye to the stations."""
        self.process.proc.kill()
        self.process.proc.wait(timeout=30)

    def restart(self, tls_dir: Path | None = None) -> None:
        """Start the server again on the same port (with another certificate folder if given)."""
        self.process.stop()
        if tls_dir is not None:
            self.tls_dir = tls_dir
        self.process = _start(self.db_url, "--tls-dir", str(self.tls_dir), port=self.process.port)


@pytest.fixture
def server_ctx(pg_database):
    """The emptied worker database with reference data, and the services' context on it."""
    from returndesk.services.infra.bootstrap import ensure_reference_data
    from returndesk.store.engine import Database

    from tests.conftest import _empty_pg

    _empty_pg(pg_database)
    db = Database.open(pg_database)
    context = ServiceContext(db=db, station="TEST-ADMIN")
    ensure_reference_data(context)
    yield context
    db.dispose()


def make_certificate(folder: Path) -> str:
    from returndesk.server.tls import make_self_signed

    return make_self_signed(folder, ["localhost", "127.0.0.1"]).fingerprint


@pytest.fixture
def running_server(server_ctx, pg_database, tmp_path):
    """The server over the test database, with TLS (a new self-signed certificate)."""
    tls_dir = tmp_path / "server-tls"
    fingerprint = make_certificate(tls_dir)
    server = RunningServer(pg_database, _start(pg_database, "--tls-dir", str(tls_dir)), tls_dir, fingerprint)
    yield server
    server.process.stop()


@pytest.fixture
def remote_session(running_server):
    """The station's session with the server (certificate confirmed), station TEST-1."""
    session = RemoteSession.open(running_server.choice(), station="TEST-1")
    yield session
    session.close()


def signed_in(session: RemoteSession, user: Actor):
    """``user`` signs in at the server: (the API a screen of that user receives, the actor)."""
    actor = session.auth.sign_in(user.username, PASSWORD)
    return session.api_for(actor), actor
