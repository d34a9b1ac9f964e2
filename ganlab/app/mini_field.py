"""A small field for small multiples (the seed grid's cells, the twin runs): the target's mode centres, the real
cloud faint, the generated samples, a title above and a one-line verdict below. Display only: the plot takes no
mouse input, so a click anywhere on the cell is the cell's `clicked`.

The clouds use the main field's colours (style.REAL, style.FAKE): a class that knows the big view reads these.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from ..core.verdict import Verdict
from . import style
from .views._items import PointCloudItem, ScaledPlotWidget

translate = QCoreApplication.translate   # (lupdate reads translate("Context", "text") calls)

REAL_ALPHA = 70           # the real cloud is context: faint
VERDICT_COLOURS = {"collapsed": style.VERMILLION, "all": style.MANIFOLD, "diverged": style.REFERENCE}


def verdict_text(v: Verdict) -> str:
    """The one line under a run: "8/8 modes", "collapsed: 1 mode", "off the modes (0/8)", "diverged"."""
    if v.kind == "diverged":
        return translate("SeedGrid", "diverged")
    if v.kind == "collapsed":
        if v.collapsed_on == 1:
            return translate("SeedGrid", "collapsed: 1 mode")
        return translate("SeedGrid", "collapsed: {0} modes").format(v.collapsed_on)
    if v.kind == "off":
        return translate("SeedGrid", "off the modes ({0}/{1})").format(v.modes_captured, v.n_modes)
    return translate("SeedGrid", "{0}/{1} modes").format(v.modes_captured, v.n_modes)


def _xy(points) -> np.ndarray:
    """(n, 2) points to draw: a 1-D target's or generator's (n, 1) lie on the x axis."""
    a = np.asarray(points)
    if a.ndim == 2 and a.shape[1] == 1:
        return np.concatenate([a, np.zeros_like(a)], axis=1)
    return a


class MiniField(QtWidgets.QFrame):
    """One run, small: clicking it emits `clicked`."""

    clicked = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, size: int = 150):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.verdict: Verdict | None = None
        self.title = QtWidgets.QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot_widget = ScaledPlotWidget(background=style.BACKGROUND)
        self.plot_widget.setMinimumSize(size // 2, size // 2)
        self.plot_widget.resize(size, size)
        # display only: clicks fall through to the cell, no pan or zoom
        self.plot_widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        self.view = self.plot.getViewBox()
        self.view.setMouseEnabled(False, False)
        self.view.setAspectLocked(True, ratio=1.0)
        self.view.disableAutoRange()
        self.real_item = PointCloudItem(size=3.0, pen=None, brush=style.brush(style.REAL, REAL_ALPHA))
        self.fake_item = PointCloudItem(size=4.0, pen=style.pen(style.FAKE_EDGE, 0.6),
                                        brush=style.brush(style.FAKE, style.FAKE_ALPHA))
        self.mode_item = pg.ScatterPlotItem(size=9, symbol="o", pen=style.pen(style.MARKER_EDGE, 1.5), brush=None,
                                            pxMode=True)
        for z, item in enumerate((self.real_item, self.fake_item, self.mode_item)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.label = QtWidgets.QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(1)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.label)
        self._target = None

    def set_target(self, target, real: np.ndarray) -> None:
        """The modes, the real cloud and the framing (the target's box out to 4 sigma)."""
        if target is self._target:
            return
        self._target = target
        self.mode_item.setData(pos=_xy(np.asarray(target.means, dtype=float)))
        self.real_item.setData(pos=_xy(np.asarray(real, dtype=np.float32)))
        x0, x1, y0, y1 = target.bounds()
        if y1 <= y0:   # 1-D: the line, with room above and below
            y0, y1 = -(x1 - x0) / 4, (x1 - x0) / 4
        self.view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.05)

    def set_samples(self, samples: np.ndarray) -> None:
        self.fake_item.setData(pos=_xy(samples))

    def set_verdict(self, v: Verdict) -> None:
        self.verdict = v
        self.label.setText(verdict_text(v))
        colour = VERDICT_COLOURS.get(v.kind, style.FOREGROUND)
        self.label.setStyleSheet(f"color: {colour}; font-weight: {'bold' if v.kind == 'collapsed' else 'normal'};")

    def mouseReleaseEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and self.rect().contains(ev.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(ev)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(160, 180)
