"""Rewinding a run (issue 12, item 14): the slider shows a kept frame in the field and the theory panels,
pauses training, puts a cursor on the curves, and Live, Play, a step or an edit returns to the live run."""

from __future__ import annotations

import numpy as np


def _train_to(qtbot, w, iterations: int) -> None:
    w.play()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration >= iterations and len(w.scrubber.timeline) >= 4,
                    timeout=30000)
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)


def test_the_slider_shows_a_kept_frame_and_live_returns(qtbot, make_window):
    w = make_window()
    _train_to(qtbot, w, 300)
    tl, bar = w.scrubber.timeline, w.scrubber.bar
    assert bar.slider.maximum() == len(tl) - 1 and bar.slider.value() == bar.slider.maximum()
    assert not bar.live.isEnabled() and f"{len(tl)} moments" in bar.where.text()
    first = tl.frames[0]
    bar.slider.setValue(0)
    assert w.scrubber.showing is first
    assert w.field._snap is first and w.theory._snap is first          # both views show the kept frame
    assert bar.live.isEnabled() and f"{first.iteration:,}" in bar.where.text()
    cursors = w.scrubber._cursors
    assert len(cursors) == len(w.curves.plots) and all(c.isVisible() and c.value() == first.iteration
                                                        for c in cursors)
    # new live snapshots (a command that keeps the rewind: saving or pausing) do not replace the frame
    w.commands.pause.emit()
    qtbot.wait(200)
    assert w.field._snap is first
    bar.live.click()
    assert w.scrubber.showing is None and not any(c.isVisible() for c in cursors)
    qtbot.waitUntil(lambda: w.field._snap is w.worker.latest, timeout=5000)
    assert w.field._snap.iteration >= 300


def test_moving_the_slider_pauses_and_a_step_returns_to_live(qtbot, make_window):
    w = make_window()
    w.play()
    qtbot.waitUntil(lambda: len(w.scrubber.timeline) >= 4, timeout=30000)
    w.scrubber.show_iteration(0)
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)                 # rewinding paused training
    shown = w.scrubber.showing
    assert shown is not None and shown.iteration == w.scrubber.timeline.frames[0].iteration
    live_it = w.worker.trainer.iteration
    w.commands.step.emit()
    assert w.scrubber.showing is None                                    # a step acts on the live run
    qtbot.waitUntil(lambda: w.field._snap is not None and w.field._snap.iteration == live_it + 1, timeout=5000)


def test_an_edit_while_rewound_is_seen_on_the_live_run(qtbot, make_window):
    w = make_window()
    _train_to(qtbot, w, 100)
    w.scrubber.show_iteration(0)
    assert w.scrubber.showing is not None
    w.field.sigModeMoved.emit(0, 1.0, 1.0)
    assert w.scrubber.showing is None
    qtbot.waitUntil(lambda: w.field._snap is not None and np.allclose(w.field._snap.target.means[0], (1.0, 1.0)),
                    timeout=5000)


def test_reset_and_a_loaded_run_drop_the_past(qtbot, make_window):
    w = make_window()
    _train_to(qtbot, w, 100)
    assert len(w.scrubber.timeline) >= 4
    w.reset()
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.iteration == 0, timeout=5000)
    assert w.scrubber.timeline.iterations == [0] and w.scrubber.bar.slider.maximum() == 0
