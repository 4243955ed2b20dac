"""The API the desktop client works through: typed interfaces, grouped by workflow.

Two objects:

* :class:`SessionApi` — one open database (or one ReturnDesk server): where it is, sign-in, the
  first administrator, demo data, change notifications, the station this client is. The frame
  (``ui/app.py``) holds it from the moment the database opens.
* :class:`ReturnDeskApi` — the same, acting as one signed-in user (``api.user``), with one group
  per workflow: ``api.intake.create_return(draft)``, ``api.approval.get_case(rma_no)``.

The acting user is bound by the implementation: no method takes it. The in-process
implementation (:mod:`returndesk.api.local`) binds the signed-in ``Actor``; a remote one derives it
from its session on the server. Every method blocks and runs in the caller's thread (the UI calls
them on its task runner); every value in and out is a frozen dataclass, an enum or a primitive
(:mod:`returndesk.api.types`), never a database session, an ORM object or the services' context.
Failures are the errors of :mod:`returndesk.domain.errors`, with a sentence a clerk can act on.

Reads are ``find_*`` / ``get_*`` / ``*_queue``; changes are verbs. ``expected_version`` is the
version of the return the user was looking at: if it changed since, ``ConcurrentChange`` is raised
and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    CollectMethod,
    Disposition,
    DocumentType,
    Fulfilment,
    Grade,
    RefundMethod,
    Resolution,
    Role,
)

if TYPE_CHECKING:
    from returndesk.documents.data import Lang
    from returndesk.devtools.demo import DemoAccount

    from .connection import DatabaseChoice
    from returndesk.domain.errors import SessionEnded
    from returndesk.domain.policy import PolicyRules, RuleChange

    from .types import (
        Actor,
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
        SessionView,
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
        BlindDraft,
        BlindQuote,
        Change,
        ChangeListener,
        ClaimDetail,
        ClaimDocuments,
        ClaimStatus,
        ClaimSummary,
        CounterResult,
        CustomerHistory,
        Destination,
        ExchangeCase,
        ExchangeResult,
        ExportedFile,
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
        ProductChoice,
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
        SignOff,
        RefurbishQueue,
        SupplierReport,
        SupplierReportFiles,
        RefurbishUnit,
        StationPrinting,
        StationTime,
        TimelineEntry,
        ToPayRow,
        TrialBalance,
        UnitChecks,
        UnitFate,
        UnitResult,
        UserView,
        WaitingUnit,
        CompletionResult,
        CategoryRecord,
        CustomerRecord,
        FileImportResult,
        ImportPreview,
        ImportProfileView,
        ImportProgress,
        ProductRecord,
        SupplierRecord,
    )


# --------------------------------------------------------------------------- around sign-in


class ChangeFeed(Protocol):
    """Changes made by other stations, as they commit (see :meth:`SessionApi.open_change_feed`)."""

    @property
    def pushes(self) -> bool:
        """True when changes arrive on a socket (``fileno()``); False when ``drain`` is polled."""
        ...

    def fileno(self) -> int | None: ...

    def drain(self) -> list[Change]:
        """The changes that arrived, without blocking; raises ``FeedLost`` when the link is gone."""
        ...

    def heartbeat(self) -> None:
        """One round trip; raises ``FeedLost`` when the other end is gone."""
        ...

    def close(self) -> None: ...


class AuthApi(Protocol):
    """Sign-in, and the first administrator of an empty database."""

    def has_users(self) -> bool:
        """False for a database nobody can sign in to yet (it needs its first administrator)."""
        ...

    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; ``AuthenticationFailed`` or ``AccountLocked`` with the reason."""
        ...

    def create_first_administrator(self, username: str, display_name: str, password: str) -> Actor:
        """Create the administrator of a database without users and sign them in (refused once any
        user exists)."""
        ...


class SessionApi(Protocol):
    """One open database, before and around sign-in: the frame's part of the API."""

    @property
    def auth(self) -> AuthApi: ...

    @property
    def database(self) -> DatabaseChoice:
        """Where the data is (a local file or a server), without any password."""
        ...

    @property
    def station(self) -> str | None:
        """The station this client is, as recorded with every change it makes."""
        ...

    @property
    def is_local(self) -> bool: ...

    @property
    def created(self) -> bool:
        """True when this start created the database's schema."""
        ...

    @property
    def schema_revision(self) -> str | None: ...

    def describe_database(self) -> str:
        """Where the data is, in words, without any password."""
        ...

    def now(self) -> datetime:
        """The time by the services' clock (ages in the queues count to it)."""
        ...

    def set_station(self, name: str) -> None:
        """This client is now station ``name`` (station settings changed)."""
        ...

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener(entity, id)`` (on any thread) after each change this client commits.
        Returns the function that ends the subscription."""
        ...

    def open_change_feed(self) -> ChangeFeed:
        """The feed of changes committed by other stations; ``FeedLost`` if it cannot connect."""
        ...

    def station_time(self) -> StationTime:
        """The site of this station and the time zone its times are shown in."""
        ...

    def ensure_installation_zone(self, time_zone: str) -> str:
        """At first start: give the installation its zone unless the database has one already (a
        station joining a shared server keeps the server's). Returns the zone in force."""
        ...

    def demo_available(self) -> bool:
        """True when this installation can fill a database with demo data."""
        ...

    def fill_demo_data(self, progress: Callable[[str, int, int], None] | None = None) -> object:
        """Fill this new, empty database with a small demo (refused on a database with users)."""
        ...

    def demo_accounts(self) -> tuple[DemoAccount, ...]:
        """The demo users with their passwords on a demo database, else ``()``."""
        ...

    def run_housekeeping(self) -> HousekeepingReport:
        """Expire overdue remote returns and close settled ones, as the system (no user). The
        desktop runs it on a local database; a shared database's server does it itself."""
        ...

    def api_for(self, user: Actor) -> ReturnDeskApi:
        """The API acting as ``user``, who signed in through :attr:`auth` of this session."""
        ...

    def end_session(self, user: Actor) -> None:
        """``user`` signs out: a server ends the session (its token stops working); in process
        there is nothing to end."""
        ...

    def on_session_ended(self, listener: Callable[[SessionEnded], None]) -> Callable[[], None]:
        """Call ``listener`` (from any thread) when the server says that the signed-in user's
        session is over (expired, ended by an administrator, account disabled); returns the
        function that stops it. In process no session ends by itself."""
        ...

    def close(self) -> None:
        """Release the connections (on quit, or before switching databases)."""
        ...


# --------------------------------------------------------------------------- the workflows


class SearchApi(Protocol):
    """Finding sales and returns, and reading one return's story (counter staff, queue readers)."""

    def find_sales(self, query: str, *, limit: int = 20) -> list[SaleSummary]:
        """Sales matching an order number, phone, e-mail or name, best matches first."""
        ...

    def get_sale(self, order_no: str, *, channel: Channel | str = Channel.COUNTER) -> SaleView:
        """One sale with its lines, what was returned of them, and the customer."""
        ...

    def find_returns(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        """Returns named by an RMA, order number or phone, newest first; with no text, the newest
        returns of all. One keyset page; pass ``next_cursor`` back as ``after``."""
        ...

    def get_return(self, rma_no: str) -> ReturnDetail:
        """The full detail of one return, whatever its state."""
        ...

    def return_timeline(self, rma_no: str) -> list[TimelineEntry]:
        """Every recorded step of a return, oldest first."""
        ...

    def customer_history(self, customer_id: int) -> CustomerHistory:
        """The customer's returns in the frequent-returner window and all time."""
        ...

    def get_return_page(self, rma_no: str) -> ReturnPage:
        """One return as its detail page shows it — lines, units with checks, refund figures and
        refund, exchange, printable documents, print log, timeline, and the verdict on every action
        for the user — read in one snapshot."""
        ...

    def search_returns(self, criteria: ReturnFilter, *, after: str | None = None,
                       limit: int = 50) -> Page[ReturnSummary]:
        """Returns by status, site-local days, reason, channel, station, customer and amount, in the
        criteria's order (newest, oldest, highest or lowest refund). One keyset page."""
        ...

    def export_returns(self, criteria: ReturnFilter, fmt: str, *, headers: tuple[str, ...] | None = None,
                       words: Mapping[str, str] | None = None) -> ExportedFile:
        """Every return the criteria match as an ``xlsx`` or ``csv`` file with the returns list's
        columns (``headers`` their titles, ``words`` the words for status and channel codes)."""
        ...


class IntakeApi(Protocol):
    """Judging a return request and issuing its RMA."""

    def preview_return(self, draft: ReturnDraft) -> ReturnPreview:
        """What the policy says of each line and the refund it would bring; saves nothing."""
        ...

    def create_return(self, draft: ReturnDraft, *, submit: bool = True) -> ReturnDetail:
        """Issue an RMA for ``draft`` (refused whole, with every problem, when anything is wrong)."""
        ...

    def authorize_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Authorize a requested return: every requested unit may be sent back."""
        ...

    def reject_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Refuse a requested return with a written reason; its quantities can be returned again."""
        ...

    def cancel_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Cancel a draft, requested or authorized return (the goods have not arrived) with a reason."""
        ...

    def reopen_return(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Reopen a request rejected by mistake (rejected -> requested) with a written reason."""
        ...


class ReviewApi(Protocol):
    """Customer service's review of return requests (phone, online and web-shop requests)."""

    def review_queue(self, *, waiting: bool = False, after: str | None = None,
                     limit: int = 50) -> Page[ReviewRow]:
        """Requests waiting for review, oldest request first (``waiting``: those waiting for their
        customer's answer instead), with each one's verdict, customer count and flags; one keyset
        page."""
        ...

    def review_counts(self) -> ReviewCounts:
        """How many requests wait for review and how many for their customer."""
        ...

    def get_review_case(self, rma_no: str) -> ReviewCase:
        """One request with its lines' verdicts, the customer's history, the questions asked and
        what the user may do, read in one snapshot."""
        ...

    def authorize_request(self, rma_no: str, *, override_reason: str | None = None,
                          expected_version: int | None = None) -> AuthorizeResult:
        """Authorize a request; a web-shop request's label is recorded as sent to the shop."""
        ...

    def reject_request(self, rma_no: str, reason_code: str, words: str | None = None, *,
                       expected_version: int | None = None) -> ReturnDetail:
        """Decline a request with a reason from the list (``domain.review.RejectReason``) and words."""
        ...

    def ask_customer(self, rma_no: str, question: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Put a request on hold with a question the customer sees on the status lookup."""
        ...

    def record_answer(self, rma_no: str, answer: str, *, expected_version: int | None = None) -> ReturnDetail:
        """The customer answered by phone or e-mail: the request comes back to the queue."""
        ...


class CounterApi(Protocol):
    """The counter: a walk-in customer with the goods, or a return the customer sends in."""

    def counter_return(self, draft: ReturnDraft, *, complete_on_spot: bool = True, grade: Grade | str = Grade.A,
                       serials: Mapping[int, Sequence[str]] | None = None,
                       sign_off: SignOff | None = None) -> CounterResult:
        """Create, authorize and receive a return, and finish it on the spot when it may be
        (one transaction; the result says where it stopped and why). ``sign_off``: a supervisor's
        password or badge given on this screen; their override and approval count as theirs."""
        ...

    def sign_off_return(self, rma_no: str, sign_off: SignOff, *, override_reason: str | None = None,
                        expected_version: int | None = None) -> CounterResult:
        """A supervisor approves, on this screen, a counter return waiting for approval (recorded
        as the approver; a wrong password counts toward their lockout); then it is paid out."""
        ...

    def quote_blind_return(self, product: str, *, quantity: int = 1,
                           customer_phone: str | None = None) -> BlindQuote:
        """What a return without a receipt of ``product`` (barcode or SKU) refunds per unit and why
        (the lowest price of the policy's last N days), and the customer the phone names."""
        ...

    def blind_return(self, draft: BlindDraft, sign_off: SignOff | None) -> CounterResult:
        """Take a return without a receipt: store credit at the lowest recent price, approved by
        the supervisor signing off on this screen, flagged in the customer's history."""
        ...

    def issue_remote_return(self, draft: ReturnDraft) -> RemoteReturn:
        """Issue the RMA of a return sent in, authorized when the clerk may (else it waits)."""
        ...


class ReceivingApi(Protocol):
    """Parcels arriving at the scanning station."""

    def expected_returns(self, *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        """Authorized returns not yet received, oldest first (one keyset page)."""
        ...

    def find_return_by_scan(self, text: str) -> ScanLookup:
        """The return a scanned label, RMA or tracking number names."""
        ...

    def receive_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        """The parcel of an authorized return arrived: received, ready for inspection."""
        ...

    def record_unexpected_parcel(self, *, tracking_no: str | None = None, sender: str | None = None,
                                 order_hint: str | None = None, contents: str | None = None) -> ParcelView:
        """A parcel that matches no return, kept aside for customer service."""
        ...

    def list_unexpected_parcels(self, status: str = "open", *, after: str | None = None,
                                limit: int = 50) -> Page[ParcelView]:
        """Parcels without RMA in ``status`` (open, matched or returned), oldest first (one keyset page)."""
        ...

    def match_parcel(self, parcel_id: int, rma_no: str) -> ParcelView:
        """The parcel belongs to this return: it is linked, and an authorized return is received."""
        ...

    def return_parcel(self, parcel_id: int, *, note: str) -> ParcelView:
        """No return could be found: the parcel goes back to its sender (``note`` says why and how)."""
        ...


class InspectionApi(Protocol):
    """Counting and grading the units of received returns."""

    def inspection_queue(self, *, after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        """Received returns waiting for inspection, oldest first (one keyset page)."""
        ...

    def record_unit(self, rma_no: str, *, scanned_code: str | None = None, line_id: int | None = None,
                    grade: Grade | str | None = Grade.A, disposition: Disposition | str | None = None,
                    checks: UnitChecks | None = None, serial_no: str | None = None, notes: str | None = None,
                    wrong_item: bool = False, expected_version: int | None = None) -> UnitResult:
        """Count one unit of the return (matched to its line by the scanned code or ``line_id``)."""
        ...

    def update_unit(self, unit_id: int, *, grade: Grade | str | None = None,
                    disposition: Disposition | str | None = None, checks: UnitChecks | None = None,
                    notes: str | None = None, expected_version: int | None = None) -> UnitResult:
        """Change the grade, disposition, checks or notes of a counted unit."""
        ...

    def undo_last_unit(self, rma_no: str, *, expected_version: int | None = None) -> UnitResult:
        """Take back the unit counted last."""
        ...

    def close_line_short(self, rma_no: str, line_id: int, *, expected_version: int | None = None) -> ReturnDetail:
        """Fewer units arrived on this line than were authorized: close it with what was counted."""
        ...

    def complete_inspection(self, rma_no: str, *, expected_version: int | None = None) -> CompletionResult:
        """Finish the inspection and let approval routing decide (automatic or a person)."""
        ...


class ApprovalApi(Protocol):
    """The supervisor's desk: the queue, one case, and the decisions."""

    def approval_queue(self, *, reason_code: str | None = None, level: ApprovalLevel | str | None = None,
                       text: str | None = None, after: str | None = None,
                       limit: int = 50) -> Page[ReturnSummary]:
        """Returns waiting for the user's approval level, oldest first (one keyset page)."""
        ...

    def queue_size(self) -> int: ...

    def queue_counts_by_reason(self) -> list[tuple[str, int]]:
        """How many returns of the queue carry each return reason (by reason code)."""
        ...

    def find_queue_notes(self, return_ids: Sequence[int]) -> dict[int, QueueNotes]:
        """Line reasons and routing reasons of the returns of one queue page, by return id."""
        ...

    def get_case(self, rma_no: str) -> ApprovalCase:
        """Everything the desk shows of one return, read in one snapshot."""
        ...

    def approval_state(self, rma_no: str) -> ApprovalState:
        """Which decisions the user may take on this return, or why not, in words."""
        ...

    def approve_refund(self, rma_no: str, *, note: str | None = None,
                       expected_version: int | None = None) -> ReturnDetail: ...

    def reject_refund(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail: ...

    def override_policy(self, rma_no: str, reason: str, *, expected_version: int | None = None) -> ReturnDetail: ...


class RefundsApi(Protocol):
    """Paying out approved returns."""

    def issue_refund(self, rma_no: str, *, method: RefundMethod | str | None = None,
                     external_ref: str | None = None, expected_version: int | None = None) -> RefundResult:
        """Refund an approved return, with its credit note and journal entry (once only)."""
        ...

    def find_refund(self, rma_no: str) -> RefundView | None:
        """The refund of a return (None when none was issued yet)."""
        ...

    def close_return(self, rma_no: str, *, expected_version: int | None = None) -> ReturnDetail:
        """Record a finished return (refunded, exchanged or refund rejected) as closed."""
        ...

    def to_pay_queue(self, *, after: str | None = None, limit: int = 50) -> Page[ToPayRow]:
        """Approved returns whose refund is not issued yet (approved by a person or automatically),
        the longest waiting first; one keyset page."""
        ...


class ExchangeApi(Protocol):
    """Exchanging approved returns for replacement goods."""

    def create_exchange(self, rma_no: str, replacements: Sequence[tuple[int | str, int]], *,
                        method: RefundMethod | str | None = None,
                        expected_version: int | None = None) -> ExchangeResult:
        """Exchange an approved return; ``replacements`` lists ``(product id or SKU, quantity)``."""
        ...

    def fulfil_replacement(self, order_no: str) -> ReplacementView: ...

    def cancel_replacement(self, order_no: str, reason: str) -> ReplacementView: ...

    def find_replacement(self, reference: str) -> ReplacementView | None: ...

    def get_exchange_case(self, rma_no: str) -> ExchangeCase:
        """The return as the exchange dialog shows it: credit, suggested goods (the returned item
        and its other variants), the replacement if any, and what the user may do or why not."""
        ...

    def find_products(self, text: str, *, limit: int = 20) -> list[ProductChoice]:
        """Products for a replacement by barcode, SKU or part of the name, with what is available."""
        ...

    def exchange_at_counter(self, rma_no: str, replacements: Sequence[tuple[int | str, int]], *,
                            fulfilment: Fulfilment | str = Fulfilment.COUNTER,
                            collect_method: CollectMethod | str | None = None,
                            refund_method: RefundMethod | str | None = None,
                            expected_version: int | None = None) -> ExchangeResult:
        """Exchange with the customer present: reserve, settle the difference either way (collect
        by ``collect_method`` or refund by ``refund_method``), hand over now or ship later."""
        ...

    def collect_difference(self, order_no: str, method: CollectMethod | str) -> ReplacementView:
        """The customer pays what a replacement order still owes."""
        ...

    def record_changed_mind(self, rma_no: str, line_ids: Sequence[int] | None = None, *,
                            expected_version: int | None = None) -> ReturnDetail:
        """The customer wants the money back instead of the exchange they asked for (recorded with
        who and when); the exchange lines become refund lines."""
        ...

    def fulfil_exchange(self, rma_no: str, fulfilment: Fulfilment | str = Fulfilment.COUNTER, *,
                        expected_version: int | None = None) -> ReplacementView:
        """The exchanged return's reserved replacement leaves the shop: handed over at the counter
        or shipped with its packing slip (refused while the customer still owes a difference)."""
        ...

    def cancel_exchange(self, rma_no: str, reason: str, *,
                        expected_version: int | None = None) -> ReplacementView:
        """Cancel the exchanged return's replacement not handed over: the reservation is released and
        its value owed to the customer."""
        ...


class AdminApi(Protocol):
    """Users, stations, sites, the return policy and reasons, and the admin log (administrators
    only: the services refuse every other role)."""

    def list_users(self) -> list[UserView]: ...

    def add_user(self, *, username: str, display_name: str, role: Role | str, password: str,
                 approval_limit_minor: int = 0) -> UserView: ...

    def change_user(self, username: str, *, role: Role | str | None = None, active: bool | None = None,
                    approval_limit_minor: int | None = None, display_name: str | None = None) -> UserView:
        """Another role, approval limit or display name, or the account disabled or enabled
        (``None`` leaves a value); it counts at the user's next action at any station."""
        ...

    def unlock_user(self, username: str) -> UserView: ...

    def set_password(self, username: str, password: str) -> None: ...

    def list_sessions(self) -> list[SessionView]:
        """Open sessions at the ReturnDesk server (who, which station, since and last seen), newest
        first; none in the local mode, where nobody signs in at a server."""
        ...

    def end_sessions(self, username: str | None = None) -> int:
        """End the open sessions of ``username`` (None: of everyone but yourself); their stations
        return to the sign-in window at their next request. Returns how many were ended."""
        ...

    def run_housekeeping(self) -> HousekeepingReport:
        """Expire overdue remote returns and close settled ones now (the server does it hourly)."""
        ...

    def set_badge(self, username: str, code: str | None) -> UserView:
        """Give a user the badge they sign off with on a clerk's screen (None: take it away)."""
        ...

    def admin_log(self, *, entity: str | None = None, text: str | None = None, before_seq: int | None = None,
                  limit: int = 100) -> list[AdminLogEntry]:
        """Administrative changes, newest first; page on with ``before_seq``."""
        ...

    def list_stations(self) -> list[StationView]: ...

    def save_station(self, code: str, *, name: str | None = None, kind: str | None = None,
                     site: str | None = None) -> StationView:
        """Create or change a station's name, kind and site (its printers: ``settings``)."""
        ...

    def list_sites(self) -> list[SiteView]: ...

    def save_site(self, code: str, *, time_zone: str, name: str | None = None, kind: str | None = None,
                  return_address: str | None = None) -> SiteView:
        """Create or change a shop or warehouse: its name, kind, time zone and return address."""
        ...

    def list_policy_versions(self, *, limit: int = 50, before_version: int | None = None) -> list[PolicyView]:
        """Published versions, newest first."""
        ...

    def policy_in_force(self) -> PolicyView:
        """The version new returns are judged by now."""
        ...

    def get_policy_draft(self) -> PolicyDraftView | None: ...

    def save_policy_draft(self, rules: PolicyRules, name: str, *,
                          expected_version: int | None = None) -> PolicyDraftView: ...

    def discard_policy_draft(self) -> None: ...

    def policy_draft_changes(self) -> tuple[RuleChange, ...]:
        """What the draft changes against the version in force."""
        ...

    def publish_policy_draft(self, effective_on: date | None = None, *,
                             expected_version: int | None = None) -> PolicyView:
        """Publish the draft as the next version, in effect from ``effective_on`` (today: now)."""
        ...

    def withdraw_policy_version(self, version: int) -> PolicyView:
        """Take back a version published for a later day before it takes effect."""
        ...

    def add_reason(self, code: str, name_en: str, name_zh: str, *, vendor_fault: bool,
                   allowed_resolutions: Sequence[Resolution | str] = (Resolution.REFUND, Resolution.EXCHANGE)
                   ) -> ReasonView: ...

    def update_reason(self, code: str, *, name_en: str | None = None, name_zh: str | None = None,
                      vendor_fault: bool | None = None,
                      allowed_resolutions: Sequence[Resolution | str] | None = None,
                      active: bool | None = None) -> ReasonView: ...


class CashApi(Protocol):
    """The counter's cash drawer: one shift per station (counter staff)."""

    def current_shift(self) -> CashShiftView | None:
        """The open shift of this station, None when none is open."""
        ...

    def open_shift(self, float_minor: int) -> CashShiftView: ...

    def close_shift(self, counted_minor: int, *, note: str | None = None) -> CashShiftView:
        """Close with the cash counted; the difference is kept and posted to the journal."""
        ...

    def shift_report(self, shift_no: str) -> CashShiftReport: ...

    def shift_report_pdf(self, shift_no: str, *, lang: Lang = "en") -> bytes:
        """The shift report as a PDF document."""
        ...

    def store_credit_balance(self, customer_id: int) -> StoreCreditBalance:
        """A customer's store-credit balance and newest movements."""
        ...

    def spend_store_credit(self, customer_id: int, amount_minor: int, *, reference: str,
                           memo: str | None = None) -> StoreCreditBalance:
        """Take store credit off a customer's balance against what they owe on their account."""
        ...


class IntegrationsApi(Protocol):
    """Webhooks and API keys for other systems (administrators; the services refuse everyone else)."""

    def list_outbox(self, status: str = "pending", *, limit: int = 200) -> list[OutboxRow]:
        """Every webhook's events that are ``pending``, ``delivered`` or ``failed``."""
        ...

    def list_webhooks(self) -> list[WebhookView]: ...

    def add_webhook(self, name: str, url: str, event_types: str = "*") -> NewWebhook:
        """A receiver of the events from now on; the answer carries its signing secret, shown once."""
        ...

    def replay_webhook(self, name: str, from_event: int) -> WebhookView:
        """Send the events from ``from_event`` on to the webhook again (now)."""
        ...

    def set_webhook_active(self, name: str, active: bool) -> WebhookView: ...

    def list_api_keys(self) -> list[ApiKeyView]: ...

    def list_api_scopes(self) -> list[str]:
        """The scopes an API key may carry."""
        ...

    def create_api_key(self, name: str, scopes: list[str]) -> NewApiKey:
        """A new key; its secret is in the answer this once and stored only as a hash."""
        ...

    def revoke_api_key(self, name: str) -> ApiKeyView: ...


class FinanceApi(Protocol):
    """The books (finance staff)."""

    def trial_balance(self, date_from: date, date_to: date) -> TrialBalance: ...

    def find_refunds(self, date_from: date, date_to: date, *, method: RefundMethod | str | None = None,
                     text: str | None = None, after: str | None = None, limit: int = 100) -> Page[DeskRefund]:
        """Refunds of the period (days of this station's site), oldest first, one keyset page."""
        ...

    def find_credit_notes(self, date_from: date, date_to: date, *, text: str | None = None,
                          after: str | None = None, limit: int = 100) -> Page[DeskCreditNote]: ...

    def find_journal_lines(self, date_from: date, date_to: date, *, account: str | None = None,
                           after: str | None = None, limit: int = 100) -> Page[DeskJournalLine]: ...

    def totals(self, date_from: date, date_to: date) -> DeskTotals:
        """Refunds per method, credit notes, journal per account, of the period."""
        ...

    def find_shifts(self, date_from: date, date_to: date, *, station: str | None = None,
                    after: str | None = None, limit: int = 100) -> Page[CashShiftView]: ...

    def export_file(self, kind: str, date_from: date, date_to: date, fmt: str = "xlsx") -> ExportFile:
        """An export of the command line (returns, refunds, journal) or red-letter invoice data."""
        ...

    def find_journal_entries(self, *, date_from: date | None = None, date_to: date | None = None,
                             after: tuple[datetime, int] | None = None,
                             limit: int = 100) -> list[JournalEntryView]:
        """Journal entries in posting order, keyset-paged by the last entry's ``(posted_at, id)``."""
        ...


class AnalyticsApi(Protocol):
    """Why goods come back, where returns wait, what they cost, whose returns look odd
    (supervisors, managers, finance). Periods are calendar days of ``ReportFilter.site``."""

    def reason_pareto(self, report_filter: ReportFilter) -> ReasonPareto:
        """Returns created in the period by reason, most units first, with the running share."""
        ...

    def returns_behind(self, report_filter: ReportFilter, reason_code: str | None = None, *,
                       after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
        """The returns behind a Pareto bar, newest first (one keyset page)."""
        ...

    def return_rates(self, report_filter: ReportFilter, dimension: str = "product", *,
                     limit: int = 100) -> RateTable:
        """Returned ÷ sold by product, category, supplier or channel, worst first; jumps flagged."""
        ...

    def cycle_times(self, report_filter: ReportFilter, *, targets: dict[str, int] | None = None,
                    stuck_limit: int = 10) -> CycleTimes:
        """Time per stage, ageing of open returns against the targets, the bottleneck, the
        returns stuck longest, inspection throughput."""
        ...

    def cycle_trend(self, report_filter: ReportFilter, bucket: str = "week") -> CycleTrend:
        """Time per stage by day or week of the period (count, mean, median of the stays)."""
        ...

    def get_stage_targets(self) -> list[StageTargetView]:
        """The target hours of the stages an open return waits in (saved or default)."""
        ...

    def set_stage_targets(self, targets: dict[str, int]) -> list[StageTargetView]:
        """Save stage targets (stage -> hours); managers and administrators."""
        ...

    def money(self, report_filter: ReportFilter) -> MoneyReport:
        """Refunds by method, deductions and fees kept, where the goods went, what vendors
        credited, cost per return."""
        ...

    def risk(self, report_filter: ReportFilter, *, thresholds: RiskThresholds | None = None,
             limit: int = 100) -> list[RiskCustomer]:
        """Customers whose returns in the period show a signal, most signals first."""
        ...

    def monthly_report(self, report_filter: ReportFilter, lang: Lang = "en") -> bytes:
        """The printable A4 report of the period (the dashboard's charts, key figures) as PDF."""
        ...

    def set_customer_watch(self, customer_id: int, watched: bool, note: str) -> WatchView:
        """Put a customer on the watch list (refunds then go to a supervisor) or take them off."""
        ...


class DocumentsApi(Protocol):
    """Labels, receipts, tags and credit notes: rendered, sent, and logged."""

    def prepare_print(self, doc_type: DocumentType | str, reference: str | None, *, printer: str | None = None,
                      out: str | Path | None = None, station: str | None = None, lang: Lang = "en",
                      size: str | None = None, width_mm: int | None = None) -> PreparedPrint:
        """Render a document for the station's printer (or ``printer``), ready to send."""
        ...

    def send_prepared(self, prepared: PreparedPrint, *, station: str | None = None) -> PrintOutcome:
        """Send a prepared document to its printer and log the copy."""
        ...

    def record_print(self, rendered: RenderedDocument, destination: Destination | str, *,
                     station: str | None = None) -> int:
        """Log a copy the client printed itself (a desktop printer); returns the log id."""
        ...

    def print_document(self, doc_type: DocumentType | str, reference: str | None, *, printer: str | None = None,
                       out: str | Path | None = None, station: str | None = None, lang: Lang = "en",
                       size: str | None = None, width_mm: int | None = None) -> PrintOutcome:
        """Render, send and log in one call."""
        ...


class SettingsApi(Protocol):
    """Reference data and the station's settings kept in the database."""

    def list_reasons(self, *, include_inactive: bool = False) -> list[ReasonView]: ...

    def active_policy(self) -> PolicyView:
        """The return policy in force."""
        ...

    def get_station_printing(self, station_code: str) -> StationPrinting: ...

    def save_station_printing(
        self,
        station_code: str,
        *,
        routing: Mapping[DocumentType | str, str | None] | None = None,
        preview: bool | None = None,
        label_size: str | None = None,
        receipt_width: int | None = None,
        zpl_dpi: int | None = None,
        kind: str | None = None,
    ) -> StationPrinting: ...

    def set_station_time_zone(self, station: str, time_zone: str, *, site: str | None = None) -> StationTime:
        """The time zone of the site this station stands in (administrators only: it decides the
        return windows of every station of the site)."""
        ...


class ClaimsApi(Protocol):
    """Claims against suppliers (return to vendor): the warehouse's worklist and the supplier's answer."""

    def list_claims(self, *, statuses: Sequence[ClaimStatus | str] | None = None,
                    supplier_code: str | None = None) -> list[ClaimSummary]:
        """Claims by supplier; by default those the supplier has not answered yet."""
        ...

    def get_claim(self, claim_no: str) -> ClaimDetail:
        """One claim with its units, terms and the supplier's address."""
        ...

    def units_waiting(self, *, limit: int = 200) -> list[WaitingUnit]:
        """Units disposed to their vendor and on no claim yet."""
        ...

    def add_unit(self, code: str, *, sku: str | None = None) -> ClaimDetail:
        """Put the unit of a scanned item tag on its supplier's open claim."""
        ...

    def remove_unit(self, claim_no: str, code: str, *, sku: str | None = None) -> ClaimDetail:
        """Take the unit of a scanned item tag off a claim not yet authorised."""
        ...

    def request_authorisation(self, claim_no: str, *, expected_version: int | None = None) -> ClaimDetail:
        """The supplier has been asked to authorise the claim."""
        ...

    def record_authorisation(self, claim_no: str, vendor_rma_no: str, authorised_on: date, *,
                             expected_version: int | None = None) -> ClaimDetail:
        """The supplier's RMA number and the date it authorised the return."""
        ...

    def ship_claim(self, claim_no: str, *, expected_version: int | None = None) -> ClaimDetail:
        """The claim's units leave for the supplier."""
        ...

    def record_answer(self, claim_no: str, *, credit_note_no: str | None = None, credited_minor: int = 0,
                      refused: Sequence[str] = (), refused_to: UnitFate | str = "available",
                      expected_version: int | None = None) -> ClaimDetail:
        """The supplier's credit note for the accepted units; refused units back to stock or to scrap."""
        ...

    def reject_claim(self, claim_no: str, *, units_to: UnitFate | str = "available",
                     expected_version: int | None = None) -> ClaimDetail:
        """The supplier refused the whole claim."""
        ...

    def claim_documents(self, claim_no: str, lang: Lang = "en") -> ClaimDocuments:
        """The RTV packing list (A4) and the shipping label of an authorised claim, as PDFs."""
        ...

    def get_supplier_report(self, date_from: date, date_to: date, *,
                            supplier_code: str | None = None) -> SupplierReport:
        """Per supplier: return rates of its products, top reasons, vendor-fault share, claims open
        and recovered in the period."""
        ...

    def get_supplier_report_files(self, date_from: date, date_to: date, *, supplier_code: str | None = None,
                                  lang: Lang = "en") -> SupplierReportFiles:
        """The supplier report as an Excel workbook and an A4 PDF, to send the supplier."""
        ...


class RefurbishApi(Protocol):
    """The refurbish queue: units inspected for refurbishment, back to stock at a new grade or scrapped."""

    def refurbish_queue(self, *, limit: int = 200, finished_limit: int = 50) -> RefurbishQueue:
        """The units waiting (oldest first), the units finished lately, and the scrap sign-off limit."""
        ...

    def find_refurbish_unit(self, code: str) -> RefurbishUnit:
        """The unit of a scanned item tag (RMA barcode or ``R…/unit``), waiting or finished."""
        ...

    def refurbish_unit(self, code: str, *, grade: Grade | str, repair_note: str | None = None,
                       parts_cost_minor: int = 0) -> RefurbishUnit:
        """The unit is repaired and goes back into available stock at ``grade``."""
        ...

    def scrap_unit(self, code: str, *, reason: str, repair_note: str | None = None, parts_cost_minor: int = 0,
                   sign_off: SignOff | None = None) -> RefurbishUnit:
        """The unit goes to scrap; above the policy's limit with a supervisor's ``sign_off``."""
        ...


class MasterDataApi(Protocol):
    """The shop's products, customers, suppliers and categories: import, find, edit, export.

    ``kind`` is ``products``, ``customers``, ``suppliers``, ``categories`` or (for imports only)
    ``orders``. Files cross as their bytes with their name (the name's ending tells the format).
    """

    def preview_import(self, kind: str, data: bytes, name: str, *, mapping: Mapping[str, str] | None = None,
                       profile: str | None = None) -> ImportPreview:
        """Read the file with ``mapping`` (else the saved ``profile``, else the guess from its
        headers), check every row against the database and say what an import would do; nothing
        is written."""
        ...

    def import_file(self, kind: str, data: bytes, name: str, *, mapping: Mapping[str, str] | None = None,
                    profile: str | None = None, job_id: str | None = None) -> FileImportResult:
        """Import the file whole or refuse it whole (``ValidationFailed`` with every bad row).
        ``job_id``, chosen by the caller, lets it follow and cancel the import."""
        ...

    def import_progress(self, job_id: str) -> ImportProgress:
        """Where the import ``job_id`` is."""
        ...

    def cancel_import(self, job_id: str) -> ImportProgress:
        """Stop the import ``job_id``: it rolls back and writes nothing (``Cancelled``)."""
        ...

    def list_profiles(self, kind: str | None = None) -> list[ImportProfileView]:
        """The saved column mappings (of one kind, or all)."""
        ...

    def save_profile(self, kind: str, name: str, mapping: Mapping[str, str]) -> ImportProfileView:
        """Save or replace the named mapping (header -> field, "" leaves a column out)."""
        ...

    def delete_profile(self, kind: str, name: str) -> None: ...

    def find_products(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[ProductRecord]:
        """Products by SKU, name or barcode, in SKU order (one keyset page)."""
        ...

    def find_customers(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[CustomerRecord]:
        """Customers by code, name or phone digits, in code order (one keyset page)."""
        ...

    def find_suppliers(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[SupplierRecord]:
        ...

    def find_categories(self, text: str = "", *, after: str | None = None, limit: int = 50) -> Page[CategoryRecord]:
        ...

    def save_product(self, record: ProductRecord) -> ProductRecord:
        """Create or change a product (checked as an import row is; audited)."""
        ...

    def save_customer(self, record: CustomerRecord) -> CustomerRecord: ...

    def save_supplier(self, record: SupplierRecord) -> SupplierRecord: ...

    def save_category(self, record: CategoryRecord) -> CategoryRecord: ...

    def export_records(self, kind: str, fmt: str) -> bytes:
        """Every record of ``kind`` as a csv, xlsx or json file the import reads back unchanged."""
        ...


class ReturnDeskApi(Protocol):
    """The API acting as one signed-in user; see the module documentation."""

    @property
    def user(self) -> Actor:
        """The signed-in user every call acts as."""
        ...

    @property
    def session(self) -> SessionApi: ...

    @property
    def search(self) -> SearchApi: ...

    @property
    def intake(self) -> IntakeApi: ...

    @property
    def review(self) -> ReviewApi: ...

    @property
    def counter(self) -> CounterApi: ...

    @property
    def receiving(self) -> ReceivingApi: ...

    @property
    def inspection(self) -> InspectionApi: ...

    @property
    def approval(self) -> ApprovalApi: ...

    @property
    def refunds(self) -> RefundsApi: ...

    @property
    def exchange(self) -> ExchangeApi: ...

    @property
    def admin(self) -> AdminApi: ...

    @property
    def integrations(self) -> IntegrationsApi: ...

    @property
    def finance(self) -> FinanceApi: ...

    @property
    def cash(self) -> CashApi: ...

    @property
    def documents(self) -> DocumentsApi: ...

    @property
    def analytics(self) -> AnalyticsApi: ...

    @property
    def settings(self) -> SettingsApi: ...

    @property
    def claims(self) -> ClaimsApi: ...

    @property
    def refurbish(self) -> RefurbishApi: ...

    @property
    def master_data(self) -> MasterDataApi: ...
