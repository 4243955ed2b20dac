"""The one font every document uses: WenQuanYi Micro Hei, bundled in ``returndesk.resources``.

It carries Latin and CJK glyphs with TrueType outlines, so reportlab can subset and embed it and a
mixed line such as ``退货单 R0000012340`` needs no font switching. The CID font ``STSong-Light``
is never used: it is not embedded and prints blank where the viewer lacks the Asian font pack.
WQY has no bold face; :func:`.layout.draw_text` strokes the outline for bold text.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.messages import msg

#: reportlab name of the bundled font.
FONT = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"

#: reportlab keeps fonts and their subsets in process-wide state; documents are rendered one at
#: a time (rendering takes milliseconds) so that worker threads cannot interleave in it.
RENDER_LOCK = threading.RLock()

_lock = threading.Lock()
_registered = False
_path: str | None = None
# Keeps a temporary copy alive if the resources ever live inside a zip archive.
_files = contextlib.ExitStack()
atexit.register(_files.close)


def font_path() -> str:
    """File system path of the bundled TTC (for reportlab and for Pillow's ZPL bitmaps)."""
    global _path
    if _path is None:
        resource = resources.files("returndesk.resources").joinpath("fonts", FONT_FILE)
        if not resource.is_file():
            raise ReturnDeskError(
                msg(
                    "The document font {font_file} is missing from the installation (resources/fonts); reinstall "
                    "ReturnDesk.",
                    font_file=FONT_FILE)
            )
        # A plain installation yields the file itself; a zipped one a temporary copy.
        _path = str(_files.enter_context(resources.as_file(resource)))
    return _path


def register_fonts() -> str:
    """Register the bundled font with reportlab once per process and return its name.

    Safe to call from several worker threads: registration happens under a lock.
    """
    global _registered
    if _registered:
        return FONT
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT, font_path(), subfontIndex=0))
            _registered = True
    return FONT


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set in the bundled font at ``size``."""
    return pdfmetrics.stringWidth(text, register_fonts(), size)
