"""One contract suite for the typed API: every protocol method runs in process and through a real
server (uvicorn on loopback, PostgreSQL, the server's own login), and both give the same outcome:
the same answer (for reads, equal values; for commands, an answer of the same type), or the same
refusal with the same sentence. The cases are in :mod:`contract_cases`; a method without a case
fails :func:`test_every_protocol_method_has_a_contract_case`.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import pytest

from returndesk.api.remote import ServerConnection, remote_api
from returndesk.api.rpc import remote_methods
from returndesk.domain.errors import ReturnDeskError
from returndesk.server.app import local_session

from .contract_cases import CASES
from .factories import PASSWORD

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server

#: A name that no return, order, user, product or file has.
UNKNOWN = "ZZ-NO-SUCH-1"


def test_every_protocol_method_has_a_contract_case():
    missing = sorted(set(remote_methods()) - set(CASES))
    extra = sorted(set(CASES) - set(remote_methods()))
    assert not missing, ("protocol methods without a contract case (add them to "
                         f"tests/integration/contract_cases.py): {missing}")
    assert not extra, f"contract cases of methods the protocol no longer has: {extra}"


def example(hint: typing.Any, world) -> typing.Any:
    """A value of type ``hint`` for a call: names nobody uses, today's date, empty collections."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        arms = [a for a in typing.get_args(hint) if a is not type(None)]
        return example(arms[0], world)
    if origin is typing.Literal:
        return typing.get_args(hint)[0]
    if origin is tuple and typing.get_args(hint) and typing.get_args(hint)[-1] is not Ellipsis:
        return tuple(example(arm, world) for arm in typing.get_args(hint))
    if origin in (list, Sequence, tuple, set, frozenset) or hint in (list, tuple):
        return [] if origin in (list, Sequence) else ()
    if origin in (dict, Mapping) or hint is dict:
        return {}
    if hint is str:
        return UNKNOWN
    if hint is bool:
        return False
    if hint is int:
        return 987654
    if hint is float:
        return 1.0
    if hint is Decimal:
        return Decimal("1")
    if hint is bytes:
        return b"not a document"
    if hint is datetime:
        return world.ctx.now()
    if hint is date:
        return world.ctx.now().date()
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: example(hints[f.name], world) for f in dataclasses.fields(hint)
                       if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING})
    raise AssertionError(f"no example value for {hint!r}: give the method a Case with its arguments")


def arguments(spec, case, world) -> dict[str, typing.Any]:
    if case.args is not None:
        return case.args(world)
    return {name: example(spec.hints[name], world) for name, param in spec.signature.parameters.items()
            if param.default is param.empty}


#: Fields that say when an answer was computed: the two calls run a moment apart.
CLOCK_FIELDS = ("as_of",)


def without_clock(answer: typing.Any) -> typing.Any:
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        present = {f.name for f in dataclasses.fields(answer)}
        return dataclasses.replace(answer, **{name: None for name in CLOCK_FIELDS if name in present})
    return answer


def outcome(call) -> tuple[str, typing.Any]:
    try:
        return "answer", without_clock(call())
    except ReturnDeskError as exc:
        return "refused", (type(exc).__name__, exc.message)


@pytest.fixture(scope="module")
def both_ways(world_server):
    """(world, {user: (the API through the server, the API in process)})."""
    world, base = world_server
    apis = {}
    for name in ("clerk", "inspector", "supervisor", "manager", "finance", "admin"):
        connection = ServerConnection(base, station=world.ctx.station)
        user = connection.sign_in(name, PASSWORD)
        apis[name] = (remote_api(connection, user), local_session(world.ctx).api_for(getattr(world, name)))
    return world, apis


@pytest.mark.parametrize("group,method", sorted(CASES), ids=[f"{g}.{m}" for g, m in sorted(CASES)])
def test_the_method_gives_the_same_outcome_through_the_server_and_in_process(both_ways, group, method):
    world, apis = both_ways
    spec = remote_methods()[(group, method)]
    case = CASES[(group, method)]
    remote, local = apis[case.user]
    args = arguments(spec, case, world)
    through_server = outcome(lambda: getattr(getattr(remote, group), method)(**args))
    in_process = outcome(lambda: getattr(getattr(local, group), method)(**args))
    if through_server[0] == "answer" and spec.is_command:
        # The server carried the command out first, so the same call in process meets what it did
        # (a second refund is refused, say): the server's answer must be the protocol's type.
        if in_process[0] == "answer":
            assert type(through_server[1]) is type(in_process[1]), (through_server, in_process)
        returns = spec.returns
        if isinstance(returns, type) and returns is not type(None):
            assert isinstance(through_server[1], returns), through_server
        return
    assert through_server == in_process
