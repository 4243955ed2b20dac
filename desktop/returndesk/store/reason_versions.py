"""The return reasons' version: a number the database moves on at every change of the reasons.

The reasons are a small table every intake judges its lines by; stations keep them per process
(``services.tx.refcache.reasons``) and read ``reason_versions.version`` with the order, in the
statement intake makes anyway: a number other than the one the kept reasons were read with means
they are read again. The number is moved on by the database itself (a trigger on
``return_reasons``), so a change made by any process, connection or tool is seen by the next
intake everywhere; the row is created by the first change when it is missing.

On PostgreSQL the trigger's function belongs to the schema owner (``SECURITY DEFINER``): the
server's login reads the number but cannot set it.
"""

from __future__ import annotations

BUMP_FUNCTION = "returndesk_bump_reason_version"

#: Moves the number on (creating the row when it is missing); the same statement on both databases.
_BUMP = ("INSERT INTO reason_versions (id, version) VALUES (1, 1) "
         "ON CONFLICT (id) DO UPDATE SET version = reason_versions.version + 1")


def create_sql(dialect: str) -> list[str]:
    """The statements that create the triggers on ``return_reasons`` (``dialect``: the database's)."""
    if dialect == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION {BUMP_FUNCTION}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    {_BUMP};
    RETURN NULL;
END
$$
""",
            f"REVOKE ALL ON FUNCTION {BUMP_FUNCTION}() FROM PUBLIC",
            "DROP TRIGGER IF EXISTS return_reasons_version ON return_reasons",
            f"CREATE TRIGGER return_reasons_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON return_reasons FOR EACH STATEMENT EXECUTE FUNCTION {BUMP_FUNCTION}()",
        ]
    # SQLite has row triggers only: one per kind of change.
    return [
        f"CREATE TRIGGER IF NOT EXISTS return_reasons_version_{kind.lower()} AFTER {kind} ON return_reasons "
        f"BEGIN {_BUMP}; END"
        for kind in ("INSERT", "UPDATE", "DELETE")
    ]


def drop_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS return_reasons_version ON return_reasons",
                f"DROP FUNCTION IF EXISTS {BUMP_FUNCTION}()"]
    return [f"DROP TRIGGER IF EXISTS return_reasons_version_{kind}" for kind in ("insert", "update", "delete")]
