"""What is measured: each use case a station waits on, next to its floor.

A *floor* is the raw SQL that answers the same question, run on the bare driver connection
(``sqlite3`` or ``psycopg``, no SQLAlchemy, no pool, no transaction of its own), on the same data
and the same inputs. The use case can never be faster than its floor; how far above it lies is
the cost of the ORM, the extra reads a screen needs (customer, lines, user names) and Python.

Inputs are drawn once per run with a seeded random generator from the whole table (RMAs, orders,
customers spread over all ids), so a measurement is not one cached row read a hundred times.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import sessionmaker

from returndesk.domain.analytics import RISK_WINDOW_DAYS
from returndesk.domain.types import NO_RECEIPT_CHANNEL, ApprovalLevel, Channel, ReturnStatus
from returndesk.domain.localtime import local_day, start_of_local_day
from returndesk.services.usecases import analytics, approval, auth, history, receiving, sales, worklists
from returndesk.services.usecases.analytics import ReportFilter
from returndesk.services.usecases.sites import zone_for_site
from returndesk.devtools import demo
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.usecases.worklists import latest_returns
from returndesk.services.tx.views import Page
from returndesk.store.engine import BACKSTOP_CHECKPOINT_PAGES, Database
from returndesk.store.schema import Customer, Return, SalesOrder

from .dataset import Dataset
from .plans import Finding, findings_for, sqlite_plan_lines

#: Rows of a queue page, as the screens ask for them.
PAGE = 50
#: Sales a search shows at most (the counter's default).
SEARCH_LIMIT = 20
#: How many distinct inputs (RMAs, orders, customers) a run draws.
SAMPLES = 64


# --------------------------------------------------------------------------- the bare driver


class RawConnection:
    """The bare driver connection of a dataset: ``sqlite3`` on the file, ``psycopg`` on the
    server (autocommit: one statement, no transaction around it)."""

    def __init__(self, dataset: Dataset) -> None:
        self.backend = dataset.backend
        if self.backend == "sqlite":
            self.conn: Any = sqlite3.connect(str(dataset.path), check_same_thread=False)
        else:
            import psycopg

            self.conn = psycopg.connect(dataset.driver_conninfo(), autocommit=True)

    def sql(self, template: str) -> str:
        """``template`` (with ``?`` placeholders) in the driver's parameter style."""
        return template if self.backend == "sqlite" else template.replace("?", "%s")

    def rows(self, template: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(self.sql(template), tuple(params)).fetchall()

    def explain(self, template: str, params: Sequence[Any] = ()) -> list[str]:
        """The plan of the statement, one line per node (indented)."""
        if self.backend == "sqlite":
            return sqlite_plan_lines(self.conn.execute("EXPLAIN QUERY PLAN " + template, tuple(params)).fetchall())
        return [row[0] for row in self.conn.execute("EXPLAIN " + self.sql(template), tuple(params)).fetchall()]

    def server_version(self) -> str:
        if self.backend == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        return "PostgreSQL " + str(self.conn.execute("SHOW server_version").fetchone()[0]).split()[0]

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Timing:
    """Repeated measurements of one call, in milliseconds."""

    samples_ms: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.samples_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else float("nan")

    @property
    def p95(self) -> float:
        """95th percentile, nearest rank."""
        if not self.samples_ms:
            return float("nan")
        ordered = sorted(self.samples_ms)
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]

    @property
    def minimum(self) -> float:
        return min(self.samples_ms) if self.samples_ms else float("nan")

    def summary(self) -> dict[str, float | int]:
        return {"n": self.n, "median_ms": round(self.median, 4), "p95_ms": round(self.p95, 4),
                "min_ms": round(self.minimum, 4)}


def _timed(fn: Callable[[int], Any], i: int) -> float:
    started = time.perf_counter_ns()
    fn(i)
    return (time.perf_counter_ns() - started) / 1e6


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    """One measurement: the use case, its floor, and how to tell that both found the same."""

    key: str
    title: str
    service: Callable[[int], Any]
    floor_sql: str  # with ``?`` placeholders
    floor_params: Callable[[int], Sequence[Any]]
    agree: Callable[[Any, list[tuple]], bool] | None = None
    floor_note: str = ""
    #: Further raw statements of the floor, run after ``floor_sql`` with the same parameters (a
    #: screen that needs more than one query: the floor is all of them, one after the other).
    floor_more: tuple[str, ...] = ()


@dataclass
class StatementPlan:
    sql: str
    plan: list[str]
    findings: list[Finding]


@dataclass
class CaseResult:
    """What one case measured on one backend."""

    key: str
    title: str
    service: Timing
    floor: Timing
    floor_sql: str
    floor_note: str
    floor_plan: list[str]
    floor_findings: list[Finding]
    statements: list[StatementPlan] = field(default_factory=list)
    agree: bool | None = None
    rows: int = 0

    @property
    def ratio(self) -> float:
        return self.service.median / self.floor.median if self.floor.median > 0 else float("nan")

    @property
    def service_findings(self) -> list[tuple[str, Finding]]:
        return [(st.sql, f) for st in self.statements for f in st.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "service": self.service.summary(),
            "floor": self.floor.summary(), "ratio": round(self.ratio, 2), "agree": self.agree, "rows": self.rows,
            "floor_sql": " ".join(self.floor_sql.split()), "floor_note": self.floor_note,
            "floor_plan": self.floor_plan, "floor_findings": [str(f) for f in self.floor_findings],
            "service_statements": [
                {"sql": " ".join(st.sql.split()), "plan": st.plan, "findings": [str(f) for f in st.findings]}
                for st in self.statements
            ],
        }


@dataclass(frozen=True)
class Actors:
    clerk: Actor
    inspector: Actor
    supervisor: Actor


def sign_in_actors(ctx: ServiceContext) -> Actors:
    """The demo's clerk, inspector and supervisor, signed in with their demo passwords."""
    passwords = {a.username: a.password for a in demo.DEMO_ACCOUNTS}

    def one(name: str) -> Actor:
        return auth.sign_in(ctx, name, passwords[name], station="bench")

    return Actors(one("clerk"), one("inspector"), one("supervisor"))


@dataclass
class Inputs:
    """Inputs drawn from the data, the same for a use case and its floor."""

    rmas: list[str]
    order_nos: list[str]  # sales that have a return
    customer_ids: list[int]  # customers who returned something
    phone_tails: list[str]  # last four digits of customers' phones
    name_prefixes: list[tuple[str, str]]  # (folded prefix, the first string above every match)
    queue_length: int
    first_page: tuple[str | None, tuple]  # (service cursor, raw key) after the first queue page
    middle_page: tuple[str | None, tuple]  # (service cursor, raw key) in the middle of the queue
    returns_total: int
    latest_middle: tuple[str | None, tuple]  # (service cursor, raw key) halfway down the returns list


def _spread(rng: random.Random, lo: int, hi: int, n: int) -> list[int]:
    return sorted(rng.sample(range(lo, hi + 1), min(n, hi - lo + 1)))


def draw_inputs(ctx: ServiceContext, raw: RawConnection, seed: int) -> Inputs:
    """Inputs spread over the whole tables (by id); the same seed draws the same ones."""
    rng = random.Random(f"returndesk-bench:{seed}")
    level = ApprovalLevel.SUPERVISOR.value
    waiting = ReturnStatus.AWAITING_APPROVAL.value
    with ctx.db.read() as s:
        lo, hi = s.execute(select(func.min(Return.id), func.max(Return.id))).one()
        ids = _spread(rng, lo, hi, SAMPLES * 2)
        found = s.execute(select(Return.rma_no, SalesOrder.order_no, Return.customer_id)
                          .join(SalesOrder, SalesOrder.id == Return.order_id).where(Return.id.in_(ids))
                          .order_by(Return.id)).all()
        rng.shuffle(found)
        rmas = [rma for rma, _, _ in found][:SAMPLES]
        order_nos = [no for _, no, _ in found][:SAMPLES]
        customer_ids = [c for _, _, c in found if c is not None][:SAMPLES]
        lo, hi = s.execute(select(func.min(Customer.id), func.max(Customer.id))).one()
        people = s.execute(select(Customer.phone, Customer.name_fold)
                           .where(Customer.id.in_(_spread(rng, lo, hi, SAMPLES * 2)))).all()
        rng.shuffle(people)
        tails = [p[-4:] for p, _ in people if p and p[-4:].isdigit()][:SAMPLES]
        prefixes = []
        for _, folded in people:
            if not folded:
                continue
            # Two characters of a Chinese name (surname and one more), three letters of a Latin one.
            prefix = folded[:3] if folded.isascii() else folded[:2]
            upper = sales._next_prefix(prefix)
            if upper is not None:
                prefixes.append((prefix, upper))
        queue = (select(Return.status_changed_at, Return.id)
                 .where(Return.status == waiting, Return.approval_level == level)
                 .order_by(Return.status_changed_at, Return.id))
        length = int(s.execute(select(func.count()).select_from(Return)
                               .where(Return.status == waiting, Return.approval_level == level)).scalar_one())

        def cursor_at(stmt, column: str, total: int, offset: int) -> tuple[str | None, tuple]:
            # Setup only: OFFSET finds the row; the measured pages start from its keyset cursor.
            row = s.execute(stmt.offset(offset).limit(1)).first() if total > offset else None
            if row is None:
                return None, ()
            key = raw.rows(f"SELECT {column}, id FROM returns WHERE id = ?", (row.id,))[0]
            return Page.encode_cursor(row[0], row.id), tuple(key)

        first = cursor_at(queue, "status_changed_at", length, PAGE - 1)
        middle = cursor_at(queue, "status_changed_at", length, max(PAGE - 1, length // 2))
        total = int(s.execute(select(func.count()).select_from(Return)).scalar_one())
        newest = select(Return.created_at, Return.id).order_by(Return.created_at.desc(), Return.id.desc())
        latest_middle = cursor_at(newest, "created_at", total, max(PAGE - 1, total // 2))
    return Inputs(rmas, order_nos, customer_ids, tails, prefixes[:SAMPLES], length, first, middle, total,
                  latest_middle)


def _ids(items: Sequence[Any]) -> list[int]:
    return [item.id for item in items]


def _page_agrees(page: Page, rows: list[tuple]) -> bool:
    # The floor asks for PAGE + 1 rows (to know whether more follow), like the services do.
    return _ids(page.items) == [r[0] for r in rows[:PAGE]] and page.has_more == (len(rows) > PAGE)


def _sales_agree(found: list[Any], rows: list[tuple]) -> bool:
    return sorted(s.order_id for s in found) == sorted(r[0] for r in rows)


def _sales_of(customers: str) -> str:
    """The floor of a sales search: the newest sales of the matching customers (``customers`` is a
    query of their id, name and phone), then the line totals of those sales only, as the use case
    reads them."""
    return f"""
        SELECT newest.id, newest.order_no, newest.channel, newest.sold_at, newest.delivered_at,
               newest.total_paid_minor, newest.currency, newest.name, newest.phone,
               count(*) AS line_count, sum(sales_order_lines.quantity) AS item_count,
               sum(sales_order_lines.quantity - sales_order_lines.qty_returned
                   - sales_order_lines.qty_in_process) AS returnable
        FROM (SELECT sales_orders.id, sales_orders.order_no, sales_orders.channel, sales_orders.sold_at,
                     sales_orders.delivered_at, sales_orders.total_paid_minor, sales_orders.currency,
                     matched.name, matched.phone
              FROM ({customers}) AS matched
              JOIN sales_orders ON sales_orders.customer_id = matched.id
              ORDER BY sales_orders.sold_at DESC, sales_orders.id DESC
              LIMIT ?) AS newest
        JOIN sales_order_lines ON sales_order_lines.order_id = newest.id
        GROUP BY newest.id, newest.order_no, newest.channel, newest.sold_at, newest.delivered_at,
                 newest.total_paid_minor, newest.currency, newest.name, newest.phone
        ORDER BY newest.sold_at DESC, newest.id DESC"""


#: The scan resolve's floor: everything the inspection station's screen shows of a scanned return.
SCAN_HEAD_SQL = """
    SELECT returns.*, sales_orders.order_no, sales_orders.sold_at, sales_orders.delivered_at,
           customers.name, customers.phone, customers.address,
           changer.username, changer.display_name, creator.username,
           inspector.username, inspector.display_name
    FROM returns
    JOIN sales_orders ON sales_orders.id = returns.order_id
    LEFT JOIN customers ON customers.id = returns.customer_id
    LEFT JOIN users AS changer ON changer.id = returns.status_changed_by
    LEFT JOIN users AS creator ON creator.id = returns.created_by
    LEFT JOIN users AS inspector ON inspector.id = returns.inspected_by
    WHERE returns.rma_no = ?"""
SCAN_LINES_SQL = """
    SELECT return_lines.*, sales_order_lines.quantity, sales_order_lines.paid_minor, products.sku,
           products.barcode, products.name, products.name_zh, products.category,
           products.serial_tracked, return_reasons.vendor_fault
    FROM return_lines
    JOIN sales_order_lines ON sales_order_lines.id = return_lines.order_line_id
    JOIN products ON products.id = return_lines.product_id
    JOIN return_reasons ON return_reasons.code = return_lines.reason_code
    WHERE return_lines.return_id = (SELECT id FROM returns WHERE rma_no = ?)
    ORDER BY return_lines.line_no"""
SCAN_UNITS_SQL = """
    SELECT inspection_units.*, users.username
    FROM inspection_units JOIN users ON users.id = inspection_units.inspected_by
    WHERE inspection_units.return_id = (SELECT id FROM returns WHERE rma_no = ?)
    ORDER BY inspection_units.id"""


#: The timeline's floor: the return joined to its audit events and the names of their users.
TIMELINE_SQL = """
    SELECT returns.id, audit_events.occurred_at, audit_events.username, audit_events.station,
           audit_events.action, audit_events.before_json, audit_events.after_json, users.display_name
    FROM returns
    LEFT JOIN audit_events ON audit_events.entity = 'return' AND audit_events.entity_id = returns.rma_no
    LEFT JOIN users ON users.id = audit_events.user_id
    WHERE returns.rma_no = ?
    ORDER BY audit_events.seq"""
#: The history's floor: everything its screen shows of a customer in one statement.
HISTORY_SQL = """
    SELECT customers.id, customers.name,
           (SELECT id FROM return_policies WHERE active AND effective_from <= ?
            ORDER BY effective_from DESC, version DESC LIMIT 1) AS policy_id,
           totals.all_time, totals.orders_with_returns, totals.no_receipt,
           (SELECT count(*) FROM sales_orders WHERE sales_orders.customer_id = customers.id) AS orders,
           (SELECT count(*) FROM returns WHERE returns.customer_id = customers.id
              AND returns.status NOT IN (?, ?) AND returns.created_at >= ?) AS in_window,
           latest.rma_no, latest.order_no, latest.status, latest.created_at, latest.refund_total_minor,
           latest.currency, latest.channel
    FROM customers
    JOIN (SELECT count(*) AS all_time, count(DISTINCT returns.order_id) AS orders_with_returns,
                 sum(CASE WHEN sales_orders.channel = ? THEN 1 ELSE 0 END) AS no_receipt
          FROM returns JOIN sales_orders ON sales_orders.id = returns.order_id
          WHERE returns.customer_id = ? AND returns.status NOT IN (?, ?)) AS totals ON 1 = 1
    LEFT JOIN (SELECT returns.id, returns.rma_no, sales_orders.order_no, returns.status, returns.created_at,
                      returns.refund_total_minor, returns.currency, sales_orders.channel
               FROM returns JOIN sales_orders ON sales_orders.id = returns.order_id
               WHERE returns.customer_id = ? AND returns.status NOT IN (?, ?)
               ORDER BY returns.created_at DESC, returns.id DESC
               LIMIT ?) AS latest ON 1 = 1
    WHERE customers.id = ?
    ORDER BY latest.created_at DESC, latest.id DESC"""


def build_cases(ctx: ServiceContext, actors: Actors, inputs: Inputs) -> list[Case]:
    """The measured use cases with their floors."""
    clerk, inspector, supervisor = actors.clerk, actors.inspector, actors.supervisor
    level = ApprovalLevel.SUPERVISOR.value
    waiting = ReturnStatus.AWAITING_APPROVAL.value
    def pick(values):
        """The input for repetition ``i``: one per repetition, round the list."""
        return lambda i: values[i % len(values)]

    rma, order_no, tail, prefix = (pick(inputs.rmas), pick(inputs.order_nos), pick(inputs.phone_tails),
                                   pick(inputs.name_prefixes))
    customer = pick(inputs.customer_ids)
    # The history's floor counts in the window of the policy in force, as the use case does.
    now = ctx.now()
    with ctx.db.read() as s:
        window = sales.load_active_policy(s, now).rules.frequent_returner_days
    now_text, since_text = (t.strftime("%Y-%m-%d %H:%M:%S.%f+00:00") for t in (now, now - timedelta(days=window)))
    not_counted = (ReturnStatus.DRAFT.value, ReturnStatus.CANCELLED.value)
    queue_sql = """
        SELECT * FROM returns
        WHERE approval_level = ? AND status = ? {after}
        ORDER BY status_changed_at, id
        LIMIT ?
    """
    after_sql = "AND (status_changed_at, id) > (?, ?)"
    cases = [
        Case(
            "scan", "Find a return by a scanned RMA (receiving.find_return_by_scan)",
            lambda i: receiving.find_return_by_scan(ctx, inspector, rma(i)),
            SCAN_HEAD_SQL, lambda i: (rma(i),),
            lambda found, rows: (found.detail is not None and found.rma_no == rows[0][1]
                                 and found.detail.id == rows[0][0]),
            "three queries: the return with its order, customer and user names; its lines with "
            "order lines, products and reasons; its inspected units with the inspectors' names",
            floor_more=(SCAN_LINES_SQL, SCAN_UNITS_SQL),
        ),
        Case(
            "return_detail", "A return's detail for the counter and the queues (history.get_return)",
            lambda i: history.get_return(ctx, supervisor, rma(i)),
            SCAN_HEAD_SQL, lambda i: (rma(i),),
            lambda detail, rows: detail.rma_no == rows[0][1] and detail.id == rows[0][0],
            "the scan's three queries: the return with its order, customer and user names; its lines "
            "with order lines, products and reasons; its inspected units with the inspectors' names",
            floor_more=(SCAN_LINES_SQL, SCAN_UNITS_SQL),
        ),
        Case(
            "approval_first", "Approval queue, first page (approval.approval_queue, 50)",
            lambda i: approval.approval_queue(ctx, supervisor, limit=PAGE),
            queue_sql.format(after=""), lambda i: (level, waiting, PAGE + 1), _page_agrees,
            "the keyset query on the return rows; the use case adds order numbers, customers and "
            "item counts for the page",
        ),
    ]
    if inputs.first_page[0] is not None:
        cases.append(Case(
            "approval_next", "Approval queue, next page by cursor",
            lambda i: approval.approval_queue(ctx, supervisor, limit=PAGE, after=inputs.first_page[0]),
            queue_sql.format(after=after_sql), lambda i: (level, waiting, *inputs.first_page[1], PAGE + 1),
            _page_agrees, "row-value keyset condition (status_changed_at, id) > (?, ?)",
        ))
    if inputs.middle_page[0] is not None:
        cases.append(Case(
            "approval_middle", f"Approval queue, a page from the middle ({inputs.queue_length:,} waiting)",
            lambda i: approval.approval_queue(ctx, supervisor, limit=PAGE, after=inputs.middle_page[0]),
            queue_sql.format(after=after_sql), lambda i: (level, waiting, *inputs.middle_page[1], PAGE + 1),
            _page_agrees, "row-value keyset condition (status_changed_at, id) > (?, ?)",
        ))
    cases += [
        Case(
            "inspection_queue", "Inspection queue, first page (worklists.inspection_queue, 50)",
            lambda i: worklists.inspection_queue(ctx, inspector, limit=PAGE),
            # The state as a range of one value, ordered by the index's columns: read along the
            # index (status, status_changed_at, id) on both databases, as the use case does.
            "SELECT * FROM returns WHERE status BETWEEN ? AND ? ORDER BY status, status_changed_at, id LIMIT ?",
            lambda i: (ReturnStatus.RECEIVED.value, ReturnStatus.RECEIVED.value, PAGE + 1), _page_agrees,
        ),
        Case(
            "expected_returns", "Expected returns, first page (worklists.expected_returns, 50)",
            lambda i: worklists.expected_returns(ctx, inspector, limit=PAGE),
            # The returns with a deadline, then (when they do not fill the page) those without:
            # the database stops reading once the page is full, as the use case does.
            "SELECT * FROM (SELECT * FROM returns WHERE status = ? AND channel = ? AND receive_by IS NOT NULL "
            "ORDER BY receive_by, id LIMIT ?) AS with_deadline UNION ALL "
            "SELECT * FROM (SELECT * FROM returns WHERE status = ? AND channel = ? AND receive_by IS NULL "
            "ORDER BY status, receive_by, id LIMIT ?) AS without_deadline LIMIT ?",
            lambda i: (ReturnStatus.AUTHORIZED.value, Channel.REMOTE.value, PAGE + 1,
                       ReturnStatus.AUTHORIZED.value, Channel.REMOTE.value, PAGE + 1, PAGE + 1), _page_agrees,
            "the returns with a deadline, then those without, in one statement",
        ),
        Case(
            "latest_returns", "Returns list, newest first (worklists.latest_returns, 50)",
            lambda i: latest_returns(ctx, clerk, limit=PAGE),
            "SELECT * FROM returns ORDER BY created_at DESC, id DESC LIMIT ?", lambda i: (PAGE + 1,), _page_agrees,
        ),
    ]
    if inputs.latest_middle[0] is not None:
        cases.append(Case(
            "latest_middle", f"Returns list, a page halfway down ({inputs.returns_total:,} returns)",
            lambda i: latest_returns(ctx, clerk, limit=PAGE, after=inputs.latest_middle[0]),
            "SELECT * FROM returns WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
            lambda i: (*inputs.latest_middle[1], PAGE + 1), _page_agrees,
            "row-value keyset condition (created_at, id) < (?, ?)",
        ))
    cases += [
        Case(
            "sales_phone", "Customer search by phone tail, 4 digits (sales.find_sales, 20)",
            lambda i: sales.find_sales(ctx, clerk, tail(i), limit=SEARCH_LIMIT),
            _sales_of("SELECT id, name, phone FROM customers WHERE phone_tail = ? AND phone LIKE ? "
                      "ORDER BY id LIMIT ?"),
            lambda i: (tail(i), "%" + tail(i), SEARCH_LIMIT, SEARCH_LIMIT), _sales_agree,
            "matching customers, their newest sales, then the line totals of those sales, in one statement",
        ),
        Case(
            "sales_name", "Customer search by name prefix (sales.find_sales, 20)",
            lambda i: sales.find_sales(ctx, clerk, prefix(i)[0], limit=SEARCH_LIMIT),
            _sales_of("SELECT id, name, phone FROM customers WHERE name_fold >= ? AND name_fold < ? "
                      "ORDER BY name_fold, id LIMIT ?"),
            lambda i: (*prefix(i), SEARCH_LIMIT, SEARCH_LIMIT), _sales_agree,
            "matching customers, their newest sales, then the line totals of those sales, in one statement",
        ),
        Case(
            "get_sale", "A sale with its lines and policy verdicts (sales.get_sale)",
            lambda i: sales.get_sale(ctx, clerk, order_no(i)),
            """SELECT sales_orders.*, sales_order_lines.*, products.sku, products.barcode, products.name,
                      products.name_zh, products.category, products.returnable, products.serial_tracked,
                      products.tax_rate_bp, categories.name_en, categories.name_zh,
                      categories.return_window_days, categories.returnable, customers.code, customers.name,
                      customers.phone, customers.email, customers.address,
                      (SELECT return_policies.id FROM return_policies
                       WHERE return_policies.active AND return_policies.effective_from <= CURRENT_TIMESTAMP
                       ORDER BY return_policies.effective_from DESC, return_policies.version DESC
                       LIMIT 1) AS policy_id,
                      coalesce((SELECT sites.time_zone FROM sites WHERE sites.code = sales_orders.site),
                               (SELECT sites.time_zone FROM sites WHERE sites.code = '*')) AS time_zone
               FROM sales_orders
               JOIN sales_order_lines ON sales_order_lines.order_id = sales_orders.id
               JOIN products ON products.id = sales_order_lines.product_id
               LEFT JOIN categories ON categories.code = products.category
               LEFT JOIN customers ON customers.id = sales_orders.customer_id
               WHERE sales_orders.order_no = ?
               ORDER BY sales_order_lines.line_no""",
            lambda i: (order_no(i),),
            lambda sale, rows: (sale.order_no == rows[0][1] and len(sale.lines) == len(rows)
                                and (sale.policy_id, sale.time_zone) == tuple(rows[0][-2:])),
            "what the counter shows: the order, lines, products, categories (their own windows judge "
            "the lines), customer, the policy in force and the site's zone in one join, then the "
            "order's latest returns; the use case also judges each line (the policy's rules kept per "
            "process by version, as any client would keep them)",
            floor_more=("""SELECT returns.rma_no, returns.status, returns.created_at FROM returns
                           WHERE returns.order_id = (SELECT sales_orders.id FROM sales_orders
                                                     WHERE sales_orders.order_no = ?)
                           ORDER BY returns.created_at DESC, returns.id DESC
                           LIMIT 50""",),
        ),
        Case(
            "timeline", "A return's timeline from the audit trail (history.return_timeline)",
            lambda i: history.return_timeline(ctx, supervisor, rma(i)),
            TIMELINE_SQL, lambda i: (rma(i),),
            lambda entries, rows: [e.action for e in entries] == [r[4] for r in rows if r[4] is not None],
            "the return joined to its audit events and their users' names (an unknown RMA finds no row)",
        ),
        Case(
            "customer_history", "A customer's return history (history.customer_history)",
            lambda i: history.customer_history(ctx, supervisor, customer(i)),
            HISTORY_SQL,
            lambda i: (now_text, *not_counted, since_text, NO_RECEIPT_CHANNEL, customer(i), *not_counted,
                       customer(i), *not_counted, history.LAST_RETURNS, customer(i)),
            lambda h, rows: ([r.rma_no for r in h.last_returns] == [row[8] for row in rows if row[8] is not None]
                             and (h.returns_all_time, h.orders, h.returns_in_window)
                             == (int(rows[0][3]), int(rows[0][6]), int(rows[0][7]))),
            "the customer, the policy in force, the counts (all time, in the frequent-returner window of that "
            "policy, known in advance, orders, orders returned from, without receipt) and the latest returns "
            "in one statement",
        ),
        Case(
            "counts_by_reason", "Supervisor's queue counts by reason (approval.queue_counts_by_reason)",
            lambda i: approval.queue_counts_by_reason(ctx, supervisor),
            """SELECT return_lines.reason_code, count(DISTINCT returns.id) AS n
               FROM return_lines JOIN returns ON returns.id = return_lines.return_id
               WHERE returns.status = ? AND returns.approval_level = ?
               GROUP BY return_lines.reason_code
               ORDER BY n DESC, return_lines.reason_code""",
            lambda i: (waiting, level),
            lambda counts, rows: [tuple(c) for c in counts] == [(r[0], int(r[1])) for r in rows],
        ),
        Case(
            "queue_size", "Supervisor's queue size badge (approval.queue_size)",
            lambda i: approval.queue_size(ctx, supervisor),
            "SELECT count(*) FROM returns WHERE status = ? AND approval_level = ?",
            lambda i: (waiting, level), lambda n, rows: n == rows[0][0],
        ),
    ]
    return cases + analytics_cases(ctx, supervisor)


def _analytics_period(ctx: ServiceContext) -> tuple[ReportFilter, str, str]:
    """The dashboard's first paint: the last 30 days of the data in the installation's zone, and the
    same period as UTC text for the floors (compares right with SQLite's stored text and PostgreSQL)."""
    with ctx.db.read() as s:
        last = s.execute(select(func.max(Return.created_at))).scalar_one()
        zone = zone_for_site(s, None)
    end = local_day(last, zone) if last is not None else date.today()
    assert end is not None
    f = ReportFilter(end - timedelta(days=29), end)
    lo = start_of_local_day(f.date_from, zone).strftime("%Y-%m-%d %H:%M:%S+00:00")
    hi = start_of_local_day(end + timedelta(days=1), zone).strftime("%Y-%m-%d %H:%M:%S+00:00")
    return f, lo, hi


def _risk_period(ctx: ServiceContext) -> tuple[ReportFilter, str, str]:
    """The risk review's first paint: its own window, the last ``RISK_WINDOW_DAYS`` up to today in the
    installation's zone (what the screen opens on), and the same as UTC text for the floor."""
    with ctx.db.read() as s:
        zone = zone_for_site(s, None)
    today = local_day(ctx.now(), zone)
    assert today is not None
    f = ReportFilter(today - timedelta(days=RISK_WINDOW_DAYS - 1), today)
    lo = start_of_local_day(f.date_from, zone).strftime("%Y-%m-%d %H:%M:%S+00:00")
    hi = start_of_local_day(today + timedelta(days=1), zone).strftime("%Y-%m-%d %H:%M:%S+00:00")
    return f, lo, hi


def analytics_cases(ctx: ServiceContext, reader: Actor) -> list[Case]:
    """The analytics dashboard's first paint, one figure at a time, each beside its raw aggregate."""
    f, lo, hi = _analytics_period(ctx)
    window = lambda i: (lo, hi)  # noqa: E731
    risk_f, risk_lo, risk_hi = _risk_period(ctx)
    risk_window = lambda i: (risk_lo, risk_hi)  # noqa: E731
    return [
        Case(
            "analytics_reasons", "Dashboard: reasons Pareto, 30 days (analytics.reason_pareto)",
            lambda i: analytics.reason_pareto(ctx, reader, f),
            """SELECT return_lines.reason_code, count(DISTINCT returns.id), sum(return_lines.qty_requested)
               FROM return_lines JOIN returns ON returns.id = return_lines.return_id
               WHERE returns.created_at >= ? AND returns.created_at < ?
                 AND returns.status NOT IN ('draft', 'cancelled')
               GROUP BY return_lines.reason_code""",
            window, lambda p, rows: p.units == sum(int(r[2]) for r in rows),
            "the group-by on the lines of the period's returns; the use case adds the lines' paid value "
            "(order lines) and the totals",
        ),
        Case(
            "analytics_rates", "Dashboard: return rates by product, 30 days and the 30 before (analytics.return_rates)",
            lambda i: analytics.return_rates(ctx, reader, f, "product", limit=50),
            """SELECT sales_order_lines.product_id, sum(sales_order_lines.quantity)
               FROM sales_order_lines JOIN sales_orders ON sales_orders.id = sales_order_lines.order_id
               WHERE sales_orders.sold_at >= ? AND sales_orders.sold_at < ?
               GROUP BY sales_order_lines.product_id""",
            window, None,
            "units sold per product in the period; the use case also sums what came back of them, and "
            "both again for the period before (four aggregates)",
        ),
        Case(
            "analytics_cycle", "Dashboard: cycle times, ageing, stuck returns, throughput (analytics.cycle_times)",
            lambda i: analytics.cycle_times(ctx, reader, f),
            """SELECT count(*) FROM returns JOIN audit_events
                 ON audit_events.entity = 'return' AND audit_events.entity_id = returns.rma_no
               WHERE returns.created_at >= ? AND returns.created_at < ?""",
            window, None,
            "the audit events of the period's returns; the use case orders them per return (window "
            "function), sums the stays per stage, ranks for p50/p90, and adds the ageing and throughput",
        ),
        Case(
            "analytics_money", "Dashboard: money, 30 days (analytics.money)",
            lambda i: analytics.money(ctx, reader, f),
            """SELECT method, count(*), sum(amount_minor) FROM refunds
               WHERE issued_at >= ? AND issued_at < ? GROUP BY method""",
            window, lambda m, rows: m.refunds == sum(int(r[1]) for r in rows),
            "refunds by method; the use case adds deductions and fees kept and the stock moved per destination",
        ),
        Case(
            "analytics_trend", "Dashboard: cycle-time trend by week, 30 days (analytics.cycle_trend)",
            lambda i: analytics.cycle_trend(ctx, reader, f, "week"),
            """SELECT count(*) FROM returns JOIN audit_events
                 ON audit_events.entity = 'return' AND audit_events.entity_id = returns.rma_no
               WHERE returns.status_changed_at >= ? AND returns.created_at < ?""",
            window, None,
            "the audit events of the returns that changed stage in the period; the use case orders them "
            "per return, sums the stays per stage and week and ranks them for the median",
        ),
        Case(
            "analytics_risk", "Risk review: customers with a signal, its 90-day window (analytics.risk)",
            lambda i: analytics.risk(ctx, reader, risk_f),
            """SELECT returns.customer_id, count(DISTINCT returns.id), sum(return_lines.qty_requested)
               FROM returns JOIN return_lines ON return_lines.return_id = returns.id
               WHERE returns.created_at >= ? AND returns.created_at < ?
                 AND returns.status NOT IN ('draft', 'cancelled') AND returns.customer_id IS NOT NULL
               GROUP BY returns.customer_id""",
            risk_window, None,
            "returns and units per customer in the period; the use case adds per customer what they bought, "
            "high-value grade-D units, serials seen before, returns without a receipt and the watch flag",
        ),
    ]


# --------------------------------------------------------------------------- running


def _record_selects(ctx: ServiceContext) -> tuple[list[tuple[str, Any]], Callable[[], None]]:
    seen: list[tuple[str, Any]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    return seen, lambda: event.remove(ctx.db.engine, "before_cursor_execute", before)


def explain_statements(ctx: ServiceContext, backend: str, statements: list[tuple[str, Any]]) -> list[StatementPlan]:
    """The plans of the statements a use case ran, with their own parameters."""
    out = []
    with ctx.db.engine.connect().execution_options(readonly=True) as conn:
        for statement, params in statements:
            prefix = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, params).all()
            plan = sqlite_plan_lines(rows) if backend == "sqlite" else [r[0] for r in rows]
            out.append(StatementPlan(statement.strip(), plan, findings_for(backend, plan, statement)))
        conn.rollback()
    return out


# --------------------------------------------------------------------------- a whole return

#: Whole returns measured at most per run (each one is written into the data and stays there).
WHOLE_RETURNS = 40
WHOLE_RETURN_KEY = "whole_return"


def _unreturned_sales(ctx: ServiceContext, actors: Actors, count: int) -> list[Any]:
    """``count`` of the newest sales nobody returned anything of, as the counter reads them
    (``sales.get_sale``), newest first, all with the same number of lines to return (see
    :func:`_lines_to_return`; as many as most of the newest sales have), so that every return
    measured, by the services or by their floors, is of the same size; fewer if there are not
    enough."""
    with ctx.db.read() as s:
        order_nos = list(s.execute(
            select(SalesOrder.order_no).where(~select(Return.id).where(Return.order_id == SalesOrder.id).exists(),
                                              SalesOrder.channel != "no_receipt")
            .order_by(SalesOrder.sold_at.desc(), SalesOrder.id.desc()).limit(count * 4)).scalars())
    by_lines: dict[int, list[Any]] = {}
    for order_no in order_nos:
        sale = sales.get_sale(ctx, actors.clerk, order_no)
        lines = len(_lines_to_return(sale))
        if lines:
            found = by_lines.setdefault(lines, [])
            found.append(sale)
            if len(found) == count:
                return found
    return max(by_lines.values(), key=len, default=[])


#: A unit worth at most this is taken back (two of them stay within a supervisor's approval).
WHOLE_RETURN_UNIT_MINOR = 50_000


def _lines_to_return(sale: Any) -> list[Any]:
    """Up to two lines of ``sale`` the policy takes back, of units a supervisor may approve."""
    return [line for line in sale.lines
            if line.qty_returnable and line.verdict_customer_fault.status == "within"
            and line.unit_paid_minor <= WHOLE_RETURN_UNIT_MINOR][:2]


#: The steps of a whole return, each measured beside its floor: (key, title).
WRITE_STEPS = (
    ("write_intake", "Intake: a new return at the counter (intake.create_return)"),
    ("write_authorize", "Authorization (intake.authorize_return)"),
    ("write_receive", "Receipt at the warehouse (receiving.receive_return)"),
    ("write_unit", "One unit inspected and graded (inspection.record_unit)"),
    ("write_complete", "Inspection completed and routed (inspection.complete_inspection)"),
    ("write_approve", "Supervisor's approval (approval.approve_refund)"),
    ("write_refund", "Refund with credit note and journal (refunds.issue_refund)"),
)


def _return_steps(actors: Actors, sale: Any) -> Iterator[tuple[str, Callable[[ServiceContext], Any],
                                                                 Callable[[Any], None]]]:
    """One return of a sale through every step a station takes it: intake of up to two lines (one
    unit each) at the counter, authorization, receipt, each unit inspected and graded, the
    inspection completed, the supervisor's approval when the rules ask for it, and the refund.

    Yields (step key, the step on a context, what its result tells the steps after it); the next
    step is decided only after the caller ran the step and passed its result on."""
    from returndesk.services.usecases import inspection, intake, refunds

    lines = _lines_to_return(sale)
    conditions = frozenset(code for code, _ in sale.required_conditions)
    draft = intake.ReturnDraft(
        order_no=sale.order_no, channel="counter", refund_method=sale.refund_methods[0],
        lines=tuple(intake.DraftLine(order_line_id=line.order_line_id, quantity=1, reason_code="changed_mind",
                                     conditions_met=conditions) for line in lines),
    )
    state: dict[str, Any] = {}

    def keep(result: Any) -> None:
        state["detail"] = result

    yield "write_intake", lambda c: intake.create_return(c, actors.clerk, draft), keep
    rma = state["detail"].rma_no
    if state["detail"].status != ReturnStatus.AUTHORIZED.value:
        version = state["detail"].version
        yield ("write_authorize",
               lambda c: intake.authorize_return(c, actors.clerk, rma, expected_version=version), keep)
    yield "write_receive", lambda c: receiving.receive_return(c, actors.inspector, rma), keep
    serials = {line.order_line_id: list(line.serial_numbers) for line in lines}
    for line in state["detail"].lines:
        sold = serials.get(line.order_line_id) or []
        for _ in range(line.qty_authorized or line.qty_requested):
            serial = sold[0] if sold else None
            yield ("write_unit",
                   lambda c, line_id=line.id, serial=serial: inspection.record_unit(
                       c, actors.inspector, rma, line_id=line_id, grade="A", serial_no=serial),
                   lambda _result, sold=sold: sold.pop(0) if sold else None)
    yield "write_complete", lambda c: inspection.complete_inspection(c, actors.inspector, rma).detail, keep
    if state["detail"].status == ReturnStatus.AWAITING_APPROVAL.value:
        yield "write_approve", lambda c: approval.approve_refund(c, actors.supervisor, rma), keep
    yield "write_refund", lambda c: refunds.issue_refund(c, actors.clerk, rma), keep


def _whole_return(ctx: ServiceContext, actors: Actors, sale: Any) -> str:
    """One return of a sale through every step (see :func:`_return_steps`), untimed."""
    rma = ""
    for _key, step, then in _return_steps(actors, sale):
        result = step(ctx)
        then(result)
        rma = getattr(result, "rma_no", rma)
    return rma


# --------------------------------------------------------------------------- the floor of a write

#: Statements of the transaction's frame, which the replay gives itself.
_FRAME = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass(frozen=True)
class Statement:
    """One statement as the driver received it (its parameters in the driver's style)."""

    sql: str
    params: Any
    many: bool


class _HeldDatabase(Database):
    """The benchmark's database with every transaction of the services on one held connection
    inside a transaction that is rolled back at the end: a step run on it changes nothing."""

    def __init__(self, db: Database, conn: Any) -> None:
        super().__init__(db.engine, db.busy_timeout_s)
        self._held = conn
        self._kept_write = None  # every write through the sessions on the held connection below
        self._sessions = sessionmaker(bind=conn, expire_on_commit=False, autoflush=True,
                                      join_transaction_mode="create_savepoint")

    def read_connection(self, *, snapshot: bool = False, one_statement: bool = False) -> Any:
        return nullcontext(self._held)

    @contextmanager
    def write_connection(self, *, one_statement: bool = False) -> Iterator[Any]:
        with self._held.begin_nested():
            yield self._held

    @contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[Any]:
        with self._sessions() as session:
            yield session


def statements_of(ctx: ServiceContext, capture: Database,
                  step: Callable[[ServiceContext], Any]) -> tuple[list[Statement], Any]:
    """The statements ``step`` sends, with their parameters, and what it answered, found by
    running it in a transaction that is rolled back, on ``capture``: a database of its own on the
    same data, so that the measured pool's connections are never rolled back (psycopg deallocates
    every statement it prepared on a connection that rolls back, and the measured step would then
    be planned afresh). The audit chain's head that ``capture`` assumes is the measured one's
    (SQLite's chain is hashed in the process from the head it wrote last), so that the step's
    statements are the ones the measured step sends."""
    from returndesk.services.tx import audit

    engine = capture.engine
    with audit._heads_lock:
        head = audit._heads.get(ctx.db.engine)
        if head is None:
            audit._heads.pop(engine, None)
        else:
            audit._heads[engine] = head
    seen: list[Statement] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_FRAME):
            # SQLAlchemy's "insertmanyvalues" sends many rows as one statement with all their
            # parameters in one flat row, while the event still says "executemany".
            many = bool(executemany and isinstance(parameters, (list, tuple)) and parameters
                        and isinstance(parameters[0], (tuple, list, dict)))
            seen.append(Statement(statement, list(parameters) if many else parameters, many))

    conn = engine.connect()
    outer = conn.begin()
    event.listen(engine, "before_cursor_execute", before)
    try:
        answer = step(replace(ctx, db=_HeldDatabase(capture, conn)))
    finally:
        event.remove(engine, "before_cursor_execute", before)
        outer.rollback()
        conn.close()
    return seen, answer


def adopt_head(ctx: ServiceContext, capture: Database) -> None:
    """After a floor committed statements found on ``capture``: the measured database's chain
    head (SQLite's, as this process last wrote it) is the one those statements wrote."""
    from returndesk.services.tx import audit

    with audit._heads_lock:
        head = audit._heads.get(capture.engine)
        if head is not None:
            audit._heads[ctx.db.engine] = head


class WriteFloor:
    """The floor of a write: the step's own statements with its parameters, sent by the bare
    driver in one transaction, committed as the step's is (it then stands in for the step: the
    same rows, ids, times and audit chain; see :func:`run_whole_returns`)."""

    def __init__(self, dataset: Dataset) -> None:
        self.backend = dataset.backend
        if self.backend == "sqlite":
            assert dataset.path is not None
            self.conn: Any = sqlite3.connect(str(dataset.path), isolation_level=None, check_same_thread=False)
            for pragma in ("PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",  # as a station's
                           f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}"):
                self.conn.execute(pragma)
        else:
            import psycopg

            self.conn = psycopg.connect(dataset.driver_conninfo())
            # psycopg prepares nothing itself on this connection, so that its rollbacks never
            # deallocate the statements the floor prepared (DEALLOCATE ALL).
            self.conn.prepare_threshold = None
            self._prepared: dict[tuple[bytes, tuple[int, ...]], bytes] = {}

    def run(self, statements: Sequence[Statement]) -> None:
        """The statements in one transaction, committed (rolled back if one fails)."""
        if self.backend != "sqlite":
            self._run_prepared(statements)
            return
        cur = self.conn.cursor()  # the sqlite3 module keeps its statements prepared across transactions
        cur.execute("BEGIN IMMEDIATE")
        try:
            for st in statements:
                if st.many:
                    cur.executemany(st.sql, st.params)
                else:
                    cur.execute(st.sql, st.params)
                if cur.description is not None:
                    cur.fetchall()
        except BaseException:
            self.conn.rollback()
            raise
        cur.execute("COMMIT")

    def _run_prepared(self, statements: Sequence[Statement]) -> None:
        """PostgreSQL: each statement prepared once and executed by name, as the stations' pooled
        connections run them. (psycopg deallocates every statement it prepared when a transaction
        is rolled back, and a floor planned afresh at every run would flatter the step; the
        floor's transaction is begun and ended below psycopg's statement cache.)"""
        from psycopg import pq
        from psycopg._queries import PostgresQuery
        from psycopg.adapt import Transformer

        pgconn = self.conn.pgconn

        def check(result: Any) -> None:
            if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                raise RuntimeError(result.error_message.decode(errors="replace"))

        check(pgconn.exec_(b"BEGIN"))
        try:
            for st in statements:
                for params in (st.params if st.many else (st.params,)):
                    query = PostgresQuery(Transformer(self.conn))
                    query.convert(st.sql, params)
                    key = (query.query, query.types)
                    name = self._prepared.get(key)
                    if name is None:
                        name = f"rd_floor_{len(self._prepared)}".encode()
                        check(pgconn.prepare(name, query.query, query.types))
                        self._prepared[key] = name
                    check(pgconn.exec_prepared(name, query.params, query.formats))
        except BaseException:
            pgconn.exec_(b"ROLLBACK")
            raise
        check(pgconn.exec_(b"COMMIT"))

    def sequences(self) -> dict[str, tuple[int, bool]]:
        """Where PostgreSQL's sequences stand (they are not rolled back with a transaction, and
        a replay must get the same ids the step got: its later statements name them)."""
        if self.backend == "sqlite":
            return {}  # rowids and sqlite_sequence are rolled back with the transaction
        rows = self.conn.execute(
            "SELECT schemaname || '.' || sequencename, coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = current_schema()").fetchall()
        self.conn.rollback()
        return {name: (value, called) for name, value, called in rows}

    def restore(self, marks: dict[str, tuple[int, bool]]) -> None:
        """Put the sequences back where :meth:`sequences` found them."""
        if not marks:
            return
        cur = self.conn.cursor()
        cur.executemany("SELECT setval(%s, %s, %s)", [(name, value, called) for name, (value, called) in marks.items()])
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def run_whole_returns(ctx: ServiceContext, actors: Actors, dataset: Dataset, *, repeat: int,
                      warmup: int) -> list[CaseResult]:
    """Whole returns, each on a sale nobody returned anything of (all of one size), taken through every
    step by the services and, in turns, by their floor: each step's own statements and parameters
    (learnt by running it in a transaction that is rolled back, :func:`statements_of`) sent by the
    bare driver and committed, standing in for the step (:class:`WriteFloor`). The service time of
    each step beside its floor, and of the whole return (an absolute target, no floor); the
    statements of one whole return are counted.

    Both commit, as a station's step must, and both find the database's pages as one station's
    connection does, in its own cache: SQLite keeps a cache of pages per connection, valid while
    no other connection commits, and a station's writes come one after another on the connection
    that committed the last one. So the services and the floors take returns in pairs, and only
    the second return of each pair is timed: it follows its own side's commits, never the other
    side's. (The first of a pair follows the other side's commits: the cache state of a station
    sharing its file with others, which makes both sides slower by about the same time.)"""
    count = min(repeat, WHOLE_RETURNS)
    warm = min(warmup, 3)
    needed = 1 + warm + 1 + 4 * count
    sales_left = _unreturned_sales(ctx, actors, needed)
    if len(sales_left) < needed:
        raise RuntimeError(f"only {len(sales_left)} sales are left that nobody returned anything of")
    lines = len(_lines_to_return(sales_left[0]))
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        _whole_return(ctx, actors, sales_left[0])
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    for sale in sales_left[1:1 + warm]:
        _whole_return(ctx, actors, sale)
    floor = WriteFloor(dataset)
    capture = Database.open(dataset.url)
    service: dict[str, list[float]] = {key: [] for key, _ in WRITE_STEPS}
    floors: dict[str, list[float]] = {key: [] for key, _ in WRITE_STEPS}
    sent: dict[str, int] = {}
    whole: list[float] = []

    def learn(step: Callable[[ServiceContext], Any]) -> tuple[list[Statement], Any]:
        marks = floor.sequences()
        replay, answer = statements_of(ctx, capture, step)
        floor.restore(marks)  # the step, or its floor, then gets the ids the replay names
        return replay, answer

    def by_floor(sale: Any, timed: bool) -> None:
        for key, step, then in _return_steps(actors, sale):
            replay, answer = learn(step)
            if timed:
                floors[key].append(_timed(lambda _i, replay=replay: floor.run(replay), 0))
                sent[key] = len(replay)  # as the step sends it by now (the first runs read more)
            else:
                floor.run(replay)
            adopt_head(ctx, capture)
            then(answer)

    def by_service(sale: Any, timed: bool) -> None:
        total = 0.0
        for key, step, then in _return_steps(actors, sale):
            learn(step)  # as before a floor: the same statements run (and rolled back) first
            started = time.perf_counter_ns()
            result = step(ctx)
            elapsed = (time.perf_counter_ns() - started) / 1e6
            then(result)
            if timed:
                service[key].append(elapsed)
            total += elapsed
        if timed:
            whole.append(total)

    try:
        timed_sales = sales_left[1 + warm:]
        # The floor's warm-up return prepares the driver's statements, as the warm-ups above did the services'.
        by_floor(timed_sales[0], timed=False)
        for n in range(count):
            first, second, third, fourth = timed_sales[1 + 4 * n:5 + 4 * n]
            by_service(first, timed=False)
            by_service(second, timed=True)
            by_floor(third, timed=False)
            by_floor(fourth, timed=True)
    finally:
        floor.close()
        capture.dispose()
    results = [CaseResult(
        WHOLE_RETURN_KEY, f"A whole return, intake to refund ({len(whole)} returns of {lines} line(s) of one unit, "
                          f"{len(statements)} statements)",
        Timing(tuple(whole)), Timing(()), "", "", [], [], [], None, 0,
    )]
    for key, title in WRITE_STEPS:
        if service[key] and floors[key]:
            results.append(CaseResult(
                key, f"{title}, {sent[key]} statements", Timing(tuple(service[key])), Timing(tuple(floors[key])),
                "", "the step's own statements and parameters through the bare driver, committed", [], [], [],
                None, 0))
    return results


def run_case(case: Case, ctx: ServiceContext, raw: RawConnection, *, repeat: int, warmup: int) -> CaseResult:
    """Check that the use case and its floor agree, explain both, then time them interleaved
    (use case, floor, use case, floor...) so that load from elsewhere weighs on both alike."""
    floor_sql = raw.sql(case.floor_sql)
    more_sql = [raw.sql(sql) for sql in case.floor_more]

    def floor(i: int) -> list[tuple]:
        params = tuple(case.floor_params(i))
        rows = raw.conn.execute(floor_sql, params).fetchall()
        for sql in more_sql:
            raw.conn.execute(sql, params).fetchall()
        return rows

    seen, stop = _record_selects(ctx)
    try:
        found = case.service(0)
    finally:
        stop()
    rows = floor(0)
    agree = case.agree(found, rows) if case.agree is not None and rows else None
    plan, findings = [], []
    for sql in (case.floor_sql, *case.floor_more):
        one = raw.explain(sql, case.floor_params(0))
        plan += one
        findings += findings_for(raw.backend, one, sql)
    result = CaseResult(
        case.key, case.title, Timing(()), Timing(()), ";\n".join((case.floor_sql, *case.floor_more)),
        case.floor_note, plan, findings, explain_statements(ctx, raw.backend, seen), agree, len(rows),
    )
    for i in range(warmup):
        case.service(i)
        floor(i)
    service_ms, floor_ms = [], []
    for i in range(repeat):
        service_ms.append(_timed(case.service, i))
        floor_ms.append(_timed(floor, i))
    result.service, result.floor = Timing(tuple(service_ms)), Timing(tuple(floor_ms))
    return result
