"""What the server has used: processor time of its processes and of the database processes behind them.

``GET /api/v1/admin/usage`` answers with these figures; the load test reads them before and after
its stations work and divides by the operations they made. A server started with ``--workers N``
is a supervising process and N worker processes: the figures cover them all, whichever worker
answers. The database's share is the processor time of the PostgreSQL server processes whose
connections carry this server's application name (all its workers' pools and its change feed),
readable only when PostgreSQL runs on the server's machine; otherwise it is null. A database
process whose connection has closed is no longer counted, so its share can only be compared
between two readings while the pools keep their connections (they do, under load).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import text

from returndesk.services.tx.context import ServiceContext
from returndesk.store.usage import LOCAL_HOSTS, process_cpu_seconds

#: The environment variable through which ``returndesk server`` tells its workers the supervisor's process id.
SERVER_PID_ENV = "RETURNDESK_SERVER_PID"


def server_pid() -> int:
    """The server's own process: the supervisor of the workers, or this process when it is alone."""
    try:
        return int(os.environ.get(SERVER_PID_ENV, ""))
    except ValueError:
        return os.getpid()


def application_name() -> str:
    """The name the server's database connections carry: one per server, shared by its workers."""
    return f"returndesk-server/{server_pid()}"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def server_processes() -> list[int]:
    """The server's process ids: the supervisor and its workers, or this process alone."""
    main = server_pid()
    pids = {main, os.getpid()}
    if main != os.getpid():
        pids.update(_children(main))
    return sorted(pids)


def usage(ctx: ServiceContext) -> dict[str, Any]:
    """Processor seconds used so far by the server's processes and its database processes."""
    processes = {pid: process_cpu_seconds(pid) for pid in server_processes()}
    database: float | None = None
    engine = ctx.db.engine
    if engine.dialect.name == "postgresql" and engine.url.host in LOCAL_HOSTS:
        with ctx.db.read() as s:
            backends = [row[0] for row in s.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = current_setting('application_name')"))]
        times = [process_cpu_seconds(pid) for pid in backends]
        database = sum(t for t in times if t is not None)
    return {
        "server_pid": server_pid(),
        "processes": [{"pid": pid, "cpu_seconds": cpu} for pid, cpu in processes.items() if cpu is not None],
        "cpu_seconds": sum(cpu for cpu in processes.values() if cpu is not None),
        "database_cpu_seconds": database,
    }
