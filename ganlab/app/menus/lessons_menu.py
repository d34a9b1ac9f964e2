"""Lessons: one entry per lesson, and the lesson panel's toggle."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&Lessons")


def fill(menu, window) -> list:
    lc = window.lesson_controller
    if lc is None:   # the lesson files could not be read: say why, in the menu
        act = QAction(window.lessons_error, window)
        act.setEnabled(False)
        menu.addAction(act)
        return []
    for a in lc.actions.values():
        menu.addAction(a)
    menu.addSeparator()
    menu.addAction(lc.toggle_action)
    return []
