"""Setting changes recorded at their iteration (core/events.py): what the curves mark, from the core side.

A change of loss, learning rate, k, architecture (a reset), target or freeze becomes an Event with the
iteration it happened at and a short text; bursts (a slider, a drag) merge into one; the observer keeps the
events with the metric history (cleared on reset) and every Snapshot carries them as an immutable tuple.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ganlab.core.config import Config
from ganlab.core.events import (
    ARCHITECTURE,
    TEMPLATES,
    WATCHED,
    Event,
    EventLog,
    config_events,
    format_value,
    freeze_events,
)
from ganlab.core.observer import Observer
from ganlab.core.trainer import Trainer


def small(**values) -> Config:
    base = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
            "theory.samples": 300, "theory.grid": 32}
    return Config().with_values({**base, **values})


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize("value,text", [(2e-4, "2e-4"), (1e-3, "1e-3"), (0.01, "0.01"), (0.5, "0.5"), (1.0, "1"),
                                        (0.999, "0.999"), (64, "64"), (1e4, "1e4"), (3e-6, "3e-6"), (0.0, "0"),
                                        (True, "on"), (False, "off"), (None, "auto"), ("hinge", "hinge")])
def test_values_are_short(value, text):
    assert format_value(value) == text


def test_config_events_name_each_change_with_before_and_after():
    a = small(**{"train.loss": "minimax", "opt_d.lr": 2e-4, "train.k_d": 1})
    b = a.with_values({"train.loss": "nonsaturating", "opt_d.lr": 1e-3, "train.k_d": 5})
    events = config_events(a, b, 1234)
    assert [e.text() for e in events] == ["loss: minimax → nonsaturating", "lr_D 2e-4 → 1e-3", "k_D 1 → 5"]
    assert all(e.iteration == 1234 for e in events)
    assert [e.short() for e in events] == ["loss", "lr_D", "k_D"]
    assert config_events(a, a, 5) == []
    # settings with no meaning for the curves (threads, theory resolution) are not events
    assert config_events(a, a.with_values({"train.threads": 2, "theory.grid": 64}), 5) == []
    # a reset: the architecture change comes first, at iteration 0
    c = b.with_values({"discriminator.width": 32, "opt_g.lr": 5e-4})
    events = config_events(b, c, 0, reset=True)
    assert [e.text() for e in events] == ["new networks: D width 16 → 32", "lr_G 1e-3 → 5e-4"]
    assert events[0].short() == "reset"


def test_every_event_key_has_a_template():
    for key in (*WATCHED, *ARCHITECTURE, "reset", "freeze_g=on", "freeze_g=off", "freeze_d=on", "freeze_d=off",
                *(f"target.{k}" for k in ("moved", "added", "removed", "resized", "replaced"))):
        assert key in TEMPLATES, key
    assert [e.text() for e in freeze_events((False, False), (True, False), 7)] == ["G frozen"]
    assert [e.text() for e in freeze_events((True, True), (False, True), 7)] == ["G trains again"]
    assert freeze_events((True, False), (True, False), 7) == []


def test_a_burst_of_changes_is_one_event_and_a_burst_back_is_none():
    clock = Clock()
    log = EventLog(clock=clock)
    base = small(**{"opt_d.lr": 2e-4})
    cfg = base
    for i, lr in enumerate((3e-4, 5e-4, 1e-3)):           # a spin box clicked three times within a second
        new = cfg.with_values({"opt_d.lr": lr})
        clock.t += 0.3
        log.record(config_events(cfg, new, 100 + i))
        cfg = new
    assert [(e.iteration, e.text()) for e in log.view()] == [(100, "lr_D 2e-4 → 1e-3")]
    clock.t += 5.0                                          # later: a new event
    log.record(config_events(cfg, base, 900))
    assert [(e.iteration, e.text()) for e in log.view()] == [(100, "lr_D 2e-4 → 1e-3"), (900, "lr_D 1e-3 → 2e-4")]
    clock.t += 0.2                                          # and straight back again: it never happened
    log.record(config_events(base, cfg, 905))
    assert [e.iteration for e in log.view()] == [100]
    # a drag: many moves of one mode merge, another mode is another event
    clock.t += 10
    for k in range(20):
        clock.t += 0.05
        log.record(Event(2000 + k, "target.moved", subject="3"))
    log.record(Event(2030, "target.moved", subject="4"))
    assert [(e.iteration, e.text()) for e in log.view()[1:]] == [(2000, "target: mode 3 moved"),
                                                                  (2030, "target: mode 4 moved")]


def test_the_log_is_an_immutable_tuple_that_round_trips():
    log = EventLog()
    log.record(Event(5, "train.loss", "minimax", "hinge"))
    view = log.view()
    assert isinstance(view, tuple) and len(log) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        view[0].iteration = 6
    log.record(Event(9, "freeze_d", "off", "on"))
    assert view == (Event(5, "train.loss", "minimax", "hinge"),)     # an earlier view never changes
    other = EventLog()
    other.load(log.to_list())
    assert other.view() == log.view()
    log.clear()
    assert log.view() == ()


def test_observer_records_changes_at_their_iteration_and_the_snapshot_carries_them():
    t = Trainer(small(**{"train.loss": "minimax", "opt_d.lr": 2e-4}))
    obs = Observer(t, grid_n=32)
    t.step(7)
    old = t.config
    new = old.with_values({"train.loss": "nonsaturating", "opt_d.lr": 1e-3})
    assert not t.apply_config(new)
    obs.config_changed(old, new, reset=False)
    t.step(3)
    obs.freeze_changed((False, False), (True, False))
    obs.target_edited("moved", 2)
    snap = obs.take(theory=False)
    assert isinstance(snap.events, tuple)
    assert [(e.iteration, e.text()) for e in snap.events] == [
        (7, "loss: minimax → nonsaturating"), (7, "lr_D 2e-4 → 1e-3"), (10, "G frozen"), (10, "target: mode 2 moved")]
    assert snap.events is obs.events.view()
    # a reset clears them with the metrics; its own reason is recorded at iteration 0
    wide = new.with_values({"generator.width": 24})
    assert t.apply_config(wide)
    obs.clear()
    obs.config_changed(new, wide, reset=True)
    assert [(e.iteration, e.text()) for e in obs.take(theory=False).events] == [
        (0, "new networks: G width 16 → 24")]
    assert len(obs.metrics) <= 1


def test_target_replacement_and_resize_texts():
    t = Trainer(small())
    obs = Observer(t, grid_n=32)
    obs.target_edited("resized", 1, 0.05, 0.1)
    obs.target_edited("replaced", after=25)
    assert [e.text() for e in obs.events.view()] == ["target: mode 1 std 0.05 → 0.1", "target replaced: 25 modes"]
    assert np.all([e.iteration == 0 for e in obs.events.view()])
