"""AppState: the one owner of the shell's state, tested without Qt (it must not need it)."""

from __future__ import annotations

import subprocess
import sys

from ganlab.app.state import AppState, Layers
from ganlab.core.config import Config


def _log(state: AppState) -> list:
    got = []
    state.config_changed.connect(lambda c: got.append(("config", c)))
    state.freeze_changed.connect(lambda g, d: got.append(("freeze", g, d)))
    state.layers_changed.connect(lambda layers: got.append(("layers", layers)))
    state.language_changed.connect(lambda lang: got.append(("language", lang)))
    return got


def test_state_module_imports_no_qt():
    code = "import sys, ganlab.app.state; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'torch'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_request_then_accept_moves_the_config_in_force():
    a = Config()
    s = AppState(a)
    got = _log(s)
    b = a.with_value("opt_d.lr", 0.01)
    s.request(b)
    assert s.config is b and s.in_force is a and got == [("config", b)]
    s.accepted(b)
    assert s.in_force is b and len(got) == 1


def test_a_refused_config_reverts_unless_a_newer_one_is_on_its_way():
    a = Config()
    s = AppState(a)
    bad = a.with_value("train.device", "cuda")
    s.request(bad)
    got = _log(s)
    s.rejected(bad, a)
    assert s.config is a and s.in_force is a and got == [("config", a)]   # the controls show what runs

    newer = a.with_value("opt_g.lr", 0.003)
    s.request(bad)
    s.request(newer)
    got.clear()
    s.rejected(bad, a)
    assert s.config is newer and s.in_force is a and got == []             # the newer request stands


def test_a_loaded_session_wins_unless_a_setting_changed_after_the_load_was_sent():
    a = Config()
    session = a.with_value("train.seed", 7)
    s = AppState(a)
    s.loading("load")
    s.loaded(session, "load")
    assert s.config is session and s.in_force is session

    s = AppState(a)
    s.loading("load")
    later = a.with_value("opt_d.lr", 0.02)
    s.request(later)              # reached the worker after the session: it runs this one now
    s.loaded(session, "load")
    assert s.config is later and s.in_force is session


def test_two_loads_on_their_way_each_answer_for_itself():
    """Load 1, a change, load 2, more changes, then both answers: the worker ran load 1, the change, load 2 and
    the later changes, so the last change is what runs (the monkey test found the state left at load 2's)."""
    a = Config()
    s1, s2 = a.with_value("train.seed", 7), a.with_value("train.seed", 8)
    s = AppState(a)
    s.loading("one")
    s.request(a.with_value("opt_d.lr", 0.02))
    s.loading("two")
    last = a.with_value("opt_d.lr", 0.03)
    s.request(last)
    s.loaded(s1, "one")
    s.loaded(s2, "two")
    assert s.config is last and s.in_force is s2
    # and with nothing asked for after the second load was sent, its config is what runs
    s = AppState(a)
    s.loading("one")
    s.request(a.with_value("opt_d.lr", 0.02))
    s.loading("two")
    s.loaded(s1, "one")
    s.loaded(s2, "two")
    assert s.config is s2


def test_freeze_layers_and_language_notify_with_their_values():
    s = AppState(Config())
    got = _log(s)
    s.set_freeze(1, 0)
    s.set_layers(Layers().with_layer("push", True))
    s.set_language("ru")
    assert s.freeze == (True, False) and s.layers.push and s.language == "ru"
    assert got == [("freeze", True, False), ("layers", Layers(push=True)), ("language", "ru")]


def test_layers_names_are_the_fields_in_order():
    assert Layers.names() == ("heatmap", "real", "fake", "push", "manifold")
    assert Layers() == Layers(True, True, True, False, False)
    assert Layers().with_layer("real", False).real is False
