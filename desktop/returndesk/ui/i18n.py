"""Languages, fonts and style, set up once at start-up; display names of domain codes.

:func:`setup_application` does everything the application needs before its first widget:

* the Fusion style (the same look on every platform, and stable screenshots);
* the bundled CJK font ``resources/fonts/wqy-microhei.ttc`` (WenQuanYi Micro Hei, TrueType
  outlines, also used by the PDF documents) and an application font family list that ends with it,
  so Chinese text never shows as empty boxes even on a machine without Chinese fonts;
* two translators: the application's ``rd_<language>.qm`` from ``returndesk.resources/i18n`` and
  Qt's own ``qtbase_<language>.qm`` (standard buttons such as OK/Cancel, context menus) from
  ``QLibraryInfo.path(TranslationsPath)``. A missing file just means that part stays English.

Codes are stored in the database and translated at display time. The ``tr_*`` functions turn a
domain code (``"awaiting_approval"``, ``Grade.B``) into its display name through
``QCoreApplication.translate`` with one context per enumeration; the English source strings are
marked with ``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` collects them into the ``.ts`` file.

Rule for every user-visible string: translate a template, then format it —
``self.tr("Scanned {count} items").format(count=n)``, never an f-string inside ``tr()``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from returndesk.domain.messages import render
from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    CollectMethod,
    Disposition,
    DocumentType,
    Fulfilment,
    Grade,
    Location,
    PolicyStatus,
    RefundMethod,
    Resolution,
    ReturnStatus,
    Role,
    UnitOutcome,
)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` and return it unchanged (Qt's own marker is
    typed as returning ``object``; this one keeps the text a ``str``)."""
    return source

log = logging.getLogger(__name__)

APP_CATALOGUE = "rd"
QT_CATALOGUE = "qtbase"
BUNDLED_FONT_FILES = ("wqy-microhei.ttc",)
STYLE = "Fusion"
# Native Chinese UI fonts come before the bundled one where the platform has them (they are
# hinted for the screen); the bundled font is the fallback that is always there.
NATIVE_CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)

_installed: list[QTranslator] = []


def resource_dir(*parts: str) -> Path:
    """A directory inside ``returndesk.resources`` (it may not exist)."""
    return Path(str(resources.files("returndesk.resources").joinpath(*parts)))


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


# --------------------------------------------------------------------------------------------
# Translators
# --------------------------------------------------------------------------------------------


def install_translations(language: str | None = None, *, catalogue_dir: Path | None = None) -> list[Path]:
    """Install the application's and Qt's translators for ``language`` (``"zh_CN"``, ``"en"``).

    ``None`` means the system's language. Translators installed by an earlier call are removed
    first, so this also switches the language (open widgets must re-set their texts on
    ``QEvent.LanguageChange``). Returns the ``.qm`` files that were loaded; also makes the
    language the default ``QLocale`` (number and date formats).
    """
    remove_translations()
    locale = QLocale(language) if language else QLocale.system()
    QLocale.setDefault(locale)
    loaded: list[Path] = []
    for catalogue, directory in (
        (APP_CATALOGUE, catalogue_dir or resource_dir("i18n")),
        (QT_CATALOGUE, qt_translations_dir()),
    ):
        translator = QTranslator()
        if translator.load(locale, catalogue, "_", str(directory)):
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
            loaded.append(Path(translator.filePath()))
        else:
            log.info("no %s translation for %s in %s; that part stays English", catalogue, locale.name(), directory)
    return loaded


def remove_translations() -> None:
    """Uninstall the translators installed by :func:`install_translations`."""
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())


# --------------------------------------------------------------------------------------------
# Fonts and style
# --------------------------------------------------------------------------------------------


def load_bundled_fonts(font_dir: Path | None = None) -> list[str]:
    """Register the bundled fonts with Qt; return their proportional family names.

    Files that are not there yet are skipped (with a log line), so start-up never fails on a font.
    """
    directory = font_dir or resource_dir("fonts")
    families: list[str] = []
    for name in BUNDLED_FONT_FILES:
        path = directory / name
        if not path.is_file():
            log.warning("bundled font %s is missing; Chinese text relies on the system's fonts", path)
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load the font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if not family.endswith(" Mono") and family not in families:
                families.append(family)
    return families


def font_families(base: Iterable[str], bundled: Iterable[str]) -> list[str]:
    """The family list: the platform's UI font, native Chinese fonts, then the bundled ones."""
    ordered: list[str] = []
    for family in (*base, *NATIVE_CJK_FAMILIES, *bundled):
        if family and family not in ordered:
            ordered.append(family)
    return ordered


def apply_application_font(app: QApplication, bundled_families: Iterable[str]) -> QFont:
    """Give the application a font whose family list always reaches a CJK font."""
    font = QFont(app.font())
    font.setFamilies(font_families(font.families() or [font.family()], bundled_families))
    app.setFont(font)
    return font


@dataclass(frozen=True)
class LanguageSetup:
    """What :func:`setup_application` found and installed."""

    language: str
    translations: tuple[Path, ...]
    font_families: tuple[str, ...]


def setup_application(app: QApplication, language: str | None = None) -> LanguageSetup:
    """Style, fonts and translators; call once, before the first window is created."""
    app.setStyle(STYLE)
    bundled = load_bundled_fonts()
    font = apply_application_font(app, bundled)
    loaded = install_translations(language)
    return LanguageSetup(QLocale().name(), tuple(loaded), tuple(font.families()))


# --------------------------------------------------------------------------------------------
# Display names of domain codes
# --------------------------------------------------------------------------------------------

_RETURN_STATUS = {
    ReturnStatus.DRAFT: QT_TRANSLATE_NOOP("ReturnStatus", "Draft"),
    ReturnStatus.REQUESTED: QT_TRANSLATE_NOOP("ReturnStatus", "Requested"),
    ReturnStatus.WAITING_FOR_CUSTOMER: QT_TRANSLATE_NOOP("ReturnStatus", "Waiting for the customer"),
    ReturnStatus.AUTHORIZED: QT_TRANSLATE_NOOP("ReturnStatus", "Authorized"),
    ReturnStatus.RECEIVED: QT_TRANSLATE_NOOP("ReturnStatus", "Received"),
    ReturnStatus.INSPECTED: QT_TRANSLATE_NOOP("ReturnStatus", "Inspected"),
    ReturnStatus.AWAITING_APPROVAL: QT_TRANSLATE_NOOP("ReturnStatus", "Awaiting approval"),
    ReturnStatus.APPROVED: QT_TRANSLATE_NOOP("ReturnStatus", "Approved"),
    ReturnStatus.REFUND_REJECTED: QT_TRANSLATE_NOOP("ReturnStatus", "Refund rejected"),
    ReturnStatus.REFUNDED: QT_TRANSLATE_NOOP("ReturnStatus", "Refunded"),
    ReturnStatus.EXCHANGED: QT_TRANSLATE_NOOP("ReturnStatus", "Exchanged"),
    ReturnStatus.CLOSED: QT_TRANSLATE_NOOP("ReturnStatus", "Closed"),
    ReturnStatus.REJECTED: QT_TRANSLATE_NOOP("ReturnStatus", "Rejected"),
    ReturnStatus.CANCELLED: QT_TRANSLATE_NOOP("ReturnStatus", "Cancelled"),
    ReturnStatus.EXPIRED: QT_TRANSLATE_NOOP("ReturnStatus", "Expired"),
}

_GRADE = {
    Grade.A: QT_TRANSLATE_NOOP("Grade", "A: new, resealable"),
    Grade.B: QT_TRANSLATE_NOOP("Grade", "B: opened, like new"),
    Grade.C: QT_TRANSLATE_NOOP("Grade", "C: used or cosmetically damaged"),
    Grade.D: QT_TRANSLATE_NOOP("Grade", "D: defective or unusable"),
}

_DISPOSITION = {
    Disposition.RESTOCK: QT_TRANSLATE_NOOP("Disposition", "Restock"),
    Disposition.REFURBISH: QT_TRANSLATE_NOOP("Disposition", "Refurbish"),
    Disposition.RETURN_TO_VENDOR: QT_TRANSLATE_NOOP("Disposition", "Return to vendor"),
    Disposition.SCRAP: QT_TRANSLATE_NOOP("Disposition", "Scrap"),
    Disposition.RETURN_TO_CUSTOMER: QT_TRANSLATE_NOOP("Disposition", "Return to customer"),
}

_REFUND_METHOD = {
    RefundMethod.ORIGINAL_PAYMENT: QT_TRANSLATE_NOOP("RefundMethod", "Original payment"),
    RefundMethod.STORE_CREDIT: QT_TRANSLATE_NOOP("RefundMethod", "Store credit"),
    RefundMethod.CASH: QT_TRANSLATE_NOOP("RefundMethod", "Cash"),
    RefundMethod.BANK_TRANSFER: QT_TRANSLATE_NOOP("RefundMethod", "Bank transfer"),
}

_ROLE = {
    Role.CLERK: QT_TRANSLATE_NOOP("Role", "Counter clerk"),
    Role.INSPECTOR: QT_TRANSLATE_NOOP("Role", "Warehouse inspector"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Role", "Supervisor"),
    Role.MANAGER: QT_TRANSLATE_NOOP("Role", "Manager"),
    Role.FINANCE: QT_TRANSLATE_NOOP("Role", "Finance"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Role", "Administrator"),
}

_RESOLUTION = {
    Resolution.REFUND: QT_TRANSLATE_NOOP("Resolution", "Refund"),
    Resolution.EXCHANGE: QT_TRANSLATE_NOOP("Resolution", "Exchange"),
}

_POLICY_STATUS = {
    PolicyStatus.WITHIN: QT_TRANSLATE_NOOP("PolicyStatus", "Within policy"),
    PolicyStatus.OVERRIDE_NEEDED: QT_TRANSLATE_NOOP("PolicyStatus", "Needs a supervisor override"),
    PolicyStatus.NOT_RETURNABLE: QT_TRANSLATE_NOOP("PolicyStatus", "Not returnable"),
}

_UNIT_OUTCOME = {
    UnitOutcome.ACCEPTED: QT_TRANSLATE_NOOP("UnitOutcome", "Accepted"),
    UnitOutcome.REJECTED: QT_TRANSLATE_NOOP("UnitOutcome", "Rejected"),
    UnitOutcome.OVER: QT_TRANSLATE_NOOP("UnitOutcome", "More than authorized"),
    UnitOutcome.WRONG_ITEM: QT_TRANSLATE_NOOP("UnitOutcome", "Wrong item"),
}

_CHANNEL = {
    Channel.COUNTER: QT_TRANSLATE_NOOP("Channel", "Counter"),
    Channel.REMOTE: QT_TRANSLATE_NOOP("Channel", "Phone or online"),
}

_LOCATION = {
    Location.AVAILABLE: QT_TRANSLATE_NOOP("Location", "Available stock"),
    Location.INSPECTION: QT_TRANSLATE_NOOP("Location", "Inspection"),
    Location.REFURBISH: QT_TRANSLATE_NOOP("Location", "Refurbishment"),
    Location.RTV: QT_TRANSLATE_NOOP("Location", "Return to vendor"),
    Location.SCRAP: QT_TRANSLATE_NOOP("Location", "Scrap"),
    Location.RESERVED: QT_TRANSLATE_NOOP("Location", "Reserved"),
    Location.CUSTOMER: QT_TRANSLATE_NOOP("Location", "Customer"),
    Location.SUPPLIER: QT_TRANSLATE_NOOP("Location", "At the supplier"),
}

_APPROVAL_LEVEL = {
    ApprovalLevel.AUTO: QT_TRANSLATE_NOOP("ApprovalLevel", "Automatic"),
    ApprovalLevel.SUPERVISOR: QT_TRANSLATE_NOOP("ApprovalLevel", "Supervisor"),
    ApprovalLevel.MANAGER: QT_TRANSLATE_NOOP("ApprovalLevel", "Manager"),
}

_DOCUMENT_TYPE = {
    DocumentType.RETURN_LABEL: QT_TRANSLATE_NOOP("DocumentType", "Return label"),
    DocumentType.COUNTER_RECEIPT: QT_TRANSLATE_NOOP("DocumentType", "Counter receipt"),
    DocumentType.ITEM_TAG: QT_TRANSLATE_NOOP("DocumentType", "Item tag"),
    DocumentType.CREDIT_NOTE: QT_TRANSLATE_NOOP("DocumentType", "Credit note"),
    DocumentType.COMMAND_SHEET: QT_TRANSLATE_NOOP("DocumentType", "Command sheet"),
    DocumentType.PACKING_SLIP: QT_TRANSLATE_NOOP("DocumentType", "Packing slip"),
}

_COLLECT_METHOD = {
    CollectMethod.CASH: QT_TRANSLATE_NOOP("CollectMethod", "Cash"),
    CollectMethod.CARD: QT_TRANSLATE_NOOP("CollectMethod", "Bank card"),
    CollectMethod.WECHAT_PAY: QT_TRANSLATE_NOOP("CollectMethod", "WeChat Pay"),
    CollectMethod.ALIPAY: QT_TRANSLATE_NOOP("CollectMethod", "Alipay"),
}

_FULFILMENT = {
    Fulfilment.COUNTER: QT_TRANSLATE_NOOP("Fulfilment", "Handed over at the counter"),
    Fulfilment.SHIP: QT_TRANSLATE_NOOP("Fulfilment", "Shipped to the customer"),
}

#: enumeration -> (translation context, English source strings)
DISPLAY_NAMES: dict[type[StrEnum], tuple[str, dict]] = {
    ReturnStatus: ("ReturnStatus", _RETURN_STATUS),
    Grade: ("Grade", _GRADE),
    Disposition: ("Disposition", _DISPOSITION),
    RefundMethod: ("RefundMethod", _REFUND_METHOD),
    Role: ("Role", _ROLE),
    Resolution: ("Resolution", _RESOLUTION),
    PolicyStatus: ("PolicyStatus", _POLICY_STATUS),
    UnitOutcome: ("UnitOutcome", _UNIT_OUTCOME),
    Channel: ("Channel", _CHANNEL),
    Location: ("Location", _LOCATION),
    ApprovalLevel: ("ApprovalLevel", _APPROVAL_LEVEL),
    DocumentType: ("DocumentType", _DOCUMENT_TYPE),
    CollectMethod: ("CollectMethod", _COLLECT_METHOD),
    Fulfilment: ("Fulfilment", _FULFILMENT),
}


def display_name(enum_type: type[StrEnum], code: StrEnum | str) -> str:
    """The translated display name of ``code`` (a member or its stored value) of ``enum_type``.

    Raises ``ValueError`` naming the code when it is not a member (a database newer than the app).
    """
    context, names = DISPLAY_NAMES[enum_type]
    try:
        member = enum_type(code)
    except ValueError:
        raise ValueError(f"'{code}' is not a known {enum_type.__name__} code") from None
    return QCoreApplication.translate(context, names[member])


def choices(enum_type: type[StrEnum]) -> list[tuple[str, str]]:
    """``(code, display name)`` for every member, in declaration order (for combo boxes)."""
    return [(member.value, display_name(enum_type, member)) for member in enum_type]


def tr_status(code: ReturnStatus | str) -> str:
    """Display name of a return status: ``tr_status("awaiting_approval") == "Awaiting approval"``."""
    return display_name(ReturnStatus, code)


def tr_grade(code: Grade | str) -> str:
    return display_name(Grade, code)


def tr_disposition(code: Disposition | str) -> str:
    return display_name(Disposition, code)


def tr_refund_method(code: RefundMethod | str) -> str:
    return display_name(RefundMethod, code)


def tr_role(code: Role | str) -> str:
    return display_name(Role, code)


def tr_resolution(code: Resolution | str) -> str:
    return display_name(Resolution, code)


def tr_policy_status(code: PolicyStatus | str) -> str:
    return display_name(PolicyStatus, code)


def tr_unit_outcome(code: UnitOutcome | str) -> str:
    return display_name(UnitOutcome, code)


def tr_channel(code: Channel | str) -> str:
    return display_name(Channel, code)


def tr_location(code: Location | str) -> str:
    return display_name(Location, code)


def tr_approval_level(code: ApprovalLevel | str) -> str:
    return display_name(ApprovalLevel, code)


def tr_document_type(code: DocumentType | str) -> str:
    return display_name(DocumentType, code)


#: Translation context of the services' sentences (their templates are listed in service_messages.py).
SERVICES_CONTEXT = "Services"


def tr_message(text: str) -> str:
    """``text`` in the user's language: a service :class:`~returndesk.domain.messages.Message` is
    rendered from its translated template, with codes among its parameters under their display
    names, names (:class:`~returndesk.domain.messages.Names`) in the user's language and sentences
    among them rendered the same way; plain text is returned as it is.
    """
    if not any(Path(t.filePath()).name.startswith(f"{APP_CATALOGUE}_") for t in _installed):
        return text  # the application's catalogue is not installed: English, as the services wrote it
    return render(text, _translate_service_template, _code_name, QLocale().name())


def _translate_service_template(template: str) -> str:
    return QCoreApplication.translate(SERVICES_CONTEXT, template)


def _code_name(code: StrEnum) -> str:
    return display_name(type(code), code) if type(code) in DISPLAY_NAMES else str(code.value)
