"""Qt only: the window, the worker that owns the trainer on its QThread, the views, controls, export."""

from . import perf

perf.apply_environment()   # before Qt starts: some switches are environment variables Qt reads once
