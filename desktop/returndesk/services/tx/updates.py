"""Columns of a loaded row written at once by one UPDATE on its primary key, outside the unit of
work: for the few columns a step changes on a row it holds (a line's counters, say), where the
ORM's flush costs several times the statement. The object then holds the new values as loaded,
so a later flush writes nothing for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

_statements: dict[tuple[type, tuple[str, ...]], Any] = {}


def write_columns(session: Session, obj: Any, **values: Any) -> None:
    """Set the attributes ``values`` of the persistent object ``obj`` (of a class without a
    version column) and write those that changed now, in one statement built once per class and
    set of attributes. Nothing is sent when none changed."""
    state = inspect(obj)
    loaded = state.dict
    changed = {key: value for key, value in values.items() if key not in loaded or loaded[key] != value}
    if not changed:
        return
    mapper = state.mapper
    if mapper.version_id_col is not None:
        raise TypeError(f"{mapper.class_.__name__} has a version column: change it through the session")
    keys = tuple(sorted(changed))
    statement = _statements.get((mapper.class_, keys))
    if statement is None:
        table = mapper.local_table
        pk = mapper.primary_key[0]
        statement = (update(table).where(pk == bindparam("_id"))
                     .values({mapper.get_property(key).columns[0].name: bindparam(key) for key in keys}))
        _statements[(mapper.class_, keys)] = statement
    params = dict(changed)
    params["_id"] = state.identity[0]
    session.connection().execute(statement, params)
    for key, value in changed.items():
        set_committed_value(obj, key, value)
