"""Sessions in the app: File > Open session, Save session, Open recent; and what the app remembers
between launches (window geometry, dock layout, the last settings) through QSettings.

The file is read and validated in the GUI thread (a bad file is refused before the worker hears of
it); the worker applies the validated session between chunks and answers with sigSessionLoaded, and
writes sessions between chunks, answering with sigSessionSaved. Nothing here touches the trainer.

Settings live in QSettings("ganlab", "ganlab"), or in the INI file named by $GANLAB_SETTINGS. They are
read and written only by the real app (organization "ganlab", as `ganlab` sets it) or when
$GANLAB_SETTINGS is set, and never under pytest without it: tests never touch the user's settings.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ..core.config import Config, ConfigError

ORGANIZATION = APPLICATION = "ganlab"
SETTINGS_ENV = "GANLAB_SETTINGS"
SUFFIX = ".ganlab"
MAX_RECENT = 8
KEY_RECENT = "sessions/recent"
KEY_DIR = "sessions/last_dir"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_CONFIG = "settings/last_config"


def settings_enabled() -> bool:
    """Whether this process reads and writes the user's settings (see the module docstring)."""
    if os.environ.get(SETTINGS_ENV):
        return True
    if "PYTEST_CURRENT_TEST" in os.environ:
        return False
    return QCoreApplication.organizationName() == ORGANIZATION


def open_settings() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def config_from_settings_text(text: str) -> tuple[Config, str]:
    """The last settings from their TOML text, made safe to start with; (config, note about changes).

    Raises ConfigError or ValueError when the text is not a valid config.
    """
    cfg = Config.from_dict(tomllib.loads(text))
    notes = []
    if cfg.train.device == "cuda":  # checking for CUDA needs torch; 'auto' still picks it when present
        cfg = cfg.with_value("train.device", "auto")
    if cfg.target.preset == "points":
        from ..core.presets import from_csv
        from ..core.target import TargetError

        try:
            from_csv(cfg.target.points_file)
        except (TargetError, OSError) as e:
            cfg = cfg.with_values({"target.preset": Config().target.preset, "target.points_file": None})
            notes.append(str(e))
    return cfg, "; ".join(notes)


class SessionCommands(QObject):
    """Queued commands into the training thread (connected to the worker's slots)."""

    save = Signal(str)
    load = Signal(object)


class SessionController(QObject):
    """Lives in the GUI thread: the menu actions, the recent list, settings persistence."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.commands = SessionCommands()
        self.persist = settings_enabled()
        self.recent: list[str] = []
        self.accepted_config: Config | None = None  # the config the worker last accepted
        self.last_error = ""
        self.last_loaded = None  # the SessionData last loaded, and (path, error) of the last save
        self.last_saved: tuple[str, str] | None = None
        self._config_at_load = None  # window.config when the last load was sent to the worker
        self._worker = None
        self._layout_restored = False
        self._startup_message = ""
        self._load_recent()
        self._build_actions()
        window.installEventFilter(self)

    # ----------------------------------------------------------------- menus
    def _build_actions(self) -> None:
        w = self.window
        self.act_open = QAction(self.tr("&Open session…"), w)
        self.act_open.setShortcut(QKeySequence.StandardKey.Open)
        self.act_open.setToolTip(self.tr("Continue a saved session: settings, target, both networks, "
                                         "optimizers, curves and iteration"))
        self.act_open.triggered.connect(self.open_dialog)
        self.act_save = QAction(self.tr("&Save session…"), w)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.setToolTip(self.tr("Save everything needed to continue this run exactly, in one file"))
        self.act_save.triggered.connect(self.save_dialog)
        self.menu_recent = QMenu(self.tr("Open &recent"), w)
        menu = w.menu_file
        menu.addAction(self.act_open)
        menu.addMenu(self.menu_recent)
        menu.addAction(self.act_save)
        menu.addSeparator()
        for a in (self.act_open, self.act_save):
            w.addAction(a)  # the shortcuts also work while the menu bar is hidden (presenter mode)
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        m = self.menu_recent
        m.clear()
        for i, path in enumerate(self.recent, start=1):
            a = m.addAction(f"&{i} {Path(path).name}")
            a.setToolTip(path)
            a.setStatusTip(path)
            a.setData(path)
            a.triggered.connect(self._open_recent)
        if not self.recent:
            none = m.addAction(self.tr("(no recent sessions)"))
            none.setEnabled(False)
        m.addSeparator()
        clear = m.addAction(self.tr("Clear list"))
        clear.setEnabled(bool(self.recent))
        clear.triggered.connect(self.clear_recent)

    @Slot()
    def _open_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data():
            self.open_path(str(action.data()))

    # ------------------------------------------------------------ the worker
    def connect_worker(self) -> None:
        w = self.window.worker
        if w is None or w is self._worker:
            return
        self._worker = w
        self.commands.save.connect(w.save_session)
        self.commands.load.connect(w.load_session)
        w.sigSessionSaved.connect(self._on_saved)
        w.sigSessionLoaded.connect(self._on_loaded)
        w.sigConfigApplied.connect(self._on_config_applied)
        self.accepted_config = self.window.config  # the worker was built from it
        if self._startup_message:  # attach_worker clears the status bar: show it again
            self.window.statusBar().showMessage(self._startup_message, 10000)
            self._startup_message = ""

    def _ready(self) -> bool:
        self.connect_worker()
        if self._worker is None:
            self._error(self.tr("Training is still starting; try again in a moment."))
            return False
        return True

    # ------------------------------------------------------------------ save
    def default_name(self) -> str:
        cfg = self.window.config
        snap = self.window.worker.latest if self.window.worker is not None else None
        it = snap.iteration if snap is not None else 0
        return f"{cfg.target.preset}-{cfg.train.loss}-it{it}{SUFFIX}"

    @Slot()
    def save_dialog(self) -> None:
        if not self._ready():
            return
        start = str(Path(self._last_dir()) / self.default_name())
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save session"), start,
                                              self.tr("ganlab sessions (*.ganlab);;All files (*)"))
        if path:
            self.save_path(path)

    def save_path(self, path: str) -> bool:
        """Ask the worker to save to `path` (".ganlab" added when it has no suffix); the answer comes
        back as sigSessionSaved. Returns False when nothing was sent."""
        if not self._ready():
            return False
        p = Path(path).expanduser()
        if not p.suffix:
            p = p.with_suffix(SUFFIX)
        self.window.statusBar().showMessage(self.tr("Saving session to {0}…").format(p.name))
        self.commands.save.emit(str(p))
        return True

    @Slot(str, str)
    def _on_saved(self, path: str, error: str) -> None:
        self.last_saved = (path, error)
        if error:
            self._error(self.tr("Could not save session {0}: {1}").format(Path(path).name, error))
            return
        self.last_error = ""
        self.add_recent(path)
        self._remember_dir(path)
        self.window.statusBar().showMessage(self.tr("Session saved: {0}").format(path), 8000)

    # ------------------------------------------------------------------ load
    @Slot()
    def open_dialog(self) -> None:
        if not self._ready():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open session"), self._last_dir(),
                                              self.tr("ganlab sessions (*.ganlab);;All files (*)"))
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Read and check the file here; only a complete, valid session goes to the worker.
        A bad file shows a message and changes nothing. Returns whether the session was sent."""
        from ..core.session import SessionError, load_session

        if not self._ready():
            return False
        try:
            data = load_session(path)
        except SessionError as e:
            if not Path(path).exists() and path in self.recent:
                self.recent.remove(path)
                self._recent_changed()
            self._error(self.tr("Could not open session {0}: {1}").format(Path(path).name, e))
            return False
        except Exception as e:  # never a traceback for a file someone picked
            self._error(self.tr("Could not open session {0}: {1}: {2}").format(Path(path).name,
                                                                               type(e).__name__, e))
            return False
        self.window.statusBar().showMessage(self.tr("Loading session {0}…").format(Path(path).name))
        self._config_at_load = self.window.config
        self.commands.load.emit(data)
        return True

    @Slot(object)
    def _on_loaded(self, data) -> None:
        w = self.window
        self.last_loaded = data
        self.last_error = ""
        self.accepted_config = data.config
        w.banner.hide()
        # A setting changed after the load was sent reached the worker after the session and is what it
        # runs now: keep it. Otherwise the window takes the session's config, as the worker did.
        if self._config_at_load is None or w.config is self._config_at_load:
            w.config = data.config
            w.controls.set_config(data.config)
        w.controls.set_freeze(data.freeze_g, data.freeze_d)
        w.curves.clear()  # the history was replaced: draw it from scratch
        if w.worker is not None and w.worker.latest is not None:
            w.curves.update_snapshot(w.worker.latest)
        self.add_recent(data.path)
        self._remember_dir(data.path)
        text = self.tr("Session loaded: {0}, iteration {1:,} (paused)").format(Path(data.path).name, data.iteration)
        if data.warnings:
            text += " (" + "; ".join(data.warnings) + ")"
        w.statusBar().showMessage(text, 10000)

    @Slot(object, bool)
    def _on_config_applied(self, config, reset: bool) -> None:
        self.accepted_config = config

    # ---------------------------------------------------------------- recent
    def add_recent(self, path: str) -> None:
        path = str(Path(path).expanduser().resolve())
        self.recent = [path] + [p for p in self.recent if p != path]
        del self.recent[MAX_RECENT:]
        self._recent_changed()

    @Slot()
    def clear_recent(self) -> None:
        self.recent = []
        self._recent_changed()

    def _recent_changed(self) -> None:
        self._rebuild_recent_menu()
        if self.persist:
            s = open_settings()
            s.setValue(KEY_RECENT, json.dumps(self.recent))
            s.sync()

    def _load_recent(self) -> None:
        if not self.persist:
            return
        try:
            items = json.loads(str(open_settings().value(KEY_RECENT, "[]")))
        except ValueError:
            items = []
        if isinstance(items, list):
            self.recent = [p for p in items if isinstance(p, str) and p][:MAX_RECENT]

    def _last_dir(self) -> str:
        if self.persist:
            d = open_settings().value(KEY_DIR, "")
            if isinstance(d, str) and d and Path(d).is_dir():
                return d
        return str(Path.cwd())

    def _remember_dir(self, path: str) -> None:
        if self.persist:
            s = open_settings()
            s.setValue(KEY_DIR, str(Path(path).resolve().parent))
            s.sync()

    # -------------------------------------------------------------- settings
    def restore_config(self) -> None:
        """At start: the last settings, if any (a bad stored config is ignored with a message)."""
        if not self.persist:
            return
        text = open_settings().value(KEY_CONFIG, "")
        if not isinstance(text, str) or not text.strip():
            return
        w = self.window
        try:
            cfg, note = config_from_settings_text(text)
        except (ConfigError, ValueError) as e:
            self._startup_message = self.tr("The last settings could not be restored: {0}").format(e)
            w.statusBar().showMessage(self._startup_message, 10000)
            return
        if note:
            self._startup_message = self.tr("Last settings restored with the default target: {0}").format(note)
            w.statusBar().showMessage(self._startup_message, 10000)
        if w.worker is not None:
            w.set_config(cfg)
        else:
            w.config = cfg
            w.controls.set_config(cfg)

    def restore_layout(self) -> None:
        """Window geometry and dock/toolbar layout, once (on first show: every dock exists by then)."""
        self._layout_restored = True
        if not self.persist:
            return
        s = open_settings()
        geometry, state = s.value(KEY_GEOMETRY), s.value(KEY_STATE)
        if geometry:
            self.window.restoreGeometry(geometry)
        if state:
            self.window.restoreState(state)

    def save_settings(self) -> None:
        """On close: geometry, layout, the last accepted settings and the recent list."""
        if not self.persist:
            return
        w = self.window
        s = open_settings()
        s.setValue(KEY_GEOMETRY, w.saveGeometry())
        s.setValue(KEY_STATE, w.saveState())
        cfg = self.accepted_config or w.config
        s.setValue(KEY_CONFIG, cfg.to_toml())
        s.setValue(KEY_RECENT, json.dumps(self.recent))
        s.sync()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            t = event.type()
            if t == QEvent.Type.Show and not self._layout_restored:
                self.restore_layout()
            elif t == QEvent.Type.Close:
                self.save_settings()
        return False

    # --------------------------------------------------------------- errors
    def _error(self, text: str) -> None:
        self.last_error = text
        self.window.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("ganlab"), text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the app (and training) keep running behind the message


def install(window) -> SessionController:
    """Add File > Open session…, Open recent, Save session… and the settings persistence to `window`."""
    ctl = SessionController(window)
    window.sessions = ctl
    ctl.restore_config()
    attach = window.attach_worker

    def attach_worker() -> None:  # the worker is built after the menus: connect once it exists
        attach()
        ctl.connect_worker()

    window.attach_worker = attach_worker
    ctl.connect_worker()
    return ctl
