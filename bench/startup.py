"""Start-up as a station and a shell see it: whole processes, each next to its floor.

- Cold start to the sign-in window (``returndesk-gui`` on a local database) against a bare
  PySide6 window shown by a bare Python process.
- The database open behind the sign-in window: from the start to the sign-in form ready (the
  database opened and checked, the demo users listed), the password being typed at once.
- Sign-in to the first screen: from the accepted password to the main window with its start
  screen shown and the tasks it started finished (no floor: the target is absolute).
- The whole start: from the process's start to the first screen, the password typed at once
  (what a clerk who types without pausing waits in all).
- Peak resident memory of the client at the sign-in window and at the first screen (the peak
  holds the password hash's working memory, freed after sign-in), the resident memory at the first
  screen, against the bare window's peak.
- ``returndesk print label RMA --out FILE.pdf`` as a process against a bare Python process that
  writes a one-page PDF with reportlab.

Each process is started ``repeat`` times after one untimed start (files in the OS cache, bytecode
compiled into a cache of the run as an installation has it); the figures are medians and 95th
percentiles of the wall-clock times.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "startup_probe.py"
BIN = Path(sys.executable).parent
DEMO_USER, DEMO_PASSWORD = "clerk", "clerk123"

#: Targets: (most times the floor, or None; absolute limit in the figure's unit, or None).
TARGETS = {
    "cold_start": (3.0, 600.0),
    "first_screen": (None, 300.0),
    "peak_memory": (None, 150.0),
    "print_label": (4.0, None),
}


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class StartupFigure:
    """One measured start: wall-clock and processor time (or memory), and its floor's."""

    key: str
    title: str
    unit: str  # "ms" or "MiB"
    values: list[float]  # wall-clock ms, or MiB
    cpu_values: list[float] = field(default_factory=list)  # processor ms of the same starts
    floor_values: list[float] = field(default_factory=list)
    floor_cpu_values: list[float] = field(default_factory=list)
    floor_title: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def cpu(self) -> float | None:
        return _median(self.cpu_values)

    @property
    def floor(self) -> float | None:
        return _median(self.floor_values)

    @property
    def floor_cpu(self) -> float | None:
        return _median(self.floor_cpu_values)

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None

    @property
    def cpu_ratio(self) -> float | None:
        return self.cpu / self.floor_cpu if self.cpu is not None and self.floor_cpu else None

    def misses(self) -> list[str]:
        """The targets this figure misses, in words (empty when it meets them).

        Times are judged on processor time, which the other jobs of a shared machine change far
        less than the wall clock; memory on its own figure.
        """
        ratio_limit, absolute = TARGETS.get(self.key, (None, None))
        judged = self.cpu if self.cpu is not None else self.median
        ratio = self.cpu_ratio if self.cpu is not None else self.ratio
        missed = []
        if ratio_limit is not None and ratio is not None and ratio > ratio_limit:
            missed.append(f"more than {ratio_limit:g}x its floor")
        if absolute is not None and judged > absolute:
            missed.append(f"more than {absolute:g} {self.unit}")
        return missed

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "unit": self.unit, "median": self.median, "p95": self.p95,
                "cpu": self.cpu, "floor": self.floor, "floor_cpu": self.floor_cpu, "floor_title": self.floor_title,
                "ratio": self.ratio, "cpu_ratio": self.cpu_ratio, "values": self.values,
                "cpu_values": self.cpu_values, "floor_values": self.floor_values,
                "floor_cpu_values": self.floor_cpu_values, "misses": self.misses()}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: Sequence[str], env: dict[str, str]) -> tuple[float, float, float, dict]:
    """Start a process: the instant it was started, its wall and processor ms, and its JSON line."""
    started, cpu_before = time.time(), _children_cpu()
    done = subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=300, check=False)
    wall, cpu = (time.time() - started) * 1000, (_children_cpu() - cpu_before) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return started, wall, cpu, (json.loads(lines[-1]) if lines else {})


def prepare_station(folder: Path, say: Callable[[str], None]) -> tuple[dict[str, str], str]:
    """A small demo database and the settings of a counter station on it; the env and an RMA."""
    database = folder / "station.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        {
            "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "RETURNDESK_SETTINGS": str(folder / "station.ini"),
            "RETURNDESK_DB_URL": f"sqlite:///{database}",
            "BENCH_USER": DEMO_USER,
            "BENCH_PASSWORD": DEMO_PASSWORD,
        }
    )
    if not database.exists():
        say("  start-up: a small demo database")
        subprocess.run([str(BIN / "returndesk"), "demo", "--orders", "200", "--returns", "40"], env=env,
                       check=True, capture_output=True)
    (folder / "station.ini").write_text(
        "[database]\nkind=local\npath=" + str(database).replace("\\", "/") + "\n"
        "[station]\nprofile=counter\nname=BENCH-1\n[ui]\nlanguage=en\n", "utf-8")
    with sqlite3.connect(database) as conn:
        rma = conn.execute("SELECT rma_no FROM returns WHERE rma_no IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    return env, rma


def measure_startup(*, repeat: int = 10, say: Callable[[str], None] = print,
                    folder: Path | None = None) -> list[StartupFigure]:
    folder = folder or Path(tempfile.mkdtemp(prefix="returndesk-startup-"))
    env, rma = prepare_station(folder, say)
    python, probe = sys.executable, str(PROBE)
    cold = StartupFigure("cold_start", "Cold start to the sign-in window (returndesk-gui)", "ms", [],
                         floor_title="bare PySide6 window")
    ready = StartupFigure("sign_in_ready", "Start to the sign-in form ready (database open behind it)", "ms", [],
                          floor_title="bare PySide6 window")
    first = StartupFigure("first_screen", "Sign-in to the first screen (counter)", "ms", [])
    whole = StartupFigure("whole_start", "Start to the first screen, password typed at once", "ms", [],
                          floor_title="bare PySide6 window")
    memory_sign_in = StartupFigure("peak_memory_sign_in", "Client peak memory at the sign-in window", "MiB", [],
                                   floor_title="bare PySide6 window")
    memory = StartupFigure("peak_memory", "Client peak memory at the first screen", "MiB", [],
                           floor_title="bare PySide6 window")
    resident = StartupFigure("resident_memory", "Client resident memory at the first screen", "MiB", [],
                             floor_title="bare PySide6 window")
    label = StartupFigure("print_label", "returndesk print label RMA --out FILE (process)", "ms", [],
                          floor_title="bare Python writing a PDF")
    label_cmd = [str(BIN / "returndesk"), "print", "label", rma, "--out", str(folder / "label.pdf")]
    say(f"  start-up: {repeat} starts of each process")
    for i in range(repeat + 1):
        started, _, _, out = _run([python, probe, "window"], env)
        shown = (out["shown"] - started) * 1000, out["shown_cpu"] * 1000, out["peak_mib"]
        started, _, _, out = _run([python, probe, "app"], env)
        app = out
        app_started = started
        _, pdf_wall, pdf_cpu, _ = _run([python, probe, "pdf", str(folder / "floor.pdf")], env)
        _, label_wall, label_cpu, _ = _run(label_cmd, env)
        if not i:
            continue  # the untimed start: files into the OS cache, bytecode compiled
        for figure in (cold, ready, whole, memory_sign_in, memory, resident):
            figure.floor_values.append(shown[0] if figure in (cold, ready, whole) else shown[2])
        for figure in (cold, ready, whole):
            figure.floor_cpu_values.append(shown[1])
        cold.values.append((app["sign_in_shown"] - app_started) * 1000)
        cold.cpu_values.append(app["sign_in_shown_cpu"] * 1000)
        ready.values.append((app["sign_in_ready"] - app_started) * 1000)
        ready.cpu_values.append(app["sign_in_ready_cpu"] * 1000)
        whole.values.append((app["first_screen"] - app_started) * 1000)
        whole.cpu_values.append(app["first_screen_cpu"] * 1000)
        first.values.append((app["first_screen"] - app["signed_in"]) * 1000)
        first.cpu_values.append((app["first_screen_cpu"] - app["signed_in_cpu"]) * 1000)
        memory_sign_in.values.append(app["sign_in_peak_mib"])
        memory.values.append(app["peak_mib"])
        resident.values.append(app["first_screen_resident_mib"])
        label.values.append(label_wall)
        label.cpu_values.append(label_cpu)
        label.floor_values.append(pdf_wall)
        label.floor_cpu_values.append(pdf_cpu)
    return [cold, ready, first, whole, memory_sign_in, memory, resident, label]


if __name__ == "__main__":
    for figure in measure_startup(repeat=int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(json.dumps(figure.to_json()))
