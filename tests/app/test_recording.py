"""File > Record: frames of the field view (or the window) into GIF/MP4 while training runs.

The files are read back with imageio: frame count and frame size. Failures (bad path, no MP4 backend,
encoder error) stop the recording with a message and leave no file.
"""

from __future__ import annotations

import errno

import numpy as np
import pytest
from helpers import close_window, open_window, wait_until
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from ganlab.app import recording, video

imageio = pytest.importorskip("imageio")

@pytest.fixture(scope="module")
def win(qapp):
    w = open_window({"theory.grid": 48}, size=(900, 640))
    yield w
    if w.recorder.recording:
        w.recorder.abort("test over")
    assert not close_window(w)


@pytest.fixture
def rec(win, qapp):
    r = win.recorder
    yield r
    if r.recording:
        r.abort("test over")
    r.writer = None
    win.pause()
    wait_until(lambda: not win.playing)


def gif_frames(path) -> np.ndarray:
    import imageio.v3 as iio

    return iio.imread(path, index=None)


def status(w) -> str:
    return w.statusBar().currentMessage()


def test_record_field_to_gif_while_training(win, rec, qapp, tmp_path):
    path = tmp_path / "run.gif"
    win.play()
    assert rec.start(path, "field")
    assert rec.recording and rec.indicator.isVisible()
    assert not rec.act_record_field.isEnabled() and rec.act_stop.isEnabled()
    assert rec.act_stop.shortcut() == QKeySequence(recording.RECORD_KEY)
    assert "Recording the field view" in status(win)
    wait_until(lambda: rec.frames >= 6, 15)
    rec._update_indicator()
    text = rec.indicator.text()
    assert text.startswith("● REC") and f"{rec.frames} frames" in text
    assert not path.exists()                          # written on stop, not before
    out = rec.stop()
    assert out == path and rec.last_path == path
    assert not rec.recording and not rec.indicator.isVisible()
    assert rec.act_record_field.isEnabled() and not rec.act_stop.isEnabled()
    assert rec.act_record_field.shortcut() == QKeySequence(recording.RECORD_KEY)
    frames = gif_frames(path)
    size = win.field.size()
    assert frames.shape[0] >= 6
    assert frames.shape[1:3] == (size.height(), size.width())
    assert frames.std() > 10                                   # pictures, not blanks
    assert not np.array_equal(frames[0], frames[-1])           # training moved the clouds
    assert "Recorded" in status(win) and str(path) in status(win)
    assert [p.name for p in tmp_path.iterdir()] == ["run.gif"]  # no temporary file left


def test_record_whole_window_to_mp4(win, rec, qapp, tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    path = tmp_path / "window.mp4"
    assert rec.start(path, "window")
    wait_until(lambda: rec.frames >= 5, 15)
    assert rec.stop() == path
    reader = imageio.get_reader(path, format="FFMPEG")
    try:
        n = reader.count_frames()
        w, h = reader.get_meta_data()["size"]
    finally:
        reader.close()
    assert n >= 5
    ww, wh = win.width(), win.height()
    assert (w, h) == (ww - ww % 2, wh - wh % 2)
    assert [p.name for p in tmp_path.iterdir()] == ["window.mp4"]


def test_bad_paths_give_a_message_and_do_not_start(win, rec, tmp_path):
    assert not rec.start(tmp_path / "missing" / "x.gif")
    assert not rec.recording and not rec.indicator.isVisible()
    assert "does not exist" in status(win)
    assert not rec.start(tmp_path / "x.avi")
    assert ".gif or .mp4" in status(win)
    assert list(tmp_path.iterdir()) == []
    assert win.worker_thread.thread.isRunning()


def test_missing_mp4_backend_is_named(win, rec, tmp_path, monkeypatch):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")

    def missing():
        raise RuntimeError("No ffmpeg exe could be found")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    assert not rec.start(tmp_path / "x.mp4")
    assert "imageio-ffmpeg" in status(win)
    assert list(tmp_path.iterdir()) == []
    assert rec.start(tmp_path / "x.gif")          # GIF still works
    rec.abort("done")


def test_encoder_error_stops_with_message_and_no_file(win, rec, qapp, tmp_path, monkeypatch):
    path = tmp_path / "x.gif"
    assert rec.start(path)
    writer = rec.writer
    wait_until(lambda: writer.written >= 2, 10)

    def full(self, frame):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(type(writer._writer), "append_data", full)
    wait_until(lambda: not rec.recording, 10)
    assert "disk is full" in status(win) and "nothing saved" in status(win)
    assert list(tmp_path.iterdir()) == []
    assert win.worker_thread.thread.isRunning()


def test_frame_limit_stops_and_saves(win, rec, qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(video, "VIDEO_MAX_FRAMES", 4)
    path = tmp_path / "short.gif"
    assert rec.start(path)
    wait_until(lambda: not rec.recording, 10)
    assert "limit of 4 frames" in status(win)
    assert len(gif_frames(path)) == 4


def test_menu_actions_and_dialog(win, rec, qapp, tmp_path, monkeypatch):
    texts = [a.text() for a in win.menu_file.actions()]
    for a in (rec.act_record_field, rec.act_record_window, rec.act_stop):
        assert a.text() in texts
    asked = {}

    def fake_dialog(parent, caption, start, filters):
        asked["start"], asked["filters"] = start, filters
        return str(tmp_path / "picked"), filters.split(";;")[0]   # no suffix typed, GIF filter chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    rec.act_record_field.trigger()
    assert rec.recording and rec.path == tmp_path / "picked.gif"
    assert asked["start"].endswith("_field.gif") and "ganlab_ring8_nonsaturating_it" in asked["start"]
    wait_until(lambda: rec.frames >= 2, 10)
    rec.act_stop.trigger()
    assert not rec.recording and (tmp_path / "picked.gif").exists()


def test_closing_the_window_writes_the_recording(make_window, tmp_path):
    w = make_window(size=(700, 500))
    path = tmp_path / "closed.gif"
    assert w.recorder.start(path)
    wait_until(lambda: w.recorder.frames >= 3, 10)
    w.close()
    assert path.exists() and len(gif_frames(path)) >= 3


def test_video_writer_threaded_queue_and_crop(tmp_path):
    rng = np.random.default_rng(0)
    w = video.VideoWriter(tmp_path / "v.gif", fps=5, threaded=True)
    first = rng.integers(0, 255, (31, 41, 3), dtype=np.uint8)
    assert w.add(first)
    assert w.add(rng.integers(0, 255, (40, 50, 3), dtype=np.uint8))   # larger: cropped to the first's size
    assert w.add(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8))   # smaller: padded
    assert w.close() == tmp_path / "v.gif"
    frames = gif_frames(tmp_path / "v.gif")
    assert frames.shape == (3, 31, 41, 3)
    with pytest.raises(video.VideoError):
        video.VideoWriter(tmp_path / "v.webm")
    empty = video.VideoWriter(tmp_path / "e.gif")
    with pytest.raises(video.VideoError, match="no frames"):
        empty.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.gif"]
