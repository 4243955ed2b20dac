"""Changed columns of loaded rows written at once by UPDATEs on their primary keys, outside the
unit of work, whose flush costs several times the one or two statements a step of a return ends
with: :func:`write_columns` for a few columns of one row (a line's counters, say),
:func:`write_changes` for every changed row of the session at the end of a step. The objects then
hold the new values as loaded, so a later flush writes nothing for them."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, inspect, update
from sqlalchemy.orm import InstanceState, Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.orm.exc import StaleDataError

from returndesk.store.schema import SalesOrderLine
from returndesk.store.select_rows import session_connection, write_rows

from returndesk.services.tx import order_lines

_statements: dict[tuple[Any, ...], Any] = {}
_plain_classes: dict[type, bool] = {}


def _plain(mapper: Any) -> bool:
    """Whether a row of ``mapper`` may be written here: one primary key column, and no column
    the database or SQLAlchemy computes on an update (which the ORM would expire or set)."""
    plain = _plain_classes.get(mapper.class_)
    if plain is None:
        columns = mapper.local_table.columns
        plain = len(mapper.primary_key) == 1 and not any(
            c.onupdate is not None or c.server_onupdate is not None or c.computed is not None for c in columns)
        _plain_classes[mapper.class_] = plain
    return plain


def _outside_the_unit_of_work(session: Session, mapper: Any) -> bool:
    """Whether rows of ``mapper`` can be written here rather than by the session's flush: not
    inside a savepoint (whose rollback expires only what the unit of work wrote), and a plain
    row (:func:`_plain`)."""
    return not session.in_nested_transaction() and _plain(mapper)


def write_columns(session: Session, obj: Any, **values: Any) -> None:
    """Set the attributes ``values`` of the persistent object ``obj`` (of a class without a
    version column) and write those that changed now, in one statement built once per class and
    set of attributes; ``StaleDataError`` when the row is gone. Nothing is sent when none changed.
    (Where this cannot be done, see :func:`_outside_the_unit_of_work`, the attributes are set for
    the session's flush.)"""
    state = inspect(obj)
    loaded = state.dict
    changed = {key: value for key, value in values.items() if key not in loaded or loaded[key] != value}
    if not changed:
        return
    mapper = state.mapper
    if mapper.version_id_col is not None:
        raise TypeError(f"{mapper.class_.__name__} has a version column: change it through the session")
    if not _outside_the_unit_of_work(session, mapper):
        for key, value in changed.items():
            setattr(obj, key, value)
        return
    _update_rows(session, tuple(sorted(changed)), [(state, changed)])
    for key, value in changed.items():
        set_committed_value(obj, key, value)


def _changed_columns(state: InstanceState[Any]) -> dict[str, Any] | None:
    """The column attributes of ``state`` changed since it was loaded, with their new values;
    None when one of its changes is not a loaded column's (a relationship, an expired value) or
    is its version's, or its version is not loaded (the ORM would read it first)."""
    mapper = state.mapper
    columns = mapper.column_attrs
    loaded = state.dict
    version = mapper.version_id_col
    if version is not None and mapper.get_property_by_column(version).key not in loaded:
        return None
    changed: dict[str, Any] = {}
    for key, before in state.committed_state.items():
        if key not in columns or key not in loaded:
            return None
        if version is not None and columns[key].columns[0] is version:
            return None  # the version set by hand: the ORM's own check
        value = loaded[key]
        if before is NO_VALUE or before != value:  # NO_VALUE: flagged as modified
            changed[key] = value
    return changed


def write_changes(session: Session) -> None:
    """The changed columns of the session's loaded rows written now, as the session's flush would
    write them: by UPDATEs on their primary keys built once per class and set of columns (the rows
    of one class changing the same columns in one round trip, as the ORM batches them), a row with
    a version column checked and moved on as the ORM does (``StaleDataError`` when another
    transaction changed it first), the rows then holding their values as written; several order
    lines in one statement, as the flush's hook writes them (``order_lines``). Everything else is
    left to the flush, which then runs as well: new and deleted rows, changed relationships, an
    expired value or version, a row of a class whose columns are computed on an update or with a
    primary key of several columns (:func:`_plain`), and anything inside a savepoint.

    The unit of work costs several times the one or two UPDATEs a step of a return ends with."""
    if session._new or session._deleted or session.in_nested_transaction():  # session.new and .deleted, at once
        session.flush()
        return
    left = False
    batches: dict[tuple[Any, ...], list[tuple[InstanceState[Any], dict[str, Any]]]] = {}
    written: list[InstanceState[Any]] = []
    sold: list[tuple[SalesOrderLine, dict[str, Any]]] = []
    for obj in session.dirty:
        state: InstanceState[Any] = instance_state(obj)
        changed = _changed_columns(state) if _plain(state.mapper) else None
        if changed is None:
            left = True
            continue
        if changed and type(obj) is SalesOrderLine:
            sold.append((obj, changed))
        elif changed:
            batches.setdefault((state.mapper.class_, tuple(sorted(changed))), []).append((state, changed))
        written.append(state)
    if len(sold) > 1:
        # Order lines changed together are written by one statement, as the flush's hook would.
        order_lines.write_lines(session, sold)
    elif sold:
        line, changed = sold[0]
        batches.setdefault((SalesOrderLine, tuple(sorted(changed))), []).append((inspect(line), changed))
    for (_cls, keys), rows in batches.items():
        rows.sort(key=lambda row: row[0].identity or ())  # in the primary key's order, as the ORM writes them
        _update_rows(session, keys, rows)
    for state in written:
        # Written (or nothing to write): the row as loaded, out of the session's changed rows.
        state._commit_all(state.dict, session.identity_map)
    if left:
        session.flush()


def _update_rows(session: Session, keys: tuple[str, ...],
                 rows: list[tuple[InstanceState[Any], dict[str, Any]]]) -> None:
    """Rows of one class that changed the columns ``keys``: one statement (many rows in one
    round trip), or one per row when they carry a version, each checked."""
    mapper = rows[0][0].mapper
    table = cast(Table, mapper.local_table)
    version = mapper.version_id_col
    version_key = mapper.get_property_by_column(version).key if version is not None else None
    cache_key = (mapper.class_, keys)
    statement = _statements.get(cache_key)
    if statement is None:
        pk = mapper.primary_key[0]
        condition = pk == bindparam("_id")
        values: dict[Any, Any] = {mapper.get_property(key).columns[0].name: bindparam(key) for key in keys}
        if version is not None:
            condition = condition & (version == bindparam("_version"))
            values[version.name] = bindparam("_new_version")
        statement = update(table).where(condition).values(values)
        _statements[cache_key] = statement
    batch: list[dict[str, Any]] = []
    for state, changed in rows:
        identity = state.identity
        assert identity is not None, "a changed row in the session has its primary key"
        params = dict(changed)
        params["_id"] = identity[0]
        if version_key is not None:
            read: int = state.dict[version_key]
            params["_version"] = read
            params["_new_version"] = read + 1
            state.dict[version_key] = read + 1
            _check(write_rows(session_connection(session), statement, params), 1, table)
        else:
            batch.append(params)
    if batch:
        conn = session_connection(session)
        matched = write_rows(conn, statement, batch)
        if len(batch) == 1 or conn.dialect.supports_sane_multi_rowcount:
            _check(matched, len(batch), table)


def _check(matched: int, expected: int, table: Table) -> None:
    if matched != expected:
        raise StaleDataError(
            f"UPDATE statement on table '{table.name}' expected to update {expected} row(s); {matched} were matched.")
