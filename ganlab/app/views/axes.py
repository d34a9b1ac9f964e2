"""The curves' axes: few, round ticks, and the round numbers the iteration and y ranges snap to.

pyqtgraph's own tick choice jumps from 0.2 to 1 and fills a 60-pixel axis; `SparseAxis` puts only as
many labelled major ticks as fit with a line of text between them, in steps of 1, 2, 2.5 or 5 times a
power of ten (`nice_step`); `Log10Axis` does the same in whole decades for a curve drawn as log10(y).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtGui


def nice_step(raw: float, log: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= raw (whole decades on a log axis)."""
    if not (raw > 0 and math.isfinite(raw)):
        return 1.0
    k = 10.0 ** math.floor(math.log10(raw))
    for m in ((1.0, 2.0, 5.0, 10.0) if log and raw >= 1 else (1.0, 2.0, 2.5, 5.0, 10.0)):
        if m * k >= raw * (1 - 1e-9):
            step = m * k
            return max(1.0, round(step)) if log else step
    return 10.0 * k


def smaller_step(step: float, log: bool = False) -> float:
    """The round step just below `step` (1 -> 0.5, 2 -> 1, 2.5 -> 2, 5 -> 2.5); whole decades stay >= 1."""
    k = 10.0 ** math.floor(math.log10(step) + 1e-9)
    m = round(step / k, 6)
    out = {1.0: 0.5, 2.0: 1.0, 2.5: 2.0, 5.0: 2.5}.get(m, m / 2) * k
    return max(1.0, round(out)) if log else out


def nice_ceil(v: float) -> float:
    """The smallest round number (1, 1.2, 1.4, ..., 9 times a power of ten) that is >= v; consecutive
    choices differ by at most 25%, so the run fills at least 3/4 of the axis."""
    k = 10.0 ** math.floor(math.log10(v))
    for m in (1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0):
        if m * k >= v:
            return m * k
    return 10.0 * k


class SparseAxis(pg.AxisItem):
    """Major ticks only, as many as fit with a line of text between labels: no crowding on a short plot
    at presenter scale."""

    log = False

    def tickSpacing(self, minVal, maxVal, size):
        if self._tickSpacing is not None:
            return self._tickSpacing
        dif = abs(maxVal - minVal)
        if dif == 0 or size <= 0:
            return []
        fm = QtGui.QFontMetricsF(self.style["tickFont"] or QtGui.QFont())
        if self.orientation in ("left", "right"):
            room = 1.8 * fm.height()                                   # a label, then most of a line of space
        else:
            room = fm.horizontalAdvance("0000000")                     # "12000" and a gap
        n = max(2, int(size / room))
        step = nice_step(dif / n, self.log)
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if math.floor(hi / step) - math.ceil(lo / step) < 1:        # one label only: take the next step down
            smaller = smaller_step(step, self.log)
            count = math.floor(hi / smaller) - math.ceil(lo / smaller) + 1
            if smaller < step and (self.orientation not in ("left", "right") or count * 1.15 * fm.height() <= size):
                step = smaller
        return [(step, 0.0)]


class Log10Axis(SparseAxis):
    """Axis for a curve drawn as log10(y): ticks on whole decades, labelled with y itself."""

    log = True

    def tickStrings(self, values, scale, spacing):
        return [f"{10.0 ** v:.2g}" for v in values]


def round_range(lo: float, hi: float, current: tuple[float, float] | None, log: bool = False
                ) -> tuple[float, float] | None:
    """[lo, hi] widened to round steps (about 8 of them), or None to keep `current`: a range changes only
    when the data leave it or fill less than half of it."""
    if current is not None:
        c0, c1 = current
        if c0 <= lo and hi <= c1 and (hi - lo) >= 0.5 * (c1 - c0):
            return None
    step = nice_step(max(hi - lo, 1e-9 if not log else 1.0) / 8.0, log)
    y0 = math.floor(lo / step) * step
    y1 = math.ceil(hi / step) * step
    if y1 - y0 < step:
        y1 = y0 + step
    return y0, y1
