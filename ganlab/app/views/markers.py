"""Marks on the curves where a setting changed (core/events.py): "here I switched to the non-saturating loss".

Each iteration with events gets a thin dashed vertical line in every plot, and a short tag ("loss",
"lr_D", "loss +1") at the top of the first plot; hovering a line or a tag shows the whole text
("loss: minimax → nonsaturating"). Tags never pile up: sorted by position, each takes the first of a few
rows where it overlaps no other tag, and one that finds no room is left out (its line and tooltip stay).
Only the newest MAX_MARKERS iterations are marked. Lines and tags are rebuilt only when the snapshot's
events change, tags placed again when the iteration range or the plot's size changes.

The texts are the core's templates (core/events.py TEMPLATES, marked there for Qt's translation tools in
context "CurvesView"), translated when shown.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ...core.events import TEMPLATES
from .. import style

MAX_MARKERS = 40
TAG_ROWS = 3
TAG_GAP = 4.0            # pixels between tags in one row



def _tr(text: str) -> str:
    return QCoreApplication.translate("CurvesView", text)


def event_text(ev) -> str:
    """An event's text in the current language ("loss: minimax → nonsaturating")."""
    texts = TEMPLATES.get(ev.template_key)
    if texts is None:
        return ev.text()
    return _tr(texts[0]).format(ev.before, ev.after, ev.subject)


def event_tag(ev) -> str:
    texts = TEMPLATES.get(ev.template_key)
    return ev.short() if texts is None else _tr(texts[1])


def group(events) -> list[tuple[int, list]]:
    """The events by iteration, in order; the newest MAX_MARKERS iterations only."""
    by_it: dict[int, list] = {}
    for ev in events:
        by_it.setdefault(int(ev.iteration), []).append(ev)
    return sorted(by_it.items())[-MAX_MARKERS:]


class EventMarkers:
    """Dashed vertical lines at the events' iterations in every plot, tagged in `tag_plot`."""

    def __init__(self, plots, tag_plot: pg.PlotItem):
        self.plots = tuple(plots)
        self.tag_plot = tag_plot
        self.vb = tag_plot.getViewBox()
        self._events: tuple = ()
        self._groups: list[tuple[int, list]] = []
        self._lines: list[list[pg.InfiniteLine]] = []      # per marker: its line in each plot
        self._tags: list[QtWidgets.QGraphicsRectItem] = []
        self._scale = 1.0
        self.vb.sigXRangeChanged.connect(self.relayout)
        self.vb.sigResized.connect(self.relayout)

    # ------------------------------------------------------------ API
    def set_events(self, events) -> bool:
        """Mark these events (a Snapshot's tuple); False when they are the ones marked already."""
        events = tuple(events or ())
        if events is self._events or events == self._events:
            return False
        self._events = events
        self._groups = group(events)
        self._build()
        return True

    def count(self) -> int:
        """How many iterations are marked (lines per plot)."""
        return len(self._groups)

    def tooltips(self) -> list[str]:
        return [self._tip(it, evs) for it, evs in self._groups]

    def tags(self) -> list[QtWidgets.QGraphicsRectItem]:
        return self._tags[: len(self._groups)]

    def lines(self) -> list[list[pg.InfiniteLine]]:
        return self._lines[: len(self._groups)]

    def retranslate(self) -> None:
        self._build()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        for per_plot in self._lines:
            for line in per_plot:
                line.setPen(self._pen())
        for tag in self._tags:
            tag.childItems()[0].setFont(style.font(0.9 * scale))
        self._build()

    def relayout(self, *_):
        """Tags at the top of the tag plot, by their lines, in rows so that none overlaps another."""
        vr = self.vb.rect()
        x0, x1 = self.vb.viewRange()[0]
        rows_right = [-1e9] * TAG_ROWS
        for (it, _), tag in zip(self._groups, self._tags, strict=False):
            px = self.vb.mapFromView(QtCore.QPointF(float(it), 0.0)).x()
            w, h = tag.rect().width(), tag.rect().height()
            if not (x0 <= it <= x1) or vr.height() < h:
                tag.hide()
                continue
            left = min(px + 2.0, vr.right() - w)          # right of its line, inside the plot
            row = next((r for r in range(TAG_ROWS) if left >= rows_right[r] + TAG_GAP
                        and vr.top() + (r + 1) * h <= vr.bottom()), None)
            if row is None:
                tag.hide()                                # no room: the line's tooltip still tells
                continue
            rows_right[row] = left + w
            tag.setPos(left - tag.rect().left(), vr.top() + row * h - tag.rect().top())
            tag.show()

    # ------------------------------------------------------------ internals
    def _pen(self) -> QtGui.QPen:
        pen = style.pen(style.REFERENCE, 1.0, self._scale, alpha=200)
        pen.setStyle(QtCore.Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([4.0, 3.0])
        return pen

    def _tip(self, it: int, evs) -> str:
        head = QCoreApplication.translate("CurvesView", "iteration {0:,}").format(it)
        return "\n".join([head, *(event_text(e) for e in evs)])

    def _build(self) -> None:
        n = len(self._groups)
        while len(self._lines) < n:
            per_plot = []
            for p in self.plots:
                line = pg.InfiniteLine(angle=90, movable=False, pen=self._pen())
                line.setZValue(15)
                p.addItem(line, ignoreBounds=True)
                per_plot.append(line)
            self._lines.append(per_plot)
            self._tags.append(self._new_tag())
        for i, per_plot in enumerate(self._lines):
            on = i < n
            if on:
                it, evs = self._groups[i]
                tip = self._tip(it, evs)
                more = f" +{len(evs) - 1}" if len(evs) > 1 else ""
                tag = self._tags[i]
                tag.childItems()[0].setText(event_tag(evs[0]) + more)
                r = tag.childItems()[0].boundingRect()
                tag.setRect(r.adjusted(-2.0, 0.0, 2.0, 0.0))
                tag.setToolTip(tip)
            for line in per_plot:
                if on:
                    line.setValue(float(self._groups[i][0]))
                    line.setToolTip(tip)
                line.setVisible(on)
            if not on:
                self._tags[i].hide()
        self.relayout()

    def _new_tag(self) -> QtWidgets.QGraphicsRectItem:
        tag = QtWidgets.QGraphicsRectItem(self.vb)
        tag.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        tag.setBrush(pg.mkBrush(255, 255, 255, 200))
        tag.setZValue(1001)
        text = QtWidgets.QGraphicsSimpleTextItem("", tag)
        text.setBrush(pg.mkBrush(style.REFERENCE))
        text.setFont(style.font(0.9 * self._scale))
        tag.hide()
        return tag
