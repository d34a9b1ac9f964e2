"""Reliability of the running app under abuse (issue 6): bad values through window.change and typed into the
controls, CUDA where there is none, huge and broken targets and CSV files, divergence, corrupt and crafted
session files, exports to missing/read-only/full folders, and shutdown (close, SIGINT, SIGTERM).

Every test runs with a guard that fails it on any Python exception (sys.excepthook, threading.excepthook)
and any Qt warning or error (qInstallMessageHandler; only the offscreen plugin's "propagateSizeHints"
warning is ignored), and on an unexpected "Training stopped" from the worker.
"""

from __future__ import annotations

import errno
import gc
import json
import math
import os
import pickle
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
import torch
from faults import Evil, evil_npy, raise_oserror, rewrite_zip
from guard import Guard
from helpers import save_session
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFileDialog, QSpinBox
from qtinput import drag  # noqa: E402

from ganlab.app import export, render
from ganlab.app.state import Layers
from ganlab.app.views import mode_editor
from ganlab.core import files as core_files
from ganlab.core.config import all_keys, field_info
from ganlab.core.presets import MAX_CSV_ROWS
from ganlab.core.target import MAX_MODES, GaussianMixture

DIVERGING = {"opt_d.name": "sgd", "opt_g.name": "sgd", "opt_d.lr": 1.0, "opt_g.lr": 1.0, "train.loss": "lsgan"}


# ===================================================================== guard and window
@pytest.fixture
def guard(qapp):
    gc.collect()  # garbage of earlier tests (Qt objects in cycles) is freed here, in the GUI thread
    g = Guard()
    g.install()
    try:
        yield g
    finally:
        g.uninstall()
    g.check()


@pytest.fixture
def make_window(guard, make_window):
    """conftest.py's factory, watched by the guard; closing each window must take under 2 s. (The guard is set up
    first, so it checks after the windows closed.)"""
    def make(values: dict | None = None):
        w = make_window(values, size=(1300, 850), close_within=2.0)
        guard.watch(w)
        return w

    return make


@pytest.fixture
def win(make_window):
    return make_window()


def trainer(w):
    return w.worker.trainer


def message(w) -> str:
    return w.statusBar().currentMessage()


def alive(qtbot, w) -> None:
    """The worker thread still runs and answers: a step goes through and a new frame is drawn."""
    assert w.worker_thread.thread.isRunning()
    it, frames = trainer(w).iteration, w.frames_drawn
    w.commands.step.emit()
    qtbot.waitUntil(lambda: trainer(w).iteration > it or trainer(w).status != "ok", timeout=10000)
    qtbot.waitUntil(lambda: w.frames_drawn > frames, timeout=5000)


def settle(qtbot, w) -> None:
    """Wait until the worker has run everything queued so far (a queued step is answered after them)."""
    it = trainer(w).iteration
    w.commands.step.emit()
    qtbot.waitUntil(lambda: trainer(w).iteration > it or trainer(w).status != "ok", timeout=20000)


def shown_value(w, key):
    widget = w.controls.control(key)
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return widget.value()


# ===================================================================== bad values
@pytest.mark.parametrize("key, value", [
    ("opt_d.lr", 0), ("opt_g.lr", 10), ("opt_d.lr", math.nan), ("opt_g.lr", math.inf), ("opt_d.lr", "-inf"),
    ("train.batch_size", 1), ("train.batch_size", 100000), ("train.batch_size", math.nan),
    ("train.k_d", -1), ("train.k_g", 51), ("generator.width", 0), ("discriminator.depth", 9),
    ("noise.dim", "inf"), ("target.std", -1.0), ("theory.samples", 10**9), ("train.seed", -5),
    ("train.loss", "bogus"), ("opt_d.beta1", 1.5), ("train.gp_lambda", math.nan),
])
def test_change_refuses_bad_values_with_the_field_and_its_range(qtbot, win, key, value):
    before, shown = win.config, shown_value(win, key)
    win.change(key, value)
    text = message(win)
    assert text.startswith(key), text
    info = field_info(key)
    if info.get("lo") is not None:
        assert f"[{info['lo']:g}, {info['hi']:g}]" in text
    else:
        assert all(c in text for c in info["choices"])
    assert win.config is before and shown_value(win, key) == shown
    settle(qtbot, win)
    assert trainer(win).config == before


def test_every_numeric_key_beyond_its_limits_through_the_window(qtbot, win):
    numeric = [k for k in all_keys() if field_info(k).get("lo") is not None]
    before = win.config
    for key in numeric:
        info = field_info(key)
        shown = shown_value(win, key) if key in win.controls._widgets else None
        for value in (info["lo"] - 1, info["hi"] * 10 + 1, math.nan, math.inf, "-inf", "garbage"):
            win.statusBar().clearMessage()
            win.change(key, value)
            text = message(win)
            assert text.startswith(key) and f"[{info['lo']:g}, {info['hi']:g}]" in text, (key, value, text)
            assert win.config is before
            if shown is not None:
                assert shown_value(win, key) == shown
    settle(qtbot, win)
    assert trainer(win).config == before


def test_k_both_zero_is_refused_and_k_zero_alone_trains_g_only(qtbot, win):
    win.change("train.k_d", 0)
    qtbot.waitUntil(lambda: trainer(win).config.train.k_d == 0, timeout=5000)
    win.change("train.k_g", 0)
    assert "k_d and k_g cannot both be 0" in message(win) and win.config.train.k_g == 1
    assert win.controls.control("train.k_g").value() == 1
    d0 = [p.detach().clone() for p in trainer(win).D.parameters()]
    settle(qtbot, win)
    assert all(torch.equal(a, b) for a, b in zip(d0, trainer(win).D.parameters(), strict=True))
    assert trainer(win).status == "ok"


def test_width_one_and_batch_limits_train(qtbot, win):
    win.change("generator.width", 1)
    win.change("discriminator.width", 1)
    win.change("train.batch_size", 2)
    qtbot.waitUntil(lambda: trainer(win).config.discriminator.width == 1, timeout=5000)
    win.play()
    qtbot.waitUntil(lambda: trainer(win).iteration >= 50, timeout=10000)
    win.pause()
    qtbot.waitUntil(lambda: not win.playing, timeout=5000)
    assert trainer(win).G.net[0].out_features == 1 and trainer(win).status == "ok"


def test_values_typed_into_the_controls_are_clamped_or_ignored(qtbot, win):
    """A spin box never sends NaN, inf or an out-of-range value: typing garbage changes nothing, typing a
    number beyond a limit shows (and applies) the limit."""
    spins = [k for k, w in win.controls._widgets.items() if isinstance(w, (QSpinBox, QDoubleSpinBox))]
    assert len(spins) >= 15
    original = win.config

    def type_into(w, text):
        w.selectAll()
        QTest.keyClicks(w, text)
        QTest.keyClick(w, Qt.Key.Key_Return)

    for key in spins:
        w = win.controls.control(key)
        before = win.config.get(key)
        for text in ("nan", "inf", "-inf", "abc", "--", "."):
            type_into(w, text)
            assert win.config.get(key) == before, (key, text, win.config.get(key))
        info = field_info(key)
        for text in ("1e999", "99999999999", "0.0000000001", "-5"):
            type_into(w, text)
            value = win.config.get(key)
            assert value is None or (math.isfinite(value) and info["lo"] <= value <= info["hi"]), (key, text, value)
            assert value is None or w.value() == pytest.approx(value, rel=1e-3, abs=10 ** -w.decimals()
                                                               if isinstance(w, QDoubleSpinBox) else 0)
        win.apply_config(original)
    # setValue beyond the range: Qt clamps, the user sees the limit, the config takes it
    win.controls.control("opt_d.lr").setValue(10.0)
    assert win.controls.control("opt_d.lr").value() == 1.0 and win.config.opt_d.lr == 1.0
    win.controls.control("opt_d.lr").setValue(0.0)
    lr = win.controls.control("opt_d.lr").value()
    assert lr == pytest.approx(1e-6) and win.config.opt_d.lr == pytest.approx(1e-6)
    win.controls.control("train.batch_size").setValue(100000)
    assert win.controls.control("train.batch_size").value() == 16384 and win.config.train.batch_size == 16384
    win.controls.control("train.batch_size").setValue(1)
    assert win.config.train.batch_size == 2
    win.controls.control("train.k_d").setValue(-3)
    assert win.config.train.k_d == 0
    qtbot.waitUntil(lambda: trainer(win).config == win.config, timeout=5000)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_cuda_where_there_is_none_is_refused_and_later_changes_still_apply(qtbot, win):
    """Regression: the window kept device = cuda after the worker refused it, so every later change
    carried it and was refused too."""
    win.controls.control("train.device").setCurrentText("cuda")
    qtbot.waitUntil(lambda: "CUDA is not available" in message(win), timeout=5000)
    qtbot.waitUntil(lambda: win.config.train.device == "auto", timeout=5000)
    assert win.controls.control("train.device").currentText() == "auto"
    win.change("opt_d.lr", 0.004)
    qtbot.waitUntil(lambda: trainer(win).config.opt_d.lr == pytest.approx(0.004), timeout=5000)
    assert win.config == trainer(win).config


def test_points_in_the_preset_box_asks_for_a_file(qtbot, win, tmp_path, monkeypatch):
    """Regression: choosing 'points' only showed 'target.points_file: required ...'."""
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (asked.append(1), ("", ""))[1])
    win.controls.control("target.preset").setCurrentText("points")
    assert asked and win.config.target.preset == "ring8"
    assert win.controls.control("target.preset").currentText() == "ring8"
    csv = tmp_path / "p.csv"
    csv.write_text("x,y\n0,0\n1,1\n-1,1\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv), ""))
    win.controls.control("target.preset").setCurrentText("points")
    qtbot.waitUntil(lambda: trainer(win).target.n_modes == 3, timeout=5000)
    assert win.config.target.preset == "points" and win.config.target.points_file == str(csv)


# ===================================================================== points files through the window
def test_bad_points_files_leave_the_target_and_say_why(qtbot, win, tmp_path):
    huge = tmp_path / "huge.csv"
    block = b"1.5,2.5\n" * 1_000_000
    with huge.open("wb") as f:
        for _ in range(10):
            f.write(block)
    files = {"empty.csv": (b"", "no x,y rows"), "text.csv": (b"a,b\nc,d\n", "not a number pair"),
             "binary.csv": (os.urandom(3000) + b"\xff", "not UTF-8"), "missing.csv": (None, "cannot read")}
    for name, (data, words) in files.items():
        p = tmp_path / name
        if data is not None:
            p.write_bytes(data)
        before = win.config
        win.load_points(str(p))
        assert "Could not load points" in message(win) and words in message(win), message(win)
        assert win.config is before
    t0 = time.perf_counter()
    win.load_points(str(huge))
    assert time.perf_counter() - t0 < 20
    assert f"more than {MAX_CSV_ROWS:,} rows" in message(win)
    assert win.config.target.preset == "ring8" and trainer(win).target.n_modes == 8
    alive(qtbot, win)


# ===================================================================== modes: many, far, narrow, last
def test_500_modes_then_adding_beyond_the_limit(qtbot, win):
    rng = np.random.default_rng(1)
    win.commands.set_target.emit(GaussianMixture(rng.uniform(-3, 3, (500, 2)), 0.05))
    qtbot.waitUntil(lambda: len(win.field.markers) == 500, timeout=15000)
    win.play()
    it = trainer(win).iteration
    qtbot.waitUntil(lambda: trainer(win).iteration > it + 20, timeout=15000)
    frames = win.frames_drawn
    qtbot.waitUntil(lambda: win.frames_drawn > frames + 5, timeout=15000)
    win.commands.set_target.emit(GaussianMixture(rng.uniform(-3, 3, (MAX_MODES, 2)), 0.05))
    qtbot.waitUntil(lambda: trainer(win).target.n_modes == MAX_MODES, timeout=10000)
    win.field.sigModeAdded.emit(0.0, 0.0)
    qtbot.waitUntil(lambda: f"at most {MAX_MODES} modes" in message(win), timeout=5000)
    assert trainer(win).target.n_modes == MAX_MODES and win.playing
    win.pause()
    qtbot.waitUntil(lambda: len(win.field.markers) == MAX_MODES, timeout=15000)


def test_a_mode_dragged_far_outside_is_refused_and_the_views_stay_sane(qtbot, make_window):
    w = make_window({"target.preset": "single"})
    fv = w.field
    fv.view.setRange(xRange=(-2e4, 2e4), yRange=(-2e4, 2e4), padding=0)
    w.play()
    drag(fv, (0.0, 0.0), (1e4, 0.0), steps=12)
    qtbot.waitUntil(lambda: "within +-1000" in message(w), timeout=5000)
    mode = trainer(w).target.means[0]
    assert np.all(np.abs(mode) <= 1000) and mode[0] > 100  # it followed the drag up to the limit
    # the view shows the refused position only briefly, then the mode where the trainer has it
    qtbot.waitUntil(lambda: np.allclose(fv.shown_means()[0], trainer(w).target.means[0], atol=1e-6),
                    timeout=mode_editor.PENDING_TIMEOUT_S * 1000 + 5000)
    qtbot.waitUntil(lambda: w.drawn is not None and w.drawn.grid.xmax >= mode[0], timeout=5000)
    g = w.drawn.grid
    assert all(math.isfinite(v) for v in g.extent) and g.n <= 256
    rect = fv.image.mapRectToParent(fv.image.boundingRect())
    assert rect.width() == pytest.approx(g.xmax - g.xmin, rel=1e-3)
    assert np.isfinite(w.drawn.d_logits).all() and np.isfinite(w.drawn.fake).all()
    w.commands.move_mode.emit(0, math.nan, 0.0)
    w.commands.move_mode.emit(0, 1e300, 0.0)
    w.pause()
    qtbot.waitUntil(lambda: not w.playing, timeout=5000)
    assert np.all(np.abs(trainer(w).target.means) <= 1000)
    alive(qtbot, w)


def test_mode_std_zero_or_negative_is_refused_and_the_wheel_clamps(qtbot, win):
    stds = trainer(win).target.stds.copy()
    for bad in (0.0, -0.1, math.nan, math.inf, 50.0):
        win.field.sigModeStdChanged.emit(0, bad)
        qtbot.waitUntil(lambda: "std must be in [0.001, 10]" in message(win), timeout=5000)
        win.statusBar().clearMessage()
    np.testing.assert_array_equal(trainer(win).target.stds, stds)
    for _ in range(60):  # 60 notches down: 1.25**-60 * 0.05 would be 8e-8
        win.field.modes.wheel(0, -120)
    qtbot.waitUntil(lambda: trainer(win).target.stds[0] == pytest.approx(1e-3), timeout=5000)


def test_removing_the_last_mode_is_refused(qtbot, make_window):
    w = make_window({"target.preset": "single"})
    menu = w.field.prepare_mode_menu(0)
    assert not w.field.action_remove.isEnabled() and menu is not None
    w.field.sigModeRemoved.emit(0)
    w.field.sigModeRemoved.emit(5)
    qtbot.waitUntil(lambda: "out of range" in message(w), timeout=5000)
    assert trainer(w).target.n_modes == 1


# ===================================================================== divergence
def _assert_plots_clean(w) -> None:
    """Nothing non-finite is drawn as data: clouds finite, curve points finite or NaN gaps (connect='finite'),
    heatmaps finite or NaN (transparent), never inf."""
    x, y = w.field.fake_item.getData()
    assert np.isfinite(x).all() and np.isfinite(y).all()
    x, y = w.field.real_item.getData()
    assert np.isfinite(x).all() and np.isfinite(y).all()
    w.curves.flush()
    for s in w.curves.series:
        xs, ys = s.curve.getData()
        if xs is None or len(xs) == 0:
            continue
        assert np.isfinite(xs).all() and not np.isinf(ys).any(), s.column
        assert s.curve.opts["connect"] == "finite"
    for img in (w.field.image, w.theory.image_d, w.theory.image_dstar, w.theory.image_diff):
        if img.image is not None:
            assert not np.isinf(img.image).any()


def test_natural_divergence_pauses_offers_reset_and_plots_stay_clean(qtbot, win):
    win.apply_config(win.config.with_values(DIVERGING))
    qtbot.waitUntil(lambda: trainer(win).config.opt_d.name == "sgd", timeout=5000)
    win.play()
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=10000)
    text = win.banner.label.text()
    assert "diverged at iteration" in text and "Reset" in text and "learning rate" in text
    assert win.banner.reset_btn.isVisible() and win.banner.lower_btn.isVisible()
    qtbot.waitUntil(lambda: not win.playing, timeout=5000)
    assert win.act_play.text() == "Play"
    qtbot.waitUntil(lambda: win.drawn is not None and win.drawn.status == "diverged", timeout=5000)
    win.drawn = None
    win.redraw()
    _assert_plots_clean(win)
    win.statusBar().clearMessage()
    win.play()  # play again: says it diverged, does not train
    qtbot.waitUntil(lambda: "Training paused: diverged" in message(win), timeout=5000)
    assert not win.playing and trainer(win).status == "diverged"
    win.banner.reset_btn.click()
    qtbot.waitUntil(lambda: trainer(win).status == "ok" and trainer(win).iteration == 0, timeout=5000)
    assert not win.banner.isVisible() and win.worker.thread().isRunning()


def test_nan_weights_in_g_are_drawn_as_nothing_garbage_free(qtbot, win):
    with torch.no_grad():
        for p in trainer(win).G.parameters():
            p.fill_(math.nan)
    win.play()
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: win.drawn is not None and win.drawn.status == "diverged", timeout=5000)
    win.set_layers(Layers(push=True, manifold=True))
    win.commands.step_g.emit()  # a new snapshot with push arrows and the manifold of a NaN generator
    qtbot.wait(300)
    win.drawn = None
    win.redraw()
    _assert_plots_clean(win)
    xs, ys = win.field.push_item.getData()
    assert xs is None or np.isfinite(xs).all()
    # a NaN generator draws nothing in the field (it drew a misleading cluster at the origin before)
    g = win.drawn.grid
    x, y = win.field.fake_item.getData()
    assert len(x) and not ((x >= g.xmin) & (x <= g.xmax) & (y >= g.ymin) & (y <= g.ymax)).any()
    alive(qtbot, win)


# ===================================================================== session files
def test_bad_session_files_are_refused_and_the_session_is_untouched(qtbot, win, tmp_path):
    for _ in range(5):
        win.commands.step.emit()
    qtbot.waitUntil(lambda: trainer(win).iteration == 5, timeout=5000)
    good = tmp_path / "good.ganlab"
    assert save_session(qtbot, win, good) == (str(good), "")
    data = good.read_bytes()
    meta = json.loads(zipfile.ZipFile(good).read("session.json"))
    weight = next(n for n in zipfile.ZipFile(good).namelist() if n.startswith("arrays/D/"))
    marker = tmp_path / "PWNED"
    bad = {"empty.ganlab": b"", "truncated.ganlab": data[: len(data) * 2 // 3], "garbage.ganlab": os.urandom(5000),
           "text.ganlab": b"version = 1\n"}
    for name, payload in bad.items():
        (tmp_path / name).write_bytes(payload)
    rewrite_zip(good, tmp_path / "newer.ganlab", {"session.json": json.dumps(dict(meta, format_version=2)).encode()})
    rewrite_zip(good, tmp_path / "pickle.ganlab", {weight: evil_npy(marker)})
    rewrite_zip(good, tmp_path / "pickle_meta.ganlab", {"session.json": pickle.dumps(Evil(marker))})
    names = [*bad, "newer.ganlab", "pickle.ganlab", "pickle_meta.ganlab", "absent.ganlab"]

    # change the running session so that a load would be visible
    win.change("opt_d.lr", 0.0025)
    win.commands.step.emit()
    qtbot.waitUntil(lambda: trainer(win).iteration == 6 and trainer(win).config.opt_d.lr == 0.0025, timeout=5000)
    weights = [p.detach().clone() for p in (*trainer(win).G.parameters(), *trainer(win).D.parameters())]
    config = win.config
    for name in names:
        win.sessions.last_error = ""
        assert not win.sessions.open_path(str(tmp_path / name)), name
        assert win.sessions.last_error.startswith(f"Could not open session {name}"), win.sessions.last_error
        assert "Traceback" not in win.sessions.last_error
    qtbot.wait(100)
    assert not marker.exists()
    now = [p.detach() for p in (*trainer(win).G.parameters(), *trainer(win).D.parameters())]
    assert all(torch.equal(a, b) for a, b in zip(weights, now, strict=True))
    settle(qtbot, win)
    assert win.config is config and trainer(win).config == config and trainer(win).iteration == 7
    assert "newer ganlab" in _open_error(win, tmp_path / "newer.ganlab")
    assert "never loads" in _open_error(win, tmp_path / "pickle.ganlab")
    # the good file still loads
    win.sessions.last_loaded = None
    assert win.sessions.open_path(str(good))
    qtbot.waitUntil(lambda: win.sessions.last_loaded is not None, timeout=10000)
    assert trainer(win).iteration == 5 and win.config == trainer(win).config


def _open_error(w, path) -> str:
    w.sessions.open_path(str(path))
    return w.sessions.last_error


# ===================================================================== exports and failing disks
EXPORTS = {
    "png": lambda w, p: export.export_png(w, "field", p, 1),
    "svg": lambda w, p: export.export_svg(w, "curves", p),
    "csv": lambda w, p: export.export_csv(w, p),
}


@pytest.mark.parametrize("fault, words", [
    ("missing", "the folder does not exist"), ("readonly", "permission denied"),
    ("readonly_fs", "the disk is read-only"), ("full", "the disk is full"),
])
def test_exports_fail_with_a_reason_and_leave_no_file(qtbot, win, tmp_path, monkeypatch, fault, words):
    win.play()
    qtbot.waitUntil(lambda: trainer(win).iteration > 20, timeout=10000)
    folder = tmp_path / "out"
    folder.mkdir()
    if fault == "missing":
        folder = tmp_path / "no" / "such" / "folder"
    elif fault == "readonly":  # root ignores chmod: simulate what a read-only folder does to the rename
        monkeypatch.setattr(core_files.os, "replace", raise_oserror(errno.EACCES))
    elif fault == "readonly_fs":
        monkeypatch.setattr(core_files.tempfile, "mkstemp", raise_oserror(errno.EROFS))
    else:
        monkeypatch.setattr(core_files.os, "fsync", raise_oserror(errno.ENOSPC))
    for kind, fn in EXPORTS.items():
        path = folder / f"x.{kind}"
        assert fn(win, path) is False, kind
        assert message(win).startswith("Could not export to") and words in message(win), (kind, message(win))
    assert save_session(qtbot, win, folder / "s.ganlab")[1]  # a session save fails too, with its reason
    qtbot.waitUntil(lambda: "Could not save session" in message(win), timeout=5000)
    monkeypatch.undo()
    assert not folder.exists() or os.listdir(folder) == []  # no half-written or temporary file
    assert win.playing and win.recorder.start(folder / "r.gif") is (fault != "missing")
    if win.recorder.recording:
        win.recorder.stop()
    alive(qtbot, win)
    folder.mkdir(parents=True, exist_ok=True)
    assert EXPORTS["csv"](win, folder / "ok.csv")  # and the next export works


def test_export_with_a_disk_error_mid_write_keeps_the_old_file(qtbot, win, tmp_path, monkeypatch):
    path = tmp_path / "curves.csv"
    assert export.export_csv(win, path)
    old = path.read_bytes()
    monkeypatch.setattr(core_files.os, "fsync", raise_oserror(errno.ENOSPC))
    assert not export.export_csv(win, path)
    monkeypatch.undo()
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["curves.csv"]
    assert render.error_text(OSError(errno.ENOSPC, "x")) == "the disk is full"


def test_recording_onto_a_full_disk_stops_with_a_message_and_no_file(qtbot, win, tmp_path, monkeypatch):
    rec = win.recorder
    win.play()
    assert rec.start(tmp_path / "r.gif")
    qtbot.waitUntil(lambda: rec.writer is not None and rec.writer.written >= 2, timeout=10000)
    monkeypatch.setattr(rec.writer._writer, "append_data", raise_oserror(errno.ENOSPC))
    qtbot.waitUntil(lambda: not rec.recording, timeout=10000)
    assert "the disk is full" in message(win) and "nothing saved" in message(win)
    assert os.listdir(tmp_path) == [] and win.playing
    alive(qtbot, win)


# ===================================================================== long histories
def test_curves_of_an_hour_long_history_stay_drawable_and_cheap(qtbot, guard):
    """Three million iterations of history (hours of training): a redraw min/max-decimates every curve to at
    most MAX_POINTS points, and redraws are spaced by their own cost, so that the curves never take more than
    about 1/REDRAW_COST_FACTOR of the GUI thread (before, ~50-140 ms 8 times a second: training slowed down
    the longer it ran)."""
    from types import SimpleNamespace

    from ganlab.app.views import curves_view as cvm
    from ganlab.core.history import History
    from ganlab.core.observer import METRIC_COLUMNS
    from ganlab.core.trainer import LOSS_COLUMNS

    n = 3_000_000
    rng = np.random.default_rng(0)
    losses = History(LOSS_COLUMNS)
    losses.load(np.column_stack([np.arange(1, n + 1), rng.random(n), rng.random(n), rng.random(n) + 0.01]))
    metrics = History(METRIC_COLUMNS)
    k = n // 500
    metrics.load(np.column_stack([np.arange(1, k + 1) * 500.0] + [rng.random(k) for _ in METRIC_COLUMNS[1:]]))
    cv = cvm.CurvesView(max_fps=8.0)
    qtbot.addWidget(cv)
    cv.resize(1000, 600)
    cv.show()

    def snap():
        return SimpleNamespace(losses=losses.view(), metrics=metrics.view(), loss="nonsaturating", coverage=None,
                               target=SimpleNamespace(n_modes=8))

    cv.update_snapshot(snap())
    qtbot.waitUntil(lambda: cv._drawn["losses"] == n, timeout=10000)
    cost = cv._draw_cost
    for s in cv.series:
        xs, ys = s.curve.getData()
        assert 0 < len(xs) <= cvm.MAX_POINTS and np.isfinite(xs).all() and xs[-1] >= n - 1
    losses.append(n + 1, 0.5, 0.5, 0.1)
    t0 = time.perf_counter()
    cv.update_snapshot(snap())
    assert cv._drawn["losses"] == n  # not redrawn at once
    expected = max(1 / 8, cvm.REDRAW_COST_FACTOR * cost)
    assert cv._timer.isActive()
    assert cv._timer.remainingTime() >= 1000 * (0.8 * expected - (time.perf_counter() - t0)) - 5
    qtbot.waitUntil(lambda: cv._drawn["losses"] == n + 1, timeout=10000)


def test_garbage_is_collected_in_the_gui_thread_only(qtbot, win):
    """The training thread allocates most: with automatic collection it ran the cycle collector there, which
    freed GUI Qt objects in the wrong thread and deadlocked the test suite once (GUI thread deleting a QMenu,
    waiting for a Qt lock held by the training thread, which waited for the GIL)."""
    import weakref

    from PySide6.QtWidgets import QMenu

    assert not gc.isenabled()
    menu = QMenu()
    menu.cycle = menu  # a Python reference cycle holding a Qt object
    ref = weakref.ref(menu)
    del menu
    win.play()
    for _ in range(3000):  # allocations in this thread, while the training thread allocates too
        _ = [[i] for i in range(50)]
    qtbot.waitUntil(lambda: ref() is None, timeout=10000)  # freed by the GUI-thread timer
    assert not gc.isenabled()


# ===================================================================== shutdown
def test_close_while_training_ends_the_thread_within_a_second(qtbot, make_window):
    w = make_window()
    w.play()
    qtbot.waitUntil(lambda: w.worker.trainer.iteration > 50, timeout=10000)
    thread = w.worker_thread.thread
    t0 = time.perf_counter()
    w.close()
    closed = time.perf_counter() - t0
    assert not thread.isRunning() and closed < 1.0, closed


_GUI = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ganlab.app import main
exec_ = QApplication.exec
def ready_then_exec(*a):
    QTimer.singleShot(500, lambda: print("READY", flush=True))
    return exec_()
QApplication.exec = ready_then_exec
sys.exit(main.run_app(["ganlab"]))
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_the_app_closes_cleanly_on_sigint_and_sigterm(tmp_path, sig):
    settings = tmp_path / "ganlab.ini"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GANLAB_SETTINGS=str(settings), OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-c", _GUI], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        line = ""
        t0 = time.perf_counter()
        while "READY" not in line and time.perf_counter() - t0 < 60 and proc.poll() is None:
            line = proc.stdout.readline()
        assert "READY" in line, proc.stderr.read() if proc.poll() is not None else "no READY"
        time.sleep(0.5)
        t0 = time.perf_counter()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
        stopped = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert stopped < 5
    assert "Traceback" not in err and "QThread" not in err and "KeyboardInterrupt" not in err, err
    assert settings.exists() and "geometry" in settings.read_text()  # the close handlers ran
