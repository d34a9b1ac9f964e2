"""`ganlab sweep` (issue 13): runs grouped into batches, each run's numbers those of the single Trainer, the
files it writes, and bad grids refused with exit 2 and one line."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from ganlab.cli import main
from ganlab.core.config import Config
from ganlab.core.trainer import Trainer
from ganlab.sweep import Grid, batch_groups, make_runs, parse_grid

TINY = ["--set", "generator.width=16", "--set", "discriminator.width=16", "--set", "train.batch_size=64",
        "--set", "theory.samples=300", "--set", "theory.grid=48"]


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_a_two_key_sweep_writes_every_run_and_each_equals_its_single_run(tmp_path, capsys):
    out = tmp_path / "s"
    rc = main(["sweep", "--preset", "ring8", "--seeds", "2", "--grid", "opt_d.lr=1e-4,1e-3",
               "--grid", "train.k_d=1,2", "--steps", "40", "--every", "20", "--out", str(out), "--quiet", *TINY])
    assert rc == 0
    rows = read_rows(out / "runs.csv")
    assert len(rows) == 2 * 2 * 2
    assert {(r["opt_d.lr"], r["train.k_d"], r["seed"]) for r in rows} == {
        (lr, k, s) for lr in ("0.0001", "0.001") for k in ("1", "2") for s in ("0", "1")}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == 8 and summary["batches"] == 2        # k_D shapes the computation: two batches
    # one run, recomputed by the single Trainer: the same losses after the same iterations
    r = next(r for r in rows if r["opt_d.lr"] == "0.001" and r["train.k_d"] == "2" and r["seed"] == "1")
    cfg = Config().with_values({"target.preset": "ring8", "generator.width": 16, "discriminator.width": 16,
                                "train.batch_size": 64, "theory.samples": 300, "theory.grid": 48,
                                "opt_d.lr": 1e-3, "train.k_d": 2, "train.seed": 1})
    t = Trainer(cfg)
    t.step(40)
    assert int(r["iteration"]) == 40 and r["status"] == "ok"
    assert float(r["loss_d"]) == pytest.approx(t.last.loss_d, rel=1e-4)
    assert float(r["loss_g"]) == pytest.approx(t.last.loss_g, rel=1e-4)
    curves = read_rows(out / "curves.csv")
    assert sorted({int(c["step"]) for c in curves}) == [0, 20, 40] and len(curves) == 8 * 3
    # the phase diagram: one cell per (lr, k), each with its count out of 2 seeds
    svg = ET.parse(out / "phase.svg").getroot()
    texts = [e.text for e in svg.iter("{http://www.w3.org/2000/svg}text")]
    counts = [t for t in texts if t and t.endswith("/2")]
    assert len(counts) == 4
    by_cell = {(c["values"][0], c["values"][1]): c["all_modes"] for c in summary["cells"]}
    expect = {}
    for row in rows:
        key = (float(row["opt_d.lr"]), int(row["train.k_d"]))
        expect[key] = expect.get(key, 0) + int(row["all_modes"])
    assert by_cell == expect


@pytest.mark.parametrize("args, words", [
    (["--grid", "opt_d.lr=abc"], ["--grid opt_d.lr=abc", "[1e-06, 1]"]),
    (["--grid", "foo.bar=1"], ["--grid foo.bar=1", "unknown key"]),
    (["--grid", "train.k_d"], ["KEY=V1,V2"]),
    (["--grid", "train.k_d="], ["no values"]),
    (["--grid", "train.k_d=1", "--grid", "train.k_d=2"], ["given twice"]),
    (["--grid", "train.seed=1,2"], ["--seeds"]),
    (["--seeds", "0"], ["--seeds"]),
    (["--steps", "0"], ["--steps"]),
    (["--backend", "spark"], ["--backend"]),
])
def test_bad_sweeps_exit_2_with_one_line(tmp_path, capsys, args, words):
    rc = main(["sweep", "--steps", "5", "--out", str(tmp_path / "x"), *args])   # a later --steps wins
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and err.startswith("ganlab sweep:")
    assert all(w in err for w in words), err
    assert not (tmp_path / "x").exists()


def test_runs_group_by_what_a_batch_must_share():
    base = Config()
    grid = parse_grid(["opt_g.lr=1e-4,1e-3", "train.loss=minimax,nonsaturating"], base)
    assert grid == Grid(("opt_g.lr", "train.loss"), ((1e-4, 1e-3), ("minimax", "nonsaturating")))
    runs = make_runs(base, grid, [5, 6, 7])
    groups = batch_groups([c for c, _, _ in runs])
    assert len(runs) == 12 and sorted(len(g) for g in groups) == [6, 6]
    for g in groups:   # one loss per batch; both learning rates and all seeds inside it
        assert len({runs[i][0].train.loss for i in g}) == 1
        assert {runs[i][2] for i in g} == {5, 6, 7} and len({runs[i][0].opt_g.lr for i in g}) == 2
    assert np.all([runs[i][0].train.seed == runs[i][2] for i in range(12)])
