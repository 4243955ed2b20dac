"""How far a running import is, and its cancellation, for the screen that started it.

An import runs in one transaction; the screen that started it names it with a job id of its own
choosing and asks :func:`progress` while it runs (from another thread, or over the server). A
cancelled job stops at its next step and rolls back: nothing of it is written. Jobs live in the
process that runs the import (the desktop, or the server process that took the request).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from returndesk.domain.errors import Cancelled
from returndesk.domain.messages import msg


class ImportCancelled(Cancelled):
    """The user cancelled the import; nothing was written."""


@dataclass(frozen=True)
class ImportProgress:
    """``stage``: reading, checking, writing or done; ``done`` of ``total`` rows at that stage."""

    job_id: str
    stage: str
    done: int
    total: int
    cancelled: bool


_lock = threading.Lock()
_jobs: dict[str, ImportProgress] = {}
_MAX_JOBS = 200


class Job:
    """The running side of a job: reports progress and stops when cancelled."""

    def __init__(self, job_id: str | None) -> None:
        self.job_id = (job_id or "")[:80]
        if self.job_id:
            with _lock:
                if len(_jobs) >= _MAX_JOBS:
                    _jobs.pop(next(iter(_jobs)))
                earlier = _jobs.get(self.job_id)
                cancelled = earlier.cancelled if earlier is not None else False
                _jobs[self.job_id] = ImportProgress(self.job_id, "reading", 0, 0, cancelled)

    def step(self, stage: str, done: int, total: int) -> None:
        """Record progress; raises ``ImportCancelled`` once the job was cancelled."""
        if not self.job_id:
            return
        with _lock:
            current = _jobs.get(self.job_id)
            cancelled = current.cancelled if current is not None else False
            _jobs[self.job_id] = ImportProgress(self.job_id, stage, done, total, cancelled)
        if cancelled:
            raise ImportCancelled(msg("The import was cancelled; nothing was imported."))

    def finish(self) -> None:
        if self.job_id:
            with _lock:
                current = _jobs.get(self.job_id)
                if current is not None:
                    _jobs[self.job_id] = ImportProgress(self.job_id, "done", current.total, current.total,
                                                        current.cancelled)


def progress(job_id: str) -> ImportProgress:
    """Where the job is (``reading`` 0 of 0 for a job not started yet)."""
    with _lock:
        return _jobs.get(job_id) or ImportProgress(job_id, "reading", 0, 0, False)


def cancel(job_id: str) -> ImportProgress:
    """Ask the job to stop; a job not started yet stops as it starts."""
    with _lock:
        current = _jobs.get(job_id) or ImportProgress(job_id, "reading", 0, 0, False)
        _jobs[job_id] = ImportProgress(job_id, current.stage, current.done, current.total, True)
        return _jobs[job_id]
