"""Errors raised by the domain and the services.

Every error carries a sentence that the person at the counter, the scanning station or the
supervisor's desk can act on. Anything that is not a ``ReturnDeskError`` is a bug.
"""

from __future__ import annotations


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

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
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


class AlreadyDone(ReturnDeskError):
    """The step was already carried out (for example a refund already issued)."""


class AuthenticationFailed(ReturnDeskError):
    """Wrong user name or password."""


class AccountLocked(ReturnDeskError):
    """Too many failed sign-ins; the account is locked for a while."""


class DatabaseUnavailable(ReturnDeskError):
    """The database cannot be reached; nothing was saved."""


class SchemaTooNew(ReturnDeskError):
    """The database was upgraded by a newer ReturnDesk than this one."""
