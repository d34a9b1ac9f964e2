"""The pyqtgraph views: what they draw equals what the snapshot holds, and the mouse edits emit signals.

Mouse interaction uses hand-built QMouseEvents sent to the plot's viewport (pytest-qt's mouseMove does
not carry a held button); conftest.py sets mouseRateLimit=0 so no move is dropped.
"""

from __future__ import annotations

import dataclasses
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt
from snapshots import LOSS_COLUMNS, history_dict, make_snapshot, shown  # noqa: E402, F401

from ganlab.app import language, style
from ganlab.app.state import Layers
from ganlab.app.views import CurvesView, FieldView, TheoryView
from ganlab.app.views.protocol import SnapshotView
from ganlab.app.views.theory_view import NO_THEORY_TEXT, no_dstar_text
from ganlab.core import losses as core_losses
from ganlab.core.config import Config
from ganlab.core.observer import Observer
from ganlab.core.snapshot import METRIC_COLUMNS
from ganlab.core.target import GaussianMixture
from ganlab.core.trainer import Trainer


@pytest.fixture(scope="module")
def live():
    """A real trainer + observer (small, fast settings)."""
    cfg = Config().with_values({"theory.samples": 600, "train.batch_size": 64, "generator.width": 32,
                                "discriminator.width": 32})
    trainer = Trainer(cfg)
    return trainer, Observer(trainer)


from qtinput import double_click, drag, move, pixel, press, record, release, to_viewport, wheel  # noqa: E402, F401


# ============================================================ style
def test_style_colours_and_maps():
    assert style.REAL.lower() == "#0072b2" and style.FAKE.lower() == "#e69f00"
    cm = style.d_colormap()
    mid = cm.map(0.5, mode="qcolor")
    assert abs(mid.red() - mid.blue()) < 8 and mid.red() > 230      # white-ish at D = 1/2
    lo, hi = cm.map(0.0, mode="qcolor"), cm.map(1.0, mode="qcolor")
    assert lo.green() > lo.red() and lo.green() > lo.blue()         # green = generated
    assert hi.blue() > hi.green() and hi.red() > hi.green()         # purple = real
    dm = style.diff_colormap()
    assert dm.map(0.5, mode="qcolor").red() > 230
    u = style.critic_to_unit(np.array([[-4.0, 0.0], [2.0, np.inf]], dtype=np.float32))
    assert u[0, 0] == 0.0 and u[0, 1] == 0.5 and u[1, 0] == pytest.approx(0.75) and np.isnan(u[1, 1])
    assert style.apply_scale(1.6) == 1.6 and style.current_scale() == 1.6
    style.apply_scale(1.0)
    assert style.point_size(4.0, 1.6) == pytest.approx(4.0 * math.sqrt(1.6))   # points grow slower than text


def _lab(c) -> np.ndarray:
    """CIELAB of a QColor (sRGB, D65)."""
    rgb = np.array([c.redF(), c.greenF(), c.blueF()])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_d_colormap_keeps_both_clouds_visible():
    """Over the whole D map, the generated (orange) and the real (blue) points differ clearly from the
    background, also under simulated deuteranopia (the old PuOr's orange end swallowed the orange points)."""
    from PySide6.QtGui import QColor

    deut = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]])

    def simulate(c, m):
        rgb = np.array([c.redF(), c.greenF(), c.blueF()])
        lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        out = np.clip(m @ lin, 0, 1)
        srgb = np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)
        return QColor.fromRgbF(*srgb)

    cm = style.d_colormap()
    fake, real = QColor(style.FAKE), QColor(style.REAL)
    for m in (np.eye(3), deut):
        for v in np.linspace(0.0, 1.0, 21):
            bg = simulate(cm.map(float(v), mode="qcolor"), m)
            assert np.linalg.norm(_lab(bg) - _lab(simulate(fake, m))) > 40, v
            assert np.linalg.norm(_lab(bg) - _lab(simulate(real, m))) > 30, v
            assert _lab(bg)[0] > 65                                  # pale: points are darker than any cell


# ============================================================ FieldView
def test_field_shows_exactly_the_snapshot(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    x, y = f.real_item.getData()
    np.testing.assert_array_equal(x, snap.real[:, 0])
    np.testing.assert_array_equal(y, snap.real[:, 1])
    x, y = f.fake_item.getData()
    np.testing.assert_array_equal(x, snap.fake[:, 0])
    np.testing.assert_array_equal(y, snap.fake[:, 1])
    np.testing.assert_array_equal(f.image.image, snap.d_prob)
    assert tuple(f.image.getLevels()) == (0.0, 1.0)
    r = f.image.mapRectToParent(f.image.boundingRect())
    g = snap.grid
    assert (r.left(), r.right(), r.top(), r.bottom()) == pytest.approx((g.xmin, g.xmax, g.ymin, g.ymax))
    assert len(f.markers) == snap.target.n_modes
    pos = np.array([[m.pos().x(), m.pos().y()] for m in f.markers])
    np.testing.assert_allclose(pos, snap.target.means)
    (x0, x1), (y0, y1) = f.view.viewRange()
    assert x0 <= g.xmin + 1e-6 and x1 >= g.xmax - 1e-6 and y0 <= g.ymin + 1e-6 and y1 >= g.ymax - 1e-6

    # a second snapshot replaces the data; same modes -> the same marker objects
    markers = list(f.markers)
    snap2 = make_snapshot(seed=3, iteration=5)
    f.update_snapshot(snap2)
    np.testing.assert_array_equal(f.fake_item.getData()[0], snap2.fake[:, 0])
    np.testing.assert_array_equal(f.image.image, snap2.d_prob)
    assert f.markers == markers

    # a new mode count rebuilds the markers
    tgt = snap.target.with_mode((0.0, 0.0))
    f.update_snapshot(make_snapshot(target=tgt))
    assert len(f.markers) == 9
    assert (f.markers[8].pos().x(), f.markers[8].pos().y()) == (0.0, 0.0)


def test_field_critic_map_for_losses_without_probability(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot(loss="wgan-gp")
    assert snap.d_prob is None
    f.update_snapshot(snap)
    m = np.abs(snap.d_logits).max()
    np.testing.assert_allclose(f.image.image, 0.5 + 0.5 * snap.d_logits / m, rtol=1e-6, atol=1e-6)
    assert "critic" in f.colorbar.getAxis("left").labelText
    f.update_snapshot(make_snapshot())
    assert "likely real" in f.colorbar.getAxis("left").labelText


def test_field_layers_toggle(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    assert f.image.isVisible() and f.real_item.isVisible() and f.fake_item.isVisible()
    assert not f.push_item.isVisible() and not f.manifold_item.isVisible()
    f.set_layers(Layers(heatmap=False, real=False, fake=False, push=True, manifold=True))
    assert not f.image.isVisible() and not f.colorbar.isVisible()
    assert not f.real_item.isVisible() and not f.fake_item.isVisible()
    assert f.push_item.isVisible() and f.manifold_item.isVisible()
    assert f.layers() == Layers(heatmap=False, real=False, fake=False, push=True, manifold=True)

    # push arrows: drawn at once from the last snapshot, <= 300 arrows of 3 segments (6 points) each
    px, py = f.push_item.getData()
    assert 0 < len(px) <= 6 * 300 and len(px) % 6 == 0
    start = np.column_stack([px[0::6], py[0::6]])
    end = np.column_stack([px[1::6], py[1::6]])
    fake = snap.fake.astype(np.float64)
    # every arrow starts on a generated point and points along fake_push
    d = ((start[:, None, :] - fake[None, :, :]) ** 2).sum(-1)
    j = d.argmin(axis=1)
    assert np.all(d[np.arange(len(j)), j] < 1e-10)
    u = (end - start) / np.linalg.norm(end - start, axis=1, keepdims=True)
    v = snap.fake_push[j] / np.linalg.norm(snap.fake_push[j], axis=1, keepdims=True)
    np.testing.assert_allclose(u, v, atol=1e-5)

    # 2-D manifold: all 12 + 12 grid lines of 12 points, each line unconnected to the next
    mx, my = f.manifold_item.getData()
    assert len(mx) == 2 * 12 * 12
    np.testing.assert_allclose(mx[:12], snap.manifold[0, :, 0])
    np.testing.assert_allclose(mx[144:156], snap.manifold[:, 0, 0])

    # 1-D manifold: one polyline
    snap1 = make_snapshot(manifold_shape=(50,))
    f.update_snapshot(snap1)
    mx, my = f.manifold_item.getData()
    np.testing.assert_allclose(np.column_stack([mx, my]), snap1.manifold, rtol=1e-6)

    # a snapshot without push/manifold keeps the last ones for a few frames (no blinking), then clears
    arrows = f.push_item.getData()[0].copy()
    bare = make_snapshot(seed=9, manifold_shape=None)
    bare.fake_push = None
    f.update_snapshot(bare)
    np.testing.assert_array_equal(f.push_item.getData()[0], arrows)
    for _ in range(12):
        f.update_snapshot(bare)
    assert len(f.push_item.getData()[0]) == 0 and len(f.manifold_item.getData()[0]) == 0

    # hidden layers are not redrawn; showing them again shows the latest snapshot
    snap2 = make_snapshot(seed=7)
    f.update_snapshot(snap2)
    np.testing.assert_array_equal(f.fake_item.getData()[0], snap.fake[:, 0])
    f.set_layers(dataclasses.replace(f.layers(), heatmap=True, real=True, fake=True))
    np.testing.assert_array_equal(f.fake_item.getData()[0], snap2.fake[:, 0])
    np.testing.assert_array_equal(f.real_item.getData()[1], snap2.real[:, 1])
    np.testing.assert_array_equal(f.image.image, snap2.d_prob)
    assert f.image.isVisible() and f.colorbar.isVisible()


def test_field_drag_marker_emits_moves_and_keeps_the_drop(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    moved = record(f.sigModeMoved)
    i = 2
    start = tuple(snap.target.means[i])
    goal = (start[0] + 0.9, start[1] - 0.7)
    drag(f, start, goal)
    assert len(moved) >= 5                                  # continuous, not only on release
    assert all(idx == i for idx, _, _ in moved)
    _, x, y = moved[-1]
    tol = 3 * pixel(f)
    assert abs(x - goal[0]) < tol and abs(y - goal[1]) < tol
    m = f.markers[i]
    assert abs(m.pos().x() - goal[0]) < tol and abs(m.pos().y() - goal[1]) < tol
    assert not m.moving
    # x moves monotonically towards the goal
    xs = [a[1] for a in moved]
    assert xs == sorted(xs)

    # a stale snapshot (target before the edit) does not snap the marker back ...
    f.update_snapshot(make_snapshot(seed=1))
    assert abs(m.pos().x() - goal[0]) < tol
    # ... the snapshot that carries the edit is followed exactly
    tgt = snap.target.moved(i, (x, y))
    f.update_snapshot(make_snapshot(target=tgt, seed=2))
    assert (m.pos().x(), m.pos().y()) == pytest.approx((x, y))
    # another mode moved by the program (not dragged) follows the snapshot
    tgt2 = tgt.moved(0, (0.5, 0.5))
    f.update_snapshot(make_snapshot(target=tgt2, seed=2))
    assert (f.markers[0].pos().x(), f.markers[0].pos().y()) == pytest.approx((0.5, 0.5))
    assert (m.pos().x(), m.pos().y()) == pytest.approx((x, y))


def test_field_drag_works_without_snapshots_and_while_they_arrive(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    moved = record(f.sigModeMoved)
    vp = f.plot_widget.viewport()
    i = 5
    a = to_viewport(f, *snap.target.means[i])
    b = to_viewport(f, 0.0, 0.0)
    move(vp, a)
    press(vp, a)
    for k in range(1, 11):
        move(vp, a + (b - a) * (k / 10), Qt.MouseButton.LeftButton)
        f.update_snapshot(make_snapshot(seed=k))       # training goes on: stale targets arrive mid-drag
    release(vp, b)
    assert len(moved) >= 5
    _, x, y = moved[-1]
    assert math.hypot(x, y) < 3 * pixel(f)
    assert math.hypot(f.markers[i].pos().x(), f.markers[i].pos().y()) < 3 * pixel(f)


def test_field_double_click_adds_mode(qtbot):
    f = shown(qtbot, FieldView())
    f.update_snapshot(make_snapshot())
    added = record(f.sigModeAdded)
    double_click(f, (0.4, -0.6))
    assert len(added) == 1
    x, y = added[0]
    tol = 2 * pixel(f)
    assert abs(x - 0.4) < tol and abs(y + 0.6) < tol
    # double-click on a marker is not empty space
    double_click(f, tuple(f.markers[0].pos()))
    assert len(added) == 1


def test_field_context_menu_remove_and_resize(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    removed = record(f.sigModeRemoved)
    stds = record(f.sigModeStdChanged)
    vp = f.plot_widget.viewport()
    i = 3
    p = to_viewport(f, *snap.target.means[i])
    move(vp, p)
    press(vp, p, Qt.MouseButton.RightButton)
    release(vp, p, Qt.MouseButton.RightButton)
    QtWidgets.QApplication.processEvents()
    assert f.mode_menu.isVisible()                      # the marker's own menu, not the ViewBox's
    texts = [a.text() for a in f.mode_menu.actions() if not a.isSeparator()]
    assert texts[0].startswith(f"mode {i + 1} at")                 # the menu names its mode (issue 12)
    assert texts[1] == "Remove mode" and texts[2].startswith("Wider") and texts[3].startswith("Narrower")
    f.action_wider.trigger()
    f.mode_menu.hide()
    assert stds == [(i, pytest.approx(snap.target.stds[i] * 1.25))]
    f.prepare_mode_menu(i)
    f.action_narrower.trigger()
    assert stds[-1] == (i, pytest.approx(snap.target.stds[i]))
    f.prepare_mode_menu(i)
    f.action_remove.trigger()
    assert removed == [(i,)]
    assert not f.markers[i].isVisible()
    # before a snapshot shows the removal, mode 6 is mode 5 in the owner's target
    f.prepare_mode_menu(6)
    f.action_remove.trigger()
    assert removed == [(i,), (5,)]
    # the snapshot with the removals rebuilds the markers
    tgt = snap.target.without_mode(i).without_mode(5)
    f.update_snapshot(make_snapshot(target=tgt))
    assert len(f.markers) == 6 and all(m.isVisible() for m in f.markers)


def test_field_cannot_remove_last_mode(qtbot):
    f = shown(qtbot, FieldView())
    f.update_snapshot(make_snapshot(target=GaussianMixture([[0.0, 0.0]], 0.5)))
    removed = record(f.sigModeRemoved)
    f.prepare_mode_menu(0)
    assert not f.action_remove.isEnabled()
    f.action_remove.trigger()
    assert removed == []


def test_field_wheel_over_marker_changes_std_not_zoom(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    stds = record(f.sigModeStdChanged)
    QtWidgets.QApplication.processEvents()
    before = f.view.viewRange()
    i = 1
    wheel(f, tuple(snap.target.means[i]), notches=1)
    assert stds == [(i, pytest.approx(snap.target.stds[i] * 1.25))]
    assert f.view.viewRange() == before
    wheel(f, tuple(snap.target.means[i]), notches=-1)
    assert stds[-1] == (i, pytest.approx(snap.target.stds[i]))   # the local std compounds
    assert f.view.viewRange() == before
    # a snapshot still holding the old std does not undo the local change
    wheel(f, tuple(snap.target.means[i]), notches=2)
    f.update_snapshot(make_snapshot(seed=4))
    assert f.modes.shown_stds()[i] == pytest.approx(snap.target.stds[i] * 1.25 ** 2)
    f.update_snapshot(make_snapshot(target=snap.target.with_std(i, stds[-1][1]), seed=4))
    assert f.modes.shown_stds()[i] == pytest.approx(stds[-1][1])
    # the same wheel on empty space zooms the view (the test can see a zoom)
    wheel(f, (0.0, 0.0), notches=1)
    assert len(stds) == 3
    assert f.view.viewRange() != before


def test_field_hover_shows_coordinates(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    vp = f.plot_widget.viewport()
    mx, my = snap.target.means[4]
    move(vp, to_viewport(f, mx, my))
    assert f.hover_text.isVisible()
    assert f.hover_text.textItem.toPlainText().startswith("mode 5")   # mode index 4, counted from 1
    assert f"{mx:.3f}" in f.hover_text.textItem.toPlainText()
    assert f.markers[4].mouseHovering
    j = 17
    fx, fy = snap.fake[j]
    f.set_layers(f.layers().with_layer("real", False))
    move(vp, to_viewport(f, fx, fy))
    text = f.hover_text.textItem.toPlainText()
    assert text.startswith("generated") or text.startswith("mode")


def test_field_presenter_scale(qtbot):
    f = shown(qtbot, FieldView())
    f.update_snapshot(make_snapshot())
    f.set_scale(1.6)
    assert f.scale() == 1.6
    # points and markers grow with the square root of the scale, lines and text with the scale
    assert f.fake_item.size() == pytest.approx(style.FAKE_SIZE * math.sqrt(1.6))
    assert f.real_item.size() == pytest.approx(style.REAL_SIZE * math.sqrt(1.6))
    assert f.markers[0].scale == pytest.approx(style.MARKER_SIZE * math.sqrt(1.6))
    assert f.plot.getAxis("left").style["tickFont"].pointSizeF() == pytest.approx(style.FONT_PT * 1.6)


@pytest.mark.parametrize("size", [(640, 640), (555, 526), (430, 330), (900, 380), (380, 700)])
@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_field_frames_exactly_the_grid_in_a_square(qtbot, size, scale):
    """The plot area is the grid's shape (square) at any widget shape, shows exactly the grid (no bands),
    and sits wholly inside the widget with room for the top tick label."""
    f = shown(qtbot, FieldView(scale=scale), *size)
    snap = make_snapshot()
    f.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    vb = f.view.sceneBoundingRect()
    assert vb.width() == pytest.approx(vb.height(), abs=1.0)
    assert vb.width() > 0.45 * min(size)
    g = snap.grid
    (x0, x1), (y0, y1) = f.view.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((g.xmin, g.xmax, g.ymin, g.ymax), abs=0.02 * (g.xmax - g.xmin))
    view = QtCore.QRectF(f.plot_widget.viewport().rect())
    assert view.contains(f.plot.sceneBoundingRect().adjusted(1, 1, -1, -1))
    assert vb.top() >= 0.5 * style.FONT_PT * scale                 # the top tick label is not cut off
    assert vb.right() + f.colorbar.sceneBoundingRect().width() <= view.right() + 1
    # the colour bar's title fits the bar
    fm = QtGui.QFontMetricsF(style.font(scale))
    assert fm.horizontalAdvance(f._bar_text) <= vb.height() + 1


def test_field_markers_are_hollow_so_the_real_cloud_shows(qtbot):
    """A tight real cloud right under a mode marker stays visible (the marker used to be a white disc)."""
    tgt = GaussianMixture([[0.0, 0.0], [1.5, 1.5]], 0.05)
    f = shown(qtbot, FieldView(), 500, 500)
    snap = make_snapshot(target=tgt)
    snap.real = np.zeros((50, 2), dtype=np.float32)            # every real sample at the first marker's centre
    snap.fake = np.full((5, 2), 2.5, dtype=np.float32)
    f.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    img = f.plot_widget.grab().toImage()
    c = to_viewport(f, 0.0, 0.0)
    dpr = img.devicePixelRatio()
    px = img.pixelColor(int(round(c.x() * dpr)), int(round(c.y() * dpr)))
    real = QtGui.QColor(style.REAL)
    assert abs(px.red() - real.red()) + abs(px.green() - real.green()) + abs(px.blue() - real.blue()) < 60
    # the marker itself is still drawn (its white ring around the centre)
    r = 0.5 * f.markers[0].scale * 2 * 0.30                      # the ring's radius in pixels (RING_R)
    ring = [img.pixelColor(int(round((c.x() + dx) * dpr)), int(round(c.y() * dpr))) for dx in (r - 0.5, r, r + 0.5)]
    assert max(q.lightness() for q in ring) > 200
    # and it still takes a drag from its inside
    assert f.modes.mode_at(0.0, 0.0) == 0


def test_presenter_scale_all_views(qtbot):
    t = shown(qtbot, TheoryView(), 1100, 420)
    c = shown(qtbot, CurvesView(max_fps=None), 900, 700)
    t.update_snapshot(make_snapshot())
    c.update_snapshot(make_snapshot())
    small_t = t.caption.font().pointSizeF()
    small_c = c.plot_loss.getAxis("left").style["tickFont"].pointSizeF()
    t.set_scale(1.6)
    c.set_scale(1.6)
    assert t.caption.font().pointSizeF() == pytest.approx(1.6 * small_t)
    assert c.plot_loss.getAxis("left").style["tickFont"].pointSizeF() == pytest.approx(1.6 * small_c)
    assert c.s_loss_d.curve.opts["pen"].widthF() == pytest.approx(style.CURVE_WIDTH * 1.6)
    c.grab()
    t.grab()



# ============================================================ the view contract, languages
def test_views_are_snapshot_views_and_their_scale_round_trips(qtbot):
    for view in (FieldView(), TheoryView(), CurvesView(max_fps=None)):
        shown(qtbot, view, 700, 500)
        assert isinstance(view, SnapshotView)
        assert view.scale() == pytest.approx(style.current_scale())
        view.set_scale(1.6)
        assert view.scale() == pytest.approx(1.6)
        view.update_snapshot(make_snapshot())
        view.set_scale(1.0)
        assert view.scale() == 1.0
        view.clear()


def test_field_clear_draws_the_next_snapshot_from_scratch(qtbot):
    f = shown(qtbot, FieldView())
    f.set_layers(Layers(push=True, manifold=True))
    snap = make_snapshot()
    f.update_snapshot(snap)
    f.prepare_mode_menu(2)
    f.action_remove.trigger()                            # an edit no snapshot has shown yet
    assert not f.markers[2].isVisible()
    f.clear()
    assert len(f.push_item.getData()[0]) == 0 and len(f.manifold_item.getData()[0]) == 0
    calls = []
    orig = f.real_item.setData
    f.real_item.setData = lambda **kw: calls.append(kw) or orig(**kw)
    f.update_snapshot(snap)                              # the same arrays: drawn again all the same
    assert len(calls) == 1
    assert len(f.markers) == 8 and all(m.isVisible() for m in f.markers)
    np.testing.assert_allclose(f.shown_means(), snap.target.means)
    assert len(f.push_item.getData()[0]) > 0 and len(f.manifold_item.getData()[0]) > 0


CATALOG = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "ganlab_ru.ts"


def russian(context: str, source: str) -> str:
    """The catalog's Russian for `source` in `context`."""
    for ctx in ET.parse(CATALOG).getroot().iter("context"):
        if ctx.findtext("name") == context:
            for msg in ctx.iter("message"):
                if msg.findtext("source") == source:
                    return msg.findtext("translation")
    raise KeyError((context, source))


@pytest.fixture
def back_to_english():
    yield
    language.install_translator(QtWidgets.QApplication.instance(), "en")
    QtWidgets.QApplication.processEvents()


def test_views_retranslate_their_fixed_texts_when_the_language_changes(qtbot, back_to_english):
    f = shown(qtbot, FieldView())
    t = shown(qtbot, TheoryView(), 1100, 420)
    c = shown(qtbot, CurvesView(max_fps=None), 900, 700)
    snap = make_snapshot(loss="hinge")                   # the theory panels show their notes
    for v in (f, t, c):
        v.update_snapshot(snap)
    texts = {                                            # (context, English source) -> what shows it now
        ("FieldView", "Remove mode"): lambda: f.action_remove.text(),
        ("FieldView", "Mode centre of p_data: drag to move it, wheel or right-click to change its std, right-click "
                      "to remove it. Double-click empty space to add a mode."): lambda: f.markers[0].toolTip(),
        ("CurvesView", "log 2 = max"): lambda: c.ref_text("log2"),
        ("CurvesView", "all modes"): lambda: c.ref_text("cov1"),
        ("CurvesView", "Norm of the generator's gradient (log scale): it vanishes when D is too good with the "
                       "minimax loss."): lambda: c.plot_grad.toolTip(),
        ("TheoryView", "critic (scaled)"): lambda: t.plot_d.titleLabel.text,
        ("TheoryView", "D − D* needs D* (see the middle panel)."): lambda: t.note_diff.toPlainText(),
    }
    for (_, source), shown_text in texts.items():
        assert shown_text() == source
    app = QtWidgets.QApplication.instance()
    assert language.install_translator(app, "ru") == "ru"
    QtWidgets.QApplication.processEvents()               # Qt posts LanguageChange to every window
    for (context, source), shown_text in texts.items():
        assert shown_text() == russian(context, source) != source, source
    assert russian("TheoryView", "V(G, D): n/a (the critic is not a probability)") in t.caption_text()
    language.install_translator(app, "en")
    QtWidgets.QApplication.processEvents()
    for (_, source), shown_text in texts.items():
        assert shown_text() == source


# ============================================================ TheoryView
def test_theory_panels_show_d_dstar_and_difference(qtbot):
    from dataclasses import replace

    from ganlab.core.value import SampleValue

    t = shown(qtbot, TheoryView(), 1100, 420)
    snap = replace(make_snapshot(), value=SampleValue(-0.4321, 0.0123, -0.2, -0.2321, 400, 400))
    t.update_snapshot(snap)
    dstar = snap.theory.dstar
    img = t.image_dstar.image
    finite = np.isfinite(dstar)
    assert finite.any() and (~finite).any()           # the test covers masked cells too
    np.testing.assert_array_equal(img[finite], dstar[finite])
    assert np.isnan(img[~finite]).all()               # NaN: drawn transparent over the grey panel
    np.testing.assert_array_equal(t.image_d.image, snap.d_prob)
    diff = t.image_diff.image
    np.testing.assert_allclose(diff[finite], (snap.d_prob - dstar)[finite], rtol=1e-6)
    assert tuple(t.image_diff.getLevels()) == (-1.0, 1.0)
    assert t.dstar_shown() and t.image_diff.isVisible() and not t.note_dstar.isVisible()
    text = t.caption_text()
    assert f"{snap.theory.jsd:.4f}" in text
    assert "-log 4" in text.replace("−", "-")
    assert f"{snap.theory.bandwidth:.3g}" in text
    assert "V(G, D) = -0.4321 ± 0.0123" in text.replace("−", "-")       # from samples, not the grid integral
    assert f"{snap.theory.v_estimate:.4f}" not in text
    assert "smoothed" in text and "lower bound" in text
    titles = [p.titleLabel.text for p in t.plots]
    assert titles == ["D(x)", "D*(x)", "D − D*"]                 # short: the formulas are in the tooltips
    assert "p_data(x) / (p_data(x) + p_g(x))" in t.plot_dstar.toolTip()
    # the three panels frame the same grid at the same scale, and stay there (no pan or zoom)
    QtWidgets.QApplication.processEvents()
    check_theory_geometry(t, snap.grid)
    assert not any(p.getViewBox().state["mouseEnabled"][0] for p in t.plots)


def check_theory_geometry(t, g) -> None:
    """Three equal square panels showing exactly the grid, side by side in the view, titles not
    overlapping, colour bars and caption inside the view and below the panels."""
    rects = t.panel_rects()
    for r in rects:
        assert r.width() == pytest.approx(rects[0].width(), abs=0.5)
        assert r.height() == pytest.approx(rects[0].height(), abs=0.5)
        assert r.width() == pytest.approx(r.height(), abs=1.0)
    assert rects[0].right() < rects[1].left() and rects[1].right() < rects[2].left()
    for p in t.plots:
        (x0, x1), (y0, y1) = p.getViewBox().viewRange()
        assert (x0, x1, y0, y1) == pytest.approx((g.xmin, g.xmax, g.ymin, g.ymax), abs=1e-6)
    view = QtCore.QRectF(t.canvas.viewport().rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    titles = [p.titleLabel.item.mapRectToScene(p.titleLabel.item.boundingRect()) for p in t.plots]
    for a, b in zip(titles, titles[1:], strict=False):
        assert a.right() <= b.left()
    items = [t.colorbar, t.diff_colorbar, t.caption, *t.plots]
    for item in items:
        assert view.contains(item.sceneBoundingRect()), item
    bottom = max(r.bottom() for r in rects)
    for item in (t.colorbar, t.diff_colorbar, t.caption):
        assert item.sceneBoundingRect().top() >= bottom
    # the caption never breaks inside a formula: each of its lines is one whole cell
    assert t.caption.rect().width() <= view.width()


@pytest.mark.parametrize("size", [(640, 526), (590, 370), (450, 330), (880, 340), (1100, 420)])
@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_theory_layout_at_window_sizes(qtbot, size, scale):
    t = shown(qtbot, TheoryView(scale=scale), *size)
    snap = make_snapshot()
    t.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    check_theory_geometry(t, snap.grid)
    # the panels use the room: limited by the width or by the height
    w = t.panel_rects()[0].width()
    assert w > 0.2 * size[0] or w > 0.4 * size[1]


@pytest.mark.parametrize("loss", ["hinge", "wgan-gp"])
def test_theory_no_closed_form_hides_dstar(qtbot, loss):
    t = shown(qtbot, TheoryView(), 1100, 420)
    t.update_snapshot(make_snapshot())
    t.update_snapshot(make_snapshot(loss=loss))
    assert not core_losses.has_closed_form_dstar(loss)
    assert not t.image_dstar.isVisible() and not t.image_diff.isVisible()
    assert not t.dstar_shown()
    assert t.note_dstar.isVisible()
    assert t.note_dstar.toPlainText() == no_dstar_text(loss)
    assert t.note_dstar.toPlainText().startswith(f"No closed-form optimal discriminator for {loss}")
    assert "critic" in t.plot_d.titleLabel.text
    assert "n/a" in t.caption_text()
    # and back
    t.update_snapshot(make_snapshot(loss="lsgan"))
    assert t.dstar_shown() and not t.note_dstar.isVisible()


def test_theory_off(qtbot):
    t = shown(qtbot, TheoryView(), 1100, 420)
    t.update_snapshot(make_snapshot(theory=False))
    assert not t.dstar_shown() and t.note_dstar.toPlainText() == NO_THEORY_TEXT
    assert "Theory off" in t.caption_text()


# ============================================================ CurvesView
def test_curves_decimate_long_history_and_keep_spikes(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1200, 800)
    n = 200_000
    rng = np.random.default_rng(0)
    steps = np.arange(1, n + 1, dtype=float)
    loss_d = 1.3 + 0.05 * rng.standard_normal(n)
    loss_d[123_457] = 1000.0                               # one spike
    loss_g = 0.7 + 0.05 * rng.standard_normal(n)
    loss_g[99_999] = -50.0                                 # one dip
    grad = np.exp(rng.standard_normal(n))
    losses = history_dict(LOSS_COLUMNS, np.column_stack([steps, loss_d, loss_g, grad]))
    snap = make_snapshot(losses=losses)
    c.update_snapshot(snap)
    x, y = c.s_loss_d.curve.getData()
    assert 100 < len(x) <= 4001
    assert len(x) <= c.max_points() + 1
    assert y.max() == 1000.0
    assert x[np.argmax(y)] == 123_458.0
    assert np.all(np.diff(x) >= 0)
    assert x[0] >= 1 and x[-1] == n
    xg, yg = c.s_loss_g.curve.getData()
    assert yg.min() == -50.0
    xn, yn = c.s_grad.curve.getData()
    assert len(xn) <= 4001
    np.testing.assert_allclose(yn.max(), np.log10(grad.max()))


@pytest.mark.parametrize("n", [3894, 2884, 10_001, 200_003])
def test_curves_early_history_is_not_a_few_straight_lines(qtbot, monkeypatch, n):
    """A long run's first iterations are drawn at the same resolution as the rest. decimate() gives the
    n % buckets oldest rows a single bucket (up to a third of the run: 810 of 3894 iterations at 2060
    points), which drew the start of the run as two or three straight segments."""
    c = shown(qtbot, CurvesView(max_fps=None), 1200, 340)
    budget = 2060
    monkeypatch.setattr(c, "max_points", lambda: budget)
    steps = np.arange(1, n + 1, dtype=float)
    rng = np.random.default_rng(1)
    rows = np.column_stack([steps, 1.3 + 0.1 * rng.standard_normal(n), 0.7 + 0.1 * rng.standard_normal(n),
                            np.exp(rng.standard_normal(n))])
    c.update_snapshot(make_snapshot(losses=history_dict(LOSS_COLUMNS, rows)))
    for series in (c.s_loss_d, c.s_loss_g, c.s_grad):
        x, _ = series.curve.getData()
        assert len(x) <= budget + 1
        gaps = np.diff(x)
        bucket = n / ((budget - 4) // 2)                     # iterations per min/max bucket
        assert gaps.max() <= 2.5 * bucket, (series.column, gaps.max(), bucket)
        early = x[x <= 0.25 * n]                             # the first quarter is drawn as densely as the rest
        assert len(early) >= 0.2 * len(x)


@pytest.mark.parametrize("size,cols", [((1224, 340), 3), ((1030, 250), 3), ((1280, 240), 3), ((900, 860), 2),
                                       ((640, 560), 2)])
@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_curves_grid_layout(qtbot, size, cols, scale):
    """Six plots in a grid that suits the area, columns aligned, iteration ticks only under the bottom row,
    titles (the legends) that fit their plots, no legend boxes over the data."""
    c = shown(qtbot, CurvesView(max_fps=None, scale=scale), *size)
    n = 3000
    c.update_snapshot(make_snapshot(losses=history_dict(LOSS_COLUMNS, np.column_stack(
        [np.arange(n, dtype=float), np.full(n, 1.3), np.full(n, 0.8), np.ones(n)]))))
    QtWidgets.QApplication.processEvents()
    assert c.columns() == cols
    rows = math.ceil(len(c.plots) / cols)
    boxes = [p.getViewBox().sceneBoundingRect() for p in c.plots]
    for i, p in enumerate(c.plots):
        bottom_row = i // cols == rows - 1
        assert p.getAxis("bottom").isVisible() == bottom_row
        assert p.legend is None
        same_col = boxes[i % cols]
        assert boxes[i].left() == pytest.approx(same_col.left(), abs=1) and \
            boxes[i].width() == pytest.approx(same_col.width(), abs=1)
        assert boxes[i].height() > 25 * scale
        plain = QtGui.QTextDocumentFragment.fromHtml(p.titleLabel.text).toPlainText()
        fm = QtGui.QFontMetricsF(style.font(scale))
        assert fm.horizontalAdvance(plain) <= p.sceneBoundingRect().width(), plain
    widths = [b.width() for b in boxes]
    assert max(widths) - min(widths) < 1.5                        # equal columns: one time scale everywhere
    assert "L_D" in c.plot_loss.titleLabel.text and style.REAL in c.plot_loss.titleLabel.text
    # few y labels: at least a text line apart
    for p in c.plots:
        ax = p.getAxis("left")
        (y0, y1) = p.getViewBox().viewRange()[1]
        spacing = ax.tickSpacing(y0, y1, ax.height())[0][0]
        px_per_tick = spacing / (y1 - y0) * ax.height()
        assert px_per_tick >= 1.1 * QtGui.QFontMetricsF(ax.style["tickFont"]).height() or \
            math.floor(y1 / spacing) - math.ceil(y0 / spacing) < 1


def test_curves_nan_and_inf_are_gaps(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 900, 800)
    n = 300
    steps = np.arange(n, dtype=float)
    loss_d = np.linspace(1.0, 2.0, n)
    loss_d[10:20] = np.nan
    loss_d[50] = np.inf
    loss_g = np.full(n, np.nan)                          # a column of NaN: nothing drawn, no error
    grad = np.linspace(0.0, 1.0, n)                      # log10(0) = -inf: a gap, not a value
    losses = history_dict(LOSS_COLUMNS, np.column_stack([steps, loss_d, loss_g, grad]))
    m = 30
    mrows = np.full((m, len(METRIC_COLUMNS)), np.nan)
    mrows[:, 0] = np.arange(m) * 10
    mrows[:, 1] = np.linspace(0.6, 0.1, m)
    mrows[5, 1] = np.nan
    mrows[:, 2] = -1.0
    mrows[:, 3] = -1.2
    mrows[:, 6] = 5
    mrows[:, 7] = 0.5
    metrics = history_dict(METRIC_COLUMNS, mrows)
    snap = make_snapshot(losses=losses, metrics=metrics)
    c.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    c.grab()                                             # paint: NaN must not break drawing
    x, y = c.s_loss_d.curve.getData()
    assert c.s_loss_d.curve.opts["connect"] == "finite"
    assert not np.isinf(y).any()
    ok = np.isfinite(y)
    np.testing.assert_array_equal(y[ok], loss_d[np.isfinite(loss_d)])
    assert np.isnan(y[10:20]).all() and np.isnan(y[50])
    xg = c.s_loss_g.curve.getData()[0]
    assert xg is None or len(xg) == 0
    xg, yg = c.s_grad.curve.getData()
    assert not np.isinf(yg).any() and np.isnan(yg[0])
    xj, yj = c.s_jsd.curve.getData()
    assert np.isnan(yj[5]) and np.isfinite(np.delete(yj, 5)).all()
    _, ym = c.s_modes.curve.getData()
    np.testing.assert_allclose(ym, 5 / 8)
    assert c.modes_text() == f"modes captured {snap.coverage.modes_captured}/8"


def test_curves_skip_redraw_and_throttle(qtbot, monkeypatch):
    c = shown(qtbot, CurvesView(max_fps=10), 900, 800)
    calls = []
    orig = c.s_loss_d.curve.setData
    monkeypatch.setattr(c.s_loss_d.curve, "setData", lambda *a, **k: (calls.append(1), orig(*a, **k)))

    def snap_with(n):
        rows = np.column_stack([np.arange(n, dtype=float), np.ones(n), np.ones(n), np.ones(n)])
        return make_snapshot(losses=history_dict(LOSS_COLUMNS, rows), theory=False)

    s1 = snap_with(10)
    c.update_snapshot(s1)
    assert len(calls) == 1
    c.update_snapshot(s1)                                # same length: no redraw
    c.update_snapshot(snap_with(10))
    assert len(calls) == 1
    c.update_snapshot(snap_with(11))                     # within 1/max_fps: deferred ...
    c.update_snapshot(snap_with(12))
    assert len(calls) == 1
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)   # ... and the latest one is drawn
    assert len(c.s_loss_d.curve.getData()[0]) == 12
    c.clear()
    assert len(c.s_loss_d.curve.getData()[0]) == 0


def test_curves_zoom_shows_detail(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1000, 800)
    n = 100_000
    rows = np.column_stack([np.arange(n, dtype=float), np.sin(np.arange(n) / 50.0), np.zeros(n), np.ones(n)])
    c.update_snapshot(make_snapshot(losses=history_dict(LOSS_COLUMNS, rows), theory=False))
    x, _ = c.s_loss_d.curve.getData()
    assert ((x >= 50_000) & (x <= 50_500)).sum() < 100     # decimated over the whole run
    c.plot_jsd.setXRange(50_000, 50_200, padding=0)      # zoom in any of the linked plots
    qtbot.waitUntil(lambda: ((c.s_loss_d.curve.getData()[0] >= 50_000)
                             & (c.s_loss_d.curve.getData()[0] <= 50_200)).sum() == 201, timeout=2000)
    assert not c.following()
    c.plot_loss.enableAutoRange(x=True)
    qtbot.waitUntil(lambda: c.s_loss_d.curve.getData()[0][-1] == n - 1 and
                    len(c.s_loss_d.curve.getData()[0]) < 4001, timeout=2000)


def test_curves_reference_lines_labelled_in_plot(qtbot):
    c = shown(qtbot, CurvesView(), 900, 800)
    labels = {k: c.ref_text(k) for k in c.ref_lines}
    assert labels["log2"] == "log 2 = max"
    assert labels["eq"].replace("−", "-") == "-log 4 = equilibrium"
    assert c.ref_lines["log2"].value() == pytest.approx(math.log(2))
    assert c.ref_lines["eq"].value() == pytest.approx(-math.log(4))
    assert c.ref_lines["jsd0"].value() == 0.0
    assert c.plot_loss.getViewBox() is c.plot_grad.getViewBox().linkedView(0)
    # every visible label lies wholly inside its plot, on the side of its line that is in view
    c.update_snapshot(make_snapshot(losses=history_dict(LOSS_COLUMNS, np.column_stack(
        [np.arange(50.0), np.full(50, 1.3), np.full(50, 0.8), np.ones(50)]))))
    QtWidgets.QApplication.processEvents()
    for key, line in c.ref_lines.items():
        label = line.ref_label
        if not label.isVisible():
            continue
        vb = label.vb
        assert vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(label.sceneBoundingRect()), key


# ============================================================ all views, many frames
def test_many_frames_all_views_live_training(qtbot, live):
    trainer, observer = live
    field = shown(qtbot, FieldView(), 480, 480)
    theory = shown(qtbot, TheoryView(), 840, 320)
    curves = shown(qtbot, CurvesView(), 640, 560)
    field.set_layers(Layers(push=True, manifold=True))
    moves = []

    def apply_move(i, x, y):                             # what the app's wiring will do
        trainer.set_target(trainer.target.moved(i, (x, y)))
        observer.target_changed(structural=False)
        moves.append((i, x, y))

    field.sigModeMoved.connect(apply_move)
    snap = None
    for k in range(300):
        trainer.step(1)
        snap = observer.take(theory=(k % 10 == 0), push=(k % 2 == 0), manifold=(k % 5 == 0))
        for v in (field, theory, curves):
            v.update_snapshot(snap)
        if k == 150:
            drag(field, tuple(snap.target.means[0]), (0.3, 0.4), steps=6)
        QtWidgets.QApplication.processEvents()
    curves.flush()
    QtWidgets.QApplication.processEvents()
    for v in (field, theory, curves):
        v.grab()
    assert moves and moves[-1][0] == 0
    np.testing.assert_allclose(snap.target.means[0], moves[-1][1:])
    np.testing.assert_allclose(field.markers[0].pos().x(), moves[-1][1])
    np.testing.assert_array_equal(field.fake_item.getData()[0], snap.fake[:, 0])
    np.testing.assert_array_equal(field.real_item.getData()[1], snap.real[:, 1])
    np.testing.assert_array_equal(field.image.image, snap.d_prob)
    x, _ = curves.s_loss_d.curve.getData()
    assert x[-1] == snap.losses["step"][-1] == trainer.iteration
    xj, _ = curves.s_jsd.curve.getData()
    assert xj[-1] == snap.metrics["step"][-1]
    last_theory = observer.metrics.last()
    assert f"{last_theory['jsd']:.4f}" in theory.caption_text()


def test_heatmaps_paint_true_colour_from_a_device_cache_and_show_the_lut_colours(qtbot):
    """pyqtgraph renders a lookup-table image as Indexed8, which QPainter scales ~6x slower than RGB32 while
    holding the GIL; the field's heatmap also repaints under every cloud frame. HeatmapItem converts once
    per image and lets Qt blit a device cache; the pixels on screen are still the colour map's."""
    from ganlab.app.views._items import HeatmapItem

    f = shown(qtbot, FieldView())
    t = shown(qtbot, TheoryView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    t.update_snapshot(snap)
    for item in (f.image, t.image_d, t.image_dstar, t.image_diff):
        assert isinstance(item, HeatmapItem)
        assert item.cacheMode() == QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
        item.render()
        assert item.qimage.format() in (QtGui.QImage.Format.Format_RGB32,
                                        QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    # the colour on screen at a grid cell is the colour map's colour for D there
    f.set_layers(Layers(real=False, fake=False))
    for m in f.markers:
        m.hide()
    QtWidgets.QApplication.processEvents()
    g = snap.grid
    i, j = 20, 41
    x = g.xmin + (j + 0.5) * (g.xmax - g.xmin) / g.n
    y = g.ymin + (i + 0.5) * (g.ymax - g.ymin) / g.n
    pt = to_viewport(f, x, y)
    shot = f.plot_widget.viewport().grab().toImage()
    dpr = shot.devicePixelRatio()
    got = shot.pixelColor(int(pt.x() * dpr), int(pt.y() * dpr))
    want = style.d_colormap().map(float(snap.d_prob[i, j]), mode="qcolor")
    assert abs(got.red() - want.red()) <= 6 and abs(got.green() - want.green()) <= 6
    assert abs(got.blue() - want.blue()) <= 6


def test_views_paint_from_qt_without_python_paint_events_and_still_prepare_the_scene(qtbot):
    """pyqtgraph's GraphicsView.paintEvent (Python) held the GIL through all of Qt's C++ painting; ganlab's
    views use Qt's own paintEvent and prepare the scene from a viewport event filter instead, so a changed
    view range is still applied before the paint (ViewBox.prepareForPaint)."""
    from ganlab.app.views._items import ResizingGraphicsView, ScaledPlotWidget
    from ganlab.app.views.curves_view import _LayoutWidget

    for cls in (ScaledPlotWidget, ResizingGraphicsView, _LayoutWidget):
        assert cls.paintEvent is QtWidgets.QGraphicsView.paintEvent
    f = shown(qtbot, FieldView())
    f.update_snapshot(make_snapshot())
    calls = []
    f.plot_widget.scene().sigPrepareForPaint.connect(lambda: calls.append(1))
    f.view.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0)
    shot = f.plot_widget.viewport().grab()
    assert calls  # the filter prepared the scene for that paint
    assert not shot.isNull()
    # the paint shows the new range: the marker at (2, 0) is outside it, the view's transform maps 0..1
    (x0, x1), _ = f.view.viewRange()
    assert (x0, x1) == pytest.approx((0.0, 1.0))


def test_field_skips_an_unchanged_real_cloud_and_qt_caches_it_and_the_axes(qtbot):
    """Snapshots carry the same real array until the target changes: the field must not reload it, Qt keeps
    it (and every axis) as a device pixmap, so that frames of the generated cloud call no Python for them."""
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    calls = []
    orig = f.real_item.setData
    f.real_item.setData = lambda **kw: calls.append(kw) or orig(**kw)
    f.update_snapshot(dataclasses.replace(make_snapshot(seed=2, iteration=3), real=snap.real))
    assert calls == []                                              # the same array object: skipped
    new = make_snapshot(seed=4)
    f.update_snapshot(new)
    assert len(calls) == 1
    np.testing.assert_array_equal(f.real_item.getData()[0], new.real[:, 0])
    cache = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert f.real_item.cacheMode() == cache and f.fake_item.cacheMode() != cache   # the fake one changes
    axes = [a["item"] for p in (f.plot, f.colorbar) for a in p.axes.values()]
    assert axes and all(a.cacheMode() == cache for a in axes)


def test_theory_and_curves_axes_are_cached(qtbot):
    cache = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
    t = shown(qtbot, TheoryView(), 900, 400)
    c = shown(qtbot, CurvesView(max_fps=None), 900, 700)
    plots = (t.plot_d, t.plot_dstar, t.plot_diff, t.colorbar, t.diff_colorbar, *c.plots)
    assert all(a["item"].cacheMode() == cache for p in plots for a in p.axes.values())


def test_cloud_drawn_without_the_gil_matches_pyside6_pixel_for_pixel(qtbot):
    """The generated cloud is rasterised through ctypes (the GIL released); it must be exactly what
    PySide6's drawPixmapFragments draws, with a partly culled cloud and a device pixel ratio of 1."""
    from ganlab.app.views import _items

    assert _items.draw_fragments is not None            # Linux: the fast path is in use
    rng = np.random.default_rng(5)
    item = _items.PointCloudItem(size=7.0, pen=style.pen(style.FAKE_EDGE, 1.0), brush=style.brush(style.FAKE))
    item.setData(pos=rng.normal(0.0, 60.0, (3000, 2)))  # some points fall outside the image: culled
    scene = QtWidgets.QGraphicsScene()
    scene.addItem(item)
    images = []
    for gil_free in (True, False):
        item.gil_free = gil_free
        img = QtGui.QImage(240, 180, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        painter = QtGui.QPainter(img)
        scene.render(painter, QtCore.QRectF(0, 0, 240, 180), QtCore.QRectF(-120, -90, 240, 180))
        painter.end()
        images.append(np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).copy())
    assert np.count_nonzero(images[1]) > 10_000          # markers were drawn at all
    np.testing.assert_array_equal(images[0], images[1])
    with pytest.raises(ValueError):
        _items.draw_fragments(QtGui.QPainter(), np.zeros((3, 9)), QtGui.QPixmap())


def test_field_range_holds_still_while_a_mode_is_dragged_and_frames_the_new_grid_at_the_drop(qtbot):
    """The grid follows the target: a mode dragged towards an edge grows it. Reframing during the drag moved the
    range under the mouse, so the same pixel meant a farther point and the mode ran away from it."""
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    before = [list(r) for r in f.view.viewRange()]
    far = make_snapshot(target=snap.target.moved(0, (7.0, 0.0)))       # what the drag leads to: a wider grid
    assert far.grid.xmax > snap.grid.xmax + 3
    vp = f.plot_widget.viewport()
    a = to_viewport(f, *snap.target.means[0])
    move(vp, a)
    press(vp, a)
    for k in range(1, 6):
        move(vp, a + QtCore.QPointF(6.0 * k, 0.0), Qt.MouseButton.LeftButton)
    assert f.modes.is_dragging()
    f.update_snapshot(far)
    for got, want in zip(f.view.viewRange(), before, strict=True):
        assert got == pytest.approx(want)
    release(vp, a + QtCore.QPointF(30.0, 0.0))
    QtWidgets.QApplication.processEvents()
    assert not f.modes.is_dragging()
    (x0, x1), _ = f.view.viewRange()                                     # framed at the drop, no snapshot needed
    assert x1 >= far.grid.xmax - 1e-6 and x0 <= far.grid.xmin + 1e-6
