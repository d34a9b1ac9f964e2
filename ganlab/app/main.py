"""Start the desktop app: a QApplication, the main window, and a guard against tracebacks."""

from __future__ import annotations

import sys
import traceback


def _excepthook(exc_type, exc, tb) -> None:
    """An unexpected error in a slot becomes a message, never a dead app."""
    traceback.print_exception(exc_type, exc, tb)
    try:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance()
        win = getattr(app, "main_window", None)
        if win is not None:
            win.statusBar().showMessage(QCoreApplication.translate(
                "Main", "Unexpected error (the app keeps running): {0}: {1}").format(exc_type.__name__, exc), 15000)
        elif app is not None:
            QMessageBox.warning(None, "ganlab", f"{exc_type.__name__}: {exc}")
    except Exception:
        pass


def _warm_imports() -> None:
    try:
        import torch
        import torch._dynamo  # noqa: F401
    except Exception:
        pass


def run_app(argv: list[str] | None = None, smoke_seconds: float | None = None) -> int:
    """Open the window. smoke_seconds: train that long, then exit 0 if frames were drawn (packaging checks)."""
    import time

    t0 = time.perf_counter()
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    pg.setConfigOptions(antialias=False, useOpenGL=False)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("ganlab")
    app.setOrganizationName("ganlab")
    from .. import resources

    app.setDesktopFileName(resources.DESKTOP_ID)
    app.setWindowIcon(resources.app_icon())
    from .language import install_translator

    install_translator(app)  # GANLAB_LANG, the saved choice or the system locale; before any window text
    from .window import MainWindow

    win = MainWindow(deferred=True)
    app.main_window = win
    sys.excepthook = _excepthook
    win.show()
    app.processEvents()  # paint the window before torch loads
    t_shown = time.perf_counter() - t0
    _attach_when_torch_loaded(win)
    if smoke_seconds is None:
        stopped = _close_on_signals(win)
        code = app.exec()
        return 130 if stopped else code
    return _smoke(app, win, smoke_seconds, t0, t_shown, QTimer)


def _attach_when_torch_loaded(win) -> None:
    """torch (and torch._dynamo, which the first optimizer imports) take seconds to import: import them in a
    thread while the shown window runs its event loop (it repaints and answers), then build the trainer.
    Importing them beside the window's construction slowed that down through the shared GIL: the window
    came 3.2-3.5 s after start instead of 1.2-1.7 s on 2 cores, and the first frame no sooner."""
    import threading

    from PySide6.QtCore import QTimer

    loader = threading.Thread(target=_warm_imports, name="ganlab-import-torch", daemon=True)
    loader.start()
    poll = QTimer(win)
    poll.setInterval(20)

    def attach() -> None:
        if loader.is_alive():
            return
        poll.stop()
        if win.worker is None:
            win.attach_worker()
        from .perf import freeze_startup_heap

        freeze_startup_heap()

    poll.timeout.connect(attach)
    poll.start()


def _close_on_signals(win) -> list:
    """Ctrl+C and SIGTERM close the window as its close button does (the training thread stops, a recording
    and the settings are written), and the app exits with 130. Without this Ctrl+C only became an
    "unexpected error" message and SIGTERM killed the app mid-write. Python runs the handler at the next
    Python slot (the redraw timer ticks every 16 ms); a second signal gets the default action (exit now)."""
    import signal

    from PySide6.QtCore import QTimer

    got: list[int] = []

    def handler(signum, frame) -> None:
        got.append(signum)
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_DFL)
        QTimer.singleShot(0, win.close)

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, handler)
    return got


def _smoke(app, win, seconds: float, t0: float, t_shown: float, QTimer) -> int:
    import time

    while win.frames_drawn == 0 and time.perf_counter() - t0 < 60:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - t0
    win.play()
    QTimer.singleShot(int(seconds * 1000), win.close)
    app.exec()
    ok = win.frames_drawn > 0 and (seconds == 0 or win.worker.trainer.iteration > 0)
    print(f"smoke test: window shown after {t_shown:.2f} s, first frame after {shown:.2f} s; "
          f"{win.frames_drawn} frames, "
          f"{win.worker.trainer.iteration} iterations in {seconds:g} s: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1
