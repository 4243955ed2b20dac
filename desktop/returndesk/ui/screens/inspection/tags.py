"""Item tags for put-away, printed when an inspection completes.

Which units get a tag: every unit that stays in the warehouse, i.e. whose disposition is not
"return to customer" (accepted units to available stock, refurbishment, return to vendor or scrap;
an over unit whose disposition was changed to restock too). Units that go back to the customer
travel in the customer's parcel and get no tag. One tag per unit, not per line: units of one line
may have different grades and dispositions, and each tag names its unit ("2 of 3").

The screen hands each tag to a *tag printer*: a callable taking the tag's print-log reference
(``<RMA>/<unit id>``, see ``api.documents.item_tag_reference``) and the language, run on a
task-runner thread, that renders the tag, sends it somewhere, logs the copy and says where it went
(:class:`PrintedTag`). The tag itself and the print log (copy numbers, "REPRINT n" on the paper)
belong to ``api.documents``. :func:`pdf_folder_printer` saves each tag as a PDF file in the
station's output folder (:func:`default_output_dir`); the station's printing set-up plugs in its
own printer instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from returndesk.api.types import Lang
from returndesk.api.printing import PrintingFailed
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.types import Disposition, DocumentType
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import InspectionUnitView, item_tag_reference
from returndesk.ui.i18n import tr_message

#: Environment variable naming the station's output folder (saved documents).
ENV_OUTPUT_DIR = "RETURNDESK_OUTPUT_DIR"


@dataclass(frozen=True)
class PrintedTag:
    """One item tag printed: its reference, where it went (a printer, a file), which copy."""

    reference: str
    where: str
    path: Path | None = None  # the file, when the tag was saved as one
    reprint: int = 0  # 0 for the original, n for the n-th reprint


#: Renders, prints and logs one tag on a worker thread: (reference, language) -> what was printed.
TagPrinter = Callable[[str, Lang], PrintedTag]


def tag_units(units: Iterable[InspectionUnitView]) -> list[InspectionUnitView]:
    """The units that get an item tag (see the module docstring), in the order they were scanned."""
    return [u for u in units if u.disposition and u.disposition != Disposition.RETURN_TO_CUSTOMER.value]


def tag_references(rma: str, units: Iterable[InspectionUnitView]) -> list[str]:
    """The print-log references of the tags of ``units`` that get one, in scan order."""
    return [item_tag_reference(rma, u.id) for u in tag_units(units)]


def print_item_tags(references: Sequence[str], printer: TagPrinter, lang: Lang) -> list[PrintedTag]:
    """Print every tag with ``printer``, in order (on a worker thread); returns what was printed.

    A failure stops at the failing tag and is raised as ``PrintingFailed`` naming how many tags
    were printed before it, so that the station can say what to print again.
    """
    done: list[PrintedTag] = []
    for reference in references:
        try:
            done.append(printer(reference, lang))
        except ReturnDeskError as exc:
            raise PrintingFailed(_partial(done, references, tr_message(exc.message))) from exc
        except OSError as exc:
            raise PrintingFailed(_partial(done, references, exc.strerror or str(exc))) from exc
    return done


def _partial(done: list[PrintedTag], references: Sequence[str], reason: str) -> str:
    return (
        f"The item tag {references[len(done)]} could not be printed ({reason}); {len(done)} of"
        f" {len(references)} tags were printed before it. Fix the printer, then print the tags again."
    )


def common_folder(printed: Sequence[PrintedTag]) -> Path | None:
    """The folder all the tags were saved in, when they all were saved as files in one folder."""
    folders = {p.path.parent for p in printed if p.path is not None}
    if len(folders) == 1 and all(p.path is not None for p in printed):
        return folders.pop()
    return None


def default_output_dir() -> Path:
    """The station's output folder for item tags: ``$RETURNDESK_OUTPUT_DIR``, else
    ``ReturnDesk/item-tags`` in the user's documents folder."""
    configured = os.environ.get(ENV_OUTPUT_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_documents_path

    return user_documents_path() / "ReturnDesk" / "item-tags"


def pdf_folder_printer(api: ReturnDeskApi, directory: Path | None = None) -> TagPrinter:
    """A tag printer that saves each tag as a PDF file in ``directory`` (default: the station's
    output folder, created when missing), numbered and logged by ``api.documents``."""

    def print_to_folder(reference: str, lang: Lang) -> PrintedTag:
        folder = (directory if directory is not None else default_output_dir()).expanduser().absolute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrintingFailed(
                f"The output folder {folder} cannot be created ({exc.strerror or exc}); choose another"
                " folder for the station's documents."
            ) from None
        outcome = api.documents.print_document(DocumentType.ITEM_TAG, reference, printer=f"pdf:{folder}", lang=lang)
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        return PrintedTag(outcome.document.reference, where, outcome.path, outcome.document.reprint)

    return print_to_folder
