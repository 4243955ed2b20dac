"""The API's answers on the wire: what the server and a station in shared mode add to JSON.

Measured: a page of the returns list (the station's busiest answer) as the server sends it,
``to_wire`` then ``json.dumps``, and as the station takes it back, ``json.loads`` then
``from_wire`` into the same frozen dataclasses; and the same for one return's detail.

Floor: ``json.dumps`` and ``json.loads`` of the same JSON data alone (what any JSON API pays).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Page, ReturnDetail, ReturnSummary
from returndesk.api.wire import from_wire, to_wire

from .cases import PAGE, CaseResult, Timing

WIRE_KEYS = ("wire_page_send", "wire_page_receive", "wire_detail_receive")


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - started) / 1e6


def run_wire(api: ReturnDeskApi, *, repeat: int, warmup: int, only: tuple[str, ...] = ()) -> list[CaseResult]:
    """Time the API's coding of a returns page and a detail beside plain JSON, interleaved (those
    of ``only`` that are among :data:`WIRE_KEYS`, else all)."""
    page = api.search.find_returns(limit=PAGE)
    detail = api.search.get_return(page.items[0].rma_no) if page.items else None
    page_data = to_wire(page)
    page_text = json.dumps(page_data)
    cases: list[tuple[str, str, Callable[[], Any], Callable[[], Any], bool, int]] = [
        ("wire_page_send", f"Returns page of {len(page.items)} as the server sends it (to_wire, dumps)",
         lambda: json.dumps(to_wire(page)), lambda: json.dumps(page_data),
         from_wire(json.loads(json.dumps(to_wire(page))), Page[ReturnSummary]) == page, len(page.items)),
        ("wire_page_receive", f"Returns page of {len(page.items)} as a station takes it (loads, from_wire)",
         lambda: from_wire(json.loads(page_text), Page[ReturnSummary]), lambda: json.loads(page_text),
         from_wire(json.loads(page_text), Page[ReturnSummary]) == page, len(page.items)),
    ]
    if detail is not None:
        detail_text = json.dumps(to_wire(detail))
        cases.append(("wire_detail_receive", "One return's detail as a station takes it (loads, from_wire)",
                      lambda: from_wire(json.loads(detail_text), ReturnDetail), lambda: json.loads(detail_text),
                      from_wire(json.loads(detail_text), ReturnDetail) == detail, 1))
    chosen = [key for key in only if key in WIRE_KEYS]
    results = []
    for key, title, service, floor, agree, rows in cases:
        if chosen and key not in chosen:
            continue
        for _ in range(warmup):
            service()
            floor()
        service_ms, floor_ms = [], []
        for _ in range(repeat):
            service_ms.append(_timed(service))
            floor_ms.append(_timed(floor))
        results.append(CaseResult(
            key, title, Timing(tuple(service_ms)), Timing(tuple(floor_ms)), "",
            "json.dumps / json.loads of the same JSON data alone", [], [], agree=agree, rows=rows,
        ))
    return results
