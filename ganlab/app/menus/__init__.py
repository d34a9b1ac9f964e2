"""The menu bar, one module per menu (as napari's qactions/): each module fills its menu from the parts the
window already built and names its title; none of them creates state or reaches into another part."""

from __future__ import annotations

from PySide6.QtCore import QObject

from . import compare_menu, edit_menu, file_menu, help_menu, lessons_menu, training_menu, view_menu

MENUS = (file_menu, edit_menu, view_menu, training_menu, compare_menu, lessons_menu, help_menu)


class MenuBar(QObject):
    def __init__(self, window):
        super().__init__(window)
        bar = window.menuBar()
        self.menus = {m: bar.addMenu(m.title()) for m in MENUS}
        self.file, self.edit, self.view, self.train, self.compare, self.lessons, self.help = self.menus.values()
        # actions a menu makes of its own (the others belong to the parts that do the work)
        self.own = [a for m, menu in self.menus.items() for a in m.fill(menu, window)]
        self.retranslate()

    def action(self, cls):
        """The menus' own action of that class (e.g. view_menu.DockToggle)."""
        return next(a for a in self.own if isinstance(a, cls))

    def retranslate(self) -> None:
        for module, menu in self.menus.items():
            menu.setTitle(module.title())
        for a in self.own:
            a.retranslate()
