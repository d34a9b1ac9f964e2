"""Editing the target on the field: draggable mode markers, their rings, and the mode menu.

`ModeEditor` keeps the markers in step with the snapshots' target and turns the user's edits into
signals: drag a marker (sigModeMoved, continuously), double-click empty space (sigModeAdded), the
context menu's "Remove mode" (sigModeRemoved) and "Wider" / "Narrower" or the wheel over a marker
(sigModeStdChanged). The owner applies an edit to the trainer, and a later snapshot carries the new
target. Until it does, the editor keeps showing the user's edit (a dragged marker stays where it was
dropped, a removed marker stays hidden, a new std shows in its ring) for up to PENDING_TIMEOUT_S,
so the interaction works the same whether training runs, is paused, or snapshots lag a few frames.
Indices in the signals are those of the target the owner holds, after removals not yet in a snapshot.
An added mode shows at once as a small ghost dot until a snapshot carries it (the owner's count of modes
is what the editor shows plus those ghosts: `owner_count`, which the brush needs for its modes' indices).
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
from PySide6.QtCore import QCoreApplication, Qt, Signal

from ...core.target import MAX_MODES, MAX_STD, MIN_STD
from .. import style
from ._items import PointCloudItem, pixel_size

PENDING_TIMEOUT_S = 1.5    # how long a local edit wins over snapshots that do not show it yet
STD_FACTOR = 1.25          # "Wider" / "Narrower" and one wheel notch
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


class ModeMarker(pg.TargetItem):
    """One draggable mode centre. Left-drag moves, right-click opens the mode menu, the wheel resizes.

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
        ev.accept()  # do not let the ViewBox zoom
        self.editor.wheel(self.index, delta)


class ModeEditor(QtCore.QObject):
    """The markers and rings of the target's modes on a plot, the mode menu, and the edits as signals.

    `readout(x, y, text)` shows a mode's position and std next to it while it is dragged or resized."""

    sigModeMoved = Signal(int, float, float)      # index, x, y (continuously while dragging)
    sigModeAdded = Signal(float, float)           # x, y (double-click on empty space)
    sigModeRemoved = Signal(int)                  # index (context menu "Remove mode")
    sigModeStdChanged = Signal(int, float)        # index, new std (menu "Wider"/"Narrower", wheel)
    sigFull = Signal()                            # an add was refused: the target has MAX_MODES modes

    def __init__(self, plot: pg.PlotItem, readout: Callable[[float, float, str], None], scale: float,
                 parent: QtWidgets.QWidget):
        super().__init__(parent)
        self.plot = plot
        self.view: pg.ViewBox = plot.getViewBox()
        self._readout = readout
        self._scale = scale
        self.ring_item = pg.PlotCurveItem()     # every mode's ring (RING_SIGMAS * std), one curve
        self.ring_item.setZValue(18)
        plot.addItem(self.ring_item)
        self.markers: list[ModeMarker] = []
        self._shown_means = np.zeros((0, 2))
        self._shown_stds = np.zeros(0)
        self._target = None
        self._pending_pos: dict[int, tuple[float, float, float]] = {}   # index -> x, y, until (monotonic s)
        self._pending_std: dict[int, tuple[float, float]] = {}          # index -> std, until
        self._removed: set[int] = set()
        self._adds: list[tuple[float, float]] = []   # modes added but not yet in a snapshot (oldest first)
        self._adds_until = 0.0
        self.ghost_item = PointCloudItem()
        self.ghost_item.setZValue(29)
        plot.addItem(self.ghost_item, ignoreBounds=True)
        self.max_modes = MAX_MODES                   # the target's limit (core/target.py)
        self.locked = False                          # the brush is on: markers do not move
        self.stroking = False                        # a brush stroke is under way: no rebuild until it ends
        self._syncing = False
        self._build_menu(parent)
        plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.set_scale(scale)

    def _build_menu(self, parent: QtWidgets.QWidget) -> None:
        self.menu = QtWidgets.QMenu(parent)
        self._menu_index = -1
        self.action_title = self.menu.addAction("")   # names the mode; disabled, only a heading
        self.action_title.setEnabled(False)
        bold = self.action_title.font()
        bold.setBold(True)
        self.action_title.setFont(bold)
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
            self._set_adds([])   # the owner never showed them (refused): stop promising them
        means = np.asarray(target.means, dtype=np.float64)
        stds = np.asarray(target.stds, dtype=np.float64)
        # a new mode count, or any new target after a removal (indices shift), rebuilds the markers
        if len(means) != len(self.markers) or (self._removed and target is not self._target):
            if self.is_dragging():
                return  # rebuild after the drop (or the stroke); self._target stays old so we come back
            grown = len(means) - len(self.visible())
            if grown > 0 and self._adds:
                self._set_adds(self._adds[grown:])   # these adds are in the snapshot now
            self._rebuild(means, stds)
            self._target = target
            return
        self._target = target
        changed = self._follow_means(means, now)
        changed = self._follow_stds(stds, now) or changed
        if changed:
            self._draw_rings()

    def clear(self) -> None:
        """Forget the markers and every edit not yet in a snapshot: the next target is drawn from scratch."""
        self._rebuild(np.zeros((0, 2)), np.zeros(0))
        self._set_adds([])
        self._target = None

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.ring_item.setPen(style.pen(style.MARKER_EDGE, style.RING_WIDTH, scale, alpha=150))
        for m in self.markers:
            m.set_scale(scale)
        self.ghost_item.setSize(style.point_size(GHOST_SIZE, scale))
        self.ghost_item.setPen(marker_halo(style.point_scale(scale)))
        self.ghost_item.setBrush(style.brush(style.MARKER_FILL))

    def set_locked(self, locked: bool) -> None:
        """Markers do not move while locked (the brush is on): a drag that starts on one draws instead."""
        self.locked = locked
        for m in self.markers:
            m.movable = not locked

    def owner_count(self) -> int:
        """How many modes the owner's target has now: those shown, less removals, plus adds not yet shown."""
        return len(self.visible()) + len(self._adds)

    def add_mode(self, x: float, y: float, std: float | None = None) -> bool:
        """Ask the owner for a new mode at (x, y) (with `std`, else the owner's default); False when the
        target is full (max_modes), and then nothing is sent."""
        index = self.owner_count()
        if index >= self.max_modes:
            return False
        self.sigModeAdded.emit(float(x), float(y))
        if std is not None:
            self.sigModeStdChanged.emit(index, float(min(max(std, MIN_STD), MAX_STD)))
        self._adds_until = time.monotonic() + PENDING_TIMEOUT_S
        self._set_adds([*self._adds, (float(x), float(y))])
        return True

    def retranslate(self) -> None:
        self._title_menu(self._menu_index)
        self.action_remove.setText(QCoreApplication.translate("FieldView", "Remove mode"))
        self.action_wider.setText(QCoreApplication.translate("FieldView", "Wider (std x 1.25)"))
        self.action_narrower.setText(QCoreApplication.translate("FieldView", "Narrower (std / 1.25)"))
        tip = _marker_tooltip()
        for m in self.markers:
            m.setToolTip(tip)

    def shown_means(self) -> np.ndarray:
        """Mode centres as currently drawn (including a drag not yet in a snapshot)."""
        return self._shown_means.copy()

    def shown_stds(self) -> np.ndarray:
        """Mode stds as currently drawn (including a change not yet in a snapshot)."""
        return self._shown_stds.copy()

    def visible(self) -> list[int]:
        """Indices of the markers shown: all but those removed by the user and not yet rebuilt."""
        return [i for i in range(len(self.markers)) if i not in self._removed]

    def is_dragging(self) -> bool:
        """A marker is dragged or a brush stroke is under way: the markers are not rebuilt now. (A stroke
        counts while it lays modes: one whose end never came does not freeze the markers.)"""
        stroke = self.stroking and time.monotonic() < self._adds_until
        return stroke or any(m.moving for m in self.markers)

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
        self._menu_index = index
        self._title_menu(index)
        n_visible = len(self.markers) - len(self._removed)
        self.action_remove.setEnabled(n_visible > 1)
        self.action_remove.setToolTip("" if n_visible > 1 else "a target needs at least one mode")
        return self.menu

    def _title_menu(self, index: int) -> None:
        """Name the mode in the menu's first (disabled) entry: which mode the actions below act on."""
        if not 0 <= index < len(self._shown_means):
            self.action_title.setText("")
            return
        x, y = (float(v) for v in self._shown_means[index])
        text = QCoreApplication.translate("FieldView", "mode {0} at ({1:.2f}, {2:.2f}), std {3:.3g}").format(
            index + 1, x, y, float(self._shown_stds[index]))
        self.action_title.setText(text)
        self.menu.setTitle(text)

    def open_menu(self, index: int, screen_pos) -> None:
        self.prepare_menu(index)
        self.menu.popup(QtCore.QPoint(int(screen_pos.x()), int(screen_pos.y())))

    def wheel(self, index: int, delta: int) -> None:
        """The wheel over marker `index`: its std times STD_FACTOR per notch (120 units) up, divided down."""
        self._change_std(index, STD_FACTOR ** (delta / 120.0))

    # ================================================================ following the target
    def _follow_means(self, means: np.ndarray, now: float) -> bool:
        changed = False
        for i in np.flatnonzero(np.any(means != self._shown_means, axis=1)):
            i = int(i)
            marker = self.markers[i]
            if marker.moving:
                continue
            pend = self._pending_pos.get(i)
            if pend is not None:
                if np.allclose(means[i], pend[:2], rtol=0, atol=1e-9) or now > pend[2]:
                    del self._pending_pos[i]
                else:
                    continue
            self._syncing = True
            try:
                marker.setPos(float(means[i, 0]), float(means[i, 1]))
            finally:
                self._syncing = False
            self._shown_means[i] = means[i]
            changed = True
        for i in list(self._pending_pos):
            if i >= len(means) or np.allclose(means[i], self._pending_pos[i][:2], rtol=0, atol=1e-9):
                self._pending_pos.pop(i, None)
        return changed

    def _follow_stds(self, stds: np.ndarray, now: float) -> bool:
        changed = False
        for i in np.flatnonzero(stds != self._shown_stds):
            i = int(i)
            pend = self._pending_std.get(i)
            if pend is not None:
                if abs(stds[i] - pend[0]) <= 1e-12 * max(1.0, pend[0]) or now > pend[1]:
                    del self._pending_std[i]
                else:
                    continue
            self._shown_stds[i] = stds[i]
            changed = True
        for i in list(self._pending_std):
            if i >= len(stds) or abs(stds[i] - self._pending_std[i][0]) <= 1e-12 * max(1.0, stds[i]):
                self._pending_std.pop(i, None)
        return changed

    def _rebuild(self, means: np.ndarray, stds: np.ndarray) -> None:
        for m in self.markers:
            self.plot.removeItem(m)
        self.markers = []
        self._pending_pos.clear()
        self._pending_std.clear()
        self._removed.clear()
        for i, (x, y) in enumerate(means):
            m = ModeMarker(self, i, x, y, self._scale)
            m.movable = not self.locked
            m.sigPositionChanged.connect(self._on_marker_moved)
            m.sigPositionChangeFinished.connect(self._on_marker_dropped)
            self.plot.addItem(m, ignoreBounds=True)
            self.markers.append(m)
        self._shown_means = means.copy()
        self._shown_stds = stds.copy()
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
        self._adds = adds
        pts = np.asarray(adds, dtype=np.float64).reshape(-1, 2)
        self.ghost_item.setData(pos=pts)

    # ================================================================ edits
    def _owner_index(self, i: int) -> int:
        """Index of marker i in the target the owner holds now (after removals not yet in a snapshot)."""
        return i - sum(1 for r in self._removed if r < i)

    def _on_marker_moved(self, marker: ModeMarker) -> None:
        if self._syncing or not marker.moving:
            return
        pos = marker.pos()
        x, y = float(pos.x()), float(pos.y())
        i = marker.index
        self._shown_means[i] = (x, y)
        self._pending_pos[i] = (x, y, time.monotonic() + PENDING_TIMEOUT_S)
        self._draw_rings()
        self.show_readout(i)
        self.sigModeMoved.emit(self._owner_index(i), x, y)

    def _on_marker_dropped(self, marker: ModeMarker) -> None:
        i = marker.index
        x, y = self._shown_means[i]
        self._pending_pos[i] = (float(x), float(y), time.monotonic() + PENDING_TIMEOUT_S)

    def _menu_remove(self) -> None:
        i = self._menu_index
        if not 0 <= i < len(self.markers) or i in self._removed:
            return
        if len(self.markers) - len(self._removed) <= 1:
            return
        j = self._owner_index(i)
        self._removed.add(i)
        self.markers[i].hide()
        self._draw_rings()
        self.sigModeRemoved.emit(j)

    def _change_std(self, index: int, factor: float) -> None:
        if not 0 <= index < len(self.markers) or index in self._removed:
            return
        new = float(min(max(self._shown_stds[index] * factor, MIN_STD), MAX_STD))
        self._shown_stds[index] = new
        self._pending_std[index] = (new, time.monotonic() + PENDING_TIMEOUT_S)
        self._draw_rings()
        self.show_readout(index)
        self.sigModeStdChanged.emit(self._owner_index(index), new)

    def _on_mouse_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton or ev.isAccepted() or self.locked:
            return  # (locked: the brush's click already laid a mode there)
        scene_pos = ev.scenePos()
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return
        pt = self.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        if self.mode_at(x, y) >= 0:
            return  # on a marker: not empty space
        ev.accept()
        if not self.add_mode(x, y):
            self.sigFull.emit()
