"""Customer service's review of return requests: the reasons a request is declined for, the
questions asked of customers, and the flags the review queue raises about a request.

A request is authorized, rejected with one of :data:`REJECT_REASONS` (plus the reviewer's own
words), or put on hold with a question to the customer (``waiting_for_customer`` in the lifecycle
table); the customer's answer brings it back to the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import ValidationFailed
from returndesk.domain.messages import msg

#: Fewest characters of a question to the customer, or of the words that explain "other".
MIN_TEXT_LENGTH = 5
#: Longest question, answer or explanation kept.
MAX_TEXT_LENGTH = 2000


class RejectReason(StrEnum):
    """Why customer service declines a return request (the reviewer adds their own words)."""

    OUTSIDE_WINDOW = "outside_window"
    NOT_RETURNABLE = "not_returnable"
    USED_OR_DAMAGED = "used_or_damaged"
    NOT_OUR_SALE = "not_our_sale"
    DUPLICATE = "duplicate"
    NO_ANSWER = "no_answer"
    OTHER = "other"


#: The sentence each reason puts in the return's record (the screens show it translated).
REJECT_REASONS: dict[RejectReason, str] = {
    RejectReason.OUTSIDE_WINDOW: "The return window has passed",
    RejectReason.NOT_RETURNABLE: "The item cannot be returned",
    RejectReason.USED_OR_DAMAGED: "The item was used or damaged by the customer",
    RejectReason.NOT_OUR_SALE: "The purchase could not be confirmed",
    RejectReason.DUPLICATE: "The items are on another request already",
    RejectReason.NO_ANSWER: "The customer did not answer our question",
    RejectReason.OTHER: "Other reason",
}


class ReviewFlag(StrEnum):
    """What the review queue points out about a request or its customer."""

    WEB_SHOP = "web_shop"  # sent by the web shop, not taken by a clerk
    OUT_OF_POLICY = "out_of_policy"  # a line outside the policy (a supervisor override)
    FREQUENT_RETURNER = "frequent_returner"  # as approval routing counts it
    EARLIER_REJECTED = "earlier_rejected"  # the customer has declined requests or refunds before
    ANSWERED = "answered"  # the customer answered a question of ours


def _clean(text: str | None) -> str:
    return " ".join(str(text or "").split())


def rejection_text(reason: RejectReason | str, words: str | None) -> tuple[RejectReason, str]:
    """The reason and the sentence kept with a rejected request: the reason's sentence, then the
    reviewer's words. "Other" needs words of at least :data:`MIN_TEXT_LENGTH` characters."""
    try:
        code = RejectReason(reason)
    except ValueError:
        choices = ", ".join(r.value for r in RejectReason)
        raise ValidationFailed(msg(
            "'{reason}' is not a reason for declining a request; choose one of {choices}.",
            reason=str(reason)[:32], choices=choices)) from None
    text = _clean(words)
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed(msg(
            "The explanation is {text_count} characters long; keep it to {max_text_length}.",
            text_count=len(text), max_text_length=MAX_TEXT_LENGTH))
    if code is RejectReason.OTHER and len(text) < MIN_TEXT_LENGTH:
        raise ValidationFailed(
            msg(
                "Write why the request is declined (at least {min_text_length} characters); the customer is told.",
                min_text_length=MIN_TEXT_LENGTH))
    head = REJECT_REASONS[code]
    return code, f"{head}: {text}" if text else f"{head}."


def question_text(text: str | None, what: str = msg("question")) -> str:
    """A question to the customer or their answer, cleaned; refused when too short or too long."""
    cleaned = _clean(text)
    if len(cleaned) < MIN_TEXT_LENGTH:
        raise ValidationFailed(
            msg(
                "Write the {what} (at least {min_text_length} characters); the customer reads it on the status page.",
                what=what, min_text_length=MIN_TEXT_LENGTH))
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ValidationFailed(msg(
            "The {what} is {cleaned_count} characters long; keep it to {max_text_length}.",
            what=what, cleaned_count=len(cleaned), max_text_length=MAX_TEXT_LENGTH))
    return cleaned


@dataclass(frozen=True)
class HistoryFacts:
    """What flags are computed from (counted by the services)."""

    web_shop: bool
    in_policy: bool
    frequent_returner: bool
    earlier_rejected: int
    answered: bool


def review_flags(facts: HistoryFacts) -> tuple[ReviewFlag, ...]:
    """The flags of one request, in a fixed order."""
    raised: Iterable[tuple[bool, ReviewFlag]] = (
        (facts.web_shop, ReviewFlag.WEB_SHOP),
        (not facts.in_policy, ReviewFlag.OUT_OF_POLICY),
        (facts.frequent_returner, ReviewFlag.FREQUENT_RETURNER),
        (facts.earlier_rejected > 0, ReviewFlag.EARLIER_REJECTED),
        (facts.answered, ReviewFlag.ANSWERED),
    )
    return tuple(flag for on, flag in raised if on)
