"""The D* probe: formula (12) of the lecture at one clicked point x.

A small plot of f(D) = p_data(x) log D + p_g(x) log(1 - D) over D in (0, 1), its maximum at
D*(x) = p_data(x) / (p_data(x) + p_g(x)) (a marker and a dashed line), and the trained D(x) on the same curve (a
second marker), with the numbers under it. The values come from the snapshot's grids (core/probe.py): the
kernel-smoothed densities the theory panel shows, interpolated between cell centres. A new snapshot re-evaluates
the same point. For a critic (wgan-gp, hinge) there is no D(x) on [0, 1]: the curve and D* are still drawn (they
depend on the densities only) and a sentence says why D is missing.

`set_point(x, y)` chooses the point (the window connects clicks on the field and the D* map to it;
`connect_clicks` is a helper for a pyqtgraph PlotItem); `sigPointChanged(x, y)` tells others (a crosshair).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent

from ...core import probe as core_probe
from ...core.saturation import sigmoid
from .. import style
from ._items import ScaledPlotWidget, cache_axes

D_GRID = sigmoid(np.linspace(-12.0, 12.0, 801))     # dense near 0 and 1, where f bends and D* often sits
Y_BELOW = 3.0           # the y range: f(D*) is in [-(p_d + p_g) log 2, 0]; show down to -3 (p_d + p_g)
Y_ABOVE = 0.15
MARKER = 11.0


def _num(v: float) -> str:
    return f"{v:.4g}" if math.isfinite(v) else "—"


class ProbeView(QtWidgets.QWidget):
    """f(D) at one point x with its maximum D*(x) and the trained D(x) on it."""

    sigPointChanged = QtCore.Signal(float, float)   # the probed point (y is NaN on a 1-D grid)

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._point: tuple[float, float] | None = None
        self._snap = None
        self._values: core_probe.ProbeValues | None = None
        self._key = None            # (point, theory, d_prob) last evaluated
        self.plot_widget = ScaledPlotWidget(background=style.BACKGROUND)
        self.plot_widget.setMinimumSize(200, 140)
        self.plot = self.plot_widget.getPlotItem()
        self.numbers_label = QtWidgets.QLabel()
        self.note_label = QtWidgets.QLabel()
        for lab in (self.numbers_label, self.note_label):
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.numbers_label)
        layout.addWidget(self.note_label)
        self._build_plot()
        self.retranslate()
        self._apply_scale()

    def _build_plot(self) -> None:
        p = self.plot
        cache_axes(p)
        p.hideButtons()
        p.setMenuEnabled(False)
        p.setMouseEnabled(x=False, y=False)
        p.showGrid(x=True, y=True, alpha=0.15)
        p.getAxis("left").enableAutoSIPrefix(False)
        p.setXRange(0.0, 1.0, padding=0.02)
        self.curve = pg.PlotCurveItem()
        self.curve.setZValue(5)
        self.dstar_line = pg.InfiniteLine(angle=90, movable=False)
        self.dstar_marker = pg.ScatterPlotItem(symbol="star")
        self.d_marker = pg.ScatterPlotItem(symbol="o")
        self.dstar_marker.setZValue(10)
        self.d_marker.setZValue(11)
        self.hint_item = pg.TextItem(anchor=(0.5, 0.5), color=style.FOREGROUND)   # the hint, inside the empty plot
        self.hint_item.setPos(0.5, -0.5)
        for item in (self.curve, self.dstar_line, self.dstar_marker, self.d_marker, self.hint_item):
            p.addItem(item)
        self._show()

    # ================================================================ public API
    def set_point(self, x: float, y: float | None = None) -> None:
        """Probe (x, y) (y is ignored on a 1-D grid) in the current snapshot and the ones after it."""
        y = float("nan") if y is None else float(y)
        self._point = (float(x), y)
        self._key = None
        self._evaluate()
        self.sigPointChanged.emit(float(x), y)

    def point(self) -> tuple[float, float] | None:
        return self._point

    def clear_point(self) -> None:
        """Back to the hint: no point is probed."""
        self._point = None
        self._values = None
        self._key = None
        self._show()

    def update_snapshot(self, snap) -> None:
        """Re-evaluate the chosen point on this snapshot (only when its theory or D changed)."""
        self._snap = snap
        self._evaluate()

    def clear(self) -> None:
        """Forget the snapshot (a reset); the point stays and is probed again on the next one."""
        self._snap = None
        self._values = None
        self._key = None
        self._show()

    def values(self) -> core_probe.ProbeValues | None:
        return self._values

    def set_scale(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    def hint_text(self) -> str:
        """The hint shown in the empty plot before a point is chosen ("" after)."""
        return self.hint_item.textItem.toPlainText()

    def numbers_text(self) -> str:
        return self.numbers_label.text()

    def note_text(self) -> str:
        return self.note_label.text() if not self.note_label.isHidden() else ""

    def retranslate(self) -> None:
        self.plot.setToolTip(QCoreApplication.translate(
            "ProbeView", "For a fixed generator, V(G, D) is maximised at each x separately: f(D) = p_data(x) log D + "
            "p_g(x) log(1 − D) has f′(D) = p_data/D − p_g/(1 − D) = 0 at D* = p_data / (p_data + p_g) (lecture, "
            "formula (12)). Star: that maximum; circle: the trained D(x)."))
        self._set_labels()
        self._show()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ internals
    def _evaluate(self) -> None:
        snap, pt = self._snap, self._point
        if snap is None or pt is None or snap.theory is None:
            self._values = None
            self._key = None
            self._show()
            return
        k = self._key    # the objects themselves, not their ids: an id can be reused once the old frame is freed
        if k is not None and k[0] == pt and k[1] is snap.theory and k[2] is snap.d_prob:
            return
        self._key = (pt, snap.theory, snap.d_prob)
        self._values = core_probe.probe(snap, pt[0], pt[1])
        self._show()

    def _show(self) -> None:
        v = self._values
        drawable = v is not None and v.inside and (v.p_data + v.p_g) > 0.0
        if not drawable:
            self.curve.setData(np.zeros(0), np.zeros(0))
            for item in (self.dstar_marker, self.d_marker):
                item.setData([], [])
            self.dstar_line.setVisible(False)
            self.plot.setYRange(-1.0, 0.0, padding=0.05)
        else:
            self._draw(v)
        hint = QCoreApplication.translate("ProbeView", "Click a point of the field or the D* map to probe it.")
        self.hint_item.setText(hint if self._point is None else "")
        self.numbers_label.setText(self._numbers(v))
        note = self._note(v)
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))

    def _draw(self, v: core_probe.ProbeValues) -> None:
        s = v.p_data + v.p_g
        lo, hi = -Y_BELOW * s, Y_ABOVE * s
        f = core_probe.objective(v.p_data, v.p_g, D_GRID)
        self.curve.setData(D_GRID, np.maximum(f, lo - s), connect="finite")
        self.plot.setYRange(lo, hi, padding=0)
        if v.has_dstar:
            self.dstar_marker.setData([v.dstar], [v.f_dstar])
            self.dstar_line.setValue(v.dstar)
            self.dstar_line.setVisible(True)
        else:
            self.dstar_marker.setData([], [])
            self.dstar_line.setVisible(False)
        if math.isfinite(v.d):
            # a D of exactly 0 or 1 has f = -inf: drawn on the frame's bottom edge
            self.d_marker.setData([v.d], [max(v.f_d, lo) if not math.isnan(v.f_d) else lo])
        else:
            self.d_marker.setData([], [])

    def _numbers(self, v) -> str:
        if self._point is None:
            return ""           # the hint is in the plot
        x, y = self._point
        if v is not None:
            y = v.y             # NaN on a 1-D grid, whatever y the click had
        where = f"x = {x:.3g}" if math.isnan(y) else f"x = ({x:.3g}, {y:.3g})"
        if v is None or not v.inside:
            return where
        lines = [where,
                 QCoreApplication.translate("ProbeView", "p_data(x) = {0}    p_g(x) = {1}").format(
                     _num(v.p_data), _num(v.p_g)),
                 QCoreApplication.translate("ProbeView", "D*(x) = {0}    D(x) = {1}").format(
                     _num(v.dstar), _num(v.d) if not v.critic else "—"),
                 QCoreApplication.translate("ProbeView", "f(D(x)) = {0}    f(D*) = {1}").format(
                     _num(v.f_d), _num(v.f_dstar))]
        return "\n".join(lines)

    def _note(self, v) -> str:
        if self._point is None:
            return ""
        snap = self._snap
        if snap is None:
            return QCoreApplication.translate("ProbeView", "Waiting for a frame of the run.")
        if snap.theory is None:
            return QCoreApplication.translate("ProbeView",
                                              "Theory is off for this frame: there are no densities to probe.")
        if v is None:
            return ""
        if not v.inside:
            return QCoreApplication.translate(
                "ProbeView", "The point lies outside the evaluation grid: the densities are known only on it.")
        notes = []
        if v.negligible:
            notes.append(QCoreApplication.translate(
                "ProbeView", "Neither distribution has mass here: D* is not defined (grey on the D* map)."))
        if v.critic:
            notes.append(QCoreApplication.translate(
                "ProbeView", "D is a critic for {0}: its score is not a probability, so it has no place on f.").format(
                snap.loss))
        h = getattr(snap.theory, "bandwidth", None)
        if h is not None:
            notes.append(QCoreApplication.translate(
                "ProbeView", "p_data and p_g are the kernel-smoothed densities of the theory panel (bandwidth h = {0})."
            ).format(f"{h:.3g}"))
        return "\n".join(notes)

    def _set_labels(self) -> None:
        size = f"{style.FONT_PT * self._scale:.0f}pt"
        key = (f'<span style="color:{style.OTHER}">★ D*(x)</span>&nbsp;&nbsp;'
               f'<span style="color:{style.MANIFOLD}">● D(x)</span>')
        self.plot.setTitle(f"f(D) = p_data log D + p_g log(1 − D)&nbsp;&nbsp;&nbsp;{key}", size=size,
                           color=style.FOREGROUND)
        self.plot.setLabel("bottom", "D", color=style.FOREGROUND, **{"font-size": size})
        self.plot.setLabel("left", "f(D)", color=style.FOREGROUND, **{"font-size": size})

    def _apply_scale(self) -> None:
        s = self._scale
        style.style_axes(self.plot, s)
        self.curve.setPen(style.pen(style.FOREGROUND, style.CURVE_WIDTH, s))
        self.dstar_line.setPen(style.pen(style.OTHER, 1.0, s, dash=True))
        size = style.point_size(MARKER, s)
        self.dstar_marker.setSize(size * 1.4)
        self.dstar_marker.setBrush(style.brush(style.OTHER))
        self.dstar_marker.setPen(style.pen(style.FOREGROUND, 1.0))
        self.d_marker.setSize(size)
        self.d_marker.setBrush(style.brush(style.MANIFOLD))
        self.d_marker.setPen(style.pen(style.FOREGROUND, 1.0))
        f = style.font(s)
        self.numbers_label.setFont(f)
        self.hint_item.setFont(style.font(s, style.TITLE_PT))
        self.note_label.setFont(f)
        self._set_labels()


def connect_clicks(plot: pg.PlotItem, view: ProbeView, button=QtCore.Qt.MouseButton.LeftButton):
    """Probe where `plot` is clicked (inside its ViewBox, in data coordinates). The plot must be in a scene.
    Returns the slot (to disconnect it: plot.scene().sigMouseClicked.disconnect(slot))."""
    vb = plot.getViewBox()

    def on_click(ev) -> None:
        if ev.button() != button or ev.isAccepted():
            return
        pos = ev.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        pt = vb.mapSceneToView(pos)
        view.set_point(pt.x(), pt.y())

    plot.scene().sigMouseClicked.connect(on_click)
    return on_click
