"""The benchmark databases: demo data of a given size and seed, built once and reused.

A dataset is the output of :func:`returndesk.devtools.demo.generate_demo` (sales, customers and
returns in every state, most of them written by its bulk path) in a SQLite file and in a
PostgreSQL database. Building a million returns takes a long while, so a database is kept and
reused as long as its size, seed and period are the same; its name carries them. It is built
under a temporary name and only renamed when the build finished, so an interrupted build is
never mistaken for a finished one. How long the build took (the data generation rate) is kept
with the database: a JSON file next to the SQLite file, the comment of the PostgreSQL database.

On PostgreSQL the builder runs ANALYZE once the sales are written, as the returns grow and at the
end, as autovacuum would: a test server may run without autovacuum, and a bulk load planned on the
statistics of empty tables picks plans whose cost grows with the square of the data. SQLite is
left as the application leaves it (no ANALYZE), so that its plans are the ones stations get.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from returndesk.services.infra import bootstrap
from returndesk.devtools import demo
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import Base

#: Tables whose rows the report counts (the ones that grow with the business).
COUNTED_TABLES = ("customers", "sales_orders", "sales_order_lines", "returns", "return_lines",
                  "inspection_units", "stock_movements", "journal_entries", "audit_events")

#: Returns that go through the use cases one by one (enough for every state); the rest in bulk.
VIA_SERVICES = 20
#: The fast generator's revision, part of its data's name: data written by an earlier one is built
#: again rather than reused. 2: remote returns carry their deadline (``receive_by``); 3: they expire
#: at the first expiry run after its day.
FAST_REVISION = 3

Say = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


@dataclass(frozen=True)
class DatasetSpec:
    """The size of a benchmark database; the same spec and seed give the same data."""

    returns: int
    orders: int
    seed: int = 1
    days: int = 90
    via_services: int = VIA_SERVICES
    fast: bool = False  # written by bench/bulkgen.py (a million in minutes) rather than the demo
    copy: str = ""  # a named copy of the data (made from it on first use), e.g. to try a migration on it

    @classmethod
    def for_returns(cls, returns: int, *, orders: int | None = None, seed: int = 1, days: int = 90,
                    fast: bool = False) -> DatasetSpec:
        """A spec with twice as many sales as returns unless ``orders`` says otherwise (the demo
        needs a sale with returnable lines and no return yet for each return it writes; the fast
        generator always writes two sales per return)."""
        if fast:
            return cls(returns=returns, orders=2 * returns, seed=seed, days=days, via_services=0, fast=True)
        return cls(returns=returns, orders=orders if orders is not None else 2 * returns, seed=seed, days=days,
                   via_services=min(VIA_SERVICES, returns))

    @property
    def key(self) -> str:
        """The part of file and database names that identifies this data (and its copy)."""
        if self.copy:
            return f"{replace(self, copy='').key}_{self.copy}"
        if self.fast:
            return f"r{self.returns}_s{self.seed}_d{self.days}_fast{FAST_REVISION}"
        via = "" if self.via_services == min(VIA_SERVICES, self.returns) else f"_v{self.via_services}"
        return f"r{self.returns}_o{self.orders}_s{self.seed}_d{self.days}{via}"


@dataclass
class Stage:
    """One stage of the build: how many rows it wrote and how long it took."""

    name: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


@dataclass
class BuildReport:
    """How a dataset was built; kept with the database and shown in every report that uses it."""

    spec: dict[str, Any]
    built_at: str
    seconds: float
    stages: list[Stage]
    returns_written: int
    returns_bulk: int
    bulk_seconds: float
    returns_by_status: dict[str, int]
    row_counts: dict[str, int]
    size_bytes: int
    analyze_seconds: float | None
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at start and end
    statistics_seconds: float = 0.0  # ANALYZE runs during the build (inside the stages' times)
    cpus: int = field(default_factory=lambda: os.cpu_count() or 0)

    @property
    def bulk_rate(self) -> float:
        """Returns written per second by the bulk path."""
        return self.returns_bulk / self.bulk_seconds if self.bulk_seconds > 0 else 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> BuildReport:
        data = json.loads(raw)
        data["stages"] = [Stage(**st) for st in data["stages"]]
        data["load_average"] = tuple(data.get("load_average", (0.0, 0.0)))
        return cls(**data)


@dataclass(frozen=True)
class Dataset:
    """A ready benchmark database."""

    backend: str  # "sqlite" | "postgresql"
    url: str  # SQLAlchemy URL
    spec: DatasetSpec
    build: BuildReport
    reused: bool

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        if self.backend != "sqlite":
            return None
        return Path(make_url(self.url).database or "")

    def driver_conninfo(self) -> str:
        """What the bare driver (psycopg) connects with."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)


class _StageClock:
    """Wraps the demo's progress callback: times each stage and says where the build is."""

    def __init__(self, say: Say, on_tenth: Callable[[str, int], None] | None = None) -> None:
        self.say = say
        self.on_tenth = on_tenth
        self.started = self.mark = time.perf_counter()
        self.stages: dict[str, Stage] = {}
        self.current: str | None = None
        self.last_tenth = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != self.current:
            # A stage begins where the previous one ended (its first callback comes a batch late).
            self.current, self.last_tenth = stage, -1
            self.stages[stage] = Stage(stage, 0, 0.0)
            self.stage_start = self.mark
        entry = self.stages[stage]
        entry.count, entry.seconds = done, now - self.stage_start
        self.mark = now
        tenth = 10 if total <= 0 else done * 10 // total
        if tenth != self.last_tenth:
            self.last_tenth = tenth
            rate = done / entry.seconds if entry.seconds > 0 else 0.0
            self.say(f"  {stage}: {done:,}/{total:,} ({rate:,.0f}/s)")
            if self.on_tenth is not None:
                self.on_tenth(stage, tenth)


def generate(url: str, spec: DatasetSpec, *, say: Say = _stderr, analyze: bool) -> BuildReport:
    """Migrate the (empty) database at ``url`` and write the demo data of ``spec`` into it."""
    if spec.fast:
        return _generate_fast(url, spec, say=say)
    db = Database.open(url)
    try:
        ctx = ServiceContext(db=db, station="bench")
        load_start = os.getloadavg()[0]
        statistics = [0.0]

        def refresh_statistics(stage: str, tenth: int) -> None:
            # What autovacuum does on a server that runs it (this one may not): statistics once the
            # sales are written and as the returns grow, so that the demo's own reads of the
            # eligible sales are planned on the real table sizes rather than on empty tables.
            if stage == "sales orders" and tenth == 10 or stage == "returns in bulk" and 0 < tenth < 10:
                started = time.perf_counter()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("ANALYZE")
                statistics[0] += time.perf_counter() - started

        clock = _StageClock(say, refresh_statistics if analyze else None)
        bootstrap.open_database(ctx)
        clock.mark = time.perf_counter()  # the first stage starts after the schema is there
        result = demo.generate_demo(ctx, orders=spec.orders, returns=spec.returns, seed=spec.seed, days=spec.days,
                                    via_services=spec.via_services, progress=clock)
        seconds = time.perf_counter() - clock.started
        analyze_seconds = None
        if analyze:
            # What autovacuum does some minutes after a bulk load; plans are judged on statistics.
            started = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
            analyze_seconds = time.perf_counter() - started
        with db.read() as s:
            counts = {t: int(s.execute(select(func.count()).select_from(Base.metadata.tables[t])).scalar_one())
                      for t in COUNTED_TABLES}
            if db.is_sqlite:
                size = 0
            else:
                size = int(s.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
        return BuildReport(
            spec=asdict(spec), built_at=datetime.now(UTC).isoformat(timespec="seconds"), seconds=seconds,
            stages=list(clock.stages.values()), returns_written=result.returns, returns_bulk=result.returns_bulk,
            bulk_seconds=result.bulk_seconds, returns_by_status=dict(result.returns_by_status), row_counts=counts,
            size_bytes=size, analyze_seconds=analyze_seconds, load_average=(load_start, os.getloadavg()[0]),
            statistics_seconds=statistics[0],
        )
    finally:
        db.dispose()


def _generate_fast(url: str, spec: DatasetSpec, *, say: Say) -> BuildReport:
    """The data of ``spec`` by :mod:`bench.bulkgen` (which runs ANALYZE on PostgreSQL itself)."""
    from bench.bulkgen import generate_fast

    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    result = generate_fast(url, returns=spec.returns, seed=spec.seed, days=spec.days, say=say)
    seconds = time.perf_counter() - started
    db = Database.open(url)
    try:
        with db.read() as s:
            counts = {t: int(s.execute(select(func.count()).select_from(Base.metadata.tables[t])).scalar_one())
                      for t in COUNTED_TABLES}
            size = 0 if db.is_sqlite else int(
                s.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    finally:
        db.dispose()
    analyze = next((secs for name, _, secs in result.stages if name.startswith("statistics")), None)
    return BuildReport(
        spec=asdict(spec), built_at=datetime.now(UTC).isoformat(timespec="seconds"), seconds=seconds,
        stages=[Stage(name, count, secs) for name, count, secs in result.stages], returns_written=result.returns,
        returns_bulk=result.returns, bulk_seconds=result.write_seconds, returns_by_status=dict(result.by_status),
        row_counts=counts, size_bytes=size, analyze_seconds=analyze, load_average=(load_start, os.getloadavg()[0]),
        statistics_seconds=analyze or 0.0,
    )


# --------------------------------------------------------------------------- SQLite


def sqlite_dataset(spec: DatasetSpec, data_dir: Path, *, rebuild: bool = False, say: Say = _stderr) -> Dataset:
    """The SQLite file of ``spec`` in ``data_dir``, built first unless a finished one is there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    final = data_dir / f"returndesk-bench-{spec.key}.sqlite3"
    manifest = final.with_suffix(".json")
    if not rebuild and final.exists() and manifest.exists():
        return Dataset("sqlite", f"sqlite:///{final}", spec, BuildReport.from_json(manifest.read_text("utf-8")), True)
    if spec.copy:
        original = sqlite_dataset(replace(spec, copy=""), data_dir, rebuild=rebuild, say=say)
        assert original.path is not None
        say(f"Copying {original.path.name} to {final.name}")
        partial = final.with_name(final.name + ".copying")
        shutil.copyfile(original.path, partial)
        os.replace(partial, final)
        manifest.write_text(original.build.to_json(), "utf-8")
        return Dataset("sqlite", f"sqlite:///{final}", spec, original.build, True)
    building = data_dir / f"returndesk-bench-{spec.key}.building.sqlite3"
    for leftover in (final, manifest, *_sqlite_files(building)):
        leftover.unlink(missing_ok=True)
    say(f"Building SQLite {final.name} ({spec.returns:,} returns, {spec.orders:,} orders, seed {spec.seed})")
    report = generate(f"sqlite:///{building}", spec, say=say, analyze=False)
    # Fold the write-ahead log into the file, which then moves alone.
    conn = sqlite3.connect(building)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for extra in _sqlite_files(building)[1:]:
        extra.unlink(missing_ok=True)
    report.size_bytes = building.stat().st_size
    os.replace(building, final)
    manifest.write_text(report.to_json(), "utf-8")
    return Dataset("sqlite", f"sqlite:///{final}", spec, report, False)


def _sqlite_files(path: Path) -> tuple[Path, Path, Path]:
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


# --------------------------------------------------------------------------- PostgreSQL


def postgres_database_name(spec: DatasetSpec) -> str:
    return f"returndesk_bench_{spec.key}"


def postgres_dataset(spec: DatasetSpec, server_url: str, *, rebuild: bool = False, say: Say = _stderr) -> Dataset:
    """The PostgreSQL database of ``spec`` on the server of ``server_url`` (any database on it that
    the user may connect to, e.g. ``postgres``), created and built first unless a finished one is there."""
    import psycopg
    from psycopg import sql

    server = make_url(server_url)
    name = postgres_database_name(spec)
    building = name + "_building"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    url = server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if row is not None and row[0] and not rebuild:
            return Dataset("postgresql", url, spec, BuildReport.from_json(row[0]), True)
    if spec.copy:
        original = postgres_dataset(replace(spec, copy=""), server_url, rebuild=rebuild, say=say)
        say(f"Copying PostgreSQL database {postgres_database_name(original.spec)} to {name}")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(postgres_database_name(original.spec))))
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(original.build.to_json())))
        return Dataset("postgresql", url, spec, original.build, True)
    with psycopg.connect(admin, autocommit=True) as conn:
        for stale in (name, building):
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    say(f"Building PostgreSQL database {name} ({spec.returns:,} returns, {spec.orders:,} orders, seed {spec.seed})")
    report = generate(server.set(database=building).render_as_string(hide_password=False), spec, say=say, analyze=True)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name)))
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name),
                                                                    sql.Literal(report.to_json())))
    return Dataset("postgresql", url, spec, report, False)


def schema_drift(url: str) -> list[str]:
    """Indexes declared in store/schema.py that the database lacks (a database built before an
    index was added; the benchmark would then measure without it)."""
    from sqlalchemy import inspect

    db = Database.open(url)
    try:
        insp = inspect(db.engine)
        missing = []
        for table in Base.metadata.sorted_tables:
            have = {ix["name"] for ix in insp.get_indexes(table.name)}
            have |= {uq["name"] for uq in insp.get_unique_constraints(table.name)}
            for index in table.indexes:
                if index.name not in have:
                    missing.append(f"{table.name}.{index.name}")
        return missing
    finally:
        db.dispose()
