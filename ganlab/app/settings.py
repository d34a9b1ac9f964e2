"""What the app remembers between launches, through QSettings: window geometry, dock layout, the last
settings (the recent sessions and the language are kept by their own parts, in the same store).

Settings live in QSettings("ganlab", "ganlab"), or in the INI file named by $GANLAB_SETTINGS. They are read
and written only by the real app (organization "ganlab", as `ganlab` sets it) or when $GANLAB_SETTINGS is
set; tests isolate the store with a fixture (tests/app/conftest.py).
"""

from __future__ import annotations

import os
import tomllib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings

from ..core.config import Config, ConfigError

ORGANIZATION = APPLICATION = "ganlab"
SETTINGS_ENV = "GANLAB_SETTINGS"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_CONFIG = "settings/last_config"


def settings_enabled() -> bool:
    """Whether this process reads and writes the user's settings (see the module docstring)."""
    return bool(os.environ.get(SETTINGS_ENV)) or QCoreApplication.organizationName() == ORGANIZATION


def open_settings() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def app_settings() -> QSettings | None:
    """The store when this process keeps settings, else None."""
    return open_settings() if settings_enabled() else None


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


class SettingsKeeper(QObject):
    """Restores the last settings when built (before the worker exists), the layout on first show, and
    saves both on close."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.persist = settings_enabled()
        self.startup_message = ""
        self._layout_restored = False
        self.restore_config()
        window.installEventFilter(self)
        window.sigWorkerAttached.connect(self._repeat_message)

    def restore_config(self) -> None:
        """The last settings, if any (a bad stored config is ignored with a message)."""
        if not self.persist:
            return
        text = open_settings().value(KEY_CONFIG, "")
        if not isinstance(text, str) or not text.strip():
            return
        try:
            cfg, note = config_from_settings_text(text)
        except (ConfigError, ValueError) as e:
            self._say(self.tr("The last settings could not be restored: {0}").format(e))
            return
        if note:
            self._say(self.tr("Last settings restored with the default target: {0}").format(note))
        self.window.state.request(cfg)   # no worker yet: it is built from this config

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

    def save(self) -> None:
        """On close: geometry, layout and the settings the worker last accepted."""
        if not self.persist:
            return
        w = self.window
        s = open_settings()
        s.setValue(KEY_GEOMETRY, w.saveGeometry())
        s.setValue(KEY_STATE, w.saveState())
        s.setValue(KEY_CONFIG, (w.state.in_force if w.worker is not None else w.state.config).to_toml())
        s.sync()

    def _say(self, text: str) -> None:
        self.startup_message = text
        self.window.statusBar().showMessage(text, 10000)

    def _repeat_message(self, _worker) -> None:
        if self.startup_message:  # attach_worker clears the status bar: show it again
            self.window.statusBar().showMessage(self.startup_message, 10000)
            self.startup_message = ""

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            t = event.type()
            if t == QEvent.Type.Show and not self._layout_restored:
                self.restore_layout()
            elif t == QEvent.Type.Close:
                self.save()
        return False
