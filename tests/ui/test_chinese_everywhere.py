"""No English sentence reaches a Chinese screen.

Every picture ``returndesk screenshots`` makes (every registered screen with demo data, the return
pages, the counter's and the administrator's dialogs, the master-data wizard and the sign-in error
raised by the services) is rendered in zh_CN, and every text it shows — labels, buttons, group
titles, placeholders, combo items, tabs, table headers and cells, tooltips, window titles — is
scanned for Latin words. Only codes and units may stay Latin (RMA, SKU, PDF, order and RMA numbers,
amounts, file names...). A refusal of the services, shown on a Chinese screen, is Chinese: in
process and through the ReturnDesk server.
"""

from __future__ import annotations

import ast
import re
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from returndesk.api.connection import DatabaseChoice
from returndesk.api.local import LocalSession
from returndesk.devtools.demo import demo_accounts
from returndesk.domain.errors import NotFound, ReturnDeskError
from returndesk.domain.messages import Message
from returndesk.domain.types import Role
from returndesk.ui import screenshots
from returndesk.ui.errors import ErrorDialog, describe_error
from returndesk.ui.i18n import install_translations, remove_translations, setup_application

from tests.integration.factories import build_world
from tests.integration.station_server import signed_in

from .test_translations import shown_texts

#: Latin words that are codes, units, formats or names, the same in Chinese.
ALLOWED_WORDS = {
    "RMA", "SKU", "PDF", "CSV", "XLSX", "xlsx", "csv", "json", "JSON", "ID", "IDs", "UTC", "CNY", "EAN", "GTIN",
    "UPC", "API", "ZPL", "CUPS", "HTTP", "HTTPS", "https", "http", "URL", "IP", "TLS", "SSL", "SHA", "QR",
    "ReturnDesk", "Webhook", "webhook", "Excel", "PostgreSQL", "SQLite", "sqlite", "postgresql", "WeChat",
    "Alipay", "RTV", "RO", "CN", "SO", "mm", "dpi", "Code", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Tab", "F1",
    "PNG", "UTF", "GB", "Asia", "Shanghai", "ERP", "POS", "OK", "TCP", "Zebra", "Bearer", "rdk", "Del",
    "English",  # the language's own name in the language list
    "food", "hygiene",  # category codes, as the policy's example of codes to type
}
#: Things that are Latin by nature: addresses, e-mails, paths, file names, codes with digits.
_NOT_WORDS = re.compile("|".join((
    r"\b[A-Z]{1,5}-\d[\w-]*",  # SKUs and numbers: AP-2001, SO-1042
    r"\b[A-Z][A-Za-z]+/[\w/+-]+",  # time zones: Asia/Shanghai
    r"\brdk_[\w-]+|\b\w+_\w+\b",  # API key prefixes (with their hyphens) and identifiers
    r"\b[a-z]+[.:][a-z0-9][\w.:]*",  # event types, scopes, service users: return.refund, api.2ee0816a
    r"\{\"[^}]*",  # JSON
    r"“returndesk [^”]*”",  # a command to type
    r"https?://\S+|\S+@\S+|(?:[A-Za-z]:)?[/\\][\w./\\-]+",  # addresses, e-mails, paths
    r"\b[\w-]+\.(?:pdf|csv|xlsx|json|sqlite3|png|qm|ts)\b",  # file names
    r"\b[A-Za-z]*\d[\w/-]*",  # anything with digits: R0000012340, CN-2026-000001
    r"\{\w+\}",
)))
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


#: A list of codes: every token holds a dot, a colon or an underscore (return.refund, returns:create).
_CODE_LIST = re.compile(r"\s*[\w*-]*[._:][\w.:*-]*(?:[\s,]+[\w*-]*[._:][\w.:*-]*)*\s*")
#: What the operating system said when a webhook could not be delivered, kept as it said it.
_SYSTEM_ERROR = re.compile(r"\b\w+Error: \[Errno \d+\][^\n]*")


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are not codes, units or names (see ALLOWED_WORDS)."""
    if _CODE_LIST.fullmatch(text):
        return []
    text = _SYSTEM_ERROR.sub(" ", text)
    return [w for w in _LATIN_WORD.findall(_NOT_WORDS.sub(" ", text)) if w not in ALLOWED_WORDS]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """Everything :func:`shown_texts` reads, plus tooltips and the window title."""
    texts = shown_texts(root)
    if root.windowTitle():
        texts.append(("window title", root.windowTitle()))
    for widget in [root, *root.findChildren(QWidget)]:
        if (widget is root or widget.isVisibleTo(root)) and widget.toolTip() \
                and isinstance(widget, (QLabel, QAbstractButton)):
            texts.append((f"tooltip of {type(widget).__name__}", widget.toolTip()))
    return texts


def english_in(texts: list[tuple[str, str]], data_words: set[str]) -> list[str]:
    found = []
    for where, text in texts:
        words = [w for w in latin_words(text) if w not in data_words]
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return found


@pytest.fixture
def zh_application(qapp):
    """The application set up in Chinese as the station is; English again afterwards."""
    setup_application(qapp, "zh_CN")
    yield qapp
    remove_translations()
    install_translations("en")


def _data_words() -> set[str]:
    """Latin words of data rather than of the program's sentences: the demo data (customers',
    products' and suppliers' own names, API keys' and webhooks' names, parcels' notes, policy
    names), the reference data an administrator edits in both languages (return reasons' English
    names), codes (event types, scopes), and what the pictures stage as if typed by a user."""
    words: set[str] = set()
    seed = (files("returndesk.db") / "seed" / "demo.json").read_text("utf-8")
    words |= set(_LATIN_WORD.findall(seed))
    reference = (files("returndesk.db") / "seed" / "reference.json").read_text("utf-8")
    words |= set(_LATIN_WORD.findall(reference))
    from returndesk.devtools import demo
    from returndesk.domain import policy
    from returndesk.services.infra import bootstrap

    for module in (demo, bootstrap, policy, screenshots):
        tree = ast.parse(Path(str(module.__file__)).read_text("utf-8"))
        sentences = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                     and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("msg", "translate", "tr")
                     for arg in node.args}  # the program's own sentences are not data
        words |= {word for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and id(node) not in sentences
                  for word in _LATIN_WORD.findall(node.value)}
    return words


def test_every_picture_of_the_application_is_chinese(zh_application, tmp_path, monkeypatch):
    seen: dict[str, list[tuple[str, str]]] = {}
    grab = screenshots._grab

    def grab_and_read(widget, path: Path) -> Path:
        written = grab(widget, path)
        seen[path.name] = visible_texts(widget)
        return written

    monkeypatch.setattr(screenshots, "_grab", grab_and_read)
    monkeypatch.setattr(screenshots, "setup_application", lambda app, language: None, raising=False)
    written = screenshots.render_all(tmp_path, "zh_CN")
    assert len(written) >= len(seen) >= 30
    data_words = _data_words()
    english = {name: found for name, texts in seen.items() if (found := english_in(texts, data_words))}
    assert not english, "English on Chinese screens:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in sorted(english.items()))


def test_the_check_finds_english_and_lets_codes_through():
    assert latin_words("退货单 R0000012340 不存在。") == []
    assert latin_words("SKU AP-2001 · 12.50 CNY · 文件 /tmp/a.csv · https://x.lan:8443") == []
    assert latin_words("No return R0000012340 exists.") == ["No", "return", "exists"]
    assert latin_words("rdk_UuPP-NiU…") == []  # an API key's prefix, hyphen and all


def test_a_refusal_of_the_services_is_chinese_on_a_chinese_screen(qtbot, zh_application, tmp_path):
    session = LocalSession.open(DatabaseChoice.local(tmp_path / "zh.sqlite3"), station="ZH-1")
    try:
        session.fill_demo_data()
        with pytest.raises(ReturnDeskError) as caught:
            session.auth.sign_in("nobody-here", "wrong password")
        _assert_chinese_dialog(qtbot, caught.value)
        account = next(a for a in demo_accounts() if a.role == Role.SUPERVISOR)
        api = session.api_for(session.auth.sign_in(account.username, account.password))
        with pytest.raises(NotFound) as missing:
            api.search.get_return(MISSING_RMA)
        _assert_chinese_dialog(qtbot, missing.value)
    finally:
        session.close()


@pytest.mark.pg
@pytest.mark.slow
def test_a_refusal_through_the_server_is_chinese_on_a_chinese_screen(qtbot, zh_application, server_ctx,
                                                                      remote_session):
    """The server sends the template and its parameters; the station says it in its language."""
    world = build_world(server_ctx)
    with pytest.raises(ReturnDeskError) as wrong:
        remote_session.auth.sign_in(world.clerk.username, "not the password")
    assert isinstance(wrong.value.message, Message)
    _assert_chinese_dialog(qtbot, wrong.value)
    api, _actor = signed_in(remote_session, world.supervisor)
    with pytest.raises(NotFound) as missing:
        api.search.get_return(MISSING_RMA)
    assert isinstance(missing.value.message, Message)
    assert missing.value.message.has_words and MISSING_RMA in missing.value.message.params.values()
    _assert_chinese_dialog(qtbot, missing.value)


MISSING_RMA = "R0000999999"


def _assert_chinese_dialog(qtbot, error: BaseException) -> None:
    report = describe_error(error)
    assert not report.unexpected
    dialog = ErrorDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = visible_texts(dialog)
    assert any(re.search(r"[\u4e00-\u9fff]", text) for _, text in texts), texts
    assert english_in(texts, set()) == [], texts
