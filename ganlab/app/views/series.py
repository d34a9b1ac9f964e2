"""One curve of the curves view, and the plot titles that name the curves in their colours.

A `Series` draws one column of the snapshot's `losses` or `metrics` table (History views) as a
PlotCurveItem; `transform` maps the kept values (log10, / n_modes), non-finite values become NaN gaps
(connect='finite'). There are no legends: each plot's title (`title_html`) lists its series after a line
sign (solid or dashed) in their own colours.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .. import style

SOLID, DASHED = "━", "╌"


def finite(y: np.ndarray) -> np.ndarray:
    """y as float64 with every non-finite value replaced by NaN (a gap with connect='finite')."""
    y = np.asarray(y, dtype=np.float64)
    if np.isfinite(y).all():
        return y
    return np.where(np.isfinite(y), y, np.nan)


def log10(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(y)
    return finite(out)


class Series:
    def __init__(self, plot: pg.PlotItem, source: str, column: str, color: str, name: str,
                 dash: bool = False, transform=None):
        self.plot = plot
        self.source = source          # "losses" or "metrics"
        self.column = column
        self.color = color
        self.dash = dash
        self.transform = transform    # y -> y (on the full column), e.g. log10 or / n_modes
        self.curve = pg.PlotCurveItem(name=name, connect="finite")
        if dash:
            # Qt strokes a thick dashed polyline about 20x slower than separate segments (2 ms a frame
            # here): draw segments, each starting its own short dash pattern
            self.curve.opts["segmentedLineMode"] = "on"
        self.curve.setZValue(5)
        plot.addItem(self.curve)

    def set_scale(self, scale: float) -> None:
        pen = style.pen(self.color, style.CURVE_WIDTH, scale, dash=self.dash)
        if self.dash:
            pen.setDashPattern([3.0, 2.0])
        self.curve.setPen(pen)


def title_html(prefix: str, series) -> str:
    """A plot title: an optional prefix, then each (series, name)'s name after a line sign, in its colour."""
    parts = [_esc(prefix)] if prefix else []
    for s, name in series:
        sign = DASHED if s.dash else SOLID
        parts.append(f'<span style="color:{s.color}">{sign}&nbsp;{_esc(name)}</span>')
    return "&nbsp;&nbsp;&nbsp;".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
