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
