"""Helpers for the counter intake screen's tests and pictures: a services facade over a test
context, and the screen on it with documents saved to a folder."""

from __future__ import annotations

from pathlib import Path

from returndesk.services.connection import DatabaseChoice, OpenedDatabase
from returndesk.services.context import Actor, ServiceContext
from returndesk.services.facade import Services
from returndesk.store.migrate import SchemaStatus
from returndesk.ui.screens.counter import CounterScreen
from returndesk.ui.screens.counter_documents import pdf_folder_printer
from returndesk.ui.tasks import TaskRunner

#: The conditions the default policy requires, all confirmed.
CONDITIONS = frozenset({"original_packaging", "accessories_complete"})


def services_for(ctx: ServiceContext) -> Services:
    """The facade the application gives its screens, over an already opened test context."""
    # Only the bound workflow modules and the change subscription are used by the screens; the
    # database choice is what the status bar would show.
    choice = DatabaseChoice.local(Path("returndesk-test.sqlite3"))
    return Services(OpenedDatabase(ctx, choice, SchemaStatus("test", "test", True), False))


def counter_screen(services: Services, tasks: TaskRunner, actor: Actor, out_dir: Path, **kwargs) -> CounterScreen:
    """The counter screen for ``actor``; printed documents are PDF files in ``out_dir``."""
    screen = CounterScreen(services, tasks, actor, printer=pdf_folder_printer(services, actor, out_dir), **kwargs)
    screen.resize(1000, 720)
    return screen
