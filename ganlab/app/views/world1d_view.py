"""The 1-D world: Goodfellow et al. (2014), Figure 1, live.

Top, over x: p_data (exact, from the target's own log density, dotted; the smoothed one that the JSD compares
with p_g thin), p_g (the binned KDE of the generated samples, filled), D(x) (dashed) and D*(x) (dash-dot, with a
gap where it is masked), and the samples as rug ticks in a band under the baseline. Below, the noise axis z with
lines from evenly spaced quantiles z_i up to x = G(z_i): where the lines converge G contracts density (p_g piles
up), where they fan out it spreads it. The first noise coordinate is drawn when the noise has more than one.

One ViewBox holds every curve on the D scale: y = 0 is the baseline, y = 1 is D = 1 (right axis, 0..1), and the
densities are drawn divided by `density_scale()` (the density at the D = 1 line), which the left axis undoes
(AxisItem.setScale), so both scales read true. The density scale follows the tallest of p_data and p_g, growing
at once and shrinking only when the peak falls under half of it (no jitter frame to frame); p_g is capped at
CAP_OVER_DATA times p_data's peak so a collapsed generator does not flatten p_data to a line (it runs off the
top instead). The rug band and the handles live below y = 0 on the same fixed scale.

The z-lines map their top ends through the scene from the x axis above into the noise plot's coordinates,
so they land on G(z_i) whatever the two plots' sizes; they are redrawn when either view's transform changes.
Per frame the view only hands arrays to setData; nothing is created after construction (mode handles excepted,
when the number of modes changes), and arrays that are the same objects as last frame are skipped.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt

from .. import style
from ..state import Layers
from ._items import cache_axes
from .mode_handles import ModeView
from .theory_text import critic_ticks
from .world1d_items import Canvas1D, CornerNote, DensityAxis, HandleEditor, NoiseLines, RowLegend

BAND = 0.24                # the rug band under the baseline, in D units
PAD = 0.06                 # room above D = 1
REAL_RUG = (-0.22, -0.14)  # y extent of a real sample's tick (D units)
FAKE_RUG = (-0.11, -0.03)
CAP_OVER_DATA = 2.5        # p_g is drawn up to this many times p_data's peak (taller runs off the top)
SHRINK_BELOW = 0.5         # the density scale shrinks once the peak is under this share of it
WIDE_ASPECT = 1.8          # width : height the view reads best at (a wide line, like the paper's figure)
LEFT_AXIS, RIGHT_AXIS, BOTTOM_AXIS = 54, 48, 36    # fixed axis sizes (pixels at scale 1): the plots align
Z_SHARE = 0.3              # the noise plot's share of the height

TEXTS = {
    "x": QT_TRANSLATE_NOOP("World1DView", "x"),
    "z": QT_TRANSLATE_NOOP("World1DView", "z"),
    "z_1": QT_TRANSLATE_NOOP("World1DView", "z_1 (first noise coordinate)"),
    "density": QT_TRANSLATE_NOOP("World1DView", "density"),
    "D": QT_TRANSLATE_NOOP("World1DView", "D"),
    "critic": QT_TRANSLATE_NOOP("World1DView", "critic (scaled)"),
}
LEGEND = (  # (item attribute, text): the legend's entries in order
    ("pdata_item", QT_TRANSLATE_NOOP("World1DView", "p_data (exact)")),
    ("pdata_smooth_item", QT_TRANSLATE_NOOP("World1DView", "p_data smoothed")),
    ("pg_item", QT_TRANSLATE_NOOP("World1DView", "p_g (KDE)")),
    ("d_item", QT_TRANSLATE_NOOP("World1DView", "D(x)")),
    ("dstar_item", QT_TRANSLATE_NOOP("World1DView", "D*(x)")),
    ("real_rug", QT_TRANSLATE_NOOP("World1DView", "real samples")),
    ("fake_rug", QT_TRANSLATE_NOOP("World1DView", "generated samples")),
    ("zlines_item", QT_TRANSLATE_NOOP("World1DView", "z → G(z)")),
)
CRITIC_LEGEND = QT_TRANSLATE_NOOP("World1DView", "critic (scaled)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("World1DView", text)


def critic_note(loss: str) -> str:
    return QCoreApplication.translate(
        "World1DView", "{0} has a critic, not a probability: its score is drawn scaled to ±max (0 in the middle), "
        "and there is no D* to compare it with.").format(loss)


class World1DView(ModeView):
    """p_data, p_g, D, D* over x with the samples as rugs and draggable mode handles; z -> G(z) below.

    The mode signals (y always 0.0), the menu's actions, shown_means ((K,): the centres' x) and prepare_mode_menu
    are ModeView's, passed on from the HandleEditor (`modes`), which also turns a double-click on empty space
    into an add."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._layers = Layers()
        self._reset_state()
        self._build_plots()
        self._build_curves()
        self._build_aids()
        self.retranslate()
        self._apply_scale()

    def _reset_state(self) -> None:
        self._snap = None
        self._grid = None
        self._reframe = False           # (ModeView) the grid changed during a handle's drag: framed at the drop
        self._xc = np.zeros(0)
        self._pdata_key = None          # (target, grid) of the exact p_data drawn
        self._pdata = np.zeros(0)       # exact p_data on the grid
        self._theory = None             # the last theory, kept a few frames while snapshots have none
        self._stale = 0
        self.max_stale_frames = 30
        self._dmax = 0.0                # the density at the D = 1 line (0: not set yet)
        self._drawn_dmax = None
        self._drawn = {}                # curve name -> the source array drawn (skip it when it comes again)
        self._critic = None
        self._critic_ticks = None
        self._z_label = None            # the noise axis' label shown ("z" or "z_1")

    def _build_plots(self) -> None:
        self.plot_widget = Canvas1D()
        self.plot_widget.setBackground(style.BACKGROUND)
        self.plot_widget.setMinimumSize(200, 200)
        self.plot_widget.sigResized.connect(self._layout_rows)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.plot = pg.PlotItem(axisItems={"left": DensityAxis("left")})
        self.zplot = pg.PlotItem()
        self.plot_widget.ci.layout.setSpacing(0)
        self.plot_widget.ci.setContentsMargins(0, 4, 0, 0)
        self.plot_widget.addItem(self.plot, 0, 0)
        self.plot_widget.addItem(self.zplot, 1, 0)
        self.view: pg.ViewBox = self.plot.getViewBox()
        self.zview: pg.ViewBox = self.zplot.getViewBox()
        for p in (self.plot, self.zplot):
            p.hideButtons()
            p.setMenuEnabled(False)
            p.setMouseEnabled(x=False, y=False)
            p.getViewBox().disableAutoRange()
            p.showAxis("right")
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.plot.getAxis("right").setTicks([style.D_TICKS])
        for name in ("left", "right"):   # the noise plot keeps the same margins, so both x scales line up
            ax = self.zplot.getAxis(name)
            ax.setStyle(showValues=False, tickLength=0)
            ax.setTicks([[], []])
            ax.setPen(pg.mkPen(None))
        self.zplot.getAxis("top").hide()
        self.view.setRange(xRange=(-3, 3), yRange=(-BAND, 1.0 + PAD), padding=0)
        self.zview.setRange(xRange=(-3, 3), yRange=(0.0, 1.0), padding=0)
        cache_axes(self.plot, self.zplot)

    def _build_curves(self) -> None:
        def curve(z, **kw):
            c = pg.PlotCurveItem(**kw)
            c.setZValue(z)
            self.view.addItem(c)
            return c

        self.pg_item = curve(2, fillLevel=0.0, antialias=True)
        self.pdata_smooth_item = curve(3, antialias=True)
        self.pdata_item = curve(4, antialias=True)
        self.dstar_item = curve(5, connect="finite", antialias=True)
        self.d_item = curve(6, connect="finite", antialias=True)
        self.real_rug = curve(1, connect="pairs")
        self.fake_rug = curve(1.5, connect="pairs")
        self.baseline = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.half_line = pg.InfiniteLine(pos=0.5, angle=0, movable=False)   # D = 1/2: where D ends at equilibrium
        for line in (self.baseline, self.half_line):
            line.setZValue(0)
            self.view.addItem(line, ignoreBounds=True)
        self.lines = NoiseLines(self.view, self.zview)
        self.zlines_item = self.lines.item

    def _build_aids(self) -> None:
        self.legend = RowLegend(colCount=4, labelTextColor=style.FOREGROUND, horSpacing=12, verSpacing=-4)
        self.legend.setFlag(self.legend.GraphicsItemFlag.ItemIgnoresTransformations, False)
        for attr, text in LEGEND:
            self.legend.addItem(getattr(self, attr), text)
        self.plot_widget.addItem(self.legend, 2, 0)
        self.plot_widget.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignHCenter)
        self.note = CornerNote(self.view)
        self.readout = pg.TextItem(color=style.FOREGROUND, anchor=(0.5, 1.0), fill=pg.mkBrush(255, 255, 255, 215))
        self.readout.setZValue(200)
        self.readout.hide()
        self.view.addItem(self.readout, ignoreBounds=True)
        self._readout_timer = QtCore.QTimer(self, singleShot=True, interval=1500)
        self._readout_timer.timeout.connect(self.readout.hide)
        span = BAND / (BAND + 1.0 + PAD)          # the handles' stems: the rug band, up to the baseline
        self._use_modes(HandleEditor(self.view, self._show_readout, span, self._scale, self))

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Show one Snapshot. Cheap: setData with the snapshot's arrays, skipped for arrays drawn already."""
        self._snap = snap
        grid = snap.grid
        if grid is not self._grid and grid != self._grid:
            self._set_grid(grid)
        elif self._reframe:
            self._frame_grid_held()
        th = self._current_theory(snap)
        self._update_pdata(snap.target)
        self._update_scale(th)
        self._draw_densities(th)
        self._draw_d(snap, th)
        if self._layers.real:
            self._rug("real", self.real_rug, snap.real, REAL_RUG)
        if self._layers.fake:
            self._rug("fake", self.fake_rug, snap.fake, FAKE_RUG)
        self.lines.update(snap.noise, snap.fake)
        self._label_z()
        self.modes.sync(snap.target)

    def clear(self) -> None:
        """Forget the drawn frame (a reset, a loaded session): the next snapshot is drawn from scratch."""
        self._reset_state()
        for c in (self.pg_item, self.pdata_smooth_item, self.pdata_item, self.dstar_item, self.d_item,
                  self.real_rug, self.fake_rug):
            c.setData([], [])
        self.lines.clear()
        self.modes.clear()
        self.readout.hide()

    def set_layers(self, layers: Layers) -> None:
        """heatmap: D(x) (the 2-D field's D layer); real, fake: the sample rugs. The rest has no 1-D meaning."""
        self._layers = layers
        self.d_item.setVisible(layers.heatmap)
        self.real_rug.setVisible(layers.real)
        self.fake_rug.setVisible(layers.fake)
        self._drawn.pop("real", None)
        self._drawn.pop("fake", None)
        if self._snap is not None:
            self.update_snapshot(self._snap)

    def layers(self) -> Layers:
        return self._layers

    def set_scale(self, scale: float) -> None:
        """Scale fonts, line widths and handles (1.0 normal, ~1.6 presenter mode)."""
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    def width_for_height(self, height: float) -> int:
        """A wide view: the line reads best about WIDE_ASPECT times as wide as it is high."""
        return int(round(max(0.0, float(height)) * WIDE_ASPECT))

    def density_scale(self) -> float:
        """The density drawn at the D = 1 line: a curve's y times this is its density."""
        return self._dmax

    def line_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """(z_i, G(z_i)) of the z-lines drawn (first noise coordinate, x of the generated sample)."""
        return self.lines.z.copy(), self.lines.x.copy()

    @property
    def handles(self):
        return self.modes.handles

    def retranslate(self) -> None:
        """Set the texts that are not redrawn with each snapshot in the current language."""
        self.plot.setLabel("bottom", _tr(TEXTS["x"]))
        self.plot.setLabel("left", _tr(TEXTS["density"]))
        self.plot.setLabel("right", _tr(TEXTS["critic" if self._critic else "D"]))
        self._z_label = None
        self._label_z()
        for (attr, text), (_, label) in zip(LEGEND, self.legend.items, strict=True):
            label.setText(_tr(CRITIC_LEGEND if attr == "d_item" and self._critic else text))
        if self._critic and self._snap is not None:
            self.note.set_message(critic_note(self._snap.loss))
        self.modes.retranslate()
        self._style_texts()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ drawing
    def _set_grid(self, grid) -> None:
        self._grid = grid
        self._xc = np.asarray(grid.centers_x(), dtype=np.float64)
        self._drawn.clear()
        self._pdata_key = None
        self._frame_grid_held()

    def _frame_grid_now(self) -> None:
        """Show the grid's range (ModeView holds it during a drag)."""
        g = self._grid
        self.view.setRange(xRange=(g.xmin, g.xmax), yRange=(-BAND, 1.0 + PAD), padding=0)

    def _current_theory(self, snap):
        """The snapshot's theory, or the last one for a few frames (the owner may compute it every few frames)."""
        th = snap.theory
        if th is not None:
            self._theory, self._stale = th, 0
            return th
        self._stale += 1
        old = self._theory
        if old is None or self._stale > self.max_stale_frames or not (old.grid is snap.grid or old.grid == snap.grid):
            self._theory = None
            return None
        return old

    def _update_pdata(self, target) -> None:
        key = (target, self._grid)
        if self._pdata_key is not None and key[0] is self._pdata_key[0] and key[1] is self._pdata_key[1]:
            return
        self._pdata_key = key
        logp = np.asarray(target.log_prob(self._xc.reshape(-1, 1)), dtype=np.float64).reshape(-1)
        self._pdata = np.exp(logp)
        self._drawn_dmax = None     # redraw p_data at the current scale

    def _update_scale(self, th) -> None:
        """Grow the density scale at once, shrink it only when the peak falls under SHRINK_BELOW of it."""
        data_peak = float(np.max(self._pdata)) if self._pdata.size else 0.0
        peak = data_peak
        if th is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                pg_peak = float(np.exp(np.nanmax(th.log_p_g))) if len(th.log_p_g) else 0.0
            if math.isfinite(pg_peak):
                peak = max(peak, min(pg_peak, CAP_OVER_DATA * data_peak) if data_peak > 0 else pg_peak)
        if not (peak > 0 and math.isfinite(peak)):
            return
        if peak > self._dmax or peak < SHRINK_BELOW * self._dmax:
            self._dmax = 1.05 * peak
            self.plot.getAxis("left").setScale(self._dmax)

    def _draw_densities(self, th) -> None:
        rescaled = self._drawn_dmax != self._dmax
        if rescaled and self._dmax > 0:
            self._drawn_dmax = self._dmax
            self.pdata_item.setData(self._xc, self._pdata / self._dmax)
        if th is None:
            if self._drawn.get("theory") is not None:
                self._drawn["theory"] = None
                self.pg_item.setData([], [])
                self.pdata_smooth_item.setData([], [])
            return
        if self._drawn.get("theory") is th and not rescaled:
            return
        self._drawn["theory"] = th
        inv = 1.0 / self._dmax
        self.pg_item.setData(self._xc, np.exp(th.log_p_g) * inv)
        self.pdata_smooth_item.setData(self._xc, np.exp(th.log_p_data) * inv)

    def _draw_d(self, snap, th) -> None:
        critic = snap.d_prob is None
        if critic != self._critic:
            self._set_critic(critic, snap.loss)
        src = snap.d_logits if critic else snap.d_prob
        if self._drawn.get("d") is not src:
            self._drawn["d"] = src
            if critic:
                ticks = critic_ticks(src)
                if ticks != self._critic_ticks:      # (setTicks redraws the axis)
                    self._critic_ticks = ticks
                    self.plot.getAxis("right").setTicks([ticks])
                self.d_item.setData(self._xc, style.critic_to_unit(np.asarray(src).reshape(-1)))
            else:
                self.d_item.setData(self._xc, np.asarray(src).reshape(-1))
        dstar = th.dstar if (th is not None and snap.has_dstar and not critic) else None
        if self._drawn.get("dstar", 0) is not dstar:
            self._drawn["dstar"] = dstar
            if dstar is None:
                self.dstar_item.setData([], [])
            else:
                self.dstar_item.setData(self._xc, np.asarray(dstar).reshape(-1))

    def _set_critic(self, critic: bool, loss: str) -> None:
        self._critic = critic
        self._critic_ticks = None
        self._drawn.pop("d", None)
        if critic:
            self.note.set_message(critic_note(loss))
            self.note.show()
        else:
            self.plot.getAxis("right").setTicks([style.D_TICKS])
            self.note.hide()
        self.retranslate()

    def _rug(self, name: str, item: pg.PlotCurveItem, samples, band: tuple[float, float]) -> None:
        if samples is None or self._drawn.get(name) is samples:
            return
        self._drawn[name] = samples
        x = np.asarray(samples)[:, 0]
        x = x[np.isfinite(x)]
        item.setData(np.repeat(x, 2), np.tile(np.asarray(band, dtype=np.float64), len(x)))

    def _label_z(self) -> None:
        key = "z_1" if self.lines.dim > 1 else "z"
        if key != self._z_label:
            self._z_label = key
            self.zplot.setLabel("bottom", _tr(TEXTS[key]))

    # ================================================================ interaction
    def _show_readout(self, x: float, text: str) -> None:
        self.readout.setText(text)
        self.readout.setPos(x, 1.0 + PAD)
        self.readout.setAnchor((0.5, 0.0))
        self.readout.show()
        self._readout_timer.start()

    # ================================================================ scale and layout
    def _layout_rows(self) -> None:
        """The noise plot takes Z_SHARE of the height, the legend as many columns as the width holds."""
        self.legend.fit(self.plot_widget.width() - 8.0)
        self.plot_widget.ci.layout.setRowFixedHeight(1, max(60.0, Z_SHARE * self.plot_widget.height()))

    def _apply_scale(self) -> None:
        s = self._scale
        ps = style.point_scale(s)
        style.style_axes(self.plot, s)
        style.style_axes(self.zplot, s)
        for p in (self.plot, self.zplot):
            p.getAxis("left").setWidth(int(round(LEFT_AXIS * s)))
            p.getAxis("right").setWidth(int(round(RIGHT_AXIS * s)))
            p.getAxis("bottom").setHeight(int(round(BOTTOM_AXIS * s)))
        dotted = style.pen(style.REAL, style.CURVE_WIDTH * 1.2, s)
        dotted.setStyle(Qt.PenStyle.DotLine)
        self.pdata_item.setPen(dotted)
        self.pdata_smooth_item.setPen(style.pen(style.REAL, 1.0, s, alpha=130))
        self.pg_item.setPen(style.pen(style.FAKE, style.CURVE_WIDTH, s))
        self.pg_item.setBrush(style.brush(style.FAKE, alpha=45))
        self.d_item.setPen(style.pen(style.OTHER, style.CURVE_WIDTH, s, dash=True))
        dashdot = style.pen(style.REFERENCE, 1.5, s)
        dashdot.setStyle(Qt.PenStyle.DashDotLine)
        self.dstar_item.setPen(dashdot)
        self.real_rug.setPen(style.pen(style.REAL, 1.0, ps, alpha=110))
        self.fake_rug.setPen(style.pen(style.FAKE, 1.0, ps, alpha=140))
        self.zlines_item.setPen(style.pen(style.MANIFOLD, style.MANIFOLD_WIDTH * 0.8, s, alpha=170))
        self.baseline.setPen(style.pen(style.FOREGROUND, 1.0, s))
        self.half_line.setPen(style.pen(style.REFERENCE, 1.0, s, alpha=70, dash=True))
        self.modes.set_scale(s)
        self._style_texts()
        self._layout_rows()

    def _style_texts(self) -> None:
        s = self._scale
        self.legend.setLabelTextSize(f"{style.FONT_PT * s:.0f}pt")   # pyqtgraph takes it for entries added later
        for _, label in self.legend.items:
            label.setText(label.text, size=f"{style.FONT_PT * s:.0f}pt", color=style.FOREGROUND)
        self.legend.fit(self.plot_widget.width() - 8.0)
        self.note.setFont(style.font(s))
        self.note.relayout()
        self.readout.setFont(style.font(s))
        for p in (self.plot, self.zplot):
            style.style_axes(p, s)
        for name in ("left", "right"):
            self.zplot.getAxis(name).setPen(pg.mkPen(None))
