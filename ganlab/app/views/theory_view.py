"""Three aligned panels: D(x), D*(x) = p_data / (p_data + p_g), and D - D*.

Same extent and axes as the field view; each panel frames the evaluation grid exactly. D and D*
share one colour map and one colour bar; D - D* has its own map centred on 0. For losses whose
critic is not a probability (wgan-gp, hinge) there is no closed-form D* on the same scale
(`Snapshot.has_dstar`), so the D* and difference images are hidden and a sentence says why
(nothing misleading is drawn).

Geometry is computed, not left to a grid layout: on every resize `_relayout` picks the largest
panel size that fits three equal panels of the grid's shape side by side (short titles above, one
y axis on the left, colour bars under them) and places every item at pixel positions; the numbers
go in a two-row table under the panels (theory_text.py). Nothing about the layout changes per frame.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent

from .. import style
from ._items import HeatmapItem, ResizingGraphicsView, cache_axes, decorations, narrow_title, place
from .theory_text import Caption, PanelNote, caption_lines, caption_rows, critic_ticks

# Short titles (the full formulas are in each panel's tooltip and in the caption's).
TITLE_D = "D(x)"
TITLE_CRITIC = QT_TRANSLATE_NOOP("TheoryView", "critic (scaled)")
TITLE_DSTAR = "D*(x)"
TITLE_DIFF = "D − D*"
TIP_D = QT_TRANSLATE_NOOP("TheoryView", "D(x): the trained discriminator's probability that x is real (the "
                          "field's heatmap, at the same scale).")
TIP_CRITIC = QT_TRANSLATE_NOOP("TheoryView", "The critic's score, scaled symmetrically to ±max (a wgan-gp or "
                               "hinge critic is not a probability).")
TIP_DSTAR = QT_TRANSLATE_NOOP("TheoryView", "D*(x) = p_data(x) / (p_data(x) + p_g(x)): the optimal discriminator "
                              "for the current generator (Goodfellow et al. 2014, Proposition 1). Grey: "
                              "neither distribution has mass there.")
TIP_DIFF = QT_TRANSLATE_NOOP("TheoryView", "D(x) − D*(x): where the trained D is below (brown) or above (teal) "
                             "the optimal one. All white means D has caught up with the generator.")
NO_THEORY_TEXT = QT_TRANSLATE_NOOP("TheoryView", "Theory is off for this frame: D* and the JSD are not computed.")

PANEL_GAP = 10          # pixels between panels at scale 1
Y_AXIS = 28             # the y axis of the first panel (tick labels)
SLIM_AXIS = 3           # the other panels' y axes: a frame line, no labels
X_AXIS = 22
BAR = 10                # colour-bar thickness


def no_dstar_text(loss: str) -> str:
    return QCoreApplication.translate(
        "TheoryView", "No closed-form optimal discriminator for {0}: its critic is not a probability, "
        "so D* is not drawn.").format(loss)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TheoryView", text)


def _same_grid(a, b) -> bool:
    return a is b or a == b


class TheoryView(QtWidgets.QWidget):
    """D(x), D*(x) and D - D* side by side at the grid's shape, with their colour bars and the numbers."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self.canvas = ResizingGraphicsView(background=style.BACKGROUND)   # a scene in pixels: _relayout places items
        self.canvas.setMinimumSize(240, 120)
        self.canvas.sigResized.connect(self._relayout)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        self._build_caption()
        self._build_panels()
        self._build_colorbars()
        self.note_dstar = PanelNote(self.plot_dstar.getViewBox())
        self.note_diff = PanelNote(self.plot_diff.getViewBox())

        self._snap = None
        self._grid = None
        self._mode = None        # ("dstar" | "no-closed-form" | "no-theory", loss)
        self._critic = None
        self._critic_ticks = style.CRITIC_TICKS    # the critic bar's numbers: from the critic's values
        self._rect_grid: dict[int, object] = {}
        self._deco: dict[int, tuple] = {}
        self.max_stale_frames = 30
        self._theory = None              # the last theory fields, kept a few frames while snapshots have none
        self._theory_iteration = 0
        self._shown_theory = None        # the theory the panels and the caption show
        self._stale = 0
        self.retranslate()
        self._apply_scale()

    def _build_caption(self) -> None:
        """The numbers, as a small table right under the colour bars (in the scene, placed with them)."""
        self.caption = Caption()
        self.canvas.addItem(self.caption)
        self._caption_text = ""
        self._caption_line_count = 0      # text lines the caption takes
        self._caption_cols = 2      # 2: a table of two columns; 1: one formula a line (a narrow view)
        self._caption_cells: list[list[str]] = []

    def _build_panels(self) -> None:
        self.plot_d = pg.PlotItem()
        self.plot_dstar = pg.PlotItem()
        self.plot_diff = pg.PlotItem()
        self.plots = (self.plot_d, self.plot_dstar, self.plot_diff)
        for p in self.plots:
            narrow_title(p.titleLabel)
            self.canvas.addItem(p)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.setMouseEnabled(x=False, y=False)
            vb = p.getViewBox()
            vb.setBackgroundColor(style.MASKED)
            vb.disableAutoRange()
        for p in self.plots[1:]:
            p.getAxis("left").setStyle(showValues=False)
        self.image_d = HeatmapItem(axisOrder="row-major")
        self.image_dstar = HeatmapItem(axisOrder="row-major")
        self.image_diff = HeatmapItem(axisOrder="row-major")
        for p, img in zip(self.plots, (self.image_d, self.image_dstar, self.image_diff), strict=True):
            p.addItem(img)
        self.image_d.setLevels(style.D_LEVELS)
        self.image_dstar.setLevels(style.D_LEVELS)
        self.image_diff.setLevels(style.DIFF_LEVELS)

    def _build_colorbars(self) -> None:
        """Horizontal colour bars under the panels: they read left to right ("likely generated" ->
        "likely real"). One bar for D and D* (under both), one for D - D*."""
        self.colorbar = pg.ColorBarItem(values=style.D_LEVELS, colorMap=style.d_colormap(), interactive=False,
                                        width=BAR, pen=style.FOREGROUND, orientation="horizontal")
        self.colorbar.setImageItem([self.image_d, self.image_dstar])
        self.diff_colorbar = pg.ColorBarItem(values=style.DIFF_LEVELS, colorMap=style.diff_colormap(),
                                             interactive=False, width=BAR, pen=style.FOREGROUND,
                                             orientation="horizontal")
        self.diff_colorbar.setImageItem(self.image_diff)
        cache_axes(self.plot_d, self.plot_dstar, self.plot_diff, self.colorbar, self.diff_colorbar)
        for bar in (self.colorbar, self.diff_colorbar):
            self.canvas.addItem(bar)

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
            self.plot_d.setToolTip(_tr(TIP_CRITIC if critic else TIP_D))
            self._style_colorbars()
        self._set_image(self.image_d, style.critic_to_unit(snap.d_logits) if critic else d)
        if critic:
            ticks = critic_ticks(snap.d_logits)
            if ticks != self._critic_ticks:
                self._critic_ticks = ticks
                self._style_colorbars()

        th = self._current_theory(snap)
        self._shown_theory = th
        if not snap.has_dstar or d is None:
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
        self._show_caption(caption_rows(snap, th, self._theory_iteration))

    def clear(self) -> None:
        """Forget the last theory fields (after a reset)."""
        self._theory = None
        self._stale = 0

    def set_scale(self, scale: float) -> None:
        """Scale fonts and titles (1.0 normal, ~1.6 presenter mode)."""
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    def caption_text(self) -> str:
        """The caption as plain text, a line per row (the view shows it as a small table)."""
        return self._caption_text

    def dstar_shown(self) -> bool:
        return self.image_dstar.isVisible()

    def panel_rects(self) -> list[QtCore.QRectF]:
        """The three panels' plot areas, in the view's pixels (tests, layout checks)."""
        return [p.getViewBox().sceneBoundingRect() for p in self.plots]

    def retranslate(self) -> None:
        """Set the texts that are not redrawn with each snapshot in the current language."""
        self.caption.setToolTip(QCoreApplication.translate(
            "TheoryView", "JSD(p_data || p_g) in nats (0 when p_g = p_data, at most log 2); V(G, D) is the GAN value "
            "E_data[log D] + E_g[log(1 - D)] for the trained D; at the optimal D* it equals "
            "-log 4 + 2 JSD (Goodfellow et al. 2014, Theorem 1). p_g is a kernel density estimate of the "
            "generated samples with bandwidth h; p_data is smoothed with the same kernel."))
        for p, tip in zip(self.plots, (TIP_CRITIC if self._critic else TIP_D, TIP_DSTAR, TIP_DIFF), strict=True):
            p.setToolTip(_tr(tip))
        self.colorbar.setToolTip(QCoreApplication.translate(
            "TheoryView", "One colour scale for D and D*: green = likely generated, purple = likely real, "
            "white = 1/2 (cannot tell)."))
        self.diff_colorbar.setToolTip(_tr(TIP_DIFF))
        self._set_titles()
        self._style_colorbars()
        if self._mode is not None:
            self._set_mode(self._mode)
        if self._snap is not None:
            self._show_caption(caption_rows(self._snap, self._shown_theory, self._theory_iteration))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ layout
    def _relayout(self, *_):
        """Place the three panels (equal, the grid's shape, as large as fits) and the colour bars."""
        W, H = float(self.canvas.width()), float(self.canvas.height())
        if W < 20 or H < 20:
            return
        s = self._scale
        gap = PANEL_GAP * s
        deco = [self._decorations(p) for p in self.plots]
        bar_deco = self._decorations(self.colorbar)
        dbar_deco = self._decorations(self.diff_colorbar)
        bar_h = BAR * s
        caption_h = self._caption_height()
        below = max(bar_deco[1] + bar_deco[3], dbar_deco[1] + dbar_deco[3]) + bar_h + 0.4 * gap + caption_h
        margin = 6.0 * s                     # room for the last bar's end label ("+1") at the right
        dw = sum(d[0] + d[2] for d in deco) + 2 * gap + 2 * margin
        dh = max(d[1] + d[3] for d in deco) + below + 2.0
        aspect = _aspect(self._grid) if self._grid is not None else 1.0
        pw = max(10.0, min((W - dw) / 3.0, (H - dh) * aspect))
        ph = pw / aspect
        x = math.floor((W - (3 * pw + dw)) / 2.0) + margin
        # spare height: a third above the block, the rest below (it reads from the top, like the field)
        top = 1.0 + max(d[1] for d in deco) + max(0.0, (H - dh - ph) / 3.0)
        rects = []
        for p, d in zip(self.plots, deco, strict=True):
            x += d[0]
            r = QtCore.QRectF(round(x), top, round(pw), round(ph))
            place(p, r, d)
            rects.append(r)
            x += pw + d[2] + gap
        y_bar = top + ph + max(d[3] for d in deco) + 0.4 * gap
        # the bars stop short of the panels' edges by half an end label, so "1" and "-1" never meet
        fm = QtGui.QFontMetricsF(style.font(s))
        inset = 0.5 * fm.horizontalAdvance("+1") + 2.0
        r_bar = QtCore.QRectF(rects[0].left() + inset, y_bar + bar_deco[1],
                              rects[1].right() - rects[0].left() - 2 * inset, bar_h)
        r_dbar = QtCore.QRectF(rects[2].left() + inset, y_bar + dbar_deco[1], rects[2].width() - 2 * inset, bar_h)
        place(self.colorbar, r_bar, bar_deco)
        place(self.diff_colorbar, r_dbar, dbar_deco)
        self._bar_lengths = (r_bar.width(), r_dbar.width())
        self._caption_top = y_bar + max(bar_deco[1] + bar_deco[3], dbar_deco[1] + dbar_deco[3]) + bar_h
        self._block = (rects[0].left() - deco[0][0], rects[2].right())
        self._style_colorbars()
        self._frame_grid()
        self._place_caption()

    def _caption_height(self) -> float:
        fm = QtGui.QFontMetricsF(self.caption.font())
        return max(1, self._caption_line_count or 2) * fm.lineSpacing() + 4.0

    def _show_caption(self, rows: list[list[str]]) -> None:
        if rows == self._caption_cells:
            return
        self._caption_cells = rows
        cols = self.caption.columns_for(rows, self.canvas.width())
        lines = caption_lines(rows, cols)
        self.caption.set_cells(rows, cols)
        self._caption_text = self.caption.text()
        if lines != self._caption_line_count or cols != self._caption_cols:   # the panels get the rest
            self._caption_line_count, self._caption_cols = lines, cols
            self._relayout()
        else:
            self._place_caption()

    def _place_caption(self) -> None:
        """Centre the caption under the panels (its width changes with the numbers)."""
        top = getattr(self, "_caption_top", None)
        if top is None:
            return
        left, right = self._block
        w = self.caption.rect().width()
        self.caption.setPos(round(max(0.0, 0.5 * (left + right - w))), round(top))

    def _decorations(self, item) -> tuple:
        d = self._deco.get(id(item))
        if d is None:
            d = self._deco[id(item)] = decorations(item)
        return d

    # ================================================================ internals
    def _set_grid(self, grid) -> None:
        old = self._grid
        self._grid = grid
        if old is None or not math.isclose(_aspect(old), _aspect(grid), rel_tol=1e-9):
            self._relayout()
        self._frame_grid()

    def _frame_grid(self, *_):
        g = getattr(self, "_grid", None)
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
        lengths = getattr(self, "_bar_lengths", (None, None))
        if self._critic:
            self._fit_bar(self.colorbar, style.CRITIC_THEORY_BAR_LABELS, self._critic_ticks, lengths[0])
        else:
            self._fit_bar(self.colorbar, style.DSTAR_BAR_LABELS, style.D_TICKS, lengths[0])
        self._fit_bar(self.diff_colorbar, style.DIFF_BAR_LABELS, style.DIFF_TICKS, lengths[1])

    def bar_title(self, bar) -> QtWidgets.QGraphicsTextItem:
        """A colour bar's caption ("likely generated ← D(x), D*(x) → likely real")."""
        return bar.getAxis("bottom").label

    def _fit_bar(self, bar, labels, ticks, length: float | None) -> None:
        """Ticks and the longest caption whose drawn width (its HTML box, which style.fit_text does not
        measure) fits the bar: at presenter scale the long one ran past the view's right edge."""
        room = length
        for _ in range(4):
            style.style_colorbar(bar, labels, ticks, self._scale, length, "TheoryView")
            over = self.bar_title(bar).boundingRect().width() - room if room is not None else 0.0
            if over <= 0.5 or length <= 1.0:
                break
            length = max(1.0, length - over - 1.0)
        bar.getAxis("bottom").resizeEvent()   # centre the caption again: pyqtgraph does it on a resize only
        label = self.bar_title(bar)            # the shortest caption may still be wider than the bar: in view
        r = label.mapRectToScene(label.boundingRect())
        shift = min(0.0, self.canvas.width() - 1.0 - r.right()) or max(0.0, 1.0 - r.left())
        if shift:
            label.setPos(label.pos().x() + shift, label.pos().y())

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
        text = no_dstar_text(loss) if kind == "no-closed-form" else _tr(NO_THEORY_TEXT)
        self.note_dstar.set_message(text)
        self.note_diff.set_message(text if kind == "no-theory" else
                                   QCoreApplication.translate("TheoryView", "D − D* needs D* (see the middle panel)."))
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

    def _set_titles(self) -> None:
        titles = (TITLE_CRITIC if self._critic else TITLE_D, TITLE_DSTAR, TITLE_DIFF)
        for p, t in zip(self.plots, titles, strict=True):
            self._set_title(p, t)

    def _set_title(self, plot: pg.PlotItem, text: str) -> None:
        s = self._scale
        plot.setTitle(_tr(text), size=f"{style.TITLE_PT * s:.0f}pt", color=style.FOREGROUND)
        h = int(round(2.2 * style.TITLE_PT * s))
        plot.titleLabel.setMaximumHeight(h)
        plot.layout.setRowFixedHeight(0, h)

    def _apply_scale(self) -> None:
        s = self._scale
        self._set_titles()
        for i, p in enumerate(self.plots):
            style.style_axes(p, s)
            p.getAxis("left").setWidth(int(round((Y_AXIS if i == 0 else SLIM_AXIS) * s)))
            p.getAxis("bottom").setHeight(int(round(X_AXIS * s)))
            p.layout.setContentsMargins(0, 0, 0, 0)
        for bar in (self.colorbar, self.diff_colorbar):
            bar.layout.setRowFixedHeight(2, BAR * s)
            bar.getAxis("bottom").setHeight(None)   # ticks and title: sized by pyqtgraph to the text
            for side in ("left", "right"):
                bar.getAxis(side).setWidth(1)
            bar.layout.setContentsMargins(0, 0, 0, 0)
        self._style_colorbars()
        for note in (self.note_dstar, self.note_diff):
            note.setFont(style.font(s, style.TITLE_PT))
            note.relayout()
        self.caption.setFont(style.font(s))
        if self._caption_cells:
            self._caption_cols = self.caption.columns_for(self._caption_cells, self.canvas.width())
            self._caption_line_count = caption_lines(self._caption_cells, self._caption_cols)
            self.caption.set_cells(self._caption_cells, self._caption_cols)
        self._deco.clear()
        self._relayout()


def _aspect(grid) -> float:
    return (grid.xmax - grid.xmin) / (grid.ymax - grid.ymin)
