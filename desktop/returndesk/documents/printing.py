"""Sending documents to printers without Qt: CUPS queues (``lp``), raw ZPL to a Zebra printer on
port 9100, and PDF files.

A plain backend: which printer a station uses for which document, and the print log, belong to
the services; previewing and the system print dialog belong to the UI. Every failure raises
:class:`PrintingFailed` (or :class:`PrinterNotFound`) with a sentence the clerk can act on.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
from pathlib import Path

from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.messages import msg, os_detail, os_reason, with_detail

#: Seconds to wait for the CUPS command-line tools; they only hand the job to the scheduler.
CUPS_TIMEOUT = 30.0
#: Port of the raw printing service of Zebra and most other network label printers.
RAW_PORT = 9100

_REQUEST_ID = re.compile(r"request id is (\S+)")
_PT_PER_MM = 72 / 25.4


class PrintingFailed(ReturnDeskError):
    """A document could not be handed to the printer; nothing was printed."""


class PrinterNotFound(PrintingFailed):
    """The printer (CUPS queue) named in the settings does not exist."""


def _check_name(what: str, value: str) -> None:
    # Passed as separate arguments, so no shell is involved; a leading "-" would still be read
    # by lp as an option.
    if not value or value.startswith("-") or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise PrintingFailed(msg(
            "'{value}' is not a valid {what}; check the station's printer settings.",
            value=value, what=what))


def _run(args: list[str], *, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            args,
            input=input_bytes,
            capture_output=True,
            timeout=CUPS_TIMEOUT,
            check=False,
            # Messages in English so that they can be recognised below.
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        )
    except FileNotFoundError:
        raise PrintingFailed(
            msg(
                "The CUPS command '{args}' is not installed on this computer. Install the CUPS client "
                "(Debian/Ubuntu: cups-client) or print through the print dialog instead.",
                args=args[0])
        ) from None
    except subprocess.TimeoutExpired:
        raise PrintingFailed(
            msg(
                "CUPS did not answer within {cups_timeout:.0f} seconds ('{args}'). Check that the CUPS service is "
                "running, then print again.",
                cups_timeout=CUPS_TIMEOUT, args=args[0])
        ) from None


def _cups_error(result: subprocess.CompletedProcess[bytes], queue: str | None) -> PrintingFailed:
    message = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
    lower = message.lower()
    if queue is not None and ("does not exist" in lower or "invalid destination" in lower):
        return PrinterNotFound(
            msg(
                "There is no printer '{queue}' on this computer. Choose an existing printer in the station's printer "
                "settings (or add it in CUPS).",
                queue=queue)
        )
    if "scheduler is not running" in lower or "unable to connect" in lower or "connection refused" in lower:
        return PrintingFailed(msg(
            "The CUPS print service is not running. Start it (or ask IT to), then print again."))
    if "not accepting" in lower:
        return PrintingFailed(
            msg(
                "The printer '{queue}' is not accepting jobs at the moment. Enable it in CUPS, then print again.",
                queue=queue)
        )
    return PrintingFailed(msg("CUPS refused the print job: {value}", value=message or msg('no reason given')))


def list_printers() -> list[str]:
    """The names of the CUPS queues on this computer (``lpstat -e``), sorted."""
    result = _run(["lpstat", "-e"])
    if result.returncode != 0:
        raise _cups_error(result, None)
    return sorted(line.strip() for line in result.stdout.decode("utf-8", "replace").splitlines() if line.strip())


def default_printer() -> str | None:
    """The system's default CUPS queue, or None when there is none (``lpstat -d``)."""
    result = _run(["lpstat", "-d"])
    if result.returncode != 0:
        raise _cups_error(result, None)
    text = result.stdout.decode("utf-8", "replace").strip()
    if ":" not in text:
        return None
    return text.split(":", 1)[1].strip() or None


def media_for_page(width_pt: float, height_pt: float) -> str:
    """The CUPS ``media`` value for a page of this size: ``A4``, ``Custom.4x6in``, ``Custom.62x29mm``…

    Label and receipt printers print at the wrong scale (or on the wrong label) unless told the
    exact media; this is the value for ``print_pdf(..., media=...)``.
    """
    w_mm, h_mm = width_pt / _PT_PER_MM, height_pt / _PT_PER_MM
    if abs(w_mm - 210) < 0.5 and abs(h_mm - 297) < 0.5:
        return "A4"
    w_in, h_in = width_pt / 72, height_pt / 72
    if abs(w_in - round(w_in)) < 0.005 and abs(h_in - round(h_in)) < 0.005:
        return f"Custom.{round(w_in)}x{round(h_in)}in"
    return f"Custom.{_mm(w_mm)}x{_mm(h_mm)}mm"


def _mm(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def print_pdf(pdf: bytes, queue: str, title: str, media: str | None = None, copies: int = 1) -> str:
    """Send a PDF to the CUPS queue ``queue``; return the CUPS job id (``"PDF-12"``).

    ``media`` is the CUPS media name (see :func:`media_for_page`); ``title`` names the job in the
    queue. Raises :class:`PrinterNotFound` for an unknown queue, :class:`PrintingFailed` otherwise.
    """
    if not pdf.startswith(b"%PDF-"):
        raise PrintingFailed(msg("The document to print is not a PDF; nothing was sent to the printer."))
    options = []
    if media:
        _check_name("paper size", media)
        options += ["-o", f"media={media}"]
    return _submit(queue, title, pdf, options, copies)


def print_raw(data: bytes, queue: str, title: str, copies: int = 1) -> str:
    """Send printer-ready bytes (ZPL, ESC/POS) unfiltered to a CUPS queue (``lp -o raw``)."""
    return _submit(queue, title, data, ["-o", "raw"], copies)


def print_zpl(zpl: str, queue: str, title: str, copies: int = 1) -> str:
    """Send a ZPL label to a raw CUPS queue of a Zebra printer; return the job id."""
    if not zpl.lstrip().startswith("^XA"):
        raise PrintingFailed(msg("The label is not ZPL (it must start with ^XA); nothing was sent to the printer."))
    return print_raw(zpl.encode("utf-8"), queue, title, copies)


def _submit(queue: str, title: str, data: bytes, options: list[str], copies: int) -> str:
    _check_name("printer name", queue)
    if not 1 <= copies <= 99:
        raise PrintingFailed(msg("{copies} is not a number of copies between 1 and 99.", copies=copies))
    job_title = " ".join(title.split()) or "ReturnDesk"
    # The document goes in on standard input: no temporary file to leave behind.
    args = ["lp", "-d", queue, "-t", job_title, "-n", str(copies), *options]
    result = _run(args, input_bytes=data)
    if result.returncode != 0:
        raise _cups_error(result, queue)
    match = _REQUEST_ID.search(result.stdout.decode("utf-8", "replace"))
    if not match:
        raise PrintingFailed(
            msg(
                "CUPS accepted the job for '{queue}' but did not say its job number: {stdout!r}",
                queue=queue, stdout=result.stdout.decode('utf-8', 'replace').strip())
        )
    return match.group(1)


def send_zpl(zpl: str, host: str, port: int = RAW_PORT, timeout: float = 10.0) -> None:
    """Send a ZPL label straight to a network printer's raw port (9100)."""
    if not zpl.lstrip().startswith("^XA"):
        raise PrintingFailed(msg("The label is not ZPL (it must start with ^XA); nothing was sent to the printer."))
    payload = zpl.encode("utf-8")
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(payload)
            # Tell the printer the job is complete; it prints once the connection closes.
            connection.shutdown(socket.SHUT_WR)
    except TimeoutError:
        raise PrintingFailed(
            msg(
                "The label printer at {host}:{port} did not answer within {timeout:.0f} seconds. Check that it is "
                "switched on and connected, then print again.",
                host=host, port=port, timeout=timeout)
        ) from None
    except OSError as exc:
        raise PrintingFailed(with_detail(
            msg(
                "Could not send the label to the printer at {host}:{port}. Check the printer's address in the "
                "station's printer settings and that it is switched on.",
                host=host, port=port), os_detail(exc))
        ) from None


def write_pdf(pdf: bytes, path: str | os.PathLike[str]) -> Path:
    """Save a PDF to ``path`` (replacing it atomically, so a reader never sees half a file)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise PrintingFailed(msg(
            "The folder {parent} does not exist; choose another place to save the PDF.",
            parent=target.parent))
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".returndesk-", suffix=".pdf")
    except OSError as exc:
        raise PrintingFailed(with_detail(msg(
            "Could not save the PDF in {parent}: {value}.",
            parent=target.parent, value=os_reason(exc)), os_detail(exc))) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        # mkstemp makes the file private; a saved document is as readable as any other file.
        temporary.chmod(0o644)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise PrintingFailed(with_detail(msg(
            "Could not save the PDF as {target}: {value}.",
            target=target, value=os_reason(exc)), os_detail(exc))) from None
    return target
