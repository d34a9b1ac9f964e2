"""The curves' axes: few, round ticks, and the round numbers the iteration and y ranges snap to.

pyqtgraph's own tick choice jumps from 0.2 to 1 and fills a 60-pixel axis; `SparseAxis` puts only as
many labelled major ticks as fit with a line of text between them, in steps of 1, 2, 2.5 or 5 times a
power of ten (`nice_step`). `Log10Axis` labels a curve drawn as log10(y) with y itself (`log_ticks`):
decades with 2 and 5 sub-ticks, then 1..9 times a decade, then round linear steps for a range inside one
decade, so any range shows at least two labels; short ones ("1e-4", not "0.0001"), which fit the fixed
axis width (pyqtgraph drops a label wider than its axis).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets


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
    at presenter scale. A bottom axis may carry its title at the right end of the tick row (`set_end_label`,
    "iteration"): it costs the plot no line of height, and the ticks keep clear of it."""

    log = False
    END_GAP = 6.0          # pixels between the last tick label and the end label
    end_label: QtWidgets.QGraphicsSimpleTextItem | None = None   # (pyqtgraph resizes before __init__ ends)

    def set_end_label(self, text: str, font: QtGui.QFont | None = None, color: str | None = None) -> None:
        if self.end_label is None:
            self.end_label = QtWidgets.QGraphicsSimpleTextItem(self)
        item = self.end_label
        item.setText(text)
        if font is not None:
            item.setFont(font)
        if color is not None:
            item.setBrush(pg.mkBrush(color))
        self._place_end_label()
        self.picture = None      # the ticks keep clear of the new width
        self.update()

    def _place_end_label(self) -> None:
        item = self.end_label
        if item is not None:
            r = item.boundingRect()
            item.setPos(self.size().width() - r.width() - 1.0, max(0.0, self.style["tickLength"]) + 1.0)

    def resizeEvent(self, ev=None):
        super().resizeEvent(ev)
        self._place_end_label()

    def tickValues(self, minVal, maxVal, size):
        item = self.end_label
        if item is None or not item.text() or not item.isVisible() or maxVal == minVal or size <= 0:
            return super().tickValues(minVal, maxVal, size)
        # ticks only where their whole label is drawn: half a label in from the left end (pyqtgraph drops
        # a label that sticks out), and short of the end label; the step is chosen for that part
        fm = QtGui.QFontMetricsF(self.style["tickFont"] or QtGui.QFont())
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        per_px = (hi - lo) / size
        half = 0.5 * fm.horizontalAdvance("0" * len(f"{max(abs(lo), abs(hi)):.0f}")) + 1.0
        stop = size - item.boundingRect().width() - self.END_GAP
        lo2, hi2 = lo + half * per_px, lo + (stop - half) * per_px
        if hi2 <= lo2:
            return []
        levels = super().tickValues(lo2, hi2, stop - 2 * half)
        out = []
        for spacing, values in levels:
            texts = self.tickStrings(list(values), 1.0, spacing) if len(values) else []
            out.append((spacing, [v for v, t in zip(values, texts, strict=True)
                                  if (v - lo) / per_px + 0.5 * fm.horizontalAdvance(t) <= stop]))
        return out

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


def tick_text(v: float, step: float | None = None) -> str:
    """A log axis' label for the value v (not its log): 1e-4, 0.05, 3.1, 200, 1e5; `step` (a linear
    tick step) sets the decimals, so 3.05 is not shown as 3."""
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    e = math.floor(math.log10(abs(v)) + 1e-9)
    if step is not None and -2 <= e <= 3:
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        if round(step / 10.0 ** math.floor(math.log10(step) + 1e-9), 6) == 2.5:
            decimals += 1
        return f"{v:.{decimals}f}"
    if -2 <= e <= 3:
        return f"{v:.3g}"
    m = round(v / 10.0 ** e, 3 if step is None else max(0, e - math.floor(math.log10(step) + 1e-9)))
    return f"{m:g}e{e}"


def _in(lo: float, hi: float, positions) -> list[float]:
    return [p for p in positions if lo - 1e-9 <= p <= hi + 1e-9]


def log_ticks(lo: float, hi: float, max_labels: int) -> tuple[list[tuple[float, str]], list[float]]:
    """Ticks for a log axis showing 10**lo .. 10**hi: ([(log10 position, label)], unlabelled positions).

    At least two labels for any range, and no more than `max_labels` where the range allows: whole decades
    (every 2nd, 3rd, 5th ... on a long range) with 2 and 5 as sub-ticks; 1, 2, 5 times a decade; 1..9 times a
    decade; and inside one decade round linear steps (3, 3.1, 3.2)."""
    lo, hi = min(lo, hi), max(lo, hi)
    max_labels = max(2, int(max_labels))
    decades = list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))
    l125 = _in(lo, hi, [e + math.log10(m) for e in range(decades[0] - 1 if decades else math.floor(lo),
                                                            (decades[-1] if decades else math.floor(hi)) + 1)
                        for m in (1, 2, 5)])
    if len(decades) >= 2:
        if len(l125) <= max_labels:
            return [(p, tick_text(10.0 ** p)) for p in l125], []
        for k in (1, 2, 3, 5, 10, 20, 50, 100, 200, 500):
            kept = [e for e in decades if e % k == 0]
            if len(kept) <= max_labels or k == 500:
                break
        if len(kept) < 2:
            kept = [decades[0], decades[-1]]
        minor = [p for p in l125 if abs(p - round(p)) > 1e-6] if k == 1 else \
            [float(e) for e in decades if e not in kept]
        return [(float(e), tick_text(10.0 ** e)) for e in kept], minor
    base = math.floor(lo)
    l19 = _in(lo, hi, [e + math.log10(m) for e in (base, base + 1) for m in range(1, 10)])
    linear = _linear(10.0 ** lo, 10.0 ** hi, max_labels)
    options = [[(p, tick_text(10.0 ** p)) for p in l125], [(p, tick_text(10.0 ** p)) for p in l19], linear]
    for least in (3, 2):        # the log-like sets first, when they give a few labels
        for option in options:
            if least <= len(option) <= max_labels:
                return option, []
    return linear, []


def _linear(v0: float, v1: float, max_labels: int) -> list[tuple[float, str]]:
    """Round linear steps inside one decade: at most max_labels of them where two or more fit."""
    step = nice_step((v1 - v0) / max(1, max_labels - 1))
    for _ in range(12):
        values = [k * step for k in range(math.ceil(v0 / step - 1e-9), math.floor(v1 / step + 1e-9) + 1)]
        if len(values) >= 2:
            break
        step = smaller_step(step)
    return [(math.log10(v), tick_text(v, step)) for v in values if v > 0]


class Log10Axis(SparseAxis):
    """Axis for a curve drawn as log10(y): labelled with y itself, at least two labels (`log_ticks`)."""

    log = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._texts: dict[float, str] = {}

    def tickValues(self, minVal, maxVal, size):
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not (hi > lo) or size <= 0 or not (math.isfinite(lo) and math.isfinite(hi)):
            return []
        fm = QtGui.QFontMetricsF(self.style["tickFont"] or QtGui.QFont())
        # a label may stick out of the axis by less than half its height: the outermost ones stay readable
        inset = 0.25 * fm.height() * (hi - lo) / size
        major, minor = log_ticks(lo + inset, hi - inset, int(size / (1.8 * fm.height())))
        self._texts = {round(p, 9): t for p, t in major}
        return [(None, [p for p, _ in major]), (None, minor)]

    def tickStrings(self, values, scale, spacing):
        return [self._texts.get(round(v, 9)) or tick_text(10.0 ** v) for v in values]


def data_range(columns) -> tuple[float, float]:
    """(min, max) of the finite values of the drawn columns (None and empty ones skipped); (inf, -inf) if none."""
    lo, hi = math.inf, -math.inf
    for y in columns:
        if y is not None and len(y):
            ok = np.asarray(y)[np.isfinite(y)]
            if len(ok):
                lo, hi = min(lo, float(ok.min())), max(hi, float(ok.max()))
    return lo, hi


def round_range(lo: float, hi: float, current: tuple[float, float] | None, log: bool = False
                ) -> tuple[float, float] | None:
    """[lo, hi] widened to round steps (about 8 of them), or None to keep `current`: a range changes only
    when the data leave it or fill less than half of it."""
    if current is not None:
        c0, c1 = current
        if c0 <= lo and hi <= c1 and (hi - lo) >= 0.5 * (c1 - c0):
            return None
    # a log axis (lo, hi are log10) spans at least a tenth of a decade; its ticks need no whole decades
    step = nice_step(max(hi - lo, 0.1 if log else 1e-9) / 8.0)
    y0 = math.floor(lo / step) * step
    y1 = math.ceil(hi / step) * step
    if y1 - y0 < step:
        y1 = y0 + step
    return y0, y1
