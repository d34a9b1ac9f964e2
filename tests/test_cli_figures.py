"""`ganlab run` writes the app's figures (offscreen) and recordings; --no-figures keeps Qt out entirely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import ganlab.app
from ganlab.cli import main

SMALL = ["--set", "generator.width=16", "--set", "discriminator.width=16", "--set", "train.batch_size=64",
         "--set", "theory.samples=400", "--set", "theory.grid=48", "--device", "cpu", "--quiet"]
FIGURE_FILES = sorted(f"{n}.{e}" for n in ("field", "theory", "curves") for e in ("png", "svg"))
RUN_FILES = ["config.toml", "metrics.csv", "summary.json"]
SVG_NS = "{http://www.w3.org/2000/svg}"


def png_rgb(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        assert im.format == "PNG"
        return np.asarray(im.convert("RGB"))


def test_run_writes_the_six_figures(tmp_path, capsys):
    from ganlab.app.figures import PNG_SCALE
    from ganlab.app.offscreen import FIGURE_SIZES

    out = tmp_path / "run"
    assert main(["run", "--steps", "60", "--every", "30", "--out", str(out), *SMALL]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""                                   # no Qt noise on stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(RUN_FILES + FIGURE_FILES)
    for name in ("field", "theory", "curves"):
        rgb = png_rgb(out / f"{name}.png")
        w, h = FIGURE_SIZES[name]
        assert rgb.shape == (PNG_SCALE * h, PNG_SCALE * w, 3)
        assert len(np.unique(rgb.reshape(-1, 3)[::5], axis=0)) > 30 and rgb.std() > 10
        root = ET.parse(out / f"{name}.svg").getroot()
        assert root.tag == SVG_NS + "svg" and root.get("viewBox") == f"0 0 {w} {h}"
        tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
        assert tags & {"path", "polyline"}
        if name != "curves":
            assert "image" in tags                              # the heatmaps
    assert sum(1 for _ in ET.parse(out / "field.svg").getroot().iter(SVG_NS + "circle")) > 100
    # the curves figure carries the run's history: the text of its labels is in the SVG
    assert "iteration" in (out / "curves.svg").read_text(encoding="utf-8")


def test_record_gif_headless(tmp_path, capsys):
    iio = pytest.importorskip("imageio.v3")
    from ganlab.app.offscreen import FIGURE_SIZES

    out = tmp_path / "rec"
    gif = out / "x.gif"
    assert main(["run", "--steps", "60", "--every", "30", "--out", str(out), "--record", str(gif),
                 "--record-every", "10", "--no-figures", *SMALL]) == 0
    captured = capsys.readouterr()
    assert f"recorded 7 frames to {gif}" in captured.out
    frames = iio.imread(gif, index=None)
    w, h = FIGURE_SIZES["field"]
    assert frames.shape == (7, h, w, 3)                        # iterations 0, 10, ..., 60
    assert not np.array_equal(frames[0], frames[-1])           # the clouds moved
    assert iio.immeta(gif, index=0).get("duration") == 100     # 10 frames per second
    assert sorted(p.name for p in out.iterdir()) == sorted([*RUN_FILES, "x.gif"])
    # the metric rows are those of --every alone: recording frames adds no rows
    assert (out / "metrics.csv").read_text().count("\n") == 1 + 3


def test_record_mp4_default_every(tmp_path, capsys):
    pytest.importorskip("imageio_ffmpeg")
    import imageio

    out = tmp_path / "m"
    assert main(["run", "--steps", "40", "--every", "20", "--out", str(out), "--record", str(out / "v.mp4"),
                 "--no-figures", *SMALL]) == 0
    r = imageio.get_reader(out / "v.mp4", format="FFMPEG")
    try:
        assert r.count_frames() == 3                            # --record-every defaults to --every
        w, h = r.get_meta_data()["size"]
    finally:
        r.close()
    assert w % 2 == 0 and h % 2 == 0 and w > 100


def test_no_figures_writes_none(tmp_path):
    out = tmp_path / "nf"
    assert main(["run", "--steps", "10", "--every", "5", "--out", str(out), "--no-figures", *SMALL]) == 0
    assert sorted(p.name for p in out.iterdir()) == RUN_FILES


def test_no_figures_never_imports_qt(tmp_path):
    out = tmp_path / "sub"
    code = (f"import sys; from ganlab.cli import main; rc = main(['run', '--steps', '5', '--every', '5', '--out', "
            f"{str(out)!r}, '--no-figures', *{SMALL!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))); "
            "sys.exit(rc)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "[]"
    assert sorted(x.name for x in out.iterdir()) == RUN_FILES


def test_without_qt_a_warning_and_exit_0(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ganlab.app.figures", None)   # "import ganlab.app.figures" fails
    monkeypatch.delattr(ganlab.app, "figures", raising=False)
    out = tmp_path / "noqt"
    assert main(["run", "--steps", "10", "--every", "5", "--out", str(out), *SMALL]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "warning: no figures" in err[0] and "Qt could not load" in err[0]
    assert sorted(p.name for p in out.iterdir()) == RUN_FILES
    # a recording cannot go without Qt: exit 2 before training, one line
    assert main(["run", "--steps", "10", "--out", str(tmp_path / "r"), "--record", str(tmp_path / "r.gif"),
                 *SMALL]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot record without Qt" in err[0]


@pytest.mark.parametrize("args, words", [
    (["--record", "x.avi"], ".gif or .mp4"),
    (["--record-every", "0", "--record", "x.gif"], "--record-every"),
])
def test_bad_record_options_exit_2(tmp_path, capsys, args, words):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert main(["run", "--steps", "5", "--out", str(tmp_path / "o"), *args, *SMALL]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob("x.*"))


def test_diverged_run_still_writes_figures(tmp_path, capsys):
    out = tmp_path / "d"
    code = main(["run", "--steps", "300", "--every", "100", "--out", str(out), "--quiet", "--device", "cpu",
                 "--set", "train.loss=lsgan", "--set", "opt_d.name=sgd", "--set", "opt_g.name=sgd",
                 "--set", "opt_d.lr=1", "--set", "opt_g.lr=1", "--set", "theory.samples=400"])
    assert code == 3
    assert len(capsys.readouterr().err.strip().splitlines()) == 1   # only the divergence line
    assert set(FIGURE_FILES) <= {p.name for p in out.iterdir()}
    assert json.loads((out / "summary.json").read_text())["status"] == "diverged"
