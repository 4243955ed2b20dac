"""The vocabulary of the domain as enumerations.

Values are the codes stored in the database; the UI translates them for display.
"""

from __future__ import annotations

from enum import StrEnum


class ReturnStatus(StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    #: Customer service asked the customer a question; the request waits for the answer.
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    AUTHORIZED = "authorized"
    RECEIVED = "received"
    INSPECTED = "inspected"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REFUND_REJECTED = "refund_rejected"
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


#: States in which a return still holds quantity of its order lines ("in process").
#: Cancelled, rejected and expired returns free their quantity again.
OPEN_STATES = frozenset(
    {
        ReturnStatus.DRAFT,
        ReturnStatus.REQUESTED,
        ReturnStatus.WAITING_FOR_CUSTOMER,
        ReturnStatus.AUTHORIZED,
        ReturnStatus.RECEIVED,
        ReturnStatus.INSPECTED,
        ReturnStatus.AWAITING_APPROVAL,
        ReturnStatus.APPROVED,
    }
)
#: States nothing leads out of. A rejected request is not one: a mistaken rejection is reopened.
TERMINAL_STATES = frozenset({ReturnStatus.CLOSED, ReturnStatus.CANCELLED, ReturnStatus.EXPIRED})
RELEASING_STATES = frozenset({ReturnStatus.REJECTED, ReturnStatus.CANCELLED, ReturnStatus.EXPIRED})


class Role(StrEnum):
    CLERK = "clerk"
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"  # second approval level
    FINANCE = "finance"
    ADMIN = "admin"


class Grade(StrEnum):
    A = "A"  # new, resealable
    B = "B"  # opened, like new
    C = "C"  # used or cosmetically damaged
    D = "D"  # defective or unusable


class Disposition(StrEnum):
    RESTOCK = "restock"
    REFURBISH = "refurbish"
    RETURN_TO_VENDOR = "rtv"
    SCRAP = "scrap"
    RETURN_TO_CUSTOMER = "return_to_customer"


class UnitOutcome(StrEnum):
    ACCEPTED = "accepted"  # counted against its line and accepted for refund/exchange
    REJECTED = "rejected"  # counted against its line but not accepted (customer damage...)
    OVER = "over"  # more units than authorized
    WRONG_ITEM = "wrong_item"  # not on the return at all


class RefundMethod(StrEnum):
    ORIGINAL_PAYMENT = "original_payment"
    STORE_CREDIT = "store_credit"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"


class CollectMethod(StrEnum):
    """How the customer pays the difference of an exchange for dearer goods at the counter."""

    CASH = "cash"
    CARD = "card"
    WECHAT_PAY = "wechat_pay"
    ALIPAY = "alipay"


class Fulfilment(StrEnum):
    """How the replacement of an exchange reaches the customer."""

    COUNTER = "counter"  # picked at the counter and handed over now
    SHIP = "ship"  # shipped later, with a packing slip


class Resolution(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"


#: The sale a return without a receipt records (see ``usecases.blind``): never a price of its own.
NO_RECEIPT_CHANNEL = "no_receipt"


class Channel(StrEnum):
    COUNTER = "counter"  # walk-in at the service counter
    REMOTE = "remote"  # phone, online, e-mail: goods come by parcel


class PolicyStatus(StrEnum):
    WITHIN = "within"
    OVERRIDE_NEEDED = "override_needed"
    NOT_RETURNABLE = "not_returnable"


class Location(StrEnum):
    """Stock locations; on-hand per location is the sum of movements in minus out."""

    AVAILABLE = "available"
    INSPECTION = "inspection"
    REFURBISH = "refurbish"
    RTV = "rtv"
    SCRAP = "scrap"
    RESERVED = "reserved"  # held for replacement orders
    CUSTOMER = "customer"  # outside: sold goods, goods sent back or shipped to customers
    SUPPLIER = "supplier"  # outside: goods shipped back to their suppliers on claims


DISPOSITION_LOCATION = {
    Disposition.RESTOCK: Location.AVAILABLE,
    Disposition.REFURBISH: Location.REFURBISH,
    Disposition.RETURN_TO_VENDOR: Location.RTV,
    Disposition.SCRAP: Location.SCRAP,
    Disposition.RETURN_TO_CUSTOMER: Location.CUSTOMER,
}


class ApprovalLevel(StrEnum):
    AUTO = "auto"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


class DocumentType(StrEnum):
    RETURN_LABEL = "return_label"
    COUNTER_RECEIPT = "counter_receipt"
    ITEM_TAG = "item_tag"
    CREDIT_NOTE = "credit_note"
    COMMAND_SHEET = "command_sheet"
    PACKING_SLIP = "packing_slip"
