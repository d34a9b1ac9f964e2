"""The saturation explorer: why the generator trains with -log D rather than log(1 - D), measured on the run.

Two plots over D = D(G(z)) in (0, 1): (a) the per-sample generator losses log(1 - D) (minimax) and -log D
(non-saturating), (b) the magnitude of their slopes with respect to D's logit, D and 1 - D. The generated samples
of the last evaluation (snap.fake_logits at snap.eval_fake) sit on both as points, and a line under the plots gives
each loss's mean |dL_G/dl| over that batch: early in training D(G(z)) ~ 0 and the minimax number is tiny. The active
loss (snap.loss) is drawn solid and named in the titles; LSGAN gets its own curve (2 (D - 1/2)^2, slope 2D - 1);
a critic (wgan-gp, hinge) has no probability, so its points are not drawn and a sentence says why.

All maths is in core/saturation.py. Per frame only setData, and only when the batch or the loss changed; at most
saturation.MAX_POINTS points are drawn per curve (the means use the whole batch).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent

from ...core import saturation as sat
from .. import style
from ._items import PointCloudItem, QtPaintedView, cache_axes, narrow_title
from .series import Mark, title_html

COLORS = {"minimax": style.OTHER, "nonsaturating": style.MANIFOLD, "lsgan": style.SKY}
NAMES = {"minimax": QT_TRANSLATE_NOOP("SaturationView", "minimax"),
         "nonsaturating": QT_TRANSLATE_NOOP("SaturationView", "non-saturating"),
         "lsgan": "LSGAN", "wgan-gp": "WGAN-GP", "hinge": "hinge"}
FORMULAS = {"minimax": "log(1 − D)", "nonsaturating": "−log D", "lsgan": "2(D − ½)²"}
SLOPES = {"minimax": "D", "nonsaturating": "1 − D", "lsgan": "|2D − 1|"}
LOSS_RANGE = (-sat.CURVE_REACH - 0.3, sat.CURVE_REACH + 0.3)
POINT_CLIP = sat.CURVE_REACH          # points beyond the frame are drawn on its edge
SIDE_BY_SIDE_ASPECT = 1.4             # width / height above which the plots sit side by side
LEFT_AXIS = 56                        # pixels at scale 1 left of a plot's view box (ticks and axis label)


def _tr(text: str) -> str:
    """For texts marked with QT_TRANSLATE_NOOP("SaturationView", ...) above."""
    return QCoreApplication.translate("SaturationView", text)


def loss_name(loss: str) -> str:
    return _tr(NAMES.get(loss, loss))


class _LayoutWidget(QtPaintedView, pg.GraphicsLayoutWidget):
    sigResized = QtCore.Signal()


class SaturationView(QtWidgets.QWidget):
    """Loss and |slope| curves of the generator over D(G(z)) with the current batch on them."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._snap = None
        self._drawn = None          # (loss, fake_logits array) last drawn
        self._batch: sat.BatchSaturation | None = None
        self._loss = "nonsaturating"
        self._side = None
        self.glw = _LayoutWidget()
        self.glw.setBackground(style.BACKGROUND)
        self.glw.setMinimumSize(220, 200)
        self.means_label = QtWidgets.QLabel()
        self.note_label = QtWidgets.QLabel()
        for lab in (self.means_label, self.note_label):
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.glw, 1)
        layout.addWidget(self.means_label)
        layout.addWidget(self.note_label)
        self._build_plots()
        self.glw.sigResized.connect(self._arrange)
        self._arrange()
        self.retranslate()
        self._apply_scale()
        self._show_batch()

    def _build_plots(self) -> None:
        self.plot_loss = pg.PlotItem()
        self.plot_grad = pg.PlotItem()
        self.plots = (self.plot_loss, self.plot_grad)
        cache_axes(*self.plots)
        for p in self.plots:
            narrow_title(p.titleLabel)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.setMouseEnabled(x=False, y=False)
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("bottom").enableAutoSIPrefix(False)
            p.showGrid(x=True, y=True, alpha=0.15)
            p.setXRange(0.0, 1.0, padding=0.02)
        self.plot_loss.setYRange(*LOSS_RANGE, padding=0)
        self.plot_grad.setYRange(0.0, 1.08, padding=0)
        c = sat.curves()
        self.curves: dict[tuple[str, str], pg.PlotCurveItem] = {}
        self.clouds: dict[tuple[str, str], PointCloudItem] = {}
        for kind, plot, ys in (("loss", self.plot_loss, c.loss), ("grad", self.plot_grad, c.grad)):
            for k in sat.PROB_LOSSES:
                curve = pg.PlotCurveItem(c.d, ys[k])
                curve.setZValue(5)
                plot.addItem(curve)
                self.curves[(kind, k)] = curve
                cloud = PointCloudItem(name=k)
                cloud.setZValue(10)
                plot.addItem(cloud)
                self.clouds[(kind, k)] = cloud
        self.zero_line = pg.InfiniteLine(pos=0.0, angle=0, pen=style.pen(style.REFERENCE, 1.0, dash=True))
        self.plot_loss.addItem(self.zero_line)

    # ================================================================ public API
    def update_snapshot(self, snap) -> None:
        """Draw this frame's batch; nothing is recomputed unless the batch or the loss changed."""
        self._snap = snap
        logits = getattr(snap, "fake_logits", None)
        k = self._drawn   # the array itself, not its id: an id can be reused once the old frame is freed
        if k is not None and k[0] == snap.loss and k[1] is logits:
            return
        self._drawn = (snap.loss, logits)
        self._loss = snap.loss
        self._batch = None if logits is None else sat.batch_saturation(snap.loss, logits)
        self._style_curves()
        self._show_batch()

    def clear(self) -> None:
        """Forget the batch (a reset): curves stay, points and numbers go."""
        self._snap = None
        self._drawn = None
        self._batch = None
        self._show_batch()

    def set_scale(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_scale()

    def scale(self) -> float:
        return self._scale

    def batch(self) -> sat.BatchSaturation | None:
        """The measured batch shown (None before the first evaluation)."""
        return self._batch

    def points(self, loss: str, kind: str = "loss") -> tuple[np.ndarray, np.ndarray]:
        """The drawn points (D, value) of `loss` on plot "loss" or "grad" (empty while hidden)."""
        cloud = self.clouds[(kind, loss)]
        return cloud.getData() if cloud.isVisible() else (np.zeros(0), np.zeros(0))

    def means_text(self) -> str:
        return self.means_label.text()

    def note_text(self) -> str:
        return self.note_label.text() if not self.note_label.isHidden() else ""

    def retranslate(self) -> None:
        self.plot_loss.setToolTip(QCoreApplication.translate(
            "SaturationView",
            "The generator's loss for one sample as a function of D(G(z)). Minimax log(1 − D) is flat near D = 0, "
            "where the samples of an early generator sit; non-saturating −log D is steep there (lecture, formulas "
            "(7)–(9)). Points: D at the generated samples of the last evaluation."))
        self.plot_grad.setToolTip(QCoreApplication.translate(
            "SaturationView",
            "How hard each loss pushes the generator: |dL_G/dl| for one sample, l being D's logit (D = sigmoid(l)). "
            "Minimax gives D, which vanishes when D rejects the samples; non-saturating gives 1 − D."))
        self._set_titles()
        self._set_axis_labels()
        self._show_batch()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ================================================================ drawing
    def _shown_losses(self) -> tuple[str, ...]:
        """The lecture's pair always (for reference), LSGAN's own curve too while it is the active loss."""
        return sat.LOG_LOSSES + (("lsgan",) if self._loss == "lsgan" else ())

    def _style_curves(self) -> None:
        shown = self._shown_losses()
        for (_, k), curve in self.curves.items():
            curve.setVisible(k in shown)
            active = k == self._loss
            pen = style.pen(COLORS[k], style.CURVE_WIDTH * (1.25 if active else 0.8), self._scale, dash=not active)
            curve.setPen(pen)
        for (_, k), cloud in self.clouds.items():
            cloud.setSize(style.point_size(style.FAKE_SIZE if k == self._loss else style.REAL_SIZE, self._scale))
            cloud.setPen(style.pen(style.FAKE_EDGE, 1.0))
            cloud.setBrush(style.brush(style.FAKE, style.FAKE_ALPHA if k == self._loss else 110))
        self._set_titles()

    def _show_batch(self) -> None:
        b = self._batch
        drawn = b is not None and not b.critic
        for (kind, k), cloud in self.clouds.items():
            if drawn and k in b.loss_values:
                ys = b.loss_values[k] if kind == "loss" else b.grad_values[k]
                cloud.setData(x=b.d, y=np.clip(ys, -POINT_CLIP, POINT_CLIP))
                cloud.setVisible(True)
            else:
                cloud.setData(x=np.zeros(0), y=np.zeros(0))
                cloud.setVisible(False)
        top = 1.0
        if drawn and "lsgan" in b.grad_values and b.grad_values["lsgan"].size:
            top = max(1.0, min(float(b.grad_values["lsgan"].max()), POINT_CLIP))
        self.plot_grad.setYRange(0.0, 1.08 * top, padding=0)
        self.means_label.setText(self._means_text(b))
        note = self._note(b)
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))

    def _means_text(self, b) -> str:
        if b is None:
            return QCoreApplication.translate("SaturationView", "mean |dL_G/dl|: no evaluated batch yet")
        parts = []
        for k, v in b.mean_grad.items():
            item = f"{loss_name(k)} {v:.3g}"
            if k == b.loss:
                item = QCoreApplication.translate("SaturationView", "{0} (active)").format(item)
            parts.append(item)
        return QCoreApplication.translate("SaturationView", "mean |dL_G/dl| over {0} samples: {1}").format(
            b.n, ", ".join(parts))

    def _note(self, b) -> str:
        if b is None:
            return QCoreApplication.translate("SaturationView",
                                              "D(G(z)) appears here after the first evaluation of the run.")
        if b.critic:
            return QCoreApplication.translate(
                "SaturationView",
                "{0}: the critic's score is not a probability, so D(G(z)) has no place on these curves. Its generator "
                "loss −l has slope −1 for every sample, so the gradient magnitude is 1: it never saturates."
            ).format(loss_name(b.loss))
        if b.loss == "lsgan":
            return QCoreApplication.translate(
                "SaturationView", "LSGAN: D = (l + 1)/2, clipped to [0, 1]; L_G = l²/2 = 2(D − ½)² pulls D(G(z)) to ½ "
                "with slope l, which grows with the distance instead of vanishing.")
        return ""

    def _set_titles(self) -> None:
        """Each plot's title names its curves in their colours (solid: the active loss): the longest form that
        fits the plot's width (formula, name and "(active)"; formula and "(active)"; formulas only)."""
        s = self._scale
        size = f"{style.FONT_PT * s:.0f}pt"
        shown = self._shown_losses()
        active = QCoreApplication.translate("SaturationView", "{0} (active)")

        def entries(table, named: bool, marked: bool):
            out = []
            for k in shown:
                name = f"{table[k]}  {loss_name(k)}" if named else table[k]
                if marked and k == self._loss:
                    name = active.format(name)
                out.append((Mark(COLORS[k], dash=k != self._loss), name))
            return out

        f = style.font(s)
        for plot, table in ((self.plot_loss, FORMULAS), (self.plot_grad, SLOPES)):
            forms = [entries(table, named, marked) for named, marked in ((True, True), (False, True), (False, False))]
            plain = ["   ".join(f"━ {name}" for _, name in form) for form in forms]
            width = max(plot.width() - LEFT_AXIS * s, 40.0)
            html = title_html("", forms[plain.index(style.fit_text(plain, f, width))])
            plot.setTitle(html, size=size, color=style.FOREGROUND)

    def _set_axis_labels(self) -> None:
        f = f"{style.FONT_PT * self._scale:.0f}pt"
        for p in self.plots:
            p.setLabel("bottom", "D(G(z))", color=style.FOREGROUND, **{"font-size": f})
        self.plot_loss.setLabel("left", "L_G", color=style.FOREGROUND, **{"font-size": f})
        self.plot_grad.setLabel("left", "|dL_G/dl|", color=style.FOREGROUND, **{"font-size": f})

    def _arrange(self) -> None:
        """Side by side in a wide area, stacked in a tall one (only when that changes)."""
        w, h = max(self.glw.width(), 1), max(self.glw.height(), 1)
        side = w / h >= SIDE_BY_SIDE_ASPECT
        if side != self._side:
            self._side = side
            lay = self.glw.ci
            for p in self.plots:
                if p in lay.items:
                    lay.removeItem(p)
            lay.addItem(self.plot_loss, row=0, col=0)
            lay.addItem(self.plot_grad, row=0 if side else 1, col=1 if side else 0)
            grid = lay.layout
            for i in range(2):      # equal halves, whatever the titles or axes ask for
                grid.setColumnStretchFactor(i, 1 if side or i == 0 else 0)
                grid.setRowStretchFactor(i, 1 if not side or i == 0 else 0)
            lay.layout.activate()
        self._set_titles()

    def _apply_scale(self) -> None:
        s = self._scale
        for p in self.plots:
            style.style_axes(p, s)
        self.zero_line.setPen(style.pen(style.REFERENCE, 1.0, s, dash=True))
        f = style.font(s)
        self.means_label.setFont(f)
        self.note_label.setFont(f)
        self._style_curves()
        self._set_axis_labels()
