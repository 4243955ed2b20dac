"""Keyboard-wedge scanner input: ScanRouter and ScanLineEdit.

Key timing comes from the ``scan_clock`` fixture (QTest key events carry timestamp 0). Negative
checks ("this was not a scan") are closed by a control scan: scans are routed in arrival order, so
when the control scan arrives, anything recognised before it would already have been recorded.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from returndesk.ui.scanner import ScanLineEdit, ScannerSettings, ScanRouter, split_aim_id

RMA = "R0000012340"
FAST = 12  # ms between keys: a scanner
SLOW = 150  # ms between keys: a person


class OkDialog(QDialog):
    """A dialog whose OK button is the default: Enter anywhere in it accepts it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.ok_button = QPushButton("OK", self)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.ok_button)
        self.accepted_count = 0
        self.accepted.connect(self._on_accepted)

    def _on_accepted(self) -> None:
        self.accepted_count += 1


class BadgeDialog(OkDialog):
    """A modal dialog that takes scans itself (e.g. a supervisor's badge)."""

    def __init__(self, parent: QWidget | None = None, *, takes: bool = True) -> None:
        super().__init__(parent)
        self.takes = takes
        self.offered: list[str] = []

    def accept_scan(self, text: str) -> bool:
        self.offered.append(text)
        return self.takes


def _key(ch: str) -> Qt.Key:
    return Qt.Key(ord(ch.upper()))


def type_keys(target: QWidget | QWindow, text: str, clock, gap_ms: int) -> None:
    """Type ``text`` one key at a time, ``gap_ms`` apart on the scanner's clock."""
    for ch in text:
        clock.advance(gap_ms)
        if isinstance(target, QWindow):
            # Through the window system path, as real keys arrive.
            QTest.sendKeyEvent(QTest.KeyAction.Click, target, _key(ch), ch, Qt.KeyboardModifier.NoModifier)
        else:
            QTest.keyClicks(target, ch)


def press_enter(target: QWidget | QWindow, clock, gap_ms: int, *, keypad: bool = False) -> None:
    clock.advance(gap_ms)
    if keypad:
        QTest.keyClick(target, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    else:
        QTest.keyClick(target, Qt.Key.Key_Return)


def press_prefix(target: QWidget | QWindow, clock, gap_ms: int = FAST) -> None:
    """STX as a keyboard wedge sends it: Ctrl+B."""
    clock.advance(gap_ms)
    QTest.keyClick(target, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)


def scan(target: QWidget | QWindow, code: str, clock, *, keypad: bool = False, pause: bool = True) -> None:
    """A scanner burst; it starts after a pause unless it follows a prefix."""
    if pause:
        clock.advance(SLOW)
    type_keys(target, code, clock, FAST)
    press_enter(target, clock, FAST, keypad=keypad)


@pytest.fixture
def router(qapp, scan_clock):
    r = ScanRouter(clock=scan_clock)
    r.install(qapp)
    yield r
    r.uninstall()


@pytest.fixture
def scans(router) -> list[str]:
    received: list[str] = []
    router.scanned.connect(received.append)
    return received


@pytest.fixture
def dialog(qtbot) -> OkDialog:
    d = OkDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    d.field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is d.field)
    return d


def control_scan(qtbot, router, code: str = "CONTROL-1") -> None:
    with qtbot.waitSignal(router.scanned, check_params_cb=lambda text: text == code):
        router.submit_scan(code)


# ------------------------------------------------------------------ timing heuristic


def test_scan_into_dialog_with_default_ok_keeps_it_open_and_emits_scanned(qtbot, router, scans, dialog, scan_clock):
    with qtbot.waitSignal(router.scanned) as blocker:
        scan(dialog.field, RMA, scan_clock)

    assert blocker.args == [RMA]
    assert dialog.isVisible()
    assert dialog.accepted_count == 0
    assert dialog.field.text() == ""  # the characters that leaked in were taken out again
    assert scans == [RMA]


def test_slow_typing_is_not_a_scan_and_enter_reaches_the_dialog(qtbot, router, scans, dialog, scan_clock):
    type_keys(dialog.field, RMA, scan_clock, SLOW)
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, SLOW)

    assert dialog.field.text() == RMA
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]


def test_fast_keys_then_a_late_enter_is_typing(qtbot, router, scans, dialog, scan_clock):
    type_keys(dialog.field, "1234", scan_clock, FAST)
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, SLOW)
    assert dialog.field.text() == "1234"
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]


def test_a_short_fast_burst_is_typing(qtbot, router, scans, dialog, scan_clock):
    type_keys(dialog.field, "12", scan_clock, FAST)
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, FAST)
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]


def test_scan_after_typing_removes_only_the_scanned_part(qtbot, router, scans, dialog, scan_clock):
    type_keys(dialog.field, "note ", scan_clock, SLOW)
    with qtbot.waitSignal(router.scanned) as blocker:
        scan(dialog.field, RMA, scan_clock)
    assert blocker.args == [RMA]
    assert dialog.field.text() == "note "
    assert dialog.isVisible()


def test_keypad_enter_ends_a_scan(qtbot, router, scans, dialog, scan_clock):
    with qtbot.waitSignal(router.scanned) as blocker:
        scan(dialog.field, "4006381333931", scan_clock, keypad=True)
    assert blocker.args == ["4006381333931"]
    assert dialog.isVisible()


def test_keys_through_the_window_are_processed_once(qtbot, router, scans, dialog, scan_clock):
    # Real keys reach the filter at the QWindow and again at the focus widget.
    window = dialog.windowHandle()
    type_keys(window, "ab", scan_clock, SLOW)
    assert dialog.field.text() == "ab"

    with qtbot.waitSignal(router.scanned) as blocker:
        scan(window, RMA, scan_clock)

    assert blocker.args == [RMA]
    assert dialog.field.text() == "ab"
    assert dialog.isVisible()
    assert dialog.accepted_count == 0


def test_aim_identifier_is_required_and_stripped_in_heuristic_mode(qtbot, router, scans, dialog, scan_clock):
    router.set_settings(ScannerSettings(aim_symbology=True))
    symbologies: list[tuple[str, str]] = []
    router.scanned_with_symbology.connect(lambda s, d: symbologies.append((s, d)))

    type_keys(dialog.field, "ABCDEF", scan_clock, FAST)  # fast, but no AIM id: typing
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, FAST)

    dialog.show()
    dialog.field.clear()
    with qtbot.waitSignal(router.scanned) as blocker:
        scan(dialog.field, "]E04006381333931", scan_clock)
    assert blocker.args == ["4006381333931"]
    assert symbologies == [("]E0", "4006381333931")]
    assert scans == ["4006381333931"]


def test_disabled_router_lets_scans_through_as_typing(qtbot, router, scans, dialog, scan_clock):
    router.set_enabled(False)
    type_keys(dialog.field, RMA, scan_clock, FAST)
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, FAST)
    assert dialog.field.text() == RMA
    router.set_enabled(True)
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]


# ------------------------------------------------------------------ modal dialogs


def test_scan_while_a_modal_dialog_is_open_is_delivered_after_it_closes(qtbot, router, scans, scan_clock):
    main = QWidget()
    qtbot.addWidget(main)
    main.show()
    modal = OkDialog(main)
    modal.setModal(True)
    modal.show()
    qtbot.waitExposed(modal)
    assert QApplication.activeModalWidget() is modal

    with qtbot.waitSignal(router.scan_held) as held:
        scan(modal.field, RMA, scan_clock)

    assert held.args == [RMA]
    assert router.held_scans() == [RMA]
    assert scans == []
    assert modal.isVisible() and modal.accepted_count == 0
    assert modal.field.text() == ""

    with qtbot.waitSignal(router.scanned) as blocker:
        modal.reject()
    assert blocker.args == [RMA]
    assert scans == [RMA]
    assert router.held_scans() == []


def test_several_held_scans_come_out_in_order(qtbot, router, scans, scan_clock):
    modal = OkDialog()
    qtbot.addWidget(modal)
    modal.setModal(True)
    modal.show()
    with qtbot.waitSignal(router.scan_held):
        scan(modal.field, "FIRST-1", scan_clock)
    with qtbot.waitSignal(router.scan_held):
        router.submit_scan("SECOND-2")
    with qtbot.waitSignal(router.scanned, check_params_cb=lambda t: t == "SECOND-2"):
        modal.close()
    assert scans == ["FIRST-1", "SECOND-2"]


def test_a_modal_scan_target_receives_the_scan(qtbot, router, scans, scan_clock):
    modal = BadgeDialog()
    qtbot.addWidget(modal)
    modal.setModal(True)
    modal.show()

    scan(modal.field, "BADGE-0042", scan_clock)
    qtbot.waitUntil(lambda: modal.offered == ["BADGE-0042"])

    assert modal.isVisible() and modal.accepted_count == 0
    modal.reject()
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]


def test_a_scan_the_modal_target_declines_is_held_until_it_closes(qtbot, router, scans, scan_clock):
    modal = BadgeDialog(takes=False)
    qtbot.addWidget(modal)
    modal.setModal(True)
    modal.show()

    with qtbot.waitSignal(router.scan_held):
        scan(modal.field, "NOT-A-BADGE", scan_clock)
    assert modal.offered == ["NOT-A-BADGE"]

    with qtbot.waitSignal(router.scanned) as blocker:
        modal.accept()
    assert blocker.args == ["NOT-A-BADGE"]
    assert modal.offered == ["NOT-A-BADGE"]  # asked once, not again


def test_scan_held_for_a_nested_modal_goes_to_the_outer_target_when_it_closes(qtbot, router, scans, scan_clock):
    outer = BadgeDialog()
    qtbot.addWidget(outer)
    outer.setModal(True)
    outer.show()
    inner = OkDialog(outer)
    inner.setModal(True)
    inner.show()
    assert QApplication.activeModalWidget() is inner

    with qtbot.waitSignal(router.scan_held):
        scan(inner.field, "BADGE-0007", scan_clock)
    inner.reject()
    qtbot.waitUntil(lambda: outer.offered == ["BADGE-0007"])
    assert router.held_scans() == []


def test_a_scan_during_a_dialog_that_a_scan_handler_runs_waits_for_it(qtbot, router, scan_clock):
    # The handler of the first scan opens a dialog with exec() (a nested event loop) while the
    # router is still delivering; the next scan arrives inside that loop.
    received: list[str] = []
    dialogs: list[OkDialog] = []

    def on_scanned(text: str) -> None:
        received.append(text)
        if text != "FIRST-1":
            return
        box = OkDialog()
        qtbot.addWidget(box)
        dialogs.append(box)
        router.scan_held.connect(box.reject)  # the person closes it once the scan is waiting
        QTimer.singleShot(0, lambda: scan(box.field, "SECOND-2", scan_clock))
        box.exec()

    router.scanned.connect(on_scanned)
    with qtbot.waitSignal(router.scanned, check_params_cb=lambda t: t == "SECOND-2"):
        router.submit_scan("FIRST-1")

    assert received == ["FIRST-1", "SECOND-2"]
    [box] = dialogs
    assert box.accepted_count == 0  # the scan's Enter did not press OK
    assert box.field.text() == ""


# ------------------------------------------------------------------ prefix mode


@pytest.fixture
def prefix_router(router):
    router.set_settings(ScannerSettings(prefix="\x02"))
    return router


def test_prefix_scan_is_recognised_whatever_the_timing(qtbot, prefix_router, scans, dialog, scan_clock):
    type_keys(dialog.field, "x", scan_clock, SLOW)
    with qtbot.waitSignal(prefix_router.scanned) as blocker:
        press_prefix(dialog.field, scan_clock)
        type_keys(dialog.field, "RMA-7", scan_clock, 200)  # slower than any heuristic allows
        press_enter(dialog.field, scan_clock, 200)

    assert blocker.args == ["RMA-7"]
    assert dialog.field.text() == "x"  # the scan never reached the field
    assert dialog.isVisible() and dialog.accepted_count == 0


def test_prefix_mode_does_not_take_fast_typing_for_a_scan(qtbot, prefix_router, scans, dialog, scan_clock):
    type_keys(dialog.field, RMA, scan_clock, FAST)
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.field, scan_clock, FAST)
    assert dialog.field.text() == RMA
    control_scan(qtbot, prefix_router)
    assert scans == ["CONTROL-1"]


def test_prefix_scan_through_the_window_beats_a_ctrl_b_shortcut(qtbot, prefix_router, scans, dialog, scan_clock):
    triggered: list[bool] = []
    action = QAction("Bold", dialog)
    action.setShortcut(QKeySequence("Ctrl+B"))
    action.triggered.connect(triggered.append)
    dialog.addAction(action)
    window = dialog.windowHandle()

    with qtbot.waitSignal(prefix_router.scanned) as blocker:
        clock = scan_clock
        clock.advance(FAST)
        QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        scan(window, RMA, clock, keypad=True, pause=False)

    assert blocker.args == [RMA]
    assert triggered == []
    assert dialog.field.text() == ""
    assert dialog.isVisible()


def test_prefix_with_aim_identifier(qtbot, prefix_router, dialog, scan_clock):
    prefix_router.set_settings(ScannerSettings(prefix="\x02", aim_symbology=True))
    with qtbot.waitSignal(prefix_router.scanned_with_symbology) as blocker:
        press_prefix(dialog.field, scan_clock)
        scan(dialog.field, "]C1" + "0109501101020917", scan_clock, pause=False)
    assert blocker.args == ["]C1", "0109501101020917"]


def test_prefix_scan_without_enter_ends_at_the_next_key_after_the_timeout(
    qtbot, prefix_router, scans, dialog, scan_clock
):
    press_prefix(dialog.field, scan_clock)
    type_keys(dialog.field, "ABCD", scan_clock, FAST)
    with qtbot.waitSignal(prefix_router.scanned) as blocker:
        type_keys(dialog.field, "z", scan_clock, 1000)
    assert blocker.args == ["ABCD"]
    assert dialog.field.text() == "z"


def test_prefix_scan_without_enter_ends_when_the_capture_timer_fires(qtbot, prefix_router, scans, dialog, scan_clock):
    prefix_router.set_settings(ScannerSettings(prefix="\x02", capture_timeout_ms=20))
    press_prefix(dialog.field, scan_clock)
    with qtbot.waitSignal(prefix_router.scanned) as blocker:
        type_keys(dialog.field, "ABCD", scan_clock, FAST)
    assert blocker.args == ["ABCD"]


def test_invalid_settings_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="exactly one character"):
        ScannerSettings(prefix="\x02\x03")
    with pytest.raises(ValueError, match="min_length"):
        ScannerSettings(min_length=0)


def test_split_aim_id():
    assert split_aim_id("]C0R0000012340") == ("]C0", "R0000012340")
    assert split_aim_id("R0000012340") == ("", "R0000012340")
    assert split_aim_id("]") == ("", "]")


# ------------------------------------------------------------------ property: the heuristic


@pytest.fixture
def field(qtbot) -> QLineEdit:
    host = QWidget()
    qtbot.addWidget(host)
    edit = QLineEdit(host)
    edit.host = host  # keeps the window alive as long as the field
    host.show()
    return edit


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=st.lists(
        st.tuples(st.sampled_from("ABCDEFGHJKLMNPRSTUVWXYZ0123456789-"), st.integers(min_value=1, max_value=120)),
        min_size=1,
        max_size=14,
    ),
    enter_gap=st.integers(min_value=1, max_value=120),
)
def test_a_burst_is_a_scan_exactly_when_fast_long_and_ended_fast(
    qtbot, router, scans, field, scan_clock, keys, enter_gap
):
    scans.clear()
    field.clear()
    scan_clock.advance(10_000)  # nothing from the previous example is still a burst
    for ch, gap in keys:
        type_keys(field, ch, scan_clock, gap)
    press_enter(field, scan_clock, enter_gap)

    # The scan is the longest tail of keys that each came within 40 ms of the one before.
    text = "".join(ch for ch, _ in keys)
    tail = 1
    while tail < len(keys) and keys[len(keys) - tail][1] <= 40:
        tail += 1
    is_scan = tail >= 4 and enter_gap <= 40

    control_scan(qtbot, router, "CONTROL-9")
    if is_scan:
        assert scans == [text[-tail:], "CONTROL-9"]
        assert field.text() == text[:-tail]
    else:
        assert scans == ["CONTROL-9"]
        assert field.text() == text


# ------------------------------------------------------------------ ScanLineEdit


def test_scan_line_edit_has_the_input_method_disabled(qtbot):
    edit = ScanLineEdit()
    qtbot.addWidget(edit)
    hints = Qt.InputMethodHint
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert edit.inputMethodHints() & hints.ImhLatinOnly
    assert edit.inputMethodHints() & hints.ImhNoPredictiveText
    assert edit.inputMethodHints() & hints.ImhPreferUppercase
    # QLineEdit turns the input method back on in these; the scan field must not.
    edit.setReadOnly(True)
    edit.setReadOnly(False)
    edit.setEchoMode(QLineEdit.EchoMode.Normal)
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert edit.font().pointSizeF() > QLineEdit().font().pointSizeF()


def test_scan_line_edit_emits_trimmed_text_clears_and_keeps_focus(qtbot):
    dlg = QDialog()
    qtbot.addWidget(dlg)
    edit = ScanLineEdit(dlg)
    other = QLineEdit(dlg)
    ok = QPushButton("OK", dlg)
    ok.setDefault(True)
    ok.clicked.connect(dlg.accept)
    layout = QVBoxLayout(dlg)
    for w in (edit, other, ok):
        layout.addWidget(w)
    dlg.show()
    dlg.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    received: list[str] = []
    edit.scanned.connect(received.append)
    edit.scanned.connect(lambda _text: other.setFocus())  # a careless slot moves the focus

    QTest.keyClicks(edit, "  r0000012340 ")
    with qtbot.waitSignal(edit.scanned) as blocker:
        QTest.keyClick(edit, Qt.Key.Key_Return)

    assert blocker.args == ["r0000012340"]
    assert edit.text() == ""
    assert QApplication.focusWidget() is edit
    assert dlg.isVisible() and dlg.result() == 0

    QTest.keyClicks(edit, "   ")
    QTest.keyClick(edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert received == ["r0000012340"]
    assert dlg.isVisible()


def test_router_delivers_scans_to_a_focused_scan_line_edit(qtbot, router, scans, scan_clock):
    host = QWidget()
    qtbot.addWidget(host)
    edit = ScanLineEdit(host)
    host.show()
    host.activateWindow()
    edit.setFocus()

    received: list[str] = []
    edit.scanned.connect(received.append)

    with qtbot.waitSignal(edit.scanned) as blocker:
        scan(edit, RMA, scan_clock)
    assert blocker.args == [RMA]
    assert edit.text() == ""

    edit.clearFocus()
    control_scan(qtbot, router)
    assert scans == ["CONTROL-1"]  # the field had the scan; the router's signal did not repeat it
    assert received == [RMA]


def test_scan_line_edit_takes_the_focus_back_after_a_busy_task(qtbot):
    from returndesk.ui.tasks import TaskRunner

    host = QWidget()
    qtbot.addWidget(host)
    edit = ScanLineEdit(host)
    other = QLineEdit(host)
    layout = QVBoxLayout(host)
    layout.addWidget(edit)
    layout.addWidget(other)
    host.show()
    host.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    runner = TaskRunner(synchronous=True)
    focus_during: list[QWidget | None] = []

    runner.run(lambda: focus_during.append(QApplication.focusWidget()), busy=[edit])

    assert focus_during == [other]  # Qt moved the focus away from the disabled field
    assert edit.isEnabled()
    assert QApplication.focusWidget() is edit

    other.setFocus()  # the person chooses another field: that is respected
    edit.setEnabled(False)
    edit.setEnabled(True)
    assert QApplication.focusWidget() is other
