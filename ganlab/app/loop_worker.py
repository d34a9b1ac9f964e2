"""The training loop shared by the side windows' workers (seed grid, twin runs): app/worker.py's pattern, pared down.

The worker lives on its own QThread (worker.WorkerThread starts and stops it). A QTimer there (worker.TimerLoop,
the main worker's base too) runs chunks of about worker.CHUNK_SECONDS of training, so queued commands (play,
pause, reset, open a member) run between chunks without locks; every FRAME_INTERVAL it publishes a frame, a frozen
object of plain numpy copies, by one reference assignment to `latest`. The GUI thread only reads `latest` and draws
it ("latest frame wins": a slow GUI never makes a queue). Subclasses say how to train (`_step`), what a frame
holds (`_frame`) and how to start over (`_rebuild`). RunsWindowCommands is what the two windows share.
"""

from __future__ import annotations

import time
import traceback

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal, Slot

from .worker import TimerLoop, WorkerThread

FRAME_INTERVAL = 0.1     # ~10 frames a second: small multiples need no more, and training keeps the CPU
IDLE_POLL_MS = 16


class LoopWorker(TimerLoop):
    # Emitted to QObjects living in the GUI thread (queued): never to lambdas (they'd run here).
    sigPlaying = Signal(bool)
    sigError = Signal(str)
    sigMember = Signal(int, object)    # (member, a Trainer at its state), asked for with request_member

    def __init__(self):
        super().__init__()
        self.latest = None
        self.frame_interval = FRAME_INTERVAL
        self._dirty = True
        self._next_frame = 0.0

    # ------------------------------------------------ what subclasses define
    def _step(self, n: int) -> int:
        """Train n iterations; how many ran (0: nothing can train any more)."""
        raise NotImplementedError

    def _frame(self):
        raise NotImplementedError

    def _rebuild(self) -> None:
        raise NotImplementedError

    def _extract(self, i: int):
        raise NotImplementedError

    # -------------------------------------------------------------- commands (start, stop: TimerLoop)
    @Slot()
    def play(self) -> None:
        self.playing = True
        self._rate_t0, self._rate_n = time.perf_counter(), 0
        self.sigPlaying.emit(True)

    @Slot()
    def pause(self) -> None:
        self.playing = False
        self.its_per_sec = 0.0
        self.publish()   # the frame of the state it stopped in, at once
        self.sigPlaying.emit(False)

    @Slot()
    def reset(self) -> None:
        try:
            self._rebuild()
        except Exception as e:
            self._fail(e)
        self._dirty = True
        self.publish()

    @Slot(int)
    def request_member(self, i: int) -> None:
        """Pause (the grid keeps showing the state handed over) and send member i as a Trainer (sigMember)."""
        if self.playing:
            self.pause()
        try:
            trainer = self._extract(i)
        except Exception as e:
            self._fail(e)
            return
        self.sigMember.emit(i, trainer)

    # -------------------------------------------------------------- internals
    def _fail(self, e: Exception) -> None:
        self.playing = False
        self.sigPlaying.emit(False)
        traceback.print_exc()
        text = QCoreApplication.translate("SeedGrid", "Training stopped: {0}: {1}")
        self.sigError.emit(text.format(type(e).__name__, e))

    @Slot()
    def _tick(self) -> None:
        if self.playing:
            try:
                self._train_chunk()
            except Exception as e:
                self._fail(e)
        now = time.perf_counter()
        if (self.playing or self._dirty) and now >= self._next_frame:
            self.publish()
        if self._timer is not None:
            self._timer.setInterval(0 if self.playing else IDLE_POLL_MS)

    def _train_chunk(self) -> None:
        t0 = time.perf_counter()
        done = self._step(self._chunk)
        dt = time.perf_counter() - t0
        if done == 0:   # every run diverged: nothing left to train
            self.playing = False
            self.its_per_sec = 0.0
            self.sigPlaying.emit(False)
            self._dirty = True
            return
        self._measured(done, dt / done)

    def publish(self) -> None:
        """A frame of the current state now (in the worker thread)."""
        try:
            frame = self._frame()
        except Exception as e:
            self._fail(e)
            return
        self.latest = frame   # one reference assignment: the GUI thread reads whichever is newest
        self._dirty = False
        self._next_frame = time.perf_counter() + self.frame_interval


def stop_with(widget: QObject, worker_thread, timeout_ms: int) -> None:
    """Stop `worker_thread` when `widget` is destroyed without being closed (its parent window deleted with it): a
    QThread must never be destroyed while it runs. The closure holds the thread, not the widget."""
    widget.destroyed.connect(lambda *_: worker_thread.stop(timeout_ms))


STOP_WAIT_MS = 3000  # closing a runs window waits this long for its worker to finish its chunk
DRAW_MS = 100        # a runs window's poll for a new frame: ~10 frames a second at most


class RunsWindowCommands:
    """The transport, the worker's wiring and the drawing loop both runs windows (seed grid, twin runs) share, as a
    mixin of their QWidget: it needs their `worker` (None when the settings were refused), `playing`, `drawn`,
    `frames_drawn`, `play_button`, `reset_button`, `hint`, the signal `open_member`, the queued signals `_sigPlay`,
    `_sigPause`, `_sigReset`, `_sigMember` (int: the run to hand over as a Trainer), `retranslate`, `_show_rate`,
    THREAD_NAME and the methods below that raise NotImplementedError; it makes `worker_thread` and `_timer` (call
    `_wire` in __init__ once the buttons exist)."""

    THREAD_NAME = ""     # the worker thread's name (as a debugger or profiler shows it)

    def _play_text(self, playing: bool) -> str:
        """The Play/Pause button's text: each window translates it in its own context (lupdate reads only
        literal contexts, so this mixin cannot)."""
        raise NotImplementedError

    def _run_fields(self) -> list:
        """The runs' MiniFields, in the order of the frame's members."""
        raise NotImplementedError

    def _draw_frame(self, frame) -> None:
        """Draw what the window shows of a new frame besides the runs' fields (a summary, curves)."""
        raise NotImplementedError

    def _wire(self) -> None:
        """Connect the worker (or disable Play and Reset: nothing to train) and make the draw timer."""
        if self.worker is not None:
            self._connect_worker()
        else:
            for b in (self.play_button, self.reset_button):
                b.setEnabled(False)
        self._timer = QTimer(self)
        self._timer.setInterval(DRAW_MS)
        self._timer.timeout.connect(self.draw_latest)

    def _connect_worker(self) -> None:
        w = self.worker
        self.worker_thread = WorkerThread(w)
        self.worker_thread.thread.setObjectName(self.THREAD_NAME)
        self._sigPlay.connect(w.play)
        self._sigPause.connect(w.pause)
        self._sigReset.connect(w.reset)
        self._sigMember.connect(w.request_member)
        w.sigPlaying.connect(self._on_playing)
        w.sigMember.connect(self._on_member)
        w.sigError.connect(self._on_error)
        stop_with(self, self.worker_thread, STOP_WAIT_MS)

    def start(self) -> None:
        """Show the window and start training (nothing to train when the settings were refused)."""
        self.show()
        self._timer.start()
        if self.worker_thread is not None and not self.worker_thread.thread.isRunning():
            self.worker_thread.start()
            self.play()

    def play(self) -> None:
        self._sigPlay.emit()

    def pause(self) -> None:
        self._sigPause.emit()

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def reset(self) -> None:
        self._sigReset.emit()

    def request_run(self, i: int) -> None:
        """Ask the worker for run i as a Trainer; the window's open_member carries it (the window pauses)."""
        if self.worker is not None:
            self._sigMember.emit(int(i))

    def stop(self) -> None:
        """Stop drawing and the worker thread (within STOP_WAIT_MS)."""
        self._timer.stop()
        if self.worker_thread is not None:
            self.worker_thread.stop(STOP_WAIT_MS)

    def closeEvent(self, ev) -> None:
        self.stop()
        super().closeEvent(ev)

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    # ------------------------------------------------ the worker's signals (queued: slots of the GUI-thread window)
    @Slot(bool)
    def _on_playing(self, playing: bool) -> None:
        self.playing = playing
        self.play_button.setText(self._play_text(playing))

    @Slot(int, object)
    def _on_member(self, i: int, trainer) -> None:
        self.open_member.emit(trainer)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self.hint.setText(message)

    # ---------------------------------------------------------------- drawing
    @Slot()
    def draw_latest(self) -> None:
        """Draw the worker's newest frame, if it is new (the GUI thread only draws)."""
        frame = self.worker.latest if self.worker is not None else None
        if frame is None or frame is self.drawn:
            return
        self.drawn = frame
        for i, field in enumerate(self._run_fields()):
            field.set_target(frame.target, frame.real)
            field.set_samples(frame.samples[i])
            field.set_verdict(frame.verdicts[i])
        self._draw_frame(frame)
        self._show_rate()
        self.frames_drawn += 1
