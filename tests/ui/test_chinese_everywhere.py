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
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from returndesk.api.connection import DatabaseChoice
from returndesk.api.local import LocalSession
from returndesk.devtools.demo import demo_accounts
from returndesk.domain.errors import NotFound, ReturnDeskError
from returndesk.domain.messages import Message
from returndesk.domain.scan import UnknownScan, classify, mod37_36_check_char
from returndesk.domain.types import Role
from returndesk.ui import screenshots
from returndesk.ui.errors import ErrorDialog, describe_error
from returndesk.ui.i18n import install_translations, remove_translations, setup_application, tr_message

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
    "XL", "XXL",  # clothing sizes, as the import wizard's example of a variant
    "food", "hygiene",  # category codes, as the policy's example of codes to type
    "NUL",  # the control character's name, as the scan's refusal gives an example of one
}
#: Things that are Latin by nature: addresses, e-mails, paths, file names, codes with digits.
_NOT_WORDS = re.compile("|".join((
    r"\b[A-Z]{1,5}-\d[\w-]*",  # SKUs and numbers: AP-2001, SO-1042
    r"\b[A-Z][A-Za-z]+/[\w/+-]+",  # time zones: Asia/Shanghai
    r"\brdk_[\w-]+|\b\w+_\w+\b",  # API key prefixes (with their hyphens) and identifiers
    r"\b[a-z]+[.:][a-z0-9][\w.:]*",  # event types, scopes, service users: return.refund, api.2ee0816a
    r"\{\"[^}]*",  # JSON
    r"“returndesk [^”]*”",  # a command to type
    r"\b(?:file|pdf|cups|zpl-[a-z]+):\S+",  # where a document went: file:/…/receipt.pdf, cups:Zebra
    r"https?://\S+|\S+@\S+|(?:[A-Za-z]:)?[/\\][\w./\\-]+",  # addresses, e-mails, paths
    r"\b[\w-]+\.(?:pdf|csv|xlsx|json|sqlite3|png|qm|ts)\b",  # file names
    r"\b[A-Za-z]*\d[\w/-]*",  # anything with digits: R0000012340, CN-2026-000001
    r"\{\w+\}",
)))
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


#: A list of codes: every token holds a dot, a colon or an underscore (return.refund, returns:create).
_CODE_LIST = re.compile(r"\s*[\w*-]*[._:][\w.:*-]*(?:[\s,]+[\w*-]*[._:][\w.:*-]*)*\s*")
#: What a driver, the HTTP client or the operating system said, kept under a translated sentence
#: as its technical detail (never the sentence itself).
_SYSTEM_ERROR = re.compile(r"技术细节：[^\n]*")


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
    for name in ("reference.json", "policy_text.json"):  # reasons' names, the shop's policy text
        reference = (files("returndesk.db") / "seed" / name).read_text("utf-8")
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
    save = screenshots._save

    typed: dict[str, list[str]] = {}

    def save_and_read(widget, path: Path) -> Path:
        written = save(widget, path)
        seen[path.name] = visible_texts(widget)
        typed[path.name] = [edit.text() for edit in widget.findChildren(QLineEdit) if edit.isVisibleTo(widget)]
        return written

    monkeypatch.setattr(screenshots, "_save", save_and_read)
    monkeypatch.setattr(screenshots, "setup_application", lambda app, language: None, raising=False)
    written = screenshots.render_all(tmp_path, "zh_CN")
    assert len(written) >= len(seen) >= 30
    data_words = _data_words()
    english = {name: found for name, texts in seen.items() if (found := english_in(texts, data_words))}
    assert not english, "English on Chinese screens:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in sorted(english.items()))
    # The pictures show a station's folders, never the temporary one they are made in.
    made_in = tempfile.gettempdir()
    assert not [(name, text) for name, texts in seen.items() for _, text in texts if made_in in text]
    assert not [(name, text) for name, texts in typed.items() for text in texts if made_in in text]
    assert {"return_detail.png", "return_detail_documents.png", "screen_finance.png"} <= seen.keys()


def test_the_check_finds_english_and_lets_codes_through():
    assert latin_words("退货单 R0000012340 不存在。") == []
    assert latin_words("SKU AP-2001 · 12.50 CNY · 文件 /tmp/a.csv · https://x.lan:8443") == []
    assert latin_words("No return R0000012340 exists.") == ["No", "return", "exists"]
    assert latin_words("rdk_UuPP-NiU…") == []  # an API key's prefix, hyphen and all


@pytest.mark.parametrize("scanned", ["", "退货单", "20 01", "1" * 60, "12\x0734", "$RDQQ" + mod37_36_check_char("QQ"),
                                     "$RDGA" + chr(ord(mod37_36_check_char("GA")) ^ 1)])
def test_what_a_scan_is_not_is_said_in_chinese(zh_application, scanned):
    # A scanner typing through a Chinese input method, spaces, a too long code, a control character,
    # an unknown and a misread command barcode: the inspection station shows the reason as it is.
    scan = classify(scanned)
    assert isinstance(scan, UnknownScan) and isinstance(scan.reason, Message)
    shown = tr_message(scan.reason)
    assert re.search(r"[\u4e00-\u9fff]", shown) and latin_words(shown.replace(scanned, "")) == [], shown


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


# --------------------------------------------------------------------------- the counter, the live feed

def _catalogue_words() -> set[str]:
    """The test shop's own data (product and customer names, English in the test world)."""
    from tests.integration import factories

    tree = ast.parse(Path(str(factories.__file__)).read_text("utf-8"))
    return {word for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            for word in _LATIN_WORD.findall(node.value)}


def _chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _counter_texts(screen) -> list[tuple[str, str]]:
    """What the counter screen shows, with every line's problems (the ⚠ tooltips of the lines table)."""
    texts = visible_texts(screen)
    model = screen.lines_model
    texts += [(f"problems of line {row + 1}", problem) for row in range(model.rowCount())
              for problem in model.problems(row)]
    return texts


def test_an_intake_refused_line_by_line_is_chinese_on_the_counter(qtbot, zh_application, ctx, clock, tmp_path):
    """Two lines refused by the services at once (a quantity taken meanwhile at another counter, a
    quantity above what was bought): the sentences next to the lines and above the form are Chinese."""
    from returndesk.domain.types import Channel, RefundMethod
    from returndesk.services.tx.context import ServiceContext
    from returndesk.services.usecases import intake, sales
    from returndesk.ui.tasks import TaskRunner
    from tests.integration.factories import make_order
    from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 1), ("HM-4001", 1)], channel="store", days_ago=1)
    tasks = TaskRunner()
    screen = counter_screen(session_for(ctx), tasks, world.clerk, tmp_path)
    qtbot.addWidget(screen)
    screen.show()
    try:
        screen.search_edit.setText(order_no)
        with qtbot.waitSignal(screen.sale_loaded, timeout=20_000):
            screen.find_sale(order_no)
        for row in (0, 1):
            screen.lines_model.update_entry(row, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
        with qtbot.waitSignal(screen.preview_updated, timeout=20_000,
                              check_params_cb=lambda p: p is not None and p.ready and len(p.lines) == 2):
            pass
        other = ServiceContext(db=ctx.db, clock=clock, station="TEST-2")
        [shirt, mug] = sales.get_sale(other, world.clerk2, order_no).lines
        intake.create_return(other, world.clerk2, intake.ReturnDraft(
            order_no, Channel.COUNTER, RefundMethod.CASH,
            (intake.DraftLine(shirt.order_line_id, 1, "changed_mind", conditions_met=CONDITIONS),
             intake.DraftLine(mug.order_line_id, 1, "changed_mind", conditions_met=CONDITIONS))))

        with qtbot.waitSignal(screen.submit_refused, timeout=20_000) as refused:
            screen.submit()

        texts = _counter_texts(screen)
        problems = [text for where, text in texts if where.startswith("problems of line")]
        assert len(problems) >= 2 and all(_chinese(p) for p in problems), problems
        assert _chinese(refused.args[0]) and _chinese(screen.problems_label.text())
        assert english_in(texts, _catalogue_words()) == [], texts
    finally:
        tasks.wait_idle(20_000)
        tasks.shutdown(20_000)


def test_a_walk_in_waiting_for_approval_says_why_in_chinese(qtbot, zh_application, ctx, tmp_path):
    """The routing's reasons, joined on the result and in the sign-off question, are Chinese."""
    from returndesk.ui.tasks import TaskRunner
    from tests.integration.factories import make_order
    from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

    world = build_world(ctx)
    order_no = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)
    tasks = TaskRunner()
    screen = counter_screen(session_for(ctx), tasks, world.clerk, tmp_path)
    qtbot.addWidget(screen)
    screen.show()
    try:
        screen.search_edit.setText(order_no)
        with qtbot.waitSignal(screen.sale_loaded, timeout=20_000):
            screen.find_sale(order_no)
        screen.lines_model.update_entry(0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
        with qtbot.waitSignal(screen.preview_updated, timeout=20_000,
                              check_params_cb=lambda p: p is not None and p.ready):
            pass
        with qtbot.waitSignal(screen.return_submitted, timeout=20_000):
            screen.submit()
        message = screen.result_panel.message_label.text()
        assert _chinese(message) and latin_words(message) == [], message
        assert english_in(visible_texts(screen.result_panel), _catalogue_words()) == []
    finally:
        tasks.wait_idle(20_000)
        tasks.shutdown(20_000)


def test_a_lost_live_update_feed_says_why_in_chinese_with_the_drivers_words_as_a_detail(
        qtbot, zh_application, frame_services, world):
    """The feed cannot reach its PostgreSQL server (nothing listens on the port): the status bar's
    tooltip says so in Chinese; what the driver said stays, on its own line, as the technical detail."""
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database
    from returndesk.ui.live import LiveUpdates
    from returndesk.ui.main_window import MainWindow
    from returndesk.ui.tasks import TaskRunner
    from tests.ui.counter_support import session_for

    tasks = TaskRunner()
    unreachable = Database.open("postgresql+psycopg://returndesk@127.0.0.1:1/returndesk?connect_timeout=2")
    live = LiveUpdates(session_for(ServiceContext(db=unreachable)), retry_ms=(600_000,))
    window = MainWindow(frame_services.api_for(world.clerk), tasks, world.clerk, station_name="DESK-1")
    qtbot.addWidget(window)
    live.connection_changed.connect(window.set_connection_state)
    try:
        with qtbot.waitSignal(live.connection_changed, timeout=20_000) as lost:
            live.start()
        assert lost.args[0] is False
        tooltip = window.connection_label.toolTip()
        sentences, _, detail = tooltip.partition("\n技术细节：")
        assert detail.strip(), tooltip  # the driver's own words, kept
        assert _chinese(sentences) and "实时更新" in sentences, tooltip
        assert latin_words(sentences) == [], tooltip
        assert english_in([("connection tooltip", tooltip)], set()) == []
        assert window.connection_label.text() == "离线"
    finally:
        live.stop()
        unreachable.dispose()
        tasks.wait_idle(20_000)
        tasks.shutdown(20_000)
