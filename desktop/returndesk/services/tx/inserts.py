"""New rows of one table written by one INSERT that returns their ids, on both databases.

The ORM writes several new rows whose ids it needs in one statement only where the database
says in which order ``RETURNING`` gives them back (PostgreSQL); on SQLite it writes them one by
one. :func:`insert_returning_ids` writes them in one ``INSERT ... VALUES (...), (...) RETURNING``
on both (a statement built once per count of up to twenty rows, run on the driver's cursor; more
rows by SQLAlchemy's batches of a thousand), matching each id to its row by a key the caller names
(unique among the rows), and puts the objects into the session as the rows they
are, without another statement. :func:`insert_one` writes one new row at once, by a statement
built once per class, instead of leaving it to the session's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, inspect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, instance_state
from sqlalchemy.orm.base import state_str
from returndesk.store.select_rows import ordered_keys, ordered_plan, run_ordered, session_connection, write_returning


@dataclass(frozen=True)
class _InsertPlan:
    """How one mapped class's new row is written by :func:`insert_one`: the statement (every
    column but the id, which it returns) and, per column, the attribute and its scalar default."""

    statement: Any
    columns: tuple[tuple[str, str, Any], ...]  # (attribute, column, default or _UNSET)
    id_attribute: str
    #: By (dialect, count of rows, values named by row): the statement's driver plan (``select_rows.ordered_plan``)
    #: and the order of its values (see :func:`_driver_order`).
    ordered: dict[Any, tuple[Any, tuple[Any, ...]]] = field(default_factory=dict)
    #: By (count of rows, values named by row): each value's name (``column``, or ``column_i``)
    #: to its row, attribute and default; and the names sorted (as a plan's keys are).
    layouts: dict[tuple[int, bool], tuple[dict[str, tuple[int, str, Any]], tuple[str, ...]]] = field(
        default_factory=dict)


_UNSET = object()
_plans: dict[type, _InsertPlan] = {}
#: :func:`insert_returning_ids`' statements by (class, key attributes, count of rows; 0 for more
#: than :data:`MANY_VALUES_KEPT`).
_many_statements: dict[tuple[type, tuple[str, ...], int], Any] = {}
#: Most rows written by a statement of their own count (a return's lines, a refund's lines).
MANY_VALUES_KEPT = 20


def _plan(cls: type) -> _InsertPlan:
    plan = _plans.get(cls)
    if plan is None:
        mapper: Mapper[Any] = inspect(cls)
        pk = mapper.primary_key[0]
        columns = []
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if column is pk:
                continue
            if column.server_default is not None or (column.default is not None and not column.default.is_scalar):
                raise TypeError(f"{cls.__name__}.{prop.key}: insert_one writes scalar defaults only")
            default = column.default.arg if column.default is not None else _UNSET
            columns.append((prop.key, column.name, default))
        statement = insert(cast(Table, mapper.local_table)).returning(pk)
        plan = _InsertPlan(statement, tuple(columns), mapper.get_property_by_column(pk).key)
        _plans[cls] = plan
    return plan


def _row_values(plan: _InsertPlan, obj: Any) -> dict[str, Any]:
    """The new row of ``obj`` by column: a column the object leaves unset (or None) gets its
    scalar default, set on the object too (the ORM writes the default for None as well), else NULL."""
    given = instance_dict(obj)
    return {column: _value(given, attribute, default) for attribute, column, default in plan.columns}


def _value(given: dict[str, Any], attribute: str, default: Any) -> Any:
    """The value a new object's state ``given`` holds for ``attribute``; when it is unset (or
    None), the column's scalar ``default`` (or None when there is none but not when it was set to
    None), written into the state too: the object is new, and :func:`_written` makes what it holds
    the row's committed values, as the ORM does after its INSERT."""
    value = given.get(attribute)
    if value is None and (default is not _UNSET or attribute not in given):
        value = given[attribute] = None if default is _UNSET else default
    return value


#: One value a planned INSERT sends, in the driver's order: (the row it is of, the attribute, its
#: default or _UNSET, its processor).
_Sent = tuple[int, str, Any, Any]


def _sent_values(order: tuple[_Sent, ...], rows: Sequence[dict[str, Any]]) -> list[Any]:
    """The values of new objects' states ``rows`` as the driver takes them (``order``), each
    processed; a column left unset (or None) gets its default, on the object too, as in
    :func:`_row_values`."""
    values: list[Any] = []
    for row, attribute, default, process in order:
        value = _value(rows[row], attribute, default)
        values.append(value if process is None else process(value))
    return values


def _driver_order(plan: _InsertPlan, conn: Any, statement: Any, count: int,
                  by_row: bool) -> tuple[Any, tuple[_Sent, ...]] | None:
    """The driver's plan of ``statement`` (the class's INSERT of ``count`` rows, its values named
    ``column``, or ``column_i`` ``by_row``) and the order of its values; None where the
    statement goes through :func:`write_returning` (before it is planned, or on a connection whose
    transaction must go through SQLAlchemy). Kept in ``plan`` by dialect and count of rows."""
    layout = plan.layouts.get((count, by_row))
    if layout is None:
        named = {(f"{column}_{i}" if by_row else column): (i, attribute, default)
                 for i in range(count) for attribute, column, default in plan.columns}
        layout = plan.layouts[(count, by_row)] = (named, tuple(sorted(named)))
    named, keys = layout
    found = plan.ordered.get((conn.dialect, count, by_row))
    driver = ordered_plan(conn, statement, keys)
    if driver is None:
        return None
    if found is None or found[0] is not driver:
        found = (driver, tuple((*named[key], process) for key, process in ordered_keys(driver)))
        plan.ordered[(conn.dialect, count, by_row)] = found
    return found


def _written(session: Session, obj: Any) -> None:
    """``obj``, its id set, joins the session as the row it is, without another statement: as
    ``make_transient_to_detached`` and ``Session.add`` make it persistent, without their cascade
    over its relationships (an object written here has none set); by them where anything
    listens to the session's attach events."""
    dispatch = session.dispatch
    if dispatch.before_attach or dispatch.after_attach or dispatch.detached_to_persistent:
        make_transient_to_detached(obj)
        session.add(obj)
        return
    state = instance_state(obj)
    if state.session_id or state.key:
        raise InvalidRequestError(f"{state_str(state)} is already in a session or written")
    session._autobegin_t()
    key = state.mapper._identity_key_from_state(state)
    loaded = state.dict
    state.key = key
    state._commit_all(loaded)
    unloaded = state.unloaded  # its relationships, loaded when first used
    if unloaded:
        state._expire_attributes(loaded, unloaded)
    session.identity_map.add(state)  # refuses another object of the same row
    state.session_id = session.hash_key


def insert_returning_ids(session: Session, objects: Sequence[Any], key: Sequence[str]) -> None:
    """Insert the new ORM ``objects`` (of one class with an integer id, none in the session yet,
    no relationship set: foreign keys as plain columns) in one statement; each gets its id.

    ``key``: attributes whose values tell the objects apart (e.g. a line's number within its
    return). Unset columns as in :func:`insert_one`.
    """
    if not objects:
        return
    cls = type(objects[0])
    plan = _plan(cls)
    mapper: Mapper[Any] = inspect(cls)
    pk = mapper.primary_key[0]
    key_columns = [mapper.get_property(name).columns[0] for name in key]
    count = len(objects)
    if count <= MANY_VALUES_KEPT:
        # Built once per class, key and count of rows, its values named by row (``notes_0``,
        # ``notes_1``…), so that it is planned and run on the driver's cursor (select_rows).
        statement = _many_statements.get((cls, tuple(key), count))
        if statement is None:
            table = cast(Table, mapper.local_table)
            statement = insert(table).values([
                {column: bindparam(f"{column}_{i}", type_=table.c[column].type) for _a, column, _d in plan.columns}
                for i in range(count)]).returning(pk, *key_columns)
            _many_statements[(cls, tuple(key), count)] = statement
        conn = session_connection(session)
        driver = _driver_order(plan, conn, statement, count, True)
        if driver is None:
            rows = [_row_values(plan, obj) for obj in objects]
            values = {f"{column}_{i}": value for i, row in enumerate(rows) for column, value in row.items()}
            returned = write_returning(conn, statement, values)
        else:
            order = driver[1]
            returned = run_ordered(conn, driver[0],
                                   lambda: _sent_values(order, [instance_dict(obj) for obj in objects]))
    else:
        rows = [_row_values(plan, obj) for obj in objects]
        statement = _many_statements.get((cls, tuple(key), 0))
        if statement is None:
            statement = insert(cast(Table, mapper.local_table)).returning(pk, *key_columns)
            _many_statements[(cls, tuple(key), 0)] = statement
        # An executemany with RETURNING: SQLAlchemy sends it as one INSERT ... VALUES (...), (...)
        # RETURNING ("insertmanyvalues", up to a thousand rows a statement).
        returned = session_connection(session).execute(statement, rows).all()
    ids = {tuple(row[1:]): row[0] for row in returned}
    for obj in objects:
        instance_dict(obj)[plan.id_attribute] = ids[tuple(getattr(obj, name) for name in key)]
        _written(session, obj)


def insert_one(session: Session, obj: Any) -> None:
    """Insert the new ORM object ``obj`` (an integer id, not in the session yet, no relationship
    set: foreign keys as plain columns) now, by one statement built once per class, instead of by
    the unit of work at the next flush; it gets its id and joins the session as the row it is.

    A column the object leaves unset (or None) gets its scalar default (set on the object too),
    else NULL."""
    plan = _plan(type(obj))
    conn = session_connection(session)
    driver = _driver_order(plan, conn, plan.statement, 1, False)
    if driver is None:
        (row,) = write_returning(conn, plan.statement, _row_values(plan, obj))
    else:
        order = driver[1]
        (row,) = run_ordered(conn, driver[0], lambda: _sent_values(order, (instance_dict(obj),)))
    instance_dict(obj)[plan.id_attribute] = row[0]
    _written(session, obj)
