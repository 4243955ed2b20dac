"""Query plans: what the database says it does for a statement, and whether that reads a whole
table that grows with the business.

SQLite answers ``EXPLAIN QUERY PLAN`` with rows ``(id, parent, notused, detail)``; PostgreSQL
answers ``EXPLAIN`` with indented text. The plans are the real ones on the benchmark data (no
planner settings are changed), so a sequential scan that PostgreSQL's statistics make cheaper
than an index shows up as what it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Tables that grow with the business: reading one whole is what the product must never wait on.
WATCHED_TABLES = frozenset({
    "returns", "return_lines", "sales_orders", "sales_order_lines", "customers", "audit_events",
    "inspection_units", "stock_movements",
})

_ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.IGNORECASE)
_KEYWORDS = frozenset({"where", "join", "left", "right", "inner", "outer", "cross", "on", "group", "order",
                       "limit", "using", "natural", "full", "union", "having", "window", "lateral"})


@dataclass(frozen=True)
class Finding:
    """Something in a plan that reads more than it should (or might)."""

    severity: str  # "full scan" | "index walk" | "note"
    table: str
    line: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.table} ({self.line.strip()})"


def table_aliases(sql: str) -> dict[str, str]:
    """Alias (or name) -> table for the FROM/JOIN items of ``sql``."""
    aliases: dict[str, str] = {}
    for table, alias in _ALIAS.findall(sql):
        aliases[table.lower()] = table.lower()
        if alias and alias.lower() not in _KEYWORDS:
            aliases[alias.lower()] = table.lower()
    return aliases


def has_limit(sql: str) -> bool:
    return re.search(r"\bLIMIT\b", sql, re.IGNORECASE) is not None


# --------------------------------------------------------------------------- SQLite


def sqlite_plan_lines(rows: Iterable[tuple]) -> list[str]:
    """The rows of ``EXPLAIN QUERY PLAN`` as an indented tree."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node_id, parent, _unused, detail in rows:
        depth[node_id] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node_id] + str(detail))
    return lines


def sqlite_findings(lines: list[str], sql: str) -> list[Finding]:
    """Full table scans, and index walks that no LIMIT stops, of watched tables."""
    aliases = table_aliases(sql)
    found = []
    for line in lines:
        m = re.match(r"\s*SCAN (\w+)(.*)", line)
        if not m:
            continue
        table = aliases.get(m.group(1).lower(), m.group(1).lower())
        if table not in WATCHED_TABLES:
            continue
        if "USING" not in m.group(2):
            found.append(Finding("full scan", table, line))
        elif not has_limit(sql):
            found.append(Finding("index walk", table, line))
    return found


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class _Node:
    indent: int
    text: str
    details: list[str]
    ancestors: list[str]


def _pg_nodes(lines: list[str]) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[_Node] = []
    for raw in lines:
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        is_node = not nodes or stripped.startswith("->")
        if not is_node:
            if nodes:
                nodes[-1].details.append(stripped)
            continue
        text = stripped[2:].strip() if stripped.startswith("->") else stripped
        while stack and stack[-1].indent >= indent:
            stack.pop()
        node = _Node(indent, text, [], [n.text for n in stack])
        nodes.append(node)
        stack.append(node)
    return nodes


def pg_findings(lines: list[str], sql: str) -> list[Finding]:
    """Sequential scans of watched tables, and index scans without a condition (a walk over the
    whole index) that no Limit above them stops."""
    found = []
    for node in _pg_nodes(lines):
        m = re.match(r"(?:Parallel )?Seq Scan on (\w+)", node.text)
        if m and m.group(1) in WATCHED_TABLES:
            found.append(Finding("full scan", m.group(1), node.text))
            continue
        m = re.match(r"(?:Parallel )?Index(?: Only)? Scan(?: Backward)? using \w+ on (\w+)", node.text)
        if m and m.group(1) in WATCHED_TABLES and not any(d.startswith("Index Cond:") for d in node.details):
            if not any(a.startswith("Limit") for a in node.ancestors):
                found.append(Finding("index walk", m.group(1), node.text))
    return found


def findings_for(backend: str, lines: list[str], sql: str) -> list[Finding]:
    return sqlite_findings(lines, sql) if backend == "sqlite" else pg_findings(lines, sql)
