"""Pictures of the counter intake screen for the user guide, in English and Chinese.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.counter_screenshots --out docs/images/screens

Each picture shows the form with a sale whose lines carry every kind of policy verdict (within the
policy, needing a supervisor's override, not returnable), and below it the result panel of a
walk-in return refunded on the spot. The data is the test world on a temporary SQLite database;
the Chinese texts come from ``resources/i18n/rd_zh_CN.ts``, compiled for the occasion. The run
fails when any text on the screen is cut off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QFrame

WAIT_MS = 10_000
SIZE = (1000, 700)


def wait_for(signal: SignalInstance, check=lambda *args: True) -> tuple:
    """Run the event loop until ``signal`` is emitted with arguments passing ``check``."""
    loop, got = QEventLoop(), []

    def receive(*args: object) -> None:
        if check(*args):
            got.append(args)
            loop.quit()

    signal.connect(receive)
    QTimer.singleShot(WAIT_MS, loop.quit)
    loop.exec()
    signal.disconnect(receive)
    if not got:
        raise TimeoutError(f"no {signal} within {WAIT_MS} ms")
    return got[0]


def compile_catalogue(folder: Path) -> Path:
    """``rd_zh_CN.qm`` from the repository's ``.ts`` source, in ``folder``."""
    from returndesk.ui.i18n import resource_dir

    source = resource_dir("i18n") / "rd_zh_CN.ts"
    code = ("import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease';"
            " sys.exit(lrelease())")
    subprocess.run([sys.executable, "-c", code, str(source), "-qm", str(folder / "rd_zh_CN.qm")], check=True,
                   capture_output=True)
    return folder


def render(out_dir: Path, languages: Sequence[str] = ("en", "zh_CN")) -> list[Path]:
    """Render ``counter_<lang>.png`` into ``out_dir`` for each language; returns the files."""
    from returndesk.domain.types import RefundMethod
    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database
    from returndesk.ui.i18n import install_translations, setup_application
    from returndesk.ui.tasks import TaskRunner
    from tests.conftest import FakeClock
    from tests.integration.factories import build_world, make_order
    from tests.ui.counter_support import CONDITIONS, clipped_texts, compose, counter_screen, fill_form, session_for
    from tests.ui.counter_support import stage_sale

    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    setup_application(app, "en")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="counter-pictures-") as tmp:
        folder = Path(tmp)
        db = Database.open(f"sqlite:///{folder / 'pictures.sqlite3'}")
        ctx = ServiceContext(db=db, clock=FakeClock(), station="COUNTER-1")
        open_database(ctx)
        world = build_world(ctx)
        services = session_for(ctx)
        catalogue = compile_catalogue(folder)
        try:
            for language in languages:
                install_translations(language, catalogue_dir=catalogue if language != "en" else None)
                tasks = TaskRunner()
                screen = counter_screen(services, tasks, world.clerk, folder / "printed")
                screen.resize(*SIZE)
                screen.show()
                screen.search_edit.setText(stage_sale(world))
                screen.find_sale()
                wait_for(screen.sale_loaded)
                fill_form(screen)
                wait_for(screen.preview_updated, lambda preview: preview is not None and len(preview.lines) == 4)
                app.processEvents()
                problems = clipped_texts(screen)
                form = screen.grab().toImage()

                screen.new_return()
                screen.search_edit.setText(make_order(world, [("AP-2001", 2)], channel="store", days_ago=1))
                screen.find_sale()
                wait_for(screen.sale_loaded)
                screen.options.set_refund_method(RefundMethod.CASH)
                screen.lines_model.update_entry(0, quantity=1, reason_code="wrong_size", conditions=CONDITIONS)
                wait_for(screen.preview_updated, lambda preview: preview is not None and preview.ready)
                screen.submit()
                wait_for(screen.return_submitted)
                app.processEvents()
                problems += clipped_texts(screen)
                card = screen.result_panel.findChild(QFrame, "result_card")
                top = card.mapTo(screen, QPoint(0, 0)).y()
                area = QRect(0, max(0, top - 8), screen.width(), card.height() + 16)
                result = screen.grab(area).toImage()
                if problems:
                    raise RuntimeError(f"text cut off in {language}: {problems}")
                path = out_dir / f"counter_{'zh' if language.startswith('zh') else language}.png"
                if not compose(form, result, gap=0).save(str(path)):
                    raise OSError(f"could not write {path}")
                written.append(path)
                screen.close()
                screen.deleteLater()
                tasks.wait_idle(WAIT_MS)
                tasks.shutdown(WAIT_MS)
        finally:
            install_translations("en")
            db.dispose()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ui.counter_screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for counter_en.png and counter_zh.png")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    app = QApplication.instance() or QApplication(["counter-screenshots"])
    for path in render(args.out):
        print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
