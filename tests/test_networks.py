import numpy as np
import pytest
import torch
from torch import nn

from ganlab.core.config import ACTIVATIONS, NetConfig
from ganlab.core.networks import (
    Discriminator,
    Generator,
    count_parameters,
    make_mlp,
    noise_grid,
    sample_noise,
)


def _mlp_params(i, o, depth, width):
    return (i * width + width) + (depth - 1) * (width * width + width) + (width * o + o)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_shapes_and_parameter_counts(depth, activation):
    cfg = NetConfig(depth=depth, width=7, activation=activation)
    G, D = Generator(3, cfg), Discriminator(cfg)
    assert G.noise_dim == 3
    x = G(torch.randn(5, 3))
    assert x.shape == (5, 2) and x.dtype == torch.float32
    assert D(x).shape == (5,)
    assert D(torch.randn(1, 2)).shape == (1,)  # squeeze only the last dim: one sample stays a vector
    assert count_parameters(G) == _mlp_params(3, 2, depth, 7)
    assert count_parameters(D) == _mlp_params(2, 1, depth, 7)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_make_mlp_structure(activation):
    net = make_mlp(4, 3, depth=3, width=5, activation=activation)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(4, 5), (5, 5), (5, 5), (5, 3)]
    assert isinstance(net[-1], nn.Linear)  # raw output, no squashing
    assert len(net) == 2 * 3 + 1
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in net.modules())


def test_activations_are_what_they_say():
    x = torch.tensor([[-2.0, 3.0]])

    def hidden(name):
        net = make_mlp(2, 1, depth=1, width=2, activation=name)
        with torch.no_grad():
            net[0].weight.copy_(torch.eye(2))
            net[0].bias.zero_()
        return net[1](net[0](x))

    torch.testing.assert_close(hidden("relu"), torch.tensor([[0.0, 3.0]]))
    torch.testing.assert_close(hidden("leaky_relu"), torch.tensor([[-0.4, 3.0]]))
    torch.testing.assert_close(hidden("tanh"), torch.tanh(x))
    torch.testing.assert_close(hidden("elu"), torch.tensor([[np.expm1(-2.0), 3.0]], dtype=torch.float32))
    torch.testing.assert_close(hidden("gelu"), torch.nn.functional.gelu(x))
    with pytest.raises(ValueError, match="leaky_relu"):
        make_mlp(2, 1, 1, 2, "swish")


def test_discriminator_is_per_sample():
    # no batch coupling: a point's logit does not depend on the rest of the batch
    torch.manual_seed(0)
    D = Discriminator(NetConfig(depth=2, width=16, activation="gelu"))
    x = torch.randn(10, 2)
    torch.testing.assert_close(D(x)[3:4], D(x[3:4]))


def test_count_parameters():
    assert count_parameters(nn.Linear(3, 4)) == 16
    assert count_parameters(nn.Sequential()) == 0


def test_sample_noise_shapes_ranges_and_moments():
    g = torch.Generator().manual_seed(0)
    z = sample_noise(50_000, 3, "uniform", generator=g)
    assert z.shape == (50_000, 3) and z.dtype == torch.float32
    assert z.min().item() >= -1.0 and z.max().item() <= 1.0
    assert z.min().item() < -0.99 and z.max().item() > 0.99  # covers the range, not [0, 1]
    assert z.var().item() == pytest.approx(1 / 3, abs=0.01)
    z = sample_noise(50_000, 2, "gaussian", generator=g)
    assert z.shape == (50_000, 2) and z.dtype == torch.float32
    assert z.mean(0).abs().max().item() < 0.02
    np.testing.assert_allclose(z.std(0).numpy(), [1.0, 1.0], atol=0.02)
    assert z.min().item() < -3 and z.max().item() > 3
    assert sample_noise(4, 1, "gaussian").shape == (4, 1)


@pytest.mark.parametrize("dist", ["gaussian", "uniform"])
def test_sample_noise_is_reproducible_from_the_generator(dist):
    a = sample_noise(8, 2, dist, generator=torch.Generator().manual_seed(42))
    b = sample_noise(8, 2, dist, generator=torch.Generator().manual_seed(42))
    c = sample_noise(8, 2, dist, generator=torch.Generator().manual_seed(43))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)
    # the global RNG is not what drives it
    g = torch.Generator().manual_seed(42)
    torch.manual_seed(1)
    d = sample_noise(8, 2, dist, generator=g)
    assert torch.equal(a, d)


def test_sample_noise_unknown_dist():
    with pytest.raises(ValueError, match="gaussian, uniform"):
        sample_noise(2, 2, "cauchy")


@pytest.mark.parametrize(("dist", "h"), [("gaussian", 2.5), ("uniform", 1.0)])
def test_noise_grid(dist, h):
    g1 = noise_grid(1, dist)
    assert g1.shape == (64, 1)
    assert g1[0, 0] == pytest.approx(-h) and g1[-1, 0] == pytest.approx(h)
    assert np.all(np.diff(g1[:, 0]) > 0)
    np.testing.assert_allclose(np.diff(g1[:, 0]), 2 * h / 63, rtol=1e-5)

    g2 = noise_grid(2, dist, n=5)
    assert g2.shape == (25, 2)
    mesh = g2.reshape(5, 5, 2)
    t = np.linspace(-h, h, 5)
    # row i is a line with z_2 fixed and z_1 running over the range; columns the other way
    for i in range(5):
        np.testing.assert_allclose(mesh[i, :, 0], t, rtol=1e-6)
        np.testing.assert_allclose(mesh[i, :, 1], t[i], rtol=1e-6)
        np.testing.assert_allclose(mesh[:, i, 0], t[i], rtol=1e-6)
    assert noise_grid(2, dist).shape == (64 * 64, 2)
    assert noise_grid(3, dist) is None
    assert noise_grid(64, dist) is None


def test_noise_grid_feeds_the_generator():
    G = Generator(2, NetConfig(depth=1, width=4, activation="relu"))
    out = G(torch.from_numpy(noise_grid(2, "gaussian", n=8)))
    assert out.shape == (64, 2)


def test_noise_grid_unknown_dist():
    with pytest.raises(ValueError, match="gaussian, uniform"):
        noise_grid(2, "cauchy")
