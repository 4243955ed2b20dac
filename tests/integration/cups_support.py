"""The CUPS printer of the printing tests: the cups-pdf queue "PDF" and the files it writes.

``cups_pdf_queue`` is known to every test module (tests/conftest.py loads this module as a plugin).
"""

from __future__ import annotations

import io
import os
import pwd
import re
import subprocess
from pathlib import Path

import pypdf
import pytest

QUEUE = "PDF"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
# cups-pdf runs Ghostscript per job; a few seconds is normal, a minute means it is stuck.
JOB_DEADLINE_SECONDS = 60


@pytest.fixture(scope="module")
def cups_pdf_queue() -> str:
    if os.environ.get("RETURNDESK_TEST_CUPS", "on") == "off":
        pytest.skip("CUPS tests turned off (RETURNDESK_TEST_CUPS=off)")
    try:
        state = subprocess.run(["lpstat", "-a", QUEUE], capture_output=True, text=True, timeout=10,
                               env={**os.environ, "LC_ALL": "C"})
    except FileNotFoundError:
        pytest.fail("CUPS is not installed; run scripts/ensure-cups.sh (as root) first")
    if state.returncode != 0 or "accepting" not in state.stdout:
        pytest.fail(f"CUPS queue {QUEUE} is not accepting jobs; run scripts/ensure-cups.sh. lpstat: "
                    f"{state.stdout.strip()} {state.stderr.strip()}")
    return QUEUE


def output_directory() -> Path:
    """Where cups-pdf writes jobs of the current user: the "Out" setting, ${HOME} expanded."""
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.is_file():
        for line in CUPS_PDF_CONF.read_text(errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(out.replace("${HOME}", home).replace("${USER}", pwd.getpwuid(os.getuid()).pw_name))


def wait_for_new_pdf(directory: Path, before: set[Path], job: str) -> tuple[Path, bytes]:
    """Wait until the job's PDF is in ``directory`` and complete (it parses); fail after the deadline.

    The wait is on the folder and the file themselves (``QFileSystemWatcher``, inotify on Linux):
    each file cups-pdf creates in the folder and each write to our file wakes it, and the file is
    read again; nothing is looked at on a timer. A QApplication must exist (the test takes ``qapp``).

    cups-pdf names its files "<title>-job_<n>.pdf"; any other new PDF is taken if the name
    carries no job number. Text is not a usable sign: Ghostscript's rewrite drops the fonts'
    Unicode maps, so the text of the printed file no longer extracts.
    """
    from PySide6.QtCore import QCoreApplication, QEventLoop, QFileSystemWatcher, QTimer

    assert QCoreApplication.instance() is not None, "the test needs the qapp fixture"
    number = job.rsplit("-", 1)[-1]
    found: list[tuple[Path, bytes]] = []
    watcher = QFileSystemWatcher()
    loop = QEventLoop()

    def look(*_changed: str) -> None:
        if found:
            return
        if not directory.is_dir():  # cups-pdf makes the folder with the first job: wait for it
            return
        if str(directory) not in watcher.directories():
            watcher.addPath(str(directory))
        new = sorted(set(directory.glob("*.pdf")) - before)
        ours = [p for p in new if p.name.endswith(f"job_{number}.pdf")] or [p for p in new if "job_" not in p.name]
        for candidate in ours:
            if str(candidate) not in watcher.files():
                watcher.addPath(str(candidate))  # watched before it is read: no write goes unnoticed
            try:
                data = candidate.read_bytes()
                if len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1:
                    found.append((candidate, data))
                    loop.quit()
                    return
            except (pypdf.errors.PdfReadError, ValueError, FileNotFoundError):
                pass  # still being written by Ghostscript (or moved into place)

    watcher.directoryChanged.connect(look)
    watcher.fileChanged.connect(look)
    watcher.addPath(str(directory if directory.is_dir() else directory.parent))
    look()
    if not found:
        # Only a guard against a stuck Ghostscript: the loop ends as soon as the file is complete.
        QTimer.singleShot(JOB_DEADLINE_SECONDS * 1000, loop.quit)
        loop.exec()
    watcher.deleteLater()
    if not found:
        pytest.fail(f"job {job}: no PDF appeared in {directory} within {JOB_DEADLINE_SECONDS} s")
    return found[0]
