"""The GAN itself: targets, networks, losses, trainer, theory, configuration.

Pure torch and numpy; never imports Qt (tests/test_core_no_qt.py enforces it), so all of it works
from a notebook, a script or the headless `ganlab run`.
"""
