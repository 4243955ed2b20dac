"""ORM rows of a SELECT built once, read on the driver's cursor and made into the session's objects.

A use case that changes a return loads its rows as ORM objects (the return, its lines, their
products, the order, the units) and changes their attributes; loading them through the ORM costs
several times the statement on SQLite (a compile state, a loading context, a row processor per
entity, an identity key and a state per row). :func:`entity_rows` reads the same rows as a
select of columns on the driver's cursor (:func:`~.select_rows.select_rows`) and makes the
objects itself, as the ORM's loading does for a statement with ``populate_existing``:

- an object already in the session (by its primary key) is the one returned, its columns
  overwritten with what was read and its changes forgotten (they are the database's now), its
  relationships loaded again when next used;
- a new object is made persistent in the session with every column loaded, its relationships
  left to load when first used, as a loaded object's are;
- an entity of an outer join that found no row is None.

It takes a select of plain mapped classes (one table each, no inheritance, every attribute a
column of it) and columns, with ``populate_existing``: the statements that lock and re-read what a
step changes. Anything else, a session with changes not yet flushed (the session's own execution
would flush them first), and a mapper or session with load events, goes through
``session.execute`` as before; the rows read the same (a tuple per row, entities then columns in
the statement's order); a select of columns alone goes to :func:`~.select_rows.session_rows`.

:func:`materialize` makes objects of one mapped class from rows read otherwise (an UPDATE ...
RETURNING of the table's columns).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import instance_dict, instance_state
from sqlalchemy.sql import Select
from sqlalchemy.util import immutabledict

from returndesk.store.select_rows import select_rows, session_connection, session_rows


_T = TypeVar("_T")


class EntityShape:
    """How one mapped class's object is made from a row's values: its attribute keys in the order
    of its table's columns, where its primary key is among them."""

    __slots__ = ("mapper", "keys", "key_set", "pk", "columns", "relationships")

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        props = list(mapper.column_attrs)
        self.keys: tuple[str, ...] = tuple(prop.key for prop in props)
        self.key_set: frozenset[str] = frozenset(self.keys)
        #: The table's columns, in the order of :attr:`keys`.
        self.columns: tuple[Any, ...] = tuple(prop.columns[0] for prop in props)
        pk = mapper.primary_key[0]
        self.pk: int = self.columns.index(pk)
        #: The relationships (each loaded when first used), reset on an object read again.
        self.relationships: tuple[str, ...] = tuple(rel.key for rel in mapper.relationships)


_SHAPES: dict[Mapper[Any], EntityShape | None] = {}


def shape_of(mapper: Mapper[Any]) -> EntityShape | None:
    """The shape of ``mapper``'s objects, None when they cannot be made here: inheritance, a
    primary key of several columns, an attribute that is not one column of its own table, a
    relationship loaded otherwise than when first used, load events (which only the ORM's loading
    calls; looked for when the shape is first asked for)."""
    if mapper in _SHAPES:
        return _SHAPES[mapper]
    table = mapper.local_table
    simple = (
        mapper.inherits is None and not mapper.polymorphic_map and mapper.persist_selectable is table
        and len(mapper.primary_key) == 1 and not mapper.class_manager.dispatch.load
        and not mapper.class_manager.dispatch.refresh
        and all(len(prop.columns) == 1 and getattr(prop.columns[0], "table", None) is table
                for prop in mapper.column_attrs)
        and all(rel.lazy in ("select", True) for rel in mapper.relationships)
    )
    shape = EntityShape(mapper) if simple else None
    _SHAPES[mapper] = shape
    return shape


def entity_shape(cls: type) -> EntityShape:
    """:func:`shape_of` a mapped class whose objects can be made here (``TypeError`` otherwise)."""
    shape = shape_of(inspect(cls))
    if shape is None:
        raise TypeError(f"{cls.__name__}'s objects cannot be made from rows read as columns")
    return shape


def materialize(session: Session, shape: EntityShape, values: Sequence[Any]) -> Any | None:
    """The object of ``shape``'s class whose columns are ``values`` (in :attr:`EntityShape.keys`
    order), as the ORM loads it with ``populate_existing`` (see the module's description); None
    when its primary key is NULL (an outer join's missing row)."""
    pk = values[shape.pk]
    if pk is None:
        return None
    identity_map = session.identity_map
    key = (shape.mapper.class_, (pk,), None)
    obj = identity_map.get(key)
    if obj is not None:
        state = instance_state(obj)
        loaded = instance_dict(obj)
        for name in shape.relationships:
            # As the ORM's lazy loader does on a row read again: the relationship is loaded anew
            # when next used (a collection loaded before is let go).
            state._reset(loaded, name)
    else:
        obj = shape.mapper.class_manager.new_instance()
        state = instance_state(obj)
        loaded = state.dict
        # As the ORM's loading puts a new row into the session (orm/loading.py, _instance).
        state.key = key
        state.identity_token = None
        state.session_id = session.hash_key
        identity_map._add_unpresent(state, key)  # type: ignore[attr-defined]
    loaded.update(zip(shape.keys, values, strict=True))
    state._commit_all(loaded, identity_map)
    return obj


def loaded_view(obj: Any) -> Any:
    """``obj``'s values as plain attributes, read from its state without the ORM's instrumentation
    (a return's detail reads some forty of them): a namespace of them when every column of it is
    loaded, else ``obj`` itself (reading an unloaded column loads it), as for a class whose objects
    are not made here (:func:`shape_of`)."""
    shape = shape_of(instance_state(obj).mapper)
    loaded = instance_dict(obj)
    return SimpleNamespace(**loaded) if shape is not None and shape.key_set <= loaded.keys() else obj


def held_object(session: Session, cls: type[_T], pk: Any) -> _T | None:
    """``session.get(cls, pk)``: the object the session holds for that row, loaded, found in its
    identity map at once; else (not held, or expired) by ``session.get``, which reads it."""
    obj = session.identity_map.get((cls, (pk,), None))
    if obj is not None and type(obj) is cls and not instance_state(obj).expired:
        return cast(_T, obj)
    return session.get(cls, pk)


class _Layout:
    """A select of entities made into one of columns: the shadow statement, and per item of the
    original's row either an entity's shape with where its columns start, or a column's place."""

    __slots__ = ("shadow", "items")

    def __init__(self, shadow: Select[Any], items: tuple[tuple[EntityShape | None, int, int], ...]) -> None:
        self.shadow = shadow
        self.items = items


#: Statement -> its layout, or None where the ORM loads it. Weak, as select_rows' plans.
_LAYOUTS: weakref.WeakKeyDictionary[Any, _Layout | None] = weakref.WeakKeyDictionary()
_LAYOUTS_LOCK = threading.Lock()


def _layout(stmt: Select[Any]) -> _Layout | None:
    try:
        return _LAYOUTS[stmt]
    except KeyError:
        pass
    found = _make_layout(stmt)
    with _LAYOUTS_LOCK:
        _LAYOUTS[stmt] = found
    return found


def _make_layout(stmt: Select[Any]) -> _Layout | None:
    options = stmt._execution_options
    if set(options) != {"populate_existing"} or not options["populate_existing"]:
        return None
    columns: list[Any] = []
    items: list[tuple[EntityShape | None, int, int]] = []
    entities = 0
    for description in stmt.column_descriptions:
        expr = description.get("expr")
        found = inspect(expr, raiseerr=False)
        if getattr(found, "is_mapper", False):
            shape = shape_of(found)  # type: ignore[arg-type]
            if shape is None or description.get("aliased"):
                return None
            items.append((shape, len(columns), len(shape.columns)))
            columns += shape.columns
            entities += 1
        elif getattr(found, "is_aliased_class", False) or getattr(found, "is_bundle", False):
            return None
        else:
            items.append((None, len(columns), 1))
            columns.append(expr)
    if not entities:
        return None
    shadow = stmt.with_only_columns(*(column.label(f"c{i}") for i, column in enumerate(columns)))
    # The shadow's rows are read as columns: the ORM's loading options are not its own.
    shadow._execution_options = immutabledict()
    return _Layout(shadow, tuple(items))


def entity_rows(session: Session, stmt: Select[Any], params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of the ORM select ``stmt`` with ``params`` in ``session``'s transaction, each a
    tuple of its entities (objects of the session) and columns, read on the driver's cursor where
    the statement and session allow it (see the module's description), else by ``session.execute``."""
    layout = _layout(stmt)
    if layout is None or not session._is_clean() or session.dispatch.loaded_as_persistent:
        return [tuple(row) for row in session_rows(session, stmt, params)]
    rows = select_rows(session_connection(session), layout.shadow, params)
    out: list[tuple[Any, ...]] = []
    for row in rows:
        made: list[Any] = []
        for shape, start, width in layout.items:
            if shape is None:
                made.append(row[start])
            else:
                made.append(materialize(session, shape, row[start:start + width]))
        out.append(tuple(made))
    return out
