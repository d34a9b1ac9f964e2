"""Widgets of the equation board (equation_board.py): typeset formulas as cached pixmaps, clickable labels,
and a flow layout for the values under a formula.

`formula_pixmap` typesets with matplotlib's mathtext once per (text, dpi, colour, device pixel ratio) and keeps the
pixmaps (a few hundred at most), so a new frame never typesets. The labels paint their hover shade and curve-colour
bar by hand: no style sheets, which the app's styles do not all honour.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

HOVER = "#E8EEF7"
_CACHE_MAX = 256
_pixmaps: OrderedDict = OrderedDict()
_parser: MathTextParser | None = None


def colour_widget(widget: QtWidgets.QWidget, text: str, background: str | None = None) -> None:
    """Text (and background) colours of the board's own white page, whatever the app's palette."""
    pal = widget.palette()
    pal.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(text))
    pal.setColor(QtGui.QPalette.ColorRole.Text, QtGui.QColor(text))
    if background is not None:
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(background))
        widget.setAutoFillBackground(True)
    widget.setPalette(pal)


def typeset(tex: str, dpi: float, colour: str) -> QtGui.QImage:
    """`tex` rasterised by mathtext at `dpi` (10 pt text) in `colour` on a transparent background.

    Straight from mathtext's raster parser (its glyph coverage becomes the alpha channel): 3-8 times faster than
    mathtext.math_to_image, which builds a Figure and encodes a PNG for each formula.
    """
    global _parser
    if _parser is None:
        _parser = MathTextParser("agg")
    r = _parser.parse(tex, dpi=dpi, prop=FontProperties(size=10))
    alpha = np.pad(np.asarray(r.image, dtype=np.uint8), 1)          # a pixel of air for the antialiased edges
    h, w = alpha.shape
    rgba = np.empty((h, w, 4), dtype=np.uint8)
    c = QtGui.QColor(colour)
    rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3] = c.red(), c.green(), c.blue(), alpha
    return QtGui.QImage(rgba.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGBA8888).copy()


def formula_pixmap(tex: str, dpi: float, colour: str, dpr: float = 1.0) -> QtGui.QPixmap:
    """`tex` typeset at `dpi` (logical) for a screen of device pixel ratio `dpr`; cached."""
    key = (tex, round(dpi, 1), colour, round(dpr, 2))
    pm = _pixmaps.get(key)
    if pm is not None:
        _pixmaps.move_to_end(key)
        return pm
    pm = QtGui.QPixmap.fromImage(typeset(tex, dpi * dpr, colour))
    pm.setDevicePixelRatio(dpr)
    _pixmaps[key] = pm
    while len(_pixmaps) > _CACHE_MAX:
        _pixmaps.popitem(last=False)
    return pm


class ClickLabel(QtWidgets.QLabel):
    """A label that emits its key when clicked (the board forwards it as term_clicked), shaded under the mouse,
    with an optional bar in its curve's colour on the left. Painted by hand: no style sheets, which the app's
    styles do not all honour."""

    clicked = Signal(str)
    BAR = 3

    def __init__(self, key: str, bar: str | None = None, parent=None):
        super().__init__(parent)
        self.key = key
        self._bar = None if bar is None else QtGui.QColor(bar)
        self._hover = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if bar is not None:
            self.setContentsMargins(self.BAR + 5, 0, 3, 0)

    def mouseReleaseEvent(self, e: QtGui.QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self.rect().contains(e.position().toPoint()):
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(e)

    def enterEvent(self, e) -> None:
        self._hover = True
        self.update()
        super().enterEvent(e)

    def leaveEvent(self, e) -> None:
        self._hover = False
        self.update()
        super().leaveEvent(e)

    def paint_marks(self, p: QtGui.QPainter) -> None:
        if self._hover:
            p.fillRect(self.rect(), QtGui.QColor(HOVER))
        if self._bar is not None:
            p.fillRect(QtCore.QRect(0, 1, self.BAR, self.height() - 2), self._bar)

    def paintEvent(self, e) -> None:
        p = QtGui.QPainter(self)
        try:
            self.paint_marks(p)
        finally:
            p.end()
        super().paintEvent(e)


class FormulaLabel(ClickLabel):
    """A typeset formula. Draws its pixmap itself: QLabel resamples a pixmap to the widget's own pixel ratio,
    which blurred the formulas of a 2x export."""

    def __init__(self, key: str, parent=None):
        super().__init__(key, None, parent)
        self._pm = QtGui.QPixmap()

    def formula(self) -> QtGui.QPixmap:
        return self._pm

    def set_formula(self, pm: QtGui.QPixmap) -> None:
        if pm.cacheKey() == self._pm.cacheKey():
            return
        resized = pm.deviceIndependentSize() != self._pm.deviceIndependentSize()
        self._pm = pm
        if resized:
            self.updateGeometry()
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return self._pm.deviceIndependentSize().toSize()

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint()

    def paintEvent(self, e) -> None:
        p = QtGui.QPainter(self)
        try:
            self.paint_marks(p)
            p.drawPixmap(0, 0, self._pm)
        finally:
            p.end()


class FlowLayout(QtWidgets.QLayout):
    """Items left to right, wrapping to a new line: the values under a formula in a narrow panel."""

    def __init__(self, parent=None, spacing: int = 14):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QtCore.QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QtCore.QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + 2, 0
            if move:
                item.setGeometry(QtCore.QRect(QtCore.QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y()
