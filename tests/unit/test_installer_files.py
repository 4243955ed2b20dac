"""The installer definitions agree with the repository (the PyInstaller build itself is too slow for
the suite: ``make package`` builds and checks it).

* every data folder of db/ and resources/ is shipped by the spec, as a real folder;
* the files the spec, the build script and the Inno Setup script name exist;
* the .desktop entry has what the freedesktop.org specification requires and launches the wrapper
  the package installs;
* the package's wrappers start the programs the spec builds.
"""

from __future__ import annotations

import ast
import configparser
import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "returndesk.spec"
DESKTOP = INSTALLER / "linux" / "returndesk.desktop"
ISS = INSTALLER / "windows" / "returndesk.iss"
#: setup.py ships db/, resources/ and docs/ as returndesk.db, returndesk.resources and returndesk.docs.
PACKAGE_FOLDERS = {"returndesk.db": ROOT / "db", "returndesk.resources": ROOT / "resources",
                   "returndesk.docs": ROOT / "docs"}


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"))


def spec_constant(name: str) -> object:
    """The literal value assigned to ``name`` at the top of the spec."""
    for node in spec_tree().body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"installer/returndesk.spec assigns no {name}")


def exe_names() -> set[str]:
    """The ``name=`` of every EXE(...) in the spec: the programs in the folder."""
    names = set()
    for node in ast.walk(spec_tree()):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "EXE":
            for keyword in node.keywords:
                if keyword.arg == "name":
                    names.add(ast.literal_eval(keyword.value))
    return names


def data_folders(top: Path) -> set[str]:
    """Sub-folders of a shipped package folder that hold files other than Python byte code."""
    found = set()
    for folder in top.iterdir():
        if folder.is_dir() and folder.name != "__pycache__" and any(
            f.is_file() and f.suffix != ".pyc" for f in folder.rglob("*")
        ):
            found.add(folder.name)
    return found


@pytest.mark.parametrize("package", sorted(PACKAGE_FOLDERS))
def test_the_spec_ships_every_data_folder_of_the_package(package: str) -> None:
    listed = spec_constant("PACKAGE_DATA")
    assert isinstance(listed, dict) and package in listed
    missing = data_folders(PACKAGE_FOLDERS[package]) - set(listed[package])
    assert not missing, f"{package}: installer/returndesk.spec does not ship {sorted(missing)}"


def setup_package_data() -> dict[str, list[str]]:
    """The literal ``package_data`` given to setup() in setup.py."""
    for node in ast.walk(ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg == "package_data":
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return value
    raise AssertionError("setup.py gives setup() no package_data")


def test_every_user_guide_ships_with_the_package_and_the_installer() -> None:
    guides = sorted(path.name for path in (ROOT / "docs").glob("user-guide*.md"))
    assert "user-guide.md" in guides and "user-guide.zh_CN.md" in guides
    patterns = setup_package_data()["returndesk.docs"]
    unpacked = [name for name in guides if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert not unpacked, f"setup.py does not ship {unpacked}"
    missing = set(guides) - set(spec_constant("PACKAGE_DATA")["returndesk.docs"])
    assert not missing, f"installer/returndesk.spec does not ship {sorted(missing)}"


def test_the_migrations_the_spec_ships_are_the_folder_alembic_is_given() -> None:
    assert "migrations" in spec_constant("PACKAGE_DATA")["returndesk.db"]
    migrate = (ROOT / "desktop" / "returndesk" / "store" / "migrate.py").read_text(encoding="utf-8")
    assert 'files("returndesk.db") / "migrations"' in migrate
    assert (ROOT / "db" / "migrations" / "env.py").is_file()
    assert sorted((ROOT / "db" / "migrations" / "versions").glob("0*.py"))


def test_qt_translations_are_not_dropped() -> None:
    text = SPEC.read_text(encoding="utf-8")
    excluded = spec_constant("UNUSED_QT") + spec_constant("UNUSED_PYTHON")
    # Without QtCore's hook there is no qtbase_zh_CN; the print preview needs QtPdf.
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPdf",
                   "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport", "PySide6.QtNetwork"):
        assert needed not in excluded
    assert "--noinclude-qt-translations" not in text
    assert ".ts" in spec_constant("SKIPPED_SUFFIXES")  # sources stay out, their .qm go in
    assert sorted((ROOT / "resources" / "i18n").glob("rd_*.ts")), "no translation source to compile"


def test_the_spec_builds_both_programs_from_their_launchers() -> None:
    assert exe_names() == {"returndesk", "returndesk-gui"}
    for launcher, target in (("returndesk_gui.py", "from returndesk.ui.app import main"),
                             ("returndesk_cli.py", "from returndesk.cli import main")):
        text = (INSTALLER / "launchers" / launcher).read_text(encoding="utf-8")
        assert target in text and "sys.exit(main())" in text


def test_the_project_scripts_match_the_programs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["returndesk"] == "returndesk.cli:main"
    assert project["gui-scripts"]["returndesk-gui"] == "returndesk.ui.app:main"
    assert any(r.lower().startswith("pyinstaller") for r in project["optional-dependencies"]["build"])
    assert not any(r.lower().startswith("pyinstaller") for r in project["optional-dependencies"]["test"])


def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections()[0] == "Desktop Entry"
    return parser["Desktop Entry"]


def test_the_desktop_entry_is_valid() -> None:
    entry = read_desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon"):
        assert entry.get(key), f"{key} is required"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] in {"true", "false"} and entry["StartupNotify"] in {"true", "false"}
    assert re.fullmatch(r"1\.[0-5]", entry["Version"])
    for key in entry:
        assert re.fullmatch(r"[A-Za-z0-9-]+(\[[A-Za-z_@.]+\])?", key), f"malformed key {key!r}"
    # Lists end with a semicolon; only registered main categories (plus additional ones).
    for key in ("Categories", "Keywords"):
        assert entry[key].endswith(";")
    assert {"Office"} & set(entry["Categories"].split(";"))
    # It starts the wrapper the package puts in /usr/bin, and names the icon it installs.
    assert entry["Exec"].split()[0] == "returndesk-gui" == entry["TryExec"]
    assert (INSTALLER / "linux" / "bin" / entry["Exec"].split()[0]).is_file()
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.png").is_file()
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()


@pytest.mark.parametrize("program", ["returndesk", "returndesk-gui"])
def test_the_package_wrappers_start_the_bundled_programs(program: str) -> None:
    wrapper = INSTALLER / "linux" / "bin" / program
    lines = wrapper.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/bin/sh"
    assert lines[-1] == f'exec /opt/returndesk/{program} "$@"'
    assert wrapper.stat().st_mode & 0o111, "the wrapper must be executable"
    assert program in exe_names()


def test_the_debian_control_template_is_complete() -> None:
    control = (INSTALLER / "linux" / "control.in").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", control, flags=re.MULTILINE))
    for field in ("Package", "Version", "Architecture", "Maintainer", "Depends", "Description", "Installed-Size"):
        assert field in fields
    depends = [line for line in (INSTALLER / "linux" / "depends.txt").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    # The libraries the Qt xcb platform plugin and CUPS printing need from the system.
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1", "libcups2"):
        assert package in depends
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    for placeholder in re.findall(r"@[A-Z_]+@", control):
        assert f"s/{placeholder}/" in build, f"build.sh does not fill {placeholder}"


def test_the_windows_installer_script_names_existing_files_and_both_languages() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in text
    assert 'MessagesFile: "compiler:Default.isl"' in text
    # The Chinese messages file is used only where it exists, so the script compiles everywhere.
    chinese = [line for line in text.splitlines() if "ChineseSimplified.isl" in line and "MessagesFile" in line]
    assert chinese
    guards = [line for line in text.splitlines() if line.lstrip().startswith(("#if ", "#elif "))]
    assert sum("ChineseSimplified.isl" in line for line in guards) == len(chinese)
    for name in ("SetupIconFile",):
        relative = re.search(rf"^{name}=(.+)$", text, flags=re.MULTILINE).group(1).replace("\\", "/")
        assert (ISS.parent / relative).resolve().is_file()
    assert "returndesk-gui.exe" in text and "returndesk.exe" in text


SERVICE = INSTALLER / "linux" / "returndesk-server.service"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string(SERVICE.read_text(encoding="utf-8"))
    return unit


def test_the_server_service_runs_the_bundled_server_as_its_own_user() -> None:
    service = _unit()["Service"]
    command = service["ExecStart"].split()
    assert command[:2] == ["/opt/returndesk/returndesk", "server"]
    # Every option the unit passes is one the server command takes.
    from returndesk.cli import build_parser

    server = build_parser("server")._subparsers._group_actions[0].choices["server"]
    known = {option for action in server._actions for option in action.option_strings}
    assert {word for word in command if word.startswith("--")} <= known
    assert "--url" not in command, "the database address comes from the environment file, not the process list"
    assert service["User"] == "returndesk" and service["NoNewPrivileges"] == "yes"
    postinst = (INSTALLER / "linux" / "postinst").read_text(encoding="utf-8")
    assert "adduser --system --group --home /var/lib/returndesk" in postinst and " returndesk\n" in postinst
    assert _unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_server_settings_file_is_a_conffile_without_a_password() -> None:
    service = _unit()["Service"]
    env_path = service["EnvironmentFile"]
    assert env_path == "/etc/returndesk/server.env"
    settings = dict(line.split("=", 1) for line in (INSTALLER / "linux" / "server.env").read_text("utf-8").splitlines()
                    if line and not line.startswith("#"))
    assert settings["RETURNDESK_DB_URL"].startswith("postgresql://returndesk_server@")
    assert ":" not in settings["RETURNDESK_DB_URL"].split("//", 1)[1].split("@", 1)[0], "no password in the address"
    for name in re.findall(r"\$\{(\w+)\}", service["ExecStart"]):
        assert name in settings, f"the unit uses {name}, which server.env does not set"
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    assert f'echo "{env_path}" > "$STAGE/DEBIAN/conffiles"' in build
    assert "installer/linux/returndesk-server.service" in build and "usr/lib/systemd/system" in build


@pytest.mark.parametrize("script", ["postinst", "prerm", "postrm"])
def test_the_maintainer_scripts_are_executable_posix_shell(script: str) -> None:
    import subprocess

    path = INSTALLER / "linux" / script
    assert path.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    assert path.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(path)], capture_output=True).returncode == 0
    assert f"installer/linux/{script}" in (INSTALLER / "build.sh").read_text(encoding="utf-8")
