"""core/probe.py: f(D) = p_d log D + p_g log(1 - D) peaks at D* = p_d / (p_d + p_g), and the probe reads the
snapshot's grids exactly at cell centres and linearly between them (2-D and 1-D grids)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from ganlab.core import losses
from ganlab.core.grid import Grid
from ganlab.core.presets import ring
from ganlab.core.probe import dstar, objective, probe
from ganlab.core.theory import compute_theory

FINE_D = np.linspace(1e-6, 1 - 1e-6, 2_000_001)


@pytest.mark.parametrize("p_d, p_g", [(1.0, 1.0), (0.3, 0.05), (0.02, 0.9), (5.0, 1e-3), (1e-4, 2e-4)])
def test_objective_is_maximised_at_dstar(p_d, p_g):
    f = objective(p_d, p_g, FINE_D)
    best = FINE_D[np.argmax(f)]
    ds = dstar(p_d, p_g)
    assert best == pytest.approx(ds, abs=2e-6)
    assert objective(p_d, p_g, ds) >= f.max() - 1e-12
    # f'(D*) = p_d / D* - p_g / (1 - D*) = 0, by central differences
    h = 1e-7
    slope = (objective(p_d, p_g, ds + h) - objective(p_d, p_g, ds - h)) / (2 * h)
    assert slope == pytest.approx(0, abs=1e-5 * (p_d + p_g))


def test_objective_edge_cases():
    assert objective(1.0, 0.0, 1.0) == 0.0                   # 0 log 0 = 0: D* = 1 reaches f = 0
    assert objective(0.0, 2.0, 0.0) == 0.0
    assert objective(1.0, 1.0, 0.0) == -math.inf
    assert objective(0.5, 0.25, 0.5) == pytest.approx(0.75 * math.log(0.5))
    assert dstar(1.0, 0.0) == 1.0 and math.isnan(dstar(0.0, 0.0))


@pytest.fixture(scope="module")
def snap():
    target = ring(8)
    grid = Grid.for_target(target, n=48)
    rng = np.random.default_rng(0)
    fake = rng.standard_normal((800, 2)) * 1.2
    pts = grid.points64()
    logits = (np.sin(pts[:, 0]) + 0.5 * pts[:, 1]).reshape(grid.shape)
    d = losses.logits_to_prob("minimax", logits)
    th = compute_theory(target, fake, grid, d_prob=d)
    return SimpleNamespace(theory=th, d_prob=d, grid=grid, loss="minimax")


def test_at_cell_centres_the_probe_reads_the_grids(snap):
    g, th = snap.grid, snap.theory
    cx, cy = g.centers_x(), g.centers_y()
    checked = masked = 0
    for iy, ix in [(24, 24), (10, 30), (0, 0), (47, 47), (5, 40), (33, 12)]:
        v = probe(snap, cx[ix], cy[iy])
        assert v.inside and not v.critic
        assert v.p_data == pytest.approx(math.exp(th.log_p_data[iy, ix]), rel=1e-12)
        assert v.p_g == pytest.approx(math.exp(th.log_p_g[iy, ix]), rel=1e-12)
        assert v.d == pytest.approx(snap.d_prob[iy, ix], rel=1e-12)
        if np.isnan(th.dstar[iy, ix]):
            masked += 1
            assert v.negligible and math.isnan(v.dstar) and math.isnan(v.f_dstar)
        else:
            checked += 1
            assert v.dstar == pytest.approx(float(th.dstar[iy, ix]), rel=1e-6)
            assert v.f_dstar == pytest.approx(objective(v.p_data, v.p_g, v.dstar))
            assert v.f_dstar >= v.f_d
    assert checked >= 3 and masked >= 1      # the corners: the D* map's grey cells are not defined here either


def test_between_centres_the_probe_is_linear(snap):
    g, th = snap.grid, snap.theory
    cx, cy = g.centers_x(), g.centers_y()
    pd = np.exp(th.log_p_data)
    ix, iy = 20, 27
    for t in (0.0, 0.25, 0.5, 0.9):
        v = probe(snap, (1 - t) * cx[ix] + t * cx[ix + 1], cy[iy])
        assert v.p_data == pytest.approx((1 - t) * pd[iy, ix] + t * pd[iy, ix + 1], rel=1e-9)
        v = probe(snap, cx[ix], (1 - t) * cy[iy] + t * cy[iy + 1])
        assert v.d == pytest.approx((1 - t) * snap.d_prob[iy, ix] + t * snap.d_prob[iy + 1, ix], rel=1e-9)


def test_bilinear_interpolation_reproduces_an_affine_field():
    grid = Grid(-2.0, 2.0, -1.0, 3.0, 16)
    pts = grid.points64()
    p = (3.0 + 0.4 * pts[:, 0] - 0.3 * pts[:, 1]).reshape(grid.shape)
    q = (2.0 - 0.2 * pts[:, 0] + 0.1 * pts[:, 1]).reshape(grid.shape)
    d = (0.5 + 0.1 * pts[:, 0] + 0.05 * pts[:, 1]).reshape(grid.shape)
    fields = SimpleNamespace(grid=grid, log_p_data=np.log(p), log_p_g=np.log(q))
    for x, y in [(0.1, 0.2), (-1.3, 2.4), (1.7, -0.6), (0.0, 1.0)]:
        v = probe(fields, x, y, d_prob=d)
        assert v.p_data == pytest.approx(3.0 + 0.4 * x - 0.3 * y, rel=1e-12)
        assert v.p_g == pytest.approx(2.0 - 0.2 * x + 0.1 * y, rel=1e-12)
        assert v.d == pytest.approx(0.5 + 0.1 * x + 0.05 * y, rel=1e-12)
        assert v.dstar == pytest.approx(v.p_data / (v.p_data + v.p_g))
    # between the outermost centre and the edge the edge cell's value holds; beyond the edge nothing
    c = grid.centers_x()
    edge = probe(fields, 1.99, 0.125, d_prob=d)
    assert edge.p_data == pytest.approx(probe(fields, c[-1], 0.125).p_data)
    out = probe(fields, 2.01, 0.0, d_prob=d)
    assert not out.inside and math.isnan(out.p_data) and math.isnan(out.dstar)


def test_critic_snapshot_has_no_d(snap):
    critic = SimpleNamespace(theory=snap.theory, d_prob=None, grid=snap.grid, loss="wgan-gp")
    v = probe(critic, 0.0, 0.0)
    assert v.critic and math.isnan(v.d) and math.isnan(v.f_d)
    assert v.has_dstar and v.f_dstar <= 0.0
    with pytest.raises(ValueError):
        probe(SimpleNamespace(theory=None, d_prob=None, grid=snap.grid), 0.0, 0.0)


class Grid1DStandIn:
    """The 1-D grid contract another helper implements: fields of shape (n,), centers_x(), dim == 1."""

    dim = 1

    def __init__(self, xmin, xmax, n):
        self.xmin, self.xmax, self.n = xmin, xmax, n

    def centers_x(self):
        return self.xmin + (np.arange(self.n) + 0.5) * (self.xmax - self.xmin) / self.n


def test_one_dimensional_grid():
    grid = Grid1DStandIn(-4.0, 4.0, 40)
    c = grid.centers_x()
    pd = np.exp(-0.5 * c ** 2) / math.sqrt(2 * math.pi)
    pg = np.exp(-0.5 * (c - 1.0) ** 2) / math.sqrt(2 * math.pi)
    d = 1 / (1 + np.exp(-c))
    fields = SimpleNamespace(grid=grid, log_p_data=np.log(pd), log_p_g=np.log(pg))
    v = probe(fields, c[13], 123.0, d_prob=d)         # y is ignored
    assert math.isnan(v.y)
    assert v.p_data == pytest.approx(pd[13], rel=1e-12)
    assert v.p_g == pytest.approx(pg[13], rel=1e-12)
    assert v.d == pytest.approx(d[13], rel=1e-12)
    assert v.dstar == pytest.approx(pd[13] / (pd[13] + pg[13]))
    x = 0.7 * c[20] + 0.3 * c[21]
    v = probe(fields, x, d_prob=d)
    assert v.p_g == pytest.approx(0.7 * pg[20] + 0.3 * pg[21], rel=1e-12)
    assert v.d == pytest.approx(0.7 * d[20] + 0.3 * d[21], rel=1e-12)
    assert not probe(fields, 4.5, d_prob=d).inside


def test_one_dimensional_target_through_the_real_grid_and_theory():
    from ganlab.core.target import GaussianMixture

    target = GaussianMixture(np.array([[-1.0], [1.5]]), np.array([0.3, 0.4]), np.array([0.5, 0.5]))
    grid = Grid.for_target(target)
    assert grid.dim == 1
    fake = np.random.default_rng(0).normal(0.0, 1.0, (500, 1))
    d = losses.logits_to_prob("minimax", grid.centers_x())
    th = compute_theory(target, fake, grid, d_prob=d)
    snap = SimpleNamespace(theory=th, d_prob=d, grid=grid)
    c = grid.centers_x()
    for i in (grid.n // 3, grid.n // 2, 2 * grid.n // 3):
        v = probe(snap, c[i], 5.0)
        assert v.p_data == pytest.approx(math.exp(th.log_p_data[i]), rel=1e-12)
        assert v.p_g == pytest.approx(math.exp(th.log_p_g[i]), rel=1e-12)
        assert v.dstar == pytest.approx(float(th.dstar[i]), rel=1e-6)
        assert v.d == pytest.approx(d[i], rel=1e-12)
