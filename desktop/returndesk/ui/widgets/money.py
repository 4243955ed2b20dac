"""Money on screen: always through ``returndesk.domain.money.format_money``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from returndesk.domain.money import format_money

NO_AMOUNT = "—"
NEGATIVE_COLOUR = "#c62828"


def format_amount(minor: int | None, currency: str = "CNY") -> str:
    """``12345`` -> ``"¥123.45"``; ``None`` (not known yet) -> ``"—"``."""
    if minor is None:
        return NO_AMOUNT
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"amounts are int minor units, not {type(minor).__name__}")
    return format_money(minor, currency)


class MoneyLabel(QLabel):
    """An amount in minor units; negative amounts (deductions) in red.

    The label keeps to the width of its text (it does not stretch across a form row); in a
    column of amounts give it ``QSizePolicy.Preferred`` so that the text lines up on the right.
    """

    def __init__(self, minor: int | None = None, currency: str = "CNY", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._minor: int | None = None
        self._currency = currency
        self.set_amount(minor)

    def amount(self) -> int | None:
        return self._minor

    def currency(self) -> str:
        return self._currency

    def set_amount(self, minor: int | None, currency: str | None = None) -> None:
        """Show ``minor`` units of ``currency`` (unchanged when None); ``None`` amount shows "—"."""
        text = format_amount(minor, currency or self._currency)
        self._minor = minor
        if currency:
            self._currency = currency
        self.setText(text)
        self.setStyleSheet(f"color: {NEGATIVE_COLOUR};" if minor is not None and minor < 0 else "")
