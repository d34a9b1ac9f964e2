"""The worker that owns the trainer on its own QThread.

The GUI talks to it only through queued slot calls (commands) and reads only `latest` (a
Snapshot of plain numpy copies). A QTimer inside the worker thread runs ~10 ms chunks of training,
so queued commands (pause, drag a mode, change a learning rate) run between chunks without locks,
and "latest snapshot wins": a slow GUI never makes a queue.

While training plays, the full evaluation (D on the grid, D*, JSD, coverage: most of a snapshot's cost)
runs on a helper thread from copies (Observer.theory_job): torch and numpy compute it without the GIL, on
the core that training leaves, instead of taking a tenth of the training thread. Its result is picked up
here, in the worker thread, so the trainer, the observer and the metrics have one owner.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from shiboken6 import isValid

from ..core.config import Config
from ..core.events import Event, format_value
from ..core.observer import Observer, evaluate
from ..core.snapshot import Snapshot
from ..core.target import GaussianMixture, TargetError
from ..core.trainer import Trainer
from . import perf

CHUNK_SECONDS = 0.010
SNAPSHOT_INTERVAL = 1 / 32  # cheap frames (point clouds) for smooth motion: the GUI draws each one
SNAPSHOT_SLACK = 0.004
THEORY_INTERVAL = 1 / 8     # full frames: D on the grid, D*, JSD, coverage (most of a snapshot's cost)


def _lower_priority() -> None:
    """The helper thread yields the CPU to training and drawing (2 cores, 3 busy threads): perf.THEORY_NICE more
    niceness than the thread that started it (raising it is always allowed). Measured in the live app at full
    speed: +10 halved its refreshes (3 a second: it also waits for the GIL), +0 gave 7 a second and training
    ~5 % less; +5 gives about 6."""
    import os
    import threading

    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + perf.THEORY_NICE))
    except (AttributeError, OSError):   # no per-thread priorities here: a normal priority
        pass


# Seconds between W1 computations while the app runs (0.07 s each in 2-D, on the helper thread).
W1_INTERVAL = 1.0


class TimerLoop(QObject):
    """A worker whose loop is a QTimer in its own thread (WorkerThread calls start there, and stop): each timeout
    runs `_tick` (a chunk of training sized by `_measured`), so queued commands run between chunks. The base of
    TrainingWorker and of the runs windows' loop_worker.LoopWorker: one copy of the timer's life cycle."""

    def __init__(self):
        super().__init__()
        self.playing = False
        self.its_per_sec = 0.0
        self._timer: QTimer | None = None
        self._chunk = 1
        self._rate_t0 = time.perf_counter()
        self._rate_n = 0

    def _tick(self) -> None:
        raise NotImplementedError

    @Slot()
    def start(self) -> None:
        """Runs in the worker thread once it starts: the timer must be created there."""
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @Slot()
    def stop(self) -> None:
        self.playing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None

    def _measured(self, done: int, per: float) -> None:
        """After a chunk of `done` iterations at `per` seconds each: the next chunk takes about CHUNK_SECONDS, and
        its_per_sec is the rate over the last half second or more."""
        self._chunk = max(1, min(10_000, int(CHUNK_SECONDS / max(per, 1e-6))))
        self._rate_n += done
        span = time.perf_counter() - self._rate_t0
        if span >= 0.5:
            self.its_per_sec = self._rate_n / span
            self._rate_t0, self._rate_n = time.perf_counter(), 0


class TrainingWorker(TimerLoop):
    # Emitted to QObjects living in the GUI thread (queued): never to lambdas (they'd run here).
    sigDiverged = Signal(str)
    sigError = Signal(str)
    sigInfo = Signal(str)
    sigPlaying = Signal(bool)
    sigConfigApplied = Signal(object, bool)  # (Config, reset happened)
    sigConfigRejected = Signal(object, object)  # (the refused Config, the Config still in force)
    sigSessionSaved = Signal(str, str)        # (path, error message or "" when saved)
    sigSessionLoaded = Signal(object)         # the SessionData now running (after a fresh snapshot)
    sigAdopted = Signal(object, object)       # (the Config of a run taken over by adopt(), its token)

    def __init__(self, config: Config, target: GaussianMixture | None = None):
        super().__init__()
        self.trainer = Trainer(config, target)
        self.observer = Observer(self.trainer)
        self.observer.w1_interval = W1_INTERVAL
        self.latest: Snapshot | None = None
        self.max_rate = 0.0  # iterations per second cap; 0 = as fast as possible
        self.snapshot_interval = SNAPSHOT_INTERVAL
        self.theory_interval = THEORY_INTERVAL
        self.show_push = False
        self.show_manifold = False
        self._dirty = True
        self._next_snap = 0.0  # when the next snapshot is due: on a fixed beat, so a slow one is caught up
        self._last_theory = 0.0
        self._theory_dirty = True
        self._theory_pool: ThreadPoolExecutor | None = None
        self._theory_job: Future | None = None
        self._per = 0.0  # seconds per iteration in the last chunk
        self._budget_t = time.perf_counter()
        self._budget = 0.0
        self.snapshot_now()

    # ------------------------------------------------------------ life cycle (start: TimerLoop)
    @Slot()
    def stop(self) -> None:
        super().stop()
        if self._theory_pool is not None:
            # not waiting: a running evaluation (seconds on a 512^2 grid) finishes on its copies, unread
            self._theory_pool.shutdown(wait=False, cancel_futures=True)
            self._theory_pool = None
            self._theory_job = None

    # -------------------------------------------------------------- commands
    @Slot()
    def play(self) -> None:
        if self.trainer.status != "ok":
            self.sigDiverged.emit(self.trainer.message)
            return
        self.playing = True
        self._budget_t, self._budget = time.perf_counter(), 0.0
        self.sigPlaying.emit(True)

    @Slot()
    def pause(self) -> None:
        self.playing = False
        self._dirty = True
        self.sigPlaying.emit(False)

    @Slot()
    def step_iteration(self) -> None:
        self._guarded(lambda: self.trainer.step(1))

    @Slot()
    def step_d(self) -> None:
        self._guarded(self.trainer.d_step)

    @Slot()
    def step_g(self) -> None:
        self._guarded(self.trainer.g_step)

    @Slot()
    def reset(self) -> None:
        self.trainer.reset()
        self.observer.clear()
        self._dirty = True
        self.sigInfo.emit(self.tr("Reset: new networks from seed {0}").format(self.trainer.config.train.seed))

    @Slot(object)
    def apply_config(self, config: Config) -> None:
        try:
            old = self.trainer.config
            reset = self.trainer.apply_config(config)
        except Exception as e:  # a bad value never kills the worker
            self.sigError.emit(self.tr("Could not apply settings: {0}").format(e))
            self.sigConfigRejected.emit(config, self.trainer.config)
            return
        if reset:
            self.observer.clear()
        self.observer.config_changed(old, config, reset)   # a mark on the curves' iteration axis
        if config.theory.samples != old.theory.samples:
            self.observer.set_samples(config.theory.samples)
        if config.target != old.target:
            self.observer.target_changed(structural=True)
        self._dirty = True
        self.sigConfigApplied.emit(config, reset)

    @Slot(object)
    def set_target(self, target: GaussianMixture) -> None:
        structural = target.n_modes != self.trainer.target.n_modes
        same = _same_target(target, self.trainer.target)
        try:
            self.trainer.set_target(target)
        except ValueError as e:   # e.g. an undo that would put a 2-D target into a 1-D run
            self.sigError.emit(str(e))
            return
        if not same:
            self.observer.target_edited("replaced", after=target.n_modes)
        self.observer.target_changed(structural)
        self._dirty = True

    @Slot(int, float, float)
    def move_mode(self, i: int, x: float, y: float) -> None:
        self._edit(lambda t: t.moved(i, (x, y)), structural=False, event=("moved", i + 1))

    @Slot(float, float)
    def add_mode(self, x: float, y: float) -> None:
        self._edit(lambda t: t.with_mode((x, y)), structural=True, event=("added", self.trainer.target.n_modes + 1))

    @Slot(int)
    def remove_mode(self, i: int) -> None:
        self._edit(lambda t: t.without_mode(i), structural=True, event=("removed", i + 1))

    @Slot(int, float)
    def set_mode_std(self, i: int, std: float) -> None:
        stds = self.trainer.target.stds
        before = float(stds[i]) if 0 <= i < len(stds) else None
        self._edit(lambda t: t.with_std(i, std), structural=False, event=("resized", i + 1, before, float(std)))

    @Slot(float)
    def set_max_rate(self, rate: float) -> None:
        self.max_rate = max(0.0, rate)
        self._budget_t, self._budget = time.perf_counter(), 0.0

    @Slot(float)
    def set_frame_rate(self, fps: float) -> None:
        """Snapshots (frames) per second; full ones (D on the grid, D*, JSD) at most half as often,
        and never more than 1/THEORY_INTERVAL a second."""
        fps = min(max(fps, 1.0), 1.0 / SNAPSHOT_INTERVAL)
        self.snapshot_interval = 1.0 / fps
        self.theory_interval = max(THEORY_INTERVAL, 2.0 / fps)

    @Slot(bool, bool)
    def set_overlays(self, push: bool, manifold: bool) -> None:
        self.show_push, self.show_manifold = push, manifold
        self._dirty = True

    @Slot(bool, bool)
    def set_freeze(self, freeze_g: bool, freeze_d: bool) -> None:
        before = (self.trainer.freeze_g, self.trainer.freeze_d)
        self.trainer.freeze_g, self.trainer.freeze_d = freeze_g, freeze_d
        self.observer.freeze_changed(before, (freeze_g, freeze_d))
        self._dirty = True

    @Slot()
    def set_d_to_dstar(self) -> None:
        """Fit the network D to the analytic D* of the current G (Figure 1, panel b); paused, with a fresh frame."""
        if self.playing:
            self.pause()
        try:
            err = self.trainer.fit_d_to_dstar()
        except ValueError as e:   # a loss without a closed-form D*, or a diverged G
            self.sigError.emit(str(e))
            return
        self.observer.events.record(Event(self.trainer.iteration, "dstar.set", "", format_value(err)))
        self.sigInfo.emit(self.tr("D set to D*: mean |D − D*| = {0:.3f} over samples of p_data and p_g").format(err))
        self._dirty = self._theory_dirty = True
        self.snapshot_now()

    @Slot(object, object)
    def adopt(self, state: object, token: object) -> None:
        """Continue another run (a Trainer's state_dict: a seed-grid cell, a twin) as this one, paused. Its
        curves start afresh: the history of the run it came from is not this window's."""
        if self.playing:
            self.pause()
        old = self.trainer.config
        try:
            self.trainer.load_state_dict(state)
        except Exception as e:
            self.sigError.emit(self.tr("Could not open that run: {0}").format(e))
            return
        new = self.trainer.config
        self.observer.clear()
        self.observer.reseed(new.train.seed)
        if new.theory.samples != old.theory.samples:
            self.observer.set_samples(new.theory.samples)
        self._dirty = self._theory_dirty = True
        self.snapshot_now()
        self.sigAdopted.emit(new, token)

    @Slot(str)
    def save_session(self, path: str) -> None:
        """Write the whole session to `path`; runs between chunks, so no step is half done."""
        from ..core.session import save_session

        try:
            save_session(path, self.trainer, self.observer)
        except Exception as e:  # a full disk or a diverged state never kills the worker
            self.sigSessionSaved.emit(path, str(e) or type(e).__name__)
            return
        self.sigSessionSaved.emit(path, "")

    @Slot(object)
    def load_session(self, data: object) -> None:
        """Continue a loaded (already validated) SessionData: config, weights, optimizers, target,
        history, iteration; paused, with a fresh snapshot. A failure leaves the session as it was."""
        from ..core.session import apply_session

        if self.playing:
            self.pause()
        old = self.trainer.config
        try:
            apply_session(self.trainer, self.observer, data)
        except Exception as e:
            self.sigError.emit(self.tr("Could not load session: {0}").format(e))
            return
        if data.config.theory.samples != old.theory.samples:
            self.observer.set_samples(data.config.theory.samples)
        self._dirty = self._theory_dirty = True
        self.snapshot_now()
        self.sigSessionLoaded.emit(data)

    # -------------------------------------------------------------- internals
    def _edit(self, fn, structural: bool, event: tuple) -> None:
        try:
            new = fn(self.trainer.target)
        except TargetError as e:
            self.sigError.emit(str(e))
            return
        self.trainer.set_target(new)
        self.observer.target_changed(structural)
        self.observer.target_edited(*event)
        self._dirty = True

    def _guarded(self, fn) -> None:
        if self.playing:
            self.pause()
        try:
            fn()
        except Exception as e:
            self._fail(e)
        self._check_status()
        self._dirty = True

    def _check_status(self) -> None:
        if self.trainer.status != "ok":
            self.playing = False
            self._dirty = True  # a snapshot of the state it stopped in (else the views stay a chunk behind)
            self.sigPlaying.emit(False)
            self.sigDiverged.emit(self.trainer.message)

    def _fail(self, e: Exception) -> None:
        self.playing = False
        self.sigPlaying.emit(False)
        traceback.print_exc()
        self.sigError.emit(self.tr("Training stopped: {0}: {1}").format(type(e).__name__, e))

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        if self.playing:
            try:
                self._train_chunk(now)
            except Exception as e:
                self._fail(e)
            self._check_status()
        self._collect_theory()
        now = time.perf_counter()
        # (a chunk sized to end at the snapshot's time may end a little early: that counts as on time)
        if (self.playing or self._dirty) and now >= self._next_snap - SNAPSHOT_SLACK:
            self.snapshot_now()
        elif not self.playing and self._timer is not None:
            # Idle: poll at 60 Hz instead of spinning; commands still arrive at once.
            self._timer.setInterval(16)
            return
        if self._timer is not None:
            self._timer.setInterval(0 if self.playing else 16)

    def _train_chunk(self, now: float) -> None:
        n = self._chunk
        if self.max_rate > 0:
            self._budget = min(self._budget + (now - self._budget_t) * self.max_rate, max(1.0, self.max_rate / 10))
            self._budget_t = now
            n = min(n, int(self._budget))
            if n <= 0:
                return
            self._budget -= n
        # End the chunk at the next snapshot's time, so frames come at SNAPSHOT_INTERVAL and not at the
        # next multiple of the chunk length (40/s asked gave 27 frames/s that way).
        due = self._next_snap - now
        if 0 < due < CHUNK_SECONDS and self._per > 0:
            n = max(1, min(n, int(due / self._per)))
        t0 = time.perf_counter()
        done = self.trainer.step(n)
        dt = time.perf_counter() - t0
        # Adapt the chunk so one tick takes about CHUNK_SECONDS.
        self._per = dt / max(done, 1)
        self._measured(done, self._per)

    def snapshot_now(self) -> None:
        now = time.perf_counter()
        late = now - self._next_snap
        # On the beat (or a little late): keep the beat. Far behind (a stall) or early (a command while
        # paused wants its frame now): a new beat from now.
        on_beat = -SNAPSHOT_SLACK <= late < self.snapshot_interval
        self._next_snap = (self._next_snap if on_beat else now) + self.snapshot_interval
        due = now - self._last_theory >= self.theory_interval
        # A command (or a paused step) wants its full frame now; while playing, a due one goes to the helper.
        full = self._theory_dirty or not self.playing or (due and not perf.THEORY_HELPER)  # plain: on this thread
        try:
            snap = self.observer.take(theory=full, push=self.show_push, manifold=self.show_manifold)
            submit = perf.THEORY_HELPER and due and not full and self._theory_job is None
            if submit:
                self._submit_theory(snap)
        except Exception as e:
            self._fail(e)
            return
        self.latest = snap  # one reference assignment: the GUI thread reads whichever is newest
        if full or submit:
            self._last_theory = time.perf_counter()
        self._dirty = self._theory_dirty = False

    def _submit_theory(self, snap: Snapshot) -> None:
        if self._theory_pool is None:
            self._theory_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ganlab-theory",
                                                   initializer=_lower_priority)
        self._theory_job = self._theory_pool.submit(evaluate, self.observer.theory_job(snap.fake))

    def _collect_theory(self) -> None:
        """Take a finished helper evaluation: the next snapshot carries it."""
        job = self._theory_job
        if job is None or not job.done():
            return
        self._theory_job = None
        try:
            self.observer.accept(job.result())
        except Exception as e:
            self._fail(e)


def _same_target(a: GaussianMixture, b: GaussianMixture) -> bool:
    """The same modes (a lesson sends its config's target again: no event for that)."""
    return a is b or (a.n_modes == b.n_modes and np.array_equal(a.means, b.means)
                      and np.array_equal(a.stds, b.stds) and np.array_equal(a.weights, b.weights))


class WorkerThread:
    """Owns the QThread and the worker; stops both cleanly (within a second) on close."""

    def __init__(self, worker: TrainingWorker):
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName("ganlab-training")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.start)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 1000) -> bool:
        # (isValid: Qt may already have deleted the QThread with its parent, e.g. when a runs window's destroyed
        # signal arrives after the main window closed it: then there is nothing left to stop)
        if not isValid(self.thread) or not self.thread.isRunning():
            return True
        from PySide6.QtCore import QMetaObject, Qt

        QMetaObject.invokeMethod(self.worker, "stop", Qt.BlockingQueuedConnection)
        self.thread.quit()
        return self.thread.wait(timeout_ms)
