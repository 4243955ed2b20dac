"""The ``returndesk`` command line: administration and data in/out over the same services.

Every command works on the database given by ``--url``, else ``$RETURNDESK_DB_URL``, else the
local SQLite file in the user's data folder. Commands run as the machine's administrator (no
sign-in): whoever can reach the database with this address may administer it — in shared mode
that is the database host only. With ``--server URL`` the user and station commands and
housekeeping go through the ReturnDesk server instead, signed in as ``--user``
(:mod:`returndesk.cli_remote`).

Exit status: 0 done; 1 refused or failed (the reason is printed on standard error); 2 the command
line itself is wrong; 130 interrupted. Any other failure is a bug and prints its details.

Adding a command: write ``_add_<name>_commands(sub)`` that adds a sub-parser with
``set_defaults(handler=...)`` (a function of ``(ctx, args)`` returning the exit status, or of
``(None, args)`` with ``needs_database=False``), and call it from :func:`build_parser`.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import os
import sys
import traceback
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.money import format_money, to_minor
from returndesk.domain.types import DocumentType, Role
from returndesk.domain.messages import Message, msg, render, template

if TYPE_CHECKING:
    from returndesk.api.protocol import CashApi, FinanceApi, ReturnDeskApi
    from returndesk.api.types import CashShiftView, ExportFile
    from returndesk.services.tx.context import ServiceContext
    from returndesk.services.usecases.auth import UserView
    from returndesk.services.usecases.housekeeping import HousekeepingReport
    from returndesk.services.infra.printer_routing import StationPrinting

PROG = "returndesk"
URL_HELP = (
    template("database address: sqlite:///path/file.sqlite3 or postgresql://user:password@host:5432/name "
    "(default: $RETURNDESK_DB_URL, else the local database file of this user)")
)

# Commands declared with needs_database=False get None for the context.
Handler = Callable[["ServiceContext | None", argparse.Namespace], int]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the hand-made line breaks of descriptions and epilogs."""


def _out(text: str = "") -> None:
    """``text`` on standard output, in the user's language (a message through :func:`say`)."""
    print(say(text), file=sys.stdout)


def _err(text: str) -> None:
    """``text`` on standard error, in the user's language (a message through :func:`say`)."""
    print(say(text), file=sys.stderr)


# --------------------------------------------------------------------------- argument types


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(say(msg("'{text}' is not a date; write it as 2026-11-30",
                                                 text=text))) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say(msg("'{text}' is not a whole number", text=text))) from None
    if value < 0:
        raise argparse.ArgumentTypeError(say(msg("{value} is negative", value=value)))
    return value


def _at_least_one(text: str) -> int:
    value = _positive(text)
    if value < 1:
        raise argparse.ArgumentTypeError(say(msg("must be at least 1")))
    return value


def _amount(text: str) -> int:
    try:
        value = to_minor(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say(msg("'{text}' is not an amount; write it like 500 or 499.50",
                                                  text=text))) from None
    if value < 0:
        raise argparse.ArgumentTypeError(say(msg("the amount cannot be negative")))
    return value


def _timezone(text: str) -> tzinfo:
    if text.upper() == "UTC":
        return UTC
    if text.lower() == "local":
        from datetime import datetime

        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            say(msg("'{text}' is not a time zone; use e.g. UTC, local or Asia/Shanghai", text=text))
        ) from None


# --------------------------------------------------------------------------- db


def _cmd_db_upgrade(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.infra import bootstrap, maintenance

    before = maintenance.database_report(ctx)
    status = bootstrap.open_database(ctx)
    if before.current_revision == status.current:
        _out(msg("{database} is up to date (schema revision {revision}).", database=maintenance.describe(ctx),
                 revision=status.current))
    else:
        _out(msg("{database} upgraded from revision {before} to {revision}; reference data is in place.",
                 database=maintenance.describe(ctx), before=before.current_revision or msg("(empty)"),
                 revision=status.current))
    return 0


def _cmd_db_status(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.infra import maintenance

    report = maintenance.database_report(ctx)
    _out(msg("Database:  {database}", database=report.description))
    if not report.exists:
        _out(msg("State:     no database file yet. Create it with 'returndesk db upgrade'."))
        return 1
    if report.current_revision is None:
        _out(msg("Schema:    none (this program creates revision {revision}). Run 'returndesk db upgrade'.",
                 revision=report.head_revision))
        return 1
    if report.too_new:
        _out(msg("Schema:    revision {revision}, written by a newer ReturnDesk (this one knows up to {newest}). "
                 "Install the newer version.", revision=report.current_revision, newest=report.head_revision))
        return 1
    state = msg("up to date") if report.up_to_date else msg("out of date: run 'returndesk db upgrade'")
    _out(msg("Schema:    revision {revision} (newest: {newest}), {state}", revision=report.current_revision,
             newest=report.head_revision, state=state))
    _out(msg("Returns:   {count:,}", count=report.returns_total))
    width = max(len(s) for s, _ in report.returns_by_status)
    for name, count in report.returns_by_status:
        _out(f"  {name.replace('_', ' '):<{width}}  {count:>10,}")
    return 0 if report.up_to_date else 1


def _add_db_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help=template("create, upgrade and inspect the database"), formatter_class=_Formatter,
                        description=template("Create, upgrade and inspect the database."))
    dbsub = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    p = dbsub.add_parser(
        "upgrade", parents=[common], help=template("create the tables or bring them to this version"),
        description=template("Create the database (a new local file or an empty PostgreSQL database) or upgrade "
                    "its tables to this version of ReturnDesk, then add missing reference data "
                    "(stock locations, return reasons, categories, the default return policy). Safe "
                    "to run again. Refuses a database upgraded by a newer ReturnDesk."),
    )
    p.set_defaults(handler=_cmd_db_upgrade)
    p = dbsub.add_parser(
        "status", parents=[common], help=template("schema revision and returns per status"),
        description=template("Show which database is used, its schema revision against the newest this program "
                    "knows, and how many returns are in each status. Changes nothing. Exit status 1 "
                    "when the database needs 'returndesk db upgrade'."),
    )
    p.set_defaults(handler=_cmd_db_status)
    p = dbsub.add_parser(
        "init", parents=[common], help=template("shared PostgreSQL: create the schema and the server's login"),
        formatter_class=_Formatter,
        description=template("Set up the shared PostgreSQL database of a ReturnDesk server: create or upgrade the "
                    "tables through the migrations, add reference data, and create (or bring in line) "
                    "the one login the server connects with. That login cannot change the schema, "
                    "cannot change or delete audit events, refunds, credit notes, journal lines or "
                    "stock movements, writes the audit trail only through the database's own append "
                    "function, and runs with lock, statement and idle-in-transaction timeouts. No other "
                    "login may connect; stations sign in at the server. Run it with the login that owns "
                    "the database (with the CREATEROLE right); safe to run again after every upgrade."),
        epilog=template("The password of a new login is asked twice (at least 12 characters) or read from the\n"
               "first line of standard input with --password-stdin; it is sent to PostgreSQL only as a\n"
               "SCRAM-SHA-256 verifier. An existing login keeps its password unless --set-password.\n\n"
               "example:\n  returndesk db init --url postgresql://returndesk_owner@dbhost/returndesk"),
    )
    p.add_argument("--server-login", default="returndesk_server", metavar="NAME",
                   help=template("the server's login (default returndesk_server)"))
    p.add_argument("--set-password", action="store_true",
                   help=template("give an existing server login a new password"))
    p.add_argument("--password-stdin", action="store_true", help=template("read the password from standard input"))
    p.set_defaults(handler=_cmd_db_init, needs_database=False)


def _cmd_db_init(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    from returndesk.services.infra import shared_db

    result = shared_db.init_shared_database(
        args.url, server_login=args.server_login, password=lambda: _read_password(args),
        set_password=args.set_password)
    if result.login_created:
        what = msg("was created")
    elif result.password_set:
        what = msg("has a new password")
    else:
        what = msg("keeps its password")
    _out(msg("Database {database} is at schema revision {revision}. The server's login {login} {what} and has "
             "exactly the server's rights.", database=result.database, revision=result.revision,
             login=result.server_login, what=what))
    _out(msg("Start the server with: returndesk server --url {url}", url=result.server_url))
    _out(msg("(its password from ~/.pgpass of the server's system user, or PGPASSWORD in the service's "
             "environment)"))
    if result.legacy_logins:
        _err(msg("These logins of earlier versions can no longer reach this database and may be dropped: {logins} "
                 "(DROP ROLE name; as the postgres superuser).", logins=", ".join(result.legacy_logins)))
    return 0


# --------------------------------------------------------------------------- users


def _read_password(args: argparse.Namespace, *, stdin: TextIO | None = None) -> str:
    if args.password_stdin:
        source = stdin or sys.stdin
        line = source.readline()
        if not line:
            raise ValidationFailed(msg("--password-stdin was given but standard input is empty."))
        return line.rstrip("\r\n")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Password again: ")
    if first != second:
        raise ValidationFailed(msg("The two passwords differ; nothing was changed. Try again."))
    return first


def _limit_text(minor: int) -> str:
    return format_money(minor) if minor else "-"


def _applied_limit_text(user: UserView) -> str:
    """The limit that applies (a policy limit below the user's own one says so), as the screens show it."""
    if user.applied_limit is None:
        return _limit_text(user.approval_limit_minor)
    return user.applied_limit.describe()


def _cmd_user_add(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    password = _read_password(args)
    view = auth.add_user(ctx, None, username=args.name, display_name=args.display_name or args.name,
                         role=args.role, password=password, approval_limit_minor=args.limit)
    _out(msg("User {username} ({display_name}) added as {role}, approval limit {limit}.", username=view.username,
             display_name=view.display_name, role=view.role, limit=_applied_limit_text(view)))
    return 0


def _cmd_user_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    print_users(auth.list_users(ctx))
    return 0


def print_users(users: list[UserView]) -> None:
    if not users:
        _out(msg("No users yet. Add one with 'returndesk user add NAME --role admin'."))
        return
    rows = [tuple(say(h) for h in (msg("USER"), msg("NAME"), msg("ROLE"), msg("LIMIT"), msg("STATE")))]
    for u in users:
        state = msg("disabled") if not u.active else (msg("locked") if u.locked else msg("active"))
        rows.append((u.username, u.display_name, u.role, say(_applied_limit_text(u)), say(state)))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        _out("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(r)).rstrip())


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cmd_user_unlock(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    view = auth.unlock_user(ctx, None, args.name)
    _out(msg("User {username} is unlocked and can sign in again.", username=view.username))
    return 0


def _cmd_user_set(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    if args.role is None and args.limit is None and args.active is None:
        raise ValidationFailed(msg("Nothing to change: give --role, --limit, --disable or --enable."))
    view = auth.change_user(ctx, None, args.name, role=args.role, active=args.active,
                            approval_limit_minor=args.limit)
    print_user_changed(view)
    return 0


def print_user_changed(view: UserView) -> None:
    state = msg("active") if view.active else msg("disabled")
    _out(msg("User {username} is now {role}, approval limit {limit}, {state}; this counts from the user's next "
             "action.", username=view.username, role=view.role, limit=_limit_text(view.approval_limit_minor),
             state=state))


def _cmd_user_passwd(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    password = _read_password(args)
    auth.set_password(ctx, None, args.name, password)
    _out(msg("The password of {name} was changed.", name=args.name))
    return 0


def _cmd_user_badge(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import auth

    if args.remove:
        auth.set_badge(ctx, None, args.name, None)
        _out(msg("{name} has no badge any more; signing off needs the password.", name=args.name))
        return 0
    if not args.code:
        raise ValidationFailed(msg("Give the badge code (scan the badge into the command line), or --remove."))
    auth.set_badge(ctx, None, args.name, args.code)
    _out(msg("{name} signs off on a clerk's screen with this badge now (only its hash is kept).", name=args.name))
    return 0


def _add_user_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    roles = [r.value for r in Role]
    user = sub.add_parser("user", help=template("add users, reset passwords, unlock accounts"),
                          description=template("Manage who can sign in to ReturnDesk."))
    usub = user.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    pw = argparse.ArgumentParser(add_help=False)
    pw.add_argument("--password-stdin", action="store_true",
                    help=template("read the password from the first line of standard input instead of asking "
                         "twice (for scripts)"))
    p = usub.add_parser(
        "add", parents=[common, pw], help=template("add a user"), formatter_class=_Formatter,
        description=template("Add a user who signs in with NAME. The password is asked twice (at least 8 "
                    "characters) unless --password-stdin is given."),
        epilog=template("roles:\n"
               "  clerk       service counter: finds sales, creates returns, refunds within the limit\n"
               "  inspector   receiving dock: receives parcels, inspects and grades items\n"
               "  supervisor  approves refunds routed to them, overrides the policy with a reason\n"
               "  manager     second approval level for large refunds, verifies the audit trail\n"
               "  finance     refunds, credit notes, journal and exports\n"
               "  admin       everything, including users and the return policy\n\n"
               "example:\n  returndesk user add wang.fang --role clerk --limit 500 "
               "--display-name \"王芳\""),
    )
    p.add_argument("name", metavar="NAME", help=template("user name for signing in (letters, digits, . _ -)"))
    p.add_argument("--role", required=True, choices=roles, metavar="ROLE",
                   help=msg("one of: {roles}", roles=", ".join(roles)))
    p.add_argument("--limit", type=_amount, default=0, metavar="AMOUNT",
                   help=template("approval limit in yuan, e.g. 500 or 2000.00 (default 0: approves nothing alone)"))
    p.add_argument("--display-name", metavar="TEXT", help=template("name shown on screens and receipts"))
    p.set_defaults(handler=_cmd_user_add, remote_handler="user_add")
    p = usub.add_parser("list", parents=[common], help=template("list users with role, limit and state"),
                        description=template("List every user with role, approval limit and whether locked."))
    p.set_defaults(handler=_cmd_user_list, remote_handler="user_list")
    p = usub.add_parser("unlock", parents=[common], help=template("unlock an account after failed sign-ins"),
                        description=template("Unlock an account that was locked after repeated failed sign-ins."))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_cmd_user_unlock, remote_handler="user_unlock")
    p = usub.add_parser("set", parents=[common], help=template("change a user's role or limit, disable or enable"),
                        description=template("Change a user's role or approval limit, or disable or enable the "
                                    "account. It counts from the user's next action, also for a user "
                                    "signed in at a station now."))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=roles, metavar="ROLE", help=msg("one of: {roles}", roles=", ".join(roles)))
    p.add_argument("--limit", type=_amount, metavar="AMOUNT", help=template("approval limit in yuan, e.g. 500"))
    state = p.add_mutually_exclusive_group()
    state.add_argument("--disable", dest="active", action="store_false", default=None,
                       help=template("the user can no longer sign in or act"))
    state.add_argument("--enable", dest="active", action="store_true", help=template("the user can sign in again"))
    p.set_defaults(handler=_cmd_user_set, remote_handler="user_set")
    p = usub.add_parser("passwd", parents=[common, pw], help=template("set a new password for a user"),
                        description=template("Set a new password for a user (asked twice unless --password-stdin)."))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_cmd_user_passwd, remote_handler="user_passwd")
    p = usub.add_parser("badge", parents=[common], help=template("give a supervisor the badge they sign off with"),
                        description=template("Give a user the badge they scan to sign off on a clerk's screen "
                                    "(a return above the clerk's limit, or a policy override). Only the "
                                    "SHA-256 of the code is kept; one badge belongs to one user."))
    p.add_argument("name", metavar="NAME")
    p.add_argument("code", metavar="CODE", nargs="?", help=template("the code printed on the badge (scan it)"))
    p.add_argument("--remove", action="store_true", help=template("take the badge away"))
    p.set_defaults(handler=_cmd_user_badge, remote_handler="user_badge")


# --------------------------------------------------------------------------- sessions at the server


def _cmd_sessions(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import sessions

    if args.sessions_command == "list":
        print_sessions(sessions.list_sessions(ctx, None))
        return 0
    if args.all and not args.name:
        return _sessions_ended(sessions.end_all_sessions(ctx, None), None)
    return _sessions_ended(sessions.revoke_sessions(ctx, None, _session_user(args)), args.name)


def _remote_sessions(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    if args.sessions_command == "list":
        print_sessions(api.admin.list_sessions())
        return 0
    if args.all and not args.name:
        return _sessions_ended(api.admin.end_sessions(None), None)
    return _sessions_ended(api.admin.end_sessions(_session_user(args)), args.name)


def _session_user(args: argparse.Namespace) -> str:
    if args.all and args.name:
        raise ValidationFailed(msg("Give either NAME or --all, not both."))
    if not args.name:
        raise ValidationFailed(msg("Name the user whose sessions end (returndesk sessions end NAME), or give --all."))
    return str(args.name)


def _sessions_ended(count: int, username: str | None) -> int:
    sessions = _count(count, "session")
    if username:
        _out(msg("{sessions} of {username} ended; those stations show the sign-in window at their next request.",
                 sessions=sessions, username=username))
    else:
        _out(msg("{sessions} ended; those stations show the sign-in window at their next request.",
                 sessions=sessions))
    return 0


def print_sessions(views: Sequence[Any]) -> None:
    if not views:
        _out(msg("No one is signed in at the server."))
        return
    rows = [tuple(say(h) for h in (msg("USER"), msg("STATION"), msg("FROM"), msg("SIGNED IN (UTC)"),
                                   msg("LAST SEEN (UTC)"), msg("EXPIRES (UTC)")))]
    for v in views:
        rows.append((v.username, v.station or "-", v.client or "-", *(
            f"{t:%Y-%m-%d %H:%M}" for t in (v.created_at, v.last_seen_at, v.expires_at))))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        _out("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(r)).rstrip())


def _add_sessions_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sessions = sub.add_parser(
        "sessions", help=template("who is signed in at the server; end sessions"),
        description=template("Sessions of people signed in at the ReturnDesk server (one per sign-in at a station). "
                    "An ended session takes its station back to the sign-in window at its next request."))
    ssub = sessions.add_subparsers(dest="sessions_command", metavar="COMMAND", required=True)
    p = ssub.add_parser("list", parents=[common], help=template("open sessions, newest first"),
                        description=template("Open sessions: user, station, address, when signed in, last "
                                             "seen, expiry."))
    p.set_defaults(handler=_cmd_sessions, remote_handler="sessions")
    p = ssub.add_parser("end", parents=[common], help=template("end a user's sessions, or everyone's with --all"),
                        description=template("End every open session of NAME, or with --all of everyone (through "
                                    "--server: everyone but you)."))
    p.add_argument("name", metavar="NAME", nargs="?", help=template("the user whose sessions end"))
    p.add_argument("--all", action="store_true", help=template("end every open session"))
    p.set_defaults(handler=_cmd_sessions, remote_handler="sessions")


# --------------------------------------------------------------------------- demo


class _Progress:
    """Progress on standard error: one updating line on a terminal, a line per stage otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_stage: str | None = None
        self.last_percent = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if self.tty:
            self.stream.write(f"\r{stage}: {done:,}/{total:,} ({percent}%)   ")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
            return
        # Logs get a line at each quarter, not one per batch.
        if stage != self.last_stage or percent // 25 > self.last_percent // 25 or done >= total:
            self.stream.write(f"{stage}: {done:,}/{total:,} ({percent}%)\n")
            self.stream.flush()
        self.last_stage, self.last_percent = stage, percent


def _cmd_demo(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.devtools import demo
    from returndesk.services.infra import bootstrap, maintenance

    bootstrap.open_database(ctx)
    result = demo.generate_demo(
        ctx, orders=args.orders, returns=args.returns, seed=args.seed, days=args.days,
        via_services=args.via_services, progress=_Progress(sys.stderr),
    )
    _out(msg("Demo data written to {database} (seed {seed}):", database=maintenance.describe(ctx), seed=args.seed))
    _out(msg("  {products} products, {customers} customers, {orders:,} orders ({lines:,} lines), {stations} stations",
             products=result.products, customers=result.customers, orders=result.orders,
             lines=result.order_lines, stations=result.stations))
    _out(msg("  {returns:,} returns: {via_services:,} through the use cases, {bulk:,} in bulk ({rate} returns/s)",
             returns=result.returns, via_services=result.returns_via_services, bulk=result.returns_bulk,
             rate=f"{result.bulk_rate:,.0f}"))
    for status, count in result.returns_by_status:
        _out(f"    {status.replace('_', ' '):<18} {count:>10,}")
    _out(msg("  took {seconds} s", seconds=f"{result.seconds:.1f}"))
    if result.returns < args.returns:
        _err(msg("Only {made:,} of the {asked:,} returns were made: too few of the sales can still be returned. Ask "
                 "for more --orders or a longer period (--days).", made=result.returns, asked=args.returns))
    _out("")
    _out(msg("Demo users (user name / password):"))
    for account in result.accounts:
        _out(f"  {account.username:<12} {account.password:<12} {account.role.value:<11} {account.display_name}")
    return 0


def _add_demo_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help=template("fill the database with realistic demo data"),
        formatter_class=_Formatter,
        description=template("Fill the database with realistic demo data: suppliers, a catalogue of about 60 "
                    "products with EAN-13 barcodes and Chinese and English names, customers, sales "
                    "orders over the last DAYS days, demo users of every role, stations, and returns "
                    "in every state of the lifecycle with their inspections, approvals, refunds, "
                    "exchanges, stock movements, credit notes and journal entries. The same --seed "
                    "gives the same data. Run it on an empty database (it adds to an existing one)."),
        epilog=template("Demo users (printed again at the end):\n"
               "  clerk / clerk123, clerk2 / clerk123, inspector / inspect123, supervisor / super123,\n"
               "  supervisor2 / super123, manager / manager123, finance / finance123, admin / admin123\n\n"
               "Large numbers are for load tests: the first returns go through the use cases one by\n"
               "one, the rest are written in bulk batches (a million returns take minutes).\n\n"
               "example:\n  returndesk demo --orders 2000 --returns 500 --seed 7"),
    )
    p.add_argument("--orders", type=_positive, default=500, metavar="N", help=template("sales orders to create "
                                                                                       "(default 500)"))
    p.add_argument("--returns", type=_positive, default=150, metavar="M",
                   help=template("returns to create, spread over every state (default 150; at most about one "
                                 "per order)"))
    p.add_argument("--seed", type=int, default=1, metavar="S", help=template("random seed (default 1)"))
    p.add_argument("--days", type=_at_least_one, default=90, metavar="D",
                   help=template("sales and returns spread over the last D days (default 90)"))
    p.add_argument("--via-services", type=_positive, default=None, metavar="K",
                   help=template("how many returns go through the use cases one by one; the rest are written in "
                        "bulk (default: all up to 300, else 300)"))
    p.set_defaults(handler=_cmd_demo)


# --------------------------------------------------------------------------- import


def _mapping_arg(items: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items or []:
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip():
            raise ValidationFailed(msg(
                "--map {item}: write the file's header, =, and the field, e.g. --map 商品编码=sku "
                "(an empty field leaves the column out).",
                item=item[:60]))
        mapping[header.strip()] = target.strip()
    return mapping


def _import_file(ctx: ServiceContext, args: argparse.Namespace, kind: str) -> Any:
    from returndesk.services.usecases import importing, master_data

    mapping = _mapping_arg(args.map)
    if args.check:
        preview = master_data.preview_import(ctx, None, kind, importing._read_bytes(Path(args.file)),
                                             Path(args.file).name, mapping=mapping or None, profile=args.profile,
                                             fmt=args.format, encoding=args.encoding)
        _show_mapping(preview.mapping)
        if preview.problems:
            raise master_data.ImportRefused(
                msg(
                    "{name} would be refused: {count}.",
                    name=Path(args.file).name, count=_count(len(preview.problems), 'problem')),
                list(preview.problems))
        _out(msg("{name} is fine ({read_as}): {rows:,} rows would create {creates:,}, update {updates:,} and leave "
                 "{unchanged:,} as they are. Nothing was imported (--check).", name=Path(args.file).name,
                 read_as=preview.read_as, rows=preview.rows, creates=preview.creates, updates=preview.updates,
                 unchanged=preview.unchanged))
        return None
    data = importing._read_bytes(Path(args.file))
    master_data.file_kind(Path(args.file).name, args.format)
    result = master_data.import_file(ctx, None, kind, data, Path(args.file).name, mapping=mapping or None,
                                     profile=args.profile, fmt=args.format, encoding=args.encoding)
    if args.save_profile:
        saved = master_data.save_profile(ctx, None, kind, args.save_profile, result.mapping)
        _out(msg("Saved the columns as profile '{name}' for {kind}: use --profile \"{name}\" next time.",
                 name=saved.name, kind=kind))
    return result


def _show_mapping(mapping: dict[str, str]) -> None:
    for header, target in mapping.items():
        if header:
            _out(msg("  {header} -> {target}", header=header, target=target or msg("(not imported)")))


def _cmd_import_orders(ctx: ServiceContext, args: argparse.Namespace) -> int:
    outcome = _import_file(ctx, args, "orders")
    if outcome is None:
        return 0
    result = outcome.orders
    _out(msg("Imported {orders} ({lines}, {units}, {paid} paid) from {name}: {first} .. {last}; {customers}.",
             orders=_count(result.orders, "order"), lines=_count(result.lines, "line"),
             units=_count(result.units, "unit"), paid=format_money(result.total_paid_minor), name=Path(args.file).name,
             first=result.first_order_no, last=result.last_order_no,
             customers=_count(result.customers_created, "new customer")))
    _out(msg("Read as {read_as}.", read_as=result.read_as))
    if result.ignored_columns:
        _out(msg("Columns not used: {columns}.", columns=", ".join(result.ignored_columns)))
    return 0


def _cmd_import_master(ctx: ServiceContext, args: argparse.Namespace) -> int:
    kind = args.import_command
    result = _import_file(ctx, args, kind)
    if result is None:
        return 0
    imported = msg("Imported {rows} of {kind} from {name}: {created:,} new, {updated:,} changed, {unchanged:,} "
                   "unchanged", rows=_count(result.rows, "row"), kind=kind, name=Path(args.file).name,
                   created=result.created, updated=result.updated, unchanged=result.unchanged)
    if result.categories_created:
        _out(msg("{imported}; {categories}.", imported=imported,
                 categories=_count(result.categories_created, "new category")))
    else:
        _out(msg("{imported}.", imported=imported))
    _out(msg("Read as {read_as}.", read_as=result.read_as))
    if result.ignored_columns:
        _out(msg("Columns not used: {columns}.", columns=", ".join(result.ignored_columns)))
    return 0


def _cmd_import_profiles(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import master_data

    if args.delete:
        if not args.kind:
            raise ValidationFailed(msg(
                "Name the kind of the profile to delete, e.g. returndesk import profiles products --delete ERP."))
        master_data.delete_profile(ctx, None, args.kind, args.delete)
        _out(msg("Deleted the import profile '{name}' of {kind}.", name=args.delete, kind=args.kind))
        return 0
    profiles = master_data.list_profiles(ctx, None, args.kind)
    if not profiles:
        _out(msg("No import profile is saved yet; save one with --save-profile NAME when importing."))
    for profile in profiles:
        who = profile.updated_by or msg("the command line")
        _out(msg("{kind} / {name} (saved {day} by {who}):", kind=profile.kind, name=profile.name,
                 day=f"{profile.updated_at:%Y-%m-%d}", who=who))
        _show_mapping(profile.mapping)
    return 0


#: How many of a thing, one and more (the Chinese says both alike).
_COUNTS = {
    "problem": (template("{n:,} problem"), template("{n:,} problems")),
    "order": (template("{n:,} order"), template("{n:,} orders")),
    "line": (template("{n:,} line"), template("{n:,} lines")),
    "unit": (template("{n:,} unit"), template("{n:,} units")),
    "new customer": (template("{n:,} new customer"), template("{n:,} new customers")),
    "row": (template("{n:,} row"), template("{n:,} rows")),
    "new category": (template("{n:,} new category"), template("{n:,} new categories")),
    "refund": (template("{n:,} refund"), template("{n:,} refunds")),
    "cash shift": (template("{n:,} cash shift"), template("{n:,} cash shifts")),
    "session": (template("{n:,} session"), template("{n:,} sessions")),
}


def _count(n: int, noun: str) -> str:
    """``n`` of ``noun`` (a key of :data:`_COUNTS`) as a message: ``3 rows``."""
    one, more = _COUNTS[noun]
    return msg(one if n == 1 else more, n=n)


#: An order as the JSON of an import holds it (an example for the help).
_ORDERS_JSON = (
    '{"orders": [{"order_no": "SO-1042", "channel": "online",\n'
    '         "customer": {"code": "C-9", "name": "李伟", "phone": "13800138000"},\n'
    '         "sold_at": "2026-11-20T14:30:00+08:00", "payment_method": "alipay",\n'
    '         "shipping": "10.00", "lines": [{"line_no": 1, "sku": "EL-1001",\n'
    '         "quantity": 1, "unit_price": "399.00", "discount": "0.00",\n'
    '         "tax": "45.90", "paid": "399.00", "serials": ["SN123"]}]}]}'
)


def _add_import_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from returndesk.services.usecases.importing import (
        COLUMNS,
        FORMATS,
        REQUIRED_COLUMNS,
    )

    imp = sub.add_parser("import", help=template("import orders, products, customers, suppliers or categories"),
                         description=template("Bring data from other systems into ReturnDesk."))
    isub = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    optional = [c for c in COLUMNS if c not in REQUIRED_COLUMNS]
    p = isub.add_parser(
        "orders", parents=[common], help=template("import sales orders (CSV, Excel .xlsx or JSON)"),
        formatter_class=_Formatter,
        description=template("Import sales orders so that the counter can find them for returns. The file is "
                    "checked whole first: if any row is wrong nothing is imported, and every bad row "
                    "is listed with its row number and the reason. Order numbers already in the "
                    "database are refused, so importing the same file twice does nothing."),
        epilog=msg("CSV or Excel (.xlsx, first worksheet): one row per order line with a header row; the\n"
               "order's columns repeat on each of its lines. Row numbers are the file's lines (the\n"
               "sheet's rows), blank lines included: the header is row 1.\n"
               "  CSV text: UTF-8 (with or without byte-order mark) or GB18030 is detected and named;\n"
               "  --encoding sets it (a UTF-8 byte-order mark still wins; mojibake is refused).\n"
               "  required: {required}\n"
               "  optional: {optional}\n"
               "  channel: store | online | phone\n"
               "  payment_method: card | cash | alipay | wechat_pay | bank_transfer | store_credit | cod\n"
               "  amounts: 399.00 (dot, at most 2 decimals); paid must equal unit_price x quantity - discount\n"
               "  dates: 2026-11-20 14:30, 2026/1/5 14:30:05, 2026-1-5, 2026年1月5日, Excel date cells\n"
               "         or serial numbers, 2026-11-20T14:30:00+08:00 (no offset = the site's local time)\n"
               "  serials: separated by ;  (as many as the quantity)\n"
               "  The SKUs must exist in the catalogue.\n\n"
               "JSON: {json}\n\n"
               "example:\n  returndesk import orders shop-2026-11.csv",
               required=", ".join(REQUIRED_COLUMNS), optional=", ".join(optional), json=_ORDERS_JSON),
    )
    _file_arguments(p, FORMATS)
    p.set_defaults(handler=_cmd_import_orders)
    from returndesk.services.usecases.column_mapping import field_names, required_fields

    described = {
        "products": (template("import or update the product catalogue"),
                     template("price, cost: 399.00; tax_rate: 13 or 13%; returnable, serial_tracked: yes/no, 是/否, "
                              "1/0\n"
                              "  barcodes: several separated by ; or ,  category: a code or a name (a new one is "
                              "created)\n"
                              "  supplier: a supplier's code or name (import the suppliers first)\n"
                              "  restocking_fee_class: standard (the policy's fee) or exempt (never charged)")),
        "customers": (template("import or update customers"),
                      template("phone: digits, spaces, + - ( ); stored as digits")),
        "suppliers": (template("import or update suppliers and their return-to-vendor terms"),
                      template("address: where returns to the vendor are sent; rtv_terms: credit_at_cost | "
                               "cost_minus_fee |\n"
                               "  replacement; handling_fee (per unit, for cost_minus_fee), min_claim: 50.00 (no "
                               "claim below)")),
        "categories": (template("import or update categories and their return windows"),
                       template("return_window_days: days, or default (the policy's window); returnable: yes/no")),
    }
    for kind, (summary, notes) in described.items():
        m = isub.add_parser(
            kind, parents=[common], help=summary, formatter_class=_Formatter,
            description=msg("Import {kind} (CSV, Excel .xlsx or JSON), keyed by {key}: new ones are created, "
                            "known ones "
                            "updated with the values given, and identical ones left alone, so importing a file twice "
                            "changes nothing. An empty cell keeps the value. The file is checked whole first: if any "
                            "row is wrong nothing is imported and every bad row is listed with its number.",
                            kind=kind, key=msg("SKU") if kind == "products" else msg("code")),
            epilog=msg("fields: {fields} (required column: {required})\n"
                       "  {notes}\n"
                       "Headers: the field names, or the exporting system's own (商品编码, 商品名称, 条码, 售价 ...):\n"
                       "  each header is matched to a field; --check shows the matching, --map fixes it, and\n"
                       "  --save-profile keeps it for --profile next time.\n"
                       "JSON: {json}\n\n"
                       "example:\n  returndesk import {kind} erp-{kind}.xlsx --profile ERP",
                       fields=", ".join(field_names(kind)), required=", ".join(required_fields(kind)),
                       notes=msg(notes), kind=kind,
                       json=f'{{"{kind}": [{{"{"sku" if kind == "products" else "code"}": ...}}, ...]}}'),
        )
        _file_arguments(m, FORMATS)
        m.set_defaults(handler=_cmd_import_master)
    pr = isub.add_parser("profiles", parents=[common], help=template("list or delete saved column mappings"),
                         description=template("The saved column mappings (profiles) of import files, per kind."))
    pr.add_argument("kind", nargs="?", choices=["products", "customers", "suppliers", "categories", "orders"],
                    metavar="KIND", help=template("products, customers, suppliers, categories or orders "
                                                  "(default: all)"))
    pr.add_argument("--delete", metavar="NAME", help=template("delete the profile NAME of KIND"))
    pr.set_defaults(handler=_cmd_import_profiles)


def _file_arguments(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("file", metavar="FILE", help=template("the .csv, .xlsx or .json file"))
    p.add_argument("--format", choices=list(formats),
                   help=template("file format when the name does not end in .csv, .xlsx or .json"))
    p.add_argument("--encoding", default=None, metavar="NAME",
                   help=template("text encoding of a CSV or JSON file (default: detect UTF-8 or GB18030)"))
    p.add_argument("--profile", metavar="NAME", help=template("read the columns as the saved profile NAME says"))
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help=template("the field of the column HEADER (repeat; FIELD empty: leave the column out)"))
    p.add_argument("--save-profile", metavar="NAME", help=template("after the import, save the columns as "
                                                                   "profile NAME"))
    p.add_argument("--check", action="store_true", help=template("check the file and show the columns; import nothing"))


# --------------------------------------------------------------------------- export


def _cmd_export(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import exporting, master_data

    output = args.output or args.file
    if args.kind == RED_LETTER_KIND:
        from returndesk.services.usecases import finance_desk

        file = finance_desk.red_letter_file(ctx, None, *_period_and_file(args, output, ".xlsx"))
        return _wrote(file, output)
    if args.kind in master_data.MASTER_KINDS:
        if not output or output == "-":
            raise ValidationFailed(msg(
                "Name the file to write, e.g. returndesk export {kind} {kind}.xlsx.",
                kind=args.kind))
        fmt = args.format or _format_from_name(output)
        rows = master_data.export_path(ctx, None, args.kind, output, fmt)
        _err(msg("Exported {rows} of {kind} to {output}.", rows=_count(rows, "row"), kind=args.kind, output=output))
        return 0
    if args.date_from is None or args.date_to is None or not output:
        raise ValidationFailed(msg(
            "Export of {kind} needs --from DATE, --to DATE and the file (-o FILE).",
            kind=args.kind))
    args.output = output
    fmt = args.format or _format_from_name(args.output)
    zone = args.timezone
    if zone is None:  # the shop's own days and times: the installation's time zone
        from zoneinfo import ZoneInfo

        from returndesk.services.usecases import sites

        zone = ZoneInfo(sites.station_time(ctx).time_zone)
    result = exporting.export(ctx, None, args.kind, start=args.date_from, end=args.date_to, fmt=fmt,
                              path=args.output, tz=zone)
    totals = ", ".join(f"{name} {format_money(v)}" for name, v in result.totals.items())
    where = msg("standard output") if args.output == "-" else args.output
    exported = msg("Exported {rows} of {kind} ({start} .. {end}) to {where}", rows=_count(result.rows, "row"),
                   kind=args.kind, start=result.start, end=result.end, where=where)
    _err(msg("{exported}; {totals}.", exported=exported, totals=totals) if totals
         else msg("{exported}.", exported=exported))
    return 0


#: The red-letter invoice data (红字发票) for the shop's e-invoicing platform.
RED_LETTER_KIND = "red-letter"


def _period_and_file(args: argparse.Namespace, output: str | None, suffix: str) -> tuple[date, date]:
    if args.date_from is None or args.date_to is None or not output or output == "-":
        raise ValidationFailed(msg(
            "Export of {kind} needs --from DATE, --to DATE and the file to write (-o FILE{suffix}).",
            kind=args.kind, suffix=suffix))
    if args.format not in (None, suffix.lstrip(".")) or Path(output).suffix.lower() != suffix:
        raise ValidationFailed(msg(
            "{kind} data is made as an Excel file only: name it *{suffix}.",
            kind=args.kind.capitalize(), suffix=suffix))
    if args.timezone is not None:
        raise ValidationFailed(msg("Export of {kind} takes the days of the site (no --timezone).", kind=args.kind))
    return args.date_from, args.date_to


def _wrote(file: ExportFile, output: str) -> int:
    from returndesk.services.usecases import exporting

    exporting.write_file(output, file.data)
    totals = ", ".join(f"{name} {format_money(v)}" for name, v in file.totals)
    exported = msg("Exported {rows} to {output}", rows=_count(file.rows, "row"), output=output)
    _err(msg("{exported}; {totals}.", exported=exported, totals=totals) if totals
         else msg("{exported}.", exported=exported))
    for warning in file.warnings:
        _err(msg("Note: {warning}", warning=warning))
    return 0


def _remote_export(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    """The finance files through the server (the days of the signed-in user's site)."""
    output = args.output or args.file
    if args.kind in ("products", "customers", "suppliers", "categories"):
        raise ValidationFailed(msg(
            "Export of {kind} works on the database itself: run it with --url on the database host, or use the "
            "master-data screen.",
            kind=args.kind))
    if args.kind == RED_LETTER_KIND:
        date_from, date_to = _period_and_file(args, output, ".xlsx")
        return _wrote(api.finance.export_file("red_letter", date_from, date_to, "xlsx"), str(output))
    if args.date_from is None or args.date_to is None or not output or output == "-":
        raise ValidationFailed(msg(
            "Export of {kind} needs --from DATE, --to DATE and the file to write (-o FILE).",
            kind=args.kind))
    if args.timezone is not None:
        raise ValidationFailed(msg("Through the server the days are those of your site (no --timezone)."))
    fmt = args.format or _format_from_name(output)
    return _wrote(api.finance.export_file(args.kind, args.date_from, args.date_to, fmt), output)


def _format_from_name(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("csv", "xlsx", "json"):
        return suffix
    raise ValidationFailed(msg("Cannot tell the format from '{path}'; add --format csv, xlsx or json.", path=path))


def _add_export_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common], help=template("export returns, refunds or journal lines, or the master data"),
        formatter_class=_Formatter,
        description=template("Export returns (created in the period), refunds (issued in the period) or journal "
                    "lines (of entries posted in the period) to CSV, Excel or JSON for accounting and "
                    "analysis. Both dates are included. Amounts are decimal text (123.45) in CSV and "
                    "JSON and numbers in Excel. The file appears only once it is complete."),
        epilog=template("examples:\n"
               "  returndesk export refunds --from 2026-11-01 --to 2026-11-30 --format xlsx -o refunds-nov.xlsx\n"
               "  returndesk export journal --from 2026-11-01 --to 2026-11-30 --format csv -o journal.csv\n"
               "  returndesk export returns --from 2026-01-01 --to 2026-12-31 -o returns-2026.json\n"
               "  returndesk export red-letter --from 2026-11-01 --to 2026-11-30 -o red-letter-nov.xlsx\n"
               "  returndesk export products products.xlsx   (importing it again changes nothing)\n"
               "  returndesk --server https://returns.example.lan:8443 --user fang export refunds \\\n"
               "      --from 2026-11-01 --to 2026-11-30 -o refunds-nov.xlsx"),
    )
    p.add_argument("kind",
                   choices=["returns", "refunds", "journal", RED_LETTER_KIND, "products", "customers", "suppliers",
                            "categories"],
                   metavar="WHAT", help=template("returns, refunds or journal (for a period); red-letter: the "
                                                 "credit notes "
                                        "of the period as the e-invoicing platform imports them (红字发票, xlsx); "
                                        "products, customers, suppliers or categories (all of them, as the import "
                                        "reads them)"))
    p.add_argument("file", nargs="?", metavar="FILE", help=template("file to write (or -o FILE)"))
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE",
                   help=template("first day, e.g. 2026-11-01"))
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE",
                   help=template("last day (included), e.g. 2026-11-30"))
    p.add_argument("--format", choices=["csv", "xlsx", "json"],
                   help=template("csv, xlsx or json (default: from the file name)"))
    p.add_argument("-o", "--output", metavar="FILE", help=template("file to write (- for the screen, csv and json)"))
    p.add_argument("--timezone", type=_timezone, default=None, metavar="ZONE",
                   help=template("time zone of the days and of the times in the file: the installation's zone "
                        "(default), UTC, local, or a name such as Asia/Shanghai"))
    p.set_defaults(handler=_cmd_export, remote_handler="export")


# --------------------------------------------------------------------------- analytics reports


def _cmd_report(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.infra.maintenance import attach_read_replica
    from returndesk.services.usecases import analytics

    attach_read_replica(ctx, args.read_url)  # released with the context by main()
    if args.what == "supplier":
        return _supplier_report(ctx, args)
    f = analytics.ReportFilter(args.date_from, args.date_to, site=args.site, station=args.station)
    if args.what == "monthly":
        if args.out == "-" or not args.out.lower().endswith(".pdf"):
            raise ValidationFailed(msg("The monthly report is a PDF: give a file name ending in .pdf with --out."))
        pdf = analytics.monthly_report(ctx, None, f, args.lang)
        target = Path(args.out)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(pdf)
        partial.replace(target)
        _err(msg("Wrote the A4 report of {start} .. {end} to {out}.", start=args.date_from, end=args.date_to,
                 out=args.out))
        return 0
    fmt = args.format or (_format_from_name(args.out) if args.out != "-" else "csv")
    columns, rows = analytics.report_table(ctx, None, args.what, f, dimension=args.by)
    analytics.write_report(columns, rows, fmt, args.out, title=args.what)
    where = msg("standard output") if args.out == "-" else args.out
    _err(msg("Wrote the {what} report ({rows}, {start} .. {end}) to {where}.", what=args.what,
             rows=_count(len(rows), "row"), start=args.date_from, end=args.date_to, where=where))
    return 0


def _supplier_report(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """The report to send a supplier: PDF or Excel (as sent), or the table as csv or json."""
    from returndesk.services.usecases import analytics, supplier_report

    fmt = args.format or ("pdf" if args.out.lower().endswith(".pdf") else
                          _format_from_name(args.out) if args.out != "-" else "csv")
    if fmt == "pdf" or (fmt == "xlsx" and args.out != "-"):
        if args.out == "-":
            raise ValidationFailed(msg("The supplier report as a PDF needs a file name: give it with --out."))
        files = supplier_report.supplier_report_files(ctx, None, args.date_from, args.date_to,
                                                      supplier_code=args.supplier, lang=args.lang)
        target = Path(args.out)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(files.pdf if fmt == "pdf" else files.xlsx)
        partial.replace(target)
    else:
        report = supplier_report.supplier_report(ctx, None, args.date_from, args.date_to, supplier_code=args.supplier)
        analytics.write_report(supplier_report.COLUMNS, supplier_report.report_rows(report, args.lang), fmt,
                               args.out, title="supplier")
    where = msg("standard output") if args.out == "-" else args.out
    _err(msg("Wrote the supplier report of {start} .. {end} to {where}.", start=args.date_from, end=args.date_to,
             where=where))
    return 0


def _add_report_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common], help=template("analytics: reasons, return rates, cycle times, money, risk"),
        formatter_class=_Formatter,
        description=template("The figures of the analytics dashboard for a period (calendar days of the site, both "
                    "included): reasons (Pareto), rates (returned of sold, worst first), cycle-times (per "
                    "stage, with the open returns' ageing), money (refunds, deductions, where the goods "
                    "went) and risk (customers to review). Amounts are minor units, times seconds."),
        epilog=template("examples:\n"
               "  returndesk report reasons --from 2026-11-01 --to 2026-11-30 --site SH01 --format xlsx --out r.xlsx\n"
               "  returndesk report rates --by category --from 2026-11-01 --to 2026-11-30 --format json\n"
               "  returndesk report cycle-times --from 2026-11-01 --to 2026-11-30\n"
               "  returndesk report monthly --from 2026-11-01 --to 2026-11-30 --lang zh_CN --out 2026-11.pdf\n"
               "  returndesk report supplier --supplier SUP-HQE --from 2026-09-01 --to 2026-11-30 --lang zh_CN "
               "--out hqe.pdf"),
    )
    p.add_argument("what", choices=["reasons", "rates", "cycle-times", "money", "risk", "monthly", "supplier"],
                   metavar="REPORT",
                   help=template("reasons, rates, cycle-times, money, risk, monthly (the printable A4 PDF with "
                                 "the charts), "
                        "or supplier (per supplier: return rates, reasons, vendor fault, claims; PDF or xlsx to send)"))
    p.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="DATE",
                   help=template("first day, e.g. 2026-11-01"))
    p.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="DATE",
                   help=template("last day (included), e.g. 2026-11-30"))
    p.add_argument("--site", default=None, metavar="CODE", help=template("one site (its days and its returns)"))
    p.add_argument("--station", default=None, metavar="CODE", help=template("one station"))
    p.add_argument("--by", default="product", choices=["product", "category", "supplier", "channel"],
                   help=template("rates only: the dimension"))
    p.add_argument("--supplier", default=None, metavar="CODE", help=template("supplier only: one supplier "
                                                                             "(default: all)"))
    p.add_argument("--format", choices=["csv", "xlsx", "json", "pdf"],
                   help=template("csv, xlsx or json, pdf for the supplier report (default: from --out)"))
    p.add_argument("--out", default="-", metavar="FILE", help=template("file to write (default: the screen, "
                                                                       "csv or json)"))
    p.add_argument("--lang", default="en", choices=["en", "zh_CN"],
                   help=template("monthly and supplier: language of the PDF and the workbook"))
    p.add_argument("--read-url", default=None, metavar="URL",
                   help=template("a PostgreSQL read replica of the database to read the figures on"))
    p.set_defaults(handler=_cmd_report)


# --------------------------------------------------------------------------- audit and books


def _cmd_audit_verify(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.tx import audit

    result = audit.verify_chain(ctx)
    if result.ok:
        _out(result.message)
        return 0
    _err(msg("TAMPERED: {message} The first broken link is event {seq}; the {events:,} events before it are "
             "intact.", message=result.message, seq=result.first_broken_seq, events=result.events))
    return 1


def _cmd_check(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import finance

    problems = finance.check_books(ctx)
    if not problems:
        _out(msg("The books are sound: every journal entry balances, no order line is refunded above what was paid "
                 "or returned above what was bought, no stock is negative, every refund has its credit note, and "
                 "refunds, refund lines, credit notes, journal credits, return totals, exchanges and order-line "
                 "running totals agree."))
        return 0
    _err(msg("{problems} in the books:", problems=_count(len(problems), "problem")))
    for problem in problems:
        _err(msg("  [{kind}] {message}", kind=problem.kind, message=problem.message))
    return 1


def _add_audit_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    a = sub.add_parser("audit", help=template("verify the audit trail"), description=template("Work with the "
                                                                                              "audit trail."))
    asub = a.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)
    p = asub.add_parser(
        "verify", parents=[common], help=template("prove that no audit event was changed or removed"),
        description=template("Walk the whole audit trail and check that every event still carries the hash of "
                    "its content and of the event before it. Exit status 0 when intact; 1 naming the "
                    "first broken link when an event was changed or removed."),
    )
    p.set_defaults(handler=_cmd_audit_verify)
    p = sub.add_parser(
        "check", parents=[common], help=template("check that money and stock add up"),
        description=template("Check the books over the whole database: every journal entry balances, refunds "
                    "never exceed what was paid, returns never exceed what was bought, no stock "
                    "location is negative, every refund has its credit note, and every amount written "
                    "twice agrees with its other half (refunds, refund lines, credit notes, journal "
                    "credits, return totals, exchanges, order-line running totals). Exit status 1 and "
                    "a list of problems when something does not add up."),
    )
    p.set_defaults(handler=_cmd_check)


# --------------------------------------------------------------------------- the parser and main


# --------------------------------------------------------------------------- screenshots


def _cmd_screenshots(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    # The pictures need Qt, and the command line never imports the user interface (they are
    # independent layers): the renderer runs as a program of its own.
    import subprocess

    command = [sys.executable, "-m", "returndesk.ui.screenshots", "--out", str(args.out), "--lang", args.lang]
    return subprocess.call(command)


def _add_screenshots_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "screenshots", help=template("render every screen with demo data to PNG files"), formatter_class=_Formatter,
        description=template("Render the first-start and sign-in dialogs and every screen of the desktop client, "
                    "with demo data in a temporary database, to PNG files (no display needed)."),
        epilog=template("example:\n  returndesk screenshots --out build/screenshots --lang zh_CN"),
    )
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help=template("folder for the PNG files"))
    p.add_argument("--lang", default="en", choices=("en", "zh_CN"), help=template("language of the pictures "
                                                                                  "(default en)"))
    p.set_defaults(handler=_cmd_screenshots, needs_database=False)


# --------------------------------------------------------------------------- print

_PRINT_DOCUMENTS = {
    "label": "return_label",
    "receipt": "counter_receipt",
    "tag": "item_tag",
    "credit-note": "credit_note",
    "command-sheet": "command_sheet",
}


def _numbered_file(path: Path, number: int) -> Path:
    return path.with_name(f"{path.stem}-unit{number:02d}{path.suffix}")


def _cmd_label_file(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    """``print label RMA --out FILE``: through the database driver alone when it can (a process
    without SQLAlchemy, see :mod:`returndesk.services.usecases.label_file`), else as every print."""
    if args.out is not None and args.printer is None:
        from returndesk.services.infra.station_settings import command_line_station
        from returndesk.services.usecases.label_file import print_label_file

        said = print_label_file(args.url, args.reference, args.out, station=command_line_station(),
                                printing_station=args.station, lang=args.lang, size=args.size)
        if said is not None:
            _out(said)
            return 0
    from returndesk.services.infra import maintenance

    ctx = maintenance.connect(args.url, station=maintenance.command_line_station())
    try:
        return _cmd_print(ctx, args)
    finally:
        maintenance.close(ctx)


def _cmd_print(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import documents

    doc_type = _PRINT_DOCUMENTS[args.what]
    options = {"printer": args.printer, "station": args.station, "lang": args.lang,
                   "size": getattr(args, "size", None), "width_mm": getattr(args, "width", None)}
    if args.what == "tag":
        tags = documents.find_item_tags(ctx, None, args.reference)
        if args.unit is not None:
            chosen = [t for t in tags if t.number == args.unit]
            if not chosen:
                documents.unit_id_of(ctx, None, args.reference, args.unit)  # says why, in words
        else:
            # Units going back to the customer leave in the customer's parcel: no tag.
            chosen = [t for t in tags if t.disposition and t.disposition != "return_to_customer"]
            if not chosen:
                raise ValidationFailed(msg(
                    "Return {reference} has no inspected unit that gets an item tag.",
                    reference=args.reference))
        for tag in chosen:
            out = args.out
            if out is not None and len(chosen) > 1:
                out = _numbered_file(out, tag.number)
            _out(documents.print_document(ctx, None, doc_type, tag.reference, out=out, **options).message)
        return 0
    if args.what == "command-sheet" and args.out is None and args.printer is None:
        raise ValidationFailed(msg("Give --out FILE.pdf (or --printer NAME) for the command sheet."))
    reference = getattr(args, "reference", None)
    _out(documents.print_document(ctx, None, doc_type, reference, out=args.out, **options).message)
    return 0


def _add_print_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    prt = sub.add_parser(
        "print", help=template("print return labels, receipts, item tags, credit notes, the command sheet"),
        formatter_class=_Formatter,
        description=template("Print a document of a return to a CUPS printer or save it as a PDF file. Without "
                    "--printer or --out the document goes to the printer the station (--station, else "
                    "this computer's command-line station) has for it. Every print is counted in the "
                    "print log; a copy after the first is marked REPRINT n on the paper."),
        epilog=template("examples:\n"
               "  returndesk print label R0000012340 --printer Zebra-Dock1\n"
               "  returndesk print receipt R0000012340 --out receipt.pdf --lang zh_CN --width 58\n"
               "  returndesk print tag R0000012340 --unit 2 --printer zpl-tcp:10.1.2.40:9100\n"
               "  returndesk print credit-note CN-2026-000871 --out CN-2026-000871.pdf\n"
               "  returndesk print command-sheet --out commands.pdf --lang zh_CN"),
    )
    psub = prt.add_subparsers(dest="what", metavar="DOCUMENT", required=True)
    where = argparse.ArgumentParser(add_help=False)
    target = where.add_mutually_exclusive_group()
    target.add_argument("--printer", metavar="NAME",
                        help=template("CUPS printer name, or a destination such as zpl-tcp:HOST:9100 or pdf:/folder"))
    target.add_argument("--out", type=Path, metavar="FILE.pdf", help=template("save the PDF as this file instead"))
    where.add_argument("--lang", default="en", choices=("en", "zh_CN"), help=template("language of the "
                                                                                      "document (default en)"))
    where.add_argument("--station", metavar="CODE", help=template("use the printers of this station"))
    specs = (
        ("label", template("the return label (4x6 in or 100x150 mm)"), "RMA"),
        ("receipt", template("the counter receipt (80 or 58 mm roll)"), "RMA"),
        ("tag", template("item tags of inspected units (62x29 mm)"), "RMA"),
        ("credit-note", template("the credit note (A4)"), "RMA_OR_NUMBER"),
    )
    for name, help_text, metavar in specs:
        p = psub.add_parser(name, parents=[common, where], help=help_text,
                            description=msg("Print {document}.", document=msg(help_text)))
        p.add_argument("reference", metavar=metavar)
        if name == "label":
            p.add_argument("--size", choices=("4x6", "100x150"), help=template("label size (default: the "
                                                                               "station's, else 4x6)"))
            p.set_defaults(handler=_cmd_label_file, needs_database=False)
            continue
        if name == "receipt":
            p.add_argument(
                "--width", type=int, choices=(80, 58), help=template("roll width in mm (default: the "
                                                                     "station's, else 80)")
            )
        if name == "tag":
            p.add_argument("--unit", type=_at_least_one, metavar="N",
                           help=template("only unit N of the return (as numbered on the tags); default: every "
                                         "unit that stays"))
        p.set_defaults(handler=_cmd_print)
    p = psub.add_parser("command-sheet", parents=[common, where], help=template("the inspection command sheet (A4)"),
                        description=template("Print the sheet of grade, disposition and action barcodes that the "
                                    "inspection station understands (laminate it and keep it at the station)."))
    p.set_defaults(handler=_cmd_print)


# --------------------------------------------------------------------------- station settings


def _show_station_printing(printing: StationPrinting) -> None:
    _out(msg("Printers of all stations:") if printing.station == "*"
         else msg("Printers of station {station}:", station=printing.station))
    for doc_type, words in _PRINT_DOCUMENTS.items():
        destination = printing.routing.get(DocumentType(words))
        inherited = destination is not None and words not in printing.own_routing and printing.station != "*"
        line = f"  {doc_type:<14} {destination or '-'}"
        _out(msg("{line}  (set for all stations)", line=line) if inherited else line)
    _out(msg("  preview before printing: {preview}; label size {label_size}; receipt roll {receipt_width} mm; "
             "Zebra {dpi} dpi", preview=msg("on") if printing.preview else msg("off"),
             label_size=printing.label_size, receipt_width=printing.receipt_width, dpi=printing.zpl_dpi))


def printer_changes(args: argparse.Namespace) -> dict[str, Any] | None:
    """The changes ``station printers`` asks for (``routing`` by document type), None for none."""
    routing: dict[str, str | None] = {}
    for item in args.set or []:
        name, sep, destination = item.partition("=")
        if not sep or name.strip() not in _PRINT_DOCUMENTS:
            raise ValidationFailed(
                msg(
                    "'{item}' is not DOCUMENT=DESTINATION with DOCUMENT one of {print_documents} (e.g. "
                    "label=cups:Zebra-Dock1).",
                    item=item, print_documents=', '.join(_PRINT_DOCUMENTS)))
        routing[_PRINT_DOCUMENTS[name.strip()]] = destination.strip()
    for name in args.clear or []:
        routing[_PRINT_DOCUMENTS[name]] = None
    changes: dict[str, Any] = dict(
        routing=routing, preview=None if args.preview is None else args.preview == "on",
        label_size=args.label_size, receipt_width=args.receipt_width, zpl_dpi=args.zpl_dpi)
    if routing or any(value is not None for key, value in changes.items() if key != "routing"):
        return changes
    return None


def _cmd_station_printers(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.infra import printer_routing

    changes = printer_changes(args)
    if changes is not None:
        printing = printer_routing.save_station_printing(ctx, None, args.station, **changes)
    else:
        printing = printer_routing.get_station_printing(ctx, args.station)
    _show_station_printing(printing)
    return 0


def _cmd_station_company(ctx: ServiceContext, args: argparse.Namespace) -> int:
    import json

    from returndesk.services.usecases import company_profile

    values: dict[str, Any] = {}
    if args.file is not None:
        try:
            loaded = json.loads(Path(args.file).read_text("utf-8"))
        except OSError as exc:
            raise ValidationFailed(
                msg("Cannot read {file}: {reason}.", file=args.file, reason=exc.strerror or exc)) from None
        except ValueError as exc:
            raise ValidationFailed(msg("{file} is not valid JSON: {exc}.", file=args.file, exc=exc)) from None
        if not isinstance(loaded, dict):
            raise ValidationFailed(msg("{file} must hold one JSON object of profile fields.", file=args.file))
        values.update({k: v for k, v in loaded.items() if not k.startswith("_")})
    for name in args.clear or []:
        values[name] = None
    if values:
        company_profile.set_company_profile(ctx, None, args.station, values)
    stored = company_profile.get_company_overrides(ctx, args.station)
    if args.station == "*":
        _out(msg("Company profile stored for all stations (fields not listed come from the shipped default):"))
    else:
        _out(msg("Company profile stored for station {station} (fields not listed come from all stations, then the "
                 "shipped default):", station=args.station))
    _out(json.dumps(stored, ensure_ascii=False, indent=2, sort_keys=True) if stored else msg("  (nothing)"))
    for lang in ("en", "zh_CN"):
        profile = company_profile.get_company_profile(ctx, None if args.station == "*" else args.station, lang)
        _out(msg("As printed ({lang}): {company} | store {store} | return to {return_to}", lang=lang,
                 company=profile.company_name, store=profile.store_name, return_to=" / ".join(profile.return_to)))
    return 0


def _add_station_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from returndesk.services.usecases.company_profile import FIELDS

    st = sub.add_parser("station", help=template("printers and company profile of a station (or of all: '*')"),
                        description=template("Settings the database keeps per station. CODE is the station's name "
                                    "(as in its status bar) or '*' for what every station uses unless it "
                                    "sets its own."))
    ssub = st.add_subparsers(dest="station_command", metavar="COMMAND", required=True)
    p = ssub.add_parser(
        "printers", parents=[common], help=template("show or set where each document is printed"),
        formatter_class=_Formatter,
        description=template("Show the station's printer per document, or change it. Destinations: cups:QUEUE, "
                    "qt:PRINTER (printed by the desktop application), pdf:/FOLDER, zpl:RAW_QUEUE, "
                    "zpl-tcp:HOST[:PORT] (labels and tags only)."),
        epilog=template("examples:\n"
               "  returndesk station printers COUNTER-SH01\n"
               "  returndesk station printers '*' --set credit-note=cups:Office-Laser\n"
               "  returndesk station printers DOCK-WH1-1 --set tag=zpl-tcp:10.1.2.40 --zpl-dpi 203"),
    )
    p.add_argument("station", metavar="CODE")
    p.add_argument("--set", action="append", metavar="DOCUMENT=DESTINATION",
                   help=msg("DOCUMENT is one of {documents} (repeatable)", documents=", ".join(_PRINT_DOCUMENTS)))
    p.add_argument("--clear", action="append", choices=tuple(_PRINT_DOCUMENTS), metavar="DOCUMENT",
                   help=template("remove the station's own choice for DOCUMENT (repeatable)"))
    p.add_argument("--preview", choices=("on", "off"), help=template("show a preview before printing"))
    p.add_argument("--label-size", choices=("4x6", "100x150"))
    p.add_argument("--receipt-width", type=int, choices=(80, 58))
    p.add_argument("--zpl-dpi", type=int, choices=(203, 300))
    p.set_defaults(handler=_cmd_station_printers, remote_handler="station_printers")
    p = ssub.add_parser(
        "company", parents=[common], help=template("show or override the company profile printed on documents"),
        formatter_class=_Formatter,
        description=template("Show the company profile a station prints (store, warehouse return-to address, "
                    "company and tax id), or override fields of it from a JSON file shaped like the "
                    "shipped db/seed/company.json."),
        epilog=msg("example:\n  returndesk station company '*' --file our-company.json\n"
                   "  returndesk station company COUNTER-BJ02 --file beijing-store.json\n"
                   "fields: {fields}", fields=", ".join(FIELDS)),
    )
    p.add_argument("station", metavar="CODE")
    p.add_argument("--file", type=Path, metavar="FILE.json", help=template("fields to override"))
    p.add_argument("--clear", action="append", choices=tuple(FIELDS), metavar="FIELD",
                   help=template("remove the override of FIELD (repeatable)"))
    p.set_defaults(handler=_cmd_station_company)


# --------------------------------------------------------------------------- sites


def _cmd_site_set(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import sites

    view = sites.save_site(ctx, None, args.code, time_zone=args.time_zone, name=args.name, kind=args.kind)
    _out(msg("Site {code} ({name}, {kind}) keeps the time of {time_zone}.", code=view.code, name=view.name,
             kind=view.kind, time_zone=view.time_zone))
    return 0


def _cmd_site_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import sites

    rows = [tuple(say(h) for h in (msg("SITE"), msg("NAME"), msg("KIND"), msg("TIME ZONE")))]
    rows += [(v.code, v.name, v.kind, v.time_zone) for v in sites.list_sites(ctx)]
    if len(rows) == 1:
        _out(msg("No sites yet: every sale counts the days of {zone} (this computer's zone).",
                 zone=sites.system_zone_name()))
        return 0
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        _out("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(r)).rstrip())
    return 0


def _add_site_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    site = sub.add_parser("site", help=template("shops and warehouses and their time zones"),
                          description=template("Sites (shops, warehouses) and their time zones: a sale's return window "
                                      "counts the calendar days of the site that sold it."))
    ssub = site.add_subparsers(dest="site_command", metavar="COMMAND", required=True)
    p = ssub.add_parser("set", parents=[common], help=template("create a site or change its time zone"),
                        formatter_class=_Formatter,
                        description=template("Create a site or change it. CODE '*' is the installation's own zone, "
                                    "used for sales that name no known site."),
                        epilog=template("example:\n  returndesk site set SH01 --time-zone Asia/Shanghai --name "
                                        "\"上海南京路店\""))
    p.add_argument("code", metavar="CODE", help=template("the site code sales and stations carry, e.g. SH01"))
    p.add_argument("--time-zone", required=True, metavar="ZONE", help=template("IANA zone, e.g. Asia/Shanghai"))
    p.add_argument("--name", metavar="TEXT", help=template("the site's name"))
    p.add_argument("--kind", choices=("store", "warehouse"), help=template("store or warehouse"))
    p.set_defaults(handler=_cmd_site_set)
    p = ssub.add_parser("list", parents=[common], help=template("list sites with their time zones"),
                        description=template("List every site with its kind and time zone."))
    p.set_defaults(handler=_cmd_site_list)


def _cmd_housekeeping(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from returndesk.services.usecases import housekeeping

    print_housekeeping(housekeeping.run_housekeeping(ctx, None))
    return 0


def print_housekeeping(report: HousekeepingReport) -> None:
    _out(report.summary())
    if report.expired:
        _out("Expired: " + ", ".join(report.expired))
    if report.closed:
        _out("Closed: " + ", ".join(report.closed))


def _add_housekeeping_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "housekeeping", parents=[common], help=template("expire overdue returns and close settled ones"),
        description=template("Expire authorized remote returns whose parcel did not arrive by their receive-by day "
                    "(the selling site's calendar) and close refunded or exchanged returns once the policy's "
                    "close_after_days have passed. The desktop (local database) and the server do this "
                    "every hour by themselves."),
    )
    p.set_defaults(handler=_cmd_housekeeping, remote_handler="housekeeping")


RemoteHandler = Callable[["ReturnDeskApi", argparse.Namespace], int]


# --------------------------------------------------------------------------- counter cash shifts


def _cmd_shift(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """On the database itself: the user named by --user signs in (password asked) at --station."""
    from zoneinfo import ZoneInfo

    from returndesk.api.local import LocalCash, LocalFinance
    from returndesk.services.usecases import auth, sites

    username = (args.user or getpass.getuser()).strip()
    password = getpass.getpass(f"Password of {username}: ")
    actor = auth.sign_in(ctx, username, password, station=args.station)
    zone = ZoneInfo(sites.station_time(ctx, args.station).time_zone)
    return _run_shift(LocalCash(ctx, actor), LocalFinance(ctx, actor), args, zone)


def _remote_shift(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from returndesk.api.remote import station_time_of

    connection = getattr(api, "connection")  # noqa: B009 (the remote API's, not a protocol member)
    return _run_shift(api.cash, api.finance, args, ZoneInfo(station_time_of(connection).time_zone))


def _when(moment: datetime | None, zone: tzinfo) -> str:
    """A stored time as the site's clock shows it: 2026-11-30 14:05."""
    from returndesk.domain.localtime import local_datetime

    return f"{local_datetime(moment, zone):%Y-%m-%d %H:%M}" if moment is not None else "-"


def _difference_text(minor: int, currency: str) -> str:
    if minor == 0:
        return msg("none")
    if minor > 0:
        return msg("{amount} over", amount=format_money(minor, currency))
    return msg("{amount} short", amount=format_money(-minor, currency))


def _print_shift(view: CashShiftView, zone: tzinfo) -> None:
    money = lambda minor: format_money(minor, view.currency)  # noqa: E731
    if view.site:
        _out(msg("Cash shift {shift_no} at {station} ({site}): {status}", shift_no=view.shift_no,
                 station=view.station, site=view.site, status=view.status))
    else:
        _out(msg("Cash shift {shift_no} at {station}: {status}", shift_no=view.shift_no, station=view.station,
                 status=view.status))
    _out(msg("  opened        {when} by {who}", when=_when(view.opened_at, zone), who=view.opened_by))
    _out(msg("  float         {amount}", amount=money(view.float_minor)))
    _out(msg("  cash paid out {amount} in {refunds}", amount=money(view.paid_out_minor),
             refunds=_count(view.payments, "refund")))
    _out(msg("  expected      {amount}", amount=money(view.expected_minor)))
    if not view.is_open:
        _out(msg("  closed        {when} by {who}", when=_when(view.closed_at, zone), who=view.closed_by or "-"))
        _out(msg("  counted       {amount}", amount=money(view.counted_minor or 0)))
        difference = _difference_text(view.difference_minor or 0, view.currency)
        _out(msg("  difference    {difference} (journal entry {entry_no})", difference=difference,
                 entry_no=view.entry_no) if view.entry_no
             else msg("  difference    {difference}", difference=difference))
        if view.note:
            _out(msg("  note          {note}", note=view.note))


def _run_shift(cash_api: CashApi, finance_api: FinanceApi, args: argparse.Namespace, zone: tzinfo) -> int:
    command = args.shift_command
    if command == "open":
        view = cash_api.open_shift(args.float_minor)
        _out(msg("Cash shift {shift_no} opened at {station} with a float of {amount}.", shift_no=view.shift_no,
                 station=view.station, amount=format_money(view.float_minor, view.currency)))
    elif command == "status":
        current = cash_api.current_shift()
        if current is None:
            _out(msg("Station {station} has no open cash shift.", station=args.station))
        else:
            _print_shift(current, zone)
    elif command == "close":
        view = cash_api.close_shift(args.counted_minor, note=args.note)
        closed = msg("Cash shift {shift_no} closed: expected {expected}, counted {counted}, difference {difference}",
                     shift_no=view.shift_no, expected=format_money(view.expected_minor, view.currency),
                     counted=format_money(view.counted_minor or 0, view.currency),
                     difference=_difference_text(view.difference_minor or 0, view.currency))
        _out(msg("{closed}, posted as journal entry {entry_no}.", closed=closed, entry_no=view.entry_no)
             if view.entry_no else msg("{closed}.", closed=closed))
    elif command == "report":
        if args.output:
            from returndesk.services.usecases import exporting

            exporting.write_file(args.output, cash_api.shift_report_pdf(args.shift_no, lang=args.lang))
            _err(msg("Wrote the report of cash shift {shift_no} to {output}.", shift_no=args.shift_no.upper(),
                     output=args.output))
            return 0
        from zoneinfo import ZoneInfo

        report = cash_api.shift_report(args.shift_no)
        zone = ZoneInfo(report.time_zone)
        _print_shift(report.shift, zone)
        for payment in report.payments:
            _out(f"  {_when(payment.paid_at, zone)}  {payment.refund_no}  {payment.rma_no}  "
                 f"{format_money(payment.amount_minor, report.shift.currency):>12}  {payment.paid_by}")
    else:  # list
        after: str | None = None
        shown = 0
        while True:
            page = finance_api.find_shifts(args.date_from, args.date_to, station=args.station_filter, after=after)
            for view in page.items:
                closed = (msg("counted {counted}, difference {difference}",
                              counted=format_money(view.counted_minor or 0, view.currency),
                              difference=_difference_text(view.difference_minor or 0, view.currency))
                          if not view.is_open else msg("open"))
                _out(msg("{line}  float {amount}, paid out {paid_out}, {closed}",
                         line=f"{view.shift_no}  {view.station:<12} {_when(view.opened_at, zone)}",
                         amount=format_money(view.float_minor, view.currency),
                         paid_out=format_money(view.paid_out_minor, view.currency), closed=closed))
                shown += 1
            after = page.next_cursor
            if after is None:
                break
        _err(msg("{shifts} opened from {start} to {end}.", shifts=_count(shown, "cash shift"), start=args.date_from,
                 end=args.date_to))
    return 0


def _add_shift_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    shift = sub.add_parser(
        "shift", help=template("counter cash shifts: open, status, close, report, list"), formatter_class=_Formatter,
        description=template("The cash drawer of a counter station: open a shift with the float, see what the drawer "
                    "should hold, close it with the cash counted (a difference needs a note and is posted to "
                    "the journal), print a shift's report, list the shifts of a period. The user named by "
                    "--user acts (the password is asked) at the station named by --station, on the database "
                    "itself or through the server (--server)."),
        epilog=template("examples:\n"
               "  returndesk --user li shift open --station COUNTER-1 --float 500\n"
               "  returndesk --user li shift close --station COUNTER-1 --counted 318.50 --note \"coin miscounted\"\n"
               "  returndesk --user fang shift report CS-2026-000012 -o shift-12.pdf\n"
               "  returndesk --server https://returns.example.lan:8443 --user fang shift list \\\n"
               "      --from 2026-11-01 --to 2026-11-30"),
    )
    ssub = shift.add_subparsers(dest="shift_command", metavar="COMMAND", required=True)
    station = argparse.ArgumentParser(add_help=False)
    station.add_argument("--station", required=True, metavar="NAME", help=template("the counter station, e.g. "
                                                                                   "COUNTER-1"))
    p = ssub.add_parser("open", parents=[common, station], help=template("open the station's shift with the float"),
                        description=template("Open the cash shift of a counter station with the float in the drawer."))
    p.add_argument("--float", dest="float_minor", type=_amount, required=True, metavar="AMOUNT",
                   help=template("cash in the drawer at the start, e.g. 500 or 500.00"))
    p.set_defaults(handler=_cmd_shift, remote_handler="shift", signs_in_at_station=True)
    p = ssub.add_parser("status", parents=[common, station], help=template("the station's open shift and what "
                                                                           "it should hold"),
                        description=template("Show the open cash shift of a station: float, cash paid out, expected."))
    p.set_defaults(handler=_cmd_shift, remote_handler="shift", signs_in_at_station=True)
    p = ssub.add_parser("close", parents=[common, station], help=template("close the station's shift with the "
                                                                          "cash counted"),
                        description=template("Close the open cash shift of a station with the cash counted in "
                                             "the drawer. "
                                    "A difference to what the drawer should hold needs --note; it is posted to "
                                    "the journal."))
    p.add_argument("--counted", dest="counted_minor", type=_amount, required=True, metavar="AMOUNT",
                   help=template("cash counted in the drawer, e.g. 318.50"))
    p.add_argument("--note", default=None, metavar="TEXT", help=template("what is known of a difference"))
    p.set_defaults(handler=_cmd_shift, remote_handler="shift", signs_in_at_station=True)
    p = ssub.add_parser("report", parents=[common], help=template("a shift with each cash refund; -o writes the PDF"),
                        description=template("The report of one cash shift: its amounts and each cash refund "
                                             "paid out of "
                                    "it, on the screen or as the A4 PDF (-o FILE.pdf)."))
    p.add_argument("shift_no", metavar="SHIFT", help=template("the shift's number, e.g. CS-2026-000012"))
    p.add_argument("-o", "--output", metavar="FILE", help=template("write the PDF report to FILE"))
    p.add_argument("--lang", choices=["en", "zh_CN"], default="en", help=template("language of the PDF (default en)"))
    p.add_argument("--station", default=None, metavar="NAME", help=template("the station signed in at "
                                                                            "(default: this one)"))
    p.set_defaults(handler=_cmd_shift, remote_handler="shift", signs_in_at_station=True)
    p = ssub.add_parser("list", parents=[common], help=template("the shifts opened in a period (finance)"),
                        description=template("The cash shifts opened in a period, newest first, with their "
                                             "differences."))
    p.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="DATE",
                   help=template("first day, e.g. 2026-11-01"))
    p.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="DATE",
                   help=template("last day (included), e.g. 2026-11-30"))
    p.add_argument("--of-station", dest="station_filter", default=None, metavar="NAME",
                   help=template("only this station's shifts"))
    p.add_argument("--station", default=None, metavar="NAME", help=template("the station signed in at "
                                                                            "(default: this one)"))
    p.set_defaults(handler=_cmd_shift, remote_handler="shift", signs_in_at_station=True)


# --------------------------------------------------------------------------- through the server


def _remote_user_add(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    password = _read_password(args)
    view = api.admin.add_user(username=args.name, display_name=args.display_name or args.name, role=args.role,
                              password=password, approval_limit_minor=args.limit)
    _out(msg("User {username} ({display_name}) added as {role}, approval limit {limit}.", username=view.username,
             display_name=view.display_name, role=view.role, limit=_applied_limit_text(view)))
    return 0


def _remote_user_list(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    print_users(api.admin.list_users())
    return 0


def _remote_user_unlock(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    view = api.admin.unlock_user(args.name)
    _out(msg("User {username} is unlocked and can sign in again.", username=view.username))
    return 0


def _remote_user_set(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    if args.role is None and args.limit is None and args.active is None:
        raise ValidationFailed(msg("Nothing to change: give --role, --limit, --disable or --enable."))
    view = api.admin.change_user(args.name, role=args.role, active=args.active, approval_limit_minor=args.limit)
    print_user_changed(view)
    return 0


def _remote_user_passwd(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    password = _read_password(args)
    api.admin.set_password(args.name, password)
    _out(msg("The password of {name} was changed.", name=args.name))
    return 0


def _remote_user_badge(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    if args.remove:
        api.admin.set_badge(args.name, None)
        _out(msg("{name} has no badge any more; signing off needs the password.", name=args.name))
        return 0
    if not args.code:
        raise ValidationFailed(msg("Give the badge code (scan the badge into the command line), or --remove."))
    api.admin.set_badge(args.name, args.code)
    _out(msg("{name} signs off on a clerk's screen with this badge now (only its hash is kept).", name=args.name))
    return 0


def _remote_station_printers(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    changes = printer_changes(args)
    if changes is not None:
        routing: dict[DocumentType | str, str | None] = {
            DocumentType(k): v for k, v in changes.pop("routing").items()}
        printing = api.settings.save_station_printing(args.station, routing=routing, **changes)
    else:
        printing = api.settings.get_station_printing(args.station)
    _show_station_printing(printing)
    return 0


def _remote_housekeeping(api: ReturnDeskApi, args: argparse.Namespace) -> int:
    print_housekeeping(api.admin.run_housekeeping())
    return 0


REMOTE_HANDLERS: dict[str, RemoteHandler] = {
    "user_add": _remote_user_add,
    "user_list": _remote_user_list,
    "user_unlock": _remote_user_unlock,
    "user_set": _remote_user_set,
    "user_passwd": _remote_user_passwd,
    "user_badge": _remote_user_badge,
    "station_printers": _remote_station_printers,
    "housekeeping": _remote_housekeeping,
    "export": _remote_export,
    "shift": _remote_shift,
    "sessions": _remote_sessions,
}


#: The commands of the command line. A command line naming one builds only its part of the
#: parser (see :func:`build_parser`), so that ``returndesk print ...`` does not import what
#: ``import`` or ``station`` need for their help texts.
COMMAND_NAMES = ("db", "user", "demo", "import", "export", "report", "audit", "check", "print", "station", "site",
                 "screenshots", "loadtest", "server", "housekeeping", "shift", "sessions")


def _command_adders() -> list[
    tuple[tuple[str, ...], Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]]
]:
    """Each function that adds commands, with the names of the commands it adds."""
    return [
        (("db",), _add_db_commands),
        (("user",), _add_user_commands),
        (("demo",), _add_demo_command),
        (("import",), _add_import_commands),
        (("export",), _add_export_command),
        (("report",), _add_report_command),
        (("audit", "check"), _add_audit_commands),
        (("print",), _add_print_commands),
        (("station",), _add_station_commands),
        (("site",), _add_site_commands),
        (("screenshots",), lambda sub, _common: _add_screenshots_command(sub)),
        (("loadtest",), _add_loadtest_command),
        (("server",), _add_server_commands),
        (("housekeeping",), _add_housekeeping_command),
        (("shift",), _add_shift_commands),
        (("sessions",), _add_sessions_commands),
    ]


#: Options before the command that take a value.
_VALUE_OPTIONS = ("--url", "--server", "--user", "--ca-file", "--fingerprint")


def command_named(argv: list[str] | None) -> str | None:
    """The command an argument list names (the first word that is not an option), if it is known."""
    words = list(sys.argv[1:] if argv is None else argv)
    i = 0
    while i < len(words):
        word = words[i]
        if word in _VALUE_OPTIONS:
            i += 2
            continue
        if word.startswith("-"):
            if word in ("-h", "--help"):
                return None
            i += 1
            continue
        return word if word in COMMAND_NAMES else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or only ``command``'s part of it; other modules add their commands here."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, metavar="URL", help=URL_HELP)
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=_Formatter,
        description=template("ReturnDesk administration and data exchange: database, users, demo data, "
                    "imports of sales, exports for finance, and checks of the audit trail and the books."),
        epilog=template("The database is the one given by --url, else $RETURNDESK_DB_URL, else the local file\n"
               "of this user. Run 'returndesk COMMAND --help' for the details of a command."),
    )
    parser.add_argument("--url", default=None, metavar="URL", help=URL_HELP)
    remote = parser.add_argument_group(
        template("through the ReturnDesk server (user, station printers, housekeeping)"),
        template("Sign in at the server as --user (the password is asked) and act as that user; the server "
        "checks the user's role and records the user in the audit trail."))
    remote.add_argument("--server", default=None, metavar="URL",
                        help=template("the server's address, e.g. https://returns.example.lan:8443"))
    remote.add_argument("--user", default=None, metavar="NAME",
                        help=template("ReturnDesk user to sign in as (default: the name you are logged in with)"))
    remote.add_argument("--ca-file", default=None, metavar="FILE",
                        help=template("trust the server's certificate by this file (its server.crt or the shop's CA)"))
    remote.add_argument("--fingerprint", default=None, metavar="SHA256",
                        help=template("trust the server only if its certificate has this SHA-256 fingerprint "
                             "(as 'returndesk server init' printed it)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for names, add in _command_adders():
        if command is None or command in names:
            add(sub, common)
    return parser


def _cmd_loadtest(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    from returndesk.devtools.loadtest import run_loadtest

    if not args.url:
        raise ValidationFailed(msg(
            "Give the database to load with --url (a database of its own: the load test adds users and sales); it "
            "never runs on the local database by default."))
    if args.stations < 1 or args.seconds <= 0 or (args.operations is not None and args.operations < 1):
        raise ValidationFailed(msg("--stations and --operations must be at least 1 and --seconds more than 0."))
    work: str = f"{args.seconds:g} s"
    if args.operations:
        work = msg("{operations} operations each, at most {seconds}", operations=args.operations, seconds=work)
    if args.server:
        from returndesk.api.connection import check_server_url
        from returndesk.devtools.loadtest_server import ServerAccess, run_server_loadtest

        servers = tuple(check_server_url(u) for u in [args.server, *(args.also_server or [])])
        _err(msg("Preparing sales and users, then running {stations} stations through {servers} server(s) for "
                 "{work}…", stations=args.stations, servers=len(servers), work=work))
        access = ServerAccess(servers, fingerprint=args.fingerprint, ca_file=args.ca_file)
        report = run_server_loadtest(args.url, access, stations=args.stations, seconds=args.seconds,
                                     orders=args.orders, seed=args.seed, operations=args.operations)
        _out(report.format())
        return 0 if report.ok else 1
    _err(msg("Preparing sales, then running {stations} stations for {work}…", stations=args.stations, work=work))
    report = run_loadtest(args.url, stations=args.stations, seconds=args.seconds, orders=args.orders,
                          seed=args.seed, operations=args.operations)
    _out(report.format())
    return 0 if report.ok else 1


def _add_loadtest_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "loadtest", parents=[common], help=template("many simulated stations at once, then prove the invariants"),
        description=template("Start N simulated stations as separate processes that take returns in, inspect, "
                    "approve and refund on overlapping returns for S seconds, then check that no "
                    "return was refunded twice, refunded <= paid, returned <= purchased, no stock is "
                    "negative, every journal entry balances, the audit chain verifies and every "
                    "reported success is in the database. Prints throughput and p50/p95/p99 latency "
                    "per operation; exit status 1 when an invariant is broken. It adds load-test "
                    "users and sales to the database: use a database of its own. With --server URL "
                    "the stations work through that ReturnDesk server (and any --also-server) as "
                    "desktops in shared mode do, each signed in as users of its own; --url is still "
                    "needed to prepare the sales and users and to check the invariants afterwards."),
    )
    p.add_argument("--stations", type=int, default=4, help=template("simulated stations (processes)"))
    p.add_argument("--seconds", type=float, default=30.0, help=template("how long the stations work"))
    p.add_argument("--operations", type=int, default=None,
                   help=template("stop each station after this many operations (a fixed amount of work; "
                        "--seconds still bounds the run)"))
    p.add_argument("--orders", type=int, default=None, help=template("sales to return against (default 5 per station)"))
    p.add_argument("--seed", type=int, default=1, help=template("random seed"))
    p.add_argument("--also-server", action="append", metavar="URL",
                   help=template("another server process on the same database (repeat); with --server the "
                        "stations are dealt over all of them in turn"))
    p.set_defaults(handler=_cmd_loadtest, needs_database=False, server_aware=True)


# --------------------------------------------------------------------------- server


def _split_bind(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not (0 < int(port) < 65536):
        raise argparse.ArgumentTypeError(f"'{text[:60]}' is not HOST:PORT, e.g. 0.0.0.0:8443")
    return host.strip("[]") or "0.0.0.0", int(port)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _default_tls_dir() -> Path:
    from returndesk.store.engine import default_sqlite_path

    return default_sqlite_path().parent / "server"


def _cmd_server_init(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    from returndesk.server.tls import make_self_signed

    folder = Path(args.tls_dir) if args.tls_dir else _default_tls_dir()
    names = args.name or ["localhost", "127.0.0.1"]
    try:
        cert = make_self_signed(folder, names)
    except FileExistsError as exc:
        raise ValidationFailed(str(exc)) from None
    _out(msg("Certificate {cert} and key {key} made for {names}.", cert=cert.cert_path, key=cert.key_path,
             names=", ".join(names)))
    _out(msg("SHA-256 fingerprint: {fingerprint}", fingerprint=cert.fingerprint))
    _out(msg("Stations show this fingerprint on first connection; confirm that it matches."))
    return 0


def _cmd_server_run(_ctx: ServiceContext | None, args: argparse.Namespace) -> int:
    import os

    from returndesk.server.tls import CERT_NAME, KEY_NAME, fingerprint_of_pem
    from returndesk.store.engine import resolve_url

    host, port = args.bind
    url = resolve_url(args.url)
    folder = Path(args.tls_dir) if args.tls_dir else _default_tls_dir()
    cert, key = folder / CERT_NAME, folder / KEY_NAME
    tls = cert.exists() and key.exists() and not args.insecure_http
    if not tls and not _is_loopback(host):
        raise ValidationFailed(
            msg(
                "The server would listen on {host} without TLS. Run 'returndesk server init' to make a certificate "
                "(or put server.crt and server.key in --tls-dir); plain HTTP is only for loopback.",
                host=host))
    if args.workers < 1:
        raise ValidationFailed(msg("--workers must be at least 1."))
    import uvicorn

    from returndesk.server.app import open_server_context
    from returndesk.server.usage import SERVER_PID_ENV

    read_url = args.read_url or os.environ.get("RETURNDESK_READ_URL") or None
    read_url = resolve_url(read_url) if read_url else None
    opened = open_server_context(url, read_url)  # upgrade once (and check the replica), before the workers start
    opened.close_read_db()
    opened.db.dispose()
    os.environ["RETURNDESK_DB_URL"] = url
    os.environ[SERVER_PID_ENV] = str(os.getpid())  # the workers' database connections carry it in their name
    if read_url:
        os.environ["RETURNDESK_READ_URL"] = read_url
    scheme = "https" if tls else "http"
    _err(msg("ReturnDesk server on {address} ({workers} worker(s)), database {database}",
             address=f"{scheme}://{host}:{port}", workers=args.workers, database=url.split("@")[-1]))
    if tls:
        _err(msg("TLS certificate {cert}, SHA-256 {fingerprint}", cert=cert,
                 fingerprint=fingerprint_of_pem(cert.read_bytes())))
    from returndesk.server import protocols

    uvicorn.run("returndesk.server.app:app_from_environment", factory=True, host=host, port=port,
                workers=args.workers, log_level=args.log_level, proxy_headers=False,
                http=protocols.HTTP, ws=protocols.WEBSOCKETS,
                timeout_graceful_shutdown=protocols.STOP_GRACE_SECONDS,
                ssl_certfile=str(cert) if tls else None, ssl_keyfile=str(key) if tls else None)
    return 0


def _add_server_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    srv = sub.add_parser(
        "server", parents=[common], formatter_class=_Formatter,
        help=template("run the ReturnDesk server for shared mode and other systems"),
        description=template("Run the ReturnDesk server: the only holder of the database login in shared mode.\n"
                    "Stations sign in to it; the web shop, the ERP and suppliers use its API under "
                    "/api/v1 (documentation at /docs)."),
    )
    srv.add_argument("--bind", type=_split_bind, default=("127.0.0.1", 8443), metavar="HOST:PORT",
                     help=template("address and port to listen on (default 127.0.0.1:8443)"))
    srv.add_argument("--workers", type=int, default=1, help=template("server processes (default 1)"))
    srv.add_argument("--tls-dir", default=None, metavar="DIR",
                     help=template("folder with server.crt and server.key (default: the data folder's server/)"))
    srv.add_argument("--insecure-http", action="store_true",
                     help=template("plain HTTP even when a certificate exists (loopback only)"))
    srv.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    srv.add_argument("--read-url", default=None, metavar="URL",
                     help=template("a PostgreSQL read replica of the database: the analytics read there, so "
                          "dashboards never slow the stations (default: $RETURNDESK_READ_URL)"))
    srv.set_defaults(handler=_cmd_server_run, needs_database=False)
    ssub = srv.add_subparsers(dest="server_command", metavar="SUBCOMMAND")
    p = ssub.add_parser("init", help=template("make the server's self-signed TLS certificate"),
                        description=template("Make a private key and a self-signed certificate, and print the "
                                    "certificate's SHA-256 fingerprint for stations to confirm."))
    p.add_argument("--tls-dir", default=None, metavar="DIR", help=template("where to write server.crt and server.key"))
    p.add_argument("--name", action="append", metavar="HOST",
                   help=template("host name or IP address stations use (repeat; default localhost and 127.0.0.1)"))
    p.set_defaults(handler=_cmd_server_init, needs_database=False)


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language from the environment as POSIX reads it (LC_ALL, LC_MESSAGES, LANG):
    ``"zh_CN"`` or ``"en"``; other languages have no catalogue and read English."""
    env = os.environ if environ is None else environ
    value = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    return "zh_CN" if value.lower().startswith("zh") else "en"


@functools.cache
def _catalogue(language: str) -> Any:
    """The desktop's translation catalogue for ``language``, loaded once; None for English."""
    if language == "en":
        return None
    from importlib import resources

    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    folder = Path(str(resources.files("returndesk.resources").joinpath("i18n")))
    return translator if translator.load(f"rd_{language}", str(folder)) else None


#: argparse's own words in the help, for the catalogue ("usage:" stays as argparse writes it).
_ARGPARSE_WORDS = (template("show this help message and exit"), template("options"),
                   template("positional arguments"))


def localise_parser(parser: argparse.ArgumentParser, language: str | None = None) -> None:
    """Put the help of ``parser`` and of its commands into the user's language (``language`` or
    :func:`user_language`): descriptions, epilogs, group titles and each option's help are
    templates (or messages) of the catalogue. Nothing changes where there is no catalogue."""
    translator = _catalogue(language or user_language())
    if translator is None:
        return

    def words(text: Any) -> Any:
        if isinstance(text, Message):
            return render(text, lambda template: translator.translate("Services", template),
                          language=language or user_language())
        if not isinstance(text, str) or text == argparse.SUPPRESS or not text:
            return text
        return translator.translate("Services", text) or text

    seen: set[int] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        if id(p) in seen:
            return
        seen.add(id(p))
        p.description, p.epilog = words(p.description), words(p.epilog)
        for group in p._action_groups:
            group.title, group.description = words(group.title), words(group.description)
        for action in p._actions:
            action.help = words(action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = words(choice.help)
                for child in action.choices.values():
                    walk(child)

    walk(parser)


def say(text: str, language: str | None = None) -> str:
    """A sentence of the services (:class:`~returndesk.domain.messages.Message`) in the user's
    language (``language`` or :func:`user_language`); English when there is no catalogue."""
    translator = _catalogue(language or user_language())
    if translator is None:
        return text
    return render(text, lambda template: translator.translate("Services", template),
                  language=language or user_language())


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (the console script exits with it)."""
    parser = build_parser(command_named(argv))
    localise_parser(parser)
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    ctx = None
    try:
        if args.server and not getattr(args, "server_aware", False):
            remote_handler: str | None = getattr(args, "remote_handler", None)
            if remote_handler is None:
                raise ValidationFailed(
                    msg(
                        "'{command}' works on the database itself: run it with --url on the database host. Through "
                        "the server: user, sessions, station printers, housekeeping, export, shift.",
                        command=args.command))
            from returndesk import cli_remote

            with cli_remote.signed_in(args) as api:
                return REMOTE_HANDLERS[remote_handler](api, args)
        if getattr(args, "needs_database", True):
            from returndesk.services.infra import maintenance

            ctx = maintenance.connect(args.url, station=maintenance.command_line_station())
        return handler(ctx, args)
    except ValidationFailed as exc:
        _err(f"{PROG}: {say(exc.message)}")
        for problem in exc.problems:
            if problem not in exc.message:
                _err(f"  {say(problem)}")
        return 1
    except ReturnDeskError as exc:
        _err(f"{PROG}: {say(exc.message)}")
        return 1
    except KeyboardInterrupt:
        _err(msg("{prog}: interrupted; the transaction in progress was rolled back.", prog=PROG))
        return 130
    except BrokenPipeError:
        return 1
    except Exception:
        _err(msg("{prog}: unexpected error (this is a bug; the transaction in progress was rolled back):", prog=PROG))
        traceback.print_exc(file=sys.stderr)
        return 70
    finally:
        if ctx is not None:
            from returndesk.services.infra import maintenance

            maintenance.close(ctx)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
