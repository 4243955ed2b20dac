"""The import wizard and the master-data screen driven like a shop's manager: on a fresh database
without demo data, the suppliers, the products (mapped by hand, the mapping saved as a profile)
and the customers are imported from the shop's own files, then the orders through the same wizard,
then a return is taken at the counter; rows are checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from returndesk.domain.types import RefundMethod, Role
from returndesk.services.usecases import auth, master_data
from returndesk.store.schema import (
    AuditEvent,
    ImportProfile,
    Product,
    ProductBarcode,
    Refund,
    SalesOrder,
    Supplier,
)
from returndesk.ui.screens.master_data.screen import MasterDataScreen
from returndesk.ui.screens.master_data.wizard import ImportWizard
from returndesk.ui.tasks import TaskRunner
from sqlalchemy import func, select

from tests.integration.master_data_files import write_shop_files
from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

WAIT_MS = 20_000


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait_idle(WAIT_MS)
    assert tasks.shutdown(WAIT_MS)


@pytest.fixture
def people(ctx):
    auth.add_user(ctx, None, username="mia", display_name="Mia Manager", role=Role.ADMIN, password="mia-secret-1")
    auth.add_user(ctx, None, username="cai", display_name="Cai Clerk", role=Role.CLERK, password="cai-secret-1",
                  approval_limit_minor=500_000)
    return auth.sign_in(ctx, "mia", "mia-secret-1"), auth.sign_in(ctx, "cai", "cai-secret-1")


def _run_wizard(qtbot, wizard: ImportWizard, kind: str, path, *, mapping: dict[str, str] | None = None,
                profile: str | None = None, save_as: str | None = None):
    page = wizard.file_page
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
    page.set_file(str(path))
    if profile:
        qtbot.waitUntil(lambda: page.profile_combo.findData(profile) >= 0, timeout=WAIT_MS)
        page.profile_combo.setCurrentIndex(page.profile_combo.findData(profile))
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.MAPPING_PAGE, timeout=WAIT_MS)
    for header, field in (mapping or {}).items():
        wizard.mapping_page.set_field(header, field)
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS) as checked:
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.CHECK_PAGE, timeout=WAIT_MS)
    preview = checked.args[0]
    if preview.problems:
        return preview
    if save_as:
        wizard.check_page.save_profile_check.setChecked(True)
        wizard.check_page.profile_name_edit.setText(save_as)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    with qtbot.waitSignal(wizard.import_finished, timeout=WAIT_MS) as finished:
        wizard.next()
    assert wizard.import_page.isComplete()
    return finished.args[0]


def test_a_shop_imports_its_files_with_the_wizard_then_takes_a_return(qtbot, ctx, runner, people, tmp_path):
    manager, clerk = people
    files = write_shop_files(tmp_path / "files")
    session = session_for(ctx)
    screen = MasterDataScreen(session.api_for(manager), runner, manager)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()

    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    result = _run_wizard(qtbot, wizard, "suppliers", files["suppliers"])
    assert (result.created, result.updated) == (2, 0)
    assert "GB18030" in wizard.check_page.summary_label.text()

    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    _run_wizard(qtbot, wizard, "categories", files["categories"])

    # The workbook's key column has a header the guess does not know: every row is refused until
    # the user maps it; the mapping is then saved as a profile.
    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    preview = _run_wizard(qtbot, wizard, "products", files["products"])
    assert preview.problems == ("no column is mapped to sku",)
    assert wizard.check_page.problems_list.count() == 1
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.back()
    wizard.mapping_page.set_field("货品ID", "sku")
    assert wizard.mapping_page.combos["条码"].currentData() == "barcodes"  # prefilled by the guess
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS) as checked:
        wizard.next()
    assert checked.args[0].problems == () and checked.args[0].creates == 4
    wizard.check_page.save_profile_check.setChecked(True)
    wizard.check_page.profile_name_edit.setText("ERP 商品资料")
    with qtbot.waitSignal(wizard.import_finished, timeout=WAIT_MS) as finished:
        wizard.next()
    assert finished.args[0].created == 4
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == 4
        assert s.execute(select(func.count()).select_from(ProductBarcode)).scalar_one() == 4
        saved = s.execute(select(ImportProfile.name).where(ImportProfile.kind == "products")).scalar_one()
        assert saved == "ERP 商品资料"

    # The next file of that source goes through the saved profile: nothing to map, nothing changes.
    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    again = _run_wizard(qtbot, wizard, "products", files["products"], profile="ERP 商品资料")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    _run_wizard(qtbot, wizard, "customers", files["customers"])
    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    orders = _run_wizard(qtbot, wizard, "orders", files["orders"])
    assert orders.orders is not None and orders.orders.orders == 2
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(SalesOrder)).scalar_one() == 2

    # The list shows the products; the manager changes a price in the form.
    screen.show_kind("products")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 4, timeout=WAIT_MS)
    screen.search_edit.setText("电饭煲")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and not screen.model.loading, timeout=WAIT_MS)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.table.activated.emit(screen.model.index(0, 0))
    form = screen.forms["products"]
    assert form.text("sku") == "MI-RC3" and form.editors["sku"].isReadOnly()
    form.editors["price"].setValue(189.00)
    with qtbot.waitSignal(screen.record_saved, timeout=WAIT_MS):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.read() as s:
        assert s.execute(select(Product.price_minor).where(Product.sku == "MI-RC3")).scalar_one() == 18900
        event = s.execute(select(AuditEvent).where(AuditEvent.entity == "product", AuditEvent.action == "updated")
                          ).scalar_one()
        assert event.username == "mia" and event.entity_id == "MI-RC3"

    # Export from the screen: the workbook reads back without a change.
    exported = tmp_path / "products.xlsx"
    screen.export_to(str(exported))
    qtbot.waitUntil(lambda: "products.xlsx" in screen.message_label.text(), timeout=WAIT_MS)
    back = master_data.import_file(ctx, None, "products", exported.read_bytes(), exported.name)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 4)

    # The clerk takes a return of the imported sale at the counter screen, refunded at once.
    desk = counter_screen(session, runner, clerk, tmp_path / "printed")
    qtbot.addWidget(desk)
    desk.show()
    desk.search_edit.setFocus()
    qtbot.keyClicks(desk.search_edit, "SO-9001")
    with qtbot.waitSignal(desk.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(desk.search_edit, Qt.Key.Key_Return)
    desk.options.walk_in_radio.setChecked(True)
    combo = desk.options.refund_method_combo
    combo.setCurrentIndex(combo.findData(RefundMethod.ORIGINAL_PAYMENT.value))
    row = next(i for i in range(desk.lines_model.rowCount()) if desk.lines_model.line(i).sku == "MI-RC3")
    with qtbot.waitSignal(desk.preview_updated, timeout=WAIT_MS, check_params_cb=lambda p: p is not None):
        desk.lines_model.update_entry(row, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    with qtbot.waitSignal(desk.return_submitted, timeout=WAIT_MS) as submitted:
        desk.submit()
    assert submitted.args[0].refunded, submitted.args[0].message
    with ctx.db.read() as s:
        assert s.execute(select(Refund.amount_minor)).scalar_one() == 19900  # what was paid, not today's price


def test_cancelling_the_import_writes_nothing(qtbot, ctx, runner, people, tmp_path):
    manager, _clerk = people
    files = write_shop_files(tmp_path / "files")
    session = session_for(ctx)
    api = session.api_for(manager)
    wizard = ImportWizard(api, runner, kind="suppliers")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.set_file(str(files["suppliers"]))
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    # The import starts and is cancelled before it writes: the job is stopped at its next step.
    api.master_data.cancel_import  # noqa: B018 - the group exists
    original = api.master_data.import_file

    def import_then_cancel(*args, **kwargs):
        api.master_data.cancel_import(kwargs["job_id"])
        return original(*args, **kwargs)

    api.master_data.import_file = import_then_cancel  # type: ignore[method-assign]
    with qtbot.waitSignal(wizard.import_failed, timeout=WAIT_MS) as failed:
        wizard.next()
    assert "cancelled" in failed.args[0]
    assert wizard.import_page.stage_label.text() == failed.args[0]
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Supplier)).scalar_one() == 0


class _HoldingRunner(TaskRunner):
    """Runs every task as usual but holds back the one whose function is named ``held`` until the
    test lets it go, so the test sees what was started while it waited."""

    def __init__(self, held: str) -> None:
        super().__init__()
        self.held_name = held
        self.held: tuple | None = None
        self.started: list[str] = []

    def run(self, fn, *args, **kwargs):
        name = getattr(fn, "__name__", "")
        self.started.append(name)
        if name == self.held_name and self.held is None:
            self.held = (fn, args, kwargs)
            return 0
        return super().run(fn, *args, **kwargs)

    def release(self) -> None:
        assert self.held is not None
        fn, args, kwargs = self.held
        super().run(fn, *args, **kwargs)


def test_the_profile_is_saved_before_the_rows_are_imported(qtbot, ctx, people, tmp_path):
    """"Done" means the profile and the rows are both written: the import starts only once the
    profile is saved."""
    manager, _clerk = people
    files = write_shop_files(tmp_path / "files")
    tasks = _HoldingRunner("save_profile")
    wizard = ImportWizard(session_for(ctx).api_for(manager), tasks, kind="suppliers")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.set_file(str(files["suppliers"]))
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    wizard.check_page.save_profile_check.setChecked(True)
    wizard.check_page.profile_name_edit.setText("ERP 供应商")
    wizard.next()
    assert tasks.held is not None and "import_file" not in tasks.started
    with qtbot.waitSignal(wizard.import_finished, timeout=WAIT_MS) as finished:
        tasks.release()
    assert finished.args[0].created == 2
    with ctx.db.read() as s:
        saved = s.execute(select(ImportProfile.name).where(ImportProfile.kind == "suppliers")).scalar_one()
        assert saved == "ERP 供应商"
        assert s.execute(select(func.count()).select_from(Supplier)).scalar_one() == 2
    tasks.wait_idle(WAIT_MS)
    assert tasks.shutdown(WAIT_MS)


def test_a_clerk_sees_the_list_but_cannot_save(qtbot, ctx, runner, people):
    _manager, clerk = people
    master_data.upsert_records(ctx, None, "suppliers", [{"code": "SUP-HW", "name": "华为"}])
    session = session_for(ctx)
    screen = MasterDataScreen(session.api_for(clerk), runner, clerk)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_kind("suppliers")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=WAIT_MS)
    assert not screen.save_button.isEnabled() and not screen.import_button.isVisible()
    assert "may look at the master data but not change it" in screen.message_label.text()


def test_a_colour_and_a_size_column_both_go_into_the_variant(qtbot, ctx, runner, people, tmp_path):
    """A Chinese shop's GB18030 file with 颜色 and 尺码 columns: the wizard maps both to the variant,
    accepts that, and the products carry "红色 / XL"."""
    from tests.integration.master_data_files import csv_bytes

    manager, _clerk = people
    path = tmp_path / "款式.csv"
    path.write_bytes(csv_bytes([["商品编码", "商品名称", "款号", "颜色", "尺码", "类别", "售价"],
                                ["TS-002-R-XL", "纯棉T恤 红色 XL", "TEE27", "红色", "XL", "服装", "89.00"],
                                ["TS-002-U", "纯棉T恤 均码", "TEE27", "", "均码", "服装", "89.00"]], "gb18030"))
    screen = MasterDataScreen(session_for(ctx).api_for(manager), runner, manager)
    qtbot.addWidget(screen)
    screen.show()
    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("products"))
    page.set_file(str(path))
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT_MS):
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.MAPPING_PAGE, timeout=WAIT_MS)
    assert wizard.mapping_page.mapping()["颜色"] == wizard.mapping_page.mapping()["尺码"] == "variant"
    wizard.close()

    wizard = screen.open_import_wizard()
    qtbot.addWidget(wizard)
    result = _run_wizard(qtbot, wizard, "products", path)

    assert result.created == 2
    with ctx.db.read() as s:
        assert dict(s.execute(select(Product.sku, Product.variant).where(Product.style_code == "TEE27")).all()) == {
            "TS-002-R-XL": "红色 / XL", "TS-002-U": "均码"}
