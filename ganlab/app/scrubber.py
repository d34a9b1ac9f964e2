"""Rewind: a slider over the run's kept frames (core/timeline.py) that shows a past moment in the field and
the theory panels, with a cursor on the curves at that iteration.

Moving the slider pauses training and shows the kept frame; the views then ignore the live snapshots until
people go back to live: the Live button, the slider's right end, Play, a step, Reset or an edit of the
target (an edit or a step acts on the live run, so it must be seen on the live run). The curves keep the
whole run; only their cursor moves.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ..core.timeline import Timeline
from . import style

# The commands that act on the live run: each one brings the views back to it.
LIVE_COMMANDS = ("play", "step", "step_d", "step_g", "reset", "apply_config", "set_target", "move_mode",
                 "add_mode", "remove_mode", "set_mode_std", "load_session")


class ScrubBar(QWidget):
    """The slider, where it stands, and the Live button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        self.title = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.where = QLabel()
        self.where.setMinimumWidth(self.where.fontMetrics().horizontalAdvance("iteration 000,000,000 (rewound)"))
        self.live = QPushButton()
        self.live.setShortcut(QKeySequence("End"))
        lay.addWidget(self.title)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.where)
        lay.addWidget(self.live)


class Scrubber(QObject):
    """Owns the timeline of the window's run and the rewind bar; `offer` each snapshot the window gets."""

    sigShowing = Signal(object)   # the kept frame now shown, or None for live

    def __init__(self, window, timeline: Timeline | None = None):
        super().__init__(window)
        self.window = window
        self.timeline = timeline or Timeline()
        self.showing = None          # the kept frame on screen, None while the views follow the live run
        self.bar = ScrubBar()
        self.toolbar = window.addToolBar("")
        self.toolbar.setObjectName("rewind")
        window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.toolbar)
        self.toolbar.addWidget(self.bar)
        self._cursors = []
        self.bar.slider.valueChanged.connect(self._moved)
        self.bar.live.clicked.connect(self.go_live)
        for name in LIVE_COMMANDS:
            getattr(window.commands, name).connect(self.go_live)
        self.retranslate()

    # ------------------------------------------------------------------ recording
    def offer(self, snap) -> None:
        """Keep `snap` if it is due and move the slider's range with the run (its value stays where the
        person put it while rewound; while live it sits at the right end)."""
        n_before = len(self.timeline)
        kept = self.timeline.record(snap)
        if not kept and len(self.timeline) == n_before:
            return
        s = self.bar.slider
        s.blockSignals(True)
        shown = [i for i, f in enumerate(self.timeline.frames) if f is self.showing]  # identity: frames hold arrays
        if shown:
            s.setRange(0, len(self.timeline) - 1)
            s.setValue(shown[0])
        else:
            s.setRange(0, max(0, len(self.timeline) - 1))
            s.setValue(s.maximum())
        s.blockSignals(False)
        if self.showing is None:
            self._show_where(snap.iteration, live=True)

    # ------------------------------------------------------------------ rewinding
    def show_iteration(self, iteration: int) -> None:
        """Show the kept frame nearest to `iteration` (as if the slider had been moved there)."""
        if len(self.timeline):
            self.bar.slider.setValue(self.timeline.index_at(iteration))
            self._moved(self.bar.slider.value())

    def _moved(self, index: int) -> None:
        frames = self.timeline.frames
        if not frames:
            return
        if index >= len(frames) - 1 and self.showing is None:
            return          # at the right end while live: nothing to rewind to
        frame = frames[min(index, len(frames) - 1)]
        if self.window.playing:
            self.window.pause()
        self.showing = frame
        w = self.window
        w.stage().update_snapshot(frame)
        w.lecture.update_snapshot(frame)
        self._place_cursors(frame.iteration)
        self._show_where(frame.iteration, live=False)
        self.sigShowing.emit(frame)

    def go_live(self, *_) -> None:
        """Back to the live run: the views draw the newest snapshot again."""
        if self.showing is None:
            return
        self.showing = None
        for line in self._cursors:
            line.hide()
        w = self.window
        w.draw_afresh()
        s = self.bar.slider
        s.blockSignals(True)
        s.setValue(s.maximum())
        s.blockSignals(False)
        if w.worker is not None and w.worker.latest is not None:
            self._show_where(w.worker.latest.iteration, live=True)
        self.sigShowing.emit(None)

    def clear(self) -> None:
        self.go_live()
        self.timeline.clear()
        self.bar.slider.setRange(0, 0)

    def _place_cursors(self, iteration: int) -> None:
        plots = self.window.curves.plots
        if not self._cursors:
            pen = pg.mkPen(style.FOREGROUND, width=1.5, style=Qt.PenStyle.DashLine)
            for p in plots:
                line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
                line.setZValue(50)
                p.addItem(line, ignoreBounds=True)
                self._cursors.append(line)
        for line in self._cursors:
            line.setValue(iteration)
            line.show()

    def _show_where(self, iteration: int, live: bool) -> None:
        """Live, how many moments can be gone back to (the status bar has the live iteration); rewound, which."""
        if live:
            text = self.tr("live: {0} moments kept").format(len(self.timeline))
        else:
            text = self.tr("iteration {0:,} (rewound)").format(iteration)
        self.bar.where.setText(text)
        self.bar.live.setEnabled(not live)

    def retranslate(self) -> None:
        self.toolbar.setWindowTitle(self.tr("Rewind"))
        self.bar.title.setText(self.tr("Rewind:"))
        self.bar.live.setText(self.tr("Live"))
        self.bar.slider.setToolTip(self.tr(
            "The run's past: a frame every few iterations, kept within a memory budget (older moments at a "
            "coarser spacing). Moving the slider pauses training and shows that moment in the field and the "
            "theory panels; Live (End), Play, a step or an edit returns to the running state."))
        self.bar.live.setToolTip(self.tr("Back to the live run (End)"))
        if self.showing is not None:
            self._show_where(self.showing.iteration, live=False)
