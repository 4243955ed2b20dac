"""The main window: navigation on the left, the current screen, menus and the status bar.

The window shows the screens the signed-in user's role may open (see
:mod:`returndesk.ui.navigation`), starting with the one of the station's profile. Screens are
created the first time they are opened and live until sign-out.

The status bar shows who is signed in and in which role, the station, the database (a local file
or a server, never a password) and the connection state, which :meth:`MainWindow.set_connection_state`
sets (connect ``LiveUpdates.connection_changed`` to it).
"""

from __future__ import annotations

import platform
import sys
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

import returndesk
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, StationTime
from returndesk.domain.errors import PermissionDenied
from returndesk.domain.permissions import Permission, can
from returndesk.domain.scan import RmaScan, classify
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.help import HelpWindow
from returndesk.ui.i18n import tr_message, tr_role
from returndesk.ui.local_time import display_zone_name, set_display_zone
from returndesk.ui.navigation import ScreenEntry, entries_for, start_entry
from returndesk.ui.settings import LANGUAGE_NAMES, LANGUAGES, LocalSettings, StationProfile, profile_name
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.ui.dialogs.printer_settings import PrinterSettingsDialog
    from returndesk.ui.dialogs.scanner_settings import ScannerSettingsDialog
    from returndesk.ui.dialogs.station import StationSettingsDialog
    from returndesk.ui.live import LiveUpdates
    from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog

KeyRole = Qt.ItemDataRole.UserRole + 1


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _native(sequence: QKeySequence | QKeySequence.StandardKey | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class MainWindow(QMainWindow):
    """The frame around the screens of one signed-in user.

    Signals: ``sign_out_requested`` (File ▸ Sign out), ``quit_requested`` (File ▸ Quit, or the
    window closed), ``station_settings_changed(profile, name)`` (File ▸ Station settings),
    ``language_requested(code)`` (View ▸ Language), ``screen_opened(key)``.
    """

    sign_out_requested = Signal()
    quit_requested = Signal()
    station_settings_changed = Signal(str, str)  # profile, station name
    station_time_changed = Signal(object)  # StationTime, once the site's zone is saved
    language_requested = Signal(str)
    screen_opened = Signal(str)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, *,
                 profile: StationProfile = StationProfile.COUNTER, station_name: str = "",
                 language: str = "en", entries: list[ScreenEntry] | None = None,
                 station_time: StationTime | None = None, scan_router: ScanRouter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.station_time = station_time
        if station_time is not None:
            set_display_zone(station_time.time_zone)
        self.api = api
        self.tasks = tasks
        self.actor = actor
        self.scan_router = scan_router  # the application's keyboard-wedge router, handed to the screens
        self.profile = StationProfile(profile)
        self.station_name = station_name or (api.session.station or "")
        self._language = language
        self._closing_for_good = False
        self.entries = entries if entries is not None else entries_for(actor)
        self.screens: dict[str, QWidget] = {}
        self.errors = ErrorPresenter(self)
        self.detail_dialog: ReturnDetailDialog | None = None  # the return detail page, once opened
        if scan_router is not None:
            # Connected before any screen: an RMA label scanned outside a scan field opens the
            # return's detail page (screens that keep RMA scans, the inspection station, keep them).
            scan_router.scanned.connect(self._on_scan_router_scanned)

        # --- navigation and screens
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFrameShape(QFrame.Shape.NoFrame)
        self.navigation.setSpacing(2)
        self.navigation.setUniformItemSizes(True)
        for entry in self.entries:
            item = QListWidgetItem()
            item.setData(KeyRole, entry.key)
            item.setSizeHint(QSize(0, 34))
            self.navigation.addItem(item)
        self.navigation.currentItemChanged.connect(self._on_navigation_current_item_changed)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screen_stack")
        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(40)
        self.stack.addWidget(self.empty_label)

        splitter = QSplitter()
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.navigation.setMinimumWidth(170)
        splitter.setSizes([200, 1000])
        self.navigation.setVisible(bool(self.entries))
        self.setCentralWidget(splitter)

        # --- status bar
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        self.station_label = QLabel()
        self.station_label.setObjectName("station_label")
        self.database_label = QLabel()
        self.database_label.setObjectName("database_label")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connection_label")
        self.connection_label.setMinimumWidth(90)
        self._online: bool | None = None
        self._connection_message = ""
        status = self.statusBar()
        status.setObjectName("status_bar")
        status.setSizeGripEnabled(False)
        for widget in (self.user_label, self.station_label, self.database_label, self.connection_label):
            widget.setContentsMargins(6, 0, 6, 0)
        status.addWidget(self.user_label)
        status.addWidget(_separator())
        status.addWidget(self.station_label)
        status.addWidget(_separator())
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.connection_label)

        self._build_menus()
        self.retranslate_ui()
        self.resize(1200, 760)

        first = start_entry(self.entries, self.profile)
        if first is not None:
            self.open_screen(first.key)
        else:
            self.stack.setCurrentWidget(self.empty_label)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.sign_out_action = QAction(self)
        self.sign_out_action.setObjectName("sign_out_action")
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self._on_sign_out_action_triggered)
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("quit_action")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        self.station_action = QAction(self)
        self.station_action.setObjectName("station_action")
        self.station_action.triggered.connect(self.show_station_settings)
        self.scanners_action = QAction(self)
        self.scanners_action.setObjectName("scanners_action")
        self.scanners_action.triggered.connect(self.show_scanner_settings)
        self.printers_action = QAction(self)
        self.printers_action.setObjectName("printers_action")
        self.printers_action.triggered.connect(self.show_printer_settings)
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.station_action)
        self.file_menu.addAction(self.printers_action)
        self.file_menu.addAction(self.scanners_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.screen_actions: dict[str, QAction] = {}
        for number, entry in enumerate(self.entries, start=1):
            action = QAction(self)
            action.setObjectName(f"screen_action_{entry.key}")
            action.setCheckable(True)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=entry.key: self.open_screen(key))
            self.view_menu.addAction(action)
            self.screen_actions[entry.key] = action
        self._screen_group = QActionGroup(self)
        for action in self.screen_actions.values():
            self._screen_group.addAction(action)
        if self.entries:
            self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("language_menu")
        self._language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            # Each language is named in its own words, so anyone can find theirs.
            action = QAction(LANGUAGE_NAMES[code], self)
            action.setObjectName(f"language_action_{code}")
            action.setCheckable(True)
            action.setChecked(code == self._language)
            action.triggered.connect(lambda _checked=False, c=code: self._on_language_action_triggered(c))
            self._language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = bar.addMenu("")
        self.help_action = QAction(self)
        self.help_action.setObjectName("help_action")
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.triggered.connect(self.show_help)
        self.help_menu.addAction(self.help_action)
        self.addAction(self.help_action)  # F1 also where the menu bar is hidden
        self.help_window: HelpWindow | None = None
        self.about_action = QAction(self)
        self.about_action.setObjectName("about_action")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("ReturnDesk — {station}").format(station=profile_name(self.profile)))
        self.file_menu.setTitle(self.tr("&File"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.sign_out_action.setToolTip(self.tr("Sign out and hand the station over ({key})").format(
            key=_native(self.sign_out_action.shortcut())))
        self.station_action.setText(self.tr("S&tation settings…"))
        self.station_action.setToolTip(self.tr("Station profile and name of this computer"))
        self.printers_action.setText(self.tr("&Printers…"))
        self.scanners_action.setText(self.tr("Sca&nners…"))
        self.scanners_action.setToolTip(self.tr("How this station's barcode scanners are programmed"))
        self.printers_action.setToolTip(self.tr("Where this station prints each document"))
        self.quit_action.setText(self.tr("&Quit"))
        self.quit_action.setToolTip(self.tr("Quit ReturnDesk ({key})").format(key=_native(self.quit_action.shortcut())))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About ReturnDesk"))
        self.help_action.setText(self.tr("&User guide for this screen"))
        self.help_action.setToolTip(self.tr("The user guide at the section of the screen shown ({key})").format(
            key=_native(self.help_action.shortcut())))
        for row, entry in enumerate(self.entries):
            title = entry.display_title()
            action = self.screen_actions[entry.key]
            action.setText(title)
            item = self.navigation.item(row)
            item.setText(title)
            shortcut = action.shortcut()
            item.setToolTip(self.tr("{screen} ({key})").format(screen=title, key=_native(shortcut))
                            if not shortcut.isEmpty() else title)
        self.empty_label.setText(self.tr(
            "There is no screen for the role {role} at this station yet. Sign out and sign in with "
            "another user, or ask an administrator about your role.").format(role=tr_role(self.actor.role)))
        self.user_label.setText(self.tr("{user} · {role}").format(
            user=self.actor.display_name or self.actor.username, role=tr_role(self.actor.role)))
        self.user_label.setToolTip(self.tr("Signed in as {username}").format(username=self.actor.username))
        self.station_label.setText(self.tr("Station: {name} ({profile}) · {zone}").format(
            name=self.station_name, profile=profile_name(self.profile), zone=display_zone_name()))
        self.station_label.setToolTip(self.tr("Times are shown in the time zone of the station's site, {zone}")
                                      .format(zone=display_zone_name()))
        self.database_label.setText(self._database_text())
        self.database_label.setToolTip(tr_message(self.api.session.describe_database()))
        self._show_connection()

    def _database_text(self) -> str:
        choice = self.api.session.database
        if choice.is_local:
            return self.tr("Database: local file {path}").format(path=choice.path)
        if choice.is_remote:
            return self.tr("Server: {address}").format(address=choice.server_url)
        assert choice.server is not None
        return self.tr("Database: server {host}:{port}/{database} as {user}").format(
            host=choice.server.host, port=choice.server.port, database=choice.server.database,
            user=choice.server.user)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ screens
    def open_screen(self, key: str) -> QWidget:
        """Show the screen ``key`` (creating it on first use); KeyError if not allowed here."""
        entry = next((e for e in self.entries if e.key == key), None)
        if entry is None:
            raise KeyError(f"the screen {key!r} is not available to {self.actor.username}")
        screen = self.screens.get(key)
        if screen is None:
            screen = entry.factory(self.api, self.tasks, self.actor)
            screen.setObjectName(screen.objectName() or f"screen_{key}")
            self.screens[key] = screen
            if self.scan_router is not None and isinstance(screen, StationScreen):
                screen.use_scan_router(self.scan_router)
            details = getattr(screen, "return_detail_requested", None)
            if details is not None:
                details.connect(self.open_return_detail)
            live = getattr(self, "_live", None)
            if live is not None and hasattr(screen, "attach_live_updates"):
                screen.attach_live_updates(live)
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        row = self.entries.index(entry)
        if self.navigation.currentRow() != row:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(row)
            self.navigation.blockSignals(False)
        self.screen_actions[key].setChecked(True)
        self.screen_opened.emit(key)
        return screen

    def attach_live_updates(self, live: LiveUpdates) -> None:
        """Let every screen that can follow other stations' changes do so (now and when opened)."""
        self._live = live
        for screen in self.screens.values():
            if hasattr(screen, "attach_live_updates"):
                screen.attach_live_updates(live)
        if self.detail_dialog is not None:
            self.detail_dialog.page.attach_live_updates(live)

    # ------------------------------------------------------------------ the return detail page
    def open_return_detail(self, rma_no: str) -> ReturnDetailDialog:
        """Show the return ``rma_no`` on its detail page (a window beside this one, reused)."""
        from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog

        dialog = self.detail_dialog
        if dialog is None:
            dialog = ReturnDetailDialog(self.api, self.tasks, self.actor, self)
            dialog.page.inspect_requested.connect(self._on_detail_inspect_requested)
            live = getattr(self, "_live", None)
            if live is not None:
                dialog.page.attach_live_updates(live)
            self.detail_dialog = dialog
        dialog.open_return(rma_no)
        return dialog

    def _on_scan_router_scanned(self, text: str) -> None:
        if QApplication.activeModalWidget() is not None:
            return
        scan = classify(text.strip())
        if not isinstance(scan, RmaScan):
            return
        dialog = self.detail_dialog
        in_front = dialog is not None and dialog.isVisible() and QApplication.activeWindow() is dialog
        if not in_front and getattr(self.stack.currentWidget(), "keeps_rma_scans", False):
            return  # the inspection station opens it for inspection
        self.open_return_detail(scan.rma)

    def _on_detail_inspect_requested(self, rma_no: str) -> None:
        """The detail page's Inspect: the inspection station, on this return."""
        try:
            screen = self.open_screen("inspection")
        except KeyError:
            self.errors.present(PermissionDenied(self.tr("The inspection station is not available to your role.")))
            return
        submit = getattr(screen, "submit", None)
        if submit is not None:
            submit(rma_no)
        self.raise_()
        self.activateWindow()

    def current_help_anchor(self) -> str | None:
        """The guide's section of the screen shown (a dialog over it without a section of its own
        opens this one on F1)."""
        key = self.current_screen_key()
        entry = next((e for e in self.entries if e.key == key), None)
        return entry.help if entry is not None else None

    def show_help(self) -> HelpWindow:
        """The user guide at the section of the screen shown (F1); one help window, kept and reused."""
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.open_at(self.current_help_anchor())
        return self.help_window

    def current_screen_key(self) -> str | None:
        current = self.stack.currentWidget()
        return next((k for k, w in self.screens.items() if w is current), None)

    def navigation_keys(self) -> list[str]:
        """The keys of the screens in the navigation, top to bottom."""
        return [self.navigation.item(i).data(KeyRole) for i in range(self.navigation.count())]

    def _on_navigation_current_item_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            key = current.data(KeyRole)
            try:
                self.open_screen(key)
            except Exception as exc:
                self.errors.present(exc, context=self.tr("opening the screen {screen}").format(screen=key))

    # ------------------------------------------------------------------ status bar
    def set_connection_state(self, online: bool, message: str = "") -> None:
        """Show whether the database answers (``LiveUpdates.connection_changed`` fits this slot)."""
        self._online = bool(online)
        self._connection_message = message
        self._show_connection()

    @property
    def online(self) -> bool | None:
        return self._online

    def _show_connection(self) -> None:
        if self._online is None:
            text, style = self.tr("Connected"), "color: #1b5e20;"
            if not self.api.session.is_local:
                text, style = self.tr("Connecting…"), "color: #616161;"
        elif self._online:
            text, style = self.tr("Connected"), "color: #1b5e20;"
        else:
            text, style = self.tr("Offline"), "color: #ffffff; background: #c62828; padding: 0 6px;"
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(style)
        self.connection_label.setToolTip(self._connection_message or text)

    # ------------------------------------------------------------------ actions
    def _on_sign_out_action_triggered(self) -> None:
        self.sign_out_requested.emit()

    def _on_quit_action_triggered(self) -> None:
        self.quit_requested.emit()

    def _on_language_action_triggered(self, code: str) -> None:
        self._language = code
        self.language_actions[code].setChecked(True)
        self.language_requested.emit(code)

    def show_station_settings(self) -> StationSettingsDialog:
        """File ▸ Station settings (shown without blocking); applies from the next sign-in."""
        from returndesk.ui.dialogs.station import StationSettingsDialog

        dialog = StationSettingsDialog(self.profile, self.station_name, self,
                                       site=self.station_time.site_code if self.station_time else None,
                                       time_zone=display_zone_name(),
                                       can_set_zone=can(self.actor.role, Permission.ADMIN_POLICY))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            self.station_settings_changed.emit(str(dialog.profile()), dialog.station_name())
            if dialog.zone_changed():
                self.tasks.run(self.api.settings.set_station_time_zone, dialog.station_name(),
                               dialog.time_zone(), site=dialog.site(), on_done=self._on_station_time_saved,
                               on_error=lambda error: self.errors.present(
                                   error, context=self.tr("saving the time zone")),
                               key="station-time-zone")

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def _on_station_time_saved(self, station_time: StationTime) -> None:
        self.station_time = station_time
        set_display_zone(station_time.time_zone)
        self.retranslate_ui()
        self.station_time_changed.emit(station_time)

    def show_scanner_settings(self) -> ScannerSettingsDialog:
        """File ▸ Scanners: change how scans are recognised; applies at once and is kept."""
        from returndesk.ui.dialogs.scanner_settings import ScannerSettingsDialog

        router = self.scan_router
        current = router.settings if router is not None else LocalSettings().scanner_settings()
        dialog = ScannerSettingsDialog(current, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            chosen = dialog.settings()
            LocalSettings().set_scanner_settings(chosen)
            if router is not None:
                router.set_settings(chosen)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def show_printer_settings(self) -> PrinterSettingsDialog:
        """File ▸ Printers: this station's printer for each document (kept in the database)."""
        from returndesk.ui.dialogs.printer_settings import PrinterSettingsDialog

        dialog = PrinterSettingsDialog(self.api, self.tasks, self.station_name, self,
                                       station_kind=str(self.profile))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        """Help ▸ About: version, database and platform (shown without blocking)."""
        box = QMessageBox(self)
        box.setObjectName("about_box")
        box.setWindowTitle(self.tr("About ReturnDesk"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(self.tr("ReturnDesk {version}").format(version=returndesk.__version__))
        box.setInformativeText(self.tr(
            "Customer returns from the counter through inspection, approval and refund.\n\n"
            "Database: {database} (schema {revision})\nPython {python}, Qt {qt}, PySide6 {pyside}, {system}")
            .format(database=self.api.session.describe_database(), revision=self.api.session.schema_revision or "-",
                    python=platform.python_version(), qt=PySide6.QtCore.qVersion(),
                    pyside=PySide6.__version__, system=platform.system() or sys.platform))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        # A message box sizes itself to its shortest lines; give the details room to breathe.
        box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 440px; }")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ------------------------------------------------------------------ closing
    def close_for_good(self) -> None:
        """Close the window (on sign-out or quit); the application decides what comes next."""
        self._closing_for_good = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_for_good:
            # The window's close button means "quit": the application cleans up, then closes it.
            event.ignore()
            self.quit_requested.emit()
            return
        super().closeEvent(event)

