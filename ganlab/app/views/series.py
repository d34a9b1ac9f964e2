"""One curve of the curves view, and the plot titles that name the curves in their colours.

A `Series` draws one column of the snapshot's `losses` or `metrics` table (History views) as a
PlotCurveItem; `transform` maps the kept values (log10), non-finite values become NaN gaps
(connect='finite'). There are no legends: each plot's title (`title_html`) lists its series after a line
sign (solid or dashed) in their own colours, and a reference line whose label found no free place in the
plot (`REFERENCE_MARK`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .. import style

SOLID, DASHED = "━", "╌"

# The plots' tooltips, in the order of CurvesView.plots.
TIPS = (
    QT_TRANSLATE_NOOP("CurvesView", "The discriminator's and the generator's losses per iteration. For minimax and "
                      "non-saturating losses L_D = log 4 at the equilibrium D = 1/2."),
    QT_TRANSLATE_NOOP("CurvesView", "Jensen-Shannon divergence between p_data and p_g in nats (left axis): 0 when "
                      "p_g = p_data, at most log 2. It is the JSD of the densities smoothed with the KDE kernel, a "
                      "lower bound of the true one. W1 (right axis): the Wasserstein-1 (earth mover's) distance "
                      "between 128 real and 128 generated samples, about once a second. Drag a mode far away: the "
                      "JSD stays at log 2 while W1 keeps growing."),
    QT_TRANSLATE_NOOP("CurvesView", "V(G, D) for the trained D (solid), the mean of log D(x) over real samples plus "
                      "the mean of log(1 - D(G(z))) over generated ones, against V(G, D*) = -log 4 + 2 JSD "
                      "(dashed; Goodfellow et al. 2014, Theorem 1) of the smoothed densities. They meet when D is "
                      "optimal for the current G (up to the smoothing, which lowers V(G, D*))."),
    QT_TRANSLATE_NOOP("CurvesView", "Share of the target's modes with generated samples near them (mode collapse "
                      "drops it), and the share of generated samples within 3 std of some mode."),
    QT_TRANSLATE_NOOP("CurvesView", "KL(p_data || p_g) grows when modes are missed (mode dropping); KL(p_g || p_data) "
                      "grows when samples fall where there is no data. JSD mixes both. Log scale, nats."),
    QT_TRANSLATE_NOOP("CurvesView", "Norm of the generator's gradient (log scale): it vanishes when D is too good "
                      "with the minimax loss."),
)


class Mark:
    """A title entry that is not a Series (a reference line whose label had no free place in the plot)."""

    def __init__(self, color: str, dash: bool = True):
        self.color, self.dash = color, dash


REFERENCE_MARK = Mark(style.REFERENCE)


def finite(y: np.ndarray) -> np.ndarray:
    """y as float64 with every non-finite value replaced by NaN (a gap with connect='finite')."""
    y = np.asarray(y, dtype=np.float64)
    if np.isfinite(y).all():
        return y
    return np.where(np.isfinite(y), y, np.nan)


def log10(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(y)
    return finite(out)


class Series:
    def __init__(self, plot: pg.PlotItem, source: str, column: str, color: str, name: str,
                 dash: bool = False, transform=None, sparse: bool = False):
        self.plot = plot
        self.sparse = sparse          # most rows are NaN (not computed): draw the finite ones joined
        self.source = source          # "losses" or "metrics"
        self.column = column
        self.color = color
        self.dash = dash
        self.transform = transform    # y -> y (on the kept points), e.g. log10
        self.gaps = False             # on a log axis: the drawn part has values it cannot show
        self.curve = pg.PlotCurveItem(name=name, connect="finite")
        if dash:
            # Qt strokes a thick dashed polyline about 20x slower than separate segments (2 ms a frame
            # here): draw segments, each starting its own short dash pattern
            self.curve.opts["segmentedLineMode"] = "on"
        self.curve.setZValue(5)
        plot.addItem(self.curve)

    def set_scale(self, scale: float) -> None:
        pen = style.pen(self.color, style.CURVE_WIDTH, scale, dash=self.dash)
        if self.dash:
            pen.setDashPattern([3.0, 2.0])
        self.curve.setPen(pen)


def title_html(prefix: str, series) -> str:
    """A plot title: an optional prefix, then each (series, name)'s name after a line sign, in its colour."""
    parts = [_esc(prefix)] if prefix else []
    for s, name in series:
        sign = DASHED if s.dash else SOLID
        parts.append(f'<span style="color:{s.color}">{sign}&nbsp;{_esc(name)}</span>')
    return "&nbsp;&nbsp;&nbsp;".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def series_forms(view, p) -> list[str]:
    """A curves plot's title HTML, longest first: its series' names in their colours, a line sign for each."""
    if p is view.plot_loss:
        pair = [(view.s_loss_d, "L_D"), (view.s_loss_g, "L_G")]
        return [title_html(QCoreApplication.translate("CurvesView", "losses"), pair), title_html("", pair)]
    if p is view.plot_jsd:
        return [title_html("", [(view.s_jsd, QCoreApplication.translate("CurvesView", "JSD(p_data ‖ p_g), nats")),
                                 (view.s_w1, "W1")]),
                title_html("", [(view.s_jsd, "JSD"), (view.s_w1, "W1")])]
    if p is view.plot_value:
        return [title_html("", [(view.s_v, "V(G, D)"), (view.s_vstar, "V(G, D*) = −log 4 + 2 JSD")]),
                title_html("", [(view.s_v, "V(G, D)"), (view.s_vstar, "−log 4 + 2 JSD")]),
                title_html("", [(view.s_v, "V"), (view.s_vstar, "V*")])]
    if p is view.plot_cov:
        return [title_html("", [(view.s_modes, view.modes_text()),
                                 (view.s_hq, QCoreApplication.translate("CurvesView", "high-quality samples"))]),
                title_html("", [(view.s_modes, modes_short(view.modes_text())),
                                 (view.s_hq, QCoreApplication.translate("CurvesView", "quality"))])]
    if p is view.plot_kl:
        return [title_html("", [(view.s_kl_data, "KL(p_data ‖ p_g)"), (view.s_kl_g, "KL(p_g ‖ p_data)")]),
                title_html("KL", [(view.s_kl_data, "data‖g"), (view.s_kl_g, "g‖data")])]
    return [title_html(QCoreApplication.translate("CurvesView", "generator gradient norm ‖∇θ_G L_G‖"), []),
            title_html("‖∇θ_G L_G‖", [])]


def modes_short(modes_text: str) -> str:
    """ "modes 5/8" from "modes captured 5/8": the coverage plot's title when narrow."""
    digits = "".join(ch for ch in modes_text if ch.isdigit() or ch == "/")
    return QCoreApplication.translate("CurvesView", "modes {0}").format(digits) if digits else \
        QCoreApplication.translate("CurvesView", "modes")


def modes_text(snap, n_modes: int) -> str:
    """ "modes captured 5/8": the coverage plot's title, from the snapshot's coverage or its last metrics row."""
    cov = getattr(snap, "coverage", None)
    counts = None
    if cov is not None:
        counts = (int(cov.modes_captured), int(cov.n_modes))
    else:
        m = snap.metrics.get("modes_captured") if snap.metrics else None
        if m is not None and len(m) and np.isfinite(m[-1]):
            counts = (int(m[-1]), n_modes)
    if counts is None:
        return QCoreApplication.translate("CurvesView", "modes captured")
    return QCoreApplication.translate("CurvesView", "modes captured {0}/{1}").format(*counts)
