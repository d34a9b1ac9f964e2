"""Reference lines in the curves (log 2 = max, -log 4 = equilibrium, ...), labelled where they hide no data.

A `ReferenceLine` is a dashed horizontal line with its label on a light box, in the ViewBox's pixels (not
in data coordinates). The label goes to the first free place among a few (either end of the line, then
its middle; the side of the line that stays in view first): free means no drawn curve passes through it
(`free_spot`; a teacher complained that "log 4 = equilibrium" sat on the losses). When every place is
taken, the label leaves the plot and the curves view lists it in the plot's title, with the series.
Lines that mean nothing for the loss in force are hidden (`ReferenceSet.show_for`): L_D = log 4 holds at
the equilibrium of the two log losses only. Labels move when a y range, a plot's size or its curves change,
never per frame otherwise. Qt items only: painting them runs no Python.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .. import style

LOG_LOSSES = ("minimax", "nonsaturating")   # L_D = log 4 at the equilibrium D = 1/2
# key -> the label (context CurvesView). Labels start at the left end, over the early history, so they
# rarely hide the newest values; "log 2 = max" at the right, where the JSD has come down from it.
REF_TEXTS = {
    "jsd0": QT_TRANSLATE_NOOP("CurvesView", "0: p_g = p_data"),
    "log2": QT_TRANSLATE_NOOP("CurvesView", "log 2 = max"),
    "eq": QT_TRANSLATE_NOOP("CurvesView", "−log 4 = equilibrium"),
    "ld_eq": QT_TRANSLATE_NOOP("CurvesView", "log 4 = equilibrium"),
    "cov1": QT_TRANSLATE_NOOP("CurvesView", "all modes"),
}


def crosses(x: np.ndarray, y: np.ndarray, x0: float, x1: float, y0: float, y1: float) -> bool:
    """Whether the polyline (x sorted; NaN = a gap, as connect='finite' draws it) passes through the
    rectangle [x0, x1] x [y0, y1] (data coordinates)."""
    if x is None or y is None or len(x) == 0:
        return False
    i0 = max(int(np.searchsorted(x, x0, side="left")) - 1, 0)
    i1 = min(int(np.searchsorted(x, x1, side="right")) + 1, len(x))
    xs, ys = np.asarray(x[i0:i1], dtype=np.float64), np.asarray(y[i0:i1], dtype=np.float64)
    ok = np.isfinite(xs) & np.isfinite(ys)
    inside = ok & (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
    if inside.any():
        return True
    if len(xs) < 2:
        return False
    xa, xb, ya, yb = xs[:-1], xs[1:], ys[:-1], ys[1:]
    seg = ok[:-1] & ok[1:] & (xb > xa)
    if not seg.any():
        return False
    xa, xb, ya, yb = xa[seg], xb[seg], ya[seg], yb[seg]
    ca, cb = np.maximum(xa, x0), np.minimum(xb, x1)           # each segment clipped to the rectangle's x range
    keep = ca <= cb
    if not keep.any():
        return False
    slope = (yb - ya) / (xb - xa)
    ya_c, yb_c = ya + slope * (ca - xa), ya + slope * (cb - xa)
    lo, hi = np.minimum(ya_c, yb_c), np.maximum(ya_c, yb_c)
    return bool((keep & (hi >= y0) & (lo <= y1)).any())


def free_spot(vb: pg.ViewBox, rects: list[QtCore.QRectF], curves) -> QtCore.QRectF | None:
    """The first of `rects` (ViewBox pixels) that no curve passes through, or None."""
    for r in rects:
        a = vb.mapToView(r.topLeft())
        b = vb.mapToView(r.bottomRight())
        x0, x1 = sorted((a.x(), b.x()))
        y0, y1 = sorted((a.y(), b.y()))
        if not any(c.isVisible() and crosses(c.xData, c.yData, x0, x1, y0, y1) for c in curves):
            return r
    return None


class ReferenceLine(pg.InfiniteLine):
    """A dashed horizontal line at `y` on `plot`, labelled preferably at its left end (`left`) or its right."""

    def __init__(self, plot: pg.PlotItem, y: float, left: bool = False):
        super().__init__(pos=y, angle=0, movable=False)
        self.setZValue(20)   # above the curves: a thin dashed line
        self.plot = plot
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

    def in_legend(self) -> bool:
        """Shown, but its label had no free place in the plot: the plot's title names it."""
        return self.isVisible() and self.ref_label.crowded

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
        self.curves = ()            # the plot's curves, which the label must not cover
        self.crowded = False        # no free place: hidden, and listed in the plot's title
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

    def candidates(self) -> list[QtCore.QRectF]:
        """Places for the label, best first: at the preferred end, on the side of the line that stays in
        view, then the other side; then the other end; then the middle."""
        vr = self.vb.rect()
        y0, y1 = self.vb.viewRange()[1]
        value = self.line.value()
        py = self.vb.mapFromView(QtCore.QPointF(0.0, value)).y()
        w, h = self.rect().width(), self.rect().height()
        below = py + 1.0, py - h - 1.0
        tops = below if value > 0.5 * (y0 + y1) else below[::-1]
        ends = [vr.left() + 2.0, vr.right() - w - 2.0]
        xs = (ends if self.left else ends[::-1]) + [vr.center().x() - 0.5 * w]
        out = []
        for x in xs:
            for top in tops:
                top = min(max(top, vr.top()), vr.bottom() - h)
                out.append(QtCore.QRectF(x, top, w, h))
        return out

    def relayout(self) -> None:
        vr = self.vb.rect()
        value = self.line.value()
        py = self.vb.mapFromView(QtCore.QPointF(0.0, value)).y() if vr.height() >= 4 else math.nan
        if not self.line.isVisible() or not (vr.top() - 1 <= py <= vr.bottom() + 1):
            self.crowded = False
            self.hide()
            return
        spots = self.candidates()
        here = QtCore.QRectF(self.pos() + self.rect().topLeft(), self.rect().size())
        if self.isVisible() and any(abs(here.left() - r.left()) < 0.5 and abs(here.top() - r.top()) < 0.5
                                    for r in spots):
            spots.insert(0, here)       # keep a free place: a label that jumps about is hard to follow
        spot = free_spot(self.vb, spots, self.curves)
        self.crowded = spot is None
        if spot is None:
            self.hide()
            return
        self.setPos(spot.left() - self.rect().left(), spot.top() - self.rect().top())
        self.show()

    def scene_rect(self) -> QtCore.QRectF:
        return self.mapRectToScene(self.rect())


class ReferenceSet:
    """The curves' reference lines by key, each on its plot, labelled, shown for the losses they fit."""

    def __init__(self, at: dict[str, tuple[pg.PlotItem, float, bool]], curves_of):
        """`at`: key -> (plot, y, label at the left end); `curves_of(plot)`: the curves a label must not hide."""
        self.lines = {key: ReferenceLine(plot, y, left) for key, (plot, y, left) in at.items()}
        for line in self.lines.values():
            line.ref_label.curves = tuple(curves_of(line.plot))
        self.lines["ld_eq"].setVisible(False)

    def show_for(self, loss: str) -> None:
        """Only the lines that mean something for `loss`: L_D = log 4 at the equilibrium is the log losses'."""
        self.lines["ld_eq"].set_shown(loss in LOG_LOSSES)

    def retranslate(self) -> None:
        for key, text in REF_TEXTS.items():
            self.lines[key].set_text(QCoreApplication.translate("CurvesView", text))

    def relayout(self, vb=None) -> None:
        """Place the labels again (of one ViewBox's plot, or all): after a y range, size or curve change."""
        for line in self.lines.values():
            if vb is None or line.ref_label.vb is vb:
                line.ref_label.relayout()

    def in_legend(self, plot: pg.PlotItem) -> list[ReferenceLine]:
        """The plot's shown lines whose labels found no free place in it."""
        return [line for line in self.lines.values() if line.plot is plot and line.in_legend()]

    def set_scale(self, scale: float) -> None:
        for line in self.lines.values():
            line.set_scale(scale)
