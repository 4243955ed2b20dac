"""The in-process API: each call acts as the user it was opened for, and reports this client's
commits to its subscribers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from returndesk.api.local import LocalSession
from returndesk.domain.errors import PermissionDenied
from returndesk.services.usecases import worklists
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.store.migrate import SchemaStatus
from returndesk.store.schema import Approval, Return

from .factories import build_world
from .money_support import LineSpec, awaiting


@pytest.fixture
def session(ctx) -> LocalSession:
    return LocalSession(OpenedDatabase(ctx, DatabaseChoice.local(Path("api-test.sqlite3")),
                                       SchemaStatus("test", "test", True), False))


def test_each_call_acts_as_the_user_the_api_was_opened_for(ctx, session):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    desk = session.api_for(world.supervisor)
    assert desk.user == world.supervisor
    case = desk.approval.get_case(rma)
    assert case.state.can_approve
    detail = desk.approval.approve_refund(rma, expected_version=case.detail.version)
    assert detail.status == "approved"
    with ctx.db.read() as s:
        decided_by = s.execute(select(Approval.decided_by).join(Return, Return.id == Approval.return_id)
                               .where(Return.rma_no == rma)).scalar_one()
    assert decided_by == world.supervisor.user_id
    with pytest.raises(PermissionDenied):
        session.api_for(world.inspector).approval.approve_refund(rma)


def test_subscribers_hear_this_clients_commits_until_they_unsubscribe(ctx, session):
    world = build_world(ctx)
    heard: list[tuple[str, int]] = []
    unsubscribe = session.subscribe(lambda entity, entity_id: heard.append((entity, entity_id)))
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    returned = session.api_for(world.supervisor).approval.approve_refund(rma)
    assert ("return", returned.id) in heard
    unsubscribe()
    heard.clear()
    awaiting(world, [LineSpec("AP-2001", 1)])
    assert heard == []


def test_the_returns_list_without_text_is_the_newest_returns(ctx, session, clock):
    world = build_world(ctx)
    for _ in range(3):
        awaiting(world, [LineSpec("AP-2001", 1)])
        clock.advance(minutes=1)
    search = session.api_for(world.clerk).search
    page = search.find_returns("", limit=2)
    assert page == worklists.latest_returns(ctx, world.clerk, limit=2) and page.next_cursor is not None
    rest = search.find_returns("  ", after=page.next_cursor, limit=2)
    created = [r.created_at for r in page.items + rest.items]
    assert len(created) == 3 and created == sorted(created, reverse=True)
    assert search.find_returns(page.items[0].rma_no).items == (page.items[0],)
