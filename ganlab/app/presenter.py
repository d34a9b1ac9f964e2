"""Presenter mode (View > Presenter mode, F11): the window as a teacher shows it on a projector.

On: full screen, the application font larger, every view's markers, line widths and fonts scaled by
PRESENTER_SCALE through its `set_presenter(scale)` (the curves get thicker lines and bigger axis text,
readable from the back of a room), bigger toolbar icons, and the controls dock hidden to give the
plots the room (F9 or View > Controls panel shows it again). Off (F11 again, or Esc): everything
comes back exactly as it was: window state and geometry, font, view scales, icons, docks, splitters.

The mode leaves itself before the window closes, so whatever saves the layout on close saves the
normal one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QSplitter, QToolBar, QWidget

from . import style

PRESENTER_SCALE = style.PRESENTER_SCALE   # views: markers, line widths, plot fonts
FONT_SCALE = 1.4                          # the application font (menus, toolbar, status bar, texts)
ICON_SCALE = 1.5                          # toolbar icons


def view_scale(view) -> float:
    """The scale a view draws at now (FieldView has presenter_scale(); the others keep `_scale`)."""
    getter = getattr(view, "presenter_scale", None)
    if callable(getter):
        return float(getter())
    return float(getattr(view, "_scale", style.current_scale()))


def scaled_font(font: QFont, factor: float) -> QFont:
    f = QFont(font)
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * factor)
    elif f.pixelSize() > 0:
        f.setPixelSize(max(1, round(f.pixelSize() * factor)))
    return f


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
    """Turns presenter mode on and off for one MainWindow; `window.presenter` holds it."""

    sigChanged = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.scale = PRESENTER_SCALE
        self._saved: _Saved | None = None

        self.action = QAction(self.tr("&Presenter mode"), window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip(self.tr("Full screen, larger text, thicker lines and markers, for a projector "
                                       "(F11; Esc leaves)"))
        self.action.setStatusTip(self.action.toolTip())
        self.action.toggled.connect(self.set_active)

        self.leave_action = QAction(self.tr("Leave presenter mode"), window)
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.leave_action.setEnabled(False)   # Esc belongs to the rest of the window outside presenter mode
        self.leave_action.triggered.connect(self.leave)

        window.installEventFilter(self)

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
        """Every widget of the window that can scale itself: the three views and any feature's panel."""
        w = self.window
        out = [v for v in (getattr(w, "field", None), getattr(w, "theory", None), getattr(w, "curves", None))
               if v is not None]
        for child in w.findChildren(QWidget):
            if child not in out and callable(getattr(child, "set_presenter", None)):
                out.append(child)
        return out

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
            view_scales=[(v, view_scale(v)) for v in views],
            docks=[(d, d.isVisible()) for d in w.findChildren(QDockWidget)],
            dock_sizes=[(d, QSize(d.size())) for d in w.findChildren(QDockWidget) if d.isVisible()],
            toolbars=[(t, QSize(t.iconSize())) for t in w.findChildren(QToolBar)],
            splitters=[(s, s.saveState()) for s in w.findChildren(QSplitter)],
        )
        self._saved = saved
        app.setFont(scaled_font(saved.app_font, FONT_SCALE))
        style.apply_scale(self.scale)
        for v, _ in saved.view_scales:
            v.set_presenter(self.scale)
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
            v.set_presenter(s)
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


def install(window) -> Presenter:
    """View > Presenter mode (F11), Esc to leave, and View > Controls panel (F9)."""
    p = Presenter(window)
    window.presenter = p
    window.act_presenter = p.action
    window.menu_view.addSeparator()
    window.menu_view.addAction(p.action)
    window.addAction(p.action)          # the shortcut works with the menu bar hidden too
    window.addAction(p.leave_action)
    p.leave_action.setProperty("shortcut_group", window.menu_view.title())   # listed with View's keys
    dock = window.findChild(QDockWidget, "controls")
    if dock is not None:
        # Not the dock's toggleViewAction(): Qt disables it for a dock without DockWidgetClosable.
        toggle = QAction(QApplication.translate("Presenter", "&Controls panel"), window)
        toggle.setCheckable(True)
        toggle.setChecked(not dock.isHidden())
        toggle.setShortcut(QKeySequence(Qt.Key.Key_F9))
        toggle.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        toggle.setToolTip(QApplication.translate("Presenter", "Show or hide the controls dock (F9)"))
        toggle.triggered.connect(lambda: dock.setVisible(dock.isHidden()))

        def sync(*_):
            blocker = QSignalBlocker(toggle)
            toggle.setChecked(not dock.isHidden())
            del blocker

        dock.visibilityChanged.connect(sync)
        window.menu_view.addAction(toggle)
        window.addAction(toggle)
        window.act_controls = toggle
    return p
