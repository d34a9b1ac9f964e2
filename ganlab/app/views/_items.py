"""Graphics items tuned for redrawing every frame, and small layout helpers.

`PointCloudItem` draws N identical markers from an (N, 2) array. pyqtgraph's ScatterPlotItem spends
most of a setData of 4000 points in Python, building a per-point style key (about 10 ms here); this
item keeps the caller's array and does everything per frame in numpy: one affine map of the points
to device pixels, one cull, and one QPainter.drawPixmapFragments call with a single pre-rendered
marker pixmap.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal

from .. import perf

_PrimitiveArray = pg.Qt.internals.PrimitiveArray
_FRAGMENTS_SYMBOL = ("_ZN8QPainter19drawPixmapFragmentsEPKNS_14PixmapFragmentEiRK7QPixmap"
                     "6QFlagsINS_18PixmapFragmentHintEE")


def _gil_free_fragments():
    """QPainter::drawPixmapFragments called through ctypes, which releases the GIL during the call.

    PySide6 keeps the GIL while Qt rasterises the 2000 markers of the generated cloud (about 1 ms, 32 times a
    second), and the training thread waits all that time: switching this one call gained 3 to 6 points of
    headless training speed in the live app (A/B runs). Qt's C++ API is stable within Qt 6 and this is its Itanium-ABI
    name on Linux (tested there, pixel for pixel against PySide6's call); elsewhere, or where the library or
    the symbol is not found, None, and the PySide6 call is used."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        import shiboken6

        fn = getattr(ctypes.CDLL("libQt6Gui.so.6"), _FRAGMENTS_SYMBOL)   # the copy PySide6 has loaded
    except (OSError, AttributeError, ImportError):
        return None
    # (QPainter *this, const PixmapFragment *, int count, const QPixmap &, QFlags<PixmapFragmentHint>)
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_uint]
    fn.restype = None
    address = shiboken6.getCppPointer

    def draw(painter: QtGui.QPainter, frags: np.ndarray, pixmap: QtGui.QPixmap) -> None:
        if frags.dtype != np.float64 or frags.ndim != 2 or frags.shape[1] != 10 or not frags.flags.c_contiguous:
            raise ValueError("fragments must be a C-contiguous (n, 10) float64 array")   # qreal x 10 each
        fn(address(painter)[0], frags.ctypes.data, len(frags), address(pixmap)[0], 0)

    return draw


draw_fragments = _gil_free_fragments() if perf.GIL_FREE_FRAGMENTS else None
_Format = QtGui.QImage.Format
_VECTOR_ENGINES = (QtGui.QPaintEngine.Type.SVG, QtGui.QPaintEngine.Type.Pdf, QtGui.QPaintEngine.Type.Picture)


class PointCloudItem(pg.GraphicsObject):
    """Identical round markers (pixel-sized) at the rows of an (N, 2) array."""

    gil_free = True   # draw through draw_fragments where it exists (False: PySide6's call, for comparison)

    def __init__(self, size: float = 5.0, pen=None, brush=None, name: str | None = None):
        super().__init__()
        self._size = float(size)
        self._pen = pg.mkPen(pen) if pen is not None else pg.mkPen(None)
        self._brush = pg.mkBrush(brush) if brush is not None else pg.mkBrush("w")
        self._name = name
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._bounds = QtCore.QRectF()
        self._brect: QtCore.QRectF | None = None   # boundingRect, until the data, size or view change
        self._pad: tuple[float, float] | None = None   # the marker radius in data units, until size or view change
        self._pixmap: QtGui.QPixmap | None = None
        self._pixmap_dpr = 0.0
        self._frags = _PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)

    # ---------------------------------------------------------------- data
    def setData(self, pos=None, x=None, y=None) -> None:
        """pos: (N, 2) array (or x and y). The arrays are kept, not copied: pass fresh arrays."""
        if pos is not None:
            pos = np.asarray(pos)
            x, y = pos[:, 0], pos[:, 1]
        x = np.zeros(0) if x is None else np.asarray(x)
        y = np.zeros(0) if y is None else np.asarray(y)
        self._x, self._y = x, y
        if len(x):
            with np.errstate(invalid="ignore"):
                x0, x1 = float(np.nanmin(x)), float(np.nanmax(x))
                y0, y1 = float(np.nanmin(y)), float(np.nanmax(y))
            if not all(math.isfinite(v) for v in (x0, x1, y0, y1)):
                ok = np.isfinite(x) & np.isfinite(y)
                if ok.any():
                    x0, x1, y0, y1 = (float(x[ok].min()), float(x[ok].max()),
                                      float(y[ok].min()), float(y[ok].max()))
                else:
                    x0 = x1 = y0 = y1 = 0.0
            rect = QtCore.QRectF(x0, y0, x1 - x0, y1 - y0)
        else:
            rect = QtCore.QRectF()
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = rect
            self._brect = None
            self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self._x, self._y

    def __len__(self) -> int:
        return len(self._x)

    def name(self):
        return self._name

    # ---------------------------------------------------------------- style
    def setSize(self, size: float) -> None:
        self._size = float(size)
        self._pixmap = None
        self.prepareGeometryChange()
        self._brect = self._pad = None
        self.update()

    def size(self) -> float:
        return self._size

    def setPen(self, *args, **kwargs) -> None:
        self._pen = pg.mkPen(*args, **kwargs)
        self._pixmap = None
        self.update()

    def setBrush(self, *args, **kwargs) -> None:
        self._brush = pg.mkBrush(*args, **kwargs)
        self._pixmap = None
        self.update()

    def _marker(self, dpr: float) -> QtGui.QPixmap:
        if self._pixmap is None or dpr != self._pixmap_dpr:
            pw = self._pen.widthF() if self._pen.style() != QtCore.Qt.PenStyle.NoPen else 0.0
            side = int(math.ceil((self._size + pw + 2.0) * dpr))
            pm = QtGui.QPixmap(side, side)
            pm.fill(QtCore.Qt.GlobalColor.transparent)
            painter = QtGui.QPainter(pm)
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            painter.scale(dpr, dpr)
            painter.setPen(self._pen)
            painter.setBrush(self._brush)
            c = side / dpr / 2.0
            r = self._size / 2.0
            painter.drawEllipse(QtCore.QPointF(c, c), r, r)
            painter.end()
            pm.setDevicePixelRatio(dpr)
            self._pixmap, self._pixmap_dpr = pm, dpr
        return self._pixmap

    # ---------------------------------------------------------------- Qt
    def boundingRect(self) -> QtCore.QRectF:
        if self._bounds.isNull() and not len(self._x):
            return QtCore.QRectF()
        if self._brect is None:   # Qt asks several times a frame; the pixel size costs Python calls
            if self._pad is None:
                # pad by the marker radius in data units
                px = self.pixelLength(QtCore.QPointF(1.0, 0.0)) or 0.0
                py = self.pixelLength(QtCore.QPointF(0.0, 1.0)) or 0.0
                pad = 0.5 * self._size + 2.0
                self._pad = (pad * px, pad * py)
            dx, dy = self._pad
            self._brect = self._bounds.adjusted(-dx, -dy, dx, dy)
        return self._brect

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        if not len(self._x):
            return None
        b = self._bounds
        return (b.left(), b.right()) if ax == 0 else (b.top(), b.bottom())

    def viewTransformChanged(self):
        self.prepareGeometryChange()
        self._brect = self._pad = None

    def paint(self, p: QtGui.QPainter, option, widget=None) -> None:
        n = len(self._x)
        if n == 0:
            return
        tr = p.transform()
        x, y = self._x, self._y
        dx = tr.m11() * x + tr.m21() * y + tr.dx()
        dy = tr.m12() * x + tr.m22() * y + tr.dy()
        vp = p.viewport()
        margin = self._size + 4.0
        with np.errstate(invalid="ignore"):
            keep = ((dx > vp.left() - margin) & (dx < vp.right() + margin)
                    & (dy > vp.top() - margin) & (dy < vp.bottom() + margin))
        k = int(np.count_nonzero(keep))
        if k == 0:
            return
        if k != n:
            dx, dy = dx[keep], dy[keep]
        engine = p.paintEngine()
        if engine is not None and engine.type() in _VECTOR_ENGINES:
            # SVG/PDF export: vector circles, not one embedded bitmap per point
            p.resetTransform()
            p.setPen(self._pen)
            p.setBrush(self._brush)
            r = self._size / 2.0
            for cx, cy in zip(dx.tolist(), dy.tolist(), strict=True):
                p.drawEllipse(QtCore.QPointF(cx, cy), r, r)
            return
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        pm = self._marker(dpr)
        self._frags.resize(k)
        frags = self._frags.ndarray()
        frags[:, 0] = dx
        frags[:, 1] = dy
        frags[:, 2:6] = (0.0, 0.0, pm.width(), pm.height())
        frags[:, 6:10] = (1.0 / dpr, 1.0 / dpr, 0.0, 1.0)
        p.resetTransform()
        if draw_fragments is not None and self.gil_free:
            draw_fragments(p, frags, pm)
        else:
            p.drawPixmapFragments(*self._frags.drawargs(), pm)


class HeatmapItem(pg.ImageItem):
    """An ImageItem that paints a true-colour copy of its image and keeps it cached at device resolution.

    pyqtgraph renders a lookup-table image as Indexed8, which QPainter scales about 6 times slower than
    RGB32 (3 ms against 0.5 ms per paint, 128^2 to 800^2 pixels), all of it holding the GIL that the
    training thread needs. The field repaints its heatmap under every cloud frame (30 a second) while
    D changes up to 8 times a second: with Qt's device cache those repaints are one blit, and Python is not
    called. Exports do not use the cache (they render the scene directly), so SVG stays exact.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def render(self):
        super().render()
        q = self.qimage
        if q is not None and q.format() not in (_Format.Format_RGB32, _Format.Format_ARGB32_Premultiplied):
            self.qimage = q.convertToFormat(_Format.Format_ARGB32_Premultiplied if q.hasAlphaChannel()
                                            else _Format.Format_RGB32)


class _PrepareForPaint(QtCore.QObject):
    """pyqtgraph's GraphicsView.paintEvent is a Python override that tells the scene to prepare, then paints
    from Python, so all of Qt's C++ painting runs holding the GIL. With the override gone, this filter on the
    viewport prepares the scene, and Qt paints from its event loop with the GIL released (only the items'
    Python paint methods take it)."""

    def eventFilter(self, obj, ev):
        if ev.type() == QtCore.QEvent.Type.Paint:
            view = obj.parent()
            scene = view.scene() if view is not None else None
            if scene is not None and hasattr(scene, "prepareForPaint"):
                scene.prepareForPaint()
        return False


class QtPaintedView:
    """Mixin for the views' pyqtgraph GraphicsView subclasses: Qt's own C++ paintEvent with the scene prepared
    by _PrepareForPaint (measured with benchmarks/bench_app.py: training kept 41-49 % of its headless speed at
    32 frames/s, against 37-46 %), and `sigResized` (which the class defines) emitted after a resize."""

    if perf.QT_PAINT_EVENT:
        # Qt's own, set in the class body: shiboken then calls it from C++ with the GIL released. (A Python
        # method defined here and swapped for Qt's afterwards cost training about 3 points of its headless
        # speed in bench_app's paired measure, 82-83 % against 85-86 %.) Off, pyqtgraph's Python paintEvent.
        paintEvent = QtWidgets.QGraphicsView.paintEvent

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if perf.QT_PAINT_EVENT:
            self._prepare_filter = _PrepareForPaint(self)
            self.viewport().installEventFilter(self._prepare_filter)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        if not self.closed:
            self.sigResized.emit()


class ScaledPlotWidget(QtPaintedView, pg.PlotWidget):
    """A PlotWidget that says when it was resized (after its plot item took the new size)."""

    sigResized = Signal()


class ResizingGraphicsView(QtPaintedView, pg.GraphicsView):
    """A plain pyqtgraph GraphicsView (scene in pixels, no central item) that says when it was resized."""

    sigResized = Signal()

    def __init__(self, parent=None, background="default"):
        super().__init__(parent, background=background)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def cache_axes(*plots) -> None:
    """Keep the plots' axes as device pixmaps. pyqtgraph replays an axis' tick texts (a QPicture) from Python
    at every repaint of anything next to it, ~150 times a second in the window while training, all holding
    the GIL that training needs; an axis changes only with its range, size or font, and pyqtgraph calls
    update() then, which renews the pixmap. Exports render the scene directly and stay vector."""
    for plot in plots:
        for axis in plot.axes.values():
            axis["item"].setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


def decorations(item, probe: float = 1000.0) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) pixels around a PlotItem's (or ColorBarItem's) ViewBox: its axes, title
    and margins. With fixed axis sizes these do not depend on the item's size, so one layout pass at a
    probe size tells where the ViewBox will sit inside any geometry."""
    old = item.geometry()
    vb = item.getViewBox()
    # a ViewBox of fixed height (a horizontal colour bar) cannot take up a tall probe: probe at the
    # item's minimum height then, so the rows around it get exactly their own heights
    fixed_h = item.layout.rowMaximumHeight(2) < probe / 2   # the ViewBox row (pyqtgraph: row 2)
    h = item.effectiveSizeHint(QtCore.Qt.SizeHint.MinimumSize).height() if fixed_h else probe
    item.setGeometry(QtCore.QRectF(0.0, 0.0, probe, h))
    item.layout.activate()
    r = vb.geometry()
    out = (r.left(), r.top(), probe - r.right(), h - r.bottom())
    item.setGeometry(old)
    return out


def place(item, vb_rect: QtCore.QRectF, deco: tuple[float, float, float, float]) -> None:
    """Give a PlotItem the geometry that puts its ViewBox exactly at vb_rect (scene pixels)."""
    left, top, right, bottom = deco
    item.setGeometry(QtCore.QRectF(vb_rect.left() - left, vb_rect.top() - top,
                                   vb_rect.width() + left + right, vb_rect.height() + top + bottom))
    item.layout.activate()


def narrow_title(label: pg.LabelItem) -> None:
    """A title never widens its plot: pyqtgraph's LabelItem asks for its text's width as its minimum
    (again on every resize), which made the columns unequal. The titles are chosen to fit instead."""
    base = label.updateMin

    def update_min():
        base()
        hints = label._sizeHint
        for key in (QtCore.Qt.SizeHint.MinimumSize, QtCore.Qt.SizeHint.PreferredSize):
            if key in hints:
                hints[key] = (0.0, hints[key][1])
        label.setMinimumWidth(0)
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


def pixel_size(view: pg.ViewBox) -> float:
    """One screen pixel in the ViewBox's data units (the larger of its width and height): pick radii."""
    sx, sy = view.viewPixelSize()
    return max(abs(sx), abs(sy))
