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
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from returndesk.domain.messages import Message, from_data, is_message_data, to_data


class WireError(ValueError):
    """The data does not have the shape of the declared type."""


def to_wire(value: Any) -> Any:
    """A JSON-ready form of ``value`` (dicts, lists, str, int, float, bool, None)."""
    if isinstance(value, Message):
        return to_data(value)
    if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, enum.Enum):
        return to_wire(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {_key_to_wire(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [to_wire(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    raise WireError(f"{type(value).__name__} values cannot be sent over the API")


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
    if tp is Any or tp is object:
        return data
    if isinstance(tp, typing.TypeVar):
        return data
    if tp is None or tp is type(None):
        if data is not None:
            raise WireError(f"expected nothing, got {type(data).__name__}")
        return None
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return from_wire(data, typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return from_wire(data, option)
            except (WireError, ValueError, TypeError, KeyError) as exc:
                errors.append(str(exc))
        raise WireError(f"no alternative of {tp} fits: {'; '.join(errors)}")
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise WireError(f"{data!r} is not one of {typing.get_args(tp)}")
        return data
    if origin in (tuple, list, set, frozenset) or tp in (tuple, list, set, frozenset):
        if not isinstance(data, list):
            raise WireError(f"expected a list, got {type(data).__name__}")
        args = typing.get_args(tp)
        container = origin or tp
        if container is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(from_wire(v, args[0]) for v in data)
            if args:
                if len(args) != len(data):
                    raise WireError(f"expected {len(args)} items, got {len(data)}")
                return tuple(from_wire(v, a) for v, a in zip(data, args, strict=True))
            return tuple(data)
        item = args[0] if args else Any
        return container(from_wire(v, item) for v in data)
    if origin in (dict, collections.abc.Mapping) or tp is dict:
        if not isinstance(data, dict):
            raise WireError(f"expected an object, got {type(data).__name__}")
        args = typing.get_args(tp) or (str, Any)
        return {from_wire(_key_from_wire(k, args[0]), args[0]): from_wire(v, args[1]) for k, v in data.items()}
    if origin is not None and dataclasses.is_dataclass(origin):
        # A generic dataclass such as Page[ReturnSummary]: its TypeVars stand for the arguments.
        mapping = dict(zip(getattr(origin, "__parameters__", ()), typing.get_args(tp), strict=False))
        return _dataclass_from_wire(data, typing.cast(type, origin), mapping)
    if origin is not None and origin.__module__ == "collections.abc":
        # Sequence[X] and the like: a tuple keeps it immutable.
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise WireError(f"expected a list, got {type(data).__name__}")
        return tuple(from_wire(v, args[0] if args else Any) for v in data)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass_from_wire(data, typing.cast(type, tp), {})
        if issubclass(tp, enum.Enum):
            return tp(data)
        if tp is bool:
            if not isinstance(data, bool):
                raise WireError(f"expected true or false, got {data!r}")
            return data
        if tp is int:
            if isinstance(data, bool) or not isinstance(data, int):
                raise WireError(f"expected a whole number, got {data!r}")
            return data
        if tp is float:
            if isinstance(data, bool) or not isinstance(data, (int, float)):
                raise WireError(f"expected a number, got {data!r}")
            return float(data)
        if tp is str:
            if is_message_data(data):
                return from_data(data)
            if not isinstance(data, str):
                raise WireError(f"expected text, got {type(data).__name__}")
            return data
        if tp is Decimal:
            return Decimal(str(data))
        if tp is datetime:
            return datetime.fromisoformat(data)
        if tp is date:
            return date.fromisoformat(data)
        if tp is timedelta:
            return timedelta(seconds=float(data))
        if issubclass(tp, PurePath):
            return tp(data)
        if tp is bytes:
            return base64.b64decode(data)
    raise WireError(f"values of type {tp!r} cannot be received over the API")


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


def _dataclass_from_wire(data: Any, cls: type, mapping: dict[Any, Any]) -> Any:
    if not isinstance(data, dict):
        raise WireError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = from_wire(data[f.name], _substitute(hints.get(f.name, Any), mapping))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise WireError(f"{cls.__name__} needs {f.name}")
    return cls(**values)


def _key_from_wire(key: str, tp: Any) -> Any:
    if tp is int or (isinstance(tp, type) and issubclass(tp, enum.IntEnum)):
        return int(key)
    return key
