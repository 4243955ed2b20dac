"""The returns search: each filter finds the right returns, sorting and keyset paging, and the
export as Excel and CSV with the list's columns (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.types import ReturnStatus
from returndesk.services.usecases.return_search import (
    ReturnFilter,
    ReturnSort,
    export_returns,
    search_returns,
)

from .factories import build_world
from .return_states import return_in

pytestmark = pytest.mark.both_databases(
    "timestamps compared in SQL (aware on PostgreSQL, naive on SQLite), LIKE and lower() on names, keyset paging"
)


def rmas(ctx, actor, flt: ReturnFilter, limit: int = 2) -> list[str]:
    seen, after = [], None
    while True:
        page = search_returns(ctx, actor, flt, after=after, limit=limit)
        seen += [item.rma_no for item in page.items]
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


def test_filters_sorting_paging_and_export(ctx, clock, tmp_path):
    w = build_world(ctx)
    day1 = return_in(w, ReturnStatus.REQUESTED)
    clock.advance(days=2)
    day3 = return_in(w, ReturnStatus.REFUNDED)
    cancelled = return_in(w, ReturnStatus.CANCELLED)
    clock.advance(days=1)
    last = return_in(w, ReturnStatus.AWAITING_APPROVAL)
    everyone = [last, cancelled, day3, day1]
    sup = w.supervisor

    assert rmas(ctx, sup, ReturnFilter()) == everyone
    assert rmas(ctx, sup, ReturnFilter(sort=ReturnSort.OLDEST)) == list(reversed(everyone))
    assert rmas(ctx, sup, ReturnFilter(statuses=("refunded", "cancelled"))) == [cancelled, day3]
    start = clock.current.date()
    assert rmas(ctx, sup, ReturnFilter(date_from=start)) == [last]
    assert rmas(ctx, sup, ReturnFilter(date_to=date.fromordinal(start.toordinal() - 2))) == [day1]
    assert rmas(ctx, sup, ReturnFilter(reason_code="wrong_size")) == everyone
    assert rmas(ctx, sup, ReturnFilter(reason_code="defective")) == []
    assert rmas(ctx, sup, ReturnFilter(channel="remote")) == everyone
    assert rmas(ctx, sup, ReturnFilter(channel="counter")) == []
    assert rmas(ctx, sup, ReturnFilter(station="test-1")) == everyone
    assert rmas(ctx, sup, ReturnFilter(station="OTHER")) == []
    assert rmas(ctx, sup, ReturnFilter(customer="li w")) == everyone
    assert rmas(ctx, sup, ReturnFilter(customer="0013")) == everyone
    assert rmas(ctx, sup, ReturnFilter(customer="Smith")) == []
    assert rmas(ctx, sup, ReturnFilter(text=day3)) == [day3]
    # Amounts: every return here is worth the same; bounds are inclusive.
    total = search_returns(ctx, sup, ReturnFilter(text=day3)).items[0].refund_total_minor
    assert rmas(ctx, sup, ReturnFilter(amount_min_minor=total, amount_max_minor=total)) == everyone
    assert rmas(ctx, sup, ReturnFilter(amount_min_minor=total + 1)) == []
    by_amount = rmas(ctx, sup, ReturnFilter(sort=ReturnSort.AMOUNT_HIGH))
    assert sorted(by_amount) == sorted(everyone)
    with pytest.raises(ValidationFailed, match="swap"):
        search_returns(ctx, sup, ReturnFilter(date_from=start, date_to=date(2000, 1, 1)))
    with pytest.raises(ValidationFailed):
        search_returns(ctx, sup, ReturnFilter(statuses=("teleported",)))

    flt = ReturnFilter(statuses=("refunded", "cancelled", "requested"))
    headers = ("RMA", "Status", "Order", "Customer", "Phone", "Items", "Refund", "Channel", "Created")
    xlsx = export_returns(ctx, sup, flt, "xlsx", headers=headers, words={"refunded": "Refunded"})
    assert xlsx.rows == 3
    path = tmp_path / xlsx.file_name
    path.write_bytes(xlsx.data)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == headers
    assert [r[0] for r in rows[1:]] == [cancelled, day3, day1]
    assert rows[2][1] == "Refunded" and rows[2][5] == 3 and float(rows[2][6]) == total / 100
    text = export_returns(ctx, sup, flt, "csv", headers=headers)
    table = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert table[0] == list(headers) and [r[0] for r in table[1:]] == [cancelled, day3, day1]
    with pytest.raises(PermissionDenied):
        export_returns(ctx, w.clerk, flt, "csv")


def test_the_page_the_search_and_the_export_cross_the_wire_unchanged(ctx):
    """The remote API carries the same values (server and client decode by the protocol's hints)."""
    import json

    from returndesk.api.rpc import remote_methods
    from returndesk.api.wire import from_wire, to_wire
    from returndesk.services.usecases.return_page import get_return_page

    w = build_world(ctx)
    rma = return_in(w, ReturnStatus.REFUNDED)
    page = get_return_page(ctx, w.supervisor, rma)
    methods = remote_methods()
    spec = methods[("search", "get_return_page")]
    assert from_wire(json.loads(json.dumps(to_wire(page))), spec.returns) == page
    criteria = ReturnFilter(statuses=("refunded",), date_from=date(2026, 1, 1), sort=ReturnSort.AMOUNT_LOW,
                            amount_min_minor=100)
    search = methods[("search", "search_returns")]
    assert from_wire(json.loads(json.dumps(to_wire(criteria))), search.hints["criteria"]) == criteria
    exported = export_returns(ctx, w.supervisor, criteria, "csv")
    spec = methods[("search", "export_returns")]
    assert from_wire(json.loads(json.dumps(to_wire(exported))), spec.returns) == exported
    assert ("intake", "reopen_return") in methods and ("refunds", "close_return") in methods
