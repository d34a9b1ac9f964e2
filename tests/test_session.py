"""Session files: an exact round trip (the reloaded run continues with identical losses), and every kind
of bad file refused with a clear SessionError that leaves the current session untouched."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from ganlab.core.config import Config
from ganlab.core.observer import METRIC_COLUMNS, Observer
from ganlab.core.presets import ring
from ganlab.core.session import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SessionError,
    apply_session,
    load_session,
    save_session,
)
from ganlab.core.trainer import Trainer

SMALL = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 32, "theory.samples": 300,
         "theory.grid": 48}


def small(**extra) -> Config:
    return Config().with_values({**SMALL, **extra})


def weights(trainer: Trainer) -> list[np.ndarray]:
    return [p.detach().cpu().numpy().copy() for p in (*trainer.G.parameters(), *trainer.D.parameters())]


def trained(cfg: Config, n: int = 23, observe: bool = True) -> tuple[Trainer, Observer]:
    t = Trainer(cfg)
    obs = Observer(t)
    t.step(n)
    if observe:
        obs.take()
    # an edited target: a dragged mode and an added one
    t.set_target(t.target.moved(0, (0.25, -0.5)).with_mode((1.5, 1.5), std=0.2))
    t.step(n)
    if observe:
        obs.take()
    return t, obs


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A session saved after some training, and the trainer that wrote it."""
    path = tmp_path_factory.mktemp("s") / "run.ganlab"
    t, obs = trained(small(**{"train.seed": 7}))
    t.freeze_d = True
    save_session(path, t, obs)
    return path, t, obs


def rewrite(src: Path, dst: Path, *, meta=None, arrays: dict | None = None, drop: tuple = ()) -> Path:
    """Copy a session file, replacing its metadata (a function of the dict) or some raw entries."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    if meta is not None:
        m = json.loads(members["session.json"])
        meta(m)
        members["session.json"] = json.dumps(m).encode()
    for name, raw in (arrays or {}).items():
        members[f"arrays/{name}.npy"] = raw
    with zipfile.ZipFile(dst, "w") as zf:
        for n, raw in members.items():
            if n not in drop:
                zf.writestr(n, raw)
    return dst


def npy(arr) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=True)
    return buf.getvalue()


# ============================================================== round trip
@pytest.mark.parametrize("extra", [
    {},
    {"train.loss": "wgan-gp", "opt_d.name": "sgd", "opt_d.lr": 0.01, "train.k_d": 2, "noise.dim": 3},
])
def test_round_trip_continues_with_identical_losses(tmp_path, extra):
    cfg = small(**{"train.seed": 3, **extra})
    a, obs_a = trained(cfg, n=37)  # 37: the buffered blocks are part-used when saving
    a.freeze_g = False
    path = tmp_path / "a.ganlab"
    save_session(path, a, obs_a)

    # a fresh trainer with everything different: seed, architecture, loss, target
    b = Trainer(Config().with_values({"generator.width": 8, "generator.depth": 3, "train.seed": 99,
                                      "train.loss": "hinge", "target.preset": "grid25"}))
    obs_b = Observer(b)
    b.step(5)
    data = load_session(path)
    apply_session(b, obs_b, data)

    assert b.config == a.config
    assert b.target == a.target and b.target.n_modes == 9
    assert b.iteration == a.iteration == 74
    for wa, wb in zip(weights(a), weights(b), strict=True):
        np.testing.assert_array_equal(wa, wb)
    np.testing.assert_array_equal(b.losses.array(), a.losses.array())
    np.testing.assert_array_equal(obs_b.metrics.array(), obs_a.metrics.array())
    assert len(obs_b.metrics) == 2

    m = 41
    assert a.step(m) == m and b.step(m) == m
    la, lb = a.losses.array(), b.losses.array()
    assert la.shape == lb.shape == (74 + m, 4)
    np.testing.assert_array_equal(lb, la)  # bit-identical continuation, including the RNG streams
    assert np.isfinite(la[-m:, 1]).all()
    for wa, wb in zip(weights(a), weights(b), strict=True):
        np.testing.assert_array_equal(wa, wb)
    # the observer draws the same display samples as one built fresh for the loaded config
    np.testing.assert_array_equal(obs_b.take(theory=False).fake, Observer(a).take(theory=False).fake)


def test_saved_file_is_a_zip_of_json_and_plain_arrays(saved):
    path, t, _ = saved
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta = json.loads(zf.read("session.json"))
        arrays = {n: np.lib.format.read_array(io.BytesIO(zf.read(n)), allow_pickle=False)
                  for n in names if n.endswith(".npy")}
    assert meta["format"] == FORMAT_NAME and meta["format_version"] == FORMAT_VERSION
    assert meta["iteration"] == t.iteration == 46 and meta["seed"] == 7
    assert meta["freeze_d"] is True and meta["freeze_g"] is False
    assert Config.from_dict(__import__("tomllib").loads(meta["config_toml"])) == t.config
    assert meta["target"]["means"][0] == [0.25, -0.5] and len(meta["target"]["means"]) == 9
    np.testing.assert_array_equal(arrays["arrays/G/net.0.weight.npy"], t.G.net[0].weight.detach().cpu().numpy())
    assert arrays["arrays/rng/data.npy"].dtype == np.uint8
    assert arrays["arrays/history/losses.npy"].shape == (46, 4)
    assert arrays["arrays/history/metrics.npy"].shape == (2, len(METRIC_COLUMNS))
    assert set(meta["optimizers"]["opt_g"]["state"]["0"]) == {"step", "exp_avg", "exp_avg_sq"}
    assert all(a.dtype != object for a in arrays.values())


def test_load_gives_validated_data(saved):
    path, t, _ = saved
    data = load_session(path)
    assert data.config == t.config and data.iteration == 46 and data.seed == 7
    assert data.freeze_d and not data.freeze_g
    assert data.target == t.target
    assert data.path == str(path) and data.warnings == ()


def test_save_without_observer_and_freeze_flags_restored(tmp_path):
    t = Trainer(small())
    t.step(3)
    t.freeze_g = True
    save_session(tmp_path / "x.ganlab", t)
    b = Trainer(small())
    obs = Observer(b)
    b.step(2)
    obs.take()
    apply_session(b, obs, load_session(tmp_path / "x.ganlab"))
    assert b.freeze_g and not b.freeze_d and b.iteration == 3 and len(obs.metrics) == 0


# ============================================================== bad files
def assert_refused(path, *words):
    with pytest.raises(SessionError) as e:
        load_session(path)
    msg = str(e.value)
    for w in words:
        assert w.lower() in msg.lower(), msg
    return msg


def test_missing_empty_folder(tmp_path):
    assert_refused(tmp_path / "nope.ganlab", "cannot read", "nope.ganlab")
    (tmp_path / "empty.ganlab").write_bytes(b"")
    assert_refused(tmp_path / "empty.ganlab", "empty")
    assert_refused(tmp_path, "folder")


def test_foreign_and_truncated_files(saved, tmp_path):
    path = saved[0]
    png = tmp_path / "picture.ganlab"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert_refused(png, "not a ganlab session", "zip")
    raw = path.read_bytes()
    for cut in (len(raw) // 2, len(raw) - 30, 100):
        p = tmp_path / f"cut{cut}.ganlab"
        p.write_bytes(raw[:cut])
        assert_refused(p, "cut")
    other = tmp_path / "other.ganlab"
    np.savez(other.with_suffix(".npz"), x=np.arange(3))
    other.write_bytes(other.with_suffix(".npz").read_bytes())
    assert_refused(other, "no session.json")


def test_corrupted_entry_bytes(saved, tmp_path):
    # flip bytes inside the stored (compressed) data: CRC or decompression error, never garbage weights
    raw = bytearray(saved[0].read_bytes())
    mid = len(raw) // 2
    raw[mid:mid + 64] = bytes(64)
    p = tmp_path / "flipped.ganlab"
    p.write_bytes(bytes(raw))
    assert_refused(p)


class _Evil:
    def __reduce__(self):
        return (Path.write_text, (Path(_Evil.marker), "pwned"))


def test_pickles_and_object_arrays_are_never_loaded(saved, tmp_path):
    _Evil.marker = str(tmp_path / "marker.txt")
    evil = np.array([_Evil()], dtype=object)
    p = rewrite(saved[0], tmp_path / "evil.ganlab", arrays={"G/net.0.weight": npy(evil)})
    assert_refused(p, "G/net.0.weight", "pickle")
    p2 = rewrite(saved[0], tmp_path / "evil2.ganlab", arrays={"history/losses": pickle.dumps(_Evil())})
    assert_refused(p2, "history/losses")
    bad_npz = tmp_path / "objects.ganlab"
    with open(bad_npz, "wb") as f:
        np.savez(f, x=evil)
    assert_refused(bad_npz, "no session.json")
    assert not Path(_Evil.marker).exists()


@pytest.mark.parametrize("edit, words", [
    (lambda m: m.update(format="something-else"), ["not a ganlab session", "something-else"]),
    (lambda m: m.update(format_version=2), ["newer ganlab", "version 2"]),
    (lambda m: m.update(format_version=0), ["unsupported", "version 0"]),
    (lambda m: m.pop("iteration"), ["iteration"]),
    (lambda m: m.update(iteration="12"), ["iteration", "whole number"]),
    (lambda m: m.update(iteration=-1), ["iteration"]),
    (lambda m: m.update(freeze_g=1), ["freeze_g"]),
    (lambda m: m.update(config_toml="[train\nlr = "), ["not valid toml"]),
    (lambda m: m.update(config_toml=m["config_toml"].replace("lr = 0.001", "lr = 5.0", 1)),
     ["configuration is invalid", "lr"]),
    (lambda m: m.update(config_toml=m["config_toml"].replace("width = 16", "width = 17", 1)),
     ["shape", "G/net.0.weight"]),
    (lambda m: m["target"].update(stds=[-1.0] * 9), ["target is invalid", "std"]),
    (lambda m: m.update(target=[1, 2]), ["target"]),
    (lambda m: m["optimizers"]["opt_g"].update(name="sgd"), ["opt_g", "sgd"]),
    (lambda m: m["optimizers"]["opt_g"]["state"]["0"].update(evil={"array": "G/net.0.weight"}),
     ["unknown entry", "evil"]),
    (lambda m: m["optimizers"]["opt_g"]["state"].update({"99": {}}), ["parameter", "99"]),
    (lambda m: m["optimizers"]["opt_g"]["state"]["0"].update(exp_avg={"array": "G/net.0.bias"}),
     ["shape"]),
    (lambda m: m["optimizers"]["opt_g"]["state"]["0"].update(exp_avg={"array": "../../etc/passwd"}),
     ["bad array name"]),
    (lambda m: m["history"]["losses"].update(columns=["a", "b"]), ["losses history", "columns"]),
    (lambda m: m["rng"].update(data="G/net.0.weight"), ["random-generator state", "bytes"]),
    (lambda m: m.update(events={"a": 1}), ["events", "list"]),
    (lambda m: m.update(events=[{"iteration": -3, "key": "train.loss"}]), ["events", "not an event"]),
    (lambda m: m.update(events=[{"iteration": 3, "key": "x", "after": 5}]), ["events", "not an event"]),
])
def test_bad_metadata_is_refused(saved, tmp_path, edit, words):
    assert_refused(rewrite(saved[0], tmp_path / "bad.ganlab", meta=edit), *words)


def test_bad_arrays_are_refused(saved, tmp_path):
    w = saved[1].G.net[0].weight.detach().cpu().numpy().copy()
    w[0, 0] = np.nan
    assert_refused(rewrite(saved[0], tmp_path / "nan.ganlab", arrays={"G/net.0.weight": npy(w)}), "nan")
    assert_refused(rewrite(saved[0], tmp_path / "shape.ganlab", arrays={"D/net.2.bias": npy(np.zeros(3,
                                                                                          np.float32))}),
                   "D/net.2.bias", "shape")
    assert_refused(rewrite(saved[0], tmp_path / "missing.ganlab", drop=("arrays/D/net.2.bias.npy",)),
                   "no entry", "D/net.2.bias")
    assert_refused(rewrite(saved[0], tmp_path / "text.ganlab", arrays={"G/net.0.bias": npy(np.array(["a"] * 16))}),
                   "G/net.0.bias")
    assert_refused(rewrite(saved[0], tmp_path / "trunc.ganlab",
                           arrays={"G/net.0.weight": npy(w)[:-40]}), "G/net.0.weight")
    assert_refused(rewrite(saved[0], tmp_path / "rng.ganlab", arrays={"rng/data": npy(np.zeros(7, np.uint8))}),
                   "random-generator state")
    assert_refused(rewrite(saved[0], tmp_path / "hist.ganlab",
                           arrays={"history/losses": npy(np.zeros((4, 3)))}), "losses history", "shape")
    big = np.zeros((1000, 1000), np.float64)
    assert_refused(rewrite(saved[0], tmp_path / "big.ganlab", arrays={"G/net.0.bias": npy(big)}), "too large")


def test_failed_apply_leaves_trainer_untouched(saved):
    data = load_session(saved[0])
    t = Trainer(small(**{"train.seed": 1}))
    obs = Observer(t)
    t.step(4)
    obs.take()
    before = (weights(t), t.losses.array(), obs.metrics.array(), t.iteration, t.config, t.target)
    broken = dict(data.opt_g_state)
    broken[0] = {**broken[0], "exp_avg": torch.zeros(5)}  # passes no validation: built by hand
    with pytest.raises(SessionError, match="does not fit"):
        apply_session(t, obs, replace(data, opt_g_state=broken))
    with pytest.raises(SessionError):
        apply_session(t, obs, replace(data, rng_state=torch.zeros(3, dtype=torch.uint8)))
    w, losses, metrics, it, cfg, target = before
    for a, b in zip(w, weights(t), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(t.losses.array(), losses)
    np.testing.assert_array_equal(obs.metrics.array(), metrics)
    assert (t.iteration, t.config, t.target) == (it, cfg, target)
    assert t.step(2) == 2  # and it still trains


# ============================================================== save errors
def test_save_errors(tmp_path):
    t = Trainer(small())
    t.step(2)
    with pytest.raises(SessionError, match="cannot write"):
        save_session(tmp_path / "no" / "such" / "dir" / "x.ganlab", t)
    good = tmp_path / "keep.ganlab"
    save_session(good, t)
    before = good.read_bytes()
    with torch.no_grad():
        t.G.net[0].weight[0, 0] = float("nan")
    with pytest.raises(SessionError, match="diverged"):
        save_session(good, t)
    assert good.read_bytes() == before  # the old file is kept whole
    assert [p.name for p in tmp_path.iterdir()] == ["keep.ganlab"]  # no temporary files left


def test_target_preset_points_file_need_not_exist(tmp_path):
    csv = tmp_path / "pts.csv"
    csv.write_text("x,y\n0,0\n1,1\n2,0\n")
    t = Trainer(small(**{"target.preset": "points", "target.points_file": str(csv)}))
    t.step(2)
    save_session(tmp_path / "p.ganlab", t)
    csv.unlink()
    b = Trainer(small())
    apply_session(b, None, load_session(tmp_path / "p.ganlab"))
    assert b.target == t.target and b.target != ring(8)


def test_the_curves_marks_travel_with_the_session(tmp_path):
    t, obs = trained(small(**{"train.seed": 3}))
    obs.config_changed(t.config, t.config.with_value("train.loss", "minimax"), reset=False)
    marks = obs.events.to_list()
    assert len(marks) == 1 and marks[0]["key"] == "train.loss" and marks[0]["iteration"] == t.iteration
    save_session(tmp_path / "m.ganlab", t, obs)
    data = load_session(tmp_path / "m.ganlab")
    assert list(data.events) == marks
    t2 = Trainer(small())
    obs2 = Observer(t2)
    apply_session(t2, obs2, data)
    assert obs2.events.to_list() == marks and obs2.take().events[0].text() == "loss: nonsaturating → minimax"


def test_a_session_saved_before_the_sample_value_and_w1_columns_loads_with_them_as_nan(saved, tmp_path):
    from ganlab.core.snapshot import METRIC_COLUMNS_V1

    new = load_session(saved[0]).metrics
    old_rows = new[:, :len(METRIC_COLUMNS_V1)]

    def older(m):
        m["history"]["metrics"]["columns"] = list(METRIC_COLUMNS_V1)

    path = rewrite(saved[0], tmp_path / "v1.ganlab", meta=older, arrays={"history/metrics": npy(old_rows)})
    got = load_session(path).metrics
    assert got.shape == new.shape
    np.testing.assert_array_equal(got[:, :len(METRIC_COLUMNS_V1)], old_rows)
    assert np.isnan(got[:, len(METRIC_COLUMNS_V1):]).all()
    # any other column set is still refused, naming the columns expected
    path = rewrite(saved[0], tmp_path / "v0.ganlab", meta=lambda m: m["history"]["metrics"].update(
        columns=list(METRIC_COLUMNS_V1[:5])), arrays={"history/metrics": npy(old_rows[:, :5])})
    assert_refused(path, "metrics history", "columns")


def test_a_session_saved_before_the_mode_count_column_loads_with_it_as_nan(saved, tmp_path):
    from ganlab.core.snapshot import METRIC_COLUMNS_V2

    new = load_session(saved[0]).metrics
    assert np.isfinite(new[:, METRIC_COLUMNS.index("n_modes")]).all()     # saved now: every row has its count
    old_rows = new[:, :len(METRIC_COLUMNS_V2)]
    path = rewrite(saved[0], tmp_path / "v2.ganlab", meta=lambda m: m["history"]["metrics"].update(
        columns=list(METRIC_COLUMNS_V2)), arrays={"history/metrics": npy(old_rows)})
    got = load_session(path).metrics
    assert got.shape == new.shape
    np.testing.assert_array_equal(got[:, :len(METRIC_COLUMNS_V2)], old_rows)
    assert np.isnan(got[:, len(METRIC_COLUMNS_V2):]).all()
