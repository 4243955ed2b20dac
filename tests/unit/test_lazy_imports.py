"""What a station and the command line import before they need it.

Start-up time is measured by ``make bench`` (never asserted here); what these tests pin down is
the structure behind it, as lists of modules a fresh interpreter has not loaded:
- the desktop client shows its sign-in window before the database layer is loaded (SQLAlchemy,
  the schema, the use cases open behind the window), and before the main window, the screens,
  Qt Charts, the server's client (httpx) and the spreadsheet library;
- nothing on the way to the first screen imports Alembic (only an upgrade needs it), reportlab and
  the document renderers (the first print), biip (the first GS1 scan) or the keyring (only a
  station on a server);
- naming one command builds only its parser, and printing a label to a file imports its own use
  case and the label's renderer: not SQLAlchemy, the schema or any other use case.
Each check runs in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from returndesk.cli import COMMAND_NAMES, build_parser, command_named
from tests.integration.factories import build_world
from tests.integration.money_support import LineSpec, approved

LAZY = ("alembic", "reportlab", "biip", "keyring", "barcode", "PIL", "returndesk.documents.credit_note",
        "returndesk.documents.return_label", "returndesk.services.usecases.counter")


#: What the sign-in window does not wait for: the database layer, the main window and its
#: screens, and what only some screens, a server or a print need.
NOT_BEFORE_SIGN_IN = ("sqlalchemy", "alembic", "returndesk.store.schema", "returndesk.store.engine",
                      "returndesk.services.usecases", "returndesk.services.infra.connection",
                      "returndesk.api.local", "returndesk.api.remote", "returndesk.api.types",
                      "returndesk.ui.main_window", "returndesk.ui.screens", "returndesk.ui.navigation",
                      "PySide6.QtCharts", "httpx", "openpyxl", "argon2", *LAZY)


def _modules_printed_by(code: str, env: dict[str, str] | None = None) -> set[str]:
    """Run ``code`` in a fresh interpreter; the module names it prints last, as a JSON list."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "", **(env or {})}, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _imported_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    return _modules_printed_by(f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))", env)


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_importing_the_desktop_client_leaves_the_database_layer_the_screens_and_print_scan_keyring_unloaded():
    modules = _imported_after("import returndesk.ui.app")
    assert "returndesk.ui.app" in modules
    assert [name for name in NOT_BEFORE_SIGN_IN if _loaded(modules, name)] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a station's own database file, on any run
def test_the_sign_in_window_is_on_screen_before_the_database_layer_is_imported(ctx, tmp_path):
    build_world(ctx)  # users to sign in
    database = Path(ctx.db.engine.url.database)
    (tmp_path / "station.ini").write_text(
        f"[database]\nkind=local\npath={database.as_posix()}\n[station]\nprofile=counter\n", "utf-8")
    code = textwrap.dedent("""
        import json, sys
        from PySide6.QtWidgets import QApplication
        from returndesk.ui.app import ReturnDeskApp
        from returndesk.ui.settings import LocalSettings
        app = QApplication([])
        controller = ReturnDeskApp(LocalSettings(), live_updates=False)
        seen = {}
        def shown(dialog):
            seen.setdefault("window", sorted(sys.modules))
            seen.setdefault("visible", dialog.isVisible() and not dialog.has_session)
        controller.sign_in_window_shown.connect(shown)
        def ready(dialog):
            seen["ready"] = dialog.has_session and "sqlalchemy" in sys.modules
            app.quit()
        controller.sign_in_shown.connect(ready)
        controller.start()
        app.exec()
        controller.quit()
        assert seen["visible"] and seen["ready"]
        print(json.dumps(seen["window"]))
    """)
    modules = _modules_printed_by(code, {"RETURNDESK_SETTINGS": str(tmp_path / "station.ini"),
                                     "HOME": str(tmp_path), "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    assert "returndesk.ui.dialogs.sign_in" in modules
    assert [name for name in NOT_BEFORE_SIGN_IN if _loaded(modules, name)] == []


def test_the_screens_of_every_station_profile_do_not_load_the_document_renderers():
    modules = _imported_after("import returndesk.ui.app, returndesk.ui.screens.counter.screen, "
                              "returndesk.ui.screens.inspection.screen, returndesk.ui.screens.approval.screen")
    assert [name for name in ("alembic", "reportlab", "biip", "keyring") if _loaded(modules, name)] == []


def test_the_main_window_and_the_counter_screen_leave_the_dialogs_of_other_moments_and_the_server_client_unloaded():
    modules = _imported_after("import returndesk.ui.main_window, returndesk.ui.screens.counter.screen")
    later = ("returndesk.api.remote", "returndesk.api.local", "httpx", "PySide6.QtCharts", "openpyxl",
             "returndesk.ui.dialogs.first_start", "returndesk.ui.dialogs.printer_settings",
             "returndesk.ui.dialogs.scanner_settings", "returndesk.ui.dialogs.station",
             "returndesk.ui.screens.analytics", "returndesk.ui.screens.master_data", "alembic", "reportlab")
    assert [name for name in later if _loaded(modules, name)] == []


@pytest.mark.parametrize("argv", [["print", "label", "R0000012340", "--out", "x.pdf"],
                                  ["--url", "sqlite:///x.sqlite3", "print", "label", "R0000012340"]])
def test_building_the_parser_for_one_command_imports_no_database_or_document_code(argv):
    modules = _imported_after(f"from returndesk.cli import build_parser, command_named\n"
                              f"args = build_parser(command_named({argv!r})).parse_args({argv!r})\n"
                              "assert args.what == 'label'")
    heavy = ("sqlalchemy", "alembic", "reportlab", "biip", "keyring", "returndesk.store",
             "returndesk.services.usecases.importing", "returndesk.services.usecases.company_profile")
    assert [name for name in heavy if _loaded(modules, name)] == []


#: What printing a label has no use for: SQLAlchemy and the schema, the other use cases, the desktop
#: client and the server's client, spreadsheets, scanning, the keyring and the migrations.
NOT_FOR_A_LABEL = ("sqlalchemy", "returndesk.store.schema", "returndesk.store.engine", "returndesk.services.tx",
                   "returndesk.services.usecases.documents",
                   "alembic", "biip", "keyring", "openpyxl", "httpx", "PySide6", "returndesk.ui",
                   "returndesk.server", "returndesk.api", "returndesk.devtools",
                   *(f"returndesk.services.usecases.{name}" for name in (
                       "importing", "import_files", "import_jobs", "master_data", "analytics", "claims",
                       "finance", "finance_desk", "cash", "approval", "inspection", "intake", "counter",
                       "refunds", "exchange", "review", "webhooks", "housekeeping", "administration",
                       "policy_admin", "return_search")))


def test_printing_a_label_imports_its_use_case_and_not_sqlalchemy_or_the_other_commands(ctx, tmp_path):
    rma = approved(build_world(ctx), [LineSpec("EL-1002", 1)])
    out = tmp_path / "label.pdf"
    code = textwrap.dedent(f"""
        from returndesk.cli import main
        assert main(["--url", {ctx.db.url!r}, "print", "label", {rma!r}, "--out", {str(out)!r}]) == 0
    """)
    modules = _imported_after(code, {"HOME": str(tmp_path)})
    assert out.read_bytes().startswith(b"%PDF")
    assert "returndesk.services.usecases.label_file" in modules and "returndesk.documents.return_label" in modules
    assert [name for name in NOT_FOR_A_LABEL if _loaded(modules, name)] == []


def test_the_command_table_names_every_command_of_the_whole_parser():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMAND_NAMES)
    for name in COMMAND_NAMES:
        one = build_parser(name)
        one_sub = next(a for a in one._actions if a.dest == "command")
        assert name in one_sub.choices


@pytest.mark.parametrize(("argv", "command"), [
    (["print", "label", "R1"], "print"),
    (["--url", "sqlite:///print.sqlite3", "user", "list"], "user"),
    (["--url=sqlite:///x", "check"], "check"),
    (["--help"], None),
    (["unknown-command"], None),
    ([], None),
])
def test_the_command_is_read_from_the_first_word_that_is_not_an_option(argv, command):
    assert command_named(argv) == command


def test_pyside_asks_whether_a_module_uses_it_without_keeping_the_module_source():
    import _json
    import linecache
    import json as json_module

    import returndesk.domain.money
    import returndesk.ui  # installs the lighter check
    import returndesk.ui.tasks

    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    modules = (returndesk.ui.tasks, returndesk.domain.money, json_module, _json)
    assert [check(m) for m in modules] == [check.original(m) for m in modules] == [True, False, False, False]
    linecache.clearcache()
    assert [check(m) for m in modules] == [True, False, False, False]
    assert [name for name in linecache.cache if name.endswith(("tasks.py", "money.py", "__init__.py"))] == []
