"""Start-up of the desktop client: ``python -m returndesk.ui.app`` (what ``make run`` starts).

The sequence, driven by :class:`ReturnDeskApp` with non-blocking dialogs:

1. The database given by ``--url``, else ``$RETURNDESK_DB_URL`` (as the command line finds it; for
   this run only), else the one in the settings, else first start: :class:`FirstStartDialog` —
   this computer (a local file, the default, nothing to type) or a ReturnDesk server
   (``https://host:8443``); station profile, name and language.
2. Open it off the GUI thread: a local database is upgraded and seeded (or refused clearly when a
   newer ReturnDesk upgraded it). A server is reached through HTTPS: a certificate signed by a CA
   the computer trusts is accepted; a self-signed one is shown with its SHA-256 fingerprint to
   confirm the first time (:class:`ServerCertificateDialog`), kept in the settings, and a changed
   certificate is refused with a sentence saying so. A station keeps no database login.
3. A database without users: a new local database is filled with demo data (users of each role,
   catalogue, sales, returns) when that was chosen; otherwise the first administrator is created
   (on a server, the administrator makes the first user on the server's computer).
4. Sign-in (at the server, in shared mode: the session token stays in memory), then the main
   window with the start screen of the station profile. Sign-out ends the session and returns to
   step 4; a database that cannot be opened returns to step 1 with the reason shown.

Language: View ▸ Language switches at once — the translators are replaced and Qt sends
``QEvent.LanguageChange`` to every widget; the frame, its dialogs and the screens that handle that
event re-set their texts, other screens show the new language after the next sign-in. The choice
is kept in the settings for the next start.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from returndesk.domain.errors import ReturnDeskError, SchemaTooNew
from returndesk.api.connection import DatabaseChoice, choice_from_url, given_database_url
from returndesk.api.protocol import SessionApi
from returndesk.ui.dialogs.sign_in import SignInDialog
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import install_translations, load_bundled_fonts, setup_application
from returndesk.ui.local_time import set_display_zone
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.settings import LocalSettings
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

# What a start does not need before the sign-in window is imported where it is first used: the
# database layer (SQLAlchemy, the schema, the use cases) opens behind the sign-in window on the
# task runner, the main window and its screens load after the password is accepted, and the
# first-start, certificate and administrator dialogs only when they are shown.
if TYPE_CHECKING:
    from returndesk.api.remote import UnknownCertificate
    from returndesk.api.types import Actor, HousekeepingReport, StationTime
    from returndesk.ui.dialogs.first_admin import FirstAdministratorDialog
    from returndesk.ui.dialogs.first_start import FirstStartDialog
    from returndesk.ui.dialogs.server_certificate import ServerCertificateDialog
    from returndesk.ui.live import LiveUpdates
    from returndesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: How often a local database's housekeeping runs while the application is open.
HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000


def _open_session(choice: DatabaseChoice, password: str | None, *, station: str | None,
                  clock: Callable[[], datetime] | None) -> SessionApi:
    """Open ``choice`` (run on the task runner): the API over a ReturnDesk server or a database."""
    timing: dict[str, Any] = {} if clock is None else {"clock": clock}
    if choice.is_remote:
        from returndesk.api.remote import open_remote_session

        return open_remote_session(choice, password, station=station, **timing)
    from returndesk.api.local import open_local_session

    return open_local_session(choice, password, station=station, **timing)


class _ProgressRelay(QObject):
    """Carries progress reports from a worker thread to the GUI thread (a queued signal)."""

    progressed = Signal(str, int, int)

    def report(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, int(done), int(total))


class _SessionEndedRelay(QObject):
    """Carries the server's "your session is over" from the thread that heard it to the GUI thread."""

    ended = Signal(object)

    def report(self, error: object) -> None:
        self.ended.emit(error)


class ReturnDeskApp(QObject):
    """Walks a station from start-up through sign-in to the main window and back.

    Signals for whoever watches (tests, the screenshot renderer): ``first_start_shown(dialog)``,
    ``certificate_shown(dialog)``, ``database_opened(SessionApi)``, ``administrator_needed(dialog)``,
    ``sign_in_window_shown(dialog)`` (the sign-in window on screen: on a remembered local database
    it is shown at once and the database opens behind it), ``sign_in_shown(dialog)`` (ready to
    sign in: the database open, the demo users listed), ``main_window_shown(MainWindow)``, ``refused(message)``,
    ``housekeeping_done(HousekeepingReport)`` and ``finished`` (the application should quit now).

    On a local database the application does the housekeeping itself (overdue returns expire,
    settled ones close) once the main window opens and every hour after, on the task runner; a
    shared database's server does it for every station.
    """

    first_start_shown = Signal(object)
    certificate_shown = Signal(object)
    database_opened = Signal(object)
    administrator_needed = Signal(object)
    sign_in_window_shown = Signal(object)
    sign_in_shown = Signal(object)
    main_window_shown = Signal(object)
    refused = Signal(str)
    housekeeping_done = Signal(object)
    finished = Signal()

    def __init__(self, settings: LocalSettings, *, tasks: TaskRunner | None = None,
                 errors: ErrorPresenter | None = None, clock: Callable[[], datetime] | None = None,
                 live_updates: bool = True, database_url: str | None = None,
                 scan_router: ScanRouter | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        # ``--url`` or $RETURNDESK_DB_URL (``given_database_url``): the database of this run.
        self.database_url = database_url
        self._url_choice: DatabaseChoice | None = None
        self.errors = errors or ErrorPresenter()
        self.tasks = tasks or TaskRunner(self, error_handler=self.errors.present)
        self.clock = clock
        self._live_enabled = live_updates
        self.scan_router = scan_router
        self.session: SessionApi | None = None
        self.live: LiveUpdates | None = None
        self.first_start_dialog: FirstStartDialog | None = None
        self.certificate_dialog: ServerCertificateDialog | None = None
        self.admin_dialog: FirstAdministratorDialog | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.main_window: MainWindow | None = None
        self.message_box: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self._opening: tuple[DatabaseChoice, bool] | None = None
        self._quitting = False
        self._actor: Actor | None = None
        self._first_start_zone: str | None = None
        self.station_time: StationTime | None = None
        self._session_ended_relay = _SessionEndedRelay(self)
        self._session_ended_relay.ended.connect(self._on_session_ended)
        self._sign_in_notice: str | None = None
        self._demo_progress = _ProgressRelay(self)
        self._demo_progress.progressed.connect(self._on_demo_progressed)
        self.housekeeping_timer = QTimer(self)
        self.housekeeping_timer.setInterval(HOUSEKEEPING_INTERVAL_MS)
        self.housekeeping_timer.timeout.connect(self.run_housekeeping)

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Begin: the database of ``database_url``, else the remembered one, else first start."""
        if self.database_url:
            try:
                self._url_choice, password = choice_from_url(self.database_url)
            except ReturnDeskError as exc:
                self.show_first_start(message=tr_message(exc.message))
                return
            self.open_database(self._url_choice, password=password)
            return
        if self.settings.forget_database_login():
            self.show_first_start(message=self.tr(
                "This station used to log in to the PostgreSQL database itself; stations now work "
                "through the ReturnDesk server, and the old login was removed from this computer. "
                "Choose \"A ReturnDesk server\" and enter its address (ask the administrator)."))
            return
        choice = self.settings.database_choice()
        if choice is None:
            self.show_first_start()
        else:
            self.open_database(choice, first_start=False)

    def show_first_start(self, message: str | None = None, choice: DatabaseChoice | None = None) -> FirstStartDialog:
        """Ask where the data lives (again, with ``message`` saying why, after a failure)."""
        from returndesk.ui.dialogs.first_start import FirstStartDialog

        self._close_dialogs()
        dialog = FirstStartDialog(
            self.tasks, choice=choice or self.settings.database_choice(), profile=self.settings.station_profile,
            station_name=self.settings.station_name, language=self._current_language(),
            demo_data=self.settings.demo_data_wanted, message=message)
        dialog.accepted.connect(self._on_first_start_dialog_accepted)
        dialog.rejected.connect(self.quit)
        self.first_start_dialog = dialog
        dialog.open()
        self.first_start_shown.emit(dialog)
        return dialog

    def _current_language(self) -> str:
        if self.settings.language_chosen:
            return self.settings.language
        from PySide6.QtCore import QLocale

        return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"

    def _on_first_start_dialog_accepted(self) -> None:
        dialog = self.first_start_dialog
        assert dialog is not None
        self.settings.station_profile = dialog.station_profile()
        self.settings.station_name = dialog.station_name()
        self.settings.demo_data_wanted = dialog.demo_check.isChecked()
        self._first_start_zone = dialog.time_zone()
        if dialog.language() != self.settings.language or not self.settings.language_chosen:
            self.set_language(dialog.language())
        self.first_start_dialog = None
        dialog.deleteLater()
        self.open_database(dialog.choice(), first_start=True)

    # ------------------------------------------------------------------ opening the database
    def open_database(self, choice: DatabaseChoice, *, password: str | None = None, first_start: bool = False) -> None:
        """Open ``choice`` off the GUI thread: a local file (or, given by ``--url``, a PostgreSQL
        database with the password in the address), or a ReturnDesk server."""
        self._opening = (choice, first_start)
        station, clock = self.settings.station_name, self.clock

        def open_it() -> None:
            if self._quitting or self._opening != (choice, first_start):
                return  # the station quit, or chose another database, before this turn came
            self.tasks.run(_open_session, choice, password, station=station, clock=clock,
                           on_done=self._on_database_opened, on_error=self._on_database_failed, key="open-database")

        if choice.is_local and not first_start:
            # A station's own file: the sign-in window comes first, and the database opens behind
            # it once it is on screen, while the password is typed (a sign-in asked for meanwhile
            # waits for it).
            self._open_sign_in_window(choice)
            QTimer.singleShot(0, self, open_it)
            QTimer.singleShot(0, self, self._preload_main_window)
        else:
            self._show_progress(self.tr("Opening the database {database}…").format(database=choice.describe()))
            open_it()

    def _confirm_certificate(self, choice: DatabaseChoice, unknown: UnknownCertificate, *, first_start: bool) -> None:
        """A self-signed certificate seen for the first time: show its fingerprint to confirm."""
        from returndesk.ui.dialogs.server_certificate import ServerCertificateDialog

        self._close_dialogs()
        dialog = ServerCertificateDialog(unknown.server_url, unknown.fingerprint, names=unknown.subject,
                                         valid_until=unknown.valid_until)
        self.certificate_dialog = dialog

        def accepted() -> None:
            self.certificate_dialog = None
            dialog.deleteLater()
            confirmed = DatabaseChoice.remote(unknown.server_url, unknown.fingerprint)
            if choice == self._url_choice:
                self._url_choice = confirmed  # a server given by --url stays this run's only
            self.open_database(confirmed, first_start=first_start)

        def rejected() -> None:
            self.certificate_dialog = None
            dialog.deleteLater()
            self.show_first_start(message=self.tr(
                "The server's certificate was not confirmed; the station did not connect."), choice=choice)

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.open()
        self.certificate_shown.emit(dialog)

    def _on_database_opened(self, session: SessionApi) -> None:
        if self._quitting:
            # Cancelled on the sign-in window while the database opened behind it.
            session.close()
            return
        self._hide_progress()
        assert self._opening is not None
        choice, first_start = self._opening
        self._opening = None
        self.session = session
        session.on_session_ended(self._session_ended_relay.report)
        # A database given by address is for this run: the station's choice stays as it was. A
        # PostgreSQL login is never remembered.
        given_for_this_run = choice == self._url_choice and not first_start
        if (not given_for_this_run and (choice.is_local or choice.is_remote)
                and (first_start or self.settings.database_choice() != choice)):
            self.settings.set_database_choice(choice)
        log.info("opened %s (schema %s)", session.describe_database(), session.schema_revision)
        self.database_opened.emit(session)
        zone, self._first_start_zone = (self._first_start_zone if first_start else None), None
        if zone:
            # A new installation takes the zone chosen at first start (one joining a shared server
            # keeps the server's) before anything else is written.
            self.tasks.run(session.ensure_installation_zone, zone,
                           on_done=lambda _zone: self._on_installation_zone_known(session),
                           on_error=lambda error: self._on_installation_zone_failed(session, error),
                           key="installation-zone")
        else:
            self._on_installation_zone_known(session)

    def _on_installation_zone_failed(self, session: SessionApi, error: BaseException) -> None:
        self.errors.report(error, context=self.tr("saving the time zone"))
        self._on_installation_zone_known(session)

    def _on_installation_zone_known(self, session: SessionApi) -> None:
        self.tasks.run(session.station_time, on_done=self._on_station_time_known,
                       on_error=lambda error: self.errors.report(error, context=self.tr("reading the time zone")),
                       key="station-time")
        self.tasks.run(session.auth.has_users, on_done=self._on_users_known, key="has-users")

    def _on_station_time_known(self, station_time: StationTime) -> None:
        self.station_time = station_time
        set_display_zone(station_time.time_zone)

    def _on_database_failed(self, error: BaseException) -> None:
        if self._quitting:
            return
        self._hide_progress()
        assert self._opening is not None
        choice, first_start = self._opening
        self._opening = None
        if choice.is_remote and self._certificate_refused(choice, error, first_start=first_start):
            return
        if isinstance(error, SchemaTooNew):
            self._refuse(tr_message(error.message), choice)
            return
        if isinstance(error, ReturnDeskError):
            message = tr_message(error.message)
        else:
            message = self.errors.present(error, context=self.tr("opening the database")).message
        self.show_first_start(message=message, choice=choice)

    def _certificate_refused(self, choice: DatabaseChoice, error: BaseException, *, first_start: bool) -> bool:
        """A server's certificate not yet confirmed or changed: ask, or say so; False for other errors."""
        from returndesk.api.remote import CertificateChanged, UnknownCertificate

        if isinstance(error, UnknownCertificate):
            self._confirm_certificate(choice, error, first_start=first_start)
            return True
        if isinstance(error, CertificateChanged):
            self.show_first_start(message=self.tr(
                "The ReturnDesk server at {address} shows a different certificate than the one this station "
                "confirmed, so the station does not connect: someone may be intercepting the connection. "
                "Confirmed: {pinned}. Now: {presented}. Ask the administrator; only if the server really "
                "got a new certificate, choose the server again here and confirm the new fingerprint.").format(
                address=error.server_url, pinned=error.pinned, presented=error.fingerprint),
                choice=DatabaseChoice.remote(error.server_url))
            return True
        return False

    def _refuse(self, message: str, choice: DatabaseChoice) -> None:
        """The database is newer than this ReturnDesk: say so; offer another database or quit."""
        self._close_dialogs()
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("ReturnDesk cannot use this database"), message)
        box.setObjectName("refusal_box")
        other = box.addButton(self.tr("Choose another database…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.message_box = box

        def finished(_result: int) -> None:
            self.message_box = None
            chosen = box.clickedButton() is other
            box.deleteLater()
            if chosen:
                self.show_first_start(message=message, choice=choice)
            else:
                self.quit()

        box.finished.connect(finished)
        box.open()
        self.refused.emit(message)

    # ------------------------------------------------------------------ users
    def _on_users_known(self, has_users: bool) -> None:
        session = self.session
        if session is None or self._quitting:
            return  # the station quit meanwhile (its tasks finish while it waits for them)
        if has_users:
            self.show_sign_in()
            return
        self._close_dialogs()  # a sign-in window shown while the database opened has nobody to sign in
        if not session.is_local:
            self.show_first_start(message=self.tr(
                "The ReturnDesk server has no users yet. The administrator makes the first one on the "
                "server's computer (returndesk user add --role admin NAME); then start this station again."),
                choice=session.database)
        elif session.is_local and self.settings.demo_data_wanted and session.demo_available():
            self._show_progress(self.tr("Filling the new database with demo data…"))
            self.tasks.run(session.fill_demo_data, self._demo_progress.report, on_done=self._on_demo_filled,
                           on_error=self._on_demo_failed, key="demo-data")
        else:
            self.show_first_administrator()

    def _on_demo_progressed(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setLabelText(self.tr("Filling the new database with demo data…\n{stage}: {done} of {total}")
                                       .format(stage=stage, done=done, total=total))

    def _on_demo_filled(self, _result: object) -> None:
        self._hide_progress()
        if self.session is not None:  # else the station quit while the demo was being written
            self.show_sign_in()

    def _on_demo_failed(self, error: BaseException) -> None:
        self._hide_progress()
        self.errors.present(error, context=self.tr("filling the demo database"))
        # Whatever the demo wrote stays; without its users the database needs an administrator.
        assert self.session is not None
        self.tasks.run(self.session.auth.has_users, on_done=self._on_users_after_demo_failure, key="has-users")

    def _on_users_after_demo_failure(self, has_users: bool) -> None:
        if has_users:
            self.show_sign_in()
        else:
            self.show_first_administrator()

    def show_first_administrator(self) -> FirstAdministratorDialog:
        from returndesk.ui.dialogs.first_admin import FirstAdministratorDialog

        assert self.session is not None
        self._close_dialogs()
        dialog = FirstAdministratorDialog(self.session, self.tasks)
        dialog.accepted.connect(self._on_admin_dialog_accepted)
        dialog.rejected.connect(self.quit)
        self.admin_dialog = dialog
        dialog.open()
        self.administrator_needed.emit(dialog)
        return dialog

    def _on_admin_dialog_accepted(self) -> None:
        dialog = self.admin_dialog
        assert dialog is not None and dialog.actor is not None
        self.admin_dialog = None
        dialog.deleteLater()
        self.settings.last_username = dialog.actor.username
        self.show_main_window(dialog.actor)

    # ------------------------------------------------------------------ sign-in
    def show_sign_in(self) -> None:
        """Show the sign-in dialog (with the demo users on a demo database)."""
        assert self.session is not None
        self.tasks.run(self.session.demo_accounts, on_done=self._open_sign_in,
                       on_error=self._on_demo_accounts_failed, key="demo-accounts")

    def _on_demo_accounts_failed(self, error: BaseException) -> None:
        self.errors.report(error, context=self.tr("listing the demo users"))
        self._open_sign_in(())

    def _open_sign_in_window(self, choice: DatabaseChoice) -> SignInDialog:
        """The sign-in window before its database is open (see :meth:`SignInDialog.attach_session`)."""
        self._close_dialogs()
        dialog = SignInDialog(None, self.tasks, username=self.settings.last_username,
                              database_text=choice.describe())
        dialog.accepted.connect(self._on_sign_in_dialog_accepted)
        dialog.rejected.connect(self.quit)
        self.sign_in_dialog = dialog
        dialog.open()
        self.sign_in_window_shown.emit(dialog)
        return dialog

    def _open_sign_in(self, demo_accounts: Sequence[Any]) -> None:
        if self._quitting:
            return  # no sign-in window after the station quit
        assert self.session is not None
        waiting = self.sign_in_dialog
        if waiting is not None and not waiting.has_session:
            waiting.attach_session(self.session, demo_accounts)
            self.sign_in_shown.emit(waiting)
            return
        self._close_dialogs()
        notice, self._sign_in_notice = self._sign_in_notice, None
        dialog = SignInDialog(self.session, self.tasks, demo_accounts=demo_accounts,
                              username=self.settings.last_username, notice=notice)
        dialog.accepted.connect(self._on_sign_in_dialog_accepted)
        dialog.rejected.connect(self.quit)
        self.sign_in_dialog = dialog
        dialog.open()
        self.sign_in_window_shown.emit(dialog)
        self.sign_in_shown.emit(dialog)

    def _preload_main_window(self) -> None:
        """Import the main window and the station's start screen while the password is typed."""
        if self._quitting:
            return
        from returndesk.ui import main_window  # noqa: F401 - imported now, used after the sign-in
        from returndesk.ui.navigation import preload_start_screens

        preload_start_screens(self.settings.station_profile)

    def _on_sign_in_dialog_accepted(self) -> None:
        dialog = self.sign_in_dialog
        assert dialog is not None and dialog.actor is not None
        self.sign_in_dialog = None
        dialog.deleteLater()
        self.settings.last_username = dialog.actor.username
        self.show_main_window(dialog.actor)

    # ------------------------------------------------------------------ main window
    def show_main_window(self, actor: Actor) -> MainWindow:
        from returndesk.ui.main_window import MainWindow

        assert self.session is not None
        self._actor = actor
        window = MainWindow(self.session.api_for(actor), self.tasks, actor, profile=self.settings.station_profile,
                            station_name=self.settings.station_name, language=self.settings.language,
                            station_time=self.station_time, scan_router=self.scan_router)
        window.station_time_changed.connect(self._on_station_time_known)
        window.sign_out_requested.connect(self.sign_out)
        window.quit_requested.connect(self.quit)
        window.language_requested.connect(self.set_language)
        window.station_settings_changed.connect(self._on_station_settings_changed)
        self.main_window = window
        self._start_live_updates(window)
        window.show()
        self.main_window_shown.emit(window)
        QTimer.singleShot(0, self, self._freeze_for_the_shift)
        if self.session.is_local and not self.housekeeping_timer.isActive():
            self.housekeeping_timer.start()
            self.run_housekeeping()
        return window

    # ------------------------------------------------------------------ housekeeping
    def run_housekeeping(self) -> None:
        """Expire overdue and close settled returns of a local database, off the GUI thread."""
        session = self.session
        if session is None or not session.is_local:
            return
        self.tasks.run(session.run_housekeeping, on_done=self._on_housekeeping_done,
                       on_error=self._on_housekeeping_failed, key="housekeeping")

    def _on_housekeeping_done(self, report: HousekeepingReport) -> None:
        log.info("%s", report.summary())
        self.housekeeping_done.emit(report)

    def _on_housekeeping_failed(self, error: BaseException) -> None:
        # Nobody asked for it: log, and try again at the next hour.
        log.warning("housekeeping failed; it runs again within the hour", exc_info=error)

    def _start_live_updates(self, window: MainWindow) -> None:
        if not self._live_enabled or self.session is None:
            return
        if self.live is None:
            from returndesk.ui.live import LiveUpdates

            self.live = LiveUpdates(self.session, parent=self)
            self.live.start()
        self.live.connection_changed.connect(window.set_connection_state)
        window.attach_live_updates(self.live)
        if self.live.online:
            window.set_connection_state(True, "")

    def sign_out(self) -> None:
        """Close the main window and show the sign-in dialog for the next user."""
        session, actor = self.session, self._actor
        self._close_main_window()
        if session is not None and actor is not None and not session.is_local:
            self.tasks.run(session.end_session, actor, on_error=self._on_sign_out_failed, key="end-session")
        self.show_sign_in()

    def _freeze_for_the_shift(self) -> None:
        if self.main_window is not None and not self._quitting:
            freeze_long_lived_objects()

    def _close_main_window(self) -> None:
        window = self.main_window
        # What was frozen with this window goes back to the collector, which can then free the
        # window's cycles once it is gone; the next user's window is frozen in its turn.
        gc.unfreeze()
        if window is not None:
            if self.live is not None:
                self.live.connection_changed.disconnect(window.set_connection_state)
            self.main_window = None
            window.close_for_good()
            window.deleteLater()
        if self.session is not None and self._actor is not None and not self.session.is_local:
            # The server's change feed follows the session: the next user opens their own.
            if self.live is not None:
                self.live.stop()
                self.live = None
        self._actor = None

    def _on_session_ended(self, error: object) -> None:
        """The server ended the signed-in user's session: back to the sign-in window, saying why."""
        if self._actor is None or self.main_window is None:
            return  # already signing in (or quitting)
        reason = getattr(error, "reason", "expired")
        log.info("the session of %s ended at the server (%s)", self._actor.username, reason)
        if reason == "revoked":
            notice = self.tr("An administrator ended your session. Sign in again to go on.")
        elif reason == "disabled":
            notice = self.tr("Your account has been disabled. Ask an administrator.")
        else:
            notice = self.tr("Your session has expired. Sign in again to go on.")
        self._close_main_window()
        self._sign_in_notice = notice
        self.show_sign_in()

    def _on_sign_out_failed(self, error: BaseException) -> None:
        # The server is unreachable: the session ends by itself when it expires.
        log.warning("the session could not be ended at the server: %s", error)

    def _on_station_settings_changed(self, profile: str, station_name: str) -> None:
        self.settings.station_profile = profile
        self.settings.station_name = station_name
        if self.session is not None:
            # Sign-ins and the changes made after them carry the new name from now on.
            self.session.set_station(self.settings.station_name)

    def set_language(self, language: str) -> None:
        """Switch the language now (open widgets re-set their texts) and for the next start."""
        self.settings.language = language
        install_translations(language)

    # ------------------------------------------------------------------ progress and closing
    def _show_progress(self, text: str) -> None:
        if self.progress is None:
            progress = QProgressDialog()
            progress.setObjectName("progress_dialog")
            progress.setWindowTitle("ReturnDesk")
            progress.setCancelButton(None)
            progress.setRange(0, 0)
            progress.setMinimumDuration(0)
            progress.setWindowModality(Qt.WindowModality.ApplicationModal)
            progress.setMinimumWidth(420)
            self.progress = progress
        self.progress.setLabelText(text)
        self.progress.show()

    def _hide_progress(self) -> None:
        if self.progress is not None:
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _close_dialogs(self) -> None:
        for name in ("first_start_dialog", "certificate_dialog", "admin_dialog", "sign_in_dialog"):
            dialog: QDialog | None = getattr(self, name)
            if dialog is not None:
                setattr(self, name, None)
                # Disconnect first: closing must not count as "Cancel" (which quits).
                try:
                    dialog.rejected.disconnect()
                except (RuntimeError, TypeError):
                    pass
                dialog.close()
                dialog.deleteLater()

    def quit(self) -> None:
        """Close everything, release the database, and tell the application to quit."""
        self._quitting = True
        self._close_dialogs()
        self._hide_progress()
        self.housekeeping_timer.stop()
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self.main_window is not None:
            window, self.main_window = self.main_window, None
            window.close_for_good()
            window.deleteLater()
        self.tasks.wait_idle(10_000)
        if self.session is not None:
            self.session.close()
            self.session = None
        self.finished.emit()


def freeze_long_lived_objects() -> None:
    """Move what the station holds while a user is signed in (the modules, the main window and
    its screens) out of the garbage collector's reach, after each sign-in: a full pass of the
    collector would otherwise walk all of it again now and then, a pause of tens of milliseconds
    in whichever scan or keystroke is being handled. Signing out hands it back to the collector
    (the closed window's objects can then be freed). The server does the same once started.

    Without a collection first (the server makes one): here it would cost the user some 60 ms
    between the sign-in and the first screen. What garbage is frozen with the rest waits for the
    sign-out, which hands it back to the collector."""
    gc.freeze()


SMOKE_FLAG = "--smoke"
SMOKE_LANGUAGE = "zh_CN"


def smoke_check(app: QApplication) -> list[str]:
    """What an installation must carry for a station to start; returns the problems found.

    Loads the bundled fonts and the Chinese catalogues (the application's and Qt's own
    ``qtbase``, both easily lost when packaging) and the PDF preview's Qt modules. Opens no
    database and shows no window.
    """
    problems: list[str] = []
    app.setStyle("Fusion")
    if not load_bundled_fonts():
        problems.append("the bundled font (resources/fonts) could not be loaded")
    loaded = {path.name for path in install_translations(SMOKE_LANGUAGE)}
    for catalogue in (f"rd_{SMOKE_LANGUAGE}.qm", f"qtbase_{SMOKE_LANGUAGE}.qm"):
        if catalogue not in loaded:
            problems.append(f"the translation {catalogue} was not found")
    try:
        from PySide6 import QtPdf, QtPdfWidgets, QtPrintSupport  # noqa: F401 - the print preview needs them
    except ImportError as exc:
        problems.append(f"a Qt module of the print preview is missing: {exc}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop client; returns the exit status.

    ``--smoke`` checks the installation instead (:func:`smoke_check`): prints ``ok`` and returns
    0, or names each problem on standard error and returns 1.
    """
    arguments = list(argv if argv is not None else sys.argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = cast(QApplication, QApplication.instance() or QApplication(arguments))
    app.setApplicationName("ReturnDesk")
    app.setOrganizationName("ReturnDesk")
    app.setApplicationDisplayName("ReturnDesk")
    if SMOKE_FLAG in arguments[1:]:
        problems = smoke_check(app)
        for problem in problems:
            print(f"returndesk-gui: {problem}", file=sys.stderr)
        print("failed" if problems else "ok", flush=True)
        return 1 if problems else 0
    settings = LocalSettings()
    setup_application(app, settings.language if settings.language_chosen else None)
    errors = ErrorPresenter()
    restore_hook = errors.install_excepthook()
    scanner = ScanRouter(settings.scanner_settings(), parent=app)
    scanner.install(app)
    controller = ReturnDeskApp(settings, errors=errors, database_url=given_database_url(arguments[1:]),
                               scan_router=scanner)
    controller.finished.connect(app.quit)
    app.setQuitOnLastWindowClosed(False)  # the controller decides when the station quits
    controller.start()
    try:
        return app.exec()
    finally:
        controller.tasks.shutdown()
        scanner.uninstall()
        restore_hook()


if __name__ == "__main__":
    sys.exit(main())
