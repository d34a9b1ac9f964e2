"""What the app tests share: the small, fast config, waiting on the event loop, building and closing a
MainWindow, and saving a session through the worker.

The bad files and disk faults that the core tests use too are in tests/faults.py.
conftest.py's fixtures (make_window, settings_file, the settings isolation) are built from these. Module-scoped
fixtures, which cannot use qtbot, call open_window/close_window/wait_until directly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ganlab.core.config import Config

# A frame in milliseconds on a laptop CPU. A test that needs other values passes them as overrides.
SMALL = {"theory.samples": 500, "train.batch_size": 64, "generator.width": 32, "discriminator.width": 32,
         "theory.grid": 64}

# Where the user's own settings live (read before any fixture redirects it): tests must never write there.
REAL_CONFIG_HOME = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def small_config(values: dict | None = None) -> Config:
    """The default config with SMALL, then `values`, applied."""
    return Config().with_values({**SMALL, **(values or {})})


# ===================================================================== waiting
def wait_for(cond: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Process Qt events until cond() is true; whether it became true within `timeout` seconds."""
    app = QApplication.instance()
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > timeout:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


def wait_until(cond: Callable[[], bool], timeout: float = 10.0) -> None:
    """wait_for that fails the test on a timeout (for code without qtbot; tests use qtbot.waitUntil)."""
    assert wait_for(cond, timeout), f"timed out after {timeout} s"


# ===================================================================== windows
FIRST_FRAME_S = 20.0  # a window's first frame: it builds the trainer and a full snapshot first


def new_window(values: dict | None = None, config: Config | None = None, deferred: bool = False):
    """A MainWindow with the small config (or `config`), with `values` applied on top; not shown yet."""
    from ganlab.app.window import MainWindow  # the whole app: imported when a test builds a window

    cfg = small_config(values) if config is None else config.with_values(values or {})
    return MainWindow(cfg, deferred=deferred)


def show_window(w, size: tuple[int, int] | None = None, active: bool = False) -> None:
    """Show `w` (at `size`) and wait for its first frame (a deferred window has none); `active`: also wait until
    it is the active window, so that key clicks reach its shortcuts."""
    if size is not None:
        w.resize(*size)
    w.show()
    if w.worker is not None:
        wait_until(lambda: w.frames_drawn > 0, FIRST_FRAME_S)
    if active:
        assert QTest.qWaitForWindowExposed(w, 5000)
        w.activateWindow()
        wait_until(lambda: QApplication.activeWindow() is w, 3.0)


def open_window(values: dict | None = None, *, config: Config | None = None, deferred: bool = False,
                size: tuple[int, int] | None = None, active: bool = False):
    """new_window, shown: for module-scoped fixtures (function-scoped tests use the make_window fixture)."""
    w = new_window(values, config, deferred)
    show_window(w, size, active)
    return w


def settle(w, timeout: float = 20.0) -> None:
    """Paused, and the views show the snapshot of the state the trainer stopped in (after a pause the newest
    snapshot may still be a chunk behind the trainer)."""
    wait_until(lambda: not w.playing and not w.worker.playing, timeout)
    wait_until(lambda: w.worker.latest is not None and w.worker.latest.iteration == w.worker.trainer.iteration
               and w.drawn is w.worker.latest, timeout)


def trained_window(iterations: int, size: tuple[int, int]):
    """A shown window that trained at least `iterations` and is paused and settled (for module fixtures)."""
    w = open_window(size=size)
    w.play()
    wait_until(lambda: w.worker.trainer.iteration >= iterations, 20)
    w.pause()
    settle(w)
    return w


def close_window(w, within: float | None = None) -> list[str]:
    """Close `w`; what went wrong: its training thread still running, or closing took `within` seconds or more."""
    t0 = time.perf_counter()
    w.close()
    took = time.perf_counter() - t0
    problems = []
    thread = w.worker_thread
    if thread is not None and thread.thread.isRunning():
        problems.append(f"{w!r}: the training thread still runs after close")
    if within is not None and took >= within:
        problems.append(f"{w!r}: closing took {took:.2f} s (at most {within} s)")
    return problems


# ===================================================================== sessions
def save_session(qtbot, w, path) -> tuple[str, str]:
    """Save through the worker; waits for the GUI to get the answer, (path, error) (waitUntil, not waitSignal:
    pytest-qt's signal blocker would run in the worker thread)."""
    w.sessions.last_saved = None
    assert w.sessions.save_path(str(path))
    qtbot.waitUntil(lambda: w.sessions.last_saved is not None, timeout=10000)
    return w.sessions.last_saved
