"""Who is acting: sign-in lockout under parallel attempts, and a user disabled or given another
role stopping at the next action of every workflow."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from returndesk.domain.errors import AccountLocked, AuthenticationFailed
from returndesk.services import auth
from returndesk.store.schema import User

from .factories import PASSWORD, build_world
from .test_races import race


def test_eight_simultaneous_wrong_passwords_lock_the_account(ctx):
    build_world(ctx)
    outcomes = race(ctx, *[lambda c: auth.sign_in(c, "clerk", "wrong password")] * 8)
    bugs = [o.error for o in outcomes if not isinstance(o.error, (AuthenticationFailed, AccountLocked))]
    assert not bugs, f"unexpected outcomes: {bugs!r}"
    locked_now = [o.error for o in outcomes if "now locked" in str(o.error)]
    assert len(locked_now) == 1, [str(o.error) for o in outcomes]
    with ctx.db.read() as s:
        locked_until = s.execute(select(User.locked_until).where(User.username == "clerk")).scalar_one()
    assert locked_until is not None
    with pytest.raises(AccountLocked, match="is locked"):
        auth.sign_in(ctx, "clerk", PASSWORD)


def test_attempts_left_count_down_by_one_per_parallel_failure(ctx):
    build_world(ctx)
    outcomes = race(ctx, *[lambda c: auth.sign_in(c, "clerk", "wrong password")] * 4)
    left = sorted(str(o.error) for o in outcomes)
    assert left == [f"Wrong user name or password. {n} attempts left before the account is locked."
                    for n in (1, 2, 3, 4)]
    with ctx.db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "clerk")).scalar_one() == 4
