"""The note that says why a log-scale curve has gaps (KL infinite, a gradient norm of 0).

A log axis cannot show 0, a negative value, infinity or a missing one, so those iterations are gaps in
the curve; a gap without a word reads as a bug. `GapNote` is a short text on a light box in a corner of the
plot that no curve passes through (reference.free_spot), shown while the drawn part of the history has such
values; the plot's tooltip gets the long explanation. Texts are translated in context "CurvesView".
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .. import style
from .reference import free_spot

# kind -> (the short note in the plot, the sentence added to the plot's tooltip)
GAP_TEXTS = {
    "kl": (QT_TRANSLATE_NOOP("CurvesView", "gaps: KL = ∞"),
           QT_TRANSLATE_NOOP("CurvesView", "Gaps: at those iterations a KL is infinite (p_g has no mass where "
                             "p_data has some, or the reverse) or was not computed; a log axis cannot show it.")),
    "grad": (QT_TRANSLATE_NOOP("CurvesView", "gaps: norm = 0"),
             QT_TRANSLATE_NOOP("CurvesView", "Gaps: at those iterations the gradient norm is 0 (G frozen or no G "
                               "step) or not finite; a log axis cannot show it.")),
}


def has_gaps(y: np.ndarray) -> bool:
    """Whether a column drawn on a log axis has values it cannot show (<= 0, infinite, NaN)."""
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return bool(len(y)) and not bool(np.all(np.isfinite(y) & (y > 0)))


class GapNote(QtWidgets.QGraphicsRectItem):
    """A short note in a free corner of a plot, in the ViewBox's pixels; hidden while there are no gaps."""

    PAD = 3.0

    def __init__(self, plot: pg.PlotItem, kind: str, curves):
        self.vb = plot.getViewBox()
        super().__init__(self.vb)
        self.plot, self.kind, self.curves = plot, kind, tuple(curves)
        self.active = False            # the drawn history has gaps (the note may still find no free corner)
        self.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.setBrush(pg.mkBrush(255, 255, 255, 200))
        self.setZValue(1000)
        self.text = QtWidgets.QGraphicsSimpleTextItem("", self)
        self.text.setBrush(pg.mkBrush(style.REFERENCE))
        self.vb.sigRangeChanged.connect(self.relayout)
        self.vb.sigResized.connect(self.relayout)
        self.hide()

    def short_text(self) -> str:
        return self.text.text()

    def long_text(self) -> str:
        return QCoreApplication.translate("CurvesView", GAP_TEXTS[self.kind][1])

    def retranslate(self) -> None:
        self.text.setText(QCoreApplication.translate("CurvesView", GAP_TEXTS[self.kind][0]))
        self.fit()

    def set_scale(self, scale: float) -> None:
        self.text.setFont(style.font(0.9 * scale))
        self.fit()

    def fit(self) -> None:
        r = self.text.boundingRect()
        self.setRect(r.adjusted(-self.PAD, 0.0, self.PAD, 0.0))
        self.relayout()

    def set_active(self, on: bool) -> None:
        if on != self.active:
            self.active = on
        self.relayout()

    def relayout(self, *_):
        vr = self.vb.rect()
        if not self.active or vr.height() < 4:
            self.hide()
            return
        w, h = self.rect().width(), self.rect().height()
        right, left = vr.right() - w - 2.0, vr.left() + 2.0
        top, bottom = vr.top() + 1.0, vr.bottom() - h - 1.0
        spots = [QtCore.QRectF(x, y, w, h) for y in (top, bottom) for x in (right, left)]
        spot = free_spot(self.vb, spots, self.curves)
        if spot is None:
            self.hide()         # the tooltip still explains the gaps
            return
        self.setPos(spot.left() - self.rect().left(), spot.top() - self.rect().top())
        self.show()
