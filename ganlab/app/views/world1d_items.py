"""The 1-D world's parts: mode handles and their editor, the z -> G(z) lines, and small layout items.

Mode handles: the 1-D counterpart of mode_editor.ModeEditor, with the same signals so the owner wires both alike: drag a
handle (sigModeMoved, continuously, y always 0.0), the context menu's "Remove mode" (sigModeRemoved), "Wider" /
"Narrower" or the wheel over a handle (sigModeStdChanged); the view turns a double-click on empty space into
`add_mode` (sigModeAdded). As there, a local edit wins over snapshots that do not show it yet for up to
PENDING_TIMEOUT_S, and indices in the signals are those of the owner's target (after removals not yet shown).

The z-lines (NoiseLines) join evenly spaced quantiles z_i of the noise's first coordinate on the noise axis to
G(z_i) on the x axis above; their top ends are mapped through the scene, so they land on G(z_i) whatever the
two plots' sizes, and are placed again whenever either view's transform changes.

A handle is a short vertical stem through the sample band under the density plot with a dark triangle at the
baseline, right under its mode's bump: it is grabbed anywhere along the stem and only ever moves along x.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal

from ...core.target import MAX_MODES, MAX_STD, MIN_STD
from .. import style
from ._items import QtPaintedView, pixel_size
from .mode_editor import PENDING_TIMEOUT_S, STD_FACTOR
from .theory_text import PanelNote

HANDLE_LINE = 1.6          # the stem's width (pixels at scale 1)
HANDLE_SIZE = 14.0         # the triangle at the baseline (pixels at scale 1)
GRAB_PX = 9.0              # a double-click this close to a handle is on it, not on empty space
N_LINES = 60               # z -> G(z) lines drawn


def _tooltip() -> str:
    return QCoreApplication.translate(
        "World1DView", "Mode centre of p_data: drag it along the line, wheel or right-click to change its std, "
        "right-click to remove it. Double-click empty space to add a mode.")


class ModeHandle(pg.InfiniteLine):
    """One draggable mode centre: a vertical stem over the lower `span` of the view, a triangle at its top."""

    def __init__(self, editor: HandleEditor, index: int, x: float, span: float, scale: float):
        super().__init__(pos=float(x), angle=90, movable=True, span=(0.0, span))
        self.editor = editor
        self.index = index
        self.setZValue(30)
        self.set_scale(scale)
        self.setToolTip(_tooltip())

    def set_scale(self, scale: float) -> None:
        ps = style.point_scale(scale)
        self.setPen(style.pen(style.MARKER_EDGE, HANDLE_LINE, ps))
        self.setHoverPen(style.pen(style.MARKER_HOVER, HANDLE_LINE, ps))
        self.hoverPen.setWidthF(self.pen.widthF())   # (pyqtgraph copies an integer width)
        self.clearMarkers()
        self.addMarker("^", position=1.0, size=HANDLE_SIZE * ps)
        self.viewTransformChanged()

    def hoverEvent(self, ev):
        super().hoverEvent(ev)
        if not ev.isExit():
            ev.acceptClicks(Qt.MouseButton.RightButton)

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.RightButton and not self.moving:
            ev.accept()
            self.editor.open_menu(self.index, ev.screenPos())
            return
        super().mouseClickEvent(ev)

    def wheelEvent(self, ev):
        delta = ev.delta()
        if delta == 0:
            ev.ignore()
            return
        ev.accept()
        self.editor.wheel(self.index, delta)


class HandleEditor(QtCore.QObject):
    """The handles of the target's modes on a ViewBox, the mode menu, and the edits as signals.

    `readout(x, text)` shows a mode's position and std next to it while it is dragged or resized."""

    sigModeMoved = Signal(int, float, float)      # index, x, 0.0 (continuously while dragging)
    sigModeAdded = Signal(float, float)           # x, 0.0
    sigModeRemoved = Signal(int)
    sigModeStdChanged = Signal(int, float)
    sigFull = Signal()                            # an add was refused: the target has MAX_MODES modes

    def __init__(self, view: pg.ViewBox, readout: Callable[[float, str], None], span: float, scale: float,
                 parent: QtWidgets.QWidget):
        super().__init__(parent)
        self.view = view
        self._readout = readout
        self._span = span
        self._scale = scale
        self.handles: list[ModeHandle] = []
        self._shown = np.zeros(0)                 # mode centres as drawn (a drag included)
        self._stds = np.zeros(0)
        self._target = None
        self._pending_pos: dict[int, tuple[float, float]] = {}   # index -> x, until (monotonic s)
        self._pending_std: dict[int, tuple[float, float]] = {}   # index -> std, until
        self._removed: set[int] = set()
        self._adds = 0                            # adds sent but not yet in a snapshot
        self._adds_until = 0.0
        self._syncing = False
        self.max_modes = MAX_MODES
        self._build_menu(parent)

    def _build_menu(self, parent: QtWidgets.QWidget) -> None:
        self.menu = QtWidgets.QMenu(parent)
        self._menu_index = -1
        self.action_title = self.menu.addAction("")
        self.action_title.setEnabled(False)
        self.menu.addSeparator()
        self.action_remove = self.menu.addAction("")
        self.action_wider = self.menu.addAction("")
        self.action_narrower = self.menu.addAction("")
        self.action_remove.triggered.connect(self._menu_remove)
        self.action_wider.triggered.connect(lambda: self._change_std(self._menu_index, STD_FACTOR))
        self.action_narrower.triggered.connect(lambda: self._change_std(self._menu_index, 1.0 / STD_FACTOR))
        self.retranslate()

    # ================================================================ public API
    def sync(self, target) -> None:
        """Follow the snapshot's target without fighting a drag or an edit not yet in a snapshot."""
        if target is self._target and not self._pending_pos and not self._pending_std and not self._adds:
            return
        now = time.monotonic()
        if self._adds and now > self._adds_until:
            self._adds = 0
        stds = np.asarray(target.stds, dtype=np.float64).reshape(-1)
        means = np.asarray(target.means, dtype=np.float64).reshape(len(stds), -1)[:, 0]
        if len(means) != len(self.handles) or (self._removed and target is not self._target):
            if self.is_dragging():
                return   # rebuild after the drop; self._target stays old so the next snapshot comes back here
            grown = len(means) - len(self.visible())
            if grown > 0:
                self._adds = max(0, self._adds - grown)
            self._rebuild(means, stds)
            self._target = target
            return
        self._target = target
        self._follow_means(means, now)
        self._follow_stds(stds, now)

    def clear(self) -> None:
        self._rebuild(np.zeros(0), np.zeros(0))
        self._adds = 0
        self._target = None

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        for h in self.handles:
            h.set_scale(scale)

    def retranslate(self) -> None:
        self._title_menu(self._menu_index)
        self.action_remove.setText(QCoreApplication.translate("FieldView", "Remove mode"))
        self.action_wider.setText(QCoreApplication.translate("FieldView", "Wider (std x 1.25)"))
        self.action_narrower.setText(QCoreApplication.translate("FieldView", "Narrower (std / 1.25)"))
        tip = _tooltip()
        for h in self.handles:
            h.setToolTip(tip)

    def shown_means(self) -> np.ndarray:
        """Mode centres (K,) as drawn, a drag not yet in a snapshot included."""
        return self._shown.copy()

    def shown_stds(self) -> np.ndarray:
        return self._stds.copy()

    def visible(self) -> list[int]:
        return [i for i in range(len(self.handles)) if i not in self._removed]

    def is_dragging(self) -> bool:
        return any(h.moving for h in self.handles)

    def mode_at(self, x: float, y: float | None = None) -> int:
        """Index of the visible handle within GRAB_PX pixels of x (and, given y, on its stem or triangle), or -1."""
        idx = self.visible()
        if not idx:
            return -1
        if y is not None:   # the stems end at the baseline, y = 0, the triangle reaches half its size above
            px = abs(self.view.viewPixelSize()[1])
            if y > (0.5 * HANDLE_SIZE * style.point_scale(self._scale) + 2.0) * px:
                return -1
        d = np.abs(self._shown[idx] - x)
        j = int(np.argmin(d))
        r = GRAB_PX * style.point_scale(self._scale) * pixel_size(self.view)
        return idx[j] if d[j] <= r else -1

    def add_mode(self, x: float) -> bool:
        """Ask the owner for a new mode at x; False (and nothing sent) when the target is full."""
        if len(self.visible()) + self._adds >= self.max_modes:
            self.sigFull.emit()
            return False
        self._adds += 1
        self._adds_until = time.monotonic() + PENDING_TIMEOUT_S
        self.sigModeAdded.emit(float(x), 0.0)
        return True

    def prepare_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        self._menu_index = index
        self._title_menu(index)
        n_visible = len(self.visible())
        self.action_remove.setEnabled(n_visible > 1)
        return self.menu

    def open_menu(self, index: int, screen_pos) -> None:
        self.prepare_menu(index)
        self.menu.popup(QtCore.QPoint(int(screen_pos.x()), int(screen_pos.y())))

    def wheel(self, index: int, delta: int) -> None:
        """The wheel over handle `index`: its std times STD_FACTOR per notch (120 units) up, divided down."""
        self._change_std(index, STD_FACTOR ** (delta / 120.0))

    def show_readout(self, i: int) -> None:
        x = float(self._shown[i])
        self._readout(x, QCoreApplication.translate("World1DView", "mode {0}  x = {1:.3f}  std {2:.3g}")
                      .format(i + 1, x, float(self._stds[i])))

    # ================================================================ following the target
    def _title_menu(self, index: int) -> None:
        if not 0 <= index < len(self._shown):
            self.action_title.setText("")
            return
        self.action_title.setText(QCoreApplication.translate("World1DView", "mode {0} at {1:.2f}, std {2:.3g}")
                                  .format(index + 1, float(self._shown[index]), float(self._stds[index])))

    def _follow_means(self, means: np.ndarray, now: float) -> None:
        for i in np.flatnonzero(means != self._shown):
            i = int(i)
            h = self.handles[i]
            if h.moving:
                continue
            pend = self._pending_pos.get(i)
            if pend is not None:
                if abs(means[i] - pend[0]) <= 1e-9 or now > pend[1]:
                    del self._pending_pos[i]
                else:
                    continue
            self._syncing = True
            try:
                h.setPos(float(means[i]))
            finally:
                self._syncing = False
            self._shown[i] = means[i]
        for i in list(self._pending_pos):
            if i >= len(means) or abs(means[i] - self._pending_pos[i][0]) <= 1e-9:
                self._pending_pos.pop(i, None)

    def _follow_stds(self, stds: np.ndarray, now: float) -> None:
        for i in np.flatnonzero(stds != self._stds):
            i = int(i)
            pend = self._pending_std.get(i)
            if pend is not None:
                if abs(stds[i] - pend[0]) <= 1e-12 * max(1.0, pend[0]) or now > pend[1]:
                    del self._pending_std[i]
                else:
                    continue
            self._stds[i] = stds[i]

    def _rebuild(self, means: np.ndarray, stds: np.ndarray) -> None:
        for h in self.handles:
            self.view.removeItem(h)
        self.handles = []
        self._pending_pos.clear()
        self._pending_std.clear()
        self._removed.clear()
        for i, x in enumerate(means):
            h = ModeHandle(self, i, float(x), self._span, self._scale)
            h.sigPositionChanged.connect(self._on_moved)
            h.sigPositionChangeFinished.connect(self._on_dropped)
            self.view.addItem(h, ignoreBounds=True)
            self.handles.append(h)
        self._shown = means.copy()
        self._stds = stds.copy()

    # ================================================================ edits
    def _owner_index(self, i: int) -> int:
        return i - sum(1 for r in self._removed if r < i)

    def _on_moved(self, h: ModeHandle) -> None:
        if self._syncing or not h.moving:
            return
        i, x = h.index, float(h.getXPos())
        self._shown[i] = x
        self._pending_pos[i] = (x, time.monotonic() + PENDING_TIMEOUT_S)
        self.show_readout(i)
        self.sigModeMoved.emit(self._owner_index(i), x, 0.0)

    def _on_dropped(self, h: ModeHandle) -> None:
        self._pending_pos[h.index] = (float(self._shown[h.index]), time.monotonic() + PENDING_TIMEOUT_S)

    def _menu_remove(self) -> None:
        i = self._menu_index
        if not 0 <= i < len(self.handles) or i in self._removed or len(self.visible()) <= 1:
            return
        j = self._owner_index(i)
        self._removed.add(i)
        self.handles[i].hide()
        self.sigModeRemoved.emit(j)

    def _change_std(self, index: int, factor: float) -> None:
        if not 0 <= index < len(self.handles) or index in self._removed:
            return
        new = float(min(max(self._stds[index] * factor, MIN_STD), MAX_STD))
        self._stds[index] = new
        self._pending_std[index] = (new, time.monotonic() + PENDING_TIMEOUT_S)
        self.show_readout(index)
        self.sigModeStdChanged.emit(self._owner_index(index), new)


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
