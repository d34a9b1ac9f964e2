"""The Trainer's fast path (core/netpass.py) gives autograd's numbers bit for bit, in every setting it runs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganlab.core.config import Config
from ganlab.core.netpass import NetPass, loss_grad, optimizer_step
from ganlab.core.networks import Discriminator, Generator
from ganlab.core.trainer import Trainer


def cfg(**values) -> Config:
    base = {"train.device": "cpu", "train.batch_size": 64, "generator.width": 24, "discriminator.width": 24}
    return Config().with_values({**base, **values})


def pair(**values) -> tuple[Trainer, Trainer]:
    """The same run twice: the fast path and the autograd path."""
    fast, slow = Trainer(cfg(**values)), Trainer(cfg(**values))
    slow.fast_path = lambda c: False
    return fast, slow


def assert_same(a: Trainer, b: Trainer) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    for net in ("G", "D"):
        for name in sa[net]:
            assert torch.equal(sa[net][name], sb[net][name]), f"{net}.{name}"
    for opt in ("opt_g", "opt_d"):
        assert sa[opt].keys() == sb[opt].keys()
        for i in sa[opt]:
            assert sa[opt][i].keys() == sb[opt][i].keys()
            for key in sa[opt][i]:
                x, y = sa[opt][i][key], sb[opt][i][key]
                assert x.dtype == y.dtype and x.shape == y.shape, f"{opt}[{i}].{key}"
                assert torch.equal(x, y), f"{opt}[{i}].{key}"
    assert np.array_equal(sa["losses"], sb["losses"], equal_nan=True)
    assert a.iteration == b.iteration and a.status == b.status


SETTINGS = [
    {},
    {"train.loss": "minimax"},
    {"train.loss": "lsgan", "generator.activation": "tanh"},
    {"train.loss": "hinge", "discriminator.activation": "elu", "generator.activation": "gelu"},
    {"train.loss": "wgan-gp", "train.gp_lambda": 0.0, "discriminator.activation": "leaky_relu"},
    {"train.k_d": 3, "train.k_g": 2},
    {"train.k_d": 0, "train.k_g": 1},
    {"opt_g.name": "sgd", "opt_d.name": "sgd"},
    {"target.preset": "1d-two"},
    {"noise.dim": 1, "noise.dist": "uniform", "generator.depth": 3},
]


@pytest.mark.parametrize("values", SETTINGS, ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "default")
def test_fast_path_equals_autograd_bit_for_bit(values):
    fast, slow = pair(**values)
    assert fast.fast_path(fast.config.train) and not slow.fast_path(slow.config.train)
    fast.step(30)
    slow.step(30)
    assert_same(fast, slow)
    # and the runs moved: a fast path that did nothing would also be "equal"
    assert np.isfinite(fast.losses.array()[:, 2]).all()
    assert not torch.equal(fast.G.net[0].weight, Trainer(cfg(**values)).G.net[0].weight)


def test_buttons_freezes_and_edits_between_steps_keep_the_paths_equal():
    fast, slow = pair()
    for t in (fast, slow):
        t.step(5)
        t.d_step()
        t.g_step()
        t.freeze_g = True
        t.step(3)
        t.freeze_g, t.freeze_d = False, True
        t.step(3)
        t.freeze_d = False
        # a new batch size (the kept buffers change shape) and new learning rates (read by the direct Adam call)
        t.apply_config(t.config.with_values({"train.batch_size": 48, "opt_d.lr": 5e-4, "opt_g.lr": 3e-4}))
        t.step(10)
    assert_same(fast, slow)
    assert fast.opt_d.param_groups[0]["lr"] == 5e-4


def test_a_state_saved_on_the_fast_path_continues_exactly_on_either_path():
    a = Trainer(cfg())
    a.step(20)
    state = a.state_dict()
    b, c = Trainer(cfg()), Trainer(cfg())
    b.load_state_dict(state)
    c.load_state_dict(state)
    c.fast_path = lambda x: False
    for t in (a, b, c):
        t.step(15)
    assert_same(a, b)
    assert_same(a, c)


@pytest.mark.parametrize("values,expected", [
    ({}, True),
    ({"train.loss": "wgan-gp", "train.gp_lambda": 10.0}, False),
    ({"train.r1_gamma": 1.0}, False),
    ({"train.oracle_d": True, "target.preset": "1d-single"}, False),
])
def test_penalties_and_the_oracle_take_autograd(values, expected):
    assert Trainer.fast_path(cfg(**values).train) is expected


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "elu", "gelu"])
def test_netpass_forward_and_backward_are_the_modules(activation):
    torch.manual_seed(0)
    net_cfg = cfg(**{"discriminator.activation": activation, "discriminator.depth": 3}).discriminator
    D = Discriminator(net_cfg)
    x = torch.randn(50, 2)
    g_out = torch.randn(50)
    npass = NetPass(D, activation, squeeze=True)
    out = npass.forward(x, "t").clone()
    gin = npass.backward("t", g_out, weight_grads=True, input_grad=True)

    xa = x.clone().requires_grad_(True)
    ref = D(xa)
    assert torch.equal(out, ref.detach())
    ref_grads = torch.autograd.grad(ref, [xa, *D.parameters()], g_out)
    assert torch.equal(gin, ref_grads[0])
    for mine, theirs, p in zip(npass.grads, ref_grads[1:], D.parameters(), strict=True):
        assert torch.equal(mine, theirs)
        assert p.grad is mine  # as loss.backward() leaves them
    assert float(gin.abs().sum()) > 0


def test_netpass_sees_the_optimizers_in_place_updates():
    torch.manual_seed(1)
    G = Generator(2, cfg().generator)
    npass = NetPass(G, "relu", squeeze=False)
    z = torch.randn(8, 2)
    before = npass.forward(z, "g").clone()
    with torch.no_grad():
        G.net[0].weight.add_(1.0)
    after = npass.forward(z, "g")
    assert torch.equal(after, G(z).detach()) and not torch.equal(after, before)


def test_loss_grad_is_the_gradient_of_the_loss():
    logits = torch.tensor([0.5, -1.0, 2.0, 0.0])
    loss, g = loss_grad(lambda lo: torch.nn.functional.softplus(-lo).mean(), logits)
    expected = -torch.sigmoid(-logits) / 4  # d/dl softplus(-l) = -sigmoid(-l), over the mean's 4
    assert float(loss) == pytest.approx(float(torch.nn.functional.softplus(-logits).mean()))
    torch.testing.assert_close(g, expected)


@pytest.mark.parametrize("kwargs", [{"fused": True}, {"fused": True, "betas": (0.5, 0.9)},
                                    {"amsgrad": True}, {}])
def test_optimizer_step_is_adam_step(kwargs):
    torch.manual_seed(2)
    ps_a = [torch.randn(5, 3, requires_grad=True), torch.randn(3, requires_grad=True)]
    ps_b = [p.detach().clone().requires_grad_(True) for p in ps_a]
    oa, ob = torch.optim.Adam(ps_a, lr=0.01, **kwargs), torch.optim.Adam(ps_b, lr=0.01, **kwargs)
    for k in range(4):
        grads = [torch.randn_like(p) for p in ps_a]
        for p, q, g in zip(ps_a, ps_b, grads, strict=True):
            p.grad, q.grad = g.clone(), g.clone()
        optimizer_step(oa)
        ob.step()
        if k == 1:
            oa.param_groups[0]["lr"] = ob.param_groups[0]["lr"] = 0.003
    for p, q in zip(ps_a, ps_b, strict=True):
        assert torch.equal(p, q)
    sa, sb = oa.state_dict()["state"], ob.state_dict()["state"]
    for i in sb:
        for key in sb[i]:
            assert sa[i][key].dtype == sb[i][key].dtype and torch.equal(sa[i][key], sb[i][key])
    assert float(sa[0]["step"]) == 4
