"""The seed grid: one setting on N seeds as one BatchedTrainer; cells show each member's verdict; a click hands
over a Trainer at that member's state. Tiny networks, 4 seeds, a few hundred iterations."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from ganlab.app.mini_field import verdict_text
from ganlab.app.seed_grid import SeedGridWindow, summary_text
from ganlab.app.seed_grid_worker import GridFrame
from ganlab.core import batched
from ganlab.core.batched_metrics import display_noise, member_samples
from ganlab.core.config import Config, ConfigError
from ganlab.core.verdict import Verdict, verdict

TINY = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
        "theory.samples": 300, "theory.grid": 32, "train.seed": 11}
N, SAMPLES, ITERATIONS = 4, 200, 200
WAIT_MS = 60_000


def tiny_config() -> Config:
    return Config().with_values(TINY)


@pytest.fixture
def grid(qtbot):
    w = SeedGridWindow(tiny_config(), None, n=N, samples=SAMPLES)
    qtbot.addWidget(w)
    yield w
    w.close()


def _run_and_pause(qtbot, w: SeedGridWindow, iterations: int = ITERATIONS) -> GridFrame:
    """Train to `iterations`, pause, and wait until the window shows the state the batch stopped in."""
    w.start()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration >= iterations, timeout=WAIT_MS)
    w.pause()
    qtbot.waitUntil(lambda: not w.worker.playing and w.drawn is w.worker.latest
                    and w.drawn.iteration == w.worker.batch.iteration and not w.drawn.playing, timeout=WAIT_MS)
    return w.drawn


def test_the_grid_trains_and_each_cell_shows_its_members_verdict(qtbot, grid):
    assert [c.seed for c in grid.cells] == [11, 12, 13, 14]
    frame = _run_and_pause(qtbot, grid)
    batch = grid.worker.batch
    assert frame.iteration >= ITERATIONS and list(frame.iterations) == [frame.iteration] * N
    assert grid.play_button.text() == "Play"
    samples = member_samples(batch, SAMPLES)      # each member's G on its display noise, now
    for i, cell in enumerate(grid.cells):
        want = verdict(samples[i], batch.target, batch.status[i] == "diverged")
        assert cell.verdict == want
        assert cell.label.text() == verdict_text(want)
        x, y = cell.fake_item.getData()
        np.testing.assert_array_equal(np.stack([x, y], axis=1), samples[i])
    counts = re.match(r"collapsed on (\d+) of 4 seeds · all modes on (\d+) of 4 · iteration (\d+)",
                      grid.summary.text())
    assert counts is not None, grid.summary.text()
    assert int(counts[1]) == sum(c.verdict.kind == "collapsed" for c in grid.cells)
    assert int(counts[2]) == sum(c.verdict.kind == "all" for c in grid.cells)
    assert int(counts[3]) == frame.iteration


def test_summary_counts_the_verdicts():
    def v(kind: str, on: int = 0) -> Verdict:
        return Verdict(kind, modes_captured=8 if kind == "all" else 1, n_modes=8, collapsed_on=on)

    vs = (v("collapsed", 1), v("all"), v("collapsed", 2), v("diverged"), v("off"), v("collapsed", 1))
    frame = GridFrame(iteration=2000, iterations=np.zeros(6), seeds=tuple(range(6)), samples=np.zeros((6, 1, 2)),
                      verdicts=vs, status=("ok",) * 6, target=None, real=np.zeros((1, 2)), its_per_sec=0.0,
                      playing=False)
    assert summary_text(frame) == ("collapsed on 3 of 6 seeds · all modes on 1 of 6 · iteration 2000"
                                   " · diverged on 1")
    assert [verdict_text(x) for x in vs[:4]] == ["collapsed: 1 mode", "8/8 modes", "collapsed: 2 modes", "diverged"]


def test_clicking_a_cell_hands_over_a_trainer_at_that_members_state(qtbot, grid):
    grid.start()
    qtbot.waitUntil(lambda: grid.drawn is not None and grid.drawn.iteration >= 100, timeout=WAIT_MS)
    with qtbot.waitSignal(grid.open_member, timeout=WAIT_MS) as got:
        qtbot.mouseClick(grid.cells[2], Qt.MouseButton.LeftButton)
    trainer = got.args[0]
    qtbot.waitUntil(lambda: not grid.playing, timeout=WAIT_MS)     # the grid paused where it handed over
    batch = grid.worker.batch
    assert not grid.worker.playing
    assert trainer.config.train.seed == 13 and trainer.iteration == batch.iterations[2] >= 100
    z = display_noise(batch, SAMPLES)[2]
    with torch.no_grad():
        mine = trainer.G(z).numpy()
    np.testing.assert_allclose(mine, member_samples(batch, SAMPLES)[2], rtol=1e-5, atol=1e-6)
    assert trainer.status == "ok"
    # the window's cells are display only: their plots let every click through to the cell
    assert grid.cells[0].plot_widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_reset_starts_the_seeds_again(qtbot, grid):
    _run_and_pause(qtbot, grid, 50)
    first = grid.worker.latest
    grid.reset()
    qtbot.waitUntil(lambda: grid.drawn is not first and grid.drawn.iteration == 0, timeout=WAIT_MS)
    fresh = batched.BatchedTrainer([tiny_config().with_value("train.seed", 11 + k) for k in range(N)])
    np.testing.assert_allclose(grid.drawn.samples, member_samples(fresh, SAMPLES), rtol=1e-6, atol=1e-6)


def test_settings_a_batch_refuses_show_the_message(qtbot, monkeypatch):
    def refuse(configs):
        raise ConfigError("train.loss", "members of a batch may differ only in ...")

    monkeypatch.setattr(batched, "check_compatible", refuse)
    w = SeedGridWindow(tiny_config(), None, n=N)
    qtbot.addWidget(w)
    w.start()
    assert w.worker is None and w.worker_thread is None and not w.cells
    assert "train.loss: members of a batch may differ only in" in w.summary.text()
    assert not w.play_button.isEnabled() and not w.reset_button.isEnabled()
    w.close()


def test_closing_stops_the_thread(qtbot, grid):
    grid.start()
    qtbot.waitUntil(lambda: grid.drawn is not None and grid.drawn.iteration > 0, timeout=WAIT_MS)
    assert grid.worker_thread.thread.isRunning()
    grid.close()
    assert not grid.worker_thread.thread.isRunning()
    assert not grid._timer.isActive()


def test_deleting_the_parent_window_stops_the_thread(qtbot):
    """The main window may go without closing its side windows first: no thread may outlive its window."""
    import shiboken6
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    w = SeedGridWindow(tiny_config(), None, parent=parent, n=N, samples=SAMPLES)
    w.start()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration > 0, timeout=WAIT_MS)
    thread = w.worker_thread.thread
    assert thread.isRunning()
    shiboken6.delete(parent)
    assert not thread.isRunning()
