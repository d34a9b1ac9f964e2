"""Twin runs: the same seed, one setting apart, in lockstep; the bottom curve is JSD of A minus JSD of B.
Tiny networks, a few hundred iterations."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from ganlab.app.twin_runs import TwinRunsWindow
from ganlab.core.config import Config, all_keys
from ganlab.core.observer import Observer

TINY = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
        "theory.samples": 300, "theory.grid": 32, "train.seed": 5}
ITERATIONS = 150
WAIT_MS = 60_000


def tiny_config() -> Config:
    return Config().with_values(TINY)


@pytest.fixture
def make_twins(qtbot):
    made = []

    def make(key, a, b) -> TwinRunsWindow:
        w = TwinRunsWindow(tiny_config(), None, key, a, b)
        qtbot.addWidget(w)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
        assert w.worker_thread is None or not w.worker_thread.thread.isRunning()


def _run_and_pause(qtbot, w: TwinRunsWindow):
    w.start()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration >= ITERATIONS, timeout=WAIT_MS)
    w.pause()
    qtbot.waitUntil(lambda: not w.worker.playing and w.drawn is w.worker.latest and not w.drawn.playing,
                    timeout=WAIT_MS)
    return w.drawn


def _open(qtbot, w: TwinRunsWindow, i: int):
    with qtbot.waitSignal(w.open_member, timeout=WAIT_MS) as got:
        qtbot.mouseClick(w.fields[i], Qt.MouseButton.LeftButton)
    return got.args[0]


@pytest.mark.parametrize(("key", "a", "b", "batched"), [
    ("train.loss", "minimax", "nonsaturating", False),     # shapes the computation: two Trainers, alternately
    ("train.k_d", 1, 5, False),
    ("opt_d.lr", 1e-3, 3e-3, True),                        # batch.PER_MEMBER: one BatchedTrainer of 2
])
def test_twins_run_in_lockstep_one_setting_apart(qtbot, make_twins, key, a, b, batched):
    w = make_twins(key, a, b)
    assert w.worker.batched is batched
    cfg_a, cfg_b = w.worker.configs
    assert [k for k in all_keys() if cfg_a.get(k) != cfg_b.get(k)] == [key]
    assert (cfg_a.get(key), cfg_b.get(key)) == (a, b) and cfg_a.train.seed == cfg_b.train.seed == 5
    frame = _run_and_pause(qtbot, w)
    assert frame.iterations[0] == frame.iterations[1] == frame.iteration >= ITERATIONS
    assert frame.curve_iterations[-1] == frame.iteration
    # every curve point has both runs at that same iteration: A and B start alike (same seed and networks)
    assert frame.curve_iterations[0] == 0 and frame.curve_jsd[0, 0] == pytest.approx(frame.curve_jsd[0, 1])
    # the bottom curve is the top curves' difference, point by point
    xa, ya = w.curve_a.getData()
    xb, yb = w.curve_b.getData()
    xd, yd = w.curve_diff.getData()
    np.testing.assert_array_equal(xa, frame.curve_iterations)
    np.testing.assert_array_equal(xd, xa)
    np.testing.assert_array_equal(xb, xa)
    np.testing.assert_allclose(yd, ya - yb)
    assert yd[-1] == pytest.approx(frame.jsd[0] - frame.jsd[1])
    # each run's last JSD is its Observer's, read afresh from a Trainer at its state
    for i in (0, 1):
        trainer = _open(qtbot, w, i)
        assert trainer.config.get(key) == (a, b)[i] and trainer.iteration == frame.iteration
        jsd = Observer(trainer).take(theory=True).theory.jsd
        assert frame.curve_jsd[-1, i] == pytest.approx(jsd, rel=1e-4, abs=1e-6)


def test_a_bad_setting_shows_the_message(qtbot, make_twins):
    w = make_twins("train.k_d", 1, 500)
    w.start()
    assert w.worker is None and "train.k_d" in w.header.text()
    assert not w.play_button.isEnabled()


def test_closing_stops_the_thread(qtbot, make_twins):
    w = make_twins("train.loss", "minimax", "nonsaturating")
    w.start()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration > 0, timeout=WAIT_MS)
    assert w.worker_thread.thread.isRunning()
    w.close()
    assert not w.worker_thread.thread.isRunning() and not w._timer.isActive()


def test_the_jsd_plot_names_each_run_in_its_colour_in_the_title(make_twins):
    """No legend box (it covered a curve in whichever corner it sat): the title names A and B in their pens'
    colours, as the main curves view does."""
    from ganlab.app.twin_runs import COLOURS

    w = make_twins("train.k_d", 1, 5)
    title = w.jsd_plot.titleLabel.text
    assert title.index(COLOURS[0]) < title.index("JSD of A") < title.index(COLOURS[1]) < title.index("JSD of B")
    assert w.curve_a.opts["pen"].color().name().lower() == COLOURS[0].lower()
    assert w.curve_b.opts["pen"].color().name().lower() == COLOURS[1].lower()
    assert w.jsd_plot.legend is None
