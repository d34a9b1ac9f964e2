"""A guard for tests that try to break the running app: it records Python exceptions (of any thread), Qt
warnings and errors, and the worker's "Training stopped" messages, so a test fails on any of them."""

from __future__ import annotations

import sys
import threading
import traceback

from PySide6.QtCore import QtMsgType, qInstallMessageHandler


class Guard:
    IGNORED = ("propagateSizeHints",)  # the offscreen platform's notice, not a fault

    def __init__(self):
        self.errors: list[str] = []
        self.worker_errors: list[str] = []
        self._prev = None

    def qt(self, mode, context, message) -> None:
        if any(s in message for s in self.IGNORED):
            return
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            self.errors.append(f"Qt {mode.name}: {message}")

    def excepthook(self, t, v, tb) -> None:
        self.errors.append("".join(traceback.format_exception(t, v, tb)))

    def thread_hook(self, args) -> None:
        self.errors.append("".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))

    def install(self) -> None:
        self._prev = (qInstallMessageHandler(self.qt), sys.excepthook, threading.excepthook)
        sys.excepthook, threading.excepthook = self.excepthook, self.thread_hook

    def uninstall(self) -> None:
        if self._prev is not None:
            qInstallMessageHandler(self._prev[0])
            sys.excepthook, threading.excepthook = self._prev[1], self._prev[2]
            self._prev = None

    def watch(self, window) -> None:
        window.worker.sigError.connect(self.worker_errors.append)  # recorded in the worker thread: a list append

    def problems(self) -> list[str]:
        return self.errors + [m for m in self.worker_errors if "Training stopped" in m]

    def check(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)
