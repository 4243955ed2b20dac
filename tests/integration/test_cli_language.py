"""The command line says the services' sentences in the user's language (LC_ALL, LC_MESSAGES, LANG)."""

from __future__ import annotations

import re

import pytest

from returndesk import cli
from returndesk.domain.messages import msg
from returndesk.domain.types import ReturnStatus

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.GB18030"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_language_is_read_as_posix_reads_it(environ, language):
    assert cli.user_language(environ) == language


def test_a_message_is_said_in_chinese_or_english():
    message = msg("No return {rma_no} exists. Check the number.", rma_no="R0000012340")
    assert cli.say(message, "zh_CN") == "退货单 R0000012340 不存在。请检查单号。"
    assert cli.say(message, "en") == "No return R0000012340 exists. Check the number."
    assert cli.say("plain text", "zh_CN") == "plain text"
    coded = msg("Return {rma_no} is {status}; the customer can no longer change an exchange into a refund.",
                rma_no="R1", status=ReturnStatus.APPROVED)
    assert cli.say(coded, "zh_CN").startswith("退货单 R1 状态为")


def test_a_refusal_reaches_a_chinese_terminal_in_chinese(ctx, capsys, monkeypatch, tmp_path):
    db_url = str(ctx.db.engine.url.render_as_string(hide_password=False))
    missing = tmp_path / "none.csv"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert cli.main(["import", "products", str(missing), "--url", db_url]) == 1
    err = capsys.readouterr().err
    assert f"文件 {missing} 不存在。" in err
    assert not re.search(r"\b(file|does|exist)\b", err)

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.main(["import", "products", str(missing), "--url", db_url]) == 1
    assert f"The file {missing} does not exist." in capsys.readouterr().err


def _chinese_terminal(monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


_ENGLISH = re.compile(r"\b(?:the|is|are|of|and|to|with|for|was|were|no|not|every)\b", re.IGNORECASE)


def test_what_a_command_says_reaches_a_chinese_terminal_in_chinese(ctx, capsys, monkeypatch, tmp_path):
    db_url = str(ctx.db.engine.url.render_as_string(hide_password=False))
    _chinese_terminal(monkeypatch)
    assert cli.main(["check", "--url", db_url]) == 0
    assert cli.main(["user", "list", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("账目无误：") and "尚无用户" in out
    assert not _ENGLISH.search(out.replace("returndesk user add NAME --role admin", "")), out
    assert cli.main(["export", "journal", "--from", "2026-11-01", "--to", "2026-11-30", "-o",
                     str(tmp_path / "j.csv"), "--url", db_url]) == 0
    err = capsys.readouterr().err
    assert "已将 journal 的 0 行" in err and (tmp_path / "j.csv").exists()

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.main(["check", "--url", db_url]) == 0
    assert capsys.readouterr().out.startswith("The books are sound: every journal entry balances")


def test_the_help_reaches_a_chinese_terminal_in_chinese(capsys, monkeypatch):
    _chinese_terminal(monkeypatch)
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    out = capsys.readouterr().out
    assert "导出为 CSV、Excel 或 JSON" in out and "显示此帮助信息并退出" in out and "示例：" in out
    assert "for accounting and analysis" not in out
    with pytest.raises(SystemExit):
        cli.main(["export", "journal", "--from", "30.11.2026"])
    assert "“30.11.2026”不是日期" in capsys.readouterr().err

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    assert "for accounting and analysis" in capsys.readouterr().out


def test_a_problem_in_the_books_reaches_a_chinese_terminal_in_chinese():
    from returndesk.services.usecases.finance import BooksProblem

    problem = BooksProblem("refund_without_credit_note", "RF-2026-000001",
                           msg("Refund {refund_no} has no credit note.", refund_no="RF-2026-000001"))
    assert cli.say(problem.message, "zh_CN") == "退款 RF-2026-000001 没有贷项通知单。"


def test_where_a_document_went_is_said_in_chinese():
    from returndesk.services.infra.printer_routing import parse_destination
    from returndesk.domain.types import DocumentType

    title = msg("{title} (reprint {again})", title=msg("Return label {ref}", ref="R0000012340"), again=1)
    saved = msg("{title} saved as {path}.", title=title, path="/tmp/label.pdf")
    assert saved == "Return label R0000012340 (reprint 1) saved as /tmp/label.pdf."
    assert cli.say(saved, "zh_CN") == "退货标签 R0000012340（重印 1） 已保存为 /tmp/label.pdf。"
    printer = parse_destination("cups:Zebra-Dock1", DocumentType.RETURN_LABEL).describe()
    assert cli.say(printer, "zh_CN") == "CUPS 打印机“Zebra-Dock1”"
