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
the next snapshot carries the new target. The brush (brush.py) draws modes along a stroke through the
same signals, bracketed by sigStrokeStarted / sigStrokeFinished (one undo step a stroke). The push arrows
and G's manifold are in overlays.py, the hover read-out in hover.py, the legend under the plot in
legend.py, and Fit with the count of generated samples off view in range_fit.py; the Fit / Brush /
Legend actions and their buttons are field_tools.py's.

Draw order, bottom to top: D(x), G's manifold, the real cloud, the generated cloud (translucent fill,
opaque rim: the real cloud shows through, and a well-trained G is seen on the data, not hidden under
it), push arrows, mode rings, markers (hollow, translucent halo), then the read-out and the boxes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, Signal

from .. import style
from ..state import Layers
from . import range_fit
from ._items import HeatmapItem, PointCloudItem, ScaledPlotWidget, cache_axes, decorations
from .brush import Brush, FieldViewBox
from .field_tools import FieldTools
from .hover import HoverReadout
from .legend import FieldLegend
from .mode_editor import ModeEditor, ModeMarker
from .mode_handles import ModeView
from .overlays import ManifoldLines, PushArrows
from .theory_text import critic_ticks

LEGEND_ROW = 4             # the legend's row in the PlotItem's layout (below the bottom axis, row 3)
LEFT_AXIS = 34             # fixed axis sizes (pixels at scale 1): the frame never moves with the tick labels
BOTTOM_AXIS = 36


class FieldView(ModeView):
    """D(x) heatmap, real and generated clouds, push arrows, G's manifold and draggable mode markers.

    The mode signals (sigModeMoved, sigModeAdded, sigModeRemoved, sigModeStdChanged), the menu's actions,
    shown_means and prepare_mode_menu are ModeView's, passed on from the ModeEditor (`modes`)."""

    sigStrokeStarted = Signal()                   # a brush stroke begins: its adds are one edit ...
    sigStrokeFinished = Signal(int)               # ... which ends here (modes laid)

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
        self._build_aids()
        self.retranslate()
        self._apply_scale()
        self.set_layers(self._layers)  # apply the initial visibility
        self.view.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)

    def _build_plot(self) -> None:
        self.plot_widget = ScaledPlotWidget(background=style.BACKGROUND, viewBox=FieldViewBox())
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
        self._refit = False   # a new grid's shape differs: fit the ViewBox to it when it is framed
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
        self._bar_ticks = style.D_TICKS     # the critic's round values (theory_text.critic_ticks) under WGAN-GP
        self._image_rect_grid = None   # ImageItem.setRect needs an image: set after the first setImage

    def _build_clouds(self) -> None:
        self.real_item = PointCloudItem(name="real (p_data)")
        # the real cloud changes only with the target: Qt keeps it as a pixmap and repaints it under every
        # frame of the generated cloud without calling Python (a drag renews the pixmap each frame)
        self.real_item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.fake_item = PointCloudItem(name="generated (p_g)")
        # the generated points (larger, translucent fill, opaque dark rim) over the real ones: where G has
        # found a mode both show; with the real cloud on top a well-trained G vanished under the blue
        self.real_item.setZValue(10)
        self.fake_item.setZValue(12)
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
        self.hover = HoverReadout(self)
        self.hover_text = self.hover.text
        self.plot_widget.viewport().installEventFilter(self)

    def _build_modes(self) -> None:
        self._use_modes(ModeEditor(self.plot, self.hover.show, self._scale, self))
        self.ring_item = self.modes.ring_item

    def _build_aids(self) -> None:
        """The legend, the Fit / Brush / Legend tools with the off-view count and notices, the brush."""
        self.legend = FieldLegend(self._scale)
        self.plot.layout.addItem(self.legend, LEGEND_ROW, 0, 1, 6)   # under the bottom axis, the plot's width
        self._fit_on = False
        self.tools = FieldTools(self)
        self.off_view_box, self.notice_box = self.tools.off_view_box, self.tools.notice_box
        self.action_fit, self.action_brush = self.tools.action_fit, self.tools.action_brush
        self.action_legend = self.tools.action_legend
        self.sigStrokeFinished.connect(lambda _laid: self._on_mode_dropped())   # a stroke also held the range
        self.brush = Brush(self.view, self.modes, self.sigStrokeStarted.emit, self.sigStrokeFinished.emit,
                           self.tools.say_full)
        self.modes.sigFull.connect(self.tools.say_full)
        self.action_fit.toggled.connect(self.set_fit)
        self.action_brush.toggled.connect(self.set_brush)
        self.action_legend.toggled.connect(self.set_legend)

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Show one Snapshot. Cheap: a few setData calls with the snapshot's own arrays."""
        self._snap = snap
        grid = snap.grid
        if grid is not self._grid and grid != self._grid:
            self._set_grid(grid)
        elif self._reframe:
            self._frame_grid_held()
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
        if self._fit_on and not self._zoomed and not self.modes.is_dragging():
            self._follow_fit(snap)
        self.tools.count_off_view()
        self.hover.refresh()   # the mouse stands still while the samples and D change under it

    def clear(self) -> None:
        """Forget the drawn frame (a reset, a loaded session): the next snapshot is drawn from scratch."""
        self._snap = None
        self._heat_src = None
        self._real_src = None
        self._push.clear()
        self._manifold.clear()
        self.modes.clear()
        self.hover_text.hide()
        self.tools.count_off_view()

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
        self.tools.count_off_view()

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

    def reset_view(self) -> None:
        """Frame the snapshot grid again (after the user zoomed or panned), or the Fit range while Fit is on."""
        self._zoomed = False
        self._frame()

    def set_fit(self, on: bool) -> None:
        """Fit on: the view takes in every generated sample and the whole target, and follows them; off: the
        preset's grid again. A zoom or pan by hand turns it off."""
        on = bool(on)
        if self.action_fit.isChecked() != on:
            self.action_fit.setChecked(on)     # toggled comes back here
            return
        if on == self._fit_on:
            return
        self._fit_on = on
        self._zoomed = False
        self._frame()

    def fit_on(self) -> bool:
        return self._fit_on

    def set_brush(self, on: bool) -> None:
        """Brush on: a left-drag lays small modes along its path (brush.py); off: it pans again."""
        if self.action_brush.isChecked() != bool(on):
            self.action_brush.setChecked(bool(on))
            return
        self.brush.set_active(bool(on))
        vp = self.plot_widget.viewport()
        if on:
            vp.setCursor(QtCore.Qt.CursorShape.CrossCursor)
        else:
            vp.unsetCursor()

    def set_legend(self, on: bool) -> None:
        """Show or hide the legend under the plot (its row then takes no room)."""
        if self.action_legend.isChecked() != bool(on):
            self.action_legend.setChecked(bool(on))
            return
        self.legend.set_shown(bool(on))
        self._deco = None
        self._fit()

    def notice(self, text: str) -> None:
        """A short message on the field (bottom left) for a few seconds: where the user is looking."""
        self.tools.notice(text)

    @property
    def off_view(self):
        """The generated samples outside the range shown (range_fit.OffView), as last counted."""
        return self.tools.off_view

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
        self.legend.retranslate()
        self.tools.retranslate()
        self.colorbar.setToolTip(QCoreApplication.translate(
            "FieldView", "D(x): the discriminator's probability that x is a real sample: purple = likely "
            "real, green = likely generated. 0.5 (white) means it cannot tell, which is where training "
            "should end."))
        self._style_colorbar()
        self.modes.retranslate()
        self.hover_text.hide()

    def enterEvent(self, e) -> None:
        self.tools.set_hover(True)
        super().enterEvent(e)

    def leaveEvent(self, e) -> None:
        self.tools.set_hover(False)
        super().leaveEvent(e)

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ layout
    def _on_manual_range(self, *_):
        self._zoomed = True
        if self._fit_on:           # the user took the range in hand: Fit goes off, the range stays theirs
            self._fit_on = False
            self.action_fit.setChecked(False)

    def _frame(self) -> None:
        """Set the range to the grid, or to the Fit range while Fit is on."""
        g = self._grid
        if g is None:
            return
        box = range_fit.fit_range(g, self._snap.fake, self._snap.target) if self._fit_on and self._snap else None
        x0, x1, y0, y1 = box if box is not None else (g.xmin, g.xmax, g.ymin, g.ymax)
        self.view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def _follow_fit(self, snap) -> None:
        (x0, x1), (y0, y1) = self.view.viewRange()
        if range_fit.needs_refit((x0, x1, y0, y1), range_fit.needed_box(self._grid, snap.fake, snap.target)):
            self._frame()

    def _set_grid(self, grid) -> None:
        old = self._grid
        self._grid = grid
        self._zoomed = False
        if old is None or not math.isclose(_aspect(old), _aspect(grid), rel_tol=1e-9):
            self._refit = True
        self._frame_grid_held()

    def _frame_grid_now(self) -> None:
        """Shape the view for a new grid (when its aspect changed) and frame it (ModeView holds it during a drag)."""
        if self._refit:
            self._refit = False
            self._fit()
        self._frame()

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
        if not self._zoomed:   # the user's zoom or pan holds until reset_view or a new grid
            self._frame()
        self.tools.place()

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
        ticks = critic_ticks(snap.d_logits) if critic else style.D_TICKS
        if critic != self._critic or ticks != self._bar_ticks:
            self._critic = critic
            self._bar_ticks = ticks
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
        self._bar_text = style.style_colorbar(self.colorbar, labels, self._bar_ticks, self._scale, length, "FieldView")
        self.colorbar.getAxis("left").resizeEvent()   # centre the caption again: pyqtgraph does it on a resize only

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Leave:
            self.hover.left()
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
        self.fake_item.setBrush(style.brush(style.FAKE, alpha=style.FAKE_ALPHA))
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
        self.legend.set_scale(s)
        self.tools.set_scale(s)
        self._deco = None
        self._fit()


def _aspect(grid) -> float:
    return (grid.xmax - grid.xmin) / (grid.ymax - grid.ymin)
