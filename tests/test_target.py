import math
import warnings

import numpy as np
import pytest
import torch

from ganlab.core.target import MAX_MODES, GaussianMixture, TargetError


def _three_modes():
    return GaussianMixture([[-2.0, 0.5], [1.0, 1.0], [0.5, -2.5]], [0.1, 0.3, 0.2], [1.0, 2.0, 1.0])


def _direct_density(x, means, stds, weights):
    """p(x) = sum_k w_k / (2 pi s_k^2) exp(-|x - mu_k|^2 / (2 s_k^2)), written out in float64."""
    x = np.asarray(x, dtype=np.float64)
    p = np.zeros(len(x))
    for mu, s, w in zip(means, stds, weights, strict=True):
        d2 = ((x - mu) ** 2).sum(1)
        p += w / (2 * math.pi * s * s) * np.exp(-0.5 * d2 / (s * s))
    return p


# ------------------------------------------------------------------ construction
def test_weights_are_normalised_and_stds_broadcast():
    m = GaussianMixture([[0, 0], [1, 1], [2, 2]], 0.2, [1, 1, 2])
    np.testing.assert_allclose(m.weights, [0.25, 0.25, 0.5])
    np.testing.assert_array_equal(m.stds, [0.2, 0.2, 0.2])
    assert m.means.shape == (3, 2) and m.n_modes == 3
    assert m.min_std == pytest.approx(0.2)


def test_arrays_are_immutable():
    m = _three_modes()
    for arr in (m.means, m.stds, m.weights):
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0] = 0.0
    with pytest.raises(AttributeError):
        m.means = np.zeros((3, 2))  # frozen dataclass


def test_constructor_copies_input():
    means = np.array([[0.0, 0.0], [1.0, 0.0]])
    m = GaussianMixture(means, 0.1)
    means[0, 0] = 99.0
    assert m.means[0, 0] == 0.0


@pytest.mark.parametrize("std", [0.0, -0.1, float("nan"), float("inf"), 1e-4, 11.0])
def test_bad_std_is_rejected(std):
    with pytest.raises(TargetError, match="std"):
        GaussianMixture([[0.0, 0.0]], std)


def test_bad_std_through_edit_is_rejected():
    m = _three_modes()
    for std in (0.0, -1.0, float("nan")):
        with pytest.raises(TargetError, match="std"):
            m.with_std(1, std)


@pytest.mark.parametrize("w", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_weight_is_rejected(w):
    with pytest.raises(TargetError, match="weight"):
        GaussianMixture([[0.0, 0.0], [1.0, 1.0]], 0.1, [1.0, w])


def test_bad_means_are_rejected():
    with pytest.raises(TargetError, match="at least one"):
        GaussianMixture(np.zeros((0, 2)), 0.1)
    with pytest.raises(TargetError, match="finite"):
        GaussianMixture([[0.0, float("nan")]], 0.1)
    with pytest.raises(TargetError, match="finite"):
        GaussianMixture([[1e4, 0.0]], 0.1)


def test_mode_count_limit():
    pts = np.random.default_rng(0).uniform(-2, 2, (MAX_MODES + 1, 2))
    with pytest.raises(TargetError, match=str(MAX_MODES)):
        GaussianMixture(pts, 0.05)
    assert GaussianMixture(pts[:MAX_MODES], 0.05).n_modes == MAX_MODES
    full = GaussianMixture(pts[:MAX_MODES], 0.05)
    with pytest.raises(TargetError, match=str(MAX_MODES)):
        full.with_mode([0.0, 0.0])


# ----------------------------------------------------------------------- sampling
def test_sample_moments_per_mode():
    m = _three_modes()
    g = torch.Generator().manual_seed(0)
    n = 300_000
    x = m.sample(n, generator=g).double().numpy()
    assert x.shape == (n, 2)
    # Modes are far apart (>= 10 std): assign each sample to its nearest centre.
    d = ((x[:, None, :] - m.means[None]) ** 2).sum(-1)
    k = d.argmin(1)
    for i in range(m.n_modes):
        xi = x[k == i]
        frac = len(xi) / n
        # binomial std of the fraction is < 0.001
        assert frac == pytest.approx(m.weights[i], abs=0.005)
        se = m.stds[i] / math.sqrt(len(xi))
        np.testing.assert_allclose(xi.mean(0), m.means[i], atol=6 * se)
        cov = np.cov(xi.T)
        var = m.stds[i] ** 2
        # relative std of a sample variance is sqrt(2/n) ~ 0.5% here
        np.testing.assert_allclose(np.diag(cov), [var, var], rtol=0.03)
        assert abs(cov[0, 1]) < 0.03 * var


def test_sample_dtype_device_and_seeded_reproducibility():
    m = _three_modes()
    a = m.sample(1000, generator=torch.Generator().manual_seed(7))
    b = m.sample(1000, generator=torch.Generator().manual_seed(7))
    c = m.sample(1000, generator=torch.Generator().manual_seed(8))
    assert a.dtype == torch.float32 and a.shape == (1000, 2) and a.device.type == "cpu"
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_sample_numpy_moments():
    m = GaussianMixture([[1.0, -1.0]], 0.5)
    x = m.sample_numpy(200_000, np.random.default_rng(1))
    np.testing.assert_allclose(x.mean(0), [1.0, -1.0], atol=0.01)
    np.testing.assert_allclose(x.std(0), [0.5, 0.5], rtol=0.01)


# ------------------------------------------------------------------------ density
def test_log_prob_matches_direct_formula():
    m = _three_modes()
    x = np.random.default_rng(3).uniform(-3.5, 2.5, (500, 2))
    x = np.vstack([x, m.means])  # include the peaks
    direct = _direct_density(x, m.means, m.stds, m.weights)
    ok = direct > 1e-200
    np.testing.assert_allclose(m.log_prob(x)[ok], np.log(direct[ok]), rtol=1e-10, atol=1e-10)


def test_log_prob_extra_var_is_the_smoothed_density():
    m = _three_modes()
    h = 0.15
    x = np.random.default_rng(4).uniform(-3, 2, (300, 2))
    sm = m.smoothed(h)
    np.testing.assert_allclose(sm.stds**2, m.stds**2 + h * h, rtol=1e-12)
    np.testing.assert_allclose(m.log_prob(x, extra_var=h * h), sm.log_prob(x), rtol=1e-10)
    direct = _direct_density(x, m.means, np.sqrt(m.stds**2 + h * h), m.weights)
    ok = direct > 1e-200
    np.testing.assert_allclose(sm.log_prob(x)[ok], np.log(direct[ok]), rtol=1e-9)


def test_log_prob_integrates_to_one():
    m = _three_modes()
    xmin, xmax, ymin, ymax = m.bounds(8.0)
    n = 1200
    dx, dy = (xmax - xmin) / n, (ymax - ymin) / n
    cx = xmin + (np.arange(n) + 0.5) * dx
    cy = ymin + (np.arange(n) + 0.5) * dy
    pts = np.column_stack([np.tile(cx, n), np.repeat(cy, n)])
    total = np.exp(m.log_prob(pts)).sum() * dx * dy
    assert total == pytest.approx(1.0, abs=1e-3)


def test_log_prob_far_from_every_mode_is_finite():
    m = GaussianMixture([[0.0, 0.0]], 0.01)
    lp = m.log_prob(np.array([[5.0, 5.0]]))
    # the exact value underflows exp() but logsumexp keeps it
    expected = -math.log(2 * math.pi * 1e-4) - 0.5 * 50.0 / 1e-4
    assert lp[0] == pytest.approx(expected, rel=1e-12)


def test_log_prob_torch_equals_numpy():
    m = _three_modes()
    x = np.random.default_rng(5).uniform(-3, 2, (400, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "non-writable NumPy array" warning: the means are copied
        t = m.log_prob_torch(torch.from_numpy(x))
    assert t.dtype == torch.float64 and t.shape == (400,)
    np.testing.assert_allclose(t.numpy(), m.log_prob(x), rtol=1e-10)


def test_bounds_hold_every_mode():
    m = _three_modes()
    xmin, xmax, ymin, ymax = m.bounds(4.0)
    assert xmin == pytest.approx(-2.0 - 0.4) and xmax == pytest.approx(1.0 + 1.2)
    assert ymin == pytest.approx(-2.5 - 0.8) and ymax == pytest.approx(1.0 + 1.2)


# ------------------------------------------------------------------------ editing
def test_moved_returns_new_object_and_keeps_old():
    m = _three_modes()
    before = m.means.copy()
    m2 = m.moved(1, (5.0, -5.0))
    assert m2 is not m
    np.testing.assert_array_equal(m.means, before)
    np.testing.assert_array_equal(m2.means[1], [5.0, -5.0])
    np.testing.assert_array_equal(m2.means[[0, 2]], before[[0, 2]])
    np.testing.assert_array_equal(m2.stds, m.stds)
    np.testing.assert_allclose(m2.weights, m.weights)
    assert not m2.means.flags.writeable


def test_with_mode_defaults_and_explicit():
    m = GaussianMixture([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]], [0.1, 0.2, 0.4])
    m2 = m.with_mode((3.0, 3.0))
    assert m.n_modes == 3 and m2.n_modes == 4
    np.testing.assert_array_equal(m2.means[-1], [3.0, 3.0])
    assert m2.stds[-1] == pytest.approx(0.2)  # the median std
    np.testing.assert_allclose(m2.weights, 0.25)  # equal weights stay equal
    m3 = m.with_mode((3.0, 3.0), std=0.5, weight=1.0)
    assert m3.stds[-1] == 0.5
    # weights (1/3, 1/3, 1/3, 1) renormalised
    np.testing.assert_allclose(m3.weights, np.array([1 / 3, 1 / 3, 1 / 3, 1.0]) / 2.0)


def test_without_mode():
    m = _three_modes()
    m2 = m.without_mode(0)
    assert m.n_modes == 3 and m2.n_modes == 2
    np.testing.assert_array_equal(m2.means, m.means[1:])
    np.testing.assert_array_equal(m2.stds, m.stds[1:])
    np.testing.assert_allclose(m2.weights, [2 / 3, 1 / 3])
    with pytest.raises(TargetError, match="last mode"):
        GaussianMixture([[0.0, 0.0]], 0.1).without_mode(0)


def test_with_std_and_with_weight():
    m = _three_modes()
    m2 = m.with_std(2, 0.7)
    np.testing.assert_array_equal(m2.stds, [0.1, 0.3, 0.7])
    assert m.stds[2] == 0.2
    m3 = m.with_weight(0, 2.0)  # raw weights become (2, 0.5, 0.25) -> /2.75
    np.testing.assert_allclose(m3.weights, np.array([2.0, 0.5, 0.25]) / 2.75)
    np.testing.assert_allclose(m.weights, [0.25, 0.5, 0.25])
    with pytest.raises(TargetError, match="weight"):
        m.with_weight(0, 0.0)


@pytest.mark.parametrize("method,args", [
    ("moved", ((0.0, 0.0),)), ("without_mode", ()), ("with_std", (0.2,)), ("with_weight", (1.0,)),
])
@pytest.mark.parametrize("index", [-1, 3, 100])
def test_bad_index(method, args, index):
    m = _three_modes()
    with pytest.raises(TargetError, match="out of range"):
        getattr(m, method)(index, *args)


def test_nearest_mode():
    m = _three_modes()
    i, d = m.nearest_mode((1.0, 1.5))
    assert i == 1 and d == pytest.approx(0.5)


# -------------------------------------------------------------------- persistence
def test_dict_round_trip():
    m = _three_modes()
    d = m.to_dict()
    assert set(d) == {"means", "stds", "weights"}
    m2 = GaussianMixture.from_dict(d)
    assert m2 == m and m2 is not m
    np.testing.assert_array_equal(m2.means, m.means)
    np.testing.assert_array_equal(m2.stds, m.stds)
    np.testing.assert_allclose(m2.weights, m.weights)
    assert m != m.moved(0, (0.0, 0.0))


def test_from_dict_errors():
    with pytest.raises(TargetError, match="malformed"):
        GaussianMixture.from_dict({"stds": [0.1]})
    with pytest.raises(TargetError):
        GaussianMixture.from_dict({"means": [[0.0, 0.0]], "stds": [0.0]})
    # weights are optional
    assert GaussianMixture.from_dict({"means": [[0.0, 0.0]], "stds": [0.1]}).weights[0] == 1.0


@pytest.mark.parametrize("means", [
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],  # (2, 3): reshape(-1, 2) would make 3 modes of it
    [[1.0, 2.0, 3.0, 4.0]],
    [1.0, 2.0, 3.0, 4.0],
    [[[0.0, 0.0]]],
    [[1.0, 2.0], [3.0]],  # ragged
    "abc",
])
def test_means_must_be_xy_pairs(means):
    with pytest.raises(TargetError):
        GaussianMixture(means, 0.1)
    with pytest.raises(TargetError):
        GaussianMixture.from_dict({"means": means, "stds": 0.1})


def test_single_pair_is_one_mode():
    assert GaussianMixture([1.0, 2.0], 0.1).n_modes == 1


@pytest.mark.parametrize("kind", ["stds", "weights"])
@pytest.mark.parametrize("values", [[0.1, 0.2, 0.3], "x", [[0.1, 0.2]], None])
def test_per_mode_values_must_match(kind, values):
    if values is None and kind == "weights":
        return  # weights=None means equal weights
    args = {"stds": 0.1, "weights": None, kind: values}
    with pytest.raises(TargetError, match=kind.rstrip("s")):
        GaussianMixture([[0.0, 0.0], [1.0, 1.0]], args["stds"], args["weights"])
