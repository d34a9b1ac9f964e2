"""Reliability of the core under abuse (issue 6): every config key at and beyond its limits, huge and broken
targets and CSV files, divergence, corrupt/crafted session and config files, failing disks, and `ganlab run`
stopped by SIGINT/SIGTERM. Each test asserts the clear message (naming the field and its range), the clamp,
or the unchanged state, so a regression fails it.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from faults import evil_npy, raise_oserror, rewrite_zip

from ganlab import cli, headless
from ganlab.core import files
from ganlab.core.config import Config, ConfigError, all_keys, field_info
from ganlab.core.grid import Grid
from ganlab.core.observer import Observer
from ganlab.core.presets import MAX_CSV_ROWS, from_csv, ring, single
from ganlab.core.presets import read_points_csv as read_csv
from ganlab.core.session import SessionError, load_session, save_session
from ganlab.core.target import MAX_ABS_COORD, MAX_MODES, GaussianMixture, TargetError
from ganlab.core.trainer import Trainer

SMALL = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 32, "theory.samples": 300,
         "theory.grid": 48}
# plain SGD at learning rate 1 with least squares: NaN within a few iterations (measured: iteration 3)
DIVERGING = {"opt_d.name": "sgd", "opt_g.name": "sgd", "opt_d.lr": 1.0, "opt_g.lr": 1.0, "train.loss": "lsgan",
             "train.batch_size": 64}
NUMERIC = [k for k in all_keys() if field_info(k).get("lo") is not None]
CHOICES = [k for k in all_keys() if field_info(k).get("choices")]


def small(**extra) -> Config:
    return Config().with_values({**SMALL, **extra})


def is_int_key(key: str) -> bool:
    return isinstance(Config().get(key), int) and not isinstance(Config().get(key), bool)


def range_text(key: str) -> str:
    info = field_info(key)
    return f"[{info['lo']:g}, {info['hi']:g}]"


# ===================================================================== config keys at and beyond limits
@pytest.mark.parametrize("key", NUMERIC)
def test_every_numeric_key_at_and_beyond_its_limits(key):
    cfg = Config()
    info = field_info(key)
    lo, hi = info["lo"], info["hi"]
    before = cfg.get(key)
    for edge in (lo, hi):  # the limits themselves are allowed (k_d = 0 alone is fine: k_g still trains)
        assert cfg.with_value(key, edge).get(key) == edge
    step = 1 if is_int_key(key) else max(abs(hi) * 1e-3, 1e-9)
    beyond = [lo - step, hi + step, hi * 10 + 1, -1e30, 1e30]
    garbage = [math.nan, math.inf, -math.inf, "nan", "inf", "-inf", "abc", "1,5", "0x10", True, [1]]
    if info.get("optional"):  # None (or an empty field) means "the preset's value"
        assert cfg.with_value(key, None).get(key) is None and cfg.with_value(key, "").get(key) is None
    else:
        garbage += ["", None]
    for value in beyond + garbage:
        with pytest.raises(ConfigError) as exc:
            cfg.with_value(key, value)
        text = str(exc.value)
        assert exc.value.field == key and text.startswith(f"{key}:"), (value, text)
        if value is not None and value != "" and not isinstance(value, (bool, list)):
            assert range_text(key) in text, (value, text)  # names the allowed range
    assert cfg.get(key) == before  # configs are values: nothing changed in place
    if is_int_key(key):
        with pytest.raises(ConfigError, match=r"whole number"):
            cfg.with_value(key, lo + 0.5)


@pytest.mark.parametrize("key", CHOICES)
def test_every_choice_key_refuses_garbage_and_lists_the_choices(key):
    for value in ("", "NaN", "rm -rf /", "x" * 10_000, 3, None):
        with pytest.raises(ConfigError) as exc:
            Config().with_value(key, value)
        assert exc.value.field == key
        if isinstance(value, str) and value:
            assert all(c in str(exc.value) for c in field_info(key)["choices"])


@pytest.mark.parametrize("key, value, words", [
    ("opt_d.lr", 0, "[1e-06, 1]"), ("opt_g.lr", 10, "[1e-06, 1]"),
    ("train.batch_size", 1, "[2, 16384]"), ("train.batch_size", 100000, "[2, 16384]"),
    ("generator.width", 0, "[1, 1024]"), ("discriminator.depth", 9, "[1, 8]"),
    ("target.std", 0, "[0.001, 10]"), ("target.std", -0.5, "[0.001, 10]"), ("target.std", "nan", "finite"),
    ("noise.dim", "inf", "[1, 64]"), ("train.k_d", -1, "[0, 50]"),
])
def test_the_issue_examples_give_one_clear_line(key, value, words):
    with pytest.raises(ConfigError) as exc:
        Config().with_value(key, value)
    assert str(exc.value).startswith(key) and words in str(exc.value) and "\n" not in str(exc.value)


def test_k_zero_alone_trains_the_other_network_and_both_zero_is_refused():
    t = Trainer(small(**{"train.k_d": 0}))
    d0 = [p.detach().clone() for p in t.D.parameters()]
    assert t.step(5) == 5 and t.status == "ok"  # L_D is NaN (not computed) but that is not divergence
    assert all(torch.equal(a, b) for a, b in zip(d0, t.D.parameters(), strict=True))
    assert np.isnan(t.losses.view()["loss_d"]).all() and np.isfinite(t.losses.view()["loss_g"]).all()
    with pytest.raises(ConfigError, match=r"k_d and k_g cannot both be 0"):
        small(**{"train.k_d": 0}).with_value("train.k_g", 0)


@pytest.mark.parametrize("extreme", [
    {"generator.width": 1, "discriminator.width": 1},
    {"generator.depth": 1, "discriminator.depth": 1, "train.batch_size": 2},
    {"opt_d.lr": 1e-6, "opt_g.lr": 1e-6, "opt_d.beta1": 0.0, "opt_d.beta2": 0.0},
    {"noise.dim": 64, "noise.dist": "uniform", "theory.samples": 100},
    {"theory.grid": 1, "theory.bandwidth": 2.0},
    {"train.k_d": 50, "train.k_g": 0, "train.r1_gamma": 100.0},
])
def test_extreme_but_allowed_configs_train_and_observe(extreme):
    t = Trainer(small(**extreme))
    obs = Observer(t)
    assert t.step(3) == 3 and t.status == "ok"
    s = obs.take(theory=True, push=True, manifold=True)
    assert np.isfinite(s.fake).all() and np.isfinite(s.real).all() and np.isfinite(s.d_logits).all()


# ===================================================================== targets: many modes, far modes, std
def test_500_modes_train_and_observe_quickly_and_513_is_refused():
    rng = np.random.default_rng(0)
    tgt = GaussianMixture(rng.uniform(-3, 3, (500, 2)), 0.05)
    t = Trainer(small(), tgt)
    obs = Observer(t)
    t0 = time.perf_counter()
    assert t.step(10) == 10
    s = obs.take(theory=True)
    assert time.perf_counter() - t0 < 10
    assert s.coverage.n_modes == 500 and np.isfinite(s.theory.jsd)
    full = GaussianMixture(rng.uniform(-3, 3, (MAX_MODES, 2)), 0.05)
    with pytest.raises(TargetError, match=rf"at most {MAX_MODES} modes"):
        full.with_mode((0.0, 0.0))
    with pytest.raises(TargetError, match=rf"at most {MAX_MODES} modes"):
        GaussianMixture(np.zeros((MAX_MODES + 1, 2)), 0.1)


@pytest.mark.parametrize("xy", [(1e4, 0.0), (0.0, -1e4), (math.nan, 0.0), (math.inf, 1.0), (1e300, 1e300)])
def test_a_mode_moved_far_away_or_to_nan_is_refused(xy):
    tgt = ring()
    with pytest.raises(TargetError, match=r"finite and within \+-1000"):
        tgt.moved(0, xy)
    assert tgt == ring()  # immutable: the old target is untouched


def test_a_mode_at_the_edge_keeps_grid_and_snapshot_sane():
    t = Trainer(small())
    obs = Observer(t)
    t.set_target(t.target.moved(0, (MAX_ABS_COORD, -MAX_ABS_COORD)))
    obs.target_changed(structural=False)
    assert t.step(5) == 5
    s = obs.take(theory=True)
    g = s.grid
    assert g.xmax >= MAX_ABS_COORD and g.n <= 256 and all(math.isfinite(v) for v in g.extent)
    assert np.isfinite(s.d_logits).all() and np.isfinite(s.real).all() and np.isfinite(s.theory.jsd)


@pytest.mark.parametrize("std", [0.0, -1.0, math.nan, math.inf, 1e-4, 11.0])
def test_bad_mode_std_is_refused(std):
    tgt = ring()
    with pytest.raises(TargetError, match=r"std must be in \[0.001, 10\]"):
        tgt.with_std(0, std)
    with pytest.raises(TargetError, match=r"std must be in"):
        GaussianMixture([[0.0, 0.0]], std)


def test_removing_the_last_mode_is_refused():
    with pytest.raises(TargetError, match=r"cannot remove the last mode"):
        single().without_mode(0)
    with pytest.raises(TargetError, match=r"out of range"):
        ring().without_mode(8)


# ===================================================================== points CSV
@pytest.mark.parametrize("name, data, words", [
    ("empty.csv", b"", "no x,y rows found"),
    ("blank.csv", b"\n\n  \n", "no x,y rows found"),
    ("header.csv", b"x,y\n", "no x,y rows found"),
    ("text.csv", b"x,y\nhello,world\n", "line 2: 'hello, world' is not a number pair"),
    ("one.csv", b"1,2\n3\n", "line 2: expected two columns"),
    ("inf.csv", b"1,2\ninf,3\n", "line 2: coordinates must be finite"),
    ("binary.csv", bytes(range(256)) * 4, "not UTF-8 text"),
    ("utf16.csv", "x,y\n1,2\n".encode("utf-16"), "not UTF-8 text"),
    ("nul.csv", b"1,2\n\x00\x00,\x00\n", "line 2"),
    ("long.csv", b"1" * 200_000 + b",2\n", "not a readable CSV"),
])
def test_bad_points_files_give_a_clear_message(tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(TargetError) as exc:
        read_csv(p)
    assert name in str(exc.value) and words in str(exc.value)
    with pytest.raises(TargetError):
        from_csv(p)


def _peak_rss_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux)
        return True
    except OSError:
        return False


def _vm(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def test_ten_million_rows_are_refused_quickly_without_reading_them_all(tmp_path):
    p = tmp_path / "huge.csv"
    block = b"0.5,-1.25\n" * 1_000_000
    with p.open("wb") as f:
        f.write(b"x,y\n")
        for _ in range(10):
            f.write(block)
    assert p.stat().st_size > 10**8
    can_measure = _peak_rss_reset()
    rss0 = _vm("VmRSS")
    t0 = time.perf_counter()
    with pytest.raises(TargetError, match=rf"more than {MAX_CSV_ROWS:,} rows; thin the file first"):
        read_csv(p)
    seconds = time.perf_counter() - t0
    assert seconds < 20  # ~1.5 s here: it stops after MAX_CSV_ROWS rows
    if can_measure:
        # 10^6 rows kept as 16-byte pairs: ~16 MB (a list of tuples was ~130 MB); the file is 100 MB
        assert _vm("VmHWM") - rss0 < 80 * 2**20
    # the same refusal from a headless run, as exit code 2 and one line
    assert cli.main(["run", "--preset", "points", "--set", f"target.points_file={p}", "--steps", "1",
                     "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 2


def test_exactly_the_row_limit_is_accepted_and_thinned(tmp_path):
    p = tmp_path / "ok.csv"
    n = 5000
    np.savetxt(p, np.c_[np.linspace(-2, 2, n), np.zeros(n)], delimiter=",")
    pts = read_csv(p, max_rows=n)
    assert pts.shape == (n, 2) and pts.dtype == np.float64
    with pytest.raises(TargetError, match=r"more than 4,999 rows"):
        read_csv(p, max_rows=n - 1)
    assert from_csv(p).n_modes == MAX_MODES


# ===================================================================== divergence
def test_natural_divergence_stops_at_the_first_bad_iteration_and_says_what_to_do():
    t = Trainer(Config().with_values(DIVERGING))
    obs = Observer(t)
    done = t.step(500)
    assert t.status == "diverged" and done == t.iteration < 500
    assert "diverged at iteration" in t.message and "Reset" in t.message and "learning rate" in t.message
    assert t.step(10) == 0 and t.iteration == done  # a diverged trainer does not keep going
    s = obs.take(theory=True, push=True, manifold=True)
    assert np.isfinite(s.fake).all() and np.isfinite(s.real).all()  # sanitised for the views
    t.reset()
    assert t.status == "ok" and t.step(3) == 3


def test_diverged_headless_run_exits_3_with_strict_json(tmp_path):
    cfg = Config().with_values({**DIVERGING, "theory.every": 1, "theory.samples": 300, "theory.grid": 48})
    r = headless.run(cfg, 200, tmp_path, progress=False)
    assert r.exit_code == 3
    summary = json.loads((tmp_path / "summary.json").read_text(), parse_constant=_no_constants)
    assert summary["status"] == "diverged"
    with (tmp_path / "metrics.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows and rows[-1]["step"] == str(summary["iterations"])


def _no_constants(name):
    raise AssertionError(f"{name} in JSON")


# ===================================================================== session and config files
@pytest.fixture(scope="module")
def session_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sess") / "good.ganlab"
    t = Trainer(small())
    obs = Observer(t)
    t.step(7)
    obs.take()
    save_session(path, t, obs)
    return path


def bad_session_files(src: Path, tmp: Path, marker: Path) -> dict[str, tuple[Path, str]]:
    data = src.read_bytes()
    meta = json.loads(zipfile.ZipFile(src).read("session.json"))
    out = {}

    def put(name: str, payload: bytes, words: str) -> None:
        p = tmp / name
        p.write_bytes(payload)
        out[name] = (p, words)

    put("empty.ganlab", b"", "empty")
    put("truncated.ganlab", data[: len(data) // 2], "not a ganlab session")
    put("garbage.ganlab", os.urandom(4096), "not a ganlab session")
    put("text.ganlab", b"[target]\npreset = 'ring8'\n", "not a ganlab session")
    flipped = bytearray(data)
    mid = len(flipped) // 2
    flipped[mid:mid + 64] = bytes(64)
    put("corrupt.ganlab", bytes(flipped), "")
    newer = dict(meta, format_version=99)
    out["newer.ganlab"] = (rewrite_zip(src, tmp / "newer.ganlab", {"session.json": json.dumps(newer).encode()}),
                           "newer ganlab")
    older = dict(meta, format_version=0)
    out["older.ganlab"] = (rewrite_zip(src, tmp / "older.ganlab", {"session.json": json.dumps(older).encode()}),
                           "unsupported session format version 0")
    bad_cfg = dict(meta, config_toml=meta["config_toml"].replace("batch_size = 32", "batch_size = 100000"))
    out["badcfg.ganlab"] = (rewrite_zip(src, tmp / "badcfg.ganlab", {"session.json": json.dumps(bad_cfg).encode()}),
                            "train.batch_size")
    nan_meta = json.dumps(meta).replace('"iteration": 7', '"iteration": NaN').encode()
    out["nan.ganlab"] = (rewrite_zip(src, tmp / "nan.ganlab", {"session.json": nan_meta}), "not valid JSON")
    weight = next(n for n in zipfile.ZipFile(src).namelist() if n.startswith("arrays/G/"))
    out["pickle.ganlab"] = (rewrite_zip(src, tmp / "pickle.ganlab", {weight: evil_npy(marker)}),
                            "never loads")
    huge = io.BytesIO()
    np.lib.format.write_array_header_1_0(huge, {"descr": "<f4", "fortran_order": False, "shape": (2**40,)})
    out["hugeshape.ganlab"] = (rewrite_zip(src, tmp / "hugeshape.ganlab", {weight: huge.getvalue() + b"\0" * 64}),
                               "")
    return out


def test_bad_session_files_are_refused_and_nothing_is_executed(session_file, tmp_path):
    marker = tmp_path / "PWNED"
    files = bad_session_files(session_file, tmp_path, marker)
    for name, (path, words) in files.items():
        t0 = time.perf_counter()
        with pytest.raises(SessionError) as exc:
            load_session(path)
        assert time.perf_counter() - t0 < 5, name
        assert words.lower() in str(exc.value).lower(), (name, str(exc.value))
        assert "\n" not in str(exc.value)
    assert not marker.exists()
    assert load_session(session_file).iteration == 7  # the good file still loads


@pytest.mark.parametrize("name, text, words", [
    ("empty.toml", "", "is empty"),
    ("blank.toml", "\n   \n", "is empty"),
    ("truncated.toml", '[train]\nloss = "minim', "not valid TOML"),
    ("binary.toml", None, "cannot read"),
    ("version.toml", "version = 7\n[train]\nk_d = 2\n", "reads config version 1, got 7"),
    ("code.toml", '[train]\nbatch_size = "__import__(\'os\').system(\'touch PWNED\')"\n', "train.batch_size"),
    ("section.toml", "[__class__]\nx = 1\n", "unknown section"),
    ("key.toml", "[train]\n__dict__ = 1\n", "unknown key"),
    ("nan.toml", "[opt_d]\nlr = nan\n", "opt_d.lr: must be a finite number"),
    ("type.toml", "train = 5\n", "expected a table"),
])
def test_bad_config_files_are_refused(tmp_path, name, text, words, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / name
    if text is None:
        p.write_bytes(b"\xff\xfe\x00" + os.urandom(256))
    else:
        p.write_text(text)
    with pytest.raises(ConfigError) as exc:
        Config.load(p)
    assert words in str(exc.value)
    assert not (tmp_path / "PWNED").exists()
    assert cli.main(["run", "--config", str(p), "--steps", "1", "--out", str(tmp_path / "o"), "--quiet",
                     "--no-figures"]) == 2


# ===================================================================== failing disks
@pytest.mark.parametrize("where, err", [("fsync", errno.ENOSPC), ("replace", errno.EACCES),
                                        ("replace", errno.EROFS), ("mkstemp", errno.EACCES)])
def test_atomic_write_failure_leaves_no_half_file_and_keeps_the_old_one(tmp_path, monkeypatch, where, err):
    target = tmp_path / "out.txt"
    target.write_text("old")
    if where == "mkstemp":
        monkeypatch.setattr(files.tempfile, "mkstemp", raise_oserror(err))
    else:
        monkeypatch.setattr(files.os, where, raise_oserror(err))
    with pytest.raises(OSError) as exc:
        files.write_atomic(target, "new" * 1000)
    assert exc.value.errno == err
    monkeypatch.undo()
    assert target.read_text() == "old" and sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_session_save_to_a_full_disk_or_missing_folder(tmp_path, monkeypatch):
    t = Trainer(small())
    t.step(2)
    with pytest.raises(SessionError, match=r"cannot write"):
        save_session(tmp_path / "nope" / "x.ganlab", t)
    monkeypatch.setattr(files.os, "fsync", raise_oserror(errno.ENOSPC))
    with pytest.raises(SessionError, match=r"No space left"):
        save_session(tmp_path / "x.ganlab", t)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []
    assert t.step(1) == 1  # the trainer carries on


def test_headless_run_to_a_full_disk_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(files.os, "fsync", raise_oserror(errno.ENOSPC))
    code = cli.main(["run", "--steps", "3", "--out", str(tmp_path), "--quiet", "--no-figures",
                     *sum((["--set", f"{k}={v}"] for k, v in SMALL.items()), [])])
    assert code == 2 and "No space left" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == []


# ===================================================================== shutdown of `ganlab run`
_RUN = """
import sys
from ganlab import cli
from ganlab.core import trainer as tr
step = tr.Trainer.step
def announce(self, n=1):
    if self.iteration >= 60 and not announce.said:
        announce.said = True
        print("TRAINING", flush=True)
    return step(self, n)
announce.said = False
tr.Trainer.step = announce
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ganlab_run_stops_cleanly_on_sigint_and_sigterm(tmp_path, sig):
    out = tmp_path / "run"
    args = [sys.executable, "-c", _RUN, "run", "--steps", "100000000", "--every", "20", "--out", str(out),
            "--quiet", "--no-figures", *sum((["--set", f"{k}={v}"] for k, v in SMALL.items()), [])]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()  # "TRAINING" once 60 iterations ran (or "" if the process died)
        assert "TRAINING" in line, proc.communicate(timeout=30)[1]
        t0 = time.perf_counter()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        stop_seconds = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert stop_seconds < 10
    assert "interrupted at iteration" in err
    summary = json.loads((out / "summary.json").read_text(), parse_constant=_no_constants)
    assert summary["status"] == "interrupted" and summary["iterations"] > 0
    with (out / "metrics.csv").open() as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[float(c) if c else math.nan for c in r] for r in reader]
    assert tuple(header) == headless.CSV_COLUMNS and len(rows) >= 2
    assert all(len(r) == len(header) for r in rows)
    assert rows[-1][0] == summary["iterations"]
    assert Config.load(out / "config.toml") == small(**{"theory.every": 20})
    assert sorted(p.name for p in out.iterdir()) == ["config.toml", "metrics.csv", "summary.json"]  # no .tmp


def test_grid_rejects_non_finite_boxes():
    with pytest.raises(ValueError, match=r"finite"):
        Grid(-math.inf, 1, -1, 1, 8)
    with pytest.raises(ValueError, match=r"positive integer"):
        Grid(-1, 1, -1, 1, 0)


def test_ctrl_c_before_training_starts_exits_130_without_a_traceback(monkeypatch, capsys, tmp_path):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(headless, "run", interrupted)
    assert cli.main(["run", "--steps", "5", "--out", str(tmp_path), "--quiet", "--no-figures"]) == 130
    assert "interrupted" in capsys.readouterr().err
