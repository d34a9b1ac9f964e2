"""The app's speed-ups that trade plain code for speed, each measured (README, Performance), in one place.

Training and drawing share one GIL on two cores, so every millisecond the GUI thread holds it is taken
from training. Each switch below keeps a measured gain; GANLAB_PLAIN=1 turns all of them off at start
(to compare, or to rule them out when something draws wrong). The code behind each switch is where it
acts; this module only says whether it is on.
"""

from __future__ import annotations

import os

PLAIN = os.environ.get("GANLAB_PLAIN", "") not in ("", "0")

# views/_items.py: the generated cloud rasterised through QPainter::drawPixmapFragments called via ctypes,
# which releases the GIL for the call (Linux; PySide6's own call elsewhere). 47 -> 65 % of headless speed.
GIL_FREE_FRAGMENTS = not PLAIN
# views/_items.py: the views paint from Qt's own C++ paintEvent (the scene prepared by a viewport filter)
# instead of pyqtgraph's Python override, so Qt's painting runs without the GIL.
QT_PAINT_EVENT = not PLAIN
# worker.py: D on the grid, D*, JSD and coverage run on a helper thread from copies while training plays,
# at THEORY_NICE more niceness than the training thread (+5: about 6 refreshes a second at full speed).
THEORY_HELPER = not PLAIN
THEORY_NICE = 5
# main.py: the startup heap (~350,000 objects) frozen out of cycle collection: a full collection of it
# held the GIL for ~0.3 s every minute or so.
FREEZE_STARTUP_HEAP = not PLAIN
# Qt's raster engine spreads every large image draw (a cached heatmap, the window's backing store) over a
# thread pool. On 2 cores those threads take the core the training thread needs while the GUI thread waits
# for them holding the GIL: a third of a field repaint went to waking them (py-spy --native). One thread
# draws these images faster here.
NO_GUI_THREADPOOL = not PLAIN


def apply_environment() -> None:
    """The switches that are environment variables Qt reads when it starts (a user's own setting wins)."""
    if NO_GUI_THREADPOOL:
        os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


_GC = None


def collect_garbage_in_gui_thread() -> None:
    """Not a speed-up but a fix: Python's cycle collector runs in whichever thread happens to allocate. In the
    training thread it can free Qt objects of the GUI (a closed dialog, old plot items), and Qt's and Python's
    locks then deadlock (seen in the tests: the GUI thread deleting a QMenu waited for a Qt lock while the
    training thread held it and waited for the GIL). pyqtgraph's GarbageCollector turns automatic collection
    off and collects on a timer in the GUI thread instead; one for the whole process."""
    global _GC
    if _GC is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _GC = GarbageCollector(interval=0.5)


def freeze_startup_heap() -> None:
    """Exempt everything alive once the app has started (torch, Qt wrappers, the networks) from cycle
    collection; what is created later is collected as before."""
    if not FREEZE_STARTUP_HEAP:
        return
    import gc

    gc.collect()
    gc.freeze()
