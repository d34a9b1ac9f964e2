"""Edit: undo and redo of target edits and settings, and the preset's target back."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&Edit")


class RestoreTargetAction(QAction):
    def __init__(self, window):
        super().__init__(window)
        self.triggered.connect(window.history.restore_preset_target)

    def retranslate(self) -> None:
        self.setText(QCoreApplication.translate("MainWindow", "Restore the preset's &target"))
        self.setToolTip(QCoreApplication.translate(
            "MainWindow", "Put the preset's modes back: moved, added and removed modes are undone (Ctrl+Z takes "
            "this back too)"))


def fill(menu, window) -> list:
    stack = window.history.stack
    undo = stack.createUndoAction(window)
    redo = stack.createRedoAction(window)
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for a in (undo, redo):
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(a)   # the keys work with the menu bar hidden too (presenter mode)
        menu.addAction(a)
    menu.addSeparator()
    restore = RestoreTargetAction(window)
    menu.addAction(restore)
    return [restore]
