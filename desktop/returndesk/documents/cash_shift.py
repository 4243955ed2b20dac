"""The report of one counter cash shift on A4: float, every cash refund paid out, the expected
and counted cash, the difference and its journal entry, and two signature lines.

It is given plain values (no database, no services): the shift's figures and payments, already
in the site's time zone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .data import Lang, check_lang
from .fonts import RENDER_LOCK, register_fonts
from .layout import moment, money
from .pages import A4_SIZE
from .strings import text


@dataclass(frozen=True)
class ShiftPaymentData:
    paid_at: datetime  # local time of the site
    refund_no: str
    rma_no: str
    amount_minor: int
    paid_by: str


@dataclass(frozen=True)
class CashShiftData:
    """What the shift report prints; times are the site's wall clock (``time_zone``)."""

    shift_no: str
    station: str
    site: str | None
    currency: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None
    float_minor: int
    paid_out_minor: int
    expected_minor: int
    counted_minor: int | None
    difference_minor: int | None
    entry_no: str | None
    note: str | None
    payments: Sequence[ShiftPaymentData]
    time_zone: str
    lang: Lang = "en"
    #: Cash taken into the drawer: exchange differences paid by customers (``refund_no`` holds the
    #: replacement order's number).
    collections: Sequence[ShiftPaymentData] = ()
    taken_in_minor: int = 0


def render_cash_shift(data: CashShiftData) -> bytes:
    """The shift report for ``data`` as an A4 PDF (payments flow onto further pages)."""
    check_lang(data.lang)
    font = register_fonts()
    lang = data.lang
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4_SIZE, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
        bottomMargin=18 * mm, title=f"{text('shift.title', lang)} {data.shift_no}", author="ReturnDesk",
        creator="ReturnDesk", invariant=1, initialFontName=font,
    )
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.grey)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4)

    def p(value: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(value), style)

    def who(when: datetime, name: str) -> str:
        return text("shift.by", lang, when=moment(when), who=name)

    story: list = [p(f"{text('shift.title', lang)}  {data.shift_no}", title),
                   p(text("shift.times", lang, zone=data.time_zone), small), Spacer(0, 4 * mm)]
    head = [
        [p(text("shift.station", lang)), p(data.station), p(text("shift.site", lang)), p(data.site or "—")],
        [p(text("shift.opened", lang)), p(who(data.opened_at, data.opened_by)),
         p(text("shift.closed", lang)),
         p(who(data.closed_at, data.closed_by or "") if data.closed_at else text("shift.open_now", lang))],
    ]
    head_table = Table(head, colWidths=[22 * mm, 63 * mm, 22 * mm, 67 * mm])
    head_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("TEXTCOLOR", (0, 0), (0, -1), colors.grey),
                                    ("TEXTCOLOR", (2, 0), (2, -1), colors.grey)]))
    story += [head_table, p(text("shift.payments", lang), heading)]
    def listing(entries: Sequence[ShiftPaymentData], number: str, person: str) -> Table:
        rows = [[p(text("shift.time", lang)), p(text(number, lang)), p(text("rma", lang)),
                 p(text(person, lang)), p(text("shift.amount", lang), right)]]
        for pay in entries:
            rows.append([p(moment(pay.paid_at)), p(pay.refund_no), p(pay.rma_no), p(pay.paid_by),
                         p(money(pay.amount_minor, data.currency), right)])
        table = Table(rows, colWidths=[32 * mm, 36 * mm, 40 * mm, 36 * mm, 30 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return table

    if data.payments:
        story.append(listing(data.payments, "shift.refund", "shift.paid_by"))
    else:
        story.append(p(text("shift.none", lang)))
    if data.collections:
        story += [p(text("shift.collections", lang), heading),
                  listing(data.collections, "shift.replacement", "shift.taken_by")]
    story.append(Spacer(0, 6 * mm))

    def amount(minor: int | None, signed: bool = False) -> str:
        if minor is None:
            return "—"
        shown = money(abs(minor), data.currency)
        if signed and minor:
            return ("+" if minor > 0 else "−") + shown
        return shown if minor >= 0 else "−" + shown

    figures = [
        [p(text("shift.float", lang)), p(amount(data.float_minor), right)],
        [p(text("shift.paid_out", lang, n=len(data.payments))), p(amount(-data.paid_out_minor), right)],
        *([[p(text("shift.taken_in", lang, n=len(data.collections))),
            p(amount(data.taken_in_minor, signed=True), right)]] if data.collections else []),
        [p(text("shift.expected", lang)), p(amount(data.expected_minor), right)],
        [p(text("shift.counted", lang)), p(amount(data.counted_minor), right)],
        [p(text("shift.difference", lang)), p(amount(data.difference_minor, signed=True), right)],
        [p(text("shift.entry", lang)), p(data.entry_no or "—", right)],
    ]
    totals = Table(figures, colWidths=[120 * mm, 54 * mm])
    expected_row = 3 if data.collections else 2
    totals.setStyle(TableStyle([
        ("LINEABOVE", (0, expected_row), (-1, expected_row), 0.6, colors.black),
        ("LINEABOVE", (0, expected_row + 2), (-1, expected_row + 2), 0.6, colors.black),
    ]))
    story.append(totals)
    if data.note:
        story += [Spacer(0, 3 * mm), p(text("shift.note", lang, note=data.note))]
    story.append(Spacer(0, 18 * mm))
    signatures = Table([[p(text("shift.sign_clerk", lang)), "", p(text("shift.sign_checker", lang)), ""]],
                       colWidths=[28 * mm, 55 * mm, 28 * mm, 63 * mm])
    signatures.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
                                    ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black)]))
    story.append(signatures)
    with RENDER_LOCK:
        doc.build(story)
    return buffer.getvalue()
