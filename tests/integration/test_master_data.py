"""The shop's own master data: products, customers, suppliers and categories imported from the
files its systems export (Chinese headers, their own order, GB18030 and xlsx), through a saved
column mapping, then its orders, then a return — on a database without any demo data."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from returndesk import cli
from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.types import Channel, RefundMethod, Role
from returndesk.services.infra.bootstrap import ensure_reference_data
from returndesk.services.tx.context import ServiceContext
from returndesk.services.usecases import auth, counter, intake, master_data, sales
from returndesk.services.usecases.column_mapping import guess_mapping
from returndesk.services.usecases.import_files import ImportRefused
from returndesk.store.engine import Database
from returndesk.store.schema import (
    AuditEvent,
    Category,
    Customer,
    Product,
    ProductBarcode,
    Refund,
    Supplier,
)
from sqlalchemy import func, select

from .master_data_files import (
    CATEGORY_ROWS,
    CUSTOMER_ROWS,
    PRODUCT_ROWS,
    SUPPLIER_ROWS,
    csv_bytes,
    write_shop_files,
    xlsx_bytes,
)
from .money_support import CONDITIONS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _import_all(ctx: ServiceContext, actor=None) -> None:
    master_data.import_file(ctx, actor, "suppliers", csv_bytes(SUPPLIER_ROWS), "供应商.csv")
    master_data.import_file(ctx, actor, "categories", csv_bytes(CATEGORY_ROWS), "类别.csv")
    master_data.import_file(ctx, actor, "products", xlsx_bytes(PRODUCT_ROWS), "商品资料.xlsx",
                            mapping={"货品ID": "sku"})
    master_data.import_file(ctx, actor, "customers", csv_bytes(CUSTOMER_ROWS), "会员.csv")


def test_the_guess_reads_chinese_and_english_headers_in_any_order():
    assert guess_mapping("products", ["售价", "商品名称", "条码", "商品编码", "Category", "Unit cost"]) == {
        "售价": "price", "商品名称": "name_zh", "条码": "barcodes", "商品编码": "sku", "Category": "category",
        "Unit cost": ""}
    # A column carrying a field's own name keeps it, even after a synonym of it.
    assert guess_mapping("orders", ["日期", "sold_at"]) == {"日期": "", "sold_at": "sold_at"}


@pytest.mark.both_databases("upserts, the barcodes' unique index and the category lookups per dialect")
def test_a_shop_imports_its_own_files_and_a_second_import_changes_nothing(ctx):
    _import_all(ctx)
    with ctx.db.read() as s:
        earbuds = s.execute(select(Product).where(Product.sku == "HW-FB5")).scalar_one()
        assert (earbuds.name, earbuds.name_zh, earbuds.price_minor) == (
            "Huawei FreeBuds 5", "华为 FreeBuds 5 耳机", 99900)
        assert earbuds.category == "electronics"  # "电子产品" is the seeded category's Chinese name
        assert earbuds.barcode == "6941487233335"
        assert sorted(s.execute(select(ProductBarcode.barcode).where(ProductBarcode.product_id == earbuds.id))
                      .scalars()) == ["6941487233335", "6941487233342"]
        cooker = s.execute(select(Product).where(Product.sku == "MI-RC3")).scalar_one()
        assert cooker.name == "小米电饭煲" and cooker.category == "home"  # no English name: the Chinese one
        phone = s.execute(select(Product).where(Product.sku == "MI-14")).scalar_one()
        assert phone.category == "phones"
        supplier = s.get(Supplier, phone.supplier_id)
        assert (supplier.code, supplier.rtv_terms, supplier.rtv_handling_fee_minor, supplier.rtv_min_claim_minor) == (
            "SUP-MI", "cost_minus_fee", 500, 2000)
        assert supplier.address == "北京市海淀区小米科技园" and supplier.rtv_contact == "李娜"
        li = s.execute(select(Customer).where(Customer.code == "M-0001")).scalar_one()
        assert (li.name, li.phone, li.email) == ("李伟", "13800138000", "liwei@example.cn")
        assert s.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "product")
                         ).scalar_one() == 4

    again = master_data.import_file(ctx, None, "products", xlsx_bytes(PRODUCT_ROWS), "商品资料.xlsx",
                                    mapping={"货品ID": "sku"})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = [list(r) for r in PRODUCT_ROWS]
    changed[1][0] = "949.00"
    third = master_data.import_file(ctx, None, "products", xlsx_bytes(changed), "商品资料.xlsx",
                                    mapping={"货品ID": "sku"})
    assert (third.created, third.updated, third.unchanged) == (0, 1, 3)
    with ctx.db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.entity == "product", AuditEvent.action == "updated")
                          ).scalar_one()
        assert event.entity_id == "HW-FB5"
        assert json.loads(event.before_json) == {"price": 99900} and json.loads(event.after_json) == {"price": 94900}


def test_the_categories_windows_and_flags_judge_new_returns(ctx):
    _import_all(ctx)
    with ctx.db.read() as s:
        rules = sales.load_judging_policy(s).rules
    assert rules.window_for("phones", vendor_fault=False) == 15
    assert not rules.is_category_returnable("cards")
    assert rules.is_category_returnable("electronics")


def test_a_file_with_bad_rows_is_refused_whole_with_every_row_numbered(ctx):
    master_data.import_file(ctx, None, "suppliers", csv_bytes(SUPPLIER_ROWS), "供应商.csv")
    rows = [list(r) for r in PRODUCT_ROWS]
    rows[2][0] = "二九九九"  # row 3: not an amount
    rows[3][5] = "SUP-XX"  # row 4: unknown supplier
    rows.append(["10.00", "HW-FB5", "重复", "", "电子产品", "", "是", "否", ""])  # row 6: SKU twice
    with pytest.raises(ImportRefused) as refused:
        master_data.import_file(ctx, None, "products", csv_bytes(rows), "商品.csv", mapping={"货品ID": "sku"})
    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == ["row 3", "row 4", "row 6"]
    assert "price '二九九九' is not an amount" in problems[0]
    assert "supplier 'SUP-XX' is not known" in problems[1]
    assert "HW-FB5 appears twice in the file (also row 2)" in problems[2]
    assert "3 problems were found, so nothing was imported" in refused.value.message
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(Category)).scalar_one() == 8  # the seeded ones only


def test_a_file_without_the_key_column_names_it(ctx):
    with pytest.raises(ImportRefused, match="no column is mapped to sku"):
        master_data.import_file(ctx, None, "products", xlsx_bytes(PRODUCT_ROWS), "商品资料.xlsx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(ctx, fmt):
    _import_all(ctx)
    for kind in ("products", "customers", "suppliers", "categories"):
        data = master_data.export_records(ctx, None, kind, fmt)
        result = master_data.import_file(ctx, None, kind, data, f"{kind}.{fmt}")
        with ctx.db.read() as s:
            model = {"products": Product, "customers": Customer, "suppliers": Supplier, "categories": Category}[kind]
            count = s.execute(select(func.count()).select_from(model)).scalar_one()
        assert (result.created, result.updated, result.unchanged) == (0, 0, count), kind


def test_a_saved_profile_reads_the_next_file_of_that_source(ctx):
    preview = master_data.preview_import(ctx, None, "products", xlsx_bytes(PRODUCT_ROWS), "商品资料.xlsx",
                                         mapping={"货品ID": "sku"})
    assert preview.mapping["货品ID"] == "sku" and preview.mapping["售价"] == "price"
    assert preview.problems == ("row 2: supplier 'SUP-HW' is not known; import the suppliers first",
                                "row 3: supplier '小米通讯技术有限公司' is not known; import the suppliers first",
                                "row 4: supplier 'SUP-MI' is not known; import the suppliers first")
    master_data.save_profile(ctx, None, "products", "ERP 商品", preview.mapping)
    master_data.import_file(ctx, None, "suppliers", csv_bytes(SUPPLIER_ROWS), "供应商.csv")
    checked = master_data.preview_import(ctx, None, "products", xlsx_bytes(PRODUCT_ROWS), "商品资料.xlsx",
                                         profile="ERP 商品")
    assert checked.problems == () and (checked.creates, checked.updates) == (4, 0)
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == 0  # a preview writes nothing
    with pytest.raises(Exception, match="no import profile 'POS'"):
        master_data.preview_import(ctx, None, "products", xlsx_bytes(PRODUCT_ROWS), "a.xlsx", profile="POS")


def test_the_edit_form_saves_through_the_same_checks_and_only_for_managers(ctx):
    _import_all(ctx)
    manager = auth.add_user(ctx, None, username="mia", display_name="Mia", role=Role.MANAGER, password="mia-secret-1")
    clerk = auth.add_user(ctx, None, username="cai", display_name="Cai", role=Role.CLERK, password="cai-secret-1")
    m = auth.sign_in(ctx, "mia", "mia-secret-1")
    c = auth.sign_in(ctx, "cai", "cai-secret-1")
    assert manager and clerk
    page = master_data.find_records(ctx, c, "products", "耳机")
    assert [p.sku for p in page.items] == ["HW-FB5"]
    assert [p.sku for p in master_data.find_records(ctx, c, "products", "6934177700028").items] == ["MI-RC3"]
    record = page.items[0]
    from dataclasses import replace

    with pytest.raises(PermissionDenied):
        master_data.save_record(ctx, c, replace(record, price_minor=89900))
    saved = master_data.save_record(ctx, m, replace(record, price_minor=89900, barcodes=("6941487233335",),
                                                    restocking_fee_class="exempt"))
    assert saved.price_minor == 89900 and saved.barcodes == ("6941487233335",)
    with pytest.raises(ValidationFailed, match="barcode 6934177700011 belongs to product MI-14"):
        master_data.save_record(ctx, m, replace(saved, barcodes=("6934177700011",)))
    with ctx.db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.entity == "product", AuditEvent.action == "updated")
                           ).scalars().all()
        assert [e.username for e in events] == ["mia"]
        assert json.loads(events[0].after_json) == {"price": 89900, "barcodes": ["6941487233335"],
                                                    "restocking_fee_class": "exempt"}
    pages = master_data.find_records(ctx, c, "products", limit=3)
    rest = master_data.find_records(ctx, c, "products", after=pages.next_cursor, limit=3)
    assert [p.sku for p in pages.items + rest.items] == ["GC-100", "HW-FB5", "MI-14", "MI-RC3"]
    assert rest.next_cursor is None


def test_on_a_fresh_database_the_command_line_imports_the_shop_then_a_return_is_refunded(tmp_path, capsys, clock):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    files = write_shop_files(tmp_path / "files")
    assert run(capsys, "db", "upgrade", "--url", url)[0] == 0

    code, out, err = run(capsys, "import", "suppliers", str(files["suppliers"]), "--url", url)
    assert code == 0, err
    assert "2 new" in out and "GB18030 (detected)" in out
    assert run(capsys, "import", "categories", str(files["categories"]), "--url", url)[0] == 0
    code, out, err = run(capsys, "import", "products", str(files["products"]), "--url", url)
    assert code == 1 and "no column is mapped to sku" in err
    code, out, err = run(capsys, "import", "products", str(files["products"]), "--url", url, "--map", "货品ID=sku",
                         "--check")
    assert code == 0, err
    assert "  条码 -> barcodes" in out and "would create 4" in out and "Nothing was imported (--check)" in out
    code, out, err = run(capsys, "import", "products", str(files["products"]), "--url", url, "--map", "货品ID=sku",
                         "--save-profile", "ERP")
    assert code == 0, err
    assert "4 new" in out and "Saved the columns as profile 'ERP'" in out
    code, out, err = run(capsys, "import", "products", str(files["products"]), "--url", url, "--profile", "ERP")
    assert code == 0 and "4 unchanged" in out, err
    assert run(capsys, "import", "customers", str(files["customers"]), "--url", url)[0] == 0
    code, out, err = run(capsys, "import", "orders", str(files["orders"]), "--url", url)
    assert code == 0, err
    assert "Imported 2 orders (4 lines" in out

    db = Database.open(url)
    ctx = ServiceContext(db=db, clock=clock, station="CTR-1")
    try:
        ensure_reference_data(ctx)
        auth.add_user(ctx, None, username="clerk", display_name="Clerk", role=Role.CLERK, password="clerk-secret-1",
                      approval_limit_minor=500_000)
        clerk = auth.sign_in(ctx, "clerk", "clerk-secret-1")
        sale = sales.get_sale(ctx, clerk, "SO-9001", channel=Channel.COUNTER)
        line = next(ln for ln in sale.lines if ln.sku == "MI-RC3")
        result = counter.counter_return(ctx, clerk, intake.ReturnDraft(
            order_no="SO-9001", channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
            lines=(intake.DraftLine(order_line_id=line.order_line_id, quantity=1, reason_code="changed_mind",
                                    conditions_met=CONDITIONS),)))
        assert result.refunded, result.message
        with ctx.db.read() as s:
            refund = s.execute(select(Refund)).scalar_one()
            assert (refund.amount_minor, refund.method) == (19900, "original_payment")
        # The stored-value card's category was imported as not returnable: the policy refuses it.
        card_sale = sales.get_sale(ctx, clerk, "SO-9002", channel=Channel.COUNTER)
        card = next(ln for ln in card_sale.lines if ln.sku == "GC-100")
        preview = intake.preview_return(ctx, clerk, intake.ReturnDraft(
            order_no="SO-9002", channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
            lines=(intake.DraftLine(order_line_id=card.order_line_id, quantity=1, reason_code="changed_mind",
                                    conditions_met=CONDITIONS),)))
        assert preview.lines[0].policy_status == "not_returnable"
    finally:
        db.dispose()

    out_file = tmp_path / "products-export.xlsx"
    code, _out, err = run(capsys, "export", "products", str(out_file), "--url", url)
    assert code == 0 and "Exported 4 rows of products" in err
    code, out, err = run(capsys, "import", "products", str(out_file), "--url", url)
    assert code == 0 and "0 new, 0 changed, 4 unchanged" in out, err


def test_every_barcode_finds_the_product_and_an_exempt_class_takes_no_restocking_fee(ctx):
    from returndesk.domain.scan import classify
    from returndesk.services.usecases.inspection import find_product_by_code
    from returndesk.store.schema import ReturnLine

    from .master_data_files import ORDER_ROWS

    _import_all(ctx)
    master_data.import_file(ctx, None, "orders", csv_bytes(ORDER_ROWS), "销售订单.csv")
    with ctx.db.read() as s:
        for code in ("6941487233335", "6941487233342"):
            assert find_product_by_code(s, classify(code)).sku == "HW-FB5"
    master_data.upsert_records(ctx, None, "products", [{"sku": "MI-RC3", "restocking_fee_class": "exempt"}])
    auth.add_user(ctx, None, username="cai", display_name="Cai", role=Role.SUPERVISOR, password="cai-secret-1",
                  approval_limit_minor=500_000)
    clerk = auth.sign_in(ctx, "cai", "cai-secret-1")
    sale = sales.get_sale(ctx, clerk, "SO-9001", channel=Channel.COUNTER)
    ids = {ln.sku: ln.order_line_id for ln in sale.lines}
    result = counter.counter_return(ctx, clerk, intake.ReturnDraft(
        order_no="SO-9001", channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=1, reason_code="changed_mind",
                                     conditions_met=CONDITIONS) for sku in ("HW-FB5", "MI-RC3"))), grade="B")
    assert result.completion is not None
    with ctx.db.read() as s:
        fees = dict(s.execute(select(Product.sku, ReturnLine.fee_minor)
                              .join(Product, Product.id == ReturnLine.product_id)).all())
    assert fees["MI-RC3"] == 0  # exempt
    assert fees["HW-FB5"] == 9990  # the policy's 10 % of 999.00


# One article in several sizes: the shop's file names the style (款号) and each product's variant (规格).
VARIANT_ROWS = [
    ["商品编码", "商品名称", "款号", "规格", "类别", "售价"],
    ["TS-001-S", "纯棉T恤 白色 S", "TEE26", "白色 S", "服装", "79.00"],
    ["TS-001-M", "纯棉T恤 白色 M", "TEE26", "白色 M", "服装", "79.00"],
    ["TS-001-L", "纯棉T恤 白色 L", "TEE26", "白色 L", "服装", "79.00"],
]


def test_the_guess_maps_style_and_variant_headers_not_the_sku():
    # A colour and a size column both go into the variant (joined "红色 / XL"), the SKU stays the SKU.
    assert guess_mapping("products", ["款号", "商品编码", "颜色", "尺码"]) == {
        "款号": "style_code", "商品编码": "sku", "颜色": "variant", "尺码": "variant"}
    # Fields that are not joined still go to the first column that names them.
    assert guess_mapping("products", ["售价", "零售价"]) == {"售价": "price", "零售价": ""}
    assert guess_mapping("products", ["Style No", "Size", "SKU"]) == {
        "Style No": "style_code", "Size": "variant", "SKU": "sku"}


# A Chinese shop's file (GB18030, as a Chinese Excel saves CSV) with a colour and a size column.
COLOUR_SIZE_ROWS = [
    ["商品编码", "商品名称", "款号", "颜色", "尺码", "类别", "售价"],
    ["TS-002-R-XL", "纯棉T恤 红色 XL", "TEE27", "红色", "XL", "服装", "89.00"],
    ["TS-002-R-M", "纯棉T恤 红色 M", "TEE27", "红色", "M", "服装", "89.00"],
    ["TS-002-U", "纯棉T恤 均码", "TEE27", "", "均码", "服装", "89.00"],
]


def test_a_colour_and_a_size_column_make_the_variant_together(ctx):
    data = csv_bytes(COLOUR_SIZE_ROWS, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GB18030, not UTF-8
    preview = master_data.preview_import(ctx, None, "products", data, "款式.csv")
    assert preview.read_as.startswith("GB18030")
    assert (preview.mapping["颜色"], preview.mapping["尺码"]) == ("variant", "variant")
    assert preview.joined == ("variant",) and not preview.problems and preview.creates == 3

    result = master_data.import_file(ctx, None, "products", data, "款式.csv")
    assert result.created == 3
    with ctx.db.read() as s:
        rows = [tuple(r) for r in s.execute(select(Product.sku, Product.style_code, Product.variant)
                                            .where(Product.style_code == "TEE27").order_by(Product.sku))]
    assert rows == [("TS-002-R-M", "TEE27", "红色 / M"), ("TS-002-R-XL", "TEE27", "红色 / XL"),
                    ("TS-002-U", "TEE27", "均码")]  # an empty colour leaves the size alone

    # A mapping chosen on screen may give the variant both columns too; another field may not.
    chosen = master_data.preview_import(ctx, None, "products", data, "款式.csv",
                                      mapping={"尺码": "variant", "颜色": "variant"})
    assert not chosen.problems and chosen.unchanged == 3
    with pytest.raises(ValidationFailed, match="price is mapped to more than one column"):
        master_data.preview_import(ctx, None, "products", data, "款式.csv", mapping={"售价": "price", "尺码": "price"})


@pytest.mark.both_databases("the style and variant columns written and read back per dialect")
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_products_carry_their_style_and_variant_through_import_and_export(ctx, fmt):
    result = master_data.import_file(ctx, None, "products", csv_bytes(VARIANT_ROWS), "款式.csv")
    assert result.created == 3
    with ctx.db.read() as s:
        rows = s.execute(select(Product.sku, Product.style_code, Product.variant).where(Product.style_code == "TEE26")
                         .order_by(Product.sku)).all()
    assert [tuple(r) for r in rows] == [("TS-001-L", "TEE26", "白色 L"), ("TS-001-M", "TEE26", "白色 M"),
                                        ("TS-001-S", "TEE26", "白色 S")]
    auth.add_user(ctx, None, username="mia", display_name="Mia", role=Role.MANAGER, password="mia-secret-1")
    manager = auth.sign_in(ctx, "mia", "mia-secret-1")
    record = master_data.get_record(ctx, manager, "products", "TS-001-M")
    assert (record.style_code, record.variant) == ("TEE26", "白色 M")
    assert [p.sku for p in master_data.find_records(ctx, manager, "products", "tee26").items] == [
        "TS-001-L", "TS-001-M", "TS-001-S"]  # the style finds its variants
    # The edit form saves them too; an emptied variant is cleared.
    saved = master_data.save_record(ctx, manager, replace(record, variant="米白 M"))
    assert (saved.style_code, saved.variant) == ("TEE26", "米白 M")
    master_data.save_record(ctx, manager, replace(record, variant="白色 M"))

    exported = master_data.export_records(ctx, None, "products", fmt)
    if fmt == "json":
        [row] = [r for r in json.loads(exported)["products"] if r["sku"] == "TS-001-S"]
        assert (row["style_code"], row["variant"]) == ("TEE26", "白色 S")
    again = master_data.import_file(ctx, None, "products", exported, f"products.{fmt}")
    assert (again.created, again.updated) == (0, 0)

    # A changed variant is an audited update; an emptied cell keeps the stored value like every field.
    changed = [list(r) for r in VARIANT_ROWS]
    changed[3][3] = "黑色 L"
    third = master_data.import_file(ctx, None, "products", csv_bytes(changed), "款式.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    with ctx.db.read() as s:
        after = s.execute(select(AuditEvent.after_json).where(
            AuditEvent.entity == "product", AuditEvent.action == "updated", AuditEvent.entity_id == "TS-001-L")
        ).scalar_one()
    assert json.loads(after) == {"variant": "黑色 L"}


def test_a_too_long_variant_is_refused_with_its_row(ctx):
    rows = [list(r) for r in VARIANT_ROWS]
    rows[2][3] = "M" * 61
    with pytest.raises(ImportRefused) as refused:
        master_data.import_file(ctx, None, "products", csv_bytes(rows), "款式.csv")
    assert any(p.startswith("row 3: variant") and "at most 60" in p for p in refused.value.problems)
