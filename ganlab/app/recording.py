"""File > Record: the field view (or the whole window) to an animated GIF or an MP4 while training runs.

A `Recorder` has "Record field view…", "Record whole window…" and "Stop recording" (`actions()`, which
go into the window's File menu). `Recorder.start(path, source)` and `Recorder.stop()`
take the path directly (tests, scripts); the actions ask for it with a file dialog first.

Frames come from a GUI-thread QTimer at RECORD_FPS (WINDOW_FPS for the whole window): each tick grabs
the widget as it is on screen (QWidget.grab, a few ms for the field) and hands the pixels to
video.VideoWriter, which encodes on its own thread and streams to a temporary file beside the
target; a bounded queue drops a frame rather than letting memory grow, and the recording stops by
itself at video.VIDEO_MAX_FRAMES. Stop renames the file into
place, so a failed recording never leaves half a video. A red "● REC n frames" label in the status bar
shows that it is running. Errors (bad path, no MP4 backend, full disk) stop the recording with a
message in the status bar; the app keeps running.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel

from . import export, file_names, video

RECORD_FPS = 10.0
WINDOW_FPS = 5.0      # the whole window costs ~7x the field per frame (grab and encode): fewer frames
GIF_MAX_SIDE = 960    # GIF encoding (colour quantization) grows with the pixels: whole-window GIFs shrink
MESSAGE_MS = 10_000
RECORD_KEY = "Ctrl+Shift+R"
KEY_DIR = file_names.KEY_FOLDER  # the export folder: one for both
SOURCES = ("field", "window")


class Recorder(QObject):
    """Records the field view or the whole window into a GIF/MP4; lives in the GUI thread."""

    def __init__(self, window, fps: float = RECORD_FPS):
        super().__init__(window)
        self.window = window
        self.fps = float(fps)
        self.writer: video.VideoWriter | None = None
        self.source = "field"
        self.path: Path | None = None
        self.last_path: Path | None = None
        self._t0 = 0.0

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.capture)
        self.max_side = video.VIDEO_MAX_SIDE

        self.indicator = QLabel()
        self.indicator.setObjectName("recording_indicator")
        self.indicator.setStyleSheet("QLabel { color: white; background: #c0392b; font-weight: bold; "
                                     "padding: 1px 6px; border-radius: 3px; }")
        self.indicator.hide()
        window.statusBar().addPermanentWidget(self.indicator)

        self.act_record_field = QAction(window)
        self.act_record_field.setShortcut(QKeySequence(RECORD_KEY))
        self.act_record_window = QAction(window)
        self.act_stop = QAction(window)
        self.act_stop.setEnabled(False)
        for a in self.actions():
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(a)   # the shortcut also works while the menu bar is hidden (presenter mode)
        self.act_record_field.triggered.connect(lambda checked=False: self.ask_and_start("field"))
        self.act_record_window.triggered.connect(lambda checked=False: self.ask_and_start("window"))
        self.act_stop.triggered.connect(self._stop_action)
        self.retranslate()
        window.installEventFilter(self)  # closing the window writes the recording

    def actions(self) -> list[QAction]:
        """Record field view, Record whole window, Stop recording: the File menu's entries, in order."""
        return [self.act_record_field, self.act_record_window, self.act_stop]

    def retranslate(self) -> None:
        self.indicator.setToolTip(self.tr("Recording: {0} to stop").format(RECORD_KEY))
        self.act_record_field.setText(self.tr("&Record field view…"))
        self.act_record_window.setText(self.tr("Record &whole window…"))
        self.act_stop.setText(self.tr("S&top recording"))
        tips = ((self.act_record_field, self.tr("Record the field view to an animated GIF or an MP4 video while "
                                                "training runs ({0})").format(RECORD_KEY)),
                (self.act_record_window, self.tr("Record the whole window (controls, views and curves) to a GIF "
                                                 "or MP4")),
                (self.act_stop, self.tr("Stop and write the recording ({0})").format(RECORD_KEY)))
        for a, tip in tips:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if self.recording:
            self._update_indicator()

    # ------------------------------------------------------------------ state
    @property
    def recording(self) -> bool:
        return self.writer is not None

    @property
    def frames(self) -> int:
        return self.writer.frames if self.writer is not None else 0

    def widget(self):
        return self.window if self.source == "window" else self.window.field

    # ------------------------------------------------------------------ control
    def start(self, path: str | Path, source: str = "field") -> bool:
        """Begin recording `source` ('field' or 'window') to `path` (.gif or .mp4); False with a message if not."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}")
        if self.recording:
            self._say(self.tr("Already recording to {0}").format(self.path))
            return False
        path = Path(path)
        fps = self.fps if source == "field" else min(self.fps, WINDOW_FPS)
        try:
            self.writer = video.VideoWriter(path, fps=fps, threaded=True)
        except video.VideoError as e:
            self._say(self.tr("Cannot record: {0}").format(e))
            return False
        self.source, self.path = source, path
        file_names.remember_folder(self.window, path)
        self.max_side = GIF_MAX_SIDE if self.writer.format == "gif" else video.VIDEO_MAX_SIDE
        self.timer.setInterval(max(10, int(round(1000.0 / fps))))
        self._t0 = time.perf_counter()
        self._set_actions(True)
        self._update_indicator()
        self.indicator.show()
        self.capture()             # the first frame now: a bad widget or encoder fails at once
        if self.recording:
            self.timer.start()
            self._say(self.tr("Recording the {0} to {1}").format(
                self.tr("field view") if source == "field" else self.tr("whole window"), path))
        return self.recording

    def stop(self) -> Path | None:
        """Stop and write the file (atomically); returns its path, or None with a message."""
        if self.writer is None:
            return None
        self.timer.stop()
        writer, self.writer = self.writer, None
        self._set_actions(False)
        self.indicator.hide()
        try:
            path = writer.close()
        except video.VideoError as e:
            self._say(self.tr("Recording not saved: {0}").format(e))
            return None
        self.last_path = path
        extra = (self.tr(" ({0} frames skipped: the encoder was busy)").format(writer.dropped)
                 if writer.dropped else "")
        self._say(self.tr("Recorded {0} frames to {1}").format(writer.written, path) + extra)
        return path

    def abort(self, reason: str) -> None:
        """Stop without writing anything."""
        if self.writer is None:
            return
        self.timer.stop()
        writer, self.writer = self.writer, None
        writer.abort()
        self._set_actions(False)
        self.indicator.hide()
        self._say(self.tr("Recording stopped, nothing saved: {0}").format(reason))

    @Slot()
    def capture(self) -> None:
        """One frame from the GUI timer: grab the widget, caption it, queue its pixels for the encoder thread."""
        w = self.writer
        if w is None:
            return
        if w.error is not None:
            self.abort(w.error_message())
            return
        try:
            w.add(video.grab_rgb(self.widget(), self.max_side, export.stamp_for(self.window, self.source)))
        except video.VideoError as e:
            self.abort(str(e))
            return
        if w.full:
            path = self.stop()
            if path is not None:
                self._say(self.tr("Recording stopped at its limit of {0} frames and saved to {1}")
                          .format(w.max_frames, path))
            return
        self._update_indicator()

    # ------------------------------------------------------------------ UI
    def ask_and_start(self, source: str = "field") -> bool:
        if self.recording:
            return self.stop() is not None
        name = export.suggested_name(self.window, source, "gif")
        start = file_names.start_path(self.window, name)
        gif, mp4 = self.tr("Animated GIF (*.gif)"), self.tr("MP4 video (*.mp4)")
        path, chosen = QFileDialog.getSaveFileName(self.window, self.tr("Record to"), start, f"{gif};;{mp4}")
        if not path:
            return False
        p = Path(path)
        if p.suffix.lower() not in video.VIDEO_SUFFIXES:
            p = p.with_name(p.name + (".mp4" if chosen == mp4 else ".gif"))
        return self.start(p, source)

    @Slot()
    def _stop_action(self) -> None:
        self.stop()

    def _set_actions(self, recording: bool) -> None:
        self.act_record_field.setEnabled(not recording)
        self.act_record_window.setEnabled(not recording)
        self.act_stop.setEnabled(recording)
        # one key starts and stops
        self.act_record_field.setShortcut(QKeySequence() if recording else QKeySequence(RECORD_KEY))
        self.act_stop.setShortcut(QKeySequence(RECORD_KEY) if recording else QKeySequence())

    def _update_indicator(self) -> None:
        seconds = time.perf_counter() - self._t0
        self.indicator.setText(self.tr("● REC {0} frames  {1:.0f} s").format(self.frames, seconds))

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close and self.recording:
            self.stop()
        return False
