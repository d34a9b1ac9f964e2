"""Reference lines in the curves (log 2 = max, -log 4 = equilibrium, ...), labelled inside their plot.

A `ReferenceLine` is a dashed horizontal line with its label on a light box, in the ViewBox's pixels (not
in data coordinates): above the line in the lower half of the plot and below it in the upper half, at
the plot's left or right end, so it is never cut off. Qt items only: painting them runs no Python. The
labels move when a y range or a plot's size changes (`relayout`), never per frame.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .. import style


class ReferenceLine(pg.InfiniteLine):
    """A dashed horizontal line at `y` on `plot`, labelled at its left end (`left`) or its right one."""

    def __init__(self, plot: pg.PlotItem, y: float, left: bool = False):
        super().__init__(pos=y, angle=0, movable=False)
        self.setZValue(20)   # above the curves: a thin dashed line
        plot.addItem(self, ignoreBounds=True)
        self.ref_label = _Label(plot.getViewBox(), self, left)

    def text(self) -> str:
        return self.ref_label.text.text()

    def set_text(self, text: str) -> None:
        if text != self.text():
            self.ref_label.text.setText(text)
            self.ref_label.fit()

    def set_shown(self, on: bool) -> None:
        if self.isVisible() != on:
            self.setVisible(on)
            self.ref_label.relayout()

    def set_scale(self, scale: float) -> None:
        self.setPen(style.pen(style.REFERENCE, 1.0, scale, dash=True))
        self.ref_label.text.setFont(style.font(scale))
        self.ref_label.fit()


class _Label(QtWidgets.QGraphicsRectItem):
    """A reference line's label: plain text on a light box, a child of the ViewBox (pixel coordinates)."""

    PAD = 3.0

    def __init__(self, vb: pg.ViewBox, line: ReferenceLine, left: bool):
        super().__init__(vb)
        self.vb, self.line, self.left = vb, line, left
        self.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.setBrush(pg.mkBrush(255, 255, 255, 170))
        self.setZValue(1000)
        self.text = QtWidgets.QGraphicsSimpleTextItem("", self)
        self.text.setBrush(pg.mkBrush(style.REFERENCE))
        self.text.setFont(style.font(1.0))
        self.fit()

    def fit(self) -> None:
        """The box around the text (after a new text or font), placed again."""
        r = self.text.boundingRect()
        self.setRect(r.adjusted(-self.PAD, 0.0, self.PAD, 0.0))
        self.relayout()

    def relayout(self) -> None:
        vr = self.vb.rect()
        if not self.line.isVisible() or vr.height() < 4:
            self.hide()
            return
        y0, y1 = self.vb.viewRange()[1]
        value = self.line.value()
        py = self.vb.mapFromView(QtCore.QPointF(0.0, value)).y()
        h = self.rect().height()
        top = py + 1.0 if value > 0.5 * (y0 + y1) else py - h - 1.0
        top = min(max(top, vr.top()), vr.bottom() - h)
        w = self.rect().width()
        x = vr.left() + self.PAD + 2.0 if self.left else vr.right() - w + self.PAD - 2.0
        self.setPos(x, top)
        self.setVisible(vr.top() - 1 <= py <= vr.bottom() + 1)
