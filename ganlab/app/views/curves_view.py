"""Training curves on one shared iteration axis, in a grid of six small plots.

(1) losses L_D and L_G, (2) JSD(p_data || p_g), (3) V(G, D) against -log 4 + 2 JSD, (4) mode coverage,
(5) KL in both directions (mode dropping vs poor samples), (6) the generator's gradient norm (log y).
Three columns by two rows in a wide strip (the window), two by three in a taller area (a figure);
columns line up, so one iteration sits at the same x in every plot of a column, and only the bottom
row carries iteration ticks. No legends: each plot's title names its series in their own colours
(shorter forms when the plot is narrow), and reference lines are labelled inside the plots, on the
side of the line that stays inside the view.

Long runs stay responsive: the full history stays in the snapshot (History views, no copies) and
each curve is drawn min/max-decimated to about twice the plot's width in pixels (of the visible
x range when the user has zoomed in, so zooming shows the detail), in buckets of equal size from the
first iteration on (see `decimate` in core/history.py). A curve is redrawn only when its history grew, and at most
`max_fps` times a second (a trailing timer draws the last snapshot). Non-finite values become gaps
(connect='finite'), never garbage.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ganlab.core.history import decimate

from .. import style
from ._items import QtPaintedView, cache_axes, narrow_title

MIN_POINTS = 400
MAX_POINTS = 4000
DEFAULT_POINTS = 2000      # before the widget has a size
LEFT_AXIS_WIDTH = 40       # pixels at scale 1: fixed, so the plots of a column line up
BOTTOM_AXIS_HEIGHT = 22    # the bottom row's iteration ticks (the middle one adds its title)
REDRAW_COST_FACTOR = 6.0   # a redraw may come every 6x its own cost at most (long histories)
LOG_LOSSES = ("minimax", "nonsaturating")   # L_D = log 4 at the equilibrium D = 1/2
TARGET_CELL_ASPECT = 2.4   # width / height of one plot that reads best; picks 3 or 2 columns
SOLID, DASHED = "━", "╌"


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


def _nice_step(raw: float, log: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= raw (whole decades on a log axis)."""
    if not (raw > 0 and math.isfinite(raw)):
        return 1.0
    k = 10.0 ** math.floor(math.log10(raw))
    for m in ((1.0, 2.0, 5.0, 10.0) if log and raw >= 1 else (1.0, 2.0, 2.5, 5.0, 10.0)):
        if m * k >= raw * (1 - 1e-9):
            step = m * k
            return max(1.0, round(step)) if log else step
    return 10.0 * k


def _smaller_step(step: float, log: bool = False) -> float:
    """The round step just below `step` (1 -> 0.5, 2 -> 1, 2.5 -> 2, 5 -> 2.5); whole decades stay >= 1."""
    k = 10.0 ** math.floor(math.log10(step) + 1e-9)
    m = round(step / k, 6)
    out = {1.0: 0.5, 2.0: 1.0, 2.5: 2.0, 5.0: 2.5}.get(m, m / 2) * k
    return max(1.0, round(out)) if log else out


class _SparseAxis(pg.AxisItem):
    """Major ticks only, as many as fit with a line of text between labels: no crowding on a short plot
    at presenter scale (pyqtgraph's own choice jumps from 0.2 to 1 and fills a 60-pixel axis)."""

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
        step = _nice_step(dif / n, self.log)
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if math.floor(hi / step) - math.ceil(lo / step) < 1:        # one label only: take the next step down
            smaller = _smaller_step(step, self.log)
            count = math.floor(hi / smaller) - math.ceil(lo / smaller) + 1
            if smaller < step and (self.orientation not in ("left", "right") or count * 1.15 * fm.height() <= size):
                step = smaller
        return [(step, 0.0)]


class _Log10Axis(_SparseAxis):
    """Axis for a curve drawn as log10(y): ticks on whole decades, labelled with y itself."""

    log = True

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


class _LayoutWidget(QtPaintedView, pg.GraphicsLayoutWidget):
    """A GraphicsLayoutWidget that says when it was resized (after its layout took the new size)."""

    sigResized = QtCore.Signal()


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
        self.glw = _LayoutWidget()
        self.glw.setBackground(style.BACKGROUND)
        self.glw.setMinimumSize(300, 200)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.glw)

        def axes(left=None):
            return {"left": left or _SparseAxis("left"), "bottom": _SparseAxis("bottom")}

        self.plot_loss = pg.PlotItem(axisItems=axes())
        self.plot_jsd = pg.PlotItem(axisItems=axes())
        self.plot_value = pg.PlotItem(axisItems=axes())
        self.plot_cov = pg.PlotItem(axisItems=axes())
        self.plot_kl = pg.PlotItem(axisItems=axes(_Log10Axis("left")))
        self.plot_grad = pg.PlotItem(axisItems=axes(_Log10Axis("left")))
        self.plots = (self.plot_loss, self.plot_jsd, self.plot_value, self.plot_cov, self.plot_kl, self.plot_grad)
        cache_axes(*self.plots)
        tips = (QCoreApplication.translate("CurvesView", "The discriminator's and the generator's losses per "
                                           "iteration. For minimax and non-saturating losses L_D = log 4 at the "
                                           "equilibrium D = 1/2."),
                QCoreApplication.translate("CurvesView", "Jensen-Shannon divergence between p_data and p_g (KDE on "
                                           "the grid), in nats: 0 when p_g = p_data, at most log 2."),
                QCoreApplication.translate("CurvesView", "V(G, D) for the trained D (solid) against its value at "
                                           "the optimal D*, -log 4 + 2 JSD (dashed; Goodfellow et al. 2014, "
                                           "Theorem 1). They meet when D is optimal for the current G."),
                QCoreApplication.translate("CurvesView", "Share of the target's modes with generated samples near "
                                           "them (mode collapse drops it), and the share of generated samples "
                                           "within 3 std of some mode."),
                QCoreApplication.translate("CurvesView", "KL(p_data || p_g) grows when modes are missed (mode "
                                           "dropping); KL(p_g || p_data) grows when samples fall where there is no "
                                           "data. JSD mixes both. Log scale, nats."),
                QCoreApplication.translate("CurvesView", "Norm of the generator's gradient (log scale): it "
                                           "vanishes when D is too good with the minimax loss."))
        self._ncols = 0
        for p, tip in zip(self.plots, tips, strict=True):
            narrow_title(p.titleLabel)
            p.setMenuEnabled(True)
            p.hideButtons()
            p.setToolTip(tip)
            p.getViewBox().setMouseEnabled(x=True, y=False)   # zoom/pan the iteration axis only
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("bottom").enableAutoSIPrefix(False)
            if p is not self.plot_loss:
                p.setXLink(self.plot_loss)
            # The iteration axis is managed here (see _follow_range), not by pyqtgraph's auto-range;
            # auto-range from the menu goes back to following the run.
            p.enableAutoRange(x=False)
            # y ranges are set here too, in round steps (see _fit_y): a range that moved with every
            # new point would make pyqtgraph lay out that axis again in Python every frame
            p.enableAutoRange(y=False)
            p.getViewBox().sigStateChanged.connect(self._on_view_state)
            p.getViewBox().sigYRangeChanged.connect(self._place_ref_labels)
            p.getViewBox().sigResized.connect(self._place_ref_labels)
        self.plot_jsd.setYRange(-0.03, math.log(2.0) + 0.06, padding=0)
        self.plot_cov.setYRange(-0.03, 1.08, padding=0)
        self._y_fixed = (self.plot_jsd, self.plot_cov)

        self.s_loss_d = _Series(self.plot_loss, "losses", "loss_d", style.REAL, "L_D")
        self.s_loss_g = _Series(self.plot_loss, "losses", "loss_g", style.FAKE, "L_G")
        self.s_jsd = _Series(self.plot_jsd, "metrics", "jsd", style.FOREGROUND, "JSD")
        self.s_v = _Series(self.plot_value, "metrics", "v_estimate", style.MANIFOLD, "V(G, D)")
        self.s_vstar = _Series(self.plot_value, "metrics", "v_at_dstar", style.OTHER, "V(G, D*)", dash=True)
        self.s_modes = _Series(self.plot_cov, "metrics", "modes_captured", style.MANIFOLD, "modes",
                               transform=self._modes_fraction)
        self.s_hq = _Series(self.plot_cov, "metrics", "hq_fraction", style.OTHER, "high quality")
        self.s_kl_data = _Series(self.plot_kl, "metrics", "kl_pdata_pg", style.SKY, "KL(p_data || p_g)",
                                 transform=_log10)
        self.s_kl_g = _Series(self.plot_kl, "metrics", "kl_pg_pdata", style.VERMILLION, "KL(p_g || p_data)",
                              transform=_log10)
        self.s_grad = _Series(self.plot_grad, "losses", "grad_norm_g", style.FAKE, "grad norm", transform=_log10)
        self.series = (self.s_loss_d, self.s_loss_g, self.s_jsd, self.s_v, self.s_vstar, self.s_modes,
                       self.s_hq, self.s_kl_data, self.s_kl_g, self.s_grad)
        self._modes_text = QCoreApplication.translate("CurvesView", "modes captured")

        self.ref_lines = {
            # labels at the left end, over the early history, so they never hide the newest values;
            # "log 2 = max" at the right, where the JSD has come down from it
            "jsd0": self._ref(self.plot_jsd, 0.0, QCoreApplication.translate("CurvesView", "0: p_g = p_data"),
                              left=True),
            "log2": self._ref(self.plot_jsd, math.log(2.0), QCoreApplication.translate("CurvesView", "log 2 = max")),
            "eq": self._ref(self.plot_value, -math.log(4.0),
                            QCoreApplication.translate("CurvesView", "−log 4 = equilibrium"), left=True),
            "ld_eq": self._ref(self.plot_loss, math.log(4.0),
                               QCoreApplication.translate("CurvesView", "log 4 = equilibrium"), left=True),
            "cov1": self._ref(self.plot_cov, 1.0, QCoreApplication.translate("CurvesView", "all modes"), left=True),
        }
        self.ref_lines["ld_eq"].setVisible(False)

        self._snap = None
        self._y_range: dict[int, tuple[float, float]] = {}
        self._n_modes = 1
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._last_draw = 0.0
        self._draw_cost = 0.0  # seconds the last flush took (grows with the history: decimation is O(n))
        self._force = False
        self.plot_loss.getViewBox().sigXRangeChanged.connect(self._on_xrange)
        self.glw.sigResized.connect(self._on_resized)
        self._apply_scale()

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Queue this snapshot's history; redraw now unless drawn less than 1/max_fps s ago."""
        self._snap = snap
        if not self._needs_redraw(snap):
            return
        if self.max_fps and self.max_fps > 0:
            # After an hour of training a redraw decimates ~10^6 points per curve (~50 ms): space the redraws
            # so that they keep to about a sixth of the GUI thread, or training would slow down as it runs.
            interval = max(1.0 / self.max_fps, REDRAW_COST_FACTOR * self._draw_cost)
            wait = self._last_draw + interval - time.perf_counter()
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
        self._set_ref_visible("ld_eq", getattr(snap, "loss", "") in LOG_LOSSES)
        lengths = {src: _length(getattr(snap, src)) for src in ("losses", "metrics")}
        redrawn = set()
        for s in self.series:
            if force or lengths[s.source] != self._drawn[s.source] or (s is self.s_modes and modes_changed):
                self._draw_series(s, getattr(snap, s.source))
                redrawn.add(s.plot)
        for p in redrawn:
            if p not in self._y_fixed:
                self._fit_y(p)
        self._drawn = lengths
        self._drawn_modes = n_modes
        self._update_modes_label(snap)
        if self._follow:
            self._follow_range()
        self._draw_cost = time.perf_counter() - self._last_draw

    def clear(self) -> None:
        """Forget the drawn history (after a reset); the next snapshot draws from scratch."""
        self._timer.stop()
        self._snap = None
        for s in self.series:
            s.curve.setData(np.zeros(0), np.zeros(0))
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._set_modes_text(QCoreApplication.translate("CurvesView", "modes captured"))
        self._follow = True
        self._follow_x = None
        self._y_range.clear()

    def set_presenter(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def max_points(self) -> int:
        """Points per curve: about twice the plot's width in pixels, within [MIN_POINTS, MAX_POINTS]."""
        w = self.plot_loss.getViewBox().width()
        if not w or w < 50:
            return DEFAULT_POINTS
        return int(min(max(2 * w, MIN_POINTS), MAX_POINTS))

    def columns(self) -> int:
        """How many plots per row: 3 in a wide strip, 2 in a taller area."""
        return self._ncols

    # ================================================================ layout
    def _on_resized(self) -> None:
        self._arrange(self.glw.width(), self.glw.height())

    def _arrange(self, w: float, h: float) -> None:
        """Put the six plots in 3 columns x 2 rows or 2 x 3, whichever makes each plot's shape closer
        to TARGET_CELL_ASPECT; only the bottom row shows iteration ticks. Only on resize."""
        def badness(cols):
            rows = math.ceil(len(self.plots) / cols)
            return abs(math.log(max(w / cols, 1.0) / max(h / rows, 1.0) / TARGET_CELL_ASPECT))

        cols = min((3, 2), key=badness)
        if cols != self._ncols:
            self._ncols = cols
            lay = self.glw.ci
            for p in self.plots:
                if p.scene() is not None and p in lay.items:
                    lay.removeItem(p)
            for i, p in enumerate(self.plots):
                lay.addItem(p, row=i // cols, col=i % cols)
            self._style_bottom_axes()
        self._set_column_widths(w)
        self._fit_titles(w / max(self._ncols, 1))

    def _set_column_widths(self, w: float) -> None:
        """Equal columns (the same time scale in every plot), whatever each plot's title or axes ask for."""
        grid = self.glw.ci.layout
        left, _, right, _ = grid.getContentsMargins()
        cols = max(self._ncols, 1)
        cw = math.floor((w - left - right - (cols - 1) * grid.horizontalSpacing()) / cols)
        for c in range(3):
            grid.setColumnFixedWidth(c, max(cw, 10) if c < cols else 0)

    def _style_bottom_axes(self) -> None:
        s = self._scale
        cols = max(self._ncols, 1)
        rows = math.ceil(len(self.plots) / cols)
        bottom = [p for i, p in enumerate(self.plots) if i // cols == rows - 1 or i + cols >= len(self.plots)]
        # no axis title: it would cost every bottom plot a text line (the rows must stay the same
        # height); the plots' tooltips say the x axis is the iteration
        for p in self.plots:
            if p in bottom:
                p.showAxis("bottom")
                p.getAxis("bottom").setHeight(int(round(BOTTOM_AXIS_HEIGHT * s)))
            else:
                p.hideAxis("bottom")

    def _fit_titles(self, cell_w: float, plots=None) -> None:
        """Each plot's title: the longest form that fits its width at the current font."""
        f = style.font(self._scale, style.FONT_PT)
        width = max(40.0, cell_w - LEFT_AXIS_WIDTH * self._scale - 8)
        for p in plots or self.plots:
            forms = self._title_forms(p)
            plain = [QtGui.QTextDocumentFragment.fromHtml(html).toPlainText() for html in forms]
            text = style.fit_text(plain, f, width)
            html = forms[plain.index(text)]
            if getattr(p, "_ganlab_title", None) != html:
                p._ganlab_title = html
                self._set_title(p, html)

    def _set_title(self, p: pg.PlotItem, html: str) -> None:
        s = self._scale
        p.setTitle(html, size=f"{style.FONT_PT * s:.0f}pt", color=style.FOREGROUND)
        h = int(round(1.9 * style.FONT_PT * s))
        p.titleLabel.setMaximumHeight(h)
        p.layout.setRowFixedHeight(0, h)
        p.titleLabel.updateMin()

    def _title_forms(self, p: pg.PlotItem) -> list[str]:
        """Title HTML, longest first: series names in their colours, a line sign for each."""
        if p is self.plot_loss:
            pair = [(self.s_loss_d, "L_D"), (self.s_loss_g, "L_G")]
            return [_title(QCoreApplication.translate("CurvesView", "losses"), pair), _title("", pair)]
        if p is self.plot_jsd:
            return [_title(QCoreApplication.translate("CurvesView", "JSD(p_data ‖ p_g), nats"), []), _title("JSD", [])]
        if p is self.plot_value:
            return [_title("", [(self.s_v, "V(G, D)"), (self.s_vstar, "V(G, D*) = −log 4 + 2 JSD")]),
                    _title("", [(self.s_v, "V(G, D)"), (self.s_vstar, "−log 4 + 2 JSD")]),
                    _title("", [(self.s_v, "V"), (self.s_vstar, "V*")])]
        if p is self.plot_cov:
            return [_title("", [(self.s_modes, self._modes_text),
                                (self.s_hq, QCoreApplication.translate("CurvesView", "high-quality samples"))]),
                    _title("", [(self.s_modes, self._modes_short()),
                                (self.s_hq, QCoreApplication.translate("CurvesView", "quality"))])]
        if p is self.plot_kl:
            return [_title("", [(self.s_kl_data, "KL(p_data ‖ p_g)"), (self.s_kl_g, "KL(p_g ‖ p_data)")]),
                    _title("KL", [(self.s_kl_data, "data‖g"), (self.s_kl_g, "g‖data")])]
        return [_title(QCoreApplication.translate("CurvesView", "generator gradient norm ‖∇θ_G L_G‖"), []),
                _title("‖∇θ_G L_G‖", [])]

    def _modes_short(self) -> str:
        digits = "".join(ch for ch in self._modes_text if ch.isdigit() or ch == "/")
        return QCoreApplication.translate("CurvesView", "modes {0}").format(digits) if digits else \
            QCoreApplication.translate("CurvesView", "modes")

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
        if vb.autoRangeEnabled()[0]:           # auto-range (menu) or enableAutoRange(x=True): follow again
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
        counts = None
        if cov is not None:
            counts = (int(cov.modes_captured), int(cov.n_modes))
        else:
            m = snap.metrics.get("modes_captured") if snap.metrics else None
            if m is not None and len(m) and np.isfinite(m[-1]):
                counts = (int(m[-1]), self._n_modes)
        if counts is None:
            text = QCoreApplication.translate("CurvesView", "modes captured")
        else:
            text = QCoreApplication.translate("CurvesView", "modes captured {0}/{1}").format(*counts)
        self._set_modes_text(text)

    def _set_modes_text(self, text: str) -> None:
        if text != self._modes_text:
            self._modes_text = text
            self._fit_titles(self.glw.width() / max(self._ncols, 1), (self.plot_cov,))

    def modes_text(self) -> str:
        return self._modes_text

    def _ref(self, plot: pg.PlotItem, y: float, text: str, left: bool = False) -> pg.InfiniteLine:
        """A dashed reference line with its label in the plot (at the right end, or the left one)."""
        line = pg.InfiniteLine(pos=y, angle=0, movable=False)
        line.setZValue(20)   # above the curves: a thin dashed line
        plot.addItem(line, ignoreBounds=True)
        line.ref_label = _RefLabel(plot.getViewBox(), line, text, left)
        return line

    def ref_text(self, key: str) -> str:
        return self.ref_lines[key].ref_label.text.text()

    def _set_ref_visible(self, key: str, on: bool) -> None:
        line = self.ref_lines[key]
        if line.isVisible() != on:
            line.setVisible(on)
            line.ref_label.relayout()

    def _place_ref_labels(self, vb=None, *_):
        """Labels follow their lines when a y range or a plot's size changes (not per frame)."""
        for line in getattr(self, "ref_lines", {}).values():   # y ranges are set before the lines exist
            if vb is None or line.ref_label.vb is vb:
                line.ref_label.relayout()

    def _fit_y(self, p: pg.PlotItem) -> None:
        """Frame the plot's curves (and its visible reference lines) in round steps, changing the range
        only when the data leave it or fill less than half of it."""
        lo, hi = math.inf, -math.inf
        for s in self.series:
            if s.plot is p:
                y = s.curve.yData
                if y is not None and len(y):
                    with np.errstate(invalid="ignore"):
                        ok = y[np.isfinite(y)]
                    if len(ok):
                        lo, hi = min(lo, float(ok.min())), max(hi, float(ok.max()))
        if not math.isfinite(lo):
            return
        for line in self.ref_lines.values():
            if line.isVisible() and line.ref_label.vb is p.getViewBox():
                lo, hi = min(lo, line.value()), max(hi, line.value())
        cur = self._y_range.get(id(p))
        if cur is not None:
            c0, c1 = cur
            if c0 <= lo and hi <= c1 and (hi - lo) >= 0.5 * (c1 - c0):
                return
        log = p in (self.plot_grad, self.plot_kl)
        step = _nice_step(max(hi - lo, 1e-9 if not log else 1.0) / 8.0, log)
        y0 = math.floor(lo / step) * step
        y1 = math.ceil(hi / step) * step
        if y1 - y0 < step:
            y1 = y0 + step
        pad = 0.04 * (y1 - y0)
        self._y_range[id(p)] = (y0, y1)
        p.setYRange(y0 - pad, y1 + pad, padding=0)

    def _apply_scale(self) -> None:
        s = self._scale
        for p in self.plots:
            style.style_axes(p, s)
            p.getAxis("left").setWidth(int(round(LEFT_AXIS_WIDTH * s)))
            for name in ("left", "bottom"):
                p.getAxis(name).setStyle(maxTextLevel=0, maxTickLevel=1)   # labelled major ticks only
            p.layout.setContentsMargins(2, 2, 6 * s, 2)
            p._ganlab_title = None
        self.glw.ci.layout.setHorizontalSpacing(int(round(6 * s)))
        self.glw.ci.layout.setVerticalSpacing(int(round(2 * s)))
        if self._ncols:
            self._set_column_widths(self.glw.width())
        for sr in self.series:
            sr.set_scale(s)
        for line in self.ref_lines.values():
            line.setPen(style.pen(style.REFERENCE, 1.0, s, dash=True))
            line.ref_label.set_font(style.font(s))
        self._style_bottom_axes()
        self._fit_titles(self.glw.width() / max(self._ncols, 1))
        self._place_ref_labels()


class _RefLabel(QtWidgets.QGraphicsRectItem):
    """A reference line's label: plain text on a light box, in the ViewBox's pixels (not in data
    coordinates), above the line in the lower half of the plot and below it in the upper half, so it
    is never cut off. Qt items only: painting it runs no Python."""

    PAD = 3.0

    def __init__(self, vb: pg.ViewBox, line: pg.InfiniteLine, text: str, left: bool):
        super().__init__(vb)
        self.vb, self.line, self.left = vb, line, left
        self.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.setBrush(pg.mkBrush(255, 255, 255, 170))
        self.setZValue(1000)
        self.text = QtWidgets.QGraphicsSimpleTextItem(text, self)
        self.text.setBrush(pg.mkBrush(style.REFERENCE))
        self.set_font(style.font(1.0))

    def set_font(self, font: QtGui.QFont) -> None:
        self.text.setFont(font)
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


def _title(prefix: str, series) -> str:
    """A plot title: an optional prefix, then each series' name after a line sign, in its colour."""
    parts = [_esc(prefix)] if prefix else []
    for s, name in series:
        sign = DASHED if s.dash else SOLID
        parts.append(f'<span style="color:{s.color}">{sign}&nbsp;{_esc(name)}</span>')
    return "&nbsp;&nbsp;&nbsp;".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
