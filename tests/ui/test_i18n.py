"""Translators, the bundled CJK font, the style, and display names of domain codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QDialogButtonBox

from returndesk.domain.types import Grade, ReturnStatus
from returndesk.ui import i18n
from returndesk.ui.feedback import FeedbackBar, SilentSoundPlayer
from returndesk.ui.i18n import (
    DISPLAY_NAMES,
    choices,
    display_name,
    install_translations,
    load_bundled_fonts,
    remove_translations,
    setup_application,
    tr_grade,
    tr_status,
)

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>ReturnStatus</name>
  <message><source>Awaiting approval</source><translation>待审批</translation></message>
</context>
<context><name>FeedbackBar</name>
  <message><source>{message} (×{count})</source><translation>{message}（第 {count} 次）</translation></message>
</context>
</TS>
"""


@pytest.fixture
def restore_app(qapp):
    """Undo what the start-up functions change on the shared QApplication."""
    locale, font, style = QLocale(), QFont(qapp.font()), qapp.style().name()
    yield qapp
    remove_translations()
    QLocale.setDefault(locale)
    qapp.setFont(font)
    qapp.setStyle(style)


def lrelease(ts: Path, qm: Path) -> None:
    code = (
        "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; sys.exit(lrelease())"
    )
    subprocess.run([sys.executable, "-c", code, str(ts), "-qm", str(qm)], check=True, capture_output=True)


def standard_button_texts() -> list[str]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    return [box.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel)]


def test_every_domain_code_has_a_distinct_display_name():
    for enum_type, (_context, names) in DISPLAY_NAMES.items():
        assert set(names) == set(enum_type), enum_type.__name__
        shown = [display_name(enum_type, member) for member in enum_type]
        assert all(shown), enum_type.__name__
        assert len(set(shown)) == len(shown), enum_type.__name__


def test_display_names_take_members_and_stored_codes():
    assert tr_status("awaiting_approval") == "Awaiting approval"
    assert tr_status(ReturnStatus.REFUND_REJECTED) == "Refund rejected"
    assert tr_grade(Grade.B).startswith("B")
    assert choices(Grade)[0] == ("A", "A: new, resealable")
    with pytest.raises(ValueError, match="'teleported' is not a known ReturnStatus code"):
        tr_status("teleported")


def test_chinese_translations_for_app_and_qt(tmp_path, restore_app):
    (tmp_path / "rd_zh_CN.ts").write_text(TS, encoding="utf-8")
    lrelease(tmp_path / "rd_zh_CN.ts", tmp_path / "rd_zh_CN.qm")

    loaded = install_translations("zh_CN", catalogue_dir=tmp_path)

    assert [p.name for p in loaded] == ["rd_zh_CN.qm", "qtbase_zh_CN.qm"]
    assert tr_status("awaiting_approval") == "待审批"
    assert standard_button_texts() == ["确定", "取消"]
    assert QLocale().name() == "zh_CN"
    # A template is translated first and formatted afterwards.
    bar = FeedbackBar(sound_player=SilentSoundPlayer())
    bar.show_error("错误的商品")
    bar.show_error("错误的商品")
    assert bar.displayed_text() == "错误的商品（第 2 次）"

    remove_translations()
    assert tr_status("awaiting_approval") == "Awaiting approval"
    assert standard_button_texts() == ["OK", "Cancel"]


def test_a_missing_app_catalogue_leaves_english(tmp_path, restore_app):
    loaded = install_translations("zh_CN", catalogue_dir=tmp_path)
    assert [p.name for p in loaded] == ["qtbase_zh_CN.qm"]
    assert tr_status("draft") == "Draft"


def test_installing_again_replaces_the_previous_language(restore_app):
    install_translations("zh_CN")
    install_translations("en")
    assert standard_button_texts() == ["OK", "Cancel"]


def test_setup_application_sets_fusion_and_a_font_list_that_reaches_chinese(restore_app):
    bundled = i18n.resource_dir("fonts", "wqy-microhei.ttc")
    assert bundled.is_file(), "the bundled CJK font is part of the repository"

    setup = setup_application(restore_app, "en")

    assert restore_app.style().name().lower() == "fusion"
    assert "WenQuanYi Micro Hei" in setup.font_families
    assert restore_app.font().families()[-1] == "WenQuanYi Micro Hei"
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert QFontMetrics(QFont("WenQuanYi Micro Hei")).inFontUcs4(ord("退"))


def test_missing_font_files_are_skipped(tmp_path, caplog):
    assert load_bundled_fonts(tmp_path) == []
    assert "missing" in caplog.text


def test_bundled_families_come_last_in_the_list():
    families = i18n.font_families(["Segoe UI"], ["WenQuanYi Micro Hei"])
    assert families[0] == "Segoe UI"
    assert families[-1] == "WenQuanYi Micro Hei"
    assert len(families) == len(set(families))

