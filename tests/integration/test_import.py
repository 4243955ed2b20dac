"""Importing sales orders from CSV and JSON: good files land whole, bad files are refused whole
with every bad row named, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.services.tx import audit
from returndesk.services.usecases import sales
from returndesk.services.usecases.importing import COLUMNS, ImportRefused, import_orders, read_orders
from returndesk.store.schema import AuditEvent, Customer, SalesOrder, SalesOrderLine, StockMovement

from .factories import build_world, make_order

pytestmark = pytest.mark.both_databases("imported times stored per dialect (aware on PostgreSQL, naive on SQLite)")

HEADER = list(COLUMNS)


def _row(**values: str) -> dict[str, str]:
    base = {c: "" for c in HEADER}
    base.update(values)
    return base


def good_rows() -> list[dict[str, str]]:
    """Two orders (three lines) for known and new customers, and a walk-in store sale."""
    return [
        _row(order_no="SO-5001", channel="online", customer_code="C-1", sold_at="2026-11-10 14:30",
             delivered_at="2026-11-12T10:00:00+08:00", payment_method="alipay", shipping="10.00",
             line_no="1", sku="EL-1001", quantity="1", unit_price="399.00", discount="20.00", tax="43.60",
             paid="379.00", serials="SN-A1"),
        _row(order_no="SO-5001", channel="online", customer_code="C-1", sold_at="2026-11-10 14:30",
             delivered_at="2026-11-12T10:00:00+08:00", payment_method="alipay", shipping="10.00",
             line_no="2", sku="AP-2001", quantity="2", unit_price="79.00", discount="0", tax="18.18",
             paid="158.00"),
        _row(order_no="so 5002", channel="phone", customer_code="C-NEW-7", customer_name="周杰",
             customer_phone="139 0000 1234", customer_email="zhou@example.cn", sold_at="2026-11-11",
             delivered_at="2026-11-14", payment_method="cod", currency="CNY", shipping="15", line_no="1",
             sku="SH-3001", quantity="1", unit_price="599.00", tax="68.91", paid="599.00"),
        _row(order_no="SO-5003", channel="store", sold_at="2026-11-20 09:15:00Z", payment_method="cash",
             site="SH01", line_no="1", sku="HM-4001", quantity="3", unit_price="49.00", discount="7.00",
             tax="16.10", paid="140.00"),
    ]


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header or HEADER, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _counts(ctx) -> tuple[int, int, int, int, int]:
    with ctx.db.read() as s:
        return (
            s.execute(select(func.count()).select_from(SalesOrder)).scalar_one(),
            s.execute(select(func.count()).select_from(SalesOrderLine)).scalar_one(),
            s.execute(select(func.count()).select_from(Customer)).scalar_one(),
            s.execute(select(func.count()).select_from(StockMovement)).scalar_one(),
            s.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
        )


def test_good_csv_lands_whole(ctx, tmp_path):
    world = build_world(ctx)
    before = _counts(ctx)
    result = import_orders(ctx, world.admin, write_csv(tmp_path / "shop.csv", good_rows()))
    assert (result.orders, result.lines, result.units) == (3, 4, 7)
    assert result.customers_created == 1
    # 379 + 158 + 10 shipping; 599 + 15; 140.
    assert result.total_paid_minor == 54700 + 61400 + 14000
    assert (result.first_order_no, result.last_order_no) == ("SO-5001", "SO-5003")
    after = _counts(ctx)
    assert after[0] - before[0] == 3 and after[1] - before[1] == 4 and after[2] - before[2] == 1
    assert after[3] == before[3], "imported sales were booked out of stock by the ERP, not here"
    assert after[4] == before[4] + 1
    with ctx.db.read() as s:
        order = s.execute(select(SalesOrder).where(SalesOrder.order_no == "SO-5001")).scalar_one()
        assert order.customer_id == world.customer_id  # the existing customer C-1
        assert order.total_paid_minor == 54700 and order.shipping_minor == 1000
        assert order.payment_method == "alipay"
        lines = s.execute(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)
                          .order_by(SalesOrderLine.line_no)).scalars().all()
        assert [(ln.quantity, ln.unit_price_minor, ln.discount_minor, ln.tax_minor, ln.paid_minor) for ln in lines] == [
            (1, 39900, 2000, 4360, 37900), (2, 7900, 0, 1818, 15800)]
        assert lines[0].serial_numbers == "SN-A1" and lines[1].serial_numbers is None
        # 10:00 at +08:00 is 02:00 UTC.
        delivered = order.delivered_at.replace(tzinfo=None)
        assert (delivered.hour, delivered.day) == (2, 12)
        phone_order = s.execute(select(SalesOrder).where(SalesOrder.order_no == "SO-5002")).scalar_one()
        customer = s.get(Customer, phone_order.customer_id)
        assert (customer.code, customer.name, customer.phone) == ("C-NEW-7", "周杰", "13900001234")
        walk_in = s.execute(select(SalesOrder).where(SalesOrder.order_no == "SO-5003")).scalar_one()
        assert walk_in.customer_id is None and walk_in.delivered_at == walk_in.sold_at
        event = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert (event.entity, event.action) == ("sales_import", "imported")
        assert json.loads(event.after_json)["orders"] == 3
    assert audit.verify_chain(ctx).ok
    # The counter finds the imported sale and may return its lines.
    sale = sales.get_sale(ctx, world.clerk, "SO-5002")
    assert [line.qty_returnable for line in sale.lines] == [1]


def test_good_json_lands_whole(ctx, tmp_path):
    world = build_world(ctx)
    data = {"orders": [
        {"order_no": "SO-6001", "channel": "online",
         "customer": {"name": "Anna Becker", "phone": "+44 7700 900123", "email": "anna@example.com"},
         "sold_at": "2026-11-01T10:00:00+08:00", "delivered_at": "2026-11-03T10:00:00+08:00",
         "payment_method": "card", "shipping": 10.5,
         "lines": [
             {"line_no": 1, "sku": "EL-1002", "quantity": 2, "unit_price": "149.00", "discount": "9.00",
              "tax": "33.24", "paid": "289.00"},
             {"line_no": 2, "sku": "EL-1001", "quantity": 2, "unit_price": 399, "paid": 798.00,
              "serials": ["SN-1", "SN-2"]},
         ]},
        {"order_no": "SO-6002", "channel": "online", "customer_name": "Anna Becker",
         "customer_phone": "+44 7700 900123", "sold_at": "2026-11-05", "payment_method": "wechat_pay",
         "lines": [{"line_no": 1, "sku": "HM-4001", "quantity": 1, "unit_price": "49.00", "paid": "49.00"}]},
    ]}
    path = tmp_path / "erp.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = import_orders(ctx, world.admin, path)
    assert (result.orders, result.lines, result.units) == (2, 3, 5)
    assert result.customers_created == 1, "the same name and phone is one new customer"
    assert result.total_paid_minor == 28900 + 79800 + 1050 + 4900
    with ctx.db.read() as s:
        orders = s.execute(select(SalesOrder).where(SalesOrder.order_no.in_(["SO-6001", "SO-6002"]))
                           .order_by(SalesOrder.order_no)).scalars().all()
        assert orders[0].customer_id == orders[1].customer_id is not None
        customer = s.get(Customer, orders[0].customer_id)
        assert customer.code.startswith("C-") and customer.name == "Anna Becker"
        serials = s.execute(select(SalesOrderLine.serial_numbers).where(
            SalesOrderLine.order_id == orders[0].id, SalesOrderLine.line_no == 2)).scalar_one()
        assert serials == "SN-1,SN-2"


def test_bad_csv_is_refused_whole_with_every_bad_row(ctx, tmp_path):
    world = build_world(ctx)
    existing = make_order(world, [("EL-1001", 1)])
    rows = good_rows()  # rows 2-5 are good
    rows += [
        _row(order_no="SO-7001", channel="online", customer_code="C-1", sold_at="2026-11-10",
             payment_method="card", line_no="1", sku="NO-SUCH", quantity="1", unit_price="10.00",
             paid="10.00"),                                                      # row 6: unknown SKU
        _row(order_no="SO-7002", channel="online", customer_code="C-1", sold_at="10/11/2026 tea time",
             payment_method="card", line_no="1", sku="EL-1002", quantity="1", unit_price="149.00",
             paid="149.00"),                                                     # row 7: bad date
        _row(order_no="SO-7003", channel="online", customer_code="C-1", sold_at="2026-11-10",
             payment_method="card", line_no="1", sku="EL-1002", quantity="-2", unit_price="149.00",
             paid="-298.00"),                                                    # row 8: negative quantity
        _row(order_no="SO-7004", channel="online", customer_code="C-1", sold_at="2026-11-10",
             payment_method="card", line_no="1", sku="EL-1002", quantity="2", unit_price="149.00",
             discount="10.00", paid="298.00"),                                   # row 9: paid != unit*qty-discount
        _row(order_no=existing, channel="online", customer_code="C-1", sold_at="2026-11-10",
             payment_method="card", line_no="1", sku="EL-1002", quantity="1", unit_price="149.00",
             paid="149.00"),                                                     # row 10: already imported
        _row(order_no="SO-7005", channel="drone", customer_code="C-1", sold_at="2099-01-01",
             payment_method="card", line_no="1", sku="EL-1002", quantity="1", unit_price="1.999",
             paid="1.999"),                                                      # row 11: channel, future, decimals
        _row(order_no="SO-5001", channel="online", customer_code="C-1", sold_at="2026-11-10 14:30",
             delivered_at="2026-11-12T10:00:00+08:00", payment_method="alipay", shipping="10.00",
             line_no="1", sku="HM-4001", quantity="1", unit_price="49.00", paid="49.00"),  # row 12: line_no twice
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = _counts(ctx)
    with pytest.raises(ImportRefused) as caught:
        import_orders(ctx, world.admin, path)
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "nothing was imported" in caught.value.message
    for row, words in [(6, "unknown SKU 'NO-SUCH'"), (7, "sold_at"), (8, "quantity -2 is negative"),
                       (9, "paid 298.00 is not unit_price × quantity − discount"),
                       (10, f"order {existing} is already in the database"), (11, "channel 'drone'"),
                       (11, "in the future"), (11, "more than two decimals"), (12, "line_no 1 of order SO-5001")]:
        assert any(p.startswith(f"row {row}:") and words in p for p in problems), (row, words, text)
    assert not any(p.startswith(("row 2:", "row 3:", "row 4:", "row 5:")) for p in problems), text
    assert _counts(ctx) == before, "a refused file writes nothing"


def test_bad_json_names_orders_and_lines(ctx, tmp_path):
    world = build_world(ctx)
    data = [
        {"order_no": "SO-8001", "channel": "online", "customer": {"code": "C-1"}, "sold_at": "2026-11-01",
         "payment_method": "card", "lines": [
             {"line_no": 1, "sku": "EL-1002", "quantity": 1, "unit_price": "149.00", "paid": "149.00"},
             {"line_no": 2, "sku": "EL-1002", "quantity": 0, "unit_price": "149.00", "paid": "0"}]},
        {"order_no": "SO-8002", "channel": "online", "customer": {"code": "C-1"}, "sold_at": "someday",
         "payment_method": "card", "lines": []},
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _counts(ctx)
    with pytest.raises(ImportRefused) as caught:
        import_orders(ctx, world.admin, path)
    problems = caught.value.problems
    assert any(p.startswith("order 1 (SO-8001), line 2:") and "quantity 0" in p for p in problems), problems
    assert any(p.startswith("order 2 (SO-8002):") and "sold_at" in p for p in problems), problems
    assert any(p.startswith("order 2 (SO-8002):") and "no lines" in p for p in problems), problems
    assert _counts(ctx) == before


def test_file_level_problems(ctx, tmp_path):
    world = build_world(ctx)
    missing = write_csv(tmp_path / "cols.csv", good_rows(), header=[c for c in HEADER if c != "paid"])
    with pytest.raises(ImportRefused, match="lacks the column"):
        import_orders(ctx, world.admin, missing)
    with pytest.raises(ValidationFailed, match="does not exist"):
        import_orders(ctx, world.admin, tmp_path / "nowhere.csv")
    (tmp_path / "orders.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="format"):
        import_orders(ctx, world.admin, tmp_path / "orders.txt")
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes("order_no,channel\nSO-1,门店\n".encode("gb18030"))
    with pytest.raises(ValidationFailed, match="gb18030"):
        import_orders(ctx, world.admin, gbk, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        import_orders(ctx, world.inspector, write_csv(tmp_path / "ok.csv", good_rows()))


def test_gb18030_file_with_encoding(ctx, tmp_path):
    world = build_world(ctx)
    rows = good_rows()
    path = tmp_path / "excel.csv"
    with open(path, "w", encoding="gb18030", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    assert import_orders(ctx, world.admin, path, encoding="gb18030").orders == 3
    with ctx.db.read() as s:
        assert s.execute(select(Customer.name).where(Customer.code == "C-NEW-7")).scalar_one() == "周杰"


# --------------------------------------------------------------------------- validation as a property

DEFECTS = {
    "unknown_sku": {"sku": "ZZ-0000"},
    "bad_date": {"sold_at": "31/31/2026"},
    "negative_quantity": {"quantity": "-1"},
    "paid_mismatch": {"paid": "1.00"},
    "negative_price": {"unit_price": "-5.00"},
    "bad_channel": {"channel": "fax"},
    "bad_payment": {"payment_method": "barter"},
    "tax_above_paid": {"tax": "9999.00"},
}


def _clean_row(i: int) -> dict[str, str]:
    return _row(order_no=f"SO-{9000 + i}", channel="online", customer_code="C-1", sold_at="2026-11-01",
                payment_method="card", line_no="1", sku="EL-1002", quantity="1", unit_price="149.00",
                tax="17.14", paid="149.00")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([None, *DEFECTS]), min_size=1, max_size=12))
def test_every_defective_row_is_reported_and_no_clean_row(defects):
    """Parsing alone (no database): the rows named are exactly the defective ones."""
    rows = []
    for i, defect in enumerate(defects):
        row = _clean_row(i)
        if defect is not None:
            row.update(DEFECTS[defect])
        rows.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "p.csv", rows)
        orders, _ignored, problems = read_orders(path, now=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    named = {int(p.split(":")[0].split()[1]) for p in problems}
    # Unknown SKUs are found against the catalogue, not by parsing.
    expected = {i + 2 for i, d in enumerate(defects) if d not in (None, "unknown_sku")}
    assert named == expected
    assert len(orders) == sum(1 for d in defects if d in (None, "unknown_sku"))


# --------------------------------------------------------------------------- files as shops and Excel write them


def xlsx_file(path: Path, rows: list[dict[str, object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append([values.get(c) or None for c in HEADER])
    book.save(path)
    return path


def test_an_excel_workbook_lands_with_its_dates(ctx, tmp_path):
    world = build_world(ctx)
    rows: list[dict[str, object]] = [dict(r) for r in good_rows()]
    rows[0].update(sold_at=datetime(2026, 1, 5, 14, 30), delivered_at="2026/1/7 9:05", quantity=1, line_no=1)
    rows[1].update(sold_at=datetime(2026, 1, 5, 14, 30), delivered_at="2026/1/7 9:05", quantity=2.0, line_no=2)
    rows[2].update(sold_at=46027.5, delivered_at="2026-1-9", customer_phone=13900001234)
    rows[3].update(sold_at="2026/1/5 8:00:30", unit_price=49, discount=7, paid=140)
    result = import_orders(ctx, world.admin, xlsx_file(tmp_path / "orders.xlsx", rows))
    assert (result.orders, result.lines, result.units) == (3, 4, 7)
    assert result.read_as == "Excel workbook, sheet 'Sheet'"
    with ctx.db.read() as s:
        stored = {no: (sold.replace(tzinfo=None), delivered.replace(tzinfo=None)) for no, sold, delivered in s.execute(
            select(SalesOrder.order_no, SalesOrder.sold_at, SalesOrder.delivered_at))}
        phone = s.execute(select(Customer.phone).where(Customer.code == "C-NEW-7")).scalar_one()
    assert stored == {
        "SO-5001": (datetime(2026, 1, 5, 14, 30), datetime(2026, 1, 7, 9, 5)),
        "SO-5002": (datetime(2026, 1, 5, 12, 0), datetime(2026, 1, 9)),
        "SO-5003": (datetime(2026, 1, 5, 8, 0, 30), datetime(2026, 1, 5, 8, 0, 30)),
    }
    assert phone == "13900001234"


def test_gb18030_is_detected_without_encoding(ctx, tmp_path):
    world = build_world(ctx)
    path = tmp_path / "excel.csv"
    with open(path, "w", encoding="gb18030", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(good_rows())
    result = import_orders(ctx, world.admin, path)
    assert (result.orders, result.read_as) == (3, "GB18030 (detected)")
    with ctx.db.read() as s:
        assert s.execute(select(Customer.name).where(Customer.code == "C-NEW-7")).scalar_one() == "周杰"


def _json_file(path: Path, orders: object) -> Path:
    path.write_text(json.dumps(orders, ensure_ascii=False), encoding="utf-8")
    return path


def _json_order(number: str) -> dict[str, object]:
    return {"order_no": number, "channel": "online", "customer": {"code": "C-1"}, "sold_at": "2026-11-01",
            "payment_method": "card", "lines": [{"line_no": 1, "sku": "EL-1002", "quantity": 1,
                                                  "unit_price": "149.00", "paid": "149.00"}]}


def _bad_row(**values: str) -> list[dict[str, str]]:
    """The good rows (2-5) and a sixth with ``values``."""
    return good_rows() + [_row(**{**dict(order_no="SO-7001", channel="online", customer_code="C-1",
                                         sold_at="2026-11-10", payment_method="card", line_no="1", sku="EL-1002",
                                         quantity="1", unit_price="149.00", paid="149.00"), **values})]


def _with_blank_lines(path: Path) -> Path:
    """The good rows (2-5), two blank lines (6-7), and a bad row on line 8."""
    text = write_csv(path, good_rows()).read_text(encoding="utf-8")
    path.write_text(text + "\n\nSO-7001,online,C-1,,,,,2026-11-10,,card,,,,1,EL-1002,x,1.00,,,1.00,\n",
                    encoding="utf-8")
    return path


HOSTILE = {
    # name: (writer of the file, "where: words" that must be among the problems)
    "same_order_twice_json": (
        lambda p: _json_file(p / "o.json", [_json_order("SO-1"), _json_order("SO-1")]),
        "order 2 (SO-1): order SO-1 appears twice in the file",
    ),
    "same_order_twice_other_spelling_json": (
        lambda p: _json_file(p / "o.json", [_json_order("SO-7771"), _json_order("so 7771")]),
        "order 2 (so 7771): order SO-7771 appears twice",
    ),
    "amount_beyond_column": (
        lambda p: write_csv(p / "a.csv", _bad_row(unit_price="1" + "0" * 18, paid="1" + "0" * 18)),
        "row 6: unit_price 1000000000000000000 is more than ReturnDesk can store",
    ),
    "quantity_beyond_column": (
        lambda p: write_csv(p / "q.csv", _bad_row(quantity="3000000000", paid="447000000000.00")),
        "row 6: quantity 3000000000 is more than ReturnDesk can store",
    ),
    "email_longer_than_column": (
        lambda p: write_csv(p / "e.csv", _bad_row(customer_email="x" * 170 + "@example.cn")),
        "row 6: customer_email 'xxxxxxxx",
    ),
    "name_longer_than_column": (
        lambda p: write_csv(p / "n.csv", _bad_row(customer_code="", customer_name="李" * 121)),
        "row 6: customer_name '李李",
    ),
    "nul_in_text": (
        lambda p: _json_file(p / "z.json", [{**_json_order("SO-2"), "site": "SH\u0000"}]),
        "order 1 (SO-2): site contains the control character U+0000",
    ),
    "blank_lines_count": (lambda p: _with_blank_lines(p / "b.csv"), "row 8: quantity 'x' is not a whole number"),
}


def test_hostile_files_are_refused_whole_with_numbered_rows(ctx, tmp_path):
    """On SQLite as on PostgreSQL: refused before writing, so nothing lands and nothing crashes."""
    world = build_world(ctx)
    before = _counts(ctx)
    for case, (make_file, expected) in HOSTILE.items():
        folder = tmp_path / case
        folder.mkdir()
        with pytest.raises(ImportRefused) as caught:
            import_orders(ctx, world.admin, make_file(folder))
        where, words = expected.split(": ", 1)
        assert any(p.startswith(f"{where}: ") and words in p for p in caught.value.problems), (
            case,
            caught.value.problems,
        )
        assert "nothing was imported" in caught.value.message, case
        assert _counts(ctx) == before, case


def test_unreadable_files_are_refused_with_a_sentence(ctx, tmp_path):
    world = build_world(ctx)
    before = _counts(ctx)
    for data, name, options, words in [
        (b"\n", "empty.json", {}, "is empty"),
        (b"order_no,channel\nSO-1,\xff\xfe\n", "bad.csv", {}, "neither UTF-8 nor GB18030"),
        (("[" * 100000 + "]" * 100000).encode(), "deep.json", {}, "nested too deeply"),
        ("order_no,customer_name\nSO-1,李伟\n".encode(), "mojibake.csv", {"encoding": "gbk"},
         "'李伟' would be stored as '鏉庝紵'"),
    ]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ImportRefused, match=words):
            import_orders(ctx, world.admin, tmp_path / name, **options)
        assert _counts(ctx) == before, name


def test_a_new_customer_code_in_the_file_is_not_given_again_to_a_customer_without_code(ctx, tmp_path):
    """The file names new customers C-000001.. itself; customers it gives only by name get codes from
    the sequence, which must pass over those (and over codes already in the database)."""
    world = build_world(ctx)
    with ctx.db.write() as s:
        s.add(Customer(code="C-000002", name="Earlier import", created_at=ctx.now()))
    rows = [_row(order_no=f"SO-{8100 + i}", channel="phone", sold_at="2026-11-01", payment_method="cod",
                 line_no="1", sku="EL-1002", quantity="1", unit_price="149.00", paid="149.00", **customer)
            for i, customer in enumerate([{"customer_code": "C-000001", "customer_name": "王芳"},
                                          {"customer_name": "张敏"}, {"customer_name": "李娜"}])]
    result = import_orders(ctx, world.admin, write_csv(tmp_path / "codes.csv", rows))
    assert result.customers_created == 3
    with ctx.db.read() as s:
        codes = dict(s.execute(select(Customer.name, Customer.code).where(
            Customer.name.in_(["王芳", "张敏", "李娜"]))).all())
    assert codes["王芳"] == "C-000001"
    assert len(set(codes.values())) == 3 and not {codes["张敏"], codes["李娜"]} & {"C-000001", "C-000002"}
