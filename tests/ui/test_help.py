"""F1 opens the bundled user guide at the section of the screen shown, offline, pictures included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from returndesk.domain.permissions import can
from returndesk.ui import help as guide
from returndesk.ui import navigation
from returndesk.ui.i18n import install_translations, remove_translations
from returndesk.ui.main_window import MainWindow
from returndesk.ui.screens.master_data.wizard import ImportWizard

WAIT_MS = 20_000


@pytest.fixture(params=["en", "zh_CN"])
def language(request, qapp) -> Iterator[str]:
    locale = QLocale()
    install_translations(request.param)
    yield request.param
    remove_translations()
    QLocale.setDefault(locale)


def _actor_for(world, entry: navigation.ScreenEntry):
    people = [world.clerk, world.inspector, world.supervisor, world.manager, world.finance, world.admin]
    return next(actor for actor in people if can(actor.role, entry.permission))


def test_the_guide_is_there_and_every_screen_names_one_of_its_sections():
    path = guide.guide_path()
    assert path is not None and path.name == "user-guide.md"
    anchors = guide.guide_anchors(path)
    assert "finance-财务" in anchors and "administrator" in anchors
    missing = {entry.key: entry.help for entry in navigation.registered() if entry.help not in anchors}
    assert not missing, f"screens whose help section is not a heading of the guide: {missing}"


def test_anchors_are_written_as_github_links_them():
    assert guide.anchor_of("Finance (财务)") == "finance-财务"
    assert guide.anchor_of("Importing files: the import wizard") == "importing-files-the-import-wizard"
    assert guide.anchor_of("Everyone: a return whole (the detail page)") == "everyone-a-return-whole-the-detail-page"


@pytest.mark.parametrize("key", [entry.key for entry in navigation.registered()])
def test_f1_opens_the_guide_at_the_screens_section(qtbot, language, frame_services, tasks, world, key):
    entry = next(e for e in navigation.registered() if e.key == key)
    actor = _actor_for(world, entry)
    window = MainWindow(frame_services.api_for(actor), tasks, actor, station_name="DESK-1")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.open_screen(key)
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)

    qtbot.keyClick(window, Qt.Key.Key_F1)

    qtbot.waitUntil(lambda: window.help_window is not None and window.help_window.isVisible(), timeout=WAIT_MS)
    browser = window.help_window.browser
    qtbot.waitUntil(lambda: browser.section_at_top() == entry.help, timeout=WAIT_MS)
    assert browser.source().isLocalFile() and browser.source().fileName() == "user-guide.md"
    title = "ReturnDesk 用户指南" if language == "zh_CN" else "ReturnDesk user guide"
    assert window.help_window.windowTitle() == title


def test_the_guide_shows_its_pictures_and_the_chinese_ones_on_a_chinese_station(qtbot, language):
    window = guide.HelpWindow()
    qtbot.addWidget(window)
    window.open_at("finance-财务")
    browser = window.browser
    image = browser.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                 QUrl("images/screens/finance_en.png"))
    picture = image if isinstance(image, QImage) else QImage.fromData(image)
    assert not picture.isNull() and 400 < picture.width() <= browser.viewport().width()
    folder = guide.guide_path().parent / "images" / "screens"
    shown, other = ("finance_zh.png", "finance_en.png") if language == "zh_CN" else ("finance_en.png",
                                                                                        "finance_zh.png")
    smooth = Qt.TransformationMode.SmoothTransformation
    scaled = {name: QImage(str(folder / name)).scaledToWidth(picture.width(), smooth) for name in (shown, other)}
    assert picture == scaled[shown] and picture != scaled[other]


def test_f1_in_the_import_wizard_opens_its_section(qtbot, frame_services, tasks, world):
    wizard = ImportWizard(frame_services.api_for(world.manager), tasks)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=WAIT_MS)

    qtbot.keyClick(wizard, Qt.Key.Key_F1)

    window = guide._shared
    qtbot.waitUntil(lambda: window is not None and window.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.browser.section_at_top() == "importing-files-the-import-wizard", timeout=WAIT_MS)
    window.close()


def test_a_missing_guide_says_so_instead_of_an_empty_window(qtbot, monkeypatch):
    monkeypatch.setattr(guide, "guide_path", lambda: None)
    window = guide.HelpWindow()
    qtbot.addWidget(window)
    window.open_at("finance-财务")
    assert "not installed" in window.browser.toPlainText()


# --------------------------------------------------------------------------- F1 in the dialogs

def _dialogs() -> dict[str, tuple[object, str]]:
    """Every dialog of the program that stands for a task: how to open it, and its guide section."""
    from returndesk.ui.dialogs.exchange import ExchangeDialog
    from returndesk.ui.dialogs.first_admin import FirstAdministratorDialog
    from returndesk.ui.dialogs.first_start import FirstStartDialog
    from returndesk.ui.dialogs.printer_settings import PrinterSettingsDialog
    from returndesk.ui.dialogs.scanner_settings import ScannerSettingsDialog
    from returndesk.ui.dialogs.server_certificate import ServerCertificateDialog
    from returndesk.ui.dialogs.sign_in import SignInDialog
    from returndesk.ui.dialogs.sign_off import SupervisorSignOffDialog
    from returndesk.ui.dialogs.station import StationSettingsDialog
    from returndesk.ui.scanner import ScannerSettings
    from returndesk.ui.screens.admin.log import ReasonDialog
    from returndesk.ui.screens.admin.places import SiteDialog, StationDialog
    from returndesk.ui.screens.admin.users import PasswordDialog, UserDialog
    from returndesk.ui.screens.analytics import StageTargetsDialog
    from returndesk.ui.screens.counter.blind import BlindReturnDialog
    from returndesk.ui.screens.inspection.parcel import UnexpectedParcelDialog
    from returndesk.ui.screens.inspection.parcels import ParcelsDialog
    from returndesk.ui.settings import StationProfile

    return {
        "exchange": (lambda s, t, w: ExchangeDialog(s.api_for(w.clerk), t, "R0000000001"), guide.EXCHANGES),
        "sign-off": (lambda s, t, w: SupervisorSignOffDialog(t, lambda sign_off: None, "Refund of ¥10.00"),
                     guide.SIGN_OFF),
        "without a receipt": (lambda s, t, w: BlindReturnDialog(s.api_for(w.clerk), t), guide.WITHOUT_RECEIPT),
        "import wizard": (lambda s, t, w: ImportWizard(s.api_for(w.manager), t), guide.IMPORT_WIZARD),
        "parcel without RMA": (lambda s, t, w: UnexpectedParcelDialog(), guide.PARCELS),
        "unmatched parcels": (lambda s, t, w: ParcelsDialog(s.api_for(w.inspector), t), guide.PARCELS),
        "stage targets": (lambda s, t, w: StageTargetsDialog([]), guide.ANALYTICS),
        "sign in": (lambda s, t, w: SignInDialog(s, t), guide.SIGNING_IN),
        "first start": (lambda s, t, w: FirstStartDialog(t), guide.SIGNING_IN),
        "first administrator": (lambda s, t, w: FirstAdministratorDialog(s, t), guide.SIGNING_IN),
        "server certificate": (lambda s, t, w: ServerCertificateDialog("https://returns.example.lan:8443",
                                                                       "AB:CD:EF"), guide.SIGNING_IN),
        "printers": (lambda s, t, w: PrinterSettingsDialog(s.api_for(w.admin), t, "DESK-1", station_kind="counter",
                                                           qt_printers=lambda: [],
                                                           list_cups_queues=lambda: ([], "")), guide.ADMINISTRATOR),
        "scanners": (lambda s, t, w: ScannerSettingsDialog(ScannerSettings()), guide.ADMINISTRATOR),
        "station settings": (lambda s, t, w: StationSettingsDialog(StationProfile.COUNTER, "DESK-1"),
                             guide.ADMINISTRATOR),
        "user": (lambda s, t, w: UserDialog(), guide.ADMINISTRATOR),
        "password": (lambda s, t, w: PasswordDialog("clerk"), guide.ADMINISTRATOR),
        "reason": (lambda s, t, w: ReasonDialog(None), guide.ADMINISTRATOR),
        "station": (lambda s, t, w: StationDialog(None, []), guide.ADMINISTRATOR),
        "site": (lambda s, t, w: SiteDialog(None, "Asia/Shanghai"), guide.ADMINISTRATOR),
    }


def test_every_dialog_names_a_section_of_the_guide():
    anchors = guide.guide_anchors()
    missing = {name: anchor for name, (_make, anchor) in _dialogs().items() if anchor not in anchors}
    assert not missing, f"dialogs whose help section is not a heading of the guide: {missing}"


def _press_f1_in(qtbot, dialog) -> guide.HelpWindow:
    dialog.open()  # modal, as the program opens it
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    qtbot.keyClick(dialog, Qt.Key.Key_F1)
    found: list[guide.HelpWindow] = []

    def shown() -> bool:
        found[:] = [w for w in dialog.findChildren(guide.HelpWindow) if w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return found[0]


@pytest.mark.parametrize("name", list(_dialogs()))
def test_f1_in_a_modal_dialog_opens_its_section_in_a_window_that_can_be_used(qtbot, language, frame_services,
                                                                             tasks, world, name):
    make, anchor = _dialogs()[name]
    dialog = make(frame_services, tasks, world)
    qtbot.addWidget(dialog)

    window = _press_f1_in(qtbot, dialog)

    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    qtbot.waitUntil(lambda: window.browser.section_at_top() == anchor, timeout=WAIT_MS)
    # The modal dialog blocks every window but its own children: the guide is one of them.
    assert QApplication.activeModalWidget() is dialog and window.parent() is dialog
    title = "ReturnDesk 用户指南" if language == "zh_CN" else "ReturnDesk user guide"
    assert window.windowTitle() == title
    tasks.wait_idle(WAIT_MS)
    window.close()
    dialog.done(0)


def test_f1_in_an_error_over_a_screen_opens_the_section_of_that_screen(qtbot, frame_services, tasks, world):
    from returndesk.domain.errors import NotFound
    from returndesk.domain.messages import msg
    from returndesk.ui.errors import ErrorDialog, describe_error

    window = MainWindow(frame_services.api_for(world.clerk), tasks, world.clerk, station_name="DESK-1")
    qtbot.addWidget(window)
    window.show()
    window.open_screen("counter")
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)
    dialog = ErrorDialog(describe_error(NotFound(msg("No return {rma_no} exists. Check the number.",
                                                     rma_no="R0000999999"))), window)

    help_window = _press_f1_in(qtbot, dialog)

    counter = next(e for e in navigation.registered() if e.key == "counter")
    qtbot.waitUntil(lambda: help_window.browser.section_at_top() == counter.help, timeout=WAIT_MS)
    help_window.close()
    dialog.done(0)
