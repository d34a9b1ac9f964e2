"""Qt-side helpers for export: widgets to PNG/SVG bytes, files written atomically, file names.

Everything here works on any QWidget (a view or the whole window), so the app's File > Export menu, the
recorder and the headless figures (`ganlab run --out`) share one code path:

- `render_image(widget, scale)`   the widget painted into a QImage `scale` times its size (vector items
                                  are drawn at the higher resolution, not up-sampled);
- `image_png_bytes` / `svg_bytes` that image as PNG, or the widget painted into a QSvgGenerator (pyqtgraph
                                  0.14's own SVG exporter breaks on recent PySide6);
- `default_name(...)`             e.g. ganlab_ring8_nonsaturating_it01234_field.png;
- `write_file(path, data)`        temporary file beside `path`, then rename: a failed write leaves no half file.

Video files are in video.py, the views drawn without a screen in offscreen.py.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from PySide6.QtWidgets import QWidget

from ..core.files import write_atomic


# ================================================================ rendering
def render_image(widget: QWidget, scale: float = 1.0, background: str | QColor = "white") -> QImage:
    """The widget painted into a QImage of (scale x its size) pixels.

    The image's device pixel ratio is `scale`, so text, lines and markers are drawn at the higher
    resolution instead of being up-sampled from a screen grab.
    """
    scale = float(scale)
    if not (math.isfinite(scale) and 0.1 <= scale <= 8.0):
        raise ValueError(QCoreApplication.translate("Export", "scale must be between 0.1 and 8"))
    size = widget.size()
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(scale)
    img.fill(QColor(background))
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        widget.render(p, QPoint(0, 0), QRegion(),
                      QWidget.RenderFlag.DrawChildren | QWidget.RenderFlag.DrawWindowBackground)
    finally:
        p.end()
    return img


def image_png_bytes(img: QImage) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise OSError(QCoreApplication.translate("Export", "could not encode the PNG image"))
    buf.close()
    return bytes(ba.data())


def svg_bytes(widget: QWidget, title: str = "ganlab", description: str = "") -> bytes:
    """The widget painted into a QSvgGenerator: text and lines stay vectors, heatmaps are embedded images."""
    from PySide6.QtSvg import QSvgGenerator

    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    size = widget.size()
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(size.width(), size.height()))
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle(title)
    gen.setDescription(description)
    p = QPainter()
    if not p.begin(gen):
        raise OSError(QCoreApplication.translate("Export", "could not start the SVG painter"))
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        widget.render(p, QPoint(0, 0), QRegion(),
                      QWidget.RenderFlag.DrawChildren | QWidget.RenderFlag.DrawWindowBackground)
    finally:
        p.end()
    buf.close()
    return bytes(ba.data())


def qimage_to_rgb(img: QImage) -> np.ndarray:
    """An (h, w, 3) uint8 copy of a QImage (any format)."""
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return arr[:, : 3 * w].reshape(h, w, 3).copy()


# ================================================================ files
def write_file(path: str | Path, data: bytes | str) -> Path:
    """Atomic write (temporary file beside `path`, then rename). Raises OSError with a readable message."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, QCoreApplication.translate("Export", "the folder does not exist"),
                                str(path.parent))
    write_atomic(path, data)
    return path


def error_text(e: BaseException) -> str:
    """A one-line reason for an OSError (missing folder, no permission, full disk, ...)."""
    import errno

    if isinstance(e, OSError):
        denied = QCoreApplication.translate("Export", "permission denied")
        reasons = {errno.ENOENT: QCoreApplication.translate("Export", "the folder does not exist"),
                   errno.EACCES: denied, errno.EPERM: denied,
                   errno.EROFS: QCoreApplication.translate("Export", "the disk is read-only"),
                   errno.ENOSPC: QCoreApplication.translate("Export", "the disk is full"),
                   errno.EDQUOT: QCoreApplication.translate("Export", "the disk quota is exceeded"),
                   errno.EISDIR: QCoreApplication.translate("Export", "that is a folder")}
        if e.errno in reasons:
            return reasons[e.errno]
        return e.strerror or str(e) or type(e).__name__
    return str(e) or type(e).__name__


_SAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def default_name(preset: str, loss: str, iteration: int, what: str, ext: str) -> str:
    """ganlab_<preset>_<loss>_it<iteration, 5 digits>_<what>.<ext>, safe on every file system."""
    parts = [_SAFE.sub("-", str(s)).strip("-") or "x" for s in (preset, loss)]
    return f"ganlab_{parts[0]}_{parts[1]}_it{max(0, int(iteration)):05d}_{what}.{ext.lstrip('.')}"
