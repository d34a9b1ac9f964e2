"""Qt-side helpers for export: widgets to PNG/SVG bytes with a caption, files written atomically.

Everything here works on any QWidget (a view or the whole window), so the app's File > Export menu, the
recorder and the headless figures (`ganlab run --out`) share one code path:

- `render_image(widget, scale)`   the widget painted into a QImage `scale` times its size (vector items
                                  are drawn at the higher resolution, not up-sampled);
- `image_png_bytes` / `svg_bytes` that image as PNG, or the widget painted into a QSvgGenerator (pyqtgraph
                                  0.14's own SVG exporter breaks on recent PySide6);
- `stamp_text` / `paint_stamp`    the small caption (preset, loss, iteration, JSD) burned into a bottom
                                  corner, so a slide or a GIF says which moment of which run it shows;
- `write_file(path, data)`        temporary file beside `path`, then rename: a failed write leaves no half file.

File names follow file_names.file_name; video files are in video.py, the views drawn without a screen in
offscreen.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QRegion
from PySide6.QtWidgets import QWidget

from ..core.files import write_atomic


# ================================================================ rendering
def render_image(widget: QWidget, scale: float = 1.0, background: str | QColor = "white",
                 stamp: str | None = None) -> QImage:
    """The widget painted into a QImage of (scale x its size) pixels, with `stamp` in a bottom corner.

    The image's device pixel ratio is `scale`, so text, lines and markers are drawn at the higher
    resolution instead of being up-sampled from a screen grab (the stamp grows with them).
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
        paint_stamp(p, size.width(), size.height(), stamp)
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


def svg_bytes(widget: QWidget, title: str = "ganlab", description: str = "", stamp: str | None = None) -> bytes:
    """The widget painted into a QSvgGenerator: text and lines stay vectors, heatmaps are embedded images;
    `stamp` is drawn as vector text in a bottom corner, as in the PNG."""
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
        paint_stamp(p, size.width(), size.height(), stamp)
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


# ================================================================ the stamp
def snapshot_jsd(snap) -> float | None:
    """The JSD of the frame (its theory, else the newest value on the JSD curve); None when unknown."""
    th = getattr(snap, "theory", None)
    values = [getattr(th, "jsd", None)] if th is not None else []
    jsd = getattr(snap, "metrics", {}).get("jsd")
    if jsd is not None and len(jsd):
        values.append(jsd[-1])
    for v in values:
        if v is not None and math.isfinite(float(v)):
            return float(v)
    return None


def stamp_text(snap, preset: str | None = None) -> str:
    """'ring8 · nonsaturating · iteration 1,234 · JSD 0.123': which run and which moment a picture shows."""
    if snap is None:
        return ""
    parts = [str(p) for p in (preset, getattr(snap, "loss", None)) if p]
    parts.append(QCoreApplication.translate("Export", "iteration {0:,}").format(int(snap.iteration)))
    jsd = snapshot_jsd(snap)
    if jsd is not None:
        parts.append(QCoreApplication.translate("Export", "JSD {0:.3f}").format(jsd))
    return " · ".join(parts)


def _stamp_lines(text: str, fm: QFontMetricsF, width: float) -> list[str]:
    """One line when it takes under 45 % of the width, else two (split at the ' · ' nearest the middle): a
    long caption on a narrow view then stays in the corner instead of covering the axis title."""
    parts = text.split(" · ")
    if fm.horizontalAdvance(text) <= 0.45 * width or len(parts) < 2:
        lines = [text]
    else:
        cut = min(range(1, len(parts)), key=lambda i: abs(fm.horizontalAdvance(" · ".join(parts[:i]))
                                                         - fm.horizontalAdvance(" · ".join(parts[i:]))))
        lines = [" · ".join(parts[:cut]), " · ".join(parts[cut:])]
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, max(1.0, width)) for line in lines]


def paint_stamp(p: QPainter, width: float, height: float, text: str | None) -> None:
    """`text` small in the bottom-right corner of a (width x height) picture, dark on a pale box.

    The font follows the picture's size (9-13 px in the painter's units, about the size of the app's own
    labels), so it stays readable on a slide without hiding the plot.
    """
    if not text:
        return
    px = int(min(13, max(9, round(min(width, height) / 40))))
    font = QFont(p.font())
    font.setPixelSize(px)
    fm = QFontMetricsF(font)
    pad, margin = 0.4 * px, 0.25 * px
    lines = _stamp_lines(text, fm, width - 2 * (margin + pad))
    w = max(fm.horizontalAdvance(line) for line in lines) + 2 * pad
    h = fm.lineSpacing() * len(lines) + pad
    box = QRectF(width - margin - w, height - margin - h, w, h)
    p.save()
    try:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 220))
        p.drawRoundedRect(box, 0.3 * px, 0.3 * px)
        p.setFont(font)
        p.setPen(QColor(34, 34, 34))
        p.drawText(box.adjusted(pad, 0, -pad, 0), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   "\n".join(lines))
    finally:
        p.restore()


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
