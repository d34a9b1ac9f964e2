"""The field's hover read-out: the value under the mouse.

Over a mode marker: the mode's position and std; near a generated or a real sample: its coordinates;
elsewhere: (x, y) and D(x) (or the critic's score) there. While training runs, the samples and D move
under a mouse that stands still, so the read-out is worked out again for each new snapshot (`refresh`)
from the last place the mouse was seen, not only when the mouse moves.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .. import style
from ._items import pixel_size

HOVER_PX = 7.0             # pick radius for hovering samples, in pixels
GENERATED = QT_TRANSLATE_NOOP("FieldView", "generated  ({0:.3f}, {1:.3f})")
REAL = QT_TRANSLATE_NOOP("FieldView", "real  ({0:.3f}, {1:.3f})")


class HoverReadout:
    """One TextItem on `field`'s plot, following the scene's mouse moves."""

    def __init__(self, field):
        self.field = field
        self.text = pg.TextItem(anchor=(0.0, 1.0), color=style.FOREGROUND,
                                fill=pg.mkBrush(255, 255, 255, 215), border=pg.mkPen(style.FOREGROUND))
        self.text.setZValue(40)
        self.text.hide()
        field.plot.addItem(self.text, ignoreBounds=True)
        self._scene_pos = None      # where the mouse was last seen over the plot area (None: not there)
        field.plot_widget.scene().sigMouseMoved.connect(self.moved)

    def show(self, x: float, y: float, text: str) -> None:
        self.text.setText(text)
        self.text.setPos(x, y)
        self.text.show()

    def hide(self) -> None:
        self.text.hide()

    def left(self) -> None:
        """The mouse left the field: nothing to read out until it comes back."""
        self._scene_pos = None
        self.text.hide()

    def refresh(self) -> None:
        """A new snapshot: the same place, the new values (only while a read-out is showing)."""
        if self._scene_pos is not None and self.text.isVisible():
            self.moved(self._scene_pos)

    def moved(self, scene_pos) -> None:
        f = self.field
        if not f.view.sceneBoundingRect().contains(scene_pos):
            self.left()
            return
        self._scene_pos = scene_pos
        if f.modes.is_dragging():
            return  # the drag shows the mode's read-out
        pt = f.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        i = f.modes.mode_at(x, y)
        if i >= 0:
            f.modes.show_readout(i)
            return
        snap, layers = f._snap, f.layers()
        r = HOVER_PX * pixel_size(f.view)
        if snap is not None:
            for shown, points, label in ((layers.fake, snap.fake, GENERATED), (layers.real, snap.real, REAL)):
                j = _nearest(points, x, y, r) if shown else -1
                if j >= 0:
                    px, py = float(points[j][0]), float(points[j][1])
                    self.show(px, py, QCoreApplication.translate("FieldView", label).format(px, py))
                    return
        self.show(x, y, f"({x:.3f}, {y:.3f}){self._field_value_text(x, y)}")

    def _field_value_text(self, x: float, y: float) -> str:
        f = self.field
        snap, g = f._snap, f._grid
        if snap is None or g is None or not f.layers().heatmap:
            return ""
        ix = int((x - g.xmin) / (g.xmax - g.xmin) * g.n)
        iy = int((y - g.ymin) / (g.ymax - g.ymin) * g.n)
        if not (0 <= ix < g.n and 0 <= iy < g.n):
            return ""
        if snap.d_prob is not None:
            return f"  D = {float(snap.d_prob[iy, ix]):.3f}"
        return QCoreApplication.translate("FieldView", "  critic = {0:.3g}").format(float(snap.d_logits[iy, ix]))


def _nearest(points: np.ndarray | None, x: float, y: float, r: float) -> int:
    if points is None or len(points) == 0:
        return -1
    d2 = (points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2
    i = int(np.argmin(d2))
    return i if d2[i] <= r * r else -1
