"""Sessions in the app: save while paused, change things, load them back into window and worker; bad files
give a message and change nothing; the recent list; QSettings persistence of layout and last settings.

Every test points QSettings at a temporary INI file ($GANLAB_SETTINGS, conftest.py's settings_file), so the
app keeps settings there; the last test checks that even without it the user's settings are never touched.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

import numpy as np
import pytest
from helpers import REAL_CONFIG_HOME, SMALL, save_session
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog

from ganlab.app import sessions, settings
from ganlab.core.config import Config

pytestmark = pytest.mark.usefixtures("settings_file")  # before any window is built


def wait_iteration(qtbot, w, n):
    qtbot.waitUntil(lambda: w.worker.latest is not None and w.worker.latest.iteration == n, timeout=10000)


def steps(qtbot, w, n):
    # After a pause the newest snapshot may still be a chunk behind the trainer: wait for the one of the state
    # it stopped in, else the count below starts from a stale iteration.
    qtbot.waitUntil(lambda: not w.worker.playing and w.worker.latest.iteration == w.worker.trainer.iteration,
                    timeout=10000)
    start = w.worker.latest.iteration
    for _ in range(n):
        w.commands.step.emit()
    wait_iteration(qtbot, w, start + n)


def load(qtbot, w, path):
    w.sessions.last_loaded = None
    assert w.sessions.open_path(str(path))
    qtbot.waitUntil(lambda: w.sessions.last_loaded is not None, timeout=10000)


# ================================================================ save and load
def test_save_change_load_restores_window_and_worker(qtbot, make_window, tmp_path):
    w = make_window()
    steps(qtbot, w, 6)
    w.commands.move_mode.emit(0, 0.3, 0.4)
    w.commands.add_mode.emit(-1.5, 1.5)
    w.set_freeze(True, False)
    w.change("opt_d.lr", 0.004)
    qtbot.waitUntil(lambda: w.worker.latest.target.n_modes == 9 and w.worker.latest.freeze_g, timeout=5000)
    saved_cfg = w.config
    saved_target = w.worker.latest.target
    path, error = save_session(qtbot, w, tmp_path / "lesson")  # no suffix: .ganlab is added
    assert error == "" and path.endswith("lesson.ganlab") and Path(path).is_file()
    assert "Session saved" in w.statusBar().currentMessage()
    saved_losses = w.worker.latest.losses["loss_d"].copy()
    assert len(saved_losses) == 6

    # change everything: settings (architecture too: a reset), target, freeze flags, iterations
    w.change("opt_d.lr", 0.02)
    w.change("generator.width", 8)
    w.set_freeze(False, False)
    w.commands.remove_mode.emit(0)
    qtbot.waitUntil(lambda: w.worker.latest.iteration == 0 and w.worker.latest.target.n_modes == 8, timeout=5000)
    steps(qtbot, w, 3)
    assert w.config != saved_cfg

    load(qtbot, w, path)
    assert w.config == saved_cfg
    assert w.controls.control("opt_d.lr").value() == pytest.approx(0.004)
    assert w.controls.control("generator.width").value() == SMALL["generator.width"]
    assert w.controls.freeze_state() == (True, False)
    snap = w.worker.latest
    assert snap.iteration == 6 and snap.freeze_g and not snap.freeze_d
    assert snap.target == saved_target
    np.testing.assert_allclose(snap.target.means[0], [0.3, 0.4])
    np.testing.assert_array_equal(snap.losses["loss_d"], saved_losses)
    assert w.worker.trainer.config == saved_cfg
    assert not w.playing
    assert "Session loaded" in w.statusBar().currentMessage()
    steps(qtbot, w, 2)  # and it trains on from there
    assert w.worker.latest.iteration == 8


def test_save_while_playing_and_save_errors(qtbot, make_window, tmp_path):
    w = make_window()
    w.play()
    qtbot.waitUntil(lambda: w.worker.latest.iteration > 20, timeout=10000)
    path, error = save_session(qtbot, w, tmp_path / "live.ganlab")
    assert error == "" and Path(path).stat().st_size > 0
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)
    path, error = save_session(qtbot, w, tmp_path / "missing" / "dir" / "x.ganlab")
    assert "cannot write" in error
    assert "Could not save session" in w.sessions.last_error
    assert "x.ganlab" in w.statusBar().currentMessage()
    assert not any("x.ganlab" in p for p in w.sessions.recent)
    steps(qtbot, w, 1)  # still alive


def test_bad_files_give_a_message_and_change_nothing(qtbot, make_window, tmp_path):
    w = make_window()
    steps(qtbot, w, 4)
    good, _ = save_session(qtbot, w, tmp_path / "good.ganlab")
    raw = Path(good).read_bytes()
    cfg, snap = w.config, w.worker.latest
    bad = {
        "truncated.ganlab": raw[: len(raw) // 2],
        "empty.ganlab": b"",
        "photo.ganlab": b"\x89PNG\r\n\x1a\n" + bytes(300),
    }
    for name, content in bad.items():
        p = tmp_path / name
        p.write_bytes(content)
        assert not w.sessions.open_path(str(p))
        assert "Could not open session" in w.sessions.last_error and name in w.sessions.last_error
        assert name in w.statusBar().currentMessage()
    assert not w.sessions.open_path(str(tmp_path / "nowhere.ganlab"))
    qtbot.wait(100)
    assert w.config == cfg
    assert w.worker.latest.iteration == 4 and w.worker.latest.target == snap.target
    assert all("truncated" not in p and "nowhere" not in p for p in w.sessions.recent)
    steps(qtbot, w, 1)


def test_recent_menu(qtbot, make_window, tmp_path, settings_file):
    w = make_window()
    path, _ = save_session(qtbot, w, tmp_path / "first.ganlab")
    texts = [a.text() for a in w.sessions.menu_recent.actions()]
    assert texts[0] == "&1 first.ganlab"
    for i in range(10):
        w.sessions.add_recent(str(tmp_path / f"r{i}.ganlab"))
    entries = [a for a in w.sessions.menu_recent.actions() if a.data()]
    assert len(entries) == sessions.MAX_RECENT == len(w.sessions.recent)
    assert entries[0].data() == str(tmp_path / "r9.ganlab") and entries[-1].data() == str(tmp_path / "r2.ganlab")
    w.sessions.add_recent(path)  # re-adding moves to the top, no duplicate
    assert w.sessions.recent[0] == path and w.sessions.recent.count(path) == 1
    # stored in the settings file at once
    assert "first.ganlab" in settings_file.read_text()
    # a recent entry opens its session
    steps(qtbot, w, 2)
    entry = next(a for a in w.sessions.menu_recent.actions() if a.data() == path)
    w.sessions.last_loaded = None
    entry.trigger()
    qtbot.waitUntil(lambda: w.sessions.last_loaded is not None, timeout=10000)
    wait_iteration(qtbot, w, 0)
    # a recent file that vanished is dropped from the list
    gone = str(tmp_path / "r9.ganlab")
    assert not w.sessions.open_path(gone) and gone not in w.sessions.recent
    w.sessions.clear_recent()
    assert [a.isEnabled() for a in w.sessions.menu_recent.actions() if a.text()] == [False, False]


def test_menu_actions_shortcuts_and_dialogs(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window()
    s = w.sessions
    assert s.act_open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert s.act_save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert s.act_open in w.menu_file.actions() and s.act_save in w.menu_file.actions()
    assert s.menu_recent.menuAction() in w.menu_file.actions()
    steps(qtbot, w, 3)
    assert s.default_name() == "ganlab_ring8_nonsaturating_it00003.ganlab"
    target = tmp_path / "via-dialog.ganlab"
    seen = {}

    def fake_save(parent, caption, start, filt):
        seen["start"] = start
        return str(target), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(target), "")))
    s.act_save.trigger()
    qtbot.waitUntil(lambda: s.last_saved is not None, timeout=10000)
    assert s.last_saved == (str(target), "")
    assert seen["start"].endswith("ganlab_ring8_nonsaturating_it00003.ganlab") and target.is_file()
    steps(qtbot, w, 2)
    s.act_open.trigger()
    qtbot.waitUntil(lambda: s.last_loaded is not None, timeout=10000)
    wait_iteration(qtbot, w, 3)


# ================================================================ settings
def test_last_settings_and_layout_survive_a_restart(qtbot, make_window, settings_file):
    a = make_window()
    a.change("train.k_d", 3)
    a.change("opt_g.lr", 0.0025)
    qtbot.waitUntil(lambda: a.state.in_force.opt_g.lr == 0.0025, timeout=5000)  # the worker took it
    dock = a.findChild(QDockWidget, "controls")
    dock.hide()
    screen = a.screen().availableGeometry()  # offscreen: a small virtual screen; the window must fit in it
    size = (min(a.width(), screen.width()) - 5, min(a.height(), screen.height()) - 90)
    a.resize(*size)
    qtbot.wait(50)
    assert (a.width(), a.height()) == size
    a.close()
    assert settings_file.is_file()
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(settings_file)
    assert "k_d = 3" in ini["settings"]["last_config"].replace("\\n", "\n")

    b = make_window(show=False)
    assert b.config.train.k_d == 3 and b.config.opt_g.lr == 0.0025
    assert b.controls.control("train.k_d").value() == 3
    assert b.worker.trainer.config.train.k_d == 3  # the worker was built from the restored settings
    b.show()
    qtbot.waitUntil(lambda: b.frames_drawn > 0, timeout=10000)
    assert not b.findChild(QDockWidget, "controls").isVisible()
    assert (b.width(), b.height()) == size


def test_bad_stored_settings_are_ignored(qtbot, make_window, settings_file, tmp_path):
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    s = settings.open_settings()
    s.setValue(settings.KEY_CONFIG, "[train]\nk_d = 500\n")
    s.sync()
    w = make_window()
    assert w.config.train.k_d == 1
    assert "could not be restored" in w.statusBar().currentMessage()
    w.close()
    # a points target whose file is gone falls back to the default target, keeping the rest
    text = Config().with_values({**SMALL, "target.preset": "points", "target.points_file": str(tmp_path / "x.csv"),
                                 "train.k_g": 2}).to_toml()
    cfg, note = settings.config_from_settings_text(text)
    assert cfg.target.preset == "ring8" and cfg.train.k_g == 2 and note
    cuda = settings.config_from_settings_text(Config().with_value("train.device", "cuda").to_toml())[0]
    assert cuda.train.device == "auto"


def test_tests_never_touch_user_settings(qapp, isolated_settings, monkeypatch):
    """conftest.py's autouse fixture points QSettings' folders and $XDG_CONFIG_HOME at a temporary folder and
    unsets $GANLAB_SETTINGS: even as the real app (organization "ganlab", as ganlab.app.main.run_app sets it;
    the fixture restores it after the test), settings written through ganlab land there, never in the user's."""
    monkeypatch.delenv(settings.SETTINGS_ENV, raising=False)
    assert os.environ["XDG_CONFIG_HOME"] == str(isolated_settings)
    assert QCoreApplication.organizationName() != settings.ORGANIZATION
    assert not settings.settings_enabled()  # neither $GANLAB_SETTINGS nor the real app: no settings at all
    real = REAL_CONFIG_HOME / settings.ORGANIZATION / f"{settings.APPLICATION}.conf"
    real_before = real.stat().st_mtime_ns if real.exists() else None
    qapp.setOrganizationName(settings.ORGANIZATION)
    assert settings.settings_enabled()
    s = settings.open_settings()
    s.setValue("tests/isolated", "yes")
    s.sync()
    assert s.status() == QSettings.Status.NoError
    written = Path(s.fileName()).resolve()
    assert written.is_file() and written.is_relative_to(isolated_settings.resolve())
    assert not written.is_relative_to(REAL_CONFIG_HOME.resolve())
    assert (real.stat().st_mtime_ns if real.exists() else None) == real_before
    fallback = QSettings()  # export.py's store when the window has none
    assert Path(fallback.fileName()).resolve().is_relative_to(isolated_settings.resolve())
