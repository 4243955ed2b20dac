"""The stations tab (name, kind, site, printers) and the sites tab (time zone, return address)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import STATION_KINDS, SiteView, StationView
from returndesk.domain.errors import ReturnDeskError
from returndesk.ui import help
from returndesk.ui.dialogs.station import make_zone_combo
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, tr_document_type
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.tables import (
    fill_table,
    make_table,
    selected_value,
    set_headers,
)

STATION_KIND_NAMES = {
    "counter": QT_TRANSLATE_NOOP("StationsTab", "Counter"),
    "inspection": QT_TRANSLATE_NOOP("StationsTab", "Inspection station"),
    "supervisor": QT_TRANSLATE_NOOP("StationsTab", "Supervisor workstation"),
    "station": QT_TRANSLATE_NOOP("StationsTab", "Other station"),
}
SITE_KIND_NAMES = {
    "store": QT_TRANSLATE_NOOP("SitesTab", "Shop"),
    "warehouse": QT_TRANSLATE_NOOP("SitesTab", "Warehouse"),
}

DialogRunner = Callable[[QDialog], bool]


def _exec(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def _station_kind(code: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("StationsTab", STATION_KIND_NAMES[code]) if code in STATION_KIND_NAMES else code


def _site_kind(code: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SitesTab", SITE_KIND_NAMES[code]) if code in SITE_KIND_NAMES else code


class StationDialog(QDialog):
    """A station's code (new ones only), name, kind and site."""

    def __init__(self, station: StationView | None, sites: list[SiteView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("station_dialog")
        self.setModal(True)
        self.setMinimumWidth(400)
        self.setWindowTitle(self.tr("Station {code}").format(code=station.code) if station else self.tr("Add station"))
        self.code_edit = QLineEdit(station.code if station else "")
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setReadOnly(station is not None)
        self.name_edit = QLineEdit(station.name if station else "")
        self.name_edit.setObjectName("name_edit")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_combo")
        for code in STATION_KINDS:
            self.kind_combo.addItem(_station_kind(code), code)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(station.kind if station else "counter")))
        self.site_combo = QComboBox()
        self.site_combo.setObjectName("site_combo")
        self.site_combo.addItem(self.tr("(no site: the installation's zone)"), "")
        for site in sites:
            if site.code != "*":
                self.site_combo.addItem(f"{site.code} — {site.name}", site.code)
        current_site = station.site if station and station.site else ""
        self.site_combo.setCurrentIndex(max(0, self.site_combo.findData(current_site)))
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Site"), self.site_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class SiteDialog(QDialog):
    """A site's code (new ones only), name, kind, time zone and return address."""

    def __init__(self, site: SiteView | None, default_zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("site_dialog")
        self.setModal(True)
        self.setMinimumWidth(460)
        self.setWindowTitle(self.tr("Site {code}").format(code=site.code) if site else self.tr("Add site"))
        self.code_edit = QLineEdit(site.code if site else "")
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setReadOnly(site is not None)
        self.name_edit = QLineEdit(site.name if site else "")
        self.name_edit.setObjectName("name_edit")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_combo")
        for code in SITE_KIND_NAMES:
            self.kind_combo.addItem(_site_kind(code), code)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(site.kind if site else "store")))
        self.zone_combo = make_zone_combo(site.time_zone if site else default_zone)
        self.address_edit = QPlainTextEdit(site.return_address or "" if site else "")
        self.address_edit.setObjectName("address_edit")
        self.address_edit.setFixedHeight(80)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Time zone"), self.zone_combo)
        form.addRow(self.tr("Return address"), self.address_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class _ListTab(QWidget):
    changed = Signal()

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter, run_dialog: DialogRunner,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self._api = api
        self._tasks = tasks
        self._errors = errors
        self._run_dialog = run_dialog
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._errors.report(error).message if isinstance(error, ReturnDeskError)
                                  else self._errors.present(error).message)


class StationsTab(_ListTab):
    """Stations: name, kind, site, and the printers each document goes to."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 run_dialog: DialogRunner = _exec, parent: QWidget | None = None,
                 printers_dialog: Callable[[str], QDialog] | None = None) -> None:
        super().__init__(api, tasks, errors, run_dialog, parent)
        self.setObjectName("stations_tab")
        self.stations: list[StationView] = []
        self.sites: list[SiteView] = []
        self._printers_dialog = printers_dialog
        self.table = make_table("stations_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_station_button")
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_station_button")
        self.edit_button.clicked.connect(self.edit_selected)
        self.printers_button = QPushButton()
        self.printers_button.setObjectName("printers_station_button")
        self.printers_button.clicked.connect(self.edit_printers)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.printers_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_headers(self.table, [self.tr("Code"), self.tr("Name"), self.tr("Kind"), self.tr("Site"),
                                 self.tr("Printers")])
        self.add_button.setText(self.tr("&Add station…"))
        self.edit_button.setText(self.tr("&Change…"))
        self.printers_button.setText(self.tr("&Printers…"))
        self._show()

    def reload(self) -> None:
        def both() -> tuple[list[StationView], list[SiteView]]:
            return self._api.admin.list_stations(), self._api.admin.list_sites()

        self._tasks.run(both, on_done=self._on_loaded, on_error=self._on_failed, key=("admin", "stations"))

    def _on_loaded(self, result: tuple[list[StationView], list[SiteView]]) -> None:
        self.stations, self.sites = list(result[0]), list(result[1])
        self._show()

    def _show(self) -> None:
        rows = []
        for st in self.stations:
            printers = "; ".join(f"{tr_document_type(doc)}: {dest}" for doc, dest in st.printers)
            rows.append([st.code, st.name, _station_kind(st.kind), st.site or "—",
                         printers or self.tr("as for all stations")])
        fill_table(self.table, rows, [st.code for st in self.stations])
        self._update_buttons()

    def selected(self) -> StationView | None:
        code = selected_value(self.table)
        return next((st for st in self.stations if st.code == code), None)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.printers_button.setEnabled(chosen)

    def edit_selected(self) -> None:
        station = self.selected()
        if station is not None:
            self._edit(station)

    def _edit(self, station: StationView | None) -> None:
        dialog = StationDialog(station, self.sites, self)
        if not self._run_dialog(dialog):
            return
        code = dialog.code_edit.text().strip()

        def done(_view: StationView) -> None:
            self.status_label.setText(self.tr("Station {code} saved.").format(code=code))
            self.changed.emit()
            self.reload()

        self._tasks.run(self._api.admin.save_station, code, name=dialog.name_edit.text().strip() or code,
                        kind=str(dialog.kind_combo.currentData()), site=str(dialog.site_combo.currentData()),
                        on_done=done, on_error=self._on_failed, busy=[self.add_button, self.edit_button])

    def edit_printers(self) -> None:
        station = self.selected()
        if station is None:
            return
        if self._printers_dialog is not None:
            dialog = self._printers_dialog(station.code)
        else:
            from returndesk.ui.dialogs.printer_settings import PrinterSettingsDialog

            dialog = PrinterSettingsDialog(self._api, self._tasks, station.code, self, station_kind=station.kind)
        if self._run_dialog(dialog):
            self.reload()


class SitesTab(_ListTab):
    """Shops and warehouses: name, kind, time zone, return address."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 run_dialog: DialogRunner = _exec, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, errors, run_dialog, parent)
        self.setObjectName("sites_tab")
        self.sites: list[SiteView] = []
        self.table = make_table("sites_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_site_button")
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_site_button")
        self.edit_button.clicked.connect(self.edit_selected)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_headers(self.table, [self.tr("Code"), self.tr("Name"), self.tr("Kind"), self.tr("Time zone"),
                                 self.tr("Return address")])
        self.add_button.setText(self.tr("&Add site…"))
        self.edit_button.setText(self.tr("&Change…"))
        self._show()

    def reload(self) -> None:
        self._tasks.run(self._api.admin.list_sites, on_done=self._on_loaded, on_error=self._on_failed,
                        key=("admin", "sites"))

    def _on_loaded(self, sites: list[SiteView]) -> None:
        self.sites = list(sites)
        self._show()

    def _show(self) -> None:
        rows = [[s.code if s.code != "*" else self.tr("* (all sites)"), s.name, _site_kind(s.kind), s.time_zone,
                 (s.return_address or "").replace("\n", ", ")] for s in self.sites]
        fill_table(self.table, rows, [s.code for s in self.sites])
        self._update_buttons()

    def selected(self) -> SiteView | None:
        code = selected_value(self.table)
        return next((s for s in self.sites if s.code == code), None)

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)

    def edit_selected(self) -> None:
        site = self.selected()
        if site is not None:
            self._edit(site)

    def _edit(self, site: SiteView | None) -> None:
        default_zone = next((s.time_zone for s in self.sites if s.code == "*"), "Asia/Shanghai")
        dialog = SiteDialog(site, default_zone, self)
        if not self._run_dialog(dialog):
            return
        code = dialog.code_edit.text().strip()

        def done(_view: SiteView) -> None:
            self.status_label.setText(self.tr("Site {code} saved.").format(code=code))
            self.changed.emit()
            self.reload()

        self._tasks.run(self._api.admin.save_site, code, time_zone=dialog.zone_combo.currentText().strip(),
                        name=dialog.name_edit.text().strip() or None, kind=str(dialog.kind_combo.currentData()),
                        return_address=dialog.address_edit.toPlainText().strip(),
                        on_done=done, on_error=self._on_failed, busy=[self.add_button, self.edit_button])
