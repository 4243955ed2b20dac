"""The API in process: the use cases bound to this client's own database.

``LocalSession`` implements :class:`~returndesk.api.protocol.SessionApi` over an opened database
(``LocalSession.open(choice)``); ``session.api_for(actor)`` gives the
:class:`~returndesk.api.protocol.ReturnDeskApi` acting as the signed-in ``actor``. Each method
calls the use case of the same name with the context and the actor bound; nothing else happens
here, so the use cases stay the one place where the rules live.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from returndesk.domain.errors import SessionEnded, ValidationFailed
from returndesk.domain.permissions import Permission
from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    CollectMethod,
    Disposition,
    DocumentType,
    Fulfilment,
    Grade,
    RefundMethod,
    Role,
)
from returndesk.domain.types import Resolution
from returndesk.services.usecases import (
    administration,
    analytics,
    approval,
    auth,
    cash,
    claims,
    refurbish,
    supplier_report,
    documents,
    exchange,
    finance,
    finance_desk,
    history,
    inspection,
    intake,
    master_data,
    policy_admin,
    receiving,
    refunds,
    review,
    return_page,
    return_search,
    sales,
    sessions,
    sites,
    store_credit,
    webhooks,
    worklists,
)
from returndesk.services.infra import live, printer_routing
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase, open_database_at
from returndesk.services.tx.context import Actor, ChangeListener, ServiceContext, utcnow

from .protocol import SessionApi
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from returndesk.documents.data import Lang
    from returndesk.devtools.demo import DemoAccount

    from .protocol import ChangeFeed, ReturnDeskApi
    from returndesk.domain.policy import PolicyRules, RuleChange

    from .types import (
        SessionView,
        AdminLogEntry,
        CashShiftReport,
        CashShiftView,
        DeskCreditNote,
        DeskJournalLine,
        DeskRefund,
        DeskTotals,
        ExportFile,
        PolicyDraftView,
        SiteView,
        StationView,
        StoreCreditBalance,
        CycleTimes,
        CycleTrend,
        StageTargetView,
        MoneyReport,
        RateTable,
        ReasonPareto,
        ReportFilter,
        RiskCustomer,
        RiskThresholds,
        WatchView,
        ApprovalCase,
        ApprovalState,
        ClaimDetail,
        ClaimDocuments,
        ClaimStatus,
        ClaimSummary,
        CompletionResult,
        UnitFate,
        WaitingUnit,
        RefurbishQueue,
        SupplierReport,
        SupplierReportFiles,
        RefurbishUnit,
        CounterResult,
        CustomerHistory,
        Destination,
        BlindDraft,
        BlindQuote,
        ExchangeCase,
        ExchangeResult,
        ExportedFile,
        ProductChoice,
        SignOff,
        HousekeepingReport,
        ApiKeyView,
        NewApiKey,
        NewWebhook,
        OutboxRow,
        WebhookView,
        JournalEntryView,
        Page,
        ParcelView,
        PolicyView,
        PreparedPrint,
        PrintOutcome,
        QueueNotes,
        ReasonView,
        RefundResult,
        RefundView,
        RemoteReturn,
        RenderedDocument,
        ReplacementView,
        ReturnDetail,
        ReturnDraft,
        ReturnFilter,
        ReturnPage,
        ReturnPreview,
        ReturnSummary,
        ReviewCase,
        ReviewCounts,
        ReviewRow,
        AuthorizeResult,
        SaleSummary,
        SaleView,
        ScanLookup,
        StationPrinting,
        StationTime,
        TimelineEntry,
        ToPayRow,
        TrialBalance,
        UnitChecks,
        UnitResult,
        UserView,
        CategoryRecord,
        CustomerRecord,
        FileImportResult,
        ImportPreview,
        ImportProfileView,
        ImportProgress,
        ProductRecord,
        SupplierRecord,
    )

__all__ = ["LocalApi", "LocalSession", "open_local_session"]

# The demo written into a new local database at first start: small enough to be ready in
# seconds, large enough for every state of a return (at least 14 returns over 45 days or more).
DEMO_ORDERS = 180
DEMO_RETURNS = 36
DEMO_DAYS = 90


class _Bound:
    """A group of use cases with the context and the acting user bound."""

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        self._ctx = ctx
        self._actor = actor


# --------------------------------------------------------------------------- around sign-in


class LocalAuth:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def has_users(self) -> bool:
        return any(u.active for u in auth.list_users(self._ctx))

    def sign_in(self, username: str, password: str) -> Actor:
        return auth.sign_in(self._ctx, username, password, station=self._ctx.station)

    def create_first_administrator(self, username: str, display_name: str, password: str) -> Actor:
        if self.has_users():
            raise ValidationFailed(
                msg("This database has users already; sign in, or ask an administrator to add you.")
            )
        auth.add_user(self._ctx, None, username=username, display_name=display_name,
                      role=Role.ADMIN, password=password)
        return self.sign_in(username, password)


class LocalSession:
    """The open database of a running client (see :class:`~returndesk.api.protocol.SessionApi`)."""

    def __init__(self, opened: OpenedDatabase) -> None:
        self._opened = opened
        self._auth = LocalAuth(opened.ctx)

    @classmethod
    def open(cls, choice: DatabaseChoice, password: str | None = None, *, station: str | None = None,
             clock: Callable[[], datetime] = utcnow) -> LocalSession:
        """Open (upgrade, seed) the chosen database; see ``connection.open_database_at``."""
        return cls(open_database_at(choice, password, station=station, clock=clock))

    @property
    def _ctx(self) -> ServiceContext:
        return self._opened.ctx

    @property
    def context(self) -> ServiceContext:
        """The services' context of this database, for the code that owns it in this process
        (tests, tools). Not part of the API: screens never see it."""
        return self._opened.ctx

    @property
    def auth(self) -> LocalAuth:
        return self._auth

    @property
    def database(self) -> DatabaseChoice:
        return self._opened.choice

    @property
    def station(self) -> str | None:
        return self._ctx.station

    @property
    def is_local(self) -> bool:
        return self._opened.choice.is_local

    @property
    def created(self) -> bool:
        return self._opened.created

    @property
    def schema_revision(self) -> str | None:
        return self._opened.status.current

    def describe_database(self) -> str:
        return self._opened.choice.describe()

    def now(self) -> datetime:
        return self._ctx.now()

    def set_station(self, name: str) -> None:
        self._ctx.station = name

    def on_session_ended(self, listener: Callable[[SessionEnded], None]) -> Callable[[], None]:
        return lambda: None  # in process nobody signs in at a server, so no session ends by itself

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        listeners = self._ctx.listeners
        listeners.append(listener)

        def unsubscribe() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return unsubscribe

    def open_change_feed(self) -> ChangeFeed:
        return live.open_change_feed(self._ctx)

    def station_time(self) -> StationTime:
        return sites.station_time(self._ctx)

    def ensure_installation_zone(self, time_zone: str) -> str:
        return sites.ensure_installation_zone(self._ctx, time_zone)

    def demo_available(self) -> bool:
        return importlib.util.find_spec("returndesk.devtools.demo") is not None

    def fill_demo_data(self, progress: Callable[[str, int, int], None] | None = None) -> object:
        if self.auth.has_users():
            raise ValidationFailed(
                msg("This database has users already; demo data is only written to a new, empty database.")
            )
        demo = importlib.import_module("returndesk.devtools.demo")
        return demo.generate_demo(self._ctx, orders=DEMO_ORDERS, returns=DEMO_RETURNS, days=DEMO_DAYS,
                                  progress=progress)

    def demo_accounts(self) -> tuple[DemoAccount, ...]:
        if not self.demo_available():
            return ()
        demo = importlib.import_module("returndesk.devtools.demo")
        if not demo.is_demo_database(self._ctx):
            return ()
        return tuple(demo.demo_accounts())

    def run_housekeeping(self) -> HousekeepingReport:
        from returndesk.services.usecases import housekeeping

        return housekeeping.run_housekeeping(self._ctx, None)

    def api_for(self, user: Actor) -> ReturnDeskApi:
        return LocalApi(self, user)

    def end_session(self, user: Actor) -> None:
        """Nothing to end in process: the signed-in user is this client's own ``Actor``."""

    def close(self) -> None:
        self._ctx.db.dispose()


# --------------------------------------------------------------------------- the workflows


class LocalSearch(_Bound):
    def find_sales(self, query: str, *, limit: int = 20) -> list[SaleSummary]:
        return sales.find_sales(self._ctx, self._actor, query, limit=limit)

    def get_sale(self, order_no: str, *, channel: Channel | str = Channel.COUNTER) -> SaleView:
        return sales.get_sale(self._ctx, self._actor, order_no, channel=channel)

    def find_returns(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        return worklists.search_returns(self._ctx, self._actor, text, after=after, limit=limit)

    def get_return(self, rma_no: str) -> ReturnDetail:
        return history.get_return(self._ctx, self._actor, rma_no)

    def return_timeline(self, rma_no: str) -> list[TimelineEntry]:
        return history.return_timeline(self._ctx, self._actor, rma_no)

    def customer_history(self, customer_id: int) -> CustomerHistory:
        return history.customer_history(self._ctx, self._actor, customer_id)

    def get_return_page(self, rma_no: str) -> ReturnPage:
        return return_page.get_return_page(self._ctx, self._actor, rma_no)

    def search_returns(self, criteria: ReturnFilter, *, after: str | None = None,
                       limit: int = 50) -> Page[ReturnSummary]:
        return return_search.search_returns(self._ctx, self._actor, criteria, after=after, limit=limit)

    def export_returns(self, criteria: ReturnFilter, fmt: str, *, headers: tuple[str, ...] | None = None,
                       words: Mapping[str, str] | None = None) -> ExportedFile:
        return return_search.export_returns(self._ctx, self._actor, criteria, fmt, headers=headers, words=words)


class LocalIntake(_Bound):
    def preview_return(self, draft: ReturnDraft) -> ReturnPreview:
        return intake.preview_return(self._ctx, self._actor, draft)

    def create_return(self, draft: ReturnDraft, *, submit: bool = True) -> ReturnDetail:
        return intake.create_return(self._ctx, self._actor, draft, submit=submit)

    def authorize_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        return intake.authorize_return(self._ctx, self._actor, rma_no, expected_version=expected_version)

    def reject_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        return intake.reject_return(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)

    def cancel_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        return intake.cancel_return(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)

    def reopen_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        return return_page.reopen_return(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)


class LocalCounter(_Bound):
    # The counter's use cases are imported on first use: a start does not need them.
    def counter_return(self, draft: ReturnDraft, *, complete_on_spot: bool = True, grade: Grade | str = Grade.A,
                       serials: Mapping[int, Sequence[str]] | None = None,
                       sign_off: SignOff | None = None) -> CounterResult:
        from returndesk.services.usecases import counter

        return counter.counter_return(self._ctx, self._actor, draft, complete_on_spot=complete_on_spot,
                                      grade=grade, serials=serials, sign_off=sign_off)

    def sign_off_return(self, rma_no: str, sign_off: SignOff, *, override_reason: str | None = None,
                        expected_version: int | None = None) -> CounterResult:
        from returndesk.services.usecases import counter

        return counter.sign_off_return(self._ctx, self._actor, rma_no, sign_off, override_reason=override_reason,
                                       expected_version=expected_version)

    def quote_blind_return(self, product: str, *, quantity: int = 1,
                           customer_phone: str | None = None) -> BlindQuote:
        from returndesk.services.usecases import blind

        return blind.quote_blind_return(self._ctx, self._actor, product, quantity=quantity,
                                        customer_phone=customer_phone)

    def blind_return(self, draft: BlindDraft, sign_off: SignOff | None) -> CounterResult:
        from returndesk.services.usecases import blind

        result: CounterResult = blind.blind_return(self._ctx, self._actor, draft, sign_off)
        return result

    def issue_remote_return(self, draft: ReturnDraft) -> RemoteReturn:
        from returndesk.services.usecases import counter

        return counter.issue_remote_return(self._ctx, self._actor, draft)


class LocalReceiving(_Bound):
    def expected_returns(self, *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        return worklists.expected_returns(self._ctx, self._actor, after=after, limit=limit)

    def find_return_by_scan(self, text: str) -> ScanLookup:
        return receiving.find_return_by_scan(self._ctx, self._actor, text)

    def receive_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        return receiving.receive_return(self._ctx, self._actor, rma_no, expected_version=expected_version)

    def record_unexpected_parcel(self, *, tracking_no: str | None = None, sender: str | None = None,
                                 order_hint: str | None = None, contents: str | None = None) -> ParcelView:
        return receiving.record_unexpected_parcel(self._ctx, self._actor, tracking_no=tracking_no, sender=sender,
                                                  order_hint=order_hint, contents=contents)

    def list_unexpected_parcels(self, status: str = "open", *, after: str | None = None,
                                limit: int = 50) -> Page[ParcelView]:
        return receiving.list_unexpected_parcels(self._ctx, self._actor, status, after=after, limit=limit)

    def match_parcel(self, parcel_id: int, rma_no: str) -> ParcelView:
        return receiving.match_parcel(self._ctx, self._actor, parcel_id, rma_no)

    def return_parcel(self, parcel_id: int, *, note: str) -> ParcelView:
        return receiving.return_parcel(self._ctx, self._actor, parcel_id, note=note)


class LocalInspection(_Bound):
    def inspection_queue(self, *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        return worklists.inspection_queue(self._ctx, self._actor, after=after, limit=limit)

    def record_unit(self, rma_no: str, *, scanned_code: str | None = None, line_id: int | None = None,
                    grade: Grade | str | None = Grade.A, disposition: Disposition | str | None = None,
                    checks: UnitChecks | None = None, serial_no: str | None = None, notes: str | None = None,
                    wrong_item: bool = False, expected_version: int | None = None) -> UnitResult:
        return inspection.record_unit(self._ctx, self._actor, rma_no, scanned_code=scanned_code, line_id=line_id,
                                      grade=grade, disposition=disposition, checks=checks, serial_no=serial_no,
                                      notes=notes, wrong_item=wrong_item, expected_version=expected_version)

    def update_unit(self, unit_id: int, *, grade: Grade | str | None = None,
                    disposition: Disposition | str | None = None, checks: UnitChecks | None = None,
                    notes: str | None = None, expected_version: int | None = None) -> UnitResult:
        return inspection.update_unit(self._ctx, self._actor, unit_id, grade=grade, disposition=disposition,
                                      checks=checks, notes=notes, expected_version=expected_version)

    def undo_last_unit(self, rma_no: str, *, expected_version: int | None = None) -> UnitResult:
        return inspection.undo_last_unit(self._ctx, self._actor, rma_no, expected_version=expected_version)

    def close_line_short(self, rma_no: str, line_id: int, *, expected_version: int | None = None) -> ReturnDetail:
        return inspection.close_line_short(self._ctx, self._actor, rma_no, line_id,
                                           expected_version=expected_version)

    def complete_inspection(self, rma_no: str, *, expected_version: int | None = None) -> CompletionResult:
        return inspection.complete_inspection(self._ctx, self._actor, rma_no, expected_version=expected_version)


class LocalApproval(_Bound):
    def approval_queue(self, *, reason_code: str | None = None, level: ApprovalLevel | str | None = None,
                       text: str | None = None, after: str | None = None,
                       limit: int = 50) -> Page[ReturnSummary]:
        return approval.approval_queue(self._ctx, self._actor, reason_code=reason_code, level=level, text=text,
                                       after=after, limit=limit)

    def queue_size(self) -> int:
        return approval.queue_size(self._ctx, self._actor)

    def queue_counts_by_reason(self) -> list[tuple[str, int]]:
        return approval.queue_counts_by_reason(self._ctx, self._actor)

    def find_queue_notes(self, return_ids: Sequence[int]) -> dict[int, QueueNotes]:
        return approval.find_queue_notes(self._ctx, self._actor, return_ids)

    def get_case(self, rma_no: str) -> ApprovalCase:
        return approval.get_case(self._ctx, self._actor, rma_no)

    def approval_state(self, rma_no: str) -> ApprovalState:
        return approval.approval_state(self._ctx, self._actor, rma_no)

    def approve_refund(self, rma_no: str, *, note: str | None = None,
                       expected_version: int | None = None) -> ReturnDetail:
        return approval.approve_refund(self._ctx, self._actor, rma_no, note=note, expected_version=expected_version)

    def reject_refund(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        return approval.reject_refund(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)

    def override_policy(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        return approval.override_policy(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)


class LocalRefunds(_Bound):
    def issue_refund(self, rma_no: str, *, method: RefundMethod | str | None = None,
                     external_ref: str | None = None, expected_version: int | None = None) -> RefundResult:
        return refunds.issue_refund(self._ctx, self._actor, rma_no, method=method, external_ref=external_ref,
                                    expected_version=expected_version)

    def find_refund(self, rma_no: str) -> RefundView | None:
        return refunds.find_refund(self._ctx, self._actor, rma_no)

    def close_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        return refunds.close_return(self._ctx, self._actor, rma_no, expected_version=expected_version)

    def to_pay_queue(self, *, after: str | None = None, limit: int = 50) -> Page[ToPayRow]:
        return worklists.to_pay_queue(self._ctx, self._actor, after=after, limit=limit)


class LocalReview(_Bound):
    def review_queue(self, *, waiting: bool = False, after: str | None = None,
                     limit: int = 50) -> Page[ReviewRow]:
        return review.review_queue(self._ctx, self._actor, waiting=waiting, after=after, limit=limit)

    def review_counts(self) -> ReviewCounts:
        return review.review_counts(self._ctx, self._actor)

    def get_review_case(self, rma_no: str) -> ReviewCase:
        return review.get_review_case(self._ctx, self._actor, rma_no)

    def authorize_request(self, rma_no: str, *, override_reason: str | None = None,
                          expected_version: int | None = None) -> AuthorizeResult:
        return review.authorize_request(self._ctx, self._actor, rma_no, override_reason=override_reason,
                                        expected_version=expected_version)

    def reject_request(self, rma_no: str, reason_code: str, words: str | None = None, *,
                       expected_version: int | None = None) -> ReturnDetail:
        return review.reject_request(self._ctx, self._actor, rma_no, reason_code, words,
                                     expected_version=expected_version)

    def ask_customer(self, rma_no: str, question: str, *, expected_version: int | None = None) -> ReturnDetail:
        return review.ask_customer(self._ctx, self._actor, rma_no, question, expected_version=expected_version)

    def record_answer(self, rma_no: str, answer: str, *, expected_version: int | None = None) -> ReturnDetail:
        return review.record_answer(self._ctx, self._actor, rma_no, answer, expected_version=expected_version)


class LocalExchange(_Bound):
    def create_exchange(self, rma_no: str, replacements: Sequence[tuple[int | str, int]], *,
                        method: RefundMethod | str | None = None,
                        expected_version: int | None = None) -> ExchangeResult:
        return exchange.create_exchange(self._ctx, self._actor, rma_no, replacements, method=method,
                                        expected_version=expected_version)

    def fulfil_replacement(self, order_no: str) -> ReplacementView:
        return exchange.fulfil_replacement(self._ctx, self._actor, order_no)

    def cancel_replacement(self, order_no: str, reason: str) -> ReplacementView:
        return exchange.cancel_replacement(self._ctx, self._actor, order_no, reason)

    def fulfil_exchange(self, rma_no: str, fulfilment: Fulfilment | str = Fulfilment.COUNTER, *,
                        expected_version: int | None = None) -> ReplacementView:
        return exchange.fulfil_exchange(self._ctx, self._actor, rma_no, fulfilment,
                                        expected_version=expected_version)

    def cancel_exchange(self, rma_no: str, reason: str, *,
                        expected_version: int | None = None) -> ReplacementView:
        return exchange.cancel_exchange(self._ctx, self._actor, rma_no, reason, expected_version=expected_version)

    def find_replacement(self, reference: str) -> ReplacementView | None:
        return exchange.find_replacement(self._ctx, self._actor, reference)

    def get_exchange_case(self, rma_no: str) -> ExchangeCase:
        return exchange.get_exchange_case(self._ctx, self._actor, rma_no)

    def find_products(self, text: str, *, limit: int = 20) -> list[ProductChoice]:
        return exchange.find_products(self._ctx, self._actor, text, limit=limit)

    def exchange_at_counter(self, rma_no: str, replacements: Sequence[tuple[int | str, int]], *,
                            fulfilment: Fulfilment | str = Fulfilment.COUNTER,
                            collect_method: CollectMethod | str | None = None,
                            refund_method: RefundMethod | str | None = None,
                            expected_version: int | None = None) -> ExchangeResult:
        return exchange.exchange_at_counter(self._ctx, self._actor, rma_no, replacements, fulfilment=fulfilment,
                                            collect_method=collect_method, refund_method=refund_method,
                                            expected_version=expected_version)

    def collect_difference(self, order_no: str, method: CollectMethod | str) -> ReplacementView:
        return exchange.collect_difference(self._ctx, self._actor, order_no, method)

    def record_changed_mind(self, rma_no: str, line_ids: Sequence[int] | None = None, *,
                            expected_version: int | None = None) -> ReturnDetail:
        return exchange.record_changed_mind(self._ctx, self._actor, rma_no, line_ids,
                                            expected_version=expected_version)


class LocalAdmin(_Bound):
    def list_users(self) -> list[UserView]:
        return auth.list_users(self._ctx, self._actor)

    def add_user(self, *, username: str, display_name: str, role: Role | str, password: str,
                 approval_limit_minor: int = 0) -> UserView:
        return auth.add_user(self._ctx, self._actor, username=username, display_name=display_name, role=role,
                             password=password, approval_limit_minor=approval_limit_minor)

    def change_user(self, username: str, *, role: Role | str | None = None, active: bool | None = None,
                    approval_limit_minor: int | None = None, display_name: str | None = None) -> UserView:
        return auth.change_user(self._ctx, self._actor, username, role=role, active=active,
                                approval_limit_minor=approval_limit_minor, display_name=display_name)

    def unlock_user(self, username: str) -> UserView:
        return auth.unlock_user(self._ctx, self._actor, username)

    def set_password(self, username: str, password: str) -> None:
        auth.set_password(self._ctx, self._actor, username, password)

    def list_sessions(self) -> list[SessionView]:
        return sessions.list_sessions(self._ctx, self._actor)

    def end_sessions(self, username: str | None = None) -> int:
        if username is None:
            return sessions.end_all_sessions(self._ctx, self._actor)
        return sessions.revoke_sessions(self._ctx, self._actor, username)

    def run_housekeeping(self) -> HousekeepingReport:
        from returndesk.services.usecases import housekeeping

        return housekeeping.run_housekeeping(self._ctx, self._actor)

    def set_badge(self, username: str, code: str | None) -> UserView:
        return auth.set_badge(self._ctx, self._actor, username, code)

    def admin_log(self, *, entity: str | None = None, text: str | None = None, before_seq: int | None = None,
                  limit: int = 100) -> list[AdminLogEntry]:
        return administration.admin_log(self._ctx, self._actor, entity=entity, text=text,
                                        before_seq=before_seq, limit=limit)

    def list_stations(self) -> list[StationView]:
        return administration.list_stations(self._ctx, self._actor)

    def save_station(self, code: str, *, name: str | None = None, kind: str | None = None,
                     site: str | None = None) -> StationView:
        return administration.save_station(self._ctx, self._actor, code, name=name, kind=kind, site=site)

    def list_sites(self) -> list[SiteView]:
        return sites.list_sites(self._ctx, self._actor)

    def save_site(self, code: str, *, time_zone: str, name: str | None = None, kind: str | None = None,
                  return_address: str | None = None) -> SiteView:
        return sites.save_site(self._ctx, self._actor, code, time_zone=time_zone, name=name, kind=kind,
                               return_address=return_address)

    def list_policy_versions(self, *, limit: int = 50, before_version: int | None = None) -> list[PolicyView]:
        return policy_admin.list_policy_versions(self._ctx, self._actor, limit=limit, before_version=before_version)

    def policy_in_force(self) -> PolicyView:
        return policy_admin.get_policy(self._ctx)

    def get_policy_draft(self) -> PolicyDraftView | None:
        return policy_admin.get_policy_draft(self._ctx, self._actor)

    def save_policy_draft(self, rules: PolicyRules, name: str, *,
                          expected_version: int | None = None) -> PolicyDraftView:
        return policy_admin.save_policy_draft(self._ctx, self._actor, rules, name, expected_version=expected_version)

    def discard_policy_draft(self) -> None:
        policy_admin.discard_policy_draft(self._ctx, self._actor)

    def policy_draft_changes(self) -> tuple[RuleChange, ...]:
        return policy_admin.policy_draft_changes(self._ctx, self._actor)

    def publish_policy_draft(self, effective_on: date | None = None, *,
                             expected_version: int | None = None) -> PolicyView:
        return policy_admin.publish_policy_draft(self._ctx, self._actor, effective_on,
                                                 expected_version=expected_version)

    def withdraw_policy_version(self, version: int) -> PolicyView:
        return policy_admin.withdraw_policy_version(self._ctx, self._actor, version)

    def add_reason(self, code: str, name_en: str, name_zh: str, *, vendor_fault: bool,
                   allowed_resolutions: Sequence[Resolution | str] = (Resolution.REFUND, Resolution.EXCHANGE)
                   ) -> ReasonView:
        return policy_admin.add_reason(self._ctx, self._actor, code, name_en, name_zh, vendor_fault=vendor_fault,
                                       allowed_resolutions=allowed_resolutions)

    def update_reason(self, code: str, *, name_en: str | None = None, name_zh: str | None = None,
                      vendor_fault: bool | None = None,
                      allowed_resolutions: Sequence[Resolution | str] | None = None,
                      active: bool | None = None) -> ReasonView:
        return policy_admin.update_reason(self._ctx, self._actor, code, name_en=name_en, name_zh=name_zh,
                                          vendor_fault=vendor_fault, allowed_resolutions=allowed_resolutions,
                                          active=active)


class LocalCash(_Bound):
    def current_shift(self) -> CashShiftView | None:
        return cash.current_shift(self._ctx, self._actor)

    def open_shift(self, float_minor: int) -> CashShiftView:
        return cash.open_shift(self._ctx, self._actor, float_minor)

    def close_shift(self, counted_minor: int, *, note: str | None = None) -> CashShiftView:
        return cash.close_shift(self._ctx, self._actor, counted_minor, note=note)

    def shift_report(self, shift_no: str) -> CashShiftReport:
        return cash.shift_report(self._ctx, self._actor, shift_no)

    def shift_report_pdf(self, shift_no: str, *, lang: Lang = "en") -> bytes:
        return cash.shift_report_pdf(self._ctx, self._actor, shift_no, lang=lang)

    def store_credit_balance(self, customer_id: int) -> StoreCreditBalance:
        return store_credit.store_credit_balance(self._ctx, self._actor, customer_id)

    def spend_store_credit(self, customer_id: int, amount_minor: int, *, reference: str,
                           memo: str | None = None) -> StoreCreditBalance:
        return store_credit.spend_store_credit(self._ctx, self._actor, customer_id, amount_minor,
                                               reference=reference, memo=memo)


class LocalIntegrations(_Bound):
    def list_outbox(self, status: str = "pending", *, limit: int = 200) -> list[OutboxRow]:
        return webhooks.list_outbox(self._ctx, self._actor, status, limit=limit)

    def list_webhooks(self) -> list[WebhookView]:
        return webhooks.list_webhooks(self._ctx, self._actor)

    def add_webhook(self, name: str, url: str, event_types: str = "*") -> NewWebhook:
        return webhooks.add_webhook(self._ctx, self._actor, name, url, event_types)

    def replay_webhook(self, name: str, from_event: int) -> WebhookView:
        return webhooks.replay_webhook(self._ctx, self._actor, name, from_event)

    def set_webhook_active(self, name: str, active: bool) -> WebhookView:
        return webhooks.set_webhook_active(self._ctx, self._actor, name, active)

    def list_api_keys(self) -> list[ApiKeyView]:
        return sessions.list_api_keys(self._ctx, self._actor)

    def list_api_scopes(self) -> list[str]:
        self._actor.require(Permission.ADMIN_USERS)
        return list(sessions.SCOPES)

    def create_api_key(self, name: str, scopes: list[str]) -> NewApiKey:
        return sessions.create_api_key(self._ctx, self._actor, name, list(scopes))

    def revoke_api_key(self, name: str) -> ApiKeyView:
        return sessions.revoke_api_key(self._ctx, self._actor, name)


class LocalFinance(_Bound):
    def trial_balance(self, date_from: date, date_to: date) -> TrialBalance:
        return finance.trial_balance(self._ctx, self._actor, date_from, date_to)

    def find_refunds(self, date_from: date, date_to: date, *, method: RefundMethod | str | None = None,
                     text: str | None = None, after: str | None = None, limit: int = 100) -> Page[DeskRefund]:
        return finance_desk.find_desk_refunds(self._ctx, self._actor, date_from, date_to, method=method, text=text,
                                              after=after, limit=limit)

    def find_credit_notes(self, date_from: date, date_to: date, *, text: str | None = None,
                          after: str | None = None, limit: int = 100) -> Page[DeskCreditNote]:
        return finance_desk.find_credit_notes(self._ctx, self._actor, date_from, date_to, text=text, after=after,
                                              limit=limit)

    def find_journal_lines(self, date_from: date, date_to: date, *, account: str | None = None,
                           after: str | None = None, limit: int = 100) -> Page[DeskJournalLine]:
        return finance_desk.find_journal_lines(self._ctx, self._actor, date_from, date_to, account=account,
                                               after=after, limit=limit)

    def totals(self, date_from: date, date_to: date) -> DeskTotals:
        return finance_desk.desk_totals(self._ctx, self._actor, date_from, date_to)

    def find_shifts(self, date_from: date, date_to: date, *, station: str | None = None,
                    after: str | None = None, limit: int = 100) -> Page[CashShiftView]:
        return cash.find_shifts(self._ctx, self._actor, date_from, date_to, station=station, after=after,
                                limit=limit)

    def export_file(self, kind: str, date_from: date, date_to: date, fmt: str = "xlsx") -> ExportFile:
        return finance_desk.export_file(self._ctx, self._actor, kind, date_from, date_to, fmt)

    def find_journal_entries(self, *, date_from: date | None = None, date_to: date | None = None,
                             after: tuple[datetime, int] | None = None,
                             limit: int = 100) -> list[JournalEntryView]:
        return finance.find_journal_entries(self._ctx, self._actor, date_from=date_from, date_to=date_to,
                                            after=after, limit=limit)


class LocalAnalytics(_Bound):
    def reason_pareto(self, report_filter: ReportFilter) -> ReasonPareto:
        return analytics.reason_pareto(self._ctx, self._actor, report_filter)

    def returns_behind(self, report_filter: ReportFilter, reason_code: str | None = None, *,
                       after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        return analytics.returns_behind(self._ctx, self._actor, report_filter, reason_code, after=after, limit=limit)

    def return_rates(self, report_filter: ReportFilter, dimension: str = "product", *,
                     limit: int = 100) -> RateTable:
        return analytics.return_rates(self._ctx, self._actor, report_filter, dimension, limit=limit)

    def cycle_times(self, report_filter: ReportFilter, *, targets: dict[str, int] | None = None,
                    stuck_limit: int = 10) -> CycleTimes:
        return analytics.cycle_times(self._ctx, self._actor, report_filter, targets=targets, stuck_limit=stuck_limit)

    def cycle_trend(self, report_filter: ReportFilter, bucket: str = "week") -> CycleTrend:
        return analytics.cycle_trend(self._ctx, self._actor, report_filter, bucket)

    def get_stage_targets(self) -> list[StageTargetView]:
        return list(analytics.get_stage_targets(self._ctx, self._actor))

    def set_stage_targets(self, targets: dict[str, int]) -> list[StageTargetView]:
        return list(analytics.set_stage_targets(self._ctx, self._actor, targets))

    def money(self, report_filter: ReportFilter) -> MoneyReport:
        return analytics.money(self._ctx, self._actor, report_filter)

    def risk(self, report_filter: ReportFilter, *, thresholds: RiskThresholds | None = None,
             limit: int = 100) -> list[RiskCustomer]:
        return list(analytics.risk(self._ctx, self._actor, report_filter, thresholds=thresholds, limit=limit))

    def monthly_report(self, report_filter: ReportFilter, lang: Lang = "en") -> bytes:
        return analytics.monthly_report(self._ctx, self._actor, report_filter, lang)

    def set_customer_watch(self, customer_id: int, watched: bool, note: str) -> WatchView:
        return analytics.set_customer_watch(self._ctx, self._actor, customer_id, watched, note)


class LocalDocuments(_Bound):
    def prepare_print(self, doc_type: DocumentType | str, reference: str | None, *, printer: str | None = None,
                      out: str | Path | None = None, station: str | None = None, lang: Lang = "en",
                      size: str | None = None, width_mm: int | None = None) -> PreparedPrint:
        return documents.prepare_print(self._ctx, self._actor, doc_type, reference, printer=printer, out=out,
                                       station=station, lang=lang, size=size, width_mm=width_mm)

    def send_prepared(self, prepared: PreparedPrint, *, station: str | None = None) -> PrintOutcome:
        return documents.send_prepared(self._ctx, self._actor, prepared, station=station)

    def record_print(self, rendered: RenderedDocument, destination: Destination | str, *,
                     station: str | None = None) -> int:
        return documents.record_print(self._ctx, self._actor, rendered, destination, station=station)

    def print_document(self, doc_type: DocumentType | str, reference: str | None, *, printer: str | None = None,
                       out: str | Path | None = None, station: str | None = None, lang: Lang = "en",
                       size: str | None = None, width_mm: int | None = None) -> PrintOutcome:
        return documents.print_document(self._ctx, self._actor, doc_type, reference, printer=printer, out=out,
                                        station=station, lang=lang, size=size, width_mm=width_mm)


class LocalSettings(_Bound):
    def list_reasons(self, *, include_inactive: bool = False) -> list[ReasonView]:
        return sales.list_reasons(self._ctx, include_inactive=include_inactive)

    def active_policy(self) -> PolicyView:
        return sales.active_policy(self._ctx)

    def get_station_printing(self, station_code: str) -> StationPrinting:
        return printer_routing.get_station_printing(self._ctx, station_code)

    def save_station_printing(self, station_code: str, *,
                              routing: Mapping[DocumentType | str, str | None] | None = None,
                              preview: bool | None = None, label_size: str | None = None,
                              receipt_width: int | None = None, zpl_dpi: int | None = None,
                              kind: str | None = None) -> StationPrinting:
        return printer_routing.save_station_printing(self._ctx, self._actor, station_code, routing=routing,
                                                     preview=preview, label_size=label_size,
                                                     receipt_width=receipt_width, zpl_dpi=zpl_dpi, kind=kind)

    def set_station_time_zone(self, station: str, time_zone: str, *, site: str | None = None) -> StationTime:
        return sites.set_station_time_zone(self._ctx, self._actor, station, time_zone, site=site)


class LocalRefurbish(_Bound):
    def refurbish_queue(self, *, limit: int = 200, finished_limit: int = 50) -> RefurbishQueue:
        return refurbish.refurbish_queue(self._ctx, self._actor, limit=limit, finished_limit=finished_limit)

    def find_refurbish_unit(self, code: str) -> RefurbishUnit:
        return refurbish.find_refurbish_unit(self._ctx, self._actor, code)

    def refurbish_unit(self, code: str, *, grade: Grade | str, repair_note: str | None = None,
                       parts_cost_minor: int = 0) -> RefurbishUnit:
        return refurbish.refurbish_unit(self._ctx, self._actor, code, grade=grade, repair_note=repair_note,
                                        parts_cost_minor=parts_cost_minor)

    def scrap_unit(self, code: str, *, reason: str, repair_note: str | None = None, parts_cost_minor: int = 0,
                   sign_off: SignOff | None = None) -> RefurbishUnit:
        return refurbish.scrap_unit(self._ctx, self._actor, code, reason=reason, repair_note=repair_note,
                                    parts_cost_minor=parts_cost_minor, sign_off=sign_off)


class LocalClaims(_Bound):
    def list_claims(self, *, statuses: Sequence[ClaimStatus | str] | None = None,
                    supplier_code: str | None = None) -> list[ClaimSummary]:
        return claims.list_claims(self._ctx, self._actor, statuses=statuses, supplier_code=supplier_code)

    def get_claim(self, claim_no: str) -> ClaimDetail:
        return claims.get_claim(self._ctx, self._actor, claim_no)

    def units_waiting(self, *, limit: int = 200) -> list[WaitingUnit]:
        return claims.units_waiting(self._ctx, self._actor, limit=limit)

    def add_unit(self, code: str, *, sku: str | None = None) -> ClaimDetail:
        return claims.add_unit(self._ctx, self._actor, code, sku=sku)

    def remove_unit(self, claim_no: str, code: str, *, sku: str | None = None) -> ClaimDetail:
        return claims.remove_unit(self._ctx, self._actor, claim_no, code, sku=sku)

    def request_authorisation(self, claim_no: str, *, expected_version: int | None = None) -> ClaimDetail:
        return claims.request_authorisation(self._ctx, self._actor, claim_no, expected_version=expected_version)

    def record_authorisation(self, claim_no: str, vendor_rma_no: str, authorised_on: date, *,
                             expected_version: int | None = None) -> ClaimDetail:
        return claims.record_authorisation(self._ctx, self._actor, claim_no, vendor_rma_no, authorised_on,
                                           expected_version=expected_version)

    def ship_claim(self, claim_no: str, *, expected_version: int | None = None) -> ClaimDetail:
        return claims.ship_claim(self._ctx, self._actor, claim_no, expected_version=expected_version)

    def record_answer(self, claim_no: str, *, credit_note_no: str | None = None, credited_minor: int = 0,
                      refused: Sequence[str] = (), refused_to: UnitFate | str = "available",
                      expected_version: int | None = None) -> ClaimDetail:
        return claims.record_answer(self._ctx, self._actor, claim_no, credit_note_no=credit_note_no,
                                    credited_minor=credited_minor, refused=refused, refused_to=refused_to,
                                    expected_version=expected_version)

    def reject_claim(self, claim_no: str, *, units_to: UnitFate | str = "available",
                     expected_version: int | None = None) -> ClaimDetail:
        return claims.reject_claim(self._ctx, self._actor, claim_no, units_to=units_to,
                                   expected_version=expected_version)

    def claim_documents(self, claim_no: str, lang: Lang = "en") -> ClaimDocuments:
        return claims.claim_documents(self._ctx, self._actor, claim_no, lang)

    def get_supplier_report(self, date_from: date, date_to: date, *,
                            supplier_code: str | None = None) -> SupplierReport:
        return supplier_report.supplier_report(self._ctx, self._actor, date_from, date_to,
                                               supplier_code=supplier_code)

    def get_supplier_report_files(self, date_from: date, date_to: date, *, supplier_code: str | None = None,
                                  lang: Lang = "en") -> SupplierReportFiles:
        return supplier_report.supplier_report_files(self._ctx, self._actor, date_from, date_to,
                                                     supplier_code=supplier_code, lang=lang)


class LocalMasterData(_Bound):
    def preview_import(self, kind: str, data: bytes, name: str, *, mapping: Mapping[str, str] | None = None,
                       profile: str | None = None) -> ImportPreview:
        return master_data.preview_import(self._ctx, self._actor, kind, data, name, mapping=mapping, profile=profile)

    def import_file(self, kind: str, data: bytes, name: str, *, mapping: Mapping[str, str] | None = None,
                    profile: str | None = None, job_id: str | None = None) -> FileImportResult:
        return master_data.import_file(self._ctx, self._actor, kind, data, name, mapping=mapping, profile=profile,
                                       job_id=job_id)

    def import_progress(self, job_id: str) -> ImportProgress:
        return master_data.import_progress(job_id)

    def cancel_import(self, job_id: str) -> ImportProgress:
        return master_data.cancel_import(job_id)

    def list_profiles(self, kind: str | None = None) -> list[ImportProfileView]:
        return master_data.list_profiles(self._ctx, self._actor, kind)

    def save_profile(self, kind: str, name: str, mapping: Mapping[str, str]) -> ImportProfileView:
        return master_data.save_profile(self._ctx, self._actor, kind, name, mapping)

    def delete_profile(self, kind: str, name: str) -> None:
        master_data.delete_profile(self._ctx, self._actor, kind, name)

    def find_products(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[ProductRecord]:
        return master_data.find_records(self._ctx, self._actor, "products", text, after=after, limit=limit)  # type: ignore[return-value]

    def find_customers(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[CustomerRecord]:
        return master_data.find_records(self._ctx, self._actor, "customers", text, after=after, limit=limit)  # type: ignore[return-value]

    def find_suppliers(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[SupplierRecord]:
        return master_data.find_records(self._ctx, self._actor, "suppliers", text, after=after, limit=limit)  # type: ignore[return-value]

    def find_categories(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[CategoryRecord]:
        return master_data.find_records(self._ctx, self._actor, "categories", text, after=after, limit=limit)  # type: ignore[return-value]

    def save_product(self, record: ProductRecord) -> ProductRecord:
        return master_data.save_record(self._ctx, self._actor, record)  # type: ignore[return-value]

    def save_customer(self, record: CustomerRecord) -> CustomerRecord:
        return master_data.save_record(self._ctx, self._actor, record)  # type: ignore[return-value]

    def save_supplier(self, record: SupplierRecord) -> SupplierRecord:
        return master_data.save_record(self._ctx, self._actor, record)  # type: ignore[return-value]

    def save_category(self, record: CategoryRecord) -> CategoryRecord:
        return master_data.save_record(self._ctx, self._actor, record)  # type: ignore[return-value]

    def export_records(self, kind: str, fmt: str) -> bytes:
        return master_data.export_records(self._ctx, self._actor, kind, fmt)


class LocalApi:
    """The use cases in process, acting as ``user`` (see :class:`~returndesk.api.protocol.ReturnDeskApi`)."""

    def __init__(self, session: LocalSession, user: Actor) -> None:
        ctx = session._ctx
        self.user = user
        self.session = session
        self.search = LocalSearch(ctx, user)
        self.intake = LocalIntake(ctx, user)
        self.review = LocalReview(ctx, user)
        self.counter = LocalCounter(ctx, user)
        self.receiving = LocalReceiving(ctx, user)
        self.inspection = LocalInspection(ctx, user)
        self.approval = LocalApproval(ctx, user)
        self.refunds = LocalRefunds(ctx, user)
        self.exchange = LocalExchange(ctx, user)
        self.admin = LocalAdmin(ctx, user)
        self.integrations = LocalIntegrations(ctx, user)
        self.finance = LocalFinance(ctx, user)
        self.cash = LocalCash(ctx, user)
        self.documents = LocalDocuments(ctx, user)
        self.analytics = LocalAnalytics(ctx, user)
        self.settings = LocalSettings(ctx, user)
        self.claims = LocalClaims(ctx, user)
        self.refurbish = LocalRefurbish(ctx, user)
        self.master_data = LocalMasterData(ctx, user)

    def __repr__(self) -> str:
        return f"<LocalApi as {self.user.username} on {self.session.describe_database()}>"


#: Open (upgrade, seed) the chosen database in this process, as the frame's ``SessionApi`` (typed
#: so, mypy checks here that ``LocalSession`` is one).
open_local_session: Callable[..., SessionApi] = LocalSession.open
