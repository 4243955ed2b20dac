"""``returndesk-gui --smoke``: the check the package build runs on the frozen client."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont

from returndesk.ui import app as app_module
from returndesk.ui.i18n import install_translations, remove_translations

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>ReturnDeskApp</name>
  <message><source>Quit</source><translation>退出</translation></message>
</context>
</TS>
"""


@pytest.fixture
def restore_app(qapp):
    """Undo what the check changes on the shared QApplication."""
    locale, font, style = QLocale(), QFont(qapp.font()), qapp.style().name()
    yield qapp
    remove_translations()
    QLocale.setDefault(locale)
    qapp.setFont(font)
    qapp.setStyle(style)


def catalogue_folder(folder: Path, *, compiled: bool) -> Path:
    """A folder standing in for resources/i18n, with or without the compiled rd_zh_CN.qm."""
    if compiled:
        (folder / "rd_zh_CN.ts").write_text(TS, encoding="utf-8")
        code = ("import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; "
                "sys.exit(lrelease())")
        subprocess.run([sys.executable, "-c", code, str(folder / "rd_zh_CN.ts"), "-qm", str(folder / "rd_zh_CN.qm")],
                       check=True, capture_output=True)
    return folder


def use_catalogues(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(
        app_module, "install_translations", functools.partial(install_translations, catalogue_dir=folder)
    )


def test_an_installation_with_font_and_both_catalogues_passes(tmp_path, monkeypatch, restore_app):
    use_catalogues(monkeypatch, catalogue_folder(tmp_path, compiled=True))
    assert app_module.smoke_check(restore_app) == []


def test_a_missing_application_catalogue_is_named(tmp_path, monkeypatch, restore_app):
    use_catalogues(monkeypatch, catalogue_folder(tmp_path, compiled=False))
    assert app_module.smoke_check(restore_app) == ["the translation rd_zh_CN.qm was not found"]


def test_main_prints_ok_and_exits_0(tmp_path, monkeypatch, restore_app, capsys):
    use_catalogues(monkeypatch, catalogue_folder(tmp_path, compiled=True))
    assert app_module.main(["returndesk-gui", "--smoke"]) == 0
    assert capsys.readouterr().out.splitlines() == ["ok"]


def test_main_names_the_problem_and_exits_1(tmp_path, monkeypatch, restore_app, capsys):
    use_catalogues(monkeypatch, catalogue_folder(tmp_path, compiled=False))
    assert app_module.main(["returndesk-gui", "--smoke"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == ["failed"]
    assert "returndesk-gui: the translation rd_zh_CN.qm was not found" in err
