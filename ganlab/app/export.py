"""File > Export: any view or the whole window to PNG (1x/2x/3x) or SVG, and the curves' data to CSV.

An `Exporter` is the Export submenu (its `menu` goes into the window's File menu). The module functions
`export_png(window, what, path, scale)`, `export_svg(window, what, path)` and `export_csv(window, path)`
do the work without any dialog (tests and scripts call them directly); the menu actions only ask for
a file name first. Writes are atomic (temporary file, then rename): a failed write (missing folder, no
permission, full disk) leaves no half file and says why in the status bar; the app keeps running and
nothing modal appears except the file dialog itself.

Pictures are for slides: PNG defaults to 2x (the last scale chosen is remembered), and PNG and SVG carry a
small caption in a bottom corner (preset, loss, iteration, JSD: `stamp_for`) so a picture says which
moment of which run it shows; "Caption on pictures and recordings" turns it off, for recordings too.
File names and the dialogs' folder come from file_names.py, shared with the recorder.

Export only reads: the views as they are drawn and the worker's latest Snapshot (plain numpy copies),
never the trainer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from ..core.history import curves_csv
from . import file_names, render
from .file_names import settings_for

__all__ = ["DEFAULT_SCALE", "Exporter", "export_csv", "export_png", "export_svg", "latest_snapshot",
           "settings_for", "shown_snapshot", "stamp_for", "stamp_on", "suggested_name"]

MESSAGE_MS = 10_000
KEY_SCALE = "export/png_scale"
KEY_STAMP = "export/stamp"
KEY_DIR = file_names.KEY_FOLDER  # one folder for exports and recordings
SCALES = (1, 2, 3)             # the PNG scales offered
DEFAULT_SCALE = 2              # slides: a 1x picture blurs on a projector


def _labels() -> dict[str, str]:
    return {"field": QCoreApplication.translate("Export", "field view"),
            "theory": QCoreApplication.translate("Export", "theory view"),
            "curves": QCoreApplication.translate("Export", "curves"),
            "board": QCoreApplication.translate("Export", "equation board"),
            "window": QCoreApplication.translate("Export", "window")}


# ================================================================ helpers
def latest_snapshot(window):
    """The newest Snapshot the window knows: the worker's latest, else the last one drawn."""
    worker = getattr(window, "worker", None)
    snap = getattr(worker, "latest", None) if worker is not None else None
    return snap if snap is not None else window.drawn


def shown_snapshot(window, what: str = "window"):
    """The Snapshot the view `what` shows: the rewound frame while the field and theory show one, else the
    last one drawn, else the worker's latest. Names and captions say the moment that is in the picture."""
    scrubber = getattr(window, "scrubber", None)
    showing = getattr(scrubber, "showing", None)
    if showing is not None and what in ("field", "theory", "window"):
        return showing
    drawn = getattr(window, "drawn", None)
    return drawn if drawn is not None else latest_snapshot(window)


def stamp_on(window) -> bool:
    """Whether pictures and recordings get the caption (the Exporter's check box; on when there is none)."""
    exporter = getattr(window, "exporter", None)
    return bool(getattr(exporter, "stamp", True))


def stamp_for(window, what: str, stamp: bool | None = None) -> str | None:
    """The caption for a picture of view `what`, or None when it is off (`stamp` None: the window's choice)."""
    if not (stamp_on(window) if stamp is None else stamp):
        return None
    return render.stamp_text(shown_snapshot(window, what), window.config.target.preset) or None


def view_widget(window, what: str) -> QWidget:
    if what == "window":
        return window
    if what not in ("field", "theory", "curves"):
        raise ValueError(QCoreApplication.translate("Export", "unknown view '{0}'").format(what))
    if what == "field":
        return window.stage()   # the view in the field's place: the 1-D view for a 1-D target
    return getattr(window, what)


def suggested_name(window, what: str, ext: str) -> str:
    """e.g. ganlab_ring8_nonsaturating_it01234_field.png (file_names.file_name) for the moment on screen."""
    cfg = window.config
    snap = shown_snapshot(window, what)
    loss = getattr(snap, "loss", None) or cfg.train.loss
    iteration = getattr(snap, "iteration", 0) if snap is not None else 0
    return file_names.file_name(cfg.target.preset, loss, iteration, what, ext)


def _say(window, text: str) -> None:
    window.statusBar().showMessage(text, MESSAGE_MS)


def _fail(window, path, e: BaseException) -> bool:
    _say(window, QCoreApplication.translate("Export", "Could not export to {0}: {1}")
         .format(path, render.error_text(e)))
    return False


def _prepare(widget: QWidget) -> None:
    """Make the curves draw their newest snapshot now (they redraw on a throttle)."""
    flush = getattr(widget, "flush", None)
    if callable(flush):
        flush()


# ================================================================ exports (no dialogs)
def export_png(window, what: str, path: str | Path, scale: float = DEFAULT_SCALE, stamp: bool | None = None) -> bool:
    """Write view `what` ('field', 'theory', 'curves' or 'window') as a PNG `scale` times its size, with the
    caption unless `stamp` is False (None: as the Export menu says)."""
    path = Path(path)
    try:
        widget = view_widget(window, what)
        if what == "curves":
            _prepare(widget)
        img = render.render_image(widget, scale, stamp=stamp_for(window, what, stamp))
        render.write_file(path, render.image_png_bytes(img))
    except (OSError, ValueError) as e:
        return _fail(window, path, e)
    _say(window, QCoreApplication.translate("Export", "Exported the {0} to {1} ({2} × {3} px)").format(
        _labels().get(what, what), path, img.width(), img.height()))
    return True


def export_svg(window, what: str, path: str | Path, stamp: bool | None = None) -> bool:
    """Write view `what` as SVG (vector text, lines and points; heatmaps embedded as images), captioned as PNG."""
    path = Path(path)
    try:
        widget = view_widget(window, what)
        if what == "curves":
            _prepare(widget)
        snap = shown_snapshot(window, what)
        desc = "" if snap is None else f"iteration {snap.iteration}, loss {snap.loss}, seed {snap.seed}"
        render.write_file(path, render.svg_bytes(widget, "ganlab " + what, desc, stamp_for(window, what, stamp)))
    except (OSError, ValueError) as e:
        return _fail(window, path, e)
    _say(window, QCoreApplication.translate("Export", "Exported the {0} to {1}")
         .format(_labels().get(what, what), path))
    return True


def export_board(window, path: str | Path, scale: float = DEFAULT_SCALE) -> bool:
    """The equation board with its current values: typeset anew at `scale` for PNG, vector formulas for SVG."""
    snap = latest_snapshot(window)
    try:
        if snap is not None:
            window.board.update_snapshot(snap)
        size = window.board.export(path, scale)
    except (OSError, ValueError) as e:
        return _fail(window, path, e)
    _say(window, QCoreApplication.translate("Export", "Exported the {0} to {1} ({2} × {3} px)").format(
        _labels().get("board", "board"), path, size.width(), size.height()))
    return True


def export_csv(window, path: str | Path) -> bool:
    """Write every curve's data (losses per iteration, metrics per refresh) as one CSV joined on `step`."""
    path = Path(path)
    snap = latest_snapshot(window)
    if snap is None:
        _say(window, QCoreApplication.translate("Export", "Nothing to export yet: no training state"))
        return False
    try:
        text = curves_csv(snap.losses, snap.metrics)
        render.write_file(path, text)
    except (OSError, ValueError) as e:
        return _fail(window, path, e)
    rows = text.count("\n") - 1
    _say(window, QCoreApplication.translate("Export", "Exported {0} rows of curve data to {1}").format(rows, path))
    return True


# ================================================================ menu
KEYS = {"png:window": "Ctrl+E", "svg:window": "Ctrl+Shift+E", "png:field": "Ctrl+Alt+E", "csv:curves": "Ctrl+Shift+C"}


def _stored_bool(value, default: bool) -> bool:
    """A bool from QSettings (an INI file gives back 'true'/'false' strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    return default


class Exporter(QObject):
    """The Export submenu (`menu`, which the window puts in File); remembers the PNG scale and the caption
    switch (the folder is file_names', shared with the recorder)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._scale = DEFAULT_SCALE
        self.stamp = True
        s = settings_for(window)
        if s is not None:
            try:
                v = int(s.value(KEY_SCALE, DEFAULT_SCALE))
                self._scale = v if v in SCALES else DEFAULT_SCALE
            except (TypeError, ValueError):
                self._scale = DEFAULT_SCALE
            self.stamp = _stored_bool(s.value(KEY_STAMP, True), True)
        self._build_menu()
        self.retranslate()

    def _build_menu(self) -> None:
        self.menu = QMenu(self.window)
        self.menu.setToolTipsVisible(True)
        self.actions: dict[str, QAction] = {}
        for kind in ("png", "svg"):
            for what in ("field", "theory", "board", "curves", "window"):
                self._add(kind, what)
            self.menu.addSeparator()
        self._add("csv", "curves")
        self.menu.addSeparator()
        self.scale_menu = self.menu.addMenu("")
        self.scale_group = QActionGroup(self)
        self.scale_group.setExclusive(True)
        self.scale_actions: dict[int, QAction] = {}
        for s_ in SCALES:
            a = QAction(self)
            a.setCheckable(True)
            a.setChecked(s_ == self._scale)
            a.triggered.connect(lambda checked=False, v=s_: self.set_scale(v))
            self.scale_group.addAction(a)
            self.scale_menu.addAction(a)
            self.scale_actions[s_] = a
        self.stamp_action = QAction(self)
        self.stamp_action.setCheckable(True)
        self.stamp_action.setChecked(self.stamp)
        self.stamp_action.toggled.connect(self.set_stamp)
        self.menu.addAction(self.stamp_action)

    def _add(self, kind: str, what: str) -> QAction:
        a = QAction(self.window)
        key = KEYS.get(f"{kind}:{what}")
        if key:
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.triggered.connect(lambda checked=False, k=kind, w=what: self.ask_and_export(k, w))
        self.menu.addAction(a)
        self.window.addAction(a)   # the shortcuts also work while the menu bar is hidden (presenter mode)
        self.actions[f"{kind}:{what}"] = a
        return a

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Export"))
        texts = {"png:field": self.tr("&Field view as PNG…"), "png:theory": self.tr("&Theory view as PNG…"),
                 "png:curves": self.tr("&Curves as PNG…"), "png:window": self.tr("&Window as PNG…"),
                 "svg:field": self.tr("Field view as SVG…"), "svg:theory": self.tr("Theory view as SVG…"),
                 "svg:curves": self.tr("Curves as SVG…"), "svg:window": self.tr("Window as SVG…"),
                 "csv:curves": self.tr("Curves &data as CSV…"), "png:board": self.tr("&Equation board as PNG…"),
                 "svg:board": self.tr("Equation board as SVG…")}
        tips = {"png": self.tr("Save a picture for slides, at the PNG scale chosen below"),
                "svg": self.tr("Save a vector picture for lecture notes (scales without blur)"),
                "csv": self.tr("Every curve's values: losses per iteration, JSD, V and coverage per refresh")}
        for name, a in self.actions.items():
            a.setText(texts[name])
            tip = tips[name.split(":")[0]]
            if name in KEYS:
                tip = f"{tip} ({KEYS[name]})"
            a.setToolTip(tip)
            a.setStatusTip(tip)
        self.scale_menu.setTitle(self.tr("PNG &scale"))
        for s_, a in self.scale_actions.items():
            a.setText(self.tr("{0}x").format(s_))
            a.setToolTip(self.tr("PNG exports at {0} times the size on screen").format(s_))
        self.stamp_action.setText(self.tr("Ca&ption on pictures and recordings"))
        tip = self.tr("Write the preset, loss, iteration and JSD small in a bottom corner of PNG, SVG, GIF and MP4")
        self.stamp_action.setToolTip(tip)
        self.stamp_action.setStatusTip(tip)

    # ------------------------------------------------------------ settings
    @property
    def scale(self) -> int:
        return self._scale

    def set_scale(self, scale: int) -> None:
        if scale not in SCALES:
            return
        self._scale = scale
        if scale in self.scale_actions:
            self.scale_actions[scale].setChecked(True)
        s = settings_for(self.window)
        if s is not None:
            s.setValue(KEY_SCALE, scale)

    @Slot(bool)
    def set_stamp(self, on: bool) -> None:
        """Caption on (the default) or off, for exports and recordings alike; kept in the settings."""
        self.stamp = bool(on)
        if self.stamp_action.isChecked() != self.stamp:
            self.stamp_action.setChecked(self.stamp)
        s = settings_for(self.window)
        if s is not None:
            s.setValue(KEY_STAMP, self.stamp)

    # ------------------------------------------------------------ actions
    @Slot()
    def ask_and_export(self, kind: str, what: str) -> bool:
        ext = {"png": "png", "svg": "svg", "csv": "csv"}[kind]
        name = suggested_name(self.window, "curves" if kind == "csv" else what, ext)
        filters = {"png": self.tr("PNG image (*.png)"), "svg": self.tr("SVG vector image (*.svg)"),
                   "csv": self.tr("CSV table (*.csv)")}
        start = file_names.start_path(self.window, name)
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export"), start, filters[kind])
        if not path:
            return False
        p = Path(path)
        if p.suffix.lower() != f".{ext}":
            p = p.with_name(p.name + f".{ext}")
        return self.export(kind, what, p)

    def export(self, kind: str, what: str, path: str | Path) -> bool:
        path = Path(path)
        if what == "board":
            ok = export_board(self.window, path, self._scale)
        elif kind == "png":
            ok = export_png(self.window, what, path, self._scale)
        elif kind == "svg":
            ok = export_svg(self.window, what, path)
        else:
            ok = export_csv(self.window, path)
        if ok:
            file_names.remember_folder(self.window, path)
        return ok
