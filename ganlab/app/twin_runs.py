"""Twin runs: two runs from the same seed that differ in ONE setting, side by side in lockstep, with the difference
of their JSD curves below. "Non-saturating beats minimax" is then a curve a class watches, not a claim.

The worker (twin_worker) trains the pair on its own thread; this window only draws its newest frame, ~10 times a
second: each run's small field and verdict, both JSD curves (top plot) and JSD of A minus JSD of B (bottom plot:
below zero, A is closer to the data). Clicking a field pauses and emits `open_member(trainer)`, as the seed grid.

    w = TwinRunsWindow(config, target, "train.loss", "minimax", "nonsaturating", parent)
    w.open_member.connect(...)
    w.start()           # shows the window and starts training
"""

from __future__ import annotations

from typing import NamedTuple

import pyqtgraph as pg
from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from ..core.config import Config
from ..core.target import GaussianMixture
from . import style
from .loop_worker import RunsWindowCommands
from .mini_field import MiniField
from .twin_worker import TwinFrame, TwinWorker
from .views.series import title_html
from .worker import WorkerThread

translate = QCoreApplication.translate   # (lupdate reads translate("Context", "text") calls)

COLOURS = (style.VERMILLION, style.MANIFOLD)   # run A, run B (the clouds keep the field's blue and orange)


class _Mark(NamedTuple):  # what title_html reads of a series
    color: str
    dash: bool = False


class TwinRunsWindow(RunsWindowCommands, QtWidgets.QWidget):
    """A non-modal window of two runs that differ only in config[key]: value_a (A) and value_b (B)."""

    open_member = Signal(object)      # a core.trainer.Trainer at the clicked run's state
    _sigPlay = Signal()
    _sigPause = Signal()
    _sigReset = Signal()
    _sigMember = Signal(int)
    THREAD_NAME = "ganlab-twin-runs"

    def __init__(self, config: Config, target: GaussianMixture | None, key: str, value_a, value_b,
                 parent: QtWidgets.QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.key = key
        self.values = (value_a, value_b)
        self.worker: TwinWorker | None = None
        self.worker_thread: WorkerThread | None = None
        self.error = ""
        self.drawn: TwinFrame | None = None
        self.frames_drawn = 0
        self.playing = False
        try:
            self.worker = TwinWorker(config, target, key, value_a, value_b)
            self.values = tuple(c.get(key) for c in self.worker.configs)   # as coerced by the config
        except Exception as e:   # an unknown key, a value out of range
            self.error = str(e) or type(e).__name__
        self._build()
        self.retranslate()
        self._wire()
        self.resize(760, 760)

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        self.header = QtWidgets.QLabel(self)
        self.header.setWordWrap(True)
        f = self.header.font()
        f.setBold(True)
        self.header.setFont(f)
        self.fields = [MiniField(self, size=260), MiniField(self, size=260)]
        row = QtWidgets.QHBoxLayout()
        for i, (field, colour) in enumerate(zip(self.fields, COLOURS, strict=True)):
            field.title.setStyleSheet(f"color: {colour}; font-weight: bold;")
            field.clicked.connect(lambda i=i: self.open_run(i))
            row.addWidget(field, 1)
        self._build_curves()
        self.play_button = QtWidgets.QPushButton(self)
        self.play_button.clicked.connect(self.toggle_play)
        self.reset_button = QtWidgets.QPushButton(self)
        self.reset_button.clicked.connect(self.reset)
        self.rate_label = QtWidgets.QLabel(self)
        self.rate_label.setMinimumWidth(self.rate_label.fontMetrics().horizontalAdvance("00000 iterations/s"))
        self.hint = QtWidgets.QLabel(self)
        self.hint.setStyleSheet("color: #555555;")
        bar = QtWidgets.QHBoxLayout()
        for w in (self.play_button, self.reset_button, self.rate_label):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.hint)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(row, 3)
        layout.addWidget(self.curves_widget, 2)
        layout.addLayout(bar)

    def _build_curves(self) -> None:
        """JSD of both (top) and JSD of A minus JSD of B (bottom), on one iteration axis."""
        self.curves_widget = pg.GraphicsLayoutWidget()
        self.curves_widget.setBackground(style.BACKGROUND)
        self.jsd_plot = self.curves_widget.addPlot(row=0, col=0)
        self.diff_plot = self.curves_widget.addPlot(row=1, col=0)
        self.diff_plot.setXLink(self.jsd_plot)
        for p in (self.jsd_plot, self.diff_plot):
            p.hideButtons()
            p.setMenuEnabled(False)
            p.showGrid(x=True, y=True, alpha=0.2)
            style.style_axes(p, 1.0)
            p.getAxis("left").enableAutoSIPrefix(False)
        self.curve_a = self.jsd_plot.plot(pen=style.pen(COLOURS[0], style.CURVE_WIDTH))
        self.curve_b = self.jsd_plot.plot(pen=style.pen(COLOURS[1], style.CURVE_WIDTH))
        self.diff_plot.addItem(pg.InfiniteLine(pos=0.0, angle=0, pen=style.pen(style.REFERENCE, 1.0, dash=True)))
        self.curve_diff = self.diff_plot.plot(pen=style.pen(style.FOREGROUND, style.CURVE_WIDTH))

    def run_label(self, i: int) -> str:
        """'A: train.loss = minimax'."""
        return translate("TwinRuns", "{0}: {1} = {2}").format("AB"[i], self.key, self.values[i])

    def _play_text(self, playing: bool) -> str:
        return translate("TwinRuns", "Pause") if playing else translate("TwinRuns", "Play")

    def retranslate(self) -> None:
        self.setWindowTitle(translate("TwinRuns", "Twin runs: {0}").format(self.key))
        self.play_button.setText(self._play_text(self.playing))
        self.reset_button.setText(translate("TwinRuns", "Reset"))
        self.reset_button.setToolTip(translate("TwinRuns", "New networks from the same seed: iteration 0 again"))
        self.hint.setText(translate("TwinRuns", "Click a run to open it as the main run"))
        for i, field in enumerate(self.fields):
            field.title.setText(self.run_label(i))
            field.setToolTip(translate("TwinRuns", "Click to open this run as the main run (the twins pause)"))
        self.jsd_plot.setLabel("left", translate("TwinRuns", "JSD (nats)"))
        self.diff_plot.setLabel("left", translate("TwinRuns", "A − B"))
        self.diff_plot.setLabel("bottom", translate("TwinRuns", "iteration"))
        # the series named in the title, as the main curves view does: a legend box covered a curve in any corner
        self.jsd_plot.setTitle(title_html("", [(_Mark(COLOURS[0]), translate("TwinRuns", "JSD of A")),
                                               (_Mark(COLOURS[1]), translate("TwinRuns", "JSD of B"))]))
        self._show_header()
        self._show_rate()

    # ------------------------------------------------ commands (start, play, pause, reset, stop: RunsWindowCommands)
    def open_run(self, i: int) -> None:
        self.request_run(i)

    # ------------------------------------------------ drawing (draw_latest: RunsWindowCommands)
    def _run_fields(self) -> list[MiniField]:
        return self.fields

    def _draw_frame(self, frame: TwinFrame) -> None:
        x = frame.curve_iterations
        self.curve_a.setData(x, frame.curve_jsd[:, 0])
        self.curve_b.setData(x, frame.curve_jsd[:, 1])
        self.curve_diff.setData(x, frame.curve_difference)
        self._show_header()

    def _show_header(self) -> None:
        if self.error:
            self.header.setText(translate("TwinRuns", "These twin runs cannot be built: {0}").format(self.error))
            return
        f = self.drawn
        text = translate("TwinRuns", "{0}  vs  {1} · same seed, everything else equal").format(
            self.run_label(0), self.run_label(1))
        if f is not None:
            text += translate("TwinRuns", " · iteration {0}").format(f.iteration)
            if f.curve_jsd.shape[0] and all(v == v for v in f.jsd):
                text += translate("TwinRuns", " · JSD A − B = {0:+.3f} nats").format(f.jsd[0] - f.jsd[1])
        self.header.setText(text)

    def _show_rate(self) -> None:
        f = self.drawn
        if f is None or not f.playing:
            self.rate_label.setText(translate("TwinRuns", "paused"))
            return
        self.rate_label.setText(translate("TwinRuns", "{0:.0f} iterations/s").format(f.its_per_sec))
