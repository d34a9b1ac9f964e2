"""The hero view: the D(x) heatmap with the real and generated clouds and draggable mode markers.

It only reads Snapshots. `update_snapshot` is called 30-60 times a second from a GUI timer while
training competes for the GIL, so it does a handful of numpy-array hand-offs per frame: arrays go
straight to setData with one pen/brush per item, the image keeps fixed levels [0, 1], and the mode
markers are rebuilt only when the number of modes changes (moved only when a mode moved that the
user is not dragging).

The plot area is kept exactly the grid's shape (square for the presets) and framed to the grid,
with no empty bands: on every resize the plot's layout margins take up the spare width or height
(`_fit`), and the axes have fixed sizes so the frame does not move when tick labels change.
Mode markers are hollow reticles (a white ring with a dark halo and four ticks) so a tight real
cloud under a marker stays visible.

Editing the target (drag, add, remove, resize a mode) only emits signals; the owner applies the edit
to the trainer, and the next snapshot carries the new target. Until it does, the view keeps showing
the user's edit (a dragged marker stays where it was dropped, a removed marker stays hidden), so
the interaction works the same whether training runs, is paused, or snapshots lag a few frames.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from .. import style
from ._items import HeatmapItem, PointCloudItem, ScaledPlotWidget, cache_axes, decorations

MAX_ARROWS = 300           # generator push arrows drawn at most
MAX_MANIFOLD_LINES = 25    # per direction, for a 2-D noise grid
PENDING_TIMEOUT_S = 1.5    # how long a local edit wins over snapshots that do not show it yet
HOVER_PX = 7.0             # pick radius for hovering samples, in pixels
STD_FACTOR = 1.25          # "Wider" / "Narrower" and one wheel notch
RING_SIGMAS = 2.0          # each mode's ring is drawn at this many stds
_RING_SEGMENTS = 40
# The target's std limits (ganlab.core.target.MIN_STD / MAX_STD), repeated here so that importing
# the views does not import torch (about 2 s) before the first window shows.
MIN_STD = 1e-3
MAX_STD = 10.0
MARKER_LINE = 1.6          # the marker's white line, and its dark halo (pixels at scale 1)
MARKER_HALO = 4.0
LEFT_AXIS = 34             # fixed axis sizes (pixels at scale 1): the frame never moves with the tick labels
BOTTOM_AXIS = 36

STALE_FRAMES = 10          # snapshots without push/manifold before their drawing is cleared
LAYERS = ("heatmap", "real", "fake", "push", "manifold")


RING_R = 0.30          # the marker's ring radius, as a fraction of its size
TICK_IN = 0.36         # the four ticks run from here to 0.5 (outside the ring, never over its inside)


def _marker_path() -> QtGui.QPainterPath:
    """A hollow reticle, size 1, centred at 0: a ring and four short ticks outside it.

    The ring is a closed subpath, so its inside belongs to the item's shape (it can be grabbed
    anywhere inside) while nothing is painted there: the real samples under it stay visible."""
    p = QtGui.QPainterPath()
    p.addEllipse(QtCore.QPointF(0.0, 0.0), RING_R, RING_R)
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        p.moveTo(TICK_IN * dx, TICK_IN * dy)
        p.lineTo(0.5 * dx, 0.5 * dy)
    return p


class ModeMarker(pg.TargetItem):
    """One draggable mode centre. Left-drag moves, right-click opens the mode menu, the wheel resizes.

    Drawn twice, a wide dark halo then a thin white line, so it reads over the pale heatmap and over
    both clouds; hovering turns the line yellow and tints the inside a little."""

    def __init__(self, owner: FieldView, index: int, x: float, y: float, scale: float):
        ps = style.point_scale(scale)    # the marker grows like the points, not like the text
        super().__init__(
            pos=(float(x), float(y)), size=style.point_size(style.MARKER_SIZE, scale), symbol=_marker_path(),
            pen=style.pen(style.MARKER_FILL, MARKER_LINE, ps), brush=QtGui.QBrush(Qt.BrushStyle.NoBrush),
            hoverPen=style.pen(style.MARKER_HOVER, MARKER_LINE, ps),
            hoverBrush=style.brush(style.MARKER_HOVER, alpha=70), movable=True)
        self.owner = owner
        self.index = index
        self.halo = style.pen(style.MARKER_EDGE, MARKER_HALO, ps)
        self._brect = (None, QtCore.QRectF())
        self.setZValue(30)
        # drawn into a pixmap once (antialiased, twice over) and blitted after that: moving the marker
        # or repainting the field under it does not draw it again, zooming does
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(QCoreApplication.translate(
            "FieldView", "Mode centre of p_data: drag to move it, wheel or right-click to change its std, "
            "right-click to remove it. Double-click empty space to add a mode."))

    def set_scale(self, scale: float) -> None:
        self.prepareGeometryChange()
        ps = style.point_scale(scale)
        self.scale = style.point_size(style.MARKER_SIZE, scale)
        self.halo = style.pen(style.MARKER_EDGE, MARKER_HALO, ps)
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
            self.owner._open_mode_menu(self.index, ev.screenPos())
            return
        super().mouseClickEvent(ev)

    def wheelEvent(self, ev):
        delta = ev.delta()
        if delta == 0:
            ev.ignore()
            return
        ev.accept()  # do not let the ViewBox zoom
        self.owner._wheel_mode(self.index, delta)


class FieldView(QtWidgets.QWidget):
    """D(x) heatmap, real and generated clouds, push arrows, G's manifold and draggable mode markers."""

    sigModeMoved = Signal(int, float, float)      # index, x, y (continuously while dragging)
    sigModeAdded = Signal(float, float)           # x, y (double-click on empty space)
    sigModeRemoved = Signal(int)                  # index (context menu "Remove mode")
    sigModeStdChanged = Signal(int, float)        # index, new std (menu "Wider"/"Narrower", wheel)

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._layers = {"heatmap": True, "real": True, "fake": True, "push": False, "manifold": False}

        self.plot_widget = ScaledPlotWidget(background=style.BACKGROUND)
        self.plot_widget.setMinimumSize(200, 200)
        self.plot_widget.sigResized.connect(self._fit)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        self.view: pg.ViewBox = self.plot.getViewBox()
        self.view.setAspectLocked(True, ratio=1.0)
        self.view.disableAutoRange()  # the range follows the snapshot's grid, not the (maybe diverged) clouds
        self._zoomed = False
        self.view.sigRangeChangedManually.connect(self._on_manual_range)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "y")
        self._bar_text = ""
        self._deco: tuple[float, float] | None = None   # (width, height) around the ViewBox: axes, bar, margins

        # D(x) heatmap with its colour bar
        self.image = HeatmapItem(axisOrder="row-major")
        self.image.setZValue(-100)
        self.image.setLevels(style.D_LEVELS)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=style.D_LEVELS, colorMap=style.d_colormap(), interactive=False,
                                        width=14, pen=style.FOREGROUND)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.colorbar.setToolTip(QCoreApplication.translate(
            "FieldView", "D(x): the discriminator's probability that x is a real sample: purple = likely "
            "real, green = likely generated. 0.5 (white) means it cannot tell, which is where training "
            "should end."))
        cache_axes(self.plot, self.colorbar)
        self._critic = False
        self._image_rect_grid = None   # ImageItem.setRect needs an image: set after the first setImage

        # clouds
        self.real_item = PointCloudItem(name="real (p_data)")
        # the real cloud changes only with the target: Qt keeps it as a pixmap and repaints it under every
        # frame of the generated cloud without calling Python (a drag renews the pixmap each frame)
        self.real_item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.fake_item = PointCloudItem(name="generated (p_g)")
        # the real points (small) over the generated ones (larger, outlined): where G has found a
        # mode, both show; the other way round a tight real cloud vanishes under the orange
        self.real_item.setZValue(12)
        self.fake_item.setZValue(10)
        self.plot.addItem(self.real_item)
        self.plot.addItem(self.fake_item)

        # generator push arrows and G's manifold
        self.push_item = pg.PlotCurveItem(connect="pairs")
        self.push_item.setZValue(14)
        self.manifold_item = pg.PlotCurveItem(connect="finite")
        self.manifold_item.setZValue(5)
        self.plot.addItem(self.push_item)
        self.plot.addItem(self.manifold_item)

        # mode rings (RING_SIGMAS * std) and markers
        self.ring_item = pg.PlotCurveItem()
        self.ring_item.setZValue(18)
        self.plot.addItem(self.ring_item)
        self.markers: list[ModeMarker] = []
        self._shown_means = np.zeros((0, 2))
        self._shown_stds = np.zeros(0)
        self._target = None
        self._pending_pos: dict[int, tuple[float, float, float]] = {}
        self._pending_std: dict[int, tuple[float, float]] = {}
        self._removed: set[int] = set()
        self._syncing = False

        # hover read-out
        self.hover_text = pg.TextItem(anchor=(0.0, 1.0), color=style.FOREGROUND,
                                      fill=pg.mkBrush(255, 255, 255, 215), border=pg.mkPen(style.FOREGROUND))
        self.hover_text.setZValue(40)
        self.hover_text.hide()
        self.plot.addItem(self.hover_text, ignoreBounds=True)

        self.mode_menu = QtWidgets.QMenu(self)
        self._menu_index = -1
        self.action_remove = self.mode_menu.addAction(QCoreApplication.translate("FieldView", "Remove mode"))
        self.action_wider = self.mode_menu.addAction(QCoreApplication.translate("FieldView", "Wider (std x 1.25)"))
        self.action_narrower = self.mode_menu.addAction(
            QCoreApplication.translate("FieldView", "Narrower (std / 1.25)"))
        self.action_remove.triggered.connect(self._menu_remove)
        self.action_wider.triggered.connect(lambda: self._change_std(self._menu_index, STD_FACTOR))
        self.action_narrower.triggered.connect(lambda: self._change_std(self._menu_index, 1.0 / STD_FACTOR))

        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.plot_widget.viewport().installEventFilter(self)

        self._snap = None
        self._grid = None
        self._arrow_idx: np.ndarray | None = None
        self._push_age = 0
        self._heat_src = None
        self._real_src = None
        self._manifold_age = 0
        self._manifold_key = None
        self._manifold_connect: np.ndarray | None = None
        self.plot_widget.setToolTip("")
        self._apply_scale()
        self.set_layers()  # apply the initial visibility
        self.view.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Show one Snapshot. Cheap: a few setData calls with the snapshot's own arrays."""
        self._snap = snap
        grid = snap.grid
        if grid is not self._grid and grid != self._grid:
            self._set_grid(grid)
        lay = self._layers
        if lay["heatmap"]:
            self._draw_heatmap(snap)
        if lay["real"] and snap.real is not self._real_src:   # the same array until the target changes
            self._set_real(snap)
        if lay["fake"]:
            self.fake_item.setData(pos=snap.fake)
        # push and manifold may be computed only every few snapshots: keep the last ones a few
        # frames instead of blinking, then clear them
        if lay["push"]:
            if snap.fake_push is not None or self._push_age >= STALE_FRAMES:
                self._draw_push(snap)
            else:
                self._push_age += 1
        if lay["manifold"]:
            if snap.manifold is not None or self._manifold_age >= STALE_FRAMES:
                self._draw_manifold(snap)
            else:
                self._manifold_age += 1
        self._sync_markers(snap.target)

    def set_layers(self, heatmap: bool | None = None, real: bool | None = None, fake: bool | None = None,
                   push: bool | None = None, manifold: bool | None = None) -> None:
        """Show or hide each layer; None leaves a layer as it is."""
        new = {"heatmap": heatmap, "real": real, "fake": fake, "push": push, "manifold": manifold}
        for name, on in new.items():
            if on is None:
                continue
            was = self._layers[name]
            self._layers[name] = bool(on)
            if bool(on) and not was and self._snap is not None:
                self._redraw_layer(name, self._snap)
        self.image.setVisible(self._layers["heatmap"])
        self.colorbar.setVisible(self._layers["heatmap"])
        self.real_item.setVisible(self._layers["real"])
        self.fake_item.setVisible(self._layers["fake"])
        self.push_item.setVisible(self._layers["push"])
        self.manifold_item.setVisible(self._layers["manifold"])

    def layers(self) -> dict[str, bool]:
        return dict(self._layers)

    def set_presenter(self, scale: float) -> None:
        """Scale fonts, marker sizes and line widths (1.0 normal, ~1.6 presenter mode)."""
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def presenter_scale(self) -> float:
        return self._scale

    def shown_means(self) -> np.ndarray:
        """Mode centres as currently drawn (including a drag not yet in a snapshot)."""
        return self._shown_means.copy()

    def is_dragging(self) -> bool:
        return any(m.moving for m in self.markers)

    def _on_manual_range(self, *_):
        self._zoomed = True

    def reset_view(self) -> None:
        """Frame the snapshot grid again (after the user zoomed or panned)."""
        self._zoomed = False
        if self._grid is not None:
            g = self._grid
            self.view.setRange(xRange=(g.xmin, g.xmax), yRange=(g.ymin, g.ymax), padding=0)

    # ================================================================ drawing
    def _set_grid(self, grid) -> None:
        old = self._grid
        self._grid = grid
        self._zoomed = False
        if old is None or not math.isclose(_aspect(old), _aspect(grid), rel_tol=1e-9):
            self._fit()
        self.view.setRange(xRange=(grid.xmin, grid.xmax), yRange=(grid.ymin, grid.ymax), padding=0)

    def _fit(self) -> None:
        """Make the ViewBox exactly the grid's shape, centred: layout margins take the spare room.

        The axes and the colour bar have fixed sizes (see _apply_scale), so the ViewBox is the only
        part that stretches; one measurement with the base margins tells how much room it has."""
        lay = self.plot.layout
        left, top, right, bottom = self._base_margins()
        lay.setContentsMargins(left, top, right, bottom)
        lay.activate()
        r = self.view.geometry()
        w, h = r.width(), r.height()
        if w < 2 or h < 2:
            return
        pr = self.plot.geometry()
        self._deco = (pr.width() - w, pr.height() - h)
        aspect = _aspect(self._grid) if self._grid is not None else 1.0
        ex_w, ex_h = (w - h * aspect, 0.0) if w > h * aspect else (0.0, h - w / aspect)
        lay.setContentsMargins(left + ex_w / 2, top + ex_h / 2, right + ex_w / 2, bottom + ex_h / 2)
        lay.activate()
        self._style_colorbar()
        g = self._grid
        if g is not None and not self._user_range():
            self.view.setRange(xRange=(g.xmin, g.xmax), yRange=(g.ymin, g.ymax), padding=0)

    def width_for_height(self, height: float) -> int:
        """The widget width at which a plot area of the grid's shape fills `height` with no spare room."""
        if self._deco is None:        # not laid out yet: measure the axes and the bar around the ViewBox now
            lay = self.plot.layout
            old = lay.contentsMargins()
            lay.setContentsMargins(*self._base_margins())
            left, top, right, bottom = decorations(self.plot)
            lay.setContentsMargins(old.left(), old.top(), old.right(), old.bottom())
            lay.activate()
            self._deco = (left + right, top + bottom)
        deco_w, deco_h = self._deco
        aspect = _aspect(self._grid) if self._grid is not None else 1.0
        return int(round(max(0.0, height - deco_h) * aspect + deco_w + 2))

    def _user_range(self) -> bool:
        """True after the user zoomed or panned (until reset_view or a new grid)."""
        return self._zoomed

    def _base_margins(self) -> tuple[float, float, float, float]:
        # room above for the top tick labels (of the y axis and of the colour bar), a little elsewhere
        s = self._scale
        return 4.0, round(0.9 * style.FONT_PT * s) + 2.0, 4.0, 2.0

    def _redraw_layer(self, name: str, snap) -> None:
        if name == "heatmap":
            self._draw_heatmap(snap)
        elif name == "real":
            self._set_real(snap)
        elif name == "fake":
            self.fake_item.setData(pos=snap.fake)
        elif name == "push":
            self._draw_push(snap)
        elif name == "manifold":
            self._draw_manifold(snap)

    def _set_real(self, snap) -> None:
        self._real_src = snap.real
        self.real_item.setData(pos=snap.real)

    def _draw_heatmap(self, snap) -> None:
        src = snap.d_logits  # the same array object until the worker evaluates D again
        if src is self._heat_src and self._image_rect_grid is self._grid:
            return
        self._heat_src = src
        d = snap.d_prob
        critic = d is None
        if critic != self._critic:
            self._critic = critic
            self._style_colorbar()
        img = style.critic_to_unit(snap.d_logits) if critic else d
        self.image.setImage(img, autoLevels=False)
        if self._image_rect_grid is not self._grid:
            self._image_rect_grid = self._grid
            g = self._grid
            self.image.setRect(QtCore.QRectF(g.xmin, g.ymin, g.xmax - g.xmin, g.ymax - g.ymin))

    def _style_colorbar(self) -> None:
        length = self.view.height() if self.view.height() > 20 else None
        if self._critic:
            text = style.style_colorbar(self.colorbar, style.CRITIC_BAR_LABELS, style.CRITIC_TICKS, self._scale,
                                        length, "FieldView")
        else:
            text = style.style_colorbar(self.colorbar, style.D_BAR_LABELS, style.D_TICKS, self._scale, length,
                                        "FieldView")
        self._bar_text = text

    def _draw_push(self, snap) -> None:
        self._push_age = 0
        v, p = snap.fake_push, snap.fake
        if v is None or p is None or len(v) == 0 or len(v) != len(p):
            self.push_item.setData(np.zeros(0), np.zeros(0))
            return
        n = len(p)
        if self._arrow_idx is None or len(self._arrow_idx) != min(n, MAX_ARROWS) or self._arrow_idx[-1] >= n:
            self._arrow_idx = np.unique(np.linspace(0, n - 1, min(n, MAX_ARROWS)).astype(np.intp))
        idx = self._arrow_idx
        pts = p[idx].astype(np.float64)
        vec = v[idx].astype(np.float64)
        norms = np.hypot(vec[:, 0], vec[:, 1])
        ok = np.isfinite(norms) & np.isfinite(pts).all(axis=1) & (norms > 0)
        if not ok.any():
            self.push_item.setData(np.zeros(0), np.zeros(0))
            return
        pts, vec, norms = pts[ok], vec[ok], norms[ok]
        g = self._grid
        full = 0.07 * ((g.xmax - g.xmin) if g is not None else 6.0)   # a typical arrow: 7% of the box
        ref = float(np.percentile(norms, 90))
        lengths = np.minimum(norms * (full / ref), 1.5 * full)
        d = vec / norms[:, None]
        end = pts + d * lengths[:, None]
        head = (0.3 * lengths)[:, None]
        c, s = math.cos(math.radians(25.0)), math.sin(math.radians(25.0))
        w1 = np.column_stack([d[:, 0] * c - d[:, 1] * s, d[:, 0] * s + d[:, 1] * c])
        w2 = np.column_stack([d[:, 0] * c + d[:, 1] * s, -d[:, 0] * s + d[:, 1] * c])
        seg = np.empty((len(pts), 6, 2))
        seg[:, 0] = pts
        seg[:, 1] = end
        seg[:, 2] = end
        seg[:, 3] = end - head * w1
        seg[:, 4] = end
        seg[:, 5] = end - head * w2
        self.push_item.setData(seg[:, :, 0].ravel(), seg[:, :, 1].ravel())

    def _draw_manifold(self, snap) -> None:
        self._manifold_age = 0
        m = snap.manifold
        if m is None or m.size == 0:
            self.manifold_item.setData(np.zeros(0), np.zeros(0))
            return
        if m.ndim == 2:  # 1-D noise: one polyline
            xy = m
            key = ("line", len(m))
            if key != self._manifold_key:
                self._manifold_key = key
                self._manifold_connect = None
            connect = "finite"
        else:  # 2-D noise: rows and columns of the noise grid as separate lines
            rows, cols = m.shape[0], m.shape[1]
            sr = max(1, math.ceil(rows / MAX_MANIFOLD_LINES))
            sc = max(1, math.ceil(cols / MAX_MANIFOLD_LINES))
            a = m[::sr]                                   # (R', cols, 2): lines along the columns index
            b = m[:, ::sc].transpose(1, 0, 2)             # (C', rows, 2): lines along the rows index
            xy = np.concatenate([a.reshape(-1, 2), b.reshape(-1, 2)])
            key = ("grid", rows, cols)
            if key != self._manifold_key:
                conn_a = np.ones(a.shape[:2], dtype=bool)
                conn_a[:, -1] = False
                conn_b = np.ones(b.shape[:2], dtype=bool)
                conn_b[:, -1] = False
                self._manifold_key = key
                self._manifold_connect = np.concatenate([conn_a.ravel(), conn_b.ravel()])
            connect = self._manifold_connect
            bad = ~np.isfinite(xy).all(axis=1)
            if bad.any():  # break the lines at non-finite points instead of drawing garbage
                connect = connect & ~bad & ~np.roll(bad, -1)
                xy = np.where(bad[:, None], 0.0, xy)
        self.manifold_item.setData(xy[:, 0], xy[:, 1], connect=connect)

    # ================================================================ markers
    def _sync_markers(self, target) -> None:
        """Follow the snapshot's target without fighting a drag or an edit not yet in a snapshot."""
        if target is self._target and not self._pending_pos and not self._pending_std:
            return
        means = np.asarray(target.means, dtype=np.float64)
        stds = np.asarray(target.stds, dtype=np.float64)
        dragging = self.is_dragging()
        # a new mode count, or any new target after a removal (indices shift), rebuilds the markers
        if len(means) != len(self.markers) or (self._removed and target is not self._target):
            if dragging:
                return  # rebuild after the drop; self._target stays old so we come back
            self._rebuild_markers(means, stds)
            self._target = target
            return
        self._target = target
        now = time.monotonic()
        changed = False
        diff = np.flatnonzero(np.any(means != self._shown_means, axis=1))
        for i in diff:
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
        if changed:
            self._draw_rings()

    def _rebuild_markers(self, means: np.ndarray, stds: np.ndarray) -> None:
        for m in self.markers:
            self.plot.removeItem(m)
        self.markers = []
        self._pending_pos.clear()
        self._pending_std.clear()
        self._removed.clear()
        for i, (x, y) in enumerate(means):
            m = ModeMarker(self, i, x, y, self._scale)
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
        t = np.linspace(0.0, 2.0 * np.pi, _RING_SEGMENTS + 1)
        visible = np.ones(k, dtype=bool)
        if self._removed:
            visible[list(self._removed)] = False
        c = self._shown_means[visible]
        r = RING_SIGMAS * self._shown_stds[visible]
        x = (c[:, 0:1] + r[:, None] * np.cos(t)[None, :]).ravel()
        y = (c[:, 1:2] + r[:, None] * np.sin(t)[None, :]).ravel()
        connect = np.ones((len(c), _RING_SEGMENTS + 1), dtype=bool)
        connect[:, -1] = False
        self.ring_item.setData(x, y, connect=connect.ravel())

    def _emit_index(self, i: int) -> int:
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
        self._show_hover(x, y, self._mode_text(i, x, y))
        self.sigModeMoved.emit(self._emit_index(i), x, y)

    def _on_marker_dropped(self, marker: ModeMarker) -> None:
        i = marker.index
        x, y = self._shown_means[i]
        self._pending_pos[i] = (float(x), float(y), time.monotonic() + PENDING_TIMEOUT_S)

    def _open_mode_menu(self, index: int, screen_pos) -> None:
        self.prepare_mode_menu(index)
        self.mode_menu.popup(QtCore.QPoint(int(screen_pos.x()), int(screen_pos.y())))

    def prepare_mode_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        self._menu_index = index
        n_visible = len(self.markers) - len(self._removed)
        self.action_remove.setEnabled(n_visible > 1)
        self.action_remove.setToolTip("" if n_visible > 1 else "a target needs at least one mode")
        return self.mode_menu

    def _menu_remove(self) -> None:
        i = self._menu_index
        if not 0 <= i < len(self.markers) or i in self._removed:
            return
        if len(self.markers) - len(self._removed) <= 1:
            return
        j = self._emit_index(i)
        self._removed.add(i)
        self.markers[i].hide()
        self._draw_rings()
        self.sigModeRemoved.emit(j)

    def _wheel_mode(self, index: int, delta: int) -> None:
        self._change_std(index, STD_FACTOR ** (delta / 120.0))

    def _change_std(self, index: int, factor: float) -> None:
        if not 0 <= index < len(self.markers) or index in self._removed:
            return
        new = float(min(max(self._shown_stds[index] * factor, MIN_STD), MAX_STD))
        self._shown_stds[index] = new
        self._pending_std[index] = (new, time.monotonic() + PENDING_TIMEOUT_S)
        self._draw_rings()
        x, y = self._shown_means[index]
        self._show_hover(float(x), float(y), self._mode_text(index, float(x), float(y)))
        self.sigModeStdChanged.emit(self._emit_index(index), new)

    # ================================================================ mouse
    def _pixel_radius(self) -> float:
        sx, sy = self.view.viewPixelSize()
        return max(abs(sx), abs(sy))

    def _mode_at(self, x: float, y: float) -> int:
        """Index of the visible marker under (x, y), or -1."""
        if len(self._shown_means) == 0:
            return -1
        r = 0.5 * style.point_size(style.MARKER_SIZE, self._scale) * self._pixel_radius()
        d2 = (self._shown_means[:, 0] - x) ** 2 + (self._shown_means[:, 1] - y) ** 2
        if self._removed:
            d2[list(self._removed)] = np.inf
        i = int(np.argmin(d2))
        return i if d2[i] <= r * r else -1

    def _mode_text(self, i: int, x: float, y: float) -> str:
        return QCoreApplication.translate("FieldView", "mode {0}  ({1:.3f}, {2:.3f})  std {3:.3g}").format(
            i, x, y, float(self._shown_stds[i]))

    def _show_hover(self, x: float, y: float, text: str) -> None:
        self.hover_text.setText(text)
        self.hover_text.setPos(x, y)
        self.hover_text.show()

    @staticmethod
    def _nearest(points: np.ndarray | None, x: float, y: float, r: float) -> int:
        if points is None or len(points) == 0:
            return -1
        d2 = (points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2
        i = int(np.argmin(d2))
        return i if d2[i] <= r * r else -1

    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.view.sceneBoundingRect().contains(scene_pos):
            self.hover_text.hide()
            return
        for m in self.markers:
            if m.moving:
                return  # the drag handler shows the mode's read-out
        pt = self.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        i = self._mode_at(x, y)
        if i >= 0:
            mx, my = self._shown_means[i]
            self._show_hover(float(mx), float(my), self._mode_text(i, float(mx), float(my)))
            return
        snap = self._snap
        r = HOVER_PX * self._pixel_radius()
        if snap is not None:
            if self._layers["fake"]:
                j = self._nearest(snap.fake, x, y, r)
                if j >= 0:
                    px, py = snap.fake[j]
                    self._show_hover(float(px), float(py), QCoreApplication.translate(
                        "FieldView", "generated  ({0:.3f}, {1:.3f})").format(float(px), float(py)))
                    return
            if self._layers["real"]:
                j = self._nearest(snap.real, x, y, r)
                if j >= 0:
                    px, py = snap.real[j]
                    self._show_hover(float(px), float(py), QCoreApplication.translate(
                        "FieldView", "real  ({0:.3f}, {1:.3f})").format(float(px), float(py)))
                    return
        self._show_hover(x, y, f"({x:.3f}, {y:.3f}){self._field_value_text(x, y)}")

    def _field_value_text(self, x: float, y: float) -> str:
        snap, g = self._snap, self._grid
        if snap is None or g is None or not self._layers["heatmap"]:
            return ""
        ix = int((x - g.xmin) / (g.xmax - g.xmin) * g.n)
        iy = int((y - g.ymin) / (g.ymax - g.ymin) * g.n)
        if not (0 <= ix < g.n and 0 <= iy < g.n):
            return ""
        if snap.d_prob is not None:
            return f"  D = {float(snap.d_prob[iy, ix]):.3f}"
        return QCoreApplication.translate("FieldView", "  critic = {0:.3g}").format(float(snap.d_logits[iy, ix]))

    def _on_mouse_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton:
            return
        scene_pos = ev.scenePos()
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return
        pt = self.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        if self._mode_at(x, y) >= 0:
            return  # on a marker: not empty space
        ev.accept()
        self.sigModeAdded.emit(x, y)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.Leave:
            self.hover_text.hide()
        return False

    # ================================================================ presenter scale
    def _apply_scale(self) -> None:
        s = self._scale
        ps = style.point_scale(s)   # points grow more slowly than lines and text: no blob on a projector
        self.real_item.setSize(style.point_size(style.REAL_SIZE, s))
        self.real_item.setPen(style.pen(style.REAL_EDGE, 0.6, ps, alpha=170))
        self.real_item.setBrush(style.brush(style.REAL))
        self.fake_item.setSize(style.point_size(style.FAKE_SIZE, s))
        self.fake_item.setPen(style.pen(style.FAKE_EDGE, 1.0, ps))
        self.fake_item.setBrush(style.brush(style.FAKE))
        self.push_item.setPen(style.pen(style.PUSH, style.PUSH_WIDTH, s))
        self.manifold_item.setPen(style.pen(style.MANIFOLD, style.MANIFOLD_WIDTH, s))   # opaque: alpha is slow
        self.ring_item.setPen(style.pen(style.MARKER_EDGE, style.RING_WIDTH, s, alpha=150))
        for m in self.markers:
            m.set_scale(s)
        style.style_axes(self.plot, s)
        self.plot.getAxis("left").setWidth(int(round(LEFT_AXIS * s)))
        self.plot.getAxis("bottom").setHeight(int(round(BOTTOM_AXIS * s)))
        self.colorbar.axis.setWidth(int(round(30 * s)))        # tick labels 0 / 0.5 / 1 or -max / +max
        self.colorbar.getAxis("left").setWidth(int(round(2.2 * style.FONT_PT * s)))   # the rotated title
        self._style_colorbar()
        self.hover_text.setFont(style.font(s))
        self._deco = None
        self._fit()


def _aspect(grid) -> float:
    return (grid.xmax - grid.xmin) / (grid.ymax - grid.ymin)
