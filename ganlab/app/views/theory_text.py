"""The theory view's texts: the numbers under the panels, and the note over a panel that shows nothing.

- `caption_rows(snap, theory, ...)`  the numbers as rows of cells: JSD, V(G, D), the identity
                                     V(G, D*) = -log 4 + 2 JSD, the KDE bandwidth, and notes;
- `Caption`                          those rows as a small table of plain text items (one or two columns);
- `PanelNote`                        a wrapped sentence centred in a panel (why D* is not drawn);
- `critic_ticks(logits)`             the critic colour bar's numbers: round critic values, at least three.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from .. import style
from .axes import nice_step

CAPTION_GAP = 18        # pixels between the caption's two columns


def critic_ticks(logits) -> list[tuple[float, str]]:
    """Ticks for the critic's colour bar: (position on the bar, critic value). The map is scaled to ±max
    (style.critic_to_unit); the labels are round critic values inside that range, at least three (-s, 0, +s),
    where "-max, 0, +max" showed only the "0" (pyqtgraph drops end labels that overflow the bar)."""
    a = np.asarray(logits, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        ok = a[np.isfinite(a)]
    m = float(np.abs(ok).max()) if ok.size else 0.0
    if not m > 0.0:
        m = 1.0
    step = nice_step(m / 3.0)              # < m: -step, 0 and +step are always on the bar
    n = int(math.floor(m / step + 1e-9))
    return [(0.5 + 0.5 * k * step / m, "0" if k == 0 else f"{k * step:+.3g}") for k in range(-n, n + 1)]


def caption_rows(snap, th, theory_iteration: int) -> list[list[str]]:
    """The caption as rows of cells: two rows of two formulas each, then a row of notes if any.

    `th` is the theory shown: the snapshot's own, or an older one (from `theory_iteration`) kept while
    the snapshot has none."""
    if th is None:
        return [[QCoreApplication.translate("TheoryView", "Theory off: no JSD, V(G, D) or D* for this frame.")]]
    # The JSD and V(G, D*) are those of the densities smoothed with the KDE kernel: a lower bound of the true ones.
    jsd = QCoreApplication.translate("TheoryView", "JSD = {0:.4f} nats (smoothed: a lower bound)").format(th.jsd)
    value = getattr(snap, "value", None) if th is snap.theory else None
    if snap.d_prob is None:
        v_text = QCoreApplication.translate("TheoryView", "V(G, D): n/a (the critic is not a probability)")
    elif value is not None and math.isfinite(value.value):
        v_text = QCoreApplication.translate(
            "TheoryView", "V(G, D) = {0:.4f} ± {1:.4f} (samples)").format(
            value.value, value.stderr)
    else:
        v_text = QCoreApplication.translate("TheoryView", "V(G, D): —")
    ident = QCoreApplication.translate("TheoryView", "V(G, D*) = −log 4 + 2 JSD = {0:.4f}").format(th.v_identity)
    h = getattr(th, "bandwidth", None)
    kde = QCoreApplication.translate("TheoryView", "KDE bandwidth h = {0:.3g}").format(h) if h is not None else ""
    rows = [[jsd, v_text], [kde, ident]]
    notes = []
    if th is not snap.theory:
        notes.append(QCoreApplication.translate("TheoryView", "(theory from iteration {0})").format(
            theory_iteration))
    mass = getattr(th, "pg_mass_in_grid", None)
    if mass is not None and math.isfinite(mass) and mass < 0.99:
        notes.append(QCoreApplication.translate(
            "TheoryView", "only {0:.0f}% of generated samples inside the box").format(100 * mass))
    if notes:
        rows.append(["   ·   ".join(notes)])
    return rows


def caption_lines(rows: list[list[str]], cols: int) -> int:
    """The text lines `rows` take in a table of `cols` columns (1: one formula a line)."""
    return sum(1 if cols == 2 or len(row) == 1 else len([c for c in row if c]) for row in rows)


class Caption(QtWidgets.QGraphicsRectItem):
    """The numbers under the panels: plain text items in a grid of one or two columns, so each formula
    stays on its own line and the columns line up. Plain text (no HTML layout): a new set of numbers
    six times a second costs a few setText calls."""

    def __init__(self):
        super().__init__()
        self.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self._font = QtGui.QFont()
        self._items: list[QtWidgets.QGraphicsSimpleTextItem] = []
        self._rows: list[list[str]] = []
        self._cols = 2

    def font(self) -> QtGui.QFont:
        return self._font

    def setFont(self, font: QtGui.QFont) -> None:
        self._font = QtGui.QFont(font)
        for item in self._items:
            item.setFont(self._font)
        self.set_cells(self._rows, self._cols)

    def text(self) -> str:
        return "\n".join("   ".join(c for c in row if c) for row in self._rows)

    def columns_for(self, rows: list[list[str]], width: float) -> int:
        """2 when the two-column table of `rows` fits `width` pixels, else 1 (one formula a line)."""
        fm = QtGui.QFontMetricsF(self._font)
        widths = [0.0, 0.0]
        for row in rows:
            if len(row) == 2:
                for i, cell in enumerate(row):
                    widths[i] = max(widths[i], fm.horizontalAdvance(cell))
        need = widths[0] + widths[1] + CAPTION_GAP + 4.0
        return 2 if need <= width - 4.0 else 1

    def set_cells(self, rows: list[list[str]], cols: int) -> None:
        self._rows, self._cols = [list(r) for r in rows], cols
        if cols == 1:
            rows = [[c] for row in rows for c in row if c]
        fm = QtGui.QFontMetricsF(self._font)
        line = fm.lineSpacing()
        col0 = max((fm.horizontalAdvance(r[0]) for r in rows if len(r) == 2), default=0.0)
        cells = []
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                cells.append((text, 0.0 if j == 0 else col0 + CAPTION_GAP, i * line))
        while len(self._items) < len(cells):
            item = QtWidgets.QGraphicsSimpleTextItem(self)
            item.setBrush(pg.mkBrush(style.FOREGROUND))
            item.setFont(self._font)
            self._items.append(item)
        width = 0.0
        for item, (text, x, y) in zip(self._items, cells, strict=False):
            if item.text() != text:
                item.setText(text)
            item.setPos(x, y)
            item.show()
            width = max(width, x + fm.horizontalAdvance(text))
        for item in self._items[len(cells):]:
            item.hide()
        self.setRect(QtCore.QRectF(0.0, 0.0, width, len(rows) * line))


class PanelNote(QtWidgets.QGraphicsTextItem):
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
