"""The PySide6 desktop client.

Reusable foundation (screens build on these):

* :mod:`returndesk.ui.scanner` — keyboard-wedge barcode scanners (``ScanRouter``, ``ScanLineEdit``)
* :mod:`returndesk.ui.tasks` — work off the GUI thread (``TaskRunner``)
* :mod:`returndesk.ui.errors` — expected errors versus bugs (``ErrorPresenter``)
* :mod:`returndesk.ui.feedback` — status line and sounds for scanning screens (``FeedbackBar``)
* :mod:`returndesk.ui.i18n` — translators, fonts, style, display names of domain codes
* :mod:`returndesk.ui.widgets` — small shared widgets (money, key/value details, busy overlay,
  status pill)

The UI never imports SQLAlchemy, ``returndesk.store`` or ``returndesk.services``: it works through
the typed API of :mod:`returndesk.api` (``ReturnDeskApi``, ``SessionApi``).
"""

from __future__ import annotations

import sys
from types import ModuleType


def _lighten_pyside_module_check() -> None:
    """Keep PySide6's look at every module imported after it from holding their sources.

    Once PySide6 is loaded, its import hook asks of each new module whether it uses PySide6 (for
    ``from __feature__ import ...``): it reads the module's whole source with ``inspect.getsource``,
    and the lines stay in ``linecache`` for the life of the process. A client that imports
    SQLAlchemy, the schema, the use cases and its screens after Qt held about 20 MiB of source
    lines so, on top of which the password hash works at sign-in (the client's peak of memory).
    The same question is answered here by searching the module's source file without keeping it;
    a module without a ``.py`` file is left to PySide6's own check.
    """
    import PySide6.QtCore  # noqa: F401 - loads the hook to adjust

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "returndesk", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not origin.endswith(".py"):
            return bool(original(module))
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False

    uses_pyside.returndesk = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    feature.__dict__["_mod_uses_pyside"] = uses_pyside


_lighten_pyside_module_check()
