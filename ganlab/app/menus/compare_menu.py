"""Compare: many GANs at once (the seed grid, twin runs), each in its own window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&Compare")


def fill(menu, window) -> list:
    c = window.compare
    menu.addAction(c.action_grid)
    menu.addSeparator()
    for act, *_ in c.twin_actions:
        menu.addAction(act)
    return []
