"""F1 opens the bundled user guide at the section of the screen shown, offline, pictures included,
in the station's language; the Chinese guide keeps the English guide's outline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from returndesk.domain.permissions import can
from returndesk.ui import help as guide
from returndesk.ui import navigation
from returndesk.ui.i18n import install_translations, remove_translations
from returndesk.ui.main_window import MainWindow
from returndesk.ui.screens.master_data.wizard import HELP_ANCHOR as IMPORT_ANCHOR
from returndesk.ui.screens.master_data.wizard import ImportWizard
from returndesk.ui.screens.return_detail.screen import HELP_ANCHOR as DETAIL_ANCHOR

WAIT_MS = 20_000
#: The languages with a guide of their own besides English.
TRANSLATIONS = ["zh_CN"]
#: Every anchor F1 opens: the screens' and the dialogs' with a help key of their own.
HELP_ANCHORS = sorted({entry.help for entry in navigation.registered()} | {IMPORT_ANCHOR, DETAIL_ANCHOR})
CJK = re.compile(r"[\u4e00-\u9fff]")


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
    path = guide.guide_path("en")
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
    file_name = "user-guide.zh_CN.md" if language == "zh_CN" else "user-guide.md"
    assert browser.source().isLocalFile() and browser.source().fileName() == file_name
    section = guide.section_in(entry.help, guide.guide_path(language))
    assert section is not None and (section == entry.help) == (language == "en")
    qtbot.waitUntil(lambda: browser.section_at_top() == section, timeout=WAIT_MS)
    title = "ReturnDesk 用户指南" if language == "zh_CN" else "ReturnDesk user guide"
    assert window.help_window.windowTitle() == title
    if language == "zh_CN":  # the section's heading and text are Chinese
        heading, text = _section_text(browser, section)
        assert CJK.search(heading) and _chinese_share(text) > 0.5, (heading, text[:200])
    window.help_window.close()


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


# --------------------------------------------------------------------------------------------
# The translated guides
# --------------------------------------------------------------------------------------------


def _section_text(browser, anchor: str) -> tuple[str, str]:
    """The heading ``anchor`` of the guide shown and the text of its section, up to the next heading."""
    block = browser.document().begin()
    while block.isValid() and not (block.blockFormat().headingLevel() and guide.anchor_of(block.text()) == anchor):
        block = block.next()
    assert block.isValid(), f"no heading {anchor!r}"
    heading, texts = block.text(), []
    block = block.next()
    while block.isValid() and not block.blockFormat().headingLevel():
        texts.append(block.text())
        block = block.next()
    return heading, "\n".join(texts)


def _chinese_share(text: str) -> float:
    """Of the letters of ``text`` outside code words, the share that are Chinese."""
    letters = [char for char in re.sub(r"[A-Za-z0-9_.+\-/|]*[A-Za-z][A-Za-z0-9_.+\-/|]*", "", text) if char.isalpha()]
    return sum(bool(CJK.match(char)) for char in letters) / max(len(letters), 1)


HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
FENCE = re.compile(r"^\s*```")
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
#: Keys as the guide writes them: Ctrl+Shift+H, Ctrl+1, Shift+F11, F7.
KEY = re.compile(r"(?<![A-Za-z0-9+])(?:(?:Ctrl|Shift|Alt)\+)+[A-Za-z0-9]+"
                 r"|(?<![A-Za-z0-9+])F(?:1[0-2]|[1-9])(?![0-9])")


def _outline(path: Path) -> list[dict[str, object]]:
    """Per heading of a guide's Markdown, in order: its level and title, and what its section (up
    to the next heading) shows that a translation keeps: the pictures (whatever their language),
    the keys and the command lines (without their comments)."""
    sections: list[dict[str, object]] = []
    in_code = False
    for line in path.read_text("utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            command = re.sub(r"\s+#\s.*$", "", line).rstrip()
            if command and sections:
                sections[-1]["commands"].append(command)  # type: ignore[union-attr]
            continue
        heading = HEADING.match(line)
        if heading:
            sections.append({"level": len(heading.group(1)), "title": heading.group(2),
                             "pictures": set(), "keys": set(), "commands": []})
            continue
        if not sections:
            continue
        for url in PICTURE.findall(line):
            sections[-1]["pictures"].add(re.sub(r"_(en|zh|zh_CN)(?=\.png$)", "", Path(url).name))  # type: ignore[union-attr]
        sections[-1]["keys"].update(KEY.findall(line))  # type: ignore[union-attr]
    return sections


def test_the_outline_reader_sees_the_keys_pictures_and_commands(tmp_path):
    sample = tmp_path / "guide.md"
    sample.write_text("# Guide\n\n## One\n\n![A](images/screens/a_en.png) Press **F7**, Ctrl+Shift+H or Shift+F11;"
                      " Ctrl+1 and F12.\n\n```sh\nreturndesk check   # all\n```\n\n### Two (二)\n\n"
                      "![B](images/documents/b_zh_CN.png) 按 Ctrl+Enter。\n", "utf-8")
    one, two = _outline(sample)[1:]
    assert one == {"level": 2, "title": "One", "pictures": {"a.png"}, "commands": ["returndesk check"],
                   "keys": {"F7", "Ctrl+Shift+H", "Shift+F11", "Ctrl+1", "F12"}}
    assert two["level"] == 3 and two["pictures"] == {"b.png"} and two["keys"] == {"Ctrl+Enter"}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translated_guide_keeps_the_english_guides_outline(qapp, language):
    english, translated = guide.guide_path("en"), guide.guide_path(language)
    assert translated is not None and translated.name == f"user-guide.{language}.md"
    original, other = _outline(english), _outline(translated)
    assert [s["level"] for s in other] == [s["level"] for s in original], (
        "the headings differ: " + " | ".join(f"{a['title']} ~ {b['title']}" for a, b in zip(original, other,
                                                                                          strict=False)))
    # Headings as the help window reads them: the same outline.
    assert [level for _anchor, level in guide.guide_headings(translated)] == [s["level"] for s in original]
    for ours, theirs in zip(original, other, strict=True):
        for what in ("pictures", "keys", "commands"):
            assert theirs[what] == ours[what], (
                f"{translated.name}, section '{theirs['title']}' (in English '{ours['title']}'): "
                f"{what} {theirs[what]!r} instead of {ours[what]!r}; translate the English section again")
        assert CJK.search(str(theirs["title"])), f"{theirs['title']!r} is not translated"
    pictures = {url for url in PICTURE.findall(translated.read_text("utf-8"))}
    missing = {url for url in pictures if not (translated.parent / url).is_file()}
    assert not missing, f"{translated.name} shows pictures that are not there: {sorted(missing)}"
    english_only = {url for url in pictures if re.search(r"_en\.png$", url)}
    assert not english_only, f"{translated.name} shows English screens: {sorted(english_only)}"


@pytest.mark.parametrize("language", ["en", *TRANSLATIONS])
@pytest.mark.parametrize("anchor", HELP_ANCHORS)
def test_every_help_anchor_opens_a_section_in_every_language(qapp, language, anchor):
    path = guide.guide_path(language)
    section = guide.section_in(anchor, path)
    assert section is not None, f"F1 with '{anchor}' finds no section in {path.name}"
    place = [a for a, _level in guide.guide_headings(guide.guide_path("en"))].index(anchor)
    assert guide.guide_headings(path)[place][0] == section


def test_a_language_without_a_guide_reads_the_english_one(qtbot):
    locale = QLocale()
    QLocale.setDefault(QLocale("ja_JP"))
    try:
        assert guide.guide_path() == guide.guide_path("en") == guide.guide_path("ja_JP")
        window = guide.HelpWindow()
        qtbot.addWidget(window)
        window.open_at("finance-财务")
        assert window.browser.source().fileName() == "user-guide.md"
        qtbot.waitUntil(lambda: window.browser.section_at_top() == "finance-财务", timeout=WAIT_MS)
    finally:
        QLocale.setDefault(locale)


def test_a_guide_whose_headings_do_not_follow_the_english_one_opens_at_its_top(qtbot, tmp_path, monkeypatch):
    english = guide.guide_path("en")
    drifted = tmp_path / "user-guide.zh_CN.md"
    drifted.write_text("# 用户指南\n\n## 财务\n\n文字。\n", "utf-8")
    monkeypatch.setattr(guide, "guide_path", lambda language=None: english if language == "en" else drifted)
    assert guide.section_in("finance-财务", drifted) is None
    assert guide.section_in("财务", drifted) == "财务"


@pytest.fixture
def guide_at_finance_in_english(qtbot, qapp) -> Iterator[guide.HelpWindow]:
    """The guide open at the finance section on an English station; the language put back after."""
    locale = QLocale()
    install_translations("en")
    try:
        window = guide.HelpWindow()
        qtbot.addWidget(window)
        window.open_at("finance-财务")
        qtbot.waitUntil(lambda: window.browser.section_at_top() == "finance-财务", timeout=WAIT_MS)
        yield window
    finally:
        remove_translations()
        QLocale.setDefault(locale)


def test_switching_the_language_shows_the_same_section_in_the_other_guide(qtbot, guide_at_finance_in_english):
    window = guide_at_finance_in_english
    install_translations("zh_CN")
    qtbot.waitUntil(lambda: window.browser.source().fileName() == "user-guide.zh_CN.md", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.browser.section_at_top() == "财务", timeout=WAIT_MS)
    assert window.windowTitle() == "ReturnDesk 用户指南"


def test_a_closed_guide_follows_a_change_of_language_when_it_is_opened_again(qtbot, guide_at_finance_in_english):
    window = guide_at_finance_in_english
    window.close()
    install_translations("zh_CN")
    qtbot.waitUntil(lambda: window.windowTitle() == "ReturnDesk 用户指南", timeout=WAIT_MS)
    assert window.browser.source().fileName() == "user-guide.md"  # nothing loaded while closed
    window.open_at("finance-财务")
    assert window.browser.source().fileName() == "user-guide.zh_CN.md"
    qtbot.waitUntil(lambda: window.browser.section_at_top() == "财务", timeout=WAIT_MS)


def test_a_document_pictured_in_english_shows_its_chinese_print_on_a_chinese_station(qtbot, language):
    window = guide.HelpWindow()
    qtbot.addWidget(window)
    image = window.browser.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                        QUrl("images/documents/monthly_report_en.png"))
    picture = image if isinstance(image, QImage) else QImage.fromData(image)
    folder = guide.guide_path("en").parent / "images" / "documents"
    name = "monthly_report_zh_CN.png" if language == "zh_CN" else "monthly_report_en.png"
    expected = QImage(str(folder / name))
    if expected.width() > picture.width():
        expected = expected.scaledToWidth(picture.width(), Qt.TransformationMode.SmoothTransformation)
    assert not picture.isNull() and picture == expected


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
    section = guide.section_in(anchor, guide.guide_path(language))  # the same section in the station's guide
    qtbot.waitUntil(lambda: window.browser.section_at_top() == section, timeout=WAIT_MS)
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
