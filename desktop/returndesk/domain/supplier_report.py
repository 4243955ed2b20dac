"""The supplier's side of returns, as values: what the report to a supplier holds (no database).

Built by :mod:`returndesk.services.usecases.supplier_report`, rendered by
:mod:`returndesk.documents.supplier_report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReasonUnits:
    code: str
    name_en: str
    name_zh: str
    units: int
    vendor_fault: bool


@dataclass(frozen=True)
class SupplierFigures:
    supplier_code: str
    supplier_name: str
    sold_units: int
    sold_minor: int
    returned_units: int
    returned_minor: int
    unit_rate: float | None  # returned ÷ sold, units
    value_rate: float | None  # returned ÷ sold, value
    vendor_fault_units: int
    vendor_fault_share: float | None  # of the units returned
    top_reasons: tuple[ReasonUnits, ...]
    claims_open: int  # claims not answered yet
    claims_open_units: int
    claims_open_cost_minor: int
    claims_answered: int  # answered in the period
    claimed_minor: int  # what those claims asked
    recovered_minor: int  # what the supplier credited on them


@dataclass(frozen=True)
class SupplierReport:
    date_from: date
    date_to: date
    company_name: str
    suppliers: tuple[SupplierFigures, ...]
