"""The screens of the main window, and which of them a user may open.

Each screen is registered once, here, as ``(key, title, permission, factory)``; the main window
lists the entries whose permission the signed-in user's role carries (``domain.permissions.can``)
and creates a screen the first time it is opened, as ``factory(api, tasks, actor)`` (``api`` is the
:class:`~returndesk.api.protocol.ReturnDeskApi` acting as the signed-in ``actor``).

To add a screen, add one line to the list at the bottom of this module (the navigation shows the
screens in this order; the search over all returns stays last)::

    register("counter", QT_TRANSLATE_NOOP("Navigation", "Counter intake"), Permission.CREATE_RETURN,
             lazy("returndesk.ui.screens.counter.screen:CounterScreen"), start_for=(StationProfile.COUNTER,),
             help="counter-clerk-柜台客服-taking-a-return")

``help`` names the screen's section of the user guide, which F1 opens (``ui/help.py``).
``start_for`` names the station profiles that open this screen right after sign-in (when the user
may see it); otherwise the first screen the user may see is shown. Titles are English source
strings in the ``Navigation`` translation context. A screen that handles
``QEvent.LanguageChange`` follows a language switch at once; others show the new language after
the next sign-in (the main window recreates its screens then).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from returndesk.domain.permissions import Permission, can
from returndesk.api.types import Actor
from returndesk.ui.settings import StationProfile
from returndesk.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from returndesk.api.protocol import ReturnDeskApi
    from returndesk.ui.tasks import TaskRunner

ScreenFactory = Callable[["ReturnDeskApi", "TaskRunner", Actor], QWidget]
CONTEXT = "Navigation"


@dataclass(frozen=True)
class ScreenEntry:
    """One screen of the navigation."""

    key: str
    title: str  # English source text, translated in the "Navigation" context
    permission: Permission
    factory: ScreenFactory
    start_for: tuple[StationProfile, ...] = ()
    help: str = ""  # the anchor of the screen's section in the user guide (F1 opens it)

    def display_title(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.title)


_REGISTRY: list[ScreenEntry] = []


def register(key: str, title: str, permission: Permission, factory: ScreenFactory, *,
             start_for: Iterable[StationProfile] = (), help: str = "") -> ScreenEntry:
    """Add a screen to the navigation (in order of registration). Keys are unique. ``help`` is the
    anchor of the screen's section in docs/user-guide.md (the English heading as GitHub links it;
    a translated guide finds the section at the same place among its headings)."""
    if any(entry.key == key for entry in _REGISTRY):
        raise ValueError(f"a screen with the key {key!r} is registered already")
    entry = ScreenEntry(key, title, Permission(permission), factory, tuple(StationProfile(p) for p in start_for),
                        help)
    _REGISTRY.append(entry)
    return entry


def unregister(key: str) -> None:
    """Remove a screen (tests that register a screen of their own clean up with this)."""
    _REGISTRY[:] = [entry for entry in _REGISTRY if entry.key != key]


def registered() -> tuple[ScreenEntry, ...]:
    """Every registered screen, in navigation order."""
    return tuple(_REGISTRY)


def entries_for(actor: Actor) -> list[ScreenEntry]:
    """The screens ``actor``'s role may open, in navigation order."""
    return [entry for entry in _REGISTRY if can(actor.role, entry.permission)]


def start_entry(entries: Sequence[ScreenEntry], profile: StationProfile | str) -> ScreenEntry | None:
    """The screen shown after sign-in at a station of ``profile``, among the allowed ``entries``."""
    profile = StationProfile(profile)
    for entry in entries:
        if profile in entry.start_for:
            return entry
    return entries[0] if entries else None


#: The module each lazily imported screen comes from (see :func:`preload_start_screens`).
_LAZY_MODULES: dict[ScreenFactory, str] = {}


def preload_start_screens(profile: StationProfile | str) -> None:
    """Import the modules of the screens a station of ``profile`` starts with, ahead of the
    sign-in (the main window then opens without importing them)."""
    profile = StationProfile(profile)
    for entry in _REGISTRY:
        module_name = _LAZY_MODULES.get(entry.factory)
        if module_name and profile in entry.start_for:
            importlib.import_module(module_name)


def lazy(target: str) -> ScreenFactory:
    """A factory that imports ``"package.module:ClassName"`` when the screen is first opened.

    Keeps start-up fast and lets screens import the main window's modules without a cycle.
    """
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ValueError(f"lazy() needs 'package.module:Name', not {target!r}")

    def factory(api: ReturnDeskApi, tasks: TaskRunner, actor: Actor) -> QWidget:
        screen_class = getattr(importlib.import_module(module_name), attr)
        screen: QWidget = screen_class(api, tasks, actor)
        return screen

    factory.__qualname__ = f"lazy({target})"
    _LAZY_MODULES[factory] = module_name
    return factory


# --------------------------------------------------------------------------- the screens

register("counter", QT_TRANSLATE_NOOP("Navigation", "Counter intake"), Permission.CREATE_RETURN,
         lazy("returndesk.ui.screens.counter.screen:CounterScreen"), start_for=(StationProfile.COUNTER,),
         help="counter-clerk-柜台客服-taking-a-return")
register("review", QT_TRANSLATE_NOOP("Navigation", "Review requests"), Permission.REVIEW_RETURNS,
         lazy("returndesk.ui.screens.review.screen:ReviewScreen"),
         help="customer-service-客服审核-reviewing-return-requests")
register("inspection", QT_TRANSLATE_NOOP("Navigation", "Inspection station"), Permission.INSPECT,
         lazy("returndesk.ui.screens.inspection.screen:InspectionScreen"), start_for=(StationProfile.INSPECTION,),
         help="warehouse-inspector-仓库质检员-scanning-parcels")
register("approval", QT_TRANSLATE_NOOP("Navigation", "Supervisor approval"), Permission.VIEW_QUEUES,
         lazy("returndesk.ui.screens.approval.screen:ApprovalScreen"), start_for=(StationProfile.SUPERVISOR,),
         help="supervisor-主管-approving-refunds")
register("to_pay", QT_TRANSLATE_NOOP("Navigation", "To pay"), Permission.ISSUE_REFUND,
         lazy("returndesk.ui.screens.to_pay.screen:ToPayScreen"), help="paying-approved-returns-待退款")
register("analytics", QT_TRANSLATE_NOOP("Navigation", "Analytics"), Permission.VIEW_QUEUES,
         lazy("returndesk.ui.screens.analytics:AnalyticsScreen"), help="supervisor-manager-finance-analytics-数据分析")
register("risk", QT_TRANSLATE_NOOP("Navigation", "Risk review"), Permission.VIEW_QUEUES,
         lazy("returndesk.ui.screens.risk:RiskScreen"), help="supervisor-the-risk-review-风险审查")
register("claims", QT_TRANSLATE_NOOP("Navigation", "Supplier claims"), Permission.VIEW_CLAIMS,
         lazy("returndesk.ui.screens.claims:ClaimsScreen"), help="claims-against-suppliers-退供单")
register("refurbish", QT_TRANSLATE_NOOP("Navigation", "Refurbish and scrap"), Permission.REFURBISH,
         lazy("returndesk.ui.screens.refurbish:RefurbishScreen"), help="warehouse-lead-refurbish-and-scrap-翻新与报废")

register("master_data", QT_TRANSLATE_NOOP("Navigation", "Products, customers and suppliers"),
         Permission.FIND_SALES, lazy("returndesk.ui.screens.master_data.screen:MasterDataScreen"),
         help="manager-经理-and-administrator-products-customers-and-suppliers")
register("cash_drawer", QT_TRANSLATE_NOOP("Navigation", "Cash drawer"), Permission.ISSUE_CASH_REFUND,
         lazy("returndesk.ui.screens.cash_drawer:CashDrawerScreen"), help="the-cash-drawer-收银钱箱")
register("finance", QT_TRANSLATE_NOOP("Navigation", "Finance desk"), Permission.VIEW_FINANCE,
         lazy("returndesk.ui.screens.finance.screen:FinanceScreen"), help="finance-财务")
register("admin", QT_TRANSLATE_NOOP("Navigation", "Administration"), Permission.ADMIN_USERS,
         lazy("returndesk.ui.screens.admin.screen:AdminScreen"), help="administrator")
register("integrations", QT_TRANSLATE_NOOP("Navigation", "Integrations"), Permission.ADMIN_USERS,
         lazy("returndesk.ui.screens.integrations.screen:IntegrationsScreen"),
         help="administrator-integrations-系统集成")

# The search over all returns comes after the stations' own screens.
register("returns", QT_TRANSLATE_NOOP("Navigation", "Returns"), Permission.FIND_SALES,
         lazy("returndesk.ui.screens.returns_list:ReturnsListScreen"), help="everyone-searching-returns")
