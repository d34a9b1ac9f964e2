"""The field's legend: what the colours and marks mean, on screen (a tooltip alone reaches nobody at a projector).

Two fixed rows under the plot area, in the plot's own layout, so it never covers a mode or a sample and it
is in every export of the field: the two clouds on the first row; the mode marker, its ring and the grey of
the D* panels on the second. Each swatch is drawn with the field's own colours. Where the full texts do not
fit the width, short ones are used (the longest that fits); the texts follow the language (`retranslate`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from .. import style
from .mode_editor import MARKER_HALO, MARKER_LINE, RING_SIGMAS, marker_path

SWATCH = 16.0      # a swatch's box, pixels at scale 1
GAP = 4.0          # swatch to text
SPACING = 14.0     # one entry to the next
ROWS = (("real", "fake"), ("mode", "ring", "masked"))
FULL = {
    "real": QT_TRANSLATE_NOOP("FieldView", "real samples (p_data)"),
    "fake": QT_TRANSLATE_NOOP("FieldView", "generated samples (p_g), drawn on top"),
    "mode": QT_TRANSLATE_NOOP("FieldView", "mode centre: drag it"),
    "ring": QT_TRANSLATE_NOOP("FieldView", "ring: 2 std of the mode"),
    "masked": QT_TRANSLATE_NOOP("FieldView", "grey in D*: no samples there"),
}
SHORT = {
    "real": QT_TRANSLATE_NOOP("FieldView", "real"),
    "fake": QT_TRANSLATE_NOOP("FieldView", "generated"),
    "mode": QT_TRANSLATE_NOOP("FieldView", "mode"),
    "ring": QT_TRANSLATE_NOOP("FieldView", "2 std"),
    "masked": QT_TRANSLATE_NOOP("FieldView", "grey in D*: empty"),
}
TOOLTIP = QT_TRANSLATE_NOOP(
    "FieldView", "Blue: samples of p_data, the target. Orange with a dark rim: samples of the generator (p_g), "
    "drawn over the blue, so where G has found a mode both show. White reticles: the target's mode centres "
    "(drag to move, wheel or right-click to resize); thin rings: 2 std around each. Grey in the D* panels: "
    "neither distribution has samples there, so D* is not defined. The background is D(x) (colour bar).")


def _tr(text: str) -> str:
    return QCoreApplication.translate("FieldView", text)


class FieldLegend(pg.GraphicsWidget):
    """Swatch + text entries in two centred rows; `texts()` lists what it shows now."""

    def __init__(self, scale: float = 1.0):
        super().__init__()
        self._scale = scale
        self._font = style.font(scale)
        self._full: dict[str, str] = {}
        self._short: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        self._on = True
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(0)
        self.set_scale(scale)
        self.retranslate()

    # ------------------------------------------------------------------ public
    def texts(self) -> list[str]:
        """The entries' texts as shown, first row then second."""
        return [self._shown[k] for row in ROWS for k in row]

    def row_height(self) -> float:
        return max(QtGui.QFontMetricsF(self._font).height(), SWATCH * style.point_scale(self._scale)) + 2.0

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._font = style.font(scale)
        self.set_shown(self._on)

    def set_shown(self, shown: bool) -> None:
        """Show or hide it; hidden, its row in the plot's layout takes no height (a layout keeps the room of
        a hidden item of fixed height otherwise)."""
        self._on = bool(shown)
        self.setVisible(self._on)
        self.setFixedHeight(int(round(len(ROWS) * self.row_height() + 4 * self._scale)) if self._on else 0)
        self._choose()

    def retranslate(self) -> None:
        self._full = {k: _tr(v) for k, v in FULL.items()}
        self._short = {k: _tr(v) for k, v in SHORT.items()}
        self.setToolTip(_tr(TOOLTIP))
        self._choose()

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._choose()

    def _row_width(self, keys, texts: dict[str, str]) -> float:
        fm = QtGui.QFontMetricsF(self._font)
        s = self._scale
        sw = SWATCH * style.point_scale(s)
        return sum(sw + GAP * s + fm.horizontalAdvance(texts[k]) for k in keys) + SPACING * s * (len(keys) - 1)

    def _choose(self) -> None:
        """Per row, the full texts where they fit the width, else the short ones."""
        if not self._full:
            return
        width = self.size().width()
        shown = {}
        for keys in ROWS:
            texts = self._full if self._row_width(keys, self._full) <= width else self._short
            shown.update({k: texts[k] for k in keys})
        if shown != self._shown:
            self._shown = shown
            self.update()

    # ------------------------------------------------------------------ paint
    def paint(self, p: QtGui.QPainter, *_) -> None:
        if not self._shown:
            return
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        fm = QtGui.QFontMetricsF(self._font)
        s = self._scale
        sw = SWATCH * style.point_scale(s)
        line = self.row_height()
        width = self.size().width()
        y = 2.0 * s
        for keys in ROWS:
            x = max(0.0, 0.5 * (width - self._row_width(keys, self._shown)))
            for k in keys:
                _SWATCHES[k](p, QtCore.QPointF(x + sw / 2, y + line / 2), s)
                x += sw + GAP * s
                text = self._shown[k]
                w = fm.horizontalAdvance(text)
                p.setPen(QtGui.QColor(style.FOREGROUND))
                p.drawText(QtCore.QRectF(x, y, w + 2, line), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           text)
                x += w + SPACING * s
            y += line


# ---------------------------------------------------------------------- swatches: painter, centre, scale
def _dot(p, c, size, fill, edge):
    p.setPen(edge)
    p.setBrush(fill)
    r = size / 2
    p.drawEllipse(c, r, r)


def _real(p, c, s):
    ps = style.point_scale(s)
    _dot(p, c, 1.6 * style.REAL_SIZE * ps, style.brush(style.REAL), style.pen(style.REAL_EDGE, 0.6, ps))


def _fake(p, c, s):
    ps = style.point_scale(s)
    _dot(p, c, 1.4 * style.FAKE_SIZE * ps, style.brush(style.FAKE, alpha=style.FAKE_ALPHA),
         style.pen(style.FAKE_EDGE, 1.0, ps))


def _mode(p, c, s):
    ps = style.point_scale(s)
    size = SWATCH * ps - MARKER_HALO * ps   # the halo inside the swatch's box
    path = QtGui.QTransform().translate(c.x(), c.y()).scale(size, size).map(marker_path())
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(style.pen(style.MARKER_EDGE, MARKER_HALO, ps))   # opaque here: white on the legend's white
    p.drawPath(path)
    p.setPen(style.pen(style.MARKER_FILL, MARKER_LINE, ps))
    p.drawPath(path)


def _ring(p, c, s):
    ps = style.point_scale(s)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(style.pen(style.MARKER_EDGE, style.RING_WIDTH, s, alpha=150))
    r = 0.4 * SWATCH * ps * RING_SIGMAS / 2.0
    p.drawEllipse(c, r, r)
    p.setBrush(style.brush(style.MARKER_EDGE))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(c, 1.2 * ps, 1.2 * ps)


def _masked(p, c, s):
    h = 0.65 * SWATCH * style.point_scale(s)
    p.setPen(style.pen(style.REFERENCE, 1.0))
    p.setBrush(style.brush(style.MASKED))
    p.drawRect(QtCore.QRectF(c.x() - h / 2, c.y() - h / 2, h, h))


_SWATCHES = {"real": _real, "fake": _fake, "mode": _mode, "ring": _ring, "masked": _masked}
