"""V(G, D) from samples (core/value.py): closed forms, and against a Monte-Carlo estimate on a thin generator,
where the grid integral over a kernel-smoothed p_g is far off (issue 11, "Honest numbers")."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ganlab.core.config import Config
from ganlab.core.grid import Grid
from ganlab.core.losses import logits_to_prob
from ganlab.core.theory import compute_theory
from ganlab.core.trainer import Trainer
from ganlab.core.value import log_d_and_log_1md, value_from_samples


def test_undecided_d_gives_minus_log_4_exactly():
    v = value_from_samples("nonsaturating", np.zeros(100), np.zeros(50))
    assert v.value == pytest.approx(-math.log(4.0), abs=1e-12) and v.stderr == 0.0
    assert (v.n_real, v.n_fake) == (100, 50)
    lsgan = value_from_samples("lsgan", np.zeros(10), np.zeros(10))       # D = (0 + 1) / 2
    assert lsgan.value == pytest.approx(-math.log(4.0), abs=1e-12)


def test_parts_match_the_definition_and_stay_finite_when_confident():
    rng = np.random.default_rng(0)
    lr, lf = rng.normal(2, 1, 1000), rng.normal(-3, 2, 800)
    v = value_from_samples("minimax", lr, lf)
    d_r, d_f = 1 / (1 + np.exp(-lr)), 1 / (1 + np.exp(-lf))
    assert v.mean_log_d_real == pytest.approx(np.log(d_r).mean(), rel=1e-10)
    assert v.mean_log_1md_fake == pytest.approx(np.log(1 - d_f).mean(), rel=1e-10)
    se = math.sqrt(np.log(d_r).var(ddof=1) / 1000 + np.log(1 - d_f).var(ddof=1) / 800)
    assert v.stderr == pytest.approx(se, rel=1e-10)
    log_d, log_1md = log_d_and_log_1md("nonsaturating", np.array([60.0, -60.0]))
    assert np.all(np.isfinite(log_d)) and log_d[1] == pytest.approx(math.log(1e-7)) and log_d[0] > -1e-6
    assert log_1md[0] == pytest.approx(math.log(1e-7))


def test_no_probability_reading_gives_none():
    assert value_from_samples("wgan-gp", np.zeros(3), np.zeros(3)) is None
    assert value_from_samples("hinge", np.zeros(3), np.zeros(3)) is None
    assert value_from_samples("minimax", np.zeros(0), np.zeros(3)) is None


def test_thin_generator_sample_value_agrees_with_monte_carlo_where_the_grid_does_not():
    cfg = Config().with_values({"target.preset": "two", "train.seed": 3, "train.threads": 1})
    t = Trainer(cfg)
    t.step(300)
    t.freeze_g = True
    t.step(300)               # D trained against a frozen G
    n = 2000
    with torch.no_grad():
        real = t.target.sample(n, generator=torch.Generator().manual_seed(11))
        fake = t.G(torch.randn(n, cfg.noise.dim, generator=torch.Generator().manual_seed(12)))
        est = value_from_samples("nonsaturating", t.D(real).numpy(), t.D(fake).numpy())
        big = 400_000
        mc_real = t.target.sample(big, generator=torch.Generator().manual_seed(21))
        mc_fake = t.G(torch.randn(big, cfg.noise.dim, generator=torch.Generator().manual_seed(22)))
        mc = value_from_samples("nonsaturating", t.D(mc_real).numpy(), t.D(mc_fake).numpy())
        grid = Grid(-4.0, 4.0, -4.0, 4.0, 128)
        d_prob = logits_to_prob("nonsaturating", t.D(torch.from_numpy(grid.points()).float()).numpy())
    grid_v = compute_theory(t.target, fake.numpy(), grid, d_prob=d_prob).v_estimate
    assert mc.stderr < 0.01
    assert abs(est.value - mc.value) <= 4 * est.stderr + 4 * mc.stderr
    assert abs(grid_v - mc.value) > 10 * est.stderr   # the smoothed grid integral is the biased one
    print(f"sample {est.value:.3f} ± {est.stderr:.3f}, Monte Carlo {mc.value:.4f}, grid {grid_v:.3f}")
