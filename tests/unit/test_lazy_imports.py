"""What a station and the command line import before they need it.

Start-up time is measured by ``make bench`` (never asserted here); what these tests pin down is
the structure behind it: starting the desktop client or naming one command does not import
Alembic (only an upgrade needs it), reportlab and the document renderers (the first print), biip
(the first GS1 scan) or the keyring (only a station on a server). Each check runs in a fresh
interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from returndesk.cli import COMMAND_NAMES, build_parser, command_named

LAZY = ("alembic", "reportlab", "biip", "keyring", "barcode", "PIL", "returndesk.documents.credit_note",
        "returndesk.documents.return_label", "returndesk.services.usecases.counter")


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}, timeout=120)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_importing_the_desktop_client_leaves_upgrade_print_scan_and_keyring_modules_unloaded():
    modules = _imported_after("import returndesk.ui.app")
    assert "returndesk.ui.app" in modules
    assert [name for name in LAZY if _loaded(modules, name)] == []


def test_the_screens_of_every_station_profile_do_not_load_the_document_renderers():
    modules = _imported_after("import returndesk.ui.app, returndesk.ui.screens.counter.screen, "
                              "returndesk.ui.screens.inspection.screen, returndesk.ui.screens.approval.screen")
    assert [name for name in ("alembic", "reportlab", "biip", "keyring") if _loaded(modules, name)] == []


@pytest.mark.parametrize("argv", [["print", "label", "R0000012340", "--out", "x.pdf"],
                                  ["--url", "sqlite:///x.sqlite3", "print", "label", "R0000012340"]])
def test_building_the_parser_for_one_command_imports_no_database_or_document_code(argv):
    modules = _imported_after(f"from returndesk.cli import build_parser, command_named\n"
                              f"args = build_parser(command_named({argv!r})).parse_args({argv!r})\n"
                              "assert args.what == 'label'")
    heavy = ("sqlalchemy", "alembic", "reportlab", "biip", "keyring", "returndesk.store",
             "returndesk.services.usecases.importing", "returndesk.services.usecases.company_profile")
    assert [name for name in heavy if _loaded(modules, name)] == []


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
