"""Three aligned panels: D(x), D*(x) = p_data / (p_data + p_g), and D - D*.

Same extent and axes as the field view; each panel frames the evaluation grid. D and D*
share one colour map and one colour bar; D - D* has its own map centred on 0. For losses whose
critic is not a probability (wgan-gp, hinge) there is no closed-form D* on the same scale, so the
D* and difference images are hidden and a sentence says why (nothing misleading is drawn).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .. import style

TITLE_D = "D(x)"
TITLE_CRITIC = "critic score (scaled to ±max)"
TITLE_DSTAR = "D*(x) = p_data / (p_data + p_g)"
TITLE_DIFF = "D - D*"


def no_dstar_text(loss: str) -> str:
    return (f"No closed-form optimal discriminator for {loss}: its critic is not a probability, "
            "so D* is not drawn.")


NO_THEORY_TEXT = "Theory is off for this frame: D* and the JSD are not computed."


def _closed_form(loss: str, d_prob) -> bool:
    try:
        from ganlab.core import losses  # late: imports torch, which the first window does not need
        return bool(losses.has_closed_form_dstar(loss))
    except (ImportError, ValueError):
        return d_prob is not None


def _same_grid(a, b) -> bool:
    return a is b or a == b


class _PanelNote(QtWidgets.QGraphicsTextItem):
    """A wrapped sentence centred in a ViewBox, in pixel space (it does not pan or zoom)."""

    def __init__(self, view: pg.ViewBox):
        super().__init__()
        self.setParentItem(view)
        self.view = view
        self.setZValue(1000)
        self.setDefaultTextColor(pg.mkColor(style.FOREGROUND))
        doc = self.document()
        opt = doc.defaultTextOption()
        opt.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        doc.setDefaultTextOption(opt)
        view.sigResized.connect(self.relayout)
        self.hide()

    def set_message(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)
        self.relayout()

    def relayout(self, *_):
        r = self.view.rect()
        self.setTextWidth(max(60.0, 0.9 * r.width()))
        b = self.boundingRect()
        self.setPos(r.center().x() - b.width() / 2, r.center().y() - b.height() / 2)

    def paint(self, painter, option, widget=None):
        painter.setBrush(QtGui.QColor(255, 255, 255, 225))
        painter.setPen(pg.mkPen(style.FOREGROUND))
        painter.drawRoundedRect(self.boundingRect(), 4, 4)
        super().paint(painter, option, widget)


class TheoryView(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground(style.BACKGROUND)
        self.glw.setMinimumSize(300, 140)
        self.caption = QtWidgets.QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.setToolTip(
            "JSD(p_data || p_g) in nats (0 when p_g = p_data, at most log 2); V(G, D) is the GAN value "
            "E_data[log D] + E_g[log(1 - D)] for the trained D; at the optimal D* it equals "
            "-log 4 + 2 JSD (Goodfellow et al. 2014, Theorem 1). p_g is a kernel density estimate of the "
            "generated samples with bandwidth h; p_data is smoothed with the same kernel.")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.glw, 1)
        layout.addWidget(self.caption, 0)

        self.plot_d = self.glw.addPlot(row=0, col=0)
        self.plot_dstar = self.glw.addPlot(row=0, col=1)
        self.plot_diff = self.glw.addPlot(row=0, col=2)
        self.plots = (self.plot_d, self.plot_dstar, self.plot_diff)
        for p in self.plots:
            p.setAspectLocked(True, ratio=1.0)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.getViewBox().setBackgroundColor(style.MASKED)
            p.getViewBox().disableAutoRange()
        # Every panel frames the grid and stays there: copying or linking ranges between
        # aspect-locked panels of different shapes makes each widen the other without end.
        for p in self.plots:
            p.setMouseEnabled(x=False, y=False)
            p.getViewBox().sigResized.connect(self._frame_grid)

        self.image_d = pg.ImageItem(axisOrder="row-major")
        self.image_dstar = pg.ImageItem(axisOrder="row-major")
        self.image_diff = pg.ImageItem(axisOrder="row-major")
        for p, img in zip(self.plots, (self.image_d, self.image_dstar, self.image_diff), strict=True):
            p.addItem(img)
        self.image_d.setLevels(style.D_LEVELS)
        self.image_dstar.setLevels(style.D_LEVELS)
        self.image_diff.setLevels(style.DIFF_LEVELS)

        # Horizontal colour bars under the panels: they read left to right ("likely generated" ->
        # "likely real") and leave the panels their full width. One bar for D and D*, one for D - D*.
        self.colorbar = pg.ColorBarItem(values=style.D_LEVELS, colorMap=style.d_colormap(), interactive=False,
                                        width=10, pen=style.FOREGROUND, orientation="horizontal")
        self.colorbar.setImageItem([self.image_d, self.image_dstar])
        self.diff_colorbar = pg.ColorBarItem(values=style.DIFF_LEVELS, colorMap=style.diff_colormap(),
                                             interactive=False, width=10, pen=style.FOREGROUND,
                                             orientation="horizontal")
        self.diff_colorbar.setImageItem(self.image_diff)
        self.glw.addItem(self.colorbar, row=1, col=0, colspan=2)
        self.glw.addItem(self.diff_colorbar, row=1, col=2)
        lay = self.glw.ci.layout
        for col in (0, 1, 2):
            lay.setColumnStretchFactor(col, 1)
        lay.setRowStretchFactor(0, 10)
        lay.setRowStretchFactor(1, 0)

        self.note_dstar = _PanelNote(self.plot_dstar.getViewBox())
        self.note_diff = _PanelNote(self.plot_diff.getViewBox())

        self._snap = None
        self._grid = None
        self._mode = None        # ("dstar" | "no-closed-form" | "no-theory", loss)
        self._critic = None
        self._caption_text = ""
        self._rect_grid: dict[int, object] = {}
        self.max_stale_frames = 30
        self._theory = None
        self._theory_iteration = 0
        self._stale = 0
        self._apply_scale()
        for p in self.plots:
            p.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        self._snap = snap
        grid = snap.grid
        if grid is not self._grid and grid != self._grid:
            self._set_grid(grid)
        d = snap.d_prob
        critic = d is None
        if critic != self._critic:
            self._critic = critic
            self._set_title(self.plot_d, TITLE_CRITIC if critic else TITLE_D)
            self._style_colorbars()
        self._set_image(self.image_d, style.critic_to_unit(snap.d_logits) if critic else d)

        th = self._current_theory(snap)
        if not _closed_form(snap.loss, d) or d is None:
            mode = ("no-closed-form", snap.loss)
        elif th is None:
            mode = ("no-theory", snap.loss)
        else:
            mode = ("dstar", snap.loss)
        if mode != self._mode:
            self._set_mode(mode)
        if mode[0] == "dstar":
            dstar = th.dstar
            if self.image_dstar.image is not dstar:
                self._set_image(self.image_dstar, dstar)
            with np.errstate(invalid="ignore"):
                diff = np.subtract(d, dstar, dtype=np.float32)
            self._set_image(self.image_diff, diff)
        text = self._caption(snap, th)
        if text != self._caption_text:
            self._caption_text = text
            self.caption.setText(text)

    def set_presenter(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def caption_text(self) -> str:
        return self._caption_text

    def dstar_shown(self) -> bool:
        return self.image_dstar.isVisible()

    # ================================================================ internals
    def _set_grid(self, grid) -> None:
        self._grid = grid
        self._frame_grid()

    def _frame_grid(self, *_):
        g = getattr(self, "_grid", None)  # resizes arrive during construction too
        if g is None:
            return
        for p in self.plots:
            p.setRange(xRange=(g.xmin, g.xmax), yRange=(g.ymin, g.ymax), padding=0)

    def _set_image(self, img: pg.ImageItem, data: np.ndarray) -> None:
        img.setImage(data, autoLevels=False)
        g = self._grid
        if self._rect_grid.get(id(img)) is not g:  # ImageItem.setRect needs an image first
            self._rect_grid[id(img)] = g
            img.setRect(QtCore.QRectF(g.xmin, g.ymin, g.xmax - g.xmin, g.ymax - g.ymin))

    def _style_colorbars(self) -> None:
        s = self._scale
        if self._critic:
            style.style_colorbar(self.colorbar, style.CRITIC_BAR_LABEL, style.CRITIC_TICKS, s)
        else:
            style.style_colorbar(self.colorbar, style.DSTAR_BAR_LABEL, style.D_TICKS, s)
        style.style_colorbar(self.diff_colorbar, style.DIFF_BAR_LABEL, style.DIFF_TICKS, s)

    def _set_mode(self, mode) -> None:
        self._mode = mode
        kind, loss = mode
        show = kind == "dstar"
        self.image_dstar.setVisible(show)
        self.image_diff.setVisible(show)
        self.diff_colorbar.setVisible(show)
        if show:
            self.note_dstar.hide()
            self.note_diff.hide()
            return
        text = no_dstar_text(loss) if kind == "no-closed-form" else NO_THEORY_TEXT
        self.note_dstar.set_message(text)
        self.note_diff.set_message(text if kind == "no-theory" else
                                   "D - D* needs D* (see the middle panel).")
        self.note_dstar.show()
        self.note_diff.show()

    def _current_theory(self, snap):
        """The snapshot's theory, or the last one for a few frames (the owner may compute it every
        few frames only; the panels should not flicker to 'off' in between)."""
        th = snap.theory
        if th is not None:
            self._theory, self._theory_iteration, self._stale = th, snap.iteration, 0
            return th
        self._stale += 1
        old = self._theory
        if old is None or self._stale > self.max_stale_frames or not _same_grid(old.grid, snap.grid):
            self._theory = None
            return None
        return old

    def clear(self) -> None:
        """Forget the last theory fields (after a reset)."""
        self._theory = None
        self._stale = 0

    def _caption(self, snap, th) -> str:
        if th is None:
            return "Theory off: no JSD, V(G, D) or D* for this frame."
        parts = [f"JSD(p_data ‖ p_g) = {th.jsd:.4f} nats (max log 2 = {style.LOG2:.4f})"]
        v = th.v_estimate
        if snap.d_prob is None or v is None or not math.isfinite(v):
            parts.append("V(G, D): n/a (the critic is not a probability)")
        else:
            parts.append(f"V(G, D) ≈ {v:.4f}")
        parts.append(f"V(G, D*) = −log 4 + 2 JSD = {th.v_identity:.4f}")
        h = getattr(th, "bandwidth", None)
        if h is not None:
            parts.append(f"KDE bandwidth h = {h:.3g}")
        if th is not snap.theory:
            parts.append(f"(theory from iteration {self._theory_iteration})")
        mass = getattr(th, "pg_mass_in_grid", None)
        if mass is not None and math.isfinite(mass) and mass < 0.99:
            parts.append(f"only {100 * mass:.0f}% of generated samples inside the box")
        return "   ·   ".join(parts)

    def _set_title(self, plot: pg.PlotItem, text: str) -> None:
        plot.setTitle(text, size=f"{style.TITLE_PT * self._scale:.0f}pt", color=style.FOREGROUND)
        # A long title must not widen its panel: the three panels stay the same size (and scale).
        label = plot.titleLabel
        hints = getattr(label, "_sizeHint", None)
        if isinstance(hints, dict):
            for key in (QtCore.Qt.SizeHint.MinimumSize, QtCore.Qt.SizeHint.PreferredSize):
                if key in hints:
                    hints[key] = (0.0, hints[key][1])
        label.setMinimumWidth(0)
        label.updateGeometry()

    def _apply_scale(self) -> None:
        s = self._scale
        titles = (TITLE_CRITIC if self._critic else TITLE_D, TITLE_DSTAR, TITLE_DIFF)
        for p, t in zip(self.plots, titles, strict=True):
            style.style_axes(p, s)
            self._set_title(p, t)
        self._style_colorbars()
        self.glw.ci.layout.setHorizontalSpacing(int(14 * s))   # room for the bars' end labels
        # Equal panel widths: the long D* title would otherwise make its column wider than the others.
        for p in self.plots:
            p.setMinimumWidth(120)
            p.setPreferredWidth(300)
        for note in (self.note_dstar, self.note_diff):
            note.setFont(style.font(s, style.TITLE_PT))
            note.relayout()
        self.caption.setFont(style.font(s))
