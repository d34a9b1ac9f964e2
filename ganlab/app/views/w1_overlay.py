"""The W1 curve beside the JSD: the same plot and iteration axis, its own linear scale on a right axis.

Why in the JSD plot: the lecture's argument for WGAN is seen by comparing the two while a mode is dragged away:
the JSD saturates at log 2 while W1 keeps growing with the distance. Why its own axis: W1 is a distance in the
field's units, not nats, so it cannot share the JSD's 0..log 2 scale. The curve is a Series of the JSD plot
(drawn, cleared and scaled with the others) moved into a second ViewBox that follows the plot's x range.
"""

from __future__ import annotations

import pyqtgraph as pg

from .. import style
from .series import Series


class RightAxisSeries:
    """A Series of `plot` drawn in a ViewBox with its own y range (auto), its scale on the plot's right axis."""

    def __init__(self, plot: pg.PlotItem, series: Series):
        self.plot, self.series = plot, series
        self.vb = pg.ViewBox(enableMouse=False)
        self.vb.setMenuEnabled(False)
        plot.showAxis("right")
        self.axis = plot.getAxis("right")
        self.axis.linkToView(self.vb)
        self.axis.enableAutoSIPrefix(False)
        plot.removeItem(series.curve)
        self.vb.addItem(series.curve)
        self.vb.setXLink(plot.getViewBox())
        self.vb.enableAutoRange(y=True)
        self.vb.setAutoVisible(y=True)
        plot.getViewBox().sigResized.connect(self._sync)
        self._sync()

    def _sync(self, *_):
        scene = self.plot.scene()   # None until the curves view lays the plot out
        if scene is not None and self.vb.scene() is not scene:
            scene.addItem(self.vb)
        self.vb.setGeometry(self.plot.getViewBox().sceneBoundingRect())
        self.vb.linkedViewChanged(self.plot.getViewBox(), self.vb.XAxis)

    def set_scale(self, width: int) -> None:
        """After style.style_axes: the right axis in the curve's colour, `width` pixels wide."""
        self.axis.setWidth(width)
        self.axis.setTextPen(style.pen(self.series.color, 1.0))
        self.axis.setPen(style.pen(self.series.color, 1.0))


def pad_others(plots, plot, width: int) -> None:
    """Give every other plot an empty right axis of the same width: the curves view keeps every plot one width,
    so that one iteration is at the same x in all of them."""
    for p in plots:
        if p is not plot:
            p.showAxis("right")
            ax = p.getAxis("right")
            ax.setStyle(showValues=False, tickLength=0)
            ax.setPen(style.pen(style.BACKGROUND, 1.0))
            ax.setWidth(width)
