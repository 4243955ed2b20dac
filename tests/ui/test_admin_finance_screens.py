"""The administration screen, the cash drawer and the finance desk driven like their users, with the
outcome checked in the database."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from returndesk.domain.messages import load_text
from returndesk.domain.types import RefundMethod
from returndesk.store.schema import CashShift, JournalEntry, JournalLine, Refund, Return, ReturnReason, User
from returndesk.ui.screens.admin.screen import AdminScreen
from returndesk.ui.screens.admin.users import UserDialog
from returndesk.ui.screens.cash_drawer import CashDrawerScreen
from returndesk.ui.screens.finance.screen import FinanceScreen
from returndesk.ui.tasks import TaskRunner
from sqlalchemy import select

from tests.integration.factories import build_world, make_order
from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

pytestmark = pytest.mark.both_databases("money sums and row locks on the cash drawer")

WAIT_MS = 10_000


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait_idle(WAIT_MS)
    assert tasks.shutdown(WAIT_MS)


class Dialogs:
    """Stands in for the user at each dialog: fills it with ``fill`` and presses OK."""

    def __init__(self) -> None:
        self.fill = lambda dialog: None

    def __call__(self, dialog: QDialog) -> bool:
        self.fill(dialog)
        box = dialog.findChild(QDialogButtonBox)
        box.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result() == QDialog.DialogCode.Accepted


def _walk_in_cash_refund(qtbot, screen, order_no: str) -> None:
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    screen.options.walk_in_radio.setChecked(True)
    combo = screen.options.refund_method_combo
    combo.setCurrentIndex(combo.findData(RefundMethod.CASH.value))
    with qtbot.waitSignal(screen.preview_updated, timeout=WAIT_MS, check_params_cb=lambda p: p is not None):
        screen.lines_model.update_entry(0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        screen.submit()
    assert submitted.args[0].refunded, submitted.args[0].message


def test_admin_adds_a_user_and_a_new_limit_counts_at_the_next_approval(qtbot, ctx, runner, tmp_path):
    world = build_world(ctx)
    session = session_for(ctx)
    dialogs = Dialogs()
    screen = AdminScreen(session.api_for(world.admin), runner, world.admin, run_dialog=dialogs)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.users_tab.table.rowCount() == 8, timeout=WAIT_MS)

    def new_user(dialog: UserDialog) -> None:
        dialog.username_edit.setText("mei")
        dialog.display_name_edit.setText("Wang Mei")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("clerk"))
        dialog.limit_edit.setText("100")
        dialog.password_edit.setText("counter pass 1")

    dialogs.fill = new_user
    qtbot.mouseClick(screen.users_tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.users_tab.table.rowCount() == 9, timeout=WAIT_MS)
    with ctx.db.read() as s:
        mei = s.execute(select(User).where(User.username == "mei")).scalar_one()
        assert (mei.display_name, mei.role, mei.approval_limit_minor, mei.active) == ("Wang Mei", "clerk", 10000, True)

    mei_actor = session.auth.sign_in("mei", "counter pass 1")
    order_no = make_order(world, [("SH-3001", 2)], channel="store", days_ago=2)
    counter = counter_screen(session, runner, mei_actor, tmp_path / "printed")
    qtbot.addWidget(counter)
    counter.show()
    counter.search_edit.setFocus()
    qtbot.keyClicks(counter.search_edit, order_no)
    with qtbot.waitSignal(counter.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(counter.search_edit, Qt.Key.Key_Return)
    counter.options.walk_in_radio.setChecked(True)
    with qtbot.waitSignal(counter.preview_updated, timeout=WAIT_MS, check_params_cb=lambda p: p is not None) as p:
        counter.lines_model.update_entry(0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    assert p.args[0].spot_limit.amount == 10000  # her own 100.00, below the policy's 200.00

    def higher_limit(dialog: UserDialog) -> None:
        dialog.limit_edit.setText("1000")

    screen.users_tab.select("mei")
    dialogs.fill = higher_limit
    qtbot.mouseClick(screen.users_tab.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "User mei changed" in screen.users_tab.status_label.text(), timeout=WAIT_MS)
    with ctx.db.read() as s:
        assert s.execute(select(User.approval_limit_minor).where(User.username == "mei")).scalar_one() == 100000
    # The next preview at her counter applies the new limit (capped by the policy's 200.00).
    with qtbot.waitSignal(counter.preview_updated, timeout=WAIT_MS, check_params_cb=lambda p: p is not None) as p:
        counter.lines_model.update_entry(0, quantity=2, reason_code="changed_mind", conditions=CONDITIONS)
    assert p.args[0].spot_limit.amount == 20000

    # The admin log shows both changes, newest first.
    screen.tabs.setCurrentWidget(screen.log_tab)
    screen.log_tab.reload()
    qtbot.waitUntil(lambda: screen.log_tab.table.rowCount() >= 2, timeout=WAIT_MS)
    assert screen.log_tab.table.item(0, 4).text() == "mei" and "¥1,000.00" in screen.log_tab.table.item(0, 6).text()
    assert screen.log_tab.table.item(1, 5).text() == "created"


def test_a_cash_shift_with_two_counter_refunds_closes_with_a_posted_difference(qtbot, ctx, runner, tmp_path):
    world = build_world(ctx)
    session = session_for(ctx)
    drawer = CashDrawerScreen(session.api_for(world.clerk), runner, world.clerk)
    qtbot.addWidget(drawer)
    drawer.show()
    qtbot.waitUntil(lambda: drawer.open_box.isVisible(), timeout=WAIT_MS)
    qtbot.keyClicks(drawer.float_edit, "500")
    qtbot.mouseClick(drawer.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: drawer.shift_box.isVisible(), timeout=WAIT_MS)

    counter = counter_screen(session, runner, world.clerk, tmp_path / "printed")
    qtbot.addWidget(counter)
    counter.show()
    for sku in ("AP-2001", "HM-4001"):
        _walk_in_cash_refund(qtbot, counter, make_order(world, [(sku, 1)], channel="store", days_ago=1))
        counter.new_return()
    qtbot.waitUntil(lambda: drawer.payments_table.rowCount() == 2, timeout=WAIT_MS)
    assert "¥372.00 expected" in drawer.figures_label.text()

    qtbot.keyClicks(drawer.counted_edit, "370")
    qtbot.mouseClick(drawer.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "write a note" in drawer.status_label.text(), timeout=WAIT_MS)
    qtbot.keyClicks(drawer.note_edit, "Two coins missing")
    qtbot.waitUntil(drawer.close_button.isEnabled, timeout=WAIT_MS)  # the refused close has finished
    qtbot.mouseClick(drawer.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "short by ¥2.00" in drawer.status_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(drawer.open_box.isVisible, timeout=WAIT_MS)  # the drawer read again: no shift open
    with ctx.db.read() as s:
        shift = s.execute(select(CashShift)).scalar_one()
        assert (shift.status, shift.float_minor, shift.expected_minor, shift.counted_minor, shift.difference_minor) == (
            "closed", 50000, 37200, 37000, -200)
        assert s.execute(select(Refund.amount_minor).where(Refund.cash_shift_id == shift.id)
                         .order_by(Refund.id)).scalars().all() == [7900, 4900]
        posted = s.execute(select(JournalLine.account, JournalLine.debit_minor, JournalLine.credit_minor)
                           .join(JournalEntry).where(JournalEntry.entry_no == shift.entry_no)
                           .order_by(JournalLine.account)).all()
    assert [tuple(r) for r in posted] == [("1001", 0, 200), ("1901", 200, 0)]

    # Finance sees the shift and the refunds, and takes the files from the desk.
    saved = []

    def choose(name, _filter):
        saved.append(tmp_path / name)
        return tmp_path / name

    finance = FinanceScreen(session.api_for(world.finance), runner, world.finance, choose_path=choose)
    qtbot.addWidget(finance)
    finance.show()
    day = ctx.now().date()
    finance.set_period(day, day)
    qtbot.waitUntil(lambda: finance.refunds_model.rowCount() == 2 and finance.totals is not None, timeout=WAIT_MS)
    assert {(m.method, m.amount_minor) for m in finance.totals.methods} == {("cash", 12800)}
    qtbot.waitUntil(lambda: finance.shifts_model.rowCount() == 1, timeout=WAIT_MS)
    # Beside the navigation on a 1280-pixel screen the lists stand above the totals and the return,
    # and every column of the refunds (credit note, shift, station, who issued it) shows without
    # scrolling sideways; on a wide screen the totals stand beside the lists again.
    scroll = finance.refunds_view.horizontalScrollBar()
    finance.resize(1080, 760)
    qtbot.waitUntil(lambda: finance.body_splitter.orientation() == Qt.Orientation.Vertical, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: scroll.maximum() == 0, timeout=WAIT_MS)
    assert finance.side_splitter.orientation() == Qt.Orientation.Horizontal
    finance.resize(1900, 1000)
    qtbot.waitUntil(lambda: finance.body_splitter.orientation() == Qt.Orientation.Horizontal, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: scroll.maximum() == 0, timeout=WAIT_MS)
    assert finance.side_splitter.orientation() == Qt.Orientation.Vertical
    cash_index = finance.method_combo.findData("original_payment")
    finance.method_combo.setCurrentIndex(cash_index)
    qtbot.waitUntil(lambda: finance.refunds_model.rowCount() == 0 and not finance.refunds_model.loading,
                    timeout=WAIT_MS)

    finance.export("red_letter", "xlsx")
    qtbot.waitUntil(lambda: finance.last_file is not None, timeout=WAIT_MS)
    rows = list(load_workbook(io.BytesIO(finance.last_file.read_bytes())).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][13] == -79.0 and rows[2][13] == -49.0
    finance.last_file = None
    finance.export("journal", "xlsx")
    qtbot.waitUntil(lambda: finance.last_file is not None, timeout=WAIT_MS)
    sheet = load_workbook(finance.last_file).active
    accounts = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "1901" in accounts and accounts.count("1001") == 3


def test_admin_publishes_a_policy_version_new_returns_are_judged_by_it_old_ones_keep_theirs(
        qtbot, ctx, runner, clock):
    from returndesk.domain.types import Channel
    from returndesk.services.usecases import intake
    from returndesk.store.schema import Return, ReturnPolicy

    from tests.integration.money_support import order_line_ids

    world = build_world(ctx)
    session = session_for(ctx)
    order_no = make_order(world, [("AP-2001", 3)], days_ago=20)
    clerk_api = session.api_for(world.clerk)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_ids(world, order_no)["AP-2001"], 1, "changed_mind"),))
    old = clerk_api.intake.create_return(draft)

    screen = AdminScreen(session.api_for(world.admin), runner, world.admin, run_dialog=Dialogs())
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.policy_tab
    screen.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.in_force is not None and tab.start_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.draft is not None and tab.form.isEnabled(), timeout=WAIT_MS)
    tab.form.window_spin.setValue(14)
    tab.form.name_edit.clear()
    qtbot.keyClicks(tab.form.name_edit, "Short window")
    assert tab.changes_table.rowCount() == 1
    assert tab.changes_table.item(0, 1).text() == "30" and tab.changes_table.item(0, 2).text() == "14"
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "published" in tab.status_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tab.draft is None and tab.versions_table.rowCount() == 2, timeout=WAIT_MS)
    assert tab.versions_table.item(0, 3).text() == "In force"

    with ctx.db.read() as s:
        newest = s.execute(select(ReturnPolicy).order_by(ReturnPolicy.version.desc())).scalars().first()
        assert newest.name == "Short window" and '"window_days": 14' in newest.rules_json
        newest_id = newest.id
        first_id = s.execute(select(ReturnPolicy.id).where(ReturnPolicy.version == 1)).scalar_one()
    preview = clerk_api.intake.preview_return(draft)
    assert preview.lines[0].policy_status == "override_needed"
    assert "allows 14" in " ".join(preview.lines[0].policy_reasons)
    with ctx.db.read() as s:
        assert s.execute(select(Return.policy_id).where(Return.rma_no == old.rma_no)).scalar_one() == first_id
    # A return taken now is judged by the new version (and needs an override for 20 days > 14).
    supervisor_api = session.api_for(world.supervisor)
    new = supervisor_api.intake.create_return(replace(draft, override_reason="Customer was abroad for two weeks"))
    with ctx.db.read() as s:
        assert s.execute(select(Return.policy_id).where(Return.rma_no == new.rma_no)).scalar_one() == newest_id


def test_the_counter_shows_the_customers_store_credit(qtbot, ctx, runner, tmp_path):
    from returndesk.domain.types import Channel
    from returndesk.services.usecases import counter as counter_cases
    from returndesk.services.usecases import intake

    from tests.integration.money_support import order_line_ids

    world = build_world(ctx)
    first = make_order(world, [("AP-2001", 1)], channel="store", days_ago=1)
    draft = intake.ReturnDraft(order_no=first, channel=Channel.COUNTER, refund_method=RefundMethod.STORE_CREDIT,
                               lines=(intake.DraftLine(order_line_ids(world, first)["AP-2001"], 1, "changed_mind",
                                                       conditions_met=CONDITIONS),))
    assert counter_cases.counter_return(ctx, world.clerk, draft).refunded
    second = make_order(world, [("HM-4001", 1)], channel="store", days_ago=1)
    screen = counter_screen(session_for(ctx), runner, world.clerk, tmp_path / "printed")
    qtbot.addWidget(screen)
    screen.show()
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, second)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.store_credit_label.isVisible(), timeout=WAIT_MS)
    assert screen.store_credit_label.text() == "Store credit of this customer: ¥79.00"
    with ctx.db.read() as s:
        from returndesk.store.schema import StoreCreditEntry

        assert s.execute(select(StoreCreditEntry.amount_minor)).scalars().all() == [7900]


def test_a_refund_on_a_chinese_station_shows_a_chinese_memo_in_the_finance_journal(
        qtbot, ctx, runner, tmp_path, chinese_station):
    world = build_world(ctx)
    session = session_for(ctx)
    counter = counter_screen(session, runner, world.clerk, tmp_path / "printed")
    qtbot.addWidget(counter)
    counter.show()
    _walk_in_cash_refund(qtbot, counter, make_order(world, [("AP-2001", 1)], channel="store", days_ago=1))
    with ctx.db.read() as s:
        refund_no = s.execute(select(Refund.refund_no)).scalar_one()
        rma_no = s.execute(select(Return.rma_no)).scalar_one()
        stored = s.execute(select(JournalEntry.memo)).scalar_one()
    assert load_text(stored) == f"Refund {refund_no} of return {rma_no}"  # kept as a message: template and values

    model = _todays_journal(qtbot, ctx, session, runner, world, lambda m: m.rowCount() > 0)
    memo_column = next(c for c in range(model.columnCount())
                       if model.headerData(c, Qt.Orientation.Horizontal) == "摘要")
    memos = {model.index(row, memo_column).data() for row in range(model.rowCount())}
    assert f"退货单 {rma_no} 的退款 {refund_no}" in memos, memos
    assert f"退货单 {rma_no} 的退款 {refund_no}：按成本重新入库" in memos, memos
    assert not any(re.search(r"[A-Za-z]{2,}", _NUMBERS.sub("", memo)) for memo in memos), memos


def _todays_journal(qtbot, ctx, session, runner, world, loaded):
    """The finance desk's journal of today, once ``loaded(model)`` holds and nothing is loading."""
    finance = FinanceScreen(session.api_for(world.finance), runner, world.finance)
    qtbot.addWidget(finance)
    finance.show()
    day = ctx.now().date()
    finance.set_period(day, day)
    model = finance.journal_model
    qtbot.waitUntil(lambda: loaded(model) and not model.loading, timeout=WAIT_MS)
    return model


_NUMBERS = re.compile(r"\b[A-Z]{1,3}-?[\d-]+\b|\bR\d+\b")


def test_a_memo_written_as_plain_text_before_shows_as_it_is(qtbot, ctx, runner, chinese_station):
    world = build_world(ctx)
    session = session_for(ctx)
    with ctx.db.write() as s:
        entry = JournalEntry(entry_no="JE-2026-999999", posted_at=ctx.now(), memo="Opening balance")
        s.add(entry)
        s.flush()
        s.add_all([JournalLine(entry_id=entry.id, account="1001", debit_minor=100, credit_minor=0, memo=None),
                   JournalLine(entry_id=entry.id, account="6001", debit_minor=0, credit_minor=100,
                               memo="Opening balance")])
    model = _todays_journal(qtbot, ctx, session, runner, world, lambda m: m.rowCount() == 2)
    memos = [model.index(row, model.columnCount() - 1).data() for row in range(model.rowCount())]
    assert memos == ["", "Opening balance"]


def test_retiring_the_last_reason_on_a_chinese_station_names_it_in_chinese(qtbot, ctx, runner, chinese_station):
    world = build_world(ctx)
    session = session_for(ctx)
    api = session.api_for(world.admin)
    with ctx.db.read() as s:
        rows = s.execute(select(ReturnReason).where(ReturnReason.active.is_(True))
                         .order_by(ReturnReason.sort_order, ReturnReason.code)).scalars().all()
        last = (rows[-1].code, rows[-1].name_en, rows[-1].name_zh)
        others = [r.code for r in rows[:-1]]
    for code in others:
        api.admin.update_reason(code, active=False)
    screen = AdminScreen(api, runner, world.admin, run_dialog=Dialogs())
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.reasons_tab
    screen.tabs.setCurrentWidget(tab)
    tab.reload()
    qtbot.waitUntil(lambda: any(r.code == last[0] for r in tab.reasons), timeout=WAIT_MS)
    row = next(i for i, r in enumerate(tab.reasons) if r.code == last[0])
    tab.table.selectRow(row)
    assert tab.selected() is not None and tab.selected().code == last[0]
    tab.toggle_active()
    qtbot.waitUntil(lambda: last[2] in tab.status_label.text(), timeout=WAIT_MS)
    text = tab.status_label.text()
    assert f"“{last[2]}”是最后一个在用的退货原因" in text and last[1] not in text, text
