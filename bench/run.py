"""ReturnDesk performance benchmarks: ``make bench`` (``BENCH_ARGS=--quick`` for a short run).

Builds (or reuses) demo data of the asked size in a SQLite file and a PostgreSQL database, then
times what stations wait on — finding a return by its scanned RMA, opening the queues, searching
customers, opening a sale, the supervisor's counts, and the returns list painted on screen — each
next to its floor measured in the same run: the raw SQL on the bare driver connection, or a bare
Qt table of the same rows. Then start-up as whole processes (:mod:`bench.startup`): the desktop
client to its sign-in window and on to the first screen, its peak memory, and ``returndesk print
label``, against a bare PySide6 window and a bare Python process writing a PDF. A figure that
misses its target is marked MISS (in red on a terminal). Prints a table and the query plans, flags
plans that read a whole growing table, and writes the figures to ``bench/results/bench-<when>-r<returns>.json``.

Timing is reported, never asserted: the figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (python bench/run.py): make the repository's bench package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy.engine import make_url

from bench.cases import (
    WHOLE_RETURN_KEY,
    RawConnection,
    build_cases,
    draw_inputs,
    run_case,
    run_whole_returns,
    sign_in_actors,
)
from bench.dataset import Dataset, DatasetSpec, postgres_dataset, schema_drift, sqlite_dataset
from bench.report import BackendResult, Report, render_text, write_json
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
FULL_RETURNS = 1_000_000
QUICK_RETURNS = 50_000
DEFAULT_PG_SERVER = os.environ.get("RETURNDESK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")

Say = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def prepare(backend: str, spec: DatasetSpec, *, data_dir: Path = RESULTS / "data", pg_server: str = DEFAULT_PG_SERVER,
            rebuild: bool = False, say: Say = _stderr) -> Dataset:
    """The benchmark database of ``spec`` on ``backend``, built unless a finished one exists; one
    built by an earlier version is brought to the newest schema first, as a station would be."""
    if backend == "sqlite":
        dataset = sqlite_dataset(spec, data_dir, rebuild=rebuild, say=say)
    elif backend == "postgresql":
        dataset = postgres_dataset(spec, pg_server, rebuild=rebuild, say=say)
    else:
        raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if dataset.reused:
        from returndesk.store.migrate import schema_status, upgrade

        db = Database.open(dataset.url)
        try:
            before = schema_status(db.engine)
            if not before.up_to_date:
                say(f"Upgrading {dataset.backend} data from schema {before.current} to {before.head}")
                upgrade(db.engine)
        finally:
            db.dispose()
    return dataset


def _session_for(dataset: Dataset, ctx: ServiceContext):
    from returndesk.api.local import LocalSession
    from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase, ServerAddress
    from returndesk.store.migrate import schema_status

    if dataset.backend == "sqlite":
        choice = DatabaseChoice.local(dataset.path)
    else:
        u = make_url(dataset.url)
        choice = DatabaseChoice.shared(ServerAddress(host=u.host or "127.0.0.1", port=u.port or 5432,
                                                     database=u.database or "", user=u.username or ""))
    return LocalSession(OpenedDatabase(ctx=ctx, choice=choice, status=schema_status(ctx.db.engine), created=False))


#: A table with more dead rows than this is vacuumed before a run (autovacuum's own default
#: threshold is 50 rows plus a fifth of the table).
DEAD_ROWS_TO_VACUUM = 1000


def vacuum_dead_rows(raw: RawConnection) -> list[str]:
    """VACUUM (ANALYZE) the tables that earlier runs left dead rows in, as autovacuum would on a
    server that runs it (a test server may not): every whole return updates its order lines, and
    the write steps' floors roll their inserts back. Measured on dead rows, the reads walk them and
    the writes find their pages fuller. Returns the tables vacuumed."""
    tables = [name for (name,) in raw.conn.execute(
        "SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > %s ORDER BY relname",
        (DEAD_ROWS_TO_VACUUM,)).fetchall()]
    for name in tables:
        raw.conn.execute(f'VACUUM (ANALYZE) "{name}"')
    return tables


def measure(dataset: Dataset, *, repeat: int, warmup: int, ui_repeat: int, seed: int = 1,
            only: Sequence[str] = (), say: Say = _stderr) -> BackendResult:
    """Run every case (and, unless ``ui_repeat`` is 0, the returns list on screen) on ``dataset``."""
    db = Database.open(dataset.url)
    raw = RawConnection(dataset)
    try:
        if dataset.backend == "postgresql":
            vacuumed = vacuum_dead_rows(raw)
            if vacuumed:
                say(f"  postgresql: vacuumed {', '.join(vacuumed)} (dead rows of earlier runs, as autovacuum would)")
        ctx = ServiceContext(db=db, station="bench")
        result = BackendResult(dataset, raw.server_version(), 0, schema_drift(dataset.url))
        actors = sign_in_actors(ctx)
        inputs = draw_inputs(ctx, raw, seed)
        result.queue_length = inputs.queue_length
        # As the server once started and the desktop after each sign-in: what lives through the
        # run is moved out of the garbage collector's reach, so that its full passes (about 37 ms
        # here) do not land in whichever measurement is running.
        gc.collect()
        gc.freeze()
        for case in build_cases(ctx, actors, inputs):
            if only and case.key not in only:
                continue
            say(f"  {dataset.backend}: {case.title}")
            result.results.append(run_case(case, ctx, raw, repeat=repeat, warmup=warmup))
        if not only or WHOLE_RETURN_KEY in only:
            # Last of the measurements of the database: it writes its returns into the data.
            say(f"  {dataset.backend}: whole returns, intake to refund, each step beside its floor")
            result.results += run_whole_returns(ctx, actors, dataset, repeat=repeat, warmup=warmup)
        if not only or any(k.startswith("wire") for k in only):
            from bench.wire_bench import run_wire

            say(f"  {dataset.backend}: the API's answers on the wire")
            result.results += run_wire(_session_for(dataset, ctx).api_for(actors.clerk), repeat=repeat,
                                       warmup=warmup, only=tuple(only))
        if ui_repeat > 0 and (not only or any(k.startswith("ui") for k in only)):
            from bench.ui_bench import run_ui

            say(f"  {dataset.backend}: the returns list on screen")
            result.results += run_ui(_session_for(dataset, ctx).api_for(actors.clerk), actors.clerk, repeat=ui_repeat,
                                     warmup=max(1, min(warmup, 5)))
        return result
    finally:
        gc.unfreeze()
        raw.close()
        db.dispose()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run.py",
        description=__doc__.split("\n\n")[0],
        epilog=("examples:\n  make bench BENCH_ARGS=--quick\n"
                "  make bench BENCH_ARGS='--returns 200000 --backends postgresql'\n"
                "  make bench BENCH_ARGS='--full --ui-repeat 0 --only analytics_reasons'"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true",
                   help=f"{QUICK_RETURNS:,} returns and fewer repetitions (a few minutes once the data exists)")
    p.add_argument("--full", action="store_true",
                   help=f"{FULL_RETURNS:,} returns written by the fast generator (bench/bulkgen.py)")
    p.add_argument("--fast", action="store_true",
                   help="write the data with the fast generator (bench/bulkgen.py) instead of the demo's bulk path")
    p.add_argument("--returns", type=int, default=None, help=f"returns in the data (default {FULL_RETURNS:,})")
    p.add_argument("--orders", type=int, default=None, help="sales orders in the data (default: twice the returns)")
    p.add_argument("--seed", type=int, default=1, help="seed of the data and of the drawn inputs (default 1)")
    p.add_argument("--days", type=int, default=90, help="period the data spreads over (default 90)")
    p.add_argument("--backends", default=",".join(BACKENDS),
                   help="sqlite, postgresql or both (default both; also sqlite,postgresql)")
    p.add_argument("--pg-server", default=DEFAULT_PG_SERVER,
                   help="a database on the PostgreSQL server to create the benchmark database from "
                        "(default $RETURNDESK_BENCH_PG_URL or postgres@127.0.0.1:5432/postgres)")
    p.add_argument("--data-dir", type=Path, default=RESULTS / "data", help="where the SQLite files are kept")
    p.add_argument("--results-dir", type=Path, default=RESULTS, help="where the JSON report is written")
    p.add_argument(
        "--repeat", type=int, default=None, help="timed repetitions per measurement (default 200, quick 100)"
    )
    p.add_argument("--warmup", type=int, default=10, help="untimed repetitions first (default 10)")
    p.add_argument("--ui-repeat", type=int, default=None,
                   help="timed repetitions of the on-screen list (default 40, quick 20; 0 leaves it out)")
    p.add_argument("--startup-repeat", type=int, default=None,
                   help="starts of each process in the start-up benchmarks (default 10, quick 5; 0 leaves them out)")
    p.add_argument("--only", default="",
                   help="comma-separated measurement keys (e.g. scan,approval_first,ui_model,startup)")
    p.add_argument("--rebuild", action="store_true", help="build the data again even if it exists")
    p.add_argument("--copy", default="", metavar="NAME",
                   help="measure a copy of the data named NAME, made from it on first use (a migration tried "
                        "on the copy leaves the data itself as it was)")
    p.add_argument("--no-plans", action="store_true", help="leave the query plans out of the printed report")
    args = p.parse_args(argv)
    if args.full:
        args.fast = True
        args.returns = args.returns or FULL_RETURNS
    if args.returns is None:
        args.returns = QUICK_RETURNS if args.quick else FULL_RETURNS
    if args.repeat is None:
        args.repeat = 100 if args.quick else 200
    if args.ui_repeat is None:
        args.ui_repeat = 20 if args.quick else 40
    if args.startup_repeat is None:
        args.startup_repeat = 5 if args.quick else 10
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.backends == ["both"]:
        args.backends = list(BACKENDS)
    for b in args.backends:
        if b not in BACKENDS:
            p.error(f"unknown backend {b!r}; use {', '.join(BACKENDS)}")
    if args.copy and not re.fullmatch(r"[a-z0-9_]{1,20}", args.copy):
        p.error("--copy takes a short name of lower-case letters, digits and _")
    if args.returns < 14:
        p.error("at least 14 returns are needed for every state of a return to be in the data")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    load_start = os.getloadavg()
    spec = DatasetSpec.for_returns(args.returns, orders=args.orders, seed=args.seed, days=args.days, fast=args.fast)
    if args.copy:
        spec = replace(spec, copy=args.copy)
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    only_startup = only == ["startup"]
    if args.ui_repeat > 0 and not only_startup:
        from bench.ui_bench import application

        # Style, bundled fonts and texts as the desktop client has them, before any widget exists.
        application(setup=True)
    datasets = [] if only_startup else [
        prepare(b, spec, data_dir=args.data_dir, pg_server=args.pg_server, rebuild=args.rebuild)
        for b in args.backends]
    startup = []
    if args.startup_repeat > 0 and (not only or "startup" in only):
        from bench.startup import measure_startup

        _stderr("Measuring start-up (whole processes)")
        startup = measure_startup(repeat=args.startup_repeat, say=_stderr, folder=args.data_dir / "startup")
    results = []
    for dataset in datasets:
        _stderr(f"Measuring on {dataset.backend} ({dataset.spec.returns:,} returns)")
        results.append(measure(dataset, repeat=args.repeat, warmup=args.warmup, ui_repeat=args.ui_repeat,
                               seed=args.seed, only=only))
    arguments = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "pg_server"}
    arguments["pg_server"] = make_url(args.pg_server).render_as_string(hide_password=True)
    report = Report(started, datetime.now(UTC), arguments, (load_start, os.getloadavg()), results, startup=startup)
    print(render_text(report, plans=not args.no_plans))
    path = write_json(report, args.results_dir)
    print(f"\nFigures written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
