"""What the scan-and-act screens share: :class:`ScanActScreen` and :class:`RowsTableModel`.

The claims against suppliers and the refurbish queue each show a title, a scan field with a
refresh button above a worklist (left) and the item chosen with its actions (right); an item tag
scanned anywhere on the screen, or typed in the scan field and Enter, is acted on. The base holds
what they do alike:

* building: the title and scan row, the header and facts labels of the item shown, the message
  line, the splitter, screen shortcuts;
* scans from the router and from the scan field, handed to :meth:`ScanActScreen.scan`;
* the message line (a refusal in red) and refusals reported through the error presenter;
* live updates: a change to what the screen follows (``followed_entities``) reads the worklist
  again after a short pause.

A subclass builds its panes in ``_build`` (with the helpers), names its texts in
``retranslate_ui``, shows its item in ``_show`` and calls :meth:`ScanActScreen._finish_setup` at
the end of its constructor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor
from returndesk.ui.fonts import scale_font
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

REFRESH_DELAY_MS = 250

RowT = TypeVar("RowT")


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """A table over a list of rows read at once (``rows``); ``COLUMNS`` columns."""

    COLUMNS = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS


class ScanActScreen(StationScreen):
    """The base of the scan-and-act screens; see the module documentation."""

    action_refused = Signal(str)

    #: The entities whose changes make the screen read its worklist again.
    followed_entities: tuple[str, ...] = ("any",)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self._message = ""
        self._message_is_error = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)

    def _finish_setup(self, live: LiveUpdates | None) -> None:
        """Build, name the texts, show nothing chosen, follow changes and read (end of the constructor)."""
        self._build()
        self._build_shortcuts()
        self.retranslate_ui()
        self._show(None)
        self._start_following(live)
        self.refresh()

    # ------------------------------------------------------------------ what a subclass gives
    def _build(self) -> None:
        raise NotImplementedError

    def _build_shortcuts(self) -> None:
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def _show(self, item: Any) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    def scan(self, text: str) -> None:
        raise NotImplementedError

    def _refusal_context(self) -> str:
        """What the user was doing, for a refusal's report."""
        raise NotImplementedError

    # ------------------------------------------------------------------ building
    def _scan_row(self, *extra: QWidget) -> QHBoxLayout:
        """The title, and the scan field with ``extra`` and the refresh button in a row (returned)."""
        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.scan_edit = QLineEdit()
        self.scan_edit.setObjectName("scan_edit")
        self.scan_edit.setClearButtonEnabled(True)
        self.scan_edit.returnPressed.connect(self._on_scan_entered)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.scan_edit, 1)
        for widget in extra:
            top.addWidget(widget)
        top.addWidget(self.refresh_button)
        return top

    def _item_labels(self) -> None:
        """The header (in bold) and the facts of the item shown."""
        self.header_label = QLabel()
        self.header_label.setObjectName("header_label")
        self.header_label.setWordWrap(True)
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        scale_font(self.header_label, 1.1, bold=True)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("facts_label")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)

    def _make_message_label(self) -> None:
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)

    def _arrange(self, top: QHBoxLayout, left: QWidget, right: QWidget, *, splitter_name: str,
                 sizes: tuple[int, int]) -> None:
        """The title, the scan row, and the worklist (left) beside the item (right) in a splitter."""
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(splitter_name)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes(list(sizes))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def _on_language_changed(self) -> None:
        if hasattr(self, "splitter"):
            self.retranslate_ui()

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity in self.followed_entities:
            self._refresh_timer.start()

    def _on_live_resync(self) -> None:
        self._refresh_timer.start()

    # ------------------------------------------------------------------ scanning
    def _on_router_scanned(self, text: str) -> None:
        self.scan(text)

    def _on_scan_entered(self) -> None:
        text = self.scan_edit.text().strip()
        self.scan_edit.clear()
        if text:
            self.scan(text)

    # ------------------------------------------------------------------ messages
    def _say(self, message: str, error: bool = False) -> None:
        self._message, self._message_is_error = message, error
        self._show_message()

    def _show_message(self) -> None:
        self.message_label.setStyleSheet("color: #b00020;" if self._message_is_error else "")
        self.message_label.setText(self._message)

    def _on_refused(self, error: BaseException) -> None:
        report = self._errors.report(error, context=self._refusal_context())
        self._say(report.message, error=True)
        self.action_refused.emit(report.message)
