"""Read-only details as label/value rows (a return's header, a customer, a refund)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

EMPTY_VALUE = "—"


class KeyValueView(QWidget):
    """Rows of ``label: value``; values are selectable text (or any widget, e.g. a StatusPill).

    Rows have a key (by default the label) so that screens update values without knowing the
    translated label::

        view.add_row(self.tr("RMA"), key="rma")
        view.set_value("rma", detail.rma_no)
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._text_rows: set[str] = set()

    def add_row(self, label: str, value: str | QWidget | None = None, *, key: str | None = None) -> str:
        """Append a row; returns its key. A key that exists already is refused."""
        key = label if key is None else key
        if key in self._rows:
            raise ValueError(f"KeyValueView already has a row '{key}'")
        label_widget = QLabel(label, self)
        label_widget.setTextFormat(Qt.TextFormat.PlainText)
        if isinstance(value, QWidget):
            field = value
        else:
            field = self._value_label(value)
            self._text_rows.add(key)
        self._form.addRow(label_widget, field)
        self._rows[key] = (label_widget, field)
        return key

    def set_rows(self, rows: Iterable[tuple[str, str | QWidget | None]]) -> None:
        """Replace all rows with ``(label, value)`` pairs (keys are the labels)."""
        self.clear()
        for label, value in rows:
            self.add_row(label, value)

    def set_value(self, key: str, value: str | None) -> None:
        """Change the text of a text row (``None`` or ``""`` shows "—")."""
        field = self._field(key)
        if key not in self._text_rows:
            raise TypeError(f"row '{key}' holds a widget, not text; update the widget itself")
        assert isinstance(field, QLabel)
        field.setText(value if value else EMPTY_VALUE)

    def value_text(self, key: str) -> str:
        """The text of a text row, or of a label widget ("" for other widgets)."""
        field = self._field(key)
        return field.text() if isinstance(field, QLabel) else ""

    def value_widget(self, key: str) -> QWidget:
        return self._field(key)

    def label_text(self, key: str) -> str:
        return self._rows[key][0].text()

    def keys(self) -> list[str]:
        return list(self._rows)

    def set_row_visible(self, key: str, visible: bool) -> None:
        self._form.setRowVisible(self._rows[key][1], visible)

    def clear(self) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._rows.clear()
        self._text_rows.clear()

    def _field(self, key: str) -> QWidget:
        try:
            return self._rows[key][1]
        except KeyError:
            raise KeyError(f"KeyValueView has no row '{key}'") from None

    def _value_label(self, value: str | None) -> QLabel:
        label = QLabel(value if value else EMPTY_VALUE, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
