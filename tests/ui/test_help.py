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
