"""Dialogs of the frame: first start, the server's certificate, first administrator, sign-in."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def grow_to_fit(window: QWidget) -> None:
    """Make a window tall enough for its word-wrapped labels at its current width.

    A top-level window does not grow by itself when a wrapped label gets a longer text (its
    layout's height depends on its width), so a message would be cut off at the bottom.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = max(window.width(), window.minimumWidth())
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    if needed > window.height():
        window.resize(width, needed)
