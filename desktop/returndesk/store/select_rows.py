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

A list given to ``IN`` (an expanding parameter, its values given at the call or written into the
statement) is sent as SQLAlchemy's execution sends it, one placeholder per value, each value
processed by its type: such a statement has a plan for each count of values in its lists (up to
:data:`LIST_VALUES_PLANNED` values a list and :data:`LIST_PLANS_KEPT` plans a statement).

A statement this cannot run so (ORM entities, an empty ``IN`` list, one of tuples or of no type,
values given by its ``.params()``, execution options of its own, a textual statement, a column name
that cannot be an attribute, the same name twice), and any statement on a connection whose
transaction can no longer go on or that translates schemas, is executed by SQLAlchemy as before;
its rows are SQLAlchemy's own rows, which read the same way. A plan keeps what a run needs (the
SQL text, the parameters and their processors, the row class), not the compiled statement, which
would keep the statement alive.

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
from sqlalchemy.orm.session import SessionTransactionState
from sqlalchemy.sql import Select
from sqlalchemy.sql.dml import UpdateBase

_Processor = Callable[[Any], Any]


class _Plan:
    """What running a statement needs, taken from its compiled form once (without the compiled
    form itself, which holds the statement: the plan must not keep its key alive)."""

    __slots__ = ("sql", "positional", "positions", "binds", "bind_processors", "escaped", "row",
                 "result_processors", "types", "expansions", "sent")

    def __init__(self, compiled: Any, row: Any, expanded: Any = None) -> None:
        self.sql: str = compiled.string if expanded is None else expanded.statement
        self.positional: bool = bool(compiled.positional)
        self.positions: tuple[str, ...] = tuple(
            (compiled.positiontup if expanded is None else expanded.positiontup) or ())
        #: (name in the SQL, the parameter's key, the parameter) of each bound parameter.
        self.binds: tuple[tuple[str, str, Any], ...] = tuple(
            (name, bind.key, bind) for bind, name in compiled.bind_names.items())
        processors = dict(compiled._bind_processors)
        if expanded is not None:
            processors.update(expanded.processors)
        self.bind_processors: Mapping[str, _Processor] = processors
        self.escaped: Mapping[str, str] = dict(compiled.escaped_bind_names or {})
        #: An expanding ``IN`` parameter's name in the SQL -> the names its values are sent under.
        self.expansions: Mapping[str, tuple[str, ...]] = {} if expanded is None else {
            name: tuple(names) for name, names in expanded.parameter_expansion.items()}
        self.row = row
        #: Without expanding lists: what each value sent is made of, in the order the driver
        #: takes them (positional: one per placeholder; named: one per parameter): (the name it
        #: is sent under, its name in the SQL, the parameter's key, the parameter, its processor).
        self.sent: tuple[tuple[str, str, str, Any, _Processor | None], ...] | None = None
        if not self.expansions:
            by_name = {name: (key, bind) for name, key, bind in self.binds}
            self.sent = tuple(
                (self.escaped.get(name, name), name, *by_name[name], processors.get(name))
                for name in (self.positions if self.positional else by_name))
        #: Set at the first run, from the cursor's description (the driver's column types): the
        #: place and processor of each column whose values are processed.
        self.result_processors: tuple[tuple[int, _Processor], ...] | None = None
        self.types = tuple(column[3] for column in compiled._result_columns)


class _Expanding:
    """A statement with expanding ``IN`` parameters: its SQL depends on how many values each list
    holds, so it has a plan per count of each (made at the first run with those counts)."""

    __slots__ = ("lists", "plans")

    def __init__(self, lists: tuple[tuple[str, str, Any], ...]) -> None:
        #: (the parameter's key, its name in the SQL, the parameter) of each expanding parameter.
        self.lists = lists
        self.plans: dict[tuple[int, ...], _Plan | None] = {}

    def counts(self, params: Mapping[str, Any] | None) -> tuple[int, ...] | None:
        """How many values each list holds in ``params`` (or its own, when it brings them); None
        when one is empty or not a list (SQLAlchemy's rendering of an empty ``IN`` is its own), or
        holds more values than a plan is kept for."""
        counts = []
        for key, name, bind in self.lists:
            values = _list_value(params, key, name, bind)
            if not isinstance(values, (list, tuple)) or not values or len(values) > LIST_VALUES_PLANNED:
                return None
            counts.append(len(values))
        return tuple(counts)


#: Most values in a list given to ``IN`` that a plan is made for, and most plans kept for one
#: statement (each count of values is a plan of its own): beyond them, SQLAlchemy runs it.
LIST_VALUES_PLANNED = 32
LIST_PLANS_KEPT = 64


def _list_value(params: Mapping[str, Any] | None, key: str, name: str, bind: Any) -> Any:
    """The values of an expanding parameter, found as SQLAlchemy finds them: by its key, by its
    name in the SQL, else its own."""
    if params:
        if key in params:
            return params[key]
        if name in params:
            return params[name]
    return bind.value


#: Statement -> {dialect: its plan, or None where SQLAlchemy runs it}. Weak: a statement built
#: for one call leaves with it. A statement is planned at its second run, so that one built anew
#: at every call never pays for a compilation of its own (SQLAlchemy's cache, which knows the
#: statement by its structure, runs it instead).
_PLANS: weakref.WeakKeyDictionary[Any, dict[Any, _Plan | _Expanding | None]] = weakref.WeakKeyDictionary()
_SEEN_ONCE: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
_PLANS_LOCK = threading.Lock()


def _plan(stmt: Any, conn: Connection, keys: tuple[str, ...] | None = None, many: bool = False,
          params: Mapping[str, Any] | None = None) -> _Plan | None:
    """The plan of ``stmt`` on ``conn``'s dialect (None: SQLAlchemy runs it), made at its second
    run. ``keys``: for an INSERT, UPDATE or DELETE, the keys of its values (it is compiled for
    them, as SQLAlchemy compiles it), ``many`` whether it is run with several sets of values;
    ``params`` the values, which say how many each expanding ``IN`` list holds."""
    dialect = conn.dialect
    key: Any = dialect if keys is None else (dialect, keys, many)
    by_dialect = _PLANS.get(stmt)
    if by_dialect is not None and key in by_dialect:
        found = by_dialect[key]
    else:
        with _PLANS_LOCK:
            if _SEEN_ONCE.get(stmt) is None:
                _SEEN_ONCE[stmt] = True
                return None
        found = _make_plan(stmt, conn) if keys is None else _make_write_plan(stmt, conn, keys, many)
        with _PLANS_LOCK:
            _PLANS.setdefault(stmt, {})[key] = found
    if not isinstance(found, _Expanding):
        return found
    counts = found.counts(params)
    if counts is None:
        return None
    try:
        return found.plans[counts]
    except KeyError:
        pass
    if len(found.plans) >= LIST_PLANS_KEPT:
        return None
    plan = _make_expanded_plan(stmt, conn, keys, params)
    with _PLANS_LOCK:
        found.plans[counts] = plan
    return plan


def _selects_columns_only(stmt: Select[*tuple[Any, ...]]) -> bool:
    """Whether ``stmt`` selects columns and expressions only (an ORM entity's rows need the ORM)."""
    for description in stmt.column_descriptions:
        found = inspect(description.get("expr"), raiseerr=False)
        if getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False) or getattr(
                found, "is_bundle", False):
            return False
    return True


def _make_plan(stmt: Select[*tuple[Any, ...]], conn: Connection) -> _Plan | _Expanding | None:
    if not isinstance(stmt, Select) or not _selects_columns_only(stmt) or stmt._execution_options:
        return None
    compiled: Any = stmt.compile(dialect=conn.dialect)
    if (compiled.literal_execute_params or compiled.schema_translate_map
            or getattr(compiled, "_collected_params", None)  # values given by the statement's .params()
            or not compiled._ordered_columns or compiled._textual_ordered_columns
            or compiled._ad_hoc_textual or compiled._loose_column_name_matching):
        return None
    row = _row_class(compiled)
    if row is None:
        return None
    return _expanding(compiled) if compiled.post_compile_params else _Plan(compiled, row)


def _expanding(compiled: Any) -> _Expanding | None:
    """The expanding ``IN`` lists of a compiled statement (None: one SQLAlchemy alone renders, a
    list of tuples)."""
    lists = []
    for bind in compiled.post_compile_params:
        if (not bind.expanding or bind.literal_execute or getattr(bind.type, "_is_tuple_type", False)
                or bind.type._isnull):  # untyped: SQLAlchemy renders tuples of values as a tuple IN
            return None
        lists.append((bind.key, compiled.bind_names[bind], bind))
    return _Expanding(tuple(lists))


def _make_expanded_plan(stmt: Any, conn: Connection, keys: tuple[str, ...] | None,
                        params: Mapping[str, Any] | None) -> _Plan | None:
    """The plan of a statement with expanding ``IN`` lists for the counts of values ``params``
    holds: its SQL with one placeholder per value, as SQLAlchemy's execution expands it."""
    compiled: Any = (stmt.compile(dialect=conn.dialect) if keys is None
                     else stmt.compile(dialect=conn.dialect, column_keys=list(keys)))
    probe = {name: _list_value(params, bind.key, name, bind) if bind.expanding else None
             for bind, name in compiled.bind_names.items()}
    expanded = compiled._process_parameters_for_postcompile(probe)
    row = _row_class(compiled)
    return None if row is None else _Plan(compiled, row, expanded)


def _row_class(compiled: Any) -> Any | None:
    """The named tuple of the compiled statement's result columns (None: names it cannot have)."""
    names = [column[0] for column in compiled._result_columns]
    if (len(set(names)) != len(names)
            or any(not name.isidentifier() or name.startswith("_") or keyword.iskeyword(name) for name in names)):
        return None
    return namedtuple("Row", names)


def _make_write_plan(stmt: Any, conn: Connection, keys: tuple[str, ...], many: bool) -> _Plan | _Expanding | None:
    if not isinstance(stmt, UpdateBase) or stmt._execution_options:
        return None
    for column in stmt._returning:
        found = inspect(column, raiseerr=False)
        if getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False):
            return None  # ORM entities returned: the ORM's
    compiled: Any = stmt.compile(dialect=conn.dialect, column_keys=list(keys), for_executemany=many)
    if (compiled.literal_execute_params or compiled.schema_translate_map
            or (many and compiled.post_compile_params)
            or getattr(compiled, "_collected_params", None)
            or compiled.insert_prefetch or compiled.update_prefetch  # defaults computed in Python
            or (many and (compiled._insertmanyvalues or compiled._result_columns))):
        return None
    row = _row_class(compiled)
    if row is None:
        return None
    return _expanding(compiled) if compiled.post_compile_params else _Plan(compiled, row)


def _parameters(plan: _Plan, params: Mapping[str, Any] | None) -> Any:
    """The values to send, as SQLAlchemy's ``construct_params`` and execution context make them."""
    sent = plan.sent
    if sent is not None:
        out: list[Any] = []
        for _sent_as, name, key, bind, process in sent:
            if params and key in params:
                value = params[key]
            elif params and name in params:
                value = params[name]
            elif bind.required:
                raise InvalidRequestError(f"A value is required for bind parameter {key!r}", code="cd3x")
            else:
                value = bind.effective_value if bind.callable else bind.value
            out.append(value if process is None else process(value))
        if plan.positional:
            return tuple(out)
        return {item[0]: value for item, value in zip(sent, out, strict=True)}
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
    for name, names in plan.expansions.items():
        listed = values.pop(name)
        if len(listed) != len(names):  # pragma: no cover - the plan was chosen by these counts
            raise InvalidRequestError(f"{len(listed)} values for the list {name!r} planned for {len(names)}")
        values.update(zip(names, listed, strict=True))
    processors = plan.bind_processors
    if plan.positional:
        return tuple(processors[name](values[name]) if name in processors else values[name]
                     for name in plan.positions)
    escaped = plan.escaped
    return {escaped.get(name, name): (processors[name](value) if name in processors else value)
            for name, value in values.items()}


def _sqlalchemy_runs(conn: Connection, plan: _Plan | None) -> bool:
    """Whether SQLAlchemy's own execution runs the statement (which also says why a transaction
    cannot go on)."""
    if plan is None:
        return True
    transaction = conn.get_transaction()
    savepoint = conn.get_nested_transaction()
    return ((transaction is not None and not transaction.is_active)
            or (savepoint is not None and not savepoint.is_active)
            or bool(conn.get_execution_options().get("schema_translate_map")))


def _outside_transactions(conn: Connection) -> bool:
    """Whether ``conn`` is a read of one statement (``Database.read_connection(one_statement=True)``),
    whose statements each run on their own: SQLAlchemy's transaction would send nothing there (no
    BEGIN on SQLite, autocommit on PostgreSQL), so none is begun for them, nor committed."""
    options = conn.get_execution_options()
    return bool(options.get("readonly") and (options.get("one_statement")
                                             or options.get("isolation_level") == "AUTOCOMMIT"))


def _run(conn: Connection, plan: _Plan, params: Any, many: bool) -> tuple[list[Any] | None, int]:
    """Run a plan on the connection's driver cursor: its rows (None for a statement without any)
    and the rows it matched, as the driver counts them."""
    try:
        parameters = ([_parameters(plan, values) for values in params] if many
                      else _parameters(plan, params))
    except Exception as error:  # a value missing or refused by its type: SQLAlchemy's StatementError
        conn._handle_dbapi_exception(error, plan.sql, params, None, None)
    return _execute(conn, plan.sql, parameters, many, plan)


def _execute(conn: Connection, sql: str, parameters: Any, many: bool,
             plan: _Plan | None) -> tuple[list[Any] | None, int]:
    """Send ``sql`` with the driver's ``parameters`` on the connection's cursor, in its
    transaction (begun as SQLAlchemy begins it), heard by the engine's listeners, a driver's error
    wrapped as SQLAlchemy wraps it: the rows of ``plan`` (None without a plan or rows) and the
    rows it matched."""
    dbapi_conn: Any = conn.connection
    cursor = None
    if conn.get_transaction() is None and not _outside_transactions(conn):
        conn.begin()  # raises SQLAlchemy's own errors
    rows: list[Any] | None = None
    try:
        cursor = dbapi_conn.cursor()
        # The engine's listeners (a connection's own joined dispatch is built anew at each look).
        dispatch = conn.engine.dispatch
        # Each listener gives the statement and values on (changed by one registered with
        # ``retval=True``, as in SQLAlchemy's execution).
        for listener in dispatch.before_cursor_execute:
            sql, parameters = listener(conn, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(conn, cursor, sql, parameters, None, many)
        if plan is not None and plan.types:  # it returns rows (psycopg's description is built at each look)
            fetched = cursor.fetchall()
            processors = plan.result_processors
            if processors is None:
                dialect = conn.dialect
                processors = plan.result_processors = tuple(
                    (i, process) for i, process in enumerate(
                        type_._cached_result_processor(dialect, column[1])
                        for type_, column in zip(plan.types, cursor.description, strict=True))
                    if process is not None)
            make = plan.row._make
            if not processors:
                rows = [make(row) for row in fetched]
            else:
                rows = []
                for row in fetched:
                    values = list(row)
                    for i, process in processors:
                        values[i] = process(values[i])
                    rows.append(make(values))
        matched = cursor.rowcount
        cursor.close()
    except BaseException as error:
        conn._handle_dbapi_exception(error, sql, parameters, cursor, None)
    return rows, matched


def run_driver_sql(conn: Connection, sql: str, parameters: Mapping[str, Any] | Sequence[Any]) -> int:
    """Send ``sql``, written in the driver's own style of parameters (``%(name)s`` for psycopg),
    with ``parameters`` as the driver takes them, on ``conn``'s cursor, as :func:`write_rows`
    sends a plan (the transaction, the listeners, the errors): the rows it matched. For a
    statement SQLAlchemy would pass on unchanged (a ``text()`` whose values need no processing),
    without its execution's bookkeeping; rows it returns are not read."""
    return _execute(conn, sql, parameters, False, None)[1]


def select_rows(conn: Connection, stmt: Select[*tuple[Any, ...]],
                params: Mapping[str, Any] | None = None) -> Sequence[Any]:
    """The rows of ``stmt`` with ``params`` on ``conn`` (see the module's description): named
    tuples, or SQLAlchemy's rows where the statement is run by SQLAlchemy."""
    plan = _plan(stmt, conn, params=params)
    if _sqlalchemy_runs(conn, plan):
        return conn.execute(stmt, dict(params or {})).all()
    assert plan is not None
    rows, _ = _run(conn, plan, params, False)
    return rows or []


def _write_plan(conn: Connection, stmt: Any, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
                ) -> tuple[_Plan | None, Any, bool]:
    """The plan of an INSERT, UPDATE or DELETE for ``params`` (one set of values or several), the
    values as a run takes them, and whether they are several."""
    if isinstance(params, Mapping):
        return _plan(stmt, conn, tuple(sorted(params)), False, params), params, False
    if len(params) == 1:  # as SQLAlchemy runs one set of values given in a list
        return _plan(stmt, conn, tuple(sorted(params[0])), False, params[0]), params[0], False
    if not params or not params[0]:
        return None, params, True
    return _plan(stmt, conn, tuple(sorted(params[0])), True), params, True


def write_rows(conn: Connection, stmt: Any,
               params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> int:
    """Run the INSERT, UPDATE or DELETE ``stmt`` with ``params`` (one set of values, or a list of
    them in one round trip) on ``conn`` (see the module's description): the rows it matched (for
    several sets of values, where the driver counts them, their sum)."""
    plan, values, many = _write_plan(conn, stmt, params)
    if _sqlalchemy_runs(conn, plan):
        return conn.execute(stmt, values if not many else list(values)).rowcount
    assert plan is not None
    return _run(conn, plan, values, many)[1]


def ordered_plan(conn: Connection, stmt: Any, keys: tuple[str, ...]) -> _Plan | None:
    """The plan of the INSERT, UPDATE or DELETE ``stmt`` run on ``conn`` with one set of values
    for ``keys`` (in sorted order, as :func:`write_rows` plans it), for a caller that builds the
    values itself in the order the driver takes them (:func:`ordered_keys`) and runs them with
    :func:`run_ordered`; None where SQLAlchemy runs it (or before it is planned, at its first
    run), and on a connection whose transaction must go through SQLAlchemy."""
    plan = _plan(stmt, conn, keys, False)
    if plan is None or plan.sent is None or _sqlalchemy_runs(conn, plan):
        return None
    return plan


def ordered_keys(plan: _Plan) -> tuple[tuple[str, _Processor | None], ...]:
    """The key of each value :func:`run_ordered` sends for ``plan``, in the driver's order, with the
    processor its value goes through (as :func:`write_rows` processes it)."""
    assert plan.sent is not None
    return tuple((key, process) for _sent_as, _name, key, _bind, process in plan.sent)


def run_ordered(conn: Connection, plan: _Plan, values: Callable[[], Sequence[Any]]) -> list[Any]:
    """Run ``plan`` (:func:`ordered_plan`) with the values ``values()`` makes, processed and in
    the order of :func:`ordered_keys`: the rows it returns (none for a statement without
    ``RETURNING``). A value its type refuses is SQLAlchemy's ``StatementError``, as in
    :func:`write_rows`."""
    assert plan.sent is not None
    try:
        made = values()
    except Exception as error:  # a value refused by its type's processor
        conn._handle_dbapi_exception(error, plan.sql, None, None, None)
    parameters: Any = (tuple(made) if plan.positional
                       else {item[0]: value for item, value in zip(plan.sent, made, strict=True)})
    rows, _ = _execute(conn, plan.sql, parameters, False, plan)
    return rows or []


def write_returning(conn: Connection, stmt: Any, params: Mapping[str, Any]) -> Sequence[Any]:
    """The rows an INSERT, UPDATE or DELETE with a ``RETURNING`` of columns gives back, run with
    one set of values ``params`` on ``conn`` (see the module's description): named tuples, or
    SQLAlchemy's rows where SQLAlchemy runs it."""
    plan, values, _ = _write_plan(conn, stmt, params)
    if _sqlalchemy_runs(conn, plan):
        return conn.execute(stmt, values).all()
    assert plan is not None
    rows, _ = _run(conn, plan, values, False)
    return rows or []


def select_first(conn: Connection, stmt: Select[*tuple[Any, ...]],
                 params: Mapping[str, Any] | None = None) -> Any | None:
    """The first row of :func:`select_rows`, None when there is none."""
    rows = select_rows(conn, stmt, params)
    return rows[0] if rows else None


def session_connection(session: Session) -> Connection:
    """``session.connection()``: the connection of the session's transaction, found at once once
    the transaction holds it (its state machine, which ``connection()`` goes through at every call,
    costs more than a small statement's own work); else by ``connection()``, which begins it."""
    transaction = session._transaction
    if transaction is not None and transaction._state is _ACTIVE and session.bind is not None:
        held = transaction._connections.get(session.bind)
        if held is not None:
            return held[0]
    return session.connection()


_ACTIVE = SessionTransactionState.ACTIVE


def session_rows(session: Session, stmt: Any, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
    """The rows of ``stmt`` in ``session``'s transaction: on its connection's driver cursor when
    the statement allows it and the session has nothing to flush, else by ``session.execute``."""
    if isinstance(stmt, Select) and session._is_clean():
        conn = session_connection(session)
        if _plan(stmt, conn, params=params) is not None:
            return select_rows(conn, stmt, params)
    return session.execute(stmt, dict(params or {})).all()
