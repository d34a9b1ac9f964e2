"""Headless figures and recordings for `ganlab run`: the app's own views, drawn offscreen.

`write_figures(out_dir, snapshot)` builds FieldView, TheoryView and CurvesView at fixed sizes on an
offscreen QApplication, shows the snapshot and writes field/theory/curves as PNG (at `scale`) and SVG.
`FrameRecorder(path)` draws each snapshot it is given into an offscreen FieldView and streams the frame
into a GIF or MP4 (video.VideoWriter), so lecture material comes from a script with the same pictures
as the app, captioned the same way (preset, loss, iteration, JSD in a bottom corner; `stamp=False` leaves it
out). The figures keep their fixed names (field.png, ...): scripts read them. Imported lazily by the CLI:
`ganlab run --no-figures` never loads Qt.

A 1-D run (a snapshot on a Grid1D) has no heatmaps: its field figure is Figure 1 of Goodfellow et al. (2014),
p_data, p_g, D and D* as curves over the line with the samples under them, and the lines z -> G(z) for a 1-D
noise (Line1DFigure); its theory figure is D, D* and D - D* as curves (Theory1DFigure).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .offscreen import FIGURE_SIZES, dispose, ensure_app, offscreen_views, show_offscreen, update_views
from .render import error_text, image_png_bytes, qimage_to_rgb, render_image, stamp_text, svg_bytes, write_file
from .video import VideoError, VideoWriter

__all__ = ["FIGURES", "FrameRecorder", "Line1DFigure", "Theory1DFigure", "VideoError", "ensure_app", "is_1d",
           "release", "write_figures", "write_figures_or_warn"]

FIGURES = ("field", "theory", "curves")
PNG_SCALE = 2          # slides: twice the nominal size
RECORD_FPS = 10.0

_TITLES = {"field": "ganlab field view: D(x) with real and generated samples",
           "theory": "ganlab theory view: D(x), D*(x) and D - D*",
           "curves": "ganlab training curves"}
_TITLES_1D = {"field": "ganlab 1-D field: p_data, p_g, D and D* over the line (Figure 1 of Goodfellow et al. 2014)",
              "theory": "ganlab 1-D theory: D(x), D*(x) and D - D*"}
FIGURE_SIZES_1D = {"field": (900, 600), "theory": (900, 560), "curves": FIGURE_SIZES["curves"]}
Z_LINES = 60           # lines z -> G(z) drawn in the 1-D field figure
RUG_SAMPLES = 500      # samples drawn as ticks under the 1-D curves
LEFT_AXIS = 44         # pixels of every 1-D plot's left axis

LABEL_PDATA = QT_TRANSLATE_NOOP("Figures", "p_data (smoothed)")
LABEL_PG = QT_TRANSLATE_NOOP("Figures", "p_g (KDE)")
LABEL_CRITIC = QT_TRANSLATE_NOOP("Figures", "critic (scaled)")
LABEL_SAMPLES = QT_TRANSLATE_NOOP("Figures", "samples: real (top row), generated (bottom row)")
LABEL_Z = QT_TRANSLATE_NOOP("Figures", "z (bottom) → x = G(z) (middle); real samples on top")
LABEL_NO_DSTAR = QT_TRANSLATE_NOOP("Figures", "No closed-form D* for {0}: its critic is not a probability.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Figures", text)


def is_1d(snapshot) -> bool:
    """A snapshot of a 1-D run (its grid is a Grid1D)."""
    return getattr(getattr(snapshot, "grid", None), "dim", 2) == 1


def write_figures(out_dir: str | Path, snapshot, scale: float = PNG_SCALE, sizes: dict | None = None,
                  preset: str | None = None, stamp: bool = True) -> list[Path]:
    """Write field/theory/curves .png and .svg into out_dir (atomically), captioned unless `stamp` is False;
    returns the six paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    one_d = is_1d(snapshot)
    views = offscreen_views_1d(snapshot, sizes) if one_d else offscreen_views(snapshot, sizes)
    titles = {**_TITLES, **_TITLES_1D} if one_d else _TITLES
    written = []
    try:
        desc = f"iteration {snapshot.iteration}, loss {snapshot.loss}, seed {getattr(snapshot, 'seed', 0)}"
        caption = stamp_text(snapshot, preset) if stamp else None
        for name in FIGURES:
            v = views[name]
            written.append(write_file(out / f"{name}.png", image_png_bytes(render_image(v, scale, stamp=caption))))
            written.append(write_file(out / f"{name}.svg", svg_bytes(v, titles[name], desc, caption)))
    finally:
        dispose(views.values())
    return written


def offscreen_views_1d(snapshot=None, sizes: dict | None = None) -> dict[str, QWidget]:
    """Line1DFigure, Theory1DFigure and CurvesView at FIGURE_SIZES_1D, showing `snapshot`: a 1-D run's figures."""
    from .views import CurvesView

    ensure_app()
    sizes = {**FIGURE_SIZES_1D, **(sizes or {})}
    views = {"field": Line1DFigure(), "theory": Theory1DFigure(), "curves": CurvesView(max_fps=None)}
    for name, v in views.items():
        show_offscreen(v, sizes[name])
    if snapshot is not None:
        update_views(views, snapshot)
    return views


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
        self.size = size or FIGURE_SIZES["field"]
        self.view = show_offscreen(FieldView(), self.size)
        self.view_1d: Line1DFigure | None = None   # made at the first 1-D snapshot, at the same size
        self.failed: str | None = None
        self.stamp, self.preset = stamp, preset

    @property
    def frames(self) -> int:
        return self.writer.frames

    def add(self, snapshot) -> None:
        view = self.view
        if is_1d(snapshot):
            if self.view_1d is None:
                self.view_1d = show_offscreen(Line1DFigure(), self.size)
            view = self.view_1d
        update_views({"field": view}, snapshot)
        caption = stamp_text(snapshot, self.preset) if self.stamp else None
        self.writer.add(qimage_to_rgb(render_image(view, 1.0, stamp=caption)))

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
        views = [v for v in (self.view, self.view_1d) if v is not None]
        if views:
            dispose(views)
        self.view = self.view_1d = None


def release() -> None:
    """Process pending deletions before the interpreter exits (pyqtgraph widgets alive at exit can crash)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# ================================================================ 1-D figures
def _pen(color: str, width: float = 2.0, dash=None):
    import pyqtgraph as pg
    from PySide6.QtCore import Qt

    return pg.mkPen(color, width=width, style=Qt.PenStyle.SolidLine if dash is None else dash)


def _dash(name: str):
    from PySide6.QtCore import Qt

    return getattr(Qt.PenStyle, name)


def discriminator_curve(snap) -> tuple[np.ndarray, str]:
    """(values on the grid, label): D(x) as a probability, or the critic scaled into [0, 1] (0.5 + logit / 2 max|logit|)
    for a loss whose critic is not a probability."""
    if snap.d_prob is not None:
        return np.asarray(snap.d_prob, dtype=np.float64), "D(x)"
    logits = np.asarray(snap.d_logits, dtype=np.float64)
    finite = logits[np.isfinite(logits)]
    peak = float(np.abs(finite).max()) if finite.size else 0.0
    return 0.5 + 0.5 * logits / (peak if peak > 0 else 1.0), _tr(LABEL_CRITIC)


def _legend_entry(legend, item, label: str, shown: bool) -> None:
    """Keep `item` in the legend only while it is drawn (no D* entry for a loss without one)."""
    present = legend.getLabel(item) is not None
    if shown and not present:
        legend.addItem(item, label)
    elif not shown and present:
        legend.removeItem(item)


STAMP_ROOM = 22   # pixels kept free under a 1-D figure's axes for the caption


class _Figure1D(QWidget):
    """A white pyqtgraph canvas of stacked plots sharing the x axis, in the app's colours; update_snapshot draws
    a frame at once (no throttle: these are drawn for files)."""

    def __init__(self, rows: int, stretch: tuple[int, ...]):
        super().__init__()
        import pyqtgraph as pg

        from . import style

        self.style = style
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground(style.BACKGROUND)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.canvas.ci.setContentsMargins(10, 10, 10, 10 + STAMP_ROOM)   # the caption's corner, under the axes
        self.plots = []
        for row in range(rows):
            plot = self.canvas.addPlot(row=row, col=0)
            for name in ("left", "bottom"):
                plot.getAxis(name).setPen(style.FOREGROUND)
                plot.getAxis(name).setTextPen(style.FOREGROUND)
            plot.getAxis("left").setWidth(LEFT_AXIS)   # equal widths keep the stacked plots' x axes aligned
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            if row:
                plot.setXLink(self.plots[0])
            self.canvas.ci.layout.setRowStretchFactor(row, stretch[row])
            self.plots.append(plot)
        self.legend = self.plots[0].addLegend(offset=(10, 10), labelTextColor=style.FOREGROUND)

    def _frame_x(self, snap) -> np.ndarray:
        self.plots[0].setXRange(float(snap.grid.xmin), float(snap.grid.xmax), padding=0)
        return snap.grid.centers_x()

    def _title(self, plot, text: str) -> None:
        plot.setTitle(text, color=self.style.FOREGROUND)


class Line1DFigure(_Figure1D):
    """Figure 1 of the GAN paper for a 1-D snapshot: p_data (dotted), p_g, D (dashed) and D* (dash-dot) over the
    grid; under them the real and generated samples as ticks and, for a 1-D noise, lines from z to G(z)."""

    def __init__(self):
        super().__init__(2, (3, 1))
        st, top, bottom = self.style, self.plots[0], self.plots[1]
        self.pdata = top.plot(pen=_pen(st.REAL, 2.5, _dash("DotLine")), name=_tr(LABEL_PDATA))
        self.pg = top.plot(pen=_pen(st.FAKE, 2.5), name=_tr(LABEL_PG))
        self.d = top.plot(pen=_pen(st.FOREGROUND, 2.0, _dash("DashLine")), name="D(x)")
        self.dstar = top.plot(pen=_pen(st.OTHER, 2.0, _dash("DashDotLine")), name="D*(x)", connect="finite")
        bottom.getAxis("left").setStyle(showValues=False)
        bottom.getAxis("left").setTicks([[]])
        bottom.setYRange(-0.05, 1.05, padding=0)
        self.real_rug = bottom.plot(pen=_pen(st.REAL, 1.0), connect="pairs")
        self.fake_rug = bottom.plot(pen=_pen(st.FAKE, 1.0), connect="pairs")
        self.z_lines = bottom.plot(pen=_pen(st.MANIFOLD, 1.0), connect="pairs")

    def update_snapshot(self, snap) -> None:
        x = self._frame_x(snap)
        th = snap.theory
        peak = 1.0
        if th is not None:
            pd, pg_ = np.exp(th.log_p_data), np.exp(th.log_p_g)
            self.pdata.setData(x, pd)
            self.pg.setData(x, pg_)
            peak = max(peak, float(pd.max()), float(pg_.max()))
        d, label = discriminator_curve(snap)
        self.d.setData(x, d)
        self.legend.getLabel(self.d).setText(label)
        show_dstar = th is not None and snap.has_dstar
        if show_dstar:
            self.dstar.setData(x, np.asarray(th.dstar, dtype=np.float64))
        else:
            self.dstar.setData([], [])
        _legend_entry(self.legend, self.dstar, "D*(x)", show_dstar)
        self.plots[0].setYRange(0.0, 1.05 * peak, padding=0)
        # ticks: real in [0.75, 1], generated in [0.5, 0.75]; with a 1-D z, lines from z (at 0) up to G(z) (at 0.5)
        for item, pts, lo in ((self.real_rug, snap.real, 0.75), (self.fake_rug, snap.fake, 0.5)):
            xs = np.repeat(np.asarray(pts, dtype=np.float64).reshape(-1)[:RUG_SAMPLES], 2)
            item.setData(xs, np.tile([lo, lo + 0.25], len(xs) // 2))
        noise = getattr(snap, "noise", None)
        z1 = noise is not None and noise.ndim == 2 and noise.shape[1] == 1
        if z1:
            k = min(Z_LINES, len(noise), len(snap.fake))
            xs = np.column_stack([noise[:k, 0], snap.fake[:k, 0]]).astype(np.float64).ravel()
            self.z_lines.setData(xs, np.tile([0.0, 0.5], k))
        else:
            self.z_lines.setData([], [])
        self._title(self.plots[1], _tr(LABEL_Z) if z1 else _tr(LABEL_SAMPLES))


class Theory1DFigure(_Figure1D):
    """D(x) and D*(x) over the line (above) and D - D* (below): the theory view's three panels as curves."""

    def __init__(self):
        super().__init__(2, (1, 1))
        st, top, below = self.style, self.plots[0], self.plots[1]
        self.d = top.plot(pen=_pen(st.FOREGROUND, 2.0, _dash("DashLine")), name="D(x)")
        self.dstar = top.plot(pen=_pen(st.OTHER, 2.0), name="D*(x)", connect="finite")
        self.diff = below.plot(pen=_pen(st.VERMILLION, 2.0), connect="finite")
        top.addLine(y=0.5, pen=_pen(st.REFERENCE, 1.0, _dash("DotLine")))
        below.addLine(y=0.0, pen=_pen(st.REFERENCE, 1.0, _dash("DotLine")))
        top.setYRange(-0.02, 1.02, padding=0)

    def update_snapshot(self, snap) -> None:
        x = self._frame_x(snap)
        d, label = discriminator_curve(snap)
        self.d.setData(x, d)
        self.legend.getLabel(self.d).setText(label)
        th = snap.theory
        show_dstar = th is not None and snap.has_dstar and snap.d_prob is not None
        _legend_entry(self.legend, self.dstar, "D*(x)", show_dstar)
        if show_dstar:
            dstar = np.asarray(th.dstar, dtype=np.float64)
            diff = d - dstar
            self.dstar.setData(x, dstar)
            self.diff.setData(x, diff)
            ok = np.isfinite(diff)
            peak = max(float(np.abs(diff[ok]).max()) if ok.any() else 0.0, 0.05)
            self.plots[1].setYRange(-peak, peak, padding=0.05)
            self._title(self.plots[1], "D − D*")
        else:
            self.dstar.setData([], [])
            self.diff.setData([], [])
            self._title(self.plots[1], _tr(LABEL_NO_DSTAR).format(snap.loss))
