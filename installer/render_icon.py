"""Render the application icon from its SVG source: ``python installer/render_icon.py``.

Writes ``resources/icons/returndesk.png`` (256 px, the Linux desktop icon and the window icon)
and ``resources/icons/returndesk.ico`` (16 to 256 px, for the Windows executables and the
installer). Each size is drawn by Qt's SVG renderer at that size rather than scaled down from the
largest one, so the small sizes stay sharp. Run it again after changing the SVG and commit the
results: the package build uses the committed files and needs no display.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZE = 256
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size`` × ``size`` canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_icons(svg: Path, out_dir: Path) -> list[Path]:
    """Write the PNG and the multi-size ICO next to each other; returns their paths."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"{svg.stem}.png"
    png.write_bytes(render(svg, PNG_SIZE))
    images = [Image.open(io.BytesIO(render(svg, size))).convert("RGBA") for size in ICO_SIZES]
    ico = out_dir / f"{svg.stem}.ico"
    largest = images[-1]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    return [png, ico]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the ReturnDesk icon (PNG and ICO) from its SVG.")
    parser.add_argument("--svg", type=Path, default=ICONS / "returndesk.svg", help="the SVG source")
    parser.add_argument("--out", type=Path, default=ICONS, help="folder for returndesk.png and returndesk.ico")
    args = parser.parse_args(argv)
    # No window is shown: the offscreen platform works on a build machine without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # Qt needs it alive
    for path in write_icons(args.svg, args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
