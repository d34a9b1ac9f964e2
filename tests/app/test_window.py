"""The whole window: live training on its QThread, controls reaching the trainer, dragging modes, closing.

Everything goes through the real path (controls -> commands -> worker thread -> snapshot -> views);
tests wait for the queued calls with qtbot.waitUntil instead of sleeping.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PySide6 import QtWidgets
from qtinput import double_click, drag  # noqa: E402

from ganlab.core.config import Config


@pytest.fixture
def win(make_window):
    return make_window(size=(1300, 850))


def trainer(w):
    return w.worker.trainer


def play_until(qtbot, w, iterations: int):
    w.play()
    qtbot.waitUntil(lambda: trainer(w).iteration >= iterations, timeout=20000)


def pause(qtbot, w):
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)


def test_play_then_pause_trains_and_updates_every_view(qtbot, win):
    first = win.worker.latest
    frames = win.frames_drawn
    play_until(qtbot, win, 120)
    pause(qtbot, win)
    it = trainer(win).iteration
    qtbot.wait(300)
    assert trainer(win).iteration == it  # pausing trains no extra iteration
    qtbot.waitUntil(lambda: win.drawn is win.worker.latest and win.drawn.iteration == it, timeout=5000)
    snap = win.drawn
    assert win.frames_drawn > frames
    assert not np.array_equal(snap.fake, first.fake)                 # G moved the generated cloud
    np.testing.assert_array_equal(win.field.fake_item.getData()[0], snap.fake[:, 0])
    assert len(snap.losses["step"]) == it and np.isfinite(snap.losses["loss_d"][-1])
    assert len(snap.metrics["step"]) >= 2
    win.curves.flush()
    xs, ys = win.curves.s_loss_d.curve.getData()
    assert len(xs) > 0 and xs[-1] == pytest.approx(it)               # the curve reaches the last iteration
    win._update_status()
    text = win.status_label.text()
    assert f"iteration {it:,}" in text and "device cpu" in text and "seed 0" in text


def test_controls_change_the_running_trainer_without_reset(qtbot, win):
    play_until(qtbot, win, 30)
    c = win.controls
    c.control("train.loss").setCurrentText("minimax")
    c.control("opt_d.lr").setValue(0.0005)
    c.control("train.k_d").setValue(3)
    c.control("train.batch_size").setValue(96)
    qtbot.waitUntil(lambda: trainer(win).config.train.k_d == 3 and trainer(win).config.train.batch_size == 96,
                    timeout=5000)
    t = trainer(win)
    assert t.config.train.loss == "minimax" and t.config.opt_d.lr == pytest.approx(5e-4)
    assert t.opt_d.param_groups[0]["lr"] == pytest.approx(5e-4)
    before = t.iteration
    qtbot.waitUntil(lambda: trainer(win).iteration > before + 10, timeout=10000)  # still training, no reset
    assert win.config.train.loss == "minimax"
    pause(qtbot, win)


def test_architecture_change_rebuilds_networks_and_says_so(qtbot, win):
    play_until(qtbot, win, 30)
    shown = []  # every status message (polling currentMessage could miss one replaced on a loaded machine)
    win.statusBar().messageChanged.connect(shown.append)
    win.controls.control("generator.width").setValue(48)
    # (the worker thread sets the config, then builds the networks: wait for both, reading from this thread)
    qtbot.waitUntil(lambda: trainer(win).config.generator.width == 48, timeout=10000)
    qtbot.waitUntil(lambda: trainer(win).G.net[0].out_features == 48, timeout=10000)
    # the worker's notice arrives through a queued signal, after the trainer changed
    qtbot.waitUntil(lambda: any("restarted" in m for m in shown), timeout=10000)
    pause(qtbot, win)


def test_rejected_value_names_the_field_and_keeps_the_old_one(qtbot, win):
    win.change("opt_d.lr", float("nan"))
    assert "opt_d.lr" in win.statusBar().currentMessage()
    assert win.config.opt_d.lr == Config().opt_d.lr
    assert math.isfinite(win.controls.control("opt_d.lr").value())


def test_dragging_a_mode_moves_the_target_and_dstar_follows(qtbot, win):
    play_until(qtbot, win, 20)  # dragging works while training runs
    before = win.worker.latest
    start = tuple(trainer(win).target.means[0])
    end = (start[0] - 0.8, start[1] + 0.6)
    drag(win.field, start, end)
    qtbot.waitUntil(lambda: np.linalg.norm(trainer(win).target.means[0] - end) < 0.08, timeout=5000)
    qtbot.waitUntil(lambda: np.linalg.norm(win.worker.latest.target.means[0] - end) < 0.08, timeout=5000)
    after = win.worker.latest
    assert win.playing  # training did not stop for the drag
    changed = np.nan_to_num(after.theory.dstar, nan=-1) != np.nan_to_num(before.theory.dstar, nan=-1)
    assert changed.mean() > 0.01                                      # D* follows the moved mode
    # the real cloud's points of mode 0 moved with it
    assert np.linalg.norm(after.real.mean(0) - before.real.mean(0)) > 0.02
    pause(qtbot, win)


def test_add_and_remove_modes_while_paused(qtbot, win):
    n = trainer(win).target.n_modes
    double_click(win.field, (0.0, 0.0))
    qtbot.waitUntil(lambda: trainer(win).target.n_modes == n + 1, timeout=5000)
    assert np.linalg.norm(trainer(win).target.means[-1]) < 0.1
    win.field.sigModeRemoved.emit(0)
    qtbot.waitUntil(lambda: trainer(win).target.n_modes == n, timeout=5000)
    win.field.sigModeStdChanged.emit(0, 0.2)
    qtbot.waitUntil(lambda: trainer(win).target.stds[0] == pytest.approx(0.2), timeout=5000)


def test_step_buttons_and_reset(qtbot, win):
    t = trainer(win)
    win.act_step.trigger()
    qtbot.waitUntil(lambda: trainer(win).iteration == 1, timeout=5000)
    d0 = [p.detach().clone() for p in t.D.parameters()]
    g0 = [p.detach().clone() for p in t.G.parameters()]
    win.act_step_d.trigger()
    qtbot.waitUntil(lambda: any(not torch.equal(a, b) for a, b in zip(d0, t.D.parameters(), strict=True)),
                    timeout=5000)
    assert all(torch.equal(a, b) for a, b in zip(g0, t.G.parameters(), strict=True))  # D step leaves G alone
    assert t.iteration == 1
    win.act_reset.trigger()
    qtbot.waitUntil(lambda: trainer(win).iteration == 0 and len(trainer(win).losses) == 0, timeout=5000)


def test_divergence_pauses_and_offers_a_way_out(qtbot, win):
    t = trainer(win)
    with torch.no_grad():  # paused: the worker is idle between ticks
        next(t.D.parameters()).fill_(math.nan)
    win.play()
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=5000)
    assert "diverged" in win.banner.label.text() and "learning rate" in win.banner.label.text()
    assert not win.playing and win.worker.thread().isRunning()
    old_lr = win.config.opt_d.lr
    win.banner.lower_btn.click()
    qtbot.waitUntil(lambda: trainer(win).status == "ok" and trainer(win).config.opt_d.lr < old_lr, timeout=5000)
    assert not win.banner.isVisible()
    assert all(torch.isfinite(p).all() for p in trainer(win).D.parameters())


def test_many_redraws_and_thousands_of_signals(qtbot, win):
    """Catches the PySide6 6.12.0 refcount crash on Python 3.11 (it needs thousands of emits)."""
    win.play()
    for i in range(4000):
        win.commands.set_max_rate.emit(0.0)
        win.commands.set_overlays.emit(i % 2 == 0, False)
        if i % 20 == 0:
            QtWidgets.QApplication.processEvents()
    drawn = win.frames_drawn
    for _ in range(300):
        win.drawn = None  # force a full redraw of the newest snapshot
        win.redraw()
        QtWidgets.QApplication.processEvents()
    assert win.frames_drawn >= drawn + 300
    pause(qtbot, win)
    assert trainer(win).status == "ok" and win.worker.thread().isRunning()


def test_close_while_training_stops_the_thread_quietly(qtbot, make_window, recwarn):
    w = make_window()
    play_until(qtbot, w, 10)
    thread = w.worker_thread.thread
    w.close()
    assert thread.wait(1000) and not thread.isRunning()
    assert not [r for r in recwarn if "QThread" in str(r.message)]


def test_fast_forward_draws_fewer_frames_and_keeps_training(qtbot, win):
    """The Speed box's fast-forward entry: no iteration cap, 10 frames a second, the curves at most at 5."""
    from ganlab.app.window import CURVES_FPS, SPEEDS

    i = next(k for k, s in enumerate(SPEEDS) if s[0].startswith("Fast-forward"))
    assert SPEEDS[i][1] == 0.0 and SPEEDS[i][2] == 10.0
    win.speed.setCurrentIndex(i)
    qtbot.waitUntil(lambda: win.worker.snapshot_interval == pytest.approx(0.1), timeout=5000)
    assert win.worker.max_rate == 0.0
    assert win.curves.max_fps == min(CURVES_FPS, 5.0)
    win.play()
    qtbot.waitUntil(lambda: win.worker.trainer.iteration > 20, timeout=20000)
    win.speed.setCurrentIndex(0)  # back to full speed: 32 frames, curves at CURVES_FPS
    qtbot.waitUntil(lambda: win.worker.snapshot_interval == pytest.approx(1 / 32), timeout=5000)
    assert win.curves.max_fps == CURVES_FPS


def test_the_window_answers_while_torch_loads_and_keeps_what_was_changed(qtbot, make_window, monkeypatch):
    """`ganlab` shows the window first and builds the trainer when torch has loaded (seconds later). Meanwhile
    every command is harmless, and a setting changed then is the one the trainer starts with."""
    import sys

    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: errors.append(a))
    w = make_window(deferred=True)
    assert w.worker is None
    w.play()
    w.commands.step.emit()
    w.reset()
    w.speed.setCurrentIndex(1)
    w.change("opt_d.lr", 0.0005)
    w.redraw()
    assert errors == [] and w.worker is None
    import gc

    from ganlab.app.main import _attach_when_torch_loaded

    gc.unfreeze()
    _attach_when_torch_loaded(w)
    qtbot.waitUntil(lambda: w.worker is not None and w.frames_drawn > 0, timeout=30000)
    assert w.worker.trainer.config.opt_d.lr == 0.0005
    # once started, the startup heap is left out of cycle collection (a full one held the GIL ~0.3 s)
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
    qtbot.waitUntil(lambda: w.worker.snapshot_interval == pytest.approx(0.1), timeout=5000)  # fast-forward
    w.play()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration > 5, timeout=20000)
    assert errors == []
    w.close()
    assert not w.worker_thread.thread.isRunning()


def test_a_deferred_window_is_built_without_torch():
    """The window shows before torch loads (seconds): building it, every part and menu, must not import it."""
    import os
    import subprocess
    import sys

    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from ganlab.app.window import MainWindow\n"
            "w = MainWindow(deferred=True)\n"
            "print(w.worker is None, len(w.menuBar().actions()), 'torch' in sys.modules)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "7", "False"]
