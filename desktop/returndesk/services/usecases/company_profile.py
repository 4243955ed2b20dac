"""The company profile printed on documents: store, warehouse return-to address, company, tax id.

The shipped default is ``db/seed/company.json``. An administrator overrides any field, for all
stations (station ``"*"``) or for one station (a counter in another city prints its own store and
its own warehouse), in the ``"company"`` section of the station's settings
(:mod:`.station_settings`). What applies to a station is, field by field: the station's value,
else the value for all stations, else the shipped one.

A text field is one string for both languages or ``{"en": "...", "zh_CN": "..."}``; an address is
a list of printed lines (or such a mapping of lists).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from returndesk.documents.data import LANGUAGES, Lang, check_lang
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.permissions import Permission

from returndesk.services.infra.station_settings import (
    ALL_STATIONS,
    check_station_code,
    describe_station,
    read_section,
    update_section,
)
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from returndesk.services.tx.context import Actor, ServiceContext

SECTION = "company"

#: Field name -> whether it is an address (lines) rather than one line of text.
FIELDS: dict[str, bool] = {
    "company_name": False,
    "company_address": True,
    "company_tax_id": False,
    "store_name": False,
    "store_address": True,
    "return_to": True,
}
_MAX_LINE = 120
_MAX_LINES = 8


@dataclass(frozen=True)
class CompanyProfile:
    """The profile in one language, as the documents print it."""

    company_name: str
    company_address: tuple[str, ...]
    company_tax_id: str
    store_name: str
    store_address: tuple[str, ...]
    return_to: tuple[str, ...]
    lang: Lang = "en"


@cache
def _shipped_text() -> str:
    return (files("returndesk.db") / "seed" / "company.json").read_text("utf-8")


def shipped_profile() -> dict[str, Any]:
    """The shipped default (``db/seed/company.json``) without its comment."""
    data = json.loads(_shipped_text())
    return {name: data[name] for name in FIELDS if name in data}


def _check_value(name: str, value: Any) -> Any:
    """The value normalised (lists of lines, per-language mappings), or ValidationFailed."""
    address = FIELDS[name]
    words = name.replace("_", " ")

    def one(v: Any, lang: str | None) -> Any:
        where = f" ({lang})" if lang else ""
        if address:
            lines = [v] if isinstance(v, str) else v
            if not isinstance(lines, list | tuple) or not all(isinstance(line, str) for line in lines):
                raise ValidationFailed(msg(
                    "The {words}{where} must be a list of printed lines.",
                    words=words, where=where))
            lines = [" ".join(line.split()) for line in lines]
            lines = [line for line in lines if line]
            if not lines and name == "return_to":
                raise ValidationFailed(msg("The return-to address cannot be empty: return labels need it."))
            if len(lines) > _MAX_LINES or any(len(line) > _MAX_LINE for line in lines):
                raise ValidationFailed(
                    msg(
                        "The {words}{where} is too long: at most {max_lines} lines of {max_line} characters.",
                        words=words, where=where, max_lines=_MAX_LINES, max_line=_MAX_LINE)
                )
            return lines
        if not isinstance(v, str):
            raise ValidationFailed(msg("The {words}{where} must be text.", words=words, where=where))
        text = " ".join(v.split())
        if not text and name != "company_tax_id":
            raise ValidationFailed(msg("The {words}{where} cannot be empty.", words=words, where=where))
        if len(text) > _MAX_LINE:
            raise ValidationFailed(msg(
                "The {words}{where} is longer than {max_line} characters.",
                words=words, where=where, max_line=_MAX_LINE))
        return text

    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in LANGUAGES]
        if unknown or not value:
            raise ValidationFailed(
                msg(
                    "The {words} is given per language with {value}; use {languages}.",
                    words=words, value=', '.join(map(repr, unknown)) or msg('no language'),
                    languages=' / '.join(LANGUAGES))
            )
        return {lang: one(v, lang) for lang, v in value.items()}
    return one(value, None)


def _pick(value: Any, lang: Lang) -> Any:
    if isinstance(value, Mapping):
        return value.get(lang, value.get("en", next(iter(value.values()))))
    return value


def resolve_profile(layers: list[Mapping[str, Any]], lang: Lang) -> CompanyProfile:
    """The profile in ``lang`` from layers of overrides, the most specific first."""
    check_lang(lang)
    values: dict[str, Any] = {}
    for name, address in FIELDS.items():
        for layer in layers:
            if name in layer:
                value = _pick(layer[name], lang)
                values[name] = tuple(value) if address else value
                break
        else:
            values[name] = () if address else ""
    return CompanyProfile(**values, lang=lang)


def profile_in(session: Session, station_code: str | None, lang: Lang) -> CompanyProfile:
    """The profile that applies at ``station_code`` (None: the company-wide one), in ``lang``."""
    code = station_code.strip() if station_code and station_code.strip() else ALL_STATIONS
    common, own = read_section(session, code, SECTION)
    return resolve_profile([own, common, shipped_profile()], lang)


def get_company_profile(ctx: ServiceContext, station_code: str | None = None, lang: Lang = "en") -> CompanyProfile:
    """The company profile as printed at ``station_code`` in ``lang``."""
    with ctx.db.read() as s:
        return profile_in(s, station_code, lang)


def get_company_overrides(ctx: ServiceContext, station_code: str) -> dict[str, Any]:
    """What is stored for the station itself (``"*"``: for all stations), as stored."""
    code = check_station_code(station_code)
    with ctx.db.read() as s:
        common, own = read_section(s, code, SECTION)
    return common if code == ALL_STATIONS else own


def set_company_profile(
    ctx: ServiceContext, actor: Actor | None, station_code: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Override fields of the profile for a station (``"*"``: all stations); a value of None
    removes the override, so the next layer applies again. Administrators only; audited.
    Returns what is now stored for that station."""
    if actor is not None:
        actor.require(Permission.ADMIN_USERS)
    code = check_station_code(station_code)
    unknown = [name for name in values if name not in FIELDS]
    if unknown:
        raise ValidationFailed(
            msg(
                "{unknown} is not part of the company profile; the fields are {fields}.",
                unknown=', '.join(map(repr, unknown)), fields=', '.join(FIELDS))
        )
    checked = {name: None if value is None else _check_value(name, value) for name, value in values.items()}

    def change(section: dict[str, Any]) -> dict[str, Any]:
        for name, value in checked.items():
            if value is None:
                section.pop(name, None)
            else:
                section[name] = value
        return section

    try:
        return update_section(ctx, actor, code, SECTION, change)
    except ValidationFailed as exc:
        raise ValidationFailed(msg(
            "The company profile of {code} was not saved: {message}",
            code=describe_station(code), message=exc.message)) from exc
