"""The services' sentences are messages the desktop can translate.

* Every template the services, the domain, the API, the server and the documents use is listed in
  ``ui/service_messages.py`` (generated; ``make translations`` regenerates it), so lupdate collects it.
* Every template has a finished Chinese translation that keeps its placeholders.
* No refusal is raised with a bare English sentence any more (an f-string or a string literal): each
  one is a ``msg(...)``.
* A message keeps its English text for logs and ``str()``, travels over the wire as template and
  parameters, and comes back the same.
"""

from __future__ import annotations

import ast
import re
import pickle
import string
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from returndesk.api.wire import from_wire, to_wire
from returndesk.devtools import service_messages
from returndesk.domain import errors
from returndesk.domain.messages import Message, from_data, join, msg, to_data
from returndesk.domain.types import ReturnStatus

TS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "rd_zh_CN.ts"


def test_the_generated_list_of_templates_is_up_to_date():
    assert service_messages.main(["--check"]) == 0, (
        "a template of the services is missing from ui/service_messages.py: "
        "run `python -m returndesk.devtools.service_messages` (or `make translations`) and translate it")


@pytest.fixture(scope="module")
def templates() -> list[str]:
    """The templates of the sources, collected once for the module (every source file is parsed)."""
    return service_messages.all_templates()


def test_the_list_holds_the_services_sentences(templates):
    assert len(templates) > 500
    assert "No return {rma_no} exists. Check the number." in templates
    assert "The import was cancelled; nothing was imported." in templates


def _fields(text: str) -> set[tuple[str, str, str]]:
    return {(f, spec or "", conv or "") for _, f, spec, conv in string.Formatter().parse(text) if f is not None}


def test_every_template_has_a_chinese_translation_with_its_placeholders(templates):
    translations = {}
    for context in ET.parse(TS).getroot().iter("context"):
        if context.findtext("name") != service_messages.CONTEXT:
            continue
        for message in context.iter("message"):
            element = message.find("translation")
            assert element is not None
            if element.get("type") not in ("unfinished", "vanished", "obsolete") and (element.text or "").strip():
                translations[message.findtext("source")] = element.text or ""
    missing = [t for t in templates if t not in translations]
    assert not missing, f"{len(missing)} templates without a Chinese translation: {missing[:20]}"
    wrong = [(source, text) for source, text in translations.items() if not _fields(text) <= _fields(source)]
    assert not wrong, f"translations with placeholders their source does not have: {wrong}"


def _sample(spec: str, name: str) -> object:
    """A value of the kind a placeholder's format spec asks for, recognisable in the result."""
    if "%" in spec:
        return datetime(2026, 11, 30, 14, 5)
    if spec and spec[-1] in "fgd," or spec.endswith(",") or spec in (",",):
        return 1234
    return f"<{name}>"


def test_every_chinese_template_formats_with_the_values_of_its_source_and_shows_them(templates):
    translations = {}
    for context in ET.parse(TS).getroot().iter("context"):
        if context.findtext("name") == service_messages.CONTEXT:
            for message in context.iter("message"):
                translations[message.findtext("source") or ""] = message.findtext("translation") or ""
    problems = []
    for source in templates:
        fields = {(f.split(".")[0].split("[")[0], spec or "")
                  for _, f, spec, _ in string.Formatter().parse(source) if f}
        values = {name: _sample(spec, name) for name, spec in fields}
        english = source.format(**values)
        chinese = translations[source].format(**values)
        shown = [str(v) for v in values.values() if isinstance(v, str) and v in english]
        problems += [f"{source!r} -> {translations[source]!r} loses {v}" for v in shown if v not in chinese]
    assert not problems, "\n".join(problems)


ERROR_NAMES = {name for name, value in vars(errors).items()
               if isinstance(value, type) and issubclass(value, errors.ReturnDeskError)}
ERROR_NAMES |= {"ImportRefused", "ImportCancelled", "PrintingFailed", "PrinterNotFound", "BarcodeDoesNotFit",
                "FeedLost", "CertificateNotTrusted", "CertificateChanged", "UnknownCertificate"}


def _english_raises(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            func = node.exc.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.exc.args[0]
            if name in ERROR_NAMES and isinstance(first, (ast.JoinedStr, ast.Constant, ast.BinOp)):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_refusal_is_raised_as_a_bare_english_sentence():
    found = [site for path in service_messages.source_files() for site in _english_raises(path)]
    assert not found, f"raise msg(...) instead of an English sentence at: {found}"


def test_a_message_is_its_english_text():
    message = msg("No return {rma_no} exists. Check the number.", rma_no="R0000012340")
    assert message == "No return R0000012340 exists. Check the number."
    assert str(errors.NotFound(message)) == message
    assert errors.NotFound(message).message.template == "No return {rma_no} exists. Check the number."
    assert message.params == {"rma_no": "R0000012340"}
    assert pickle.loads(pickle.dumps(message)).template == message.template


def test_parameters_keep_codes_amounts_dates_and_sentences_over_the_wire():
    inner = msg("The database ({where})", where="returns.sqlite3")
    message = msg("{database} is {status} since {day} for {amount}; {note}", database=inner,
                  status=ReturnStatus.APPROVED, day=date(2026, 11, 30), amount=Decimal("12.50"),
                  note=join([msg("One."), msg("Two.")]))
    for back in (from_data(to_data(message)), from_wire(to_wire(message), str)):
        assert isinstance(back, Message)
        assert back == message and back.template == message.template
        assert back.params["status"] is ReturnStatus.APPROVED
        assert back.params["amount"] == Decimal("12.50") and back.params["day"] == date(2026, 11, 30)
        assert isinstance(back.params["database"], Message) and back.params["database"].template.startswith("The")
        note = back.params["note"]
        assert isinstance(note, Message) and not note.has_words and note == "One. Two."


def test_plain_text_still_travels_as_text():
    assert from_wire(to_wire("plain"), str) == "plain"
    assert not isinstance(from_wire(to_wire("plain"), str), Message)


def test_a_message_that_does_not_fit_its_parameters_is_refused_when_read():
    with pytest.raises(ValueError):
        from_data({"$message": "{missing} is gone", "params": {}})


def test_other_values_become_text():
    message = msg("The file {path} does not exist.", path=Path("/tmp/x.csv"))
    assert message.params["path"] == "/tmp/x.csv"


# --------------------------------------------------------------------------- English that slips into a message

#: Calls whose arguments are sentences already (or templates), or values that are not words.
_SENTENCE_CALLS = frozenset({"msg", "Message", "template", "join", "with_detail"})
#: A string that is a code, a path, a file name or an identifier rather than words.
_NOT_WORDS = re.compile(r"[\w./:@*%+-]*")


def _english_constants(node: ast.expr, *, conditional: bool = False) -> list[str]:
    """The English words among the literal values of a parameter: a literal with words, or either
    side of a conditional (``"is not a category" if n == 1 else "are not categories"``)."""
    found: list[str] = []
    if isinstance(node, ast.Call):
        return []  # a call makes its value: a message, a name, a number...
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        path_like = re.search(r"[/._\d]", text) is not None
        if re.search(r"[A-Za-z]{2,}", text) and (not path_like if conditional else not _NOT_WORDS.fullmatch(text)):
            found.append(text)
    elif isinstance(node, ast.JoinedStr):
        words = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if re.search(r"[A-Za-z]{2,}", words):
            found.append(ast.unparse(node))
    elif isinstance(node, ast.IfExp):
        found += _english_constants(node.body, conditional=True) + _english_constants(node.orelse, conditional=True)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            found += _english_constants(value, conditional=True)
    return found


def _english_parameters(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
        if isinstance(node, ast.Call) and name in ("msg", "Message"):
            for keyword in node.keywords:
                for text in _english_constants(keyword.value):
                    found.append(f"{path.name}:{node.lineno} {keyword.arg}={text!r}")
    return found


def test_no_english_words_are_passed_into_a_message():
    """``msg("... {detail}", detail="English words")`` reads English on a Chinese screen: the words
    are a message too (``detail=msg("English words")``), or the sentence is two templates."""
    found = [site for path in service_messages.source_files() for site in _english_parameters(path)]
    assert not found, "English words passed into a message (make them a msg(...)):\n" + "\n".join(found)


def test_the_check_finds_english_parameters(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        'msg("{a} {b}", a="another user", b="x" if n else "is not a category")\n'
        'msg("{c} at {d}", c=f"line {n}", d="/home/counter/label.pdf")\n'
        'msg("{e}", e=msg("another user"))\n', encoding="utf-8")
    assert [site.split(" ", 1)[1] for site in _english_parameters(source)] == [
        "a='another user'", "b='is not a category'", "c=\"f'line {n}'\""]


#: The modules whose every sentence for people is a message: no English f-string or literal
#: sentence is built there (logging and the audit trail's own notes aside).
MESSAGE_ONLY_MODULES = ("services/usecases/intake.py", "services/usecases/counter.py", "services/usecases/receiving.py",
                        "services/usecases/sales.py", "services/usecases/refunds.py", "services/usecases/blind.py",
                        "services/usecases/column_mapping.py", "services/usecases/inspection.py",
                        "services/usecases/scanning.py", "services/usecases/policy_admin.py",
                        "services/usecases/exchange.py", "services/usecases/approval.py", "services/infra/live.py",
                        "services/usecases/reconcile.py", "services/usecases/importing.py",
                        "services/usecases/import_files.py", "services/usecases/finance.py",
                        "services/usecases/finance_desk.py", "services/usecases/claims.py", "services/usecases/cash.py",
                        "services/usecases/store_credit.py", "services/usecases/refurbish.py",
                        "services/usecases/housekeeping.py", "services/usecases/master_data.py", "services/tx/audit.py",
                        "services/infra/printer_routing.py",
                        "domain/claims.py", "domain/inspection.py", "domain/approval.py", "domain/lifecycle.py",
                        "domain/policy.py", "domain/postings.py", "api/remote.py", "cli.py")


def _english_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("debug", "info", "warning", "error", "exception", "record", "transition", "RuntimeError",
                        "ValueError", "TypeError") or name in _SENTENCE_CALLS:
                # logs, the audit trail's notes, a programming error's own words
                skipped.update(id(n) for arg in [*node.args, *(k.value for k in node.keywords)] for n in ast.walk(arg))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # docstrings
        elif isinstance(node, (ast.Assert, ast.Compare)):
            skipped.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        text = ""
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            skipped.update(id(v) for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        if len(re.findall(r"\b[a-z]{2,}\b", text)) >= 3 and re.search(r"[a-z] [a-z]", text):
            found.append(f"{path.relative_to(service_messages.PACKAGE)}:{node.lineno} {text[:70]!r}")
    return found


def test_the_modules_of_the_counter_and_the_dock_build_no_english_sentences():
    found = [site for name in MESSAGE_ONLY_MODULES for site in _english_sentences(service_messages.PACKAGE / name)]
    assert not found, "English sentences built outside msg(...):\n" + "\n".join(found)


def test_a_name_in_two_languages_is_shown_in_the_language_rendered_to():
    from returndesk.domain.messages import Names, render

    message = msg("'{name}' is the last reason in use; add another before retiring it.",
                  name=Names("Changed mind", zh="不想要了"))
    assert message == "'Changed mind' is the last reason in use; add another before retiring it."
    chinese = {message.template: "“{name}”是最后一个在用的退货原因；请先添加另一个再停用它。"}
    for back in (message, from_data(to_data(message)), from_wire(to_wire(message), str),
                 pickle.loads(pickle.dumps(message))):
        assert render(back, lambda t: chinese.get(t, t), language="zh_CN") == \
            "“不想要了”是最后一个在用的退货原因；请先添加另一个再停用它。"
        assert render(back, lambda t: t, language="en") == message
    no_chinese = msg("{name}", name=Names("Changed mind", zh=None))
    assert render(no_chinese, lambda t: t, language="zh_CN") == "Changed mind"


def test_a_stored_sentence_comes_back_as_its_message_and_old_text_as_it_is():
    from returndesk.domain.messages import dump_text, load_text

    memo = msg("Refund {refund_no} of return {rma_no}", refund_no="RF-2026-000001", rma_no="R0000012340")
    stored = dump_text(memo, 200)
    back = load_text(stored)
    assert isinstance(back, Message) and back.template == memo.template and back == memo
    assert load_text("Refund RF-2025-000001 of return R0000000001") == "Refund RF-2025-000001 of return R0000000001"
    assert not isinstance(load_text("plain"), Message) and load_text(None) == ""
    long = msg("{memo}: restocked at cost", memo=msg("Claim {claim_no}", claim_no="C" * 300))
    assert dump_text(long, 200) == str(long)[:200]  # too long for the column: its English text
