"""Presenter mode (View > Presenter mode, F11): the window as a teacher shows it on a projector.

On: full screen, the application font larger, every view's markers, line widths and fonts scaled by
PRESENTER_SCALE through its `set_scale(scale)` (views/protocol.py; the curves get thicker lines and bigger axis text,
readable from the back of a room), bigger toolbar icons, and the controls dock hidden to give the
plots the room (F9 or View > Controls panel shows it again). Off (F11 again, or Esc): everything
comes back exactly as it was: window state and geometry, font, view scales, icons, docks, splitters.

The mode leaves itself before the window closes, so whatever saves the layout on close saves the
normal one. The status bar's text (iteration, it/s, device, seed) is elided at its right end, with the
whole text in its tooltip, when the larger font makes it wider than the window (it was cut off).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QSplitter, QToolBar

from . import style

PRESENTER_SCALE = style.PRESENTER_SCALE   # views: markers, line widths, plot fonts
FONT_SCALE = 1.4                          # the application font (menus, toolbar, status bar, texts)
ICON_SCALE = 1.5                          # toolbar icons


def scaled_font(font: QFont, factor: float) -> QFont:
    f = QFont(font)
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * factor)
    elif f.pixelSize() > 0:
        f.setPixelSize(max(1, round(f.pixelSize() * factor)))
    return f


def elided(label: QLabel) -> str:
    """The label's one line of text as it fits its width: elided at the right ("… device cpu  se…")."""
    fm = label.fontMetrics()
    return fm.elidedText(label.text(), Qt.TextElideMode.ElideRight, max(0, label.contentsRect().width()))


class ElidingPaint(QObject):
    """Paints a one-line QLabel's text elided at the right when it is wider than the label, and lets the
    layout give the label less than the text's width (a status bar in full screen cannot grow)."""

    MIN_CHARS = 12

    def watch(self, label: QLabel) -> None:
        label.setMinimumWidth(self.MIN_CHARS * label.fontMetrics().averageCharWidth())
        label.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FontChange and isinstance(obj, QLabel):
            obj.setMinimumWidth(self.MIN_CHARS * obj.fontMetrics().averageCharWidth())
        if kind != QEvent.Type.Paint or not isinstance(obj, QLabel) or obj.wordWrap():
            return False
        text, shown = obj.text(), elided(obj)
        obj.setToolTip(text if shown != text else "")
        if shown == text:
            return False
        p = QPainter(obj)
        p.setPen(obj.palette().color(QPalette.ColorRole.WindowText))
        p.setFont(obj.font())
        p.drawText(obj.contentsRect(), int(obj.alignment()), shown)
        p.end()
        return True


@dataclass
class _Saved:
    """What presenter mode changes, as it was before."""

    state: Qt.WindowState
    geometry: QByteArray   # saveGeometry(): the normal geometry behind a maximized window
    rect: QRect            # geometry() as it was (restoreGeometry() alone clamps to the screen)
    app_font: QFont
    default_scale: float
    view_scales: list = field(default_factory=list)      # (view, scale)
    docks: list = field(default_factory=list)            # (dock, visible)
    toolbars: list = field(default_factory=list)         # (toolbar, icon size)
    splitters: list = field(default_factory=list)        # (splitter, saveState)
    dock_sizes: list = field(default_factory=list)       # (dock, QSize) of the visible docks


class Presenter(QObject):
    """Turns presenter mode on and off for one MainWindow (menus/view_menu.py places its action)."""

    sigChanged = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.scale = PRESENTER_SCALE
        self._saved: _Saved | None = None

        self.action = QAction(window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.toggled.connect(self.set_active)

        self.leave_action = QAction(window)
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.leave_action.setEnabled(False)   # Esc belongs to the rest of the window outside presenter mode
        self.leave_action.triggered.connect(self.leave)
        self.retranslate()
        window.installEventFilter(self)
        self.eliding = ElidingPaint(self)
        status = getattr(window, "status_label", None)
        if isinstance(status, QLabel):
            self.eliding.watch(status)

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Presenter mode"))
        self.action.setToolTip(self.tr("Full screen, larger text, thicker lines and markers, for a projector "
                                       "(F11; Esc leaves)"))
        self.action.setStatusTip(self.action.toolTip())
        self.leave_action.setText(self.tr("Leave presenter mode"))
        # listed with View's keys on the shortcut sheet
        self.leave_action.setProperty("shortcut_group", QApplication.translate("MainWindow", "&View"))

    # ------------------------------------------------------------------ API
    @property
    def active(self) -> bool:
        return self._saved is not None

    def enter(self) -> None:
        self.set_active(True)

    def leave(self) -> None:
        self.set_active(False)

    def toggle(self) -> None:
        self.set_active(not self.active)

    def set_active(self, on: bool) -> None:
        on = bool(on)
        if on != self.active:
            self._enter() if on else self._leave()
        if self.action.isChecked() != on:
            self.action.setChecked(on)   # re-enters set_active, which then has nothing to do
        self.leave_action.setEnabled(on)

    def views(self) -> list:
        """The window's views (SnapshotView: set_scale and scale)."""
        return list(self.window.views())

    # ------------------------------------------------------------ internals
    def _enter(self) -> None:
        w = self.window
        app = QApplication.instance()
        views = self.views()
        saved = _Saved(
            state=w.windowState(),
            geometry=w.saveGeometry(),
            rect=QRect(w.geometry()),
            app_font=QFont(app.font()),
            default_scale=style.current_scale(),
            view_scales=[(v, v.scale()) for v in views],
            docks=[(d, d.isVisible()) for d in w.findChildren(QDockWidget)],
            dock_sizes=[(d, QSize(d.size())) for d in w.findChildren(QDockWidget) if d.isVisible()],
            toolbars=[(t, QSize(t.iconSize())) for t in w.findChildren(QToolBar)],
            splitters=[(s, s.saveState()) for s in w.findChildren(QSplitter)],
        )
        self._saved = saved
        app.setFont(scaled_font(saved.app_font, FONT_SCALE))
        style.apply_scale(self.scale)
        for v, _ in saved.view_scales:
            v.set_scale(self.scale)
        for t, size in saved.toolbars:
            t.setIconSize(QSize(round(size.width() * ICON_SCALE), round(size.height() * ICON_SCALE)))
        for d, visible in saved.docks:
            if visible and d.objectName() == "controls":
                d.hide()
        w.showFullScreen()
        self.sigChanged.emit(True)

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        w = self.window
        app = QApplication.instance()
        # the window first, so the views settle at their normal size
        w.showNormal()
        w.restoreGeometry(saved.geometry)
        if saved.state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            w.setWindowState(saved.state)
        else:
            w.setGeometry(saved.rect)
        app.setFont(saved.app_font)
        style.apply_scale(saved.default_scale)
        for v, s in saved.view_scales:
            v.set_scale(s)
        for t, size in saved.toolbars:
            t.setIconSize(size)
        for d, visible in saved.docks:
            d.setVisible(visible)
        self._resize_docks(saved.dock_sizes)
        for s, state in saved.splitters:
            s.restoreState(state)
        self.sigChanged.emit(False)

    def _resize_docks(self, sizes) -> None:
        """Docks back to their widths (heights for top/bottom docks): a larger font may have widened them."""
        w = self.window
        area = Qt.DockWidgetArea
        sides = (area.LeftDockWidgetArea, area.RightDockWidgetArea)
        ends = (area.TopDockWidgetArea, area.BottomDockWidgetArea)
        horiz = [(d, sz.width()) for d, sz in sizes if not d.isFloating() and w.dockWidgetArea(d) in sides]
        vert = [(d, sz.height()) for d, sz in sizes if not d.isFloating() and w.dockWidgetArea(d) in ends]
        if horiz:
            w.resizeDocks([d for d, _ in horiz], [v for _, v in horiz], Qt.Orientation.Horizontal)
        if vert:
            w.resizeDocks([d for d, _ in vert], [v for _, v in vert], Qt.Orientation.Vertical)

    def eventFilter(self, obj, event) -> bool:
        # Leave before the window's own closeEvent, so a layout saved on close is the normal one.
        if obj is self.window and event.type() == QEvent.Type.Close and self.active:
            self.leave()
        return False
