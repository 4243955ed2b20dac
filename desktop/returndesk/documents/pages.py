"""Page sizes of the printed documents, in PDF points (1 pt = 1/72 in)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.messages import msg

#: Return label sizes: the US 4x6 in thermal label and the metric 100x150 mm one.
RETURN_LABEL_SIZES: dict[str, tuple[float, float]] = {
    "4x6": (4 * inch, 6 * inch),
    "100x150": (100 * mm, 150 * mm),
}

#: Item tag: a 62x29 mm die-cut label (Brother DK-11209 and alike), landscape.
ITEM_TAG_SIZE: tuple[float, float] = (62 * mm, 29 * mm)

#: Receipt rolls by paper width in mm, with the width the print head actually reaches.
RECEIPT_WIDTHS_MM: dict[int, float] = {80: 72.0, 58: 48.0}

A4_SIZE: tuple[float, float] = A4


def return_label_size(size: str) -> tuple[float, float]:
    """Page size of a return label named ``"4x6"`` or ``"100x150"``."""
    try:
        return RETURN_LABEL_SIZES[size]
    except KeyError:
        raise ValidationFailed(
            msg(
                "'{size}' is not a return label size; choose one of {return_label_sizes}.",
                size=size, return_label_sizes=', '.join(RETURN_LABEL_SIZES))
        ) from None


def receipt_printable_width(width_mm: int) -> float:
    """Printable width in points of an 80 or 58 mm receipt roll."""
    try:
        return RECEIPT_WIDTHS_MM[width_mm] * mm
    except KeyError:
        raise ValidationFailed(
            msg("Receipts are printed on 80 or 58 mm rolls, not {width_mm} mm.", width_mm=width_mm)
        ) from None
