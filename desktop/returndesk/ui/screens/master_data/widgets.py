"""The panes of the master-data screen: the list with its search, and one edit form per kind."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.types import (
    CategoryRecord,
    CustomerRecord,
    ProductRecord,
    SupplierRecord,
)

from .models import Record

KINDS = ("products", "customers", "suppliers", "categories")
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "products": ("sku", "name_en", "name_zh", "barcodes", "category", "supplier", "price", "cost", "tax_rate",
                 "returnable", "serial_tracked", "restocking_fee_class", "style_code", "variant",
                 "supplier_sku"),
    "customers": ("code", "name", "phone", "email", "address"),
    "suppliers": ("code", "name", "address", "contact", "phone", "email", "rtv_terms", "handling_fee", "min_claim"),
    "categories": ("code", "name_en", "name_zh", "return_window_days", "returnable"),
}
MONEY = {"price", "cost", "handling_fee", "min_claim"}
BOOLS = {"returnable", "serial_tracked"}
CHOICES = {"rtv_terms": ("credit_at_cost", "cost_minus_fee", "replacement"),
           "restocking_fee_class": ("standard", "exempt")}


class ListPaneWidget(QWidget):
    """The kind tabs, the search field and the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_tabs = QTabBar()
        self.kind_tabs.setObjectName("kind_tabs")
        for _kind in KINDS:
            self.kind_tabs.addTab("")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_button = QPushButton()
        self.search_button.setObjectName("search_button")
        self.table = QTableView()
        self.table.setObjectName("records_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_button")
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_button")
        search = QHBoxLayout()
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_tabs)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)


class RecordFormWidget(QGroupBox):
    """The edit form of one kind of record: an editor and a label per field."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}_form")
        self.labels: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout(self)
        for name in FORM_FIELDS[kind]:
            editor: QWidget
            if name in MONEY:
                spin = QDoubleSpinBox()
                spin.setDecimals(2)
                spin.setRange(0, 99_999_999.99)
                spin.setPrefix("¥ ")
                editor = spin
            elif name == "tax_rate":
                spin = QDoubleSpinBox()
                spin.setDecimals(2)
                spin.setRange(0, 100)
                spin.setSuffix(" %")
                editor = spin
            elif name == "return_window_days":
                days = QSpinBox()
                days.setRange(-1, 3650)
                editor = days
            elif name in BOOLS:
                editor = QCheckBox()
            elif name in CHOICES:
                combo = QComboBox()
                for code in CHOICES[name]:
                    combo.addItem("", code)
                editor = combo
            else:
                editor = QLineEdit()
            editor.setObjectName(f"{kind}_{name}")
            label = QLabel()
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.labels[name] = label
            self.editors[name] = editor
        self.key_name = "sku" if kind == "products" else "code"

    def text(self, name: str) -> str:
        editor = self.editors[name]
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def minor(self, name: str) -> int:
        editor = self.editors[name]
        assert isinstance(editor, QDoubleSpinBox)
        return round(editor.value() * 100)

    def checked(self, name: str) -> bool:
        editor = self.editors[name]
        assert isinstance(editor, QCheckBox)
        return editor.isChecked()

    def choice(self, name: str) -> str:
        editor = self.editors[name]
        assert isinstance(editor, QComboBox)
        return str(editor.currentData())

    def set_value(self, name: str, value: object) -> None:
        editor = self.editors[name]
        if isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
            editor.setCursorPosition(0)  # a long name or address shows its beginning
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue((value if isinstance(value, int) else 0) / 100)
        elif isinstance(editor, QSpinBox):
            editor.setValue(-1 if value is None else int(value))  # type: ignore[call-overload]
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))

    def clear(self) -> None:
        for name in self.editors:
            default: object = True if name == "returnable" else None
            if name == "tax_rate":
                default = 1300
            self.set_value(name, default)

    def load(self, record: Record) -> None:
        for name in self.editors:
            if name == "barcodes" and isinstance(record, ProductRecord):
                self.set_value(name, "; ".join(record.barcodes))
            elif name == "price" and isinstance(record, ProductRecord):
                self.set_value(name, record.price_minor)
            elif name == "cost" and isinstance(record, ProductRecord):
                self.set_value(name, record.cost_minor)
            elif name == "tax_rate" and isinstance(record, ProductRecord):
                self.set_value(name, record.tax_rate_bp)
            elif name == "handling_fee" and isinstance(record, SupplierRecord):
                self.set_value(name, record.handling_fee_minor)
            elif name == "min_claim" and isinstance(record, SupplierRecord):
                self.set_value(name, record.min_claim_minor)
            else:
                self.set_value(name, getattr(record, name, None))

    def record(self) -> Record:
        """The record as the form holds it (the services check it)."""
        if self.kind == "products":
            tax = self.editors["tax_rate"]
            assert isinstance(tax, QDoubleSpinBox)
            barcodes = tuple(b for b in self.text("barcodes").replace(",", ";").split(";") if b.strip())
            return ProductRecord(
                sku=self.text("sku"), name_en=self.text("name_en"), name_zh=self.text("name_zh") or None,
                barcodes=tuple(b.strip() for b in barcodes), category=self.text("category"),
                supplier=self.text("supplier") or None, price_minor=self.minor("price"), cost_minor=self.minor("cost"),
                tax_rate_bp=round(tax.value() * 100), returnable=self.checked("returnable"),
                serial_tracked=self.checked("serial_tracked"),
                restocking_fee_class=self.choice("restocking_fee_class"),
                style_code=self.text("style_code") or None, variant=self.text("variant") or None,
                supplier_sku=self.text("supplier_sku") or None)
        if self.kind == "customers":
            return CustomerRecord(self.text("code"), self.text("name"), self.text("phone") or None,
                                  self.text("email") or None, self.text("address") or None)
        if self.kind == "suppliers":
            return SupplierRecord(self.text("code"), self.text("name"), self.text("address") or None,
                                  self.text("contact") or None, self.text("phone") or None, self.text("email") or None,
                                  self.choice("rtv_terms"), self.minor("handling_fee"), self.minor("min_claim"))
        days = self.editors["return_window_days"]
        assert isinstance(days, QSpinBox)
        return CategoryRecord(self.text("code"), self.text("name_en"), self.text("name_zh"),
                              None if days.value() < 0 else days.value(), self.checked("returnable"))

    def set_key_editable(self, editable: bool) -> None:
        editor = self.editors[self.key_name]
        assert isinstance(editor, QLineEdit)
        editor.setReadOnly(not editable)
