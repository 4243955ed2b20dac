"""A Core SELECT built once, run on the pooled connection's driver cursor.

SQLAlchemy's execution of a compiled, cached statement costs about 0.05 ms of processor time on
top of the driver's own work (an execution context, a result object with its metadata, the
events, the rows wrapped), which for a station's small reads on SQLite is several times the
statement itself. :func:`select_rows` keeps what a SELECT needs from that machinery and does the
rest once per statement object: the statement is compiled once per dialect, the bind values are
processed by the same type processors and sent in the driver's parameter style, the result's
values go through the same result processors (SQLite's text dates become ``datetime``, for
instance), and the rows are named tuples whose attributes are the result's column names. A
statement's first run is SQLAlchemy's (a statement built anew for each call is never planned).

What stays as SQLAlchemy does it: the connection's transaction begins as its first statement
would begin it (so the ``begin`` hooks run: SQLite's deferred ``BEGIN`` of a read), the engine's
``before_cursor_execute`` and ``after_cursor_execute`` listeners are called with each statement
(listeners on one connection object alone are not: nothing in ReturnDesk registers any)
(statement counts, PostgreSQL's judging of what may have written), and a driver error is wrapped
and handled by the connection as any other (a lost connection invalidated, the error one of
SQLAlchemy's, which ``Database.translate_errors`` understands).

A statement this cannot run so (ORM entities, expanding ``IN`` parameters, values given by its
``.params()``, execution options of its own, a textual statement, a column name that cannot be an
attribute, the same name twice), and any statement on a connection whose transaction can no longer
go on or that translates schemas, is executed by SQLAlchemy as before; its rows are SQLAlchemy's
own rows, which read the same way. A plan keeps what a run needs (the SQL text, the parameters and
their processors, the row class), not the compiled statement, which would keep the statement alive.

:func:`session_rows` runs a statement so on an ORM session's connection when the session has
nothing to flush (a flush is what the session's own execution would do first), else through the
session.
"""

from __future__ import annotations

import keyword
import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

_Processor = Callable[[Any], Any]


class _Plan:
    """What running a statement needs, taken from its compiled form once (without the compiled
    form itself, which holds the statement: the plan must not keep its key alive)."""

    __slots__ = ("sql", "positional", "positions", "binds", "bind_processors", "escaped", "row",
                 "result_processors", "types")

    def __init__(self, compiled: Any, row: Any) -> None:
        self.sql: str = compiled.string
        self.positional: bool = bool(compiled.positional)
        self.positions: tuple[str, ...] = tuple(compiled.positiontup or ())
        #: (name in the SQL, the parameter's key, the parameter) of each bound parameter.
        self.binds: tuple[tuple[str, str, Any], ...] = tuple(
            (name, bind.key, bind) for bind, name in compiled.bind_names.items())
        self.bind_processors: Mapping[str, _Processor] = dict(compiled._bind_processors)
        self.escaped: Mapping[str, str] = dict(compiled.escaped_bind_names or {})
        self.row = row
        #: Set at the first run, from the cursor's description (the driver's column types).
        self.result_processors: tuple[_Processor | None, ...] | None = None
        self.types = tuple(column[3] for column in compiled._result_columns)


#: Statement -> {dialect: its plan, or None where SQLAlchemy runs it}. Weak: a statement built
#: for one call leaves with it. A statement is planned at its second run, so that one built anew
#: at every call never pays for a compilation of its own (SQLAlchemy's cache, which knows the
#: statement by its structure, runs it instead).
_PLANS: weakref.WeakKeyDictionary[Any, dict[Any, _Plan | None]] = weakref.WeakKeyDictionary()
_SEEN_ONCE: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
_PLANS_LOCK = threading.Lock()


def _plan(stmt: Select[*tuple[Any, ...]], conn: Connection) -> _Plan | None:
    dialect = conn.dialect
    by_dialect = _PLANS.get(stmt)
    if by_dialect is not None and dialect in by_dialect:
        return by_dialect[dialect]
    with _PLANS_LOCK:
        if _SEEN_ONCE.get(stmt) is None:
            _SEEN_ONCE[stmt] = True
            return None
    plan = _make_plan(stmt, conn)
    with _PLANS_LOCK:
        _PLANS.setdefault(stmt, {})[dialect] = plan
    return plan


def _selects_columns_only(stmt: Select[*tuple[Any, ...]]) -> bool:
    """Whether ``stmt`` selects columns and expressions only (an ORM entity's rows need the ORM)."""
    for description in stmt.column_descriptions:
        found = inspect(description.get("expr"), raiseerr=False)
        if getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False) or getattr(
                found, "is_bundle", False):
            return False
    return True


def _make_plan(stmt: Select[*tuple[Any, ...]], conn: Connection) -> _Plan | None:
    if not isinstance(stmt, Select) or not _selects_columns_only(stmt) or stmt._execution_options:
        return None
    compiled: Any = stmt.compile(dialect=conn.dialect)
    if (compiled.literal_execute_params or compiled.post_compile_params or compiled.schema_translate_map
            or getattr(compiled, "_collected_params", None)  # values given by the statement's .params()
            or not compiled._ordered_columns or compiled._textual_ordered_columns
            or compiled._ad_hoc_textual or compiled._loose_column_name_matching):
        return None
    names = [column[0] for column in compiled._result_columns]
    if (len(set(names)) != len(names)
            or any(not name.isidentifier() or name.startswith("_") or keyword.iskeyword(name) for name in names)):
        return None
    return _Plan(compiled, namedtuple("Row", names))  # type: ignore[misc]


def _parameters(plan: _Plan, params: Mapping[str, Any] | None) -> Any:
    """The values to send, as SQLAlchemy's ``construct_params`` and execution context make them."""
    values: dict[str, Any] = {}
    for name, key, bind in plan.binds:
        if params and key in params:
            values[name] = params[key]
        elif params and name in params:
            values[name] = params[name]
        elif bind.required:
            raise InvalidRequestError(f"A value is required for bind parameter {key!r}", code="cd3x")
        else:
            values[name] = bind.effective_value if bind.callable else bind.value
    processors = plan.bind_processors
    if plan.positional:
        return tuple(processors[name](values[name]) if name in processors else values[name]
                     for name in plan.positions)
    escaped = plan.escaped
    return {escaped.get(name, name): (processors[name](value) if name in processors else value)
            for name, value in values.items()}


def select_rows(conn: Connection, stmt: Select[*tuple[Any, ...]],
                params: Mapping[str, Any] | None = None) -> Sequence[Any]:
    """The rows of ``stmt`` with ``params`` on ``conn`` (see the module's description): named
    tuples, or SQLAlchemy's rows where the statement is run by SQLAlchemy."""
    plan = _plan(stmt, conn)
    transaction = conn.get_transaction()
    if (plan is None or (transaction is not None and not transaction.is_active)
            or conn.get_execution_options().get("schema_translate_map")):
        # SQLAlchemy's own execution (which also says why a transaction cannot go on).
        return conn.execute(stmt, dict(params or {})).all()
    sql = plan.sql
    parameters: Any = params
    dbapi_conn: Any = conn.connection
    cursor = None
    try:
        parameters = _parameters(plan, params)
    except Exception as error:  # a value missing or refused by its type: SQLAlchemy's StatementError
        conn._handle_dbapi_exception(error, sql, params, None, None)
    if transaction is None:
        conn.begin()  # raises SQLAlchemy's own errors
    try:
        cursor = dbapi_conn.cursor()
        # The engine's listeners (a connection's own joined dispatch is built anew at each look).
        dispatch = conn.engine.dispatch
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(conn, cursor, sql, parameters, None, False)
        cursor.execute(sql, parameters)
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(conn, cursor, sql, parameters, None, False)
        fetched = cursor.fetchall()
        processors = plan.result_processors
        if processors is None:
            dialect = conn.dialect
            description = cursor.description
            processors = plan.result_processors = tuple(
                type_._cached_result_processor(dialect, column[1])
                for type_, column in zip(plan.types, description, strict=True))
        cursor.close()
    except BaseException as error:
        conn._handle_dbapi_exception(error, sql, parameters, cursor, None)
    make = plan.row._make
    if not any(processors):
        return [make(row) for row in fetched]
    return [make([value if process is None else process(value)
                  for process, value in zip(processors, row, strict=True)])
            for row in fetched]


def select_first(conn: Connection, stmt: Select[*tuple[Any, ...]],
                 params: Mapping[str, Any] | None = None) -> Any | None:
    """The first row of :func:`select_rows`, None when there is none."""
    rows = select_rows(conn, stmt, params)
    return rows[0] if rows else None


def session_rows(session: Session, stmt: Any, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
    """The rows of ``stmt`` in ``session``'s transaction: on its connection's driver cursor when
    the statement allows it and the session has nothing to flush, else by ``session.execute``."""
    if isinstance(stmt, Select) and session._is_clean():
        conn = session.connection()
        if _plan(stmt, conn) is not None:
            return select_rows(conn, stmt, params)
    return session.execute(stmt, dict(params or {})).all()
