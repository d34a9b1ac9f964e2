"""Checkpoint metrics of every member of a BatchedTrainer, scored as the app's Observer scores one run.

What is batched: the generated samples (one stacked G forward over every member's fixed display noise) and
the mode coverage (one numpy pass over (members, samples, modes)); JSD loops theory.compute_theory per
member (its grid KDE is numpy work per sample set, with nothing shared between members to batch).

Each member's samples are G(z) with z the Observer's fixed display noise for that member's seed
(observer.SEED_OFFSET_DISPLAY), so member i's numbers equal those of Observer(batch.extract(i)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from .grid import Grid
from .networks import sample_noise
from .observer import SEED_OFFSET_DISPLAY
from .theory import compute_theory

if TYPE_CHECKING:
    from .batched import BatchedTrainer

_CHUNK_ELEMS = 1 << 21  # members x samples x modes per chunk (16 MB of float64)


@dataclass(frozen=True)
class BatchedCoverage:
    """coverage.Coverage's summary numbers, one per member."""

    modes_captured: np.ndarray  # (N,) int
    hq_fraction: np.ndarray  # (N,) float: share of ALL samples that are high quality
    per_mode: np.ndarray  # (N, K) int: HQ samples nearest each mode


def mode_coverage_batched(samples, target, threshold: float = 3.0, min_count: int = 1) -> BatchedCoverage:
    """coverage.mode_coverage for (N, S, 2) samples at once, with its exact arithmetic (same distances, same
    nearest mode, same threshold; non-finite samples are never high quality)."""
    if hasattr(samples, "detach"):
        samples = samples.detach().cpu().numpy()
    x = np.asarray(samples, dtype=np.float64)
    n_members, n = x.shape[0], x.shape[1]
    means = np.asarray(target.means, dtype=np.float64)
    inv_var = 1.0 / np.asarray(target.stds, dtype=np.float64) ** 2
    k = len(means)
    finite = np.isfinite(x).all(axis=-1)
    x = np.where(finite[..., None], x, 0.0)
    nearest = np.zeros((n_members, n), dtype=np.intp)
    d2min = np.full((n_members, n), np.inf)
    step = max(1, _CHUNK_ELEMS // (k * max(n_members, 1)))
    for s in range(0, n, step):
        d2 = ((x[:, s:s + step, None, :] - means[None, None]) ** 2).sum(-1) * inv_var  # (N, c, K)
        j = d2.argmin(axis=-1)
        nearest[:, s:s + step] = j
        d2min[:, s:s + step] = np.take_along_axis(d2, j[..., None], axis=-1)[..., 0]
    d2min[~finite] = np.inf
    hq = d2min < float(threshold) ** 2
    flat = (np.arange(n_members)[:, None] * k + nearest)[hq]
    per_mode = np.bincount(flat, minlength=n_members * k).reshape(n_members, k).astype(np.int64)
    return BatchedCoverage(
        modes_captured=(per_mode >= max(int(min_count), 1)).sum(axis=1),
        hq_fraction=hq.sum(axis=1) / n if n else np.zeros(n_members),
        per_mode=per_mode,
    )


def display_noise(batch: BatchedTrainer, n: int) -> torch.Tensor:
    """(N, n, noise dim): each member's fixed display noise batch, as the Observer of its run draws it."""
    c = batch.configs[0].noise
    zs = []
    for cfg in batch.configs:
        g = torch.Generator(device=batch.device).manual_seed(cfg.train.seed + SEED_OFFSET_DISPLAY)
        zs.append(sample_noise(n, c.dim, c.dist, generator=g, device=batch.device))
    return torch.stack(zs)


@torch.no_grad()
def member_samples(batch: BatchedTrainer, n: int | None = None) -> np.ndarray:
    """(N, n, 2) float32: every member's G on its display noise, one batched forward (n defaults to
    theory.samples). A diverged member's G is the one it had when it diverged (it is no longer updated)."""
    n = int(n or batch.configs[0].theory.samples)
    z = display_noise(batch, n)
    return batch.G(z).cpu().numpy().astype(np.float32)


def checkpoint(batch: BatchedTrainer, samples: int | None = None, jsd: bool = True) -> dict[str, np.ndarray]:
    """Per member: iteration, modes_captured, hq_fraction and (with jsd) jsd in nats, on the Observer's grid
    and bandwidth (theory.grid, theory.bandwidth). Arrays of shape (N,)."""
    fake = member_samples(batch, samples)
    cov = mode_coverage_batched(fake, batch.target)
    out = {"iteration": batch.iterations.copy(), "modes_captured": cov.modes_captured,
           "hq_fraction": cov.hq_fraction}
    if jsd:
        th = batch.configs[0].theory
        grid = Grid.for_target(batch.target, n=th.grid)
        h = th.bandwidth or None
        with np.errstate(invalid="ignore", over="ignore"):
            out["jsd"] = np.array([compute_theory(batch.target, f, grid, h=h).jsd for f in fake])
    return out
