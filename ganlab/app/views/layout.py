"""The main window's view area: the field beside the theory panels, the curves below.

The field's place holds the 2-D field or, for a 1-D target, the 1-D view (a stack: one shown). The theory
workspace hides that place, so the theory tabs get the whole top row.

A vertical splitter (top row | curves) holding a horizontal one (field | theory). The field is square
and limited by the row's height, so the top row gives it exactly the width its square needs at that
height (`FieldView.width_for_height`) and the theory panels the rest, on every resize, until the user
drags that handle (from then on the user's split holds). The vertical split starts at 3 : 2.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter, QStackedWidget, QVBoxLayout, QWidget

TOP_SHARE = 0.6            # the top row's share of the height (field and theory), the curves get the rest
MIN_THEORY_SHARE = 0.34    # the theory panels keep at least this share of the width
MAX_FIELD_SHARE = 0.62
WORKSPACE_TOP_SHARE = 0.75  # the theory workspace: D, D* and D - D* side by side need the height more than the curves


class ViewArea(QSplitter):
    """field | theory over curves. `top` is the horizontal splitter; `left` holds the banner and the field."""

    def __init__(self, field, theory, curves, banner=None, parent=None, line=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.field, self.theory, self.curves, self.banner, self.line = field, theory, curves, banner, line
        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.left = QWidget()
        ll = QVBoxLayout(self.left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(0)
        if banner is not None:
            ll.addWidget(banner)
        self.stage = QStackedWidget()
        self.stage.addWidget(field)
        if line is not None:
            self.stage.addWidget(line)
        ll.addWidget(self.stage, 1)
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

    def set_dim(self, dim: int) -> None:
        """Show the 1-D view (dim 1) or the 2-D field in the field's place."""
        self.stage.setCurrentWidget(self.line if dim == 1 and self.line is not None else self.field)
        self._fit_top()

    def stage_view(self):
        """The view in the field's place now: the field or the 1-D view."""
        return self.stage.currentWidget()

    def set_workspace(self, on: bool) -> None:
        """The theory workspace: the theory tabs take the field's place too, and more of the height (three
        panels side by side are limited by the row's height); leaving it gives the curves their height back."""
        if on == self.workspace():
            return
        total = sum(self.sizes())
        if on:
            self._sizes_before = self.sizes()
            self.setSizes([int(total * WORKSPACE_TOP_SHARE), total - int(total * WORKSPACE_TOP_SHARE)])
        elif getattr(self, "_sizes_before", None):
            self.setSizes(self._sizes_before)
        self.left.setVisible(not on)
        self._fit_top()

    def workspace(self) -> bool:
        return self.left.isHidden()

    def _fit_top(self) -> None:
        if not self.auto_split or self.left.isHidden():
            return
        w, h = self.top.width(), self.top.height()
        if self.banner is not None and self.banner.isVisible():
            h -= self.banner.sizeHint().height()
        if w < 100 or h < 50:
            return
        handle = self.top.handleWidth()
        want = self.stage_view().width_for_height(h)
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
