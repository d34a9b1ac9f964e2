"""File > Export: PNG at a scale, SVG, curves CSV; failed writes leave no file and say why.

The export functions take the path directly, so no file dialog opens; one test drives the menu action
with the dialog replaced.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from helpers import close_window, trained_window
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog

from ganlab.app import export, file_names, render
from ganlab.core import files
from ganlab.core.history import curves_csv
from ganlab.core.observer import METRIC_COLUMNS
from ganlab.core.trainer import LOSS_COLUMNS

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def win(qapp):
    """One trained window for the module (building one costs about a second), paused after 80+ iterations."""
    w = trained_window(80, size=(1100, 760))
    yield w
    assert not close_window(w)


def drop_exporter(w, ex) -> None:
    """Take a second Exporter's menu and shortcuts off the window again."""
    w.menu_file.removeAction(ex.menu.menuAction())
    for a in ex.actions.values():
        w.removeAction(a)


def status(w) -> str:
    return w.statusBar().currentMessage()


def read_png(path) -> np.ndarray:
    img = QImage(str(path))
    assert not img.isNull(), f"{path} is not a readable PNG"
    return render.qimage_to_rgb(img)


def widget_of(w, what):
    return w if what == "window" else getattr(w, what)


# ====================================================================== PNG
@pytest.mark.parametrize("what", ["field", "theory", "curves", "window"])
def test_png_has_scaled_size_and_real_content(win, tmp_path, what):
    path = tmp_path / f"{what}.png"
    assert export.export_png(win, what, path, scale=2)
    size = widget_of(win, what).size()
    rgb = read_png(path)
    assert rgb.shape == (2 * size.height(), 2 * size.width(), 3)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    colours = np.unique(rgb.reshape(-1, 3)[::7], axis=0)
    assert len(colours) > 50 and rgb.std() > 10   # a picture, not a blank
    assert str(path) in status(win) and f"{2 * size.width()} × {2 * size.height()}" in status(win)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]   # no temporary file left


def test_png_scale_1_and_3_and_field_shows_the_clouds(win, tmp_path):
    size = win.field.size()
    assert export.export_png(win, "field", tmp_path / "a.png", scale=1)
    assert export.export_png(win, "field", tmp_path / "b.png", scale=3)
    a, b = read_png(tmp_path / "a.png"), read_png(tmp_path / "b.png")
    assert a.shape[:2] == (size.height(), size.width())
    assert b.shape[:2] == (3 * size.height(), 3 * size.width())
    # the generated cloud's orange (#E69F00) is drawn in the picture
    orange = np.all(np.abs(a.astype(int) - [0xE6, 0x9F, 0x00]) < 30, axis=2)
    assert orange.sum() > 50


# ====================================================================== SVG
@pytest.mark.parametrize("what", ["field", "theory", "curves", "window"])
def test_svg_is_valid_xml_with_drawing_elements(win, tmp_path, what):
    path = tmp_path / f"{what}.svg"
    assert export.export_svg(win, what, path)
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text
    root = ET.fromstring(text)
    assert root.tag == SVG_NS + "svg"
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert "path" in tags or "polyline" in tags
    assert "image" in tags or what == "curves"            # heatmaps are embedded images
    size = widget_of(win, what).size()
    assert root.get("viewBox") == f"0 0 {size.width()} {size.height()}"
    if what == "field":  # the samples are vector circles, not one bitmap per point
        n = sum(1 for el in root.iter(SVG_NS + "circle"))
        assert n > 100


# ====================================================================== CSV
def test_csv_has_header_and_one_row_per_history_row(win, tmp_path):
    path = tmp_path / "curves.csv"
    assert export.export_csv(win, path)
    snap = export.latest_snapshot(win)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    assert header == [*LOSS_COLUMNS, *METRIC_COLUMNS[1:]]
    loss_steps = np.asarray(snap.losses["step"])
    metric_steps = np.asarray(snap.metrics["step"])
    assert len(loss_steps) >= 80 and len(metric_steps) >= 2
    assert len(body) == len(np.union1d(loss_steps, metric_steps))
    steps = [int(r[0]) for r in body]
    assert steps == sorted(steps) and set(loss_steps.astype(int)) <= set(steps)
    by_step = {int(r[0]): r for r in body}
    last = int(loss_steps[-1])
    assert float(by_step[last][1]) == pytest.approx(float(snap.losses["loss_d"][-1]), rel=1e-6)
    m0 = int(metric_steps[0])
    jsd = header.index("jsd")
    assert float(by_step[m0][jsd]) == pytest.approx(float(snap.metrics["jsd"][0]), rel=1e-6)
    # a step with losses but no metric row leaves the metric cells empty
    only_loss = sorted(set(loss_steps.astype(int)) - set(metric_steps.astype(int)))[0]
    assert by_step[only_loss][jsd] == ""
    assert "rows of curve data" in status(win)


def test_curves_csv_joins_tables_on_step():
    losses = {"step": np.array([1.0, 2.0, 3.0]), "loss_d": np.array([1.5, np.nan, 1.25]),
              "loss_g": np.array([0.5, 0.25, np.inf])}
    metrics = {"step": np.array([0.0, 2.0]), "jsd": np.array([0.69, 0.5]), "modes_captured": np.array([0.0, 3.0])}
    text = curves_csv(losses, metrics)
    assert text.splitlines() == ["step,loss_d,loss_g,jsd,modes_captured",
                                 "0,,,0.69,0",
                                 "1,1.5,0.5,,",
                                 "2,,0.25,0.5,3",
                                 "3,1.25,inf,,"]
    assert curves_csv({}, {}) == "step\n"


# ====================================================================== names
def test_default_file_name_has_preset_loss_and_iteration(win):
    snap = export.latest_snapshot(win)
    name = export.suggested_name(win, "field", "png")
    assert name == f"ganlab_ring8_nonsaturating_it{snap.iteration:05d}_field.png"
    assert re.fullmatch(r"ganlab_ring8_nonsaturating_it\d{5}_field\.png", name)
    assert file_names.file_name("my preset/../x", "wgan-gp", 123456, "window", ".svg") == \
        "ganlab_my-preset-..-x_wgan-gp_it123456_window.svg"


# ====================================================================== failures
def test_missing_folder_gives_message_and_no_file(win, tmp_path):
    path = tmp_path / "absent" / "f.png"
    assert not export.export_png(win, "field", path, scale=1)
    assert "does not exist" in status(win) and str(path) in status(win)
    assert not path.exists() and not (tmp_path / "absent").exists()
    assert not export.export_csv(win, tmp_path / "absent" / "c.csv")
    assert "does not exist" in status(win)


def test_full_disk_leaves_no_half_file_and_the_app_goes_on(win, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)   # the data was written to the temporary file, then this
    for call in (lambda: export.export_png(win, "window", tmp_path / "w.png", scale=2),
                 lambda: export.export_svg(win, "theory", tmp_path / "t.svg"),
                 lambda: export.export_csv(win, tmp_path / "c.csv")):
        assert call() is False
        assert "disk is full" in status(win)
        assert list(tmp_path.iterdir()) == []          # neither the file nor a temporary one
    monkeypatch.undo()
    assert win.worker.latest is not None and win.worker_thread.thread.isRunning()
    assert export.export_png(win, "field", tmp_path / "ok.png", scale=1)  # still works afterwards


def test_unwritable_target_gives_message(win, tmp_path):
    target = tmp_path / "a_folder.png"
    target.mkdir()                       # a folder where the file should go: fails even as root
    assert not export.export_png(win, "field", target, scale=1)
    assert "Could not export" in status(win)
    assert target.is_dir() and list(target.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["a_folder.png"]


# ====================================================================== menu
def test_menu_actions_shortcuts_and_dialog(win, tmp_path, monkeypatch):
    ex = win.exporter
    texts = [a.text() for a in ex.menu.actions() if not a.isSeparator()]
    for t in ("&Field view as PNG…", "&Theory view as PNG…", "&Curves as PNG…", "&Window as PNG…",
              "Field view as SVG…", "Theory view as SVG…", "Curves as SVG…", "Window as SVG…",
              "Curves &data as CSV…", "PNG &scale"):
        assert t in texts
    assert ex.menu.menuAction() in win.menu_file.actions()
    assert ex.actions["png:window"].shortcut() == QKeySequence("Ctrl+E")
    assert ex.actions["svg:window"].shortcut() == QKeySequence("Ctrl+Shift+E")

    asked = {}

    def fake_dialog(parent, caption, start, filters):
        asked["start"], asked["filters"] = start, filters
        return str(tmp_path / "picked"), filters   # no suffix typed: .png is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    ex.scale_actions[3].trigger()
    assert ex.scale == 3
    ex.actions["png:theory"].trigger()
    assert asked["start"].endswith("_theory.png") and "PNG" in asked["filters"]
    size = win.theory.size()
    assert read_png(tmp_path / "picked.png").shape[:2] == (3 * size.height(), 3 * size.width())
    # the next dialog starts in the folder of the last export
    ex.actions["csv:curves"].trigger()
    assert asked["start"].startswith(str(tmp_path)) and asked["start"].endswith("_curves.csv")
    assert (tmp_path / "picked.csv").read_text().startswith("step,loss_d")
    # cancelling the dialog writes nothing
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    before = sorted(p.name for p in tmp_path.iterdir())
    ex.actions["svg:field"].trigger()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    ex.set_scale(export.DEFAULT_SCALE)


def test_png_scale_is_remembered_in_settings(win, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win.settings = settings
    try:
        win.exporter.set_scale(2)
        settings.sync()
        assert settings.value(export.KEY_SCALE) in (2, "2")
        again = export.Exporter(win)          # a new session reads it back
        assert again.scale == 2 and again.scale_actions[2].isChecked()
        drop_exporter(win, again)
        settings.setValue(export.KEY_SCALE, "junk")
        junk = export.Exporter(win)
        drop_exporter(win, junk)
        assert junk.scale == export.DEFAULT_SCALE   # a bad stored value falls back to the default, 2x
    finally:
        del win.settings
        win.exporter.set_scale(export.DEFAULT_SCALE)
    # without settings the choice lives on the exporter only
    win.exporter.set_scale(3)
    assert win.exporter.scale == 3
    win.exporter.set_scale(7)                 # not offered: ignored
    assert win.exporter.scale == 3
    win.exporter.set_scale(export.DEFAULT_SCALE)
