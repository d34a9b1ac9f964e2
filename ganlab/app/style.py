"""Colours, colour maps and sizes shared by every view.

Real vs generated use the Okabe-Ito blue / orange pair, which people with the common colour-vision
deficiencies still tell apart; generated points are also slightly larger and carry a dark outline,
so the two clouds differ by more than hue. The same two colours mark the curves (L_D real, L_G fake).
Generated points are drawn over the real ones with a translucent fill (FAKE_ALPHA) and an opaque outline:
where G has matched the data both show (each orange point's dark rim, the blue through its fill); a mode
G misses stays plain blue. The mode markers' dark halo is translucent too, so they hide neither cloud.

D(x) and D*(x) share one diverging map centred on 0.5 (pale PRGn: purple = "likely real",
green = "likely generated"). Neither end shares a hue with the clouds (the old PuOr's orange end
swallowed the orange generated points), and both ends are pale (CIELAB L about 68-75), so blue and
orange points stand out on either side also under simulated deuteranopia, protanopia and
tritanopia (colour difference >= 24 everywhere, >= 40 for the generated points).
D - D* uses its own diverging map (BrBG-like) centred on 0.

`scale` multiplies fonts and line widths: 1.0 normal, about 1.6 in presenter mode. Point and marker
sizes grow more slowly (`point_scale`, the square root): at full scale a cloud of 2000 points on a
smaller projector field merges into one blob. `apply_scale(s)` sets the default that new views start
with; every view also has `set_scale(s)`.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# ------------------------------------------------------------------ colours (Okabe-Ito)
REAL = "#0072B2"          # blue: samples of p_data, L_D
FAKE = "#E69F00"          # orange: samples of p_g, L_G
FAKE_EDGE = "#3D2600"     # dark outline of generated points
FAKE_ALPHA = 170          # fill opacity of generated points (outline opaque): the real cloud shows through
REAL_EDGE = "#FFFFFF"     # thin light rim, so blue stays visible on the purple side of the map
MARKER_FILL = "#FFFFFF"   # mode centre markers: a hollow white ring with a dark halo
MARKER_EDGE = "#1A1A1A"
MARKER_HALO_ALPHA = 150   # the marker's dark halo: translucent over the clouds
MARKER_HOVER = "#F0E442"  # Okabe-Ito yellow: marker under the mouse
PUSH = "#1A1A1A"          # generator push arrows
MANIFOLD = "#009E73"      # Okabe-Ito bluish green: G over a noise grid
OTHER = "#CC79A7"         # Okabe-Ito reddish purple: a third series (hq fraction, grad norm)
SKY = "#56B4E9"           # Okabe-Ito sky blue
VERMILLION = "#D55E00"    # Okabe-Ito vermillion
REFERENCE = "#555555"     # labelled reference lines (log 2, -log 4, ...)
BACKGROUND = "#FFFFFF"
FOREGROUND = "#222222"    # axes and text
MASKED = "#D9D9D9"        # panel background: shows through NaN (masked) cells of D*

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)

# ------------------------------------------------------------------ sizes at scale 1
FONT_PT = 9.0
TITLE_PT = 10.0
REAL_SIZE = 5.0
FAKE_SIZE = 7.0
MARKER_SIZE = 26.0        # the mode marker's reticle, ticks included (its ring is about 2/3 of it)
CURVE_WIDTH = 2.0
PUSH_WIDTH = 1.2
MANIFOLD_WIDTH = 1.4
RING_WIDTH = 1.0
PRESENTER_SCALE = 1.6

_scale = 1.0


def apply_scale(scale: float) -> float:
    """Set the default scale (1.0 normal, ~1.6 presenter) that new views start with; returns it."""
    global _scale
    _scale = clamp_scale(scale)
    return _scale


def current_scale() -> float:
    return _scale


def clamp_scale(scale: float) -> float:
    s = float(scale)
    if not math.isfinite(s):
        raise ValueError(f"scale must be a finite number, got {scale!r}")
    return min(max(s, 0.5), 4.0)


def point_scale(scale: float) -> float:
    """How much point and marker sizes grow at `scale` (fonts and lines grow by `scale` itself)."""
    return math.sqrt(max(float(scale), 0.0))


def point_size(size: float, scale: float) -> float:
    return size * point_scale(scale)


def translated(context: str, text: str) -> str:
    """QCoreApplication.translate, for texts marked with QT_TRANSLATE_NOOP here and used in a view."""
    return QCoreApplication.translate(context, text)


def fit_text(options, qfont: QtGui.QFont, width: float) -> str:
    """The first of `options` (longest first) that fits in `width` pixels in `qfont`, else the last."""
    fm = QtGui.QFontMetricsF(qfont)
    for text in options:
        if fm.horizontalAdvance(text) <= width:
            return text
    return options[-1]


def font(scale: float, pt: float = FONT_PT, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont()
    f.setPointSizeF(pt * scale)
    f.setBold(bold)
    return f


def pen(color: str, width: float, scale: float = 1.0, alpha: int | None = None, dash: bool = False) -> QtGui.QPen:
    c = pg.mkColor(color)
    if alpha is not None:
        c.setAlpha(alpha)
    p = pg.mkPen(c, width=width * scale)
    p.setCosmetic(True)
    if dash:
        p.setStyle(pg.QtCore.Qt.PenStyle.DashLine)
    return p


def brush(color: str, alpha: int | None = None) -> QtGui.QBrush:
    c = pg.mkColor(color)
    if alpha is not None:
        c.setAlpha(alpha)
    return pg.mkBrush(c)


def style_axes(plot: pg.PlotItem, scale: float) -> None:
    """Dark axes, readable tick fonts at the given scale."""
    f = font(scale)
    for name in ("left", "bottom", "right", "top"):
        ax = plot.getAxis(name)
        ax.setPen(pen(FOREGROUND, 1.0))
        ax.setTextPen(pen(FOREGROUND, 1.0))
        ax.setTickFont(f)
        ax.label.setFont(f)


# ------------------------------------------------------------------ colour maps
# PRGn (ColorBrewer), pale classes only: no orange (the generated points' colour), no saturated blue
# (the real points'), so both clouds stand out on both sides of D = 1/2.
D_STOPS: tuple[tuple[float, str], ...] = (
    (0.00, "#8CC58A"),   # D = 0: likely generated
    (0.20, "#B4DFAF"),
    (0.40, "#DDF1D9"),
    (0.50, "#F7F7F7"),   # D = 1/2: cannot tell (the equilibrium)
    (0.60, "#EBDDEC"),
    (0.80, "#CDB9DC"),
    (1.00, "#B49DCB"),   # D = 1: likely real
)
# BrBG (ColorBrewer): brown = D below D*, teal = D above D*.
DIFF_STOPS: tuple[tuple[float, str], ...] = (
    (0.00, "#A6611A"),
    (0.25, "#DFC27D"),
    (0.50, "#F5F5F5"),
    (0.75, "#80CDC1"),
    (1.00, "#018571"),
)
D_LEVELS = (0.0, 1.0)
DIFF_LEVELS = (-1.0, 1.0)
D_TICKS = [(0.0, "0"), (0.5, "0.5"), (1.0, "1")]
CRITIC_TICKS = [(0.0, "-max"), (0.5, "0"), (1.0, "+max")]
DIFF_TICKS = [(-1.0, "-1"), (0.0, "0"), (1.0, "+1")]
# Colour-bar titles read bottom to top (left to right), like the bar itself. Each has shorter forms
# for a short bar (a small window, presenter mode): the views take the longest that fits.
D_BAR_LABELS = (QT_TRANSLATE_NOOP("FieldView", "likely generated  ←  D(x)  →  likely real"),
                QT_TRANSLATE_NOOP("FieldView", "generated  ←  D(x)  →  real"),
                QT_TRANSLATE_NOOP("FieldView", "fake ← D → real"))
CRITIC_BAR_LABELS = (QT_TRANSLATE_NOOP("FieldView", "generated-like  ←  critic score  →  real-like"),
                     QT_TRANSLATE_NOOP("FieldView", "generated  ←  critic  →  real"),
                     QT_TRANSLATE_NOOP("FieldView", "fake ← critic → real"))
DSTAR_BAR_LABELS = (QT_TRANSLATE_NOOP("TheoryView", "likely generated  ←  D(x), D*(x)  →  likely real"),
                    QT_TRANSLATE_NOOP("TheoryView", "generated  ←  D, D*  →  real"),
                    QT_TRANSLATE_NOOP("TheoryView", "fake ← D, D* → real"))
CRITIC_THEORY_BAR_LABELS = (QT_TRANSLATE_NOOP("TheoryView", "generated-like  ←  critic score  →  real-like"),
                            QT_TRANSLATE_NOOP("TheoryView", "generated  ←  critic  →  real"),
                            QT_TRANSLATE_NOOP("TheoryView", "fake ← critic → real"))
DIFF_BAR_LABELS = (QT_TRANSLATE_NOOP("TheoryView", "D below D*  ←  D − D*  →  D above D*"),
                   QT_TRANSLATE_NOOP("TheoryView", "D < D*  ←  →  D > D*"),
                   QT_TRANSLATE_NOOP("TheoryView", "D − D*"))
# the long forms (kept for code that reads one label)
D_BAR_LABEL = D_BAR_LABELS[0]
DSTAR_BAR_LABEL = DSTAR_BAR_LABELS[0]
CRITIC_BAR_LABEL = CRITIC_BAR_LABELS[0]
DIFF_BAR_LABEL = DIFF_BAR_LABELS[0]


def style_colorbar(bar: pg.ColorBarItem, labels, ticks, scale: float, length: float | None = None,
                   context: str = "FieldView") -> str:
    """Dark text, tick labels at both ends kept (pyqtgraph drops labels that overflow), a title: the
    longest of `labels` (a string or longest-first options, untranslated) that fits in `length` pixels.
    Returns the title shown."""
    f = font(scale)
    ax = bar.axis
    ax.setPen(pen(FOREGROUND, 1.0))
    ax.setTextPen(pen(FOREGROUND, 1.0))
    ax.setTickFont(f)
    ax.setStyle(hideOverlappingLabels=False)
    ax.setTicks([ticks])
    options = [translated(context, t) for t in ((labels,) if isinstance(labels, str) else labels)]
    text = options[0] if length is None else fit_text(options, f, length)
    title = bar.getAxis("bottom" if bar.horizontal else "left")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")   # the label is HTML
    if title.labelText != text or title.labelStyle.get("font-size") != f"{FONT_PT * scale:.0f}pt":
        title.setLabel(text, color=FOREGROUND, **{"font-size": f"{FONT_PT * scale:.0f}pt"})
    return text


def _colormap(stops, name: str) -> pg.ColorMap:
    pos = np.array([p for p, _ in stops], dtype=float)
    colors = [pg.mkColor(c) for _, c in stops]
    return pg.ColorMap(pos, colors, name=name)


def d_colormap() -> pg.ColorMap:
    """Diverging map for D and D* on [0, 1], white at 0.5."""
    return _colormap(D_STOPS, "ganlab-D")


def diff_colormap() -> pg.ColorMap:
    """Diverging map for D - D*; position 0..1 stands for -1..1, white at 0."""
    return _colormap(DIFF_STOPS, "ganlab-D-minus-Dstar")


def critic_to_unit(logits: np.ndarray) -> np.ndarray:
    """A critic map (no probability reading) scaled symmetrically around 0 into [0, 1] (0 -> 0.5).

    Non-finite cells become NaN (drawn transparent)."""
    a = np.asarray(logits, dtype=np.float32)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(a)
        m = float(np.abs(a, where=finite, out=np.zeros_like(a)).max()) if a.size else 0.0
        if not (m > 0.0):
            m = 1.0
        out = a * (0.5 / m) + 0.5
    if not finite.all():
        out[~finite] = np.nan
    return out
