"""The theory side of the window as tabs: D and D* panels, the equation board, the saturation explorer, the D*
probe. Why tabs: at 1366x768 with the lesson panel open, four views side by side would each be a thumbnail;
one at a time each gets the whole theory area, and the theory workspace (ViewArea.set_workspace) gives that
area the field's place too, so D, D* and D - D* are as large as the field.

Only the tab on screen draws each full frame; a tab brought forward draws the latest frame it missed.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import QTabWidget, QToolButton

from .. import style

# Page titles (the window passes them in; translated here in context LectureTabs).
TITLE_THEORY = QT_TRANSLATE_NOOP("LectureTabs", "D and D*")
TITLE_EQUATIONS = QT_TRANSLATE_NOOP("LectureTabs", "Equations")
TITLE_SATURATION = QT_TRANSLATE_NOOP("LectureTabs", "Saturation")
TITLE_PROBE = QT_TRANSLATE_NOOP("LectureTabs", "D* probe")
WORKSPACE_TEXT = QT_TRANSLATE_NOOP("LectureTabs", "Workspace")
WORKSPACE_TIP = QT_TRANSLATE_NOOP("LectureTabs", "Give these views the field's place too (W), so that D, D* and "
                                  "D − D* are as large as the field")
TIP_ONE_D = QT_TRANSLATE_NOOP("LectureTabs", "The 1-D view shows D(x) and D*(x) as curves over the line.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("LectureTabs", text)


class LectureTabs(QTabWidget):
    """Pages by key: (key, title (English, translated in context LectureTabs), widget). Each widget has
    update_snapshot(snap) and may have clear(), set_scale(s), retranslate()."""

    workspaceToggled = Signal(bool)

    def __init__(self, pages, parent=None):
        super().__init__(parent)
        self.setDocumentMode(True)
        self._keys: list[str] = []
        self._titles: list[str] = []
        for key, title, widget in pages:
            self._keys.append(key)
            self._titles.append(title)
            self.addTab(widget, title)
        self._snap = None
        self._drawn: dict[int, object] = {}   # tab index -> the snapshot it drew last
        self._scale = 1.0
        self.workspace_button = QToolButton(self)
        self.workspace_button.setCheckable(True)
        self.workspace_button.setAutoRaise(True)
        self.workspace_button.toggled.connect(self.workspaceToggled)
        self.setCornerWidget(self.workspace_button)
        self.currentChanged.connect(self._draw)   # a tab brought forward draws the frame it missed
        self.retranslate()

    # ---------------------------------------------------------------- pages
    def page(self, key: str):
        return self.widget(self._keys.index(key))

    def show_page(self, key: str) -> None:
        self.setCurrentIndex(self._keys.index(key))

    def current_key(self) -> str:
        return self._keys[self.currentIndex()]

    def set_dim(self, dim: int) -> None:
        """In the 1-D world the D and D* heatmaps have nothing to show (the 1-D view draws them as curves)."""
        i = self._keys.index("theory")
        self.setTabEnabled(i, dim != 1)
        self.setTabToolTip(i, _tr(TIP_ONE_D) if dim == 1 else "")
        if dim == 1 and self.currentIndex() == i:
            self.setCurrentIndex(self._keys.index("equations") if "equations" in self._keys else 0)

    # ---------------------------------------------------------------- SnapshotView
    def update_snapshot(self, snap) -> None:
        self._snap = snap
        self._draw(self.currentIndex())

    def _draw(self, i: int) -> None:
        if self._snap is None or i < 0 or self._drawn.get(i) is self._snap:
            return
        self._drawn[i] = self._snap
        self.widget(i).update_snapshot(self._snap)

    def clear(self) -> None:
        self._snap = None
        self._drawn.clear()
        for i in range(self.count()):
            w = self.widget(i)
            if hasattr(w, "clear"):
                w.clear()

    def set_scale(self, scale: float) -> None:
        self._scale = style.clamp_scale(scale)
        for i in range(self.count()):
            w = self.widget(i)
            if hasattr(w, "set_scale"):
                w.set_scale(self._scale)
        f = self.tabBar().font()
        f.setPointSizeF(style.font(self._scale).pointSizeF())
        self.tabBar().setFont(f)

    def scale(self) -> float:
        return self._scale

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        for i, title in enumerate(self._titles):
            self.setTabText(i, _tr(title))
        self.workspace_button.setText(_tr(WORKSPACE_TEXT))
        self.workspace_button.setToolTip(_tr(WORKSPACE_TIP))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

