"""A write refused by another station's write at the same moment is said as ConcurrentChange."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from returndesk.domain.errors import ConcurrentChange, ValidationFailed, concurrency_problem
from returndesk.domain.messages import msg


class _DriverError(Exception):
    def __init__(self, text: str, sqlstate: str) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("error", "concurrent"), [
    (IntegrityError("INSERT", {}, _DriverError("duplicate key value violates unique constraint", "23505")), True),
    (OperationalError("UPDATE", {}, _DriverError("deadlock detected", "40P01")), True),
    (OperationalError("UPDATE", {}, _DriverError("could not serialize access", "40001")), True),
    # SQLite writes one transaction at a time: a unique key refused there is a missing check, a bug.
    (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: users.username")), False),
    (IntegrityError("INSERT", {}, _DriverError("violates foreign key constraint", "23503")), False),
    (IntegrityError("INSERT", {}, sqlite3.IntegrityError("FOREIGN KEY constraint failed")), False),
    (RuntimeError("something else"), False),
])
def test_a_unique_key_a_deadlock_or_a_serialization_failure_is_a_concurrent_change(error, concurrent):
    found = concurrency_problem(error)
    assert (found is not None) == concurrent
    if found is not None:
        assert isinstance(found, ConcurrentChange)
        assert "nothing was saved" in str(found) and "try again" in str(found)


def test_it_is_found_behind_the_exceptions_that_wrap_it():
    try:
        try:
            raise IntegrityError("INSERT", {}, _DriverError("duplicate key", "23505"))
        except IntegrityError as inner:
            raise RuntimeError("while saving") from inner
    except RuntimeError as outer:
        assert isinstance(concurrency_problem(outer), ConcurrentChange)


def test_a_use_cases_own_sentence_is_left_as_it_is():
    own = ValidationFailed(msg("A return reason 'x' was added by someone else just now; change it instead."))
    own.__cause__ = IntegrityError("INSERT", {}, _DriverError("duplicate key", "23505"))
    assert concurrency_problem(own) is None
