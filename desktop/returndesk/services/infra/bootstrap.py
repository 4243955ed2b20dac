"""Opening a database: upgrade the schema, then make sure the reference data exists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from importlib.resources import files

from sqlalchemy import select

from returndesk.domain.policy import PolicyRules
from returndesk.store.migrate import SchemaStatus, schema_status, upgrade
from returndesk.store.schema import (
    AuditHead,
    Category,
    NumberSequence,
    ReturnPolicy,
    ReturnReason,
    StockLocation,
)

from returndesk.services.tx.audit import GENESIS
from returndesk.services.tx.context import ServiceContext


def reference_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((files("returndesk.db") / "seed" / "reference.json").read_text("utf-8"))
    return data


#: When the policy a new database starts with takes effect: before any sale it may judge.
FIRST_POLICY_FROM = datetime(2000, 1, 1, tzinfo=UTC)


def ensure_reference_data(ctx: ServiceContext) -> None:
    """Insert what a working database needs and lacks; never changes what is there."""
    data = reference_data()
    now = ctx.now()
    with ctx.db.write() as s:
        have = set(s.execute(select(StockLocation.code)).scalars())
        for loc in data["locations"]:
            if loc["code"] not in have:
                s.add(StockLocation(**loc))
        have = set(s.execute(select(NumberSequence.name)).scalars())
        for name in data["sequences"]:
            if name not in have:
                s.add(NumberSequence(name=name, next_value=1))
        have = set(s.execute(select(ReturnReason.code)).scalars())
        for reason in data["reasons"]:
            if reason["code"] not in have:
                s.add(ReturnReason(**reason))
        have = set(s.execute(select(Category.code)).scalars())
        for cat in data["categories"]:
            if cat["code"] not in have:
                s.add(Category(**cat))
        if s.get(AuditHead, 1) is None:
            s.add(AuditHead(id=1, last_seq=0, last_hash=GENESIS))
        if s.execute(select(ReturnPolicy.id).limit(1)).first() is None:
            # The first policy holds from the start: sales imported with earlier dates are judged by it.
            s.add(ReturnPolicy(version=1, name="Standard policy", rules_json=PolicyRules.default().to_json(),
                               effective_from=FIRST_POLICY_FROM, created_at=now, active=True))


def open_database(ctx: ServiceContext) -> SchemaStatus:
    """Upgrade the schema (or refuse a newer one) and seed reference data."""
    status = upgrade(ctx.db.engine)
    ensure_reference_data(ctx)
    return status


def database_status(ctx: ServiceContext) -> SchemaStatus:
    return schema_status(ctx.db.engine)
