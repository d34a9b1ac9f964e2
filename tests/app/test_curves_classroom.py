"""Issue 12, items 5 and 6: the curves and the theory view as a teacher reads them on a real screen.

- log axes show at least two readable labels for any range; gaps on them are explained;
- the bottom row says that the x axis is the iteration;
- a setting changed during the run is marked on the curves (a dashed line, a tag that never piles up, the
  whole change on hover), from the worker's config change through the Snapshot;
- reference-line labels sit where no curve passes (else in the plot's title), and only for the losses they
  hold for (no "log 4 = equilibrium" under WGAN-GP);
- the critic's colour bar has a scale; captions and the status text fit at presenter scale.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from snapshots import LOSS_COLUMNS, drawn_labels, history_dict, make_snapshot, shown

from ganlab.app.presenter import elided
from ganlab.app.views import CurvesView, TheoryView
from ganlab.app.views.axes import log_ticks
from ganlab.app.views.markers import MAX_MARKERS
from ganlab.core.events import TEMPLATES, Event
from ganlab.core.snapshot import METRIC_COLUMNS


def metrics_with(kl_a: np.ndarray, kl_b: np.ndarray | None = None) -> dict:
    m = len(kl_a)
    rows = np.full((m, len(METRIC_COLUMNS)), np.nan)
    rows[:, 0] = np.arange(m) * 10.0
    rows[:, 1] = np.linspace(0.6, 0.1, m)
    rows[:, 2], rows[:, 3] = -1.0, -1.2
    rows[:, 4] = kl_a if kl_b is None else kl_b
    rows[:, 5] = kl_a
    rows[:, 6], rows[:, 7] = 4, 0.5
    return history_dict(METRIC_COLUMNS, rows)


def losses_with(n: int, loss_d, loss_g=0.8, grad=1.0) -> dict:
    steps = np.arange(n, dtype=float)
    cols = [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in (loss_d, loss_g, grad)]
    return history_dict(LOSS_COLUMNS, np.column_stack([steps, *cols]))


# ============================================================ item 5: log ticks
@pytest.mark.parametrize("lo,hi,n,labels", [
    (1e-4, 1e-1, 6, ["1e-4", "1e-3", "0.01", "0.1"]),
    (1e-4, 1e-1, 2, ["1e-4", "0.01"]),
    (0.5, 0.9, 4, ["0.6", "0.8"]),
    (0.5, 0.9, 6, ["0.5", "0.6", "0.7", "0.8", "0.9"]),
    (3.0, 3.2, 4, ["3.0", "3.1", "3.2"]),
    (3.0, 3.2, 2, ["3.0", "3.2"]),
    (0.1, 1.0, 5, ["0.1", "0.2", "0.5", "1"]),
    (0.02, 0.05, 5, ["0.02", "0.03", "0.04", "0.05"]),
])
def test_log_tick_labels_for_ranges(lo, hi, n, labels):
    major, _ = log_ticks(math.log10(lo), math.log10(hi), n)
    assert [t for _, t in major] == labels
    for pos, text in major:
        assert math.log10(lo) - 1e-9 <= pos <= math.log10(hi) + 1e-9
        assert float(text) == pytest.approx(10.0 ** pos, rel=1e-6)


def test_log_ticks_decades_carry_2_and_5_sub_ticks_and_any_range_has_two_labels():
    major, minor = log_ticks(-4.0, -1.0, 4)
    assert [p for p, _ in major] == [-4.0, -3.0, -2.0, -1.0]
    assert len(minor) == 6 and all(round(10 ** (p - math.floor(p))) in (2, 5) for p in minor)
    rng = np.random.default_rng(0)
    for _ in range(400):
        lo = rng.uniform(-9, 4)
        hi = lo + 10 ** rng.uniform(-1, 1.2)          # the y ranges span a tenth of a decade at least
        major, _ = log_ticks(lo, hi, int(rng.integers(2, 9)))
        assert len(major) >= 2, (lo, hi)
        assert all(lo - 1e-9 <= p <= hi + 1e-9 for p, _ in major)
        assert len({t for _, t in major}) == len(major)          # no two labels read the same
        assert all(len(t) <= 7 for _, t in major)                 # they fit the fixed axis width


@pytest.mark.parametrize("lo,hi", [(1e-4, 1e-1), (0.5, 0.9), (3.0, 3.2), (1e-7, 2.0)])
@pytest.mark.parametrize("size,scale", [((1224, 340), 1.0), ((1600, 700), 1.0), ((1280, 400), 1.6)])
def test_kl_axis_draws_at_least_two_labels(qtbot, lo, hi, size, scale):
    c = shown(qtbot, CurvesView(max_fps=None, scale=scale), *size)
    kl = np.geomspace(lo, hi, 60)
    c.update_snapshot(make_snapshot(metrics=metrics_with(kl, kl[::-1])))
    QtWidgets.QApplication.processEvents()
    for plot in (c.plot_kl, c.plot_grad):
        if plot is c.plot_grad:
            c.update_snapshot(make_snapshot(losses=losses_with(60, 1.3, 0.8, kl), metrics=metrics_with(kl)))
            QtWidgets.QApplication.processEvents()
        texts = [t for _, t in drawn_labels(plot.getAxis("left"))]
        assert len(texts) >= 2, (plot, texts)
        (y0, y1) = plot.getViewBox().viewRange()[1]
        for t in texts:
            assert y0 <= math.log10(float(t)) <= y1


# ============================================================ item 5: gaps and the iteration axis
def test_log_plot_gaps_are_explained(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    kl = np.geomspace(1.0, 0.01, 60)
    c.update_snapshot(make_snapshot(metrics=metrics_with(kl)))
    QtWidgets.QApplication.processEvents()
    note = c.gap_notes[c.plot_kl]
    assert not note.isVisible() and "Gaps" not in c.plot_kl.toolTip()
    kl = np.append(kl, 0.01)                               # a new row (the view redraws when a history grows)
    kl[20:30] = np.inf                                     # p_g without mass where p_data has some
    c.update_snapshot(make_snapshot(metrics=metrics_with(kl)))
    QtWidgets.QApplication.processEvents()
    assert note.active and note.isVisible() and note.short_text() == "gaps: KL = ∞"
    assert "KL is infinite" in c.plot_kl.toolTip()
    # the note sits inside the plot, on no curve
    vb = c.plot_kl.getViewBox()
    assert vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(note.sceneBoundingRect())
    assert_clear_of_curves(c, c.plot_kl, note.sceneBoundingRect())
    # a gradient norm of 0 (G frozen) on the log axis
    grad = np.ones(61)
    grad[40:] = 0.0
    c.update_snapshot(make_snapshot(losses=losses_with(61, 1.3, 0.8, grad), metrics=metrics_with(kl)))
    QtWidgets.QApplication.processEvents()
    assert c.gap_notes[c.plot_grad].short_text() == "gaps: norm = 0"
    assert c.gap_notes[c.plot_grad].active and "gradient norm is 0" in c.plot_grad.toolTip()


@pytest.mark.parametrize("size,scale", [((1224, 340), 1.0), ((900, 860), 1.0), ((1280, 400), 1.6)])
def test_bottom_axes_say_iteration_next_to_their_ticks(qtbot, size, scale):
    c = shown(qtbot, CurvesView(max_fps=None, scale=scale), *size)
    c.update_snapshot(make_snapshot(losses=losses_with(12_000, 1.3)))
    QtWidgets.QApplication.processEvents()
    bottoms = [p for p in c.plots if p.getAxis("bottom").isVisible()]
    assert len(bottoms) == c.columns()
    for p in bottoms:
        ax = p.getAxis("bottom")
        label = ax.end_label
        assert label is not None and label.isVisible() and label.text() == "iteration"
        r = label.mapRectToItem(ax, label.boundingRect())
        assert ax.boundingRect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(r)
        ticks = drawn_labels(ax)
        assert len(ticks) >= 2
        for rect, text in ticks:
            assert rect.right() <= r.left(), text                  # no tick label under "iteration"


# ============================================================ item 5: event markers
def events_at(*its) -> tuple:
    texts = [("train.loss", "minimax", "nonsaturating"), ("opt_d.lr", "2e-4", "1e-3"), ("train.k_d", "1", "5")]
    return tuple(Event(it, *texts[i % 3]) for i, it in enumerate(its))


def test_markers_draw_a_line_per_changed_iteration_with_the_change_on_hover(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    evs = events_at(500, 500, 1200, 3000)
    c.update_snapshot(make_snapshot(losses=losses_with(4000, 1.3), metrics=metrics_with(np.ones(400))))
    QtWidgets.QApplication.processEvents()
    assert c.markers.count() == 0
    snap = make_snapshot(losses=losses_with(4000, 1.3), metrics=metrics_with(np.ones(400)))
    c.update_snapshot(snap.__class__(**{**snap.__dict__, "events": evs}))
    QtWidgets.QApplication.processEvents()
    assert c.markers.count() == 3
    for plot_lines in zip(*c.markers.lines(), strict=True):      # per plot: its three lines
        assert [ln.value() for ln in plot_lines] == [500.0, 1200.0, 3000.0]
        assert all(ln.isVisible() and ln.angle == 90 for ln in plot_lines)
    assert len(c.markers.lines()[0]) == len(c.plots)
    tips = c.markers.tooltips()
    assert tips[0] == "iteration 500\nloss: minimax → nonsaturating\nlr_D 2e-4 → 1e-3"
    assert tips[2] == "iteration 3,000\nloss: minimax → nonsaturating"
    assert c.markers.lines()[1][3].toolTip() == tips[1]
    tags = c.markers.tags()
    assert [t.childItems()[0].text() for t in tags] == ["loss +1", "k_D", "loss"]
    assert all(t.isVisible() and t.toolTip() for t in tags)
    check_tags_apart(c)
    # the markers go with a reset
    c.clear()
    assert c.markers.count() == 0 and not any(ln.isVisible() for per in c.markers._lines for ln in per)


def check_tags_apart(c) -> None:
    vb = c.plot_loss.getViewBox().sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    shown_tags = [t.sceneBoundingRect() for t in c.markers.tags() if t.isVisible()]
    for i, a in enumerate(shown_tags):
        assert vb.contains(a)
        for b in shown_tags[i + 1:]:
            assert not a.intersects(b)


def test_marker_tags_never_pile_up(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    evs = events_at(*range(1000, 1000 + 10 * 60, 10))             # 60 changes within 1.5 % of the run
    snap = make_snapshot(losses=losses_with(40_000, 1.3))
    c.update_snapshot(snap.__class__(**{**snap.__dict__, "events": evs}))
    QtWidgets.QApplication.processEvents()
    assert c.markers.count() == MAX_MARKERS
    visible = [t for t in c.markers.tags() if t.isVisible()]
    assert 1 <= len(visible) < MAX_MARKERS
    check_tags_apart(c)


def test_marker_texts_are_the_cores_and_translatable():
    """One table (core/events.py), read by lupdate: every text has its Russian in the catalog."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ts = ET.parse(Path(__file__).resolve().parents[2] / "resources" / "i18n" / "ganlab_ru.ts").getroot()
    ru = {(c.findtext("name"), m.findtext("source")) for c in ts.iter("context") for m in c.iter("message")
          if m.findtext("translation")}
    for key, (text, _tag) in TEMPLATES.items():
        assert ("CurvesView", text) in ru, key


def test_a_config_change_in_the_worker_reaches_the_curves_while_paused(qtbot):
    from helpers import small_config

    from ganlab.app.worker import TrainingWorker

    w = TrainingWorker(small_config({"train.loss": "minimax", "opt_d.lr": 2e-4}))
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    w.step_iteration()
    for _ in range(9):
        w.trainer.step(1)
    w.snapshot_now()
    c.update_snapshot(w.latest)
    assert c.markers.count() == 0 and c.ref_lines["ld_eq"].isVisible()
    w.apply_config(w.trainer.config.with_values({"train.loss": "wgan-gp", "opt_d.lr": 1e-3}))
    w.snapshot_now()
    snap = w.latest
    assert [(e.iteration, e.text()) for e in snap.events] == [(10, "loss: minimax → wgan-gp"),
                                                              (10, "lr_D 2e-4 → 1e-3")]
    c.update_snapshot(snap)                 # the history did not grow (paused): the view still updates
    assert c.markers.count() == 1 and c.markers.lines()[0][0].value() == 10.0
    assert not c.ref_lines["ld_eq"].isVisible() and not c.ref_lines["ld_eq"].ref_label.isVisible()
    w.set_freeze(True, False)
    w.snapshot_now()
    assert w.latest.events[-1].text() == "G frozen"
    w.stop()


# ============================================================ item 6: reference lines
@pytest.mark.parametrize("loss,shown_", [("minimax", True), ("nonsaturating", True), ("wgan-gp", False),
                                         ("hinge", False), ("lsgan", False)])
def test_log4_line_only_for_the_log_losses(qtbot, loss, shown_):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    losses = losses_with(300, np.linspace(2.0, 0.3, 300))
    c.update_snapshot(make_snapshot(loss="nonsaturating", losses=losses))
    assert c.ref_lines["ld_eq"].isVisible()
    c.update_snapshot(make_snapshot(loss=loss, losses=losses))      # the same history: paused, loss changed
    QtWidgets.QApplication.processEvents()
    assert c.ref_lines["ld_eq"].isVisible() == shown_
    if not shown_:
        assert not c.ref_lines["ld_eq"].ref_label.isVisible()
        assert "equilibrium" not in c.plot_loss.titleLabel.text


def assert_clear_of_curves(c, plot, scene_rect: QtCore.QRectF) -> None:
    """No curve of `plot` passes through `scene_rect`: checked on the curve densely resampled."""
    vb = plot.getViewBox()
    a = vb.mapSceneToView(scene_rect.topLeft())
    b = vb.mapSceneToView(scene_rect.bottomRight())
    x0, x1 = sorted((a.x(), b.x()))
    y0, y1 = sorted((a.y(), b.y()))
    for s in c.series:
        if s.plot is not plot or s.curve.xData is None or len(s.curve.xData) == 0:
            continue
        x, y = s.curve.xData, s.curve.yData
        ok = np.isfinite(y)
        xs = np.concatenate([x[ok], np.linspace(x0, x1, 400)])
        xs = xs[(xs >= x0) & (xs <= x1) & (xs >= x[ok].min()) & (xs <= x[ok].max())]
        ys = np.interp(xs, x[ok], y[ok])
        assert not ((ys >= y0) & (ys <= y1)).any(), (s.column, x0, x1, y0, y1)


def test_reference_labels_avoid_the_curves(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    n = 200
    t = np.linspace(0.0, 1.0, n)
    jsd = 0.02 + 0.6 * np.sin(np.pi * t) ** 2                    # low at both ends: "0: p_g = p_data" moves
    m = np.full((n, len(METRIC_COLUMNS)), np.nan)
    m[:, 0] = np.arange(n) * 10.0
    m[:, 1] = jsd
    m[:, 2] = -math.log(4.0) + 0.05 * np.sin(40 * t)              # V(G, D) on "-log 4" early and late
    m[:, 3] = -math.log(4.0) + 2 * jsd
    m[:, 4] = m[:, 5] = 0.1
    m[:, 6] = np.where(t < 0.3, 8, 4)                             # all modes at the start: "all modes" moves
    m[:, 7] = 0.5
    loss_d = math.log(4.0) + 0.01 * np.sin(np.linspace(0, 600, 10 * n))   # L_D on log 4 all along: no room
    c.update_snapshot(make_snapshot(loss="minimax", losses=losses_with(10 * n, loss_d),
                                    metrics=history_dict(METRIC_COLUMNS, m)))
    QtWidgets.QApplication.processEvents()
    placed = 0
    for key, line in c.ref_lines.items():
        label = line.ref_label
        if label.isVisible():
            placed += 1
            r = label.sceneBoundingRect()
            assert line.plot.getViewBox().sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(r), key
            assert_clear_of_curves(c, line.plot, r)
    assert placed >= 3
    ld = c.ref_lines["ld_eq"]
    assert ld.isVisible() and not ld.ref_label.isVisible() and ld.in_legend()
    plain = QtGui.QTextDocumentFragment.fromHtml(c.plot_loss.titleLabel.text).toPlainText()
    assert "log 4 = equilibrium" in plain                          # listed with L_D and L_G instead
    # when the data move off the line, the label comes back into the plot and leaves the title
    c.update_snapshot(make_snapshot(loss="minimax", losses=losses_with(10 * n + 1, np.linspace(0.5, 0.9, 10 * n + 1)),
                                    metrics=history_dict(METRIC_COLUMNS, m)))
    QtWidgets.QApplication.processEvents()
    assert ld.ref_label.isVisible() and not ld.in_legend()
    assert "equilibrium" not in c.plot_loss.titleLabel.text
    assert_clear_of_curves(c, c.plot_loss, ld.ref_label.sceneBoundingRect())


# ============================================================ item 6: the critic's colour bar, presenter scale
@pytest.mark.parametrize("loss", ["wgan-gp", "hinge"])
def test_critic_colour_bar_has_a_scale(qtbot, loss):
    t = shown(qtbot, TheoryView(), 1100, 420)
    snap = make_snapshot(loss=loss)
    t.update_snapshot(snap)
    QtWidgets.QApplication.processEvents()
    texts = [s for _, s in drawn_labels(t.colorbar.axis)]
    assert len(texts) >= 3 and "0" in texts
    values = sorted(float(s) for s in texts)
    assert values == pytest.approx([-v for v in reversed(values)])       # symmetric around 0
    m = float(np.abs(snap.d_logits).max())
    assert max(values) <= m and max(values) >= m / 3                        # critic values, from their range
    # each label sits where the heatmap shows that value: position = 0.5 + 0.5 * value / max
    ticks = t.colorbar.axis._tickLevels[0]
    for pos, text in ticks:
        assert pos == pytest.approx(0.5 + 0.5 * float(text) / m)


@pytest.mark.parametrize("size", [(1920, 420), (1280, 300), (700, 300), (450, 330)])
@pytest.mark.parametrize("loss", ["nonsaturating", "wgan-gp"])
def test_colour_bar_captions_fit_at_presenter_scale(qtbot, size, loss):
    t = shown(qtbot, TheoryView(scale=1.6), *size)
    t.update_snapshot(make_snapshot(loss=loss))
    QtWidgets.QApplication.processEvents()
    view = QtCore.QRectF(t.canvas.viewport().rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    for bar in (t.colorbar, t.diff_colorbar):
        if not bar.isVisible():
            continue
        label = t.bar_title(bar)
        r = label.mapRectToScene(label.boundingRect())
        assert r.width() <= t.canvas.width()
        assert view.contains(r), (r, view)
        bar_r = bar.getViewBox().sceneBoundingRect()
        text = QtGui.QTextDocumentFragment.fromHtml(label.toHtml()).toPlainText().strip()
        if text not in ("fake ← D, D* → real", "fake ← critic → real", "D − D*"):   # the shortest may overhang
            assert bar_r.left() - 1.0 <= r.left() and r.right() <= bar_r.right() + 1.0, text


def test_presenter_mode_status_text_fits(make_window):
    w = make_window(deferred=True, size=(1280, 720))
    try:
        w.presenter.enter()
        QtWidgets.QApplication.processEvents()
        label = w.status_label
        label.setText("iteration 1,234,567   12,345 it/s   60 fps   device cuda:0   seed 123456789   frozen: G, D   "
                      * 3)
        QtWidgets.QApplication.processEvents()
        bar = w.statusBar()
        assert label.geometry().right() <= bar.width()
        shown_text = elided(label)
        assert label.fontMetrics().horizontalAdvance(shown_text) <= label.contentsRect().width()
        assert shown_text != label.text() and shown_text.endswith("…")
        label.grab()                                                # paints through the eliding filter
        assert label.toolTip() == label.text()
    finally:
        w.presenter.leave()


class _Shouting(QtCore.QTranslator):
    """A language in which every CurvesView text is upper case (no catalog needed)."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return source.upper() if context == "CurvesView" else ""

    def isEmpty(self):
        return False


def test_new_texts_follow_the_language(qtbot):
    c = shown(qtbot, CurvesView(max_fps=None), 1224, 340)
    kl = np.geomspace(1.0, 0.01, 60)
    kl[5:9] = np.inf
    snap = make_snapshot(losses=losses_with(600, 1.3), metrics=metrics_with(kl))
    c.update_snapshot(snap.__class__(**{**snap.__dict__, "events": events_at(100)}))
    app = QtWidgets.QApplication.instance()
    tr = _Shouting()
    app.installTranslator(tr)
    try:
        QtWidgets.QApplication.processEvents()
        assert c.plot_grad.getAxis("bottom").end_label.text() == "ITERATION"
        assert c.gap_notes[c.plot_kl].short_text() == "GAPS: KL = ∞"
        assert c.markers.tooltips()[0] == "ITERATION 100\nLOSS: minimax → nonsaturating"   # values: names
        assert c.markers.tags()[0].childItems()[0].text() == "LOSS"
    finally:
        app.removeTranslator(tr)
        QtWidgets.QApplication.processEvents()
    assert c.plot_grad.getAxis("bottom").end_label.text() == "iteration"
    assert c.markers.tooltips()[0] == "iteration 100\nloss: minimax → nonsaturating"
