"""The seed grid: the current setting on 16 seeds at once, so a class sees "collapses on 11 of 16 seeds", not
one draw.

Small multiples (default 4x4) of one config on seeds seed, seed + 1, ..., trained live as ONE BatchedTrainer on
a worker thread (seed_grid_worker). This window only draws the worker's newest frame, ~10 times a second: each
cell the target's mode centres, the real cloud faint, the generated samples and a one-line verdict
(core/verdict.py: "collapsed" means most samples ON one or two modes, the lessons' idea); on top the counts.
Clicking a cell pauses the grid and emits `open_member(trainer)`: a Trainer at that member's state (it
continues exactly as the member would), for the main window to open as its run.

    w = SeedGridWindow(config, target, parent)
    w.open_member.connect(...)
    w.start()           # shows the window and starts training
"""

from __future__ import annotations

import math

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from ..core.config import Config
from ..core.target import GaussianMixture
from ..core.verdict import count
from .loop_worker import RunsWindowCommands
from .mini_field import MiniField
from .seed_grid_worker import SAMPLES, SEEDS, GridFrame, SeedGridWorker
from .worker import WorkerThread

translate = QCoreApplication.translate   # (lupdate reads translate("Context", "text") calls)


def summary_text(frame: GridFrame) -> str:
    """"collapsed on 11 of 16 seeds · all modes on 3 of 16 · iteration 2000" (and the diverged, if any)."""
    v, n = frame.verdicts, len(frame.verdicts)
    text = translate("SeedGrid", "collapsed on {0} of {1} seeds · all modes on {2} of {1} · iteration {3}").format(
        count(v, "collapsed"), n, count(v, "all"), frame.iteration)
    diverged = count(v, "diverged")
    if diverged:
        text += translate("SeedGrid", " · diverged on {0}").format(diverged)
    return text


class SeedGridWindow(RunsWindowCommands, QtWidgets.QWidget):
    """A non-modal window of N runs of one setting that differ only in the seed (see the module docstring)."""

    open_member = Signal(object)      # a core.trainer.Trainer at the clicked member's state
    # commands to the worker (queued: it lives on its own thread)
    _sigPlay = Signal()
    _sigPause = Signal()
    _sigReset = Signal()
    _sigMember = Signal(int)
    THREAD_NAME = "ganlab-seed-grid"

    def __init__(self, config: Config, target: GaussianMixture | None = None,
                 parent: QtWidgets.QWidget | None = None, n: int = SEEDS, columns: int | None = None,
                 samples: int = SAMPLES):
        super().__init__(parent, Qt.WindowType.Window)
        self.config = config
        self.n = n
        self.worker: SeedGridWorker | None = None
        self.worker_thread: WorkerThread | None = None
        self.error = ""
        self.cells: list[MiniField] = []
        self.drawn: GridFrame | None = None
        self.frames_drawn = 0
        self.playing = False
        self._build_controls()
        try:
            self.worker = SeedGridWorker(config, target, n, samples)
        except Exception as e:   # e.g. a ConfigError: settings a batch cannot share; a device not there
            self.error = str(e) or type(e).__name__
        self._build_cells(n, columns or math.ceil(math.sqrt(n)))
        self._layout()
        self.retranslate()
        self._wire()
        self.resize(720, 800)

    # ------------------------------------------------------------------ build
    def _build_controls(self) -> None:
        self.summary = QtWidgets.QLabel(self)
        self.summary.setWordWrap(True)
        f = self.summary.font()
        f.setBold(True)
        self.summary.setFont(f)
        self.play_button = QtWidgets.QPushButton(self)
        self.play_button.clicked.connect(self.toggle_play)
        self.reset_button = QtWidgets.QPushButton(self)
        self.reset_button.clicked.connect(self.reset)
        self.rate_label = QtWidgets.QLabel(self)
        self.rate_label.setMinimumWidth(self.rate_label.fontMetrics().horizontalAdvance(
            "00000 iterations/s, each of 16 runs"))
        self.hint = QtWidgets.QLabel(self)
        self.hint.setStyleSheet("color: #555555;")

    def _build_cells(self, n: int, columns: int) -> None:
        self.grid_widget = QtWidgets.QWidget(self)
        grid = QtWidgets.QGridLayout(self.grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        if self.worker is None:
            return
        for i, cfg in enumerate(self.worker.configs):
            cell = MiniField(self.grid_widget)
            cell.seed = cfg.train.seed
            cell.clicked.connect(lambda i=i: self.open_cell(i))
            grid.addWidget(cell, i // columns, i % columns)
            self.cells.append(cell)

    def _layout(self) -> None:
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.play_button)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.rate_label)
        bar.addStretch(1)
        bar.addWidget(self.hint)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid_widget, 1)
        layout.addLayout(bar)

    def _play_text(self, playing: bool) -> str:
        return translate("SeedGrid", "Pause") if playing else translate("SeedGrid", "Play")

    def retranslate(self) -> None:
        self.setWindowTitle(translate("SeedGrid", "Seed grid: one setting, {0} seeds").format(self.n))
        self.play_button.setText(self._play_text(self.playing))
        self.reset_button.setText(translate("SeedGrid", "Reset"))
        self.reset_button.setToolTip(translate("SeedGrid", "New networks on the same seeds: iteration 0 again"))
        self.hint.setText(translate("SeedGrid", "Click a run to open it as the main run"))
        for cell in self.cells:
            cell.title.setText(translate("SeedGrid", "seed {0}").format(cell.seed))
            cell.setToolTip(translate("SeedGrid", "Seed {0}: click to open this run as the main run (the grid pauses)")
                            .format(cell.seed))
        if self.error:
            self.summary.setText(translate("SeedGrid", "These settings cannot be trained as a seed grid: {0}")
                                 .format(self.error))
        elif self.drawn is not None:
            self.summary.setText(summary_text(self.drawn))
        self._show_rate()

    # ------------------------------------------------ commands (start, play, pause, reset, stop: RunsWindowCommands)
    def open_cell(self, i: int) -> None:
        self.request_run(i)

    # ------------------------------------------------ drawing (draw_latest: RunsWindowCommands)
    def _run_fields(self) -> list[MiniField]:
        return self.cells

    def _draw_frame(self, frame: GridFrame) -> None:
        self.summary.setText(summary_text(frame))

    def _show_rate(self) -> None:
        f = self.drawn
        if f is None or not f.playing:
            self.rate_label.setText(translate("SeedGrid", "paused"))
            return
        self.rate_label.setText(translate("SeedGrid", "{0:.0f} iterations/s, each of {1} runs")
                                .format(f.its_per_sec, len(f.verdicts)))
