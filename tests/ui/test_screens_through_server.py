"""Every screen of the navigation through a real ReturnDesk server.

One server for the module (``returndesk server`` with its own database login, on a free loopback
port) over a PostgreSQL database filled with the first-start demo (and the working day the
screenshots stage on it: review requests, claims with units, an open cash shift). For each screen
registered in :mod:`returndesk.ui.navigation` a demo user allowed to open it signs in at the server;
the screen is built by its own factory with that user's remote API, shows rows read from the
database once its loading ends, and shows no error. Where an action is cheap it is taken through
the screen and its row checked in the database. A screen registered without a case here fails the
test until it is given one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QWidget
from returndesk.api.connection import DatabaseChoice
from returndesk.api.remote import RemoteSession
from returndesk.domain.permissions import can
from returndesk.ui import navigation, screenshots
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.tasks import TaskRunner
from sqlalchemy import func, select

from tests.integration.server_support import _start, server_login

WAIT = 60_000

pytestmark = [pytest.mark.pg, pytest.mark.slow]


@dataclass
class DemoServer:
    ctx: object  # the services' context on the database (the test reads rows with it)
    session: RemoteSession
    accounts: tuple

    def api_of(self, role: str):
        """The API and actor of the demo user of ``role``, signed in at the server."""
        account = next(a for a in self.accounts if a.role == role)
        actor = self.session.auth.sign_in(account.username, account.password)
        return self.session.api_for(actor), actor


class _DemoThroughServer:
    """The remote session, knowing the demo's accounts (the server never tells them), so that the
    screenshots' staging of a working day runs through the server."""

    def __init__(self, session: RemoteSession, accounts: tuple) -> None:
        self._session, self._accounts = session, accounts

    def demo_accounts(self) -> tuple:
        return self._accounts

    def __getattr__(self, name: str):
        return getattr(self._session, name)


@pytest.fixture(scope="module")
def demo_server(qapp, tmp_path_factory):
    import psycopg
    from returndesk.api.local import DEMO_DAYS, DEMO_ORDERS, DEMO_RETURNS
    from returndesk.devtools.demo import demo_accounts, generate_demo
    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    admin = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    name = f"rd_screens_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    db = Database.open(url)
    ctx = ServiceContext(db=db, station="SRV-TEST")
    login = None
    running = session = None
    try:
        open_database(ctx)
        generate_demo(ctx, orders=DEMO_ORDERS, returns=DEMO_RETURNS, days=DEMO_DAYS)
        served_by, login = server_login(url)
        running = _start(served_by, "--tls-dir", str(tmp_path_factory.mktemp("no-tls")))
        session = RemoteSession.open(DatabaseChoice.remote(f"http://127.0.0.1:{running.port}", None),
                                     station="TEST-1")
        accounts = tuple(demo_accounts())
        staged = _DemoThroughServer(session, accounts)
        screenshots._stage_requests(staged)
        screenshots._stage_claims(staged)
        screenshots._stage_cash_shift(staged)
        yield DemoServer(ctx, session, accounts)
    finally:
        if session is not None:
            session.close()
        if running is not None:
            running.stop()
        db.dispose()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if login:
                conn.execute(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT)
    runner.shutdown(WAIT)


@pytest.fixture
def presented(monkeypatch):
    """Every error a presenter showed (a dialog or a status line) while the test ran."""
    shown: list = []
    original = ErrorPresenter.present

    def record(self, error, *, context=""):
        report = original(self, error, context=context)
        shown.append(report.message)
        return report

    monkeypatch.setattr(ErrorPresenter, "present", record)
    return shown


# --------------------------------------------------------------------------- what each screen shows


def table_rows(screen: QWidget) -> int:
    """The rows of the screen's fullest table (list, queue or grid)."""
    counts = [view.rowCount() if isinstance(view, QTableWidget) else view.model().rowCount()
              for view in screen.findChildren(QAbstractItemView) if view.model() is not None]
    return max(counts, default=0)


def _status(server: DemoServer, rma: str) -> str:
    from returndesk.store.schema import Return

    with server.ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def _counter(qtbot, screen, server: DemoServer) -> None:
    """The counter finds a demo shop sale and lists its lines."""
    from returndesk.store.schema import SalesOrder

    with server.ctx.db.read() as s:
        order_no = s.execute(select(SalesOrder.order_no).order_by(SalesOrder.id.desc()).limit(1)).scalar_one()
    screen.search_edit.setText(order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert screen.lines_model.rowCount() >= 1


def _review(qtbot, screen, server: DemoServer) -> None:
    """A request the review queue shows is authorized from it."""
    qtbot.waitUntil(lambda: screen.current_case() is not None, timeout=WAIT)
    rmas = list(screen.queue_model.rma_numbers())
    for rma in rmas:
        if screen.current_rma() != rma:
            with qtbot.waitSignal(screen.case_loaded, timeout=WAIT):
                screen.open_request(rma)
        if screen.current_case().state.can_authorize:
            break
    else:
        pytest.fail(f"no request of the review queue can be authorized: {rmas}")
    qtbot.waitUntil(screen.authorize_button.isEnabled, timeout=WAIT)
    with qtbot.waitSignal(screen.request_authorized, timeout=WAIT, check_params_cb=lambda r: r == rma):
        qtbot.mouseClick(screen.authorize_button, Qt.MouseButton.LeftButton)
    assert _status(server, rma) == "authorized"


def _to_pay(qtbot, screen, server: DemoServer) -> None:
    """The first return of the to-pay worklist is paid from it."""
    from returndesk.store.schema import Refund, Return

    rma = screen.queue_model.rma_numbers()[0]
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT, check_params_cb=lambda r: r == rma):
        screen.open_return(rma)
    qtbot.waitUntil(screen.issue_button.isEnabled, timeout=WAIT)
    with qtbot.waitSignal(screen.refund_issued, timeout=WAIT):
        qtbot.mouseClick(screen.issue_button, Qt.MouseButton.LeftButton)
    with server.ctx.db.read() as s:
        issued_by = s.execute(select(Refund.issued_by).join(Return, Return.id == Refund.return_id)
                              .where(Return.rma_no == rma)).scalars().all()
    assert len(issued_by) == 1 and _status(server, rma) == "refunded"


def _refurbish(qtbot, screen, server: DemoServer) -> None:
    """The first unit waiting is scanned and sent back to stock at the grade offered."""
    from returndesk.store.schema import InspectionUnit, RefurbishJob, Return

    assert screen.waiting_model.rowCount() >= 1, "the demo leaves no unit waiting for refurbishment"
    tag = screen.waiting_model.rows[0].tag
    screen.scan_edit.setText(tag)
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.header_label.text().startswith(tag), timeout=WAIT)  # the unit is shown
    grade = screen.grade_combo.currentData()
    qtbot.waitUntil(screen.restock_button.isEnabled, timeout=WAIT)
    with qtbot.waitSignal(screen.unit_finished, timeout=WAIT):
        qtbot.mouseClick(screen.restock_button, Qt.MouseButton.LeftButton)
    with server.ctx.db.read() as s:
        status, new_grade, rma, unit_id = s.execute(
            select(RefurbishJob.status, RefurbishJob.new_grade, Return.rma_no, InspectionUnit.id)
                        .join(InspectionUnit, InspectionUnit.id == RefurbishJob.inspection_unit_id)
                        .join(Return, Return.id == InspectionUnit.return_id)
                        .order_by(RefurbishJob.id.desc()).limit(1)).one()
    assert (status, new_grade, f"{rma}/{unit_id}") == ("refurbished", grade, tag)  # the tag: RMA/unit


@dataclass(frozen=True)
class Case:
    role: str  # the demo user who opens it (a role whose permission the screen asks for)
    shown: Callable[[QWidget], bool] = lambda screen: table_rows(screen) > 0
    act: Callable | None = None


#: One case per registered screen (a new screen fails the test until it has one).
CASES: dict[str, Case] = {
    "counter": Case("clerk", shown=lambda screen: True, act=_counter),
    "review": Case("clerk", act=_review),
    "inspection": Case("inspector"),
    "approval": Case("supervisor"),
    "to_pay": Case("finance", act=_to_pay),
    "analytics": Case("supervisor"),
    "risk": Case("supervisor"),
    "claims": Case("inspector"),
    "refurbish": Case("inspector", act=_refurbish),
    "master_data": Case("manager"),
    "cash_drawer": Case("clerk"),
    "finance": Case("finance"),
    "admin": Case("admin"),
    "integrations": Case("admin"),
    "returns": Case("clerk"),
}


def test_every_registered_screen_has_a_case_here():
    assert [entry.key for entry in navigation.registered() if entry.key not in CASES] == []


@pytest.mark.parametrize("key", [entry.key for entry in navigation.registered()])
def test_the_screen_shows_the_databases_rows_through_the_server(qtbot, demo_server, tasks, presented, key):
    entry = next(e for e in navigation.registered() if e.key == key)
    case = CASES.get(key)
    assert case is not None, f"the screen {key!r} has no case in this module"
    assert can(case.role, entry.permission), f"{case.role} may not open {key!r}"
    api, actor = demo_server.api_of(case.role)
    screen = entry.factory(api, tasks, actor)
    qtbot.addWidget(screen)
    screen.resize(1300, 860)
    screen.show()
    qtbot.waitUntil(lambda: tasks.is_idle() and case.shown(screen), timeout=WAIT)  # its loads are in
    if case.act is not None:
        case.act(qtbot, screen, demo_server)
        qtbot.waitUntil(tasks.is_idle, timeout=WAIT)  # and the reloads after the action
    assert presented == []


def test_the_return_detail_dialog_shows_a_refunded_return_through_the_server(qtbot, demo_server, tasks, presented,
                                                                             tmp_path):
    """The page every screen opens a return on: its lines, units and timeline as the database has them."""
    from returndesk.store.schema import Refund, Return, ReturnLine
    from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog

    with demo_server.ctx.db.read() as s:
        rma, lines = s.execute(
            select(Return.rma_no, select(func.count()).where(ReturnLine.return_id == Return.id).scalar_subquery())
            .join(Refund, Refund.return_id == Return.id).where(Return.status == "refunded")
            .order_by(Return.id).limit(1)).one()
    api, actor = demo_server.api_of("supervisor")
    dialog = ReturnDetailDialog(api, tasks, actor, output_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.resize(1300, 860)
    dialog.show()
    with qtbot.waitSignal(dialog.page.page_loaded, timeout=WAIT, check_params_cb=lambda r: r == rma):
        dialog.open_return(rma)
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT)
    page = dialog.page
    assert page.lines_model.rowCount() == lines >= 1
    assert page.timeline_model.rowCount() >= 1
    assert presented == []
