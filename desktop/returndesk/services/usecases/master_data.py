"""The shop's own master data: products, customers, suppliers and categories — imported from
files, pushed by other systems, edited on screen, exported.

Every way in goes through the same checks and the same upsert keyed by code (the SKU of a
product, the code of a customer, supplier or category): a record whose code is new is created, one
that exists is updated with the values given, and one whose values are all the same is left alone,
so importing a file twice changes nothing the second time. An empty cell (a key left out of a JSON
record) leaves the value as it is; a new record gets the default. A file or a push with any bad
record is refused whole, with every problem and its row number, before anything is written.

Files: CSV (UTF-8 with or without byte-order mark, or GB18030: the rules of order import,
:mod:`~returndesk.services.usecases.import_files`), Excel workbooks (.xlsx, first sheet) and JSON
(``{"products": [...]}`` or a list). The headers may be the exporting system's own, in any order:
:mod:`~returndesk.services.usecases.column_mapping` guesses each column's field, a saved profile
or a mapping chosen on screen says it for sure.

========  ======================================================================================
products  sku, name_en, name_zh, barcodes (several, separated by ; or ,), category (code or name;
          a new one is created), supplier (code or name), price, cost, tax_rate (13 or 13%),
          returnable, serial_tracked (yes/no, 是/否, 1/0), restocking_fee_class (standard, exempt),
          style_code (the article the product is a variant of: 款号), variant (its size or colour),
          supplier_sku (the supplier's own code for the product, printed on claims' packing lists)
customers code, name, phone, email, address
suppliers code, name, address (where returns to the vendor go), contact, phone, email,
          rtv_terms (credit_at_cost, cost_minus_fee, replacement), handling_fee, min_claim
categories code, name_en, name_zh, return_window_days (empty or "default": the policy's
          window), returnable
========  ======================================================================================
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from returndesk.domain.codes import clean_text, normalize_phone, normalize_sku
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.services.tx import audit
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.views import Page
from returndesk.services.usecases import column_mapping, import_jobs, importing
from returndesk.services.usecases.column_mapping import (
    KINDS,
    field_names,
    required_fields,
    resolve_mapping,
)
from returndesk.services.usecases.import_files import (
    ImportRefused as ImportRefused,
    Record,
    bad_characters,
    csv_records,
    decode_text,
    echo,
    load_json,
    xlsx_records,
)
from returndesk.store.schema import (
    Category,
    Customer,
    ImportProfile,
    Product,
    ProductBarcode,
    Supplier,
)
from returndesk.domain.messages import join, msg, os_detail, os_reason, with_detail

MASTER_KINDS = ("products", "customers", "suppliers", "categories")
#: The kinds of master data as words in sentences (many, one).
_KIND_NOUNS = {"products": (msg("products"), msg("product")), "customers": (msg("customers"), msg("customer")),
               "suppliers": (msg("suppliers"), msg("supplier")), "categories": (msg("categories"), msg("category"))}
RTV_TERMS = ("credit_at_cost", "cost_minus_fee", "replacement")
FEE_CLASSES = ("standard", "exempt")
#: Rows shown in a preview.
SAMPLE_ROWS = 20
MAX_PROBLEMS = importing.MAX_PROBLEMS
_CHUNK = 500
_MAX_WINDOW = 3650

_LIMITS = {
    ("products", "sku"): 40, ("products", "name_en"): 160, ("products", "name_zh"): 160,
    ("products", "style_code"): 40, ("products", "variant"): 60,
    ("customers", "code"): 32, ("customers", "name"): 120, ("customers", "phone"): 32, ("customers", "email"): 160,
    ("suppliers", "code"): 32, ("suppliers", "name"): 120, ("suppliers", "contact"): 160,
    ("suppliers", "phone"): 32, ("suppliers", "email"): 160,
    ("categories", "code"): 32, ("categories", "name_en"): 80, ("categories", "name_zh"): 80,
}
_TRUE = {"yes", "y", "true", "t", "1", "是", "可", "可以", "允许", "可退", "√", "✓", "x", "on"}
_FALSE = {"no", "n", "false", "f", "0", "否", "不", "不可", "不可以", "不允许", "不可退", "×", "✗", "off", ""}
_FEE_WORDS = {"standard": "standard", "标准": "standard", "normal": "standard", "exempt": "exempt", "none": "exempt",
              "免": "exempt", "免收": "exempt", "不收": "exempt", "无": "exempt"}
_TERM_WORDS = {
    "credit_at_cost": "credit_at_cost", "credit": "credit_at_cost", "cost": "credit_at_cost",
    "按成本退款": "credit_at_cost", "成本价退款": "credit_at_cost", "按成本": "credit_at_cost",
    "cost_minus_fee": "cost_minus_fee", "cost_minus_handling_fee": "cost_minus_fee",
    "成本减手续费": "cost_minus_fee", "扣手续费": "cost_minus_fee", "扣除手续费": "cost_minus_fee",
    "replacement": "replacement", "replace": "replacement", "换货": "replacement", "更换": "replacement",
}
_DEFAULT_WINDOW = {"default", "默认", "-", "—", "policy"}
_SPLIT = re.compile(r"[;,，；|/\s]+")
_MONEY_SIGNS = re.compile(r"[¥￥$,，\s]|RMB|CNY|元", re.IGNORECASE)


# --------------------------------------------------------------------------- values crossing the API


@dataclass(frozen=True)
class ImportPreview:
    """A file read with a mapping, checked whole against the database, nothing written.

    ``mapping`` gives each header its field ("" for a column not imported); ``sample`` the first
    rows as text (``sample_rows`` their row numbers); ``problems`` every bad row, numbered; a
    file without problems would create ``creates``, update ``updates`` and leave ``unchanged``.
    """

    kind: str
    file_name: str
    read_as: str
    headers: tuple[str, ...]
    mapping: dict[str, str]
    fields: tuple[str, ...]
    required: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    sample_rows: tuple[int, ...]
    rows: int
    problems: tuple[str, ...]
    creates: int
    updates: int
    unchanged: int
    profile: str | None = None
    #: The fields that may take several columns, their values joined ("红色 / XL": a product's variant).
    joined: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileImportResult:
    """What an import wrote (``orders`` is the detail of an order import)."""

    kind: str
    file_name: str
    read_as: str
    rows: int
    created: int
    updated: int
    unchanged: int
    categories_created: int = 0
    ignored_columns: tuple[str, ...] = ()
    orders: importing.ImportResult | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # header -> field, as imported


@dataclass(frozen=True)
class ImportProfileView:
    kind: str
    name: str
    mapping: dict[str, str]
    updated_at: datetime
    updated_by: str | None


@dataclass(frozen=True)
class ProductRecord:
    """A product as the screens show and edit it (amounts in minor units, tax in basis points)."""

    sku: str
    name_en: str
    name_zh: str | None
    barcodes: tuple[str, ...]
    category: str
    supplier: str | None  # supplier code
    price_minor: int
    cost_minor: int = 0
    tax_rate_bp: int = 1300
    returnable: bool = True
    serial_tracked: bool = False
    restocking_fee_class: str = "standard"
    category_name_en: str = ""
    category_name_zh: str = ""
    supplier_name: str | None = None
    # The article this product is one variant of (款号), and which variant ("42", "Blue / M"):
    # an exchange offers the article's other variants first.
    style_code: str | None = None
    variant: str | None = None
    supplier_sku: str | None = None  # the supplier's own code for the product


@dataclass(frozen=True)
class CustomerRecord:
    code: str
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class SupplierRecord:
    code: str
    name: str
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    rtv_terms: str = "credit_at_cost"
    handling_fee_minor: int = 0
    min_claim_minor: int = 0


@dataclass(frozen=True)
class CategoryRecord:
    code: str
    name_en: str
    name_zh: str
    return_window_days: int | None = None
    returnable: bool = True


MasterRecord = ProductRecord | CustomerRecord | SupplierRecord | CategoryRecord
_MODELS: dict[str, Any] = {"products": Product, "customers": Customer, "suppliers": Supplier, "categories": Category}


# --------------------------------------------------------------------------- reading a file into a table


@dataclass
class _Table:
    headers: list[str]
    records: list[Record]
    read_as: str
    where: str  # "row" or "item"
    problems: list[str] = field(default_factory=list)


def kind_noun(kind: str, *, one: bool = False) -> str:
    """``kind`` (products, customers...) as a word of a sentence (``one``: a product, a customer...)."""
    nouns = _KIND_NOUNS.get(kind)
    return kind if nouns is None else nouns[1 if one else 0]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(_cell_text(v) for v in value)
    return str(value).strip()


def file_kind(name: str, fmt: str | None) -> str:
    return importing._kind(name, fmt)


def read_table(kind: str, data: bytes, name: str, *, fmt: str | None = None, encoding: str | None = None) -> _Table:
    """The file's header and rows (JSON: the keys of its records, in the order first seen)."""
    column_mapping.fields_of(kind)
    ftype = file_kind(name, fmt)
    if not data.strip():
        raise ImportRefused(msg("{name} is empty; nothing was imported.", name=name),
                            [msg("{name}: the file is empty", name=name)])
    if ftype == "xlsx":
        sheet = xlsx_records(data, name)
        return _header_table(sheet.records, f"Excel workbook, sheet '{echo(sheet.title)}'")
    decoded = decode_text(data, name, encoding)
    if ftype == "csv":
        return _header_table(list(csv_records(decoded.text)), decoded.encoding)
    loaded = load_json(decoded.text)
    if isinstance(loaded, dict):
        loaded = loaded.get(kind)
    if not isinstance(loaded, list):
        message = msg("The JSON file must hold {{\"{kind}\": [...]}} or a list of {kind}.", kind=kind)
        raise ImportRefused(message, [message])
    headers: list[str] = []
    for item in loaded:
        if isinstance(item, dict):
            headers.extend(str(k) for k in item if str(k) not in headers)
    table = _Table(headers, [], decoded.encoding, "item")
    for i, item in enumerate(loaded, start=1):
        if not isinstance(item, dict):
            table.problems.append(msg("item {i}: is not an object", i=i))
            continue
        if any(isinstance(v, dict) for v in item.values()):
            table.problems.append(msg("item {i}: holds an object where a text or a number belongs", i=i))
            continue
        keyed = {str(k): v for k, v in item.items()}
        table.records.append(Record(i, [keyed.get(h) for h in headers]))
    return table


def _header_table(records: list[Record], read_as: str) -> _Table:
    rows = iter(records)
    first = next((r for r in rows if any(_cell_text(c) for c in r.cells)), None)
    if first is None:
        raise ImportRefused(msg("The file is empty: it has no header row."), [msg("row 1: no header row")])
    headers = [_cell_text(h) for h in first.cells]
    while headers and not headers[-1]:
        headers.pop()
    named = [h for h in headers if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:
        message = msg("The header row names {d} more than once.", d=', '.join(echo(d) for d in twice))
        raise ImportRefused(message, [msg("row {row}: {message}", row=first.row, message=message)])
    table = _Table(headers, [], read_as, "row")
    for record in rows:
        if not any(_cell_text(c) for c in record.cells):
            continue
        if len(record.cells) > len(headers) and any(_cell_text(c) for c in record.cells[len(headers):]):
            last = max(i for i, c in enumerate(record.cells) if _cell_text(c))
            table.problems.append(msg(
                "row {row}: has {last} cells, the header has {headers_count}",
                row=record.row, last=last + 1, headers_count=len(headers)))
            continue
        table.records.append(record)
    return table


# --------------------------------------------------------------------------- parsing values


def _bool(raw: Any, name: str, errs: list[str]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = _cell_text(raw).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errs.append(msg("{name} '{raw}' is not yes or no (write yes/no, 是/否 or 1/0)", name=name, raw=echo(raw)))
    return None


def _money(raw: Any, name: str, errs: list[str]) -> int | None:
    number = isinstance(raw, int | Decimal) and not isinstance(raw, bool)
    text = raw if number else _MONEY_SIGNS.sub("", _cell_text(raw))
    return importing._amount(text, name, errs)


def _tax_bp(raw: Any, errs: list[str]) -> int | None:
    text = _cell_text(raw).replace("％", "%")
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").strip())
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        errs.append(msg("tax_rate '{raw}' is not a rate (write 13 or 13%)", raw=echo(raw)))
        return None
    if not percent and number < 1 and number != 0:
        number *= 100  # 0.13 is 13 %
    if number > 100 or (number * 100) != (number * 100).to_integral_value():
        errs.append(msg(
            "tax_rate '{raw}' is not a rate between 0 and 100% with at most two decimals",
            raw=echo(raw)))
        return None
    return int(number * 100)


def _text(kind: str, name: str, raw: Any, errs: list[str]) -> str | None:
    text = _cell_text(raw)
    reason = bad_characters(text)
    if reason:
        errs.append(msg("{name} {reason}", name=name, reason=reason))
        return None
    try:
        text = clean_text(text, what=name, max_length=10_000)
    except ValidationFailed as exc:
        errs.append(exc.message)
        return None
    limit = _LIMITS.get((kind, name))
    if limit is not None and len(text) > limit:
        errs.append(msg(
            "{name} '{text}' is {text_count:,} characters long; at most {limit} fit",
            name=name, text=echo(text), text_count=len(text), limit=limit))
        return None
    return text


def _code(kind: str, name: str, raw: Any, errs: list[str]) -> str | None:
    text = _text(kind, name, raw, errs)
    if text is None:
        return None
    if any(ch.isspace() for ch in text):
        errs.append(msg("{name} '{text}' contains blanks; a code is one word", name=name, text=echo(text)))
        return None
    return text


def _parse_values(kind: str, row: Mapping[str, Any], errs: list[str]) -> dict[str, Any]:
    """The given (non-empty) values of one record, parsed; problems go to ``errs``."""
    values: dict[str, Any] = {}
    for name, raw in row.items():
        if isinstance(raw, list) and name != "barcodes":
            errs.append(msg("{name} is a list; give one value", name=name))
            continue
        text = _cell_text(raw)
        if text == "":
            continue
        value: Any = None
        if name == "sku":
            try:
                value = normalize_sku(text, what=msg("sku"))
            except ValidationFailed as exc:
                errs.append(exc.message)
                continue
        elif name == "code":
            value = _code(kind, name, raw, errs)
        elif name == "barcodes":
            items = raw if isinstance(raw, list) else _SPLIT.split(text)
            codes: list[str] = []
            for item in items:
                item_text = _cell_text(item)
                if not item_text:
                    continue
                try:
                    code = clean_text(item_text, what=msg("A barcode"), max_length=40).upper()
                except ValidationFailed as exc:
                    errs.append(exc.message)
                    break
                if code not in codes:
                    codes.append(code)
            value = tuple(codes)
        elif name in ("price", "cost", "handling_fee", "min_claim"):
            value = _money(raw, name, errs)
        elif name == "tax_rate":
            value = _tax_bp(raw, errs)
        elif name in ("returnable", "serial_tracked"):
            value = _bool(raw, name, errs)
        elif name == "restocking_fee_class":
            value = _FEE_WORDS.get(text.casefold())
            if value is None:
                errs.append(msg(
                    "restocking_fee_class '{text}' is not one of {fee_classes}",
                    text=echo(text), fee_classes=', '.join(FEE_CLASSES)))
        elif name == "rtv_terms":
            value = _TERM_WORDS.get(text.casefold().replace(" ", "_"))
            if value is None:
                errs.append(msg(
                    "rtv_terms '{text}' is not one of {rtv_terms}",
                    text=echo(text), rtv_terms=', '.join(RTV_TERMS)))
        elif name == "return_window_days":
            if text.casefold() in _DEFAULT_WINDOW:
                value = None
                values[name] = None
                continue
            number = importing._whole(raw, name, errs, minimum=0, maximum=_MAX_WINDOW)
            value = number
        elif name == "phone":
            try:
                value = (normalize_phone(text, what=msg("phone")) if kind == "customers"
                         else _text(kind, name, raw, errs))
            except ValidationFailed as exc:
                errs.append(exc.message)
                continue
        elif name == "email":
            value = _text(kind, name, raw, errs)
            if value is not None and ("@" not in value or any(ch.isspace() for ch in value)):
                errs.append(msg("email '{value}' is not an e-mail address", value=echo(value)))
                value = None
        else:
            value = _text(kind, name, raw, errs)
        if value is not None:
            values[name] = value
    return values


@dataclass
class _Item:
    where: str
    values: dict[str, Any]
    key: str = ""


def _items(kind: str, table: _Table, mapping: Mapping[str, str], problems: list[str],
           job: import_jobs.Job | None = None) -> list[_Item]:
    key_field = "sku" if kind == "products" else "code"
    columns = [(i, mapping.get(h, "")) for i, h in enumerate(table.headers)]
    joined = set(column_mapping.joined_fields(kind))
    items: list[_Item] = []
    seen: dict[str, str] = {}
    total = len(table.records)
    for n, record in enumerate(table.records, start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        if job is not None and n % _CHUNK == 0:
            job.step("checking", n, total)
        where = msg("row {row}", row=record.row) if table.where == "row" else msg("item {row}", row=record.row)
        row = {name: record.cells[i] if i < len(record.cells) else None for i, name in columns if name}
        for name in joined & set(row):
            row[name] = column_mapping.join_values([_cell_text(record.cells[i]) for i, mapped in columns
                                                    if mapped == name and i < len(record.cells)])
        errs: list[str] = []
        values = _parse_values(kind, row, errs)
        key = values.get(key_field)
        if not errs and not key:
            errs.append(msg("{key_field} is missing", key_field=key_field))
        if key and key.casefold() in seen:
            errs.append(msg(
                "{key_field} {key} appears twice in the file (also {seen})",
                key_field=key_field, key=key, seen=seen[key.casefold()]))
        if key:
            seen.setdefault(key.casefold(), where)
        problems.extend(msg("{where}: {e}", where=where, e=e) for e in errs)
        if not errs:
            items.append(_Item(where, values, str(key)))
    return items


# --------------------------------------------------------------------------- planning against the database


@dataclass
class _Plan:
    kind: str
    creates: list[tuple[_Item, dict[str, Any]]] = field(default_factory=list)
    # item, row, before, after
    updates: list[tuple[_Item, Any, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    new_categories: dict[str, str] = field(default_factory=dict)  # code -> the text it came from


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _load(s: Session, model: Any, column: Any, keys: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(sorted(set(keys))):
        for row in s.execute(select(model).where(column.in_(chunk))).scalars():
            found[getattr(row, column.key)] = row
    return found


def _product_state(p: Product, barcodes: Sequence[str], supplier_code: str | None) -> dict[str, Any]:
    return {"name_en": p.name, "name_zh": p.name_zh, "barcodes": list(barcodes), "category": p.category,
            "supplier": supplier_code, "price": p.price_minor, "cost": p.cost_minor, "tax_rate": p.tax_rate_bp,
            "returnable": bool(p.returnable), "serial_tracked": bool(p.serial_tracked),
            "restocking_fee_class": p.restocking_fee_class or "standard", "style_code": p.style_code,
            "variant": p.variant, "supplier_sku": p.supplier_sku}


def _customer_state(c: Customer) -> dict[str, Any]:
    return {"name": c.name, "phone": c.phone, "email": c.email, "address": c.address}


def _supplier_state(v: Supplier) -> dict[str, Any]:
    return {"name": v.name, "address": v.address, "contact": v.rtv_contact, "phone": v.phone, "email": v.email,
            "rtv_terms": v.rtv_terms or "credit_at_cost", "handling_fee": v.rtv_handling_fee_minor or 0,
            "min_claim": v.rtv_min_claim_minor or 0}


def _category_state(c: Category) -> dict[str, Any]:
    return {"name_en": c.name_en, "name_zh": c.name_zh, "return_window_days": c.return_window_days,
            "returnable": bool(c.returnable)}


_DEFAULTS: dict[str, dict[str, Any]] = {
    "products": {"name_zh": None, "barcodes": [], "supplier": None, "cost": 0, "tax_rate": 1300,
                 "returnable": True, "serial_tracked": False, "restocking_fee_class": "standard",
                 "style_code": None, "variant": None, "supplier_sku": None},
    "customers": {"phone": None, "email": None, "address": None},
    "suppliers": {"address": None, "contact": None, "phone": None, "email": None, "rtv_terms": "credit_at_cost",
                  "handling_fee": 0, "min_claim": 0},
    "categories": {"return_window_days": None, "returnable": True},
}
_NEEDED: dict[str, tuple[str, ...]] = {
    "products": ("name", "category", "price"),
    "customers": ("name",),
    "suppliers": ("name",),
    "categories": ("name",),
}


def _category_lookup(s: Session) -> tuple[dict[str, str], set[str]]:
    lookup: dict[str, str] = {}
    codes: set[str] = set()
    for code, name_en, name_zh in s.execute(select(Category.code, Category.name_en, Category.name_zh)):
        codes.add(code)
        for word in (name_zh, name_en, code):
            if word:
                lookup[word.casefold()] = code
    return lookup, codes


def _plan(s: Session, kind: str, items: list[_Item], problems: list[str]) -> _Plan:
    plan = _Plan(kind)
    keys = [item.key for item in items]
    if kind == "products":
        existing = _load(s, Product, Product.sku, keys)
        categories, _codes = _category_lookup(s)
        suppliers: dict[str, tuple[int, str]] = {}
        supplier_rows = s.execute(select(Supplier.id, Supplier.code, Supplier.name)).all()
        for sid, code, name in supplier_rows:
            suppliers[name.casefold()] = (sid, code)
        for sid, code, _name in supplier_rows:  # a code wins over a name that reads the same
            suppliers[code.casefold()] = (sid, code)
        current_codes: dict[int, list[str]] = {}
        supplier_codes = {sid: code for sid, code in suppliers.values()}
        ids = [p.id for p in existing.values()]
        for chunk in _chunks([str(i) for i in ids]):
            for pid, code in s.execute(select(ProductBarcode.product_id, ProductBarcode.barcode)
                                       .where(ProductBarcode.product_id.in_([int(c) for c in chunk]))
                                       .order_by(ProductBarcode.id)):
                current_codes.setdefault(pid, []).append(code)
        wanted = sorted({code for item in items for code in item.values.get("barcodes", ())})
        owners: dict[str, str] = {}
        for chunk in _chunks(wanted):
            for code, sku in s.execute(select(ProductBarcode.barcode, Product.sku)
                                       .join(Product, Product.id == ProductBarcode.product_id)
                                       .where(ProductBarcode.barcode.in_(chunk))):
                owners[code] = sku
        given_by: dict[str, str] = {}
        released = {item.key for item in items if "barcodes" in item.values}
        for item in items:
            values = item.values
            for code in values.get("barcodes", ()):
                if code in given_by:
                    problems.append(msg(
                        "{where}: barcode {code} is given to {given_by} as well",
                        where=item.where, code=code, given_by=given_by[code]))
                    continue
                given_by[code] = f"{item.key} ({item.where})"
                owner = owners.get(code)
                if owner is not None and owner != item.key and owner not in released:
                    problems.append(msg(
                        "{where}: barcode {code} belongs to product {owner}",
                        where=item.where, code=code, owner=owner))
            if "category" in values:
                text = values["category"]
                category = categories.get(text.casefold())
                if category is None:
                    if len(text) > 32:
                        problems.append(msg(
                            "{where}: category '{text}' is longer than 32 characters",
                            where=item.where, text=echo(text)))
                        continue
                    category = plan.new_categories.setdefault(text, text)
                    categories[text.casefold()] = category
                values["category"] = category
            if values.get("supplier"):
                found = suppliers.get(values["supplier"].casefold())
                if found is None:
                    problems.append(msg(
                        "{where}: supplier '{values}' is not known; import the suppliers first",
                        where=item.where, values=echo(values['supplier'])))
                    continue
                values["supplier"] = found[1]
            row = existing.get(item.key)
            if row is None:
                if "name_en" not in values and "name_zh" in values:
                    values["name_en"] = values["name_zh"]
                missing = [n for n, f in (("name_en or name_zh", "name_en"), ("category", "category"),
                                          ("price", "price")) if f not in values]
                if missing:
                    problems.append(msg(
                        "{where}: product {key} is new and needs {missing}",
                        where=item.where, key=item.key, missing=', '.join(missing)))
                    continue
                plan.creates.append((item, {**_DEFAULTS[kind], **values}))
            else:
                before = _product_state(row, current_codes.get(row.id, []), supplier_codes.get(row.supplier_id)
                                        if row.supplier_id else None)
                _compare(plan, item, row, before, values)
        return plan
    model: Any
    state: Any
    model, state = {"customers": (Customer, _customer_state), "suppliers": (Supplier, _supplier_state),
                    "categories": (Category, _category_state)}[kind]
    if kind == "categories":
        existing = {}
        folded = {item.key.casefold() for item in items}
        for row in s.execute(select(Category)).scalars():
            if row.code.casefold() in folded:
                existing[row.code.casefold()] = row
        for item in items:
            found = existing.get(item.key.casefold())
            if found is not None:
                item.key = found.code
        existing = {row.code: row for row in existing.values()}
    else:
        existing = _load(s, model, model.code, keys)
    for item in items:
        values = item.values
        row = existing.get(item.key)
        if row is None:
            if kind == "categories":
                if "name_en" not in values and "name_zh" not in values:
                    problems.append(msg(
                        "{where}: category {key} is new and needs name_en or name_zh",
                        where=item.where, key=item.key))
                    continue
                values.setdefault("name_en", values.get("name_zh"))
                values.setdefault("name_zh", values.get("name_en"))
            elif "name" not in values:
                problems.append(msg(
                    "{where}: {kind} {key} is new and needs name",
                    where=item.where, kind=kind_noun(kind, one=True), key=item.key))
                continue
            plan.creates.append((item, {**_DEFAULTS[kind], **values}))
        else:
            _compare(plan, item, row, state(row), values)
    return plan


def _compare(plan: _Plan, item: _Item, row: Any, before: dict[str, Any], values: dict[str, Any]) -> None:
    given = {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items() if k not in ("sku", "code")}
    changed = {k: v for k, v in given.items() if before.get(k) != v}
    if not changed:
        plan.unchanged += 1
        return
    plan.updates.append((item, row, {k: before.get(k) for k in changed}, changed))


# --------------------------------------------------------------------------- writing


def _apply(s: Session, ctx: ServiceContext, actor: Actor | None, plan: _Plan,
           job: import_jobs.Job | None = None) -> None:
    kind = plan.kind
    for code in plan.new_categories:
        s.add(Category(code=code, name_en=code[:80], name_zh=code[:80], returnable=True))
        audit.record(s, ctx, actor, "category", code, "created", None, {"name_en": code, "name_zh": code})
    if plan.new_categories:
        s.flush()
    suppliers: dict[str, int] = {}
    if kind == "products":
        needed = sorted({str(v["supplier"]) for _i, v in plan.creates if v.get("supplier")}
                        | {str(c["supplier"]) for _i, _r, _b, c in plan.updates if c.get("supplier")})
        for chunk in _chunks(needed):
            suppliers.update(dict(s.execute(select(Supplier.code, Supplier.id).where(Supplier.code.in_(chunk))).all()))
    total = len(plan.creates) + len(plan.updates)
    done = 0
    entity = kind[:-1] if kind != "categories" else "category"
    barcode_changes: list[tuple[Product, list[str]]] = []
    now = ctx.now()
    for item, values in plan.creates:
        row = _new_row(kind, item.key, values, suppliers)
        if kind == "customers":
            row.created_at = now
        s.add(row)
        if kind == "products":
            barcode_changes.append((row, list(values.get("barcodes") or [])))
        after = {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items() if k not in ("sku", "code")}
        audit.record(s, ctx, actor, entity, item.key, "created", None, after)
        done += 1
        if job is not None and done % _CHUNK == 0:
            job.step("writing", done, total)
    for item, row, before, changed in plan.updates:
        _set_fields(kind, row, changed, suppliers)
        if kind == "products" and "barcodes" in changed:
            barcode_changes.append((row, list(changed["barcodes"])))
        audit.record(s, ctx, actor, entity, item.key, "updated", before, changed)
        done += 1
        if job is not None and done % _CHUNK == 0:
            job.step("writing", done, total)
    s.flush()
    if barcode_changes:
        ids = [row.id for row, _codes in barcode_changes]
        for start in range(0, len(ids), _CHUNK):
            s.execute(delete(ProductBarcode).where(ProductBarcode.product_id.in_(ids[start:start + _CHUNK])))
        released = {code for _row, codes in barcode_changes for code in codes}
        for chunk in _chunks(sorted(released)):
            s.execute(delete(ProductBarcode).where(ProductBarcode.barcode.in_(chunk)))
        s.flush()
        for row, codes in barcode_changes:
            row.barcode = codes[0] if codes and len(codes[0]) <= 20 else None
            s.add_all(ProductBarcode(product_id=row.id, barcode=code) for code in codes)
        s.flush()
    if job is not None:
        job.step("writing", total, total)


def _new_row(kind: str, key: str, values: dict[str, Any], suppliers: Mapping[str, int]) -> Any:
    row: Any
    if kind == "products":
        row = Product(sku=key)
    elif kind == "customers":
        row = Customer(code=key)
    elif kind == "suppliers":
        row = Supplier(code=key)
    else:
        row = Category(code=key)
    _set_fields(kind, row, values, suppliers)
    return row


def _set_fields(kind: str, row: Any, values: Mapping[str, Any], suppliers: Mapping[str, int]) -> None:
    for name, value in values.items():
        if name in ("sku", "code", "barcodes"):
            continue
        if kind == "products":
            column = {"name_en": "name", "price": "price_minor", "cost": "cost_minor",
                      "tax_rate": "tax_rate_bp"}.get(name, name)
            if name == "supplier":
                row.supplier_id = suppliers.get(value) if value else None
                continue
        elif kind == "suppliers":
            column = {"contact": "rtv_contact", "handling_fee": "rtv_handling_fee_minor",
                      "min_claim": "rtv_min_claim_minor"}.get(name, name)
        else:
            column = name
        setattr(row, column, value)


# --------------------------------------------------------------------------- the use cases


def _profile_mapping(s: Session, kind: str, profile: str | None) -> dict[str, str] | None:
    if not profile:
        return None
    row = s.execute(select(ImportProfile).where(ImportProfile.kind == kind,
                                                ImportProfile.name == profile.strip())).scalar_one_or_none()
    if row is None:
        names = s.execute(select(ImportProfile.name).where(ImportProfile.kind == kind)
                          .order_by(ImportProfile.name)).scalars().all()
        known = (msg("the saved profiles of {kind} are {names}", kind=kind_noun(kind), names=", ".join(names))
                 if names else msg("no profile of {kind} is saved yet", kind=kind_noun(kind)))
        raise NotFound(msg(
            "There is no import profile '{profile}' for {kind}; {known}.",
            profile=profile.strip()[:40], kind=kind_noun(kind), known=known))
    return dict(json.loads(row.mapping_json))


def _refusal(name: str, read_as: str, problems: list[str]) -> ImportRefused:
    count = len(problems)
    shown = sorted(problems, key=importing._position)[:MAX_PROBLEMS]
    return ImportRefused(
        msg(
            "{name}, read as {read_as}, was refused: 1 problem was found, so nothing was imported. Correct the rows "
            "listed and import the file again." if count == 1 else
            "{name}, read as {read_as}, was refused: {count} problems were found, so nothing was imported. "
            "Correct the rows listed and import the file again.",
            name=name, read_as=read_as, count=count), shown)


def _require_import(actor: Actor | None) -> None:
    if actor is not None:
        actor.require(Permission.IMPORT)


def _sample(table: _Table, count: int) -> tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]:
    records = table.records[:count]
    width = len(table.headers)
    rows = tuple(tuple(_cell_text(c) for c in (list(r.cells) + [None] * width)[:width]) for r in records)
    return rows, tuple(r.row for r in records)


def _ignored(table: _Table, mapping: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(echo(h) for h in table.headers if h and not mapping.get(h))


def _check_columns(kind: str, mapping: Mapping[str, str], name: str) -> None:
    mapped = set(mapping.values())
    missing = [f for f in required_fields(kind) if f not in mapped]
    if missing:
        message = msg(
            "{name}: no column is mapped to {missing}; map the column that holds it (or name it {missing})."
            if len(missing) == 1 else
            "{name}: no column is mapped to {missing}; map the columns that hold them (or name them {missing}).",
            name=name, missing=', '.join(missing))
        raise ImportRefused(message, [message])


def preview_import(ctx: ServiceContext, actor: Actor | None, kind: str, data: bytes, name: str, *,
                   mapping: Mapping[str, str] | None = None, profile: str | None = None,
                   fmt: str | None = None, encoding: str | None = None) -> ImportPreview:
    """Read the file with ``mapping`` (else the saved ``profile``, else the guess), check every row
    against the database, and say what an import would do; nothing is written."""
    _require_import(actor)
    column_mapping.fields_of(kind)
    with ctx.read(actor) as s:
        saved = _profile_mapping(s, kind, profile)
    chosen = {**(saved or {}), **(dict(mapping) if mapping else {})}
    if kind == "orders":
        return _preview_orders(ctx, actor, data, name, chosen, profile, fmt, encoding)
    table = read_table(kind, data, name, fmt=fmt, encoding=encoding)
    resolved = resolve_mapping(kind, table.headers, chosen)
    problems = list(table.problems)
    sample, sample_rows = _sample(table, SAMPLE_ROWS)
    missing = [f for f in required_fields(kind) if f not in set(resolved.values())]
    creates = updates = unchanged = 0
    if missing:
        problems.append(msg("no column is mapped to {missing}", missing=', '.join(missing)))
    else:
        items = _items(kind, table, resolved, problems)
        with ctx.read(actor) as s:
            plan = _plan(s, kind, items, problems)
        creates, updates, unchanged = len(plan.creates), len(plan.updates), plan.unchanged
    return ImportPreview(kind, name, table.read_as, tuple(table.headers), resolved, field_names(kind),
                         required_fields(kind), sample, sample_rows, len(table.records),
                         tuple(sorted(problems, key=importing._position)[:MAX_PROBLEMS]),
                         creates, updates, unchanged, profile, column_mapping.joined_fields(kind))


def import_file(ctx: ServiceContext, actor: Actor | None, kind: str, data: bytes, name: str, *,
                mapping: Mapping[str, str] | None = None, profile: str | None = None,
                fmt: str | None = None, encoding: str | None = None, job_id: str | None = None) -> FileImportResult:
    """Import a file of ``kind`` whole (or nothing): upserts by code for master data, new sales
    for orders. ``job_id`` lets the caller follow it (:func:`import_progress`) and cancel it."""
    _require_import(actor)
    column_mapping.fields_of(kind)
    job = import_jobs.Job(job_id)
    try:
        with ctx.read(actor) as s:
            saved = _profile_mapping(s, kind, profile)
        chosen = {**(saved or {}), **(dict(mapping) if mapping else {})}
        if kind == "orders":
            result = importing.import_data(ctx, actor, data, name, fmt=fmt, encoding=encoding,
                                           mapping=chosen or None, job=job)
            used: dict[str, str] = {}
            if file_kind(name, fmt) != "json":
                used = importing.order_mapping(read_table("orders", data, name, fmt=fmt, encoding=encoding).headers,
                                               chosen)
            return FileImportResult("orders", name, result.read_as, result.lines, result.orders, 0, 0, 0,
                                    result.ignored_columns, result, used)
        job.step("reading", 0, 0)
        table = read_table(kind, data, name, fmt=fmt, encoding=encoding)
        resolved = resolve_mapping(kind, table.headers, chosen)
        _check_columns(kind, resolved, name)
        problems = list(table.problems)
        items = _items(kind, table, resolved, problems, job)
        if not items and not problems:
            raise ImportRefused(msg("{name} holds no {kind}; nothing was imported.", name=name, kind=kind_noun(kind)),
                                [msg("{name}: no {kind}", name=name, kind=kind_noun(kind))])
        with ctx.write(actor) as s:
            job.step("checking", len(table.records), len(table.records))
            plan = _plan(s, kind, items, problems)
            if problems:
                raise _refusal(name, table.read_as, problems)
            _apply(s, ctx, actor, plan, job)
            audit.record(s, ctx, actor, "master_import", name[:40], "imported", None, {
                "kind": kind, "rows": len(items), "created": len(plan.creates), "updated": len(plan.updates),
                "unchanged": plan.unchanged, "categories_created": len(plan.new_categories),
                "file_sha256": hashlib.sha256(data).hexdigest()})
            job.step("writing", len(items), len(items))
        ctx.changed(kind, 0)
        return FileImportResult(kind, name, table.read_as, len(items), len(plan.creates), len(plan.updates),
                                plan.unchanged, len(plan.new_categories), _ignored(table, resolved), None, resolved)
    finally:
        job.finish()


def import_path(ctx: ServiceContext, actor: Actor | None, kind: str, path: str | Path, *,
                profile: str | None = None, fmt: str | None = None, encoding: str | None = None) -> FileImportResult:
    """:func:`import_file` of a file on this machine (the command line)."""
    p = Path(path)
    file_kind(p.name, fmt)
    return import_file(ctx, actor, kind, importing._read_bytes(p), p.name, profile=profile,
                       fmt=fmt, encoding=encoding)


def import_progress(job_id: str) -> import_jobs.ImportProgress:
    return import_jobs.progress(job_id)


def cancel_import(job_id: str) -> import_jobs.ImportProgress:
    return import_jobs.cancel(job_id)


def _preview_orders(ctx: ServiceContext, actor: Actor | None, data: bytes, name: str, chosen: Mapping[str, str],
                    profile: str | None, fmt: str | None, encoding: str | None) -> ImportPreview:
    ftype = file_kind(name, fmt)
    if ftype == "json":
        headers: list[str] = []
        sample: tuple[tuple[str, ...], ...] = ()
        rows: tuple[int, ...] = ()
        resolved: dict[str, str] = {}
        read_as = decode_text(data, name, encoding).encoding if data.strip() else ""
        count = 0
    else:
        table = read_table("orders", data, name, fmt=fmt, encoding=encoding)
        headers = table.headers
        resolved = importing.order_mapping(headers, dict(chosen))
        sample, rows = _sample(table, SAMPLE_ROWS)
        read_as = table.read_as
        count = len(table.records)
    checked = importing.check_data(ctx, actor, data, name, fmt=fmt, encoding=encoding, mapping=dict(chosen) or None)
    return ImportPreview("orders", name, read_as, tuple(headers), resolved, field_names("orders"),
                         required_fields("orders"), sample, rows, count, tuple(checked.problems),
                         len(checked.orders) if not checked.problems else 0, 0, 0, profile)


# --------------------------------------------------------------------------- mapping profiles


def _profile_view(s: Session, row: ImportProfile) -> ImportProfileView:
    from returndesk.services.tx import refcache

    return ImportProfileView(row.kind, row.name, dict(json.loads(row.mapping_json)), row.updated_at,
                             refcache.username(s, row.updated_by))


def list_profiles(ctx: ServiceContext, actor: Actor | None, kind: str | None = None) -> list[ImportProfileView]:
    """The saved column mappings (of one kind, or all), by kind and name."""
    _require_import(actor)
    with ctx.read(actor) as s:
        stmt = select(ImportProfile).order_by(ImportProfile.kind, ImportProfile.name)
        if kind:
            stmt = stmt.where(ImportProfile.kind == kind)
        return [_profile_view(s, row) for row in s.execute(stmt).scalars()]


def save_profile(ctx: ServiceContext, actor: Actor | None, kind: str, name: str,
                 mapping: Mapping[str, str]) -> ImportProfileView:
    """Save (or replace) the named mapping of ``kind`` files: header -> field, "" to leave a column out."""
    _require_import(actor)
    known = set(column_mapping.field_names(kind))
    title = " ".join(str(name or "").split())
    problems = []
    if not title or len(title) > 80:
        problems.append(msg("Give the profile a name of 1-80 characters, e.g. the system the files come from."))
    clean: dict[str, str] = {}
    for header, target in dict(mapping).items():
        header_text = str(header).strip()
        target = str(target or "")
        if target and target not in known:
            problems.append(msg(
                "'{target}' is not a field of {kind}; the fields are {known}.",
                target=echo(target), kind=kind_noun(kind), known=', '.join(sorted(known))))
        if header_text and len(header_text) <= 200:
            clean[header_text] = target
    used = [t for t in clean.values() if t]
    twice = sorted({t for t in used if used.count(t) > 1} - set(column_mapping.joined_fields(kind)))
    if twice:
        problems.append(msg("{twice} is mapped to more than one column.", twice=', '.join(twice)))
    if not used:
        problems.append(msg("The mapping names no field; map at least the key column."))
    if problems:
        raise ValidationFailed(msg("The profile was not saved: {problems}", problems=join(problems)), problems)
    with ctx.write(actor) as s:
        row = s.execute(select(ImportProfile).where(ImportProfile.kind == kind, ImportProfile.name == title)
                        ).scalar_one_or_none()
        before = dict(json.loads(row.mapping_json)) if row is not None else None
        if row is None:
            row = ImportProfile(kind=kind, name=title)
            s.add(row)
        row.mapping_json = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        row.updated_at = ctx.now()
        row.updated_by = actor.user_id if actor else None
        s.flush()
        audit.record(s, ctx, actor, "import_profile", f"{kind}:{title}"[:40], "saved", before and {"mapping": before},
                     {"mapping": clean})
        return _profile_view(s, row)


def delete_profile(ctx: ServiceContext, actor: Actor | None, kind: str, name: str) -> None:
    _require_import(actor)
    with ctx.write(actor) as s:
        row = s.execute(select(ImportProfile).where(ImportProfile.kind == kind, ImportProfile.name == name.strip())
                        ).scalar_one_or_none()
        if row is None:
            raise NotFound(msg("There is no import profile '{name}' for {kind}.", name=name.strip()[:40],
                               kind=kind_noun(kind)))
        audit.record(s, ctx, actor, "import_profile", f"{kind}:{row.name}"[:40], "deleted",
                     {"mapping": json.loads(row.mapping_json)}, None)
        s.delete(row)


# --------------------------------------------------------------------------- records pushed by other systems


def upsert_records(ctx: ServiceContext, actor: Actor | None, kind: str,
                   records: Sequence[Mapping[str, Any]]) -> FileImportResult:
    """Upsert records given as objects with the field names (JSON from another system), with the
    checks of a file import; refused whole with "item N: ..." problems. The caller has checked
    the right to do so (the server: the API key's ``master:write`` scope)."""
    if kind not in MASTER_KINDS:
        raise ValidationFailed(msg(
            "ReturnDesk takes {master_kinds} here, not '{kind}'.",
            master_kinds=', '.join(MASTER_KINDS), kind=str(kind)[:30]))
    if not records:
        raise ValidationFailed(msg("Send at least one of the {kind}.", kind=kind_noun(kind)))
    known = set(field_names(kind))
    problems: list[str] = []
    items: list[_Item] = []
    seen: dict[str, str] = {}
    key_field = "sku" if kind == "products" else "code"
    for i, raw in enumerate(records, start=1):
        where = msg("item {i}", i=i)
        if not isinstance(raw, Mapping):
            problems.append(msg("{where}: is not an object", where=where))
            continue
        unknown = sorted(str(k) for k in raw if k not in known)
        errs: list[str] = []
        if unknown:
            errs.append(msg(
                "{u} is not a field of {kind} (the fields are {field_names})" if len(unknown) == 1 else
                "{u} are not fields of {kind} (the fields are {field_names})",
                u=', '.join(echo(u) for u in unknown), kind=kind_noun(kind),
                field_names=', '.join(field_names(kind))))
        values = _parse_values(kind, {k: v for k, v in raw.items() if k in known}, errs)
        key = values.get(key_field)
        if not errs and not key:
            errs.append(msg("{key_field} is missing", key_field=key_field))
        if key and key.casefold() in seen:
            errs.append(msg(
                "{key_field} {key} appears twice (also {seen})",
                key_field=key_field, key=key, seen=seen[key.casefold()]))
        if key:
            seen.setdefault(key.casefold(), where)
        problems.extend(msg("{where}: {e}", where=where, e=e) for e in errs)
        if not errs:
            items.append(_Item(where, values, str(key)))
    with ctx.write(actor) as s:
        plan = _plan(s, kind, items, problems)
        if problems:
            count = len(problems)
            raise ImportRefused(msg(
                "The {kind} were refused: 1 problem found, so nothing was saved. Correct the items listed and "
                "send them again." if count == 1 else
                "The {kind} were refused: {count} problems found, so nothing was saved. Correct the items listed "
                "and send them again.",
                kind=kind_noun(kind), count=count),
                                sorted(problems, key=importing._position)[:MAX_PROBLEMS])
        _apply(s, ctx, actor, plan)
    ctx.changed(kind, 0)
    return FileImportResult(kind, "", "JSON", len(items), len(plan.creates), len(plan.updates), plan.unchanged,
                            len(plan.new_categories))


# --------------------------------------------------------------------------- one record: find, view, edit


def _require_read(actor: Actor) -> None:
    actor.require_any(Permission.FIND_SALES, Permission.VIEW_QUEUES, Permission.VIEW_FINANCE,
                      Permission.MANAGE_MASTER_DATA, doing=msg("look at the master data"))


def _limit(limit: int) -> int:
    return max(1, min(int(limit), 200))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_records(ctx: ServiceContext, actor: Actor, kind: str, text: str = "", *, after: str | None = None,
                 limit: int = 50) -> Page[MasterRecord]:
    """Records of ``kind`` by code, a name, a barcode (products) or a phone (customers), in code
    order, one keyset page; pass ``next_cursor`` back as ``after``."""
    _require_read(actor)
    if kind not in MASTER_KINDS:
        raise ValidationFailed(msg(
            "ReturnDesk keeps {master_kinds}, not '{kind}'.",
            master_kinds=', '.join(MASTER_KINDS), kind=str(kind)[:30]))
    words = " ".join(clean_text(text or "", what=msg("The search text"), max_length=80).split()) if text else ""
    n = _limit(limit)
    model: Any = _MODELS[kind]
    key = Product.sku if kind == "products" else model.code
    stmt = select(model)
    if words:
        pattern = _like(words.casefold())
        if kind == "products":
            stmt = stmt.where(or_(func.lower(Product.sku).like(pattern, escape="\\"),
                                  func.lower(Product.name).like(pattern, escape="\\"),
                                  Product.name_zh.like(_like(words), escape="\\"),
                                  func.lower(Product.style_code).like(pattern, escape="\\"),
                                  Product.id.in_(select(ProductBarcode.product_id)
                                                 .where(ProductBarcode.barcode == words.upper()))))
        elif kind == "customers":
            conditions = [func.lower(Customer.code).like(pattern, escape="\\"),
                          Customer.name_fold.like(pattern, escape="\\"),
                          Customer.name.like(_like(words), escape="\\")]
            digits = re.sub(r"\D", "", words)
            if len(digits) >= 4:
                conditions.append(Customer.phone.like(_like(digits), escape="\\"))
            stmt = stmt.where(or_(*conditions))
        elif kind == "suppliers":
            stmt = stmt.where(or_(func.lower(Supplier.code).like(pattern, escape="\\"),
                                  func.lower(Supplier.name).like(pattern, escape="\\"),
                                  Supplier.name.like(_like(words), escape="\\")))
        else:
            stmt = stmt.where(or_(func.lower(Category.code).like(pattern, escape="\\"),
                                  func.lower(Category.name_en).like(pattern, escape="\\"),
                                  Category.name_zh.like(_like(words), escape="\\")))
    if after:
        (last,) = Page.decode_cursor(after)
        stmt = stmt.where(key > str(last))
    with ctx.read(actor) as s:
        rows = s.execute(stmt.order_by(key).limit(n + 1)).scalars().all()
        records = _records(s, kind, rows[:n])
        cursor = Page.encode_cursor(getattr(rows[n - 1], key.key)) if len(rows) > n else None
    return Page(tuple(records), cursor)


def _records(s: Session, kind: str, rows: Sequence[Any]) -> list[MasterRecord]:
    if kind == "customers":
        return [CustomerRecord(r.code, r.name, r.phone, r.email, r.address) for r in rows]
    if kind == "suppliers":
        return [SupplierRecord(r.code, r.name, r.address, r.rtv_contact, r.phone, r.email,
                               r.rtv_terms or "credit_at_cost",
                               r.rtv_handling_fee_minor or 0, r.rtv_min_claim_minor or 0) for r in rows]
    if kind == "categories":
        return [CategoryRecord(r.code, r.name_en, r.name_zh, r.return_window_days, bool(r.returnable)) for r in rows]
    ids = [r.id for r in rows]
    codes: dict[int, list[str]] = {}
    if ids:
        for pid, code in s.execute(select(ProductBarcode.product_id, ProductBarcode.barcode)
                                   .where(ProductBarcode.product_id.in_(ids)).order_by(ProductBarcode.id)):
            codes.setdefault(pid, []).append(code)
    cats = {c.code: c for c in s.execute(select(Category).where(Category.code.in_({r.category for r in rows})))
            .scalars()} \
        if rows else {}
    sup_ids = {r.supplier_id for r in rows if r.supplier_id}
    sups = {v.id: v for v in s.execute(select(Supplier).where(Supplier.id.in_(sup_ids))).scalars()} if sup_ids else {}
    out: list[MasterRecord] = []
    for r in rows:
        cat = cats.get(r.category)
        sup = sups.get(r.supplier_id) if r.supplier_id else None
        barcodes = codes.get(r.id) or ([r.barcode] if r.barcode else [])
        out.append(ProductRecord(r.sku, r.name, r.name_zh, tuple(barcodes), r.category, sup.code if sup else None,
                                 r.price_minor, r.cost_minor, r.tax_rate_bp, bool(r.returnable), bool(r.serial_tracked),
                                 r.restocking_fee_class or "standard", cat.name_en if cat else r.category,
                                 cat.name_zh if cat else r.category, sup.name if sup else None,
                                 r.style_code, r.variant, r.supplier_sku))
    return out


def get_record(ctx: ServiceContext, actor: Actor, kind: str, code: str) -> MasterRecord:
    """One record of ``kind`` by its code (a product by SKU)."""
    _require_read(actor)
    if kind not in MASTER_KINDS:
        raise ValidationFailed(msg(
            "ReturnDesk keeps {master_kinds}, not '{kind}'.",
            master_kinds=', '.join(MASTER_KINDS), kind=str(kind)[:30]))
    key = normalize_sku(code) if kind == "products" else clean_text(code, what=msg("The code"), max_length=40)
    model: Any = _MODELS[kind]
    column = Product.sku if kind == "products" else model.code
    with ctx.read(actor) as s:
        row = s.execute(select(model).where(column == key)).scalar_one_or_none()
        if row is None:
            raise NotFound(msg(
                "There is no {kind} {key}.",
                kind=kind_noun(kind, one=True), key=key[:40]))
        return _records(s, kind, [row])[0]


def _record_values(record: MasterRecord) -> tuple[str, dict[str, Any]]:
    if isinstance(record, ProductRecord):
        return "products", {
            "sku": record.sku, "name_en": record.name_en, "name_zh": record.name_zh or None,
            "barcodes": list(record.barcodes), "category": record.category, "supplier": record.supplier or None,
            "price": record.price_minor, "cost": record.cost_minor, "tax_rate": record.tax_rate_bp,
            "returnable": record.returnable, "serial_tracked": record.serial_tracked,
            "restocking_fee_class": record.restocking_fee_class, "style_code": record.style_code or None,
            "variant": record.variant or None, "supplier_sku": record.supplier_sku or None}
    if isinstance(record, CustomerRecord):
        return "customers", {"code": record.code, "name": record.name, "phone": record.phone or None,
                             "email": record.email or None, "address": record.address or None}
    if isinstance(record, SupplierRecord):
        return "suppliers", {"code": record.code, "name": record.name, "address": record.address or None,
                             "contact": record.contact or None, "phone": record.phone or None,
                             "email": record.email or None, "rtv_terms": record.rtv_terms,
                             "handling_fee": record.handling_fee_minor, "min_claim": record.min_claim_minor}
    if isinstance(record, CategoryRecord):
        return "categories", {"code": record.code, "name_en": record.name_en, "name_zh": record.name_zh,
                              "return_window_days": record.return_window_days, "returnable": record.returnable}
    raise ValidationFailed(msg("Save a product, customer, supplier or category."))


def save_record(ctx: ServiceContext, actor: Actor, record: MasterRecord) -> MasterRecord:
    """Create or change one record (the edit form), checked as an import checks a row; audited."""
    actor.require(Permission.MANAGE_MASTER_DATA)
    kind, given = _record_values(record)
    errs: list[str] = []
    text_form: dict[str, Any] = {}
    cleared: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            cleared[name] = None
        elif name in ("price", "cost", "handling_fee", "min_claim"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > importing.MAX_AMOUNT:
                errs.append(msg("{name} must be an amount of at least 0.00", name=name))
            else:
                text_form[name] = format_money(value).replace(",", "")
        elif name == "tax_rate":
            if not isinstance(value, int) or not 0 <= value <= 10000:
                errs.append(msg("tax_rate must be between 0 and 100%"))
            else:
                text_form[name] = f"{Decimal(value) / 100}%"
        elif name == "return_window_days":
            text_form[name] = str(value)
        elif name == "barcodes":
            text_form[name] = list(value)
        else:
            text_form[name] = value
    values = _parse_values(kind, text_form, errs)
    for name in ("price", "cost", "handling_fee", "min_claim", "tax_rate"):
        if name in given and given[name] is not None and name in values:
            values[name] = given[name]
    for name in cleared:
        if name in _NEEDED_ALWAYS[kind]:
            errs.append(msg("{name} is missing", name=name))
        else:
            values[name] = () if name == "barcodes" else None
    if "barcodes" in given and not given["barcodes"]:
        values["barcodes"] = ()
    key_field = "sku" if kind == "products" else "code"
    key = values.get(key_field)
    if not key and not errs:
        errs.append(msg("{key_field} is missing", key_field=key_field))
    if errs:
        raise ValidationFailed(msg("The record was not saved: {problems}.", problems=join(errs, "; ")), errs)
    problems: list[str] = []
    item = _Item("", values, str(key))
    with ctx.write(actor) as s:
        plan = _plan(s, kind, [item], problems)
        if problems:
            messages = [p.removeprefix(": ") for p in problems]
            raise ValidationFailed(msg("The record was not saved: {messages}.", messages='; '.join(messages)), messages)
        _apply(s, ctx, actor, plan)
        s.flush()
    ctx.changed(kind, 0)
    return get_record(ctx, actor, kind, item.key)


_NEEDED_ALWAYS: dict[str, tuple[str, ...]] = {
    "products": ("name_en", "category", "price", "sku"),
    "customers": ("name", "code"),
    "suppliers": ("name", "code"),
    "categories": ("name_en", "name_zh", "code"),
}


# --------------------------------------------------------------------------- export


def _export_rows(s: Session, kind: str) -> list[dict[str, Any]]:
    model: Any = _MODELS[kind]
    key = Product.sku if kind == "products" else model.code
    rows: list[dict[str, Any]] = []
    last: str | None = None
    while True:
        stmt = select(model).order_by(key).limit(_CHUNK)
        if last is not None:
            stmt = stmt.where(key > last)
        page = s.execute(stmt).scalars().all()
        if not page:
            return rows
        for record in _records(s, kind, page):
            rows.append(_export_row(record))
        last = getattr(page[-1], key.key)


def _amount_text(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _export_row(record: MasterRecord) -> dict[str, Any]:
    if isinstance(record, ProductRecord):
        return {"sku": record.sku, "name_en": record.name_en, "name_zh": record.name_zh or "",
                "barcodes": list(record.barcodes), "category": record.category, "supplier": record.supplier or "",
                "price": _amount_text(record.price_minor), "cost": _amount_text(record.cost_minor),
                "tax_rate": f"{Decimal(record.tax_rate_bp) / 100:f}%", "returnable": record.returnable,
                "serial_tracked": record.serial_tracked, "restocking_fee_class": record.restocking_fee_class,
                "style_code": record.style_code or "", "variant": record.variant or "",
                "supplier_sku": record.supplier_sku or ""}
    if isinstance(record, CustomerRecord):
        return {"code": record.code, "name": record.name, "phone": record.phone or "", "email": record.email or "",
                "address": record.address or ""}
    if isinstance(record, SupplierRecord):
        return {"code": record.code, "name": record.name, "address": record.address or "",
                "contact": record.contact or "", "phone": record.phone or "", "email": record.email or "",
                "rtv_terms": record.rtv_terms, "handling_fee": _amount_text(record.handling_fee_minor),
                "min_claim": _amount_text(record.min_claim_minor)}
    assert isinstance(record, CategoryRecord)
    return {"code": record.code, "name_en": record.name_en, "name_zh": record.name_zh,
            "return_window_days": "default" if record.return_window_days is None else record.return_window_days,
            "returnable": record.returnable}


def export_records(ctx: ServiceContext, actor: Actor | None, kind: str, fmt: str) -> bytes:
    """Every record of ``kind`` as CSV (UTF-8 with byte-order mark, as Excel opens it), xlsx or
    JSON, with the field names as headers: importing the file again changes nothing."""
    if actor is not None:
        actor.require_any(Permission.EXPORT, Permission.MANAGE_MASTER_DATA, Permission.IMPORT)
    if kind not in MASTER_KINDS:
        raise ValidationFailed(msg(
            "ReturnDesk exports {master_kinds}, not '{kind}'.",
            master_kinds=', '.join(MASTER_KINDS), kind=str(kind)[:30]))
    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(msg("Export as csv, xlsx or json, not '{fmt}'.", fmt=str(fmt)[:10]))
    with ctx.read(actor) as s:
        rows = _export_rows(s, kind)
    headers = list(field_names(kind))
    if fmt == "json":
        return json.dumps({kind: rows}, ensure_ascii=False, indent=1).encode("utf-8")

    def cell(value: Any) -> Any:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ";".join(value)
        return value

    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([cell(row.get(h, "")) for h in headers])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.capitalize())
    sheet.append(headers)
    for row in rows:
        sheet.append([cell(row.get(h, "")) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_path(ctx: ServiceContext, actor: Actor | None, kind: str, path: str | Path,
                fmt: str | None = None) -> int:
    """:func:`export_records` into a file (written whole, then moved into place); returns the rows."""
    p = Path(path)
    kind_of_file = (fmt or p.suffix.lstrip(".")).lower()
    data = export_records(ctx, actor, kind, kind_of_file)
    tmp = p.with_name(p.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationFailed(with_detail(msg("{p} cannot be written: {value}.", p=p, value=os_reason(exc)),
                                           os_detail(exc))) from None
    with ctx.read(actor) as s:
        model: Any = _MODELS[kind]
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


__all__ = ["KINDS", "MASTER_KINDS"]
