"""The run's past, kept for rewinding: a snapshot every `every` iterations within a memory budget.

A teacher wants to go back to "the moment it collapsed" after it happened. Keeping every frame is out of
the question (a frame is ~0.5 MB), so the timeline keeps frames at a spacing that doubles whenever the
budget fills: the oldest moments stay, at a coarser spacing, and the whole run is always covered. A frame
is kept only when it brings a theory evaluation newer than the last kept frame's (while training plays, D
and D* are computed on another thread and reach the snapshots a few iterations later, as on the live
screen), and without the loss and metric histories, which the live curves already hold: a frame then costs
its own arrays only, not a share of a history that grows.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from .snapshot import Snapshot

DEFAULT_BUDGET = 64 * 2**20    # bytes: ~180 frames at the default grid and sample count (~0.35 MB each)
FIRST_EVERY = 25               # iterations between kept frames at the start of a run
MIN_FRAMES = 16                # a budget smaller than this many frames is raised to it


def frame_bytes(snap: Snapshot) -> int:
    """The bytes a kept frame holds of its own (numpy arrays, the theory's fields). The smoothed p_data is
    shared with the theory cache, so it is not counted."""
    total = 0
    for f in fields(snap):
        v = getattr(snap, f.name)
        if isinstance(v, np.ndarray):
            total += v.nbytes
    th = snap.theory
    if th is not None:
        total += th.log_p_g.nbytes + th.dstar.nbytes
    cov = snap.coverage
    if cov is not None:
        total += sum(v.nbytes for v in vars(cov).values() if isinstance(v, np.ndarray))
    return total


class Timeline:
    """Kept frames of one run, oldest first. `record` is cheap when it keeps nothing (one comparison), so
    the GUI may offer it every snapshot it draws."""

    def __init__(self, budget: int = DEFAULT_BUDGET, first_every: int = FIRST_EVERY):
        if budget <= 0 or first_every <= 0:
            raise ValueError("budget and first_every must be positive")
        self.budget = budget
        self.first_every = first_every
        self.clear()

    def clear(self) -> None:
        self.frames: list[Snapshot] = []
        self.every = self.first_every
        self._bytes = 0
        self._max_frames: int | None = None

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def nbytes(self) -> int:
        return self._bytes

    @property
    def iterations(self) -> list[int]:
        return [f.iteration for f in self.frames]

    def record(self, snap: Snapshot | None) -> bool:
        """Keep `snap` if it is due; True when it was kept. A snapshot from before the last kept frame means
        a new run (reset, a loaded session): the past of the old one is dropped."""
        if snap is None or snap.d_logits is None:
            return False
        if self.frames and snap.iteration < self.frames[-1].iteration:
            self.clear()
        if self.frames:
            last = self.frames[-1]
            if snap.iteration < last.iteration + self.every or snap.theory_iteration <= last.theory_iteration:
                return False
        frame = replace(snap, losses={}, metrics={})
        size = frame_bytes(frame)
        if self._max_frames is None:
            self._max_frames = max(MIN_FRAMES, self.budget // max(size, 1))
        self.frames.append(frame)
        self._bytes += size
        if len(self.frames) > self._max_frames or self._bytes > max(self.budget, MIN_FRAMES * size):
            self._thin()
        return True

    def _thin(self) -> None:
        """Halve the frames (every other one, the first and the newest kept) and double the spacing."""
        keep = self.frames[::2]
        if keep[-1] is not self.frames[-1]:
            keep.append(self.frames[-1])
        self.frames = keep
        self._bytes = sum(frame_bytes(f) for f in keep)
        self.every *= 2

    def index_at(self, iteration: int) -> int:
        """The index of the kept frame nearest to `iteration` (the frames must not be empty)."""
        its = np.fromiter((f.iteration for f in self.frames), dtype=np.int64, count=len(self.frames))
        return int(np.argmin(np.abs(its - iteration)))
