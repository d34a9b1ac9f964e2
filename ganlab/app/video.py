"""Video files: frames (h, w, 3 uint8 arrays) into an animated GIF or an MP4, written atomically.

- `VideoWriter`        GIF (Pillow, streamed frame by frame) or MP4 (ffmpeg) through imageio, into a
                       temporary file renamed on `close()`; optionally encoding on a background thread
                       with a bounded queue, so the GUI thread only grabs;
- `grab_rgb(widget)`   one frame: the widget as shown, scaled down to at most VIDEO_MAX_SIDE pixels,
                       with the caption (iteration, JSD, ...) burned in, so a GIF on a slide says when;
- `video_format(path)` / `check_video_backend(fmt)`: whether a path and the installed packages can
                       make a video, as a one-line VideoError when not.

The File > Record menu (recording.py) and `ganlab run --record` (figures.py) both write through here.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from .render import error_text, paint_stamp, qimage_to_rgb

VIDEO_SUFFIXES = (".gif", ".mp4")
VIDEO_MAX_SIDE = 1280          # frames larger than this are scaled down (memory, file size)
VIDEO_MAX_FRAMES = 18_000      # 30 minutes at 10 fps: recording stops there
VIDEO_QUEUE = 24               # frames waiting for the encoder thread; more are dropped, never queued


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


def grab_rgb(widget: QWidget, max_side: int = VIDEO_MAX_SIDE, stamp: str | None = None) -> np.ndarray:
    """One video frame: the widget as shown (QWidget.grab), scaled down to at most max_side pixels, with
    `stamp` drawn after the scaling (in the frame's own pixels, so it stays sharp and readable)."""
    pm = widget.grab()
    img = pm.toImage()
    if max(img.width(), img.height()) > max_side:
        img = img.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    if stamp:
        stamp_image(img, stamp)
    return qimage_to_rgb(img)


def stamp_image(img: QImage, stamp: str) -> QImage:
    """Burn `stamp` into `img` in place, measured in its pixels (a HiDPI grab's pixel ratio is dropped)."""
    img.setDevicePixelRatio(1.0)
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        paint_stamp(p, img.width(), img.height(), stamp)
    finally:
        p.end()
    return img


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
