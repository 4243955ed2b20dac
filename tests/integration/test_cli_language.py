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
