"""The Chinese catalogue is complete, compiled, and what the screens show.

* ``resources/i18n/rd_zh_CN.ts``: every live message has a finished, non-empty translation that
  keeps the source's placeholders (``{name}``, ``%n``, ``%1``) and its shortcut letter (``&``).
* ``resources/i18n/rd_zh_CN.qm`` (committed) answers exactly what a fresh ``lrelease`` of the
  ``.ts`` answers, for every message: nobody forgot ``make translations``.
* With the Chinese translators installed, every registered screen (and the main window around it)
  shows no text that is still the English source of a translated message.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, Qt, QTranslator
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from returndesk.domain.permissions import can
from returndesk.ui import navigation
from returndesk.ui.i18n import install_translations, remove_translations, resource_dir
from returndesk.ui.main_window import MainWindow
from returndesk.ui.settings import StationProfile
from tests.integration.factories import make_order
from tests.integration.money_support import LineSpec, awaiting, take_return
from tests.ui.frame_support import make_returns

LANGUAGE = "zh_CN"
TS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / f"rd_{LANGUAGE}.ts"
QM = TS.with_suffix(".qm")
WAIT_MS = 20_000

PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%n|%\d")
# A shortcut letter: "&" followed by anything but a space or a second "&" (which is a literal "&").
MNEMONIC = re.compile(r"(?<!&)&([^&\s])")
# English words of three letters or more: a source without any is not recognisable as English on
# screen ("F12", "{name} · {phone}").
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str | None
    numerus: bool
    translations: tuple[str, ...]  # one per plural form; one for other messages
    kind: str  # "" (finished), "unfinished", "vanished", "obsolete"

    @property
    def live(self) -> bool:
        """Still in the sources (lupdate keeps vanished texts while others may be mid-edit)."""
        return self.kind not in ("vanished", "obsolete")


def read_catalogue(path: Path = TS) -> list[Message]:
    """Every message of a ``.ts`` file."""
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: a message without a translation element"
            numerus = message.get("numerus") == "yes"
            forms = ([form.text or "" for form in translation.iter("numerusform")] if numerus
                     else [translation.text or ""])
            messages.append(Message(name, message.findtext("source") or "", message.findtext("comment"), numerus,
                                    tuple(forms), translation.get("type", "")))
    return messages


MESSAGES = [m for m in read_catalogue() if m.live]


def _where(message: Message) -> str:
    return f"[{message.context}] {message.source!r}"


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` with PySide6's lrelease (the tool, run from this interpreter's PySide6)."""
    code = (
        "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; sys.exit(lrelease())"
    )
    done = subprocess.run([sys.executable, "-c", code, str(ts), "-qm", str(qm)], capture_output=True, text=True)
    assert done.returncode == 0 and qm.is_file(), done.stdout + done.stderr


# --------------------------------------------------------------------------- the .ts file


def test_the_catalogue_is_chinese_and_lists_the_screens_texts():
    assert ET.parse(TS).getroot().get("language") == LANGUAGE
    contexts = {m.context for m in MESSAGES}
    # The frame, the dialogs, the screens of the navigation and the domain's display names.
    assert {"MainWindow", "SignInDialog", "FirstStartDialog", "PrinterSettingsDialog", "ScannerSettingsDialog",
            "ReturnStatus", "RefundMethod", "Navigation"} <= contexts
    assert "" not in contexts, "a translate function without a context: lupdate cannot tell where it belongs"


def test_every_message_has_a_finished_translation():
    unfinished = [_where(m) for m in MESSAGES if m.kind == "unfinished"]
    empty = [_where(m) for m in MESSAGES if not all(form.strip() for form in m.translations)]
    assert not unfinished, f"{len(unfinished)} unfinished (translate them, see docs/translating.md): {unfinished}"
    assert not empty, f"empty translations: {empty}"


def test_plural_messages_have_the_one_chinese_form_with_the_count():
    plurals = [m for m in MESSAGES if m.numerus]
    assert plurals, "the returns list counts its rows with %n"
    for message in plurals:
        assert len(message.translations) == 1, _where(message)  # Chinese has no plural forms
        assert "%n" in message.translations[0], _where(message)


def test_translations_keep_placeholders_and_shortcut_letters():
    problems = []
    for message in MESSAGES:
        wanted = sorted(set(PLACEHOLDER.findall(message.source)))
        letters = sorted(c.lower() for c in MNEMONIC.findall(message.source))
        for form in message.translations:
            if sorted(set(PLACEHOLDER.findall(form))) != wanted:
                problems.append(f"{_where(message)} -> {form!r}: placeholders {wanted}")
            if sorted(c.lower() for c in MNEMONIC.findall(form)) != letters:
                problems.append(f"{_where(message)} -> {form!r}: shortcut letters {letters}")
    assert not problems, "\n".join(problems)


# The services' templates (conversions, format specs, typed values) are checked in
# tests/unit/test_service_messages.py.
TEMPLATES = [m for m in MESSAGES if re.search(r"\{[A-Za-z_]\w*\}", m.source) and m.context != "Services"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(min_size=1, max_size=12))
def test_every_translated_template_formats_with_the_values_of_its_source(value):
    """What the code does with a template (``tr(...).format(**values)``) works on the translation
    and shows every value."""
    for message in TEMPLATES:
        names = set(re.findall(r"\{([A-Za-z_]\w*)\}", message.source))
        values = {name: f"<{name}:{value}>" for name in names}
        message.source.format(**values)
        for form in message.translations:
            shown = form.format(**values)
            assert all(v in shown for v in values.values()), _where(message)


# --------------------------------------------------------------------------- the committed .qm


def _translate_all(translator: QTranslator) -> dict[tuple[str, str, int], str]:
    answers = {}
    for message in MESSAGES:
        for n in ((1, 2, 10) if message.numerus else (-1,)):
            answers[(message.context, message.source, n)] = translator.translate(
                message.context, message.source, message.comment, n)
    return answers


def test_the_committed_qm_is_compiled_from_the_current_ts(tmp_path):
    assert QM.is_file(), f"{QM.name} is missing: run `make translations` and commit it"
    fresh_path = tmp_path / QM.name
    lrelease(TS, fresh_path)
    committed, fresh = QTranslator(), QTranslator()
    assert committed.load(str(QM)) and fresh.load(str(fresh_path))

    expected = _translate_all(fresh)
    # The fresh compilation says what the .ts says (the comparison below means something).
    for message in MESSAGES:
        key_n = (1,) if message.numerus else (-1,)
        assert expected[(message.context, message.source, key_n[0])] == message.translations[0], _where(message)
    stale = [key for key, text in _translate_all(committed).items() if text != expected[key]]
    assert not stale, f"{QM.name} is older than {TS.name} for {len(stale)} messages, e.g. {stale[:5]}: " \
                      "run `make translations` and commit the .qm"


def test_the_application_loads_the_committed_catalogue(qapp, chinese):
    assert QM.resolve() in [p.resolve() for p in chinese]
    assert QM.parent.resolve() == resource_dir("i18n").resolve()
    assert QCoreApplication.translate("ReturnsListScreen", "%n return(s).", "", 3) == "共 3 张退货单。"
    assert QCoreApplication.translate("RefundMethod", "Store credit") == "门店储值"


# --------------------------------------------------------------------------- screens in Chinese


@pytest.fixture
def chinese(qapp) -> Iterator[list[Path]]:
    """The Chinese translators (the application's committed .qm and Qt's), removed afterwards."""
    locale = QLocale()
    loaded = install_translations(LANGUAGE)
    yield loaded
    remove_translations()
    QLocale.setDefault(locale)


def _translated_sources() -> tuple[set[str], list[re.Pattern[str]]]:
    """English sources whose Chinese differs: exact texts, and templates as patterns of their
    formatted English (placeholders match anything)."""
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in MESSAGES:
        if all(form == message.source for form in message.translations):
            continue  # "{name} · {phone}", "F12", "ReturnDesk": the same in both languages
        if not ENGLISH_WORD.search(message.source):
            continue
        exact.add(message.source)
        pieces = re.split(r"(\{[A-Za-z_]\w*\}|%n)", message.source)
        # Two English words at least: "Line {title}" alone would also match English from the services.
        if len(pieces) > 1 and len(ENGLISH_WORD.findall("".join(pieces[::2]))) >= 2:
            regex = "".join(r"\d+" if p == "%n" else ".*?" if p.startswith("{") else re.escape(p) for p in pieces)
            patterns.append(re.compile(regex, re.DOTALL))
    return exact, patterns


def _plain(text: str) -> str:
    if GuiQt.mightBeRichText(text):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    # A list shows one column (and a QListWidget's model hides columnCount from Python).
    columns = [view.modelColumn()] if isinstance(view, QListView) else list(range(model.columnCount(root)))
    if isinstance(view, (QTableView, QTreeView)):
        for section in columns:
            yield str(model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
    for row in range(min(model.rowCount(root), 30)):
        for column in columns:
            value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget, text) of every visible label, button, group title, placeholder, combo item, tab,
    table header and table cell under ``root``."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = f"{type(widget).__name__}#{widget.objectName()}"
        texts: list[str] = []
        if isinstance(widget, QLabel):
            texts.append(_plain(widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):  # headers: their view's
            texts += list(_model_texts(widget))
        found += [(name, text) for text in texts if text.strip()]
    return found


def still_english(texts: list[tuple[str, str]]) -> list[str]:
    """The shown texts that are the English source of a translated message (or a formatted one)."""
    exact, patterns = _translated_sources()
    english = []
    for where, text in texts:
        candidates = [text, *text.splitlines()]
        if any(c in exact or any(p.fullmatch(c) for p in patterns) for c in candidates):
            english.append(f"{where}: {text!r}")
    return english


@dataclass(frozen=True)
class Staged:
    waiting: str  # awaiting a supervisor's approval
    expected: str  # authorized, the parcel not received yet
    requested: str


@pytest.fixture
def staged(world) -> Staged:
    """Returns in the states the stations' screens list."""
    waiting = awaiting(world, [LineSpec("AP-2001", 1)])
    order_no = make_order(world, [("HM-4001", 1)], days_ago=2)
    expected = take_return(world, order_no, [LineSpec("HM-4001", 1)])
    [requested] = make_returns(world, 1)
    return Staged(waiting, expected, requested)


PREFERRED_ROLE = {StationProfile.COUNTER: "clerk", StationProfile.INSPECTION: "inspector",
                  StationProfile.SUPERVISOR: "supervisor"}
#: What each station's screen lists once its data is read (the condition the test waits for).
SHOWS = {"approval": "waiting", "inspection": "expected", "returns": "waiting"}


def _actor_for(world, entry: navigation.ScreenEntry):
    preferred = PREFERRED_ROLE[entry.start_for[0]] if entry.start_for else "clerk"
    people = [getattr(world, preferred), world.clerk, world.inspector, world.supervisor, world.manager, world.admin]
    return next(actor for actor in people if can(actor.role, entry.permission))


def _settle(qtbot, tasks, screen: QWidget, staged: Staged, key: str) -> None:
    if key in SHOWS:
        rma = getattr(staged, SHOWS[key])
        qtbot.waitUntil(lambda: any(rma in text for _, text in shown_texts(screen)), timeout=WAIT_MS)
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)
    QCoreApplication.processEvents()
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)


@pytest.mark.parametrize("key", [entry.key for entry in navigation.registered()])
def test_each_screen_shows_chinese(qtbot, chinese, frame_services, tasks, world, staged, key):
    entry = next(e for e in navigation.registered() if e.key == key)
    actor = _actor_for(world, entry)
    screen = entry.factory(frame_services.api_for(actor), tasks, actor)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    _settle(qtbot, tasks, screen, staged, key)

    texts = shown_texts(screen)
    assert len(texts) >= 5, f"{key}: the screen shows almost nothing: {texts}"
    assert any(re.search(r"[\u4e00-\u9fff]", text) for _, text in texts), f"{key}: no Chinese on the screen"
    english = still_english(texts)
    assert not english, f"{key}: texts still in English:\n" + "\n".join(english)


def _menu_texts(window: MainWindow) -> list[tuple[str, str]]:
    texts = []
    for action in window.menuBar().actions():
        texts.append(("menu bar", action.text()))
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [(f"menu {action.text()}", a.text()) for a in menu.actions() if not a.isSeparator()]
    return texts


@pytest.mark.parametrize("profile", list(StationProfile))
def test_the_main_window_shows_chinese(qtbot, chinese, frame_services, tasks, world, staged, profile):
    actor = getattr(world, PREFERRED_ROLE[profile])
    window = MainWindow(frame_services.api_for(actor), tasks, actor, profile=profile, station_name="DESK-1")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)

    navigation_items = [("navigation", window.navigation.item(row).text()) for row in range(window.navigation.count())]
    texts = shown_texts(window) + _menu_texts(window) + navigation_items + [("title", window.windowTitle())]
    assert {text for _, text in navigation_items} <= {e.display_title() for e in navigation.registered()}
    assert any("退出登录" in text for _, text in texts)
    english = still_english(texts)
    assert not english, f"{profile}: texts still in English:\n" + "\n".join(english)


def test_an_untranslated_text_on_screen_is_caught(qtbot, chinese):
    """The check above can fail: an English source shown as it is, or formatted, is reported."""
    root = QWidget()
    qtbot.addWidget(root)
    QLabel("Waiting for a scan…", root)
    QLabel("Opening the database demo.sqlite3…", root)  # "Opening the database {database}…" in English
    QLabel(QCoreApplication.translate("ScannerSettingsDialog", "Waiting for a scan…"), root)
    root.show()
    english = still_english(shown_texts(root))
    assert len(english) == 2, english
    assert "等待扫描…" in [text for _, text in shown_texts(root)]
