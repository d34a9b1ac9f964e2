"""The equation board: the lecture's formulas typeset, each with its current value, updated live.

The terms come from core/equations.py (`board_terms(snap)`); this widget only draws them. A formula is typeset once
by matplotlib's mathtext into a QPixmap, cached by (text, dpi, colour, device pixel ratio); a new snapshot only
sets the texts of plain QLabels under the formulas, so a frame costs a few setText calls and no typesetting. The
board is rebuilt only when its set of formulas changes (another loss, theory switched on or off).

Clicking a formula or a value emits `term_clicked(key)`, key = where that quantity lives on screen ("curve:jsd",
"heatmap:dstar", ...). Formulas shrink (down to MIN_FIT) to fit a narrow panel; below that the board scrolls.
`export(path)` writes the whole board with its values: PNG (the widget painted at 2x, formulas typeset at 2x) or,
for a .svg path, an SVG drawn by matplotlib, so the formulas stay vectors.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal

from ...core.equations import SECTIONS, STALE, Term, board_terms, loss_summary
from .. import render, style
from .equation_widgets import ClickLabel, FlowLayout, FormulaLabel, colour_widget, formula_pixmap

FORMULA_DPI = 110.0      # mathtext's 10 pt at this dpi is about 1.3 times the app's 9 pt text
MIN_FIT = 0.6            # formulas shrink to fit the width down to this fraction, then the board scrolls
GREYED = "#9A9A9A"       # a formula that does not apply to the active loss
MUTED = "#555555"        # headers and notes

SECTION_TITLES = {
    "losses": QT_TRANSLATE_NOOP("EquationBoard", "Losses"),
    "value": QT_TRANSLATE_NOOP("EquationBoard", "Value function V(G, D)"),
    "dstar": QT_TRANSLATE_NOOP("EquationBoard", "Optimal discriminator"),
    "chain": QT_TRANSLATE_NOOP("EquationBoard", "The generator against D*: (13)–(16)"),
}
WHERE = {
    "curve:loss_d": QT_TRANSLATE_NOOP("EquationBoard", "the L_D curve"),
    "curve:loss_g": QT_TRANSLATE_NOOP("EquationBoard", "the L_G curve"),
    "curve:v_samples": QT_TRANSLATE_NOOP("EquationBoard", "the V(G, D) curve"),
    "curve:v_at_dstar": QT_TRANSLATE_NOOP("EquationBoard", "the V(G, D*) curve"),
    "curve:jsd": QT_TRANSLATE_NOOP("EquationBoard", "the JSD curve"),
    "heatmap:d": QT_TRANSLATE_NOOP("EquationBoard", "the D(x) heatmap"),
    "heatmap:dstar": QT_TRANSLATE_NOOP("EquationBoard", "the D*(x) heatmap"),
}
# The colour of the curve a value belongs to (curves_view.py), as a bar beside the value.
KEY_COLOURS = {"curve:loss_d": style.REAL, "curve:loss_g": style.FAKE, "curve:v_samples": style.MANIFOLD,
               "curve:v_at_dstar": style.OTHER, "curve:jsd": style.FOREGROUND, "heatmap:d": style.SKY,
               "heatmap:dstar": style.SKY}


def _tr(text: str, context: str = "EquationBoard") -> str:
    return QCoreApplication.translate(context, text)


def _eq_tr(text: str) -> str:
    return QCoreApplication.translate("Equations", text) if text else ""


class TermCard(QtWidgets.QFrame):
    """One formula: "(6) meaning", the typeset formula, its values, a note."""

    def __init__(self, term: Term, on_click, parent=None):
        super().__init__(parent)
        self.term = term
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 6)
        lay.setSpacing(3)
        self.header = QtWidgets.QLabel()
        self.header.setWordWrap(True)
        self.formula = FormulaLabel(term.key)
        self.formula.clicked.connect(on_click)
        self.values: dict[str, ClickLabel] = {}
        self.value_row = FlowLayout()
        for v in term.values:
            label = ClickLabel(v.key, KEY_COLOURS.get(v.key, MUTED))
            label.clicked.connect(on_click)
            label.setVisible(term.applies)
            self.values[v.name] = label
            self.value_row.addWidget(label)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        colour_widget(self.header, MUTED)
        colour_widget(self.note, MUTED)
        lay.addWidget(self.header)
        lay.addWidget(self.formula, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addLayout(self.value_row)
        lay.addWidget(self.note)

    def set_term(self, term: Term) -> None:
        """New numbers for the same formula: only texts change."""
        self.term = term
        for v in term.values:
            text = f"{QCoreApplication.translate('Equations', v.label)} = {v.number_text()}"
            label = self.values[v.name]
            if label.text() != text:
                label.setText(text)
        note = _eq_tr(term.note).format(*term.note_args) if term.note else ""
        if self.note.text() != note:
            self.note.setText(note)
        self.note.setVisible(bool(note))

    def retranslate(self) -> None:
        t = self.term
        eq = f"<b>{t.eq}</b>&nbsp;&nbsp;" if t.eq else ""
        self.header.setText(eq + _eq_tr(t.meaning).replace("<", "&lt;"))
        for label, key in [(self.formula, t.key), *((self.values[v.name], v.key) for v in t.values)]:
            label.setToolTip(QCoreApplication.translate("EquationBoard", "Click to highlight {0}.").format(
                _tr(WHERE.get(key, key))))
        self.set_term(t)


class EquationBoard(QtWidgets.QWidget):
    """The lecture's formulas with their current values; `term_clicked(key)` says which quantity was clicked."""

    term_clicked = Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None, scale: float | None = None):
        super().__init__(parent)
        self._scale = style.current_scale() if scale is None else style.clamp_scale(scale)
        self._snap = None
        self._dirty = False
        self._signature = None
        self._cards: dict[str, TermCard] = {}
        self._sections: dict[str, QtWidgets.QLabel] = {}
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.content = QtWidgets.QWidget()
        colour_widget(self.content, style.FOREGROUND, style.BACKGROUND)
        colour_widget(self.scroll.viewport(), style.FOREGROUND, style.BACKGROUND)
        self.column = QtWidgets.QVBoxLayout(self.content)
        self.column.setContentsMargins(12, 8, 12, 10)
        self.column.setSpacing(2)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.column.addWidget(self.summary)
        self.column.addStretch(1)
        self.scroll.setWidget(self.content)
        self.scroll.viewport().installEventFilter(self)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scroll)
        self.setMinimumSize(160, 120)
        self._apply_fonts()
        self.retranslate()

    # ================================================================ the SnapshotView protocol
    def update_snapshot(self, snap) -> None:
        """Show this frame's values (now if the board is on screen, else when it is next shown or exported)."""
        self._snap = snap
        self._dirty = True
        if self.isVisible():
            self._refresh()

    def clear(self) -> None:
        """Nothing is carried between frames; the next snapshot replaces everything."""

    def set_scale(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        self._apply_fonts()
        self._fit_formulas()

    def scale(self) -> float:
        return self._scale

    def retranslate(self) -> None:
        self.setToolTip("")
        for sec, label in self._sections.items():
            label.setText(_tr(SECTION_TITLES[sec]))
        for card in self._cards.values():
            card.retranslate()
        self._set_summary()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if self._dirty:
            self._refresh()

    def eventFilter(self, obj, e) -> bool:
        if obj is self.scroll.viewport() and e.type() == QEvent.Type.Resize:
            self._fit_formulas()
        return super().eventFilter(obj, e)

    # ================================================================ reading (tests, the lead's wiring)
    def term_ids(self) -> list[str]:
        self._refresh_if_dirty()
        return list(self._cards)

    def card(self, term_id: str) -> TermCard:
        self._refresh_if_dirty()
        return self._cards[term_id]

    def value_text(self, name: str) -> str:
        """The text of the value label `name` (e.g. "jsd"), "" if no term has it."""
        self._refresh_if_dirty()
        for card in self._cards.values():
            if name in card.values:
                return card.values[name].text()
        return ""

    def summary_text(self) -> str:
        return self.summary.text()

    # ================================================================ export
    def export(self, path: str | Path, scale: float = 2.0) -> QtCore.QSize:
        """Write the whole board with its current values: SVG for a .svg path, else PNG `scale` times its size
        (formulas typeset at that resolution). Returns the picture's size in pixels; raises OSError with a
        reason a person can read."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                data, size = self._svg_bytes()
            else:
                img = self._png_image(scale)
                data, size = render.image_png_bytes(img), img.size()
            render.write_file(path, data)
        except (OSError, ValueError) as e:
            reason = render.error_text(e) if isinstance(e, OSError) else str(e)
            raise OSError(QCoreApplication.translate(
                "EquationBoard", "Could not export the equation board to {0}: {1}").format(path, reason)) from e
        return size

    def _png_image(self, scale: float) -> QtGui.QImage:
        self._refresh_if_dirty()
        self._fit_formulas(dpr=scale)
        try:
            # The whole board, not the scrolled part: as wide as shown, as tall as its content needs at that width.
            width = self.content.width() if self.content.isVisible() else max(self.width(), 480)
            self.column.activate()
            self.content.resize(width, max(self.content.heightForWidth(width), self.content.minimumSizeHint().height()))
            self.column.activate()
            return render.render_image(self.content, scale, background=style.BACKGROUND)
        finally:
            self._fit_formulas()

    def _svg_bytes(self) -> tuple[bytes, QtCore.QSize]:
        """The board drawn by matplotlib: headers and values as text, formulas as mathtext (vector paths), each
        line placed below the last by its measured height (a formula with sums is three text lines tall)."""
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
        from matplotlib.mathtext import MathTextParser

        self._refresh_if_dirty()
        lines: list[tuple[str, float, str, bool, float]] = []     # (text, size pt, colour, math, gap above)

        def wrapped(text: str, pt: float, colour: str, gap: float = 0.0, width: int = 110) -> None:
            for i, part in enumerate(textwrap.wrap(text, width)):
                lines.append((part.replace("$", r"\$"), pt, colour, False, gap if i == 0 else 0.0))

        wrapped(self.summary.text(), 9.0, style.FOREGROUND)
        section = None
        for card in self._cards.values():
            t = card.term
            if t.section != section:
                section = t.section
                wrapped(_tr(SECTION_TITLES[section]), 11.0, style.FOREGROUND, 10.0)
            wrapped((t.eq + "  " if t.eq else "") + _eq_tr(t.meaning), 8.0, MUTED, 6.0, 120)
            lines.append((t.tex, 12.0, style.FOREGROUND if t.applies else GREYED, True, 3.0))
            if t.applies and t.values:
                # no-break spaces inside a value: a line may break between values, never inside "N = 600"
                vals = "     ".join(card.values[v.name].text().replace(" ", "\u00a0") for v in t.values)
                wrapped(vals, 9.0, style.FOREGROUND, 3.0)
            if card.note.text():
                wrapped(card.note.text(), 8.0, MUTED, 0.0, 120)
        parser = MathTextParser("path")
        placed, y = [], 10.0                                      # baselines, in points from the top
        for text, pt, colour, is_math, gap in lines:
            if is_math:
                r = parser.parse(text, dpi=72, prop=FontProperties(size=pt))
                ascent, descent = r.height - r.depth, r.depth
            else:
                ascent, descent = 0.95 * pt, 0.3 * pt
            y += gap + ascent
            placed.append((text, pt, colour, y))
            y += descent
        width_pt, height_pt = 576.0, y + 10.0
        fig = Figure(figsize=(width_pt / 72.0, height_pt / 72.0))
        for text, pt, colour, baseline in placed:
            fig.text(10.0 / width_pt, 1.0 - baseline / height_pt, text, fontsize=pt, color=colour, va="baseline")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
        return buf.getvalue(), QtCore.QSize(round(width_pt), round(height_pt))

    # ================================================================ building
    def _refresh_if_dirty(self) -> None:
        if self._dirty:
            self._refresh()

    def _refresh(self) -> None:
        self._dirty = False
        snap = self._snap
        if snap is None:
            return
        terms = board_terms(snap)
        signature = (snap.loss, tuple((t.id, t.tex, t.applies, t.eq, t.meaning) for t in terms))
        if signature != self._signature:
            self._signature = signature
            self._rebuild(terms)
        else:
            for t in terms:
                self._cards[t.id].set_term(t)
        self._set_summary()

    def _rebuild(self, terms: list[Term]) -> None:
        for w in [*self._cards.values(), *self._sections.values()]:
            self.column.removeWidget(w)
            w.deleteLater()
        self._cards, self._sections = {}, {}
        at = 1                      # after the summary
        for t in terms:
            if t.section not in self._sections and t.section in SECTIONS:
                label = QtWidgets.QLabel()
                label.setObjectName("section")
                self._sections[t.section] = label
                self.column.insertWidget(at, label)
                label.show()            # now, not at the next event loop turn: the layout's heights count it
                at += 1
            card = TermCard(t, self.term_clicked.emit)
            self._cards[t.id] = card
            self.column.insertWidget(at, card)
            card.show()
            at += 1
        self._apply_fonts()
        self.retranslate()
        self._fit_formulas()

    def _set_summary(self) -> None:
        snap = self._snap
        if snap is None:
            self.summary.setText(QCoreApplication.translate(
                "EquationBoard", "No run yet: the values appear with the first frame."))
            return
        text = _eq_tr(loss_summary(snap.loss)).format(snap.loss)
        text += "  " + QCoreApplication.translate("EquationBoard", "Iteration {0}.").format(snap.iteration)
        if snap.theory_iteration != snap.iteration:     # the grid evaluation runs less often than frames
            text += " " + _eq_tr(STALE).format(snap.theory_iteration)
        if self.summary.text() != text:
            self.summary.setText(text)

    def _apply_fonts(self) -> None:
        s = self._scale
        self.summary.setFont(style.font(s, style.FONT_PT))
        for label in self._sections.values():
            label.setFont(style.font(s, style.TITLE_PT + 1.0, bold=True))
            label.setContentsMargins(0, round(8 * s), 0, 0)
        for card in self._cards.values():
            card.header.setFont(style.font(s, style.FONT_PT))
            card.note.setFont(style.font(s, style.FONT_PT - 0.5))
            for label in card.values.values():
                label.setFont(style.font(s, style.FONT_PT + 1.0))

    def _fit_formulas(self, dpr: float | None = None) -> None:
        """Typeset (from the cache) every formula at the largest size up to the normal one that fits the width."""
        if not self._cards:
            return
        dpr = self.devicePixelRatioF() if dpr is None else float(dpr)
        margins = self.column.contentsMargins()
        avail = max(self.scroll.viewport().width() - margins.left() - margins.right(), 60)
        base = FORMULA_DPI * self._scale
        for card in self._cards.values():
            colour = style.FOREGROUND if card.term.applies else GREYED
            natural = formula_pixmap(card.term.tex, base, colour, 1.0).width()
            fit = 1.0 if natural <= avail else max(MIN_FIT, math.floor(20.0 * avail / natural) / 20.0)
            pm = formula_pixmap(card.term.tex, base * fit, colour, dpr)
            card.formula.set_formula(pm)
