"""The API's values as JSON and back, guided by their type hints.

The remote implementation sends the same frozen dataclasses the in-process one returns. Encoding
needs no schema (``to_wire``); decoding follows the declared type (``from_wire(data, T)``), so the
client gets back exactly the dataclass, enum, ``datetime`` or ``Decimal`` the protocol promises:
the screens cannot tell the two implementations apart.

Supported: None, bool, int, float, str, bytes (base64), Decimal, date, datetime (ISO 8601, with
offset), timedelta (seconds), enums (their value), Path, dataclasses, tuple[X, ...] and fixed
tuples, list, set, frozenset, dict with str/int/enum keys, Optional/Union, Literal, Any.
A sentence for people (:class:`~returndesk.domain.messages.Message`, a ``str``) travels as its
template and parameters, so the receiving station says it in its own language.
"""

from __future__ import annotations

import base64
import collections.abc
import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from returndesk.domain.messages import Message, from_data, is_message_data, to_data


class WireError(ValueError):
    """The data does not have the shape of the declared type."""


def to_wire(value: Any) -> Any:
    """A JSON-ready form of ``value`` (dicts, lists, str, int, float, bool, None)."""
    cls = type(value)
    encode = _ENCODERS.get(cls)
    if encode is None:
        encode = _ENCODERS[cls] = _encoder_for(cls)
    return encode(value)


#: The encoder of each type met so far: the checks below are made once per type, not per value.
_ENCODERS: dict[type, Callable[[Any], Any]] = {}


def _same(value: Any) -> Any:
    return value


def _encoder_for(cls: type) -> Callable[[Any], Any]:
    if issubclass(cls, Message):
        return to_data
    if issubclass(cls, enum.Enum):
        return lambda value: to_wire(value.value)
    if cls is type(None) or issubclass(cls, (bool, int, float, str)):
        return _same
    if dataclasses.is_dataclass(cls) and not issubclass(cls, type):
        names = tuple(f.name for f in dataclasses.fields(cls))
        return lambda value: {name: to_wire(getattr(value, name)) for name in names}
    if issubclass(cls, (datetime, date)):
        return lambda value: value.isoformat()
    if issubclass(cls, timedelta):
        return lambda value: value.total_seconds()
    if issubclass(cls, (Decimal, PurePath)):
        return str
    if issubclass(cls, (bytes, bytearray, memoryview)):
        return lambda value: base64.b64encode(bytes(value)).decode("ascii")
    if issubclass(cls, dict):
        return lambda value: {_key_to_wire(k): to_wire(v) for k, v in value.items()}
    if issubclass(cls, (list, tuple)):
        return lambda value: [to_wire(v) for v in value]
    if issubclass(cls, (set, frozenset)):
        return _set_to_wire

    def refuse(value: Any) -> Any:
        raise WireError(f"{cls.__name__} values cannot be sent over the API")
    return refuse


def _set_to_wire(value: Any) -> Any:
    items = [to_wire(v) for v in value]
    try:
        return sorted(items)
    except TypeError:
        return items


def _key_to_wire(key: Any) -> str:
    if isinstance(key, enum.Enum):
        key = key.value
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        return str(key)
    raise WireError(f"dictionary keys of type {type(key).__name__} cannot be sent over the API")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_wire(data: Any, tp: Any) -> Any:
    """The value of type ``tp`` that ``data`` (from :func:`to_wire`, through JSON) stands for."""
    return _decoder(tp)(data)


#: The decoder of each type hint met so far: the hint is taken apart once, not for every value.
_DECODERS: dict[Any, Callable[[Any], Any]] = {}
_DECODE_ERRORS = (WireError, ValueError, TypeError, KeyError)


def _decoder(tp: Any) -> Callable[[Any], Any]:
    try:
        key = _cache_key(tp)
        decode = _DECODERS.get(key)
    except TypeError:  # a hint that cannot be a key: taken apart each time
        return _decoder_for(tp)
    if decode is None:
        decode = _DECODERS[key] = _decoder_for(tp)
    return decode


def _cache_key(tp: Any) -> Any:
    """A key that tells apart what hints' equality does not: ``int | str`` and ``str | int`` are
    equal, but a union's options are tried in their order, and ``Literal[1]`` and
    ``Literal[True]`` are not the same values."""
    args = typing.get_args(tp)
    if not args:
        return tp
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return origin, tuple((type(value), value) for value in args)
    if origin is typing.Annotated:
        return _cache_key(args[0])
    return origin, tuple(_cache_key(arg) for arg in args)


def _decoder_for(tp: Any) -> Callable[[Any], Any]:
    if tp is Any or tp is object or isinstance(tp, typing.TypeVar):
        return _same
    if tp is None or tp is type(None):
        return _nothing
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _decoder(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        return _union_decoder(tp)
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def literal(data: Any) -> Any:
            if data not in allowed:
                raise WireError(f"{data!r} is not one of {allowed}")
            return data
        return literal
    if origin in (tuple, list, set, frozenset) or tp in (tuple, list, set, frozenset):
        return _sequence_decoder(tp, origin or tp, typing.get_args(tp))
    if origin in (dict, collections.abc.Mapping) or tp is dict:
        key_type, value_type = typing.get_args(tp) or (str, Any)
        decode_key, decode_value = _decoder(key_type), _decoder(value_type)

        def mapping(data: Any) -> Any:
            if not isinstance(data, dict):
                raise WireError(f"expected an object, got {type(data).__name__}")
            return {decode_key(_key_from_wire(k, key_type)): decode_value(v) for k, v in data.items()}
        return mapping
    if origin is not None and dataclasses.is_dataclass(origin):
        # A generic dataclass such as Page[ReturnSummary]: its TypeVars stand for the arguments.
        bound = dict(zip(getattr(origin, "__parameters__", ()), typing.get_args(tp), strict=False))
        return _dataclass_decoder(typing.cast(type, origin), bound)
    if origin is not None and origin.__module__ == "collections.abc":
        # Sequence[X] and the like: a tuple keeps it immutable.
        args = typing.get_args(tp)
        return _sequence_decoder(tp, tuple, (args[0] if args else Any, Ellipsis))
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass_decoder(tp, {})
        if issubclass(tp, enum.Enum):
            return tp
        plain = _PLAIN_DECODERS.get(tp)
        if plain is not None:
            return plain
        if issubclass(tp, PurePath):
            return tp

    def refuse(data: Any) -> Any:
        raise WireError(f"values of type {tp!r} cannot be received over the API")
    return refuse


def _nothing(data: Any) -> None:
    if data is not None:
        raise WireError(f"expected nothing, got {type(data).__name__}")
    return None


def _union_decoder(tp: Any) -> Callable[[Any], Any]:
    options = typing.get_args(tp)
    may_be_none = type(None) in options
    decoders = [_decoder(option) for option in options if option is not type(None)]

    def union(data: Any) -> Any:
        if data is None and may_be_none:
            return None
        errors = []
        for decode in decoders:
            try:
                return decode(data)
            except _DECODE_ERRORS as exc:
                errors.append(str(exc))
        raise WireError(f"no alternative of {tp} fits: {'; '.join(errors)}")
    return union


def _sequence_decoder(tp: Any, container: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    if container is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])

        def homogeneous(data: Any) -> Any:
            _require_list(data)
            return tuple([item(v) for v in data])
        return homogeneous
    if container is tuple and args:
        items = [_decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            _require_list(data)
            if len(items) != len(data):
                raise WireError(f"expected {len(items)} items, got {len(data)}")
            return tuple([decode(v) for v, decode in zip(data, items, strict=True)])
        return fixed
    if container is tuple:
        def untyped(data: Any) -> Any:
            _require_list(data)
            return tuple(data)
        return untyped
    item = _decoder(args[0] if args else Any)

    def collection(data: Any) -> Any:
        _require_list(data)
        return container([item(v) for v in data])
    return collection


def _require_list(data: Any) -> None:
    if not isinstance(data, list):
        raise WireError(f"expected a list, got {type(data).__name__}")


def _dataclass_decoder(cls: type, bound: dict[Any, Any]) -> Callable[[Any], Any]:
    # The fields' decoders are made at the first value, so that a dataclass may name itself.
    plan: tuple[tuple[str, Callable[[Any], Any], bool], ...] | None = None

    def dataclass(data: Any) -> Any:
        nonlocal plan
        if not isinstance(data, dict):
            raise WireError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
        if plan is None:
            hints = _hints(cls)
            plan = tuple((f.name, _decoder(_substitute(hints.get(f.name, Any), bound)),
                          f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
                         for f in dataclasses.fields(cls))
        values = {}
        for name, decode, required in plan:
            if name in data:
                values[name] = decode(data[name])
            elif required:
                raise WireError(f"{cls.__name__} needs {name}")
        return cls(**values)
    return dataclass


def _bool(data: Any) -> bool:
    if not isinstance(data, bool):
        raise WireError(f"expected true or false, got {data!r}")
    return data


def _int(data: Any) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise WireError(f"expected a whole number, got {data!r}")
    return data


def _float(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise WireError(f"expected a number, got {data!r}")
    return float(data)


def _str(data: Any) -> Any:
    if isinstance(data, str):
        return data
    if is_message_data(data):
        return from_data(data)
    raise WireError(f"expected text, got {type(data).__name__}")


_PLAIN_DECODERS: dict[type, Callable[[Any], Any]] = {
    bool: _bool, int: _int, float: _float, str: _str,
    Decimal: lambda data: Decimal(str(data)),
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    timedelta: lambda data: timedelta(seconds=float(data)),
    bytes: base64.b64decode,
}


def _substitute(hint: Any, mapping: dict[Any, Any]) -> Any:
    if not mapping:
        return hint
    if isinstance(hint, typing.TypeVar):
        return mapping.get(hint, Any)
    args = typing.get_args(hint)
    if not args:
        return hint
    new_args = tuple(_substitute(a, mapping) for a in args)
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        return typing.Union[new_args]  # noqa: UP007 - built from a tuple
    try:
        return hint.copy_with(new_args)  # typing generics
    except AttributeError:
        return types.GenericAlias(origin, new_args)


def _key_from_wire(key: str, tp: Any) -> Any:
    if tp is int or (isinstance(tp, type) and issubclass(tp, enum.IntEnum)):
        return int(key)
    return key
