"""The worker's timing logic, with a fake clock (no timed assertions): snapshots come on a fixed beat."""

from __future__ import annotations

import os

import pytest
from helpers import small_config

from ganlab.app import perf
from ganlab.app import worker as wk


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clocked(monkeypatch, qapp):
    clock = Clock()
    monkeypatch.setattr(wk.time, "perf_counter", clock)
    w = wk.TrainingWorker(small_config())
    w.playing = True
    return w, clock


def test_snapshots_keep_a_fixed_beat_and_catch_up_after_a_slow_one(clocked):
    """A slow snapshot (a full one: D on the grid) must not push every later frame back: the next one is due
    on the beat. Before, each interval counted from the last snapshot's end, rounded up to whole 10 ms
    chunks: 40 snapshots a second asked for gave 27 frames."""
    w, clock = clocked
    dt = wk.SNAPSHOT_INTERVAL
    w.snapshot_now()
    beat0 = w._next_snap
    assert beat0 == pytest.approx(clock.t + dt)
    clock.t = beat0 + 0.4 * dt  # late, by less than an interval
    w.snapshot_now()
    assert w._next_snap == pytest.approx(beat0 + dt)  # on the beat, not 'now + interval'
    clock.t = w._next_snap + 3 * dt  # far behind (a stall): start a new beat instead of a burst
    w.snapshot_now()
    assert w._next_snap == pytest.approx(clock.t + dt)
    clock.t = w._next_snap - 0.5 * dt  # early (a command while paused): its frame now, a new beat
    w.snapshot_now()
    assert w._next_snap == pytest.approx(clock.t + dt)


def test_a_tick_takes_a_snapshot_when_due_within_the_slack(clocked):
    w, clock = clocked
    w.snapshot_now()
    first = w.latest
    clock.t = w._next_snap - 2 * wk.SNAPSHOT_SLACK  # too early: no snapshot
    w._train_chunk = lambda now: None
    w._tick()
    assert w.latest is first
    clock.t = w._next_snap - 0.5 * wk.SNAPSHOT_SLACK  # a chunk ended just before the beat: on time
    w._tick()
    assert w.latest is not first


def test_a_chunk_ends_at_the_next_snapshot(clocked):
    """The chunk is cut to the iterations that fit before the beat (at the last measured speed)."""
    w, clock = clocked
    w.snapshot_now()
    w._per = 0.001            # 1 ms per iteration
    w._chunk = 500            # would run 0.5 s
    clock.t = w._next_snap - 0.006
    ran = []
    w.trainer.step = lambda n: ran.append(n) or n
    w._train_chunk(clock.t)
    assert ran == [6]


def test_qt_image_thread_pool_is_off_for_the_app():
    """Importing the app turns Qt's GUI thread pool off (its threads took the training thread's core)."""
    import ganlab.app  # noqa: F401

    assert os.environ.get("QT_NO_GUI_THREADPOOL") == "1"


def test_frame_rate_sets_both_snapshot_intervals(clocked):
    w, clock = clocked
    w.set_frame_rate(10.0)
    assert w.snapshot_interval == pytest.approx(0.1)
    assert w.theory_interval == pytest.approx(0.2)  # full frames at most every other frame
    w.snapshot_now()
    assert w._next_snap == pytest.approx(clock.t + 0.1)
    w.set_frame_rate(1000.0)  # clamped to the default (the GUI draws at most that many)
    assert w.snapshot_interval == pytest.approx(wk.SNAPSHOT_INTERVAL)
    assert w.theory_interval == pytest.approx(wk.THEORY_INTERVAL)
    w.set_frame_rate(0.0)
    assert w.snapshot_interval == pytest.approx(1.0)


def test_while_playing_a_due_full_evaluation_runs_on_the_helper_and_the_next_snapshot_carries_it(clocked):
    w, clock = clocked
    w.trainer.step(3)
    w._dirty = w._theory_dirty = False
    w._last_theory = clock.t - 1.0                          # a full evaluation is due
    w.snapshot_now()
    job = w._theory_job
    assert job is not None                                  # handed to the helper ...
    assert w.latest.theory_iteration == 0                   # ... this frame still carries the old one
    job.result(timeout=30)
    w.trainer.step(2)
    w._collect_theory()
    assert w._theory_job is None
    clock.t = w._next_snap
    w.snapshot_now()
    assert w.latest.iteration == 5 and w.latest.theory_iteration == 3
    assert w.observer.metrics.view()["step"][-1] == 3
    w.stop()
    assert w._theory_pool is None


def test_a_command_gets_its_full_frame_at_once_not_from_the_helper(clocked):
    w, clock = clocked
    w.trainer.step(2)
    w._theory_dirty = True                                  # e.g. the loss was changed
    w.snapshot_now()
    assert w._theory_job is None and w.latest.theory_iteration == 2


def test_the_helper_thread_runs_at_a_lower_priority(clocked):
    os_ = pytest.importorskip("os")
    if not hasattr(os_, "getpriority"):
        pytest.skip("no thread priorities on this OS")
    import threading

    w, _ = clocked
    w._submit_theory(w.latest)
    got = w._theory_pool.submit(lambda: os_.getpriority(os_.PRIO_PROCESS, threading.get_native_id())).result(10)
    base = os_.getpriority(os_.PRIO_PROCESS, threading.get_native_id())   # the niceness it started with
    assert got == min(19, base + perf.THEORY_NICE)                          # nicer than the rest, never less
    w.stop()
