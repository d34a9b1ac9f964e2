"""The true JSD in the 1-D world, where it can be had without a kernel: how far below it the smoothed one sits.

The JSD on screen is that of the densities smoothed with the KDE kernel h, a lower bound (theory.py). In 1-D
with one noise dimension p_g is known exactly as the push-forward of p_z through G: a stratified set of noise
quantiles z_k = F^-1((k + 1/2) / K), each carrying mass 1/K, lands at G(z_k), so the mass of p_g in each cell is
the share of those images in it (exact as K grows; K = 65536 costs a few ms). p_data's cell masses are exact
(differences of the mixture's CDF). The JSD of those cell masses is the true JSD of the two distributions
coarse-grained to the cells, itself a lower bound of the continuous one that it approaches as the cells shrink.
With more noise dimensions the images of K seeded Monte-Carlo draws stand in for the quantiles.
"""

from __future__ import annotations

import math

import numpy as np
import torch

EXACT_NOISE = 65536
LOG2 = math.log(2.0)


def noise_quantiles(k: int, dist: str) -> np.ndarray:
    """K stratified noise values of a 1-D p_z (the midpoints of K equal-mass intervals), float32 (K, 1)."""
    u = (np.arange(k, dtype=np.float64) + 0.5) / k
    if dist == "gaussian":
        z = torch.special.ndtri(torch.from_numpy(u)).numpy()
    elif dist == "uniform":
        z = 2.0 * u - 1.0
    else:
        raise ValueError(f"unknown noise distribution {dist!r}")
    return z.astype(np.float32)[:, None]


def cell_masses_of_samples(x: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, float]:
    """The share of the points x in each cell between `edges`, and the share outside them (or non-finite)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    ok = np.isfinite(x)
    counts, _ = np.histogram(x[ok], bins=edges)
    inside = counts / max(len(x), 1)
    return inside, max(0.0, 1.0 - float(inside.sum()))


def mixture_cell_masses(target, edges: np.ndarray) -> tuple[np.ndarray, float]:
    """Exact probability of a 1-D Gaussian mixture in each cell, and outside the cells."""
    means = np.asarray(target.means, dtype=np.float64).reshape(-1)
    stds = np.asarray(target.stds, dtype=np.float64).reshape(-1)
    w = np.asarray(target.weights, dtype=np.float64).reshape(-1)
    zs = (np.asarray(edges, dtype=np.float64)[None, :] - means[:, None]) / stds[:, None]
    cdf = 0.5 * (1.0 + _erf(zs / math.sqrt(2.0)))
    per_cell = (w[:, None] * np.diff(cdf, axis=1)).sum(0)
    return per_cell, max(0.0, 1.0 - float(per_cell.sum()))


def discrete_jsd(p: np.ndarray, q: np.ndarray) -> float:
    """JSD in nats of two probability vectors (each sums to 1), with 0 log 0 = 0."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(p > 0, p * np.log(p / m), 0.0)
        b = np.where(q > 0, q * np.log(q / m), 0.0)
    return float(min(max(0.5 * (a.sum() + b.sum()), 0.0), LOG2))


def true_jsd_1d(target, G, grid, noise_dim: int, dist: str, device="cpu", k: int = EXACT_NOISE,
                seed: int = 0) -> float:
    """JSD(p_data || p_g) of a 1-D world on the grid's cells (plus one cell for all mass outside the box).

    G: the generator (a torch module: noise (K, noise_dim) -> (K, 1)). noise_dim 1: stratified quantiles
    (exact as K grows); more: K seeded Monte-Carlo draws. NaN if G gives no finite point."""
    edges = grid.xmin + grid.dx * np.arange(grid.n + 1, dtype=np.float64)
    if noise_dim == 1:
        z = torch.from_numpy(noise_quantiles(k, dist))
    else:
        g = torch.Generator().manual_seed(seed)
        z = torch.randn(k, noise_dim, generator=g) if dist == "gaussian" else \
            torch.rand(k, noise_dim, generator=g) * 2.0 - 1.0
    with torch.no_grad():
        x = G(z.to(device)).float().cpu().numpy()
    if not np.isfinite(x).any():
        return float("nan")
    q_in, q_out = cell_masses_of_samples(x, edges)
    p_in, p_out = mixture_cell_masses(target, edges)
    return discrete_jsd(np.append(p_in, p_out), np.append(q_in, q_out))


def _erf(x: np.ndarray) -> np.ndarray:
    return torch.special.erf(torch.from_numpy(np.asarray(x, dtype=np.float64))).numpy()
