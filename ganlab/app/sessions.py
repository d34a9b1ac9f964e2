"""Sessions in the app: File > Open session, Save session, Open recent.

The file is read and validated in the GUI thread (a bad file is refused before the worker hears of
it); the worker applies the validated session between chunks and answers with sigSessionLoaded, and
writes sessions between chunks, answering with sigSessionSaved. Nothing here touches the trainer; the
window takes the loaded session's config and freezes into its state (MainWindow._on_session_loaded).
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from .file_names import file_name
from .settings import app_settings

MAX_RECENT = 8
KEY_RECENT = "sessions/recent"
KEY_DIR = "sessions/last_dir"


class SessionController(QObject):
    """Lives in the GUI thread: the menu actions (menus/file_menu.py places them) and the recent list."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.recent: list[str] = []
        self.last_error = ""
        self.last_loaded = None  # the SessionData last loaded, and (path, error) of the last save
        self.last_saved: tuple[str, str] | None = None
        self._load_recent()
        self._build_actions()
        window.sigWorkerAttached.connect(self._connect_worker)

    # ----------------------------------------------------------------- menus
    def _build_actions(self) -> None:
        w = self.window
        self.act_open = QAction(w)
        self.act_open.setShortcut(QKeySequence.StandardKey.Open)
        self.act_open.triggered.connect(self.open_dialog)
        self.act_save = QAction(w)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.triggered.connect(self.save_dialog)
        self.menu_recent = QMenu(w)
        for a in (self.act_open, self.act_save):
            w.addAction(a)  # the shortcuts also work while the menu bar is hidden (presenter mode)
        self.retranslate()

    def retranslate(self) -> None:
        self.act_open.setText(self.tr("&Open session…"))
        self.act_open.setToolTip(self.tr("Continue a saved session: settings, target, both networks, "
                                         "optimizers, curves and iteration"))
        self.act_save.setText(self.tr("&Save session…"))
        self.act_save.setToolTip(self.tr("Save everything needed to continue this run exactly, in one file"))
        self.menu_recent.setTitle(self.tr("Open &recent"))
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
    @Slot(object)
    def _connect_worker(self, worker) -> None:
        worker.sigSessionSaved.connect(self._on_saved)
        worker.sigSessionLoaded.connect(self._on_loaded)

    def _ready(self) -> bool:
        if self.window.worker is None:
            self._error(self.tr("Training is still starting; try again in a moment."))
            return False
        return True

    # ------------------------------------------------------------------ save
    def default_name(self) -> str:
        from ..core.session import SUFFIX  # torch: loaded by now (the worker exists)

        cfg = self.window.config
        snap = self.window.worker.latest if self.window.worker is not None else None
        it = snap.iteration if snap is not None else 0
        return file_name(cfg.target.preset, cfg.train.loss, it, None, SUFFIX)   # the exports' style

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
        from ..core.session import SUFFIX

        p = Path(path).expanduser()
        if not p.suffix:
            p = p.with_suffix(SUFFIX)
        self.window.statusBar().showMessage(self.tr("Saving session to {0}…").format(p.name))
        self.window.commands.save_session.emit(str(p))
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
        self.window.state.loading(data)
        self.window.commands.load_session.emit(data)
        return True

    @Slot(object)
    def _on_loaded(self, data) -> None:
        w = self.window
        self.last_loaded = data
        self.last_error = ""
        self.add_recent(data.path)
        self._remember_dir(data.path)
        text = self.tr("Session loaded: {0}, iteration {1:,} (paused)").format(Path(data.path).name, data.iteration)
        if data.warnings:
            text += " (" + "; ".join(data.warnings) + ")"
        w.statusBar().showMessage(text, 10000)

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
        s = app_settings()
        if s is not None:
            s.setValue(KEY_RECENT, json.dumps(self.recent))
            s.sync()

    def _load_recent(self) -> None:
        s = app_settings()
        if s is None:
            return
        try:
            items = json.loads(str(s.value(KEY_RECENT, "[]")))
        except ValueError:
            items = []
        if isinstance(items, list):
            self.recent = [p for p in items if isinstance(p, str) and p][:MAX_RECENT]

    def _last_dir(self) -> str:
        s = app_settings()
        if s is not None:
            d = s.value(KEY_DIR, "")
            if isinstance(d, str) and d and Path(d).is_dir():
                return d
        return str(Path.cwd())

    def _remember_dir(self, path: str) -> None:
        s = app_settings()
        if s is not None:
            s.setValue(KEY_DIR, str(Path(path).resolve().parent))
            s.sync()

    # --------------------------------------------------------------- errors
    def _error(self, text: str) -> None:
        self.last_error = text
        self.window.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("ganlab"), text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the app (and training) keep running behind the message
