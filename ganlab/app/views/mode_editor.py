"""Editing the target on the field: draggable mode markers, their rings, and the mode menu.

`ModeEditor` keeps the markers in step with the snapshots' target and turns the user's edits into
signals: drag a marker (sigModeMoved, continuously), double-click empty space (sigModeAdded), the
context menu's "Remove mode" (sigModeRemoved) and "Wider" / "Narrower" or the wheel over a marker
(sigModeStdChanged). How an edit meets the snapshots (it wins over those that do not show it yet, for up to
PENDING_TIMEOUT_S; indices are the owner's) is mode_handles.ModeHandles', shared with the 1-D world's handles;
here are the markers, their rings (a new std shows in its ring at once) and the ghosts. An added mode shows at
once as a small ghost dot until a snapshot carries it (the owner's count of modes is what the editor shows plus
those ghosts: `owner_count`, which the brush needs for its modes' indices).
While the brush is on (`set_locked`), markers do not move, so a stroke may start on one.

Mode markers are hollow reticles (a white ring with a dark halo and four ticks) so a tight real
cloud under a marker stays visible.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, Qt

from ...core.target import MAX_STD, MIN_STD
from .. import style
from ._items import PointCloudItem, pixel_size
from .mode_handles import PENDING_TIMEOUT_S as PENDING_TIMEOUT_S  # (re-exported: the tests' and the owner's name)
from .mode_handles import STD_FACTOR as STD_FACTOR
from .mode_handles import ModeGrip, ModeHandles

RING_SIGMAS = 2.0          # each mode's ring is drawn at this many stds
RING_SEGMENTS = 40
GHOST_SIZE = 9.0           # an added mode before a snapshot shows it (pixels at scale 1)
MARKER_LINE = 1.6          # the marker's white line, and its dark halo (pixels at scale 1)
MARKER_HALO = 4.0
RING_R = 0.30              # the marker's ring radius, as a fraction of its size
TICK_IN = 0.36             # the four ticks run from here to 0.5 (outside the ring, never over its inside)


def marker_path() -> QtGui.QPainterPath:
    """A hollow reticle, size 1, centred at 0: a ring and four short ticks outside it.

    The ring is a closed subpath, so its inside belongs to the item's shape (it can be grabbed
    anywhere inside) while nothing is painted there: the real samples under it stay visible."""
    p = QtGui.QPainterPath()
    p.addEllipse(QtCore.QPointF(0.0, 0.0), RING_R, RING_R)
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        p.moveTo(TICK_IN * dx, TICK_IN * dy)
        p.lineTo(0.5 * dx, 0.5 * dy)
    return p


def marker_halo(ps: float) -> QtGui.QPen:
    """The marker's dark halo: translucent, so generated points under the ring still show through it."""
    return style.pen(style.MARKER_EDGE, MARKER_HALO, ps, alpha=style.MARKER_HALO_ALPHA)


def _marker_tooltip() -> str:
    return QCoreApplication.translate(
        "FieldView", "Mode centre of p_data: drag to move it, wheel or right-click to change its std, "
        "right-click to remove it. Double-click empty space to add a mode.")


class ModeMarker(ModeGrip, pg.TargetItem):
    """One draggable mode centre. Left-drag moves, right-click opens the mode menu, the wheel resizes (ModeGrip).

    Drawn twice, a wide dark halo then a thin white line, so it reads over the pale heatmap and over
    both clouds; hovering turns the line yellow and tints the inside a little."""

    def __init__(self, editor: ModeEditor, index: int, x: float, y: float, scale: float):
        ps = style.point_scale(scale)    # the marker grows like the points, not like the text
        super().__init__(
            pos=(float(x), float(y)), size=style.point_size(style.MARKER_SIZE, scale), symbol=marker_path(),
            pen=style.pen(style.MARKER_FILL, MARKER_LINE, ps), brush=QtGui.QBrush(Qt.BrushStyle.NoBrush),
            hoverPen=style.pen(style.MARKER_HOVER, MARKER_LINE, ps),
            hoverBrush=style.brush(style.MARKER_HOVER, alpha=70), movable=True)
        self.editor = editor
        self.index = index
        self.halo = marker_halo(ps)
        self._brect = (None, QtCore.QRectF())
        self.setZValue(30)
        # drawn into a pixmap once (antialiased, twice over) and blitted after that: moving the marker
        # or repainting the field under it does not draw it again, zooming does
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(_marker_tooltip())

    def set_scale(self, scale: float) -> None:
        self.prepareGeometryChange()
        ps = style.point_scale(scale)
        self.scale = style.point_size(style.MARKER_SIZE, scale)
        self.halo = marker_halo(ps)
        self._brect = (None, QtCore.QRectF())
        self.setPen(style.pen(style.MARKER_FILL, MARKER_LINE, ps))
        self.setHoverPen(style.pen(style.MARKER_HOVER, MARKER_LINE, ps))
        self._shape = None
        self.update()

    def boundingRect(self):
        # the halo is drawn half outside the path: grow the path's box by it (in data units); cached
        # with the shape it comes from (a new shape after a zoom or a new size)
        shape = self.shape()
        if self._brect[0] is not shape:
            r = shape.boundingRect()
            pad = 0.5 * self.halo.widthF() + 1.0
            px, py = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
            self._brect = (shape, r.adjusted(-pad * px, -pad * py, pad * px, pad * py))
        return self._brect[1]

    def paint(self, p, *_):
        path = self.shape()
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)   # 8 small items: cheap
        p.setBrush(self.currentBrush)
        p.setPen(self.halo)
        p.drawPath(path)
        p.setBrush(QtGui.QBrush(Qt.BrushStyle.NoBrush))
        p.setPen(self.currentPen)
        p.drawPath(path)


class ModeEditor(ModeHandles):
    """The markers and rings of the target's modes on a plot, the ghosts of adds, the mode menu, the edits as
    signals (ModeHandles: sigModeMoved, sigModeAdded, sigModeRemoved, sigModeStdChanged, sigFull).

    `readout(x, y, text)` shows a mode's position and std next to it while it is dragged or resized."""

    def __init__(self, plot: pg.PlotItem, readout: Callable[[float, float, str], None], scale: float,
                 parent: QtWidgets.QWidget):
        super().__init__(plot, plot.getViewBox(), readout, scale, parent)
        self.plot = plot
        self.ring_item = pg.PlotCurveItem()     # every mode's ring (RING_SIGMAS * std), one curve
        self.ring_item.setZValue(18)
        plot.addItem(self.ring_item)
        self.ghost_item = PointCloudItem()
        self.ghost_item.setZValue(29)
        plot.addItem(self.ghost_item, ignoreBounds=True)
        self.stroking = False                        # a brush stroke is under way: no rebuild until it ends
        bold = self.action_title.font()
        bold.setBold(True)
        self.action_title.setFont(bold)
        self.set_scale(scale)

    @property
    def markers(self) -> list[ModeMarker]:
        """The mode markers, one per mode of the target drawn (removed ones hidden until the next target)."""
        return self._items

    # ================================================================ public API
    def set_scale(self, scale: float) -> None:
        self.ring_item.setPen(style.pen(style.MARKER_EDGE, style.RING_WIDTH, scale, alpha=150))
        super().set_scale(scale)
        self.ghost_item.setSize(style.point_size(GHOST_SIZE, scale))
        self.ghost_item.setPen(marker_halo(style.point_scale(scale)))
        self.ghost_item.setBrush(style.brush(style.MARKER_FILL))

    def add_mode(self, x: float, y: float, std: float | None = None) -> bool:
        """Ask the owner for a new mode at (x, y) (with `std`, else the owner's default); False when the
        target is full (max_modes), and then nothing is sent."""
        index = self.owner_count()
        if index >= self.max_modes:
            return False
        self.sigModeAdded.emit(float(x), float(y))
        if std is not None:
            self.sigModeStdChanged.emit(index, float(min(max(std, MIN_STD), MAX_STD)))
        self._promise_add((float(x), float(y)))
        return True

    def is_dragging(self) -> bool:
        """A marker is dragged or a brush stroke is under way: the markers are not rebuilt now. (A stroke
        counts while it lays modes: one whose end never came does not freeze the markers.)"""
        stroke = self.stroking and time.monotonic() < self._adds_until
        return stroke or super().is_dragging()

    def mode_at(self, x: float, y: float) -> int:
        """Index of the visible marker under (x, y), or -1."""
        if len(self._shown_means) == 0:
            return -1
        r = 0.5 * style.point_size(style.MARKER_SIZE, self._scale) * pixel_size(self.view)
        d2 = (self._shown_means[:, 0] - x) ** 2 + (self._shown_means[:, 1] - y) ** 2
        if self._removed:
            d2[list(self._removed)] = np.inf
        i = int(np.argmin(d2))
        return i if d2[i] <= r * r else -1

    def show_readout(self, i: int) -> None:
        """Show mode i's position and std next to it."""
        x, y = (float(v) for v in self._shown_means[i])
        self._readout(x, y, QCoreApplication.translate("FieldView", "mode {0}  ({1:.3f}, {2:.3f})  std {3:.3g}")
                      .format(i + 1, x, y, float(self._shown_stds[i])))   # counted from 1, as undo and the curves do

    def prepare_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        menu = super().prepare_menu(index)
        self.action_remove.setToolTip("" if self.action_remove.isEnabled() else "a target needs at least one mode")
        return menu

    # ================================================================ ModeHandles' hooks
    def _read(self, target) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(target.means, dtype=np.float64), np.asarray(target.stds, dtype=np.float64)

    def _new_item(self, index: int, mean) -> ModeMarker:
        return ModeMarker(self, index, mean[0], mean[1], self._scale)

    def _place(self, item: ModeMarker, mean) -> None:
        item.setPos(float(mean[0]), float(mean[1]))

    def _item_pos(self, item: ModeMarker) -> tuple[float, float]:
        pos = item.pos()
        return float(pos.x()), float(pos.y())

    _tooltip = staticmethod(_marker_tooltip)

    def _mode_title(self, index: int) -> str:
        x, y = (float(v) for v in self._shown_means[index])
        return QCoreApplication.translate("FieldView", "mode {0} at ({1:.2f}, {2:.2f}), std {3:.3g}").format(
            index + 1, x, y, float(self._shown_stds[index]))

    def _title_menu(self, index: int) -> str:
        text = super()._title_menu(index)
        if text:
            self.menu.setTitle(text)
        return text

    def _add_at(self, x: float, y: float) -> None:
        if not self.add_mode(x, y):
            self.sigFull.emit()

    def _redraw(self) -> None:
        self._draw_rings()

    def _draw_rings(self) -> None:
        k = len(self._shown_means)
        if k == 0:
            self.ring_item.setData(np.zeros(0), np.zeros(0))
            return
        t = np.linspace(0.0, 2.0 * np.pi, RING_SEGMENTS + 1)
        visible = np.ones(k, dtype=bool)
        if self._removed:
            visible[list(self._removed)] = False
        c = self._shown_means[visible]
        r = RING_SIGMAS * self._shown_stds[visible]
        x = (c[:, 0:1] + r[:, None] * np.cos(t)[None, :]).ravel()
        y = (c[:, 1:2] + r[:, None] * np.sin(t)[None, :]).ravel()
        connect = np.ones((len(c), RING_SEGMENTS + 1), dtype=bool)
        connect[:, -1] = False
        self.ring_item.setData(x, y, connect=connect.ravel())

    def _set_adds(self, adds: list[tuple[float, float]]) -> None:
        super()._set_adds(adds)
        pts = np.asarray(adds, dtype=np.float64).reshape(-1, 2)
        self.ghost_item.setData(pos=pts)
