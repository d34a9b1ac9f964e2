"""File: sessions, export, recording, quit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence


def title() -> str:
    return QCoreApplication.translate("MainWindow", "&File")


def quit_keys() -> list[QKeySequence]:
    """Ctrl+Q everywhere, and the platform's own Quit keys besides. Where the platform's Quit is Ctrl+Q too
    (X11 desktops), listing it twice made Qt call the shortcut ambiguous and Ctrl+Q did nothing."""
    keys = [QKeySequence("Ctrl+Q")]
    for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit):
        if k not in keys and not k.isEmpty():
            keys.append(k)
    return keys


class QuitAction(QAction):
    def __init__(self, window):
        super().__init__(window)
        self.setShortcuts(quit_keys())
        self.triggered.connect(window.close)

    def retranslate(self) -> None:
        self.setText(QCoreApplication.translate("MainWindow", "&Quit"))


def fill(menu, window) -> list:
    s = window.sessions
    menu.addAction(s.act_open)
    menu.addMenu(s.menu_recent)
    menu.addAction(s.act_save)
    menu.addSeparator()
    menu.addMenu(window.exporter.menu)
    menu.addSeparator()
    for a in window.recorder.actions():
        menu.addAction(a)
    menu.addSeparator()
    quit_action = QuitAction(window)
    menu.addAction(quit_action)
    return [quit_action]
