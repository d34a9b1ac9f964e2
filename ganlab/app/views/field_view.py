"""The hero view: the D(x) heatmap with the real and generated clouds and draggable mode markers.

It only reads Snapshots. `update_snapshot` is called 30-60 times a second from a GUI timer while
training competes for the GIL, so it does a handful of numpy-array hand-offs per frame: arrays go
straight to setData with one pen/brush per item, the image keeps fixed levels [0, 1], and the mode
markers are rebuilt only when the number of modes changes (moved only when a mode moved that the
user is not dragging).

The plot area is kept exactly the grid's shape (square for the presets) and framed to the grid,
with no empty bands: on every resize the plot's layout margins take up the spare width or height
(`_fit`), and the axes have fixed sizes so the frame does not move when tick labels change.

Editing the target (drag, add, remove, resize a mode) is the ModeEditor's (mode_editor.py): it only
emits signals, which the view passes on as its own; the owner applies the edit to the trainer, and
the next snapshot carries the new target. The push arrows and G's manifold are in overlays.py.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, Signal

from .. import style
from ..state import Layers
from ._items import HeatmapItem, PointCloudItem, ScaledPlotWidget, cache_axes, decorations, pixel_size
from .mode_editor import ModeEditor, ModeMarker
from .overlays import ManifoldLines, PushArrows

HOVER_PX = 7.0             # pick radius for hovering samples, in pixels
LEFT_AXIS = 34             # fixed axis sizes (pixels at scale 1): the frame never moves with the tick labels
BOTTOM_AXIS = 36


class FieldView(QtWidgets.QWidget):
    """D(x) heatmap, real and generated clouds, push arrows, G's manifold and draggable mode markers."""

    sigModeMoved = Signal(int, float, float)      # index, x, y (continuously while dragging)
    sigModeAdded = Signal(float, float)           # x, y (double-click on empty space)
    sigModeRemoved = Signal(int)                  # index (context menu "Remove mode")
    sigModeStdChanged = Signal(int, float)        # index, new std (menu "Wider"/"Narrower", wheel)

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._layers = Layers()
        self._snap = None
        self._grid = None
        self._heat_src = None          # the d_logits array drawn last (the same object until D is evaluated again)
        self._real_src = None          # the real array drawn last (the same object until the target changes)
        self._build_plot()
        self._build_heatmap()
        self._build_clouds()
        self._build_overlays()
        self._build_hover()
        self._build_modes()
        self.retranslate()
        self._apply_scale()
        self.set_layers(self._layers)  # apply the initial visibility
        self.view.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)

    def _build_plot(self) -> None:
        self.plot_widget = ScaledPlotWidget(background=style.BACKGROUND)
        self.plot_widget.setMinimumSize(200, 200)
        self.plot_widget.sigResized.connect(self._fit)
        self.plot_widget.setToolTip("")
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
        self._deco: tuple[float, float] | None = None   # (width, height) around the ViewBox: axes, bar, margins

    def _build_heatmap(self) -> None:
        """D(x) with its colour bar."""
        self.image = HeatmapItem(axisOrder="row-major")
        self.image.setZValue(-100)
        self.image.setLevels(style.D_LEVELS)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=style.D_LEVELS, colorMap=style.d_colormap(), interactive=False,
                                        width=14, pen=style.FOREGROUND)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        cache_axes(self.plot, self.colorbar)
        self._bar_text = ""
        self._critic = False
        self._image_rect_grid = None   # ImageItem.setRect needs an image: set after the first setImage

    def _build_clouds(self) -> None:
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

    def _build_overlays(self) -> None:
        self._push = PushArrows()
        self._manifold = ManifoldLines()
        self.push_item = self._push.item
        self.manifold_item = self._manifold.item
        self.plot.addItem(self.push_item)
        self.plot.addItem(self.manifold_item)

    def _build_hover(self) -> None:
        self.hover_text = pg.TextItem(anchor=(0.0, 1.0), color=style.FOREGROUND,
                                      fill=pg.mkBrush(255, 255, 255, 215), border=pg.mkPen(style.FOREGROUND))
        self.hover_text.setZValue(40)
        self.hover_text.hide()
        self.plot.addItem(self.hover_text, ignoreBounds=True)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.viewport().installEventFilter(self)

    def _build_modes(self) -> None:
        self.modes = ModeEditor(self.plot, self._show_hover, self._scale, self)
        self.modes.sigModeMoved.connect(self.sigModeMoved)
        self.modes.sigModeAdded.connect(self.sigModeAdded)
        self.modes.sigModeRemoved.connect(self.sigModeRemoved)
        self.modes.sigModeStdChanged.connect(self.sigModeStdChanged)
        self.ring_item = self.modes.ring_item
        self.mode_menu = self.modes.menu
        self.action_remove = self.modes.action_remove
        self.action_wider = self.modes.action_wider
        self.action_narrower = self.modes.action_narrower

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Show one Snapshot. Cheap: a few setData calls with the snapshot's own arrays."""
        self._snap = snap
        grid = snap.grid
        if grid is not self._grid and grid != self._grid:
            self._set_grid(grid)
        lay = self._layers
        if lay.heatmap:
            self._draw_heatmap(snap)
        if lay.real and snap.real is not self._real_src:   # the same array until the target changes
            self._set_real(snap)
        if lay.fake:
            self.fake_item.setData(pos=snap.fake)
        if lay.push:
            self._push.update(snap, self._grid)
        if lay.manifold:
            self._manifold.update(snap, self._grid)
        self.modes.sync(snap.target)

    def clear(self) -> None:
        """Forget the drawn frame (a reset, a loaded session): the next snapshot is drawn from scratch."""
        self._snap = None
        self._heat_src = None
        self._real_src = None
        self._push.clear()
        self._manifold.clear()
        self.modes.clear()
        self.hover_text.hide()

    def set_layers(self, layers: Layers) -> None:
        """Show or hide each layer; a layer shown again draws the last snapshot at once."""
        old, self._layers = self._layers, layers
        if self._snap is not None:
            for name in Layers.names():
                if getattr(layers, name) and not getattr(old, name):
                    self._redraw_layer(name, self._snap)
        self.image.setVisible(layers.heatmap)
        self.colorbar.setVisible(layers.heatmap)
        self.real_item.setVisible(layers.real)
        self.fake_item.setVisible(layers.fake)
        self.push_item.setVisible(layers.push)
        self.manifold_item.setVisible(layers.manifold)

    def layers(self) -> Layers:
        return self._layers

    def set_scale(self, scale: float) -> None:
        """Scale fonts, marker sizes and line widths (1.0 normal, ~1.6 presenter mode)."""
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    @property
    def markers(self) -> list[ModeMarker]:
        """The mode markers, one per mode of the target drawn (removed ones hidden until the next target)."""
        return self.modes.markers

    def shown_means(self) -> np.ndarray:
        """Mode centres as currently drawn (including a drag not yet in a snapshot)."""
        return self.modes.shown_means()

    def prepare_mode_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        return self.modes.prepare_menu(index)

    def reset_view(self) -> None:
        """Frame the snapshot grid again (after the user zoomed or panned)."""
        self._zoomed = False
        if self._grid is not None:
            g = self._grid
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

    def retranslate(self) -> None:
        """Set the texts that are not redrawn with each snapshot in the current language."""
        self.colorbar.setToolTip(QCoreApplication.translate(
            "FieldView", "D(x): the discriminator's probability that x is a real sample: purple = likely "
            "real, green = likely generated. 0.5 (white) means it cannot tell, which is where training "
            "should end."))
        self._style_colorbar()
        self.modes.retranslate()
        self.hover_text.hide()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ layout
    def _on_manual_range(self, *_):
        self._zoomed = True

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
        if g is not None and not self._zoomed:   # the user's zoom or pan holds until reset_view or a new grid
            self.view.setRange(xRange=(g.xmin, g.xmax), yRange=(g.ymin, g.ymax), padding=0)

    def _base_margins(self) -> tuple[float, float, float, float]:
        # room above for the top tick labels (of the y axis and of the colour bar), a little elsewhere
        s = self._scale
        return 4.0, round(0.9 * style.FONT_PT * s) + 2.0, 4.0, 2.0

    # ================================================================ drawing
    def _redraw_layer(self, name: str, snap) -> None:
        if name == "heatmap":
            self._draw_heatmap(snap)
        elif name == "real":
            self._set_real(snap)
        elif name == "fake":
            self.fake_item.setData(pos=snap.fake)
        elif name == "push":
            self._push.draw(snap, self._grid)
        elif name == "manifold":
            self._manifold.draw(snap, self._grid)

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
        labels = style.CRITIC_BAR_LABELS if self._critic else style.D_BAR_LABELS
        ticks = style.CRITIC_TICKS if self._critic else style.D_TICKS
        self._bar_text = style.style_colorbar(self.colorbar, labels, ticks, self._scale, length, "FieldView")

    # ================================================================ hover read-out
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
        if self.modes.is_dragging():
            return  # the drag shows the mode's read-out
        pt = self.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        i = self.modes.mode_at(x, y)
        if i >= 0:
            self.modes.show_readout(i)
            return
        snap = self._snap
        r = HOVER_PX * pixel_size(self.view)
        if snap is not None:
            if self._layers.fake:
                j = self._nearest(snap.fake, x, y, r)
                if j >= 0:
                    px, py = snap.fake[j]
                    self._show_hover(float(px), float(py), QCoreApplication.translate(
                        "FieldView", "generated  ({0:.3f}, {1:.3f})").format(float(px), float(py)))
                    return
            if self._layers.real:
                j = self._nearest(snap.real, x, y, r)
                if j >= 0:
                    px, py = snap.real[j]
                    self._show_hover(float(px), float(py), QCoreApplication.translate(
                        "FieldView", "real  ({0:.3f}, {1:.3f})").format(float(px), float(py)))
                    return
        self._show_hover(x, y, f"({x:.3f}, {y:.3f}){self._field_value_text(x, y)}")

    def _field_value_text(self, x: float, y: float) -> str:
        snap, g = self._snap, self._grid
        if snap is None or g is None or not self._layers.heatmap:
            return ""
        ix = int((x - g.xmin) / (g.xmax - g.xmin) * g.n)
        iy = int((y - g.ymin) / (g.ymax - g.ymin) * g.n)
        if not (0 <= ix < g.n and 0 <= iy < g.n):
            return ""
        if snap.d_prob is not None:
            return f"  D = {float(snap.d_prob[iy, ix]):.3f}"
        return QCoreApplication.translate("FieldView", "  critic = {0:.3g}").format(float(snap.d_logits[iy, ix]))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Leave:
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
        self._push.set_scale(s)
        self._manifold.set_scale(s)
        self.modes.set_scale(s)
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
