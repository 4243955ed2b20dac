"""Which changes other systems hear of: the webhook event types, derived from audit events.

Every change already leaves an audit event; the ones listed here are also published to the
webhook outbox in the same transaction. An event type is ``<entity>.<action>``; a receiver
subscribes to exact types or to prefixes such as ``return.`` (``*`` for all).
"""

from __future__ import annotations

from .lifecycle import Action

#: Return steps published (every lifecycle transition, plus the replacement of an exchange).
RETURN_ACTIONS = frozenset({a.value for a in Action} | {
    "fulfil_replacement", "cancel_replacement", "collect_difference", "changed_mind", "signed_off",
})

#: Entities published with every action (supplier claims and the like join here).
PUBLISHED_ENTITIES: frozenset[str] = frozenset({"claim", "refurbish"})


def event_type(entity: str, action: str) -> str | None:
    """The webhook event type of an audit event, or None when it is not published."""
    if entity == "return" and action in RETURN_ACTIONS:
        return f"return.{action}"
    if entity in PUBLISHED_ENTITIES:
        return f"{entity}.{action}"
    return None


def subscribed(patterns: str, event: str) -> bool:
    """True when a space-separated list of types or prefixes (``return.``, ``*``) covers ``event``."""
    for pattern in patterns.split():
        if pattern == "*" or pattern == event or (pattern.endswith(".") and event.startswith(pattern)):
            return True
    return False
