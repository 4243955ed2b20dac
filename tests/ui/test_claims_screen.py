"""The claims worklist driven like the warehouse drives it: item tags scanned into a claim, the
supplier's authorisation typed, documents saved, shipped, and the supplier's answer recorded by
keys — with the claim, the stock and the journal checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.tx import stock
from returndesk.services.usecases import finance
from returndesk.store.schema import RtvClaim, RtvClaimUnit
from returndesk.ui.navigation import entries_for
from returndesk.ui.screens.claims import ClaimsScreen
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world
from tests.integration.money_support import LineSpec, approved
from tests.ui.counter_support import session_for

from ..unit.documents_support import decoded_texts

pytestmark = pytest.mark.both_databases("the claim's units lock products and move stock")

WAIT_MS = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


def _rtv(world, qty):
    return approved(world, [LineSpec("EL-1002", qty, reason="defective", grade=Grade.D,
                                     disposition=Disposition.RETURN_TO_VENDOR)])


def _open(qtbot, tasks, ctx, actor, tmp_path, expect_claims=True):
    screen = ClaimsScreen(session_for(ctx).api_for(actor), tasks, actor, folder=tmp_path)
    qtbot.addWidget(screen)
    screen.resize(1300, 820)
    with qtbot.waitSignal(screen.claims_loaded, timeout=WAIT_MS):
        screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    return screen


def _scan(qtbot, screen, text, units):
    """Scan ``text`` and wait until the claim shown holds ``units`` units (the scan's own answer)."""
    screen.scan_edit.setFocus()
    qtbot.keyClicks(screen.scan_edit, text)
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.units_model.rowCount() == units, timeout=WAIT_MS)


def _units(ctx, claim_no):
    with ctx.db.read() as s:
        return s.execute(select(RtvClaimUnit.id).join(RtvClaim, RtvClaim.id == RtvClaimUnit.claim_id)
                         .where(RtvClaim.claim_no == claim_no)).scalars().all()


def _claim(ctx, claim_no):
    with ctx.db.read() as s:
        c = s.execute(select(RtvClaim).where(RtvClaim.claim_no == claim_no)).scalar_one()
        return c.status, c.vendor_rma_no, c.credited_minor


def test_the_warehouse_scans_a_claim_together_and_ships_it_and_finance_records_the_credit(
        qtbot, tasks, ctx, world, tmp_path):
    rmas = [_rtv(world, 1), _rtv(world, 2)]
    assert "claims" in [e.key for e in entries_for(world.inspector)]
    assert "claims" not in [e.key for e in entries_for(world.clerk)]
    screen = _open(qtbot, tasks, ctx, world.inspector, tmp_path)
    assert screen.claims_model.rowCount() == 0

    for units, rma in enumerate((rmas[0], rmas[1], rmas[1]), start=1):
        _scan(qtbot, screen, rma, units)
    claim_no = screen._detail.claim_no
    assert len(_units(ctx, claim_no)) == 3
    qtbot.waitUntil(lambda: [r.units for r in screen.claims_model.rows] == [3], timeout=WAIT_MS)

    # Ctrl+R: the next scan takes a unit off the claim; a second Ctrl+R back to adding.
    tag = screen.units_model.rows[2].tag
    qtbot.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert screen.remove_check.isChecked()
    _scan(qtbot, screen, tag, 2)
    assert len(_units(ctx, claim_no)) == 2
    qtbot.keyClick(screen, Qt.Key.Key_R, CTRL)
    _scan(qtbot, screen, tag, 3)

    # A scan that is not a unit going back to its supplier is refused in words.
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        screen.scan("R0000000000")
    assert refused.args[0] and screen.message_label.text() == refused.args[0]

    # Ctrl+Q asks for authorisation; Ctrl+A, the supplier's RMA, Enter records it.
    with qtbot.waitSignal(screen.claims_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: _claim(ctx, claim_no)[0] == "requested", timeout=WAIT_MS)
    # The claim shown must be the requested one (its version) before the supplier's RMA is recorded.
    qtbot.waitUntil(lambda: screen._detail is not None and screen._detail.status == "requested", timeout=WAIT_MS)
    assert screen.authorise_box.isEnabled()
    screen.set_authorised_date(ctx.now().date())
    qtbot.keyClick(screen, Qt.Key.Key_A, CTRL)
    assert screen.vendor_rma_edit.hasFocus()
    qtbot.keyClicks(screen.vendor_rma_edit, "ACME-RMA-42")
    with qtbot.waitSignal(screen.claims_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.vendor_rma_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _claim(ctx, claim_no)[:2] == ("authorised", "ACME-RMA-42"), timeout=WAIT_MS)
    qtbot.waitUntil(screen.print_button.isEnabled, timeout=WAIT_MS)

    # Ctrl+P saves the packing list and the label; the list's barcodes are the claim and its units.
    with qtbot.waitSignal(screen.documents_saved, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_P, CTRL)
    packing = (tmp_path / f"{claim_no}-packing-list.pdf").read_bytes()
    assert decoded_texts(packing) == sorted([claim_no, *(u.tag for u in screen.units_model.rows)])
    assert (tmp_path / f"{claim_no}-shipping-label.pdf").exists()

    # Ctrl+S ships: the units leave the return-to-vendor area.
    with qtbot.waitSignal(screen.claims_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: _claim(ctx, claim_no)[0] == "shipped", timeout=WAIT_MS)
    with ctx.db.read() as s:
        pid = world.products["EL-1002"]
        assert stock.on_hand(s, pid, Location.RTV) == 0 and stock.on_hand(s, pid, Location.SUPPLIER) == 3
    qtbot.waitUntil(lambda: screen._detail is not None and screen._detail.status == "shipped", timeout=WAIT_MS)
    assert not screen.answer_box.isEnabled()  # an inspector does not record credit notes
    screen.close()

    # Finance opens the claims screen, reads the claim and records the supplier's credit note: one
    # unit refused (selected), a credit note for the other two. The warehouse's actions stay closed.
    assert "claims" in [e.key for e in entries_for(world.finance)]
    screen = _open(qtbot, tasks, ctx, world.finance, tmp_path)
    qtbot.waitUntil(lambda: screen.units_model.rowCount() == 3, timeout=WAIT_MS)
    qtbot.waitUntil(screen.answer_box.isEnabled, timeout=WAIT_MS)
    assert not screen.scan_edit.isEnabled() and not screen.ship_button.isEnabled()
    assert not screen.authorise_box.isEnabled() and screen.print_button.isEnabled()
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS):
        screen.scan(rmas[0])
    screen.units_table.selectRow(0)
    qtbot.keyClick(screen, Qt.Key.Key_K, CTRL)
    assert screen.credit_note_edit.hasFocus()
    qtbot.keyClicks(screen.credit_note_edit, "CN-ACME-9")
    qtbot.keyClick(screen.credit_note_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(screen.amount_edit, "100.00")
    with qtbot.waitSignal(screen.claims_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _claim(ctx, claim_no)[0] == "partly_credited", timeout=WAIT_MS)
    assert _claim(ctx, claim_no)[2] == 10000
    qtbot.waitUntil(lambda: screen.claims_model.rowCount() == 0, timeout=WAIT_MS)
    assert finance.check_books(ctx) == []


def test_an_amount_that_is_not_money_is_said_and_nothing_is_recorded(qtbot, tasks, ctx, world, tmp_path):
    from returndesk.services.usecases import claims

    claim_no = claims.add_unit(ctx, world.inspector, _rtv(world, 1)).claim_no
    claims.record_authorisation(ctx, world.inspector, claim_no, "R-1", ctx.now().date())
    claims.ship_claim(ctx, world.inspector, claim_no)
    screen = _open(qtbot, tasks, ctx, world.supervisor, tmp_path)
    qtbot.waitUntil(screen.answer_box.isEnabled, timeout=WAIT_MS)
    screen.credit_note_edit.setText("CN-1")
    screen.amount_edit.setText("sixty")
    qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)
    assert "sixty" in screen.message_label.text()
    assert _claim(ctx, claim_no)[0] == "shipped"


def test_the_supplier_report_is_saved_from_the_claims_screen(qtbot, tasks, ctx, world, tmp_path):
    from openpyxl import load_workbook

    from returndesk.services.usecases import claims

    claims.add_unit(ctx, world.inspector, _rtv(world, 1))
    screen = _open(qtbot, tasks, ctx, world.finance, tmp_path)
    qtbot.waitUntil(lambda: screen.units_model.rowCount() == 1, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.report_saved, timeout=WAIT_MS) as saved:
        qtbot.keyClick(screen, Qt.Key.Key_E, CTRL)
    base = saved.args[0]
    assert base.endswith(f"-{ctx.now().date().isoformat()}") and "SUP-1-returns-" in base
    rows = list(load_workbook(f"{base}.xlsx").active.iter_rows(values_only=True))
    acme = next(r for r in rows if r and r[0] == "SUP-1")
    assert acme[3] == 1 and acme[11] == 1  # one unit returned, one claim open
    assert "Acme Supplies" in pdf_text_of(f"{base}.pdf")
    assert "SUP-1-returns-" in screen.message_label.text()


def pdf_text_of(path):
    from pathlib import Path

    from ..unit.documents_support import pdf_text

    return pdf_text(Path(path).read_bytes())
