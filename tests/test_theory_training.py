"""The GAN paper's theory, checked on live training rather than on hand-made densities.

1. For a fixed G, training D maximises V(G, D), whose maximum is V(G, D*) = -log 4 + 2 JSD. The
   grid estimate of V(G, D) must stay at or below the grid's V(G, D*) (D* maximises the integrand
   pointwise) and climb towards it as D learns.
2. When D confidently rejects the fakes, the saturating (minimax) generator loss has a vanishing
   gradient while the non-saturating one does not (Goodfellow et al. 2014, section 3).
"""

import math

import numpy as np
import pytest
import torch

from ganlab.core.config import Config
from ganlab.core.observer import Observer
from ganlab.core.trainer import Trainer


def _fixed_g_trainer(seed: int) -> tuple[Trainer, Observer]:
    cfg = Config().with_values({
        "target.preset": "ring8", "target.std": 0.2, "train.device": "cpu", "train.seed": seed,
        "generator.width": 32, "discriminator.width": 64, "opt_d.lr": 2e-3, "train.batch_size": 256,
        # A small fixed kernel on a fine grid, with many samples: D converges to the D* of the true
        # densities, and the grid's D* (of the kernel-smoothed densities) must be close to it.
        "theory.samples": 20_000, "theory.bandwidth": 0.05, "theory.grid": 128,
    })
    t = Trainer(cfg)
    t.freeze_g = True
    # A freshly initialised G maps z to a cloud of std ~0.05, sharper than the kernel: rescale its output
    # layer so that p_g is a smooth density centred in the grid, std 0.7 (any fixed G will do for the theory).
    with torch.no_grad():
        x = t.G(torch.randn(10_000, 2, generator=torch.Generator().manual_seed(seed)))
        scale = 0.7 / float(x.std())
        last = t.G.net[-1]
        last.bias.sub_(x.mean(0)).mul_(scale)
        last.weight.mul_(scale)
    return t, Observer(t)


@pytest.mark.parametrize("seed", [0, 3])
def test_v_estimate_approaches_v_at_dstar_from_below(seed):
    t, obs = _fixed_g_trainer(seed)
    g0 = [p.clone() for p in t.G.parameters()]
    gaps, jsds = [], []
    for _ in range(8):
        s = obs.take()
        th = s.theory
        assert np.isfinite(th.v_estimate)
        # V(G, D) <= V(G, D*) on the grid, for any D
        assert th.v_estimate <= th.v_at_dstar + 1e-6, (t.iteration, th.v_estimate, th.v_at_dstar)
        # the grid's V(G, D*) is the paper's -log 4 + 2 JSD (both densities are on the grid)
        assert th.pg_mass_in_grid > 0.99
        assert th.v_at_dstar == pytest.approx(-math.log(4.0) + 2.0 * th.jsd, abs=0.02)
        gaps.append(th.v_at_dstar - th.v_estimate)
        jsds.append(th.jsd)
        t.step(200)
    # G was frozen: p_g (so JSD and V(G, D*)) did not move
    assert all(torch.equal(a, b) for a, b in zip(g0, t.G.parameters(), strict=True))
    assert max(jsds) - min(jsds) < 1e-9
    assert 0.2 < jsds[0] < math.log(2)  # a G that is neither perfect nor disjoint from p_data
    # D learns: the gap closes
    assert gaps[0] > 0.5  # an untrained D is far from D*
    assert gaps[-1] < gaps[0] / 3
    assert gaps[-1] < 0.05
    assert gaps[-1] < gaps[1]


def _g_grad_norm(t: Trainer, loss: str) -> float:
    """The trainer's generator gradient norm from one G step under `loss` (weights otherwise unchanged)."""
    t.apply_config(t.config.with_value("train.loss", loss))
    t.g_step()
    return t.last.grad_norm_g


def test_saturating_gradient_vanishes_when_d_rejects_fakes():
    cfg = Config().with_values({
        "target.preset": "ring8", "train.device": "cpu", "train.seed": 1, "generator.width": 64,
        "discriminator.width": 64, "opt_d.lr": 1e-3, "opt_g.lr": 1e-6, "train.batch_size": 256,
    })
    t = Trainer(cfg)
    # before D has learned anything, D(G(z)) ~ 1/2 and both losses push G about equally
    mm0, ns0 = _g_grad_norm(t, "minimax"), _g_grad_norm(t, "nonsaturating")
    assert 0.5 < mm0 / ns0 < 2.0
    norms = []
    for steps in (300, 300):
        t.freeze_g = True
        t.step(steps)
        t.freeze_g = False
        norms.append((_g_grad_norm(t, "minimax"), _g_grad_norm(t, "nonsaturating")))
    with torch.no_grad():
        d_fake = torch.sigmoid(t.D(t.generate(2000))).mean().item()
    assert d_fake < 0.005  # D confidently rejects the fakes
    (mm1, ns1), (mm, ns) = norms
    assert math.isfinite(mm) and math.isfinite(ns)
    assert ns / mm > 100
    assert mm < mm1  # the more confident D, the smaller the saturating gradient
    assert mm < ns0 / 5  # smaller than even the untrained D's push
    assert ns > 5 * ns0  # while the non-saturating gradient grew
