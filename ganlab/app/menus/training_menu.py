"""Training: the transport's actions (play, steps, reset), with their keys."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&Training")


def fill(menu, window) -> list:
    for a in window.transport.actions():
        menu.addAction(a)
    return []
