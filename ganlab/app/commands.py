"""The GUI's commands to the training thread, as signals: a queued connection carries each call into the
worker's thread, in the order sent, so a lesson's config, reset and steps arrive as one sequence."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Commands(QObject):
    play = Signal()
    pause = Signal()
    step = Signal()
    step_d = Signal()
    step_g = Signal()
    reset = Signal()
    apply_config = Signal(object)
    set_target = Signal(object)
    move_mode = Signal(int, float, float)
    add_mode = Signal(float, float)
    remove_mode = Signal(int)
    set_mode_std = Signal(int, float)
    set_max_rate = Signal(float)
    set_overlays = Signal(bool, bool)
    set_freeze = Signal(bool, bool)
    set_frame_rate = Signal(float)
    save_session = Signal(str)
    load_session = Signal(object)
    set_d_to_dstar = Signal()
    adopt = Signal(object, object)   # a Trainer's state_dict() and a token: continue that run here (seed grid, twins)

    # command -> the worker's slot, where the names differ
    _SLOTS = {"step": "step_iteration"}

    def connect_to(self, worker) -> None:
        for name in ("play", "pause", "step", "step_d", "step_g", "reset", "apply_config", "set_target",
                     "move_mode", "add_mode", "remove_mode", "set_mode_std", "set_max_rate", "set_overlays",
                     "set_freeze", "set_frame_rate", "save_session", "load_session", "set_d_to_dstar", "adopt"):
            getattr(self, name).connect(getattr(worker, self._SLOTS.get(name, name)))
