"""Snapshots and views for the view tests: real Snapshots with known, seeded arrays (no networks), a shown
widget, a History's read-only view. Shared by test_views.py and the classroom view tests."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ganlab.core import losses as core_losses
from ganlab.core.coverage import mode_coverage
from ganlab.core.grid import Grid
from ganlab.core.history import History
from ganlab.core.presets import ring
from ganlab.core.snapshot import Snapshot
from ganlab.core.target import GaussianMixture
from ganlab.core.theory import compute_theory
from ganlab.core.trainer import LOSS_COLUMNS  # noqa: F401  (re-exported for the tests)


def make_snapshot(loss: str = "nonsaturating", n: int = 400, grid_n: int = 64, seed: int = 0,
                  iteration: int = 0, target: GaussianMixture | None = None, theory: bool = True,
                  manifold_shape=(12, 12), losses: dict | None = None, metrics: dict | None = None) -> Snapshot:
    """A real Snapshot with known, seeded arrays (no networks involved)."""
    rng = np.random.default_rng(seed)
    target = target if target is not None else ring(8)
    grid = Grid.for_target(target, n=grid_n)
    real = target.sample_numpy(n, rng).astype(np.float32)
    fake = (rng.standard_normal((n, 2)) * 0.9 + [0.3, -0.2]).astype(np.float32)
    pts = grid.points64()
    logits = (1.5 * np.sin(pts[:, 0] + 0.1 * seed) + pts[:, 1]).reshape(grid.n, grid.n).astype(np.float32)
    d_prob = core_losses.logits_to_prob(loss, logits)
    d_prob = None if d_prob is None else d_prob.astype(np.float32)
    fields = compute_theory(target, fake, grid, d_prob=d_prob) if theory else None
    cov = mode_coverage(fake, target) if theory else None
    push = rng.standard_normal((n, 2)).astype(np.float32)
    manifold = None if manifold_shape is None else rng.standard_normal((*manifold_shape, 2)).astype(np.float32)
    return Snapshot(iteration=iteration, target=target, loss=loss, real=real, fake=fake, grid=grid,
                    d_logits=logits, d_prob=d_prob, theory=fields, coverage=cov, fake_push=push,
                    manifold=manifold, losses=losses or {}, metrics=metrics or {},
                    has_dstar=core_losses.has_closed_form_dstar(loss))


def shown(qtbot, widget, w=640, h=640):
    qtbot.addWidget(widget)
    widget.resize(w, h)
    widget.show()
    QtWidgets.QApplication.processEvents()
    return widget


def history_dict(columns, rows: np.ndarray) -> dict:
    h = History(columns)
    h.load(rows)
    return h.view()


def drawn_labels(axis) -> list[tuple[QtCore.QRectF, str]]:
    """(rect in the axis' coordinates, text) of the tick labels pyqtgraph draws (it drops ones that overflow)."""
    img = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    p = QtGui.QPainter(img)
    try:
        specs = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [(rect, text) for rect, _, text in specs[2]] if specs else []
