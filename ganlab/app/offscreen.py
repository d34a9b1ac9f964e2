"""The app's views drawn without a screen: headless figures (`ganlab run --out`) and recordings.

- `ensure_app()`                  the running QApplication, or a new one on the offscreen platform;
- `show_offscreen(widget, size)`  a widget laid out and polished at a fixed size, on no screen;
- `offscreen_views(snapshot)`     FieldView, TheoryView and CurvesView at FIGURE_SIZES, showing a snapshot;
- `update_views(views, snapshot)` the next snapshot into them, drawn at once (no throttle);
- `dispose(widgets)`              delete them now (a pyqtgraph widget alive at interpreter exit can crash it).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QEvent, Qt, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

FIGURE_SIZES = {"field": (640, 600), "theory": (1200, 470), "curves": (900, 860)}

_MESSAGE_HANDLER = None


def ensure_app() -> QApplication:
    """The running QApplication, or a new offscreen one (headless figures and recording)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import pyqtgraph as pg

        pg.setConfigOptions(useOpenGL=False, antialias=True)
        _quiet_offscreen_warnings()
        app = QApplication(["ganlab"])
    return app


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns 'does not support propagateSizeHints()' for every shown widget:
    noise on a headless run's stderr. Every other Qt message still goes to stderr."""

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        sys.stderr.write(message + "\n")

    global _MESSAGE_HANDLER
    _MESSAGE_HANDLER = handler  # keep it alive
    qInstallMessageHandler(handler)


def show_offscreen(widget: QWidget, size: tuple[int, int]) -> QWidget:
    """Lay out and polish a widget at a fixed size without putting it on any screen."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    return widget


def offscreen_views(snapshot=None, sizes: dict | None = None) -> dict[str, QWidget]:
    """FieldView, TheoryView and CurvesView at fixed sizes (FIGURE_SIZES), showing `snapshot`."""
    from .views import CurvesView, FieldView, TheoryView  # late: importing this module loads no pyqtgraph

    ensure_app()
    sizes = {**FIGURE_SIZES, **(sizes or {})}
    views = {"field": FieldView(), "theory": TheoryView(), "curves": CurvesView(max_fps=None)}
    for name, v in views.items():
        show_offscreen(v, sizes[name])
    if snapshot is not None:
        update_views(views, snapshot)
    return views


def update_views(views: dict[str, QWidget], snapshot) -> None:
    for name in ("field", "theory", "curves"):
        if name in views:
            views[name].update_snapshot(snapshot)
    if "curves" in views:
        views["curves"].flush()
    QApplication.processEvents()


def dispose(widgets) -> None:
    """Delete offscreen widgets now: a pyqtgraph widget alive at interpreter exit can crash it."""
    for w in list(widgets):
        w.hide()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
