"""Workbooks as bytes that depend on their content alone.

openpyxl stamps a saved workbook with the moment of saving twice: in its document properties
(``docProps/core.xml``: created and modified) and in the date of every member of the zip file.
The same report made twice would then differ byte for byte. :func:`workbook_bytes` gives the
workbook the instant it is *as of* (for a report, the end of its period) in both places instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def workbook_bytes(book: Workbook, as_of: datetime) -> bytes:
    """``book`` saved as xlsx bytes, stamped with ``as_of`` (naive: taken as UTC) rather than now."""
    saved = io.BytesIO()
    book.save(saved)
    stamp = as_of.replace(tzinfo=None, microsecond=0)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = _STAMPS.sub(rb"\g<1>" + stamp.isoformat().encode() + rb"Z\g<2>", data)
            info = zipfile.ZipInfo(member.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, data)
    return out.getvalue()
