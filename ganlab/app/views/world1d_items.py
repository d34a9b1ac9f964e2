"""The 1-D world's parts: mode handles and their editor, the z -> G(z) lines, and small layout items.

Mode handles: the 1-D counterpart of mode_editor.ModeEditor, both mode_handles.ModeHandles, so the signals, the
menu and how an edit meets the snapshots are one code: drag a handle (sigModeMoved, continuously, y always 0.0),
double-click empty space (sigModeAdded), the context menu's "Remove mode" (sigModeRemoved), "Wider" / "Narrower"
or the wheel over a handle (sigModeStdChanged). Here is only what a handle is and how a mode on the line reads.

The z-lines (NoiseLines) join evenly spaced quantiles z_i of the noise's first coordinate on the noise axis to
G(z_i) on the x axis above; their top ends are mapped through the scene, so they land on G(z_i) whatever the
two plots' sizes, and are placed again whenever either view's transform changes.

A handle is a short vertical stem through the sample band under the density plot with a dark triangle at the
baseline, right under its mode's bump: it is grabbed anywhere along the stem and only ever moves along x.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal

from .. import style
from ._items import QtPaintedView, pixel_size
from .mode_handles import ModeGrip, ModeHandles
from .theory_text import PanelNote

HANDLE_LINE = 1.6          # the stem's width (pixels at scale 1)
HANDLE_SIZE = 14.0         # the triangle at the baseline (pixels at scale 1)
GRAB_PX = 9.0              # a double-click this close to a handle is on it, not on empty space
N_LINES = 60               # z -> G(z) lines drawn


def _handle_tooltip() -> str:
    return QCoreApplication.translate(
        "World1DView", "Mode centre of p_data: drag it along the line, wheel or right-click to change its std, "
        "right-click to remove it. Double-click empty space to add a mode.")


class ModeHandle(ModeGrip, pg.InfiniteLine):
    """One draggable mode centre: a vertical stem over the lower `span` of the view, a triangle at its top.
    Right-click opens the mode menu, the wheel resizes (ModeGrip)."""

    def __init__(self, editor: HandleEditor, index: int, x: float, span: float, scale: float):
        super().__init__(pos=float(x), angle=90, movable=True, span=(0.0, span))
        self.editor = editor
        self.index = index
        self.setZValue(30)
        self.set_scale(scale)
        self.setToolTip(_handle_tooltip())

    def _computeBoundingRect(self):
        """The stem's rect (pyqtgraph's), lengthened at its top by the triangle: the triangle sits past the span's
        end, where a press (the place a user grabs first) otherwise fell outside the item and dragged nothing."""
        br = super()._computeBoundingRect()
        along = self.pixelVectors(direction=pg.Point(1, 0))[0]
        if br.isEmpty() or along is None:
            return br
        br = QRectF(br)
        br.setRight(br.right() + 2 * self._maxMarkerSize * along.length())
        return br

    def set_scale(self, scale: float) -> None:
        ps = style.point_scale(scale)
        self.setPen(style.pen(style.MARKER_EDGE, HANDLE_LINE, ps))
        self.setHoverPen(style.pen(style.MARKER_HOVER, HANDLE_LINE, ps))
        self.hoverPen.setWidthF(self.pen.widthF())   # (pyqtgraph copies an integer width)
        self.clearMarkers()
        self.addMarker("^", position=1.0, size=HANDLE_SIZE * ps)
        self.viewTransformChanged()


class HandleEditor(ModeHandles):
    """The handles of the target's modes on a ViewBox, the mode menu, and the edits as signals (ModeHandles:
    sigModeMoved and sigModeAdded with y 0.0, sigModeRemoved, sigModeStdChanged, sigFull).

    `readout(x, text)` shows a mode's position and std next to it while it is dragged or resized."""

    mean_shape = ()    # a mode's centre is its x: shown_means() is (K,)

    def __init__(self, view: pg.ViewBox, readout: Callable[[float, str], None], span: float, scale: float,
                 parent: QtWidgets.QWidget):
        super().__init__(view, view, readout, scale, parent)
        self._span = span

    @property
    def handles(self) -> list[ModeHandle]:
        """The mode handles, one per mode of the target drawn (removed ones hidden until the next target)."""
        return self._items

    # ================================================================ public API
    def mode_at(self, x: float, y: float | None = None) -> int:
        """Index of the visible handle within GRAB_PX pixels of x (and, given y, on its stem or triangle), or -1."""
        idx = self.visible()
        if not idx:
            return -1
        if y is not None:   # the stems end at the baseline, y = 0, the triangle reaches half its size above
            px = abs(self.view.viewPixelSize()[1])
            if y > (0.5 * HANDLE_SIZE * style.point_scale(self._scale) + 2.0) * px:
                return -1
        d = np.abs(self._shown_means[idx] - x)
        j = int(np.argmin(d))
        r = GRAB_PX * style.point_scale(self._scale) * pixel_size(self.view)
        return idx[j] if d[j] <= r else -1

    def add_mode(self, x: float) -> bool:
        """Ask the owner for a new mode at x; False (and nothing sent) when the target is full."""
        if self.owner_count() >= self.max_modes:
            self.sigFull.emit()
            return False
        self._promise_add(float(x))
        self.sigModeAdded.emit(float(x), 0.0)
        return True

    def show_readout(self, i: int) -> None:
        x = float(self._shown_means[i])
        self._readout(x, QCoreApplication.translate("World1DView", "mode {0}  x = {1:.3f}  std {2:.3g}")
                      .format(i + 1, x, float(self._shown_stds[i])))

    # ================================================================ ModeHandles' hooks
    def _read(self, target) -> tuple[np.ndarray, np.ndarray]:
        stds = np.asarray(target.stds, dtype=np.float64).reshape(-1)
        return np.asarray(target.means, dtype=np.float64).reshape(len(stds), -1)[:, 0], stds

    def _new_item(self, index: int, mean) -> ModeHandle:
        return ModeHandle(self, index, float(mean), self._span, self._scale)

    def _place(self, item: ModeHandle, mean) -> None:
        item.setPos(float(mean))

    def _item_pos(self, item: ModeHandle) -> float:
        return float(item.getXPos())

    _tooltip = staticmethod(_handle_tooltip)

    def _mode_title(self, index: int) -> str:
        return QCoreApplication.translate("World1DView", "mode {0} at {1:.2f}, std {2:.3g}").format(
            index + 1, float(self._shown_means[index]), float(self._shown_stds[index]))

    def _add_at(self, x: float, y: float) -> None:
        self.add_mode(x)


# ===================================================================== z -> G(z)
class NoiseLines:
    """The paper's lines from z_i on the noise axis (`zview`, y 0..1) up to x = G(z_i) on `view`'s x axis.

    z_i are N_LINES evenly spaced quantiles of the noise's first coordinate (chosen again only when the noise
    array changes: a fixed display batch keeps its lines); the noise axis spans +-half, which only grows."""

    def __init__(self, view: pg.ViewBox, zview: pg.ViewBox):
        self.view, self.zview = view, zview
        self.item = pg.PlotCurveItem(connect="pairs", antialias=True)
        zview.addItem(self.item)
        view.sigTransformChanged.connect(self.place)
        zview.sigTransformChanged.connect(self.place)
        self.clear()

    def clear(self) -> None:
        self.z = self.x = np.zeros(0)
        self.dim = 0          # the noise's dimension (0: none seen)
        self.half = 0.0
        self._src = None
        self._pick = np.zeros(0, dtype=np.intp)
        self.item.setData([], [])

    def update(self, noise, fake) -> None:
        if noise is None or fake is None or len(noise) != len(fake) or len(noise) == 0:
            if len(self.z):
                self.z = self.x = np.zeros(0)
                self.item.setData([], [])
            return
        noise = np.asarray(noise)
        z_all = noise.reshape(len(noise), -1)[:, 0]
        if self._src is not noise:
            self._src = noise
            self.dim = noise.shape[1] if noise.ndim == 2 else 1
            order = np.argsort(z_all, kind="stable")
            n = min(N_LINES, len(order))
            self._pick = order[np.round(np.linspace(0, len(order) - 1, n)).astype(np.intp)]
            finite = z_all[np.isfinite(z_all)]
            reach = float(np.max(np.abs(finite))) if finite.size else 1.0
            half = max(1.0, math.ceil(reach / 0.5) * 0.5)
            if half > self.half:
                self.half = half
                self.zview.setRange(xRange=(-half, half), yRange=(0.0, 1.0), padding=0)
        z = z_all[self._pick].astype(np.float64)
        x = np.asarray(fake)[self._pick, 0].astype(np.float64)
        ok = np.isfinite(z) & np.isfinite(x)
        self.z, self.x = z[ok], x[ok]
        self.place()

    def place(self, *_) -> None:
        if not len(self.z):
            return
        xs = np.empty(2 * len(self.z))
        xs[0::2], xs[1::2] = self.z, self.x_to_z(self.x)
        ys = np.zeros(2 * len(self.z))
        ys[1::2] = 1.0
        self.item.setData(xs, ys)

    def x_to_z(self, x: np.ndarray) -> np.ndarray:
        """Where x on `view`'s axis is in the noise plot's coordinates (through the scene)."""
        if self.view.width() < 2 or self.zview.width() < 2:   # not laid out: the plots are aligned by design
            (x0, x1), (z0, z1) = self.view.viewRange()[0], self.zview.viewRange()[0]
            return z0 + (x - x0) * ((z1 - z0) / (x1 - x0))
        s0 = self.view.mapViewToScene(QPointF(0.0, 0.0)).x()
        s1 = self.view.mapViewToScene(QPointF(1.0, 0.0)).x()
        z0 = self.zview.mapSceneToView(QPointF(0.0, 0.0)).x()
        z1 = self.zview.mapSceneToView(QPointF(1.0, 0.0)).x()
        return z0 + (z1 - z0) * (s0 + (s1 - s0) * x)


# ===================================================================== layout items
class Canvas1D(QtPaintedView, pg.GraphicsLayoutWidget):
    """The plots' layout widget, painted by Qt (see _items.QtPaintedView), saying when it was resized."""

    sigResized = Signal()


class DensityAxis(pg.AxisItem):
    """The density axis: no ticks in the rug band under the baseline (densities are not negative)."""

    def tickValues(self, minVal, maxVal, size):
        return [(sp, [v for v in vals if v >= -1e-9 * abs(sp)]) for sp, vals in super().tickValues(minVal, maxVal,
                                                                                                    size)]


class RowLegend(pg.LegendItem):
    """The legend as a row of the view's layout, under the noise axis (over the plot it hid the curves):
    it states its size and lets the layout place it, where pyqtgraph's legend sets its own geometry."""

    room = 0.0     # the width it may take (0: not known yet)

    def updateSize(self):
        self.layout.invalidate()
        hint = self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)
        w = min(hint.width(), self.room) if self.room > 0 else hint.width()   # never widens the view
        self.setMinimumSize(w, hint.height())
        self.setMaximumSize(w, hint.height())
        self.updateGeometry()

    def fit(self, width: float) -> None:
        """The most columns (4 down to 1) whose row fits in `width` pixels."""
        self.room = float(width)
        for cols in (4, 3, 2, 1):
            self.setColumnCount(cols)
            self.layout.invalidate()
            if self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize).width() <= width:
                break
        self.updateSize()


class CornerNote(PanelNote):
    """A wrapped sentence at the top left of a ViewBox (PanelNote centres it: that would hide the curves)."""

    def relayout(self, *_):
        r = self.view.rect()
        self.setTextWidth(max(80.0, 0.55 * r.width()))
        self.setPos(r.left() + 6.0, r.top() + 4.0)
