"""View: presenter mode (F11), the controls panel (F9), the field's tools (Fit, Brush, Legend), the theory
workspace (W), the language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&View")


class DockToggle(QAction):
    """Shows or hides a dock. Not the dock's toggleViewAction(): Qt disables that one for a dock without
    DockWidgetClosable."""

    def __init__(self, dock, window):
        super().__init__(window)
        self.dock = dock
        self.setCheckable(True)
        self.setChecked(not dock.isHidden())
        self.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.triggered.connect(lambda: dock.setVisible(dock.isHidden()))
        dock.visibilityChanged.connect(self._sync)

    def _sync(self, *_) -> None:
        with QSignalBlocker(self):
            self.setChecked(not self.dock.isHidden())

    def retranslate(self) -> None:
        self.setText(QCoreApplication.translate("Presenter", "&Controls panel"))
        self.setToolTip(QCoreApplication.translate("Presenter", "Show or hide the controls dock (F9)"))


def fill(menu, window) -> list:
    p = window.presenter
    menu.addAction(p.action)
    window.addAction(p.action)          # the shortcuts work with the menu bar hidden too
    window.addAction(p.leave_action)
    toggle = DockToggle(window.controls_dock, window)
    menu.addAction(toggle)
    window.addAction(toggle)
    menu.addSeparator()
    f = window.field                    # the field's own actions (its corner buttons and context menu have them too)
    for action in (f.action_fit, f.action_brush, f.action_legend):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(window.lecture_shell.action_workspace)
    menu.addSeparator()
    menu.addMenu(window.language_menu.menu)
    return [toggle]
