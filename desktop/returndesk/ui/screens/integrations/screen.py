"""Integrations (系统集成): the webhooks that tell other systems what happened, and the API keys
those systems use to call ReturnDesk. Administrators only; the services refuse everyone else.

**Webhooks** tab: the outbox, filtered to pending, delivered or failed events. Each row is one
event for one webhook: its number, type and subject, when it happened, the webhook (target), the
attempts, the next attempt and the last error, in the site's time. **Send again** replays the
chosen failed or delivered event and everything after it to that webhook now (receivers drop
events they have seen). Under it, the webhooks themselves: add one (its signing secret is shown
once), disable or enable the chosen one.

**API keys** tab: every key with its scopes, when it was made and last used (never its secret).
**Create key** makes one and shows its secret this once, with a button that copies it;
**Revoke** stops the chosen key at once.

Signals for tests: ``outbox_loaded(count)``, ``webhooks_loaded(count)``, ``keys_loaded(count)``,
``action_done(message)``, ``action_refused(message)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, ApiKeyView, NewApiKey, NewWebhook, OutboxRow, WebhookView
from returndesk.ui.errors import describe_error
from returndesk.ui.screens.integrations.models import ApiKeysTableModel, OutboxTableModel, WebhooksTableModel
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

Confirm = Callable[[QWidget, str], bool]


def ask_user(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, QGuiApplication.applicationDisplayName() or "ReturnDesk", question)
    return answer == QMessageBox.StandardButton.Yes


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class SecretBox(QWidget):
    """A secret shown once: read-only, with a copy button and what to do with it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setReadOnly(True)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.copy_button.setText(self.tr("Copy"))
        self.hide()

    def show_secret(self, note: str, secret: str) -> None:
        self.note.setText(note)
        self.field.setText(secret)
        self.show()

    def forget(self) -> None:
        self.field.clear()
        self.hide()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.field.text())


class IntegrationsScreen(StationScreen):
    outbox_loaded = Signal(int)
    webhooks_loaded = Signal(int)
    keys_loaded = Signal(int)
    action_done = Signal(str)
    action_refused = Signal(str)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, confirm: Confirm = ask_user) -> None:
        super().__init__(api, tasks, actor, parent)
        self._confirm = confirm
        self.outbox_model = OutboxTableModel()
        self.webhooks_model = WebhooksTableModel()
        self.keys_model = ApiKeysTableModel()

        self.tabs = QTabWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # --- webhooks tab
        self.status_label = QLabel()
        self.status_combo = QComboBox()
        for status in ("pending", "failed", "delivered"):
            self.status_combo.addItem("", status)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload_outbox())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.outbox_view = _table(self.outbox_model)
        self.outbox_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.replay_button = QPushButton()
        self.replay_button.clicked.connect(self.replay_selected)

        self.webhooks_view = _table(self.webhooks_model)
        self.webhooks_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.toggle_button = QPushButton()
        self.toggle_button.clicked.connect(self.toggle_selected_webhook)
        self.webhook_name = QLineEdit()
        self.webhook_url = QLineEdit()
        self.webhook_url.setPlaceholderText("https://")
        self.webhook_events = QLineEdit()
        self.webhook_events.setPlaceholderText("*")
        self.add_webhook_button = QPushButton()
        self.add_webhook_button.clicked.connect(self.add_webhook)
        self.webhook_secret = SecretBox()

        top = QHBoxLayout()
        top.addWidget(self.status_label)
        top.addWidget(self.status_combo)
        top.addStretch(1)
        top.addWidget(self.replay_button)
        top.addWidget(self.refresh_button)
        self.webhooks_box = QGroupBox()
        self.webhook_form = QFormLayout()
        self.webhook_name_label, self.webhook_url_label, self.webhook_events_label = QLabel(), QLabel(), QLabel()
        self.webhook_form.addRow(self.webhook_name_label, self.webhook_name)
        self.webhook_form.addRow(self.webhook_url_label, self.webhook_url)
        self.webhook_form.addRow(self.webhook_events_label, self.webhook_events)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.add_webhook_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.toggle_button)
        box_layout = QVBoxLayout(self.webhooks_box)
        box_layout.addWidget(self.webhooks_view, 1)
        box_layout.addLayout(self.webhook_form)
        box_layout.addLayout(form_buttons)
        box_layout.addWidget(self.webhook_secret)
        webhooks_page = QWidget()
        page = QVBoxLayout(webhooks_page)
        page.addLayout(top)
        page.addWidget(self.outbox_view, 3)
        page.addWidget(self.webhooks_box, 2)

        # --- API keys tab
        self.keys_view = _table(self.keys_model)
        self.keys_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.revoke_button = QPushButton()
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.key_name = QLineEdit()
        self.scope_boxes: dict[str, QCheckBox] = {}
        self.scopes_row = QHBoxLayout()
        self.create_key_button = QPushButton()
        self.create_key_button.clicked.connect(self.create_key)
        self.key_secret = SecretBox()
        self.key_form = QFormLayout()
        self.key_name_label, self.scopes_label = QLabel(), QLabel()
        self.key_form.addRow(self.key_name_label, self.key_name)
        self.key_form.addRow(self.scopes_label, self.scopes_row)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.create_key_button)
        key_buttons.addStretch(1)
        key_buttons.addWidget(self.revoke_button)
        keys_page = QWidget()
        keys_layout = QVBoxLayout(keys_page)
        keys_layout.addWidget(self.keys_view, 1)
        keys_layout.addLayout(self.key_form)
        keys_layout.addLayout(key_buttons)
        keys_layout.addWidget(self.key_secret)

        self.tabs.addTab(webhooks_page, "")
        self.tabs.addTab(keys_page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)

        self._retranslate()
        self._update_buttons()
        self._start_following(live)
        self._tasks.run(self._api.integrations.list_api_scopes, on_done=self._show_scopes,
                        on_error=self._refused, key=(id(self), "scopes"))
        self.reload()

    # ------------------------------------------------------------------ texts
    def _retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Webhooks"))
        self.tabs.setTabText(1, self.tr("API keys"))
        self.status_label.setText(self.tr("Show:"))
        names = {"pending": self.tr("Pending events"), "failed": self.tr("Failed deliveries"),
                 "delivered": self.tr("Delivered events")}
        for i in range(self.status_combo.count()):
            self.status_combo.setItemText(i, names[self.status_combo.itemData(i)])
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.replay_button.setText(self.tr("Send again"))
        self.replay_button.setToolTip(self.tr("Send the chosen event and every later one to its webhook again, now"))
        self.webhooks_box.setTitle(self.tr("Webhooks (subscriptions)"))
        self.webhook_name_label.setText(self.tr("Name:"))
        self.webhook_url_label.setText(self.tr("Address:"))
        self.webhook_events_label.setText(self.tr("Events:"))
        self.webhook_events.setToolTip(self.tr("Event types separated by spaces; * for all, return. for every "
                                               "return event"))
        self.add_webhook_button.setText(self.tr("Add webhook"))
        self.webhook_secret.copy_button.setText(self.tr("Copy"))
        self.key_secret.copy_button.setText(self.tr("Copy"))
        self.key_name_label.setText(self.tr("Name:"))
        self.scopes_label.setText(self.tr("Scopes:"))
        self.key_name.setPlaceholderText(self.tr("the system that uses the key, e.g. Web shop"))
        self.create_key_button.setText(self.tr("Create key"))
        self.revoke_button.setText(self.tr("Revoke key"))
        self._update_buttons()
        for model in (self.outbox_model, self.webhooks_model, self.keys_model):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, model.columnCount() - 1))

    def _on_language_changed(self) -> None:
        self._retranslate()

    # ------------------------------------------------------------------ reading
    def current_status(self) -> str:
        return str(self.status_combo.currentData())

    def reload(self) -> None:
        self.reload_outbox()
        self._tasks.run(self._api.integrations.list_webhooks, on_done=self._show_webhooks,
                        on_error=self._refused, key=(id(self), "webhooks"))
        self._tasks.run(self._api.integrations.list_api_keys, on_done=self._show_keys,
                        on_error=self._refused, key=(id(self), "keys"))

    def reload_outbox(self) -> None:
        self._tasks.run(self._api.integrations.list_outbox, self.current_status(), on_done=self._show_outbox,
                        on_error=self._refused, key=(id(self), "outbox"))

    def _show_outbox(self, rows: list[OutboxRow]) -> None:
        self.outbox_model.set_rows(rows)
        self._update_buttons()
        self.outbox_loaded.emit(len(rows))

    def _show_webhooks(self, rows: list[WebhookView]) -> None:
        self.webhooks_model.set_rows(rows)
        self._update_buttons()
        self.webhooks_loaded.emit(len(rows))

    def _show_keys(self, rows: list[ApiKeyView]) -> None:
        self.keys_model.set_rows(rows)
        self._update_buttons()
        self.keys_loaded.emit(len(rows))

    def _show_scopes(self, scopes: list[str]) -> None:
        for scope in scopes:
            box = QCheckBox(scope)
            self.scope_boxes[scope] = box
            self.scopes_row.addWidget(box)
        self.scopes_row.addStretch(1)

    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity in ("webhook", "api_key", "any"):
            self.reload()

    def _on_live_resync(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ choices
    @staticmethod
    def _selected(view: QTableView) -> int | None:
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_event(self) -> OutboxRow | None:
        row = self._selected(self.outbox_view)
        return None if row is None else self.outbox_model.row_at(row)

    def selected_webhook(self) -> WebhookView | None:
        row = self._selected(self.webhooks_view)
        return None if row is None else self.webhooks_model.row_at(row)

    def selected_key(self) -> ApiKeyView | None:
        row = self._selected(self.keys_view)
        return None if row is None else self.keys_model.row_at(row)

    def _update_buttons(self) -> None:
        event = self.selected_event()
        self.replay_button.setEnabled(event is not None and event.status in ("failed", "delivered"))
        webhook = self.selected_webhook()
        self.toggle_button.setEnabled(webhook is not None)
        self.toggle_button.setText(self.tr("Enable webhook") if webhook is not None and not webhook.active
                                   else self.tr("Disable webhook"))
        key = self.selected_key()
        self.revoke_button.setEnabled(key is not None and not key.revoked)

    # ------------------------------------------------------------------ actions
    def _refused(self, error: BaseException) -> None:
        message = describe_error(error).message
        self.message.setText(message)
        self.action_refused.emit(message)

    def _done(self, message: str) -> None:
        self.message.setText(message)
        self.action_done.emit(message)
        self.reload()

    def replay_selected(self) -> None:
        event = self.selected_event()
        if event is None or event.status not in ("failed", "delivered"):
            return
        done = self.tr("Event {number} and the later ones go to {webhook} again.").format(
            number=event.event_id, webhook=event.webhook)
        self._tasks.run(self._api.integrations.replay_webhook, event.webhook, event.event_id,
                        on_done=lambda _view: self._done(done), on_error=self._refused,
                        busy=(self.replay_button,))

    def toggle_selected_webhook(self) -> None:
        webhook = self.selected_webhook()
        if webhook is None:
            return
        if webhook.active:
            done = self.tr("The webhook {name} is disabled; its events wait until it is enabled.")
        else:
            done = self.tr("The webhook {name} is enabled again.")
        self._tasks.run(self._api.integrations.set_webhook_active, webhook.name, not webhook.active,
                        on_done=lambda _view: self._done(done.format(name=webhook.name)), on_error=self._refused,
                        busy=(self.toggle_button,))

    def add_webhook(self) -> None:
        self.webhook_secret.forget()
        self._tasks.run(self._api.integrations.add_webhook, self.webhook_name.text(), self.webhook_url.text(),
                        self.webhook_events.text().strip() or "*", on_done=self._webhook_added,
                        on_error=self._refused, busy=(self.add_webhook_button,))

    def _webhook_added(self, added: NewWebhook) -> None:
        self.webhook_name.clear()
        self.webhook_url.clear()
        self.webhook_events.clear()
        self.webhook_secret.show_secret(
            self.tr("The signing secret of {name}. Give it to the receiving system now; it is not shown again.")
            .format(name=added.webhook.name), added.secret)
        self._done(self.tr("The webhook {name} is added; it receives the events from now on.")
                   .format(name=added.webhook.name))

    def create_key(self) -> None:
        self.key_secret.forget()
        scopes = [scope for scope, box in self.scope_boxes.items() if box.isChecked()]
        self._tasks.run(self._api.integrations.create_api_key, self.key_name.text(), scopes,
                        on_done=self._key_created, on_error=self._refused, busy=(self.create_key_button,))

    def _key_created(self, created: NewApiKey) -> None:
        self.key_name.clear()
        for box in self.scope_boxes.values():
            box.setChecked(False)
        self.key_secret.show_secret(
            self.tr("The key for {name}. Copy it into that system now; it is not shown again.")
            .format(name=created.key.name), created.secret)
        self._done(self.tr("The API key {name} is created.").format(name=created.key.name))

    def revoke_selected(self) -> None:
        key = self.selected_key()
        if key is None or key.revoked:
            return
        self.key_secret.forget()
        if not self._confirm(self, self.tr("Revoke the API key {name}? The system using it is refused at once.")
                             .format(name=key.name)):
            return
        self._tasks.run(self._api.integrations.revoke_api_key, key.name,
                        on_done=lambda _view: self._done(self.tr("The API key {name} is revoked.")
                                                         .format(name=key.name)),
                        on_error=self._refused, busy=(self.revoke_button,))
