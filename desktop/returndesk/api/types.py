"""The values that cross the API: frozen dataclasses and enums in and out, and pure rules.

They are defined next to the use cases that build them (and re-exported here), so the services
and the screens share one definition. None holds a database session or an ORM object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from returndesk.documents.data import Lang
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.inspection import UnitChecks
from returndesk.domain.analytics import RiskThresholds
from returndesk.services.usecases.analytics import (
    CycleTimes,
    CycleTrend,
    MoneyFigure,
    MoneyReport,
    ParetoBar,
    RateRow,
    RateTable,
    ReasonPareto,
    ReportFilter,
    RiskCustomer,
    StageAgeing,
    StageTime,
    StageTargetView,
    StageTrendPoint,
    StuckReturn,
    Throughput,
    WatchView,
)
from returndesk.services.usecases.approval import MIN_REASON_LENGTH, ApprovalState
from returndesk.services.usecases.approval import ApprovalCase, CheckCount, LineChecks, QueueNotes
from returndesk.services.usecases.auth import SignOff, UserView
from returndesk.services.usecases.sessions import SessionView
from returndesk.services.usecases.blind import BlindDraft, BlindQuote
from returndesk.domain.policy import PolicyRules, RuleChange, diff_rules
from returndesk.services.usecases.administration import ADMIN_ENTITIES, STATION_KINDS, AdminLogEntry, StationView
from returndesk.services.usecases.cash import CashPayment, CashShiftReport, CashShiftView
from returndesk.services.usecases.finance_desk import (
    FILE_KINDS,
    AccountTotal,
    DeskCreditNote,
    DeskJournalLine,
    DeskRefund,
    DeskTotals,
    ExportFile,
    MethodTotal,
)
from returndesk.services.usecases.policy_admin import PolicyDraftView
from returndesk.services.usecases.store_credit import StoreCreditBalance, StoreCreditEntryView
from returndesk.services.usecases.claims import ClaimDetail, ClaimDocuments, ClaimSummary, ClaimUnitView, WaitingUnit
from returndesk.domain.claims import ClaimStatus, RtvTerms, UnitFate
from returndesk.services.usecases.refurbish import RefurbishQueue, RefurbishStatus, RefurbishUnit
from returndesk.domain.supplier_report import ReasonUnits, SupplierFigures, SupplierReport
from returndesk.services.usecases.supplier_report import SupplierReportFiles
from returndesk.services.tx.context import Actor, ChangeListener, utcnow
from returndesk.services.usecases.documents import (
    PreparedPrint,
    PrintOutcome,
    RenderedDocument,
    item_tag_reference,
)
from returndesk.services.usecases.exchange import (
    ExchangeCase,
    ExchangeResult,
    ProductChoice,
    ReplacementLineView,
    ReplacementView,
)
from returndesk.services.usecases.finance import JournalEntryView, JournalLineView, TrialBalance, TrialBalanceRow
from returndesk.services.usecases.history import CustomerHistory, PastReturn, TimelineEntry
from returndesk.services.usecases.housekeeping import HousekeepingReport
from returndesk.services.usecases.sessions import ApiKeyView, NewApiKey
from returndesk.services.usecases.webhooks import NewWebhook, OutboxRow, WebhookView
from returndesk.services.usecases.inspection import CompletionLine, CompletionResult, UnitResult
from returndesk.services.usecases.intake import DraftLine, PreviewLine, ReturnDraft, ReturnPreview
from returndesk.services.infra.live import Change, FeedLost
from returndesk.services.infra.printer_routing import (
    LABEL_SIZES,
    RECEIPT_WIDTHS,
    ZPL_DOCUMENTS,
    ZPL_DPIS,
    Destination,
    DestinationKind,
    StationPrinting,
    parse_destination,
)
from returndesk.services.usecases.import_jobs import ImportProgress
from returndesk.services.usecases.importing import ImportResult
from returndesk.services.usecases.master_data import (
    CategoryRecord,
    CustomerRecord,
    FileImportResult,
    ImportPreview,
    ImportProfileView,
    ProductRecord,
    SupplierRecord,
)
from returndesk.services.usecases.receiving import ParcelView, ScanLookup
from returndesk.services.usecases.return_page import (
    MIN_REOPEN_REASON,
    PrintableDocument,
    PrintedCopy,
    ReasonName,
    RefundFigures,
    ReturnPage,
    UnitView,
)
from returndesk.services.usecases.return_search import EXPORT_FORMATS, ExportedFile, ReturnFilter, ReturnSort
from returndesk.services.usecases.refunds import RefundLineView, RefundResult, RefundView
from returndesk.services.usecases.sales import (
    CustomerView,
    OrderReturnView,
    PolicyView,
    ReasonView,
    SaleLineView,
    SaleSummary,
    SaleView,
)
from returndesk.services.usecases.review import (
    AuthorizeResult,
    QuestionView,
    ReviewCase,
    ReviewCounts,
    ReviewRow,
    ReviewState,
)
from returndesk.services.usecases.scanning import parse_scan
from returndesk.services.usecases.worklists import ToPayRow
from returndesk.services.usecases.sites import SiteView, StationTime, default_zone_name, system_zone_name
from returndesk.services.tx.views import InspectionUnitView, Page, ReturnDetail, ReturnLineView, ReturnSummary

if TYPE_CHECKING:
    from returndesk.services.usecases.counter import CounterResult, RemoteReturn


def __getattr__(name: str) -> object:
    # The counter's values live with its use case, which a start does not import (the counter
    # fast path pulls in refunds and documents; tests/unit/test_lazy_imports.py): loaded on first use.
    if name in ("CounterResult", "RemoteReturn"):
        from returndesk.services.usecases import counter

        return getattr(counter, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EXPORT_FORMATS",
    "CycleTimes",
    "CycleTrend",
    "MoneyFigure",
    "MoneyReport",
    "ParetoBar",
    "RateRow",
    "RateTable",
    "ReasonPareto",
    "ReportFilter",
    "RiskCustomer",
    "RiskThresholds",
    "StageAgeing",
    "StageTime",
    "StageTargetView",
    "StageTrendPoint",
    "StuckReturn",
    "Throughput",
    "WatchView",
    "LABEL_SIZES",
    "MIN_REASON_LENGTH",
    "MIN_REOPEN_REASON",
    "RECEIPT_WIDTHS",
    "ZPL_DOCUMENTS",
    "ZPL_DPIS",
    "Actor",
    "ApprovalCase",
    "ApprovalState",
    "AuthorizeResult",
    "BlindDraft",
    "BlindQuote",
    "CategoryRecord",
    "Change",
    "ChangeListener",
    "CheckCount",
    "CompletionLine",
    "CompletionResult",
    "CounterResult",
    "CustomerHistory",
    "CustomerRecord",
    "CustomerView",
    "Destination",
    "DestinationKind",
    "DraftLine",
    "ExchangeCase",
    "ExchangeResult",
    "ExportedFile",
    "FeedLost",
    "FileImportResult",
    "HousekeepingReport",
    "ImportPreview",
    "ImportProfileView",
    "ImportProgress",
    "ImportResult",
    "ApiKeyView",
    "NewApiKey",
    "NewWebhook",
    "OutboxRow",
    "WebhookView",
    "InspectionUnitView",
    "JournalEntryView",
    "JournalLineView",
    "Lang",
    "LineChecks",
    "OrderReturnView",
    "Page",
    "ParcelView",
    "PastReturn",
    "PolicyView",
    "PreparedPrint",
    "PreviewLine",
    "PrintOutcome",
    "ProductChoice",
    "QuestionView",
    "PrintableDocument",
    "PrintedCopy",
    "ProductRecord",
    "QueueNotes",
    "ReasonName",
    "ReasonView",
    "RefundFigures",
    "RefundLineView",
    "RefundResult",
    "RefundView",
    "RemoteReturn",
    "RenderedDocument",
    "ReplacementLineView",
    "ReplacementView",
    "ReturnDetail",
    "ReturnDraft",
    "ReturnFilter",
    "ReturnLineView",
    "ReturnPage",
    "ReturnPreview",
    "ReturnSort",
    "ReturnSummary",
    "ReviewCase",
    "ReviewCounts",
    "ReviewRow",
    "ReviewState",
    "SaleLineView",
    "ClaimDetail",
    "ClaimDocuments",
    "ClaimStatus",
    "ClaimSummary",
    "ClaimUnitView",
    "RtvTerms",
    "UnitFate",
    "WaitingUnit",
    "RefurbishQueue",
    "RefurbishStatus",
    "RefurbishUnit",
    "ReasonUnits",
    "SupplierFigures",
    "SupplierReport",
    "SupplierReportFiles",
    "SaleSummary",
    "SaleView",
    "ScanLookup",
    "SignOff",
    "SiteView",
    "StationPrinting",
    "StationTime",
    "SupplierRecord",
    "TimelineEntry",
    "ToPayRow",
    "TrialBalance",
    "TrialBalanceRow",
    "UnitChecks",
    "UnitResult",
    "UnitView",
    "UserView",
    "SessionView",
    "default_zone_name",
    "item_tag_reference",
    "parse_destination",
    "parse_scan",
    "refund_methods_for",
    "system_zone_name",
    "utcnow",
    "ADMIN_ENTITIES",
    "FILE_KINDS",
    "STATION_KINDS",
    "AccountTotal",
    "AdminLogEntry",
    "CashPayment",
    "CashShiftReport",
    "CashShiftView",
    "DeskCreditNote",
    "DeskJournalLine",
    "DeskRefund",
    "DeskTotals",
    "ExportFile",
    "MethodTotal",
    "PolicyDraftView",
    "PolicyRules",
    "RuleChange",
    "StationView",
    "StoreCreditBalance",
    "StoreCreditEntryView",
    "diff_rules",
]
