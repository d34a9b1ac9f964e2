"""The keyboard-shortcut overlay (Help > Keyboard shortcuts, "?" or F1).

A semi-transparent sheet over the whole window listing every key the window knows. Nothing is
written down twice: the keys are gathered, each time the sheet opens, from the window's QActions
(their text and all their shortcuts, grouped by the menu they sit in) and QShortcuts, so a feature
that adds an action appears here without touching this file. The mouse gestures of the field view,
which no action describes, are listed from MOUSE below. Any key or click closes the sheet (the key
does nothing else).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QShortcut, QTextDocument
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QMenu, QVBoxLayout, QWidget

CONTEXT = "Shortcuts"
MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
                 Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_Super_L,
                 Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R}


# Mouse gestures of the field view (ganlab/app/views/mode_editor.py): marked for translation here
# (lupdate reads QT_TRANSLATE_NOOP), translated when shown.
MOUSE = (
    (QT_TRANSLATE_NOOP("Shortcuts", "Drag a mode marker"),
     QT_TRANSLATE_NOOP("Shortcuts", "move that mode of p_data; training keeps running")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Double-click empty space"),
     QT_TRANSLATE_NOOP("Shortcuts", "add a mode there")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Right-click a mode marker"),
     QT_TRANSLATE_NOOP("Shortcuts", "menu: remove the mode, make it wider or narrower")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Wheel over a mode marker"),
     QT_TRANSLATE_NOOP("Shortcuts", "change that mode's spread (std)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Hover"),
     QT_TRANSLATE_NOOP("Shortcuts", "coordinates, D(x), the point or mode under the mouse")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Brush on (B): drag"),
     QT_TRANSLATE_NOOP("Shortcuts", "lay small modes along the stroke (one undo step)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Wheel / drag elsewhere"),
     QT_TRANSLATE_NOOP("Shortcuts", "zoom / pan the plot (right-click: view menu)")),
)


@dataclass(frozen=True)
class Entry:
    group: str
    keys: str        # "Space" or "S, Right", or a mouse gesture
    text: str        # what it does
    mouse: bool = False
    key_list: tuple[str, ...] = ()   # each shortcut alone ("S", "Right"); empty for mouse gestures


def clean_text(text: str) -> str:
    """An action's text as a reader sees it: no mnemonic ampersands, no trailing ellipsis, no tab."""
    text = text.split("\t", 1)[0]
    text = re.sub(r"&(.)", r"\1", text)   # "&&" -> "&", "&File" -> "File"
    return text.strip().rstrip("…").rstrip(".").strip()


def key_list(seqs) -> tuple[str, ...]:
    """Each key sequence as people read it ("Space", "Ctrl+Shift+S"), once each, in order."""
    out: list[str] = []
    for s in seqs:
        t = QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
        if t and t not in out:
            out.append(t)
    return tuple(out)


def key_text(seqs) -> str:
    return ", ".join(key_list(seqs))


def _menu_actions(menu: QMenu, seen: set):
    """Actions of a menu and its submenus, depth first, each once."""
    for a in menu.actions():
        if id(a) in seen:
            continue
        sub = a.menu()
        if sub is not None:
            yield from _menu_actions(sub, seen)
        elif not a.isSeparator():
            seen.add(id(a))
            yield a


def gather(window) -> list[Entry]:
    """Every key of the window: menu actions grouped by menu, then the other actions and QShortcuts,
    then the mouse gestures of the field."""
    entries: list[Entry] = []
    seen: set = set()   # ids of actions looked at (QAction is not hashable by value in all bindings)
    listed: set = set()

    def add(group: str, action: QAction) -> None:
        keys = key_list(action.shortcuts())
        text = clean_text(action.text()) or clean_text(action.toolTip())
        if keys and text and (keys, text) not in listed:
            listed.add((keys, text))
            entries.append(Entry(group, ", ".join(keys), text, key_list=keys))

    bar = window.menuBar()
    for top in bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        group = clean_text(top.text()) or clean_text(menu.title())
        for a in _menu_actions(menu, seen):
            add(group, a)
    other = QCoreApplication.translate("Shortcuts", "Window")
    rest = list(window.actions()) + list(window.findChildren(QAction))
    for a in rest:
        if id(a) in seen or a.menu() is not None:
            continue
        seen.add(id(a))
        add(clean_text(str(a.property("shortcut_group") or "")) or other, a)
    for sc in window.findChildren(QShortcut):
        keys = key_list(sc.keys())
        text = clean_text(sc.whatsThis() or sc.objectName())
        if keys and text and sc.isEnabled() and (keys, text) not in listed:
            listed.add((keys, text))
            entries.append(Entry(other, ", ".join(keys), text, key_list=keys))
    mouse = QCoreApplication.translate("Shortcuts", "Mouse, in the field")
    for gesture, what in MOUSE:
        entries.append(Entry(mouse, QCoreApplication.translate(CONTEXT, gesture),
                             QCoreApplication.translate(CONTEXT, what), mouse=True))
    return entries


def _keycaps(e: Entry) -> str:
    if e.mouse:
        return f'<span style="color:#ffffff; font-style:italic">{html.escape(e.keys)}</span>'
    cap = ('<span style="background-color:#e6e6e6; color:#111111; font-weight:bold">'
           '&nbsp;{}&nbsp;</span>')
    return '<span style="color:#aaaaaa"> / </span>'.join(cap.format(html.escape(k)) for k in e.key_list)


def _group_html(group: str, rows: list[Entry], pt: float) -> str:
    out = [f'<p style="margin:0 0 4px 0; font-size:{pt * 1.15:.1f}pt; font-weight:bold; color:#F0E442">'
           f"{html.escape(group)}</p>",
           '<table cellspacing="0" cellpadding="3" style="margin-bottom:10px">']
    for e in rows:
        out.append(f'<tr><td align="right" style="white-space:nowrap">{_keycaps(e)}</td>'
                   f'<td style="color:#f2f2f2; padding-left:8px">{html.escape(e.text)}</td></tr>')
    out.append("</table>")
    return "".join(out)


class ShortcutOverlay(QWidget):
    """The sheet itself: a child of the window covering all of it, closed by any key or click."""

    MARGIN = 30
    SPACING = 40

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("shortcut_overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._entries: list[Entry] = []
        self.title = QLabel()
        self.hint = QLabel()
        for lab in (self.title, self.hint):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lab.setTextFormat(Qt.TextFormat.RichText)
        self._cols = QHBoxLayout()
        self._cols.setSpacing(self.SPACING)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(self.MARGIN, self.MARGIN // 2, self.MARGIN, self.MARGIN // 2)
        outer.addStretch(1)
        outer.addWidget(self.title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(self._cols)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addWidget(self.hint)
        outer.addStretch(1)
        self.columns: list[QLabel] = []
        self.point_size = 0.0
        self.hide()
        window.installEventFilter(self)
        # Help > Keyboard shortcuts, on "?" and F1 (menus/help_menu.py places it)
        self.action = QAction(window)
        self.action.setShortcuts([QKeySequence("?"), QKeySequence(Qt.Key.Key_F1)])
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open)
        window.addAction(self.action)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(QCoreApplication.translate("Shortcuts", "&Keyboard shortcuts"))
        self.action.setToolTip(QCoreApplication.translate(
            "Shortcuts", "Show every key and mouse gesture (? or F1; any key closes)"))

    # ------------------------------------------------------------------ API
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def text(self) -> str:
        """The listing as plain text: one 'keys<TAB>what' line per entry (for tests and people)."""
        return "\n".join(f"{e.keys}\t{e.text}" for e in self._entries)

    def open(self) -> None:
        self._entries = gather(self.window_)
        self.setGeometry(QRect(0, 0, self.window_.width(), self.window_.height()))
        self._rebuild()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        QApplication.instance().installEventFilter(self)

    def close_overlay(self) -> None:
        if self.isVisible():
            QApplication.instance().removeEventFilter(self)
            self.hide()

    # ---------------------------------------------------------- internals
    def _groups(self) -> list[tuple[str, list[Entry]]]:
        groups: dict[str, list[Entry]] = {}
        for e in self._entries:
            groups.setdefault(e.group, []).append(e)
        return list(groups.items())

    @staticmethod
    def _split(groups, n_cols: int) -> list[list[tuple[str, list[Entry]]]]:
        """Groups in order, cut into n_cols runs of about equal height (a group is never split)."""
        weights = [len(items) + 2 for _, items in groups]
        target = sum(weights) / n_cols
        cols: list[list] = [[]]
        acc = 0.0
        for g, w in zip(groups, weights, strict=True):
            if cols[-1] and acc + w / 2 > target * len(cols) and len(cols) < n_cols:
                cols.append([])
            cols[-1].append(g)
            acc += w
        return cols

    def _plan(self, base_pt: float):
        """The largest font (then the fewest columns) whose listing fits the window."""
        groups = self._groups()
        avail_w = self.width() - 2 * self.MARGIN
        avail_h = self.height() - self.MARGIN
        doc = QTextDocument()
        pt = base_pt
        best = None
        while True:
            font = QFont(QApplication.font())
            font.setPointSizeF(pt)
            doc.setDefaultFont(font)
            for n in range(1, max(1, min(3, len(groups))) + 1):
                cols = self._split(groups, n)
                htmls = ["".join(_group_html(g, items, pt) for g, items in col) for col in cols]
                sizes = []
                for h in htmls:
                    doc.setHtml(h)
                    sizes.append(doc.size())
                w = sum(sz.width() for sz in sizes) + self.SPACING * (len(sizes) - 1)
                h = max(sz.height() for sz in sizes) + 4.5 * pt * 1.6   # + title and hint
                best = (pt, htmls)
                if w <= avail_w and h <= avail_h:
                    return best
            if pt <= 6.0:
                return best    # too small a window: show what fits, largest columns first
            pt = max(6.0, pt * 0.9)

    def _rebuild(self) -> None:
        for lab in self.columns:
            self._cols.removeWidget(lab)
            lab.deleteLater()
        self.columns = []
        base = QApplication.font().pointSizeF()
        pt, htmls = self._plan((base if base > 0 else 9.0) * 1.2)
        self.point_size = pt
        title = QCoreApplication.translate("Shortcuts", "Keyboard shortcuts")
        hint = QCoreApplication.translate("Shortcuts", "Press any key or click to close")
        self.title.setText(f'<span style="color:#ffffff; font-size:{pt * 1.5:.1f}pt; font-weight:bold">'
                           f"{html.escape(title)}</span>")
        self.hint.setText(f'<span style="color:#cccccc; font-size:{pt:.1f}pt">{html.escape(hint)}</span>')
        for h in htmls:
            lab = QLabel(h)
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            f = QFont(QApplication.font())
            f.setPointSizeF(pt)
            lab.setFont(f)
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self._cols.addWidget(lab, 0, Qt.AlignmentFlag.AlignTop)
            self.columns.append(lab)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(12, 12, 18, 228))
        p.end()

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if obj is self.window_ and t == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(QRect(0, 0, self.window_.width(), self.window_.height()))
            self._rebuild()
            return False
        if not self.isVisible():
            return False
        if t == QEvent.Type.ShortcutOverride:
            if event.key() not in MODIFIER_KEYS and not event.isAutoRepeat():
                event.accept()     # no shortcut fires: the key only closes the sheet
                return True
            return False
        if t == QEvent.Type.KeyPress:
            if event.key() in MODIFIER_KEYS or event.isAutoRepeat():
                return True
            self.close_overlay()
            return True
        if t in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.close_overlay()
            return True
        if t == QEvent.Type.Wheel:
            return True   # nothing under the sheet zooms or changes while it shows
        return False
