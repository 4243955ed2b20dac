"""Item tags for put-away, printed when an inspection completes.

Which units get a tag: every unit that stays in the warehouse, i.e. whose disposition is not
"return to customer" (accepted units to available stock, refurbishment, return to vendor or scrap;
an over unit whose disposition was changed to restock too). Units that go back to the customer
travel in the customer's parcel and get no tag. One tag per unit, not per line: units of one line
may have different grades and dispositions, and each tag names its unit ("2 of 3").

The PDFs are rendered on a worker thread (:func:`render_item_tags`, reportlab); sending them to a
printer happens on the GUI thread through a *tag printer*: any callable taking one
:class:`RenderedTag` and returning where it went, in words (a printer name, a file path). The
station's printing set-up plugs its own in; without one, :func:`folder_printer` saves each tag as a
PDF file in the station's output folder (:func:`default_output_dir`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from returndesk.documents import ItemTagData, render_item_tag
from returndesk.documents.printing import PrintingFailed, write_pdf
from returndesk.domain.types import Disposition
from returndesk.services.views import InspectionUnitView

#: Environment variable naming the station's output folder (saved documents).
ENV_OUTPUT_DIR = "RETURNDESK_OUTPUT_DIR"


@dataclass(frozen=True)
class RenderedTag:
    """One item tag, ready for a printer: what it shows and the PDF."""

    data: ItemTagData
    pdf: bytes

    @property
    def title(self) -> str:
        """Print-job title, e.g. ``R0000012340 EL-1002 #2``."""
        return f"{self.data.rma} {self.data.sku} #{self.data.unit_number}"

    @property
    def file_name(self) -> str:
        """A file name that sorts by return and unit: ``R0000012340-02-EL-1002.pdf``."""
        sku = re.sub(r"[^0-9A-Za-z_-]+", "_", self.data.sku)
        reprint = f"-reprint{self.data.reprint}" if self.data.reprint else ""
        return f"{self.data.rma}-{self.data.unit_number:02d}-{sku}{reprint}.pdf"


#: Sends one tag to a printer (or a file); returns where it went, for the status line.
TagPrinter = Callable[[RenderedTag], str]


def tag_units(units: Iterable[InspectionUnitView]) -> list[InspectionUnitView]:
    """The units that get an item tag (see the module docstring), in the order they were scanned."""
    return [u for u in units if u.disposition and u.disposition != Disposition.RETURN_TO_CUSTOMER.value]


def render_item_tags(tag_data: Iterable[ItemTagData]) -> list[RenderedTag]:
    """Render each tag's PDF (reportlab; call it off the GUI thread)."""
    return [RenderedTag(data, render_item_tag(data)) for data in tag_data]


def print_item_tags(tags: Sequence[RenderedTag], printer: TagPrinter) -> list[str]:
    """Send every tag to ``printer``, in order; returns where each went.

    A printer failure (``PrintingFailed``, ``OSError``) stops at the failing tag and is raised
    as ``PrintingFailed`` naming how many tags were printed before it, so the station can say
    what to reprint.
    """
    done: list[str] = []
    for tag in tags:
        try:
            done.append(printer(tag))
        except PrintingFailed as exc:
            raise PrintingFailed(_partial(done, tags, exc.message)) from exc
        except OSError as exc:
            raise PrintingFailed(_partial(done, tags, exc.strerror or str(exc))) from exc
    return done


def _partial(done: list[str], tags: Sequence[RenderedTag], reason: str) -> str:
    failed = tags[len(done)]
    return (
        f"Item tag {failed.title} could not be printed ({reason}); {len(done)} of {len(tags)} tags"
        " were printed before it. Fix the printer, then print the tags again."
    )


def default_output_dir() -> Path:
    """The station's output folder: ``$RETURNDESK_OUTPUT_DIR``, else ``ReturnDesk/item-tags`` in
    the user's documents folder."""
    configured = os.environ.get(ENV_OUTPUT_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_documents_path

    return user_documents_path() / "ReturnDesk" / "item-tags"


def folder_printer(directory: Path | None = None) -> TagPrinter:
    """A tag printer that saves each tag as a PDF file in ``directory`` (created when missing);
    it says "PDF files in <folder>", the same for every tag, so the station names the folder once."""

    def save(tag: RenderedTag) -> str:
        target_dir = directory if directory is not None else default_output_dir()
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrintingFailed(
                f"The output folder {target_dir} cannot be created ({exc.strerror or exc}); choose"
                " another folder for the station's documents."
            ) from None
        write_pdf(tag.pdf, target_dir / tag.file_name)
        return QCoreApplication.translate("InspectionTags", "PDF files in {folder}").format(folder=target_dir)

    return save
