"""Drawing the target freehand: a brush that lays small modes along a stroke (GAN Lab lets people draw data).

With the brush on, a left-drag on the field lays a mode where it starts and then one every `spacing` along
the path, and a click lays one. Markers do not move while the brush is on, so a stroke may start on one.
The spacing is SPACING_SHARE of the view's width and each mode's std STD_PER_SPACING of the spacing: a
stroke is one continuous ridge of density at any zoom, and the modes are small. Each mode takes the path a
double-click's does (the editor's sigModeAdded, then sigModeStdChanged for its std), and the field says
when a stroke starts and ends, so the undo history makes the whole stroke one step. At the target's limit
(MAX_MODES) the stroke stops laying modes and `on_full` says why. Drags on the axes, and every drag with the
brush off, pan the view as before.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

SPACING_SHARE = 0.04     # modes along a stroke, this share of the view's width apart
STD_PER_SPACING = 0.5    # each mode's std, as a share of the spacing (neighbours' 2-std rings touch)


class FieldViewBox(pg.ViewBox):
    """The field's ViewBox: while `tool` is set (the brush), its left clicks and drags go to the tool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tool: Brush | None = None

    def mouseDragEvent(self, ev, axis=None):
        if self.tool is not None and axis is None and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.tool.drag(ev)
            return
        super().mouseDragEvent(ev, axis)

    def mouseClickEvent(self, ev):
        if self.tool is not None and ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            ev.accept()
            self.tool.click(ev)
            return
        super().mouseClickEvent(ev)


class Brush:
    """The stroke state; `begin`, `extend_to` and `end` are the stroke in data coordinates."""

    def __init__(self, view: FieldViewBox, editor, started: Callable[[], None], finished: Callable[[int], None],
                 on_full: Callable[[], None]):
        self.view = view
        self.editor = editor
        self._started, self._finished, self._on_full = started, finished, on_full
        self.active = False
        self._last: np.ndarray | None = None    # the last mode laid in the stroke under way (None: no stroke)
        self._spacing = 0.0
        self._std = 0.0
        self._laid = 0
        self._full = False

    def set_active(self, on: bool) -> None:
        if not on and self._last is not None:
            self.end()
        self.active = bool(on)
        self.view.tool = self if on else None
        self.editor.set_locked(self.active)

    def spacing(self) -> float:
        """The distance between modes of a stroke that starts now."""
        (x0, x1), _ = self.view.viewRange()
        return SPACING_SHARE * (x1 - x0)

    def std(self) -> float:
        return STD_PER_SPACING * self.spacing()

    # ------------------------------------------------------------ mouse
    def click(self, ev) -> None:
        p = self.view.mapToView(ev.pos())
        self.begin(p.x(), p.y())
        self.end()

    def drag(self, ev) -> None:
        if ev.isStart():
            p = self.view.mapToView(ev.buttonDownPos())
            self.begin(p.x(), p.y())
        if self._last is None:
            return   # the brush came on in the middle of a drag
        p = self.view.mapToView(ev.pos())
        self.extend_to(p.x(), p.y())
        if ev.isFinish():
            self.end()

    # ------------------------------------------------------------ the stroke
    def begin(self, x: float, y: float) -> None:
        if self._last is not None:
            self.end()   # the last stroke's end never came (the mouse released elsewhere)
        self._spacing = self.spacing()
        self._std = STD_PER_SPACING * self._spacing
        self._laid = 0
        self._full = False
        self.editor.stroking = True
        self._started()
        self._last = np.array([x, y], dtype=np.float64)
        self._lay(self._last)

    def extend_to(self, x: float, y: float) -> None:
        """Lay modes every `spacing` on the straight way from the last one towards (x, y)."""
        if self._last is None or not self._spacing > 0:
            return
        goal = np.array([x, y], dtype=np.float64)
        d = goal - self._last
        dist = float(np.hypot(*d))
        if dist < self._spacing:
            return
        unit = d / dist
        for _ in range(int(dist // self._spacing)):
            if self._full:
                break
            self._last = self._last + unit * self._spacing
            self._lay(self._last)

    def end(self) -> None:
        if self._last is None:
            return
        self._last = None
        self.editor.stroking = False
        self._finished(self._laid)

    def _lay(self, p: np.ndarray) -> None:
        if self._full:
            return
        if self.editor.add_mode(float(p[0]), float(p[1]), self._std):
            self._laid += 1
        else:
            self._full = True
            self._on_full()
