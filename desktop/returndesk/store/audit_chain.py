"""The audit chain's hash, once in Python and once in SQL, and PostgreSQL's appending function.

Each audit event carries ``hash_version``:

1. the first format: SHA-256 of a JSON array of the event's fields. It is still verified for the
   events written with it; nothing writes it any more.
2. SHA-256 of the event's fields, each written as ``<length>:<text>`` (length in characters) or
   ``-`` for a missing value, joined by ``|``, in this order: the version, seq, the instant in UTC
   (``2026-11-27T09:00:00.000000``), user id, user name, station, entity, entity id, action, the
   JSON before, the JSON after, the previous event's hash. The length prefix makes the text
   unambiguous whatever the fields hold, and PostgreSQL computes the same text with
   ``length()``, ``to_char()`` and ``sha256()`` (built in since PostgreSQL 11).

On PostgreSQL the events are appended by :data:`APPEND_FUNCTION`, a ``SECURITY DEFINER`` function
owned by the schema owner: it locks the chain's head, assigns the sequence numbers, computes the
hashes and writes the events (and their webhook outbox rows) itself. The server's login may only
call it: it cannot insert, change or delete audit events, the head or the outbox directly, so it
can neither forge an event nor jam the chain with a row of its own. On SQLite (one station, its
own file) the same format is computed in Python, and the events are written through the view
:data:`SQLITE_APPEND_VIEW`: one INSERT of a transaction's events, whose trigger checks that each
links to the chain's head as it stands, writes the event and its webhook outbox row and moves the
head on (:func:`sqlite_append_sql`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from returndesk.domain.localtime import utc_text

#: The format new events are written with.
CURRENT_VERSION = 2

APPEND_FUNCTION = "returndesk_append_audit"
HASH_FUNCTION = "returndesk_audit_hash"


def hash_v1(
    *, seq: int, occurred_at: datetime, user_id: int | None, username: str | None,
    station: str | None, entity: str, entity_id: str, action: str,
    before_json: str | None, after_json: str | None, prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, utc_text(occurred_at), user_id, username, station, entity, entity_id, action,
         before_json, after_json, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _field(value: object) -> str:
    if value is None:
        return "-"
    text = str(value)
    return f"{len(text)}:{text}"


def hash_v2(
    *, seq: int, occurred_at: datetime, user_id: int | None, username: str | None,
    station: str | None, entity: str, entity_id: str, action: str,
    before_json: str | None, after_json: str | None, prev_hash: str,
) -> str:
    fields: Sequence[object] = (
        2, seq, utc_text(occurred_at), user_id, username, station, entity, entity_id, action,
        before_json, after_json, prev_hash,
    )
    return hashlib.sha256("|".join(_field(f) for f in fields).encode("utf-8")).hexdigest()


HASHES = {1: hash_v1, 2: hash_v2}


def outbox_payload(seq: int, payload_without_id: str) -> str:
    """The webhook body: the event's id first, then the rest of the object (as the SQL does)."""
    return f'{{"id": {seq}, {payload_without_id[1:]}' if payload_without_id != "{}" else f'{{"id": {seq}}}'


#: :func:`canonical_json`'s encoder and the webhook body's, each made once (``json.dumps`` makes
#: one at every call given options of its own).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
_PAYLOAD = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


def canonical_json(value: Any) -> str | None:
    """The JSON text of an event's state before or after (keys sorted, no spaces), None for none."""
    if value is None:
        return None
    return _CANONICAL.encode(value)


def event_fields(*, occurred_at: datetime, user_id: int | None, username: str | None, station: str | None,
                 entity: str, entity_id: int | str, action: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None) -> dict[str, Any]:
    """One event as a transaction records it (:data:`EVENT_FIELDS`), before it is chained."""
    return dict(occurred_at=occurred_at, user_id=user_id, username=username, station=station, entity=entity,
                entity_id=str(entity_id), action=action, before_json=canonical_json(before),
                after_json=canonical_json(after))


def webhook_payload(published: str, fields: dict[str, Any]) -> str:
    """The webhook body of an event without its id (the id is the sequence number, given when it
    is chained): a JSON object of its keys in order, the states before and after as the event's
    own JSON texts (:func:`canonical_json`; null for none)."""
    occurred = fields["occurred_at"]
    rest = _PAYLOAD.encode({
        "type": published, "subject": fields["entity_id"],
        "occurred_at": occurred.isoformat() if occurred is not None else None,
        "station": fields["station"], "user": fields["username"],
    })
    return f'{{"after": {fields["after_json"] or "null"}, "before": {fields["before_json"] or "null"}, {rest[1:]}'


def chain_events(
    pending: Sequence[dict[str, Any]], outbox: Sequence[tuple[str | None, str | None]], seq: int, prev: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int, str]:
    """Chain ``pending`` events (their fields, in order) after the head ``(seq, prev)`` in the
    current format: the rows of ``audit_events`` and ``outbox_events`` to insert, and the new head.
    ``outbox`` holds each event's webhook type and body without id (None: not published)."""
    events: list[dict[str, Any]] = []
    published_rows: list[dict[str, Any]] = []
    for event in append_view_rows(pending, outbox, seq, prev)[0]:
        published, body = event.pop("event_type"), event.pop("payload_json")
        events.append(event)
        if body is not None:
            published_rows.append(dict(id=event["seq"], occurred_at=event["occurred_at"], event_type=published,
                                       subject=event["entity_id"], payload_json=body))
    if events:
        seq, prev = events[-1]["seq"], events[-1]["hash"]
    return events, published_rows, seq, prev


def append_view_rows(
    pending: Sequence[dict[str, Any]], outbox: Sequence[tuple[str | None, str | None]], seq: int, prev: str,
) -> tuple[list[dict[str, Any]], int, str]:
    """:func:`chain_events` as rows of SQLite's :data:`SQLITE_APPEND_VIEW`: each event with its
    webhook outbox row's ``event_type`` and ``payload_json`` (None: not published); and the new head."""
    rows: list[dict[str, Any]] = []
    digest_of = HASHES[CURRENT_VERSION]
    for fields, (published, payload) in zip(pending, outbox, strict=True):
        seq += 1
        digest = digest_of(seq=seq, prev_hash=prev, **fields)
        row = dict(fields)
        row["seq"], row["prev_hash"], row["hash"], row["hash_version"] = seq, prev, digest, CURRENT_VERSION
        # The outbox id is the audit sequence: taken under the chain's lock, so ids become visible
        # in commit order and a reader following them never skips an event.
        row["event_type"], row["payload_json"] = (
            (published, outbox_payload(seq, payload)) if published is not None and payload is not None
            else (None, None))
        rows.append(row)
        prev = digest
    return rows, seq, prev


#: The columns of an event as a transaction records it, before it is chained.
EVENT_FIELDS = ("occurred_at", "user_id", "username", "station", "entity", "entity_id", "action",
                "before_json", "after_json")

#: One call of :data:`APPEND_FUNCTION` for a transaction's events (PostgreSQL), with
#: :func:`append_parameters`.
APPEND_CALL = (
    f"SELECT {APPEND_FUNCTION}("
    "CAST(:occurred_at AS timestamptz[]), CAST(:user_id AS integer[]), CAST(:username AS text[]), "
    "CAST(:station AS text[]), CAST(:entity AS text[]), CAST(:entity_id AS text[]), "
    "CAST(:action AS text[]), CAST(:before_json AS text[]), CAST(:after_json AS text[]), "
    "CAST(:event_type AS text[]), CAST(:payload AS text[]))"
)


def append_parameters(pending: Sequence[dict[str, Any]],
                      outbox: Sequence[tuple[str | None, str | None]]) -> dict[str, list[Any]]:
    """The arrays :data:`APPEND_CALL` takes: one per column, one element per event. The instants
    must be aware (UTC): a naive one would be read in the session's time zone."""
    params: dict[str, list[Any]] = {name: [fields[name] for fields in pending] for name in EVENT_FIELDS}
    params["event_type"] = [published for published, _ in outbox]
    params["payload"] = [payload for _, payload in outbox]
    return params


def create_functions_sql() -> list[str]:
    """The statements that (re)create the hash and the append function on PostgreSQL."""
    field = "CASE WHEN {v} IS NULL THEN '-' ELSE length({v}::text)::text || ':' || {v}::text END"
    parts = [
        "'1:2'",
        field.format(v="p_seq"),
        field.format(v="to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"),
        field.format(v="p_user_id"),
        field.format(v="p_username"),
        field.format(v="p_station"),
        field.format(v="p_entity"),
        field.format(v="p_entity_id"),
        field.format(v="p_action"),
        field.format(v="p_before"),
        field.format(v="p_after"),
        field.format(v="p_prev_hash"),
    ]
    joined = " || '|' || ".join(parts)
    return [
        f"""
CREATE OR REPLACE FUNCTION {HASH_FUNCTION}(
    p_seq bigint, p_occurred_at timestamptz, p_user_id integer, p_username text, p_station text,
    p_entity text, p_entity_id text, p_action text, p_before text, p_after text, p_prev_hash text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$ SELECT encode(sha256(convert_to({joined}, 'UTF8')), 'hex') $$
""",
        f"""
CREATE OR REPLACE FUNCTION {APPEND_FUNCTION}(
    p_occurred_at timestamptz[], p_user_id integer[], p_username text[], p_station text[],
    p_entity text[], p_entity_id text[], p_action text[], p_before text[], p_after text[],
    p_event_type text[], p_payload text[])
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    n integer := coalesce(array_length(p_entity, 1), 0);
    v_seq bigint;
    v_prev text;
    v_hash text;
BEGIN
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF coalesce(array_length(p_occurred_at, 1), 0) <> n OR coalesce(array_length(p_user_id, 1), 0) <> n
       OR coalesce(array_length(p_username, 1), 0) <> n OR coalesce(array_length(p_station, 1), 0) <> n
       OR coalesce(array_length(p_entity_id, 1), 0) <> n OR coalesce(array_length(p_action, 1), 0) <> n
       OR coalesce(array_length(p_before, 1), 0) <> n OR coalesce(array_length(p_after, 1), 0) <> n
       OR coalesce(array_length(p_event_type, 1), 0) <> n OR coalesce(array_length(p_payload, 1), 0) <> n THEN
        RAISE EXCEPTION 'audit events: every field needs one value per event';
    END IF;
    SELECT last_seq, last_hash INTO v_seq, v_prev FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the audit chain has no head row: run returndesk db init';
    END IF;
    FOR i IN 1..n LOOP
        IF p_occurred_at[i] IS NULL OR p_entity[i] IS NULL OR p_entity_id[i] IS NULL OR p_action[i] IS NULL THEN
            RAISE EXCEPTION 'audit events need a time, an entity and an action';
        END IF;
        v_seq := v_seq + 1;
        v_hash := {HASH_FUNCTION}(v_seq, p_occurred_at[i], p_user_id[i], p_username[i], p_station[i],
                                  p_entity[i], p_entity_id[i], p_action[i], p_before[i], p_after[i], v_prev);
        INSERT INTO audit_events (seq, occurred_at, user_id, username, station, entity, entity_id, action,
                                  before_json, after_json, prev_hash, hash, hash_version)
        VALUES (v_seq, p_occurred_at[i], p_user_id[i], p_username[i], p_station[i], p_entity[i],
                p_entity_id[i], p_action[i], p_before[i], p_after[i], v_prev, v_hash, 2);
        IF p_event_type[i] IS NOT NULL THEN
            INSERT INTO outbox_events (id, occurred_at, event_type, subject, payload_json)
            VALUES (v_seq, p_occurred_at[i], p_event_type[i], p_entity_id[i],
                    CASE WHEN p_payload[i] = '{{}}' THEN '{{"id": ' || v_seq || '}}'
                         ELSE '{{"id": ' || v_seq || ', ' || substr(p_payload[i], 2) END);
        END IF;
        v_prev := v_hash;
    END LOOP;
    UPDATE audit_head SET last_seq = v_seq, last_hash = v_prev WHERE id = 1;
    RETURN v_seq;
END
$$
""",
        f"REVOKE ALL ON FUNCTION {APPEND_FUNCTION}(timestamptz[], integer[], text[], text[], text[], text[], "
        "text[], text[], text[], text[], text[]) FROM PUBLIC",
    ]


APPEND_SIGNATURE = (f"{APPEND_FUNCTION}(timestamptz[], integer[], text[], text[], text[], text[], text[], "
                    "text[], text[], text[], text[])")


def drop_functions_sql() -> list[str]:
    return [
        f"DROP FUNCTION IF EXISTS {APPEND_SIGNATURE}",
        f"DROP FUNCTION IF EXISTS {HASH_FUNCTION}(bigint, timestamptz, integer, text, text, text, text, "
        "text, text, text, text)",
    ]


#: SQLite: the view the events of a transaction are inserted into (one statement), see
#: :func:`sqlite_append_sql`.
SQLITE_APPEND_VIEW = "audit_append"
#: The words of the trigger's refusal when an event does not follow the chain's head.
SQLITE_HEAD_MOVED = "returndesk: the audit head moved on"

SQLITE_APPEND_COLUMNS = (
    "seq", "occurred_at", "user_id", "username", "station", "entity", "entity_id", "action",
    "before_json", "after_json", "prev_hash", "hash", "hash_version", "event_type", "payload_json",
)


def sqlite_append_sql() -> list[str]:
    """SQLite: the view ``audit_append`` (each event with its outbox row) and its ``INSTEAD OF
    INSERT`` trigger. Each row inserted must follow the head (``seq`` one past it, ``prev_hash``
    its hash) or the whole statement is refused with :data:`SQLITE_HEAD_MOVED` and undone; the
    event is written, its outbox row when it has an ``event_type`` (the row's id is the event's
    sequence), and the head moved on to it, so the next row of the same INSERT follows it."""
    event_columns = SQLITE_APPEND_COLUMNS[:13]
    return [
        f"""
CREATE VIEW IF NOT EXISTS {SQLITE_APPEND_VIEW} AS
SELECT {", ".join(f"e.{c}" for c in event_columns)}, o.event_type, o.payload_json
FROM audit_events e LEFT JOIN outbox_events o ON o.id = e.seq
""",
        f"""
CREATE TRIGGER IF NOT EXISTS {SQLITE_APPEND_VIEW}_insert INSTEAD OF INSERT ON {SQLITE_APPEND_VIEW}
BEGIN
    SELECT RAISE(ABORT, '{SQLITE_HEAD_MOVED}')
    WHERE NOT EXISTS (SELECT 1 FROM audit_head
                      WHERE id = 1 AND last_seq = NEW.seq - 1 AND last_hash = NEW.prev_hash);
    INSERT INTO audit_events ({", ".join(event_columns)})
    VALUES ({", ".join(f"NEW.{c}" for c in event_columns)});
    INSERT INTO outbox_events (id, occurred_at, event_type, subject, payload_json)
    SELECT NEW.seq, NEW.occurred_at, NEW.event_type, NEW.entity_id, NEW.payload_json
    WHERE NEW.event_type IS NOT NULL;
    UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
END
""",
    ]


def sqlite_drop_append_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {SQLITE_APPEND_VIEW}_insert", f"DROP VIEW IF EXISTS {SQLITE_APPEND_VIEW}"]
