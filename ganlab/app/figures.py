"""Headless figures and recordings for `ganlab run`: the app's own views, drawn offscreen.

`write_figures(out_dir, snapshot)` builds FieldView, TheoryView and CurvesView at fixed sizes on an
offscreen QApplication, shows the snapshot and writes field/theory/curves as PNG (at `scale`) and SVG.
`FrameRecorder(path)` draws each snapshot it is given into an offscreen FieldView and streams the frame
into a GIF or MP4 (video.VideoWriter), so lecture material comes from a script with the same pictures
as the app, captioned the same way (preset, loss, iteration, JSD in a bottom corner; `stamp=False` leaves it
out). The figures keep their fixed names (field.png, ...): scripts read them. Imported lazily by the CLI:
`ganlab run --no-figures` never loads Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .offscreen import FIGURE_SIZES, dispose, ensure_app, offscreen_views, show_offscreen, update_views
from .render import error_text, image_png_bytes, qimage_to_rgb, render_image, stamp_text, svg_bytes, write_file
from .video import VideoError, VideoWriter

__all__ = ["FIGURES", "FrameRecorder", "VideoError", "ensure_app", "release", "write_figures",
           "write_figures_or_warn"]

FIGURES = ("field", "theory", "curves")
PNG_SCALE = 2          # slides: twice the nominal size
RECORD_FPS = 10.0

_TITLES = {"field": "ganlab field view: D(x) with real and generated samples",
           "theory": "ganlab theory view: D(x), D*(x) and D - D*",
           "curves": "ganlab training curves"}


def write_figures(out_dir: str | Path, snapshot, scale: float = PNG_SCALE, sizes: dict | None = None,
                  preset: str | None = None, stamp: bool = True) -> list[Path]:
    """Write field/theory/curves .png and .svg into out_dir (atomically), captioned unless `stamp` is False;
    returns the six paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    views = offscreen_views(snapshot, sizes)
    written = []
    try:
        desc = f"iteration {snapshot.iteration}, loss {snapshot.loss}, seed {getattr(snapshot, 'seed', 0)}"
        caption = stamp_text(snapshot, preset) if stamp else None
        for name in FIGURES:
            v = views[name]
            written.append(write_file(out / f"{name}.png", image_png_bytes(render_image(v, scale, stamp=caption))))
            written.append(write_file(out / f"{name}.svg", svg_bytes(v, _TITLES[name], desc, caption)))
    finally:
        dispose(views.values())
    return written


def write_figures_or_warn(out_dir: str | Path, snapshot, scale: float = PNG_SCALE,
                          preset: str | None = None) -> list[Path]:
    """write_figures, but a failure is one warning line on stderr (the run's other files are written)."""
    if preset is None:
        preset = _preset_of_run(out_dir)
    try:
        return write_figures(out_dir, snapshot, scale, preset=preset)
    except OSError as e:
        print(f"ganlab run: warning: figures not written to {out_dir}: {error_text(e)}", file=sys.stderr)
    except Exception as e:
        print(f"ganlab run: warning: figures not written: {type(e).__name__}: {e}".splitlines()[0], file=sys.stderr)
    return []


def _preset_of_run(out_dir: str | Path) -> str | None:
    """The preset named in the run's config.toml (headless.run writes it first), for the caption."""
    import tomllib

    try:
        with open(Path(out_dir) / "config.toml", "rb") as f:
            preset = tomllib.load(f).get("target", {}).get("preset")
    except (OSError, ValueError, AttributeError):
        return None
    return preset if isinstance(preset, str) else None


class FrameRecorder:
    """Each snapshot drawn into an offscreen FieldView, captioned, and appended to a GIF or MP4 at `path`.

    The file appears (atomically) on `close()`; `abort()` leaves nothing. A bad path or a missing MP4
    backend raises VideoError at construction, before any training.
    """

    def __init__(self, path: str | Path, fps: float = RECORD_FPS, size: tuple[int, int] | None = None,
                 stamp: bool = True, preset: str | None = None):
        from .views import FieldView

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise VideoError(f"cannot record to {self.path}: {error_text(e)}") from e
        self.writer = VideoWriter(self.path, fps=fps, threaded=False)
        ensure_app()
        self.view = show_offscreen(FieldView(), size or FIGURE_SIZES["field"])
        self.failed: str | None = None
        self.stamp, self.preset = stamp, preset

    @property
    def frames(self) -> int:
        return self.writer.frames

    def add(self, snapshot) -> None:
        update_views({"field": self.view}, snapshot)
        caption = stamp_text(snapshot, self.preset) if self.stamp else None
        self.writer.add(qimage_to_rgb(render_image(self.view, 1.0, stamp=caption)))

    def on_frame(self, trainer, observer, snapshot) -> None:
        """headless.run's on_frame hook: a failing recording stops (once, with a warning), training goes on."""
        if self.failed is not None or self.writer.full:
            return
        if self.preset is None:
            self.preset = getattr(getattr(getattr(trainer, "config", None), "target", None), "preset", None)
        try:
            self.add(snapshot)
        except VideoError as e:
            self.failed = str(e)
            print(f"ganlab run: warning: recording stopped: {e}", file=sys.stderr)
            self.writer.abort()

    def close(self) -> Path:
        try:
            return self.writer.close()
        finally:
            self._drop_view()

    def abort(self) -> None:
        self.writer.abort()
        self._drop_view()

    def finish(self) -> Path | None:
        """close(), printing one line: where the recording went, or why there is none."""
        if self.failed is not None:
            self._drop_view()
            return None
        try:
            path = self.close()
        except VideoError as e:
            print(f"ganlab run: warning: no recording: {e}", file=sys.stderr)
            return None
        print(f"ganlab run: recorded {self.writer.written} frames to {path}")
        return path

    def _drop_view(self) -> None:
        if self.view is not None:
            dispose([self.view])
            self.view = None


def release() -> None:
    """Process pending deletions before the interpreter exits (pyqtgraph widgets alive at exit can crash)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
