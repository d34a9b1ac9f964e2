"""The true JSD of the 1-D world (no kernel): against an independent integral of two known Gaussians."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from ganlab.core.exact1d import discrete_jsd, mixture_cell_masses, noise_quantiles, true_jsd_1d


def _normal(x, mu, s):
    return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * math.sqrt(2 * math.pi))


def _jsd_integral(p, q, x) -> float:
    """An independent JSD: the continuous integral on a fine line (trapezoids)."""
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = 0.5 * (np.where(p > 0, p * np.log(p / m), 0) + np.where(q > 0, q * np.log(q / m), 0))
    return float(np.trapezoid(f, x))


def _affine_g(a: float, b: float) -> torch.nn.Module:
    g = torch.nn.Linear(1, 1)
    with torch.no_grad():
        g.weight.fill_(a)
        g.bias.fill_(b)
    return g


@pytest.mark.parametrize("a,b,mu,s", [(0.5, 0.0, 0.0, 0.5), (0.3, 1.0, -0.5, 0.6), (1.0, 3.0, -2.0, 0.4),
                                      (0.05, 0.2, 0.0, 1.0)])
def test_true_jsd_of_an_affine_generator_equals_the_integral_of_two_gaussians(a, b, mu, s):
    target = SimpleNamespace(means=np.array([[mu]]), stds=np.array([s]), weights=np.array([1.0]))
    grid = SimpleNamespace(xmin=-8.0, xmax=8.0, n=2048, dx=16.0 / 2048)
    got = true_jsd_1d(target, _affine_g(a, b), grid, noise_dim=1, dist="gaussian")
    x = np.linspace(-12, 12, 400001)
    want = _jsd_integral(_normal(x, mu, s), _normal(x, b, abs(a)), x)
    assert got == pytest.approx(want, abs=0.005)


def test_uniform_noise_and_mass_off_the_box_count():
    # G(z) = 2z + 10 with z ~ U(-1, 1): all of p_g lies outside the box [-5, 5] -> disjoint -> log 2
    target = SimpleNamespace(means=np.array([[0.0]]), stds=np.array([0.5]), weights=np.array([1.0]))
    grid = SimpleNamespace(xmin=-5.0, xmax=5.0, n=256, dx=10.0 / 256)
    assert true_jsd_1d(target, _affine_g(2.0, 10.0), grid, 1, "uniform") == pytest.approx(math.log(2), abs=1e-6)
    z = noise_quantiles(1000, "uniform")
    assert z.min() > -1 and z.max() < 1 and abs(z.mean()) < 1e-6


def test_cell_masses_and_discrete_jsd():
    target = SimpleNamespace(means=np.array([[-1.0], [2.0]]), stds=np.array([0.3, 0.5]),
                             weights=np.array([0.25, 0.75]))
    edges = np.linspace(-10, 10, 801)
    p, out = mixture_cell_masses(target, edges)
    assert p.sum() + out == pytest.approx(1.0) and out < 1e-12
    left = p[edges[:-1] < 0.5].sum()                        # mass left of 0.5: the first mode's weight
    assert left == pytest.approx(0.25, abs=2e-3)
    assert discrete_jsd(p, p) == 0.0
    q = np.zeros_like(p)
    q[0] = 1.0
    assert discrete_jsd(p, q) == pytest.approx(math.log(2), abs=1e-9)
