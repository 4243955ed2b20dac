"""Which field a column of an import file holds, from its header.

Shops and ERPs export with their own headers, often Chinese (商品编码, 商品名称, 条码, 售价), and in
their own order. :func:`guess_mapping` reads each header in one normal form (NFKC, case folded,
blanks, underscores, dashes, dots, brackets and a trailing ``*`` left out) and looks it up among the
field's names and synonyms, English and Chinese; each field is given to the first column that names
it, except a field that joins columns (a product's ``variant``: a 颜色 and a 尺码 column both go into
it, read as "红色 / XL"), which takes every column that names it. :func:`resolve_mapping` combines a
saved or chosen mapping (header -> field, ``""`` to leave a column out) with the guess for the
headers it does not name, and checks it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.messages import join, msg

#: What can be imported, in the order the screens offer it.
KINDS = ("products", "customers", "suppliers", "categories", "orders")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    synonyms: tuple[str, ...] = ()
    required: bool = False  # the column must be there (a new record may need more: see the use case)
    joins: bool = False  # may take several columns: their values are joined with JOIN_SEPARATOR


#: Between the values of the columns a joining field takes ("红色 / XL").
JOIN_SEPARATOR = " / "


def _f(name: str, synonyms: str = "", *, required: bool = False, joins: bool = False) -> FieldSpec:
    return FieldSpec(name, tuple(s for s in synonyms.split("|") if s), required, joins)


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "products": (
        _f("sku", "商品编码|商品编号|商品代码|货号|物料编码|物料号|产品编码|产品编号|商家编码|编码|"
                  "itemcode|itemno|productcode|productno|articleno|code|skucode", required=True),
        _f("name_en", "英文名称|英文名|英文品名|name|productname|itemname|description|englishname"),
        _f("name_zh", "商品名称|名称|品名|中文名称|中文名|产品名称|商品名|中文品名|chinesename"),
        _f("barcodes", "barcode|条码|条形码|商品条码|国际条码|条码号|ean|ean13|upc|gtin|69码"),
        _f("category", "类别|分类|品类|商品分类|类目|商品类别|分类编码|类别编码|categorycode|productcategory"),
        _f("supplier", "供应商|供应商编码|供应商代码|供应商编号|供货商|suppliercode|vendor|vendorcode"),
        _f("price", "售价|零售价|销售价|单价|价格|标准售价|零售价格|retailprice|saleprice|unitprice"),
        _f("cost", "成本|成本价|进价|采购价|进货价|costprice|purchaseprice"),
        _f("tax_rate", "税率|增值税率|taxrate|vat|vatrate"),
        _f("returnable", "可退货|是否可退|是否可退货|允许退货|可退"),
        _f("serial_tracked", "序列号管理|串号管理|是否序列号|是否串号管理|serialized|serialtracked|serial"),
        _f("restocking_fee_class", "退货手续费类别|手续费类别|退货费类别|restockingfee|restockingfeeclass|feeclass"),
        _f("style_code", "款号|款式编码|款式编号|款式号|款式|货款号|stylecode|styleno|style|modelcode|articlecode"),
        _f("variant", "规格|规格型号|颜色尺码|颜色规格|尺码|颜色|尺寸|型号|variant|size|colour|color|spec|"
                      "specification", joins=True),
        _f("supplier_sku", "供应商货号|供应商商品编码|供应商料号|厂家货号|厂商货号|vendorsku|suppliersku|"
                           "vendoritemno|supplieritemno|vendorpartno|mfrpartno"),
    ),
    "customers": (
        _f("code", "customercode|客户编码|客户编号|客户代码|会员号|会员编号|会员卡号|customerno|memberno",
           required=True),
        _f("name", "customername|客户名称|客户姓名|姓名|会员名称|会员姓名|名称|客户"),
        _f("phone", "电话|手机|手机号|手机号码|联系电话|电话号码|mobile|tel|telephone|customerphone"),
        _f("email", "邮箱|电子邮件|电子邮箱|mail|emailaddress|customeremail"),
        _f("address", "地址|收货地址|联系地址|详细地址|customeraddress"),
    ),
    "suppliers": (
        _f("code", "suppliercode|供应商编码|供应商编号|供应商代码|编码|vendorcode|vendorno", required=True),
        _f("name", "suppliername|供应商名称|供应商|名称|vendor|vendorname"),
        _f("address", "退货地址|退供地址|returnaddress|rtvaddress|地址"),
        _f("contact", "联系人|退货联系人|rtvcontact|contactperson|contactname"),
        _f("phone", "电话|联系电话|手机|tel|telephone"),
        _f("email", "邮箱|电子邮件|mail"),
        _f("rtv_terms", "退货条款|退供条款|退货方式|退供方式|terms|rtv"),
        _f("handling_fee", "手续费|处理费|退货手续费|rtvhandlingfee|fee"),
        _f("min_claim", "最低索赔金额|最低退货金额|起退金额|最低金额|minimumclaim|minclaimvalue|rtvminclaim"),
    ),
    "categories": (
        _f("code", "类别编码|分类编码|品类编码|categorycode", required=True),
        _f("name_en", "英文名称|英文名|name"),
        _f("name_zh", "名称|中文名称|分类名称|类别名称|品类名称|中文名"),
        _f("return_window_days", "退货期限|退货天数|退货期|可退天数|window|returnwindow|windowdays|days"),
        _f("returnable", "可退货|是否可退|允许退货|可退"),
    ),
    "orders": (
        _f("order_no", "订单号|订单编号|单号|销售单号|小票号|订单|orderno|ordernumber|order", required=True),
        _f("channel", "渠道|销售渠道|saleschannel"),
        _f("customer_code", "客户编码|客户编号|会员号|会员编号|会员卡号|customerno"),
        _f("customer_name", "客户名称|客户姓名|姓名|收货人|会员姓名|customer"),
        _f("customer_phone", "电话|手机|手机号|联系电话|收货人电话|phone|mobile"),
        _f("customer_email", "邮箱|电子邮件|email"),
        _f("customer_address", "地址|收货地址|address"),
        _f("sold_at", "销售时间|下单时间|销售日期|订单时间|付款时间|日期|saledate|orderdate|date", required=True),
        _f("delivered_at", "签收时间|送达时间|收货时间|deliverydate|delivered"),
        _f("payment_method", "支付方式|付款方式|结算方式|payment|paymenttype", required=True),
        _f("currency", "币种|货币"),
        _f("shipping", "运费|邮费|freight"),
        _f("site", "门店|店铺|门店编码|店铺编码|store|shop"),
        _f("invoice_no", "发票号|发票号码|发票编号|invoiceno|invoicenumber|invoice"),
        _f("line_no", "行号|序号|明细行号|line|lineno", required=True),
        _f("sku", "商品编码|商品编号|货号|物料编码|商家编码|itemcode|productcode", required=True),
        _f("quantity", "数量|销售数量|件数|qty", required=True),
        _f("unit_price", "单价|售价|零售价|销售单价|price", required=True),
        _f("discount", "折扣|优惠|折扣金额|优惠金额"),
        _f("tax", "税额|税金"),
        _f("paid", "实付|实付金额|实收|实收金额|成交金额|金额|amount|amountpaid", required=True),
        _f("serials", "序列号|串号|serialnumbers|sn"),
    ),
}

_DROPPED = re.compile(r"[\s_\-.·•/\\()（）\[\]【】:：*＊]+")


def normal_header(text: object) -> str:
    """A header in the form the synonyms are written in: ``"Unit Price (¥)"`` -> ``"unitprice¥"``."""
    return _DROPPED.sub("", unicodedata.normalize("NFKC", str(text or "")).casefold())


def _index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for word in (spec.name, *spec.synonyms):
            index.setdefault(normal_header(word), spec.name)
    return index


_INDEXES = {kind: _index(kind) for kind in FIELDS}


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in fields_of(kind))


def joined_fields(kind: str) -> tuple[str, ...]:
    """The fields that may take several columns (their values joined, in the file's column order)."""
    return tuple(spec.name for spec in fields_of(kind) if spec.joins)


def join_values(values: Sequence[object]) -> str | None:
    """The values of the columns of a joining field as one: the filled ones, in order ("红色 / XL")."""
    texts = [" ".join(str(v).split()) for v in values if v is not None and str(v).strip()]
    return JOIN_SEPARATOR.join(texts) or None


def required_fields(kind: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in fields_of(kind) if spec.required)


def fields_of(kind: str) -> tuple[FieldSpec, ...]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise ValidationFailed(msg(
            "ReturnDesk imports {kinds}, not '{kind}'.",
            kinds=', '.join(KINDS), kind=str(kind)[:30])) from None


def guess_field(kind: str, header: object) -> str | None:
    """The field a header names, or None."""
    fields_of(kind)
    return _INDEXES[kind].get(normal_header(header))


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, str]:
    """Header -> field for every header, ``""`` where no field fits or the field is taken already."""
    names = {normal_header(name): name for name in field_names(kind)}
    joined = set(joined_fields(kind))
    mapping: dict[str, str] = {}
    # A header that is a field's own name keeps it, wherever it stands; synonyms share the rest.
    for header in headers:
        exact = names.get(normal_header(header))
        if exact and (exact in joined or exact not in mapping.values()) and header not in mapping:
            mapping[header] = exact
    taken = set(mapping.values()) - joined
    for header in headers:
        if header in mapping:
            continue
        found = guess_field(kind, header)
        if found and found not in taken:
            if found not in joined:
                taken.add(found)
            mapping[header] = found
        else:
            mapping[header] = ""
    return {header: mapping[header] for header in headers}


def resolve_mapping(kind: str, headers: Sequence[str], chosen: Mapping[str, str] | None) -> dict[str, str]:
    """The mapping to import with: ``chosen`` for the headers it names, the guess for the others
    (never a field ``chosen`` gives to another column). Raises ``ValidationFailed`` for an unknown
    field or a field given to two columns."""
    known = set(field_names(kind))
    chosen = dict(chosen or {})
    problems = []
    for header, name in chosen.items():
        if name and name not in known:
            problems.append(msg(
                "Column '{header}' is mapped to '{name}', which is not a field of {kind}; the fields are {known}.",
                header=str(header)[:40], name=str(name)[:40], kind=kind, known=', '.join(sorted(known))))
    joined = set(joined_fields(kind))
    used = [name for header, name in chosen.items() if name and header in headers]
    twice = sorted({name for name in used if used.count(name) > 1} - joined)
    if twice:
        problems.append(msg(
            "{twice} is mapped to more than one column; map each field to one column." if len(twice) == 1 else
            "{twice} are mapped to more than one column; map each field to one column.", twice=', '.join(twice)))
    if problems:
        raise ValidationFailed(join(problems), problems)
    guess = guess_mapping(kind, [h for h in headers if h not in chosen])
    taken = set(used) - joined
    result: dict[str, str] = {}
    for header in headers:
        if header in chosen:
            result[header] = chosen[header] or ""
        else:
            name = guess.get(header, "")
            result[header] = name if name and name not in taken else ""
            if name and name not in joined:
                taken.add(name)
    return result
