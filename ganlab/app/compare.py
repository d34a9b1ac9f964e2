"""Many GANs at once, from the main window: the seed grid (this setting on 16 seeds) and twin runs (this setting
against one other value of a single key), each in its own window; any of their runs opens as the main run.

Why windows of their own: they train their own runs on their own threads, and the main run goes on beside them.
Their modules load torch, so they are imported when first opened: the main window shows before torch loads.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction

# The contrasts offered in the menu: one key, two values (twin_worker.PRESETS is this tuple).
PRESETS = (("train.loss", "minimax", "nonsaturating"), ("train.k_d", 1, 5))


def _tr(text: str) -> str:
    return QCoreApplication.translate("Compare", text)


class Compare(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.windows: list = []                       # the open ones (closed with the main window)
        self.action_grid = QAction(window)
        self.action_grid.triggered.connect(self.open_grid)
        self.twin_actions = []
        for key, a, b in PRESETS:
            act = QAction(window)
            act.triggered.connect(lambda _=False, k=key, x=a, y=b: self.open_twins(k, x, y))
            self.twin_actions.append((act, key, a, b))
        self.retranslate()

    def _target(self):
        snap = self.window.worker.latest if self.window.worker is not None else None
        return None if snap is None else snap.target

    def _show(self, w) -> None:
        w.open_member.connect(self.window.open_trainer)
        w.destroyed.connect(lambda *_: self.windows.remove(w) if w in self.windows else None)
        self.windows.append(w)
        w.start()

    def open_grid(self):
        from .seed_grid import SeedGridWindow

        w = SeedGridWindow(self.window.state.in_force, self._target(), None)
        self._show(w)
        return w

    def open_twins(self, key: str, a, b):
        from .twin_runs import TwinRunsWindow

        w = TwinRunsWindow(self.window.state.in_force, self._target(), key, a, b, None)
        self._show(w)
        return w

    def close_all(self) -> None:
        for w in list(self.windows):
            w.close()
        self.windows.clear()

    def retranslate(self) -> None:
        self.action_grid.setText(_tr("&Seed grid: this setting on 16 seeds"))
        self.action_grid.setToolTip(_tr("Train the current setting on 16 seeds at once and count how many "
                                        "collapse; click a run to continue it here"))
        for act, key, a, b in self.twin_actions:
            act.setText(_tr("Twin runs: {0} = {1} against {2}").format(key, a, b))
