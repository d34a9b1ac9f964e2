"""Mode-coverage metrics of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018).

A generated sample is high quality (HQ) when its standardised distance
sqrt(sum((x - mu)^2 / sigma^2)) to the nearest mode (nearest in that same standardised distance)
is below a threshold, 3 by default. A mode is captured when at least `min_count` HQ samples are
nearest to it. The papers score about 2500 samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_CHUNK_ELEMS = 1 << 20  # samples x modes per chunk (about 8 MB of float64)


@dataclass(frozen=True)
class Coverage:
    n_modes: int
    modes_captured: int
    hq_fraction: float  # share of ALL samples (non-finite ones included) that are high quality
    per_mode: np.ndarray  # (K,) int: HQ samples nearest each mode
    hq: np.ndarray  # (N,) bool
    nearest: np.ndarray  # (N,) int: nearest mode in standardised distance; -1 for non-finite samples


def mode_coverage(samples: np.ndarray, target, threshold: float = 3.0, min_count: int = 1) -> Coverage:
    """Score generated samples (N, dim) against a GaussianMixture target of that dim (see the module docstring).

    Non-finite samples are never HQ and have nearest = -1. min_count below 1 counts as 1 (a mode
    with no HQ sample is never captured). Works in chunks over the samples, so
    hundreds of modes and many thousands of samples stay within a few MB.
    """
    if hasattr(samples, "detach"):  # a torch tensor
        samples = samples.detach().cpu().numpy()
    means = np.asarray(target.means, dtype=np.float64)
    x = np.asarray(samples, dtype=np.float64).reshape(-1, means.shape[1])
    inv_var = 1.0 / np.asarray(target.stds, dtype=np.float64) ** 2
    k = len(means)
    n = len(x)
    finite = np.isfinite(x).all(axis=1)
    nearest = np.full(n, -1, dtype=np.intp)
    d2min = np.full(n, np.inf)
    idx = np.flatnonzero(finite)
    step = max(1, _CHUNK_ELEMS // k)
    for s in range(0, len(idx), step):
        rows = idx[s:s + step]
        d2 = ((x[rows, None, :] - means[None, :, :]) ** 2).sum(-1) * inv_var[None, :]  # (c, K)
        j = d2.argmin(axis=1)
        nearest[rows] = j
        d2min[rows] = d2[np.arange(len(rows)), j]
    hq = d2min < float(threshold) ** 2
    per_mode = np.bincount(nearest[hq], minlength=k).astype(np.int64)
    return Coverage(
        n_modes=k,
        modes_captured=int((per_mode >= max(int(min_count), 1)).sum()),
        hq_fraction=float(hq.sum() / n) if n else 0.0,
        per_mode=per_mode,
        hq=hq,
        nearest=nearest,
    )


def on_top_modes(cov: Coverage, top: int = 1) -> float:
    """Share of ALL samples that are high quality AND nearest one of the `top` modes holding the most HQ
    samples: how much of the generator's mass sits ON its favourite mode(s).

    This is what "mode collapse" means on a mixture: 1 when every sample lies within the threshold of a
    single mode (top=1), about top/K when the samples cover K modes evenly, and 0 for a cloud, however
    compact, that lies away from every mode (unlike the share of samples merely *nearest* one mode, which
    is 1 for any distant blob).
    """
    n = len(cov.hq)
    if n == 0 or top < 1:
        return 0.0
    counts = np.sort(cov.per_mode)[::-1][: int(top)]
    return float(counts.sum() / n)


def top_hq_mode(cov: Coverage) -> int:
    """Index of the mode with the most high-quality samples (the lowest index on a tie); -1 when no sample
    is high quality."""
    if cov.per_mode.size == 0 or cov.per_mode.max() <= 0:
        return -1
    return int(cov.per_mode.argmax())
