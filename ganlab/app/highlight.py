"""Where a quantity lives on screen: a click on an equation-board term outlines its curve or its heatmap for a
moment (a thick frame in the markers' hover yellow around the plot, the curve drawn thicker), so that the
formula and the picture are tied together in front of a class."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from shiboken6 import isValid

from . import style

FLASH_MS = 1600


def target_of(window, key: str):
    """(plot item, series or None) for a board key "curve:<column>" or "heatmap:d" / "heatmap:dstar"."""
    kind, _, name = key.partition(":")
    if kind == "curve":
        for s in window.curves.series:
            if s.column == name:
                return s.plot, s
        return None, None
    if kind == "heatmap":
        t = window.theory
        return (t.plot_dstar if name == "dstar" else t.plot_d), None
    return None, None


def highlight(window, key: str) -> bool:
    """Outline the plot of `key` (bringing the theory tab forward for a heatmap); False if it has none."""
    plot, series = target_of(window, key)
    if plot is None:
        return False
    if key.startswith("heatmap:"):
        if getattr(window.lecture_shell, "dim", 2) == 1:   # the 1-D view draws D and D* as curves
            plot = window.world1d.plot
        else:
            window.lecture.show_page("theory")
    scene = plot.scene()
    if scene is None:
        return False
    frame = QtWidgets.QGraphicsRectItem(plot.getViewBox().sceneBoundingRect())
    frame.setPen(style.pen(style.MARKER_HOVER, 5.0))
    frame.setZValue(1e6)
    scene.addItem(frame)
    window._highlight = frame          # the one on screen (tests read it)
    if series is not None:
        pen = series.curve.opts["pen"]
        series.curve.setPen(style.pen(series.color, 3.0 * style.CURVE_WIDTH, dash=series.dash))

    def done():
        if isValid(frame) and frame.scene() is not None:   # (the window may have closed meanwhile)
            frame.scene().removeItem(frame)
        if series is not None and isValid(series.curve):
            series.curve.setPen(pen)

    QtCore.QTimer.singleShot(FLASH_MS, scene, done)   # (a context object: no call after the scene is gone)
    return True
