"""The equation board: its labels show the snapshot's numbers, its formulas follow the loss, clicks name where a
quantity lives, and export writes the whole board."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets
from PySide6.QtCore import Qt
from snapshots import LOSS_COLUMNS, history_dict, make_snapshot, shown

from ganlab.app.views import equation_widgets
from ganlab.app.views.equation_board import EquationBoard
from ganlab.core.config import Config
from ganlab.core.observer import Observer
from ganlab.core.trainer import Trainer

NUMBER = re.compile(r"= (−?\d+(?:\.\d+)?)(?: ± (\d+\.\d+))?$")


@pytest.fixture(scope="module")
def live():
    """A real trainer + observer on one Gaussian (G overlaps it: every number is inside its range)."""
    cfg = Config().with_values({"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64,
                                "train.device": "cpu", "theory.samples": 600, "target.preset": "single"})
    trainer = Trainer(cfg)
    obs = Observer(trainer, grid_n=64)
    trainer.step(30)
    return trainer, obs


def board_at(qtbot, w=500, h=400) -> EquationBoard:
    return shown(qtbot, EquationBoard(scale=1.0), w, h)


def number(text: str) -> tuple[float, float | None]:
    """The number (and the "± stderr") at the end of a value label's text."""
    m = NUMBER.search(text)
    assert m, text
    return float(m.group(1).replace("−", "-")), (float(m.group(2)) if m.group(2) else None)


def with_losses(loss: str, rows) -> object:
    return make_snapshot(loss, losses=history_dict(LOSS_COLUMNS, np.asarray(rows, dtype=np.float64)))


def test_labels_show_the_snapshot_numbers(qtbot, live):
    _, obs = live
    snap = obs.take()
    board = board_at(qtbot)
    board.update_snapshot(snap)
    th, sv = snap.theory, snap.value
    expected = {"loss_d": snap.losses["loss_d"][-1], "loss_g": snap.losses["loss_g"][-1],
                "mean_log_d_real": sv.mean_log_d_real, "mean_log_1md_fake": sv.mean_log_1md_fake,
                "v_samples": sv.value, "v_estimate": th.v_estimate, "v_at_dstar": th.v_at_dstar,
                "kl_pdata_m": th.kl_pdata_m, "kl_pg_m": th.kl_pg_m, "jsd": th.jsd, "minus_log4": -math.log(4.0),
                "v_identity": -math.log(4.0) + 2.0 * th.jsd, "n_real": sv.n_real, "n_fake": sv.n_fake}
    for name, value in expected.items():
        shown_value, _ = number(board.value_text(name))
        assert shown_value == pytest.approx(value, abs=5.1e-5), name
    assert number(board.value_text("v_samples"))[1] == pytest.approx(sv.stderr, abs=5.1e-5)
    assert board.value_text("dstar_range").startswith("D*(x) = ")
    lo, hi = (float(s.replace("−", "-")) for s in board.value_text("dstar_range")[8:].split(" … "))
    assert lo == pytest.approx(np.nanmin(th.dstar), abs=5.1e-5) and hi == pytest.approx(np.nanmax(th.dstar), abs=5.1e-5)
    assert f"{snap.iteration}" in board.summary_text()
    assert f"h = {th.bandwidth:.3g}" in board.card("jsd").note.text()


def test_new_frames_only_change_texts(qtbot, live, monkeypatch):
    trainer, obs = live
    board = board_at(qtbot)
    board.update_snapshot(obs.take())
    calls = []
    real = equation_widgets.typeset
    monkeypatch.setattr(equation_widgets, "typeset", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    pixmaps = {k: board.card(k).formula.formula().cacheKey() for k in board.term_ids()}
    trainer.step(3)
    snap = obs.take()
    board.update_snapshot(snap)
    assert calls == []                        # no typesetting for a new frame of the same loss
    assert {k: board.card(k).formula.formula().cacheKey() for k in board.term_ids()} == pixmaps
    assert number(board.value_text("jsd"))[0] == pytest.approx(snap.theory.jsd, abs=5.1e-5)
    assert number(board.value_text("loss_g"))[0] == pytest.approx(snap.losses["loss_g"][-1], abs=5.1e-5)
    board.update_snapshot(replace(snap, loss="minimax"))
    assert r"\log(1 - D(G(z_j)))" in calls[0] and len(calls) == 1   # only the one new formula: minimax's L_G


def test_formulas_follow_the_loss(qtbot):
    board = board_at(qtbot)
    board.update_snapshot(with_losses("nonsaturating", [[1, 1.3, 0.7, 0.1]]))
    ns = board.card("loss_g")
    ns_tex, ns_key = ns.term.tex, ns.formula.formula().cacheKey()
    assert "(7)" in ns.header.text() and r"\log D(G(z_j))$" in ns_tex
    board.update_snapshot(with_losses("minimax", [[1, 1.3, -0.7, 0.1]]))
    mm = board.card("loss_g")
    assert "(9)" in mm.header.text() and r"\log(1 - D(G(z_j)))" in mm.term.tex
    assert mm.formula.formula().cacheKey() != ns_key and mm.term.tex != ns_tex
    assert board.value_text("loss_g") == "L_G = −0.7000"
    assert "minimax" in board.summary_text()
    board.update_snapshot(with_losses("lsgan", [[1, 0.4, 0.2, 0.1]]))
    assert "^2" in board.card("loss_g").term.tex and "LSGAN" in board.summary_text()


@pytest.mark.parametrize("loss", ["wgan-gp", "hinge"])
def test_a_critic_loss_says_dstar_and_v_do_not_apply(qtbot, loss):
    board = board_at(qtbot)
    board.update_snapshot(make_snapshot(loss))
    for term_id in ("v_samples", "v_grid", "dstar"):
        card = board.card(term_id)
        assert "Does not apply to " + loss in card.note.text()
        assert not any(label.isVisible() for label in card.values.values())
    assert "do not apply" in board.summary_text()
    assert number(board.value_text("jsd"))[0] == pytest.approx(make_snapshot(loss).theory.jsd, abs=5.1e-5)
    assert loss + " does not minimise this" in board.card("v_dstar").note.text()


def test_a_snapshot_without_sample_value_or_history_shows_dashes(qtbot):
    board = board_at(qtbot)
    snap = make_snapshot("nonsaturating")        # no snap.value, no losses
    assert snap.value is None
    board.update_snapshot(snap)
    assert board.value_text("v_samples") == "V(G, D) = —"
    assert board.value_text("n_real") == "N = —"
    assert board.value_text("loss_d") == "L_D = —"
    assert number(board.value_text("v_estimate"))[0] == pytest.approx(snap.theory.v_estimate, abs=5.1e-5)


def test_clicking_a_formula_or_a_value_emits_where_it_lives(qtbot):
    board = board_at(qtbot)
    board.update_snapshot(make_snapshot("nonsaturating"))
    QtWidgets.QApplication.processEvents()
    targets = [(board.card("jsd").formula, "curve:jsd"), (board.card("loss_d").formula, "curve:loss_d"),
               (board.card("loss_g").values["loss_g"], "curve:loss_g"),
               (board.card("v_samples").formula, "curve:v_samples"),
               (board.card("v_jsd").values["v_at_dstar"], "curve:v_at_dstar"),
               (board.card("dstar").formula, "heatmap:dstar"), (board.card("dstar").values["d_range"], "heatmap:d"),
               (board.card("v_grid").formula, "heatmap:d")]
    for widget, key in targets:
        board.scroll.ensureWidgetVisible(widget)
        with qtbot.waitSignal(board.term_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QtCore.QPoint(4, widget.height() // 2))
        assert blocker.args == [key]


def test_formulas_fit_a_small_panel_and_grow_on_a_projector(qtbot):
    board = board_at(qtbot, 500, 400)
    board.update_snapshot(make_snapshot("nonsaturating"))
    QtWidgets.QApplication.processEvents()
    avail = board.scroll.viewport().width()
    assert all(board.card(k).formula.width() <= avail for k in board.term_ids())
    assert not board.scroll.horizontalScrollBar().isVisible()
    assert board.scroll.verticalScrollBar().isVisible()     # the rest is a scroll away
    small = board.card("loss_g").formula.sizeHint()
    board.set_scale(1.6)
    big = board.card("loss_g").formula.sizeHint()
    assert big.width() == pytest.approx(1.6 * small.width(), rel=0.08)
    assert big.height() > small.height()


def test_export_png_is_the_whole_board_at_twice_its_size(qtbot, tmp_path):
    board = board_at(qtbot, 500, 400)
    board.update_snapshot(make_snapshot("nonsaturating"))
    path = tmp_path / "board.png"
    size = board.export(path)
    img = QtGui.QImage(str(path))
    assert not img.isNull() and path.stat().st_size > 10_000
    assert (img.width(), img.height()) == (size.width(), size.height())
    width = board.content.width()
    assert img.width() == 2 * width
    assert img.height() == 2 * board.content.heightForWidth(width)
    assert img.height() > 2 * 400                  # the whole board, not the part scrolled into view
    assert img.pixelColor(img.width() // 2, 2).name() == "#ffffff"
    dark = sum(img.pixelColor(x, y).lightness() < 100 for x in range(0, img.width(), 7)
               for y in range(0, img.height(), 7))
    assert dark > 200                              # formulas and numbers were drawn


def test_export_svg_keeps_formulas_as_vectors(qtbot, tmp_path):
    board = board_at(qtbot)
    snap = make_snapshot("nonsaturating")
    board.update_snapshot(snap)
    path = tmp_path / "board.svg"
    size = board.export(path)
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text and "<path" in text
    renderer = QtSvg.QSvgRenderer(str(path))
    assert renderer.isValid() and renderer.defaultSize().height() == size.height() > 400


def test_export_failure_raises_a_readable_oserror(qtbot, tmp_path):
    board = board_at(qtbot)
    board.update_snapshot(make_snapshot("nonsaturating"))
    bad = tmp_path / "missing" / "board.png"
    with pytest.raises(OSError, match="the folder does not exist") as info:
        board.export(bad)
    assert str(bad) in str(info.value) and not bad.exists()


def test_a_hidden_board_shows_the_latest_frame_when_shown(qtbot):
    board = EquationBoard()
    qtbot.addWidget(board)
    board.update_snapshot(with_losses("nonsaturating", [[1, 1.3, 0.7, 0.1]]))
    board.update_snapshot(with_losses("nonsaturating", [[1, 1.3, 0.7, 0.1], [2, 1.25, 0.75, 0.1]]))
    assert "No run yet" in board.summary_text()   # nothing built while off screen
    board.resize(500, 400)
    board.show()
    QtWidgets.QApplication.processEvents()
    assert board.value_text("loss_g") == "L_G = 0.7500"


def test_the_board_is_a_snapshot_view_and_says_when_the_theory_is_older(qtbot):
    from ganlab.app.views.protocol import SnapshotView

    board = board_at(qtbot)
    assert isinstance(board, SnapshotView)
    board.update_snapshot(make_snapshot("nonsaturating", iteration=120))    # theory from iteration 0
    assert "Iteration 120." in board.summary_text() and "from iteration 0" in board.summary_text()
