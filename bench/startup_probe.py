"""One start of a process, timed from inside; run by :mod:`bench.startup` as a child process.

``python bench/startup_probe.py window`` — the floor: a bare PySide6 window shown.
``python bench/startup_probe.py app`` — the desktop client as ``returndesk-gui`` starts it, on the
database of ``$RETURNDESK_SETTINGS``: until the sign-in window is shown, then signs in with
``$BENCH_USER`` / ``$BENCH_PASSWORD`` as soon as it is (the database opens behind the window, and
the sign-in waits for it, as when a clerk types at once) and runs until the main window with its
first screen is shown and the tasks it started are done.
``python bench/startup_probe.py pdf FILE`` — the floor of ``returndesk print label``: a bare
Python process that writes a one-page PDF with reportlab.

Prints one JSON object: wall-clock instants (``time.time()``, compared by the parent with its own
instant before starting the process), the processor time the process had used by then
(``*_cpu``, seconds) and the peak resident memory in MiB.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def _peak_mib() -> float:
    """Peak resident memory of this program. Linux: ``VmHWM`` (``ru_maxrss`` would carry the peak
    of the process that started this one across ``exec``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resident_mib() -> float:
    """Resident memory now (Linux), 0 where /proc is not there."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def _cpu() -> float:
    """Processor time of this process so far (all threads), in seconds."""
    return time.process_time()


def _emit(**figures: float) -> None:
    print(json.dumps({**figures, "peak_mib": _peak_mib()}), flush=True)


def bare_window() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(400, 300)
    window.show()

    def shown() -> None:
        _emit(shown=time.time(), shown_cpu=_cpu())
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


def bare_pdf(path: str) -> int:
    from reportlab.lib.pagesizes import A6
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(path, pagesize=A6)
    canvas.drawString(20, 300, "R0000000001")
    canvas.showPage()
    canvas.save()
    _emit(written=time.time(), written_cpu=_cpu())
    return 0


def desktop_client() -> int:
    from PySide6.QtCore import QTimer

    import returndesk.ui.app as app_module

    figures: dict[str, float] = {}
    original_init = app_module.ReturnDeskApp.__init__

    def init(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        show_main_window = self.show_main_window

        def timed_show_main_window(actor):
            figures["signed_in"] = time.time()
            figures["signed_in_cpu"] = _cpu()
            return show_main_window(actor)

        self.show_main_window = timed_show_main_window
        self.sign_in_window_shown.connect(lambda dialog: on_sign_in(self, dialog))
        self.sign_in_shown.connect(lambda dialog: on_ready())
        self.main_window_shown.connect(lambda window: on_main_window(self, window))

    def on_sign_in(controller, dialog) -> None:
        def go() -> None:
            figures["sign_in_shown"] = time.time()
            figures["sign_in_shown_cpu"] = _cpu()
            figures["sign_in_peak_mib"] = _peak_mib()
            dialog.username_edit.setText(os.environ["BENCH_USER"])
            dialog.password_edit.setText(os.environ["BENCH_PASSWORD"])
            dialog.sign_in()

        QTimer.singleShot(0, go)  # after the dialog's first paint

    def on_ready() -> None:
        figures.setdefault("sign_in_ready", time.time())
        figures.setdefault("sign_in_ready_cpu", _cpu())

    def on_main_window(controller, window) -> None:
        def settled() -> None:
            if not controller.tasks.is_idle():
                QTimer.singleShot(2, settled)
                return
            figures["first_screen"] = time.time()
            figures["first_screen_cpu"] = _cpu()
            figures["first_screen_resident_mib"] = _resident_mib()
            _emit(**figures)
            controller.quit()

        QTimer.singleShot(0, settled)

    app_module.ReturnDeskApp.__init__ = init
    return app_module.main([sys.argv[0]])


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "window":
        raise SystemExit(bare_window())
    if what == "pdf":
        raise SystemExit(bare_pdf(sys.argv[2]))
    if what == "app":
        raise SystemExit(desktop_client())
    raise SystemExit("usage: startup_probe.py window|app|pdf FILE")
