"""Hand-built mouse events for pyqtgraph views (pytest-qt's mouseMove does not carry a held button).

conftest.py sets mouseRateLimit=0 so pyqtgraph drops none of these moves.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QPointF, Qt


def to_viewport(field, x: float, y: float) -> QPointF:
    scene = field.view.mapViewToScene(QPointF(x, y))
    return QPointF(field.plot_widget.mapFromScene(scene))


def send_mouse(widget, etype, pos: QPointF, button, buttons):
    ev = QtGui.QMouseEvent(etype, pos, QPointF(widget.mapToGlobal(pos.toPoint())), button, buttons,
                           Qt.KeyboardModifier.NoModifier)
    QtWidgets.QApplication.sendEvent(widget, ev)


def press(w, pos, button=Qt.MouseButton.LeftButton):
    send_mouse(w, QtCore.QEvent.Type.MouseButtonPress, pos, button, button)


def release(w, pos, button=Qt.MouseButton.LeftButton):
    send_mouse(w, QtCore.QEvent.Type.MouseButtonRelease, pos, button, Qt.MouseButton.NoButton)


def move(w, pos, buttons=Qt.MouseButton.NoButton):
    send_mouse(w, QtCore.QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, buttons)


def drag(field, start_xy, end_xy, steps: int = 12):
    vp = field.plot_widget.viewport()
    a = to_viewport(field, *start_xy)
    b = to_viewport(field, *end_xy)
    move(vp, a)
    press(vp, a)
    for k in range(1, steps + 1):
        t = k / steps
        move(vp, a + (b - a) * t, Qt.MouseButton.LeftButton)
    release(vp, b)
    QtWidgets.QApplication.processEvents()


def double_click(field, xy):
    vp = field.plot_widget.viewport()
    p = to_viewport(field, *xy)
    move(vp, p)
    press(vp, p)
    release(vp, p)
    send_mouse(vp, QtCore.QEvent.Type.MouseButtonDblClick, p, Qt.MouseButton.LeftButton,
               Qt.MouseButton.LeftButton)
    release(vp, p)
    QtWidgets.QApplication.processEvents()


def wheel(field, xy, notches: int = 1):
    vp = field.plot_widget.viewport()
    p = to_viewport(field, *xy)
    move(vp, p)
    ev = QtGui.QWheelEvent(p, QPointF(vp.mapToGlobal(p.toPoint())), QtCore.QPoint(0, 0),
                           QtCore.QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(vp, ev)
    QtWidgets.QApplication.processEvents()


def pixel(field) -> float:
    sx, sy = field.view.viewPixelSize()
    return max(abs(sx), abs(sy))


def record(signal):
    got = []
    signal.connect(lambda *a: got.append(a))
    return got


