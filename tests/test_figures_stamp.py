"""`ganlab run` figures and recordings carry the app's caption (preset, loss, iteration, JSD) in a bottom corner,
under the file names scripts rely on (field.png, ...)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ganlab.core.config import Config

SMALL = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "theory.samples": 400,
         "theory.grid": 48, "train.device": "cpu", "theory.every": 10}


@pytest.fixture(scope="module")
def run_20(tmp_path_factory):
    """A 20-iteration headless run: its folder, trainer and last logged snapshot."""
    from ganlab.headless import run

    out = tmp_path_factory.mktemp("run")
    seen = {}

    def on_log(trainer, observer, snap):
        seen["trainer"], seen["snap"] = trainer, snap

    run(Config().with_values(SMALL), 20, out, progress=False, on_log=on_log)
    return out, seen["trainer"], seen["snap"]


def png_rgb(path):
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def changed_box(a: np.ndarray, b: np.ndarray, tol: int = 24) -> tuple[int, int]:
    """(top, left) of the pixels where a and b differ; asserts they are all in the bottom-right corner."""
    ys, xs = np.nonzero(np.abs(a.astype(int) - b.astype(int)).max(axis=2) > tol)
    assert len(ys) > 50, "no caption"
    h, w = a.shape[:2]
    assert ys.min() > 0.8 * h and xs.min() > 0.5 * w, (ys.min(), xs.min(), h, w)
    return int(ys.min()), int(xs.min())


def test_run_figures_are_captioned_under_their_fixed_names(run_20, tmp_path):
    from ganlab.app import figures

    out, _, snap = run_20
    assert snap.iteration == 20
    written = figures.write_figures_or_warn(out, snap)      # as `ganlab run` calls it: preset from config.toml
    assert sorted(p.name for p in written) == sorted(f"{n}.{e}" for n in figures.FIGURES for e in ("png", "svg"))
    plain = figures.write_figures(tmp_path, snap, stamp=False)
    assert len(plain) == 6
    for name in figures.FIGURES:
        on, off = png_rgb(out / f"{name}.png"), png_rgb(tmp_path / f"{name}.png")
        assert on.shape == off.shape
        changed_box(on, off)
        svg = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert "ring8 · nonsaturating" in svg and "iteration 20" in svg
        assert "iteration 20 ·" not in (tmp_path / f"{name}.svg").read_text(encoding="utf-8")


def test_run_recording_frames_count_the_iterations(run_20, tmp_path):
    iio = pytest.importorskip("imageio.v3")
    from ganlab.app import figures

    _, trainer, snap = run_20
    rec = figures.FrameRecorder(tmp_path / "r.gif")
    for it in (snap.iteration, snap.iteration + 1000):     # the same picture, only the iteration differs
        rec.on_frame(trainer, None, dataclasses.replace(snap, iteration=it))
    assert rec.preset == "ring8" and rec.failed is None
    rec.close()
    frames = iio.imread(tmp_path / "r.gif", index=None)
    assert len(frames) == 2
    changed_box(frames[0], frames[1])
