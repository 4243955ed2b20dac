"""The tables of the integrations screen: the webhook outbox, the webhooks and the API keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from returndesk.api.types import ApiKeyView, OutboxRow, WebhookView
from returndesk.ui.i18n import tr_message
from returndesk.ui.local_time import NO_TIME, format_datetime

T = TypeVar("T")
CONTEXT = "IntegrationsScreen"
Index = QModelIndex | QPersistentModelIndex


def when(ts: datetime | None) -> str:
    """A stored time as the site's clock shows it, or a dash."""
    return format_datetime(ts, empty=NO_TIME)


def outbox_status_name(status: str) -> str:
    names = {
        "pending": QCoreApplication.translate("IntegrationsScreen", "Pending"),
        "delivered": QCoreApplication.translate("IntegrationsScreen", "Delivered"),
        "failed": QCoreApplication.translate("IntegrationsScreen", "Failed"),
    }
    return names.get(status, status)


def _error(error: str | None) -> str:
    """A delivery's error in the user's language: the sentence, then the technical detail on a line
    of its own (the table shows the first line, its tooltip the whole)."""
    return tr_message(error) if error else ""


def _attempts(row: OutboxRow) -> str:
    return "—" if row.attempts is None else str(row.attempts)


def _events(webhook: WebhookView) -> str:
    if webhook.event_types.strip() == "*":
        return QCoreApplication.translate("IntegrationsScreen", "all events")
    return webhook.event_types


def _active(webhook: WebhookView) -> str:
    if webhook.active:
        return QCoreApplication.translate("IntegrationsScreen", "active")
    return QCoreApplication.translate("IntegrationsScreen", "disabled")


def _last_used(key: ApiKeyView) -> str:
    return when(key.last_used_at) if key.last_used_at else QCoreApplication.translate("IntegrationsScreen", "never")


def _key_state(key: ApiKeyView) -> str:
    if key.revoked:
        return QCoreApplication.translate("IntegrationsScreen", "revoked")
    return QCoreApplication.translate("IntegrationsScreen", "active")


class _RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table of frozen rows; the columns are (header, text of a row) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[T] = []

    def columns(self) -> Sequence[tuple[str, Callable[[T], str]]]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns()[index.column()][1](self._rows[index.row()]).split("\n", 1)[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns()[index.column()][1](self._rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            columns = self.columns()
            if 0 <= section < len(columns):
                return columns[section][0]
        return None


class OutboxTableModel(_RowsModel[OutboxRow]):
    """Events for each webhook: event, target, attempts, next attempt, last error."""

    def columns(self) -> Sequence[tuple[str, Callable[[OutboxRow], str]]]:
        return (
            (QCoreApplication.translate("IntegrationsScreen", "No."), lambda r: str(r.event_id)),
            (QCoreApplication.translate("IntegrationsScreen", "Event"), lambda r: r.event_type),
            (QCoreApplication.translate("IntegrationsScreen", "Subject"), lambda r: r.subject),
            (QCoreApplication.translate("IntegrationsScreen", "Occurred"), lambda r: when(r.occurred_at)),
            (QCoreApplication.translate("IntegrationsScreen", "Webhook"), lambda r: r.webhook),
            (QCoreApplication.translate("IntegrationsScreen", "State"), lambda r: outbox_status_name(r.status)),
            (QCoreApplication.translate("IntegrationsScreen", "Attempts"), _attempts),
            (QCoreApplication.translate("IntegrationsScreen", "Next attempt"), lambda r: when(r.next_attempt_at)),
            (QCoreApplication.translate("IntegrationsScreen", "Last error"), lambda r: _error(r.last_error)),
        )


class WebhooksTableModel(_RowsModel[WebhookView]):
    """The webhooks (subscriptions): where they post, what, and how they are doing."""

    def columns(self) -> Sequence[tuple[str, Callable[[WebhookView], str]]]:
        return (
            (QCoreApplication.translate("IntegrationsScreen", "Name"), lambda w: w.name),
            (QCoreApplication.translate("IntegrationsScreen", "Address"), lambda w: w.url),
            (QCoreApplication.translate("IntegrationsScreen", "Events"), _events),
            (QCoreApplication.translate("IntegrationsScreen", "Active"), _active),
            (QCoreApplication.translate("IntegrationsScreen", "Pending"), lambda w: str(w.pending)),
            (QCoreApplication.translate("IntegrationsScreen", "Last delivered"), lambda w: when(w.last_delivered_at)),
            (QCoreApplication.translate("IntegrationsScreen", "Last error"), lambda w: _error(w.last_error)),
        )


class ApiKeysTableModel(_RowsModel[ApiKeyView]):
    """The API keys: never their secret, only the first characters that identify them."""

    def columns(self) -> Sequence[tuple[str, Callable[[ApiKeyView], str]]]:
        return (
            (QCoreApplication.translate("IntegrationsScreen", "Name"), lambda k: k.name),
            (QCoreApplication.translate("IntegrationsScreen", "Key begins"), lambda k: k.prefix + "…"),
            (QCoreApplication.translate("IntegrationsScreen", "Scopes"), lambda k: ", ".join(k.scopes)),
            (QCoreApplication.translate("IntegrationsScreen", "Created"), lambda k: when(k.created_at)),
            (QCoreApplication.translate("IntegrationsScreen", "Last used"), _last_used),
            (QCoreApplication.translate("IntegrationsScreen", "State"), _key_state),
        )
