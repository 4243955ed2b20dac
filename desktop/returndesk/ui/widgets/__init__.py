"""Small widgets shared by the station screens."""

from returndesk.ui.widgets.busy import BusyOverlay
from returndesk.ui.widgets.key_value import KeyValueView
from returndesk.ui.widgets.money import MoneyLabel, format_amount
from returndesk.ui.widgets.status_pill import STATUS_COLOURS, StatusPill, status_colours

__all__ = [
    "STATUS_COLOURS",
    "BusyOverlay",
    "KeyValueView",
    "MoneyLabel",
    "StatusPill",
    "format_amount",
    "status_colours",
]
