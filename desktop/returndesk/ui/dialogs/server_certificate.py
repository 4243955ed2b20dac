"""First contact with a ReturnDesk server whose certificate is self-signed: confirm its fingerprint.

The administrator ran ``returndesk server init`` and got the certificate's SHA-256 fingerprint; the
person setting up the station compares it with the one shown here. Confirmed, the fingerprint is
kept in the station's settings, and a server that later shows another certificate is refused.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui import help
from returndesk.ui.dialogs import grow_to_fit


def fingerprint_lines(fingerprint: str) -> str:
    """The 32 pairs of a SHA-256 fingerprint on two lines of 16, easier to compare by eye."""
    pairs = fingerprint.split(":")
    return "\n".join(":".join(pairs[i:i + 16]) for i in range(0, len(pairs), 16))


class ServerCertificateDialog(QDialog):
    """Shows the server's address, the names and validity of its certificate and the fingerprint;
    **Trust this server** accepts, **Cancel** goes back to the station set-up."""

    def __init__(self, server_url: str, fingerprint: str, *, names: str = "", valid_until: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.SIGNING_IN)
        self.setObjectName("server_certificate_dialog")
        self.setModal(True)
        self.setMinimumWidth(560)
        self.server_url = server_url
        self.fingerprint = fingerprint
        self.intro_label = QLabel()
        self.intro_label.setObjectName("intro_label")
        self.intro_label.setWordWrap(True)
        self.address_value = QLabel(server_url)
        self.address_value.setObjectName("address_value")
        self.names_value = QLabel(names or "—")
        self.names_value.setObjectName("names_value")
        self.names_value.setWordWrap(True)
        self.valid_value = QLabel(valid_until or "—")
        self.valid_value.setObjectName("valid_value")
        self.fingerprint_value = QLabel(fingerprint_lines(fingerprint))
        self.fingerprint_value.setObjectName("fingerprint_value")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), self.font().pointSizeF()))
        mono.setBold(True)
        self.fingerprint_value.setFont(mono)
        self.fingerprint_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_value.setStyleSheet(
            "QLabel { background: #fff8e1; border: 1px solid #ffb300; border-radius: 4px; padding: 8px; }")
        self._labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        for label, value in zip(self._labels, (self.address_value, self.names_value, self.valid_value), strict=True):
            form.addRow(label, value)
        self.fingerprint_label = QLabel()
        self.advice_label = QLabel()
        self.advice_label.setObjectName("advice_label")
        self.advice_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.trust_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.trust_button.setObjectName("trust_button")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setDefault(True)  # Enter does not trust by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.fingerprint_value)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Confirm the server's certificate"))
        self.intro_label.setText(self.tr(
            "This station connects to this ReturnDesk server for the first time. Its certificate is "
            "self-signed, so only you can tell whether it is the right server."))
        texts = (self.tr("Server:"), self.tr("Made for:"), self.tr("Valid until:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.fingerprint_label.setText(self.tr("SHA-256 fingerprint:"))
        self.advice_label.setText(self.tr(
            "Compare every pair with the fingerprint that 'returndesk server init' printed on the server "
            "(the administrator has it). Trust the server only if they are the same; the station then "
            "remembers it and refuses a server that shows another certificate."))
        self.trust_button.setText(self.tr("&Trust this server"))
        self.cancel_button.setText(self.tr("Cancel"))
        grow_to_fit(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
