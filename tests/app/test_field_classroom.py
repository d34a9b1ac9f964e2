"""What a class noticed on the field (issue 12): the generated cloud hidden under the real one, samples leaving
the view without a sign, no legend, a hover read-out frozen while training, a mode menu that does not say
which mode, and no way to draw a target by hand. Each test sets up the situation and checks the values."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from qtinput import drag, move, press, record, release, to_viewport
from snapshots import drawn_labels, make_snapshot, shown

from ganlab.app import style
from ganlab.app.views import FieldView, _items, brush, range_fit
from ganlab.core.grid import Grid
from ganlab.core.presets import ring
from ganlab.core.target import GaussianMixture

SPACING = brush.SPACING_SHARE * 6.0        # the brush's spacing on the preset's 6-wide view


def with_clouds(snap, real=None, fake=None):
    if real is not None:
        snap.real = np.asarray(real, dtype=np.float32)
    if fake is not None:
        snap.fake = np.asarray(fake, dtype=np.float32)
    return snap


def tight(centre, n=300, std=0.04, seed=0):
    return np.random.default_rng(seed).normal(0.0, std, (n, 2)) + np.asarray(centre)


# ============================================================ 1. draw order
def test_generated_points_are_drawn_over_the_real_ones_and_show_on_the_data(qtbot):
    f = shown(qtbot, FieldView(), 500, 500)
    assert f.real_item.zValue() < f.fake_item.zValue() < f.ring_item.zValue()
    assert f.fake_item._brush.color().alpha() == style.FAKE_ALPHA < 255    # the real cloud shows through ...
    assert f.fake_item._pen.color().alpha() == 255                          # ... each generated point keeps its rim
    assert isinstance(f.fake_item, _items.PointCloudItem) and f.fake_item.gil_free   # the fast path stays
    f.update_snapshot(make_snapshot())
    assert all(m.zValue() > f.fake_item.zValue() for m in f.markers)
    assert f.markers[0].halo.color().alpha() == style.MARKER_HALO_ALPHA < 255

    # G has matched a tight mode exactly (the teacher's "few stray orange dots"): orange shows at its centre
    centre = (0.8, -0.8)                                  # no marker there
    cloud = tight(centre)
    f.update_snapshot(with_clouds(make_snapshot(), real=cloud, fake=cloud.copy()))
    QtWidgets.QApplication.processEvents()
    img = f.plot_widget.grab().toImage()
    c = to_viewport(f, *centre)
    dpr = img.devicePixelRatio()
    px = img.pixelColor(int(round(c.x() * dpr)), int(round(c.y() * dpr)))
    assert px.red() > px.blue() + 80 and px.green() > px.blue()          # orange (230, 159, 0), not blue
    # and a real sample with no generated one over it stays plain blue
    lone = (-0.8, -0.8)
    f.update_snapshot(with_clouds(make_snapshot(), real=tight(lone), fake=cloud.copy()))
    QtWidgets.QApplication.processEvents()
    img = f.plot_widget.grab().toImage()
    c = to_viewport(f, *lone)
    px = img.pixelColor(int(round(c.x() * dpr)), int(round(c.y() * dpr)))
    real = QtGui.QColor(style.REAL)
    assert abs(px.red() - real.red()) + abs(px.green() - real.green()) + abs(px.blue() - real.blue()) < 60


# ============================================================ 3. off view, Fit
def test_the_field_counts_generated_samples_off_view_and_says_where(qtbot):
    f = shown(qtbot, FieldView())
    fake = tight((0.0, 0.0), n=400)
    fake[:100] += (10.0, 0.0)                 # 25 % far right
    fake[100:120] += (0.0, -9.0)              # 5 % below
    fake[120] = np.nan                        # not a place: not counted
    f.update_snapshot(with_clouds(make_snapshot(), fake=fake))
    off = f.off_view
    assert (off.count, off.total) == (120, 399)
    assert off.sides == (("right", 100), ("below", 20))
    assert f.off_view_box.isVisible()
    assert f.off_view_box.text() == "30% of generated samples off view →↓"
    assert "120 of 399" in f.off_view_box.toolTip()
    # the box sits inside the plot area, at its bottom right
    box, vb = f.off_view_box.sceneBoundingRect(), f.view.sceneBoundingRect()
    assert vb.contains(box) and box.center().x() > vb.center().x() and box.center().y() > vb.center().y()
    # a zoom by hand counts again at once
    f.view.setRange(xRange=(-20, 20), yRange=(-20, 20), padding=0)
    assert f.off_view.count == 0 and not f.off_view_box.isVisible()
    f.reset_view()
    assert f.off_view.count == 120
    # one sample of many: "<1%", never "0%"
    few = tight((0.0, 0.0), n=1000)
    few[0] = (50.0, 50.0)
    f.update_snapshot(with_clouds(make_snapshot(), fake=few))
    assert f.off_view_box.text() == "<1% of generated samples off view →↑"
    # the generated layer hidden: nothing to count
    f.set_layers(f.layers().with_layer("fake", False))
    assert f.off_view.count == 0 and not f.off_view_box.isVisible()


def test_fit_takes_in_the_cloud_and_the_target_then_goes_back_to_the_preset_range(qtbot):
    f = shown(qtbot, FieldView())
    target = ring(8).with_mode((4.5, 0.0), std=0.2)                # a mode dragged past the preset's range
    snap = make_snapshot(target=GaussianMixture(ring(8).means, 0.05))
    grid = snap.grid
    fake = tight((0.0, 0.0), n=400)
    fake[:50] += (7.0, 5.0)
    snap = with_clouds(snap, fake=fake)
    snap.target = target
    f.update_snapshot(snap)
    assert f.off_view.count == 50
    f.action_fit.trigger()                                         # the button / F
    assert f.fit_on() and f.action_fit.isChecked()
    (x0, x1), (y0, y1) = f.view.viewRange()
    assert x0 <= fake[:, 0].min() and fake[:, 0].max() <= x1 and y0 <= fake[:, 1].min() and fake[:, 1].max() <= y1
    assert x1 >= 4.5 + 3 * 0.2                                     # the dragged mode, 3 std around it
    assert x0 <= grid.xmin and y0 <= grid.ymin                     # never narrower than the preset's range
    assert x1 - x0 == pytest.approx(y1 - y0, rel=1e-3)             # the grid's aspect (square)
    assert f.off_view.count == 0 and not f.off_view_box.isVisible()
    # Fit follows: the cloud goes further, the next snapshot widens the view
    further = fake.copy()
    further[:50] += (20.0, 0.0)
    f.update_snapshot(with_clouds(make_snapshot(target=target), fake=further))
    assert f.view.viewRange()[0][1] >= further[:, 0].max() and f.off_view.count == 0
    # ... a small wobble does not re-range (no swimming picture)
    before = f.view.viewRange()
    f.update_snapshot(with_clouds(make_snapshot(target=target), fake=further * 0.98))
    assert f.view.viewRange() == before
    # ... and when everything is back inside the grid, Fit shows exactly the preset's range
    home = make_snapshot()
    f.update_snapshot(with_clouds(home, fake=tight((0.0, 0.0))))
    (x0, x1), (y0, y1) = f.view.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((grid.xmin, grid.xmax, grid.ymin, grid.ymax), abs=1e-6)
    # off again: the snapshot's grid (the target's own range), whatever the cloud does
    last = with_clouds(make_snapshot(target=target), fake=further)
    f.update_snapshot(last)
    f.set_fit(False)
    assert not f.action_fit.isChecked()
    g = last.grid
    (x0, x1), (y0, y1) = f.view.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((g.xmin, g.xmax, g.ymin, g.ymax), abs=0.02)
    assert f.off_view.count == 50


def test_a_click_on_the_off_view_count_fits_and_a_pan_by_hand_ends_fit(qtbot):
    f = shown(qtbot, FieldView())
    fake = tight((0.0, 0.0), n=200)
    fake[:20] += (0.0, 9.0)
    f.update_snapshot(with_clouds(make_snapshot(), fake=fake))
    vp = f.plot_widget.viewport()
    p = QtCore.QPointF(f.plot_widget.mapFromScene(f.off_view_box.sceneBoundingRect().center()))
    added = record(f.sigModeAdded)
    move(vp, p)
    press(vp, p)
    release(vp, p)
    QtWidgets.QApplication.processEvents()
    assert f.fit_on() and f.off_view.count == 0 and added == []
    f.view.setRange(xRange=(-1.0, 1.0), yRange=(-1.0, 1.0), padding=0)
    f.view.sigRangeChangedManually.emit([True, True])              # what a wheel zoom or a pan sends
    assert not f.fit_on() and not f.action_fit.isChecked()
    (x0, x1), _ = f.view.viewRange()
    assert (x0, x1) == pytest.approx((-1.0, 1.0), abs=0.01)        # the user's range stays
    assert f.off_view.count == 20                                  # and the count says what it leaves out


def test_range_fit_functions():
    grid = Grid(-3.0, 3.0, -3.0, 3.0, 32)
    assert range_fit.fit_range(grid, tight((0, 0), n=50), ring(8)) == (-3.0, 3.0, -3.0, 3.0)
    box = range_fit.fit_range(grid, np.array([[10.0, 0.0], [np.inf, 0.0]]), None)
    assert box[1] > 10.0 and box[1] - box[0] == pytest.approx(box[3] - box[2]) and np.isfinite(box).all()
    assert range_fit.needs_refit((-3, 3, -3, 3), (-3, 3.5, -3, 3))
    assert not range_fit.needs_refit((-3, 3, -3, 3), (-3, 3, -3, 3))
    assert range_fit.needs_refit((-30, 30, -30, 30), (-3, 3, -3, 3))
    assert range_fit.off_view(None, (-1, 1), (-1, 1)) == range_fit.OffView()


# ============================================================ 7. legend
class _Pseudo(QtCore.QTranslator):
    """Every FieldView text as "RU:" + its source: shows which texts follow the language."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return "RU:" + source if context == "FieldView" else None

    def isEmpty(self):
        return False


def test_the_legend_explains_the_marks_on_screen_and_follows_the_language(qtbot):
    f = shown(qtbot, FieldView(), 700, 700)
    f.update_snapshot(make_snapshot())
    QtWidgets.QApplication.processEvents()
    texts = f.legend.texts()
    assert texts == ["real samples (p_data)", "generated samples (p_g), drawn on top", "mode centre: drag it",
                     "ring: 2 std of the mode", "grey in D*: no samples there"]
    assert "Grey in the D* panels" in f.legend.toolTip()
    # under the plot area, never over a sample: the plot keeps its square and the grid's range
    leg, vb = f.legend.sceneBoundingRect(), f.view.sceneBoundingRect()
    assert leg.top() >= vb.bottom() and leg.height() > 20
    assert vb.width() == pytest.approx(vb.height(), abs=1.0)
    assert QtCore.QRectF(f.plot_widget.viewport().rect()).contains(leg.adjusted(1, 1, -1, -1))
    # narrow: the short texts, still all five entries
    f.resize(330, 330)
    QtWidgets.QApplication.processEvents()
    assert f.legend.texts()[:2] == ["real", "generated"] and len(f.legend.texts()) == 5
    f.resize(700, 700)
    QtWidgets.QApplication.processEvents()
    # the language changes: every text of the legend and of the tools follows
    app = QtWidgets.QApplication.instance()
    pseudo = _Pseudo()
    app.installTranslator(pseudo)
    try:
        QtWidgets.QApplication.processEvents()
        assert all(t.startswith("RU:") for t in f.legend.texts()), f.legend.texts()
        assert f.legend.toolTip().startswith("RU:")
        assert f.action_fit.text() == "RU:Fit" and f.action_brush.text() == "RU:Brush"
        assert f.tools.buttons[0].text() == "RU:Fit"
    finally:
        app.removeTranslator(pseudo)
        QtWidgets.QApplication.processEvents()
    assert f.legend.texts() == texts and f.action_fit.text() == "Fit"
    # hidden: its row takes no room and the plot grows (a wide field: its height limits the plot)
    f.resize(900, 560)
    QtWidgets.QApplication.processEvents()
    h = f.view.sceneBoundingRect().height()
    f.action_legend.trigger()
    QtWidgets.QApplication.processEvents()
    assert not f.legend.isVisible() and f.view.sceneBoundingRect().height() > h


# ============================================================ 9. hover
def test_the_hover_read_out_follows_each_snapshot_while_the_mouse_stands_still(qtbot):
    f = shown(qtbot, FieldView())
    far = np.full((50, 2), 2.8, dtype=np.float32)                  # no sample near the mouse
    snap = with_clouds(make_snapshot(seed=0), real=far, fake=far)
    f.update_snapshot(snap)
    g = snap.grid
    ix, iy = 7, g.n - 7                                            # empty space: (x, y) and D there
    cell = (g.xmax - g.xmin) / g.n
    xy = (g.xmin + (ix + 0.5) * cell, g.ymin + (iy + 0.5) * cell)  # a cell's centre: the mouse is within it
    move(f.plot_widget.viewport(), to_viewport(f, *xy))
    text = f.hover_text.textItem.toPlainText()
    assert text.endswith(f"D = {snap.d_prob[iy, ix]:.3f}")
    snap2 = with_clouds(make_snapshot(seed=7), real=far, fake=far)   # D has changed under the mouse
    assert f"{snap2.d_prob[iy, ix]:.3f}" != f"{snap.d_prob[iy, ix]:.3f}"
    f.update_snapshot(snap2)                                       # no mouse move
    assert f.hover_text.textItem.toPlainText().endswith(f"D = {snap2.d_prob[iy, ix]:.3f}")
    # a generated sample arrives under the mouse: the read-out names it
    f.update_snapshot(with_clouds(make_snapshot(seed=7), real=far, fake=np.array([xy])))
    assert f.hover_text.textItem.toPlainText().startswith("generated")
    # the mouse left: snapshots do not bring the read-out back
    QtWidgets.QApplication.sendEvent(f.plot_widget.viewport(), QEvent(QEvent.Type.Leave))
    f.update_snapshot(snap)
    assert not f.hover_text.isVisible()


# ============================================================ 12. mode menu
def test_the_mode_menu_names_its_mode(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    menu = f.prepare_mode_menu(3)
    first = menu.actions()[0]
    x, y = snap.target.means[3]
    assert first.text() == f"mode 4 at ({x:.2f}, {y:.2f}), std {snap.target.stds[3]:.3g}" == menu.title()
    assert not first.isEnabled()                                  # a heading, not an action
    f.modes.show_readout(3)                         # numbered from 1, as the hover read-out, undo and the curves
    assert f.hover_text.textItem.toPlainText().startswith("mode 4 ")
    f.prepare_mode_menu(5)
    assert menu.actions()[0].text().startswith("mode 6 at")


# ============================================================ 13. brush
def test_a_brush_stroke_lays_modes_along_its_path(qtbot):
    f = shown(qtbot, FieldView())
    snap = make_snapshot()
    f.update_snapshot(snap)
    added, stds, moved = record(f.sigModeAdded), record(f.sigModeStdChanged), record(f.sigModeMoved)
    started, finished = record(f.sigStrokeStarted), record(f.sigStrokeFinished)
    bar = f.tools.bar
    QtWidgets.QApplication.sendEvent(f, QEvent(QEvent.Type.Leave))
    assert bar.isHidden()                                          # no buttons in an export made from a menu ...
    QtWidgets.QApplication.sendEvent(f, QtGui.QEnterEvent(QtCore.QPointF(5, 5), QtCore.QPointF(5, 5),
                                                          QtCore.QPointF(5, 5)))
    assert bar.isVisible()                                         # ... they show with the mouse over the field
    vb = f.plot_widget.mapFromScene(f.view.sceneBoundingRect()).boundingRect()
    assert vb.contains(bar.geometry()) and bar.geometry().center().x() > vb.center().x()   # its top right
    f.action_brush.trigger()                                       # the button / B
    QtWidgets.QApplication.sendEvent(f, QEvent(QEvent.Type.Leave))
    assert bar.isVisible() and f.tools.buttons[1].isChecked()      # and while a tool is on
    assert f.brush.active and f.view.tool is f.brush and all(not m.movable for m in f.markers)
    assert f.brush.spacing() == pytest.approx(SPACING)
    drag(f, (-2.5, -2.6), (2.5, -2.6), steps=15)
    n = 1 + int(5.0 // SPACING)                                    # the start, then one every SPACING
    assert len(added) == n and len(started) == 1 and finished == [(n,)]
    xs = np.array([a[0] for a in added])
    tol = 2 * max(abs(v) for v in f.view.viewPixelSize())
    np.testing.assert_allclose(np.diff(xs), SPACING, atol=1e-9)    # evenly spaced along the stroke
    assert xs[0] == pytest.approx(-2.5, abs=tol) and all(abs(a[1] + 2.6) < tol for a in added)
    # each mode gets the brush's small std, at its index in the owner's target (8 modes before)
    assert [s[0] for s in stds] == list(range(8, 8 + n))
    assert all(s[1] == pytest.approx(brush.STD_PER_SPACING * SPACING) for s in stds)
    # the new modes show at once (ghosts) until a snapshot carries them
    assert len(f.modes.ghost_item) == n and f.modes.owner_count() == 8 + n
    tgt = snap.target
    for (x, y), (_, s) in zip(added, stds, strict=True):
        tgt = tgt.with_mode((x, y), std=s)
    f.update_snapshot(make_snapshot(target=tgt))
    assert len(f.markers) == 8 + n and len(f.modes.ghost_item) == 0
    np.testing.assert_allclose(f.shown_means()[8:], np.array(added))
    # a stroke that starts on a marker draws (markers do not move while the brush is on)
    spacing = f.brush.spacing()                                    # the new target's grid is a little wider
    drag(f, tuple(snap.target.means[0]), (snap.target.means[0][0], snap.target.means[0][1] - 1.0), steps=6)
    assert moved == [] and len(added) == n + 1 + int(1.0 // spacing)
    # a click lays one mode, a double-click no extra one
    before = len(added)
    vp = f.plot_widget.viewport()
    p = to_viewport(f, -2.0, 2.6)
    move(vp, p)
    press(vp, p)
    release(vp, p)
    assert len(added) == before + 1 and len(finished) == 3
    # the brush off: a drag pans again, and lays nothing
    f.action_brush.trigger()
    assert f.view.tool is None and all(m.movable for m in f.markers)
    view = f.view.viewRange()
    drag(f, (-2.0, -1.0), (-1.0, -1.0))
    assert len(added) == before + 1 and f.view.viewRange() != view


def test_the_brush_stops_at_the_targets_limit_with_a_message(qtbot):
    f = shown(qtbot, FieldView())
    f.update_snapshot(make_snapshot())
    f.modes.max_modes = 12                                         # 8 modes now: room for 4
    added, finished = record(f.sigModeAdded), record(f.sigStrokeFinished)
    f.set_brush(True)
    drag(f, (-2.5, -2.6), (2.5, -2.6))
    assert len(added) == 4 and finished == [(4,)]
    assert f.notice_box.isVisible() and "at most 12 modes" in f.notice_box.text()
    # a double-click add at the limit says the same, and sends nothing
    f.set_brush(False)
    f.notice_box.set_text("")
    from qtinput import double_click
    double_click(f, (-2.0, 2.5))
    assert len(added) == 4 and "at most 12 modes" in f.notice_box.text()


def test_a_brush_stroke_is_one_undo_step_in_the_window(qtbot, make_window):
    w = make_window(active=True)
    qtbot.waitUntil(lambda: w.drawn is not None, timeout=5000)
    t0 = w.worker.trainer.target
    QTest.keyClick(w, Qt.Key.Key_B)                                # the key, wherever the focus is
    assert w.field.brush.active and w.field.action_brush.isChecked()
    drag(w.field, (-2.0, 2.6), (2.0, 2.6), steps=10)
    n = 1 + int(4.0 // w.field.brush._spacing)
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == t0.n_modes + n, timeout=5000)
    t1 = w.worker.trainer.target
    assert np.allclose(t1.stds[t0.n_modes:], brush.STD_PER_SPACING * w.field.brush._spacing)
    assert np.allclose(t1.means[t0.n_modes:, 1], 2.6, atol=0.05)
    assert w.history.stack.count() == 1 and w.history.stack.undoText() == f"Draw {n} modes"
    w.history.stack.undo()                                         # the whole stroke goes
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == t0.n_modes, timeout=5000)
    assert np.allclose(w.worker.trainer.target.means, t0.means) and np.allclose(w.worker.trainer.target.stds, t0.stds)
    w.history.stack.redo()
    qtbot.waitUntil(lambda: w.worker.trainer.target.n_modes == t0.n_modes + n, timeout=5000)
    assert np.allclose(w.worker.trainer.target.means, t1.means)
    qtbot.waitUntil(lambda: len(w.field.markers) == t0.n_modes + n, timeout=5000)
    QTest.keyClick(w, Qt.Key.Key_F)
    assert w.field.fit_on()


# ============================================================ the critic's colour bar (as in the theory view)
@pytest.mark.parametrize("loss", ["wgan-gp", "hinge"])
def test_field_critic_colour_bar_has_round_values(qtbot, loss):
    f = shown(qtbot, FieldView())
    snap = make_snapshot(loss=loss)
    f.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    texts = [s for _, s in drawn_labels(f.colorbar.axis)]
    assert len(texts) >= 3 and "0" in texts                    # was "0" alone: the ±max ends were dropped
    m = float(np.abs(snap.d_logits).max())
    for pos, text in f.colorbar.axis._tickLevels[0]:
        assert pos == pytest.approx(0.5 + 0.5 * float(text) / m)
    f.update_snapshot(make_snapshot(loss="nonsaturating", seed=1))
    QtWidgets.QApplication.processEvents()
    assert [s for _, s in drawn_labels(f.colorbar.axis)] == ["0", "0.5", "1"]
