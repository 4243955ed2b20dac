"""Font sizes relative to the user's: headings, totals and scan fields are drawn larger than the
system font by a factor, so they grow with it (accessibility settings, high-DPI screens)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget


def scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    """Give ``widget`` its own font ``factor`` times the size of the one it has, bold or not."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)
