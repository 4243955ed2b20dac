"""Idempotency keys of commands: a retried request is carried out once.

Every command sent to a ReturnDesk server (a method that changes something, see
:attr:`returndesk.api.rpc.RemoteMethod.is_command`) carries an ``Idempotency-Key``; the server keeps
the answer under that key and gives it again to a retry instead of acting twice.

A caller that may send the same command again later — the inspection station keeps scans during
an outage and applies them when the server is back — gives the input its own key once
(:func:`new_command_key`) and runs the work of that input inside :func:`command_key`: the commands
of that work are then keyed ``KEY.1``, ``KEY.2``, … in the order they are sent, the same on every
attempt. Without a scope each command gets a fresh key (which still protects the transport's own
retry of a request whose answer was lost). The in-process API has nothing to retry and ignores it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["command_key", "new_command_key", "next_command_key"]

_scope = threading.local()


def new_command_key() -> str:
    """A new random key (32 hex digits)."""
    return uuid.uuid4().hex


@contextmanager
def command_key(key: str) -> Iterator[None]:
    """Key the commands sent by this thread inside the block ``key.1``, ``key.2``, …"""
    previous = getattr(_scope, "state", None)
    _scope.state = [key, 0]
    try:
        yield
    finally:
        _scope.state = previous


def next_command_key() -> str:
    """The key of the next command this thread sends."""
    state = getattr(_scope, "state", None)
    if state is None:
        return new_command_key()
    state[1] += 1
    return f"{state[0]}.{state[1]}"
