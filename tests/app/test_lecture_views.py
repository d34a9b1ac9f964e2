"""The lecture's two measured arguments as views: the saturation explorer (minimax vs non-saturating generator
gradients at the current batch) and the D* probe (f(D) at a clicked point, its maximum D*, the trained D)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtWidgets
from snapshots import make_snapshot, shown

from ganlab.app.views.probe_view import ProbeView, connect_clicks
from ganlab.app.views.protocol import SnapshotView
from ganlab.app.views.saturation_view import SaturationView


def _sigmoid(l):
    return 1.0 / (1.0 + np.exp(-np.asarray(l, dtype=np.float64)))


def with_logits(snap, logits):
    logits = np.asarray(logits, dtype=np.float32)
    return dataclasses.replace(snap, fake_logits=logits, eval_fake=snap.fake[: len(logits)])


# ====================================================================== saturation explorer
@pytest.fixture
def sat_view(qtbot):
    return shown(qtbot, SaturationView(), 900, 500)


def test_saturation_points_sit_at_sigmoid_of_the_logits_and_the_text_gives_the_mean_gradients(sat_view):
    logits = np.random.default_rng(0).normal(0.0, 1.5, 300)
    sat_view.update_snapshot(with_logits(make_snapshot("nonsaturating"), logits))
    d = _sigmoid(logits.astype(np.float32))
    for loss in ("minimax", "nonsaturating"):
        x, _ = sat_view.points(loss, "loss")
        np.testing.assert_allclose(x, d, rtol=1e-6)
        gx, _ = sat_view.points(loss, "grad")
        np.testing.assert_allclose(gx, d, rtol=1e-6)
    np.testing.assert_allclose(sat_view.points("minimax", "loss")[1], np.log(1 - d), rtol=1e-5)
    np.testing.assert_allclose(sat_view.points("nonsaturating", "loss")[1], -np.log(d), rtol=1e-5)
    np.testing.assert_allclose(sat_view.points("minimax", "grad")[1], d, rtol=1e-6)
    np.testing.assert_allclose(sat_view.points("nonsaturating", "grad")[1], 1 - d, rtol=1e-5)
    text = sat_view.means_text()
    assert f"minimax {np.mean(d):.3g}" in text
    assert f"non-saturating {np.mean(1 - d):.3g} (active)" in text
    assert "300 samples" in text
    assert sat_view.note_text() == ""
    assert "(active)" in sat_view.plot_loss.titleLabel.text
    # the active loss solid, the other dashed
    assert sat_view.curves[("loss", "nonsaturating")].opts["pen"].style() == QtCore.Qt.PenStyle.SolidLine
    assert sat_view.curves[("loss", "minimax")].opts["pen"].style() == QtCore.Qt.PenStyle.DashLine
    assert not sat_view.curves[("loss", "lsgan")].isVisible()
    assert isinstance(sat_view, SnapshotView)


def test_early_training_the_minimax_gradient_reads_tiny(sat_view):
    logits = np.full(400, -5.0)             # D rejects every fake: D(G(z)) = sigmoid(-5)
    sat_view.update_snapshot(with_logits(make_snapshot("minimax"), logits))
    d = float(_sigmoid(-5.0))
    text = sat_view.means_text()
    assert f"minimax {d:.3g} (active)" in text
    assert f"non-saturating {1 - d:.3g}" in text
    b = sat_view.batch()
    assert b.mean_grad["minimax"] < 0.01 < 0.99 < b.mean_grad["nonsaturating"]


def test_at_most_500_points_are_drawn_and_the_same_batch_is_not_recomputed(sat_view):
    logits = np.random.default_rng(1).normal(-2.0, 1.0, 2000)
    snap = with_logits(make_snapshot("nonsaturating"), logits)
    sat_view.update_snapshot(snap)
    x, _ = sat_view.points("nonsaturating")
    assert 0 < len(x) <= 500
    assert "2000 samples" in sat_view.means_text()
    assert f"{np.mean(_sigmoid(logits.astype(np.float32))):.3g}" in sat_view.means_text()
    b = sat_view.batch()
    sat_view.update_snapshot(dataclasses.replace(snap, iteration=5))   # same batch, a later frame
    assert sat_view.batch() is b


def test_wgan_shows_the_no_probability_notice_instead_of_points(sat_view):
    sat_view.update_snapshot(with_logits(make_snapshot("wgan-gp"), np.linspace(-3, 3, 200)))
    note = sat_view.note_text()
    assert "WGAN-GP" in note and "not a probability" in note
    for loss in ("minimax", "nonsaturating", "lsgan"):
        assert len(sat_view.points(loss)[0]) == 0
    assert "WGAN-GP 1 (active)" in sat_view.means_text()


def test_lsgan_points_use_its_own_d_and_curve(sat_view):
    logits = np.array([-2.0, -0.5, 0.0, 0.4, 3.0])
    sat_view.update_snapshot(with_logits(make_snapshot("lsgan"), logits))
    assert sat_view.curves[("loss", "lsgan")].isVisible()
    x, y = sat_view.points("lsgan", "loss")
    np.testing.assert_allclose(x, [0.0, 0.25, 0.5, 0.7, 1.0], atol=1e-6)
    np.testing.assert_allclose(y, 0.5 * logits ** 2, rtol=1e-6)
    assert len(sat_view.points("minimax")[0]) == 0
    assert f"LSGAN {np.abs(logits).mean():.3g} (active)" in sat_view.means_text()


def test_without_a_batch_and_after_clear(sat_view):
    sat_view.update_snapshot(make_snapshot("nonsaturating"))      # make_snapshot has no fake_logits
    assert "no evaluated batch" in sat_view.means_text()
    assert len(sat_view.points("minimax")[0]) == 0
    sat_view.update_snapshot(with_logits(make_snapshot("nonsaturating"), np.zeros(10)))
    assert len(sat_view.points("minimax")[0]) == 10
    sat_view.clear()
    assert len(sat_view.points("minimax")[0]) == 0 and sat_view.batch() is None


# ====================================================================== D* probe
@pytest.fixture
def probe_view(qtbot):
    return shown(qtbot, ProbeView(), 500, 420)


def _overlap_cell(snap):
    """(ix, iy) of the cell where both densities are largest together (D* is far from 0 and 1 there)."""
    th = snap.theory
    iy, ix = np.unravel_index(np.argmax(np.minimum(th.log_p_data, th.log_p_g)), th.log_p_g.shape)
    return int(ix), int(iy)


def _cell(snap, ix, iy):
    g, th = snap.grid, snap.theory
    p_d, p_g = math.exp(th.log_p_data[iy, ix]), math.exp(th.log_p_g[iy, ix])
    return g.centers_x()[ix], g.centers_y()[iy], p_d, p_g


def test_hint_before_a_point_is_chosen(probe_view):
    probe_view.update_snapshot(make_snapshot("nonsaturating"))
    assert "Click a point of the field or the D* map" in probe_view.hint_text()
    assert probe_view.numbers_text() == ""
    assert probe_view.values() is None
    x, _ = probe_view.curve.getData()
    assert x is None or len(x) == 0
    assert len(probe_view.dstar_marker.getData()[0]) == 0


def test_probe_marks_dstar_at_the_maximum_and_the_trained_d_on_the_curve(probe_view, qtbot):
    snap = make_snapshot("nonsaturating")
    probe_view.update_snapshot(snap)
    ix, iy = _overlap_cell(snap)
    x, y, p_d, p_g = _cell(snap, ix, iy)
    assert 0.05 < p_d / (p_d + p_g) < 0.95
    with qtbot.waitSignal(probe_view.sigPointChanged) as sig:
        probe_view.set_point(x, y)
    assert sig.args == [pytest.approx(x), pytest.approx(y)]
    ds = p_d / (p_d + p_g)
    f_star = p_d * math.log(ds) + p_g * math.log(1 - ds)
    mx, my = probe_view.dstar_marker.getData()
    assert mx[0] == pytest.approx(ds, rel=1e-9) and my[0] == pytest.approx(f_star, rel=1e-9)
    assert probe_view.dstar_line.value() == pytest.approx(ds)
    cx, cy = probe_view.curve.getData()
    assert my[0] >= cy.max() - 1e-12 * abs(my[0])              # nothing on the curve is higher
    assert cx[np.argmax(cy)] == pytest.approx(ds, abs=0.02)
    d = float(snap.d_prob[iy, ix])
    dx, dy = probe_view.d_marker.getData()
    assert dx[0] == pytest.approx(d, rel=1e-6)
    assert dy[0] == pytest.approx(p_d * math.log(d) + p_g * math.log(1 - d), rel=1e-6)
    text = probe_view.numbers_text()
    for v in (p_d, p_g, ds, d, f_star):
        assert f"{v:.4g}" in text
    assert f"{snap.theory.bandwidth:.3g}" in probe_view.note_text()
    assert "kernel-smoothed" in probe_view.note_text()
    assert isinstance(probe_view, SnapshotView)


def test_a_new_snapshot_re_evaluates_the_same_point(probe_view):
    a, b = make_snapshot("nonsaturating", seed=0), make_snapshot("nonsaturating", seed=3)
    x, y, _, _ = _cell(a, 30, 30)
    probe_view.update_snapshot(a)
    probe_view.set_point(x, y)
    first = probe_view.values()
    probe_view.update_snapshot(b)
    _, _, p_d, p_g = _cell(b, 30, 30)
    v = probe_view.values()
    assert v.p_g == pytest.approx(p_g, rel=1e-12) and v.p_data == pytest.approx(p_d, rel=1e-12)
    assert v.d == pytest.approx(float(b.d_prob[30, 30]), rel=1e-6)
    assert v.d != pytest.approx(first.d)
    assert probe_view.point() == (x, y)


def test_wgan_probe_says_d_is_a_critic(probe_view):
    snap = make_snapshot("wgan-gp")
    probe_view.update_snapshot(snap)
    x, y, p_d, p_g = _cell(snap, 32, 32)
    probe_view.set_point(x, y)
    assert "critic" in probe_view.note_text()
    assert len(probe_view.d_marker.getData()[0]) == 0
    assert probe_view.dstar_marker.getData()[0][0] == pytest.approx(p_d / (p_d + p_g))


def test_outside_the_grid_and_without_theory(probe_view):
    snap = make_snapshot("nonsaturating")
    probe_view.update_snapshot(snap)
    probe_view.set_point(snap.grid.xmax + 1.0, 0.0)
    assert "outside the evaluation grid" in probe_view.note_text()
    assert len(probe_view.dstar_marker.getData()[0]) == 0
    probe_view.update_snapshot(make_snapshot("nonsaturating", theory=False))
    assert "Theory is off" in probe_view.note_text()
    assert probe_view.hint_text() == ""
    probe_view.clear_point()
    assert "Click a point" in probe_view.hint_text()


def test_connect_clicks_probes_the_clicked_data_point(qtbot, probe_view):
    snap = make_snapshot("nonsaturating")
    probe_view.update_snapshot(snap)
    pw = shown(qtbot, pg.PlotWidget(), 400, 400)
    plot = pw.getPlotItem()
    plot.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)
    QtWidgets.QApplication.processEvents()
    connect_clicks(plot, probe_view)
    target = plot.getViewBox().mapViewToScene(QtCore.QPointF(1.0, -0.5))
    pos = pw.mapFromScene(target)
    qtbot.mouseClick(pw.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pos)
    px, py = probe_view.point()
    step = 6.0 / plot.getViewBox().width()
    assert px == pytest.approx(1.0, abs=3 * step) and py == pytest.approx(-0.5, abs=3 * step)
    assert probe_view.values() is not None and probe_view.values().inside


class _Grid1D:
    """The 1-D grid contract (fields (n,), centers_x(), dim == 1), until the real class lands."""

    dim = 1

    def centers_x(self):
        return -4.0 + (np.arange(40) + 0.5) * 0.2


def test_probe_view_on_a_one_dimensional_grid(probe_view):
    grid = _Grid1D()
    c = grid.centers_x()
    pd, pg_ = np.exp(-0.5 * c ** 2) / 2.5066, np.exp(-0.5 * (c - 1) ** 2) / 2.5066
    theory = type("Fields", (), {"grid": grid, "log_p_data": np.log(pd), "log_p_g": np.log(pg_), "bandwidth": 0.2})
    snap = type("Snap", (), {"theory": theory, "d_prob": _sigmoid(c), "grid": grid, "loss": "minimax"})
    probe_view.update_snapshot(snap)
    probe_view.set_point(c[17], 2.5)
    ds = pd[17] / (pd[17] + pg_[17])
    assert probe_view.dstar_marker.getData()[0][0] == pytest.approx(ds)
    assert probe_view.d_marker.getData()[0][0] == pytest.approx(_sigmoid(c[17]))
    first = probe_view.numbers_text().splitlines()[0]
    assert first == f"x = {c[17]:.3g}"
