"""The field's own tools: Fit (F), Brush (B) and Legend as checkable actions, with small buttons for Fit and
Brush over the field's top-right corner, and all three in the field's right-click menu; and the boxes that
speak on the field: how many generated samples are off view (a click fits), and short notices.

The buttons show while the mouse is over the field or while Fit or Brush is on: an export or a recording of
the field made from the menus, and the headless figures, carry no buttons.

The actions belong to the field widget (window shortcuts: the keys work wherever the focus is in the
window, and the shortcut sheet lists them under "Field"); the window may also put them in its menus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from .. import style
from . import range_fit
from .badges import PinnedBox

MARGIN = 6          # the buttons' distance from the plot area's corner, pixels at scale 1
NOTICE_MS = 6000    # how long a notice stays on the field


class FieldTools(QObject):
    """action_fit, action_brush, action_legend; `bar` holds the buttons, `place()` puts it in the corner."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field
        self.action_fit = self._action("F")
        self.action_brush = self._action("B")
        self.action_legend = self._action(None)
        self.action_legend.setChecked(True)
        self.bar = QWidget(field.plot_widget.viewport())
        self.bar.setObjectName("fieldTools")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(3)
        self.buttons = []
        for action in (self.action_fit, self.action_brush):
            b = QToolButton(self.bar)
            b.setDefaultAction(action)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)    # Space stays play/pause after a click on a button
            row.addWidget(b)
            self.buttons.append(b)
        menu = field.view.menu                          # right-click on empty space
        if menu is not None:
            menu.addSeparator()
            for action in (self.action_fit, self.action_brush, self.action_legend):
                menu.addAction(action)
        self.off_view = range_fit.OffView()
        self.off_view_box = PinnedBox(field.view, "bottom-right", on_click=lambda: field.set_fit(True))
        self.notice_box = PinnedBox(field.view, "bottom-left")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: self.notice_box.set_text(""))
        field.view.sigRangeChanged.connect(self.count_off_view)
        self._hover = False
        for action in (self.action_fit, self.action_brush):
            action.toggled.connect(self.show_bar)
        self.set_scale(field.scale())
        self.retranslate()
        self.show_bar()

    def set_hover(self, hover: bool) -> None:
        """The mouse came over the field (or left it)."""
        self._hover = hover
        self.show_bar()

    def show_bar(self, *_) -> None:
        self.bar.setVisible(self._hover or self.action_fit.isChecked() or self.action_brush.isChecked())

    def _action(self, key: str | None) -> QAction:
        a = QAction(self.field)
        a.setCheckable(True)
        if key is not None:
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.field.addAction(a)
        return a

    def count_off_view(self, *_) -> None:
        """Say at the field's edge how many generated samples the range shown leaves out, and where they are."""
        f = self.field
        snap = f._snap
        if snap is None or not f.layers().fake:
            off = range_fit.OffView()
        else:
            xr, yr = f.view.viewRange()
            bx, by = f.fake_item.dataBounds(0), f.fake_item.dataBounds(1)   # of the finite samples drawn
            if bx is not None and xr[0] <= bx[0] and bx[1] <= xr[1] and yr[0] <= by[0] and by[1] <= yr[1]:
                off = range_fit.OffView(0, len(snap.fake))   # all in view: no need to count
            else:
                off = range_fit.off_view(snap.fake, xr, yr)
        if off == self.off_view:
            return
        self.off_view = off
        if off.count == 0:
            self.off_view_box.set_text("")
            return
        self.off_view_box.set_text(QCoreApplication.translate(
            "FieldView", "{0}% of generated samples off view {1}").format(off.percent_text(), off.arrows()))
        self.off_view_box.setToolTip(QCoreApplication.translate(
            "FieldView", "{0} of {1} generated samples lie outside the range shown. Click here or press F (Fit) "
            "to widen the view to all of them.").format(off.count, off.total))

    def notice(self, text: str) -> None:
        self.notice_box.set_text(text)
        self._notice_timer.start(NOTICE_MS)

    def say_full(self) -> None:
        self.notice(QCoreApplication.translate(
            "FieldView", "The target is full: at most {0} modes. Remove some (right-click a mode) or undo.")
            .format(self.field.modes.max_modes))

    def set_scale(self, scale: float) -> None:
        self.off_view_box.set_scale(scale)
        self.notice_box.set_scale(scale)
        pt = style.FONT_PT * scale
        self.bar.setStyleSheet(
            f"QToolButton {{ font-size: {pt:.1f}pt; color: {style.FOREGROUND}; padding: 1px 6px;"
            f" background: rgba(255, 255, 255, 215); border: 1px solid #8a8a8a; border-radius: 3px; }}"
            f" QToolButton:checked {{ background: {style.MARKER_HOVER}; border-color: {style.FOREGROUND}; }}")
        self.bar.adjustSize()
        self.place()

    def place(self) -> None:
        """Top-right corner of the plot area (viewport pixels)."""
        f = self.field
        r = f.plot_widget.mapFromScene(f.view.sceneBoundingRect()).boundingRect()
        m = int(round(MARGIN * f.scale()))
        self.bar.adjustSize()
        self.bar.move(max(0, r.right() - self.bar.width() - m), max(0, r.top() + m))

    def retranslate(self) -> None:
        group = QCoreApplication.translate("FieldView", "Field")
        texts = (
            (self.action_fit, QCoreApplication.translate("FieldView", "Fit"), QCoreApplication.translate(
                "FieldView", "Fit (F): widen the view to every generated sample and the whole target, and follow "
                "them; off: back to the preset's range. The count at the bottom right says how many samples are "
                "off view.")),
            (self.action_brush, QCoreApplication.translate("FieldView", "Brush"), QCoreApplication.translate(
                "FieldView", "Brush (B): drag on the field to draw the target: small modes of p_data along the "
                "stroke, each stroke one undo step (Ctrl+Z). A click lays one mode. Off: dragging pans the view "
                "again.")),
            (self.action_legend, QCoreApplication.translate("FieldView", "Legend"), QCoreApplication.translate(
                "FieldView", "Show or hide the legend under the field: what the colours and marks mean.")),
        )
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            action.setProperty("shortcut_group", group)
        self.bar.adjustSize()
        self.place()
        self.notice_box.set_text("")
        self.count_off_view()
