"""Recording a parcel that arrived without a usable RMA label.

The dialog only collects what can be read from the parcel; the inspection screen saves it through
``api.receiving.record_unexpected_parcel`` off the GUI thread. A scan while the dialog is open
(the carrier's tracking barcode, an order number on the packing slip) goes into the field that
has the focus, or into the tracking number while that is empty; any other scan waits until the
dialog closes (the scanner router holds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui import help
from returndesk.ui.scanner import ScanLineEdit


@dataclass(frozen=True)
class ParcelEntry:
    """What the inspector wrote down about a parcel without RMA (empty fields are None)."""

    tracking_no: str | None
    sender: str | None
    order_hint: str | None
    contents: str | None

    @property
    def empty(self) -> bool:
        return not any((self.tracking_no, self.sender, self.order_hint, self.contents))


def _text(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


class UnexpectedParcelDialog(QDialog):
    """Asks for the tracking number, sender, an order number and the contents of a parcel.

    Save emits :attr:`save_requested` with the :class:`ParcelEntry` and keeps the dialog open;
    the screen saves it and then calls :meth:`saved` (closes the dialog) or :meth:`failed` (shows
    why, for a correction).
    """

    save_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.PARCELS)
        self.setObjectName("unexpected_parcel_dialog")
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        # Scan fields: no input method (a Chinese IME must not eat a tracking number), and Enter
        # moves on instead of closing the dialog half filled.
        self.tracking_edit = ScanLineEdit(self, keep_focus=False, scale=1.0)
        self.tracking_edit.setObjectName("tracking_edit")
        self.order_edit = ScanLineEdit(self, keep_focus=False, scale=1.0)
        self.order_edit.setObjectName("order_edit")
        self.sender_edit = QLineEdit(self)
        self.sender_edit.setObjectName("sender_edit")
        self.contents_edit = QPlainTextEdit(self)
        self.contents_edit.setObjectName("contents_edit")
        self.contents_edit.setTabChangesFocus(True)
        self.contents_edit.setMinimumHeight(self.fontMetrics().height() * 4)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c62828;")
        self.problem_label.setVisible(False)
        self.tracking_edit.scanned.connect(self._on_tracking_edit_scanned)
        self.order_edit.scanned.connect(self._on_order_edit_scanned)
        self.sender_edit.returnPressed.connect(self.contents_edit.setFocus)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tracking_label = QLabel()
        self.sender_label = QLabel()
        self.order_label = QLabel()
        self.contents_label = QLabel()
        self.form.addRow(self.tracking_label, self.tracking_edit)
        self.form.addRow(self.sender_label, self.sender_edit)
        self.form.addRow(self.order_label, self.order_edit)
        self.form.addRow(self.contents_label, self.contents_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("buttons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate_ui()
        self.tracking_edit.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Parcel without RMA"))
        self.intro_label.setText(self.tr(
            "Write down what identifies the parcel, so that it is never lost: at least one of the"
            " fields. Scan the carrier's barcode into the tracking number."))
        self.tracking_label.setText(self.tr("&Tracking number"))
        self.tracking_label.setBuddy(self.tracking_edit)
        self.sender_label.setText(self.tr("&Sender"))
        self.sender_label.setBuddy(self.sender_edit)
        self.order_label.setText(self.tr("&Order number"))
        self.order_label.setBuddy(self.order_edit)
        self.contents_label.setText(self.tr("&Contents"))
        self.contents_label.setBuddy(self.contents_edit)
        self.tracking_edit.setPlaceholderText(self.tr("Scan or type, then Enter"))
        self.order_edit.setPlaceholderText(self.tr("From the packing slip, e.g. SO-1042"))
        self.sender_edit.setPlaceholderText(self.tr("Name and city on the parcel"))
        self.contents_edit.setPlaceholderText(self.tr("What is inside, e.g. 2 × USB-C charger, opened"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ values
    def entry(self) -> ParcelEntry:
        """What is in the fields now."""
        return ParcelEntry(
            tracking_no=_text(self.tracking_edit.text()),
            sender=_text(self.sender_edit.text()),
            order_hint=_text(self.order_edit.text()),
            contents=_text(self.contents_edit.toPlainText()),
        )

    def show_problem(self, message: str) -> None:
        """Show why the parcel could not be saved; the dialog stays open for a correction."""
        self.problem_label.setText(message)
        self.problem_label.setVisible(bool(message))

    # ------------------------------------------------------------------ scans
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan fills the focused field, or the empty tracking number."""
        focus = QApplication.focusWidget()
        for edit in (self.tracking_edit, self.order_edit, self.sender_edit):
            if focus is edit:
                edit.setText(text.strip())
                self._advance(edit)
                return True
        if not self.tracking_edit.text().strip():
            self.tracking_edit.setText(text.strip())
            self._advance(self.tracking_edit)
            return True
        return False

    def _advance(self, edit: QWidget) -> None:
        following: dict[QWidget, QWidget] = {self.tracking_edit: self.sender_edit, self.sender_edit: self.order_edit,
                     self.order_edit: self.contents_edit}
        nxt = following.get(edit)
        if nxt is not None:
            nxt.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_tracking_edit_scanned(self, text: str) -> None:
        # ScanLineEdit clears itself after a scan; here the scan is the field's value.
        self.tracking_edit.setText(text)
        self._advance(self.tracking_edit)

    def _on_order_edit_scanned(self, text: str) -> None:
        self.order_edit.setText(text)
        self._advance(self.order_edit)

    def _on_buttons_accepted(self) -> None:
        if self.entry().empty:
            self.show_problem(self.tr(
                "Write down at least one thing that identifies the parcel: the tracking number, the"
                " sender, an order number or what is inside."))
            self.tracking_edit.setFocus()
            return
        self.show_problem("")
        self.set_saving(True)
        self.save_requested.emit(self.entry())

    def set_saving(self, saving: bool) -> None:
        """While the parcel is being saved, Save cannot be pressed twice."""
        self.save_button.setEnabled(not saving)

    def saved(self) -> None:
        """The parcel is recorded: close the dialog."""
        self.set_saving(False)
        self.accept()

    def failed(self, message: str) -> None:
        """The parcel could not be recorded: say why and let the inspector correct it."""
        self.set_saving(False)
        self.show_problem(message)
