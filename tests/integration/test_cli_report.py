"""`returndesk report`: the analytics' figures as CSV, JSON and Excel from the command line."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from returndesk import cli

NOV = ["--from", "2026-11-01", "--to", "2026-11-30", "--site", "SH01"]


def test_reasons_as_csv_json_and_xlsx(ctx, analytics_world, capsys, tmp_path):
    assert cli.main(["report", "reasons", *NOV, "--format", "csv", "--url", ctx.db.url]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:6] == ["reason", "name_en", "name_zh", "returns", "units", "value_minor"]
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [("changed_mind", "2", "5", "39500"),
                                                            ("defective", "1", "1", "39900")]
    assert "2 rows" in err

    target = tmp_path / "rates.json"
    assert cli.main(["report", "rates", *NOV, "--by", "channel", "--out", str(target), "--url", ctx.db.url]) == 0
    data = json.loads(target.read_text("utf-8"))
    assert [(r["channel"], r["sold_units"], r["returned_units"]) for r in data["rows"]] == [
        ("online", 6, 4), ("store", 6, 3)]

    book = tmp_path / "money.xlsx"
    assert cli.main(["report", "money", *NOV, "--out", str(book), "--url", ctx.db.url]) == 0
    sheet = load_workbook(book).active
    values = {(r[0], r[1]): r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("refunded", "total")] == 61230 and values[("cost", "per_return")] == 28115


def test_a_bad_period_is_refused_in_words(ctx, analytics_world, capsys):
    code = cli.main(["report", "cycle-times", "--from", "2026-11-30", "--to", "2026-11-01", "--url", ctx.db.url])
    _, err = capsys.readouterr()
    assert code != 0 and "before it starts" in err


def test_the_monthly_report_is_an_a4_pdf_with_the_charts(ctx, analytics_world, capsys, tmp_path):
    import pypdfium2
    from pypdf import PdfReader

    for lang, title in (("en", "Returns report"), ("zh_CN", "退货月报")):
        target = tmp_path / f"report-{lang}.pdf"
        assert cli.main(["report", "monthly", *NOV, "--lang", lang, "--out", str(target), "--url", ctx.db.url]) == 0
        reader = PdfReader(target)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
        text = reader.pages[0].extract_text()
        assert title in text and "2026-11-01" in text and "¥612.30" in text
        page = pypdfium2.PdfDocument(str(target))[0]
        page.render(scale=1.5).to_pil().save(tmp_path / f"report-{lang}.png")
    code = cli.main(["report", "monthly", *NOV, "--out", str(tmp_path / "x.txt"), "--url", ctx.db.url])
    assert code != 0 and "ending in .pdf" in capsys.readouterr().err


def test_a_read_replica_must_be_postgresql(ctx, analytics_world, capsys, tmp_path):
    code = cli.main(["report", "reasons", *NOV, "--url", ctx.db.url, "--read-url", f"sqlite:///{tmp_path}/r.sqlite3"])
    assert code == 1 and "read replica" in capsys.readouterr().err


def test_server_and_report_take_a_read_url():
    server = cli.build_parser("server").parse_args(["server", "--read-url", "postgresql://reader@replica/rd"])
    assert server.read_url == "postgresql://reader@replica/rd"
    report = cli.build_parser("report").parse_args(
        ["report", "money", "--from", "2026-11-01", "--to", "2026-11-30", "--read-url", "postgresql://r@h/d"])
    assert report.read_url == "postgresql://r@h/d"
