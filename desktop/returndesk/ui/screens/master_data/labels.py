"""The words the master-data screens show for kinds of data and their fields (``MasterDataLabels``
translation context)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from returndesk.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "MasterDataLabels"

KIND_NAMES: dict[str, str] = {
    "products": QT_TRANSLATE_NOOP("MasterDataLabels", "Products"),
    "customers": QT_TRANSLATE_NOOP("MasterDataLabels", "Customers"),
    "suppliers": QT_TRANSLATE_NOOP("MasterDataLabels", "Suppliers"),
    "categories": QT_TRANSLATE_NOOP("MasterDataLabels", "Categories"),
    "orders": QT_TRANSLATE_NOOP("MasterDataLabels", "Sales orders"),
}

FIELD_NAMES: dict[str, str] = {
    "sku": QT_TRANSLATE_NOOP("MasterDataLabels", "SKU"),
    "name_en": QT_TRANSLATE_NOOP("MasterDataLabels", "Name (English)"),
    "name_zh": QT_TRANSLATE_NOOP("MasterDataLabels", "Name (Chinese)"),
    "barcodes": QT_TRANSLATE_NOOP("MasterDataLabels", "Barcodes"),
    "category": QT_TRANSLATE_NOOP("MasterDataLabels", "Category"),
    "supplier": QT_TRANSLATE_NOOP("MasterDataLabels", "Supplier"),
    "price": QT_TRANSLATE_NOOP("MasterDataLabels", "Price"),
    "cost": QT_TRANSLATE_NOOP("MasterDataLabels", "Cost"),
    "tax_rate": QT_TRANSLATE_NOOP("MasterDataLabels", "Tax rate"),
    "returnable": QT_TRANSLATE_NOOP("MasterDataLabels", "Returnable"),
    "serial_tracked": QT_TRANSLATE_NOOP("MasterDataLabels", "Serial numbers"),
    "restocking_fee_class": QT_TRANSLATE_NOOP("MasterDataLabels", "Restocking fee"),
    "style_code": QT_TRANSLATE_NOOP("MasterDataLabels", "Style code"),
    "variant": QT_TRANSLATE_NOOP("MasterDataLabels", "Variant (size, colour)"),
    "supplier_sku": QT_TRANSLATE_NOOP("MasterDataLabels", "Supplier's code"),
    "code": QT_TRANSLATE_NOOP("MasterDataLabels", "Code"),
    "name": QT_TRANSLATE_NOOP("MasterDataLabels", "Name"),
    "phone": QT_TRANSLATE_NOOP("MasterDataLabels", "Phone"),
    "email": QT_TRANSLATE_NOOP("MasterDataLabels", "E-mail"),
    "address": QT_TRANSLATE_NOOP("MasterDataLabels", "Address"),
    "contact": QT_TRANSLATE_NOOP("MasterDataLabels", "Contact"),
    "rtv_terms": QT_TRANSLATE_NOOP("MasterDataLabels", "Return-to-vendor terms"),
    "handling_fee": QT_TRANSLATE_NOOP("MasterDataLabels", "Handling fee"),
    "min_claim": QT_TRANSLATE_NOOP("MasterDataLabels", "Minimum claim"),
    "return_window_days": QT_TRANSLATE_NOOP("MasterDataLabels", "Return window (days)"),
    "order_no": QT_TRANSLATE_NOOP("MasterDataLabels", "Order number"),
    "channel": QT_TRANSLATE_NOOP("MasterDataLabels", "Channel"),
    "customer_code": QT_TRANSLATE_NOOP("MasterDataLabels", "Customer code"),
    "customer_name": QT_TRANSLATE_NOOP("MasterDataLabels", "Customer name"),
    "customer_phone": QT_TRANSLATE_NOOP("MasterDataLabels", "Customer phone"),
    "customer_email": QT_TRANSLATE_NOOP("MasterDataLabels", "Customer e-mail"),
    "customer_address": QT_TRANSLATE_NOOP("MasterDataLabels", "Customer address"),
    "sold_at": QT_TRANSLATE_NOOP("MasterDataLabels", "Sold at"),
    "delivered_at": QT_TRANSLATE_NOOP("MasterDataLabels", "Delivered at"),
    "payment_method": QT_TRANSLATE_NOOP("MasterDataLabels", "Payment method"),
    "currency": QT_TRANSLATE_NOOP("MasterDataLabels", "Currency"),
    "shipping": QT_TRANSLATE_NOOP("MasterDataLabels", "Shipping"),
    "site": QT_TRANSLATE_NOOP("MasterDataLabels", "Site"),
    "invoice_no": QT_TRANSLATE_NOOP("MasterDataLabels", "Invoice number"),
    "line_no": QT_TRANSLATE_NOOP("MasterDataLabels", "Line number"),
    "quantity": QT_TRANSLATE_NOOP("MasterDataLabels", "Quantity"),
    "unit_price": QT_TRANSLATE_NOOP("MasterDataLabels", "Unit price"),
    "discount": QT_TRANSLATE_NOOP("MasterDataLabels", "Discount"),
    "tax": QT_TRANSLATE_NOOP("MasterDataLabels", "Tax"),
    "paid": QT_TRANSLATE_NOOP("MasterDataLabels", "Paid"),
    "serials": QT_TRANSLATE_NOOP("MasterDataLabels", "Serial numbers sold"),
}

TERMS: dict[str, str] = {
    "credit_at_cost": QT_TRANSLATE_NOOP("MasterDataLabels", "Credit at cost"),
    "cost_minus_fee": QT_TRANSLATE_NOOP("MasterDataLabels", "Cost minus handling fee"),
    "replacement": QT_TRANSLATE_NOOP("MasterDataLabels", "Replacement"),
}

FEE_CLASSES: dict[str, str] = {
    "standard": QT_TRANSLATE_NOOP("MasterDataLabels", "Standard (the policy's fee)"),
    "exempt": QT_TRANSLATE_NOOP("MasterDataLabels", "Exempt (never charged)"),
}


def kind_name(kind: str) -> str:
    return QCoreApplication.translate(CONTEXT, KIND_NAMES.get(kind, kind))


def field_name(name: str) -> str:
    return QCoreApplication.translate(CONTEXT, FIELD_NAMES[name]) if name in FIELD_NAMES else name


def terms_name(code: str) -> str:
    return QCoreApplication.translate(CONTEXT, TERMS[code]) if code in TERMS else code


def fee_class_name(code: str) -> str:
    return QCoreApplication.translate(CONTEXT, FEE_CLASSES[code]) if code in FEE_CLASSES else code
