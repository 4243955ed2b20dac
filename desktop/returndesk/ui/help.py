"""The user guide inside the program: F1 opens it at the section of the current screen.

The guide is ``docs/user-guide.md`` with its pictures, and its translations beside it
(``docs/user-guide.zh_CN.md``), shipped as the package ``returndesk.docs`` (setup.py and the
installer carry them), so help works without a network. A station opens the guide in its language,
the English one when its language has none. A screen names its section by the English heading's
anchor as GitHub writes it (``register(..., help="finance-财务")``); a translated guide has the same
headings in the same order and at the same levels (``tests/ui/test_help.py`` holds the two to it),
so the section is found there by its place among the headings. The help window shows the Markdown
in a ``QTextBrowser`` and scrolls to that heading. On a Chinese station the pictures of the Chinese
screens are shown where the guide has them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QSize, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE_FILE = "user-guide.md"
#: The language the guide is written in; the others are translations of it.
GUIDE_LANGUAGE = "en"


def guide_file(language: str) -> str:
    """The file name of the guide in ``language`` ("zh_CN" -> "user-guide.zh_CN.md")."""
    return GUIDE_FILE if language == GUIDE_LANGUAGE else f"user-guide.{language}.md"


def _docs_folders() -> list[Path]:
    """Where the guides are: the installed package, else the source tree's docs/."""
    folders = []
    try:
        folders.append(Path(str(resources.files("returndesk.docs"))))
    except ModuleNotFoundError:
        pass
    folders.append(Path(__file__).resolve().parents[3] / "docs")
    return folders


def guide_path(language: str | None = None) -> Path | None:
    """The user guide in ``language`` (the station's language when None): its translation when
    there is one, else the English guide; None when neither is installed."""
    language = language or QLocale().name()
    names = [guide_file(language)] if language != GUIDE_LANGUAGE else []
    names.append(GUIDE_FILE)
    for name in names:
        for folder in _docs_folders():
            if (folder / name).is_file():
                return folder / name
    return None


def anchor_of(heading: str) -> str:
    """A heading's anchor as GitHub writes it: lower case, punctuation dropped, spaces as hyphens
    ("Finance (财务)" -> "finance-财务")."""
    kept = []
    for char in heading.strip().lower():
        category = unicodedata.category(char)
        if char in "-_" or category[0] in "LN" or category == "Mn":
            kept.append(char)
        elif char == " ":
            kept.append("-")
    return "".join(kept)


def headings(document: QTextDocument) -> list[tuple[str, int, int]]:
    """(anchor, level, position) of every heading of a Markdown document, in order."""
    found = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level:
            found.append((anchor_of(block.text()), level, block.position()))
        block = block.next()
    return found


def guide_headings(path: Path) -> list[tuple[str, int]]:
    """(anchor, level) of every heading of the guide ``path``, in order."""
    stamp = path.stat().st_mtime_ns
    return list(_read_headings(str(path), stamp))


@lru_cache(maxsize=8)
def _read_headings(path: str, _stamp: int) -> tuple[tuple[str, int], ...]:
    document = QTextDocument()
    document.setMarkdown(Path(path).read_text("utf-8"))
    return tuple((anchor, level) for anchor, level, _position in headings(document))


def guide_anchors(path: Path | None = None) -> set[str]:
    """Every heading anchor of the user guide (empty when the guide is not there)."""
    path = path or guide_path()
    if path is None:
        return set()
    return {anchor for anchor, _level in guide_headings(path)}


def section_in(anchor: str, path: Path) -> str | None:
    """The anchor, in the guide ``path``, of the section that has ``anchor`` in the English guide
    (the heading at the same place); ``anchor`` itself when it is a heading of ``path``; None when
    neither guide has it or the two guides' headings do not correspond."""
    found = guide_headings(path)
    if any(own == anchor for own, _level in found):
        return anchor
    english = guide_path(GUIDE_LANGUAGE)
    if english is None:
        return None
    original = guide_headings(english)
    if [level for _anchor, level in original] != [level for _anchor, level in found]:
        return None  # not the same outline: better the top of the guide than a wrong section
    return next((found[place][0] for place, (own, _level) in enumerate(original) if own == anchor), None)


class GuideBrowser(QTextBrowser):
    """The guide's Markdown; pictures of the Chinese screens on a Chinese station, links to the
    guide's own headings followed in place, web links in the system's browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_browser")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        # The section asked for, kept at the top while the window is laid out and resized (the
        # text reflows) until the reader scrolls.
        self._kept: str | None = None

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, name)
        local = Path(self.source().resolved(QUrl(name)).toLocalFile())
        if QLocale().language() == QLocale.Language.Chinese:
            # Screens are pictured as name_zh.png, documents as name_zh_CN.png.
            for suffix in ("_zh", "_zh_CN"):
                chinese = local.with_name(re.sub(r"_en(\.\w+)$", suffix + r"\1", local.name))
                if chinese != local and chinese.is_file():
                    local = chinese
                    break
        picture = QImage(str(local))
        if picture.isNull():
            return super().loadResource(kind, name)
        # Pictures of whole screens fit the window's width rather than scroll sideways.
        widest = max(self.viewport().width() - 2 * int(self.document().documentMargin()) - 8, 480)
        if picture.width() > widest:
            picture = picture.scaledToWidth(widest, Qt.TransformationMode.SmoothTransformation)
        return picture

    def show_section(self, anchor: str) -> bool:
        """Scroll so that the heading ``anchor`` is at the top; False when the guide has no such heading."""
        position = next((pos for found, _level, pos in headings(self.document()) if found == anchor), None)
        if position is None:
            return False
        self._kept = anchor
        self._scroll_to(position)
        return True

    def _scroll_to(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)  # from the end, so the heading ends up at the top, not the bottom
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._kept is not None:
            position = next((pos for found, _level, pos in headings(self.document()) if found == self._kept), None)
            if position is not None:
                self._scroll_to(position)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._kept = None
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._kept = None
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._kept = None
        super().mousePressEvent(event)

    def section_at_top(self) -> str | None:
        """The anchor of the last heading whose top is at or above the top of the view."""
        layout = self.document().documentLayout()
        top = self.verticalScrollBar().value() + 2
        current = None
        for anchor, _level, position in headings(self.document()):
            if layout.blockBoundingRect(self.document().findBlock(position)).top() > top:
                break
            current = anchor
        return current

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.show_section(url.fragment())


class HelpWindow(QDialog):
    """The user guide, opened at one section (one window for the whole program, kept open beside
    the screens)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_window")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setModal(False)
        self.setMinimumSize(720, 560)
        self.resize(900, 760)
        self.browser = GuideBrowser()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.buttons)
        self.path: Path | None = None
        #: The language changed while the window was closed: its guide is loaded again when opened.
        self._stale = False
        self._load_guide()
        self.retranslate_ui()

    def _load_guide(self) -> None:
        """Show the guide in the station's language (the English one when it has none)."""
        self.path = guide_path()
        if self.path is not None:
            self.browser.setSource(QUrl.fromLocalFile(str(self.path)), QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setPlainText(self.tr(
                "The user guide is not installed with this copy of ReturnDesk. Reinstall the program, "
                "or read the guide that came with it."))

    def sizeHint(self) -> QSize:
        return QSize(900, 760)  # room for a page and the screen pictures at their size

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("ReturnDesk user guide"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            if self.isVisible():
                self._follow_language()
            else:
                # Closed: the guide (a second or two of pictures) is loaded again when next opened.
                self._stale = True
        super().changeEvent(event)

    def _follow_language(self) -> None:
        """Show the guide of the station's language now, or its pictures of that language."""
        self._stale = False
        if guide_path() != self.path:
            # The guide of the other language, at the section that was at the top.
            shown = self.browser.section_at_top()
            place = self._place_of(shown)
            self._load_guide()
            if place is not None and self.path is not None:
                self.browser.show_section(guide_headings(self.path)[place][0])
        elif self.path is not None:
            self.browser.reload()  # the pictures of the other language

    def _place_of(self, anchor: str | None) -> int | None:
        if anchor is None or self.path is None:
            return None
        found = [own for own, _level in guide_headings(self.path)]
        return found.index(anchor) if anchor in found else None

    def open_at(self, anchor: str | None) -> None:
        """Show the window at the section ``anchor``, an English heading's anchor (or one of the
        guide shown); the top of the guide when None or unknown."""
        if self._stale:
            self._follow_language()
        self.show()
        self.raise_()
        self.activateWindow()
        section = section_in(anchor, self.path) if anchor and self.path is not None else None
        if section is None or not self.browser.show_section(section):
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            self.browser.ensureCursorVisible()


_shared: HelpWindow | None = None


def _modal_window(widget: QWidget | None) -> QWidget | None:
    """The modal dialog ``widget`` is in, if it is in one."""
    window = widget.window() if widget is not None else None
    if window is not None and (window.isModal() or window.windowModality() != Qt.WindowModality.NonModal):
        return window
    return None


def open_help(anchor: str | None, parent: QWidget | None = None) -> HelpWindow:
    """The help window at the section ``anchor``: the program's one, or, from a modal dialog (which
    blocks every other window), one of the dialog's own that closes with it."""
    global _shared
    modal = _modal_window(parent)
    if modal is not None:
        own = modal.findChild(HelpWindow, "help_window", Qt.FindChildOption.FindDirectChildrenOnly)
        if own is None:
            own = HelpWindow(modal)
        own.open_at(anchor)
        return own
    if _shared is None:
        _shared = HelpWindow(parent)
        _shared.destroyed.connect(_forget)
    _shared.open_at(anchor)
    return _shared


def _forget() -> None:
    global _shared
    _shared = None


def screen_anchor(widget: QWidget | None) -> str | None:
    """The help section of the screen ``widget`` is over (its window's ``current_help_anchor()``)."""
    while widget is not None:
        found = getattr(widget, "current_help_anchor", None)
        if callable(found):
            anchor = found()
            return anchor if isinstance(anchor, str) else None
        widget = widget.parentWidget()
    return None


def add_help_key(window: QWidget, anchor: str | None) -> QShortcut:
    """F1 in a window of its own (a dialog over the screens) opens the guide at ``anchor``; with
    None, at the section of the screen the dialog is over."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window)
    shortcut.setObjectName("help_key")
    shortcut.activated.connect(lambda: open_help(anchor or screen_anchor(window.parentWidget()), window))
    return shortcut


#: The guide's section of each dialog (the dialogs pass it to :func:`add_help_key`).
SIGNING_IN = "starting-and-signing-in"
COUNTER = "counter-clerk-柜台客服-taking-a-return"
SIGN_OFF = "supervisor-sign-off-at-the-counter-主管现场授权"
WITHOUT_RECEIPT = "returns-without-a-receipt-无小票退货"
EXCHANGES = "exchanges-换货"
PARCELS = "warehouse-inspector-仓库质检员-scanning-parcels"
ANALYTICS = "supervisor-manager-finance-analytics-数据分析"
ADMINISTRATOR = "administrator"
IMPORT_WIZARD = "importing-files-the-import-wizard"
RETURN_PAGE = "everyone-a-return-whole-the-detail-page"
