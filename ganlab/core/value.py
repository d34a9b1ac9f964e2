"""V(G, D) as the lecture defines it, from samples: E_{x~p_data} log D(x) + E_{z~p_z} log(1 - D(G(z))).

The grid integral of theory.py weighs log(1 - D) with a kernel-smoothed p_g. When G is sharper than the
kernel (a thin generator, a collapsed one) the smoothing puts p_g mass where D is confident that points are
real, and log(1 - D) there is -16: the grid read about -9 where the value of the game was about -0.4. The
sample mean has no such bias, and its standard error says how far to trust it. The grid stays what D* and
the JSD are computed on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .theory import D_CLIP

# Losses whose logit has a probability reading D in (0, 1), and how (losses.logits_to_prob is the same map).
_SIGMOID = ("minimax", "nonsaturating")
_AFFINE = ("lsgan",)


@dataclass(frozen=True)
class SampleValue:
    """The sample estimate of V(G, D), with its parts: value = mean_log_d_real + mean_log_1md_fake."""

    value: float
    stderr: float               # standard error of `value` (the two means are independent)
    mean_log_d_real: float      # (1/N) sum log D(x_i), x_i ~ p_data
    mean_log_1md_fake: float    # (1/M) sum log(1 - D(G(z_j)))
    n_real: int
    n_fake: int


def log_d_and_log_1md(loss: str, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """log D and log(1 - D) at the given logits, stable where D is confident; None for a loss with no
    probability reading (WGAN-GP, hinge). D is clipped to [D_CLIP, 1 - D_CLIP] as on the grid."""
    l = np.asarray(logits, dtype=np.float64)
    lo, hi = math.log(D_CLIP), math.log1p(-D_CLIP)
    if loss in _SIGMOID:
        # log sigmoid(l) = -log(1 + e^-l); log(1 - sigmoid(l)) = -log(1 + e^l)
        return np.clip(-np.logaddexp(0.0, -l), lo, hi), np.clip(-np.logaddexp(0.0, l), lo, hi)
    if loss in _AFFINE:
        d = np.clip((l + 1.0) * 0.5, D_CLIP, 1.0 - D_CLIP)
        return np.log(d), np.log1p(-d)
    return None


def value_from_samples(loss: str, real_logits, fake_logits) -> SampleValue | None:
    """V(G, D) from D's logits at real samples and at generated ones; None where the loss has no D in (0, 1)
    or a set is empty. Non-finite logits (a diverged D) give NaN."""
    real = log_d_and_log_1md(loss, real_logits)
    fake = log_d_and_log_1md(loss, fake_logits)
    if real is None or fake is None:
        return None
    a, b = real[0].ravel(), fake[1].ravel()
    if a.size == 0 or b.size == 0:
        return None
    ma, mb = float(a.mean()), float(b.mean())
    var = (float(a.var(ddof=1)) / a.size if a.size > 1 else 0.0) + (float(b.var(ddof=1)) / b.size if b.size > 1
                                                                     else 0.0)
    return SampleValue(value=ma + mb, stderr=math.sqrt(var), mean_log_d_real=ma, mean_log_1md_fake=mb,
                       n_real=int(a.size), n_fake=int(b.size))
