"""The generator and discriminator: plain MLPs on points of the target's dimension (1 or 2), plus noise sampling.

No batch norm anywhere: it couples samples within a batch, which breaks the per-point D heatmap and
the WGAN-GP penalty (the penalty is defined per input, as the WGAN-GP paper notes).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from .config import ACTIVATIONS, NOISE_DISTS, NetConfig

__all__ = ["ACTIVATIONS", "make_mlp", "Generator", "Discriminator", "sample_noise", "noise_grid",
           "count_parameters"]

# Half-width of the noise range drawn by noise_grid: +-2.5 std covers ~99% of a Gaussian's mass.
_GRID_HALF_WIDTH = {"gaussian": 2.5, "uniform": 1.0}


def _activation(name: str) -> nn.Module:
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(0.2)  # the DCGAN slope
    if name == "tanh":
        return nn.Tanh()
    if name == "elu":
        return nn.ELU()
    if name == "gelu":
        return nn.GELU()
    raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}")


def make_mlp(in_dim: int, out_dim: int, depth: int, width: int, activation: str) -> nn.Sequential:
    """`depth` hidden layers of `width` units, then a linear output (no squashing: losses want logits)."""
    layers: list[nn.Module] = []
    d = in_dim
    for _ in range(depth):
        layers += [nn.Linear(d, width), _activation(activation)]
        d = width
    layers.append(nn.Linear(d, out_dim))
    return nn.Sequential(*layers)


class Generator(nn.Module):
    """z (n, noise_dim) -> points (n, out_dim); the output is linear so G can reach any part of the plane
    (or line: out_dim 1 for a 1-D target, from noise of any dim)."""

    def __init__(self, noise_dim: int, cfg: NetConfig, out_dim: int = 2):
        super().__init__()
        self.noise_dim = int(noise_dim)
        self.out_dim = int(out_dim)
        self.net = make_mlp(self.noise_dim, self.out_dim, cfg.depth, cfg.width, cfg.activation)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    """points (n, in_dim) -> logits (n,); returns logits, not probabilities, so losses stay stable."""

    def __init__(self, cfg: NetConfig, in_dim: int = 2):
        super().__init__()
        self.in_dim = int(in_dim)
        self.net = make_mlp(self.in_dim, 1, cfg.depth, cfg.width, cfg.activation)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x).squeeze(-1)


def _check_dist(dist: str) -> None:
    if dist not in NOISE_DISTS:
        raise ValueError(f"unknown noise distribution {dist!r}; expected one of {', '.join(NOISE_DISTS)}")


def sample_noise(n: int, dim: int, dist: str, generator: torch.Generator | None = None,
                 device="cpu") -> Tensor:
    """Draw z ~ p_z with an explicit generator so that a run is reproducible from its seed alone."""
    _check_dist(dist)
    if dist == "gaussian":
        return torch.randn(n, dim, generator=generator, device=device, dtype=torch.float32)
    u = torch.rand(n, dim, generator=generator, device=device, dtype=torch.float32)
    return u * 2.0 - 1.0


def noise_grid(dim: int, dist: str, n: int = 64) -> np.ndarray | None:
    """Regular noise inputs whose images under G draw G's manifold as a curve (1-D) or a warped mesh (2-D).

    dim 2 is row-major: reshape(n, n, 2)[i] is the line with z_2 fixed at its i-th value and z_1 rising,
    so rows and columns of the reshaped array are the mesh lines. Higher dims have no drawable grid.
    """
    _check_dist(dist)
    if dim < 1:
        raise ValueError(f"noise dim must be >= 1, got {dim}")
    if dim > 2:
        return None
    h = _GRID_HALF_WIDTH[dist]
    t = np.linspace(-h, h, n, dtype=np.float32)
    if dim == 1:
        return t[:, None]
    z1, z2 = np.meshgrid(t, t, indexing="xy")
    return np.stack([z1.ravel(), z2.ravel()], axis=1)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
