import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ganlab
from ganlab import headless
from ganlab.cli import main
from ganlab.core.config import Config, field_info

HEADER = ["step", "loss_d", "loss_g", "jsd", "v_estimate", "v_at_dstar", "kl_pg_pdata", "modes_captured",
          "hq_fraction", "v_samples", "v_stderr", "w1", "grad_norm_g", "seconds"]
SMALL = ["--set", "generator.width=16", "--set", "discriminator.width=16", "--set", "train.batch_size=64",
         "--set", "theory.samples=500", "--set", "theory.grid=64"]
SMALL_VALUES = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "theory.samples": 500,
                "theory.grid": 64}


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, [dict(zip(header, row, strict=True)) for row in r]


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_run_end_to_end(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", "--steps", "200", "--every", "50", "--out", str(out), "--quiet", "--seed", "4", "--no-figures",
                 "--device", "cpu", "--set", "opt_d.lr=1e-3", "--set", "train.loss=minimax", *SMALL])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "200 iterations" in captured.out and str(out) in captured.out
    assert sorted(p.name for p in out.iterdir()) == ["config.toml", "metrics.csv", "summary.json"]

    header, rows = _rows(out / "metrics.csv")
    assert header == HEADER
    assert [int(r["step"]) for r in rows] == [0, 50, 100, 150, 200]
    assert rows[0]["loss_d"] == "" and rows[0]["loss_g"] == ""  # nothing trained yet
    seconds = [float(r["seconds"]) for r in rows]
    assert all(b > a for a, b in zip(seconds, seconds[1:], strict=False))
    for r in rows:
        jsd = float(r["jsd"])
        assert 0.0 <= jsd <= math.log(2) + 1e-9
        assert float(r["v_at_dstar"]) == pytest.approx(-math.log(4) + 2 * jsd, abs=0.05)
        assert float(r["v_estimate"]) <= float(r["v_at_dstar"]) + 1e-6
        assert 0 <= int(r["modes_captured"]) <= 8
        assert 0.0 <= float(r["hq_fraction"]) <= 1.0
        assert float(r["kl_pg_pdata"]) >= 0.0
        # V(G, D) from samples: a minimax D has log D and log(1 - D) < 0; its standard error is positive
        assert float(r["v_samples"]) < 0 and float(r["v_stderr"]) > 0
    # W1 on every 10th logged row (the first here), NaN on the others
    assert float(rows[0]["w1"]) > 0 and all(r["w1"] in ("", "nan") for r in rows[1:])
    for r in rows[1:]:
        for col in ("loss_d", "loss_g", "grad_norm_g"):
            assert math.isfinite(float(r[col])), col
        assert float(r["loss_d"]) > 0  # the minimax L_D is a sum of softplus terms
        assert float(r["loss_g"]) < 0  # -E softplus(l)
        assert float(r["grad_norm_g"]) > 0

    expected = Config().with_values({**SMALL_VALUES, "train.seed": 4, "train.device": "cpu", "theory.every": 50,
                                     "opt_d.lr": 1e-3, "train.loss": "minimax"})
    assert Config.load(out / "config.toml") == expected

    s = json.loads((out / "summary.json").read_text())
    assert s["status"] == "ok" and s["iterations"] == 200 and s["device"] == "cpu" and s["seed"] == 4
    assert s["iterations_per_second"] > 0 and s["seconds"] > 0 and s["n_modes"] == 8
    assert s["versions"]["ganlab"] == ganlab.__version__
    assert {"python", "torch", "numpy"} <= set(s["versions"])
    assert s["final"]["step"] == 200 and isinstance(s["final"]["step"], int)
    assert s["final"]["modes_captured"] == int(rows[-1]["modes_captured"])
    assert isinstance(s["final"]["modes_captured"], int)
    assert f"modes {s['final']['modes_captured']}/8" in captured.out
    assert f"JSD {s['final']['jsd']:.4f} nats" in captured.out
    assert s["final"]["jsd"] == pytest.approx(float(rows[-1]["jsd"]), rel=1e-5)


def test_run_with_config_file_and_preset(tmp_path, capsys):
    cfg = Config().with_values({**SMALL_VALUES, "train.loss": "hinge", "train.k_d": 2})
    cfg_path = tmp_path / "in.toml"
    cfg.save(cfg_path)
    out = tmp_path / "o"
    code = main(["run", "--config", str(cfg_path), "--preset", "two", "--steps", "30", "--every", "10",
                 "--out", str(out), "--quiet", "--set", "train.k_d=3"])
    assert code == 0, capsys.readouterr().err
    got = Config.load(out / "config.toml")
    assert got == cfg.with_values({"target.preset": "two", "theory.every": 10, "train.k_d": 3})
    _, rows = _rows(out / "metrics.csv")
    assert len(rows) == 4
    assert all(int(r["modes_captured"]) <= 2 for r in rows)


@pytest.mark.parametrize("args,names", [
    (["--set", "opt_d.lr=10"], ["opt_d.lr", "1e-06", "1"]),
    (["--set", "nonsense=1"], ["nonsense", "unknown key"]),
    (["--set", "train.loss=wgan"], ["train.loss", "minimax"]),
    (["--set", "opt_d.lr"], ["KEY=VALUE"]),
    (["--preset", "moon"], ["target.preset", "moon"]),
    (["--every", "0"], ["theory.every"]),
    (["--steps", "-5"], ["--steps"]),
])
def test_bad_values_exit_2_with_one_line(tmp_path, capsys, args, names):
    out = tmp_path / "never"
    code = main(["run", "--out", str(out), "--quiet", *args])
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("ganlab run: ")
    for n in names:
        assert n in line
    assert not out.exists()


def test_missing_config_file(tmp_path, capsys):
    code = main(["run", "--config", str(tmp_path / "absent.toml"), "--out", str(tmp_path / "o")])
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert "absent.toml" in line and "cannot read" in line


def test_bad_config_file(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text("[opt_d]\nlr = 'fast'\n")
    assert main(["run", "--config", str(p), "--out", str(tmp_path / "o")]) == 2
    assert "opt_d.lr" in _one_line(capsys.readouterr().err)


def test_bad_points_file_names_line(tmp_path, capsys):
    pts = tmp_path / "pts.csv"
    pts.write_text("x,y\n1,2\n3,oops\n")
    code = main(["run", "--preset", "points", "--set", f"target.points_file={pts}", "--out", str(tmp_path / "o")])
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert "line 3" in line and "pts.csv" in line


def test_bad_option_exits_2(capsys):
    assert main(["run", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert "--bogus" in err and "usage" in err
    assert main(["fly"]) == 2


def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["run", "--steps", "1", "--out", str(f), "--quiet", *SMALL]) == 2
    assert "cannot write" in _one_line(capsys.readouterr().err)


def test_zero_steps(tmp_path, capsys):
    out = tmp_path / "z"
    assert main(["run", "--steps", "0", "--out", str(out), "--quiet", *SMALL]) == 0
    msg = capsys.readouterr().out
    assert "0 iterations" in msg and "None" not in msg
    _, rows = _rows(out / "metrics.csv")
    assert [r["step"] for r in rows] == ["0"]
    assert json.loads((out / "summary.json").read_text())["iterations_per_second"] is None


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_unavailable_exits_2(tmp_path, capsys):
    assert main(["run", "--device", "cuda", "--steps", "1", "--out", str(tmp_path / "c")]) == 2
    assert "CUDA" in _one_line(capsys.readouterr().err)


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"ganlab {ganlab.__version__}"


def test_help(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--steps" in out
    # the choices come from the config: every preset and device is listed
    assert all(name in out for name in field_info("target.preset")["choices"])
    assert "{" + ",".join(field_info("train.device")["choices"]) + "}" in out


DIVERGE = ["--set", "train.loss=lsgan", "--set", "opt_d.name=sgd", "--set", "opt_g.name=sgd", "--set", "opt_d.lr=1",
           "--set", "opt_g.lr=1", "--set", "generator.width=64", "--set", "discriminator.width=64",
           "--set", "theory.samples=500"]


def test_diverging_run_exits_3_and_writes_files(tmp_path, capsys):
    out = tmp_path / "d"
    code = main(["run", "--steps", "500", "--every", "100", "--out", str(out), "--quiet", *DIVERGE])
    assert code == 3
    line = _one_line(capsys.readouterr().err)
    assert "diverged at iteration" in line and "learning rate" in line
    s = json.loads((out / "summary.json").read_text())
    assert s["status"] == "diverged" and 0 < s["iterations"] < 500
    assert "diverged" in s["message"]
    header, rows = _rows(out / "metrics.csv")
    assert header == HEADER
    assert int(rows[-1]["step"]) == s["iterations"]
    assert Config.load(out / "config.toml").train.loss == "lsgan"


def test_interrupted_run_writes_files(tmp_path):
    cfg = Config().with_values({**SMALL_VALUES, "train.device": "cpu", "theory.every": 10})
    calls = []

    def on_log(trainer, observer, snap):
        calls.append(trainer.iteration)
        if len(calls) == 3:
            raise KeyboardInterrupt

    res = headless.run(cfg, 100, tmp_path, progress=False, on_log=on_log)
    assert res.exit_code == headless.EXIT_INTERRUPTED == 130
    assert calls == [0, 10, 20]
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["status"] == "interrupted" and s["iterations"] == 20
    _, rows = _rows(tmp_path / "metrics.csv")
    assert [int(r["step"]) for r in rows] == [0, 10, 20]


def test_headless_on_log_gets_snapshots(tmp_path):
    cfg = Config().with_values({**SMALL_VALUES, "train.device": "cpu", "theory.every": 7})
    seen = []
    res = headless.run(cfg, 20, tmp_path, progress=False, on_log=lambda t, o, s: seen.append(s.iteration))
    assert res.exit_code == 0
    assert seen == [0, 7, 14, 20]  # the last row is the final step even off the grid of `every`
    assert len(res.rows) == 4 and res.trainer.iteration == 20


def test_console_script_subprocess(tmp_path):
    out = tmp_path / "sub"
    exe = Path(sys.executable).with_name("ganlab")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ganlab"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    p = subprocess.run([*cmd, "run", "--steps", "20", "--every", "10", "--out", str(out), "--device", "cpu", *SMALL],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    assert "20 iterations" in p.stdout
    _, rows = _rows(out / "metrics.csv")
    assert len(rows) == 3
    assert json.loads((out / "summary.json").read_text())["iterations"] == 20
