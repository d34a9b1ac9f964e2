"""Qt tests run offscreen; the platform must be chosen before Qt creates its application."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pyqtgraph as pg  # noqa: E402

# pyqtgraph drops mouse moves closer than 10 ms apart; hand-built drag events come faster.
pg.setConfigOptions(mouseRateLimit=0, useOpenGL=False)
