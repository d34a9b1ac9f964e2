"""The curves' lecture numbers: V(G, D) from samples, and W1 beside the JSD on its own right axis."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets
from snapshots import history_dict, make_snapshot, shown

from ganlab.app.views import CurvesView
from ganlab.core.snapshot import METRIC_COLUMNS


def _metrics(m: int, w1_every: int) -> tuple[dict, np.ndarray]:
    rows = np.full((m, len(METRIC_COLUMNS)), np.nan)
    col = {c: i for i, c in enumerate(METRIC_COLUMNS)}
    rows[:, col["step"]] = np.arange(m) * 10.0
    rows[:, col["jsd"]] = np.linspace(0.69, 0.69, m)           # the JSD saturated at log 2 ...
    rows[:, col["v_estimate"]] = -9.0                          # the grid integral (not drawn as V(G, D))
    rows[:, col["v_samples"]] = np.linspace(-1.0, -0.5, m)
    rows[:, col["v_at_dstar"]] = -0.1
    w1 = np.linspace(0.5, 6.0, m)                              # ... while W1 keeps growing
    rows[::w1_every, col["w1"]] = w1[::w1_every]
    return history_dict(METRIC_COLUMNS, rows), rows


def test_w1_is_drawn_from_its_computed_rows_on_a_right_axis_of_its_own(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1200, 400)
    metrics, rows = _metrics(200, w1_every=8)
    c.update_snapshot(make_snapshot(metrics=metrics))
    QtWidgets.QApplication.processEvents()
    x, y = c.s_w1.curve.getData()
    computed = rows[np.isfinite(rows[:, METRIC_COLUMNS.index("w1")])]
    np.testing.assert_allclose(x, computed[:, 0])              # only the computed rows, joined (no NaN gaps)
    np.testing.assert_allclose(y, computed[:, METRIC_COLUMNS.index("w1")])
    assert np.isfinite(y).all() and len(y) == 25
    lo, hi = c.w1_axis.vb.viewRange()[1]                       # its own scale: 0.5 .. 6, not the JSD's 0 .. log 2
    assert lo <= 0.6 and hi >= 5.9
    jlo, jhi = c.plot_jsd.getViewBox().viewRange()[1]
    assert jhi < 1.0
    assert c.plot_jsd.getAxis("right").isVisible()
    assert c.w1_axis.vb.viewRange()[0] == pytest.approx(c.plot_jsd.getViewBox().viewRange()[0])   # same iterations


def test_v_of_g_d_is_the_sample_value_not_the_grid_integral(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1200, 400)
    metrics, rows = _metrics(50, w1_every=5)
    c.update_snapshot(make_snapshot(metrics=metrics))
    QtWidgets.QApplication.processEvents()
    _, y = c.s_v.curve.getData()
    np.testing.assert_allclose(y, rows[:, METRIC_COLUMNS.index("v_samples")])
    assert y.min() > -2                                        # not the grid's -9


def test_the_coverage_curve_divides_each_row_by_the_mode_count_it_was_measured_against(qtbot):
    """After a mode is added (8 -> 9 here), the rows before it still read 8/8 = 1, not 8/9; rows from a session
    saved before the count was recorded (NaN) take the current target's count."""
    c = shown(qtbot, CurvesView(max_fps=None), 1200, 400)
    m = 90
    rows = np.full((m, len(METRIC_COLUMNS)), np.nan)
    col = {k: i for i, k in enumerate(METRIC_COLUMNS)}
    rows[:, col["step"]] = np.arange(m) * 10.0
    rows[:, col["modes_captured"]] = 8.0
    rows[:60, col["n_modes"]] = 8.0            # before the add
    rows[60:80, col["n_modes"]] = 9.0          # after it: 8 of 9
    # rows 80..89: no count (NaN) -> the snapshot's target's 9 modes
    target = make_snapshot().target.with_mode((0.0, 0.0))
    assert target.n_modes == 9
    c.update_snapshot(make_snapshot(target=target, metrics=history_dict(METRIC_COLUMNS, rows)))
    QtWidgets.QApplication.processEvents()
    x, y = c.s_modes.curve.getData()
    assert len(x) == m                          # few rows: nothing decimated
    np.testing.assert_allclose(y[:60], 1.0)
    np.testing.assert_allclose(y[60:], 8.0 / 9.0)
