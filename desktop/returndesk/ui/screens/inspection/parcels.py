"""Parcels without an RMA, at the inspection station (无单包裹): the shelf's list, and what becomes
of each parcel.

The list shows the open parcels recorded at the dock, oldest first (when, tracking number, sender,
order number found inside, contents, who recorded it). For the chosen parcel the inspector either
**matches it to its return** — scans or types the RMA (customer service found it from the sender or
the order number); an authorized return is received by the match and can be inspected at once —
or **sends it back** to the sender with a note saying why and how. A scan while the window is open
is the RMA of the chosen parcel.

Keyboard: arrows choose the parcel; a scan or the RMA field and Enter matches; Ctrl+Enter sends back
(with the note written); Esc closes.

Signals: ``loaded(int)`` (parcels listed), ``matched(ParcelView)``, ``sent_back(ParcelView)``,
``refused(str)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Page, ParcelView
from returndesk.domain.errors import ReturnDeskError
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.local_time import format_datetime
from returndesk.ui.tasks import TaskRunner

PROBLEM_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
PAGE = 200


def _native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class ParcelsDialog(QDialog):
    """See the module documentation."""

    loaded = Signal(int)
    matched = Signal(object)
    sent_back = Signal(object)
    refused = Signal(str)

    COLUMNS = 6  # arrived, tracking, sender, order, contents, recorded by

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.PARCELS)
        self.setObjectName("parcels_dialog")
        self.setModal(True)
        self.setMinimumSize(900, 480)
        self._api = api
        self._tasks = tasks
        self._key = id(self)
        self._errors = ErrorPresenter(self)
        self._parcels: list[ParcelView] = []
        self._busy = False

        self.intro_label = QLabel()
        self.intro_label.setObjectName("parcels_intro_label")
        self.intro_label.setWordWrap(True)
        self.view = QTableWidget(0, self.COLUMNS)
        self.view.setObjectName("parcels_view")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.view.itemSelectionChanged.connect(self._render)
        self.rma_label = QLabel()
        self.rma_edit = QLineEdit()
        self.rma_edit.setObjectName("parcel_rma_edit")
        self.rma_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.rma_label.setBuddy(self.rma_edit)
        self.rma_edit.returnPressed.connect(self.match)
        self.rma_edit.textChanged.connect(lambda _t: self._render())
        self.match_button = QPushButton()
        self.match_button.setObjectName("parcel_match_button")
        self.match_button.setAutoDefault(False)
        self.match_button.clicked.connect(self.match)
        self.note_label = QLabel()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("parcel_note_edit")
        self.note_label.setBuddy(self.note_edit)
        self.note_edit.textChanged.connect(lambda _t: self._render())
        self.send_back_button = QPushButton()
        self.send_back_button.setObjectName("parcel_send_back_button")
        self.send_back_button.setAutoDefault(False)
        self.send_back_button.clicked.connect(self.send_back)
        self.status_label = QLabel()
        self.status_label.setObjectName("parcels_status_label")
        self.status_label.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("parcels_close_button")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)

        form = QFormLayout()
        match_row = QHBoxLayout()
        match_row.addWidget(self.rma_edit, 1)
        match_row.addWidget(self.match_button)
        form.addRow(self.rma_label, match_row)
        back_row = QHBoxLayout()
        back_row.addWidget(self.note_edit, 1)
        back_row.addWidget(self.send_back_button)
        form.addRow(self.note_label, back_row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(bottom)
        self.send_back_shortcuts = [QShortcut(QKeySequence(k), self) for k in ("Ctrl+Return", "Ctrl+Enter")]
        for item in self.send_back_shortcuts:
            item.activated.connect(self.send_back)

        self.retranslate_ui()
        self._render()
        self.reload()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Parcels without RMA"))
        self.intro_label.setText(self.tr(
            "Parcels that arrived without a usable RMA, oldest first. Choose one; scan or type its RMA to "
            "match it to its return (an authorized return is received at once), or send it back with a note."))
        self.view.setHorizontalHeaderLabels([
            self.tr("Arrived"), self.tr("Tracking number"), self.tr("Sender"), self.tr("Order number"),
            self.tr("Contents"), self.tr("Recorded by")])
        self.rma_label.setText(self.tr("&RMA:"))
        self.rma_edit.setPlaceholderText(self.tr("Scan or type the RMA of the chosen parcel"))
        self.match_button.setText(self.tr("Match (Enter)"))
        self.note_label.setText(self.tr("Send &back:"))
        self.note_edit.setPlaceholderText(self.tr("Why and how it goes back, e.g. “no order found; returned by SF "
                                                  "Express, collect”"))
        self.send_back_button.setText(self.tr("Send back ({key})").format(key=_native("Ctrl+Enter")))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "view"):
            self.retranslate_ui()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            event.accept()  # Enter is the fields'; the window never closes on it
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ the list
    def reload(self) -> None:
        self._tasks.run(self._api.receiving.list_unexpected_parcels, "open", limit=PAGE,
                        on_done=self._on_loaded, on_error=self._on_failed, key=("parcels-list", self._key))

    def _on_loaded(self, page: Page[ParcelView]) -> None:
        chosen = self.current_parcel()
        self._parcels = list(page.items)
        view = self.view
        view.setRowCount(len(self._parcels))
        for row, parcel in enumerate(self._parcels):
            arrived = format_datetime(parcel.received_at)
            values = [arrived, parcel.tracking_no or "—", parcel.sender or "—",
                      parcel.order_hint or "—", parcel.contents or "—", parcel.received_by]
            for column, value in enumerate(values):
                view.setItem(row, column, QTableWidgetItem(value))
        view.resizeColumnsToContents()
        view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        rows = [i for i, p in enumerate(self._parcels) if chosen is not None and p.id == chosen.id]
        if self._parcels:
            view.selectRow(rows[0] if rows else 0)
        if not self._parcels:
            self._say(self.tr("No parcel without RMA is waiting."))
        self._render()
        self.loaded.emit(len(self._parcels))

    def current_parcel(self) -> ParcelView | None:
        row = self.view.currentRow() if hasattr(self, "view") else -1
        return self._parcels[row] if 0 <= row < len(self._parcels) else None

    def _render(self) -> None:
        chosen = self.current_parcel() is not None and not self._busy
        self.match_button.setEnabled(chosen and bool(self.rma_edit.text().strip()))
        self.send_back_button.setEnabled(chosen and len(" ".join(self.note_edit.text().split())) >= 5)
        self.rma_edit.setEnabled(self.current_parcel() is not None)
        self.note_edit.setEnabled(self.current_parcel() is not None)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(PROBLEM_STYLE if problem else OK_STYLE)

    # ------------------------------------------------------------------ matching and sending back
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the window is open is the chosen parcel's RMA."""
        code = text.strip()
        if not code:
            return False
        self.rma_edit.setText(code)
        self.match()
        return True

    def match(self) -> None:
        parcel = self.current_parcel()
        rma = self.rma_edit.text().strip()
        if parcel is None or self._busy:
            return
        if not rma:
            self._say(self.tr("Scan or type the RMA the parcel belongs to."), problem=True)
            return
        self._busy = True
        self._render()
        self._tasks.run(self._api.receiving.match_parcel, parcel.id, rma, on_done=self._on_matched,
                        on_error=self._on_failed, key=("parcels-act", self._key))

    def _on_matched(self, parcel: ParcelView) -> None:
        self._busy = False
        self.rma_edit.clear()
        self._say(self.tr("Parcel #{id} matched to {rma}; take it to inspection.").format(
            id=parcel.id, rma=parcel.matched_rma or ""))
        self.matched.emit(parcel)
        self.reload()

    def send_back(self) -> None:
        parcel = self.current_parcel()
        note = " ".join(self.note_edit.text().split())
        if parcel is None or self._busy:
            return
        if len(note) < 5:
            self._say(self.tr("Write why and how the parcel goes back (at least 5 characters)."), problem=True)
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._busy = True
        self._render()
        self._tasks.run(self._api.receiving.return_parcel, parcel.id, note=note, on_done=self._on_sent_back,
                        on_error=self._on_failed, key=("parcels-act", self._key))

    def _on_sent_back(self, parcel: ParcelView) -> None:
        self._busy = False
        self.note_edit.clear()
        self._say(self.tr("Parcel #{id} goes back to its sender.").format(id=parcel.id))
        self.sent_back.emit(parcel)
        self.reload()

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, ReturnDeskError):
            message = self._errors.report(error, context=self.tr("handling the parcel")).message
        else:
            message = self._errors.present(error, context=self.tr("handling the parcel")).message
        self._say(message, problem=True)
        self._render()
        self.refused.emit(message)


__all__ = ["ParcelsDialog"]
