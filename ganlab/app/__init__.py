"""Qt only: the window, the worker that owns the trainer on its QThread, the views, controls, export."""

import os

# Qt's raster engine spreads every large image draw (a cached heatmap, the window's backing store) over
# a thread pool. On the 2-core machines ganlab is made for, those threads take the core the training
# thread needs while the GUI thread waits for them holding the GIL: a third of a field repaint went to
# waking them (measured with py-spy --native). One thread draws these images faster here.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
