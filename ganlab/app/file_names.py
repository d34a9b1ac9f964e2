"""One rule for what ganlab names the files it writes from the File menu, and one folder to offer them in.

A teacher exporting a PNG, then recording a GIF for the same slide, should find both in the same folder
under names that sort together. So every export and recording (and the session save) takes its name from
`file_name` and its dialog's start folder from `export_folder`; a successful write moves that folder with
`remember_folder`. `ganlab run --out` keeps its fixed names (field.png, ...): scripts and docs rely on them.

The folder lives on the window (so two dialogs in one session agree even without settings) and, in the
real app, in QSettings (settings.app_settings(): tests keep theirs isolated), so the next launch offers it
again. Nothing remembered yet, or the folder is gone: the user's Pictures folder, else the home folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from .settings import app_settings

KEY_FOLDER = "export/last_dir"
LEGACY_KEYS = ("recording/last_dir",)   # recordings used to remember a folder of their own
PROPERTY = "ganlab_export_folder"       # the folder on the window object, for this session

_SAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def file_name(preset: str, loss: str, iteration: int, what: str | None, ext: str) -> str:
    """ganlab_<preset>_<loss>_it<iteration, 5 digits>[_<what>].<ext>: the one style, safe on every file system.

    Zero-padded iterations sort in training order; `what` (field, theory, curves, window) is left out for
    files that hold the whole run (a session).
    """
    parts = [_SAFE.sub("-", str(s)).strip("-") or "x" for s in (preset, loss)]
    tail = f"_{_SAFE.sub('-', str(what)).strip('-') or 'x'}" if what else ""
    return f"ganlab_{parts[0]}_{parts[1]}_it{max(0, int(iteration)):05d}{tail}.{ext.lstrip('.')}"


def settings_for(window) -> QSettings | None:
    """The window's own QSettings when it has one (tests), else the app's store when it keeps settings."""
    s = getattr(window, "settings", None)
    if isinstance(s, QSettings):
        return s
    return app_settings()


def default_folder() -> Path:
    """Pictures when the user has that folder, else home: where slides' images are usually looked for."""
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.home()


def export_folder(window) -> Path:
    """The folder the export and recording dialogs open in: the last one written to, if it still exists."""
    candidates = [window.property(PROPERTY)]
    s = settings_for(window)
    if s is not None:
        candidates += [s.value(k, "") for k in (KEY_FOLDER, *LEGACY_KEYS)]
    for c in candidates:
        if isinstance(c, str) and c and Path(c).is_dir():
            return Path(c)
    return default_folder()


def remember_folder(window, path: str | Path) -> None:
    """After a successful export or recording into `path`: its folder is where the next dialog opens."""
    folder = str(Path(path).expanduser().resolve().parent)
    window.setProperty(PROPERTY, folder)
    s = settings_for(window)
    if s is not None:
        s.setValue(KEY_FOLDER, folder)


def start_path(window, name: str) -> str:
    """The file dialog's start: `name` inside export_folder(window)."""
    return str(export_folder(window) / name)
