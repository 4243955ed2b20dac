"""A "working…" overlay over a widget while its data loads or a step is saved."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget


class BusyOverlay(QWidget):
    """Covers its parent with a translucent veil, a spinner and a message.

    It appears only after ``delay_ms`` (fast answers cause no flicker) and catches mouse clicks
    while shown. Keyboard focus is not taken away: disable the controls that must not be used
    (``TaskRunner.run(..., busy=[...])`` does). Connect it to a task runner with
    ``runner.busy_changed.connect(overlay.set_busy)`` or call :meth:`start` / :meth:`stop`.
    """

    def __init__(self, parent: QWidget, message: str | None = None, *, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._message = message
        self._angle = 0
        self._active = False
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(delay_ms)
        self._delay.timeout.connect(self._on_delay_timeout)
        self._spin = QTimer(self)
        self._spin.setInterval(80)
        self._spin.timeout.connect(self._on_spin_timeout)
        parent.installEventFilter(self)
        self.hide()

    def message(self) -> str:
        return self._message if self._message is not None else self.tr("Working…")

    def set_message(self, message: str | None) -> None:
        self._message = message
        self.update()

    def is_active(self) -> bool:
        """True from :meth:`start` to :meth:`stop`, even before the overlay becomes visible."""
        return self._active

    def set_busy(self, busy: bool) -> None:
        if busy:
            self.start()
        else:
            self.stop()

    def start(self, message: str | None = None) -> None:
        if message is not None:
            self._message = message
        self._active = True
        if not self.isVisible() and not self._delay.isActive():
            if self._delay.interval() <= 0:
                self._on_delay_timeout()
            else:
                self._delay.start()

    def stop(self) -> None:
        self._active = False
        self._delay.stop()
        self._spin.stop()
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def mousePressEvent(self, event) -> None:
        event.accept()  # the veil is there to stop clicks on what is being saved

    def _on_delay_timeout(self) -> None:
        parent = self.parentWidget()
        if not self._active or parent is None:
            return
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self._spin.start()

    def _on_spin_timeout(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self.palette().window().color()
        veil = QColor(base)
        veil.setAlpha(190)
        painter.fillRect(self.rect(), veil)

        metrics = self.fontMetrics()
        side = max(24, metrics.height() * 2)
        text_height = metrics.height()
        top = (self.height() - side - text_height - 8) / 2
        arc = QRectF((self.width() - side) / 2, top, side, side)
        accent = self.palette().highlight().color()
        track = QColor(accent)
        track.setAlpha(50)
        painter.setPen(QPen(track, side / 8))
        painter.drawEllipse(arc)
        painter.setPen(QPen(accent, side / 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawArc(arc, -self._angle * 16, 100 * 16)

        painter.setPen(self.palette().windowText().color())
        text_rect = QRectF(0, arc.bottom() + 8, self.width(), text_height)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.message())
        painter.end()
