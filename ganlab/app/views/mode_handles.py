"""What the 2-D field's mode markers and the 1-D world's mode handles share: editing the target by its modes.

`ModeHandles` is the base of mode_editor.ModeEditor (markers on the plane) and world1d_items.HandleEditor (handles
on the line). It keeps one draggable item per mode of the snapshots' target and turns the user's edits into
signals: drag an item (sigModeMoved, continuously), double-click empty space (sigModeAdded), the context menu's
"Remove mode" (sigModeRemoved) and "Wider" / "Narrower" or the wheel over an item (sigModeStdChanged). The owner
applies an edit to the trainer and a later snapshot carries the new target; until it does, the editor keeps
showing the user's edit (a dragged item stays where it was dropped, a removed one stays hidden, a new std shows)
for up to PENDING_TIMEOUT_S, so the interaction works the same whether training runs, is paused, or snapshots lag
a few frames. Indices in the signals are those of the target the owner holds, after removals not yet in a
snapshot. The subclasses say what an item is, where it stands and how a mode reads; the rules live here once.

`ModeGrip` is the items' part (right-click opens the menu, the wheel resizes), `ModeView` the views' (the four
signals passed on, the menu's actions and the shown modes as the view's own).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from ...core.target import MAX_MODES, MAX_STD, MIN_STD

PENDING_TIMEOUT_S = 1.5    # how long a local edit wins over snapshots that do not show it yet
STD_FACTOR = 1.25          # "Wider" / "Narrower" and one wheel notch


class ModeGrip:
    """The mouse on one mode's item, mixed in before a movable pyqtgraph item: a right-click opens the mode menu,
    the wheel resizes the mode (and does not zoom the view). The item has `editor` and `index`."""

    editor: ModeHandles
    index: int

    def hoverEvent(self, ev):
        super().hoverEvent(ev)
        if not ev.isExit():
            ev.acceptClicks(Qt.MouseButton.RightButton)

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.RightButton and not self.moving:
            ev.accept()
            self.editor.open_menu(self.index, ev.screenPos())
            return
        super().mouseClickEvent(ev)

    def wheelEvent(self, ev):
        delta = ev.delta()
        if delta == 0:
            ev.ignore()
            return
        ev.accept()  # do not let the ViewBox zoom
        self.editor.wheel(self.index, delta)


class ModeHandles(QtCore.QObject):
    """The items of the target's modes in `host` (a PlotItem or the ViewBox `view`), the mode menu, the edits as
    signals. A subclass sets `mean_shape` (one mode's centre: (2,) or ()) and gives `_read`, `_new_item`,
    `_place`, `_item_pos`, `_tooltip`, `_mode_title`, `show_readout`, `mode_at` and `add_mode`."""

    sigModeMoved = Signal(int, float, float)      # index, x, y (continuously while dragging; y 0.0 on a line)
    sigModeAdded = Signal(float, float)           # x, y (double-click on empty space)
    sigModeRemoved = Signal(int)                  # index (context menu "Remove mode")
    sigModeStdChanged = Signal(int, float)        # index, new std (menu "Wider"/"Narrower", wheel)
    sigFull = Signal()                            # an add was refused: the target has MAX_MODES modes
    sigDropped = Signal()                         # a drag ended (the owner frames a grid it held still)

    mean_shape: tuple[int, ...] = (2,)

    def __init__(self, host, view: pg.ViewBox, readout: Callable[..., None], scale: float,
                 parent: QtWidgets.QWidget):
        super().__init__(parent)
        self._host = host
        self.view = view
        self._readout = readout
        self._scale = scale
        self._items: list = []
        self._shown_means = np.zeros((0, *self.mean_shape))   # as drawn (a drag not yet in a snapshot included)
        self._shown_stds = np.zeros(0)
        self._target = None
        self._pending_pos: dict[int, tuple] = {}                 # index -> centre, until (monotonic s)
        self._pending_std: dict[int, tuple[float, float]] = {}   # index -> std, until
        self._removed: set[int] = set()
        self._adds: list = []          # centres of modes added but not yet in a snapshot (oldest first)
        self._adds_until = 0.0
        self.max_modes = MAX_MODES     # the target's limit (core/target.py)
        self.locked = False            # items do not move (the 2-D brush is on)
        self._syncing = False
        self._build_menu(parent)
        view.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def _build_menu(self, parent: QtWidgets.QWidget) -> None:
        self.menu = QtWidgets.QMenu(parent)
        self._menu_index = -1
        self.action_title = self.menu.addAction("")   # names the mode; disabled, only a heading
        self.action_title.setEnabled(False)
        self.menu.addSeparator()
        self.action_remove = self.menu.addAction("")
        self.action_wider = self.menu.addAction("")
        self.action_narrower = self.menu.addAction("")
        self.action_remove.triggered.connect(self._menu_remove)
        self.action_wider.triggered.connect(lambda: self._change_std(self._menu_index, STD_FACTOR))
        self.action_narrower.triggered.connect(lambda: self._change_std(self._menu_index, 1.0 / STD_FACTOR))
        self.retranslate()

    # ================================================================ public API
    def sync(self, target) -> None:
        """Follow the snapshot's target without fighting a drag or an edit not yet in a snapshot."""
        if target is self._target and not self._pending_pos and not self._pending_std and not self._adds:
            return
        now = time.monotonic()
        if self._adds and now > self._adds_until:
            self._set_adds([])   # the owner never showed them (refused): stop promising them
        means, stds = self._read(target)
        # a new mode count, or any new target after a removal (indices shift), rebuilds the items
        if len(means) != len(self._items) or (self._removed and target is not self._target):
            if self.is_dragging():
                return  # rebuild after the drop (or the stroke); self._target stays old so we come back
            grown = len(means) - len(self.visible())
            if grown > 0 and self._adds:
                self._set_adds(self._adds[grown:])   # these adds are in the snapshot now
            self._rebuild(means, stds)
            self._target = target
            return
        self._target = target
        changed = self._follow_means(means, now)
        changed = self._follow_stds(stds, now) or changed
        if changed:
            self._redraw()

    def clear(self) -> None:
        """Forget the items and every edit not yet in a snapshot: the next target is drawn from scratch."""
        self._rebuild(np.zeros((0, *self.mean_shape)), np.zeros(0))
        self._set_adds([])
        self._target = None

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        for item in self._items:
            item.set_scale(scale)

    def set_locked(self, locked: bool) -> None:
        """Items do not move while locked (the brush is on): a drag that starts on one draws instead."""
        self.locked = locked
        for item in self._items:
            item.movable = not locked

    def owner_count(self) -> int:
        """How many modes the owner's target has now: those shown, less removals, plus adds not yet shown."""
        return len(self.visible()) + len(self._adds)

    def retranslate(self) -> None:
        self._title_menu(self._menu_index)
        self.action_remove.setText(QCoreApplication.translate("FieldView", "Remove mode"))
        self.action_wider.setText(QCoreApplication.translate("FieldView", "Wider (std x 1.25)"))
        self.action_narrower.setText(QCoreApplication.translate("FieldView", "Narrower (std / 1.25)"))
        tip = self._tooltip()
        for item in self._items:
            item.setToolTip(tip)

    def shown_means(self) -> np.ndarray:
        """Mode centres as currently drawn (including a drag not yet in a snapshot)."""
        return self._shown_means.copy()

    def shown_stds(self) -> np.ndarray:
        """Mode stds as currently drawn (including a change not yet in a snapshot)."""
        return self._shown_stds.copy()

    def visible(self) -> list[int]:
        """Indices of the items shown: all but those removed by the user and not yet rebuilt."""
        return [i for i in range(len(self._items)) if i not in self._removed]

    def is_dragging(self) -> bool:
        """An item is dragged: the items are not rebuilt now."""
        return any(item.moving for item in self._items)

    def prepare_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        self._menu_index = index
        self._title_menu(index)
        self.action_remove.setEnabled(len(self.visible()) > 1)
        return self.menu

    def open_menu(self, index: int, screen_pos) -> None:
        self.prepare_menu(index)
        self.menu.popup(QtCore.QPoint(int(screen_pos.x()), int(screen_pos.y())))

    def wheel(self, index: int, delta: int) -> None:
        """The wheel over item `index`: its std times STD_FACTOR per notch (120 units) up, divided down."""
        self._change_std(index, STD_FACTOR ** (delta / 120.0))

    # ================================================================ the subclass' part
    def _read(self, target) -> tuple[np.ndarray, np.ndarray]:
        """The target's mode centres (K, *mean_shape) and stds (K,), as float64."""
        raise NotImplementedError

    def _new_item(self, index: int, mean) -> pg.GraphicsObject:
        raise NotImplementedError

    def _place(self, item, mean) -> None:
        raise NotImplementedError

    def _item_pos(self, item):
        """The item's centre as `_shown_means` holds it."""
        raise NotImplementedError

    def _tooltip(self) -> str:
        raise NotImplementedError

    def _mode_title(self, index: int) -> str:
        """The menu's heading for mode `index` (shown)."""
        raise NotImplementedError

    def _add_at(self, x: float, y: float) -> None:
        """A double-click on empty space at (x, y)."""
        raise NotImplementedError

    def _redraw(self) -> None:
        """The shown modes changed (follow, rebuild or an edit): redraw what hangs on them."""

    # ================================================================ following the target
    def _title_menu(self, index: int) -> str:
        """Name the mode in the menu's first (disabled) entry: which mode the actions below act on."""
        text = self._mode_title(index) if 0 <= index < len(self._shown_means) else ""
        self.action_title.setText(text)
        return text

    def _follow_means(self, means: np.ndarray, now: float) -> bool:
        changed = False
        moved = (means != self._shown_means).reshape(len(means), -1).any(axis=1)
        for i in np.flatnonzero(moved):
            i = int(i)
            item = self._items[i]
            if item.moving:
                continue
            pend = self._pending_pos.get(i)
            if pend is not None:
                if np.allclose(means[i], pend[0], rtol=0, atol=1e-9) or now > pend[1]:
                    del self._pending_pos[i]
                else:
                    continue
            self._syncing = True
            try:
                self._place(item, means[i])
            finally:
                self._syncing = False
            self._shown_means[i] = means[i]
            changed = True
        for i in list(self._pending_pos):
            if i >= len(means) or np.allclose(means[i], self._pending_pos[i][0], rtol=0, atol=1e-9):
                self._pending_pos.pop(i, None)
        return changed

    def _follow_stds(self, stds: np.ndarray, now: float) -> bool:
        changed = False
        for i in np.flatnonzero(stds != self._shown_stds):
            i = int(i)
            pend = self._pending_std.get(i)
            if pend is not None:
                if abs(stds[i] - pend[0]) <= 1e-12 * max(1.0, pend[0]) or now > pend[1]:
                    del self._pending_std[i]
                else:
                    continue
            self._shown_stds[i] = stds[i]
            changed = True
        for i in list(self._pending_std):
            if i >= len(stds) or abs(stds[i] - self._pending_std[i][0]) <= 1e-12 * max(1.0, stds[i]):
                self._pending_std.pop(i, None)
        return changed

    def _rebuild(self, means: np.ndarray, stds: np.ndarray) -> None:
        for item in self._items:
            self._host.removeItem(item)
        self._items = []
        self._pending_pos.clear()
        self._pending_std.clear()
        self._removed.clear()
        for i, mean in enumerate(means):
            item = self._new_item(i, mean)
            item.movable = not self.locked
            item.sigPositionChanged.connect(self._on_item_moved)
            item.sigPositionChangeFinished.connect(self._on_item_dropped)
            self._host.addItem(item, ignoreBounds=True)
            self._items.append(item)
        self._shown_means = means.copy()
        self._shown_stds = stds.copy()
        self._redraw()

    def _set_adds(self, adds: list) -> None:
        self._adds = adds

    # ================================================================ edits
    def _owner_index(self, i: int) -> int:
        """Index of item i in the target the owner holds now (after removals not yet in a snapshot)."""
        return i - sum(1 for r in self._removed if r < i)

    def _promise_add(self, mean) -> None:
        """An add was sent: show it as pending (counted by owner_count) until a snapshot carries it."""
        self._adds_until = time.monotonic() + PENDING_TIMEOUT_S
        self._set_adds([*self._adds, mean])

    def _on_item_moved(self, item) -> None:
        if self._syncing or not item.moving:
            return
        pos = self._item_pos(item)
        i = item.index
        self._shown_means[i] = pos
        self._pending_pos[i] = (pos, time.monotonic() + PENDING_TIMEOUT_S)
        self._redraw()
        self.show_readout(i)
        xy = np.atleast_1d(pos)
        self.sigModeMoved.emit(self._owner_index(i), float(xy[0]), float(xy[1]) if len(xy) > 1 else 0.0)

    def _on_item_dropped(self, item) -> None:
        i = item.index
        self._pending_pos[i] = (self._shown_means[i].copy(), time.monotonic() + PENDING_TIMEOUT_S)
        self.sigDropped.emit()

    def _menu_remove(self) -> None:
        i = self._menu_index
        if not 0 <= i < len(self._items) or i in self._removed or len(self.visible()) <= 1:
            return
        j = self._owner_index(i)
        self._removed.add(i)
        self._items[i].hide()
        self._redraw()
        self.sigModeRemoved.emit(j)

    def _change_std(self, index: int, factor: float) -> None:
        if not 0 <= index < len(self._items) or index in self._removed:
            return
        new = float(min(max(self._shown_stds[index] * factor, MIN_STD), MAX_STD))
        self._shown_stds[index] = new
        self._pending_std[index] = (new, time.monotonic() + PENDING_TIMEOUT_S)
        self._redraw()
        self.show_readout(index)
        self.sigModeStdChanged.emit(self._owner_index(index), new)

    def _on_mouse_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton or ev.isAccepted() or self.locked:
            return  # (locked: the brush's click already laid a mode there)
        scene_pos = ev.scenePos()
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return
        pt = self.view.mapSceneToView(scene_pos)
        x, y = float(pt.x()), float(pt.y())
        if self.mode_at(x, y) >= 0:
            return  # on an item: not empty space
        ev.accept()
        self._add_at(x, y)


class ModeView(QtWidgets.QWidget):
    """A view whose target's modes the user edits through a ModeHandles (`modes`): its signals are the view's,
    its menu's actions and shown modes too, so the owner and the tests use both views alike."""

    sigModeMoved = Signal(int, float, float)      # index, x, y (continuously while dragging; y 0.0 on a line)
    sigModeAdded = Signal(float, float)           # x, y (double-click on empty space)
    sigModeRemoved = Signal(int)                  # index (context menu "Remove mode")
    sigModeStdChanged = Signal(int, float)        # index, new std (menu "Wider"/"Narrower", wheel)

    def _use_modes(self, modes: ModeHandles) -> None:
        self.modes = modes
        modes.sigModeMoved.connect(self.sigModeMoved)
        modes.sigModeAdded.connect(self.sigModeAdded)
        modes.sigModeRemoved.connect(self.sigModeRemoved)
        modes.sigModeStdChanged.connect(self.sigModeStdChanged)
        modes.sigDropped.connect(self._on_mode_dropped)
        self.mode_menu = modes.menu
        self.action_remove = modes.action_remove
        self.action_wider = modes.action_wider
        self.action_narrower = modes.action_narrower

    def shown_means(self) -> np.ndarray:
        """Mode centres as currently drawn (including a drag not yet in a snapshot)."""
        return self.modes.shown_means()

    # ------------------------------------------------ the view's range, held still under a drag
    _reframe = False   # a new grid came during a drag (or a stroke): framed at the drop

    def _frame_grid_held(self) -> None:
        """Frame the view for its grid (`_frame_grid_now`), except while a mode is dragged or a stroke laid: the
        grid follows the target, and a range that moved under the mouse turned the same pixel into a farther
        point (a mode dragged towards an edge ran away from it). The drop frames it then."""
        if self.modes.is_dragging():
            self._reframe = True
            return
        self._reframe = False
        self._frame_grid_now()

    def _frame_grid_now(self) -> None:
        raise NotImplementedError

    def _on_mode_dropped(self) -> None:
        """A drag ended: frame a grid held back during it (now: no snapshot may follow the drop while paused)."""
        if self._reframe:
            self._frame_grid_held()

    def prepare_mode_menu(self, index: int) -> QtWidgets.QMenu:
        """The context menu of mode `index`, ready to pop up (tests trigger its actions directly)."""
        return self.modes.prepare_menu(index)
