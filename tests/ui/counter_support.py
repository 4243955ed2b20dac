"""Helpers for the counter intake screen's tests and pictures: the in-process API session over a
test context, and the screen on it with documents saved to a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from returndesk.api.local import LocalSession
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.store.migrate import SchemaStatus
from returndesk.ui.screens.counter.screen import CounterScreen
from returndesk.ui.screens.counter.documents import pdf_folder_printer
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import World, make_order

#: The conditions the default policy requires, all confirmed.
CONDITIONS = frozenset({"original_packaging", "accessories_complete"})


def session_for(ctx: ServiceContext) -> LocalSession:
    """The API session the application gives its frame, over an already opened test context
    (``session.api_for(actor)`` is what a screen of ``actor`` receives)."""
    # The database choice is what the status bar would show.
    choice = DatabaseChoice.local(Path("returndesk-test.sqlite3"))
    return LocalSession(OpenedDatabase(ctx, choice, SchemaStatus("test", "test", True), False))


def counter_screen(session: LocalSession, tasks: TaskRunner, actor: Actor, out_dir: Path, **kwargs) -> CounterScreen:
    """The counter screen for ``actor``; printed documents are PDF files in ``out_dir``."""
    api = session.api_for(actor)
    screen = CounterScreen(api, tasks, actor, printer=pdf_folder_printer(api, out_dir), **kwargs)
    screen.resize(1000, 720)
    return screen


# --------------------------------------------------------------------------- pictures


def clipped_texts(root: QWidget) -> list[str]:
    """Visible labels and buttons of ``root`` whose text does not fit (cut off or squeezed)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    found.append(f"{name}: {widget.text()!r} needs more height")
            elif widget.width() < widget.sizeHint().width():
                found.append(f"{name}: {widget.text()!r} needs more width")
        elif isinstance(widget, QAbstractButton) and widget.text() and widget.width() < widget.sizeHint().width():
            found.append(f"{name}: {widget.text()!r} needs more width")
    return found


def stage_sale(world: World) -> str:
    """A sale whose lines show every kind of verdict once filled in by :func:`fill_form`:
    within the policy, needing a supervisor's override, and not returnable."""
    return make_order(world, [("AP-2001", 2), ("EL-1002", 1), ("FD-5001", 1), ("HM-4001", 2)], days_ago=3,
                      shipping_minor=1200)


def fill_form(screen: CounterScreen) -> None:
    """Quantities and reasons on :func:`stage_sale`'s lines: the T-shirts within the policy, the
    charger defective (vendor fault), the tea not returnable, the mugs without their packaging."""
    model = screen.lines_model
    model.update_entry(0, quantity=2, reason_code="wrong_size", conditions=CONDITIONS)
    model.update_entry(1, quantity=1, reason_code="defective", condition_notes="Does not charge")
    model.update_entry(2, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    model.update_entry(3, quantity=1, reason_code="changed_mind", conditions=frozenset({"accessories_complete"}))
    screen._select_row(3)


def compose(top: QImage, bottom: QImage, gap: int = 0) -> QImage:
    """Two pictures one above the other."""
    width = max(top.width(), bottom.width())
    image = QImage(width, top.height() + gap + bottom.height(), QImage.Format.Format_RGB32)
    image.fill(QColor("#dfe3e6"))
    painter = QPainter(image)
    painter.drawImage(0, 0, top)
    painter.drawImage(0, top.height() + gap, bottom)
    painter.end()
    return image
