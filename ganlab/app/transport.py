"""The transport toolbar: Play/Pause, the step buttons, Reset and the Speed list, with their keys.

The window owns one Transport; its actions also appear in the Training menu (menus/training_menu.py).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QStyle

# (name, iterations per second cap (0 = none), frames per second). Names are marked for lupdate (context
# MainWindow). "Fast-forward" trades frames for training: the GUI shares the GIL with the training thread,
# and on 2 cores drawing 32 frames a second leaves training under half its headless speed, 10 frames about
# three quarters (README, Performance).
SPEEDS = ((QT_TRANSLATE_NOOP("MainWindow", "Full speed"), 0.0, 32.0),
          (QT_TRANSLATE_NOOP("MainWindow", "Fast-forward (10 frames/s)"), 0.0, 10.0),
          (QT_TRANSLATE_NOOP("MainWindow", "300 it/s"), 300.0, 32.0),
          (QT_TRANSLATE_NOOP("MainWindow", "30 it/s"), 30.0, 32.0),
          (QT_TRANSLATE_NOOP("MainWindow", "5 it/s (explain)"), 5.0, 32.0),
          (QT_TRANSLATE_NOOP("MainWindow", "1 it/s (slow)"), 1.0, 32.0))
# The curves redraw at most this often (and at most every other frame). A redraw repaints six plots (~6 ms,
# much of it pyqtgraph's Python paint holding the GIL): at 8 a second the curves alone cost training about
# 20 % of its speed (benchmarks/bench_app.py, A/B); at 4 a second they still move smoothly enough to read.
CURVES_FPS = 4.0


class Transport(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.toolbar = tb = window.addToolBar("")
        tb.setObjectName("transport")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self._style = window.style()
        self._keys: dict[QAction, list[str]] = {}

        def action(icon, keys, slot) -> QAction:
            a = QAction(self._style.standardIcon(icon), "", window)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.WindowShortcut)
            a.triggered.connect(slot)
            tb.addAction(a)
            window.addAction(a)
            self._keys[a] = keys
            return a

        cmd = window.commands
        self.act_play = action(QStyle.SP_MediaPlay, ["Space"], window.toggle_play)
        self.act_step = action(QStyle.SP_MediaSeekForward, ["S", "Right"], cmd.step)
        self.act_step_d = action(QStyle.SP_ArrowRight, ["D"], cmd.step_d)
        self.act_step_g = action(QStyle.SP_ArrowUp, ["G"], cmd.step_g)
        self.act_reset = action(QStyle.SP_BrowserReload, ["R"], window.ask_reset)
        tb.addSeparator()
        self.speed_label = QLabel()
        tb.addWidget(self.speed_label)
        self.speed = QComboBox()
        self.speed.addItems([""] * len(SPEEDS))
        self.speed.currentIndexChanged.connect(window.set_speed)
        tb.addWidget(self.speed)
        self._playing = False
        self.retranslate()

    def actions(self) -> tuple[QAction, ...]:
        return (self.act_play, self.act_step, self.act_step_d, self.act_step_g, self.act_reset)

    def show_playing(self, playing: bool) -> None:
        self._playing = playing
        self.act_play.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.act_play.setIcon(self._style.standardIcon(QStyle.SP_MediaPause if playing else QStyle.SP_MediaPlay))

    def retranslate(self) -> None:
        self.toolbar.setWindowTitle(self.tr("Transport"))
        tips = {self.act_play: (self.tr("Play"), self.tr("Train continuously / pause")),
                self.act_step: (self.tr("Step"),
                                self.tr("One iteration: k_D discriminator steps, then k_G generator steps")),
                self.act_step_d: (self.tr("D step"), self.tr("One discriminator step alone")),
                self.act_step_g: (self.tr("G step"), self.tr("One generator step alone")),
                self.act_reset: (self.tr("Reset"), self.tr("New networks from the seed; clears the curves. After "
                                                                  "1,000 iterations, press twice"))}
        for a, (text, tip) in tips.items():
            a.setText(text)
            a.setToolTip(f"{tip} ({', '.join(self._keys[a])})")
        self.show_playing(self._playing)
        self.speed_label.setText(self.tr(" Speed "))
        for i, (name, _, _) in enumerate(SPEEDS):
            self.speed.setItemText(i, QCoreApplication.translate("MainWindow", name))
        self.speed.setToolTip(self.tr("Cap on iterations per second; the slow settings are for explaining single "
                                  "steps while they happen. Fast-forward draws 10 frames a second instead of 32, "
                                  "so that training runs faster."))
