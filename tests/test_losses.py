import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from ganlab.core import losses
from ganlab.core.config import LOSSES, NetConfig
from ganlab.core.losses import (
    CLOSED_FORM_DSTAR,
    check_loss,
    d_loss,
    g_loss,
    gradient_penalty,
    has_closed_form_dstar,
    logits_to_prob,
    r1_penalty,
)
from ganlab.core.networks import Discriminator, Generator


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _naive(loss, r, f):
    """Textbook formulas in float64 on D = sigmoid(l); fine for moderate logits."""
    Dr, Df = _sig(r), _sig(f)
    if loss in ("minimax", "nonsaturating"):
        ld = -np.mean(np.log(Dr)) - np.mean(np.log(1.0 - Df))
        lg = np.mean(np.log(1.0 - Df)) if loss == "minimax" else -np.mean(np.log(Df))
    elif loss == "lsgan":
        ld = 0.5 * np.mean((r - 1.0) ** 2) + 0.5 * np.mean((f + 1.0) ** 2)
        lg = 0.5 * np.mean(f**2)
    elif loss == "wgan-gp":
        ld = np.mean(f) - np.mean(r)
        lg = -np.mean(f)
    else:
        ld = np.mean(np.maximum(0.0, 1.0 - r)) + np.mean(np.maximum(0.0, 1.0 + f))
        lg = -np.mean(f)
    return ld, lg


def test_losses_tuple_is_the_config_one():
    assert losses.LOSSES == LOSSES
    assert set(CLOSED_FORM_DSTAR) == set(LOSSES)


@pytest.mark.parametrize("loss", LOSSES)
def test_losses_match_direct_formulas(loss):
    rng = np.random.default_rng(1)
    r = rng.normal(0.5, 2.0, 257)
    f = rng.normal(-0.5, 2.0, 131)
    want_d, want_g = _naive(loss, r, f)
    got_d = d_loss(loss, torch.tensor(r, dtype=torch.float32), torch.tensor(f, dtype=torch.float32))
    got_g = g_loss(loss, torch.tensor(f, dtype=torch.float32))
    assert got_d.shape == () and got_g.shape == ()
    assert got_d.item() == pytest.approx(want_d, rel=1e-5, abs=1e-6)
    assert got_g.item() == pytest.approx(want_g, rel=1e-5, abs=1e-6)
    # float64 in, float64 out, and then the match is tight
    got_d64 = d_loss(loss, torch.tensor(r), torch.tensor(f))
    assert got_d64.dtype == torch.float64
    assert got_d64.item() == pytest.approx(want_d, rel=1e-12, abs=1e-12)


def test_minimax_generator_is_log_one_minus_d():
    # g_loss minimax is E log(1 - D), i.e. minus the fake half of L_D
    f = torch.tensor([-3.0, 0.0, 2.0])
    assert g_loss("minimax", f).item() == pytest.approx(-d_loss("minimax", torch.full((3,), 1e4), f).item())
    assert g_loss("minimax", torch.tensor([0.0])).item() == pytest.approx(-math.log(2))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("big", [100.0, 1000.0])
def test_extreme_logits_are_finite_with_finite_gradients(loss, big):
    for sign in (1.0, -1.0):
        r = torch.tensor([sign * big, -sign * big, 0.0], requires_grad=True)
        f = torch.tensor([-sign * big, sign * big, 0.0], requires_grad=True)
        ld, lg = d_loss(loss, r, f), g_loss(loss, f)
        assert torch.isfinite(ld) and torch.isfinite(lg)
        ld.backward()
        lg.backward()
        assert torch.isfinite(r.grad).all() and torch.isfinite(f.grad).all()


def test_log_losses_have_the_right_asymptotes():
    # D confidently wrong: L_D ~ 2 * 100 (naive log(sigmoid) would be inf or lose all precision)
    assert d_loss("minimax", torch.tensor([-100.0]), torch.tensor([100.0])).item() == pytest.approx(200.0)
    # D confidently right: L_D ~ 0
    assert 0.0 <= d_loss("minimax", torch.tensor([100.0]), torch.tensor([-100.0])).item() < 1e-40
    assert g_loss("nonsaturating", torch.tensor([-1000.0])).item() == pytest.approx(1000.0)
    assert g_loss("minimax", torch.tensor([1000.0])).item() == pytest.approx(-1000.0)


def _jsd(p, q):
    m = 0.5 * (p + q)
    return 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))


def test_minimax_d_loss_at_dstar_is_log4_minus_2jsd():
    # Two discrete distributions on 5 points, given as samples with multiplicity so that the
    # plain means inside d_loss are the weighted expectations.
    cd = np.array([1, 2, 3, 4, 10])
    cg = np.array([12, 10, 8, 6, 4])
    pd, pg = cd / cd.sum(), cg / cg.sum()
    logit = np.log(pd / pg)  # D* = pd / (pd + pg)  <=>  l* = log(pd / pg)
    real = torch.tensor(np.repeat(logit, cd))
    fake = torch.tensor(np.repeat(logit, cg))
    ld = d_loss("minimax", real, fake).item()
    assert ld == pytest.approx(math.log(4) - 2 * _jsd(pd, pg), rel=1e-12)
    assert 0 < _jsd(pd, pg) < math.log(2)
    # ... and D* is the minimiser: moving any logit raises L_D
    for i in range(5):
        bumped = logit.copy()
        for delta in (-0.1, 0.1):
            bumped[i] = logit[i] + delta
            worse = d_loss("minimax", torch.tensor(np.repeat(bumped, cd)),
                           torch.tensor(np.repeat(bumped, cg)))
            assert worse.item() > ld


def test_dstar_identities_for_k_of_k_modes_closed_form():
    # 4 of 8 equal modes covered evenly: JSD = 0.2158 nats (numerics.md); D* = k/(k+K) = 1/3 on
    # covered modes and 1 (logit +inf) on missed ones; non-saturating L_G at D* is log(1 + K/k).
    K, k = 8, 4
    jsd = 0.5 * ((k / K) * math.log(2 * k / (k + K)) + (1 - k / K) * math.log(2) + math.log(2 * K / (k + K)))
    assert jsd == pytest.approx(0.2158, abs=1e-4)
    covered = math.log((1 / K) / (1 / k))
    real = torch.tensor([covered] * k + [math.inf] * (K - k), dtype=torch.float64)
    fake = torch.full((k,), covered, dtype=torch.float64)
    assert d_loss("minimax", real, fake).item() == pytest.approx(math.log(4) - 2 * jsd, rel=1e-12)
    assert g_loss("nonsaturating", fake).item() == pytest.approx(math.log(1 + K / k), rel=1e-12)
    assert logits_to_prob("minimax", fake)[0].item() == pytest.approx(k / (k + K))


def test_lsgan_dstar_maps_to_the_gan_dstar():
    # LSGAN's optimal logit is (pd - pg) / (pd + pg); (l + 1) / 2 turns it into pd / (pd + pg)
    pd, pg = np.array([0.1, 0.3, 0.6]), np.array([0.5, 0.3, 0.2])
    lstar = (pd - pg) / (pd + pg)
    np.testing.assert_allclose(logits_to_prob("lsgan", lstar), pd / (pd + pg), rtol=1e-12)
    # and it minimises the weighted LSGAN L_D: zero derivative pd (l - 1) + pg (l + 1) = 0
    np.testing.assert_allclose(pd * (lstar - 1) + pg * (lstar + 1), 0.0, atol=1e-15)


def _dlg_dlogit(loss, value):
    f = torch.tensor([value], requires_grad=True)
    g_loss(loss, f).backward()
    return f.grad.abs().item()


def test_minimax_generator_gradient_vanishes_when_d_rejects_fakes():
    mm, ns = _dlg_dlogit("minimax", -8.0), _dlg_dlogit("nonsaturating", -8.0)
    assert mm < 1e-3
    assert ns > 0.99
    assert ns / mm > 100
    assert mm == pytest.approx(_sig(-8.0), rel=1e-5)  # |dL/dl| = sigmoid(l)
    assert ns == pytest.approx(1 - _sig(-8.0), rel=1e-5)
    # the other way round when D is fooled: the non-saturating gradient is the small one
    assert _dlg_dlogit("nonsaturating", 8.0) < 1e-3 < 0.99 < _dlg_dlogit("minimax", 8.0)


def _grad_norm(params):
    return math.sqrt(sum(float(p.grad.square().sum()) for p in params))


def test_vanishing_gradient_through_networks():
    torch.manual_seed(0)
    cfg = NetConfig(depth=2, width=16, activation="relu")
    G, D = Generator(2, cfg), Discriminator(cfg)
    with torch.no_grad():
        D.net[-1].bias.fill_(-12.0)  # D rejects everything confidently
    z = torch.randn(128, 2)
    norms = {}
    for loss in ("minimax", "nonsaturating"):
        G.zero_grad()
        logits = D(G(z))
        assert logits.max().item() < -6  # precondition: D really is confident
        g_loss(loss, logits).backward()
        norms[loss] = _grad_norm(list(G.parameters()))
    assert norms["nonsaturating"] > 0
    assert norms["minimax"] < norms["nonsaturating"] / 100


def _linear_critic(w, bias=0.0):
    D = nn.Linear(len(w), 1)
    with torch.no_grad():
        D.weight.copy_(torch.tensor([w]))
        D.bias.fill_(bias)
    return D


def test_gradient_penalty_of_linear_critics():
    g = torch.Generator().manual_seed(0)
    real, fake = torch.randn(64, 2, generator=g), torch.randn(64, 2, generator=g) + 3
    unit = gradient_penalty(_linear_critic([0.6, 0.8], 0.3), real, fake, generator=g)
    assert unit.item() == pytest.approx(0.0, abs=1e-10)
    zero = _linear_critic([0.0, 0.0])
    gp = gradient_penalty(zero, real, fake, generator=g)
    assert gp.item() == pytest.approx(1.0, abs=1e-6)
    # (||w|| - 1)^2 for any linear critic, and its gradient wrt w (create_graph: it trains D)
    D = _linear_critic([3.0, 4.0])
    gp = gradient_penalty(D, real, fake, generator=g)
    assert gp.item() == pytest.approx(16.0, rel=1e-6)
    gp.backward()
    np.testing.assert_allclose(D.weight.grad.numpy(), [[2 * 4 * 0.6, 2 * 4 * 0.8]], rtol=1e-6)
    # the zero critic's penalty still has a finite gradient
    gp0 = gradient_penalty(zero, real, fake, generator=g)
    gp0.backward()
    assert torch.isfinite(zero.weight.grad).all()


class _HalfSquaredNorm(nn.Module):
    """D(x) = ||x||^2 / 2, so grad_x D = x and the penalty reads off where x^ was taken."""

    def forward(self, x):
        return 0.5 * x.square().sum(dim=1)


def test_gradient_penalty_interpolates_with_uniform_per_sample_weights():
    n = 40_000
    real = torch.zeros(n, 2, dtype=torch.float64)
    real[:, 0] = 1.0
    fake = torch.zeros(n, 2, dtype=torch.float64)
    g = torch.Generator().manual_seed(3)
    # ||x^|| = e, so the penalty is E (e - 1)^2 = 1/3 for e ~ U[0, 1] drawn per sample
    gp = gradient_penalty(_HalfSquaredNorm(), real, fake, generator=g)
    assert gp.item() == pytest.approx(1 / 3, abs=0.01)
    # the same seed gives the same penalty; another seed a different one
    a = gradient_penalty(_HalfSquaredNorm(), real[:50], fake[:50], generator=torch.Generator().manual_seed(5))
    b = gradient_penalty(_HalfSquaredNorm(), real[:50], fake[:50], generator=torch.Generator().manual_seed(5))
    c = gradient_penalty(_HalfSquaredNorm(), real[:50], fake[:50], generator=torch.Generator().manual_seed(6))
    assert a.item() == b.item() != c.item()
    # real == fake: x^ = real whatever e is
    pts = torch.tensor([[2.0, 0.0], [0.0, 0.5], [3.0, 4.0]], dtype=torch.float64)
    gp = gradient_penalty(_HalfSquaredNorm(), pts, pts)
    assert gp.item() == pytest.approx(((2 - 1) ** 2 + (0.5 - 1) ** 2 + (5 - 1) ** 2) / 3)


def test_gradient_penalty_works_on_a_real_discriminator():
    torch.manual_seed(0)
    D = Discriminator(NetConfig(depth=2, width=8, activation="tanh"))
    gp = gradient_penalty(D, torch.randn(16, 2), torch.randn(16, 2))
    assert gp.shape == () and gp.item() >= 0
    gp.backward()
    # every weight gets a gradient; the output bias cannot (it does not change grad_x D)
    out_bias = D.net[-1].bias
    assert out_bias.grad is None
    for p in D.parameters():
        if p is not out_bias:
            assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0


def test_r1_penalty():
    D = _linear_critic([3.0, 4.0], -1.0)
    real = torch.randn(32, 2)
    r1 = r1_penalty(D, real)
    assert r1.item() == pytest.approx(25.0, rel=1e-6)
    r1.backward()
    np.testing.assert_allclose(D.weight.grad.numpy(), [[6.0, 8.0]], rtol=1e-6)  # d||w||^2/dw = 2w
    pts = torch.tensor([[1.0, 2.0], [0.0, 3.0]])
    assert r1_penalty(_HalfSquaredNorm(), pts).item() == pytest.approx((5 + 9) / 2)
    assert real.grad is None  # does not touch the caller's tensor


def test_logits_to_prob_values_and_types():
    l = np.array([-1000.0, -3.0, -1.0, 0.0, math.log(3), 0.5, 3.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for loss in ("minimax", "nonsaturating"):
            p = logits_to_prob(loss, l)
            assert isinstance(p, np.ndarray) and p.dtype == np.float64
            np.testing.assert_allclose(p, [0.0, _sig(-3), _sig(-1), 0.5, 0.75, _sig(0.5), _sig(3), 1.0],
                                       rtol=1e-12, atol=1e-300)
        p = logits_to_prob("lsgan", l)
    np.testing.assert_allclose(p, [0.0, 0.0, 0.0, 0.5, 1.0, 0.75, 1.0, 1.0])
    assert logits_to_prob("minimax", l.astype(np.float32)).dtype == np.float32
    t = torch.tensor([-3.0, 0.0, 0.5, 3.0])
    pt = logits_to_prob("nonsaturating", t)
    assert isinstance(pt, torch.Tensor)
    torch.testing.assert_close(pt, torch.sigmoid(t))
    pt = logits_to_prob("lsgan", t)
    assert isinstance(pt, torch.Tensor)
    torch.testing.assert_close(pt, torch.tensor([0.0, 0.5, 0.75, 1.0]))
    for loss in ("wgan-gp", "hinge"):
        assert logits_to_prob(loss, l) is None
        assert logits_to_prob(loss, t) is None


def test_closed_form_flags():
    assert [has_closed_form_dstar(x) for x in LOSSES] == [True, True, True, False, False]
    assert CLOSED_FORM_DSTAR["lsgan"] and not CLOSED_FORM_DSTAR["hinge"]


@pytest.mark.parametrize("call", [
    lambda: check_loss("vanilla"),
    lambda: has_closed_form_dstar("vanilla"),
    lambda: d_loss("vanilla", torch.zeros(2), torch.zeros(2)),
    lambda: g_loss("vanilla", torch.zeros(2)),
    lambda: logits_to_prob("vanilla", np.zeros(2)),
])
def test_unknown_loss_names_the_allowed_ones(call):
    with pytest.raises(ValueError) as info:
        call()
    msg = str(info.value)
    assert "vanilla" in msg
    for name in LOSSES:
        assert name in msg


def test_check_loss_accepts_every_loss():
    for name in LOSSES:
        check_loss(name)
