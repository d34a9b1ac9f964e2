"""Exports and recordings as a teacher preparing slides needs them (issue 12, item 11): PNG at 2x by
default, a caption (preset, loss, iteration, JSD) burned into pictures and recording frames, one file-name
style for every kind of file, and one folder for the export and the recording dialogs.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from helpers import close_window, settle, trained_window, wait_until
from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from ganlab.app import export, file_names, render

imageio = pytest.importorskip("imageio")

ONE_STYLE = re.compile(r"ganlab_ring8_nonsaturating_it(\d{5})(_(field|theory|curves|window))?"
                       r"\.(png|svg|csv|gif|mp4|ganlab)")


@pytest.fixture(scope="module")
def win(qapp):
    """A paused window after a few dozen iterations, showing its newest snapshot."""
    w = trained_window(40, size=(1000, 700))
    yield w
    if w.recorder.recording:
        w.recorder.abort("test over")
    assert not close_window(w)


@pytest.fixture
def stamp_on(win):
    win.exporter.set_stamp(True)
    win.exporter.set_scale(export.DEFAULT_SCALE)
    yield win
    win.exporter.set_stamp(True)
    win.exporter.set_scale(export.DEFAULT_SCALE)


def read_png(path) -> np.ndarray:
    img = QImage(str(path))
    assert not img.isNull()
    return render.qimage_to_rgb(img)


def changed(a: np.ndarray, b: np.ndarray, tol: int = 24) -> np.ndarray:
    """Where two pictures differ by more than `tol` in some channel (GIF palettes shift colours a little)."""
    return np.abs(a.astype(int) - b.astype(int)).max(axis=2) > tol


def in_bottom_right(mask: np.ndarray) -> tuple[int, int]:
    """Assert that every changed pixel is in the bottom fifth, right half; return the (top, left) of them."""
    ys, xs = np.nonzero(mask)
    assert len(ys) > 50, "the caption is missing"
    h, w = mask.shape
    assert ys.min() > 0.8 * h and xs.min() > 0.5 * w, (ys.min(), xs.min(), h, w)
    return int(ys.min()), int(xs.min())


# ====================================================================== PNG: 2x and the caption
def test_png_defaults_to_twice_the_view_and_the_choice_is_remembered(win, stamp_on, tmp_path):
    fresh = export.Exporter(win)                 # no settings: the default
    try:
        assert fresh.scale == export.DEFAULT_SCALE == 2 and fresh.scale_actions[2].isChecked()
        assert fresh.export("png", "field", tmp_path / "f.png")
    finally:
        win.menu_file.removeAction(fresh.menu.menuAction())
        for a in fresh.actions.values():
            win.removeAction(a)
    size = win.field.size()
    assert read_png(tmp_path / "f.png").shape[:2] == (2 * size.height(), 2 * size.width())
    assert export.export_png(win, "theory", tmp_path / "t.png")       # the function's default too
    assert read_png(tmp_path / "t.png").shape[:2] == (2 * win.theory.height(), 2 * win.theory.width())
    # the last scale and the caption switch chosen come back in the next session
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win.settings = settings
    try:
        win.exporter.set_scale(3)
        win.exporter.set_stamp(False)
        settings.sync()
        again = export.Exporter(win)
        assert again.scale == 3 and again.stamp is False and not again.stamp_action.isChecked()
        win.menu_file.removeAction(again.menu.menuAction())
        for a in again.actions.values():
            win.removeAction(a)
    finally:
        del win.settings


def test_stamp_text_names_preset_loss_iteration_and_jsd(win):
    snap = export.shown_snapshot(win, "field")
    text = export.stamp_for(win, "field")
    assert snap.iteration >= 40
    assert text == f"ring8 · nonsaturating · iteration {snap.iteration:,} · JSD {render.snapshot_jsd(snap):.3f}"
    jsd = render.snapshot_jsd(snap)
    assert 0 <= jsd <= np.log(2) + 1e-6
    assert snap.theory is None or jsd == pytest.approx(snap.theory.jsd)
    assert render.stamp_text(snap).startswith("nonsaturating · iteration ")   # no preset known: left out
    assert render.stamp_text(None) == ""
    assert export.stamp_for(win, "field", stamp=False) is None


@pytest.mark.parametrize("what", ["field", "curves", "window"])
def test_png_carries_the_caption_in_a_bottom_corner(win, stamp_on, tmp_path, what):
    win.statusBar().clearMessage()          # the window's picture shows the status bar: the same in both
    assert export.export_png(win, what, tmp_path / "on.png")
    win.statusBar().clearMessage()
    assert export.export_png(win, what, tmp_path / "off.png", stamp=False)
    on, off = read_png(tmp_path / "on.png"), read_png(tmp_path / "off.png")
    assert on.shape == off.shape
    top, left = in_bottom_right(changed(on, off))
    # small: a strip at the bottom, not a banner over the plot
    assert on.shape[0] - top < 0.15 * on.shape[0] and on.shape[1] - left < 0.6 * on.shape[1]
    # dark text on a pale box
    corner = on[top:, left:]
    assert (corner.min(axis=2) > 200).mean() > 0.4 and (corner.max(axis=2) < 110).sum() > 20


def test_caption_switch_in_the_menu_turns_it_off_for_exports(win, stamp_on, tmp_path):
    assert win.exporter.stamp_action in win.exporter.menu.actions()
    assert win.exporter.stamp_action.isChecked()
    win.exporter.stamp_action.trigger()                  # off
    assert not win.exporter.stamp and export.stamp_for(win, "field") is None
    assert export.export_png(win, "field", tmp_path / "a.png", scale=1)
    assert export.export_png(win, "field", tmp_path / "b.png", scale=1, stamp=False)
    assert np.array_equal(read_png(tmp_path / "a.png"), read_png(tmp_path / "b.png"))


def test_svg_carries_the_caption_as_text(win, stamp_on, tmp_path):
    assert export.export_svg(win, "field", tmp_path / "f.svg")
    text = (tmp_path / "f.svg").read_text(encoding="utf-8")
    snap = export.shown_snapshot(win, "field")
    assert f"iteration {snap.iteration:,}" in text and "ring8 · nonsaturating" in text
    assert export.export_svg(win, "field", tmp_path / "g.svg", stamp=False)
    assert "ring8 · nonsaturating" not in (tmp_path / "g.svg").read_text(encoding="utf-8")


# ====================================================================== recordings: the counter
def test_gif_frames_carry_an_iteration_counter(win, stamp_on, tmp_path):
    """Frames in pairs, caption on then off, at three iterations: the caption is only in the corner, and the
    corner changes with the iteration exactly when the caption is on."""
    rec = win.recorder
    path = tmp_path / "count.gif"
    settle(win)
    assert rec.start(path, "field")
    rec.timer.stop()                      # frames only when the test captures them
    iterations = []
    try:
        for k in range(3):
            if k:
                start = win.worker.latest.iteration
                for _ in range(5):
                    win.commands.step.emit()
                wait_until(lambda s=start: win.worker.latest.iteration == s + 5, 20)
                settle(win)
            iterations.append(win.drawn.iteration)
            win.exporter.set_stamp(True)
            if k == 0:                     # the first frame was taken by start(), captioned
                assert rec.frames == 1
            else:
                rec.capture()
            win.exporter.set_stamp(False)
            rec.capture()
            wait_until(lambda n=2 * k + 2: rec.writer.written == n, 10)
    finally:
        win.exporter.set_stamp(True)
    assert rec.stop() == path
    frames = imageio.v3.imread(path, index=None)
    assert len(frames) == 6 and len(set(iterations)) == 3
    on, off = frames[0::2], frames[1::2]
    tops, lefts = zip(*(in_bottom_right(changed(a, b)) for a, b in zip(on, off, strict=True)), strict=True)
    top, left = min(tops), min(lefts)
    for i in (1, 2):
        assert changed(on[0][top:, left:], on[i][top:, left:]).sum() > 10     # the counter moved on
        assert changed(off[0][top:, left:], off[i][top:, left:]).sum() == 0   # without it the corner is still


# ====================================================================== one file-name style
def test_one_name_style_for_every_kind(win, stamp_on, tmp_path, monkeypatch):
    settle(win)
    it = export.shown_snapshot(win, "field").iteration
    for what in ("field", "theory", "curves", "window", None):
        for ext in ("png", "svg", "csv", "gif", "mp4", ".ganlab"):
            name = file_names.file_name("ring8", "nonsaturating", it, what, ext)
            m = ONE_STYLE.fullmatch(name)
            assert m and int(m.group(1)) == it, name
    session = file_names.file_name("ring8", "nonsaturating", 7, None, "ganlab")
    assert session == "ganlab_ring8_nonsaturating_it00007.ganlab"
    # what the dialogs offer: export, recording and session save, all in that style, all at this iteration
    offered = []

    def fake_dialog(parent, caption, start, filters):
        offered.append(Path(start).name)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    for name in ("png:field", "svg:window", "csv:curves"):
        win.exporter.actions[name].trigger()
    win.recorder.act_record_field.trigger()
    win.recorder.act_record_window.trigger()
    win.sessions.save_dialog()
    assert len(offered) == 6
    for name in offered:
        m = ONE_STYLE.fullmatch(name)
        assert m and int(m.group(1)) == it, name
    assert offered[-1] == f"ganlab_ring8_nonsaturating_it{it:05d}.ganlab"
    assert not win.recorder.recording and list(tmp_path.iterdir()) == []


# ====================================================================== one folder
def test_recording_dialog_opens_where_the_last_export_went_and_back(win, stamp_on, tmp_path, monkeypatch):
    folder_a, folder_b = tmp_path / "A", tmp_path / "B"
    folder_a.mkdir()
    folder_b.mkdir()
    asked = []
    answer = {}

    def fake_dialog(parent, caption, start, filters):
        asked.append(start)
        return answer.get("path", ""), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    answer["path"] = str(folder_a / "slide.png")
    win.exporter.actions["png:field"].trigger()
    assert (folder_a / "slide.png").is_file()
    answer.pop("path")
    win.recorder.act_record_field.trigger()                 # cancelled: nothing recorded
    assert Path(asked[-1]).parent == folder_a and asked[-1].endswith("_field.gif")
    # a recording into B moves the export dialog there too
    answer["path"] = str(folder_b / "clip.gif")
    win.recorder.act_record_field.trigger()
    assert win.recorder.recording
    wait_until(lambda: win.recorder.frames >= 1)
    assert win.recorder.stop() == folder_b / "clip.gif"
    answer.pop("path")
    win.exporter.actions["svg:theory"].trigger()
    assert Path(asked[-1]).parent == folder_b


def test_folder_is_kept_in_settings_and_defaults_to_pictures_or_home(qapp, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))   # no user-dirs.dirs: Pictures is ~/Pictures
    bare = QObject()
    assert file_names.export_folder(bare) == home
    (home / "Pictures").mkdir()
    assert file_names.export_folder(bare) == home / "Pictures"

    class Holder(QObject):
        def __init__(self, settings):
            super().__init__()
            self.settings = settings

    ini = str(tmp_path / "s.ini")
    first = Holder(QSettings(ini, QSettings.Format.IniFormat))
    file_names.remember_folder(first, tmp_path / "slides" / "x.png")
    (tmp_path / "slides").mkdir()
    first.settings.sync()
    later = Holder(QSettings(ini, QSettings.Format.IniFormat))     # the next launch
    assert file_names.export_folder(later) == tmp_path / "slides"
    assert file_names.start_path(later, "n.gif") == str(tmp_path / "slides" / "n.gif")
    # a folder recordings remembered before there was one for both is still offered
    old = Holder(QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat))
    old.settings.setValue("recording/last_dir", str(tmp_path / "slides"))
    assert file_names.export_folder(old) == tmp_path / "slides"
    # a remembered folder that is gone: the default again
    gone = Holder(QSettings(str(tmp_path / "gone.ini"), QSettings.Format.IniFormat))
    gone.settings.setValue(file_names.KEY_FOLDER, str(tmp_path / "deleted"))
    assert file_names.export_folder(gone) == home / "Pictures"
