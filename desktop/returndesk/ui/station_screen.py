"""What every station screen shares: :class:`StationScreen`.

The counter, the scanning station and the supervisor's desk each hold the typed API of the signed-in
user, the task runner and that user, and each:

* follows changes — its own client's commits (``api.session.subscribe``, relayed from the
  committing thread to the GUI thread) until the main window hands it the live updates, then
  every station's changes, reconnects (``resync``) and the connection state;
* presents errors through one :class:`~returndesk.ui.errors.ErrorPresenter`;
* prints through the station's :class:`~returndesk.ui.printing.PrintService` when the station has a
  name, and asks it (off the GUI thread) whether a printer is chosen for a document;
* follows a language switch (``QEvent.LanguageChange``);
* takes scans from the :class:`~returndesk.ui.scanner.ScanRouter` it is given (the application's,
  handed over by the main window; never looked up on the application).

A subclass overrides the ``_on_*`` hooks it needs and calls :meth:`StationScreen._start_following`
at the end of its constructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor
from returndesk.domain.scan import RmaScan, classify
from returndesk.ui.changes import follow_local_changes
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.printing import PrintService
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from collections.abc import Callable

    from returndesk.ui.live import LiveUpdates
    from returndesk.ui.scanner import ScanRouter


class StationScreen(QWidget):
    """The base of the station screens; see the module documentation.

    ``return_detail_requested(rma)``: the user asked to see a return whole (a list's row opened);
    the main window opens the return's detail page. A scanned RMA label goes to the detail page too
    (the main window routes it), unless the screen keeps RMA scans for itself
    (``keeps_rma_scans``: the inspection station, whose scans open returns for inspection).
    """

    return_detail_requested = Signal(str)
    keeps_rma_scans = False

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._tasks = tasks
        self._actor = actor
        self._errors = ErrorPresenter(self)
        self._router: ScanRouter | None = None
        self._live: LiveUpdates | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def _shortcut(self, keys: str | QKeySequence | QKeySequence.StandardKey,
                  slot: Callable[[], object]) -> QShortcut:
        """A shortcut of the screen: active anywhere in it (its children included), not elsewhere."""
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _start_following(self, live: LiveUpdates | None) -> None:
        """Follow ``live`` when given, else this client's own commits (end of the constructor)."""
        if live is not None:
            self.attach_live_updates(live)
        else:
            self._follow_local_changes()

    # ------------------------------------------------------------------ scans
    def use_scan_router(self, router: ScanRouter | None) -> None:
        """Take the scans ``router`` does not deliver to a focused scan field (None: no router)."""
        if self._router is not None:
            self._router.scanned.disconnect(self._take_router_scan)
        self._router = router
        if router is not None:
            router.scanned.connect(self._take_router_scan)

    def _take_router_scan(self, text: str) -> None:
        # Another window of the application in front (a return's detail page): its scan.
        active = QApplication.activeWindow()
        if active is not None and active is not self.window():
            return
        if not self.keeps_rma_scans and isinstance(classify(text.strip()), RmaScan):
            return  # an RMA label opens the return's detail page (the main window does it)
        self._on_router_scanned(text)

    def _on_router_scanned(self, text: str) -> None:
        """A scan the router handed to this screen (override to use it)."""

    # ------------------------------------------------------------------ live updates
    def attach_live_updates(self, live: LiveUpdates) -> None:
        """Follow ``live`` (``LiveUpdates``): changes at any station, reconnects and the connection."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._live is not None:
            self._live.changed.disconnect(self._on_data_changed)
            self._live.resync.disconnect(self._on_live_resync)
            self._live.connection_changed.disconnect(self._on_live_connection_changed)
        self._live = live
        live.changed.connect(self._on_data_changed)
        live.resync.connect(self._on_live_resync)
        live.connection_changed.connect(self._on_live_connection_changed)

    def _follow_local_changes(self) -> None:
        self._unsubscribe = follow_local_changes(self._api.session, self, self._on_data_changed)

    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        """Something changed (``entity`` "return", or "any" when the database cannot say what)."""

    def _on_live_resync(self) -> None:
        """The live updates reconnected: what is shown may be out of date."""

    def _on_live_connection_changed(self, online: bool, message: str) -> None:
        """The database went away or came back."""

    # ------------------------------------------------------------------ printing
    def _station_print_service(self) -> PrintService | None:
        """The station's print service, or None when the station has no name (PDF files only)."""
        station = self._api.session.station or self._actor.station
        if not station:
            return None
        return PrintService(self._api, self._tasks, station=station, errors=self._errors, parent_widget=self)

    # ------------------------------------------------------------------ language
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._on_language_changed()
        super().changeEvent(event)

    def _on_language_changed(self) -> None:
        """Set the texts again in the new language."""
