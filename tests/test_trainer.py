import copy
import math

import numpy as np
import pytest
import torch

from ganlab.core import losses
from ganlab.core.config import LOSSES, Config
from ganlab.core.device import resolve_device
from ganlab.core.target import GaussianMixture
from ganlab.core.trainer import BLOCK, Trainer


def small_config(**values) -> Config:
    base = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
            "opt_d.lr": 1e-3, "opt_g.lr": 1e-3}
    base.update(values)
    return Config().with_values(base)


def _params(net) -> list[torch.Tensor]:
    return [p.detach().clone() for p in net.parameters()]


def _same(a, b) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def _adam_steps(opt) -> int:
    """Optimizer steps taken so far, read from Adam's per-parameter state (0 before the first)."""
    p = opt.param_groups[0]["params"][0]
    st = opt.state.get(p, {})
    return int(st["step"]) if "step" in st else 0


# ------------------------------------------------------------------ determinism
def test_same_seed_same_run_regardless_of_global_rng():
    cfg = small_config(**{"train.seed": 3})
    torch.manual_seed(123)
    a = Trainer(cfg)
    a.step(50)
    torch.manual_seed(999)
    b = Trainer(cfg)
    torch.rand(10)  # consume some global randomness in between
    b.step(50)
    va, vb = a.losses.view(), b.losses.view()
    assert len(va["step"]) == 50
    for col in ("loss_d", "loss_g", "grad_norm_g"):
        np.testing.assert_array_equal(va[col], vb[col])
        assert np.all(np.isfinite(va[col]))
    for net_a, net_b in ((a.G, b.G), (a.D, b.D)):
        sa, sb = net_a.state_dict(), net_b.state_dict()
        assert all(torch.equal(sa[k], sb[k]) for k in sa)


def test_different_seed_different_run():
    a = Trainer(small_config(**{"train.seed": 1}))
    b = Trainer(small_config(**{"train.seed": 2}))
    assert not _same(_params(a.G), _params(b.G))
    a.step(20)
    b.step(20)
    assert not np.array_equal(a.losses.view()["loss_d"], b.losses.view()["loss_d"])


def test_training_leaves_global_rng_alone():
    t = Trainer(small_config())
    state = torch.random.get_rng_state()
    t.step(5)
    assert torch.equal(state, torch.random.get_rng_state())


def test_reset_restores_initial_weights_and_clears_history():
    t = Trainer(small_config())
    g0, d0 = _params(t.G), _params(t.D)
    t.step(10)
    assert not _same(g0, _params(t.G)) and not _same(d0, _params(t.D))
    t.reset()
    assert t.iteration == 0 and len(t.losses) == 0 and t.status == "ok"
    assert _same(g0, _params(t.G)) and _same(d0, _params(t.D))


def test_history_rows():
    t = Trainer(small_config())
    assert t.step(7) == 7
    v = t.losses.view()
    np.testing.assert_array_equal(v["step"], np.arange(1, 8))
    assert t.iteration == 7
    assert t.last.loss_d == v["loss_d"][-1] and t.last.loss_g == v["loss_g"][-1]
    assert t.last.grad_norm_g > 0


# -------------------------------------------------------------- apply_config
def test_apply_config_hyperparameters_keep_weights():
    t = Trainer(small_config())
    t.step(5)
    g, d = _params(t.G), _params(t.D)
    new = t.config.with_values({"opt_d.lr": 5e-3, "opt_g.lr": 2e-5, "opt_g.beta1": 0.0, "train.loss": "hinge",
                                "train.k_d": 3, "train.batch_size": 32})
    assert t.apply_config(new) is False
    assert t.iteration == 5 and len(t.losses) == 5
    assert _same(g, _params(t.G)) and _same(d, _params(t.D))
    assert all(grp["lr"] == 5e-3 for grp in t.opt_d.param_groups)
    assert all(grp["lr"] == 2e-5 for grp in t.opt_g.param_groups)
    assert t.opt_g.param_groups[0]["betas"] == (0.0, 0.999)
    assert t.config is new
    # the optimizer state (Adam moments) is kept
    assert _adam_steps(t.opt_d) == 5 and _adam_steps(t.opt_g) == 5


def test_apply_config_loss_k_and_batch_take_effect(monkeypatch):
    t = Trainer(small_config())
    t.step(2)
    seen = []
    orig_d_loss, orig_real = losses.d_loss, t.real_batch

    def d_loss(name, r, f):
        seen.append((name, r.shape[0], f.shape[0]))
        return orig_d_loss(name, r, f)

    monkeypatch.setattr(losses, "d_loss", d_loss)
    batches = []
    monkeypatch.setattr(t, "real_batch", lambda n: batches.append(n) or orig_real(n))
    t.apply_config(t.config.with_values({"train.loss": "lsgan", "train.k_d": 3, "train.batch_size": 40}))
    t.step(2)
    assert seen == [("lsgan", 40, 40)] * 6
    assert batches == [40] * 6
    assert _adam_steps(t.opt_d) == 2 + 6 and _adam_steps(t.opt_g) == 2 + 2


def test_apply_config_architecture_resets():
    t = Trainer(small_config())
    t.step(5)
    assert t.apply_config(t.config.with_value("generator.width", 24)) is True
    assert t.iteration == 0 and len(t.losses) == 0
    assert t.G.net[0].weight.shape == (24, 2)
    assert _adam_steps(t.opt_g) == 0
    t.step(2)
    assert t.apply_config(t.config.with_value("opt_d.name", "sgd")) is True
    assert isinstance(t.opt_d, torch.optim.SGD) and t.iteration == 0


def test_apply_config_noise_distribution_takes_effect_at_once():
    t = Trainer(small_config())
    t.step(1)  # a block of Gaussian noise is now buffered
    assert t.apply_config(t.config.with_value("noise.dist", "uniform")) is False
    z = torch.cat([t.noise(64) for _ in range(BLOCK)])
    assert float(z.abs().max()) <= 1.0


def test_apply_config_target_change():
    t = Trainer(small_config())
    t.step(2)
    g = _params(t.G)
    assert t.apply_config(t.config.with_value("target.preset", "single")) is False
    assert t.target.n_modes == 1 and _same(g, _params(t.G))


# ------------------------------------------------------------------- k and freeze
@pytest.mark.parametrize("k_d,k_g", [(1, 1), (3, 1), (1, 2), (0, 2), (2, 0)])
def test_k_d_k_g_step_counts(k_d, k_g):
    t = Trainer(small_config(**{"train.k_d": k_d, "train.k_g": k_g}))
    assert t.step(4) == 4
    assert _adam_steps(t.opt_d) == 4 * k_d
    assert _adam_steps(t.opt_g) == 4 * k_g
    v = t.losses.view()
    assert np.all(np.isfinite(v["loss_d"])) == (k_d > 0)
    assert np.all(np.isfinite(v["loss_g"])) == (k_g > 0)
    assert np.all(np.isnan(v["loss_d"])) == (k_d == 0)


def test_freeze_g_trains_only_d():
    t = Trainer(small_config())
    t.freeze_g = True
    g, d = _params(t.G), _params(t.D)
    t.step(10)
    assert _same(g, _params(t.G))
    assert not _same(d, _params(t.D))
    assert t.iteration == 10 and np.all(np.isnan(t.losses.view()["loss_g"]))
    t.freeze_g = False
    t.step(1)
    assert not _same(g, _params(t.G))


def test_freeze_d_trains_only_g():
    t = Trainer(small_config())
    t.freeze_d = True
    g, d = _params(t.G), _params(t.D)
    t.step(10)
    assert _same(d, _params(t.D))
    assert not _same(g, _params(t.G))


def test_d_step_and_g_step_change_only_their_network():
    t = Trainer(small_config())
    g, d = _params(t.G), _params(t.D)
    t.d_step()
    assert _same(g, _params(t.G)) and not _same(d, _params(t.D))
    d1 = _params(t.D)
    t.g_step()
    assert _same(d1, _params(t.D)) and not _same(g, _params(t.G))
    assert t.iteration == 0 and len(t.losses) == 0  # single steps are not iterations
    assert math.isfinite(t.last.loss_g) and math.isnan(t.last.loss_d)


# ---------------------------------------------------------------------- divergence
def test_nan_weight_diverges_without_raising():
    t = Trainer(small_config())
    t.step(3)
    with torch.no_grad():
        t.D.net[0].weight[0, 0] = float("nan")
    assert t.step(10) == 1
    assert t.status == "diverged"
    assert "iteration 4" in t.message and "NaN" in t.message
    assert t.iteration == 4
    assert t.step(5) == 0 and t.iteration == 4  # stays stopped
    d = _params(t.D)
    t.d_step()
    t.g_step()
    assert all(torch.allclose(a, b, rtol=0, atol=0, equal_nan=True) for a, b in zip(d, _params(t.D), strict=True))
    assert t.iteration == 4
    assert not t.state_finite()
    t.reset()
    assert t.status == "ok" and t.message == "" and t.state_finite()


def test_huge_learning_rate_diverges():
    cfg = small_config(**{"train.loss": "lsgan", "opt_d.name": "sgd", "opt_g.name": "sgd", "opt_d.lr": 1.0,
                          "opt_g.lr": 1.0, "generator.width": 64, "discriminator.width": 64,
                          "train.batch_size": 256})
    t = Trainer(cfg)
    n = t.step(200)
    assert n < 200 and t.status == "diverged"
    assert f"iteration {n}" in t.message
    assert "lower the learning rates" in t.message


# ------------------------------------------------------------------------ targets
def test_set_target_next_batch_comes_from_new_target():
    t = Trainer(small_config(), target=GaussianMixture([[0.0, 0.0]], 0.1))
    t.step(3)  # a block of real samples is buffered
    first = t.real_batch(64)
    assert float(first.mean(0).abs().max()) < 0.1
    t.set_target(t.target.moved(0, (40.0, -30.0)))
    batch = t.real_batch(64)
    np.testing.assert_allclose(batch.mean(0).numpy(), [40.0, -30.0], atol=0.1)
    np.testing.assert_allclose(batch.std(0).numpy(), [0.1, 0.1], rtol=0.3)


@pytest.mark.parametrize("fast", [True, False])
def test_set_target_next_d_step_sees_new_target(monkeypatch, fast):
    t = Trainer(small_config(), target=GaussianMixture([[0.0, 0.0]], 0.1))
    if not fast:
        monkeypatch.setattr(t, "fast_path", lambda cfg: False)
    t.step(2)
    t.set_target(GaussianMixture([[500.0, 500.0]], 0.1))
    seen = []
    if fast:  # the hand-written pass (core/netpass.py) reads D's input
        inner = t._fast.d.forward
        monkeypatch.setattr(t._fast.d, "forward", lambda x, tag: (seen.append(x.clone()), inner(x, tag))[1])
    else:
        monkeypatch.setattr(t, "D", _Recorder(t.D, seen))
    t.d_step()
    real_half = seen[0][:64]
    assert float(real_half.mean()) == pytest.approx(500.0, abs=1.0)


class _Recorder(torch.nn.Module):
    def __init__(self, inner, seen):
        super().__init__()
        self.inner = inner
        self.seen = seen

    def forward(self, x):
        self.seen.append(x.detach().clone())
        return self.inner(x)


# --------------------------------------------------------------------------- losses
@pytest.mark.parametrize("loss,extra", [(loss, {}) for loss in LOSSES] + [
    ("wgan-gp", {"train.gp_lambda": 10.0, "train.k_d": 5, "opt_d.beta1": 0.0, "opt_d.beta2": 0.9}),
    ("nonsaturating", {"train.r1_gamma": 1.0}),
    ("hinge", {"train.r1_gamma": 10.0}),
])
def test_every_loss_trains(loss, extra):
    t = Trainer(small_config(**{"train.loss": loss, **extra}))
    g, d = _params(t.G), _params(t.D)
    assert t.step(20) == 20
    assert t.status == "ok"
    v = t.losses.view()
    for col in ("loss_d", "loss_g", "grad_norm_g"):
        assert np.all(np.isfinite(v[col])), col
    assert not _same(g, _params(t.G)) and not _same(d, _params(t.D))
    assert t.state_finite()


def test_r1_penalty_changes_the_d_update():
    a = Trainer(small_config())
    b = Trainer(small_config(**{"train.r1_gamma": 5.0}))
    a.d_step()
    b.d_step()
    assert not _same(_params(a.D), _params(b.D))


def test_grad_norm_matches_manual_computation():
    t = Trainer(small_config(**{"train.k_d": 0, "train.k_g": 1}))
    # replicate the G step on the same noise: noise() hands out the block in order
    state = t.noise_rng.get_state()
    t.step(1)
    t2 = Trainer(small_config(**{"train.k_d": 0, "train.k_g": 1}))
    t2.noise_rng.set_state(state)
    z = t2.noise(64)
    loss = losses.g_loss("nonsaturating", t2.D(t2.G(z)))
    grads = torch.autograd.grad(loss, list(t2.G.parameters()))
    manual = torch.sqrt(sum((g**2).sum() for g in grads)).item()
    assert t.last.grad_norm_g == pytest.approx(manual, rel=1e-5)
    assert t.last.loss_g == pytest.approx(loss.item(), rel=1e-6)


# --------------------------------------------------------------------------- probing
@pytest.mark.parametrize("loss", ["nonsaturating", "minimax", "lsgan"])
def test_generator_push(loss):
    t = Trainer(small_config(**{"train.loss": loss}))
    t.step(5)
    d_grads = [p.grad.clone() for p in t.D.parameters()]  # left over from the last D step
    g_before = _params(t.G)
    z = torch.randn(100, 2, generator=torch.Generator().manual_seed(0))
    x, push = t.generator_push(z)
    assert x.shape == (100, 2) and push.shape == (100, 2)
    assert torch.isfinite(x).all() and torch.isfinite(push).all()
    with torch.no_grad():
        torch.testing.assert_close(x, t.G(z))
    # push = -dL_G/dx per sample: for the log losses it is a positive multiple of grad_x l(x)
    xr = x.clone().requires_grad_(True)
    logits = t.D(xr)
    (gl,) = torch.autograd.grad(logits.sum(), xr)
    l = logits.detach()
    if loss == "nonsaturating":
        expected = torch.sigmoid(-l)[:, None] * gl
    elif loss == "minimax":
        expected = torch.sigmoid(l)[:, None] * gl
    else:
        expected = -l[:, None] * gl
    torch.testing.assert_close(push, expected, rtol=1e-4, atol=1e-6)
    # D is left trainable, its gradients untouched; G unchanged
    assert all(p.requires_grad for p in t.D.parameters())
    assert all(torch.equal(p.grad, g) for p, g in zip(t.D.parameters(), d_grads, strict=True))
    assert _same(g_before, _params(t.G))


def test_d_logits_and_generate():
    t = Trainer(small_config())
    pts = np.zeros((7, 2), dtype=np.float64)
    out = t.d_logits(pts)
    assert out.shape == (7,) and out.dtype == torch.float32
    g = t.generate(11)
    assert g.shape == (11, 2) and not g.requires_grad


def test_resolve_device():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            resolve_device("cuda")


def test_refused_apply_config_leaves_trainer_unchanged(tmp_path):
    from ganlab.core.target import TargetError

    t = Trainer(small_config())
    t.step(3)
    before_cfg, before_target, g = t.config, t.target, _params(t.G)
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3,x\n")
    new = t.config.with_values({"target.preset": "points", "target.points_file": str(bad), "opt_d.lr": 5e-3})
    with pytest.raises(TargetError, match="line 2"):
        t.apply_config(new)
    assert t.config is before_cfg and t.target is before_target
    assert all(grp["lr"] == before_cfg.opt_d.lr for grp in t.opt_d.param_groups)
    assert t.iteration == 3 and _same(g, _params(t.G))
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA"):
            t.apply_config(t.config.with_value("train.device", "cuda"))
        assert t.config is before_cfg and t.device.type == "cpu" and t.iteration == 3


def test_batched_sync_logs_the_same_numbers_and_reports_first_bad_iteration():
    """The CUDA path keeps stats on the device for several iterations; emulate it on the CPU."""
    import math

    import torch

    from ganlab.core.config import Config
    from ganlab.core.trainer import Trainer

    cfg = Config().with_values({"train.device": "cpu", "generator.width": 16, "discriminator.width": 16})
    a, b = Trainer(cfg), Trainer(cfg)
    b.sync_every = 16
    assert a.step(40) == 40 and b.step(40) == 40
    assert a.iteration == b.iteration == 40
    assert a.losses.array().tolist() == b.losses.array().tolist()

    with torch.no_grad():
        next(b.D.parameters()).fill_(math.nan)
    ran = b.step(30)
    assert b.status == "diverged"
    assert ran == 1 and b.iteration == 41  # the first bad iteration is the one reported
    assert "iteration 41" in b.message


def test_auto_device_takes_cuda_only_for_networks_that_gain_from_it(monkeypatch):
    """At the default size a GPU step is launch-bound (an H100 ran 273 it/s against 501 on one CPU thread):
    'auto' keeps such runs on the CPU and takes CUDA for big networks and batches."""
    from ganlab.core import device as tr

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    small = Config()
    big = Config().with_values({"generator.width": 256, "discriminator.width": 256, "generator.depth": 3,
                                "discriminator.depth": 3, "train.batch_size": 1024})
    assert tr.step_work(small) < tr.CUDA_MIN_WORK <= tr.step_work(big)
    assert resolve_device("auto", small).type == "cpu"
    assert resolve_device("auto", big).type == "cuda"
    assert resolve_device("cuda", small).type == "cuda"  # asked for explicitly: CUDA
    assert resolve_device("cpu", big).type == "cpu"
    # the work is the multiply-adds of both forward passes: 2 -> 64 -> 64 -> 2 and 2 -> 64 -> 64 -> 1
    assert tr.step_work(small) == 256 * ((2 * 64 + 64 * 64 + 64 * 2) + (2 * 64 + 64 * 64 + 64 * 1))


# --------------------------------------------------------------------------- state_dict
def _weights(t: Trainer) -> list[torch.Tensor]:
    return [*_params(t.G), *_params(t.D)]


@pytest.mark.parametrize("extra", [
    {},
    {"train.loss": "wgan-gp", "opt_d.name": "sgd", "opt_d.lr": 0.01, "train.k_d": 2, "noise.dim": 3,
     "train.r1_gamma": 1.0, "noise.dist": "uniform"},
])
def test_state_dict_round_trip_continues_like_an_uninterrupted_run(extra):
    cfg = small_config(**{"train.seed": 4, **extra})
    n, m = 37, 29  # 37: the pre-drawn blocks are part-used when the state is taken
    ref = Trainer(cfg)
    ref.step(n + m)  # uninterrupted

    a = Trainer(cfg)
    a.step(n)
    state = a.state_dict()
    assert state["prefetched"] is not None and state["iteration"] == n
    a.step(m)  # taking the state changed nothing, and training on does not change the state

    # a trainer with everything different: seed, architecture, loss, target, history
    b = Trainer(small_config(**{"generator.width": 8, "generator.depth": 3, "train.seed": 99,
                                "train.loss": "hinge", "target.preset": "grid25"}))
    b.step(5)
    b.load_state_dict(state)
    assert b.config == cfg and b.target == ref.target and b.iteration == n
    np.testing.assert_array_equal(b.losses.array(), ref.losses.array()[:n])
    assert b.step(m) == m

    for t in (a, b):
        assert t.iteration == ref.iteration == n + m
        np.testing.assert_array_equal(t.losses.array(), ref.losses.array())  # bit-identical
        assert _same(_weights(t), _weights(ref))
        assert t.last == ref.last
    assert np.isfinite(ref.losses.array()[-m:, 1]).all()


def test_state_dict_holds_freezes_status_and_generator_streams():
    from ganlab.core.trainer import SEED_OFFSET_DATA, SEED_OFFSET_NOISE

    t = Trainer(small_config(**{"train.seed": 11}))
    assert torch.equal(t.state_dict()["rng"], torch.Generator().manual_seed(11 + SEED_OFFSET_DATA).get_state())
    assert torch.equal(t.state_dict()["noise_rng"], torch.Generator().manual_seed(11 + SEED_OFFSET_NOISE).get_state())
    t.step(3)
    t.freeze_g = True
    t.status, t.message = "diverged", "went wrong"
    b = Trainer(small_config())
    b.load_state_dict(t.state_dict())
    assert (b.freeze_g, b.freeze_d, b.status, b.message) == (True, False, "diverged", "went wrong")
    assert b.step(5) == 0  # a diverged run stays stopped

    # a state without its pre-drawn batches (as a session file stores it): both continue from the streams
    c = Trainer(small_config(**{"train.seed": 2}))
    c.step(7)
    c.drop_prefetched()
    state = c.state_dict()
    assert state.pop("prefetched") is None
    for key in ("status", "message"):
        del state[key]
    d = Trainer(small_config())
    d.load_state_dict(state)
    assert d.status == "ok" and d.message == ""
    c.step(9)
    d.step(9)
    np.testing.assert_array_equal(c.losses.array(), d.losses.array())
    assert _same(_weights(c), _weights(d))


def test_failed_load_state_dict_leaves_trainer_untouched():
    src = Trainer(small_config(**{"train.seed": 6}))
    src.step(4)
    good = src.state_dict()
    t = Trainer(small_config(**{"train.seed": 1}))
    t.step(3)
    before = (_weights(t), t.losses.array(), t.iteration, t.config, t.target, t.G, t.opt_g)
    bad_opt = {**good["opt_g"], 0: {**good["opt_g"][0], "exp_avg": torch.zeros(5)}}
    missing = {k: v for k, v in good.items() if k != "rng"}
    for state, error in (({**good, "opt_g": bad_opt}, ValueError),
                         ({**good, "rng": torch.zeros(3, dtype=torch.uint8)}, RuntimeError),
                         ({**good, "G": {}}, RuntimeError),
                         (missing, KeyError)):
        with pytest.raises(error):
            t.load_state_dict(state)
    w, losses_before, it, cfg, target, G, opt_g = before
    assert _same(_weights(t), w) and t.G is G and t.opt_g is opt_g
    np.testing.assert_array_equal(t.losses.array(), losses_before)
    assert (t.iteration, t.config, t.target) == (it, cfg, target)
    assert t.step(2) == 2  # and it still trains


def test_loading_a_state_copies_it_training_on_leaves_it_as_it_was():
    """torch's Optimizer.load_state_dict keeps tensors whose dtype and device fit: without a copy, the loaded
    trainer's Adam updated the caller's state in place (a stored rewind point drifted as training went on)."""
    a = Trainer(small_config())
    a.step(10)
    state = a.state_dict()
    kept = copy.deepcopy(state["opt_d"])
    b = Trainer(small_config())
    b.load_state_dict(state)
    b.step(5)
    for i, entry in kept.items():
        for key, value in entry.items():
            assert torch.equal(state["opt_d"][i][key], value), (i, key)
    c = Trainer(small_config())
    c.load_state_dict(state)  # the same state again: it continues as b did
    c.step(5)
    for p, q in zip(b.D.parameters(), c.D.parameters(), strict=True):
        assert torch.equal(p, q)
    assert not torch.equal(next(b.D.parameters()), next(a.D.parameters()))
