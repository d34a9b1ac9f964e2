"""The main window: wires controls -> worker commands, and worker snapshots -> views.

The window never computes the GAN. It keeps the current Config, turns control changes into
commands for the worker (queued calls into the training thread) and, on its own timer, hands
the worker's latest Snapshot to the views. One data path, no back-and-forth.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QWidget,
)

from ..core.config import Config, ConfigError, architecture_key
from ..core.presets import from_csv
from ..core.target import GaussianMixture, TargetError
from .controls import ControlsPanel
from .views.curves_view import CurvesView
from .views.field_view import FieldView
from .views.layout import ViewArea
from .views.theory_view import TheoryView

# The GUI looks for a new snapshot every FRAME_MS and draws it. Half the snapshot interval (worker.py), so
# that a snapshot that comes early (the worker catching up its beat) is not replaced before it is drawn.
FRAME_MS = 8
# (name, iterations per second cap (0 = none), frames per second). Names are marked for lupdate (context
# MainWindow); the toolbar translates them when it fills the combo box. "Fast-forward" trades frames for
# training: the GUI shares the GIL with the training thread, and on 2 cores drawing 32 frames a second
# leaves training under half its headless speed, 10 frames about three quarters (README, Performance).
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


FEATURES = ("export", "recording", "sessions", "lessons", "presenter", "language", "shortcuts")


_GC = None


def _collect_garbage_in_gui_thread() -> None:
    """Python's cycle collector runs in whichever thread happens to allocate. In the training thread it can
    free Qt objects of the GUI (a closed dialog, old plot items), and Qt's and Python's locks then deadlock
    (seen in the tests: the GUI thread deleting a QMenu waited for a Qt lock while the training thread held
    it and waited for the GIL). pyqtgraph's GarbageCollector turns automatic collection off and collects on a
    timer in the GUI thread instead; one for the whole process."""
    global _GC
    if _GC is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _GC = GarbageCollector(interval=0.5)


def quit_keys() -> list[QKeySequence]:
    """Ctrl+Q everywhere, and the platform's own Quit keys besides. Where the platform's Quit is Ctrl+Q too
    (X11 desktops), listing it twice made Qt call the shortcut ambiguous and Ctrl+Q did nothing."""
    keys = [QKeySequence("Ctrl+Q")]
    for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit):
        if k not in keys and not k.isEmpty():
            keys.append(k)
    return keys


def freeze_startup_heap() -> None:
    """Exempt everything alive once the app has started (torch, Qt wrappers, the networks: ~350,000
    objects) from cycle collection: a full collection of them held the GIL for ~0.3 s every minute or so,
    a visible stall of both the drawing and the training. What is created later is collected as before."""
    import gc

    gc.collect()
    gc.freeze()


def _feature_installers():
    """Feature modules that add menus and actions to the window: each has `install(window)`."""
    import importlib

    out = []
    for name in FEATURES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__package__}.{name}":
                raise
            continue  # a feature not written yet
        out.append(mod.install)
    return out


class Commands(QObject):
    """Signals whose queued connections carry the GUI's commands into the training thread."""

    play = Signal()
    pause = Signal()
    step = Signal()
    step_d = Signal()
    step_g = Signal()
    reset = Signal()
    apply_config = Signal(object)
    set_target = Signal(object)
    move_mode = Signal(int, float, float)
    add_mode = Signal(float, float)
    remove_mode = Signal(int)
    set_mode_std = Signal(int, float)
    set_max_rate = Signal(float)
    set_overlays = Signal(bool, bool)
    set_freeze = Signal(bool, bool)
    set_frame_rate = Signal(float)

    def connect_to(self, w) -> None:
        for name in ("play", "pause", "reset", "apply_config", "set_target", "move_mode", "add_mode",
                     "remove_mode", "set_mode_std", "set_max_rate", "set_overlays", "set_freeze", "step_d",
                     "step_g", "set_frame_rate"):
            getattr(self, name).connect(getattr(w, name))
        self.step.connect(w.step_iteration)


class DivergenceBanner(QWidget):
    """A non-modal bar with a way out: training keeps the window alive and asks what to do."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet("background: #fde6c8; color: #4a2800;")
        lay = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.reset_btn = QPushButton(self.tr("Reset"))
        self.lower_btn = QPushButton(self.tr("Lower learning rates ÷10 and reset"))
        lay.addWidget(self.label, 1)
        lay.addWidget(self.reset_btn)
        lay.addWidget(self.lower_btn)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()


class MainWindow(QMainWindow):
    def __init__(self, config: Config | None = None, target: GaussianMixture | None = None,
                 deferred: bool = False):
        """deferred=True shows the window first and builds the trainer on `attach_worker()`:
        importing torch takes seconds, and people should see the window at once."""
        super().__init__()
        self.setWindowTitle("ganlab")
        from .language import current_language

        self.language = current_language()  # "en" or "ru", the installed translation (lessons read it)
        self.config = (config or Config()).validate()
        self._initial_target = target
        self.worker = None
        self.thread = None
        self.commands = Commands()
        self.playing = False
        self._drawn = None
        self._theory_src = None
        self._frames = 0
        self.frames_drawn = 0
        self._fps_t0 = time.perf_counter()
        self.fps = 0.0

        self._build_views()
        self._build_controls()
        self._build_transport()
        self._build_status()
        self._build_menus()
        self.resize(1500, 950)

        _collect_garbage_in_gui_thread()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.redraw)
        if deferred:
            self.statusBar().showMessage(self.tr("Loading PyTorch…"))
        else:
            self.attach_worker()

    def attach_worker(self) -> None:
        """Build the trainer, start its thread and begin drawing."""
        from .worker import TrainingWorker, WorkerThread  # imports torch

        self.worker = TrainingWorker(self.config, self._initial_target)
        self.thread = WorkerThread(self.worker)
        self.commands.connect_to(self.worker)
        self._connect_worker()
        self.set_speed(self.speed.currentIndex())  # chosen while torch loaded: the new worker takes it too
        self.thread.start()
        self._timer.start()
        self.statusBar().clearMessage()
        self.redraw()

    # ----------------------------------------------------------------- layout
    def _build_views(self) -> None:
        self.field = FieldView()
        self.theory = TheoryView()
        self.curves = CurvesView(max_fps=CURVES_FPS)
        self.banner = DivergenceBanner()
        # field | theory over the curves; the field's column is as wide as its square needs
        self.splitter = ViewArea(self.field, self.theory, self.curves, self.banner)
        self.setCentralWidget(self.splitter)
        self.field.sigModeMoved.connect(self.commands.move_mode)
        self.field.sigModeAdded.connect(self.commands.add_mode)
        self.field.sigModeRemoved.connect(self.commands.remove_mode)
        self.field.sigModeStdChanged.connect(self.commands.set_mode_std)
        self.banner.reset_btn.clicked.connect(self.reset)
        self.banner.lower_btn.clicked.connect(self.lower_rates_and_reset)

    def _build_controls(self) -> None:
        self.controls = ControlsPanel(self.config)
        dock = QDockWidget(self.tr("Controls"), self)
        dock.setObjectName("controls")
        dock.setWidget(self.controls)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)
        self.controls.sigChanged.connect(self.change)
        self.controls.sigLayers.connect(self._layers)
        self.controls.sigFreeze.connect(self.commands.set_freeze)
        self.controls.sigLoadPoints.connect(self.load_points)

    def _build_transport(self) -> None:
        tb = self.addToolBar(self.tr("Transport"))
        tb.setObjectName("transport")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        st = self.style()
        from PySide6.QtWidgets import QStyle

        def action(text, icon, keys, slot, tip):
            a = QAction(st.standardIcon(icon), text, self)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.WindowShortcut)
            a.setToolTip(f"{tip} ({', '.join(keys)})")
            a.triggered.connect(slot)
            tb.addAction(a)
            self.addAction(a)
            return a

        self.act_play = action(self.tr("Play"), QStyle.SP_MediaPlay, ["Space"], self.toggle_play,
                               self.tr("Train continuously / pause"))
        self.act_step = action(self.tr("Step"), QStyle.SP_MediaSeekForward, ["S", "Right"], self.commands.step,
                               self.tr("One iteration: k_D discriminator steps, then k_G generator steps"))
        self.act_step_d = action(self.tr("D step"), QStyle.SP_ArrowRight, ["D"], self.commands.step_d,
                                 self.tr("One discriminator step alone"))
        self.act_step_g = action(self.tr("G step"), QStyle.SP_ArrowUp, ["G"], self.commands.step_g,
                                 self.tr("One generator step alone"))
        self.act_reset = action(self.tr("Reset"), QStyle.SP_BrowserReload, ["R"], self.reset,
                                self.tr("New networks from the seed; clears the curves"))
        tb.addSeparator()
        tb.addWidget(QLabel(self.tr(" Speed ")))
        self.speed = QComboBox()
        for name, _, _ in SPEEDS:
            self.speed.addItem(self.tr(name))
        self.speed.setToolTip(self.tr("Cap on iterations per second; the slow settings are for explaining "
                                      "single steps while they happen. Fast-forward draws 10 frames a second "
                                      "instead of 32, so that training runs faster."))
        self.speed.currentIndexChanged.connect(self.set_speed)
        tb.addWidget(self.speed)

    def _build_status(self) -> None:
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

    def _build_menus(self) -> None:
        """Menus; each feature module adds its own actions through its `install(window)`."""
        bar = self.menuBar()
        self.menu_file = bar.addMenu(self.tr("&File"))
        self.menu_view = bar.addMenu(self.tr("&View"))
        self.menu_train = bar.addMenu(self.tr("&Training"))
        self.menu_lessons = bar.addMenu(self.tr("&Lessons"))
        self.menu_help = bar.addMenu(self.tr("&Help"))
        for a in (self.act_play, self.act_step, self.act_step_d, self.act_step_g, self.act_reset):
            self.menu_train.addAction(a)
        for install in _feature_installers():
            install(self)
        self.menu_file.addSeparator()
        quit_act = QAction(self.tr("&Quit"), self)
        quit_act.setShortcuts(quit_keys())
        quit_act.triggered.connect(self.close)
        self.menu_file.addAction(quit_act)

    def _connect_worker(self) -> None:
        w = self.worker
        w.sigDiverged.connect(self._on_diverged)
        w.sigError.connect(self._on_error)
        w.sigInfo.connect(self._on_info)
        w.sigPlaying.connect(self._on_playing)
        w.sigConfigApplied.connect(self._on_config_applied)
        w.sigConfigRejected.connect(self._on_config_rejected)

    # --------------------------------------------------------------- commands
    @Slot(int)
    def set_speed(self, index: int) -> None:
        """A Speed entry: the iteration cap and the frame rate (the worker's snapshots, the curves' redraws)."""
        _, rate, fps = SPEEDS[index]
        self.commands.set_max_rate.emit(rate)
        self.commands.set_frame_rate.emit(fps)
        self.curves.max_fps = min(CURVES_FPS, fps / 2)

    @Slot()
    def toggle_play(self) -> None:
        (self.commands.pause if self.playing else self.commands.play).emit()

    def play(self) -> None:
        self.commands.play.emit()

    def pause(self) -> None:
        self.commands.pause.emit()

    @Slot()
    def reset(self) -> None:
        self.banner.hide()
        self.curves.clear()
        self.commands.reset.emit()

    @Slot()
    def lower_rates_and_reset(self) -> None:
        cfg = self.config.with_values({"opt_d.lr": max(1e-6, self.config.opt_d.lr / 10),
                                       "opt_g.lr": max(1e-6, self.config.opt_g.lr / 10)})
        self.set_config(cfg)
        self.reset()

    @Slot(str, object)
    def change(self, key: str, value) -> None:
        """A control changed one value: validate, then send the whole config to the worker."""
        if key == "target.preset" and value == "points" and not self.config.target.points_file:
            self.load_points()  # with no file yet, validation would refuse 'points': ask for the file
            return
        try:
            new = self.config.with_value(key, value)
        except (ConfigError, ValueError) as e:
            self.statusBar().showMessage(str(e), 8000)
            self.controls.set_config(self.config)  # show the value that still holds
            return
        self.set_config(new)

    def set_config(self, new: Config) -> None:
        if architecture_key(new) != architecture_key(self.config):
            self.curves.clear()
        self.config = new
        self.controls.set_config(new)
        self.commands.apply_config.emit(new)

    @Slot()
    def load_points(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Points CSV"), "", self.tr("CSV (*.csv *.txt)"))
            if not path:
                self.controls.set_config(self.config)
                return
        try:
            from_csv(path)  # check before switching: a bad file changes nothing
            new = self.config.with_values({"target.preset": "points", "target.points_file": path})
        except (TargetError, ConfigError) as e:
            self.statusBar().showMessage(self.tr("Could not load points: ") + str(e), 10000)
            self.controls.set_config(self.config)
            return
        self.set_config(new)

    @Slot(bool, bool, bool, bool, bool)
    def _layers(self, heatmap, real, fake, push, manifold) -> None:
        self.field.set_layers(heatmap, real, fake, push, manifold)
        self.commands.set_overlays.emit(push, manifold)

    # ------------------------------------------------------- worker feedback
    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self.banner.show_message(message)
        self.statusBar().showMessage(self.tr("Training paused: diverged"), 10000)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    @Slot(str)
    def _on_info(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    @Slot(bool)
    def _on_playing(self, playing: bool) -> None:
        self.playing = playing
        self.act_play.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.act_play.setIcon(self.style().standardIcon(
            self.style().StandardPixmap.SP_MediaPause if playing else self.style().StandardPixmap.SP_MediaPlay))

    @Slot(object, object)
    def _on_config_rejected(self, refused: Config, in_force: Config) -> None:
        """The worker refused a config (e.g. CUDA chosen where there is none): unless a newer one is on
        its way, show and keep the config still in force, so later changes do not inherit the bad value."""
        if refused is self.config:
            self.config = in_force
            self.controls.set_config(in_force)

    @Slot(object, bool)
    def _on_config_applied(self, config: Config, reset: bool) -> None:
        if reset:
            self.banner.hide()
            self.statusBar().showMessage(
                self.tr("New networks built for the new architecture: training restarted from iteration 0"), 8000)

    # ----------------------------------------------------------------- drawing
    @Slot()
    def redraw(self) -> None:
        if self.worker is None:
            return
        snap = self.worker.latest
        now = time.perf_counter()
        if snap is not None and snap is not self._drawn:
            self._drawn = snap
            self.field.update_snapshot(snap)
            if snap.d_logits is not self._theory_src:  # D, D* and the caption change only on full frames
                self._theory_src = snap.d_logits
                self.theory.update_snapshot(snap)
            self.curves.update_snapshot(snap)
            self._frames += 1
            self.frames_drawn += 1
        if now - self._fps_t0 >= 1.0:
            self.fps = self._frames / (now - self._fps_t0)
            self._frames, self._fps_t0 = 0, now
            self._update_status()

    def _update_status(self) -> None:
        snap = self._drawn
        if snap is None:
            return
        frozen = [n for n, f in (("G", snap.freeze_g), ("D", snap.freeze_d)) if f]
        self.status_label.setText(
            self.tr("iteration {0:,}   {1:,.0f} it/s   {2:.0f} fps   device {3}   seed {4}").format(
                snap.iteration, self.worker.its_per_sec, self.fps, snap.device, snap.seed)
            + ("   " + self.tr("frozen: {0}").format(", ".join(frozen)) if frozen else ""))

    # ------------------------------------------------------------------ close
    def shutdown(self) -> None:
        self._timer.stop()
        if self.thread is not None:
            self.thread.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
