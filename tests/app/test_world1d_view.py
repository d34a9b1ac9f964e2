"""The 1-D world view (Goodfellow et al. 2014, Fig. 1 live): its curves are the snapshot's numbers, its z-lines join
z_i to G(z_i), its handles edit the target along the line, and a frame costs no new items."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QPointF
from qtinput import double_click, drag, pixel, record, to_viewport, wheel
from snapshots import shown

from ganlab.app import style
from ganlab.app.views import world1d_items
from ganlab.app.views.world1d_view import BAND, CAP_OVER_DATA, World1DView
from ganlab.core import losses as core_losses
from ganlab.core.grid import Grid1D
from ganlab.core.snapshot import Snapshot
from ganlab.core.target import GaussianMixture
from ganlab.core.theory import compute_theory

MEANS = (-2.0, 1.5)
STDS = (0.4, 0.7)
HANDLE_Y = -0.5 * BAND          # halfway down the handles' stems (D units of the density plot)


def target1d(means=MEANS, stds=STDS, weights=(1.0, 2.0)) -> GaussianMixture:
    return GaussianMixture(np.asarray(means, dtype=np.float64).reshape(-1, 1), stds, weights)


def mixture_density(x, means, stds, weights) -> np.ndarray:
    """The mixture's density written out (independent of GaussianMixture.log_prob)."""
    w = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    x = np.asarray(x, dtype=np.float64)[:, None]
    mu, sd = np.asarray(means)[None, :], np.asarray(stds)[None, :]
    return np.sum(w * np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2.0 * math.pi)), axis=1)


def snap1d(loss="nonsaturating", target=None, n=1000, grid_n=512, seed=0, noise_dim=1, noise=True,
           iteration=0) -> Snapshot:
    """A 1-D Snapshot by hand: G(z) = 2.5 tanh(1.5 z_1) + 0.3 on Gaussian noise, D a known sine."""
    rng = np.random.default_rng(seed)
    target = target if target is not None else target1d()
    grid = Grid1D(-6.0, 6.0, grid_n)
    real = target.sample_numpy(n, rng).astype(np.float32)
    z = rng.standard_normal((n, noise_dim)).astype(np.float32)
    fake = (2.5 * np.tanh(1.5 * z[:, :1]) + 0.3 + 0.01 * seed).astype(np.float32)
    logits = (1.2 * np.sin(grid.centers_x() + 0.1 * seed)).astype(np.float32)
    d_prob = core_losses.logits_to_prob(loss, logits)
    d_prob = None if d_prob is None else d_prob.astype(np.float32)
    theory = compute_theory(target, fake, grid, d_prob=d_prob)
    return Snapshot(iteration=iteration, target=target, loss=loss, real=real, fake=fake, grid=grid,
                    d_logits=logits, d_prob=d_prob, theory=theory, coverage=None,
                    has_dstar=core_losses.has_closed_form_dstar(loss), noise=z if noise else None)


def view1d(qtbot, w=900, h=520) -> World1DView:
    return shown(qtbot, World1DView(), w, h)


def ydata(item) -> np.ndarray:
    return np.asarray(item.getData()[1], dtype=np.float64)


def pixel_y(v) -> float:
    return abs(v.view.viewPixelSize()[1])


def move_to(path: QtGui.QPainterPath) -> int:
    return sum(1 for i in range(path.elementCount()) if path.elementAt(i).isMoveTo())


# ============================================================ the curves are the snapshot's numbers
def test_the_curves_are_the_snapshots_densities_and_d_with_a_gap_where_dstar_is_masked(qtbot):
    v = view1d(qtbot)
    snap = snap1d()
    th = snap.theory
    dstar = th.dstar.copy()
    dstar[200:260] = np.nan                                    # masked inside the plot: the curve has a hole
    snap.theory = dataclasses.replace(th, dstar=dstar)
    v.update_snapshot(snap)
    xc = snap.grid.centers_x()
    k = v.density_scale()
    assert k > 0
    # p_data is the exact mixture (not smoothed), p_g the KDE, both drawn divided by the density scale
    np.testing.assert_allclose(v.pdata_item.getData()[0], xc)
    np.testing.assert_allclose(ydata(v.pdata_item) * k, mixture_density(xc, MEANS, STDS, (1.0, 2.0)), rtol=1e-9,
                               atol=1e-300)
    np.testing.assert_allclose(ydata(v.pg_item) * k, np.exp(th.log_p_g), rtol=1e-9)
    np.testing.assert_allclose(ydata(v.pdata_smooth_item) * k, np.exp(th.log_p_data), rtol=1e-9)
    # the left axis undoes the scale: its tick at y reads y * k
    assert v.plot.getAxis("left").scale == pytest.approx(k)
    # the tallest density reaches the top region but stays inside the plot
    top = max(ydata(v.pdata_item).max(), ydata(v.pg_item).max())
    assert 0.9 < top <= 1.0
    # D and D* are on the 0..1 scale as they are
    np.testing.assert_array_equal(ydata(v.d_item), snap.d_prob)
    np.testing.assert_array_equal(ydata(v.dstar_item), dstar)          # NaN where masked
    assert move_to(v.dstar_item.getPath()) >= 2                        # ... drawn as a gap, not joined over
    assert not v.note.isVisible()
    # the samples as rug ticks: one vertical pair per finite sample, real in its band, generated in its own
    xr, yr = v.real_rug.getData()
    np.testing.assert_array_equal(xr[0::2], snap.real[:, 0])
    np.testing.assert_array_equal(xr[1::2], snap.real[:, 0])
    xf, yf = v.fake_rug.getData()
    np.testing.assert_array_equal(xf[0::2], snap.fake[:, 0])
    assert yr.max() < yf.min() and yf.max() < 0.0                      # both under the baseline, apart


def test_the_density_scale_follows_a_taller_p_g_at_once_but_not_small_wiggles(qtbot):
    v = view1d(qtbot)
    snap = snap1d()
    v.update_snapshot(snap)
    k0 = v.density_scale()
    th = snap.theory
    lower = dataclasses.replace(th, log_p_g=th.log_p_g + math.log(0.8))   # p_g 20 % lower: the scale holds
    v.update_snapshot(dataclasses.replace(snap, theory=lower))
    assert v.density_scale() == k0
    data_peak = mixture_density(snap.grid.centers_x(), MEANS, STDS, (1.0, 2.0)).max()
    taller = dataclasses.replace(th, log_p_g=th.log_p_g + math.log(1.5))  # still under the cap: followed
    pg_peak = float(np.exp(taller.log_p_g.max()))
    assert pg_peak < CAP_OVER_DATA * data_peak
    v.update_snapshot(dataclasses.replace(snap, theory=taller))
    assert v.density_scale() >= pg_peak
    np.testing.assert_allclose(ydata(v.pdata_item) * v.density_scale(),
                               mixture_density(snap.grid.centers_x(), MEANS, STDS, (1.0, 2.0)), rtol=1e-9)


# ============================================================ z -> G(z)
def test_the_z_lines_join_evenly_chosen_noise_values_to_their_generated_points(qtbot):
    v = view1d(qtbot)
    snap = snap1d()
    v.update_snapshot(snap)
    z, x = v.line_ends()
    assert len(z) == world1d_items.N_LINES
    # each line is one sample's (z_i, G(z_i)) ...
    pairs = {(float(a), float(b)) for a, b in zip(snap.noise[:, 0], snap.fake[:, 0], strict=True)}
    assert all((float(a), float(b)) in pairs for a, b in zip(z, x, strict=True))
    # ... chosen evenly over the noise's quantiles, the extremes included
    zs = np.sort(snap.noise[:, 0])
    assert z[0] == zs[0] and z[-1] == zs[-1] and np.all(np.diff(z) > 0)
    ranks = np.searchsorted(zs, z)
    assert np.ptp(np.diff(ranks)) <= 1
    # drawn from (z_i, bottom) of the noise axis to the screen point of x = G(z_i) on the x axis above
    xs, ys = v.zlines_item.getData()
    np.testing.assert_array_equal(xs[0::2], z)
    assert np.all(ys[0::2] == 0.0) and np.all(ys[1::2] == 1.0)

    def top_in_x():
        xs = v.zlines_item.getData()[0]
        return np.array([v.view.mapSceneToView(v.zview.mapViewToScene(QPointF(t, 1.0))).x() for t in xs[1::2]])

    tol = 0.5 * pixel(v)
    np.testing.assert_allclose(top_in_x(), x, atol=tol)
    # a resize moves the plots: the lines' tops follow G(z_i)
    v.resize(700, 640)
    QtWidgets.QApplication.processEvents()
    np.testing.assert_allclose(top_in_x(), x, atol=0.5 * pixel(v))
    assert v.zplot.getAxis("bottom").labelText == "z"


def test_multi_dimensional_noise_draws_its_first_coordinate_and_no_noise_draws_no_lines(qtbot):
    v = view1d(qtbot)
    snap = snap1d(noise_dim=3)
    v.update_snapshot(snap)
    z, x = v.line_ends()
    assert set(z.tolist()) <= set(snap.noise[:, 0].tolist())
    assert v.zplot.getAxis("bottom").labelText.startswith("z_1")
    v.update_snapshot(snap1d(noise=False, seed=1))
    assert len(v.line_ends()[0]) == 0 and len(v.zlines_item.getData()[0]) == 0


# ============================================================ editing the target on the line
def test_dragging_a_handle_moves_its_mode_along_the_line(qtbot):
    v = view1d(qtbot)
    snap = snap1d()
    v.update_snapshot(snap)
    moved = record(v.sigModeMoved)
    i, goal = 1, 0.4
    drag(v, (MEANS[i], HANDLE_Y), (goal, HANDLE_Y + 0.3))             # the mouse wanders up: y stays on the line
    assert len(moved) >= 5                                             # continuously, not only on release
    assert all(idx == i and y == 0.0 for idx, _, y in moved)
    xs = [m[1] for m in moved]
    assert xs == sorted(xs, reverse=True)                              # towards the goal, step by step
    tol = 3 * pixel(v)
    assert abs(xs[-1] - goal) < tol
    h = v.handles[i]
    assert abs(h.getXPos() - goal) < tol and not h.moving
    assert v.shown_means()[0] == MEANS[0]
    # a stale snapshot does not snap the handle back; the one carrying the edit is followed exactly
    v.update_snapshot(snap1d(seed=1))
    assert abs(h.getXPos() - goal) < tol
    v.update_snapshot(snap1d(target=snap.target.moved(i, (xs[-1],)), seed=2))
    assert h.getXPos() == pytest.approx(xs[-1])


def test_double_click_adds_a_mode_and_the_menu_and_wheel_edit_one(qtbot):
    v = view1d(qtbot)
    v.update_snapshot(snap1d())
    added = record(v.sigModeAdded)
    double_click(v, (4.0, 0.5))
    assert len(added) == 1
    x, y = added[0]
    assert abs(x - 4.0) < 2 * pixel(v) and y == 0.0
    double_click(v, (MEANS[0], HANDLE_Y))                              # on a handle: not empty space
    double_click(v, (MEANS[0], 3 * pixel_y(v)))                        # (on its triangle, over the baseline)
    assert len(added) == 1
    double_click(v, (MEANS[0], 0.3))                                   # above it: empty space
    assert len(added) == 2
    removed, stds = record(v.sigModeRemoved), record(v.sigModeStdChanged)
    menu = v.prepare_mode_menu(0)
    assert "mode 1" in menu.actions()[0].text()
    v.action_remove.trigger()
    assert removed == [(0,)] and not v.handles[0].isVisible()
    assert not v.prepare_mode_menu(1).actions()[2].isEnabled()         # the last mode stays
    wheel(v, (MEANS[1], HANDLE_Y))
    assert len(stds) == 1
    idx, new = stds[0]
    assert idx == 0                                                    # the owner's index after the removal
    assert new == pytest.approx(STDS[1] * 1.25)


def test_a_std_edit_shown_by_a_snapshot_gives_way_to_the_next_one_at_once(qtbot):
    # as on the 2-D field (the same ModeHandles): a resize wins over stale snapshots only until one shows it,
    # so an undo right after it shows at once, not after the pending time
    v = view1d(qtbot)
    snap = snap1d()
    v.update_snapshot(snap)
    v.modes.wheel(0, 120)
    wider = STDS[0] * 1.25
    v.update_snapshot(snap1d(seed=1))                                  # stale: the edit stays shown
    assert v.modes.shown_stds()[0] == pytest.approx(wider)
    v.update_snapshot(snap1d(target=snap.target.with_std(0, wider), seed=2))
    assert v.modes.shown_stds()[0] == pytest.approx(wider)
    v.update_snapshot(snap1d(target=snap.target, seed=3))              # undone: followed at once
    assert v.modes.shown_stds()[0] == STDS[0]


# ============================================================ critic losses
def test_a_critic_is_drawn_scaled_with_a_note_and_no_dstar(qtbot):
    v = view1d(qtbot)
    snap = snap1d(loss="wgan-gp")
    assert snap.d_prob is None
    v.update_snapshot(snap)
    np.testing.assert_allclose(ydata(v.d_item), style.critic_to_unit(snap.d_logits))
    assert len(v.dstar_item.getData()[0]) == 0
    assert v.note.isVisible() and "wgan-gp" in v.note.toPlainText()
    labels = [label.text for _, label in v.legend.items]
    assert "critic (scaled)" in labels and "D(x)" not in labels
    assert v.plot.getAxis("right").labelText == "critic (scaled)"
    v.update_snapshot(snap1d())                                        # back to a probability: D and D* again
    assert not v.note.isVisible() and "D(x)" in [label.text for _, label in v.legend.items]
    assert len(v.dstar_item.getData()[0]) == snap.grid.n


# ============================================================ cost per frame
def test_frames_create_no_items(qtbot):
    v = view1d(qtbot)
    snaps = [snap1d(seed=k, iteration=k) for k in range(40)]
    v.update_snapshot(snaps[0])
    QtWidgets.QApplication.processEvents()
    count = len(v.plot_widget.scene().items())
    for s in snaps[1:]:
        v.update_snapshot(s)
    QtWidgets.QApplication.processEvents()
    assert len(v.plot_widget.scene().items()) == count   # (its cost per frame: benchmarks, not a unit test)
    v.update_snapshot(snap1d(loss="wgan-gp"))
    v.update_snapshot(snap1d(loss="wgan-gp", seed=3))
    v.update_snapshot(snap1d(seed=4))
    assert len(v.plot_widget.scene().items()) == count


def test_presenter_scale_and_a_wide_shape(qtbot):
    v = view1d(qtbot)
    v.update_snapshot(snap1d())
    font0 = v.plot.getAxis("bottom").label.font().pointSizeF()
    size0 = v.handles[0].markers[0][2]
    v.set_scale(1.6)
    assert v.scale() == 1.6
    assert v.plot.getAxis("bottom").label.font().pointSizeF() == pytest.approx(1.6 * font0)
    assert v.handles[0].markers[0][2] == pytest.approx(size0 * math.sqrt(1.6))
    assert v.width_for_height(400) > 400                               # a line reads best wide
    assert v.width_for_height(800) == pytest.approx(2 * v.width_for_height(400), abs=1)


def test_clear_forgets_the_frame(qtbot):
    v = view1d(qtbot)
    v.update_snapshot(snap1d())
    v.clear()
    assert len(v.pg_item.getData()[0]) == 0 and len(v.d_item.getData()[0]) == 0
    assert len(v.zlines_item.getData()[0]) == 0 and v.handles == []
    v.update_snapshot(snap1d(seed=2))
    assert len(v.handles) == 2 and len(v.line_ends()[0]) == world1d_items.N_LINES
    assert to_viewport(v, MEANS[0], 0.0).x() < to_viewport(v, MEANS[1], 0.0).x()


# ============================================================ language, legend
class _Pseudo(QtCore.QTranslator):
    """Every World1DView and FieldView text as "RU:" + its source: shows which texts follow the language."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return "RU:" + source if context in ("World1DView", "FieldView") else None

    def isEmpty(self):
        return False


def test_the_legend_sits_under_the_plots_and_every_text_follows_the_language(qtbot):
    v = view1d(qtbot)
    v.update_snapshot(snap1d(noise_dim=2))
    QtWidgets.QApplication.processEvents()
    texts = [label.text for _, label in v.legend.items]
    assert texts[0] == "p_data (exact)" and len(texts) == 8
    leg = v.legend.sceneBoundingRect()
    assert leg.top() >= v.zview.sceneBoundingRect().bottom() and leg.height() > 20   # over no curve
    assert QtCore.QRectF(v.plot_widget.viewport().rect()).contains(leg.adjusted(1, 1, -1, -1))
    axes = [v.plot.getAxis("bottom"), v.plot.getAxis("left"), v.plot.getAxis("right"), v.zplot.getAxis("bottom")]
    before = [a.labelText for a in axes]
    assert before[:3] == ["x", "density", "D"] and before[3].startswith("z_1")
    app = QtWidgets.QApplication.instance()
    pseudo = _Pseudo()
    app.installTranslator(pseudo)
    try:
        QtWidgets.QApplication.processEvents()
        assert all(label.text.startswith("RU:") for _, label in v.legend.items)
        assert all(a.labelText.startswith("RU:") for a in axes)
        assert v.action_remove.text() == "RU:Remove mode"             # the 2-D field's own menu texts
        assert v.handles[0].toolTip().startswith("RU:")
    finally:
        app.removeTranslator(pseudo)
        QtWidgets.QApplication.processEvents()
    assert [label.text for _, label in v.legend.items] == texts and [a.labelText for a in axes] == before


def test_the_fields_layers_switch_d_and_the_rugs(qtbot):
    v = view1d(qtbot)
    v.update_snapshot(snap1d())
    v.set_layers(v.layers().with_layer("real", False).with_layer("heatmap", False))
    assert not v.real_rug.isVisible() and not v.d_item.isVisible() and v.fake_rug.isVisible()
    snap = snap1d(seed=5)
    v.update_snapshot(snap)
    v.set_layers(v.layers().with_layer("real", True))              # shown again: the last frame's samples at once
    assert v.real_rug.isVisible()
    np.testing.assert_array_equal(v.real_rug.getData()[0][0::2], snap.real[:, 0])


def test_a_handle_is_grabbed_by_its_triangle_too(qtbot):
    """The triangle is what a user grabs first; it sits past the end of the stem's span, where a press used to fall
    outside the item and drag nothing."""
    v = view1d(qtbot)
    v.update_snapshot(snap1d())
    h = v.handles[1]
    size_px = world1d_items.HANDLE_SIZE * style.point_scale(v.scale())
    tri_y = 0.5 * size_px * pixel_y(v)                               # halfway up the triangle, above the baseline
    assert tri_y > 0
    moved = record(v.sigModeMoved)
    drag(v, (MEANS[1], tri_y), (0.5, tri_y))
    assert moved and moved[-1][0] == 1
    assert abs(moved[-1][1] - 0.5) < 3 * pixel(v)
    assert abs(h.getXPos() - 0.5) < 3 * pixel(v)


def test_the_range_holds_still_while_a_handle_is_dragged_and_follows_the_grid_after(qtbot):
    """The grid follows the target: a mode dragged towards an edge widens it. Reframing during the drag moved the
    range under the mouse, so the same pixel meant a farther x and the mode ran away."""
    from qtinput import move, press, release

    v = view1d(qtbot)
    snap = snap1d()
    v.update_snapshot(snap)
    before = v.view.viewRange()[0]
    wider = dataclasses.replace(snap, grid=Grid1D(-9.0, 9.0, 512), theory=None)
    vp = v.plot_widget.viewport()
    a = to_viewport(v, MEANS[1], HANDLE_Y)
    move(vp, a)
    press(vp, a)
    for k in range(1, 6):
        move(vp, a + QPointF(8.0 * k, 0.0), QtCore.Qt.MouseButton.LeftButton)
    assert v.modes.is_dragging()
    v.update_snapshot(wider)                                         # a snapshot of the dragged target, wider grid
    assert v.view.viewRange()[0] == pytest.approx(before)
    release(vp, a + QPointF(40.0, 0.0))
    QtWidgets.QApplication.processEvents()
    assert not v.modes.is_dragging()
    assert v.view.viewRange()[0] == pytest.approx([-9.0, 9.0])       # framed at the drop (paused: no snapshot)
    v.update_snapshot(dataclasses.replace(wider, iteration=1))
    assert v.view.viewRange()[0] == pytest.approx([-9.0, 9.0])
