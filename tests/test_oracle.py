"""The oracle D* (core/oracle.py): its values against an independent numpy formula, the G step against it
(train.oracle_d), the idealised game's JSD, "Set D to D*" (Trainer.fit_d_to_dstar) and the config field."""

import math

import numpy as np
import pytest
import torch

from ganlab.core import losses
from ganlab.core.config import ORACLE_LOSSES, Config, ConfigError
from ganlab.core.events import Event, config_events
from ganlab.core.observer import Observer
from ganlab.core.oracle import OracleD, bandwidth
from ganlab.core.target import GaussianMixture
from ganlab.core.trainer import Trainer


def config(**values) -> Config:
    base = {"train.device": "cpu", "theory.samples": 1000}
    base.update(values)
    return Config().with_values(base)


def _numpy_dstar(means, stds, weights, samples, h, x) -> np.ndarray:
    """p_data_h / (p_data_h + p_kde) in float64, from the densities' definitions (d = 1 or 2)."""
    d = means.shape[1]

    def gauss(x, mu, var):  # (N, K): N(x; mu_k, var_k I)
        d2 = ((x[:, None, :] - mu[None]) ** 2).sum(-1)
        return np.exp(-0.5 * d2 / var) / (2 * np.pi * var) ** (d / 2)

    p_data = gauss(x, means, stds**2 + h * h) @ weights
    p_g = gauss(x, samples, np.full(len(samples), h * h)).mean(1)
    return p_data / (p_data + p_g)


@pytest.mark.parametrize("dim", [1, 2])
def test_oracle_equals_the_density_ratio(dim):
    rng = np.random.default_rng(dim)
    means = rng.uniform(-2, 2, (3, dim))
    stds, weights = np.array([0.3, 0.5, 0.2]), np.array([0.2, 0.5, 0.3])
    target = GaussianMixture(means, stds, weights)
    assert target.means.shape == (3, dim)
    samples = rng.normal(0.5, 1.0, (200, dim))
    h = 0.25
    # where p_data dominates, where p_g does, and in between
    x = np.concatenate([means + 0.1, samples[:5], rng.uniform(-3, 3, (40, dim))])
    want = _numpy_dstar(means, stds, weights / weights.sum(), samples, h, x)
    oracle = OracleD(target, torch.tensor(samples), h)             # float64 throughout
    got = oracle.prob(torch.tensor(x)).numpy()
    assert want.min() < 0.1 and want.max() > 0.85
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    got32 = OracleD(target, torch.tensor(samples, dtype=torch.float32), h).prob(torch.tensor(x, dtype=torch.float32))
    np.testing.assert_allclose(got32.numpy(), want, atol=2e-5)
    # the logit is log p_data_h - log p_kde, and it is differentiable w.r.t. x
    xt = torch.tensor(x[:4], requires_grad=True)
    (grad,) = torch.autograd.grad(oracle(xt).sum(), xt)
    assert torch.isfinite(grad).all() and grad.abs().sum() > 0


def test_oracle_refuses_a_sample_of_the_wrong_dimension_and_a_bad_bandwidth():
    target = GaussianMixture([[0.0, 0.0]], 0.5)
    with pytest.raises(ValueError, match="dimension"):
        OracleD(target, torch.zeros(10, 1), 0.1)
    with pytest.raises(ValueError, match="bandwidth"):
        OracleD(target, torch.zeros(10, 2), 0.0)


# ------------------------------------------------------------------ the G step
@pytest.mark.parametrize("loss", ORACLE_LOSSES)
def test_g_gradient_is_that_of_the_loss_on_the_oracle(loss):
    cfg = config(**{"train.loss": loss, "train.oracle_d": True, "train.seed": 4, "target.preset": "two"})
    a = Trainer(cfg)
    a.step(3)
    b = Trainer(cfg)
    b.load_state_dict(a.state_dict())     # same weights and streams: b replays a's next G step by hand
    a.g_step()
    got = [p.grad.clone() for p in a.G.parameters()]
    fake = b.G(b.noise(cfg.train.batch_size))
    oracle = b.oracle()                   # drawn after the batch, as the G step does
    dstar = oracle(fake)
    want_logits = torch.tanh(0.5 * dstar) if loss == "lsgan" else dstar
    params = list(b.G.parameters())
    want = torch.autograd.grad(losses.g_loss(loss, want_logits), params, retain_graph=True)
    via_d = torch.autograd.grad(losses.g_loss(loss, b.D(fake)), params)
    for g, w in zip(got, want, strict=True):
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-7)
    # and not D's: the network D's gradient is another one
    diff = sum(float((g - v).norm()) for g, v in zip(got, via_d, strict=True))
    assert diff > 0.1 * sum(float(g.norm()) for g in got)
    assert math.isclose(a.last.loss_g, float(losses.g_loss(loss, want_logits.detach())), rel_tol=1e-5)


def test_an_oracle_run_repeats_and_continues_exactly_from_a_saved_state():
    cfg = config(**{"train.oracle_d": True, "target.preset": "two", "train.seed": 1})
    a, b = Trainer(cfg), Trainer(cfg)
    a.step(5)
    b.step(5)
    c = Trainer(cfg)
    c.load_state_dict(a.state_dict())
    for t in (a, b, c):
        t.step(5)
    for t in (b, c):
        assert all(torch.equal(x, y) for x, y in zip(a.G.parameters(), t.G.parameters(), strict=True))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_idealised_game_lowers_the_jsd_faster_on_ring8(seed):
    """Over 300 iterations G against D* finds the ring (one mode of it: the exact D*'s pull is local, so the
    idealised game collapses; the real game spreads out more slowly, and later ends lower): checked on 3 seeds."""
    jsd = {}
    for on in (False, True):
        t = Trainer(config(**{"target.preset": "ring8", "train.seed": seed, "train.oracle_d": on}))
        t.step(300)
        assert t.status == "ok"
        jsd[on] = Observer(t).take().theory.jsd
    assert jsd[True] < 0.55 < jsd[False]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_oracle_and_the_fit_work_on_a_line(seed):
    """1-D (preset 1d-two): G moves onto the data (on seeds 1 and 2 onto one of its two modes: JSD 0.217)."""
    t = Trainer(config(**{"target.preset": "1d-two", "train.seed": seed, "train.oracle_d": True}))
    obs = Observer(t)
    before = obs.take().theory.jsd
    t.step(200)
    assert t.status == "ok" and t.D.in_dim == 1
    assert before > 0.6 and obs.take().theory.jsd < 0.25
    assert t.fit_d_to_dstar() < 0.05


# ------------------------------------------------------------------ Set D to D*
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_d_to_dstar_brings_d_to_the_optimum_and_leaves_the_rest(seed):
    t = Trainer(config(**{"target.preset": "ring8", "train.seed": seed}))
    t.step(300)
    g_before = [p.detach().clone() for p in t.G.parameters()]
    opt_d_before = {k: v.clone() for k, v in t.opt_d.state[next(t.D.parameters())].items()}
    rows = len(t.losses.array())

    # an independent D* (another KDE of G, other samples) to measure D against before and after
    gen = torch.Generator().manual_seed(1000 + seed)
    with torch.no_grad():
        kde = t.G(torch.randn(2048, 2, generator=gen))
        x = torch.cat([t.target.sample(1000, generator=gen), t.G(torch.randn(1000, 2, generator=gen))])
    dstar = OracleD(t.target, kde, bandwidth(t.target, t.config.theory)).prob(x)

    def off() -> float:
        with torch.no_grad():
            return float((torch.sigmoid(t.D(x)) - dstar).abs().mean())

    before = off()
    err = t.fit_d_to_dstar()
    assert err < 0.05 and off() < 0.06 < before
    assert t.iteration == 300 and len(t.losses.array()) == rows
    assert all(torch.equal(a, b) for a, b in zip(g_before, t.G.parameters(), strict=True))
    assert all(torch.equal(v, t.opt_d.state[next(t.D.parameters())][k]) for k, v in opt_d_before.items())


def test_fit_d_to_dstar_repeats_and_needs_a_closed_form_dstar():
    cfg = config(**{"target.preset": "two", "train.seed": 2})
    a, b = Trainer(cfg), Trainer(cfg)
    assert a.fit_d_to_dstar(steps=50, polish=10) == b.fit_d_to_dstar(steps=50, polish=10)
    assert all(torch.equal(x, y) for x, y in zip(a.D.parameters(), b.D.parameters(), strict=True))
    w = Trainer(config(**{"train.loss": "wgan-gp"}))
    with pytest.raises(ValueError, match="train.loss"):
        w.fit_d_to_dstar()


# ------------------------------------------------------------------ config and events
@pytest.mark.parametrize("loss", ["wgan-gp", "hinge"])
def test_config_refuses_the_oracle_without_a_closed_form_dstar(loss):
    with pytest.raises(ConfigError) as e:
        Config().with_values({"train.loss": loss, "train.oracle_d": "on"})
    assert e.value.field == "train.oracle_d"
    assert all(name in str(e.value) for name in ORACLE_LOSSES) and loss in str(e.value)


def test_oracle_losses_are_those_with_a_closed_form_dstar():
    assert set(ORACLE_LOSSES) == {k for k, v in losses.CLOSED_FORM_DSTAR.items() if v}


@pytest.mark.parametrize("text,value", [("on", True), ("off", False), ("true", True), ("False", False), (1, True)])
def test_oracle_switch_reads_words_and_round_trips(text, value, tmp_path):
    cfg = Config().with_value("train.oracle_d", text)
    assert cfg.train.oracle_d is value
    cfg.save(tmp_path / "c.toml")
    assert Config.load(tmp_path / "c.toml").train.oracle_d is value


@pytest.mark.parametrize("bad", ["maybe", 2, 0.5, ""])
def test_oracle_switch_refuses_other_values_naming_the_field(bad):
    with pytest.raises(ConfigError) as e:
        Config().with_value("train.oracle_d", bad)
    assert e.value.field == "train.oracle_d" and "on or off" in str(e.value)


def test_oracle_switch_and_dstar_fit_are_events():
    a = Config()
    (ev,) = config_events(a, a.with_value("train.oracle_d", True), 12)
    assert ev.text() == "G trains against the optimal D*" and ev.short() == "oracle"
    (ev,) = config_events(a.with_value("train.oracle_d", True), a, 30)
    assert ev.text() == "G trains against D again"
    assert Event(40, "dstar.set", "", "0.02").text() == "D set to D* (mean |D − D*| = 0.02)"
