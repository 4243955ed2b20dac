"""The benchmark report: a table for people (stdout) and a JSON file for comparing runs."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from .cases import CaseResult
from .dataset import Dataset
from .startup import StartupFigure

#: A station's reads: at most this many times their floor (the raw queries of what the screen shows).
READ_RATIO_TARGET = 5.0
#: Absolute targets of single reads: {(backend, case key): p95 ms}.
ABSOLUTE_TARGETS_MS = {("sqlite", "scan"): 1.0,
                       ("sqlite", "whole_return"): 15.0, ("postgresql", "whole_return"): 40.0}


def case_misses(backend: str, result: CaseResult) -> list[str]:
    """The targets a measurement misses, in words (empty when it meets them)."""
    missed = []
    if result.ratio == result.ratio and result.ratio > READ_RATIO_TARGET:
        missed.append(f"more than {READ_RATIO_TARGET:g}x its floor")
    limit = ABSOLUTE_TARGETS_MS.get((backend, result.key))
    if limit is not None and result.service.p95 > limit:
        missed.append(f"p95 above {limit:g} ms")
    return missed


def red(text: str, *, colour: bool) -> str:
    """``text`` in red on a terminal that shows colours."""
    return f"\033[31m{text}\033[0m" if colour else text


def colour_wanted() -> bool:
    """Colours when standard output is a terminal (or FORCE_COLOR is set), never with NO_COLOR."""
    import sys

    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_bytes": memory, "system": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


@dataclass
class BackendResult:
    """Everything measured on one backend."""

    dataset: Dataset
    server_version: str
    queue_length: int
    missing_indexes: list[str]
    results: list[CaseResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = self.dataset
        build = d.build
        return {
            "backend": d.backend, "server_version": self.server_version,
            "database": make_url(d.url).render_as_string(hide_password=True),
            "dataset": {"spec": build.spec, "reused": d.reused, "built_at": build.built_at,
                        "build_seconds": round(build.seconds, 1),
                        "stages": [{"stage": s.name, "rows": s.count, "seconds": round(s.seconds, 1),
                                    "per_second": round(s.rate, 1)} for s in build.stages],
                        "bulk_returns_per_second": round(build.bulk_rate, 1), "returns": build.returns_written,
                        "returns_by_status": build.returns_by_status, "row_counts": build.row_counts,
                        "size_bytes": build.size_bytes, "analyze_seconds": build.analyze_seconds,
                        "analyze_during_build_seconds": round(build.statistics_seconds, 1),
                        "load_average_during_build": build.load_average},
            "approval_queue_length": self.queue_length, "missing_indexes": self.missing_indexes,
            "results": [r.to_dict() for r in self.results],
        }


@dataclass
class Report:
    started: datetime
    finished: datetime
    arguments: dict[str, Any]
    load_average: tuple[tuple[float, float, float], tuple[float, float, float]]
    backends: list[BackendResult]
    machine: dict[str, Any] = field(default_factory=machine)
    startup: list[StartupFigure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started.isoformat(timespec="seconds"),
                "finished": self.finished.isoformat(timespec="seconds"), "machine": self.machine,
                "load_average": {"start": self.load_average[0], "end": self.load_average[1]},
                "arguments": self.arguments, "backends": [b.to_dict() for b in self.backends],
                "startup": [f.to_json() for f in self.startup], "misses": misses(self),
                "findings": findings(self)}


def misses(report: Report) -> list[dict[str, str]]:
    """Every figure that misses its target."""
    out = [{"backend": b.dataset.backend, "case": r.key, "miss": m}
           for b in report.backends for r in b.results for m in case_misses(b.dataset.backend, r)]
    out += [{"backend": "desktop", "case": f.key, "miss": m} for f in report.startup for m in f.misses()]
    return out


def findings(report: Report) -> list[dict[str, str]]:
    """Every plan that reads a whole growing table (or walks a whole index), floor or use case."""
    out = []
    for b in report.backends:
        for r in b.results:
            for f in r.floor_findings:
                out.append({"backend": b.dataset.backend, "case": r.key, "where": "floor", "finding": str(f),
                            "sql": " ".join(r.floor_sql.split())})
            for sql, f in r.service_findings:
                out.append({"backend": b.dataset.backend, "case": r.key, "where": "use case", "finding": str(f),
                            "sql": " ".join(sql.split())})
    return out


def write_json(report: Report, directory: Path) -> Path:
    """``bench-<when>-<returns>.json`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    returns = report.backends[0].dataset.spec.returns if report.backends else 0
    path = directory / f"bench-{report.started:%Y%m%d-%H%M%S}-r{returns}.json"
    path.write_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False, default=str), "utf-8")
    return path


# --------------------------------------------------------------------------- text


def _ratio(value: float) -> str:
    return "-" if value != value else f"{value:.1f}x"


def _ms(value: float) -> str:
    if value != value:  # NaN
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _build_line(b: BackendResult) -> str:
    build = b.dataset.build
    stages = ", ".join(f"{s.name} {s.count:,} ({s.rate:,.0f}/s)" for s in build.stages)
    how = f"reused (built {build.built_at})" if b.dataset.reused else f"built now ({build.built_at})"
    analyze = ""
    if build.analyze_seconds is not None:
        analyze = f"; ANALYZE {build.statistics_seconds:.0f} s during the build and {build.analyze_seconds:.0f} s after"
    return (f"  data: {how} in {build.seconds:,.0f} s, {_size(build.size_bytes)}; {stages}; "
            f"bulk path {build.bulk_rate:,.0f} returns/s{analyze}; load average {build.load_average[0]:.1f} -> "
            f"{build.load_average[1]:.1f} while building")


def _startup_lines(figures: list[StartupFigure], colour: bool) -> list[str]:
    head = (f"  {'start-up (processes)':<52} {'wall ms':>8} {'cpu ms':>8} {'floor wall/cpu':>15} "
            f"{'x floor wall/cpu':>17}  target")
    out = ["", "== Start-up: whole processes against a bare PySide6 window and a bare Python writing a PDF",
           head, "  " + "-" * (len(head) - 2)]
    for f in figures:
        if f.unit == "MiB":
            value, cpu = f"{f.median:.0f} MiB", ""
            floor = f"{f.floor:.0f} MiB" if f.floor else "-"
            ratio = f"{f.ratio:.1f}x" if f.ratio else "-"
        else:
            value, cpu = _ms(f.median), _ms(f.cpu) if f.cpu is not None else "-"
            floor = f"{_ms(f.floor)}/{_ms(f.floor_cpu)}" if f.floor else "-"
            ratio = f"{f.ratio:.1f}x/{f.cpu_ratio:.1f}x" if f.ratio and f.cpu_ratio else "-"
        missed = f.misses()
        verdict = red("MISS: " + "; ".join(missed), colour=colour) if missed else "ok"
        out.append(f"  {textwrap.shorten(f.title, 52, placeholder='…'):<52} {value:>8} {cpu:>8} {floor:>15} "
                   f"{ratio:>17}  {verdict}")
    out.append("  (medians; times are judged on processor time, which other jobs on a shared machine change "
               "far less than the wall clock; floors: " + ", ".join(sorted({f.floor_title for f in figures
                                                                           if f.floor_title})) + ")")
    return out


def render_text(report: Report, *, plans: bool = True, colour: bool | None = None) -> str:
    """The report as a readable table (and the plans of the floors); misses of targets in red."""
    colour = colour_wanted() if colour is None else colour
    m = report.machine
    out = [
        f"ReturnDesk benchmarks  {report.started:%Y-%m-%d %H:%M} UTC",
        f"machine: {m['cpus']} CPUs ({m['cpu_model']}), {_size(m['memory_bytes'])} memory, Python {m['python']}",
        f"load average (1/5/15 min): {'/'.join(f'{x:.1f}' for x in report.load_average[0])} at start, "
        f"{'/'.join(f'{x:.1f}' for x in report.load_average[1])} at end",
    ]
    for b in report.backends:
        spec = b.dataset.spec
        counts = b.dataset.build.row_counts
        out += [
            "",
            f"== {b.server_version}: {spec.returns:,} returns asked, {counts.get('returns', 0):,} in the database, "
            f"{counts.get('sales_orders', 0):,} sales, {counts.get('customers', 0):,} customers, "
            f"{counts.get('audit_events', 0):,} audit events (seed {spec.seed}, {spec.days} days)",
            _build_line(b),
            f"  approval queue (supervisor): {b.queue_length:,} returns waiting",
        ]
        if b.missing_indexes:
            out.append(f"  WARNING: the database lacks indexes of store/schema.py: {', '.join(b.missing_indexes)}; "
                       "rebuild it (--rebuild) or regenerate the migration")
        head = (f"  {'measurement':<66} {'use case ms':>15} {'floor ms':>15} {'x floor':>8} {'SQL':>4} {'same':>5}  "
                f"target (<= {READ_RATIO_TARGET:g}x)  plan")
        sub = f"  {'':<66} {'median':>7} {'p95':>7} {'median':>7} {'p95':>7}"
        out += ["", head, sub, "  " + "-" * (len(head) - 2)]
        for r in b.results:
            flags = [f"{f.severity} {f.table}" for f in r.floor_findings]
            flags += [f"use case: {f.severity} {f.table}" for _, f in r.service_findings]
            queries = str(len(r.statements)) if r.statements else "-"
            same = "-" if r.agree is None else ("yes" if r.agree else "NO")
            title = textwrap.shorten(r.title, 66, placeholder="…")
            missed = case_misses(b.dataset.backend, r)
            verdict = red("MISS: " + "; ".join(missed), colour=colour) if missed else "ok"
            out.append(
                f"  {title:<66} {_ms(r.service.median):>7} {_ms(r.service.p95):>7} {_ms(r.floor.median):>7} "
                f"{_ms(r.floor.p95):>7} {_ratio(r.ratio):>8} {queries:>4} {same:>5}  {verdict}  "
                f"{'; '.join(flags) or 'ok'}"
            )
        out.append(f"  (n = {b.results[0].service.n if b.results else 0} timed repetitions per row after warm-up; "
                   "SQL = statements the use case runs; same = use case and floor found the same rows)")
    if report.startup:
        out += _startup_lines(report.startup, colour)
    if plans:
        for b in report.backends:
            out += ["", f"== Plans of the floors on {b.server_version}"]
            for r in b.results:
                if not r.floor_sql:
                    continue
                out += ["", f"  {r.title}", "    " + " ".join(r.floor_sql.split())]
                if r.floor_note:
                    out.append(f"    (floor: {r.floor_note})")
                out += [f"      {line}" for line in r.floor_plan]
                out += [f"    ! {f}" for f in r.floor_findings]
            flagged = [(r, sql, f) for r in b.results for sql, f in r.service_findings]
            if flagged:
                out += ["", f"== Statements of the use cases that read a whole table on {b.server_version}"]
                for r, sql, f in flagged:
                    out += [f"  {r.key}: {f}", "    " + textwrap.shorten(" ".join(sql.split()), 400)]
    missed = misses(report)
    out += ["", "== Targets"]
    out.append(red(f"  {len(missed)} figures miss their target (marked MISS above).", colour=colour) if missed
               else "  Every figure meets its target.")
    found = findings(report)
    out += ["", "== Findings"]
    if not found:
        out.append("  No plan reads a whole growing table (returns, return_lines, sales_orders, sales_order_lines, "
                   "customers, audit_events, inspection_units, stock_movements).")
    for item in found:
        out.append(f"  {item['backend']} {item['case']} ({item['where']}): {item['finding']}")
    return "\n".join(out)
