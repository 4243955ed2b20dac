"""The counter's cash drawer: the station's shift opened with its float, the cash refunds paid out
of it as they happen, and the close with the counted cash and a note on any difference."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, CashShiftReport, CashShiftView
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import (
    fill_table,
    make_table,
    moment_text,
    parse_amount,
    set_headers,
)
from returndesk.ui.i18n import tr_message

PathChooser = Callable[[str], "Path | None"]


def _when(value: datetime) -> str:
    return moment_text(value)


class CashDrawerScreen(StationScreen):
    """Open, follow and close the cash shift of this station."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 choose_path: PathChooser | None = None, live: object | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("cash_drawer_screen")
        self._choose_path = choose_path or self._ask_path
        self.report: CashShiftReport | None = None
        self.last_closed: CashShiftView | None = None
        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.state_label = QLabel()
        self.state_label.setObjectName("state_label")
        self.state_label.setWordWrap(True)

        self.open_box = QGroupBox()
        self.float_edit = QLineEdit()
        self.float_edit.setObjectName("float_edit")
        self.float_edit.returnPressed.connect(self.open_shift)
        self.open_button = QPushButton()
        self.open_button.setObjectName("open_button")
        self.open_button.clicked.connect(self.open_shift)
        self.float_label = QLabel()
        open_form = QHBoxLayout(self.open_box)
        open_form.addWidget(self.float_label)
        open_form.addWidget(self.float_edit)
        open_form.addWidget(self.open_button)
        open_form.addStretch(1)

        self.shift_box = QGroupBox()
        self.figures_label = QLabel()
        self.figures_label.setObjectName("figures_label")
        self.payments_table = make_table("payments_table")
        self.counted_edit = QLineEdit()
        self.counted_edit.setObjectName("counted_edit")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.close_button = QPushButton()
        self.close_button.setObjectName("close_button")
        self.close_button.clicked.connect(self.close_shift)
        self.report_button = QPushButton()
        self.report_button.setObjectName("report_button")
        self.report_button.clicked.connect(self.save_report)
        self.counted_label = QLabel()
        self.note_label = QLabel()
        close_form = QFormLayout()
        close_form.addRow(self.counted_label, self.counted_edit)
        close_form.addRow(self.note_label, self.note_edit)
        close_row = QHBoxLayout()
        close_row.addWidget(self.close_button)
        close_row.addWidget(self.report_button)
        close_row.addStretch(1)
        shift_layout = QVBoxLayout(self.shift_box)
        shift_layout.addWidget(self.figures_label)
        shift_layout.addWidget(self.payments_table, 1)
        shift_layout.addLayout(close_form)
        shift_layout.addLayout(close_row)

        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.open_box)
        layout.addWidget(self.shift_box, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()
        self.reload()
        self._start_following(None)

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Cash drawer"))
        self.open_box.setTitle(self.tr("Open the shift"))
        self.float_label.setText(self.tr("Float in the drawer (¥)"))
        self.open_button.setText(self.tr("&Open shift"))
        self.counted_label.setText(self.tr("Cash counted (¥)"))
        self.note_label.setText(self.tr("Note on a difference"))
        self.close_button.setText(self.tr("&Close shift"))
        self.report_button.setText(self.tr("Shift &report (PDF)…"))
        set_headers(self.payments_table, [self.tr("Time"), self.tr("Refund"), self.tr("RMA"), self.tr("Paid by"),
                                          self.tr("Amount")])
        self._show()

    def _on_language_changed(self) -> None:
        self.retranslate_ui()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        def read() -> CashShiftReport | None:
            shift = self._api.cash.current_shift()
            return self._api.cash.shift_report(shift.shift_no) if shift is not None else None

        self._tasks.run(read, on_done=self._on_loaded, on_error=self._on_failed, key=("cash", "current"))

    def _on_loaded(self, report: CashShiftReport | None) -> None:
        self.report = report
        self._show()

    def _show(self) -> None:
        report = self.report
        shift = report.shift if report else None
        self.open_box.setVisible(shift is None)
        self.shift_box.setVisible(shift is not None)
        self.report_button.setEnabled(shift is not None or self.last_closed is not None)
        if shift is None or report is None:
            station = self._api.session.station or self._actor.station or ""
            text = self.tr("No cash shift is open at station {station}. Count the float into the drawer and open"
                           " the shift before paying out cash.").format(station=station)
            if self.last_closed is not None:
                text = self._closed_text(self.last_closed) + "\n" + text
            self.state_label.setText(text)
            fill_table(self.payments_table, [])
            return
        self.state_label.setText(self.tr("Shift {shift} at {station}, opened {when} by {who}.").format(
            shift=shift.shift_no, station=shift.station, when=_when(shift.opened_at), who=shift.opened_by))
        self.shift_box.setTitle(self.tr("Shift {shift}").format(shift=shift.shift_no))
        figures = self.tr(
            "Float {float} − %n cash refund(s) {paid} = {expected} expected in the drawer", "", shift.payments).format(
                float=format_amount(shift.float_minor, shift.currency),
                paid=format_amount(shift.paid_out_minor, shift.currency),
                expected=format_amount(shift.expected_minor, shift.currency))
        if shift.collections:
            figures += "\n" + self.tr(
                "The expected cash includes %n exchange difference(s) taken in: {taken}", "", shift.collections).format(
                    taken=format_amount(shift.taken_in_minor, shift.currency))
        self.figures_label.setText(figures)
        rows = [(p.paid_at, [_when(p.paid_at), p.refund_no, p.rma_no, p.paid_by,
                             format_amount(p.amount_minor, shift.currency)]) for p in report.payments]
        rows += [(c.paid_at, [_when(c.paid_at), c.refund_no, c.rma_no, c.paid_by,
                              "+" + format_amount(c.amount_minor, shift.currency)]) for c in report.collections]
        rows.sort(key=lambda row: row[0])
        fill_table(self.payments_table, [row for _at, row in rows], right=(4,))

    def _closed_text(self, shift: CashShiftView) -> str:
        difference = shift.difference_minor or 0
        if difference == 0:
            return self.tr("Shift {shift} closed: the drawer held exactly {counted}.").format(
                shift=shift.shift_no, counted=format_amount(shift.counted_minor, shift.currency))
        kind = self.tr("over") if difference > 0 else self.tr("short")
        return self.tr("Shift {shift} closed {kind} by {difference} (counted {counted}, expected {expected});"
                       " posted as journal entry {entry}.").format(
            shift=shift.shift_no, kind=kind, difference=format_amount(abs(difference), shift.currency),
            counted=format_amount(shift.counted_minor, shift.currency),
            expected=format_amount(shift.expected_minor, shift.currency), entry=shift.entry_no or "—")

    # ------------------------------------------------------------------ acting
    def open_shift(self) -> None:
        try:
            amount = parse_amount(self.float_edit.text(), self.tr("float"))
        except ValidationFailed as exc:
            self._problem(tr_message(exc.message))
            return
        self._tasks.run(self._api.cash.open_shift, amount, on_done=self._on_opened, on_error=self._on_failed,
                        busy=[self.open_button])

    def _on_opened(self, shift: CashShiftView) -> None:
        self.float_edit.clear()
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Shift {shift} opened with {amount}.").format(
            shift=shift.shift_no, amount=format_amount(shift.float_minor, shift.currency)))
        self.reload()

    def close_shift(self) -> None:
        try:
            counted = parse_amount(self.counted_edit.text(), self.tr("cash counted"))
        except ValidationFailed as exc:
            self._problem(tr_message(exc.message))
            return
        self._tasks.run(self._api.cash.close_shift, counted, note=self.note_edit.text().strip() or None,
                        on_done=self._on_closed, on_error=self._on_failed, busy=[self.close_button])

    def _on_closed(self, shift: CashShiftView) -> None:
        self.last_closed = shift
        self.counted_edit.clear()
        self.note_edit.clear()
        self.status_label.setStyleSheet("")
        self.status_label.setText(self._closed_text(shift))
        self.reload()

    def _ask_path(self, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the shift report"), suggested, "*.pdf")
        return Path(chosen) if chosen else None

    def save_report(self) -> None:
        shift = self.report.shift if self.report else self.last_closed
        if shift is None:
            return
        lang = "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"

        def done(data: bytes) -> None:
            path = self._choose_path(f"{shift.shift_no}.pdf")
            if path is not None:
                path.write_bytes(data)
                self.status_label.setText(self.tr("Shift report saved to {path}.").format(path=path))

        self._tasks.run(self._api.cash.shift_report_pdf, shift.shift_no, lang=lang, on_done=done,
                        on_error=self._on_failed, busy=[self.report_button])

    def _problem(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)

    def _on_failed(self, error: BaseException) -> None:
        report = self._errors.report(error) if isinstance(error, ReturnDeskError) else self._errors.present(error)
        self._problem(report.message)

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in ("return", "cash_shift", "any"):
            self.reload()
