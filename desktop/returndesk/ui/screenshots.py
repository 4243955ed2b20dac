"""Pictures of every screen with demo data, for the user guide and for reviews.

    python -m returndesk.ui.screenshots --out DIR [--lang zh_CN|en]      (``make screenshots``)

Renders, without a display (Qt's ``offscreen`` platform), on a new demo database in a temporary
folder: the first-start dialog (local and server), the confirmation of a server's certificate, the
sign-in dialog with the demo users, and the main window showing each screen registered in
:mod:`returndesk.ui.navigation`, signed in as a demo user whose role may open it, at the station
profile that starts with it. One PNG per picture
(``widget.grab()``); the file names are printed.

This is a command of its own rather than ``returndesk screenshots``: the command line and the user
interface are independent layers (neither imports the other), and this one needs Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from returndesk.api.protocol import ReturnDeskApi, SessionApi
    from returndesk.api.types import Actor
    from returndesk.ui.main_window import MainWindow
    from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog
    from returndesk.ui.settings import StationProfile
    from returndesk.ui.tasks import TaskRunner

ROLE_FOR_PROFILE = {"counter": "clerk", "inspection": "inspector", "supervisor": "supervisor"}
WINDOW_SIZE = (1280, 800)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m returndesk.ui.screenshots",
        description="Render every screen of ReturnDesk with demo data to PNG files (no display needed).")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the PNG files")
    parser.add_argument("--lang", default="en", choices=("en", "zh_CN"), help="language of the pictures")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Render the pictures; returns the exit status (0 done, 1 failed, 2 bad command line)."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    # Before the QApplication exists: no display needed, and pixel sizes that do not depend on
    # the machine the pictures are made on.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    from PySide6.QtWidgets import QApplication

    from returndesk.domain.errors import ReturnDeskError

    app = QApplication.instance() or QApplication(["returndesk-screenshots"])
    try:
        written = render_all(args.out, args.lang)
    except ReturnDeskError as exc:
        print(f"screenshots: {exc.message}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    del app
    return 0


def render_all(out_dir: Path, language: str = "en") -> list[Path]:
    """Render every picture into ``out_dir`` (created if needed); returns the files written."""
    from PySide6.QtWidgets import QApplication

    from returndesk.api.connection import DatabaseChoice
    from returndesk.api.local import LocalSession
    from returndesk.ui.i18n import setup_application
    from returndesk.ui.tasks import TaskRunner

    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    setup_application(app, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="returndesk-screenshots-") as tmp:
        session = LocalSession.open(DatabaseChoice.local(Path(tmp) / "demo.sqlite3"), station="DEMO-1")
        try:
            session.fill_demo_data()
            tasks = TaskRunner(synchronous=True)  # every service call completes before the grab
            _stage_requests(session)
            _stage_claims(session)
            written += _render_dialogs(session, tasks, out_dir, language)
            _stage_cash_shift(session)
            written += _render_screens(session, tasks, out_dir)
            written += _render_return_pages(session, tasks, out_dir)
            written += _render_counter_dialogs(session, tasks, out_dir)
            written += _render_admin_tabs(session, tasks, out_dir)
            written += _render_master_data(session, tasks, out_dir, Path(tmp))
        finally:
            session.close()
    return written


def _settle() -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    # Layouts, deferred fetches and style polish happen in posted events.
    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QCoreApplication.sendPostedEvents()


def _grab(widget, path: Path) -> Path:
    from PySide6.QtWidgets import QMainWindow

    widget.show()
    _settle()
    if widget.isWindow() and not isinstance(widget, QMainWindow):
        # Dialogs at the size their contents ask for once shown (fonts and style applied).
        widget.adjustSize()
        _settle()
    return _save(widget, path)


def _save(widget, path: Path) -> Path:
    """``widget`` as it is drawn now, written to ``path`` (every picture is written here)."""
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


#: The fingerprint shown in the pictures (a real certificate's is 32 such pairs).
_EXAMPLE_FINGERPRINT = ("3F:A2:91:0C:5E:77:D4:18:B6:2A:E0:93:4F:C1:08:6D:"
                        "A5:19:EE:42:7B:30:C8:F6:01:9D:54:BB:27:E3:6A:8C")


#: What the first-start pictures show instead of this machine's own folder and name.
_EXAMPLE_DATA_FILE = "/home/counter/.local/share/ReturnDesk/returndesk.sqlite3"
_EXAMPLE_STATION = "COUNTER-01"


def _window(session: SessionApi, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor,
            profile: StationProfile | None = None) -> MainWindow:
    """A main window for the pictures: the demo station, the demo shops' time zone (as the frame sets
    it after opening the database), the picture size, and the example data file in its status bar
    instead of the temporary folder the pictures are made in."""
    from PySide6.QtCore import QCoreApplication

    from returndesk.ui.main_window import MainWindow
    from returndesk.ui.settings import StationProfile

    window = MainWindow(api, tasks, actor, station_name="DEMO-1", station_time=session.station_time(),
                        profile=profile or StationProfile.COUNTER)
    window.resize(*WINDOW_SIZE)
    window.database_label.setText(QCoreApplication.translate("MainWindow", "Database: local file {path}")
                                  .format(path=_EXAMPLE_DATA_FILE))
    window.database_label.setToolTip("")
    return window


def _render_dialogs(session: SessionApi, tasks: TaskRunner, out_dir: Path, language: str = "en") -> list[Path]:
    import returndesk
    from returndesk.api.connection import DatabaseChoice
    from returndesk.api.remote import ServerCheck
    from returndesk.ui.dialogs.first_start import FirstStartDialog
    from returndesk.ui.dialogs.server_certificate import ServerCertificateDialog
    from returndesk.ui.dialogs.sign_in import SignInDialog

    written = []
    local = FirstStartDialog(tasks, station_name=_EXAMPLE_STATION, language=language, time_zone="Asia/Shanghai")
    local.local_path_edit.setText(_EXAMPLE_DATA_FILE)
    written.append(_grab(local, out_dir / "first_start.png"))
    local.close()

    address = "https://returns.example.lan:8443"
    server = FirstStartDialog(tasks, station_name=_EXAMPLE_STATION, language=language, time_zone="Asia/Shanghai")
    server.local_path_edit.setText(_EXAMPLE_DATA_FILE)
    server.server_radio.setChecked(True)
    server.server_url_edit.setText(address)
    server._show_check(ServerCheck(address, None, returndesk.__version__, _EXAMPLE_FINGERPRINT))
    written.append(_grab(server, out_dir / "first_start_server.png"))
    server.close()

    certificate = ServerCertificateDialog(address, _EXAMPLE_FINGERPRINT, names="returns.example.lan, 192.0.2.10",
                                          valid_until="2036-11-30")
    written.append(_grab(certificate, out_dir / "server_certificate.png"))
    certificate.close()

    sign_in = SignInDialog(session, tasks, demo_accounts=session.demo_accounts(),
                           database_text=DatabaseChoice.local(Path(_EXAMPLE_DATA_FILE)).describe())
    written.append(_grab(sign_in, out_dir / "sign_in.png"))
    sign_in.username_edit.setText("clerk")
    sign_in._on_sign_in_failed(_wrong_password(session))
    written.append(_grab(sign_in, out_dir / "sign_in_wrong_password.png"))
    sign_in.close()

    from returndesk.ui.help import HelpWindow

    guide = HelpWindow()  # F1 on the cash drawer, at the size it opens with
    guide.setFixedSize(guide.size())
    guide.open_at("the-cash-drawer-收银钱箱")
    written.append(_grab(guide, out_dir / "help.png"))
    guide.close()
    return written


def _wrong_password(session: SessionApi) -> BaseException:
    """The real refusal of a wrong password (from the services, with its real wording)."""
    from returndesk.domain.errors import AuthenticationFailed

    try:
        session.auth.sign_in("no-such-user", "wrong password")
    except AuthenticationFailed as exc:
        return exc
    raise AssertionError("a sign-in of an unknown user succeeded")


def _stage_requests(session: SessionApi, wanted: int = 4) -> None:
    """A few more return requests taken by phone, so that the review queue shows a working day's
    rows (the demo leaves one); one of them asked a question of its customer and got the answer."""
    from returndesk.api.types import DraftLine, ReturnDraft
    from returndesk.domain.errors import ReturnDeskError
    from returndesk.domain.types import Channel, PolicyStatus

    account = next(a for a in session.demo_accounts() if a.role == "clerk")
    api = session.api_for(session.auth.sign_in(account.username, account.password))
    reasons = ("wrong_size", "changed_mind", "not_as_described", "changed_mind")
    made: list[str] = []
    page = api.search.find_returns("", limit=200)
    for order_no in dict.fromkeys(item.order_no for item in page.items):
        if len(made) >= wanted:
            break
        sale = api.search.get_sale(order_no, channel=Channel.REMOTE)
        line = next((ln for ln in sale.lines if ln.qty_returnable > 0 and ln.product_returnable
                     and ln.verdict(False).status is PolicyStatus.WITHIN), None)
        if line is None:
            continue
        draft = ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method="original_payment",
                            lines=(DraftLine(order_line_id=line.order_line_id, quantity=1,
                                             reason_code=reasons[len(made) % len(reasons)],
                                             conditions_met=frozenset(code for code, _ in sale.required_conditions)),))
        try:
            made.append(api.intake.create_return(draft).rma_no)
        except ReturnDeskError:
            continue
    if made:
        api.review.ask_customer(made[0], "Please tell us the colour you received; the order shows two.")
        api.review.record_answer(made[0], "Dark blue instead of black, she said on the phone.")


def _stage_claims(session: SessionApi) -> None:
    """The units the demo inspected for return to their vendor, scanned onto their suppliers' claims,
    as the warehouse would before asking for authorisation."""
    from returndesk.domain.errors import ReturnDeskError

    account = next(a for a in session.demo_accounts() if a.role == "inspector")
    api = session.api_for(session.auth.sign_in(account.username, account.password))
    for unit in api.claims.units_waiting():
        try:
            api.claims.add_unit(unit.tag)
        except ReturnDeskError:
            continue


def _render_screens(session: SessionApi, tasks: TaskRunner, out_dir: Path) -> list[Path]:
    from returndesk.domain.permissions import can
    from returndesk.ui import navigation
    from returndesk.ui.settings import StationProfile

    accounts = list(session.demo_accounts())
    written = []
    for entry in navigation.registered():
        profile = entry.start_for[0] if entry.start_for else StationProfile.COUNTER
        preferred = ROLE_FOR_PROFILE[str(profile)]
        candidates = [a for a in accounts if can(a.role, entry.permission)]
        if not candidates:
            raise RuntimeError(f"no demo user may open the screen {entry.key!r} ({entry.permission})")
        account = next((a for a in candidates if a.role == preferred), candidates[0])
        actor = session.auth.sign_in(account.username, account.password)
        window = _window(session, session.api_for(actor), tasks, actor, profile=profile)
        screen = window.open_screen(entry.key)
        _prepare(entry.key, window.screens.get(entry.key), session)
        written.append(_grab(window, out_dir / f"screen_{entry.key}.png"))
        written += _other_tabs(window, entry.key, out_dir)
        tabs = getattr(screen, "tabs", None)
        if entry.key == "integrations" and tabs is not None:
            tabs.setCurrentIndex(1)  # the API keys
            written.append(_grab(window, out_dir / f"screen_{entry.key}_keys.png"))
        window.close_for_good()
        window.deleteLater()
    return written


def _render_return_pages(session: SessionApi, tasks: TaskRunner, out_dir: Path) -> list[Path]:
    """The return detail page (a refunded return with several lines, its refund and timeline) and
    the returns search with filters."""
    from returndesk.api.types import ReturnFilter
    from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog
    from returndesk.ui.screens.returns_list import ReturnsListScreen

    account = next(a for a in session.demo_accounts() if a.role == "supervisor")
    actor = session.auth.sign_in(account.username, account.password)
    api = session.api_for(actor)
    written = []
    found = api.search.search_returns(ReturnFilter(statuses=("refunded", "closed")), limit=200).items
    candidates = list(found)
    if not candidates:
        raise RuntimeError("the demo has no refunded return to show on the detail page")
    # The one with the most lines (and a customer), to show several lines.
    pages = [api.search.get_return_page(item.rma_no) for item in candidates]
    chosen = max(pages, key=lambda p: (len(p.detail.lines), p.detail.customer_id is not None, len(p.units)))
    with tempfile.TemporaryDirectory(prefix="returndesk-documents-") as documents:
        dialog = ReturnDetailDialog(api, tasks, actor, output_dir=Path(documents))
        # Its receipt printed twice (the second copy a reprint), for the print log.
        for _ in range(2):
            api.documents.print_document("counter_receipt", chosen.rma_no, printer=f"pdf:{documents}")
        dialog.open_return(chosen.rma_no)
        dialog.resize(*WINDOW_SIZE)
        _example_print_log(dialog, documents)
        for tab, name in ((1, "return_detail.png"), (2, "return_detail_documents.png")):
            dialog.page.tabs.setCurrentIndex(tab)  # the timeline; the documents and the print log
            _settle()
            written.append(_save(dialog, out_dir / name))
        dialog.close()
        dialog.deleteLater()

    window = _window(session, api, tasks, actor)
    screen = window.open_screen("returns")
    assert isinstance(screen, ReturnsListScreen)
    screen.status_combo.setCurrentIndex(max(screen.status_combo.findData("refunded"), 0))
    screen.channel_combo.setCurrentIndex(max(screen.channel_combo.findData("remote"), 0))
    screen.amount_min_edit.setText("50")
    screen.search()
    written.append(_grab(window, out_dir / "screen_returns_search.png"))
    window.close_for_good()
    window.deleteLater()
    return written


#: Where the pictures show printed PDF files and a file to import (instead of the temporary folder
#: they are made in).
_EXAMPLE_DOCUMENTS = "/home/counter/Documents/ReturnDesk"
_EXAMPLE_DOWNLOADS = "/home/counter/Downloads"


def _example_print_log(dialog: ReturnDetailDialog, documents: str) -> None:
    """The detail page's print log as a station's: the files saved in the example documents folder."""
    from dataclasses import replace

    model = dialog.page.print_log_model
    model.set_rows([replace(copy, destination=copy.destination.replace(documents, _EXAMPLE_DOCUMENTS))
                    for copy in (model.row_value(r) for r in range(model.rowCount()))])


#: A product file as a Chinese shop's ERP exports it: its own headers, in its own order (GB18030).
_ERP_PRODUCTS = [
    ["售价", "货品ID", "商品名称", "条码", "类别", "可退货", "序列号管理", "英文名称"],
    ["999.00", "HW-FB5", "华为 FreeBuds 5 耳机", "6941487233335;6941487233342", "电子产品", "是", "否",
     "Huawei FreeBuds 5"],
    ["2999.00", "MI-14", "小米14 手机", "6934177700011", "电子产品", "是", "是", "Xiaomi 14"],
    ["199.00", "MI-RC3", "小米电饭煲", "6934177700028", "家居厨房", "是", "否", ""],
    ["59.00", "TS-2201", "纯棉T恤 白色 L", "6970000220111", "服装", "是", "否", "Cotton T-shirt white L"],
]


def _render_master_data(session: SessionApi, tasks: TaskRunner, out_dir: Path, tmp: Path) -> list[Path]:
    """The master-data screen with a product in its form, and each step of the import wizard
    (the mapping guessed from Chinese headers, a refusal listing its rows, the import done)."""
    from returndesk.domain.permissions import Permission, can
    from returndesk.ui.settings import StationProfile

    account = next(a for a in session.demo_accounts() if can(a.role, Permission.IMPORT))
    actor = session.auth.sign_in(account.username, account.password)
    window = _window(session, session.api_for(actor), tasks, actor, profile=StationProfile.COUNTER)
    from returndesk.ui.screens.master_data.screen import MasterDataScreen

    screen = window.open_screen("master_data")
    assert isinstance(screen, MasterDataScreen)
    written = []
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.table.activated.emit(screen.model.index(0, 0))
    written.append(_grab(window, out_dir / "screen_master_data_product.png"))
    screen.show_kind("suppliers")
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.table.activated.emit(screen.model.index(0, 0))
    written.append(_grab(window, out_dir / "screen_master_data_supplier.png"))
    screen.show_kind("products")

    good = tmp / "ERP商品资料.csv"
    good.write_bytes("\r\n".join(",".join(row) for row in _ERP_PRODUCTS).encode("gb18030"))
    bad_rows = [list(row) for row in _ERP_PRODUCTS]
    bad_rows[2][0] = "二九九九"
    bad_rows[4][4] = ""
    bad_rows[4][1] = "TS-NEW"
    bad = tmp / "ERP商品资料-有错.csv"
    bad.write_bytes("\r\n".join(",".join(row) for row in bad_rows).encode("gb18030"))

    wizard = screen.open_import_wizard()
    wizard.resize(900, 620)
    wizard.file_page.set_file(f"{_EXAMPLE_DOWNLOADS}/{bad.name}")  # as a station shows it
    written.append(_grab(wizard, out_dir / "import_wizard_file.png"))
    wizard.file_page.set_file(str(bad))
    wizard.next()
    wizard.mapping_page.set_field("货品ID", "sku")
    written.append(_grab(wizard, out_dir / "import_wizard_mapping.png"))
    wizard.next()
    written.append(_grab(wizard, out_dir / "import_wizard_refused.png"))
    wizard.close()

    wizard = screen.open_import_wizard()
    wizard.resize(900, 620)
    wizard.file_page.set_file(str(good))
    wizard.next()
    wizard.mapping_page.set_field("货品ID", "sku")
    wizard.next()
    wizard.check_page.save_profile_check.setChecked(True)
    wizard.check_page.profile_name_edit.setText("ERP 商品资料")
    written.append(_grab(wizard, out_dir / "import_wizard_check.png"))
    wizard.next()
    written.append(_grab(wizard, out_dir / "import_wizard_done.png"))
    wizard.close()
    window.close_for_good()
    window.deleteLater()
    return written


def _walk_in_exchange(session: SessionApi, clerk_api, supervisor):
    """A walk-in exchange of the demo, approved (a supervisor signs off when routing asks for one):
    a recent shop sale with a line still returnable within the policy, its first unit brought back
    to be exchanged for another size."""
    from returndesk.api.types import DraftLine, ReturnDraft, SignOff
    from returndesk.domain.types import Channel, RefundMethod, Resolution

    # The demo's customers (from its returns), and their recent shop sales.
    names = sorted({s.customer_name for s in clerk_api.search.find_returns(limit=200).items if s.customer_name})
    now = session.now()
    orders: list[str] = []
    for name in names:
        for hit in clerk_api.search.find_sales(name, limit=50):
            sold = hit.sold_at if hit.sold_at.tzinfo else hit.sold_at.replace(tzinfo=now.tzinfo)
            recent = (now - sold).days < 25
            if hit.channel == "store" and hit.returnable_count and recent and hit.order_no not in orders:
                orders.append(hit.order_no)
    for order_no in orders:
        sale = clerk_api.search.get_sale(order_no, channel=Channel.COUNTER)
        conditions = frozenset(code for code, _label in sale.required_conditions)
        for line in sale.lines:
            if line.qty_returnable < 1:
                continue
            draft = ReturnDraft(order_no=sale.order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
                                lines=(DraftLine(line.order_line_id, 1, "wrong_size", Resolution.EXCHANGE,
                                                 conditions_met=conditions),))
            preview = clerk_api.intake.preview_return(draft)
            if not preview.ready or not preview.within_policy or preview.total_minor < 5000:
                continue
            result = clerk_api.counter.counter_return(draft)
            if result.stage == "awaiting_approval":
                result = clerk_api.counter.sign_off_return(
                    result.detail.rma_no, SignOff(username=supervisor.username, password=supervisor.password))
            if result.exchange_wanted:
                return result
    raise RuntimeError("the demo has no shop sale with a returnable line for the exchange picture")


def _render_counter_dialogs(session: SessionApi, tasks: TaskRunner, out_dir: Path) -> list[Path]:
    """The counter's exchange (goods chosen, the difference to collect; then done, and the exchanged
    return's page) and the supervisor's sign-off with a refusal, on the demo's data."""
    from returndesk.api.types import SignOff
    from returndesk.ui.dialogs.exchange import ExchangeDialog
    from returndesk.ui.dialogs.sign_off import SupervisorSignOffDialog
    from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog
    from returndesk.ui.screens.counter.blind import BlindReturnDialog
    from returndesk.ui.screens.inspection.parcels import ParcelsDialog

    accounts = {a.role.value: a for a in session.demo_accounts()}
    clerk, supervisor = accounts["clerk"], accounts["supervisor"]
    actor = session.auth.sign_in(clerk.username, clerk.password)
    api = session.api_for(actor)
    written = []
    result = _walk_in_exchange(session, api, supervisor)
    dialog = ExchangeDialog(api, tasks, result.detail.rma_no)
    dialog.resize(1000, 680)
    credit = dialog._case.credit_minor if dialog._case else 0
    dialog.search_edit.setText("jacket")
    dialog.find_products()
    dearer = [i for i, p in enumerate(dialog._choices) if p.price_minor > credit and p.available > 0]
    dialog.add_choice(dearer[0] if dearer else 0)
    dialog.collect_combo.setCurrentIndex(max(dialog.collect_combo.findData("wechat_pay"), 0))
    written.append(_grab(dialog, out_dir / "dialog_exchange.png"))
    dialog.ship_radio.setChecked(True)
    dialog.confirm()
    written.append(_grab(dialog, out_dir / "dialog_exchange_done.png"))
    dialog.close()
    # The exchanged return's page: its replacement reserved, to be shipped; its timeline.
    page = ReturnDetailDialog(api, tasks, actor)
    page.open_return(result.detail.rma_no)
    page.resize(*WINDOW_SIZE)
    page.page.tabs.setCurrentIndex(1)
    _settle()
    written.append(_save(page, out_dir / "return_detail_exchange.png"))
    page.close()
    page.deleteLater()

    def refuse(sign_off: SignOff) -> object:
        return api.counter.sign_off_return(result.detail.rma_no, sign_off)

    from PySide6.QtCore import QCoreApplication

    from returndesk.domain.messages import msg
    from returndesk.ui.i18n import tr_message

    reasons = msg("{money} is above the automatic approval limit of {auto_approve_limit}.", money="¥599.00",
                  auto_approve_limit="¥200.00")
    what = QCoreApplication.translate("CounterScreen", "Refund of {amount} for {rma}. {reasons}").format(
        amount="¥599.00", rma=result.detail.rma_no, reasons=tr_message(reasons))
    sign = SupervisorSignOffDialog(tasks, refuse, what)
    blind = BlindReturnDialog(api, tasks)
    item = api.exchange.find_products("jacket")[-1]
    blind.product_edit.setText(item.barcode or item.sku)
    blind.reason_combo.setCurrentIndex(max(blind.reason_combo.findData("changed_mind"), 0))
    for _code, box in blind.condition_boxes:
        box.setChecked(True)
    blind.phone_edit.setText(result.detail.customer_phone or "")
    blind._ask_quote()
    written.append(_grab(blind, out_dir / "dialog_blind_return.png"))
    blind.close()

    sign.username_edit.setText(supervisor.username)
    sign.password_edit.setText("wrong password")
    sign.sign()
    written.append(_grab(sign, out_dir / "dialog_sign_off.png"))
    sign.close()

    inspector = accounts["inspector"]
    dock = session.api_for(session.auth.sign_in(inspector.username, inspector.password))
    dock.receiving.record_unexpected_parcel(tracking_no="SF1402857736", sender="Zhang Min, Hangzhou",
                                            order_hint="SO-1000137", contents="Two ceramic mugs, one chipped")
    dock.receiving.record_unexpected_parcel(tracking_no="YT8841200934", sender="No sender written",
                                            contents="A pair of running shoes, size 42, no note")
    parcels = ParcelsDialog(dock, tasks)
    parcels.resize(1000, 480)
    written.append(_grab(parcels, out_dir / "dialog_parcels.png"))
    parcels.close()
    return written


def _other_tabs(window, key: str, out_dir: Path) -> list[Path]:
    """The analytics dashboard's further tabs (its charts), one picture each; the finance desk's
    journal lines (their accounts and memos)."""
    from PySide6.QtWidgets import QTabWidget

    from returndesk.ui.screens.finance.screen import FinanceScreen

    finance = window.screens.get(key)
    if isinstance(finance, FinanceScreen):
        finance.tabs.setCurrentIndex(2)  # refunds, credit notes, journal lines
        _settle()
        picture = _grab(window, out_dir / f"screen_{key}_journal.png")
        finance.tabs.setCurrentIndex(0)
        return [picture]
    tabs = window.findChild(QTabWidget, "analytics_tabs") if key == "analytics" else None
    if tabs is None:
        return []
    written = []
    for index in range(1, tabs.count()):
        tabs.setCurrentIndex(index)
        written.append(_grab(window, out_dir / f"screen_{key}_{index}.png"))
    tabs.setCurrentIndex(0)
    return written


def _account(session: SessionApi, role: str) -> Actor:
    account = next(a for a in session.demo_accounts() if a.role == role)
    return session.auth.sign_in(account.username, account.password)


def _stage_cash_shift(session: SessionApi) -> None:
    """The demo counter's cash shift open, with two walk-in returns refunded in cash from it."""
    from returndesk.api.types import DraftLine, ReturnDraft
    from returndesk.domain.errors import ReturnDeskError
    from returndesk.domain.types import Channel, RefundMethod

    api = session.api_for(_account(session, "clerk"))
    api.cash.open_shift(100000)
    paid = 0
    for number in range(1000001, 1000200):
        try:
            sale = api.search.get_sale(f"SO-{number}")
        except ReturnDeskError:
            continue
        lines = [line for line in sale.lines if line.qty_returnable > 0]
        if sale.sale_channel != "store" or not lines:
            continue
        draft = ReturnDraft(order_no=sale.order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
                            lines=(DraftLine(lines[0].order_line_id, 1, "changed_mind",
                                             conditions_met=frozenset(code for code, _ in sale.required_conditions)),))
        try:
            result = api.counter.counter_return(draft)
        except ReturnDeskError:
            continue
        paid += bool(result.refunded)
        if paid == 2:
            return


def _prepare(key: str, screen: object, session: SessionApi) -> None:
    """Content worth showing on a screen whose default view is sparse."""
    from datetime import timedelta

    from returndesk.ui.screens.finance.screen import FinanceScreen
    from returndesk.ui.screens.risk import RiskScreen

    if isinstance(screen, RiskScreen) and screen.customers:
        screen.table.selectRow(0)  # why the first customer is listed, and the watch flag
    if isinstance(screen, FinanceScreen):
        today = session.now().date()
        screen.set_period(today - timedelta(days=60), today)
        if screen.refunds_model.rowCount():
            screen.show_return(screen.refunds_model.row_value(0).rma_no)


def _render_admin_tabs(session: SessionApi, tasks: TaskRunner, out_dir: Path) -> list[Path]:
    """The administration screen's other tabs: the policy with a draft, stations, reasons, the log."""
    from dataclasses import replace

    from returndesk.ui.screens.admin.screen import AdminScreen

    actor = _account(session, "admin")
    api = session.api_for(actor)
    in_force = api.admin.policy_in_force()
    api.admin.save_policy_draft(replace(in_force.rules, window_days=15, auto_approve_limit=30000,
                                        category_windows={"apparel": 30}), "Holiday season 2026")
    window = _window(session, api, tasks, actor)
    window.open_screen("admin")
    screen = window.screens["admin"]
    assert isinstance(screen, AdminScreen)
    written = []
    for name, tab in (("policy", screen.policy_tab), ("stations", screen.stations_tab),
                      ("reasons", screen.reasons_tab), ("log", screen.log_tab)):
        screen.tabs.setCurrentWidget(tab)
        tab.reload()
        written.append(_grab(window, out_dir / f"screen_admin_{name}.png"))
    window.close_for_good()
    window.deleteLater()
    return written


if __name__ == "__main__":
    sys.exit(main())
