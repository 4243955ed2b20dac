"""Errors raised by the domain and the services.

Every error carries a sentence that the person at the counter, the scanning station or the
supervisor's desk can act on. Anything that is not a ``ReturnDeskError`` is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .messages import Message, msg


class ReturnDeskError(Exception):
    """Base of all expected, user-facing errors."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class NotFound(ReturnDeskError):
    """The thing asked for does not exist (unknown RMA, order, product, user...)."""


class ValidationFailed(ReturnDeskError):
    """Input is not acceptable; ``problems`` lists each problem in words."""

    def __init__(self, message: str, problems: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class IllegalTransition(ReturnDeskError):
    """A lifecycle step that the return's current state does not allow."""

    def __init__(self, message: str, current: str = "", action: str = "") -> None:
        super().__init__(message)
        self.current = current
        self.action = action


class PolicyViolation(ReturnDeskError):
    """The return policy does not allow this without a supervisor override."""


class PermissionDenied(ReturnDeskError):
    """The acting user's role or limit does not allow this."""


class LimitExceeded(PermissionDenied):
    """An amount is above the acting user's approval or cash limit."""


class SegregationOfDuties(PermissionDenied):
    """Whoever created or inspected a return cannot approve or refund it."""


class ConcurrentChange(ReturnDeskError):
    """Someone else changed the record since it was read; reload and try again."""


class Cancelled(ReturnDeskError):
    """The user stopped the work before it was done; nothing of it was saved."""


class AlreadyDone(ReturnDeskError):
    """The step was already carried out (for example a refund already issued)."""


class AuthenticationFailed(ReturnDeskError):
    """Wrong user name or password."""


class SessionEnded(AuthenticationFailed):
    """The session at the server is over: ``reason`` is ``expired``, ``revoked`` (signed out, or
    ended by an administrator) or ``disabled`` (the account was disabled). The station goes back
    to its sign-in window."""

    def __init__(self, message: str, reason: str = "expired") -> None:
        super().__init__(message)
        self.reason = reason


class AccountLocked(ReturnDeskError):
    """Too many failed sign-ins; the account is locked for a while."""


class DatabaseUnavailable(ReturnDeskError):
    """The database cannot be reached; nothing was saved."""


class ServerBusy(DatabaseUnavailable):
    """The ReturnDesk server is checking as many passwords as it may at once; try again shortly.
    ``retry_after`` is the server's suggested wait in seconds."""

    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DatabaseBusy(DatabaseUnavailable):
    """Another program held the database file longer than the wait allows ("database is locked")."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The database may be read but not written by this user (file, folder or disk read-only)."""


class StorageFull(DatabaseUnavailable):
    """The disk under the database is full (or the database reached its size limit)."""


#: What the SQLite and PostgreSQL drivers say, lower-cased, for each storage problem.
_STORAGE_MESSAGES: tuple[tuple[type[DatabaseUnavailable], tuple[str, ...]], ...] = (
    (DatabaseBusy, ("database is locked", "database table is locked", "database schema is locked")),
    (DatabaseReadOnly, ("attempt to write a readonly database", "readonly database",
                        "read-only transaction", "read-only file system")),
    (StorageFull, ("database or disk is full", "no space left on device", "disk quota exceeded",
                   "could not extend file")),
    (DatabaseUnavailable, ("disk i/o error",)),
)
#: SQLSTATEs (PostgreSQL) of the same problems: read-only transaction, disk full, out of memory/space.
_STORAGE_SQLSTATES = {"25006": DatabaseReadOnly, "53100": StorageFull}


def _error_chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and the exceptions it wraps (a driver's error as ``orig``, causes, contexts), each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend((getattr(current, "orig", None), current.__cause__, current.__context__))


def storage_problem(
    error: BaseException, where: str = "", *, wait_s: float | None = None
) -> DatabaseUnavailable | None:
    """The user-facing error for a database that is locked, read-only or on a full disk, found in
    ``error`` or the exceptions it wraps (driver errors carry the database's own words); None for
    anything else.

    ``where`` names the database ("local file /…/returndesk.sqlite3"); ``wait_s`` is how long a
    locked database was waited for.
    """
    for current in _error_chain(error):
        if isinstance(current, DatabaseUnavailable):
            return current
        kind = _STORAGE_SQLSTATES.get(str(getattr(current, "sqlstate", "") or ""))
        text = str(current).lower()
        for candidate, needles in _STORAGE_MESSAGES:
            if kind is None and any(n in text for n in needles):
                kind = candidate
        if kind is not None:
            return kind(_storage_sentence(kind, where, wait_s))
    return None


#: SQLSTATEs (PostgreSQL) of two transactions that got in each other's way: a unique key taken by
#: the other at the same moment, a serialization failure, a deadlock.
_CONCURRENCY_SQLSTATES = frozenset({"23505", "40001", "40P01"})


def concurrency_problem(error: BaseException) -> ConcurrentChange | None:
    """The user-facing error for a write that another station's write at the same moment
    refused on PostgreSQL (a unique key it took first, a deadlock, a serialization failure),
    found in ``error`` or the exceptions it wraps; None for anything else. (SQLite runs one
    write at a time, so a unique key refused there is a check missing, a bug.)

    The use cases lock what they read and check what they write, so this is the last line of
    defence: nothing was saved, and trying again meets the use case's own check and sentence.
    An error of ReturnDesk's own (a use case that caught the database's and said it in words)
    is left as it is.
    """
    if isinstance(error, ReturnDeskError):
        return None
    for current in _error_chain(error):
        if str(getattr(current, "sqlstate", "") or "") in _CONCURRENCY_SQLSTATES:
            return ConcurrentChange(msg(
                "Another station saved the same record at the same moment; nothing was saved. Reload and "
                "try again."))
    return None


def _storage_sentence(kind: type[DatabaseUnavailable], where: str, wait_s: float | None) -> Message:
    database = msg("The database ({where})", where=where) if where else msg("The database")
    if kind is DatabaseBusy:
        if wait_s:
            return msg("{database} is in use by another program that did not let go within {seconds:g} "
                       "seconds; nothing was saved. Close other programs that have it open (a second ReturnDesk on "
                       "this computer, a backup or a database browser), then try again.",
                       database=database, seconds=wait_s)
        return msg("{database} is in use by another program that did not let go; nothing was saved. "
                   "Close other programs that have it open (a second ReturnDesk on this computer, a backup or a "
                   "database browser), then try again.", database=database)
    if kind is DatabaseReadOnly:
        return msg("{database} can be read but not written by this user; nothing was saved. Check that "
                   "this user may write the file and its folder and that the disk is not read-only, or ask the "
                   "administrator, then start ReturnDesk again.", database=database)
    if kind is StorageFull:
        if where:
            return msg("The disk that holds the database ({where}) is full, or the database reached its size "
                       "limit; nothing was saved. Free some space on that disk, then try again.", where=where)
        return msg("The disk that holds the database is full, or the database reached its size limit; nothing "
                   "was saved. Free some space on that disk, then try again.")
    return msg("{database} could not be read or written because of a disk error; nothing was saved. "
               "Check the disk, then try again.", database=database)


class SchemaTooNew(ReturnDeskError):
    """The database was upgraded by a newer ReturnDesk than this one."""
