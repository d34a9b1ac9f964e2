"""The run's kept frames for rewinding: spacing, the memory budget, thinning, a new run, nearest frame."""

from __future__ import annotations

import numpy as np
import pytest

from ganlab.core.grid import Grid
from ganlab.core.presets import make_preset
from ganlab.core.snapshot import Snapshot
from ganlab.core.timeline import MIN_FRAMES, Timeline, frame_bytes

N, G = 200, 32


def snap(iteration: int, theory_iteration: int | None = None) -> Snapshot:
    grid = Grid(-3.0, 3.0, -3.0, 3.0, G)
    return Snapshot(iteration=iteration, target=make_preset("ring8"), loss="nonsaturating",
                    real=np.zeros((N, 2), np.float32), fake=np.full((N, 2), iteration, np.float32), grid=grid,
                    d_logits=np.zeros((G, G), np.float32), d_prob=None, theory=None, coverage=None,
                    losses={"loss_d": np.arange(iteration + 1, dtype=np.float64)},
                    theory_iteration=iteration if theory_iteration is None else theory_iteration)


def test_frames_kept_at_the_spacing_without_histories():
    t = Timeline(budget=10**9, first_every=10)
    kept = [i for i in range(0, 101, 5) if t.record(snap(i))]
    assert kept == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert t.iterations == kept
    assert all(f.losses == {} and f.metrics == {} for f in t.frames)   # the live curves hold those
    assert t.nbytes == 11 * frame_bytes(t.frames[0]) == 11 * (2 * N * 2 * 4 + G * G * 4)


def test_a_frame_without_a_newer_theory_evaluation_is_not_kept():
    t = Timeline(budget=10**9, first_every=10)
    assert t.record(snap(3))
    assert not t.record(snap(20, theory_iteration=3))   # D and D* of the frame kept already
    assert t.record(snap(21, theory_iteration=14))      # computed at 14, reached the snapshots at 21
    assert not t.record(None)


def test_budget_thins_and_the_whole_run_stays_covered():
    size = frame_bytes(snap(0))
    t = Timeline(budget=20 * size, first_every=10)
    for i in range(0, 5001):
        t.record(snap(i))
        assert t.nbytes <= 21 * size and len(t) <= 21
    its = t.iterations
    assert its[0] == 0 and its[-1] >= 5000 - t.every     # the start and the recent past
    gaps = np.diff(its)
    assert t.every > 10 and gaps.max() <= t.every        # coarser, but no hole wider than the spacing
    assert len(t) >= 10


def test_budget_smaller_than_min_frames_still_keeps_min_frames():
    t = Timeline(budget=1, first_every=1)
    for i in range(MIN_FRAMES):
        t.record(snap(i))
    assert len(t) == MIN_FRAMES


def test_an_earlier_iteration_starts_a_new_run_and_nearest_frame():
    t = Timeline(budget=10**9, first_every=10)
    for i in range(0, 200, 10):
        t.record(snap(i))
    assert t.index_at(94) == 9 and t.index_at(96) == 10 and t.index_at(10**6) == len(t) - 1
    t.record(snap(0))       # a reset
    assert t.iterations == [0] and t.every == 10


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        Timeline(budget=0)
    with pytest.raises(ValueError):
        Timeline(first_every=0)
