"""Pictures of the supervisor's approval workstation for the user guide, in English and Chinese.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.approval_screenshots --out docs/images/screens

Each picture shows the queue with several returns (one outside the policy, in red) and, above, the
oldest return selected: its lines, refund figures, the customer's history and the timeline, with
Approve enabled; below, a return the supervisor inspected, whose Approve button is disabled with
the reason in words. The data is the test world on a temporary SQLite database, brought to
"awaiting approval" through the real services; the Chinese texts come from
``resources/i18n/rd_zh_CN.ts``, compiled for the occasion. The run fails when any text on the
screen is cut off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QAbstractButton, QApplication, QHeaderView, QLabel, QStyle, QTableView, QWidget

SIZE = (1280, 820)


def compile_catalogue(folder: Path) -> Path:
    """``rd_zh_CN.qm`` from the repository's ``.ts`` source, in ``folder``."""
    from returndesk.ui.i18n import resource_dir

    source = resource_dir("i18n") / "rd_zh_CN.ts"
    code = ("import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease';"
            " sys.exit(lrelease())")
    subprocess.run([sys.executable, "-c", code, str(source), "-qm", str(folder / "rd_zh_CN.qm")], check=True,
                   capture_output=True)
    return folder


def clipped_texts(root: QWidget) -> list[str]:
    """Visible labels, buttons and table cells of ``root`` whose text does not fit."""
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
        elif isinstance(widget, QTableView) and widget.model() is not None:
            found.extend(_clipped_cells(widget, name))
    return found


def _clipped_cells(table: QTableView, name: str) -> list[str]:
    model, header = table.model(), table.horizontalHeader()
    metrics = QFontMetrics(table.font())
    # The margins an item view keeps on both sides of a cell's text (what its delegate asks for).
    padding = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    found = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        width = header.sectionSize(column)
        title = model.headerData(column, Qt.Orientation.Horizontal)
        # Columns sized to their contents count their title in; the stretching ones may not.
        margin = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        if (title and header.sectionResizeMode(column) != QHeaderView.ResizeMode.ResizeToContents
                and QFontMetrics(header.font()).horizontalAdvance(str(title)) + margin > width):
            found.append(f"{name}: header {title!r} is cut off")
        flags = int(Qt.TextFlag.TextWordWrap) if table.wordWrap() else 0
        for row in range(model.rowCount()):
            if table.visualRect(model.index(row, column)).isEmpty():
                continue  # scrolled out of sight
            text = model.index(row, column).data()
            if not text:
                continue
            # The text as the view lays it out (wrapped when the view wraps) must fit the cell.
            needed = metrics.boundingRect(QRect(0, 0, max(width - padding, 1), 100_000), flags, str(text))
            if needed.width() > width - padding or needed.height() > table.rowHeight(row):
                found.append(f"{name}: {text!r} (row {row}, column {column}) is cut off")
    return found


def stack(top: QImage, bottom: QImage, gap: int = 6) -> QImage:
    """Two pictures one above the other."""
    width = max(top.width(), bottom.width())
    image = QImage(width, top.height() + gap + bottom.height(), QImage.Format.Format_RGB32)
    image.fill(QColor("#b0bec5"))
    painter = QPainter(image)
    painter.drawImage(0, 0, top)
    painter.drawImage(0, top.height() + gap, bottom)
    painter.end()
    return image


def _settle() -> None:
    for _ in range(6):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QCoreApplication.sendPostedEvents()


def stage(world, clock) -> tuple[str, str]:
    """Returns waiting for the supervisor: a mixed one (two lines, a restocking fee, a grade that
    does not fit its reason), one outside the policy, a plain one, and one the supervisor inspected
    (Approve disabled). Returns (the oldest, the one the supervisor inspected)."""
    from returndesk.domain.types import Disposition, Grade
    from tests.integration.factories import make_order
    from tests.integration.money_support import LineSpec, awaiting, receive_and_inspect, take_return

    oldest = awaiting(world, [LineSpec("EL-1002", 1, reason="defective", grade=Grade.B),
                              LineSpec("AP-2001", 2, reason="wrong_size", grade=Grade.B)])
    clock.advance(hours=5, minutes=12)
    awaiting(world, [LineSpec("SH-3001", 1, grade=Grade.C)], in_policy=False)
    clock.advance(hours=3, minutes=40)
    awaiting(world, [LineSpec("HM-4001", 2), LineSpec("EL-1002", 1, grade=Grade.C, disposition=Disposition.REFURBISH)])
    clock.advance(hours=19)
    order_no = make_order(world, [("AP-2001", 1)], customer_id=world.customer2_id)
    specs = [LineSpec("AP-2001", 1)]
    own = take_return(world, order_no, specs)
    receive_and_inspect(world, own, specs, inspector=world.supervisor)
    clock.advance(days=1, hours=2, minutes=25)
    return oldest, own


def render(out_dir: Path, languages: Sequence[str] = ("en", "zh_CN"), size: tuple[int, int] = SIZE) -> list[Path]:
    """Render ``approval_<en|zh>.png`` into ``out_dir``; returns the files written."""
    from returndesk.services.usecases import auth
    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
    from returndesk.services.tx.context import ServiceContext
    from returndesk.api.local import LocalSession
    from returndesk.store.engine import Database
    from returndesk.store.migrate import SchemaStatus
    from returndesk.ui.i18n import install_translations, setup_application
    from returndesk.ui.screens.approval.screen import ApprovalScreen
    from returndesk.ui.screens.approval.documents import PrintedDocument
    from returndesk.ui.tasks import TaskRunner
    from tests.conftest import FakeClock
    from tests.integration.factories import build_world

    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    setup_application(app, "en")
    from argon2 import PasswordHasher

    auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))  # demo users only
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="approval-pictures-") as tmp:
        folder = Path(tmp)
        db = Database.open(f"sqlite:///{folder / 'pictures.sqlite3'}")
        clock = FakeClock()
        ctx = ServiceContext(db=db, clock=clock, station="DESK-1")
        open_database(ctx)
        world = build_world(ctx)
        oldest, own = stage(world, clock)
        session = LocalSession(OpenedDatabase(ctx=ctx, choice=DatabaseChoice.local(folder / "pictures.sqlite3"),
                                              status=SchemaStatus(current=None, head="", known=True), created=False))
        tasks = TaskRunner(synchronous=True)  # every read completes before the picture is taken
        compile_catalogue(folder)
        problems = []
        for language in languages:
            install_translations(language, catalogue_dir=folder)
            screen = ApprovalScreen(session.api_for(world.supervisor), tasks, world.supervisor,
                                    printer=lambda doc, rma, lang: PrintedDocument(doc, rma, "-"))
            screen.resize(*size)
            screen.show()
            _settle()
            pictures = []
            for rma in (oldest, own):
                model = screen.queue_model
                screen.queue_table.setCurrentIndex(model.index(model.row_of(rma), model.RMA))
                _settle()
                problems += [f"{language}, {rma}: {p}" for p in clipped_texts(screen)]
                pictures.append(screen.grab().toImage())
            short = "zh" if language.startswith("zh") else language
            path = out_dir / f"approval_{short}.png"
            # 256 colours are plenty for a screen (and keep the user guide's pictures small).
            picture = stack(*pictures).convertToFormat(
                QImage.Format.Format_Indexed8,
                Qt.ImageConversionFlag.AvoidDither | Qt.ImageConversionFlag.ThresholdDither,
            )
            if not picture.save(str(path), "PNG", 0):
                raise OSError(f"could not write {path}")
            written.append(path)
            screen.close()
            screen.deleteLater()
            _settle()
        install_translations("en", catalogue_dir=folder)
        db.dispose()
    if problems:
        raise SystemExit("Text is cut off:\n" + "\n".join(problems))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the pictures")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="the screen's size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    app = QApplication.instance() or QApplication([])
    for path in render(args.out, size=(int(width), int(height))):
        print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
