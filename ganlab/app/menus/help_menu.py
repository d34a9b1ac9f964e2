"""Help: the keyboard shortcut sheet."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&Help")


def fill(menu, window) -> list:
    menu.addAction(window.shortcut_overlay.action)
    return []
