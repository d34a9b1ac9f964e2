"""Qt-side helpers for export and recording: widgets to PNG/SVG bytes, curves to CSV, video files.

Everything here works on any QWidget (a view or the whole window) and on plain Snapshots, so the app's
File > Export menu, the recorder and the headless figures (`ganlab run --out`) share one code path:

- `render_image(widget, scale)`   the widget painted into a QImage `scale` times its size (vector items
                                  are drawn at the higher resolution, not up-sampled);
- `png_bytes` / `svg_bytes`       that image as PNG, or the widget painted into a QSvgGenerator (pyqtgraph
                                  0.14's own SVG exporter breaks on recent PySide6);
- `curves_csv(snapshot)`          the per-iteration losses and the per-refresh metrics as one CSV table;
- `default_name(...)`             e.g. ganlab_ring8_nonsaturating_it01234_field.png;
- `write_file(path, data)`        temporary file beside `path`, then rename: a failed write leaves no half file;
- `VideoWriter`                   GIF (Pillow, streamed frame by frame) or MP4 (ffmpeg) through imageio,
                                  into a temporary file renamed on `close()`; optionally encoding on a
                                  background thread with a bounded queue, so the GUI thread only grabs.
- `offscreen_views(snapshot)`     the three views built offscreen at fixed sizes and showing a snapshot.
"""

from __future__ import annotations

import csv
import io
import math
import os
import queue
import re
import tempfile
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QWidget

from ..core.files import write_atomic

VIEWS = ("field", "theory", "curves", "window")
SCALES = (1, 2, 3)
VIDEO_SUFFIXES = (".gif", ".mp4")
VIDEO_MAX_SIDE = 1280          # frames larger than this are scaled down (memory, file size)
VIDEO_MAX_FRAMES = 18_000      # 30 minutes at 10 fps: recording stops there
VIDEO_QUEUE = 24               # frames waiting for the encoder thread; more are dropped, never queued
FIGURE_SIZES = {"field": (640, 600), "theory": (1200, 470), "curves": (900, 860)}



# ================================================================ rendering
def render_image(widget: QWidget, scale: float = 1.0, background: str | QColor = "white") -> QImage:
    """The widget painted into a QImage of (scale x its size) pixels.

    The image's device pixel ratio is `scale`, so text, lines and markers are drawn at the higher
    resolution instead of being up-sampled from a screen grab.
    """
    scale = float(scale)
    if not (math.isfinite(scale) and 0.1 <= scale <= 8.0):
        raise ValueError(QCoreApplication.translate("Export", "scale must be between 0.1 and 8"))
    size = widget.size()
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(scale)
    img.fill(QColor(background))
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        widget.render(p, QPoint(0, 0), QRegion(),
                      QWidget.RenderFlag.DrawChildren | QWidget.RenderFlag.DrawWindowBackground)
    finally:
        p.end()
    return img


def png_bytes(widget: QWidget, scale: float = 1.0) -> bytes:
    return image_png_bytes(render_image(widget, scale))


def image_png_bytes(img: QImage) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise OSError(QCoreApplication.translate("Export", "could not encode the PNG image"))
    buf.close()
    return bytes(ba.data())


def svg_bytes(widget: QWidget, title: str = "ganlab", description: str = "") -> bytes:
    """The widget painted into a QSvgGenerator: text and lines stay vectors, heatmaps are embedded images."""
    from PySide6.QtSvg import QSvgGenerator

    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    size = widget.size()
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(size.width(), size.height()))
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle(title)
    gen.setDescription(description)
    p = QPainter()
    if not p.begin(gen):
        raise OSError(QCoreApplication.translate("Export", "could not start the SVG painter"))
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        widget.render(p, QPoint(0, 0), QRegion(),
                      QWidget.RenderFlag.DrawChildren | QWidget.RenderFlag.DrawWindowBackground)
    finally:
        p.end()
    buf.close()
    return bytes(ba.data())


def qimage_to_rgb(img: QImage) -> np.ndarray:
    """An (h, w, 3) uint8 copy of a QImage (any format)."""
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return arr[:, : 3 * w].reshape(h, w, 3).copy()


def grab_rgb(widget: QWidget, max_side: int = VIDEO_MAX_SIDE) -> np.ndarray:
    """One video frame: the widget as shown (QWidget.grab), scaled down to at most max_side pixels."""
    pm = widget.grab()
    img = pm.toImage()
    if max(img.width(), img.height()) > max_side:
        img = img.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    return qimage_to_rgb(img)


# ================================================================ files
def write_file(path: str | Path, data: bytes | str) -> Path:
    """Atomic write (temporary file beside `path`, then rename). Raises OSError with a readable message."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, QCoreApplication.translate("Export", "the folder does not exist"),
                                str(path.parent))
    write_atomic(path, data)
    return path


def error_text(e: BaseException) -> str:
    """A one-line reason for an OSError (missing folder, no permission, full disk, ...)."""
    import errno

    if isinstance(e, OSError):
        denied = QCoreApplication.translate("Export", "permission denied")
        reasons = {errno.ENOENT: QCoreApplication.translate("Export", "the folder does not exist"),
                   errno.EACCES: denied, errno.EPERM: denied,
                   errno.EROFS: QCoreApplication.translate("Export", "the disk is read-only"),
                   errno.ENOSPC: QCoreApplication.translate("Export", "the disk is full"),
                   errno.EDQUOT: QCoreApplication.translate("Export", "the disk quota is exceeded"),
                   errno.EISDIR: QCoreApplication.translate("Export", "that is a folder")}
        if e.errno in reasons:
            return reasons[e.errno]
        return e.strerror or str(e) or type(e).__name__
    return str(e) or type(e).__name__


_SAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def default_name(preset: str, loss: str, iteration: int, what: str, ext: str) -> str:
    """ganlab_<preset>_<loss>_it<iteration, 5 digits>_<what>.<ext>, safe on every file system."""
    parts = [_SAFE.sub("-", str(s)).strip("-") or "x" for s in (preset, loss)]
    return f"ganlab_{parts[0]}_{parts[1]}_it{max(0, int(iteration)):05d}_{what}.{ext.lstrip('.')}"


# ================================================================ CSV
def curves_csv(snapshot) -> str:
    """The curves' data: one row per iteration logged in `losses` or `metrics`, joined on `step`.

    Columns: step, then every losses column, then every metrics column (without repeating `step`);
    a value a table does not have at that step is left empty. Integers stay integers.
    """
    losses = dict(getattr(snapshot, "losses", None) or {})
    metrics = dict(getattr(snapshot, "metrics", None) or {})
    lcols = [c for c in losses if c != "step"]
    mcols = [c for c in metrics if c != "step" and c not in lcols]
    ls = np.asarray(losses.get("step", np.zeros(0)), dtype=np.float64)
    ms = np.asarray(metrics.get("step", np.zeros(0)), dtype=np.float64)
    steps = np.union1d(ls[np.isfinite(ls)], ms[np.isfinite(ms)])
    table = {"step": steps}
    for cols, src, s in ((lcols, losses, ls), (mcols, metrics, ms)):
        # the last row with each step wins (a table never logs one step twice, but be safe)
        if len(s):
            order = np.argsort(s, kind="stable")
            s_sorted = s[order]
            last = np.searchsorted(s_sorted, steps, side="right") - 1
            found = (last >= 0) & (s_sorted[np.clip(last, 0, None)] == steps)
            rows = order[np.clip(last, 0, None)]
        else:
            found = np.zeros(len(steps), dtype=bool)
            rows = np.zeros(len(steps), dtype=np.intp)
        for c in cols:
            col = np.asarray(src[c], dtype=np.float64)
            table[c] = np.where(found, col[rows] if len(col) else np.nan, np.nan)
    header = ["step", *lcols, *mcols]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    cols = [table[c] for c in header]
    ints = {"step", "modes_captured", "iteration"}
    for i in range(len(steps)):
        w.writerow([_fmt(v[i], c in ints) for v, c in zip(cols, header, strict=True)])
    return out.getvalue()


def _fmt(v: float, integer: bool) -> str:
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if integer and float(v).is_integer():
        return str(int(v))
    return f"{v:.8g}"


# ================================================================ video
class VideoError(RuntimeError):
    """Recording cannot start or continue; the message says why in one line."""


def video_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        raise VideoError(QCoreApplication.translate("Export", "record to a .gif or .mp4 file (got '{0}')")
                         .format(Path(path).name))
    return suffix[1:]


def check_video_backend(fmt: str) -> None:
    """Raise VideoError naming the missing package when `fmt` ('gif' or 'mp4') cannot be written."""
    try:
        import imageio  # noqa: F401
    except ImportError as e:
        raise VideoError(QCoreApplication.translate(
            "Export", "recording needs the imageio package: pip install 'ganlab[record]'")) from e
    if fmt == "mp4":
        try:
            import imageio_ffmpeg

            imageio_ffmpeg.get_ffmpeg_exe()
        except (ImportError, RuntimeError) as e:
            raise VideoError(QCoreApplication.translate(
                "Export", "MP4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); GIF works without it"
            )) from e
    else:
        try:
            import PIL  # noqa: F401
        except ImportError as e:
            raise VideoError(QCoreApplication.translate(
                "Export", "GIF needs the pillow package: pip install pillow")) from e


class VideoWriter:
    """Frames (h, w, 3 uint8 arrays) into a GIF or MP4 at `path`, written atomically.

    Frames stream to a temporary file beside `path` as they come (GIF through Pillow, frame by frame;
    MP4 through an ffmpeg process), so memory stays flat however long the recording; `close()` renames
    the temporary file to `path`, `abort()` deletes it. Every frame is cropped to the first frame's
    size (MP4 also to even sides). With `threaded=True` the encoding runs on a background thread fed
    by a bounded queue: `add()` never blocks the caller, and a frame that finds the queue full is
    dropped (counted in `dropped`). An encoder error surfaces as VideoError from the next `add()` or
    from `close()`.
    """

    def __init__(self, path: str | Path, fps: float = 10.0, threaded: bool = False,
                 max_frames: int | None = None):
        self.path = Path(path)
        self.format = video_format(self.path)
        check_video_backend(self.format)
        if not self.path.parent.is_dir():
            raise VideoError(QCoreApplication.translate("Export", "cannot record to {0}: the folder does not exist")
                             .format(self.path))
        self.fps = float(fps)
        self.max_frames = int(VIDEO_MAX_FRAMES if max_frames is None else max_frames)
        self.frames = 0          # frames accepted
        self.written = 0         # frames encoded
        self.dropped = 0
        self.size: tuple[int, int] | None = None   # (width, height) of every frame
        self._writer = None
        self._error: BaseException | None = None
        self._closed = False
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=f".part.{self.format}",
                                       dir=self.path.parent)
            os.close(fd)
        except OSError as e:
            raise VideoError(QCoreApplication.translate("Export", "cannot record to {0}: {1}")
                             .format(self.path, error_text(e))) from e
        self._tmp = Path(tmp)
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._queue = queue.Queue(maxsize=VIDEO_QUEUE)
            self._thread = threading.Thread(target=self._run, name="ganlab-video", daemon=True)
            self._thread.start()

    # ------------------------------------------------------------------ public
    @property
    def full(self) -> bool:
        return self.frames >= self.max_frames

    @property
    def error(self) -> BaseException | None:
        return self._error

    def add(self, frame: np.ndarray) -> bool:
        """Queue or write one frame; False when it was dropped (queue full) or the limit is reached."""
        if self._closed:
            raise VideoError(QCoreApplication.translate("Export", "the recording is already closed"))
        if self._error is not None:
            raise VideoError(self.error_message()) from self._error
        if self.full:
            return False
        frame = self._fit(frame)
        if self._queue is not None:
            try:
                self._queue.put_nowait(frame)
            except queue.Full:
                self.dropped += 1
                return False
        else:
            self._encode(frame)
            if self._error is not None:
                raise VideoError(self.error_message()) from self._error
        self.frames += 1
        return True

    def close(self) -> Path:
        """Finish the file and move it to `path`; raises VideoError (and leaves no file) on failure."""
        if self._closed:
            return self.path
        self._closed = True
        self._finish()
        if self._error is None and self.written == 0:
            self._error = VideoError(QCoreApplication.translate("Export", "no frames were recorded"))
        if self._error is not None:
            self._remove_tmp()
            raise VideoError(self.error_message()) from self._error
        try:
            os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, self.path)
        except OSError as e:
            self._remove_tmp()
            raise VideoError(QCoreApplication.translate("Export", "cannot write {0}: {1}")
                             .format(self.path, error_text(e))) from e
        return self.path

    def abort(self) -> None:
        """Stop and delete the temporary file; nothing is written at `path`."""
        if self._closed:
            return
        self._closed = True
        self._finish()
        self._remove_tmp()

    # ---------------------------------------------------------------- internals
    def _fit(self, frame: np.ndarray) -> np.ndarray:
        frame = np.asarray(frame)
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise VideoError(QCoreApplication.translate("Export", "a video frame must be an (h, w, 3) uint8 array"))
        if self.size is None:
            h, w = frame.shape[:2]
            if self.format == "mp4":   # yuv420p needs even sides
                w, h = max(2, w - w % 2), max(2, h - h % 2)
            self.size = (w, h)
        w, h = self.size
        if frame.shape[0] != h or frame.shape[1] != w:
            out = np.full((h, w, 3), 255, dtype=np.uint8)
            hh, ww = min(h, frame.shape[0]), min(w, frame.shape[1])
            out[:hh, :ww] = frame[:hh, :ww]
            frame = out
        return np.ascontiguousarray(frame)

    def _open_writer(self):
        import imageio

        if self.format == "gif":
            # imageio's Pillow GIF writer streams each frame to the file (no frames kept in memory);
            # quantizer 1 (maximum coverage) keeps the heatmap's gradients without visible bands.
            try:
                return imageio.get_writer(self._tmp, format="GIF-PIL", mode="I", duration=1.0 / self.fps, loop=0,
                                          quantizer=1, palettesize=256)
            except ImportError:  # Pillow 10.1-10.4: that writer refuses; buffer and write at the end
                return _BufferedGif(self._tmp, self.fps)
        return imageio.get_writer(self._tmp, format="FFMPEG", mode="I", fps=self.fps, codec="libx264",
                                  quality=7, pixelformat="yuv420p", macro_block_size=2,
                                  ffmpeg_log_level="error")

    def _encode(self, frame: np.ndarray) -> None:
        if self._error is not None:
            return
        try:
            if self._writer is None:
                self._writer = self._open_writer()
            self._writer.append_data(frame)
            self.written += 1
        except Exception as e:  # a full disk, a vanished folder, a dead ffmpeg: stop, say why
            self._error = e

    def _run(self) -> None:
        while True:
            frame = self._queue.get()
            if frame is None:
                return
            self._encode(frame)

    def _finish(self) -> None:
        if self._thread is not None:
            self._queue.put(None)   # after the frames already queued
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception as e:
                if self._error is None:
                    self._error = e
            self._writer = None

    def _remove_tmp(self) -> None:
        try:
            self._tmp.unlink()
        except OSError:
            pass

    def error_message(self) -> str:
        e = self._error
        if isinstance(e, VideoError):
            return str(e)
        return QCoreApplication.translate("Export", "cannot write {0}: {1}").format(self.path, error_text(e))


class _BufferedGif:
    """Fallback GIF writer (imageio's v3 Pillow plugin): keeps the frames until close."""

    def __init__(self, path: Path, fps: float):
        self.path, self.fps, self.frames = path, fps, []

    def append_data(self, frame: np.ndarray) -> None:
        self.frames.append(frame)

    def close(self) -> None:
        import imageio.v3 as iio

        frames, self.frames = self.frames, []
        if frames:
            iio.imwrite(self.path, np.stack(frames), extension=".gif", plugin="pillow",
                        duration=1000.0 / self.fps, loop=0)


# ================================================================ offscreen views
def ensure_app() -> QApplication:
    """The running QApplication, or a new offscreen one (headless figures and recording)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import pyqtgraph as pg

        pg.setConfigOptions(useOpenGL=False, antialias=True)
        _quiet_offscreen_warnings()
        app = QApplication(["ganlab"])
    return app


_MESSAGE_HANDLER = None


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns 'does not support propagateSizeHints()' for every shown widget:
    noise on a headless run's stderr. Every other Qt message still goes to stderr."""
    import sys

    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        sys.stderr.write(message + "\n")

    global _MESSAGE_HANDLER
    _MESSAGE_HANDLER = handler  # keep it alive
    qInstallMessageHandler(handler)


def show_offscreen(widget: QWidget, size: tuple[int, int]) -> QWidget:
    """Lay out and polish a widget at a fixed size without putting it on any screen."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    return widget


def offscreen_views(snapshot=None, sizes: dict | None = None) -> dict[str, QWidget]:
    """FieldView, TheoryView and CurvesView at fixed sizes (FIGURE_SIZES), showing `snapshot`."""
    from .views import CurvesView, FieldView, TheoryView

    ensure_app()
    sizes = {**FIGURE_SIZES, **(sizes or {})}
    views = {"field": FieldView(), "theory": TheoryView(), "curves": CurvesView(max_fps=None)}
    for name, v in views.items():
        show_offscreen(v, sizes[name])
    if snapshot is not None:
        update_views(views, snapshot)
    return views


def update_views(views: dict[str, QWidget], snapshot) -> None:
    for name in ("field", "theory", "curves"):
        if name in views:
            views[name].update_snapshot(snapshot)
    if "curves" in views:
        views["curves"].flush()
    QApplication.processEvents()


def dispose(widgets) -> None:
    """Delete offscreen widgets now: a pyqtgraph widget alive at interpreter exit can crash it."""
    from PySide6.QtCore import QEvent

    for w in list(widgets):
        w.hide()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
