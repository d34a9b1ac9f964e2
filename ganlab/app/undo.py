"""Undo and redo (Ctrl+Z / Ctrl+Shift+Z) for what people change by hand: the target's modes and the settings.

Built on Qt's QUndoStack. Each command holds the whole value before and after (a GaussianMixture or a
Config: both immutable), so undoing is exact and needs no inverse of each edit: undo sends the old value to
the worker, redo the new one. The edit itself was sent when it happened, so a command's first redo does
nothing. A drag sends a stream of moves: the moves of one mode that follow each other closely merge into one
step. A brush stroke (begin_stroke ... end_stroke) sends many adds and stds: they become one step. A lesson
or a loaded session sets up a new run: the history is cleared then.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.config import Config
from ..core.target import GaussianMixture, TargetError

MERGE_S = 1.0      # edits of one mode or one setting closer than this merge into one step
PENDING_S = 0.5    # an edit not yet in a drawn snapshot is the base of the next one for this long


class _Change(QUndoCommand):
    """A value before and after; `key` says which edits may merge (None: never)."""

    ID = 1

    def __init__(self, apply, before, after, text: str, key):
        super().__init__(text)
        self.apply, self.before, self.after, self.key = apply, before, after, key
        self.t = time.monotonic()
        self._sent = True   # the edit went to the worker when it happened

    def id(self) -> int:
        return self.ID if self.key is not None else -1

    def mergeWith(self, other) -> bool:
        if other.key != self.key or other.apply != self.apply or other.t - self.t > MERGE_S:
            return False
        self.after, self.t = other.after, other.t
        return True

    def redo(self) -> None:
        if self._sent:
            self._sent = False
            return
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class History(QObject):
    """The window's undo stack, and the target the next edit starts from."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.stack = QUndoStack(self)
        self._target: GaussianMixture | None = None   # after the last edit sent,
        self._target_t = 0.0                          # ... at this time
        self._stroke: list | None = None              # [target before the stroke] while a brush stroke is drawn

    # ------------------------------------------------------------ recording
    def target_before(self) -> GaussianMixture | None:
        """The target an edit applies to: the last edit's result while no snapshot can show it yet."""
        w = self.window
        drawn = w.drawn.target if w.drawn is not None else None
        if self._target is not None and (drawn is None or time.monotonic() - self._target_t < PENDING_S):
            return self._target
        return drawn

    def target_edit(self, edit, text: str, key=None) -> None:
        """Record an edit of the target that was just sent to the worker (edit: GaussianMixture -> new one)."""
        before = self.target_before()
        if before is None:
            return
        try:
            after = edit(before)
        except TargetError:   # the worker refuses it too (e.g. the last mode): nothing to undo
            return
        self._target, self._target_t = after, time.monotonic()
        if self._stroke is not None:   # part of a brush stroke: recorded whole at its end
            if self._stroke[0] is None:
                self._stroke[0] = before
            return
        self.stack.push(_Change(self._send_target, before, after, text, ("target", key) if key else None))

    def config_change(self, before: Config, after: Config, key: str) -> None:
        self.stack.push(_Change(self._send_config, before, after, self.tr("Change {0}").format(key), ("config", key)))

    def begin_stroke(self) -> None:
        """A brush stroke begins: the edits until end_stroke are one step."""
        if self._stroke is not None:
            self.end_stroke()
        self._stroke = [None]

    def end_stroke(self, laid: int = 0) -> None:
        stroke, self._stroke = self._stroke, None
        before = stroke[0] if stroke else None
        if before is None or self._target is None or self._target is before:
            return   # nothing was drawn (or no target was known)
        n = self._target.n_modes - before.n_modes
        self.stack.push(_Change(self._send_target, before, self._target, self.tr("Draw {0} modes").format(n), None))

    def clear(self) -> None:
        self.stack.clear()
        self._target = None
        self._stroke = None

    # ------------------------------------------------------------- applying
    def _send_target(self, target: GaussianMixture) -> None:
        self._target, self._target_t = target, time.monotonic()
        self.window.commands.set_target.emit(target)

    def _send_config(self, config: Config) -> None:
        self.window.apply_config(config)

    # ------------------------------------------------------------ the edits
    def mode_moved(self, i: int, x: float, y: float) -> None:
        self.target_edit(lambda t: t.moved(i, (x, y)), self.tr("Move mode {0}").format(i + 1), key=("move", i))

    def mode_added(self, x: float, y: float) -> None:
        self.target_edit(lambda t: t.with_mode((x, y)), self.tr("Add a mode"))

    def mode_removed(self, i: int) -> None:
        self.target_edit(lambda t: t.without_mode(i), self.tr("Remove mode {0}").format(i + 1))

    def mode_std_changed(self, i: int, std: float) -> None:
        self.target_edit(lambda t: t.with_std(i, std), self.tr("Resize mode {0}").format(i + 1), key=("std", i))

    def restore_preset_target(self) -> None:
        """The preset's own target again (dragged, added and removed modes undone), as one undoable step."""
        from ..core.presets import build_target

        try:
            target = build_target(self.window.config.target)
        except (TargetError, ValueError, OSError) as e:
            self.window.statusBar().showMessage(str(e), 8000)
            return
        before = self.target_before()
        self._send_target(target)
        if before is not None:
            change = _Change(self._send_target, before, target, self.tr("Restore the preset's target"), None)
            self.stack.push(change)
