"""Text boxes pinned to a corner of a ViewBox, in pixels: the field's off-view count and its notices.

Children of the ViewBox, not of its data group, so they keep their place and size while the view pans,
zooms or fits. Qt keeps each as a device pixmap: the field repaints 30 times a second while training, and a
box that did not change costs no Python call then. A box takes no mouse button (drags, clicks and
double-clicks reach the field under it) unless it is given `on_click`.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from .. import style

PAD = 4.0        # inside the box, pixels at scale 1
MARGIN = 6.0     # from the ViewBox's edge
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


class PinnedBox(QtWidgets.QGraphicsObject):
    """One line of text in a pale rounded box at a corner of `view`; hidden while its text is empty."""

    def __init__(self, view: pg.ViewBox, corner: str, on_click: Callable[[], None] | None = None):
        if corner not in CORNERS:
            raise ValueError(f"corner must be one of {CORNERS}")
        super().__init__(view)
        self._view = view
        self.corner = corner
        self._on_click = on_click
        self._text = ""
        self._scale = 1.0
        self._font = style.font(1.0)
        self._rect = QtCore.QRectF()
        self.setZValue(1000)
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        if on_click is None:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        view.sigResized.connect(self.place)
        self.hide()

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        self._layout()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._font = style.font(scale)
        self._layout()

    def _layout(self) -> None:
        self.prepareGeometryChange()
        if not self._text:
            self._rect = QtCore.QRectF()
            self.hide()
            return
        fm = QtGui.QFontMetricsF(self._font)
        pad = PAD * self._scale
        self._rect = QtCore.QRectF(0.0, 0.0, fm.horizontalAdvance(self._text) + 2 * pad + 2, fm.height() + 2 * pad)
        self.place()
        self.update()
        self.show()

    def place(self, *_) -> None:
        r = self._view.boundingRect()
        m = MARGIN * self._scale
        w, h = self._rect.width(), self._rect.height()
        x = r.left() + m if self.corner.endswith("left") else r.right() - m - w
        y = r.top() + m if self.corner.startswith("top") else r.bottom() - m - h
        self.setPos(x, y)

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, p: QtGui.QPainter, *_) -> None:
        if not self._text:
            return
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(style.pen(style.FOREGROUND, 1.0, alpha=110))
        p.setBrush(style.brush(style.BACKGROUND, alpha=225))
        p.drawRoundedRect(self._rect.adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0)
        p.setFont(self._font)
        p.setPen(QtGui.QColor(style.FOREGROUND))
        p.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)

    def mouseClickEvent(self, ev) -> None:
        """pyqtgraph's click (the scene calls it): only a box with `on_click` takes it."""
        if self._on_click is None or ev.button() != Qt.MouseButton.LeftButton:
            return
        ev.accept()
        if not ev.double():
            self._on_click()
