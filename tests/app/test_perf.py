"""The speed-ups in ganlab/app/perf.py are switches: GANLAB_PLAIN=1 turns every one off, and the app still
trains and draws the same things (the plain paths are the reference the speed-ups were measured against)."""

from __future__ import annotations

import os
import subprocess
import sys

CHECK = """
import os, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ganlab.app import perf
from ganlab.app.views import _items
from ganlab.app.window import MainWindow
w = MainWindow(config=None)
w.resize(900, 640)
w.show()
w.play()
t0 = time.perf_counter()
while time.perf_counter() - t0 < 4 and (w.worker.trainer.iteration < 20 or w.frames_drawn < 5
                                        or w.drawn is None or w.drawn.theory is None):
    app.processEvents()
qt_paint = _items.ScaledPlotWidget.paintEvent is _items.QtWidgets.QGraphicsView.paintEvent
print(perf.PLAIN, _items.draw_fragments is not None, qt_paint, perf.THEORY_HELPER,
      os.environ.get("QT_NO_GUI_THREADPOOL"), w.worker.trainer.iteration >= 20, w.frames_drawn >= 5,
      w.drawn.theory is not None)
w.close()
"""


def _run(plain: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GANLAB_PLAIN", "QT_NO_GUI_THREADPOOL")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if plain is not None:
        env["GANLAB_PLAIN"] = plain
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_plain_turns_every_speedup_off_and_the_app_still_trains_and_draws():
    *switches, trains, draws, theory = _run("1")
    assert switches == ["True", "False", "False", "False", "None"]
    assert (trains, draws, theory) == ("True", "True", "True")


def test_by_default_the_speedups_are_on():
    *switches, trains, draws, theory = _run(None)
    on_linux = str(sys.platform.startswith("linux"))
    assert switches == ["False", on_linux, "True", "True", "1"]
    assert (trains, draws, theory) == ("True", "True", "True")
