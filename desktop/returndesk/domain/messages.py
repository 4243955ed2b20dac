"""Sentences for people as templates with named parameters: :class:`Message`.

The services say things to the user (a refusal, a routing reason, a problem in an import row) in
English *and* as a template with its parameters, so that every screen can say it in its own
language. A :class:`Message` is a ``str`` whose text is the English sentence (logs, the command
line in English, tests and ``str(error)`` keep working unchanged); its :attr:`~Message.template`
and :attr:`~Message.params` let the desktop render it through its translation catalogue
(``QCoreApplication.translate("Services", template).format(**params)``)::

    raise NotFound(msg("There is no return {rma}.", rma=rma_no))

Parameters are plain values (text, numbers, dates) or codes (a :class:`~enum.StrEnum` member such
as a return status, shown by the screen under its translated name) or other messages (a sentence
built from sentences, see :func:`join`) or the name of a thing in several languages (a return
reason's English and Chinese names, :class:`Names`: a screen shows the name in its language). Any
other value is kept as its text.

String operations on a message (``+``, ``%``, f-strings, ``str.join``) give plain English text:
build sentences with :func:`msg` and :func:`join` instead.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from . import types

class Names(str):
    """The name of a thing in several languages (a return reason's ``name_en`` and ``name_zh``) as
    one parameter of a message: its text is the English name; :func:`render` shows the name in the
    language it renders to (the English one where that language has none)."""

    names: dict[str, str]

    def __new__(cls, en: str, **others: str | None) -> Names:
        self = super().__new__(cls, en)
        self.names = {"en": en, **{language: name for language, name in others.items() if name}}
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_names, (self.names,))

    def __repr__(self) -> str:
        return f"Names({self.names!r})"

    def in_language(self, language: str | None) -> str:
        """The name in ``language`` (``"zh_CN"`` or ``"zh"``), else the English name."""
        base = (language or "en").replace("-", "_").split("_")[0]
        return self.names.get(language or "en") or self.names.get(base) or str.__str__(self)


def _names(names: Mapping[str, str]) -> Names:
    others = {language: str(name) for language, name in names.items() if language != "en"}
    return Names(str(names.get("en") or next(iter(others.values()), "")), **others)


#: What a parameter may be after :class:`Message` normalised it.
Param = str | int | float | Decimal | bool | None | date | datetime | StrEnum

#: Templates that are only placeholders and punctuation hold no words to translate.
_NO_WORDS = re.compile(r"^(?:\{[^{}]*\}|[\s.,;:!?()\-–—•\n])*$")


class Message(str):
    """An English sentence that remembers the template and parameters it was made from."""

    template: str
    params: dict[str, Param]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        english: dict[str, object] = {}
        kept: dict[str, Param] = {}
        if params:
            for name, value in params.items():
                if type(value) is str or type(value) is int:  # most parameters: as they are
                    english[name] = kept[name] = value
                else:
                    english[name] = _english(value)
                    kept[name] = _param(value)
        self = super().__new__(cls, template.format_map(english))
        self.template = template
        self.params = kept
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.template, self.params))

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {self.params!r})"

    @property
    def has_words(self) -> bool:
        """False for a template of placeholders and punctuation alone (nothing to translate)."""
        return has_words(self.template)


def _english(value: object) -> object:
    """A code in an English sentence reads as words: ``awaiting_approval`` -> ``awaiting approval``."""
    return value.value.replace("_", " ") if isinstance(value, StrEnum) else value


def has_words(template: str) -> bool:
    """False for a template of placeholders and punctuation alone (nothing to translate)."""
    return _NO_WORDS.match(template) is None


def _param(value: object) -> Param:
    if isinstance(value, (Message, StrEnum, str, bool, int, float, Decimal, date)) or value is None:
        return value
    return str(value)


def msg(template: str, /, **params: object) -> Message:
    """The message ``template`` with its named ``params`` (``str.format`` placeholders)."""
    return Message(template, params)


def template(text: str) -> str:
    """Mark ``text`` as a template that a table keeps for a later :class:`Message` (the list of
    templates for the translation catalogue finds it); returns it unchanged."""
    return text


def join(parts: Iterable[str], sep: str = " ") -> Message:
    """``sep.join(parts)`` that keeps each part's template, so each part is translated."""
    items = list(parts)
    template = sep.replace("{", "{{").replace("}", "}}").join(f"{{p{i}}}" for i in range(len(items)))
    return Message(template, {f"p{i}": part for i, part in enumerate(items)})


def with_detail(message: str, detail: object) -> str:
    """``message`` (what went wrong and what to do, in words) followed by the system's own text
    (a driver's or the operating system's error) as a secondary detail on a line of its own."""
    text = " ".join(str(detail or "").split())
    if not text:
        return message
    return msg("{message}\nTechnical detail: {detail}", message=message, detail=text)


def os_reason(exc: BaseException) -> str:
    """Why the operating system refused (``exc`` an ``OSError``), in words: a message."""
    number = getattr(exc, "errno", None)
    if number in (errno.ENOENT,):
        return msg("the file or folder does not exist")
    if number in (errno.EACCES, errno.EPERM):
        return msg("this user may not open it")
    if number == errno.ENOSPC:
        return msg("the disk is full")
    if number == errno.EROFS:
        return msg("the disk is read-only")
    if number == errno.EISDIR:
        return msg("it is a folder, not a file")
    if number == errno.ENOTDIR:
        return msg("a part of the path is not a folder")
    if number == errno.EBUSY:
        return msg("another program is using it")
    return msg("the system refused")


def os_detail(exc: BaseException) -> str:
    """The operating system's own words for ``exc`` (kept as a secondary detail)."""
    return str(getattr(exc, "strerror", None) or exc or type(exc).__name__)


def _recased(text: str, changed: str) -> str:
    """``changed`` (``text`` with its first letter's case changed) as a message like ``text`` when it
    is one: the template and parameters are kept, so it is still translated (the English text alone
    changes)."""
    if not isinstance(text, Message):
        return changed
    result = str.__new__(Message, changed)
    result.template = text.template
    result.params = dict(text.params)
    return result


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, to follow a colon in English."""
    return _recased(text, text[:1].lower() + text[1:])


def upper_first(text: str) -> str:
    """``text`` with its first letter in upper case, to start an English sentence."""
    return _recased(text, text[:1].upper() + text[1:])


def render(text: str, translate: Callable[[str], str], code_name: Callable[[StrEnum], str] = str,
           language: str | None = None) -> str:
    """``text`` in another language: a :class:`Message`'s template through ``translate`` (which
    returns the template itself when it has no translation), its codes through ``code_name``, the
    :class:`Names` among its parameters in ``language`` and the messages among them rendered the
    same way; plain text as it is. A translation that does not fit the parameters (a broken
    catalogue) gives the English text.
    """
    if not isinstance(text, Message):
        return text
    template = (translate(text.template) or text.template) if text.has_words else text.template
    params = {name: render(value, translate, code_name, language) if isinstance(value, Message)
              else code_name(value) if isinstance(value, StrEnum)
              else value.in_language(language) if isinstance(value, Names) else value
              for name, value in text.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError, TypeError):
        return str.__str__(text)


def dump_lines(lines: Iterable[str], sep: str = "\n") -> str:
    """Sentences to keep in one text column: one a line, or, when any is a message, as JSON with
    their templates and parameters (so a screen can show stored sentences in its language)."""
    items = list(lines)
    if not any(isinstance(item, Message) for item in items):
        return sep.join(items)
    return _LINES_JSON.encode([to_data(i) if isinstance(i, Message) else str(i) for i in items])


#: :func:`dump_lines`' encoder, made once (``json.dumps`` given an option makes one at every call).
_LINES_JSON = json.JSONEncoder(ensure_ascii=False)


def load_lines(text: str | None) -> list[str]:
    """The sentences :func:`dump_lines` stored (plain lines written before are read as they are)."""
    if not text:
        return []
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            lines: list[str] = []
            for item in items:
                try:
                    lines.append(from_data(item) if is_message_data(item) else str(item))
                except ValueError:
                    lines.append(str(item.get("$message", "")))
            return lines
    return [line.strip() for line in text.split("\n") if line.strip()]


def dump_text(text: str, limit: int | None = None) -> str:
    """One sentence to keep in a text column of at most ``limit`` characters: a message as its JSON
    data (template and parameters, so a screen shows it in its language), plain text as it is. A
    message whose data does not fit the column is kept as its English text (cut to the limit)."""
    if isinstance(text, Message):
        data = json.dumps(to_data(text), ensure_ascii=False, separators=(",", ":"))
        if limit is None or len(data) <= limit:
            return data
    return str.__str__(text)[:limit]


def load_text(stored: str | None) -> str:
    """The sentence :func:`dump_text` stored: a :class:`Message`, or the plain text written before
    (or a message that did not fit) as it is."""
    if not stored:
        return ""
    if stored.startswith('{"$message"'):
        try:
            data = json.loads(stored)
            if is_message_data(data):
                return from_data(data)
        except ValueError:
            pass
    return stored


def text_of(value: str) -> str:
    """The plain English text of ``value`` (a :class:`Message` or any string)."""
    return str.__str__(value)


def to_data(message: Message) -> dict[str, Any]:
    """``message`` as JSON-ready data (for the server's answers): ``{"$message": template, "params": {...}}``."""
    return {"$message": message.template, "params": {k: _param_to_data(v) for k, v in message.params.items()}}


def from_data(data: Mapping[str, Any]) -> Message:
    """The message :func:`to_data` made; raises ``ValueError`` for anything else."""
    template = data.get("$message")
    params = data.get("params") or {}
    if not isinstance(template, str) or not isinstance(params, Mapping):
        raise ValueError("not a message")
    try:
        return Message(template, {str(k): _param_from_data(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise ValueError(f"the message {template!r} does not fit its parameters ({exc})") from None


def is_message_data(data: object) -> bool:
    """True for data :func:`to_data` made."""
    return isinstance(data, Mapping) and isinstance(data.get("$message"), str)


def _param_to_data(value: Param) -> Any:
    if isinstance(value, Message):
        return to_data(value)
    if isinstance(value, StrEnum):
        return {"$code": type(value).__name__, "value": value.value}
    if isinstance(value, Names):
        return {"$names": dict(value.names)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _param_from_data(data: Any) -> Param:
    if not isinstance(data, Mapping):
        return data if isinstance(data, (str, int, float, bool)) or data is None else str(data)
    if "$message" in data:
        return from_data(data)
    if "$code" in data:
        enum_type = getattr(types, str(data["$code"]), None)
        value = str(data.get("value", ""))
        if isinstance(enum_type, type) and issubclass(enum_type, StrEnum):
            try:
                return enum_type(value)
            except ValueError:
                return value
        return value
    if "$names" in data and isinstance(data["$names"], Mapping):
        return _names(data["$names"])
    if "$decimal" in data:
        return Decimal(str(data["$decimal"]))
    if "$datetime" in data:
        return datetime.fromisoformat(str(data["$datetime"]))
    if "$date" in data:
        return date.fromisoformat(str(data["$date"]))
    return str(data)
