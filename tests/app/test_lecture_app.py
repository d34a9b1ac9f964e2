"""The lecture in the window: theory tabs and workspace, the 1-D world in the field's place, the equation board's
terms pointing at their curves, Set D to D*, the oracle switch, and runs of the seed grid opened as the main run."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import settle
from PySide6 import QtWidgets

from ganlab.app.highlight import target_of


def _full_frame_after(qtbot, w, cond, timeout=20000):
    qtbot.waitUntil(lambda: w.drawn is not None and cond(w.drawn), timeout=timeout)


def test_the_theory_tabs_draw_only_the_page_on_screen_and_the_workspace_takes_the_fields_place(qtbot, make_window):
    w = make_window(size=(1366, 768))
    tabs = w.lecture
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["D and D*", "Equations", "Saturation", "D* probe"]
    assert tabs.currentWidget() is w.theory
    before = tabs.page("saturation").batch()
    w.commands.step.emit()
    _full_frame_after(qtbot, w, lambda s: s.iteration >= 1)
    assert tabs.page("saturation").batch() is before          # hidden: not drawn
    tabs.show_page("saturation")
    qtbot.waitUntil(lambda: tabs.page("saturation").batch() is not None, timeout=5000)  # drawn when brought forward
    field_box = w.field.plot.getViewBox().sceneBoundingRect()      # the field's drawn square
    panel_before = w.theory.panel_rects()[0].width()
    tabs.show_page("theory")
    w.lecture_shell.action_workspace.trigger()                 # W
    QtWidgets.QApplication.processEvents()
    assert w.view_area.workspace() and not w.field.isVisible()
    qtbot.waitUntil(lambda: w.theory.panel_rects()[0].width() > panel_before, timeout=5000)
    # D, D* and D - D* as large as the field was
    assert w.theory.panel_rects()[0].width() >= 0.85 * min(field_box.width(), field_box.height())
    assert tabs.workspace_button.isChecked()
    tabs.workspace_button.click()                              # and back from the tab bar's corner
    QtWidgets.QApplication.processEvents()
    assert not w.view_area.workspace() and w.field.isVisible()


def test_a_1d_preset_puts_the_1d_view_in_the_fields_place_and_edits_the_target(qtbot, make_window):
    w = make_window({"target.preset": "1d-two"})
    _full_frame_after(qtbot, w, lambda s: s.target.dim == 1)
    qtbot.waitUntil(lambda: w.stage() is w.world1d, timeout=5000)
    assert w.world1d.isVisible() and not w.field.isVisible()
    assert not w.lecture.isTabEnabled(0)                       # the heatmaps have nothing to show in 1-D
    assert w.lecture.current_key() != "theory"
    snap = w.drawn
    assert snap.fake.shape[1] == 1 and snap.grid.dim == 1 and np.isfinite(snap.jsd_exact)
    w.world1d.sigModeMoved.emit(0, -1.0, 0.0)                  # a handle dragged along the line
    qtbot.waitUntil(lambda: w.worker.trainer.target.means[0, 0] == pytest.approx(-1.0), timeout=5000)
    w.change("target.preset", "ring8")                         # back to 2-D: the field again
    _full_frame_after(qtbot, w, lambda s: s.target.dim == 2)
    qtbot.waitUntil(lambda: w.stage() is w.field, timeout=5000)
    assert w.lecture.isTabEnabled(0)


def test_a_board_term_outlines_the_plot_of_its_quantity(qtbot, make_window):
    w = make_window()
    plot, series = target_of(w, "curve:jsd")
    assert plot is w.curves.plot_jsd and series is w.curves.s_jsd
    plot, series = target_of(w, "curve:v_samples")
    assert plot is w.curves.plot_value and series.column == "v_samples"
    w.lecture.show_page("equations")
    w.board.term_clicked.emit("heatmap:dstar")
    assert w.lecture.current_key() == "theory"                 # the heatmap is brought forward ...
    frame = w._highlight                                       # ... and outlined
    assert frame.scene() is w.theory.plot_dstar.scene()
    assert frame.rect() == w.theory.plot_dstar.getViewBox().sceneBoundingRect()
    w.board.term_clicked.emit("curve:loss_g")
    assert w._highlight.scene() is w.curves.plot_loss.scene()
    assert w.curves.s_loss_g.curve.opts["pen"].widthF() > 2 * w.curves.s_loss_d.curve.opts["pen"].widthF()


def test_set_d_to_dstar_fits_d_without_moving_g_or_the_iteration(qtbot, make_window):
    w = make_window({"target.preset": "two", "train.loss": "minimax"})
    w.play()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration >= 100, timeout=20000)
    w.pause()
    settle(w)
    t = w.worker.trainer
    it, g_before = t.iteration, [p.detach().clone() for p in t.G.parameters()]
    d_before = [p.detach().clone() for p in t.D.parameters()]
    w.controls.control("action.set_dstar").click()
    qtbot.waitUntil(lambda: any(e.key == "dstar.set" for e in w.worker.observer.events.view()), timeout=30000)
    assert t.iteration == it
    assert all(torch.equal(a, b) for a, b in zip(g_before, t.G.parameters(), strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(d_before, t.D.parameters(), strict=True))
    ev = [e for e in w.worker.observer.events.view() if e.key == "dstar.set"][-1]
    assert float(ev.after) < 0.1                                # mean |D - D*| after the fit


def test_the_oracle_switch_reaches_the_trainer_and_is_refused_with_a_critic_loss(qtbot, make_window):
    w = make_window({"train.loss": "nonsaturating"})
    box = w.controls.control("train.oracle_d")
    box.setChecked(True)
    qtbot.waitUntil(lambda: w.worker.trainer.config.train.oracle_d and w.state.in_force.train.oracle_d,
                    timeout=5000)
    w.change("train.loss", "wgan-gp")                          # a critic has no D*: refused, naming the field
    QtWidgets.QApplication.processEvents()
    assert w.worker.trainer.config.train.loss == "nonsaturating"
    assert "oracle_d" in w.statusBar().currentMessage()


def test_a_seed_grid_run_opens_as_the_main_run(qtbot, make_window):
    w = make_window()
    grid = w.compare.open_grid()
    qtbot.addWidget(grid)
    qtbot.waitUntil(lambda: grid.drawn is not None and grid.drawn.iteration >= 20, timeout=30000)
    got = []
    grid.open_member.connect(got.append)
    grid.open_cell(3)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    member = got[0]
    qtbot.waitUntil(lambda: w.worker.trainer.iteration == member.iteration
                    and w.worker.trainer.config.train.seed == member.config.train.seed, timeout=10000)
    z = torch.randn(64, member.config.noise.dim, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert torch.allclose(w.worker.trainer.G(z), member.G(z))
    qtbot.waitUntil(lambda: w.state.in_force.train.seed == member.config.train.seed, timeout=5000)
    assert w.config.train.seed == member.config.train.seed          # what the controls show: the run's config
    assert w.controls.control("train.seed").value() == member.config.train.seed
    w.close()
    assert not grid.isVisible()


def test_file_export_writes_the_equation_board_with_the_values_on_screen(qtbot, make_window, tmp_path):
    w = make_window()
    png, svg = tmp_path / "board.png", tmp_path / "board.svg"
    assert w.exporter.export("png", "board", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "equation board" in w.statusBar().currentMessage()
    assert w.exporter.export("svg", "board", svg)
    text = svg.read_text()
    assert "<svg" in text
    jsd = w.board.value_text("jsd")                             # the value shown is in the vector file too
    assert jsd and jsd.split("=")[-1].strip() in text
    bad = tmp_path / "file"
    bad.write_text("")
    assert not w.exporter.export("png", "board", bad / "board.png")   # a file where a folder should be
    assert "Could not export" in w.statusBar().currentMessage()


def test_stopping_a_worker_thread_qt_already_deleted_is_a_no_op(qtbot, make_window):
    """A runs window's `destroyed` may arrive after Qt deleted its QThread (the main window closed it first):
    stopping then printed a RuntimeError traceback."""
    import shiboken6

    w = make_window()
    grid = w.compare.open_grid()
    qtbot.waitUntil(lambda: grid.drawn is not None, timeout=30000)
    wt = grid.worker_thread
    w.close()                                      # closes the grid and stops its thread
    assert not grid.isVisible() and not wt.thread.isRunning()
    shiboken6.delete(wt.thread)
    assert wt.stop() is True


def test_exporting_the_field_of_a_1d_run_writes_the_1d_view(qtbot, make_window, tmp_path):
    from PySide6.QtGui import QImage

    w = make_window({"target.preset": "1d-two"})
    qtbot.waitUntil(lambda: w.stage() is w.world1d, timeout=10000)
    from ganlab.app.export import view_widget

    assert view_widget(w, "field") is w.world1d          # not the hidden 2-D field (it shows an old frame)
    out = tmp_path / "field.png"
    assert w.exporter.export("png", "field", out)
    img = QImage(str(out))
    scale = w.exporter.scale
    assert (img.width(), img.height()) == (w.world1d.width() * scale, w.world1d.height() * scale)
    assert w.exporter.export("svg", "field", tmp_path / "field.svg")
