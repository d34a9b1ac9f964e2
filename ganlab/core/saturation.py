"""Why the non-saturating generator loss exists, as numbers: the generator's per-sample losses and their slopes
with respect to D's logit l, on a grid of D and at the current batch's D(G(z)).

The lecture (formulas (7)-(9)) argues that -log D is steeper than log(1 - D) near D = 0. What reaches the
generator is the gradient through the logit (D = sigmoid(l)), where the contrast is stark and exact:

    minimax         l_G = log(1 - D) = -softplus(l)     dl_G/dl = -D
    non-saturating  l_G = -log D     = softplus(-l)     dl_G/dl = -(1 - D)

Early in training D(G(z)) ~ 0, so the minimax gradient (about D) vanishes while the non-saturating one (about 1)
does not; the mean |dl_G/dl| over a batch measures that at any moment of a run. The trainer's G loss is the batch
MEAN of these per-sample losses (core/losses.py g_loss), so its gradient w.r.t. one logit is the slope / N.

LSGAN, as the trainer defines it (a = -1, b = 1, c = 0 on the logit, D = (l + 1) / 2 on the [0, 1] scale):
    l_G = 1/2 l^2 = 2 (D - 1/2)^2                        dl_G/dl = l = 2 D - 1
G wants D undecided (c = 0), not fooled: the textbook 1/2 (D - 1)^2 (c = 1) would be 1/8 (l - 1)^2 with slope
(D - 1) / 2. Either way the slope grows with the distance from the target: no saturation, but no probability
either once |l| > 1 (the [0, 1] reading is clipped there, the slope is not).
WGAN-GP and hinge: l_G = -l, slope -1: magnitude 1 everywhere, nothing to saturate, and no probability.

Pure numpy (views import it; torch is loaded later than the window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

PROB_LOSSES = ("minimax", "nonsaturating", "lsgan")   # losses whose D reads as a probability
LOG_LOSSES = ("minimax", "nonsaturating")             # the pair the lecture compares (shared L_D)
CRITIC_LOSSES = ("wgan-gp", "hinge")
CURVE_REACH = 7.0      # the D grid spans sigmoid(-7) .. sigmoid(7) (~0.0009 .. 0.9991): log curves stay framed
CURVE_POINTS = 401
MAX_POINTS = 500       # at most this many batch points are drawn (the means use the whole batch)


def sigmoid(logits) -> np.ndarray:
    """Stable logistic function in float64 (no overflow warning for large |l|)."""
    l = np.asarray(logits, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -l))


def softplus(x) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def prob(loss: str, logits) -> np.ndarray | None:
    """D on the [0, 1] scale, the same mapping as core.losses.logits_to_prob (without torch); None for a critic."""
    _check(loss)
    if loss in CRITIC_LOSSES:
        return None
    l = np.asarray(logits, dtype=np.float64)
    if loss == "lsgan":
        return np.clip((l + 1.0) * 0.5, 0.0, 1.0)
    return sigmoid(l)


def g_loss_per_sample(loss: str, logits) -> np.ndarray:
    """l_G(l) for each logit; the trainer's L_G is their mean."""
    _check(loss)
    l = np.asarray(logits, dtype=np.float64)
    if loss == "minimax":
        return -softplus(l)
    if loss == "nonsaturating":
        return softplus(-l)
    if loss == "lsgan":
        return 0.5 * l * l
    return -l


def g_slope(loss: str, logits) -> np.ndarray:
    """dl_G/dl for each logit (the module docstring derives them)."""
    _check(loss)
    l = np.asarray(logits, dtype=np.float64)
    if loss == "minimax":
        return -sigmoid(l)
    if loss == "nonsaturating":
        return -sigmoid(-l)            # -(1 - D), without the cancellation of 1 - D near D = 1
    if loss == "lsgan":
        return l.copy()
    return -np.ones_like(l)


def mean_grad_magnitude(loss: str, logits) -> float:
    """mean |dl_G/dl| over the batch: minimax mean(D), non-saturating mean(1 - D), lsgan mean |l|, critics 1.
    NaN for an empty batch; non-finite logits are skipped."""
    s = np.abs(g_slope(loss, logits))
    s = s[np.isfinite(s)]
    return float(s.mean()) if s.size else float("nan")


def loss_of_d(loss: str, d) -> np.ndarray:
    """l_G as a function of D in (0, 1) (the curves): log(1 - D), -log D, 2 (D - 1/2)^2."""
    d = np.asarray(d, dtype=np.float64)
    with np.errstate(divide="ignore"):
        if loss == "minimax":
            return np.log1p(-d)
        if loss == "nonsaturating":
            return -np.log(d)
        if loss == "lsgan":
            return 2.0 * (d - 0.5) ** 2
    raise ValueError(f"{loss!r} has no probability reading: its loss is not a function of D")


def slope_of_d(loss: str, d) -> np.ndarray:
    """dl_G/dl written through D: -D, -(1 - D), 2 D - 1."""
    d = np.asarray(d, dtype=np.float64)
    if loss == "minimax":
        return -d
    if loss == "nonsaturating":
        return d - 1.0
    if loss == "lsgan":
        return 2.0 * d - 1.0
    raise ValueError(f"{loss!r} has no probability reading: its slope is -1 whatever the critic says")


@dataclass(frozen=True)
class Curves:
    """The generator losses and their |slope| w.r.t. the logit on a grid of D (read-only arrays)."""

    d: np.ndarray
    loss: dict[str, np.ndarray]
    grad: dict[str, np.ndarray]     # |dl_G/dl|


@lru_cache(maxsize=4)
def curves(n: int = CURVE_POINTS, reach: float = CURVE_REACH) -> Curves:
    """The curves on D = sigmoid(t), t evenly spaced in [-reach, reach]: dense near 0 and 1, where the logs bend."""
    d = sigmoid(np.linspace(-reach, reach, int(n)))
    loss = {k: loss_of_d(k, d) for k in PROB_LOSSES}
    grad = {k: np.abs(slope_of_d(k, d)) for k in PROB_LOSSES}
    for a in (d, *loss.values(), *grad.values()):
        a.setflags(write=False)
    return Curves(d, loss, grad)


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most max_points of n samples, evenly strided (the same ones for the same n)."""
    step = max(1, -(-int(n) // max(int(max_points), 1)))
    return np.arange(0, int(n), step)


@dataclass
class BatchSaturation:
    """The batch's D(G(z)) on the curves, and each loss's mean gradient magnitude over the whole batch."""

    loss: str                        # the active loss (snap.loss)
    n: int                           # samples in the batch (finite logits)
    d: np.ndarray | None             # (m,) D at the drawn samples (m <= max_points); None for a critic
    logits: np.ndarray               # (m,) their logits
    loss_values: dict[str, np.ndarray] = field(default_factory=dict)   # per curve: l_G at the drawn samples
    grad_values: dict[str, np.ndarray] = field(default_factory=dict)   # per curve: |dl_G/dl| there
    mean_grad: dict[str, float] = field(default_factory=dict)          # per loss: mean |dl_G/dl| over the batch

    @property
    def critic(self) -> bool:
        return self.d is None


def compared_losses(loss: str) -> tuple[str, ...]:
    """The losses whose curves and numbers describe a batch trained with `loss`.

    Minimax and non-saturating share L_D and D = sigmoid(l), so the same batch reads on both (the comparison the
    lecture makes); LSGAN's D has its own scale and critics have none."""
    _check(loss)
    if loss in LOG_LOSSES:
        return LOG_LOSSES
    return (loss,)


def batch_saturation(loss: str, logits, max_points: int = MAX_POINTS) -> BatchSaturation:
    """Per-sample values and slopes at (at most max_points of) the batch's logits, and the mean |slope| per loss."""
    _check(loss)
    l = np.asarray(logits, dtype=np.float64).reshape(-1)
    l = l[np.isfinite(l)]
    names = compared_losses(loss)
    means = {k: mean_grad_magnitude(k, l) for k in names}
    drawn = l[thin(len(l), max_points)]
    d = prob(loss, drawn)
    values, grads = {}, {}
    if d is not None:
        for k in names:
            values[k] = g_loss_per_sample(k, drawn)
            grads[k] = np.abs(g_slope(k, drawn))
    return BatchSaturation(loss, int(len(l)), d, drawn, values, grads, means)


def _check(loss: str) -> None:
    if loss not in PROB_LOSSES and loss not in CRITIC_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; expected one of {', '.join(PROB_LOSSES + CRITIC_LOSSES)}")
