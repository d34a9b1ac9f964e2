"""Training curves on one shared iteration axis, in a grid of six small plots.

(1) losses L_D and L_G, (2) JSD(p_data || p_g), (3) V(G, D) against -log 4 + 2 JSD, (4) mode coverage,
(5) KL in both directions (mode dropping vs poor samples), (6) the generator's gradient norm (log y).
Three columns by two rows in a wide strip (the window), two by three in a taller area (a figure);
columns line up, so one iteration sits at the same x in every plot of a column, and only the bottom
row carries iteration ticks ("iteration" at their right end). No legends: each plot's title names its
series in their own colours (shorter forms when narrow; series.py); reference lines, only for the losses
they hold for, are labelled where no curve passes, else in the title (reference.py). A dashed vertical line
marks each iteration where a setting changed (markers.py); a log plot with gaps says why (gaps.py).

Long runs stay responsive: the full history stays in the snapshot (History views, no copies) and
each curve is drawn min/max-decimated to about twice the plot's width in pixels (of the visible
x range when the user has zoomed in, so zooming shows the detail), in buckets of equal size from the
first iteration on (see `decimate` in core/history.py). A curve is redrawn only when its history grew, and at most
`max_fps` times a second (a trailing timer draws the last snapshot). Non-finite values become gaps
(connect='finite'), never garbage. The axes tick sparsely, in round steps; log axes always show at
least two labels (axes.py).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent

from ...core.history import decimate
from .. import style
from ._items import QtPaintedView, cache_axes, narrow_title
from .axes import Log10Axis, SparseAxis, data_range, round_range
from .gaps import GapNote, has_gaps
from .iteration_axis import IterationAxis
from .markers import EventMarkers
from .reference import ReferenceSet
from .series import REFERENCE_MARK, TIPS, Series, finite, log10, modes_text, series_forms, title_html
from .w1_overlay import RightAxisSeries, pad_others

MIN_POINTS = 400
MAX_POINTS = 4000
DEFAULT_POINTS = 2000      # before the widget has a size
LEFT_AXIS_WIDTH = 40       # pixels at scale 1: fixed, so the plots of a column line up
RIGHT_AXIS_WIDTH = 38      # W1's axis on the JSD plot; the others keep a blank one as wide
BOTTOM_AXIS_HEIGHT = 22    # the bottom row's iteration ticks, "iteration" at their right end
REDRAW_COST_FACTOR = 6.0   # a redraw may come every 6x its own cost at most (long histories)
TARGET_CELL_ASPECT = 2.4   # width / height of one plot that reads best; picks 3 or 2 columns


def _tr(text: str) -> str:
    return QCoreApplication.translate("CurvesView", text)


class _LayoutWidget(QtPaintedView, pg.GraphicsLayoutWidget):
    """A GraphicsLayoutWidget that says when it was resized (after its layout took the new size)."""

    sigResized = QtCore.Signal()


class CurvesView(QtWidgets.QWidget):
    """Six plots of the run's history on one iteration axis, redrawn at most `max_fps` times a second."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None,
                 max_fps: float | None = 15.0):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self.max_fps = max_fps
        self._snap = None
        self._ncols = 0
        self._titles: dict[pg.PlotItem, str] = {}          # the title HTML each plot shows
        self._y_range: dict[int, tuple[float, float]] = {}
        self._legend_refs: dict[pg.PlotItem, tuple] = {}   # reference lines listed in each plot's title
        self._drawn_loss = None
        self._drawn_events = None
        self._n_modes = 1
        self._modes_text = ""
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._last_draw = 0.0
        self._draw_cost = 0.0  # seconds the last flush took (grows with the history: decimation is O(n))
        self._force = False
        self._timer = QtCore.QTimer(self)           # the trailing redraw (max_fps)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.glw = _LayoutWidget()
        self.glw.setBackground(style.BACKGROUND)
        self.glw.setMinimumSize(300, 200)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.glw)
        self._build_plots()
        self._build_series()
        self._build_reference_lines()
        self._build_marks()
        self._xaxis = IterationAxis(self.plot_loss, self.plots, self._redraw_for_range, self)
        self.glw.sigResized.connect(self._on_resized)
        self.retranslate()
        self._apply_scale()

    def _build_plots(self) -> None:
        def axes(left=None):
            return {"left": left or SparseAxis("left"), "bottom": SparseAxis("bottom")}

        self.plot_loss = pg.PlotItem(axisItems=axes())
        self.plot_jsd = pg.PlotItem(axisItems=axes())
        self.plot_value = pg.PlotItem(axisItems=axes())
        self.plot_cov = pg.PlotItem(axisItems=axes())
        self.plot_kl = pg.PlotItem(axisItems=axes(Log10Axis("left")))
        self.plot_grad = pg.PlotItem(axisItems=axes(Log10Axis("left")))
        self.plots = (self.plot_loss, self.plot_jsd, self.plot_value, self.plot_cov, self.plot_kl, self.plot_grad)
        cache_axes(*self.plots)
        for p in self.plots:
            narrow_title(p.titleLabel)
            p.setMenuEnabled(True)
            p.hideButtons()
            p.getViewBox().setMouseEnabled(x=True, y=False)   # zoom/pan the iteration axis only
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("bottom").enableAutoSIPrefix(False)
            if p is not self.plot_loss:
                p.setXLink(self.plot_loss)
            # The iteration axis is managed by IterationAxis, not by pyqtgraph's auto-range;
            # auto-range from the menu goes back to following the run.
            p.enableAutoRange(x=False)
            # y ranges are set here too, in round steps (see _fit_y): a range that moved with every
            # new point would make pyqtgraph lay out that axis again in Python every frame
            p.enableAutoRange(y=False)
        self.plot_jsd.setYRange(-0.03, math.log(2.0) + 0.06, padding=0)
        self.plot_cov.setYRange(-0.03, 1.08, padding=0)
        self._y_fixed = (self.plot_jsd, self.plot_cov)

    def _build_series(self) -> None:
        self.s_loss_d = Series(self.plot_loss, "losses", "loss_d", style.REAL, "L_D")
        self.s_loss_g = Series(self.plot_loss, "losses", "loss_g", style.FAKE, "L_G")
        self.s_jsd = Series(self.plot_jsd, "metrics", "jsd", style.FOREGROUND, "JSD")
        self.s_w1 = Series(self.plot_jsd, "metrics", "w1", style.VERMILLION, "W1", sparse=True)
        self.w1_axis = RightAxisSeries(self.plot_jsd, self.s_w1)
        self.s_v = Series(self.plot_value, "metrics", "v_samples", style.MANIFOLD, "V(G, D)")
        self.s_vstar = Series(self.plot_value, "metrics", "v_at_dstar", style.OTHER, "V(G, D*)", dash=True)
        self.s_modes = Series(self.plot_cov, "metrics", "modes_captured", style.MANIFOLD, "modes")
        self.s_hq = Series(self.plot_cov, "metrics", "hq_fraction", style.OTHER, "high quality")
        self.s_kl_data = Series(self.plot_kl, "metrics", "kl_pdata_pg", style.SKY, "KL(p_data || p_g)",
                                transform=log10)
        self.s_kl_g = Series(self.plot_kl, "metrics", "kl_pg_pdata", style.VERMILLION, "KL(p_g || p_data)",
                             transform=log10)
        self.s_grad = Series(self.plot_grad, "losses", "grad_norm_g", style.FAKE, "grad norm", transform=log10)
        self.series = (self.s_loss_d, self.s_loss_g, self.s_jsd, self.s_w1, self.s_v, self.s_vstar, self.s_modes,
                       self.s_hq, self.s_kl_data, self.s_kl_g, self.s_grad)

    def _build_reference_lines(self) -> None:
        at = {"jsd0": (self.plot_jsd, 0.0, True), "log2": (self.plot_jsd, math.log(2.0), False),
              "eq": (self.plot_value, -math.log(4.0), True), "ld_eq": (self.plot_loss, math.log(4.0), True),
              "cov1": (self.plot_cov, 1.0, True)}
        self.refs = ReferenceSet(at, self._curves_of)
        self.ref_lines = self.refs.lines
        for p in self.plots:
            p.getViewBox().sigRangeChanged.connect(self._place_ref_labels)   # x too: the data move under a label
            p.getViewBox().sigResized.connect(self._place_ref_labels)

    def _build_marks(self) -> None:
        """Event markers (tagged in the losses plot) and the log plots' gap notes."""
        self.markers = EventMarkers(self.plots, self.plot_loss)
        self.gap_notes = {p: GapNote(p, kind, self._curves_of(p)) for p, kind in
                          ((self.plot_kl, "kl"), (self.plot_grad, "grad"))}

    def _curves_of(self, plot: pg.PlotItem) -> list:
        return [s.curve for s in self.series if s.plot is plot]

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
        loss = getattr(snap, "loss", "")
        if loss != self._drawn_loss:
            self._drawn_loss = loss
            self.refs.show_for(loss)
            force = True                  # the loss plot's range follows its shown reference lines
        self._drawn_events = getattr(snap, "events", ())
        self.markers.set_events(self._drawn_events)
        lengths = {src: _length(getattr(snap, src)) for src in ("losses", "metrics")}
        redrawn = set()
        for s in self.series:
            if force or lengths[s.source] != self._drawn[s.source] or (s is self.s_modes and modes_changed):
                self._draw_series(s, getattr(snap, s.source))
                redrawn.add(s.plot)
        for p in redrawn:
            if p not in self._y_fixed:
                self._fit_y(p)
            self._place_ref_labels(p.getViewBox())
            if p in self.gap_notes:
                self._show_gaps(p)
        self._drawn = lengths
        self._drawn_modes = n_modes
        self._update_modes_label(snap)
        if self._xaxis.following():
            self._xaxis.follow(snap)
        self._draw_cost = time.perf_counter() - self._last_draw

    def clear(self) -> None:
        """Forget the drawn history (after a reset); the next snapshot draws from scratch."""
        self._timer.stop()
        self._snap = None
        for s in self.series:
            s.curve.setData(np.zeros(0), np.zeros(0))
            s.gaps = False
        self._drawn = {"losses": -1, "metrics": -1}
        self._drawn_modes = None
        self._drawn_events = None
        self.markers.set_events(())
        for p in self.gap_notes:
            self._show_gaps(p)
        self._set_modes_text(QCoreApplication.translate("CurvesView", "modes captured"))
        self._xaxis.reset()
        self._y_range.clear()

    def set_scale(self, scale: float) -> None:
        """Scale fonts and line widths (1.0 normal, ~1.6 presenter mode)."""
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    def max_points(self) -> int:
        """Points per curve: about twice the plot's width in pixels, within [MIN_POINTS, MAX_POINTS]."""
        w = self.plot_loss.getViewBox().width()
        if not w or w < 50:
            return DEFAULT_POINTS
        return int(min(max(2 * w, MIN_POINTS), MAX_POINTS))

    def following(self) -> bool:
        """True while the iteration axis follows the whole run; False after the user zoomed or panned."""
        return self._xaxis.following()

    def columns(self) -> int:
        """How many plots per row: 3 in a wide strip, 2 in a taller area."""
        return self._ncols

    def retranslate(self) -> None:
        """Set the texts that are not redrawn with each snapshot in the current language."""
        for p in self.plots:
            self._set_tip(p)
        self.refs.retranslate()
        self.markers.retranslate()
        for note in self.gap_notes.values():
            note.retranslate()
        self._style_bottom_axes()
        if self._snap is not None:
            self._update_modes_label(self._snap)
        else:
            self._set_modes_text(QCoreApplication.translate("CurvesView", "modes captured"))
        self._fit_titles(self.glw.width() / max(self._ncols, 1))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

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
        # the axis title at the right end of the tick row: a line under the ticks would cost the bottom row's
        # plots a text line of height
        text = QCoreApplication.translate("CurvesView", "iteration")
        for p in self.plots:
            if p in bottom:
                p.showAxis("bottom")
                ax = p.getAxis("bottom")
                ax.setHeight(int(round(BOTTOM_AXIS_HEIGHT * s)))
                ax.set_end_label(text, style.font(s), style.FOREGROUND)
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
            if self._titles.get(p) != html:
                self._titles[p] = html
                self._set_title(p, html)

    def _set_title(self, p: pg.PlotItem, html: str) -> None:
        s = self._scale
        p.setTitle(html, size=f"{style.FONT_PT * s:.0f}pt", color=style.FOREGROUND)
        h = int(round(1.9 * style.FONT_PT * s))
        p.titleLabel.setMaximumHeight(h)
        p.layout.setRowFixedHeight(0, h)
        p.titleLabel.updateMin()

    def _title_forms(self, p: pg.PlotItem) -> list[str]:
        """Title HTML, longest first: series names in their colours, a line sign for each; first with the
        reference lines whose labels found no free place in the plot, then without."""
        forms = series_forms(self, p)
        refs = [(REFERENCE_MARK, line.text()) for line in self._legend_refs.get(p, ())]
        if not refs:
            return forms
        return [f + "&nbsp;&nbsp;&nbsp;" + title_html("", refs) for f in forms] + forms

    # ================================================================ drawing
    def _needs_redraw(self, snap) -> bool:
        # a new loss (its reference lines) or new events redraw too: while paused, the history does not grow
        return (self._force or _length(snap.losses) != self._drawn["losses"]
                or getattr(snap, "loss", "") != self._drawn_loss
                or getattr(snap, "events", ()) is not self._drawn_events
                or _length(snap.metrics) != self._drawn["metrics"]
                or self._snapshot_modes(snap) != self._drawn_modes)

    @staticmethod
    def _snapshot_modes(snap) -> int:
        cov = getattr(snap, "coverage", None)
        if cov is not None:
            return max(1, int(cov.n_modes))
        tgt = getattr(snap, "target", None)
        return max(1, int(tgt.n_modes)) if tgt is not None else 1

    def _modes_fraction(self, y, counts) -> np.ndarray:
        """Each row's modes captured over the target's mode count AT THAT ROW: after a mode is added, the rows
        before it still read 2/2, not 2/3. Rows without a count (a session saved before it was recorded) take
        the current one."""
        n = np.full(len(y), float(self._n_modes)) if counts is None else np.asarray(counts, dtype=np.float64)
        n = np.where(np.isfinite(n) & (n > 0), n, float(self._n_modes))
        return np.asarray(y, dtype=np.float64) / n

    def _draw_series(self, s: Series, table: dict) -> None:
        x = table.get("step") if table else None
        y = table.get(s.column) if table else None
        if x is None or y is None or len(x) == 0:
            s.curve.setData(np.zeros(0), np.zeros(0))
            return
        x = np.asarray(x, dtype=np.float64)
        if s is self.s_modes:   # per row, before decimating: the divisor changes where a mode was added or removed
            y = self._modes_fraction(y, table.get("n_modes"))
        if s.sparse:
            keep = np.isfinite(y)
            x, y = x[keep], np.asarray(y)[keep]
        lo, hi = self._xaxis.visible_slice(x)
        # Decimate first, then transform the few kept points: the transforms are monotonic (log10), so the kept
        # min/max are the same; non-finite values become NaN gaps after.
        if s.transform is log10:
            s.gaps = has_gaps(y[lo:hi])   # values a log axis cannot show: the plot says why
        xd, yd = decimate(x[lo:hi], np.asarray(y[lo:hi], dtype=np.float64), self.max_points())
        yd = s.transform(yd) if s.transform is not None else finite(yd)
        if not np.isfinite(yd).any():
            s.curve.setData(np.zeros(0), np.zeros(0))
            return
        s.curve.setData(xd, yd, connect="finite")

    def _redraw_for_range(self) -> None:
        if self._snap is not None:
            self._force = True
            self.flush()

    def _update_modes_label(self, snap) -> None:
        self._set_modes_text(modes_text(snap, self._n_modes))

    def _set_modes_text(self, text: str) -> None:
        if text != self._modes_text:
            self._modes_text = text
            self._fit_titles(self.glw.width() / max(self._ncols, 1), (self.plot_cov,))

    def modes_text(self) -> str:
        return self._modes_text

    def ref_text(self, key: str) -> str:
        return self.ref_lines[key].text()

    def _place_ref_labels(self, vb=None, *_):
        """Labels follow their lines when a y range, a plot's size or its curves change (not per frame); a
        label with no free place goes to its plot's title."""
        self.refs.relayout(vb)
        for p in self.plots:
            if vb is None or p.getViewBox() is vb:
                crowded = tuple(self.refs.in_legend(p))
                if crowded != self._legend_refs.get(p, ()):
                    self._legend_refs[p] = crowded
                    self._fit_titles(self.glw.width() / max(self._ncols, 1), (p,))

    def _show_gaps(self, p: pg.PlotItem) -> None:
        """The gap note and the tooltip's sentence while the plot's drawn history has gaps."""
        self.gap_notes[p].set_active(any(s.gaps for s in self.series if s.plot is p))
        self._set_tip(p)

    def _set_tip(self, p: pg.PlotItem) -> None:
        tip = _tr(TIPS[self.plots.index(p)])
        note = self.gap_notes.get(p)
        p.setToolTip(tip + "\n\n" + note.long_text() if note is not None and note.active else tip)

    def _fit_y(self, p: pg.PlotItem) -> None:
        """Frame the plot's curves (and its visible reference lines) in round steps, changing the range
        only when the data leave it or fill less than half of it."""
        lo, hi = data_range(s.curve.yData for s in self.series if s.plot is p)
        if not math.isfinite(lo):
            return
        for line in self.ref_lines.values():
            if line.isVisible() and line.ref_label.vb is p.getViewBox():
                lo, hi = min(lo, line.value()), max(hi, line.value())
        new = round_range(lo, hi, self._y_range.get(id(p)), log=p in (self.plot_grad, self.plot_kl))
        if new is None:
            return
        y0, y1 = new
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
            p.layout.setContentsMargins(2, 2, 0, 2)   # the right axis (W1's, blank on the others) is the margin
        self.w1_axis.set_scale(int(round(RIGHT_AXIS_WIDTH * s)))
        pad_others(self.plots, self.plot_jsd, int(round(RIGHT_AXIS_WIDTH * s)))
        self.plot_jsd.getAxis("right").setStyle(maxTextLevel=0, maxTickLevel=1)
        self._titles.clear()
        self.glw.ci.layout.setHorizontalSpacing(int(round(6 * s)))
        self.glw.ci.layout.setVerticalSpacing(int(round(2 * s)))
        if self._ncols:
            self._set_column_widths(self.glw.width())
        for sr in self.series:
            sr.set_scale(s)
        self.refs.set_scale(s)
        self.markers.set_scale(s)
        for note in self.gap_notes.values():
            note.set_scale(s)
        self._style_bottom_axes()
        self._fit_titles(self.glw.width() / max(self._ncols, 1))
        self._place_ref_labels()


def _length(table) -> int:
    if not table:
        return 0
    x = table.get("step")
    return 0 if x is None else len(x)
