"""The monthly returns report for the management meeting: one A4 page with the dashboard's charts
(reasons Pareto with its cumulative line, the worst return rates, hours per stage, refunds by
method) drawn as vector graphics, and the key figures, in English or Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .data import Lang, check_lang
from .fonts import register_fonts
from .layout import fit_size, money, moment, render
from .pages import A4_SIZE

BAR = colors.HexColor("#1565c0")
LINE = colors.HexColor("#c62828")
P90 = colors.HexColor("#ef6c00")
GRID = colors.HexColor("#d0d0d0")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Returns report {period}", "退货月报 {period}"),
    "site": ("Site: {site}", "门店/仓库：{site}"),
    "all_sites": ("All sites", "全部门店/仓库"),
    "generated": ("Printed {when}", "打印时间 {when}"),
    "reasons": ("Why goods come back (units by reason, cumulative share)", "退货原因（按件数，含累计占比）"),
    "rates": ("Worst return rates by product (units returned of sold)", "商品退货率最高（退回件数/售出件数）"),
    "stages": ("Hours per stage (median, 90th percentile)", "各环节耗时（小时，中位数与 90 分位）"),
    "money": ("Refunded by method", "按退款方式统计的退款"),
    "figures": ("Key figures", "关键数据"),
    "returns": ("Returns", "退货单数"),
    "units": ("Units returned", "退货件数"),
    "refunded": ("Refunded", "退款合计"),
    "deductions": ("Grade deductions kept", "保留的成色扣减"),
    "fees": ("Restocking fees kept", "保留的重新上架费"),
    "restocked": ("Back in stock (at cost)", "重新入库（按成本）"),
    "cost_per_return": ("Cost per return", "每单退货成本"),
    "bottleneck": ("Most time lost now", "当前耗时最多的环节"),
    "none": ("none", "无"),
    "cumulative": ("Cumulative share", "累计占比"),
    "median": ("Median", "中位数"),
    "p90": ("90th percentile", "90 分位"),
    "no_data": ("No data in this period.", "本期没有数据。"),
}


def _t(key: str, lang: Lang, **fields: object) -> str:
    en, zh = _TEXT[key]
    return (zh if lang == "zh_CN" else en).format(**fields)


@dataclass(frozen=True)
class MonthlyReportData:
    """The figures of the report, already named in the report's language."""

    period: str  # e.g. "2026-11-01 – 2026-11-30"
    site: str | None
    printed_at: datetime  # the site's wall clock
    currency: str
    reasons: tuple[tuple[str, int, float], ...]  # name, units, cumulative share 0..1
    rates: tuple[tuple[str, float], ...]  # name, unit rate 0..1 (worst first)
    stages: tuple[tuple[str, float, float], ...]  # stage name, median hours, p90 hours
    refunds: tuple[tuple[str, int], ...]  # method name, amount (minor units)
    returns: int
    units: int
    refunded_minor: int
    deductions_minor: int
    fees_minor: int
    restocked_minor: int
    cost_per_return_minor: int
    bottleneck: str | None


def render_monthly_report(data: MonthlyReportData, lang: Lang = "en") -> bytes:
    """The report as a one-page A4 PDF."""
    check_lang(lang)
    return render(A4_SIZE, _t("title", lang, period=data.period), lambda canvas: _draw(canvas, data, lang))


def _draw(canvas: Canvas, data: MonthlyReportData, lang: Lang) -> None:
    font = register_fonts()
    width, height = A4_SIZE
    left, top = 15 * mm, height - 15 * mm
    canvas.setFont(font, 16)
    canvas.drawString(left, top - 6 * mm, _t("title", lang, period=data.period))
    canvas.setFont(font, 9)
    canvas.drawString(left, top - 12 * mm, _t("site", lang, site=data.site or _t("all_sites", lang)))
    canvas.drawRightString(width - left, top - 12 * mm, _t("generated", lang, when=moment(data.printed_at)))
    chart_w, chart_h = (width - 2 * left - 8 * mm) / 2, 78 * mm
    row1, row2 = top - 20 * mm - chart_h, top - 28 * mm - 2 * chart_h
    x2 = left + chart_w + 8 * mm
    renderPDF.draw(_pareto(data, lang, font, chart_w, chart_h), canvas, left, row1)
    renderPDF.draw(_hbars(_t("rates", lang), [(n, r * 100) for n, r in data.rates], "%", font, chart_w, chart_h,
                          lang), canvas, x2, row1)
    renderPDF.draw(_stages(data, lang, font, chart_w, chart_h), canvas, left, row2)
    renderPDF.draw(_hbars(_t("money", lang), [(n, a / 100) for n, a in data.refunds], "", font, chart_w, chart_h,
                          lang), canvas, x2, row2)
    _figures(canvas, data, lang, font, left, row2 - 10 * mm, width - 2 * left)


def _frame(title: str, font: str, w: float, h: float) -> Drawing:
    d = Drawing(w, h)
    d.add(Rect(0, 0, w, h, strokeColor=GRID, fillColor=None, strokeWidth=0.5))
    size = fit_size(title, w - 8, 9, 6)
    d.add(String(4, h - 12, title, fontName=font, fontSize=size))
    return d


def _ticks(top: float) -> int:
    """Gridlines that fall on round numbers: fifths of 1, 5, 25…, quarters of 2, 4…"""
    return 5 if f"{top:g}"[0] in "15" or f"{top:g}".startswith("25") else 4


def _legend(d: Drawing, font: str, w: float, items: list[tuple[str, object]]) -> None:
    x = w - 6.0
    for label, colour in reversed(items):
        width = len(label) * 4.2 + 12
        x -= width
        d.add(Rect(x, 5, 6, 6, fillColor=colour, strokeColor=None))
        d.add(String(x + 8, 5.5, label, fontName=font, fontSize=6))


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return float(step * factor)
    return float(step * 10)


def _pareto(data: MonthlyReportData, lang: Lang, font: str, w: float, h: float) -> Drawing:
    d = _frame(_t("reasons", lang), font, w, h)
    bars = data.reasons[:8]
    if not bars:
        d.add(String(w / 2, h / 2, _t("no_data", lang), fontName=font, fontSize=8, textAnchor="middle"))
        return d
    x0, y0, pw, ph = 26.0, 34.0, w - 56, h - 60
    top = _nice_top(max(u for _, u, _ in bars))
    n = _ticks(top)
    for i in range(n + 1):
        y = y0 + ph * i / n
        d.add(Line(x0, y, x0 + pw, y, strokeColor=GRID, strokeWidth=0.3))
        d.add(String(x0 - 3, y - 2.5, f"{top * i / n:g}", fontName=font, fontSize=6, textAnchor="end"))
        d.add(String(x0 + pw + 3, y - 2.5, f"{100 * i / n:g} %", fontName=font, fontSize=6))
    slot = pw / len(bars)
    points: list[float] = []
    for i, (name, units, cumulative) in enumerate(bars):
        bx = x0 + slot * i + slot * 0.15
        d.add(Rect(bx, y0, slot * 0.7, ph * units / top, fillColor=BAR, strokeColor=None))
        label = name if len(name) <= 10 else name[:9] + "…"
        d.add(String(x0 + slot * (i + 0.5), y0 - 9, label, fontName=font, fontSize=fit_size(label, slot, 6, 4),
                     textAnchor="middle"))
        points += [x0 + slot * (i + 0.5), y0 + ph * cumulative]
    d.add(PolyLine(points, strokeColor=LINE, strokeWidth=1.2))
    _legend(d, font, w, [(_t("units", lang), BAR), (_t("cumulative", lang), LINE)])
    return d


def _stages(data: MonthlyReportData, lang: Lang, font: str, w: float, h: float) -> Drawing:
    d = _frame(_t("stages", lang), font, w, h)
    stages = data.stages
    if not stages:
        d.add(String(w / 2, h / 2, _t("no_data", lang), fontName=font, fontSize=8, textAnchor="middle"))
        return d
    x0, y0, pw, ph = 26.0, 34.0, w - 34, h - 60
    top = _nice_top(max(p90 for _, _, p90 in stages))
    n = _ticks(top)
    for i in range(n + 1):
        y = y0 + ph * i / n
        d.add(Line(x0, y, x0 + pw, y, strokeColor=GRID, strokeWidth=0.3))
        d.add(String(x0 - 3, y - 2.5, f"{top * i / n:g}", fontName=font, fontSize=6, textAnchor="end"))
    slot = pw / len(stages)
    for i, (name, p50, p90) in enumerate(stages):
        bx = x0 + slot * i + slot * 0.12
        d.add(Rect(bx, y0, slot * 0.36, ph * p50 / top, fillColor=BAR, strokeColor=None))
        d.add(Rect(bx + slot * 0.38, y0, slot * 0.36, ph * p90 / top, fillColor=P90, strokeColor=None))
        d.add(String(x0 + slot * (i + 0.5), y0 - 9, name, fontName=font, fontSize=fit_size(name, slot, 6, 4),
                     textAnchor="middle"))
    _legend(d, font, w, [(_t("median", lang), BAR), (_t("p90", lang), P90)])
    return d


def _hbars(title: str, rows: list[tuple[str, float]], unit: str, font: str, w: float, h: float,
           lang: Lang) -> Drawing:
    d = _frame(title, font, w, h)
    rows = rows[:8]
    if not rows:
        d.add(String(w / 2, h / 2, _t("no_data", lang), fontName=font, fontSize=8, textAnchor="middle"))
        return d
    x0, y0, pw, ph = 70.0, 10.0, w - 110, h - 28
    top = _nice_top(max(v for _, v in rows))
    slot = min(ph / len(rows), 22.0)
    for i, (name, value) in enumerate(rows):
        y = y0 + ph - slot * (i + 1) + slot * 0.15
        d.add(Rect(x0, y, pw * value / top, slot * 0.7, fillColor=BAR, strokeColor=None))
        d.add(String(x0 - 3, y + slot * 0.2, name, fontName=font, fontSize=fit_size(name, x0 - 6, 6.5, 4),
                     textAnchor="end"))
        shown = f"{value:.1f} %" if unit == "%" else f"{value:,.2f}"
        d.add(String(x0 + pw * value / top + 3, y + slot * 0.2, shown, fontName=font, fontSize=6.5))
    return d


def _figures(canvas: Canvas, data: MonthlyReportData, lang: Lang, font: str, x: float, y: float,
             width: float) -> None:
    canvas.setFont(font, 11)
    canvas.drawString(x, y, _t("figures", lang))
    rows = [
        (_t("returns", lang), f"{data.returns:,}"),
        (_t("units", lang), f"{data.units:,}"),
        (_t("refunded", lang), money(data.refunded_minor, data.currency)),
        (_t("deductions", lang), money(data.deductions_minor, data.currency)),
        (_t("fees", lang), money(data.fees_minor, data.currency)),
        (_t("restocked", lang), money(data.restocked_minor, data.currency)),
        (_t("cost_per_return", lang), money(data.cost_per_return_minor, data.currency)),
        (_t("bottleneck", lang), data.bottleneck or _t("none", lang)),
    ]
    canvas.setFont(font, 9)
    column = width / 2
    for i, (label, value) in enumerate(rows):
        cx = x + column * (i % 2)
        cy = y - 6 * mm - 5.5 * mm * (i // 2)
        canvas.drawString(cx, cy, label)
        canvas.drawRightString(cx + column - 8 * mm, cy, value)
