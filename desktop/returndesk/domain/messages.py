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
built from sentences, see :func:`join`). Any other value is kept as its text.

String operations on a message (``+``, ``%``, f-strings, ``str.join``) give plain English text:
build sentences with :func:`msg` and :func:`join` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

#: What a parameter may be after :class:`Message` normalised it.
Param = str | int | float | Decimal | bool | None | date | datetime | StrEnum

#: Templates that are only placeholders and punctuation hold no words to translate.
_NO_WORDS = re.compile(r"^(?:\{[^{}]*\}|[\s.,;:!?()\-–—•\n])*$")


class Message(str):
    """An English sentence that remembers the template and parameters it was made from."""

    template: str
    params: dict[str, Param]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        values = dict(params or {})
        self = super().__new__(cls, template.format(**values))
        self.template = template
        self.params = {name: _param(value) for name, value in values.items()}
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.template, self.params))

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {self.params!r})"

    @property
    def has_words(self) -> bool:
        """False for a template of placeholders and punctuation alone (nothing to translate)."""
        return _NO_WORDS.match(self.template) is None


def _param(value: object) -> Param:
    if isinstance(value, (Message, StrEnum, str, bool, int, float, Decimal, date)) or value is None:
        return value
    return str(value)


def msg(template: str, /, **params: object) -> Message:
    """The message ``template`` with its named ``params`` (``str.format`` placeholders)."""
    return Message(template, params)


def join(parts: Iterable[str], sep: str = " ") -> Message:
    """``sep.join(parts)`` that keeps each part's template, so each part is translated."""
    items = list(parts)
    template = sep.replace("{", "{{").replace("}", "}}").join(f"{{p{i}}}" for i in range(len(items)))
    return Message(template, {f"p{i}": part for i, part in enumerate(items)})


def text_of(value: str) -> str:
    """The plain English text of ``value`` (a :class:`Message` or any string)."""
    return str.__str__(value)
