"""The administrator's screen: users, stations, sites, the return policy, return reasons and the admin
log, one tab each.

Every change goes through the API's ``admin`` group; the services refuse it to any role but the
administrator's and audit it, and the admin log tab reads those audit events back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

from .log import AdminLogTab, ReasonsTab
from .places import SitesTab, StationsTab
from .policy import PolicyTab
from .users import UsersTab


def _exec(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class AdminScreen(StationScreen):
    """Administration; ``run_dialog`` shows a dialog and says whether it was accepted (tests fill
    and accept it instead)."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 run_dialog: Callable[[QDialog], bool] = _exec, live: object | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("admin_screen")
        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.users_tab = UsersTab(api, tasks, self._errors, run_dialog, self)
        self.stations_tab = StationsTab(api, tasks, self._errors, run_dialog, self)
        self.sites_tab = SitesTab(api, tasks, self._errors, run_dialog, self)
        self.policy_tab = PolicyTab(api, tasks, self._errors, self)
        self.reasons_tab = ReasonsTab(api, tasks, self._errors, run_dialog, self)
        self.log_tab = AdminLogTab(api, tasks, self._errors, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("admin_tabs")
        for tab in (self.users_tab, self.stations_tab, self.sites_tab, self.policy_tab, self.reasons_tab,
                    self.log_tab):
            self.tabs.addTab(tab, "")
            if hasattr(tab, "changed"):
                tab.changed.connect(self.log_tab.reload)
        self.sites_tab.changed.connect(self.stations_tab.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tabs, 1)
        self.retranslate_ui()
        self.reload()
        self._start_following(None)

    def reload(self) -> None:
        for tab in (self.users_tab, self.stations_tab, self.sites_tab, self.policy_tab, self.reasons_tab,
                    self.log_tab):
            tab.reload()

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Administration"))
        for index, title in enumerate((self.tr("&Users"), self.tr("S&tations"), self.tr("&Sites"),
                                       self.tr("Return &policy"), self.tr("&Reasons"), self.tr("Admin &log"))):
            self.tabs.setTabText(index, title)
        for tab in (self.users_tab, self.stations_tab, self.sites_tab, self.policy_tab, self.reasons_tab,
                    self.log_tab):
            tab.retranslate_ui()

    def _on_language_changed(self) -> None:
        self.retranslate_ui()

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in ("user", "site", "station", "reason", "policy", "any"):
            self.reload()
