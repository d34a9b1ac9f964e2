"""The curves' shared iteration axis: it follows the whole run, or holds where the user zoomed or panned.

While following, the axis shows [first iteration, a round number above the last one] (`nice_ceil`): the
range, and so the axes that pyqtgraph lays out again in Python, changes only every so often, not every
frame. A zoom or pan (mouse, menu or program) stops following, and the view redraws the visible part in
detail a moment later; auto-range (the plot menu, or enableAutoRange(x=True)) follows the run again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from .axes import nice_ceil

REDRAW_DELAY_MS = 30       # after a zoom or pan: one redraw when the range has settled


class IterationAxis(QtCore.QObject):
    """The x range of `plot` and of the plots linked to it; `redraw()` is called after a zoom or pan."""

    def __init__(self, plot: pg.PlotItem, plots, redraw: Callable[[], None], parent: QtCore.QObject):
        super().__init__(parent)
        self.plot = plot
        self._follow = True
        self._setting_range = False
        self._span: tuple[float, float] | None = None   # the range set while following
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_DELAY_MS)
        self._timer.timeout.connect(redraw)
        for p in plots:
            p.getViewBox().sigStateChanged.connect(self._on_view_state)
        plot.getViewBox().sigXRangeChanged.connect(self._on_xrange)

    def following(self) -> bool:
        """True while the axis follows the whole run; False after the user zoomed or panned."""
        return self._follow

    def reset(self) -> None:
        """Follow the run again, from scratch (a new run)."""
        self._follow = True
        self._span = None

    def follow(self, snap) -> None:
        """While following, show [first, a round number above the last iteration] of the snapshot's tables."""
        firsts, lasts = [], []
        for table in (snap.losses, snap.metrics):
            x = table.get("step") if table else None
            if x is not None and len(x):
                firsts.append(float(x[0]))
                lasts.append(float(x[-1]))
        if not lasts:
            return
        lo, last = min(firsts), max(lasts)
        cur = self._span
        if cur is not None and cur[0] == lo and last <= cur[1] and last >= 0.5 * (cur[1] - lo) + lo:
            return
        hi = lo + nice_ceil(max(1.0, (last - lo) * 1.05))
        self._span = (lo, hi)
        self._setting_range = True
        try:
            self.plot.setXRange(lo, hi, padding=0)
        finally:
            self._setting_range = False

    def visible_slice(self, x: np.ndarray) -> tuple[int, int]:
        """The rows of the sorted iterations `x` to draw: all while following, the zoomed range with a
        margin of its width on each side otherwise."""
        if self._follow:
            return 0, len(x)
        x0, x1 = self.plot.getViewBox().viewRange()[0]
        w = x1 - x0
        lo = int(np.searchsorted(x, x0 - w, side="left"))
        hi = int(np.searchsorted(x, x1 + w, side="right"))
        if hi - lo < 2:
            return 0, len(x)
        return lo, hi

    def _on_view_state(self, vb) -> None:
        if vb.autoRangeEnabled()[0]:           # auto-range (menu) or enableAutoRange(x=True): follow again
            vb.enableAutoRange(x=False)
            if not self._follow:
                self.reset()
                self._timer.start()

    def _on_xrange(self, *_):
        if self._setting_range:
            return
        # someone zoomed or panned (mouse, menu or program): draw the visible part in detail
        self._follow = False
        self._timer.start()
