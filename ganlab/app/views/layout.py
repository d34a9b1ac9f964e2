"""The main window's view area: the field beside the theory panels, the curves below.

A vertical splitter (top row | curves) holding a horizontal one (field | theory). The field is square
and limited by the row's height, so the top row gives it exactly the width its square needs at that
height (`FieldView.width_for_height`) and the theory panels the rest, on every resize, until the user
drags that handle (from then on the user's split holds). The vertical split starts at 3 : 2.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

TOP_SHARE = 0.6            # the top row's share of the height (field and theory), the curves get the rest
MIN_THEORY_SHARE = 0.34    # the theory panels keep at least this share of the width
MAX_FIELD_SHARE = 0.62


class ViewArea(QSplitter):
    """field | theory over curves. `top` is the horizontal splitter; `left` holds the banner and the field."""

    def __init__(self, field, theory, curves, banner=None, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.field, self.theory, self.curves, self.banner = field, theory, curves, banner
        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.left = QWidget()
        ll = QVBoxLayout(self.left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(0)
        if banner is not None:
            ll.addWidget(banner)
        ll.addWidget(field, 1)
        self.top.addWidget(self.left)
        self.top.addWidget(theory)
        self.top.setStretchFactor(0, 5)
        self.top.setStretchFactor(1, 6)
        self.top.setChildrenCollapsible(False)
        self.addWidget(self.top)
        self.addWidget(curves)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setSizes([int(1000 * TOP_SHARE), int(1000 * (1 - TOP_SHARE))])
        self.setChildrenCollapsible(False)
        self.auto_split = True                  # False once the user drags the field | theory handle
        self.top.splitterMoved.connect(self._user_moved)
        self._fitter = _ResizeWatcher(self._fit_top)
        self.top.installEventFilter(self._fitter)

    def _user_moved(self, *_):
        self.auto_split = False

    def _fit_top(self) -> None:
        if not self.auto_split:
            return
        w, h = self.top.width(), self.top.height()
        if self.banner is not None and self.banner.isVisible():
            h -= self.banner.sizeHint().height()
        if w < 100 or h < 50:
            return
        handle = self.top.handleWidth()
        want = self.field.width_for_height(h)
        field_w = int(min(max(want, 0.3 * w), MAX_FIELD_SHARE * w, (1 - MIN_THEORY_SHARE) * w))
        sizes = [field_w, max(0, w - handle - field_w)]
        if self.top.sizes() != sizes:
            self.top.setSizes(sizes)


class _ResizeWatcher(QObject):
    def __init__(self, callback):
        super().__init__()
        self._callback = callback

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._callback()
        return False
