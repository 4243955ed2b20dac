"""A return's status as a coloured pill, with the translated status name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from returndesk.domain.types import ReturnStatus as S
from returndesk.ui.i18n import tr_status

# (background, text). Colours group the lifecycle: grey not started or dead ends, blue waiting
# for the goods, teal goods in hand, amber waiting for a person, green money settled, red refused.
STATUS_COLOURS: dict[S, tuple[str, str]] = {
    S.DRAFT: ("#b0bec5", "#263238"),
    S.REQUESTED: ("#1565c0", "#ffffff"),
    S.WAITING_FOR_CUSTOMER: ("#ffb300", "#212121"),
    S.AUTHORIZED: ("#1565c0", "#ffffff"),
    S.RECEIVED: ("#00796b", "#ffffff"),
    S.INSPECTED: ("#00796b", "#ffffff"),
    S.AWAITING_APPROVAL: ("#ffb300", "#212121"),
    S.APPROVED: ("#2e7d32", "#ffffff"),
    S.REFUNDED: ("#1b5e20", "#ffffff"),
    S.EXCHANGED: ("#1b5e20", "#ffffff"),
    S.CLOSED: ("#455a64", "#ffffff"),
    S.REJECTED: ("#c62828", "#ffffff"),
    S.REFUND_REJECTED: ("#c62828", "#ffffff"),
    S.CANCELLED: ("#757575", "#ffffff"),
    S.EXPIRED: ("#757575", "#ffffff"),
}


def status_colours(status: S | str) -> tuple[str, str]:
    """``(background, text)`` colours of a status, also for table models' colour roles."""
    return STATUS_COLOURS[S(status)]


class StatusPill(QLabel):
    """Shows one return status; :meth:`set_status` takes the member or its stored code."""

    def __init__(self, status: S | str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self._status: S | None = None
        if status is not None:
            self.set_status(status)
        else:
            self.setVisible(False)

    def status(self) -> S | None:
        return self._status

    def set_status(self, status: S | str | None) -> None:
        """Show ``status``; ``None`` hides the pill."""
        if status is None:
            self._status = None
            self.clear()
            self.setVisible(False)
            return
        self._status = S(status)
        background, foreground = status_colours(self._status)
        self.setText(tr_status(self._status))
        self.setToolTip(self.text())
        radius = (self.fontMetrics().height() + 6) // 2
        self.setStyleSheet(
            f"QLabel {{ background-color: {background}; color: {foreground};"
            f" border-radius: {radius}px; padding: 3px 12px; }}"
        )
        self.setVisible(True)
