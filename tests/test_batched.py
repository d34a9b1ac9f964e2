"""BatchedTrainer: every member trains as the single Trainer of its config would, to float rounding.

Tolerance: members run the same kernels as the single runs (MKL's batched products give the per-matrix
products' numbers, fused Adam is the same kernel), but a few reductions (a per-member mean or norm over a
row of a stack, the 64->1 output layer, which MKL computes as a matrix-vector product on its own) round
differently, by about 1e-7. GAN training amplifies such differences only slowly over 30 iterations: the
largest seen were 2e-6 relative in a loss and 1.2e-7 absolute in a weight. rtol 1e-4 / atol 1e-5 leaves room
for other BLAS builds without hiding a real mistake (a wrong stream or a wrong step differs at 1e-2).
"""

import numpy as np
import pytest
import torch

from ganlab.core import batched_nets as bn
from ganlab.core.batched import PER_MEMBER, BatchedTrainer
from ganlab.core.batched_metrics import mode_coverage_batched
from ganlab.core.config import ACTIVATIONS, LOSSES, Config, ConfigError
from ganlab.core.coverage import mode_coverage
from ganlab.core.networks import Discriminator
from ganlab.core.observer import Observer
from ganlab.core.trainer import Trainer

RTOL, ATOL = 1e-4, 1e-5


def small_config(**values) -> Config:
    base = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
            "opt_d.lr": 1e-3, "opt_g.lr": 1e-3}
    base.update(values)
    return Config().with_values(base)


def _assert_member_is(batch: BatchedTrainer, i: int, single: Trainer) -> None:
    """Member i's history, networks and optimizer moments against a single run's."""
    np.testing.assert_allclose(batch.history(i), single.losses.array(), rtol=RTOL, atol=ATOL)
    assert batch.iterations[i] == single.iteration
    assert batch.status[i] == single.status and batch.message[i] == single.message
    state = batch.member_state(i)
    for name, net in (("G", single.G), ("D", single.D)):
        ref = net.state_dict()
        assert state[name].keys() == ref.keys()
        for k, v in ref.items():
            torch.testing.assert_close(state[name][k], v, rtol=RTOL, atol=ATOL, equal_nan=True)
    for name, opt in (("opt_g", single.opt_g), ("opt_d", single.opt_d)):
        ref = opt.state_dict()["state"]
        assert state[name].keys() == ref.keys()
        for j, st in ref.items():
            assert state[name][j].keys() == st.keys()
            for k, v in st.items():
                torch.testing.assert_close(state[name][j][k], v, rtol=RTOL, atol=ATOL, equal_nan=True)


def _run_and_compare(configs: list[Config], iterations: int = 30) -> BatchedTrainer:
    batch = BatchedTrainer(configs)
    assert batch.step(iterations) == iterations
    for i, cfg in enumerate(configs):
        single = Trainer(cfg)
        single.step(iterations)
        _assert_member_is(batch, i, single)
    return batch


# ----------------------------------------------------------------------------- equality with Trainer
@pytest.mark.parametrize("loss", LOSSES)
def test_each_member_trains_like_its_single_run(loss):
    batch = _run_and_compare([small_config(**{"train.loss": loss, "train.seed": s}) for s in (1, 2, 3)])
    assert batch.losses.shape == (3, 30, 4)
    assert np.isfinite(batch.losses).all() and batch.status == ["ok"] * 3
    # the members really differ (their own seeds, their own streams)
    assert not np.allclose(batch.losses[0, :, 1], batch.losses[1, :, 1])


def test_members_with_different_learning_rates_and_betas():
    lrs = [(1e-3, 2e-3, 0.5, 0.999), (5e-4, 1e-4, 0.0, 0.9), (1e-3, 2e-3, 0.5, 0.999), (2e-3, 5e-4, 0.9, 0.99)]
    configs = [small_config(**{"train.seed": s, "opt_d.lr": d, "opt_g.lr": g, "opt_d.beta1": b1,
                               "opt_g.beta1": b1, "opt_d.beta2": b2, "opt_g.beta2": b2})
               for s, (d, g, b1, b2) in enumerate(lrs)]
    _run_and_compare(configs)


@pytest.mark.parametrize("extra", [
    {"opt_d.name": "sgd", "opt_g.name": "sgd", "opt_d.lr": 0.02, "opt_g.lr": 0.01},
    {"train.k_d": 3, "train.k_g": 2, "noise.dim": 3, "noise.dist": "uniform"},
    {"train.k_d": 0},
    {"train.k_g": 0, "train.loss": "hinge"},
    {"train.r1_gamma": 1.0, "generator.depth": 3},
    {"train.loss": "wgan-gp", "train.gp_lambda": 0.0, "train.k_d": 2},  # no penalty: the hand-written pass
])
def test_other_settings_train_like_single_runs(extra):
    _run_and_compare([small_config(**{"train.seed": s, **extra}) for s in (4, 5)], iterations=20)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_trains_like_single_runs(activation):
    _run_and_compare([small_config(**{"train.seed": s, "generator.activation": activation,
                                      "discriminator.activation": activation}) for s in (6, 7)], iterations=15)


def test_members_may_differ_in_penalty_weights():
    configs = [small_config(**{"train.seed": 8, "train.loss": "wgan-gp", "train.gp_lambda": 0.0}),
               small_config(**{"train.seed": 9, "train.loss": "wgan-gp", "train.gp_lambda": 1.0,
                               "train.r1_gamma": 0.5})]
    _run_and_compare(configs, iterations=20)


def test_default_size_trains_like_single_runs():
    """At the default 2x64, batch 256 the products take other MKL code paths than at the tests' small size."""
    configs = [Config().with_values({"train.seed": s, "train.device": "cpu"}) for s in (0, 1)]
    _run_and_compare(configs, iterations=10)


def test_hand_written_backward_equals_autograd():
    torch.manual_seed(0)
    for activation in ACTIVATIONS:
        cfg = small_config(**{"discriminator.activation": activation}).discriminator
        D = bn.StackedMLP([Discriminator(cfg) for _ in range(3)], activation, squeeze=True)
        x = torch.randn(3, 10, 2)
        g = torch.randn(3, 10)
        D(x.requires_grad_(True)).backward(g)
        out = D.forward_saving(x.detach(), "t")
        torch.testing.assert_close(out, D(x.detach()), rtol=0, atol=0)
        gx = D.backward("t", g, weight_grads=True, input_grad=True)
        torch.testing.assert_close(gx, x.grad, rtol=1e-6, atol=1e-7)
        for p, mine in zip(D.params, D.grads, strict=True):
            torch.testing.assert_close(mine, p.grad, rtol=1e-6, atol=1e-7)


# ------------------------------------------------------------------------------------- divergence
@pytest.mark.parametrize("gp_lambda", [0.0, 0.1])  # the hand-written pass, and the autograd one
def test_a_diverging_member_does_not_poison_the_others(gp_lambda):
    base = {"train.loss": "wgan-gp", "train.gp_lambda": gp_lambda, "opt_d.name": "sgd", "opt_g.name": "sgd"}
    configs = [small_config(**{**base, "train.seed": s, "opt_d.lr": lr, "opt_g.lr": lr})
               for s, lr in ((1, 1e-3), (2, 1.0), (3, 1e-3))]
    batch = _run_and_compare(configs, iterations=30)  # member 1 included: it stops where its single run stops
    assert batch.status == ["ok", "diverged", "ok"]
    stop = int(batch.iterations[1])
    assert 0 < stop < 30 and batch.iterations.tolist() == [30, stop, 30]
    assert f"Training diverged at iteration {stop}" in batch.message[1]
    assert np.isnan(batch.losses[1, stop:]).all() and np.isfinite(batch.losses[[0, 2]]).all()
    frozen = batch.member_state(1)
    batch.step(5)  # a diverged member is not updated any more
    after = batch.member_state(1)
    for name in ("G", "D"):
        for k, v in frozen[name].items():
            assert torch.equal(v.nan_to_num(), after[name][k].nan_to_num())
    t = batch.extract(1)
    assert t.status == "diverged" and t.iteration == stop and t.step(3) == 0
    metrics = batch.metrics(samples=300, jsd=False)  # a diverged G's NaN samples are simply not high quality
    assert metrics["iteration"].tolist() == [35, stop, 35] and metrics["hq_fraction"][1] == 0


def test_step_stops_when_every_member_diverged():
    base = {"train.loss": "wgan-gp", "train.gp_lambda": 0.0, "opt_d.name": "sgd", "opt_g.name": "sgd",
            "opt_d.lr": 1.0, "opt_g.lr": 1.0}
    batch = BatchedTrainer([small_config(**{**base, "train.seed": s}) for s in (1, 2)])
    ran = batch.step(100)
    assert ran == max(batch.iterations) < 100 and batch.status == ["diverged"] * 2
    assert batch.step(10) == 0


# ------------------------------------------------------------------------------------- extraction
def test_member_state_has_the_trainer_format_and_extract_continues_like_the_member():
    configs = [small_config(**{"train.seed": s, "opt_g.lr": lr}) for s, lr in ((10, 1e-3), (11, 2e-3))]
    batch = BatchedTrainer(configs)
    single = Trainer(configs[1])
    n, m = 37, 13  # 37: the pre-drawn blocks are part-used
    batch.step(n)
    single.step(n)
    mine, ref = batch.member_state(1), single.state_dict()
    assert mine.keys() == ref.keys()
    for key in ("rng", "noise_rng"):
        assert torch.equal(mine[key], ref[key])  # the same random streams, at the same place
    for key in ("real", "noise"):
        assert torch.equal(mine["prefetched"][key], ref["prefetched"][key])
        assert mine["prefetched"][key + "_pos"] == ref["prefetched"][key + "_pos"]
    for key in ("config", "noise_rng_device", "iteration", "freeze_g", "freeze_d", "status", "message"):
        assert mine[key] == ref[key]
    assert mine["target"] == ref["target"]

    t = batch.extract(1)
    assert t.iteration == n and t.config == configs[1]
    state = t.state_dict()  # loading changed nothing
    for name in ("G", "D"):
        assert all(torch.equal(state[name][k], v) for k, v in mine[name].items())
    t.step(m)
    batch.step(m)
    _assert_member_is(batch, 1, t)
    single.step(m)
    _assert_member_is(batch, 1, single)
    # reading a state changes nothing: the state is a copy
    mine["G"]["net.0.weight"].zero_()
    assert batch.member_state(1)["G"]["net.0.weight"].abs().sum() > 0


def test_training_leaves_the_global_random_stream_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    BatchedTrainer([small_config(**{"train.seed": s}) for s in (1, 2)]).step(3)
    assert torch.equal(torch.rand(3), expected)


# ----------------------------------------------------------------------------------- compatibility
@pytest.mark.parametrize("key, value", [("train.loss", "hinge"), ("generator.width", 8),
                                        ("train.batch_size", 32), ("train.k_d", 2), ("noise.dist", "uniform"),
                                        ("opt_g.name", "sgd"), ("target.preset", "grid25"), ("theory.samples", 500)])
def test_incompatible_configs_are_refused_naming_the_field(key, value):
    with pytest.raises(ValueError, match=key.replace(".", r"\.")) as err:
        BatchedTrainer([small_config(), small_config(**{key: value})])
    assert isinstance(err.value, ConfigError) and err.value.field == key


def test_per_member_fields_are_accepted_and_an_empty_batch_is_not():
    assert "train.seed" in PER_MEMBER and "opt_d.lr" in PER_MEMBER
    BatchedTrainer([small_config(), small_config(**{"train.seed": 3, "opt_d.lr": 0.01, "opt_g.beta2": 0.9,
                                                    "train.r1_gamma": 1.0})])
    with pytest.raises(ValueError, match="at least one"):
        BatchedTrainer([])


# ------------------------------------------------------------------------------------------ metrics
def test_batched_coverage_equals_mode_coverage_per_member():
    target = Trainer(small_config()).target
    rng = np.random.default_rng(0)
    samples = np.concatenate([target.sample_numpy(600, rng)[None], rng.normal(0, 2, (1, 600, 2)),
                              target.sample_numpy(600, rng)[None] * 1.01], axis=0)
    samples[1, :50] = np.nan
    got = mode_coverage_batched(samples, target, threshold=2.5, min_count=3)
    for i in range(3):
        ref = mode_coverage(samples[i], target, threshold=2.5, min_count=3)
        assert got.modes_captured[i] == ref.modes_captured
        assert got.hq_fraction[i] == ref.hq_fraction
        np.testing.assert_array_equal(got.per_mode[i], ref.per_mode)


def test_metrics_match_what_the_observer_of_each_member_shows():
    configs = [small_config(**{"train.seed": s, "theory.samples": 400, "theory.grid": 64}) for s in (1, 2)]
    batch = BatchedTrainer(configs)
    batch.step(25)
    got = batch.metrics()
    assert got["iteration"].tolist() == [25, 25]
    for i in range(2):
        snap = Observer(batch.extract(i)).take()
        assert got["modes_captured"][i] == snap.coverage.modes_captured
        assert got["hq_fraction"][i] == pytest.approx(snap.coverage.hq_fraction, abs=1e-2)
        assert got["jsd"][i] == pytest.approx(snap.theory.jsd, rel=1e-3, abs=1e-4)
