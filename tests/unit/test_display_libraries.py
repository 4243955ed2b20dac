"""scripts/ensure-display-libs.sh installs every system library Qt's display platform needs.

The libraries a fresh Debian lacks were recorded with ``ldd`` (golden/ldd_pyside6_debian12_minbase.txt);
scripts/display-libraries.txt must name a package for each, and the script must ask apt-get for
exactly those packages. The script runs here with stand-ins for ``ldd``, ``apt-get``, ``id`` and
``sudo`` on the PATH: nothing is installed and no network is used.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-display-libs.sh"
TABLE = ROOT / "scripts" / "display-libraries.txt"
FRESH_DEBIAN_LDD = Path(__file__).parent / "golden" / "ldd_pyside6_debian12_minbase.txt"
WAYLAND_PACKAGES = {"libwayland-client0", "libwayland-cursor0", "libwayland-egl1"}


def package_table() -> dict[str, str]:
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            assert len(fields) == 2, f"display-libraries.txt: '{line}' is not '<soname> <package>'"
            assert fields[0] not in table, f"display-libraries.txt names {fields[0]} twice"
            table[fields[0]] = fields[1]
    return table


def not_found(ldd_output: str) -> set[str]:
    """The libraries ldd could not find ("libX.so.1 => not found")."""
    return {line.split()[0] for line in ldd_output.splitlines() if line.strip().endswith("=> not found")}


def fresh_debian_missing(*, wayland: bool) -> set[str]:
    """What the fresh machine lacked, for the files the script checks with or without Wayland."""
    missing: set[str] = set()
    section = ""
    for line in FRESH_DEBIAN_LDD.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.startswith(("\t", " ")):
            section = line.rstrip(":")
        elif "libqwayland" not in section or wayland:
            missing |= not_found(line)
    return missing


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def machine(tmp_path):
    """Stand-ins for a fresh Debian: ldd reports the recorded output until apt-get has "installed"
    anything; apt-get records its arguments; a root user by default."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    installed = tmp_path / "installed"
    log = tmp_path / "apt-get.log"
    _tool(
        bin_dir,
        "ldd",
        f'[ -e "{installed}" ] && exit 0\ncase "$1" in\n'
        f'  *libqwayland*) grep -A100 "^Qt/plugins/platforms/libqwayland.so:" "{FRESH_DEBIAN_LDD}" '
        f'| sed -n "2,/^[^\t]/p" ;;\n'
        f'  *) grep -v "^#" "{FRESH_DEBIAN_LDD}" | awk \'/^[^\\t]/ {{ skip = /libqwayland/ }} !skip\' ;;\n'
        'esac\n',
    )
    _tool(bin_dir, "apt-get", f'echo "$@" >> "{log}"\ncase "$1" in install) touch "{installed}" ;; esac\n')
    _tool(bin_dir, "id", 'echo 0\n')
    _tool(bin_dir, "sudo", 'exit 1\n')

    def run(*args: str, uid: int = 0, **env: str) -> subprocess.CompletedProcess[str]:
        _tool(bin_dir, "id", f"echo {uid}\n")
        environ = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "DISPLAY": ":0"}
        environ.update(env)
        return subprocess.run(["bash", str(SCRIPT), *args, sys.executable], env=environ, cwd=ROOT,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)

    run.apt_calls = lambda: log.read_text(encoding="utf-8").splitlines() if log.exists() else []  # type: ignore[attr-defined]
    return run


def test_the_table_names_a_package_for_every_library_a_fresh_debian_lacks():
    table = package_table()
    missing = fresh_debian_missing(wayland=True)
    assert {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4"} <= missing  # the recording is real
    assert sorted(missing - table.keys()) == []


def test_the_script_asks_for_the_package_of_every_missing_library(machine):
    table = package_table()
    done = machine("--print-packages")
    assert done.returncode == 0, done.stderr
    expected = {table[name] for name in fresh_debian_missing(wayland=False)}
    assert set(done.stdout.split()) == expected
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libegl1", "libfontconfig1"} <= expected
    assert not expected & WAYLAND_PACKAGES


def test_on_a_wayland_desktop_the_wayland_plugin_s_libraries_come_too(machine):
    done = machine("--print-packages", WAYLAND_DISPLAY="wayland-0")
    assert done.returncode == 0, done.stderr
    assert {"libwayland-client0", "libwayland-cursor0"} <= set(done.stdout.split())


def test_as_root_it_installs_them_with_apt_get_and_then_nothing_is_missing(machine):
    table = package_table()
    done = machine()
    assert done.returncode == 0, done.stderr
    calls = machine.apt_calls()
    assert calls[0].split()[0] == "update"
    install = calls[1].split()
    assert install[0] == "install" and "-y" in install
    assert {word for word in install if not word.startswith("-")} - {"install"} == {
        table[name] for name in fresh_debian_missing(wayland=False)}


def test_without_root_or_sudo_it_names_the_command_and_installs_nothing(machine):
    done = machine(uid=1000)
    assert done.returncode == 1
    assert machine.apt_calls() == []
    command = next(line for line in done.stderr.splitlines() if "apt-get install" in line)
    assert "sudo apt-get update && sudo apt-get install -y" in command
    assert set(command.split("-y", 1)[1].split()) == {
        package_table()[name] for name in fresh_debian_missing(wayland=False)}


def test_an_offscreen_run_needs_no_display_libraries(machine):
    done = machine(QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    assert machine.apt_calls() == []


def test_a_library_the_table_does_not_know_is_named(machine, tmp_path):
    _tool(tmp_path / "bin", "ldd", 'echo "\tlibmystery.so.9 => not found"\n')
    done = machine("--print-packages")
    assert done.returncode == 1
    assert "libmystery.so.9" in done.stderr


def test_without_a_display_it_says_so_instead_of_letting_qt_abort(machine):
    done = machine(DISPLAY="")
    assert done.returncode == 1
    assert "no display" in done.stderr and "QT_QPA_PLATFORM=offscreen" in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and Qt's xcb plugin are Linux's")
def test_every_library_missing_on_this_machine_has_a_package():
    """The real ldd here: whatever this machine lacks, the script knows which package brings it."""
    done = subprocess.run(["bash", str(SCRIPT), "--print-packages", sys.executable],
                          env={**os.environ, "QT_QPA_PLATFORM": "xcb;wayland"}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) <= set(package_table().values())
