"""core/saturation.py: the generator's per-sample losses and their slopes w.r.t. D's logit, checked against torch
autograd through the trainer's own loss (core/losses.g_loss) and against finite differences of the D-curves."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganlab.core import losses
from ganlab.core import saturation as sat
from ganlab.core.config import LOSSES


def _autograd(loss: str, logits: np.ndarray) -> tuple[float, np.ndarray]:
    """The trainer's L_G on these fake logits and its gradient w.r.t. each logit (float64)."""
    t = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    value = losses.g_loss(loss, t)
    (grad,) = torch.autograd.grad(value, t)
    return float(value.detach()), grad.numpy()


LOGITS = np.concatenate([np.linspace(-30.0, 30.0, 61), np.random.default_rng(3).normal(0.0, 4.0, 200)])


def test_the_loss_lists_cover_the_configs_losses_and_their_probability_readings():
    assert set(sat.PROB_LOSSES) | set(sat.CRITIC_LOSSES) == set(LOSSES)
    for k in LOSSES:
        assert (k in sat.PROB_LOSSES) == losses.has_closed_form_dstar(k)


@pytest.mark.parametrize("loss", LOSSES)
def test_per_sample_slope_over_batch_size_is_the_gradient_of_the_trainers_g_loss(loss):
    value, grad = _autograd(loss, LOGITS)
    n = len(LOGITS)
    # rtol 1e-8: torch's softplus turns linear beyond |l| = 20 (its threshold), off by e^-20 ~ 2e-9 there
    np.testing.assert_allclose(sat.g_slope(loss, LOGITS) / n, grad, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(sat.g_loss_per_sample(loss, LOGITS).mean(), value, rtol=1e-9)
    assert sat.mean_grad_magnitude(loss, LOGITS) == pytest.approx(n * np.abs(grad).mean(), rel=1e-9)


@pytest.mark.parametrize("loss", LOSSES)
def test_probability_reading_is_the_trainers(loss):
    mine = sat.prob(loss, LOGITS)
    theirs = losses.logits_to_prob(loss, LOGITS)
    if theirs is None:
        assert mine is None
    else:
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("loss", sat.PROB_LOSSES)
def test_d_curves_are_the_losses_written_through_d_and_their_slopes_are_finite_differences(loss):
    # through D = sigmoid(l) (log losses) or D = (l + 1)/2 (lsgan, inside its unclipped range)
    l = np.linspace(-6.0, 6.0, 241) if loss != "lsgan" else np.linspace(-0.99, 0.99, 199)
    d = sat.prob(loss, l)
    np.testing.assert_allclose(sat.loss_of_d(loss, d), sat.g_loss_per_sample(loss, l), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(sat.slope_of_d(loss, d), sat.g_slope(loss, l), rtol=1e-9, atol=1e-12)
    # d/dl of the D-curve composed with D(l), by central differences: the slope as the generator feels it
    eps = 1e-5
    fd = (sat.loss_of_d(loss, sat.prob(loss, l + eps)) - sat.loss_of_d(loss, sat.prob(loss, l - eps))) / (2 * eps)
    np.testing.assert_allclose(sat.slope_of_d(loss, d), fd, rtol=1e-6, atol=1e-9)


def test_curves_grid_values():
    c = sat.curves()
    assert c.d[0] == pytest.approx(1 / (1 + np.exp(sat.CURVE_REACH)))
    assert np.all(np.diff(c.d) > 0)
    np.testing.assert_allclose(c.loss["minimax"], np.log(1 - c.d), rtol=1e-9)
    np.testing.assert_allclose(c.loss["nonsaturating"], -np.log(c.d), rtol=1e-12)
    np.testing.assert_allclose(c.grad["minimax"], c.d)
    np.testing.assert_allclose(c.grad["nonsaturating"], 1 - c.d)
    np.testing.assert_allclose(c.grad["lsgan"], np.abs(2 * c.d - 1))
    # the lecture's claim, on the curves: near D = 0 -log D is far steeper in D than log(1 - D)
    i = 0
    slope_ns = abs((c.loss["nonsaturating"][i + 1] - c.loss["nonsaturating"][i]) / (c.d[i + 1] - c.d[i]))
    slope_mm = abs((c.loss["minimax"][i + 1] - c.loss["minimax"][i]) / (c.d[i + 1] - c.d[i]))
    assert slope_ns > 500 * slope_mm
    with pytest.raises(ValueError):
        sat.loss_of_d("wgan-gp", c.d)


def test_early_training_batch_the_minimax_gradient_vanishes():
    # D rejects every fake confidently: D(G(z)) ~ sigmoid(-5) ~ 0.0067
    l = np.random.default_rng(0).normal(-5.0, 0.3, 2000)
    b = sat.batch_saturation("minimax", l)
    _, g_mm = _autograd("minimax", l)
    _, g_ns = _autograd("nonsaturating", l)
    assert b.mean_grad["minimax"] == pytest.approx(len(l) * np.abs(g_mm).mean(), rel=1e-12)
    assert b.mean_grad["nonsaturating"] == pytest.approx(len(l) * np.abs(g_ns).mean(), rel=1e-12)
    assert b.mean_grad["minimax"] < 0.01 < 0.99 < b.mean_grad["nonsaturating"]
    assert b.mean_grad["minimax"] + b.mean_grad["nonsaturating"] == pytest.approx(1.0)


def test_batch_draws_at_most_max_points_but_averages_the_whole_batch():
    rng = np.random.default_rng(1)
    l = rng.normal(0.0, 2.0, 2000)
    b = sat.batch_saturation("nonsaturating", l)
    assert b.n == 2000 and len(b.d) <= sat.MAX_POINTS and len(b.d) >= sat.MAX_POINTS // 2
    idx = sat.thin(2000)
    np.testing.assert_array_equal(b.logits, l[idx])
    np.testing.assert_allclose(b.d, 1 / (1 + np.exp(-l[idx])), rtol=1e-12)
    np.testing.assert_allclose(b.loss_values["minimax"], np.log(1 - b.d), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.grad_values["nonsaturating"], 1 - b.d, rtol=1e-9)
    assert b.mean_grad["minimax"] == pytest.approx(np.mean(1 / (1 + np.exp(-l))), rel=1e-12)
    assert set(b.mean_grad) == {"minimax", "nonsaturating"}
    small = sat.batch_saturation("minimax", l[:300])
    assert len(small.d) == 300


def test_non_finite_logits_are_skipped():
    b = sat.batch_saturation("minimax", np.array([np.nan, 0.0, np.inf, 0.0]))
    assert b.n == 2
    assert b.mean_grad["minimax"] == pytest.approx(0.5)
    assert np.isnan(sat.mean_grad_magnitude("minimax", np.zeros(0)))


def test_lsgan_and_critics():
    l = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    b = sat.batch_saturation("lsgan", l)
    assert set(b.mean_grad) == {"lsgan"}
    assert b.mean_grad["lsgan"] == pytest.approx(np.abs(l).mean())
    np.testing.assert_allclose(b.d, [0.0, 0.0, 0.5, 0.75, 1.0])
    for loss in ("wgan-gp", "hinge"):
        c = sat.batch_saturation(loss, l)
        assert c.critic and c.d is None and c.loss_values == {}
        assert c.mean_grad == {loss: 1.0}
    with pytest.raises(ValueError):
        sat.batch_saturation("nope", l)


def test_thin():
    assert len(sat.thin(0)) == 0
    assert list(sat.thin(5, 2)) == [0, 3]
    idx = sat.thin(1001, 500)
    assert len(idx) <= 500 and idx[0] == 0 and np.all(np.diff(idx) == np.diff(idx)[0])
