"""Training curves on one shared iteration axis.

(1) losses L_D and L_G, (2) JSD(p_data || p_g), (3) V(G, D) against -log 4 + 2 JSD, (4) mode coverage,
(5) the generator's gradient norm (log y). Reference lines are labelled inside the plots.

Long runs stay responsive: the full history stays in the snapshot (History views, no copies) and
each curve is drawn min/max-decimated to about twice the plot's width in pixels (of the visible
x range when the user has zoomed in, so zooming shows the detail). A curve is redrawn only when its
history grew, and at most `max_fps` times a second (a trailing timer draws the last snapshot).
Non-finite values become gaps (connect='finite'), never garbage.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ganlab.core.history import decimate

from .. import style

MIN_POINTS = 400
MAX_POINTS = 4000
DEFAULT_POINTS = 2000      # before the widget has a size
LEFT_AXIS_WIDTH = 58
LOG_LOSSES = ("minimax", "nonsaturating")   # L_D = log 4 at the equilibrium D = 1/2


def _finite(y: np.ndarray) -> np.ndarray:
    """y as float64 with every non-finite value replaced by NaN (a gap with connect='finite')."""
    y = np.asarray(y, dtype=np.float64)
    if np.isfinite(y).all():
        return y
    return np.where(np.isfinite(y), y, np.nan)


def _log10(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(y)
    return _finite(out)


class _Log10Axis(pg.AxisItem):
    """Axis for a curve drawn as log10(y): ticks spaced evenly in log10, labelled with y itself."""

    def tickStrings(self, values, scale, spacing):
        return [f"{10.0 ** v:.2g}" for v in values]


class _Series:
    def __init__(self, plot: pg.PlotItem, source: str, column: str, color: str, name: str,
                 dash: bool = False, transform=None):
        self.plot = plot
        self.source = source          # "losses" or "metrics"
        self.column = column
        self.color = color
        self.dash = dash
        self.transform = transform    # y -> y (on the full column), e.g. log10 or / n_modes
        self.curve = pg.PlotCurveItem(name=name, connect="finite")
        self.curve.setZValue(5)
        plot.addItem(self.curve)

    def set_scale(self, scale: float) -> None:
        self.curve.setPen(style.pen(self.color, style.CURVE_WIDTH, scale, dash=self.dash))


class CurvesView(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None,
                 max_fps: float | None = 15.0):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self.max_fps = max_fps
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._range_timer = QtCore.QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(30)
        self._range_timer.timeout.connect(self._redraw_for_range)
        self._follow = True
        self._setting_range = False
        self._follow_x: tuple[float, float] | None = None
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground(style.BACKGROUND)
        self.glw.setMinimumSize(300, 300)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.glw)

        self.plot_loss = self.glw.addPlot(row=0, col=0)
        self.plot_jsd = self.glw.addPlot(row=1, col=0)
        self.plot_value = self.glw.addPlot(row=2, col=0)
        self.plot_cov = self.glw.addPlot(row=3, col=0)
        self.plot_grad = self.glw.addPlot(row=4, col=0, axisItems={"left": _Log10Axis("left")})
        self.plots = (self.plot_loss, self.plot_jsd, self.plot_value, self.plot_cov, self.plot_grad)
        self.legends = []
        for p in self.plots:
            p.setMenuEnabled(True)
            p.getViewBox().setMouseEnabled(x=True, y=False)   # zoom/pan the iteration axis only
            p.getAxis("left").enableAutoSIPrefix(False)
            if p is not self.plot_loss:
                p.setXLink(self.plot_loss)
            if p is not self.plot_grad:
                p.hideAxis("bottom")   # one iteration axis, at the bottom (fewer axes to redraw per frame)
            # The iteration axis is managed here (see _follow_range), not by pyqtgraph's auto-range;
            # an "A" button (auto-range) goes back to following the run.
            p.enableAutoRange(x=False)
            p.getViewBox().sigStateChanged.connect(self._on_view_state)
            self.legends.append(p.addLegend(offset=(-8, 4), labelTextColor=style.FOREGROUND,
                                            brush=pg.mkBrush(255, 255, 255, 200), pen=pg.mkPen(style.REFERENCE)))
        self.plot_grad.setLabel("bottom", "iteration")
        self.plot_loss.setLabel("left", "loss")
        self.plot_jsd.setLabel("left", "JSD (nats)")
        self.plot_value.setLabel("left", "V(G, ·)")
        self.plot_cov.setLabel("left", "coverage")
        self.plot_grad.setLabel("left", "‖∇G‖ (log)")
        self.plot_jsd.setYRange(-0.03, math.log(2.0) + 0.06, padding=0)
        self.plot_jsd.enableAutoRange(y=False)
        self.plot_cov.setYRange(-0.03, 1.08, padding=0)
        self.plot_cov.enableAutoRange(y=False)

        self.s_loss_d = _Series(self.plot_loss, "losses", "loss_d", style.REAL, "L_D (discriminator)")
        self.s_loss_g = _Series(self.plot_loss, "losses", "loss_g", style.FAKE, "L_G (generator)")
        self.s_jsd = _Series(self.plot_jsd, "metrics", "jsd", style.FOREGROUND, "JSD(p_data ‖ p_g)")
        self.s_v = _Series(self.plot_value, "metrics", "v_estimate", style.MANIFOLD, "V(G, D) estimate")
        self.s_vstar = _Series(self.plot_value, "metrics", "v_at_dstar", style.OTHER,
                               "V(G, D*) = −log 4 + 2 JSD", dash=True)
        self.s_modes = _Series(self.plot_cov, "metrics", "modes_captured", style.MANIFOLD, "modes captured",
                               transform=self._modes_fraction)
        self.s_hq = _Series(self.plot_cov, "metrics", "hq_fraction", style.OTHER, "high-quality samples")
        self.s_grad = _Series(self.plot_grad, "losses", "grad_norm_g", style.FAKE, "‖∇θ_G L_G‖",
                              transform=_log10)
        self.series = (self.s_loss_d, self.s_loss_g, self.s_jsd, self.s_v, self.s_vstar, self.s_modes,
                       self.s_hq, self.s_grad)
        self._modes_label = self._legend_label(self.plot_cov, 0)
        self._modes_text = "modes captured"

        self.ref_lines = {
            "jsd0": self._ref(self.plot_jsd, 0.0, "0: p_g = p_data"),
            "log2": self._ref(self.plot_jsd, math.log(2.0), "log 2 = max", below=True),
            "eq": self._ref(self.plot_value, -math.log(4.0), "−log 4 = equilibrium"),
            "ld_eq": self._ref(self.plot_loss, math.log(4.0), "log 4 = L_D at equilibrium"),
            "cov1": self._ref(self.plot_cov, 1.0, "all modes", below=True),
        }
        self.ref_lines["ld_eq"].setVisible(False)

        self._snap = None
        self._n_modes = 1
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._last_draw = 0.0
        self._force = False
        self.plot_loss.getViewBox().sigXRangeChanged.connect(self._on_xrange)
        self._apply_scale()

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Queue this snapshot's history; redraw now unless drawn less than 1/max_fps s ago."""
        self._snap = snap
        if not self._needs_redraw(snap):
            return
        if self.max_fps and self.max_fps > 0:
            wait = self._last_draw + 1.0 / self.max_fps - time.perf_counter()
            if wait > 0:
                if not self._timer.isActive():
                    self._timer.start(max(1, int(wait * 1000)))
                return
        self.flush()

    def flush(self) -> None:
        """Draw the latest snapshot now (the trailing timer calls this)."""
        self._timer.stop()
        snap = self._snap
        if snap is None:
            return
        self._last_draw = time.perf_counter()
        force = self._force
        self._force = False
        n_modes = self._snapshot_modes(snap)
        modes_changed = n_modes != self._drawn_modes
        self._n_modes = n_modes
        self.ref_lines["ld_eq"].setVisible(getattr(snap, "loss", "") in LOG_LOSSES)
        lengths = {src: _length(getattr(snap, src)) for src in ("losses", "metrics")}
        for s in self.series:
            if force or lengths[s.source] != self._drawn[s.source] or (s is self.s_modes and modes_changed):
                self._draw_series(s, getattr(snap, s.source))
        self._drawn = lengths
        self._drawn_modes = n_modes
        self._update_modes_label(snap)
        if self._follow:
            self._follow_range()

    def clear(self) -> None:
        """Forget the drawn history (after a reset); the next snapshot draws from scratch."""
        self._timer.stop()
        self._snap = None
        for s in self.series:
            s.curve.setData(np.zeros(0), np.zeros(0))
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._set_modes_text("modes captured")
        self._follow = True
        self._follow_x = None
        self.plot_loss.enableAutoRange(y=True)
        self.plot_value.enableAutoRange(y=True)
        self.plot_grad.enableAutoRange(y=True)

    def set_presenter(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def max_points(self) -> int:
        """Points per curve: about twice the plot's width in pixels, within [MIN_POINTS, MAX_POINTS]."""
        w = self.plot_loss.getViewBox().width()
        if not w or w < 50:
            return DEFAULT_POINTS
        return int(min(max(2 * w, MIN_POINTS), MAX_POINTS))

    # ================================================================ drawing
    def _needs_redraw(self, snap) -> bool:
        return (self._force or _length(snap.losses) != self._drawn["losses"]
                or _length(snap.metrics) != self._drawn["metrics"]
                or self._snapshot_modes(snap) != self._drawn_modes)

    @staticmethod
    def _snapshot_modes(snap) -> int:
        cov = getattr(snap, "coverage", None)
        if cov is not None:
            return max(1, int(cov.n_modes))
        tgt = getattr(snap, "target", None)
        return max(1, int(tgt.n_modes)) if tgt is not None else 1

    def _modes_fraction(self, y: np.ndarray) -> np.ndarray:
        return _finite(np.asarray(y, dtype=np.float64) / float(self._n_modes))

    def _draw_series(self, s: _Series, table: dict) -> None:
        x = table.get("step") if table else None
        y = table.get(s.column) if table else None
        if x is None or y is None or len(x) == 0:
            s.curve.setData(np.zeros(0), np.zeros(0))
            return
        x = np.asarray(x, dtype=np.float64)
        lo, hi = self._visible_slice(x)
        # Decimate first, then transform the few kept points: the transforms are monotonic (log10,
        # / n_modes), so the kept min/max are the same; non-finite values become NaN gaps after.
        xd, yd = decimate(x[lo:hi], np.asarray(y[lo:hi], dtype=np.float64), self.max_points())
        yd = s.transform(yd) if s.transform is not None else _finite(yd)
        if not np.isfinite(yd).any():
            s.curve.setData(np.zeros(0), np.zeros(0))
            return
        s.curve.setData(xd, yd, connect="finite")

    def following(self) -> bool:
        """True while the iteration axis follows the whole run; False after the user zoomed or panned."""
        return self._follow

    def _on_view_state(self, vb) -> None:
        if vb.autoRangeEnabled()[0]:           # an "A" button or enableAutoRange(x=True): follow again
            vb.enableAutoRange(x=False)
            if not self._follow:
                self._follow = True
                self._follow_x = None
                self._range_timer.start()

    def _follow_range(self) -> None:
        """While following, show [first, a round number above the last iteration]: the range (and so
        the axes, which pyqtgraph redraws in Python) changes only every so often, not every frame."""
        snap = self._snap
        firsts, lasts = [], []
        for table in (snap.losses, snap.metrics):
            x = table.get("step") if table else None
            if x is not None and len(x):
                firsts.append(float(x[0]))
                lasts.append(float(x[-1]))
        if not lasts:
            return
        lo, last = min(firsts), max(lasts)
        cur = self._follow_x
        if cur is not None and cur[0] == lo and last <= cur[1] and last >= 0.5 * (cur[1] - lo) + lo:
            return
        hi = lo + _nice_ceil(max(1.0, (last - lo) * 1.05))
        self._follow_x = (lo, hi)
        self._setting_range = True
        try:
            self.plot_loss.setXRange(lo, hi, padding=0)
        finally:
            self._setting_range = False

    def _visible_slice(self, x: np.ndarray) -> tuple[int, int]:
        """The whole history while following; the zoomed x range (with a margin) otherwise."""
        if self.following():
            return 0, len(x)
        x0, x1 = self.plot_loss.getViewBox().viewRange()[0]
        w = x1 - x0
        lo = int(np.searchsorted(x, x0 - w, side="left"))
        hi = int(np.searchsorted(x, x1 + w, side="right"))
        if hi - lo < 2:
            return 0, len(x)
        return lo, hi

    def _on_xrange(self, *_):
        if self._setting_range:
            return
        # someone zoomed or panned (mouse, menu or program): draw the visible part in detail
        self._follow = False
        self._range_timer.start()

    def _redraw_for_range(self) -> None:
        if self._snap is not None:
            self._force = True
            self.flush()

    def _update_modes_label(self, snap) -> None:
        cov = getattr(snap, "coverage", None)
        if cov is not None:
            text = f"modes captured {int(cov.modes_captured)}/{int(cov.n_modes)}"
        else:
            m = snap.metrics.get("modes_captured") if snap.metrics else None
            if m is not None and len(m) and np.isfinite(m[-1]):
                text = f"modes captured {int(m[-1])}/{self._n_modes}"
            else:
                text = "modes captured"
        self._set_modes_text(text)

    def _set_modes_text(self, text: str) -> None:
        if text != self._modes_text:
            self._modes_text = text
            if self._modes_label is not None:
                self._modes_label.setText(text)

    def modes_text(self) -> str:
        return self._modes_text

    def _legend_label(self, plot: pg.PlotItem, i: int):
        legend = plot.legend
        try:
            return legend.items[i][1]
        except (AttributeError, IndexError):
            return None

    def _ref(self, plot: pg.PlotItem, y: float, text: str, below: bool = False) -> pg.InfiniteLine:
        anchor = (0, 0) if below else (0, 1)
        line = pg.InfiniteLine(pos=y, angle=0, movable=False, label=text,
                               labelOpts={"position": 0.02, "anchors": [anchor, anchor],
                                          "color": style.REFERENCE})
        line.setZValue(1)
        plot.addItem(line)
        return line

    def _apply_scale(self) -> None:
        s = self._scale
        for p in self.plots:
            style.style_axes(p, s)
            p.getAxis("left").setWidth(int(LEFT_AXIS_WIDTH * s))
        for sr in self.series:
            sr.set_scale(s)
        for line in self.ref_lines.values():
            line.setPen(style.pen(style.REFERENCE, 1.0, s, dash=True))
            line.label.setFont(style.font(s))
        size = f"{style.FONT_PT * s:.0f}pt"
        for legend in self.legends:
            legend.setLabelTextSize(size)
            for _sample, label in legend.items:
                label.setText(label.text, size=size, color=style.FOREGROUND)


def _nice_ceil(v: float) -> float:
    """The smallest round number (1, 1.2, 1.4, ..., 9 times a power of ten) that is >= v; consecutive
    choices differ by at most 25%, so the run fills at least 3/4 of the axis."""
    k = 10.0 ** math.floor(math.log10(v))
    for m in (1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0):
        if m * k >= v:
            return m * k
    return 10.0 * k


def _length(table) -> int:
    if not table:
        return 0
    x = table.get("step")
    return 0 if x is None else len(x)
