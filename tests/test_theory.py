"""The grid theory (binned KDE, smoothed p_data, D*, JSD, KL, V) against closed forms."""

import math
import warnings

import numpy as np
import pytest
import torch

from ganlab.core import theory
from ganlab.core.grid import Grid
from ganlab.core.presets import grid as grid_preset
from ganlab.core.presets import ring
from ganlab.core.target import GaussianMixture
from ganlab.core.theory import (
    auto_bandwidth,
    compute_theory,
    jsd,
    kde_log_density,
    kl,
    log_dstar,
    log_p_data_grid,
    value_function,
)

LOG4 = math.log(4.0)


def jsd_closed_form(k: int, K: int) -> float:
    """k of K equal-weight, well separated modes covered evenly, the others not at all (numerics.md)."""
    a = k / K
    return 0.5 * (a * math.log(2 * k / (k + K)) + (1 - a) * math.log(2) + math.log(2 * K / (k + K)))


def covering(target: GaussianMixture, idx) -> GaussianMixture:
    """A 'generator' that samples only the given modes of the target, evenly."""
    idx = np.asarray(idx)
    return GaussianMixture(target.means[idx], target.stds[idx])


def test_closed_form_values_match_notes():
    assert jsd_closed_form(4, 8) == pytest.approx(0.2158, abs=1e-4)
    assert jsd_closed_form(1, 8) == pytest.approx(0.4969, abs=1e-4)
    assert jsd_closed_form(1, 25) == pytest.approx(0.6084, abs=1e-4)
    assert jsd_closed_form(8, 8) == pytest.approx(0.0, abs=1e-12)


CASES = [
    ("ring8 4 of 8", ring(8, 2.0, 0.05), [0, 2, 4, 6]),
    ("ring8 1 of 8", ring(8, 2.0, 0.05), [3]),
    ("grid25 1 of 25", grid_preset(5, 1.0, 0.05), [12]),
    ("grid25 5 of 25", grid_preset(5, 1.0, 0.05), [0, 6, 12, 18, 24]),
    ("ring8 narrow 2 of 8", ring(8, 2.0, 0.02), [1, 5]),
]


@pytest.mark.parametrize("name,target,idx", CASES, ids=[c[0] for c in CASES])
def test_jsd_matches_closed_form(name, target, idx):
    rng = np.random.default_rng(1)
    fake = covering(target, idx).sample_numpy(10_000, rng)
    g = Grid.for_target(target)
    f = compute_theory(target, fake, g)
    expected = jsd_closed_form(len(idx), target.n_modes)
    assert f.jsd == pytest.approx(expected, abs=0.01)
    assert 0.0 <= f.jsd <= math.log(2)
    assert f.pg_mass_in_grid == 1.0
    # V(G, D*) computed as its own grid integral agrees with the identity
    assert f.v_at_dstar == pytest.approx(f.v_identity, abs=1e-6)
    # KL(p_data || p_g) is huge (missed modes), KL(p_g || p_data) is close to log(K/k)
    assert f.kl_pdata_pg > 10.0
    assert f.kl_pg_pdata == pytest.approx(math.log(target.n_modes / len(idx)), abs=0.05)


@pytest.mark.parametrize("target", [ring(8, 2.0, 0.05), grid_preset(5, 1.0, 0.05), ring(8, 2.0, 0.02)])
def test_perfect_generator_reads_near_zero(target):
    rng = np.random.default_rng(2)
    fake = target.sample_numpy(10_000, rng)
    f = compute_theory(target, fake, Grid.for_target(target))
    assert f.jsd < 0.01
    assert f.kl_pdata_pg < 0.05 and f.kl_pg_pdata < 0.05
    assert f.v_at_dstar == pytest.approx(-LOG4, abs=0.02)
    assert f.v_at_dstar == pytest.approx(f.v_identity, abs=1e-6)


def test_dstar_closed_form_at_mode_centres():
    target = ring(8, 2.0, 0.05)
    covered = [0, 2, 4, 6]
    k, K = len(covered), target.n_modes
    rng = np.random.default_rng(3)
    fake = covering(target, covered).sample_numpy(20_000, rng)
    g = Grid.for_target(target)
    f = compute_theory(target, fake, g)
    assert f.dstar.dtype == np.float32 and f.dstar.shape == (g.n, g.n)

    def at(xy):
        ix = int((xy[0] - g.xmin) / g.dx)
        iy = int((xy[1] - g.ymin) / g.dy)
        return float(f.dstar[iy, ix])

    for i in range(K):
        d = at(target.means[i])
        if i in covered:
            assert d == pytest.approx(k / (k + K), abs=0.03)
        else:
            assert d == pytest.approx(1.0, abs=1e-6)
    # both densities negligible far from every mode: masked
    assert np.isnan(f.dstar[0, 0]) and np.isnan(f.dstar[g.n // 2, g.n // 2])
    # the standalone function gives the same field
    ld = log_dstar(f.log_p_data, f.log_p_g)
    np.testing.assert_array_equal(np.isnan(ld), np.isnan(f.dstar))
    np.testing.assert_allclose(np.exp(ld[~np.isnan(ld)]), f.dstar[~np.isnan(f.dstar)], rtol=1e-6)


def test_dstar_nonsaturating_generator_loss_at_dstar():
    """numerics.md: the non-saturating L_G at D* is log(1 + K/k) on the covered modes."""
    target = ring(8, 2.0, 0.05)
    rng = np.random.default_rng(4)
    fake = covering(target, [5]).sample_numpy(10_000, rng)
    g = Grid.for_target(target)
    f = compute_theory(target, fake, g)
    q = np.exp(f.log_p_g)
    d = np.nan_to_num(f.dstar.astype(np.float64), nan=0.5)
    lg = float((q * -np.log(np.clip(d, 1e-7, 1))).sum() / q.sum())
    assert lg == pytest.approx(math.log(1 + 8 / 1), abs=0.05)


def test_value_function_bounded_by_v_at_dstar():
    target = ring(8, 2.0, 0.05)
    rng = np.random.default_rng(5)
    fake = covering(target, [0, 1, 2]).sample_numpy(5000, rng)
    g = Grid.for_target(target)
    f = compute_theory(target, fake, g)
    a = g.cell_area
    v_star = f.v_at_dstar
    # D* itself (float32, with masked cells) gives back V(G, D*)
    assert value_function(f.dstar, f.log_p_data, f.log_p_g, a) == pytest.approx(v_star, abs=1e-6)
    # D = 1/2 everywhere: V = -log 2 (int p_d + int p_g) = -log 4 for normalised densities
    half = np.full((g.n, g.n), 0.5)
    assert value_function(half, f.log_p_data, f.log_p_g, a) == pytest.approx(-LOG4, abs=1e-6)
    pts = g.points64()
    ds = {
        "half": half,
        "uniform noise": rng.uniform(0, 1, (g.n, g.n)),
        "constant 0.9": np.full((g.n, g.n), 0.9),
        "smooth": (1 / (1 + np.exp(-pts[:, 0] + 0.3 * pts[:, 1]))).reshape(g.n, g.n),
        "dstar perturbed": np.clip(np.nan_to_num(f.dstar, nan=0.5) + rng.normal(0, 0.05, (g.n, g.n)), 0, 1),
        "zeros and ones": (pts[:, 1] > 0).astype(float).reshape(g.n, g.n),
    }
    for name, d in ds.items():
        v = value_function(d, f.log_p_data, f.log_p_g, a)
        assert np.isfinite(v), name
        assert v <= v_star + 1e-9, name
    # compute_theory fills v_estimate from d_prob (flat or (n, n))
    f2 = compute_theory(target, fake, g, d_prob=ds["smooth"].ravel())
    assert f2.v_estimate == pytest.approx(value_function(ds["smooth"], f.log_p_data, f.log_p_g, a))
    assert math.isnan(f.v_estimate)
    assert math.isnan(value_function(np.full((g.n, g.n), np.nan), f.log_p_data, f.log_p_g, a))


def test_kde_integrates_to_one_inside_and_matches_direct_sum():
    g = Grid(-2.0, 2.0, -2.0, 2.0, 80)
    h = 0.1
    rng = np.random.default_rng(6)
    # samples exactly at cell centres well inside the grid: binning is exact, so the binned KDE
    # must equal the direct kernel sum (up to the 4h truncation and the discrete normalisation)
    ix = rng.integers(20, 60, 40)
    iy = rng.integers(20, 60, 40)
    s = np.c_[g.centers_x()[ix], g.centers_y()[iy]]
    log_k = kde_log_density(s, g, h)
    assert log_k.shape == (g.n, g.n) and log_k.dtype == np.float64
    dens = np.exp(log_k)
    assert dens.sum() * g.cell_area == pytest.approx(1.0, abs=1e-9)
    pts = g.points64()
    d2 = ((pts[:, None, :] - s[None, :, :]) ** 2).sum(-1)
    direct = (np.exp(-0.5 * d2 / h**2) / (2 * np.pi * h * h)).mean(axis=1).reshape(g.n, g.n)
    np.testing.assert_allclose(dens, direct, atol=1e-3 * direct.max())


def test_kde_is_oriented_iy_ix():
    g = Grid(0.0, 4.0, 0.0, 2.0, 4)  # dx = 1, dy = 0.5
    log_k = kde_log_density(np.array([[3.5, 0.25]]), g, 0.0)  # h = 0: plain histogram
    dens = np.exp(log_k)
    iy, ix = np.unravel_index(dens.argmax(), dens.shape)
    assert (iy, ix) == (0, 3)
    assert dens[0, 3] == pytest.approx(1.0 / g.cell_area)


def test_kde_loses_off_grid_mass_and_survives_nan():
    target = ring(8, 2.0, 0.05)
    g = Grid.for_target(target)
    rng = np.random.default_rng(7)
    good = target.sample_numpy(1400, rng)
    off = np.full((400, 2), 50.0)
    bad = np.array([[np.nan, 0.0], [0.0, np.inf], [-np.inf, np.nan]] * 50)  # 150 rows
    fake = np.vstack([good, off, bad])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_k = kde_log_density(fake, g, 0.05)
        f = compute_theory(target, fake, g)
    assert np.all(np.isfinite(log_k))
    assert np.exp(log_k).sum() * g.cell_area == pytest.approx(1400 / 1950, abs=1e-6)
    assert f.pg_mass_in_grid == pytest.approx(1400 / 1950)
    assert np.isfinite(f.jsd) and 0 <= f.jsd <= math.log(2)
    assert np.isfinite(f.kl_pdata_pg) and np.isfinite(f.kl_pg_pdata)
    assert np.isfinite(f.v_at_dstar)
    # mass off the grid is one more bin where p_data has (almost) nothing: the identity stays exact,
    # and the lost 28 % of p_g adds about 0.28 * log(2) / 2 to the JSD of the on-grid part
    lost = 1 - 1400 / 1950
    assert f.v_at_dstar == pytest.approx(f.v_identity, abs=1e-9)
    on_grid_only = compute_theory(target, good, g)
    assert f.jsd > on_grid_only.jsd + 0.4 * lost * math.log(2)


def test_no_samples_and_torch_input():
    target = ring(8, 2.0, 0.05)
    g = Grid.for_target(target)
    f = compute_theory(target, np.zeros((0, 2)), g)
    assert f.pg_mass_in_grid == 0.0
    assert np.all(f.log_p_g == theory.LOG_FLOOR)
    assert f.jsd == pytest.approx(math.log(2), abs=1e-6)  # p_g has no mass near p_data: disjoint
    t = target.sample(3000, generator=torch.Generator().manual_seed(0))
    f = compute_theory(target, t.requires_grad_(), g)
    assert f.jsd < 0.02


def test_jsd_and_kl_edge_cases():
    g = Grid(-4, 4, -4, 4, 100)
    a = GaussianMixture([[-2.0, 0.0]], 0.2)
    b = GaussianMixture([[2.0, 0.0]], 0.2)
    la, lb = log_p_data_grid(a, g, 0.1), log_p_data_grid(b, g, 0.1)
    assert jsd(la, la, g.cell_area) == pytest.approx(0.0, abs=1e-12)
    assert jsd(la, lb, g.cell_area) == pytest.approx(math.log(2), abs=1e-6)  # disjoint
    assert kl(la, la, g.cell_area) == pytest.approx(0.0, abs=1e-12)
    big = kl(la, lb, g.cell_area)
    assert np.isfinite(big) and big > 50.0
    # two Gaussians with the same std: KL = |mu1 - mu2|^2 / (2 var), var = 0.2^2 + 0.1^2
    c = GaussianMixture([[-1.8, 0.1]], 0.2)
    lc = log_p_data_grid(c, g, 0.1)
    assert kl(la, lc, g.cell_area) == pytest.approx((0.04 + 0.01) / (2 * 0.05), rel=1e-6)


def test_log_p_data_grid_exact_and_cached():
    theory.clear_cache()
    rng = np.random.default_rng(8)
    t = GaussianMixture(rng.uniform(-2.5, 2.5, (40, 2)), rng.uniform(0.02, 0.4, 40), rng.uniform(0.1, 1, 40))
    g = Grid.for_target(t)
    h = auto_bandwidth(t, g)
    got = log_p_data_grid(t, g, h)
    want = np.maximum(t.log_prob(g.points64(), extra_var=h * h).reshape(g.n, g.n), theory.LOG_FLOOR)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    via_f32 = t.log_prob(g.points(), extra_var=h * h).reshape(g.n, g.n)
    near = via_f32 > -50
    np.testing.assert_allclose(got[near], via_f32[near], atol=1e-3)
    assert not got.flags.writeable
    # by value: an equal mixture built separately hits the same entry
    t2 = GaussianMixture(t.means.copy(), t.stds.copy(), t.weights.copy())
    assert log_p_data_grid(t2, g, h) is got
    # a moved mode, another h or another grid is a different entry
    moved = t.moved(0, t.means[0] + 0.1)
    assert log_p_data_grid(moved, g, h) is not got
    assert log_p_data_grid(t, g, h * 1.5) is not got
    assert len(theory._cache) <= theory._CACHE_MAX
    for i in range(10):
        log_p_data_grid(t, g, 0.01 * (i + 1))
    assert len(theory._cache) == theory._CACHE_MAX


def test_log_p_data_grid_tails_narrow_modes():
    # very narrow far-apart modes: the separable fast path must not underflow where log_prob is finite
    t = GaussianMixture([[0.0, 0.0], [2.9, -2.9], [-2.0, 1.0]], [0.001, 0.001, 0.3])
    g = Grid.for_target(t)
    for h in (0.0, auto_bandwidth(t, g), 0.5):
        got = log_p_data_grid(t, g, h)
        want = np.maximum(t.log_prob(g.points64(), extra_var=h * h).reshape(g.n, g.n), theory.LOG_FLOOR)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_auto_bandwidth():
    t = ring(8, 2.0, 0.05)
    assert auto_bandwidth(t, Grid.for_target(t)) == pytest.approx(0.05)
    narrow = ring(8, 2.0, 0.005)
    g = Grid.for_target(narrow)
    assert auto_bandwidth(narrow, g) == pytest.approx(g.dx)  # at least one spacing
    wide = GaussianMixture([[0.0, 0.0], [1.0, 1.0]], [0.5, 0.2])
    assert auto_bandwidth(wide, Grid.for_target(wide)) == pytest.approx(0.2)


def test_p_data_mass_on_grid():
    for t in (ring(8, 2.0, 0.05), grid_preset(5, 1.0, 0.05), ring(8, 2.0, 0.02)):
        g = Grid.for_target(t)
        lp = log_p_data_grid(t, g, auto_bandwidth(t, g))
        assert np.exp(lp).sum() * g.cell_area == pytest.approx(1.0, abs=1e-6)


def test_bad_bandwidth_and_infinite_logs():
    t = ring(8, 2.0, 0.05)
    g = Grid.for_target(t)
    for h in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            compute_theory(t, t.sample_numpy(10, np.random.default_rng(0)), g, h=h)
        with pytest.raises(ValueError):
            kde_log_density(np.zeros((3, 2)), g, h)
    # log(0) inputs are accepted and floored
    lp = np.full((4, 4), -np.inf)
    lp[0, 0] = 0.0
    lq = np.full((4, 4), -np.inf)
    lq[3, 3] = 0.0
    assert jsd(lp, lq, 1.0) == pytest.approx(math.log(2))
    assert np.isfinite(kl(lp, lq, 1.0))
    assert np.isfinite(value_function(np.full((4, 4), 0.3), lp, lq, 1.0))


def test_dstar_around_stray_generated_points_is_a_round_spot_not_a_square():
    """Far from the data, D* is defined only near generated points. Its edge there must come from the
    Gaussian kernel's falloff (a disc), not from where the separable filter was cut off (a square: D*
    looked blocky wherever generated points strayed from the modes)."""
    tgt = GaussianMixture(means=[[0.0, 0.0]], stds=[0.05])
    g = Grid(-3.0, 3.0, -3.0, 3.0, 128)
    rng = np.random.default_rng(0)
    stray = np.array([[1.5 + 0.5 * g.dx, 1.5 + 0.5 * g.dy]])  # a cell centre
    fake = np.vstack([tgt.sample_numpy(1000, rng), np.repeat(stray, 1000, axis=0)])
    f = theory.compute_theory(tgt, fake, g, h=0.05)
    ci = int((stray[0, 1] - g.ymin) / g.dy)
    cj = int((stray[0, 0] - g.xmin) / g.dx)
    ok = np.isfinite(f.dstar)
    assert ok[ci, cj] and f.dstar[ci, cj] < 1e-6  # only generated mass there: D* = 0
    r = 0
    while ok[ci, cj + r + 1]:
        r += 1
    assert r >= 3  # a visible spot of several cells
    # along the diagonal the spot ends at about the same distance: a disc. A square reaches r*sqrt(2).
    d = 0
    while ok[ci + d + 1, cj + d + 1]:
        d += 1
    assert math.hypot(d, d) <= r + 1.5


@pytest.mark.parametrize("shift", [0.0, 0.7, 5.0])
def test_the_two_kl_to_m_terms_add_up_to_v_at_dstar_and_average_to_the_jsd(shift):
    """Formula (14): V(G, D*) = -log 4 + KL(p_data || M) + KL(p_g || M), and JSD is their mean; each term is
    checked against an independent grid integral of KL against M = (p_data + p_g) / 2."""
    target = ring(8)
    g = Grid.for_target(target, n=96)
    fake = target.sample_numpy(3000, np.random.default_rng(1)) + np.float32(shift)
    f = compute_theory(target, fake, g)
    assert f.kl_pdata_m + f.kl_pg_m - math.log(4) == pytest.approx(f.v_at_dstar, abs=1e-9)
    assert 0.5 * (f.kl_pdata_m + f.kl_pg_m) == pytest.approx(f.jsd, abs=1e-9)
    if f.pg_mass_in_grid == 1.0 and shift < 1:   # all mass on the grid: the plain integrals agree
        log_m = np.logaddexp(f.log_p_data, f.log_p_g) - math.log(2)
        assert f.kl_pdata_m == pytest.approx(theory.kl(f.log_p_data, log_m, g.cell_area), abs=2e-3)
        assert f.kl_pg_m == pytest.approx(theory.kl(f.log_p_g, log_m, g.cell_area), abs=2e-3)
    assert 0 <= f.kl_pdata_m <= math.log(2) + 1e-9 and 0 <= f.kl_pg_m <= math.log(2) + 1e-9
