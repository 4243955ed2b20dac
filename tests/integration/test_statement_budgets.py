"""Statement budgets: how many SQL statements each step of a return and each station read may
send, on SQLite and PostgreSQL. A use case that starts reading row by row (an N+1) fails here.

The counts are a station's steady state: one whole return runs first (the per-process caches of
reference data and user names are warm, as after the first minutes of a shift), then the second
return is counted step by step. Budgets are the measured counts; lower them when a change saves
statements, never raise them without saying why in the commit.
"""

from __future__ import annotations


import pytest

from returndesk.services.usecases import (
    approval,
    history,
    inspection,
    intake,
    receiving,
    refunds,
    return_page,
    sales,
    worklists,
)
from returndesk.services.usecases.worklists import latest_returns

from .factories import as_instants, build_world, make_order
from .money_support import CONDITIONS, order_line_ids, review_everything
from .statements import count_statements

pytestmark = pytest.mark.both_databases("statement counts are the dialect's own (RETURNING, row locks)")

#: Statements per step of a whole return: a remote return of two order lines (three units), as
#: ``(SQLite, PostgreSQL)``. Each transaction checks its actor (``verify_actor``: an account
#: disabled or given another role stops at the next action); these steps fold that check into
#: their first read (the order, or the return's locked row). Each step that changes a return's
#: state appends its event to the webhook outbox. The audit chain is one statement on both
#: databases: PostgreSQL's function, SQLite's INSERT into the view ``audit_append`` (its trigger
#: checks each event against the head and writes the events, their outbox rows and the head). A
#: step's result (the return's detail) costs no statement of its own: the step reads its lines
#: with the order, customer, products and (when it needs them) units in one statement
#: (``views.read_held``) and builds the result from it. Order lines a step changes are written
#: by one UPDATE (``tx.order_lines``), whatever their number.
WRITE_BUDGETS = {
    "intake": (6, 6),  # the order with the id of the policy in force, the sale's site zone, the
    #                    customer, the reasons' version (the reasons themselves are kept per
    #                    process and read again only when it moved on) and its lines locked with
    #                    their products and categories, in one statement with the actor's check;
    #                    the RMA number; the order lines' holds; the return, inserted in its final
    #                    state; its lines in one INSERT ... RETURNING; the audit chain
    "authorize": (5, 5),  # the receive-by day counts the selling site's calendar: its zone comes
    #                      with the lines
    "receive": (5, 5),  # the lines' stock movements in one executemany; no units yet
    "inspect": (25, 25),  # three units recorded one by one (6 each: the return locked by moving
    #                       its version on, UPDATE ... RETURNING with the actor's check; the lines
    #                       with their order, customer, products and units; the unit; its stock
    #                       movement; the line's counts; the audit chain), then the inspection
    #                       completed (7: the return locked; its lines and units; the order lines
    #                       locked; routing reads the customer's recent returns, watch flag, the
    #                       creator's limit and the other returns' pending refunds on the order
    #                       lines in one statement, after the order lines' lock and before anything
    #                       is written, so the return's row is updated once; the lines' grades in
    #                       one executemany; the audit chain); both results are built from what
    #                       they read and wrote
    "approve": (5, 5),  # the approver's limit comes from the transaction's own check of the actor;
    #                    the units are read once (with the lines), for who inspected them and the result
    "refund": (12, 12),  # whether a refund exists comes with the lines and units (after the lock);
    #                      the order lines locked, then settled in one UPDATE; its numbers (refund,
    #                      credit note, journal) in one statement; the refund inserted once by
    #                      INSERT ... ON CONFLICT (return_id) DO NOTHING RETURNING (no savepoint);
    #                      the refund's lines and the journal lines in one executemany each; the
    #                      restocked units' costs come from the lines and units it read, its lines'
    #                      view from what it wrote
}
#: The whole return, every step above together.
WHOLE_RETURN_BUDGET = (58, 58)


def _on(ctx, budget):
    """The budget of ``ctx``'s database from a ``(SQLite, PostgreSQL)`` pair."""
    return budget[1] if ctx.db.engine.dialect.name == "postgresql" else budget[0]


#: Statements per read a station makes (the actor's read included, as above).
READ_BUDGETS = {
    "scan_resolve": 3,  # find_return_by_scan: the return with order, customer, names, actor; its lines; its units
    "returns_search": 5,  # worklists.find_returns by RMA number
    "inspection_queue": 1,  # worklists.inspection_queue, first page: returns with order, customer, items, actor
    "expected_returns": 2,  # worklists.expected_returns, first page: those with a deadline (with the actor),
    #                        then those without while the page is not full, each as the inspection queue
    "approval_queue": 1,  # approval.approval_queue, first page: as the inspection queue
    "latest_returns": 1,  # worklists.latest_returns, first page: as the inspection queue
    "return_detail": 3,  # history.get_return: the return, order, customer and users; its lines; its units
    "approval_case": 10,  # approval.get_case: the whole case the supervisor's desk shows, one snapshot
    "return_page": 16,  # return_page.get_return_page: everything a return's detail page shows, one snapshot (its
    #                    units read once for the page and its detail, its print log once for the
    #                    documents' copies and the log)
    "sale": 1,  # sales.get_sale: the order with customer, policy in force, zone, lines, returns, actor
    "customer_history": 1,  # history.customer_history: the customer, the policy in force, the counts (all
    #                        time and in the frequent-returner window), the latest returns, actor
    "timeline": 1,  # history.return_timeline: the return joined to its audit events and their users, actor
}


def _whole_return(world, order_no: str, counts: dict[str, int] | None = None) -> str:
    """Take a return of ``order_no``'s lines through every step; ``counts`` gets each step's statements."""
    ctx = world.ctx
    steps: dict[str, int] = {}

    def step(name, fn, *args, **kwargs):
        with count_statements(ctx) as counted:
            result = fn(*args, **kwargs)
        steps[name] = steps.get(name, 0) + counted.n
        return result

    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=(intake.DraftLine(order_line_id=ids["EL-1002"], quantity=2, reason_code="changed_mind",
                                conditions_met=CONDITIONS),
               intake.DraftLine(order_line_id=ids["AP-2001"], quantity=1, reason_code="changed_mind",
                                conditions_met=CONDITIONS)),
    )
    detail = step("intake", intake.create_return, ctx, world.clerk, draft)
    detail = step("authorize", intake.authorize_return, ctx, world.clerk, detail.rma_no,
                  expected_version=detail.version)
    rma = detail.rma_no
    detail = step("receive", receiving.receive_return, ctx, world.inspector, rma)
    for line in detail.lines:
        for _ in range(line.qty_authorized):
            step("inspect", inspection.record_unit, ctx, world.inspector, rma, line_id=line.id, grade="A")
    result = step("inspect", inspection.complete_inspection, ctx, world.inspector, rma)
    assert result.detail.status == "awaiting_approval"
    detail = step("approve", approval.approve_refund, ctx, world.supervisor, rma)
    assert detail.status == "approved"
    refund = step("refund", refunds.issue_refund, ctx, world.clerk, rma)
    assert refund.refund.amount_minor == 14900 * 2 + 7900
    if counts is not None:
        counts.update(steps)
    return rma


@pytest.fixture
def world(ctx):
    world = build_world(ctx)
    review_everything(world)  # every refund waits for a supervisor: the approve step always runs
    _whole_return(world, make_order(world, [("EL-1002", 2), ("AP-2001", 1)]))
    return world


def test_each_step_of_a_whole_return_stays_within_its_statement_budget(world):
    counts: dict[str, int] = {}
    _whole_return(world, make_order(world, [("EL-1002", 2), ("AP-2001", 1)]), counts)
    print("statements per step:", counts, "whole return:", sum(counts.values()))
    budgets = {name: _on(world.ctx, budget) for name, budget in WRITE_BUDGETS.items()}
    over = {name: (n, budgets[name]) for name, n in counts.items() if n > budgets[name]}
    assert not over, f"over budget (statements, budget): {over}"
    assert sum(counts.values()) <= _on(world.ctx, WHOLE_RETURN_BUDGET)


@pytest.mark.parametrize("read", sorted(READ_BUDGETS))
def test_each_station_read_stays_within_its_statement_budget(world, read):
    ctx = world.ctx
    waiting = _awaiting_approval(world)
    received = _authorized(world)
    receiving.receive_return(ctx, world.inspector, received)
    expected = _authorized(world)
    sale = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
    reads = {
        "scan_resolve": lambda: receiving.find_return_by_scan(ctx, world.inspector, expected),
        "returns_search": lambda: worklists.find_returns(ctx, world.clerk, waiting),
        "inspection_queue": lambda: worklists.inspection_queue(ctx, world.inspector),
        "expected_returns": lambda: worklists.expected_returns(ctx, world.inspector),
        "approval_queue": lambda: approval.approval_queue(ctx, world.supervisor),
        "latest_returns": lambda: latest_returns(ctx, world.clerk),
        "return_detail": lambda: history.get_return(ctx, world.clerk, waiting),
        "approval_case": lambda: approval.get_case(ctx, world.supervisor, waiting),
        "return_page": lambda: return_page.get_return_page(ctx, world.supervisor, waiting),
        "sale": lambda: sales.get_sale(ctx, world.clerk, sale),
        "customer_history": lambda: history.customer_history(ctx, world.supervisor, world.customer_id),
        "timeline": lambda: history.return_timeline(ctx, world.supervisor, waiting),
    }
    with count_statements(ctx) as counted:
        result = reads[read]()
    print(f"{read}: {counted.n} statements")
    # Each read found what the station asked for.
    found = {
        "scan_resolve": lambda: result.detail is not None and result.detail.rma_no == expected,
        "returns_search": lambda: [r.rma_no for r in result.items] == [waiting],
        "inspection_queue": lambda: received in {r.rma_no for r in result.items},
        "expected_returns": lambda: expected in {r.rma_no for r in result.items} and received not in {
            r.rma_no for r in result.items},
        "approval_queue": lambda: waiting in {r.rma_no for r in result.items},
        "latest_returns": lambda: {waiting, received, expected} <= {r.rma_no for r in result.items},
        "return_detail": lambda: result.rma_no == waiting and len(result.lines) == 2,
        "approval_case": lambda: result.rma_no == waiting and len(result.checks) == 2 and result.timeline,
        "return_page": lambda: (result.detail.rma_no == waiting and len(result.detail.lines) == 2 and result.timeline
                                and result.history is not None and result.history.returns_all_time >= 1),
        "sale": lambda: result.order_no == sale and len(result.lines) == 2,
        "customer_history": lambda: (result.returns_all_time == 4 and result.last_returns[0].rma_no == expected
                                     and result.window_days == 90),
        "timeline": lambda: result[0].action == "create" and result[-1].action == "route_for_approval",
    }
    assert found[read]()
    assert counted.n <= READ_BUDGETS[read], f"{read}: {counted.n} statements:\n{counted.listing()}"


def _authorized(world) -> str:
    ctx = world.ctx
    order_no = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=1, reason_code="changed_mind",
                                     conditions_met=CONDITIONS) for sku in ("EL-1002", "AP-2001")),
    )
    rma = intake.create_return(ctx, world.clerk, draft).rma_no
    intake.authorize_return(ctx, world.clerk, rma)
    return rma


def _awaiting_approval(world) -> str:
    ctx = world.ctx
    rma = _authorized(world)
    detail = receiving.receive_return(ctx, world.inspector, rma)
    for line in detail.lines:
        inspection.record_unit(ctx, world.inspector, rma, line_id=line.id, grade="A")
    assert inspection.complete_inspection(ctx, world.inspector, rma).detail.status == "awaiting_approval"
    return rma


#: Statements of customer service's and the paying desk's reads (the actor's read included).
REVIEW_READ_BUDGETS = {
    "review_queue": 10,  # review.review_queue, first page: rows, summaries, verdicts, questions, customers
    "review_case": 10,  # review.get_review_case: the whole request the review screen shows, one snapshot
    "to_pay_queue": 1,  # worklists.to_pay_queue, first page: one statement with the actor's check
}


@pytest.mark.parametrize("read", sorted(REVIEW_READ_BUDGETS))
def test_review_and_to_pay_reads_stay_within_their_statement_budget(world, read):
    from returndesk.services.usecases import review

    ctx = world.ctx
    requests = []
    for _ in range(3):
        order_no = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
        ids = order_line_ids(world, order_no)
        draft = intake.ReturnDraft(
            order_no=order_no, channel="remote", refund_method="original_payment",
            lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=1, reason_code="changed_mind",
                                         conditions_met=CONDITIONS) for sku in ("EL-1002", "AP-2001")),
        )
        requests.append(intake.create_return(ctx, world.clerk, draft).rma_no)
    review.ask_customer(ctx, world.clerk, requests[0], "Which colour did you receive?")
    review.record_answer(ctx, world.clerk, requests[0], "The black one, as ordered.")
    payable = _awaiting_approval(world)
    approval.approve_refund(ctx, world.supervisor, payable)
    reads = {
        "review_queue": lambda: review.review_queue(ctx, world.clerk),
        "review_case": lambda: review.get_review_case(ctx, world.clerk, requests[0]),
        "to_pay_queue": lambda: worklists.to_pay_queue(ctx, world.clerk),
    }
    # Warm the per-process caches as a station's first minutes do.
    reads[read]()
    with count_statements(ctx) as counted:
        result = reads[read]()
    print(f"{read}: {counted.n} statements")
    found = {
        "review_queue": lambda: [r.rma_no for r in result.items] == requests and result.items[0].answer,
        "review_case": lambda: result.rma_no == requests[0] and len(result.questions) == 1 and result.timeline,
        "to_pay_queue": lambda: [r.rma_no for r in result.items] == [payable],
    }
    assert found[read]()
    assert counted.n <= REVIEW_READ_BUDGETS[read], f"{read}: {counted.n} statements:\n{counted.listing()}"


def test_each_steps_result_is_what_a_fresh_read_of_the_return_shows(world):
    """The steps build their result from the rows they read and wrote instead of reading the
    return again: each result equals the return read afresh (times compared as instants)."""
    ctx = world.ctx
    seen = []

    def fresh(detail):
        seen.append(detail.status)
        again = receiving.find_return_by_scan(ctx, world.clerk, detail.rma_no).detail
        assert as_instants(detail) == as_instants(again), detail.status
        return detail

    order_no = make_order(world, [("EL-1002", 2), ("AP-2001", 1)])
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=(intake.DraftLine(order_line_id=ids["EL-1002"], quantity=2, reason_code="changed_mind",
                                conditions_met=CONDITIONS),
               intake.DraftLine(order_line_id=ids["AP-2001"], quantity=1, reason_code="wrong_size",
                                conditions_met=CONDITIONS)),
    )
    rma = fresh(intake.create_return(ctx, world.clerk, draft)).rma_no
    fresh(intake.authorize_return(ctx, world.clerk, rma))
    detail = fresh(receiving.receive_return(ctx, world.inspector, rma))
    for line in detail.lines:
        for _ in range(line.qty_authorized):
            fresh(inspection.record_unit(ctx, world.inspector, rma, line_id=line.id, grade="B").detail)
    fresh(inspection.complete_inspection(ctx, world.inspector, rma).detail)
    fresh(approval.approve_refund(ctx, world.supervisor, rma))
    fresh(refunds.issue_refund(ctx, world.clerk, rma).detail)
    assert seen[0] == "requested" and seen[-1] == "refunded"
