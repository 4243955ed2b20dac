"""Guards against a broken Qt binding: a station runs all day, so leaks in every call add up."""

from __future__ import annotations

import sys


def test_qt_calls_do_not_leak_references_to_none(qapp):
    # PySide6 6.12.0 on Python 3.11 dropped one reference to None per call of a Qt method returning
    # nothing; the process aborted after a few thousand calls. pyproject.toml pins it away.
    before = sys.getrefcount(None)
    for _ in range(2000):
        qapp.processEvents()
    assert abs(sys.getrefcount(None) - before) < 50


def test_pdf_rendering_module_is_available():
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    assert QPdfDocument.__name__ == "QPdfDocument" and QPdfView.__name__ == "QPdfView"
