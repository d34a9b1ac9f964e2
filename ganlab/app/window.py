"""The main window: the shell that builds every part of the app, and the one path between them.

controls -> AppState + commands to the worker -> trainer -> Snapshot -> views. The window builds its parts
explicitly here (views, controls, transport, sessions, export, recording, presenter mode, language, lessons,
the shortcut sheet) and wires them with signals; the config and the rest of the app's state live in one
AppState (state.py), changed only through the methods below. The window never computes the GAN.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow

from ..core.config import Config, ConfigError, architecture_key
from ..core.presets import from_csv
from ..core.target import GaussianMixture, TargetError
from . import menus, perf
from .banner import DivergenceBanner
from .commands import Commands
from .compare import Compare
from .controls import ControlsPanel
from .export import Exporter
from .highlight import highlight
from .language import LanguageMenu, current_language, install_translator
from .lecture import Lecture, build_tabs
from .lessons import LessonController
from .presenter import Presenter
from .recording import Recorder
from .scrubber import Scrubber
from .sessions import SessionController
from .settings import SettingsKeeper
from .shortcuts import ShortcutOverlay
from .state import AppState, Layers
from .transport import CURVES_FPS, SPEEDS, Transport
from .undo import History
from .views.curves_view import CurvesView
from .views.equation_board import EquationBoard
from .views.field_view import FieldView
from .views.layout import ViewArea
from .views.theory_view import TheoryView
from .views.world1d_view import World1DView

# The GUI looks for a new snapshot every FRAME_MS and draws it. Half the snapshot interval (worker.py), so
# that a snapshot that comes early (the worker catching up its beat) is not replaced before it is drawn.
FRAME_MS = 8
DEFAULT_SIZE = (1500, 950)
RESET_CONFIRM = 1000     # iterations from which Reset asks for a second press ...
RESET_CONFIRM_S = 3.0    # ... within this many seconds


class MainWindow(QMainWindow):
    sigWorkerAttached = Signal(object)   # the TrainingWorker, once built: parts that talk to it connect then

    def __init__(self, config: Config | None = None, target: GaussianMixture | None = None,
                 deferred: bool = False):
        """deferred=True shows the window first and builds the trainer on `attach_worker()`:
        importing torch takes seconds, and people should see the window at once."""
        super().__init__()
        self._closed = False         # set on close: a closed window no longer retranslates (changeEvent)
        self.setWindowTitle("ganlab")
        self.state = AppState((config or Config()).validate(), language=current_language())
        self.commands = Commands()
        self.history = History(self)     # undo/redo of target edits and settings
        self.worker = None
        self.worker_thread = None
        self.playing = False
        self.drawn = None            # the Snapshot drawn last
        self._theory_src = None
        self._initial_target = target
        self._frames = 0
        self.frames_drawn = 0
        self._fps_t0 = time.perf_counter()
        self.fps = 0.0

        self._build_views()
        self.controls = ControlsPanel(self.state.config)
        self.controls_dock = self._build_controls_dock()
        self._connect()
        self.transport = Transport(self)
        self.act_play, self.act_step, self.act_step_d, self.act_step_g, self.act_reset = self.transport.actions()
        self.speed = self.transport.speed
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.settings = SettingsKeeper(self)           # the last settings, before anything reads the config
        self.sessions = SessionController(self)
        self.exporter = Exporter(self)
        self.recorder = Recorder(self)
        self.presenter = Presenter(self)
        self.scrubber = Scrubber(self)                 # rewind: the run's kept frames
        self.lecture_shell = Lecture(self)             # the theory tabs' workspace, probe clicks, 1-D or 2-D
        self.lecture_shell.connect_clicks()
        self.compare = Compare(self)                   # the seed grid and twin runs windows
        self.language_menu = LanguageMenu(self)
        self.lesson_controller, self.lessons_error = LessonController.from_files(self)
        self.shortcut_overlay = ShortcutOverlay(self)
        self.menus = menus.MenuBar(self)
        self.menu_file, self.menu_edit, self.menu_view = self.menus.file, self.menus.edit, self.menus.view
        self.menu_train = self.menus.train
        self.menu_lessons, self.menu_help = self.menus.lessons, self.menus.help
        self.act_controls = self.menus.action(menus.view_menu.DockToggle)
        self.act_presenter = self.presenter.action
        self.retranslate()
        self.resize(self.default_size())
        self._reset_armed_until = 0.0

        perf.collect_garbage_in_gui_thread()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.redraw)
        if deferred:
            self.statusBar().showMessage(self.tr("Loading PyTorch…"))
        else:
            self.attach_worker()

    @property
    def config(self) -> Config:
        """The config asked for last (what the controls show); the worker's is state.in_force."""
        return self.state.config

    def attach_worker(self) -> None:
        """Build the trainer, start its thread and begin drawing."""
        from .worker import TrainingWorker, WorkerThread  # imports torch

        self.worker = TrainingWorker(self.state.config, self._initial_target)
        self.state.accepted(self.state.config)
        self.worker_thread = WorkerThread(self.worker)
        self.commands.connect_to(self.worker)
        w = self.worker
        w.sigDiverged.connect(self._on_diverged)
        w.sigError.connect(self._on_error)
        w.sigInfo.connect(self._on_info)
        w.sigPlaying.connect(self._on_playing)
        w.sigConfigApplied.connect(self._on_config_applied)
        w.sigConfigRejected.connect(self._on_config_rejected)
        w.sigSessionLoaded.connect(self._on_session_loaded)
        w.sigAdopted.connect(self._on_adopted)
        self.set_speed(self.speed.currentIndex())  # chosen while torch loaded: the new worker takes it too
        self.worker_thread.start()
        self._timer.start()
        self.statusBar().clearMessage()
        self.sigWorkerAttached.emit(self.worker)
        self.redraw()

    # ----------------------------------------------------------------- layout
    def _build_views(self) -> None:
        self.field = FieldView()
        self.world1d = World1DView()     # in the field's place for a 1-D target (the paper's Figure 1)
        self.theory = TheoryView()
        self.board = EquationBoard()     # the lecture's formulas with live values
        self.lecture, self.saturation, self.probe = build_tabs(self.theory, self.board)
        self.curves = CurvesView(max_fps=CURVES_FPS)
        self.banner = DivergenceBanner()
        self.view_area = ViewArea(self.field, self.lecture, self.curves, self.banner, line=self.world1d)
        self.setCentralWidget(self.view_area)

    def default_size(self) -> QSize:
        """DEFAULT_SIZE where it fits, else what the screen has room for (a 1366x768 laptop, a 1280x720
        projector): the views, the docks and the status bar all on screen. The size people choose is saved on
        close and restored at the next start (settings.py)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        w, h = DEFAULT_SIZE
        if screen is None:
            return QSize(w, h)
        room = screen.availableGeometry()
        frame = 40   # the title bar and borders the window manager adds around the window
        return QSize(min(w, room.width() - 16), min(h, room.height() - frame))

    def views(self) -> tuple:
        """The SnapshotViews (views/protocol.py), in drawing order (the lecture tabs hold the theory panels)."""
        return (self.field, self.world1d, self.lecture, self.curves)

    def stage(self):
        """The view in the field's place: the 2-D field, or the 1-D view for a 1-D target."""
        return self.view_area.stage_view()

    def _build_controls_dock(self) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName("controls")
        dock.setWidget(self.controls)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)
        return dock

    def _connect(self) -> None:
        f, c, s, cmd = self.field, self.controls, self.state, self.commands
        f.sigModeMoved.connect(cmd.move_mode)
        f.sigModeAdded.connect(cmd.add_mode)
        f.sigModeRemoved.connect(cmd.remove_mode)
        f.sigModeStdChanged.connect(cmd.set_mode_std)
        h = self.history
        f.sigModeMoved.connect(h.mode_moved)
        f.sigModeAdded.connect(h.mode_added)
        f.sigModeRemoved.connect(h.mode_removed)
        f.sigModeStdChanged.connect(h.mode_std_changed)
        f.sigStrokeStarted.connect(h.begin_stroke)      # a brush stroke's adds: one undo step
        f.sigStrokeFinished.connect(h.end_stroke)
        line = self.world1d                              # the 1-D view edits the target the same way
        for sig, slots in ((line.sigModeMoved, (cmd.move_mode, h.mode_moved)),
                           (line.sigModeAdded, (cmd.add_mode, h.mode_added)),
                           (line.sigModeRemoved, (cmd.remove_mode, h.mode_removed)),
                           (line.sigModeStdChanged, (cmd.set_mode_std, h.mode_std_changed))):
            for slot in slots:
                sig.connect(slot)
        self.banner.reset_btn.clicked.connect(self.reset)
        self.banner.lower_btn.clicked.connect(self.lower_rates_and_reset)
        c.sigChanged.connect(self.change)
        c.sigLayers.connect(self.set_layers)
        c.sigFreeze.connect(self.set_freeze)
        c.sigLoadPoints.connect(self.load_points)
        c.sigSetDStar.connect(self.commands.set_d_to_dstar)
        self.board.term_clicked.connect(lambda key: highlight(self, key))
        s.config_changed.connect(c.set_config)
        s.freeze_changed.connect(c.show_freeze)
        s.layers_changed.connect(c.show_layers)

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
    def ask_reset(self) -> None:
        """Reset from the toolbar or R: a long run is not wiped by one stray key. Past RESET_CONFIRM
        iterations the first press says what would be lost and a second within RESET_CONFIRM_S resets."""
        it = self.drawn.iteration if self.drawn is not None else 0
        now = time.monotonic()
        if it < RESET_CONFIRM or now < self._reset_armed_until:
            self._reset_armed_until = 0.0
            self.reset()
            return
        self._reset_armed_until = now + RESET_CONFIRM_S
        self.statusBar().showMessage(self.tr("Press Reset (R) again to discard {0:,} iterations and start from new "
                                             "networks").format(it), int(RESET_CONFIRM_S * 1000))

    @Slot()
    def reset(self) -> None:
        self.banner.hide()
        self.curves.clear()
        self.commands.reset.emit()

    @Slot()
    def lower_rates_and_reset(self) -> None:
        cfg = self.config.with_values({"opt_d.lr": max(1e-6, self.config.opt_d.lr / 10),
                                       "opt_g.lr": max(1e-6, self.config.opt_g.lr / 10)})
        self.apply_config(cfg)
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
            self.state.show(self.config)  # show the value that still holds
            return
        if new != self.config:
            self.history.config_change(self.config, new, key)
        self.apply_config(new)

    def apply_config(self, new: Config) -> None:
        """The one path by which a config reaches the worker."""
        if architecture_key(new) != architecture_key(self.config):
            self.curves.clear()
        self.state.request(new)
        self.commands.apply_config.emit(new)

    @Slot()
    def load_points(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Points CSV"), "", self.tr("CSV (*.csv *.txt)"))
            if not path:
                self.state.show(self.config)
                return
        try:
            from_csv(path)  # check before switching: a bad file changes nothing
            new = self.config.with_values({"target.preset": "points", "target.points_file": path})
        except (TargetError, ConfigError) as e:
            self.statusBar().showMessage(self.tr("Could not load points: ") + str(e), 10000)
            self.state.show(self.config)
            return
        self.history.config_change(self.config, new, "target.points_file")
        self.apply_config(new)

    @Slot(bool, bool)
    def set_freeze(self, freeze_g: bool, freeze_d: bool) -> None:
        self.state.set_freeze(freeze_g, freeze_d)
        self.commands.set_freeze.emit(*self.state.freeze)

    @Slot(object)
    def set_layers(self, layers: Layers) -> None:
        self.state.set_layers(layers)
        self.field.set_layers(layers)
        self.world1d.set_layers(layers)
        self.commands.set_overlays.emit(layers.push, layers.manifold)

    def set_language(self, lang: str) -> str:
        """Switch the app's language now: Qt's LanguageChange makes every part retranslate itself. Qt posts
        that event to the windows; it is delivered here at once, so the switch is whole when this returns."""
        lang = install_translator(None, lang)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.state.set_language(lang)
        return lang

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
        self.transport.show_playing(playing)
        self._update_status()

    @Slot(object, object)
    def _on_config_rejected(self, refused: Config, in_force: Config) -> None:
        """The worker refused a config (e.g. CUDA chosen where there is none)."""
        self.state.rejected(refused, in_force)

    @Slot(object, bool)
    def _on_config_applied(self, config: Config, reset: bool) -> None:
        self.state.accepted(config)
        if reset:
            self.banner.hide()
            self.statusBar().showMessage(
                self.tr("New networks built for the new architecture: training restarted from iteration 0"), 8000)

    @Slot(object)
    def _on_session_loaded(self, data) -> None:
        self.banner.hide()
        self.history.clear()   # another run: its edits are not this one's
        self.scrubber.clear()   # and its past is not this one's
        self.state.loaded(data.config, data)
        self.set_freeze(data.freeze_g, data.freeze_d)
        self.curves.clear()  # the history was replaced: draw it from scratch
        if self.worker is not None and self.worker.latest is not None:
            self.curves.update_snapshot(self.worker.latest)

    @Slot(object)
    def open_trainer(self, trainer) -> None:
        """Continue a run of the seed grid or the twin runs here, paused, from its state; a new run for the
        undo history, the rewind bar and the curves."""
        self.pause()
        self.history.clear()
        self.scrubber.clear()
        self.curves.clear()
        self.set_freeze(False, False)
        token = object()   # answered like a loaded session: the run's config becomes the one asked for
        self.state.loading(token)
        self.commands.adopt.emit(trainer.state_dict(), token)
        self.statusBar().showMessage(self.tr("Opened seed {0} at iteration {1} as the main run").format(
            trainer.config.train.seed, trainer.iteration), 8000)
        self.activateWindow()

    @Slot(object, object)
    def _on_adopted(self, config: Config, token) -> None:
        self.state.loaded(config, token)

    # ----------------------------------------------------------------- drawing
    def draw_afresh(self) -> None:
        """The next frame draws the newest snapshot into every view, even the one drawn last (after the views
        showed something else: a rewound moment)."""
        self.drawn = None
        self._theory_src = None

    @Slot()
    def redraw(self) -> None:
        if self.worker is None:
            return
        snap = self.worker.latest
        now = time.perf_counter()
        if snap is not None and snap is not self.drawn:
            self.drawn = snap
            self.scrubber.offer(snap)
            if self.scrubber.showing is None:   # else rewound: field and theory show a kept frame
                self.lecture_shell.follow(snap)
                self.stage().update_snapshot(snap)
                if snap.d_logits is not self._theory_src:  # D, D* and the caption change only on full frames
                    self._theory_src = snap.d_logits
                    self.lecture.update_snapshot(snap)
            self.curves.update_snapshot(snap)
            self._frames += 1
            self.frames_drawn += 1
        if now - self._fps_t0 >= 1.0:
            self.fps = self._frames / (now - self._fps_t0)
            self._frames, self._fps_t0 = 0, now
            self._update_status()

    def _update_status(self) -> None:
        snap = self.drawn
        if snap is None:
            return
        frozen = [n for n, f in (("G", snap.freeze_g), ("D", snap.freeze_d)) if f]
        if self.playing:
            text = self.tr("iteration {0:,}   {1:,.0f} it/s   {2:.0f} fps   device {3}   seed {4}").format(
                snap.iteration, self.worker.its_per_sec, self.fps, snap.device, snap.seed)
        else:   # no stale it/s: say that it is paused
            text = self.tr("PAUSED at iteration {0:,}   device {1}   seed {2}").format(
                snap.iteration, snap.device, snap.seed)
        self.status_label.setText(text + ("   " + self.tr("frozen: {0}").format(", ".join(frozen)) if frozen else ""))

    # ------------------------------------------------------------ language
    def retranslate(self) -> None:
        self.controls_dock.setWindowTitle(self.tr("Controls"))
        for part in (self.transport, self.scrubber, self.menus, self.sessions, self.exporter, self.recorder,
                     self.presenter, self.language_menu, self.lesson_controller, self.shortcut_overlay,
                     self.lecture_shell, self.compare):
            if part is not None:
                part.retranslate()
        self._update_status()

    def changeEvent(self, event) -> None:
        # A closed window is on its way out: Qt deletes its menus before it, and a translator installed meanwhile
        # (another window's language switch) would reach parts that are gone.
        if event.type() == QEvent.Type.LanguageChange and not self._closed:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ close
    def shutdown(self) -> None:
        self._closed = True
        self._timer.stop()
        self.compare.close_all()
        if self.worker_thread is not None:
            self.worker_thread.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
