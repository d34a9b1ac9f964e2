"""Qt only: the window, the worker that owns the trainer on its QThread, the views, controls, export."""
