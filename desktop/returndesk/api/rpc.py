"""The protocol's methods as remote calls: one table that the server and the remote client share.

Every method of every workflow group of :class:`~returndesk.api.protocol.ReturnDeskApi`
(``search``, ``intake``, …) is offered at ``POST /api/v1/rpc/{group}/{method}`` with its arguments
by name as JSON (:mod:`returndesk.api.wire`); the answer is ``{"result": …}``, or an error body
naming the error class and carrying its sentence. Both ends read the same type hints, so a value
leaves the server as the dataclass the use case returned and arrives as the same dataclass.

Not offered remotely: what only makes sense on the station itself (sending a rendered document to
a printer of the station).
"""

from __future__ import annotations

import functools
import inspect
import typing
from dataclasses import dataclass
from typing import Any

#: Methods that run on the station even in shared mode (they touch the station's own printers).
STATION_ONLY: frozenset[tuple[str, str]] = frozenset({("documents", "send_prepared")})

#: Methods that only read, by name: ``find_*``, ``get_*``, ``list_*``, ``queue_*``, ``preview_*``,
#: ``*_queue`` and these. Every other method changes something and is a *command*: it carries an
#: idempotency key, so that a retried request is carried out once.
READ_PREFIXES = ("find_", "get_", "list_", "queue_", "preview_")
READS: frozenset[str] = frozenset({"return_timeline", "customer_history", "expected_returns", "approval_state",
                                   "active_policy", "trial_balance", "prepare_print",
                                   # the analytics' figures
                                   "reason_pareto", "returns_behind", "return_rates", "cycle_times", "cycle_trend",
                                   "money", "risk", "monthly_report"})


@dataclass(frozen=True)
class RemoteMethod:
    group: str
    name: str
    signature: inspect.Signature  # without ``self``
    hints: dict[str, Any]  # parameter name -> type
    returns: Any

    @property
    def path(self) -> str:
        return f"/api/v1/rpc/{self.group}/{self.name}"

    @property
    def is_command(self) -> bool:
        """True when the method changes something (see :data:`READS`)."""
        name = self.name
        return not (name.startswith(READ_PREFIXES) or name.endswith("_queue") or name in READS)

    def bind(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Positional and keyword arguments of a call, by parameter name (defaults left out)."""
        return dict(self.signature.bind(*args, **kwargs).arguments)


def _namespace() -> dict[str, Any]:
    """The names the protocol's annotations use (some imported there only for type checking)."""
    from returndesk.api import protocol, types
    from returndesk.documents import data

    namespace: dict[str, Any] = {}
    namespace.update(vars(data))
    namespace.update(vars(types))
    namespace.update({name: getattr(types, name) for name in types.__all__})  # the lazily loaded ones too
    namespace.update(vars(protocol))
    return namespace


def _groups(api_protocol: type) -> dict[str, type]:
    groups = {}
    namespace = _namespace()
    for name, member in vars(api_protocol).items():
        if isinstance(member, property) and member.fget is not None and name not in ("user", "session"):
            groups[name] = typing.get_type_hints(member.fget, globalns=namespace)["return"]
    return groups


@functools.lru_cache(maxsize=1)
def remote_methods() -> dict[tuple[str, str], RemoteMethod]:
    """Every remotely callable method, by ``(group, method)``."""
    from returndesk.api.protocol import ReturnDeskApi

    namespace = _namespace()
    table: dict[tuple[str, str], RemoteMethod] = {}
    for group, protocol_cls in _groups(ReturnDeskApi).items():
        for name, func in vars(protocol_cls).items():
            if name.startswith("_") or not inspect.isfunction(func) or (group, name) in STATION_ONLY:
                continue
            hints = typing.get_type_hints(func, globalns=namespace)
            signature = inspect.signature(func)
            params = [p for p in signature.parameters.values() if p.name != "self"]
            table[(group, name)] = RemoteMethod(
                group, name, signature.replace(parameters=params),
                {p.name: hints.get(p.name, Any) for p in params}, hints.get("return", Any))
    return table
