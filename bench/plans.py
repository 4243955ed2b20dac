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


def has_where(sql: str) -> bool:
    return re.search(r"\bWHERE\b", sql, re.IGNORECASE) is not None


def sqlite_findings(lines: list[str], sql: str) -> list[Finding]:
    """Full table scans of watched tables, and walks along a whole index of one: without a LIMIT
    to stop them, or filtering rows on the way (a keyset condition the index cannot seek to, so
    the walk starts at the first entry whatever the page)."""
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
        elif not has_limit(sql) or has_where(sql):
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
    """Sequential scans of watched tables, and index scans without an index condition (a walk
    along the whole index) that no Limit above them stops or that filter rows on the way (a
    keyset condition the index cannot seek to: the walk starts at the first entry whatever the
    page)."""
    found = []
    for node in _pg_nodes(lines):
        m = re.match(r"(?:Parallel )?Seq Scan on (\w+)", node.text)
        if m and m.group(1) in WATCHED_TABLES:
            found.append(Finding("full scan", m.group(1), node.text))
            continue
        m = re.match(r"(?:Parallel )?Index(?: Only)? Scan(?: Backward)? using \w+ on (\w+)", node.text)
        if m and m.group(1) in WATCHED_TABLES and not any(d.startswith("Index Cond:") for d in node.details):
            limited = any(a.startswith("Limit") for a in node.ancestors)
            if not limited or any(d.startswith("Filter:") for d in node.details):
                found.append(Finding("index walk", m.group(1), node.text))
    return found


#: ``t.c > :v OR t.c = :v AND ...``: a keyset condition written out with OR (as SQLAlchemy renders it).
_KEYSET_OR = re.compile(r"(\w+)\.(\w+) [<>] \S+(?: WITH(?:OUT)? TIME ZONE)? OR \(?\1\.\2 = ", re.IGNORECASE)


def keyset_findings(backend: str, lines: list[str], sql: str) -> list[Finding]:
    """A keyset condition the index does not seek to: the plan reads the table's index without a
    bound on the keyset column, so every page starts reading at the first row of the list and
    filters its way to the cursor (the cost grows with how far down the page is)."""
    found = []
    for table, column in {(t.lower(), c.lower()) for t, c in _KEYSET_OR.findall(sql)}:
        if table not in WATCHED_TABLES:
            continue
        if backend == "sqlite":
            aliases = table_aliases(sql)
            reads = [ln for ln in lines if (m := re.match(r"\s*(?:SEARCH|SCAN) (\w+)", ln))
                     and aliases.get(m.group(1).lower(), m.group(1).lower()) == table]
            bounded = any(re.search(rf"\(.*\b{column}\s*[<>=]", ln) for ln in reads)
        else:
            nodes = [n for n in _pg_nodes(lines) if re.search(rf"\bon {table}\b", n.text)
                     or (n.text.startswith("Bitmap Index Scan")
                         and any(re.match(rf"Bitmap Heap Scan on {table}\b", a) for a in n.ancestors))]
            reads = [n.text for n in nodes if not n.text.startswith("Bitmap Index Scan")]
            bounded = any(d.startswith("Index Cond:") and column in d for n in nodes for d in n.details)
        if reads and not bounded:
            found.append(Finding("keyset walk", table, reads[0]))
    return found


def findings_for(backend: str, lines: list[str], sql: str) -> list[Finding]:
    base = sqlite_findings(lines, sql) if backend == "sqlite" else pg_findings(lines, sql)
    seen = {f.table for f in base}
    return base + [f for f in keyset_findings(backend, lines, sql) if f.table not in seen]
