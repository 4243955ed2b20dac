"""The printing backend without a printer: raw ZPL over TCP, PDF files, CUPS media names, and how
lp's answers become errors a clerk can act on (with stand-in lp/lpstat programs on PATH)."""

from __future__ import annotations

import socket
import stat
import threading
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm

from returndesk.documents import render_return_label
from returndesk.documents.printing import (
    PrinterNotFound,
    PrintingFailed,
    default_printer,
    list_printers,
    media_for_page,
    print_pdf,
    print_zpl,
    send_zpl,
    write_pdf,
)
from returndesk.documents.zpl import return_label_zpl

from .documents_support import label_data


class _RawPrinter:
    """A TCP listener on 127.0.0.1 that records one connection's bytes, like a port-9100 printer."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            while chunk := connection.recv(65536):
                self.received += chunk
        self.server.close()


def test_send_zpl_delivers_the_whole_label_to_port_9100_style_printer() -> None:
    printer = _RawPrinter()
    zpl = return_label_zpl(label_data("zh_CN"))
    send_zpl(zpl, "127.0.0.1", printer.port, timeout=5)
    printer.thread.join(timeout=10)
    assert not printer.thread.is_alive()
    assert printer.received == zpl.encode("utf-8")


def test_send_zpl_to_a_printer_that_is_not_there_says_so() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(PrintingFailed, match=f"127.0.0.1:{port}"):
        send_zpl("^XA^XZ", "127.0.0.1", port, timeout=5)


def test_only_zpl_is_sent_as_zpl() -> None:
    with pytest.raises(PrintingFailed, match=r"\^XA"):
        send_zpl("%PDF-1.4", "127.0.0.1", 9)
    with pytest.raises(PrintingFailed, match=r"\^XA"):
        print_zpl("hello", "Zebra", "label")


def test_write_pdf_saves_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "label.pdf"
    target.write_bytes(b"old")
    pdf = render_return_label(label_data())
    assert write_pdf(pdf, target) == target
    assert target.read_bytes() == pdf
    assert [p.name for p in tmp_path.iterdir()] == ["label.pdf"]  # no temporary left behind
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_pdf_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PrintingFailed, match="does not exist"):
        write_pdf(b"%PDF-1.4", tmp_path / "nowhere" / "label.pdf")


@pytest.mark.parametrize(
    "size,media",
    [
        ((4 * inch, 6 * inch), "Custom.4x6in"),
        ((100 * mm, 150 * mm), "Custom.100x150mm"),
        ((62 * mm, 29 * mm), "Custom.62x29mm"),
        ((80 * mm, 154.83 * mm), "Custom.80x154.8mm"),
        (A4, "A4"),
    ],
)
def test_media_for_page(size: tuple[float, float], media: str) -> None:
    assert media_for_page(*size) == media


def _fake_tool(directory: Path, name: str, stdout: str, stderr: str, code: int) -> None:
    script = directory / name
    script.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        f"printf '%b' '{stdout}'\nprintf '%s' '{stderr}' >&2\nexit {code}\n"
    )
    script.chmod(0o755)


def test_missing_lp_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrintingFailed, match="'lp' is not installed"):
        print_pdf(b"%PDF-1.4 test", "PDF", "label")
    with pytest.raises(PrintingFailed, match="'lpstat' is not installed"):
        list_printers()


@pytest.mark.parametrize(
    "stderr,error,message",
    [
        ("lp: Error - The printer or class does not exist.", PrinterNotFound, "no printer 'Zebra'"),
        ("lp: Error - Scheduler is not running.", PrintingFailed, "not running"),
        ("lp: Error - Destination \"Zebra\" is not accepting jobs.", PrintingFailed, "not accepting"),
    ],
)
def test_lp_errors_become_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: str, error: type, message: str
) -> None:
    _fake_tool(tmp_path, "lp", "", stderr, 1)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(error, match=message):
        print_pdf(b"%PDF-1.4 test", "Zebra", "label")


def test_job_id_is_read_from_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_tool(tmp_path, "lp", "request id is Zebra-42 (1 file(s))", "", 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert print_pdf(b"%PDF-1.4 test", "Zebra", "label", media="Custom.4x6in") == "Zebra-42"
    assert print_zpl("^XA^XZ", "Zebra", "label") == "Zebra-42"


def test_printer_list_comes_from_lpstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_tool(tmp_path, "lpstat", "Zebra\\nPDF\\n", "", 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert list_printers() == ["PDF", "Zebra"]


@pytest.mark.parametrize("answer,expected", [("system default destination: Zebra", "Zebra"),
                                             ("no system default destination", None)])
def test_default_printer_comes_from_lpstat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, expected: str | None
) -> None:
    _fake_tool(tmp_path, "lpstat", answer, "", 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert default_printer() == expected


@pytest.mark.parametrize("queue", ["", "-d", "Front Desk", "Zebra\n"])
def test_queue_names_that_lp_would_misread_are_refused(queue: str) -> None:
    with pytest.raises(PrintingFailed, match="not a valid printer name"):
        print_pdf(b"%PDF-1.4", queue, "label")


def test_only_pdf_is_printed_as_pdf() -> None:
    with pytest.raises(PrintingFailed, match="not a PDF"):
        print_pdf(b"^XA^XZ", "PDF", "label")
