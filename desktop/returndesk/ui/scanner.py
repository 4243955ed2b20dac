"""Keyboard-wedge barcode scanners.

A USB scanner in keyboard-wedge mode "types" the code like a very fast keyboard and ends with
Enter. :class:`ScanRouter` watches every key of the application (it is an application-wide event
filter), tells scans from people typing, and hands each complete scan to exactly one receiver.

Telling a scan from typing
--------------------------
* **Prefix mode** (``ScannerSettings(prefix="\\x02")``, recommended for stations): the scanners are
  programmed to send a prefix character that people never type — STX, which arrives as Ctrl+B.
  Everything after the prefix up to Enter (or keypad Enter) is the scan; those keys never reach a
  widget. Timing plays no part, so this works over remote desktops and with slow Bluetooth
  scanners. If a scanner sends no Enter, the scan ends ``capture_timeout_ms`` after its last key.
* **Timing heuristic** (no prefix): a burst of at least ``min_length`` printable keys, each at most
  ``max_gap_ms`` after the one before, ended by Enter within ``max_gap_ms``, is a scan. The keys
  are *not* held back: they reach the focused widget as they arrive (a person's typing must never
  lag), and when the Enter shows that the burst was a scan, the router deletes the scanned
  characters from the text field they went into (``QLineEdit`` — also inside spin and combo boxes
  —, ``QPlainTextEdit``, ``QTextEdit``), provided they are still there, just before the cursor.
  The alternative, buffering every key and replaying it when it turns out to be typing, would delay
  every keystroke by the gap and reorder keys around focus changes; we chose deletion. Widgets
  that react to each character (a search-as-you-type field, keyboard search in a list) do see the
  characters of a scan; on such screens use prefix mode or a :class:`ScanLineEdit`.
* **AIM symbology identifier** (``aim_symbology=True``): the scanners send ``]`` + code letter +
  modifier (``]C0`` Code 128, ``]C1`` GS1-128, ``]Q1`` QR, ``]E0`` EAN-13...) before the data. The
  router strips it; in heuristic mode a burst must start with one to count as a scan.

Time comes from an injectable monotonic clock (seconds), never from ``QKeyEvent.timestamp()``:
key events synthesized by QTest carry timestamp 0. The clock is read for each key the router looks
at (presses and shortcut overrides), so a test clock should be moved by hand, not per call.

Each physical key is processed once: a real key press reaches the event filter at the ``QWindow``,
then at the focus widget, then at each parent that ignores it; QTest key events start at the
widget. The router processes the first (spontaneous) receiver only. ``ShortcutOverride`` events
are never counted; during a scan they are accepted so that no shortcut fires on the scan's keys.

The terminating Enter of a scan is swallowed (press and release): a dialog's default button does
not fire and a line edit does not emit ``returnPressed``.

Where a scan goes
-----------------
Complete scans are routed from the event loop (never from inside the event filter), in order:

1. ``ScanTarget`` widgets (anything with ``accept_scan(text) -> bool``; :class:`ScanLineEdit` is
   one): the widget that had the focus when the scan ended and its ancestors up to its window,
   innermost first; while a modal dialog is open only those inside it, and the modal dialog itself.
   The first that returns True has the scan.
2. If a modal dialog is open and no target took the scan, it is **held** (``scan_held`` is
   emitted once) and routed again when the dialog closes: a scan is never lost.
3. Otherwise :attr:`ScanRouter.scanned` is emitted.

``scanned_with_symbology(symbology, data)`` is emitted together with ``scanned`` for receivers
that need the AIM identifier (GS1 parsing); ``symbology`` is ``""`` when none was sent.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, cast, runtime_checkable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextCursor, QWindow
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from returndesk.ui.fonts import scale_font

log = logging.getLogger(__name__)

Clock = Callable[[], float]

_KEY_PRESS = QEvent.Type.KeyPress
_KEY_RELEASE = QEvent.Type.KeyRelease
_SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride
_HIDE = QEvent.Type.Hide
_WINDOW_UNBLOCKED = QEvent.Type.WindowUnblocked

ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})
_MODIFIER_KEYS = frozenset(
    int(k)
    for k in (
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
    )
)
# Ctrl + key -> control character. Platforms differ in what QKeyEvent.text() holds for Ctrl+B
# ("\x02" on X11, "b" from QTest, "" elsewhere), so the router derives it from the key.
_CTRL_CHARS = {int(Qt.Key.Key_A) + i: chr(1 + i) for i in range(26)} | {
    int(Qt.Key.Key_At): "\x00",
    int(Qt.Key.Key_BracketLeft): "\x1b",
    int(Qt.Key.Key_Backslash): "\x1c",
    int(Qt.Key.Key_BracketRight): "\x1d",
    int(Qt.Key.Key_AsciiCircum): "\x1e",
    int(Qt.Key.Key_Underscore): "\x1f",
}
# On macOS Qt reports the Command key as Control and the Control key as Meta.
_CTRL_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
_SHORTCUT_MODIFIERS = _CTRL_MODIFIERS | Qt.KeyboardModifier.AltModifier

AIM_ID = re.compile(r"\][A-Za-z][0-9A-Za-z]")


def split_aim_id(raw: str) -> tuple[str, str]:
    """Split ``"]C0R0000012340"`` into ``("]C0", "R0000012340")``; ``("", raw)`` without an id."""
    if AIM_ID.match(raw):
        return raw[:3], raw[3:]
    return "", raw


def key_text(event: QKeyEvent) -> str:
    """The character(s) a key event types, including control characters typed with Ctrl."""
    modifiers = event.modifiers()
    if modifiers & _CTRL_MODIFIERS and not modifiers & Qt.KeyboardModifier.AltModifier:
        # Ctrl+Alt is AltGr on Windows: that types ordinary characters such as "@".
        control = _CTRL_CHARS.get(event.key())
        if control is not None:
            return control
    return event.text()


@runtime_checkable
class ScanTarget(Protocol):
    """A widget that takes scans itself (a dialog waiting for a badge scan, a scan field).

    ``accept_scan`` returns True when it used the scan, False to let the router pass it on.
    """

    def accept_scan(self, text: str) -> bool: ...


@dataclass(frozen=True)
class ScannerSettings:
    """How the station's scanners are programmed; see the module documentation.

    ``prefix`` is one character (``"\\x02"`` = STX = Ctrl+B) or None for the timing heuristic.
    """

    prefix: str | None = None
    aim_symbology: bool = False
    max_gap_ms: float = 40.0
    min_length: int = 4
    capture_timeout_ms: int = 300

    def __post_init__(self) -> None:
        if self.prefix is not None and len(self.prefix) != 1:
            raise ValueError(
                f"the scanner prefix must be exactly one character, not {self.prefix!r};"
                " program the scanners with a single prefix such as STX (\\x02)"
            )
        if self.prefix is not None and self.prefix in "\r\n":
            raise ValueError("the scanner prefix cannot be Enter: Enter ends a scan")
        if self.min_length < 1:
            raise ValueError(f"min_length must be at least 1, not {self.min_length}")
        if self.max_gap_ms <= 0 or self.capture_timeout_ms <= 0:
            raise ValueError("max_gap_ms and capture_timeout_ms must be positive")


@dataclass(eq=False)
class _Burst:
    """Keys that may turn out to be a scan (heuristic mode) or are one (after a prefix)."""

    widget: QWidget | None
    last: float
    chars: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chars)


@dataclass(eq=False)
class _Scan:
    data: str
    symbology: str
    origin: QWidget | None
    held: bool = False
    in_flight: bool = False
    waiting_for: QWidget | None = None
    declined: list[object] = field(default_factory=list)


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def _within(now: float, since: float, limit_ms: float) -> bool:
    # The tolerance keeps exact limits exact despite float clocks (0.081 - 0.041 > 0.040).
    return (now - since) * 1000.0 <= limit_ms + 1e-6


class ScanRouter(QObject):
    """Application-wide keyboard-wedge scanner input; see the module documentation.

    Create one per application, :meth:`install` it, and connect :attr:`scanned`.
    """

    scanned = Signal(str)
    scanned_with_symbology = Signal(str, str)
    scan_held = Signal(str)

    def __init__(
        self,
        settings: ScannerSettings | None = None,
        *,
        clock: Clock = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings or ScannerSettings()
        self._clock = clock
        self._enabled = True
        self._app: QCoreApplication | None = None
        self._capture: _Burst | None = None  # prefix mode, after the prefix
        self._burst: _Burst | None = None  # heuristic mode, fast keys so far
        self._swallowed_releases: set[int] = set()
        self._window_event: tuple[int, int, int, int] | None = None
        self._queue: list[_Scan] = []
        self._capture_timer = QTimer(self)
        self._capture_timer.setSingleShot(True)
        self._capture_timer.timeout.connect(self._on_capture_timer_timeout)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)
        self._apply_settings()

    # ------------------------------------------------------------------ public API

    @property
    def settings(self) -> ScannerSettings:
        return self._settings

    def set_settings(self, settings: ScannerSettings) -> None:
        """Change the scanner programming; a scan in progress is dropped."""
        self._settings = settings
        self._reset_input()
        self._apply_settings()

    def is_enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Stop or resume recognising scans (keys then pass through untouched)."""
        self._enabled = enabled
        if not enabled:
            self._reset_input()

    def install(self, app: QCoreApplication | None = None) -> None:
        """Install as an event filter on the application (once)."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before installing the ScanRouter")
        if self._app is app:
            return
        self.uninstall()
        app.installEventFilter(self)
        self._app = app

    def uninstall(self) -> None:
        """Remove the event filter; held scans stay queued until routed or discarded."""
        if self._app is not None and _alive(self._app):
            self._app.removeEventFilter(self)
        self._app = None
        self._reset_input()

    def submit_scan(self, data: str, symbology: str = "") -> None:
        """Route a scan that did not come from the keyboard (a serial scanner, a test).

        It goes the same way as a keyboard scan, from the event loop.
        """
        self._queue.append(_Scan(data, symbology, QApplication.focusWidget()))
        self._flush_timer.start()

    def held_scans(self) -> list[str]:
        """Scans waiting for a modal dialog to close, oldest first."""
        return [s.data for s in self._queue if s.held]

    def discard_held_scans(self) -> list[str]:
        """Drop the held scans (e.g. on sign-out) and return them."""
        dropped = [s for s in self._queue if s.held and not s.in_flight]
        self._queue = [s for s in self._queue if s not in dropped]
        return [s.data for s in dropped]

    # ------------------------------------------------------------------ event filter

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype == _KEY_PRESS:
            return self._on_key_press(obj, cast(QKeyEvent, event))
        if etype == _KEY_RELEASE:
            return self._on_key_release(obj, cast(QKeyEvent, event))
        if etype == _SHORTCUT_OVERRIDE:
            return self._on_shortcut_override(cast(QKeyEvent, event))
        if (etype == _HIDE or etype == _WINDOW_UNBLOCKED) and self._queue:
            # A modal dialog may have closed: give held scans their way out.
            self._flush_timer.start()
        return False

    def _first_receiver(self, obj: QObject, event: QKeyEvent) -> QObject | None:
        """The object to process ``event`` at, or None when this is a later stop of the same key."""
        if not event.spontaneous():
            # Propagation to parents after the focus widget ignored the key, or a key event
            # sent by code: the key was processed where it entered.
            return None
        signature = (
            shiboken6.getCppPointer(event)[0],
            int(event.type().value),
            event.key(),
            event.timestamp(),
        )
        if isinstance(obj, QWindow):
            self._window_event = signature
            return obj
        if isinstance(obj, QWidget):
            if self._window_event == signature:
                # The window forwarding the key it already showed us to its focus widget.
                self._window_event = None
                return None
            return obj
        return None

    def _on_key_press(self, obj: QObject, event: QKeyEvent) -> bool:
        if not self._enabled:
            return False
        receiver = self._first_receiver(obj, event)
        if receiver is None:
            return False
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift for capitals, Ctrl of Ctrl+B: not part of the data
        now = self._clock()
        if self._settings.prefix is not None:
            return self._prefix_key(receiver, event, key, now)
        return self._heuristic_key(receiver, event, key, now)

    def _on_key_release(self, obj: QObject, event: QKeyEvent) -> bool:
        if not self._swallowed_releases:
            return False
        receiver = self._first_receiver(obj, event)
        if receiver is None or event.isAutoRepeat():
            return False
        key = event.key()
        if key in self._swallowed_releases:
            self._swallowed_releases.discard(key)
            self._window_event = None
            return True
        return False

    def _on_shortcut_override(self, event: QKeyEvent) -> bool:
        # Accepting ShortcutOverride tells Qt the key is wanted as a key press, so no action
        # bound to it fires. Stateless on purpose: it arrives at several receivers per key.
        if not self._enabled:
            return False
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        settings = self._settings
        now = self._clock()
        if settings.prefix is not None:
            wanted = self._capture_is_live(now) or key_text(event) == settings.prefix
        else:
            wanted = key in ENTER_KEYS and self._burst_is_scan(now)
        if wanted:
            event.accept()
            return True
        return False

    def _swallow(self, key: int) -> bool:
        self._swallowed_releases.add(key)
        self._window_event = None
        return True

    # ------------------------------------------------------------------ prefix mode

    def _capture_is_live(self, now: float) -> bool:
        return self._capture is not None and _within(now, self._capture.last, self._settings.capture_timeout_ms)

    def _prefix_key(self, receiver: QObject, event: QKeyEvent, key: int, now: float) -> bool:
        if self._capture is not None and not self._capture_is_live(now):
            self._end_capture()  # the scanner sent no Enter; this key is a new one
        capture = self._capture
        if capture is not None:
            capture.last = now
            if key in ENTER_KEYS:
                self._end_capture()
                return self._swallow(key)
            text = key_text(event)
            if text:
                capture.chars.append(text)
                self._capture_timer.start()
                return self._swallow(key)
            # Arrows, function keys: not something a scanner sends. Give control back.
            self._abandon_capture()
            return False
        if key_text(event) == self._settings.prefix and not event.isAutoRepeat():
            self._capture = _Burst(widget=self._widget_for(receiver), last=now)
            self._capture_timer.start()
            return self._swallow(key)
        return False

    def _end_capture(self) -> None:
        capture, self._capture = self._capture, None
        self._capture_timer.stop()
        if capture is not None and capture.chars:
            self._complete(capture.text, capture.widget)

    def _abandon_capture(self) -> None:
        capture, self._capture = self._capture, None
        self._capture_timer.stop()
        if capture is not None and capture.chars:
            log.warning("scanner input interrupted by a non-character key; dropped %r", capture.text)

    def _on_capture_timer_timeout(self) -> None:
        self._end_capture()

    # ------------------------------------------------------------------ timing heuristic

    def _burst_is_scan(self, now: float) -> bool:
        burst = self._burst
        settings = self._settings
        if burst is None or len(burst.chars) < settings.min_length:
            return False
        if not _within(now, burst.last, settings.max_gap_ms):
            return False
        return not settings.aim_symbology or bool(AIM_ID.match(burst.text))

    def _heuristic_key(self, receiver: QObject, event: QKeyEvent, key: int, now: float) -> bool:
        if key in ENTER_KEYS:
            is_scan = self._burst_is_scan(now)
            burst, self._burst = self._burst, None
            if not is_scan or burst is None:
                return False
            self._remove_leaked(burst.widget, burst.text)
            self._complete(burst.text, burst.widget)
            return self._swallow(key)
        text = event.text()
        if (
            not text
            or not text.isprintable()
            or event.modifiers() & _SHORTCUT_MODIFIERS
            or event.isAutoRepeat()
        ):
            self._burst = None  # editing or shortcut keys: a person is at the keyboard
            return False
        widget = self._widget_for(receiver)
        burst = self._burst
        if (
            burst is None
            or not _within(now, burst.last, self._settings.max_gap_ms)
            or burst.widget is not widget
        ):
            burst = self._burst = _Burst(widget=widget, last=now)
        burst.chars.append(text)
        burst.last = now
        return False

    @staticmethod
    def _remove_leaked(widget: QWidget | None, text: str) -> bool:
        """Delete ``text`` from just before the cursor of the field it was typed into."""
        if not _alive(widget) or not text:
            return False
        if isinstance(widget, QComboBox):
            widget = widget.lineEdit()
        elif isinstance(widget, QAbstractSpinBox):
            widget = widget.findChild(QLineEdit)
        if isinstance(widget, QLineEdit):
            end = widget.cursorPosition()
            start = end - len(text)
            if widget.isReadOnly() or widget.inputMask() or start < 0 or widget.text()[start:end] != text:
                log.debug("scanned text %r not found before the cursor; left in place", text)
                return False
            widget.setSelection(start, len(text))
            widget.del_()
            return True
        if isinstance(widget, (QPlainTextEdit, QTextEdit)):
            if widget.isReadOnly():
                return False
            cursor = widget.textCursor()
            end = cursor.position()
            if end < len(text):
                return False
            cursor.setPosition(end - len(text))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            if cursor.selectedText() != text:
                return False
            cursor.removeSelectedText()
            return True
        return False

    # ------------------------------------------------------------------ routing

    @staticmethod
    def _widget_for(receiver: QObject) -> QWidget | None:
        """The widget a key at ``receiver`` goes to (for a QWindow: its focus widget)."""
        if isinstance(receiver, QWidget):
            return receiver
        focus = QApplication.focusWidget()
        if focus is not None and focus.window().windowHandle() is receiver:
            return focus
        for top in QApplication.topLevelWidgets():
            if top.windowHandle() is receiver:
                return top.focusWidget() or top
        return None

    def _complete(self, raw: str, origin: QWidget | None) -> None:
        symbology, data = split_aim_id(raw) if self._settings.aim_symbology else ("", raw)
        self._queue.append(_Scan(data, symbology, origin))
        self._flush_timer.start()

    def _next_to_route(self, modal: QWidget | None) -> _Scan | None:
        for scan in self._queue:
            if scan.in_flight:
                continue
            if scan.waiting_for is None or scan.waiting_for is not modal:
                return scan
        return None

    def _flush(self) -> None:
        # Every call-out (accept_scan, signal slots) may open a dialog with a nested event
        # loop that re-enters here; the queue is therefore re-read after each call-out.
        while True:
            modal = QApplication.activeModalWidget()
            scan = self._next_to_route(modal)
            if scan is None:
                return
            if self._offer(scan, modal):
                continue
            if scan not in self._queue:
                continue
            if modal is not None:
                scan.waiting_for = modal
                if not scan.held:
                    scan.held = True
                    self.scan_held.emit(scan.data)
                continue
            self._queue.remove(scan)
            self.scanned.emit(scan.data)
            self.scanned_with_symbology.emit(scan.symbology, scan.data)

    def _targets(self, scan: _Scan, modal: QWidget | None) -> list[QWidget]:
        origin = (scan.origin if scan.origin is not None and _alive(scan.origin) and scan.origin.isVisible()
                  else QApplication.focusWidget())
        if modal is not None and origin is not None and origin is not modal and not modal.isAncestorOf(origin):
            origin = None  # focus is outside the modal dialog: only the dialog itself is asked
        chain: list[QWidget] = []
        widget = origin if origin is not None else modal
        while widget is not None:
            chain.append(widget)
            if widget.isWindow():
                break
            widget = widget.parentWidget()
        if modal is not None and not any(w is modal for w in chain):
            chain.append(modal)
        return [
            w
            for w in chain
            if isinstance(w, ScanTarget)
            and w.isVisible()
            and w.isEnabled()
            and not any(w is d for d in scan.declined)
        ]

    def _offer(self, scan: _Scan, modal: QWidget | None) -> bool:
        for target in self._targets(scan, modal):
            scan.in_flight = True
            try:
                taken = bool(cast(ScanTarget, target).accept_scan(scan.data))
            finally:
                scan.in_flight = False
            if taken:
                if scan in self._queue:
                    self._queue.remove(scan)
                return True
            scan.declined.append(target)
        return False

    def _reset_input(self) -> None:
        self._capture = None
        self._burst = None
        self._capture_timer.stop()
        self._swallowed_releases.clear()
        self._window_event = None

    def _apply_settings(self) -> None:
        self._capture_timer.setInterval(int(self._settings.capture_timeout_ms))


class ScanLineEdit(QLineEdit):
    """A dedicated scan field: large, no input method, emits :attr:`scanned` on Enter.

    The text is trimmed; an empty field emits nothing. The field clears itself and keeps the
    focus (unless ``keep_focus=False``): after each scan, and when it is enabled again after being
    disabled while it had the focus (``TaskRunner.run(..., busy=[field])``). It is a
    :class:`ScanTarget`, so with a :class:`ScanRouter` installed a scan ends up here whenever the
    field has the focus. Enter is always consumed, so a dialog's default button never fires from
    this field.
    """

    scanned = Signal(str)

    INPUT_METHOD_HINTS = (
        Qt.InputMethodHint.ImhLatinOnly
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhPreferUppercase
    )

    def __init__(self, parent: QWidget | None = None, *, keep_focus: bool = True, scale: float = 1.6) -> None:
        super().__init__(parent)
        self._keep_focus = keep_focus
        self._refocus_when_enabled = False
        scale_font(self, scale)
        self.setPlaceholderText(self.tr("Scan or type a code, then Enter"))
        self._disable_input_method()

    def _disable_input_method(self) -> None:
        # A Chinese Pinyin IME would otherwise swallow the letters of "RMA..." into a
        # composition. QLineEdit re-enables the attribute in setReadOnly/setEchoMode.
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(self.INPUT_METHOD_HINTS)

    def setReadOnly(self, read_only: bool) -> None:
        super().setReadOnly(read_only)
        self._disable_input_method()

    def setEchoMode(self, mode: QLineEdit.EchoMode) -> None:
        super().setEchoMode(mode)
        self._disable_input_method()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            event.accept()
            self._submit(self.text())
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Qt sets the disabled state before moving the focus away, so this tells "disabled while
        # focused" (a task is running) from the person clicking elsewhere.
        self._refocus_when_enabled = self._keep_focus and not self.isEnabled()
        super().focusOutEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange and self.isEnabled() and self._refocus_when_enabled:
            self._refocus_when_enabled = False
            if self.isVisible():
                self.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept_scan(self, text: str) -> bool:
        """Take a scan from the :class:`ScanRouter` as if it had been typed here and ended by Enter."""
        if not self.isEnabled() or self.isReadOnly():
            return False
        self._submit(text)
        return True

    def _submit(self, text: str) -> None:
        value = text.strip()
        self.clear()
        if value:
            self.scanned.emit(value)
        if self._keep_focus and _alive(self) and self.isVisible() and self.isEnabled():
            self.setFocus(Qt.FocusReason.OtherFocusReason)
