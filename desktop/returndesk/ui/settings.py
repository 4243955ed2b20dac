"""What this machine remembers between starts (QSettings, one INI file per user).

Kept here: the database choice (local file, or the ReturnDesk server's address with the fingerprint
of the certificate confirmed at set-up), the station profile and name, the language, the scanner
programming, and later printer routing per document. Never kept here: a password or a database
login (a station of a server signs in there; the session lives in memory only), or anything that
belongs to the shared database.

The file lives where Qt puts per-user INI settings (``~/.config/ReturnDesk/ReturnDesk.ini`` on
Linux, ``%APPDATA%\\ReturnDesk\\ReturnDesk.ini`` on Windows); ``RETURNDESK_SETTINGS`` points to
another file (a second station on one machine, tests, screenshots).
"""

from __future__ import annotations

import os
import socket
from enum import StrEnum
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QSettings

from returndesk.api.connection import DatabaseChoice, DatabaseKind, ServerAddress, SslMode, forget_password
from returndesk.ui.scanner import ScannerSettings
from returndesk.ui.i18n import QT_TRANSLATE_NOOP

ENV_SETTINGS = "RETURNDESK_SETTINGS"
LANGUAGES = ("en", "zh_CN")
LANGUAGE_NAMES = {"en": "English", "zh_CN": "中文"}  # each language in its own words: never translated


class StationProfile(StrEnum):
    """What kind of place this station is; it chooses the screen shown after sign-in."""

    COUNTER = "counter"
    INSPECTION = "inspection"
    SUPERVISOR = "supervisor"


_PROFILE_NAMES = {
    StationProfile.COUNTER: QT_TRANSLATE_NOOP("StationProfile", "Service counter"),
    StationProfile.INSPECTION: QT_TRANSLATE_NOOP("StationProfile", "Inspection station"),
    StationProfile.SUPERVISOR: QT_TRANSLATE_NOOP("StationProfile", "Supervisor workstation"),
}


def profile_name(profile: StationProfile | str) -> str:
    """The translated name of a station profile."""
    return QCoreApplication.translate("StationProfile", _PROFILE_NAMES[StationProfile(profile)])


def open_qsettings() -> QSettings:
    """The QSettings of this machine (or of ``$RETURNDESK_SETTINGS``)."""
    path = os.environ.get(ENV_SETTINGS)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ReturnDesk", "ReturnDesk")


class LocalSettings:
    """Typed access to the station's QSettings; each setter writes through at once."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else open_qsettings()

    # ------------------------------------------------------------------ helpers
    def _str(self, key: str, default: str = "") -> str:
        value = self.qsettings.value(key, default)
        return default if value is None else str(value)

    def _int(self, key: str, default: int) -> int:
        try:
            return int(cast(Any, self.qsettings.value(key, default)))
        except (TypeError, ValueError):
            return default

    def _bool(self, key: str, default: bool) -> bool:
        value = self.qsettings.value(key, default)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)

    def _set(self, key: str, value: object) -> None:
        self.qsettings.setValue(key, value)
        self.qsettings.sync()

    @property
    def file_name(self) -> str:
        return self.qsettings.fileName()

    # ------------------------------------------------------------------ database
    def database_choice(self) -> DatabaseChoice | None:
        """The remembered database, or None on first start (and for a station that used to log in
        to PostgreSQL itself: see :meth:`forget_database_login`)."""
        kind = self._str("database/kind")
        if kind == DatabaseKind.LOCAL:
            path = self._str("database/path")
            return DatabaseChoice.local(path or None)
        if kind == DatabaseKind.REMOTE:
            url = self._str("database/url").strip()
            if url:
                return DatabaseChoice.remote(url, self._str("database/fingerprint").strip() or None)
        return None

    def forget_database_login(self) -> bool:
        """A station set up before the ReturnDesk server kept a PostgreSQL address (and its password
        in the system keyring). Both are removed; True when there was one, so that the first start
        can say why it asks again."""
        if self._str("database/kind") != DatabaseKind.SERVER:
            return False
        try:
            sslmode = SslMode(self._str("database/sslmode", SslMode.PREFER.value))
        except ValueError:
            sslmode = SslMode.PREFER
        old = ServerAddress(host=self._str("database/host"), port=self._int("database/port", 5432),
                            database=self._str("database/name", "returndesk"),
                            user=self._str("database/user", "returndesk"), sslmode=sslmode)
        try:
            forget_password(old)
        except Exception:  # a broken keyring must not keep the station from starting
            pass
        self.forget_database_choice()
        return True

    def set_database_choice(self, choice: DatabaseChoice) -> None:
        """Remember the database: the local file, or the server's address and the fingerprint of
        its confirmed certificate. A PostgreSQL login is never remembered."""
        if not (choice.is_local or choice.is_remote):
            raise ValueError("a station remembers a local file or a ReturnDesk server, never a database login")
        self.qsettings.remove("database")
        self.qsettings.setValue("database/kind", str(choice.kind))
        if choice.is_local:
            self.qsettings.setValue("database/path", str(choice.path))
        else:
            self.qsettings.setValue("database/url", str(choice.server_url))
            if choice.fingerprint:
                self.qsettings.setValue("database/fingerprint", choice.fingerprint)
        self.qsettings.sync()

    def forget_database_choice(self) -> None:
        """Back to first start: the next start asks for the database again."""
        self.qsettings.remove("database")
        self.qsettings.sync()

    @property
    def demo_data_wanted(self) -> bool:
        """Fill a new, empty local database with the demo catalogue, sales and users."""
        return self._bool("first_start/demo_data", True)

    @demo_data_wanted.setter
    def demo_data_wanted(self, value: bool) -> None:
        self._set("first_start/demo_data", bool(value))

    # ------------------------------------------------------------------ station
    @property
    def station_profile(self) -> StationProfile:
        try:
            return StationProfile(self._str("station/profile", StationProfile.COUNTER.value))
        except ValueError:
            return StationProfile.COUNTER

    @station_profile.setter
    def station_profile(self, profile: StationProfile | str) -> None:
        self._set("station/profile", str(StationProfile(profile)))

    @property
    def station_name(self) -> str:
        """The station's name in audit events and print logs (the host name unless set)."""
        name = self._str("station/name").strip()
        return name or default_station_name()

    @station_name.setter
    def station_name(self, name: str) -> None:
        self._set("station/name", name.strip()[:40])

    # ------------------------------------------------------------------ language
    @property
    def language(self) -> str:
        value = self._str("ui/language", "en")
        return value if value in LANGUAGES else "en"

    @language.setter
    def language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
        self._set("ui/language", language)

    @property
    def language_chosen(self) -> bool:
        """False until someone chose a language (the first start follows the system locale)."""
        return self.qsettings.contains("ui/language")

    # ------------------------------------------------------------------ scanners
    def scanner_settings(self) -> ScannerSettings:
        """How this station's scanners are programmed (prefix, AIM identifier, timing)."""
        defaults = ScannerSettings()
        prefix_code = self._int("scanner/prefix_code", 0)
        try:
            return ScannerSettings(
                prefix=chr(prefix_code) if prefix_code else None,
                aim_symbology=self._bool("scanner/aim_symbology", defaults.aim_symbology),
                max_gap_ms=float(self._int("scanner/max_gap_ms", int(defaults.max_gap_ms))),
                min_length=self._int("scanner/min_length", defaults.min_length),
                capture_timeout_ms=self._int("scanner/capture_timeout_ms", defaults.capture_timeout_ms),
            )
        except ValueError:
            # A hand-edited file with impossible values: fall back rather than refuse to start.
            return defaults

    def set_scanner_settings(self, settings: ScannerSettings) -> None:
        self.qsettings.setValue("scanner/prefix_code", ord(settings.prefix) if settings.prefix else 0)
        self.qsettings.setValue("scanner/aim_symbology", settings.aim_symbology)
        self.qsettings.setValue("scanner/max_gap_ms", int(settings.max_gap_ms))
        self.qsettings.setValue("scanner/min_length", settings.min_length)
        self.qsettings.setValue("scanner/capture_timeout_ms", settings.capture_timeout_ms)
        self.qsettings.sync()

    # ------------------------------------------------------------------ printers
    def printer_for(self, document_type: str) -> str | None:
        """The printer chosen for a document type on this station; None means "ask / PDF"."""
        name = self._str(f"printers/{document_type}").strip()
        return name or None

    def set_printer_for(self, document_type: str, printer_name: str | None) -> None:
        if printer_name:
            self._set(f"printers/{document_type}", printer_name)
        else:
            self.qsettings.remove(f"printers/{document_type}")
            self.qsettings.sync()

    # ------------------------------------------------------------------ sign-in
    @property
    def last_username(self) -> str:
        """Pre-filled in the sign-in dialog (never the password)."""
        return self._str("sign_in/last_user")

    @last_username.setter
    def last_username(self, username: str) -> None:
        self._set("sign_in/last_user", username)


def default_station_name() -> str:
    name = socket.gethostname().split(".")[0].strip()
    return (name or "station")[:40]
