"""VEEGAN / PacGAN mode coverage: high-quality samples and captured modes."""

import numpy as np
import pytest
import torch

from ganlab.core.coverage import Coverage, mode_coverage
from ganlab.core.presets import grid as grid_preset
from ganlab.core.presets import ring
from ganlab.core.target import GaussianMixture


def test_three_of_eight_modes():
    t = ring(8, 2.0, 0.05)
    rng = np.random.default_rng(0)
    covered = [1, 4, 6]
    sub = GaussianMixture(t.means[covered], t.stds[covered])
    x = sub.sample_numpy(2500, rng)
    c = mode_coverage(x, t)
    assert isinstance(c, Coverage)
    assert c.n_modes == 8
    assert c.modes_captured == 3
    assert c.hq_fraction > 0.98  # P(chi_2 < 3) = 1 - exp(-4.5) = 0.989
    assert set(np.flatnonzero(c.per_mode)) == set(covered)
    assert c.per_mode.sum() == c.hq.sum()
    assert c.per_mode.shape == (8,) and c.hq.shape == (2500,) and c.nearest.shape == (2500,)
    assert np.issubdtype(c.per_mode.dtype, np.integer) and c.hq.dtype == bool


def test_perfect_generator_hq_rate_matches_chi2():
    t = grid_preset(5, 1.0, 0.05)
    rng = np.random.default_rng(1)
    c = mode_coverage(t.sample_numpy(20_000, rng), t)
    assert c.modes_captured == 25
    assert c.hq_fraction == pytest.approx(1 - np.exp(-4.5), abs=0.005)


def test_far_noise_captures_nothing():
    t = ring(8, 2.0, 0.05)
    rng = np.random.default_rng(2)
    x = rng.uniform(10, 20, (1000, 2))
    c = mode_coverage(x, t)
    assert c.modes_captured == 0
    assert c.hq_fraction == 0.0
    assert c.per_mode.sum() == 0
    assert np.all((c.nearest >= 0) & (c.nearest < 8))


def test_threshold_is_strict_in_standardised_distance():
    t = GaussianMixture([[0.0, 0.0], [10.0, 0.0]], [0.1, 0.5])
    x = np.array([
        [0.29, 0.0],  # 2.9 sigma of mode 0
        [0.31, 0.0],  # 3.1 sigma
        [10.0, 1.45],  # 2.9 sigma of mode 1 (std 0.5)
        [10.0, -1.55],  # 3.1 sigma
        [0.3 * np.sqrt(0.5) - 1e-6, 0.3 * np.sqrt(0.5) - 1e-6],  # just inside 3 sigma, on a diagonal
    ])
    c = mode_coverage(x, t)
    assert c.hq.tolist() == [True, False, True, False, True]
    assert c.nearest.tolist() == [0, 0, 1, 1, 0]
    assert c.per_mode.tolist() == [2, 1]
    assert mode_coverage(x, t, threshold=3.2).hq.all()


def test_nearest_in_standardised_distance():
    # x is closer to mode 0 in Euclidean distance but closer to the wide mode 1 in sigmas
    t = GaussianMixture([[0.0, 0.0], [3.0, 0.0]], [0.1, 2.0])
    c = mode_coverage(np.array([[1.0, 0.0]]), t)
    assert c.nearest.tolist() == [1]
    assert c.hq.tolist() == [True]


def test_min_count():
    t = ring(8, 2.0, 0.05)
    x = np.vstack([np.repeat(t.means[:1], 5, axis=0), t.means[1:2], t.means[2:3], t.means[2:3]])
    assert mode_coverage(x, t).modes_captured == 3
    assert mode_coverage(x, t, min_count=2).modes_captured == 2
    assert mode_coverage(x, t, min_count=5).modes_captured == 1
    assert mode_coverage(x, t, min_count=6).modes_captured == 0


def test_non_finite_samples_are_never_hq():
    t = ring(8, 2.0, 0.05)
    x = np.array([[np.nan, 0.0], [np.inf, np.inf], t.means[0], [2.0, -np.inf]])
    c = mode_coverage(x, t)
    assert c.hq.tolist() == [False, False, True, False]
    assert c.nearest.tolist() == [-1, -1, 0, -1]
    assert c.hq_fraction == pytest.approx(0.25)
    assert c.modes_captured == 1


def test_many_modes_chunked_matches_bruteforce():
    rng = np.random.default_rng(3)
    t = GaussianMixture(rng.uniform(-3, 3, (500, 2)), rng.uniform(0.02, 0.1, 500))
    x = np.vstack([t.sample_numpy(4000, rng), rng.uniform(-3, 3, (2000, 2))])
    c = mode_coverage(x, t)
    z = np.sqrt((((x[:, None, :] - t.means[None]) / t.stds[None, :, None]) ** 2).sum(-1))
    np.testing.assert_array_equal(c.nearest, z.argmin(1))
    np.testing.assert_array_equal(c.hq, z.min(1) < 3.0)
    assert c.per_mode.sum() == c.hq.sum()
    assert c.modes_captured == int((np.bincount(z.argmin(1)[z.min(1) < 3], minlength=500) > 0).sum())


def test_empty_and_torch_input():
    t = ring(8, 2.0, 0.05)
    c = mode_coverage(np.zeros((0, 2)), t)
    assert c.modes_captured == 0 and c.hq_fraction == 0.0 and c.per_mode.tolist() == [0] * 8
    c = mode_coverage(torch.tensor(t.means, dtype=torch.float32, requires_grad=True), t)
    assert c.modes_captured == 8 and c.hq_fraction == 1.0
