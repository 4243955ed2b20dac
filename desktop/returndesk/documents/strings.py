"""Captions printed on the documents, in English and Simplified Chinese.

The documents are printed without Qt, so they do not use the Qt translation files; this small
table is the single place where their wording lives. Keys are stable identifiers; values may
contain ``str.format`` fields.
"""

from __future__ import annotations

from returndesk.domain.types import Disposition, Grade, RefundMethod

from .data import Lang, check_lang

_TEXT: dict[str, tuple[str, str]] = {
    # key: (English, Chinese)
    "reprint": ("REPRINT {n}", "重印 {n}"),
    "rma": ("RMA", "退货单号"),
    "date": ("Date", "日期"),
    "customer": ("Customer", "客户"),
    "order": ("Order", "订单号"),
    "sku": ("SKU", "商品编码"),
    # return label
    "label.title": ("RETURN", "退货"),
    "label.return_to": ("RETURN TO", "退回至"),
    "label.from": ("FROM", "寄件人"),
    "label.items": ("Items", "件数"),
    "label.date": ("Issued", "开单日期"),
    "label.instructions": (
        "Stick this label on the outside of the parcel. Do not cover or fold the barcode.",
        "请将本标签贴在包裹外侧，不要遮盖或折叠条码。",
    ),
    # receipt
    "receipt.title": ("RETURN RECEIPT", "退货收据"),
    "receipt.time": ("Time", "时间"),
    "receipt.clerk": ("Clerk", "经办人"),
    "receipt.deduction": ("Deduction", "扣减"),
    "receipt.line_refund": ("Line refund", "本行退款"),
    "receipt.subtotal": ("Subtotal", "小计"),
    "receipt.deductions": ("Deductions", "扣减合计"),
    "receipt.shipping": ("Shipping refund", "运费退还"),
    "receipt.total": ("TOTAL REFUND", "退款总额"),
    "receipt.method": ("Refunded by", "退款方式"),
    "receipt.policy": ("Return policy", "退货政策"),
    "receipt.signature": ("Customer signature", "客户签名"),
    "receipt.keep": ("Keep this receipt for your records.", "请妥善保管本收据。"),
    # item tag
    "tag.grade": ("Grade", "等级"),
    "tag.unit": ("Unit {n}", "第 {n} 件"),
    "tag.unit_of": ("Unit {n}/{m}", "第 {n}/{m} 件"),
    # cash shift report
    "shift.title": ("CASH SHIFT REPORT", "收银班次报表"),
    "shift.number": ("Shift", "班次号"),
    "shift.station": ("Station", "收银台"),
    "shift.site": ("Site", "门店"),
    "shift.opened": ("Opened", "开班"),
    "shift.closed": ("Closed", "交班"),
    "shift.open_now": ("still open", "尚未交班"),
    "shift.by": ("{when} by {who}", "{when}，{who}"),
    "shift.payments": ("Cash refunds paid out", "现金退款支出"),
    "shift.time": ("Time", "时间"),
    "shift.refund": ("Refund", "退款单号"),
    "shift.amount": ("Amount", "金额"),
    "shift.paid_by": ("Paid by", "经办人"),
    "shift.none": ("No cash was paid out in this shift.", "本班次没有现金退款。"),
    "shift.float": ("Opening float", "备用金"),
    "shift.paid_out": ("Cash refunds ({n})", "现金退款（{n} 笔）"),
    "shift.collections": ("Cash taken in: exchange differences", "现金收入：换货差价"),
    "shift.replacement": ("Replacement order", "换货单号"),
    "shift.taken_by": ("Taken by", "收款人"),
    "shift.taken_in": ("Exchange differences taken in ({n})", "换货差价收入（{n} 笔）"),
    "shift.expected": ("Expected in drawer", "应有现金"),
    "shift.counted": ("Counted", "实点现金"),
    "shift.difference": ("Difference (over + / short −)", "差额（长款 + / 短款 −）"),
    "shift.entry": ("Journal entry", "记账凭证"),
    "shift.note": ("Note: {note}", "备注：{note}"),
    "shift.times": ("Times in {zone}", "时间为 {zone} 时区"),
    "shift.sign_clerk": ("Cashier", "收银员签字"),
    "shift.sign_checker": ("Checked by", "复核人签字"),
    # credit note
    # packing slip
    "slip.title": ("PACKING SLIP", "发货单"),
    "slip.number": ("Replacement order", "换货单号"),
    "slip.ship_to": ("SHIP TO", "收货人"),
    "slip.from": ("FROM", "发货方"),
    "slip.exchange_for": ("Exchange for return", "换货对应退货单"),
    "slip.qty": ("Qty", "数量"),
    "slip.description": ("Description", "品名"),
    "slip.note": (
        "Replacement goods for your return {rma}. Please check the contents; keep this slip with the goods.",
        "这是您退货单 {rma} 的换货商品。请核对包裹内容，并随货保留本单。",
    ),
    "slip.packed_by": ("Packed by", "包装人"),
    "slip.checked_by": ("Checked by", "复核人"),
    "credit.title": ("CREDIT NOTE", "贷项通知单"),
    "credit.number": ("Credit note no.", "通知单号"),
    "credit.tax_id": ("Tax ID", "税号"),
    "credit.customer": ("Credited to", "客户"),
    "credit.no": ("#", "序号"),
    "credit.description": ("Description", "品名"),
    "credit.qty": ("Qty", "数量"),
    "credit.net": ("Net", "不含税金额"),
    "credit.tax_rate": ("Tax rate", "税率"),
    "credit.tax": ("Tax", "税额"),
    "credit.gross": ("Gross", "价税合计"),
    "credit.net_total": ("Total net", "不含税合计"),
    "credit.tax_total": ("Total tax", "税额合计"),
    "credit.gross_total": ("Total credited", "退款合计"),
    "credit.method": ("Refunded by", "退款方式"),
    "credit.reference": (
        "Credited for return {rma} of order {order}. Amounts in {currency}.",
        "依据订单 {order} 的退货单 {rma} 开具。金额单位：{currency}。",
    ),
    "credit.page": ("Page {n} of {m}", "第 {n} 页，共 {m} 页"),
    "credit.continued": ("continued", "续"),
    # command sheet
    "commands.title": ("Inspection station commands", "检验台指令条码"),
    "commands.subtitle": (
        "Scan a command barcode at the inspection station. Laminate this sheet and keep it at the station.",
        "在检验台扫描下列指令条码。请将本页塑封后放在检验台旁。",
    ),
    "commands.grades": ("Grade", "等级"),
    "commands.dispositions": ("Disposition", "处置"),
    "commands.actions": ("Actions", "操作"),
    "commands.checks": ("Checks and notes of the last unit", "上一件的检查与备注"),
    "commands.page": ("Page {n} of {m}", "第 {n} 页，共 {m} 页"),
}

_GRADE: dict[Grade, tuple[str, str]] = {
    Grade.A: ("New, resealable", "全新未拆封"),
    Grade.B: ("Opened, like new", "已拆封，如新"),
    Grade.C: ("Used or damaged", "使用过或外观损伤"),
    Grade.D: ("Defective", "有故障或无法使用"),
}

_DISPOSITION: dict[Disposition, tuple[str, str]] = {
    Disposition.RESTOCK: ("Restock", "重新上架"),
    Disposition.REFURBISH: ("Refurbish", "送修翻新"),
    Disposition.RETURN_TO_VENDOR: ("Return to vendor", "退回供应商"),
    Disposition.SCRAP: ("Scrap", "报废"),
    Disposition.RETURN_TO_CUSTOMER: ("Return to customer", "退回客户"),
}

_REFUND_METHOD: dict[RefundMethod, tuple[str, str]] = {
    RefundMethod.ORIGINAL_PAYMENT: ("Original payment", "原路退回"),
    RefundMethod.STORE_CREDIT: ("Store credit", "门店储值"),
    RefundMethod.CASH: ("Cash", "现金"),
    RefundMethod.BANK_TRANSFER: ("Bank transfer", "银行转账"),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    check_lang(lang)
    return pair[1] if lang == "zh_CN" else pair[0]


def text(key: str, lang: Lang, **fields: object) -> str:
    """The caption ``key`` in ``lang``, with ``fields`` filled in."""
    return _pick(_TEXT[key], lang).format(**fields)


def grade_text(grade: Grade, lang: Lang) -> str:
    """What a grade means, in a few words."""
    return _pick(_GRADE[Grade(grade)], lang)


def disposition_text(disposition: Disposition, lang: Lang) -> str:
    """The name of a disposition as printed on tags."""
    return _pick(_DISPOSITION[Disposition(disposition)], lang)


def refund_method_text(method: RefundMethod, lang: Lang) -> str:
    """The name of a refund method as printed on receipts and credit notes."""
    return _pick(_REFUND_METHOD[RefundMethod(method)], lang)


def field(key: str, lang: Lang, value: object) -> str:
    """A caption with its value: ``"Items: 3"`` / ``"件数：3"`` (Chinese takes the full-width colon)."""
    colon = "：" if lang == "zh_CN" else ": "
    return f"{text(key, lang)}{colon}{value}"


def reprint_text(reprint: int, lang: Lang) -> str:
    """``"REPRINT 2"`` / ``"重印 2"``; empty for the original."""
    return text("reprint", lang, n=reprint) if reprint else ""
