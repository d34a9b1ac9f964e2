"""The analytic optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)), as a torch function of x.

Why: the GAN paper's derivation (Proposition 1, Theorem 1) lets D reach its optimum for the current G before
G moves; a trained network never quite does. With this oracle the generator can train against D* itself
(train.oracle_d: the idealised game, to compare with the real one), and the network D can be fitted to D*
(set_d_to_dstar, Trainer.fit_d_to_dstar: panel (b) of the paper's Figure 1).

p_data is the known mixture; p_g is only known through samples, so it is a Gaussian KDE of M generated points
with bandwidth h. p_data is smoothed by the same kernel (exact for a mixture: every mode's variance gains
h^2), as theory.py does for its D* heatmap and JSD: otherwise the KDE's blur alone would make D* differ from
1/2 for a perfect generator. The KDE's points are constants (detached): the derivation maximises D for a
fixed G, and only then does G move against that D. Everything works in `x.shape[-1]` dimensions (1 or 2).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .config import ORACLE_LOSSES
from .grid import Grid
from .losses import logits_to_prob
from .networks import sample_noise
from .theory import auto_bandwidth

ORACLE_SAMPLES = 512    # KDE points per G step: D*'s noise ~ 1/sqrt(M), the step's cost ~ M (~3x the real game's)
FIT_SAMPLES = 1024      # KDE points and samples of each density for fit_to_dstar (once, not every step)
FIT_STEPS = 300         # Adam steps of fit_to_dstar, on minibatches of FIT_BATCH points, lr FIT_LR (cosine decay)
FIT_BATCH = 256
FIT_LR = 2e-2
FIT_POLISH = 150        # L-BFGS iterations after Adam
FIT_GRID = 1024         # regular points over the box (per dimension: this ** (1 / dim))
SEED_OFFSET_FIT = 3     # the fit's samples: a stream apart from the trainer's (seed + 1, seed + 2)
_CHUNK = 1 << 22        # (points x centres x dim) elements per block: bounds the memory of a large batch
LOG_2PI = math.log(2.0 * math.pi)


def log_mixture(x: Tensor, means: Tensor, var: Tensor, log_w: Tensor) -> Tensor:
    """log sum_k w_k N(x; mu_k, var_k I) at points x (N, d): means (K, d), var (K,), log_w (K,).

    Exact differences, not |x|^2 - 2 x.mu + |mu|^2 (which loses the small distances of narrow kernels to
    float32 cancellation); blocks of points keep N * K * d bounded. Differentiable w.r.t. x.
    """
    d = x.shape[-1]
    const = log_w - 0.5 * d * (LOG_2PI + torch.log(var))   # (K,)
    step = max(1, _CHUNK // max(1, means.shape[0] * d))
    parts = []
    for s in range(0, x.shape[0], step):
        d2 = (x[s:s + step, None, :] - means[None]).square().sum(-1)   # (n, K)
        parts.append(torch.logsumexp(const - 0.5 * d2 / var, dim=1))
    return torch.cat(parts) if parts else x.new_zeros(0)


class OracleD(nn.Module):
    """D* of a target against a KDE of `samples` (M, d) with bandwidth h: forward(x) gives logit D*(x) =
    log p_data_h(x) - log p_g(x) at points x (N, d), differentiable w.r.t. x (not w.r.t. the samples)."""

    def __init__(self, target, samples: Tensor, h: float):
        super().__init__()
        h = float(h)
        if not (math.isfinite(h) and h > 0):
            raise ValueError(f"the KDE bandwidth h must be finite and > 0, got {h}")
        samples = samples.detach().reshape(samples.shape[0], -1)
        if samples.shape[0] == 0:
            raise ValueError("the oracle needs at least one generated sample")
        means = np.asarray(target.means, dtype=np.float64)
        if means.shape[1] != samples.shape[1]:
            raise ValueError(f"samples have {samples.shape[1]} dimension(s), the target {means.shape[1]}")
        dt, dev = samples.dtype, samples.device
        self.h = h
        self.dim = int(means.shape[1])
        # buffers, not attributes: .to(device) moves them with the module
        self.register_buffer("data_means", torch.tensor(means, dtype=dt, device=dev))
        self.register_buffer("data_var", torch.tensor(np.asarray(target.stds) ** 2 + h * h, dtype=dt, device=dev))
        self.register_buffer("data_log_w", torch.tensor(np.log(np.asarray(target.weights)), dtype=dt, device=dev))
        m = samples.shape[0]
        self.register_buffer("kde_means", samples.clone())
        self.register_buffer("kde_var", torch.full((m,), h * h, dtype=dt, device=dev))
        self.register_buffer("kde_log_w", torch.full((m,), -math.log(m), dtype=dt, device=dev))

    def log_p_data(self, x: Tensor) -> Tensor:
        """log of p_data convolved with the kernel, at x (N, d)."""
        return log_mixture(x, self.data_means, self.data_var, self.data_log_w)

    def log_p_g(self, x: Tensor) -> Tensor:
        """log of the KDE of the generated samples, at x (N, d)."""
        return log_mixture(x, self.kde_means, self.kde_var, self.kde_log_w)

    def forward(self, x: Tensor) -> Tensor:
        return self.log_p_data(x) - self.log_p_g(x)

    def prob(self, x: Tensor) -> Tensor:
        """D*(x) in [0, 1]."""
        return torch.sigmoid(self(x))


def check_loss(loss: str) -> None:
    """ValueError naming train.loss unless the loss has a closed-form D* (the oracle needs one)."""
    if loss not in ORACLE_LOSSES:
        raise ValueError(f"train.loss: '{loss}' has no closed-form optimal discriminator D*; the oracle D and "
                         f"'set D to D*' need one of {', '.join(ORACLE_LOSSES)}")


def loss_logits(loss: str, dstar_logit: Tensor) -> Tensor:
    """The optimal discriminator's logit for `loss`, from logit D*: the log losses use it as is; LSGAN's
    optimum (p_d - p_g) / (p_d + p_g) = 2 D* - 1 is tanh(logit / 2) (losses.CLOSED_FORM_DSTAR)."""
    check_loss(loss)
    return torch.tanh(0.5 * dstar_logit) if loss == "lsgan" else dstar_logit


def fit_box(points: Tensor, target, h: float) -> tuple[Tensor, Tensor]:
    """Per-dimension low and high corners holding the target to 4 sigma and every finite point, widened by a
    tenth of the span and 3 h each side (where D* still changes: the kernels' tails)."""
    means = torch.tensor(np.asarray(target.means), dtype=points.dtype, device=points.device)
    reach = 4.0 * float(np.max(target.stds))
    lo, hi = means.min(0).values - reach, means.max(0).values + reach
    ok = points[torch.isfinite(points).all(1)]
    if len(ok):
        lo, hi = torch.minimum(lo, ok.min(0).values), torch.maximum(hi, ok.max(0).values)
    pad = 0.1 * (hi - lo) + 3.0 * float(h)
    return lo - pad, hi + pad


def box_points(lo: Tensor, hi: Tensor, total: int = FIT_GRID) -> Tensor:
    """A regular grid of about `total` points over the box [lo, hi] (any dimension)."""
    d = lo.shape[0]
    k = max(2, math.ceil(total ** (1.0 / d)))
    axes = [torch.linspace(float(lo[i]), float(hi[i]), k, dtype=lo.dtype, device=lo.device) for i in range(d)]
    return torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1).reshape(-1, d)


def _fit_loss(loss: str, logits: Tensor, goal: Tensor) -> Tensor:
    # Log losses: cross-entropy against the soft label D*, minimised at logit D* and weighting errors on the
    # probability scale that |D - D*| is measured on (a least-squares fit of logits spent its steps on the
    # clipped far field). LSGAN's optimum 2 D* - 1 is linear in D*: least squares is that scale already.
    if loss == "lsgan":
        return (logits - goal).square().mean()
    return F.binary_cross_entropy_with_logits(logits, goal)


def fit_to_dstar(D: nn.Module, oracle: OracleD, loss: str, fit_points: Tensor, eval_points: Tensor,
                 steps: int = FIT_STEPS, polish: int = FIT_POLISH, generator: torch.Generator | None = None) -> float:
    """Fit D to the optimum of `loss` against the oracle at fit_points; returns the mean |D - D*| on the
    probability scale at eval_points (held out: samples of p_data and p_g).

    `steps` Adam steps on minibatches (its own Adam: the training optimizer's moments are left as they
    were), then `polish` L-BFGS iterations on the whole set: Adam alone needed ~3000 steps to bring D
    within 0.03 of D* on the narrow modes of ring8, L-BFGS from Adam's start gets there in ~150. Should
    L-BFGS fail (non-finite weights), D keeps Adam's result.
    """
    check_loss(loss)
    with torch.no_grad():
        dstar = oracle(fit_points)
        goal = torch.tanh(0.5 * dstar) if loss == "lsgan" else torch.sigmoid(dstar)
        dstar_eval = oracle.prob(eval_points)
    params = list(D.parameters())
    opt = torch.optim.Adam(params, lr=FIT_LR)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, steps))
    n = fit_points.shape[0]
    for _ in range(int(steps)):
        idx = torch.randint(n, (min(FIT_BATCH, n),), generator=generator).to(fit_points.device)
        opt.zero_grad(set_to_none=True)
        _fit_loss(loss, D(fit_points[idx]), goal[idx]).backward(inputs=params)
        opt.step()
        sched.step()
    if polish > 0:
        before = [p.detach().clone() for p in params]
        lbfgs = torch.optim.LBFGS(params, lr=1.0, max_iter=int(polish), history_size=50,
                                  line_search_fn="strong_wolfe", tolerance_grad=1e-9, tolerance_change=1e-12)

        def closure():
            lbfgs.zero_grad(set_to_none=True)
            value = _fit_loss(loss, D(fit_points), goal)
            value.backward(inputs=params)
            return value

        lbfgs.step(closure)
        if not all(bool(torch.isfinite(p).all()) for p in params):
            with torch.no_grad():
                for p, b in zip(params, before, strict=True):
                    p.copy_(b)
    for p in params:
        p.grad = None
    with torch.no_grad():
        err = (logits_to_prob(loss, D(eval_points)) - dstar_eval).abs().mean()
    return float(err)


def bandwidth(target, theory) -> float:
    """The oracle's KDE bandwidth h: theory.bandwidth, else the theory panel's automatic choice for the target's
    grid (theory: a config's TheoryConfig), so that the oracle is the D* the theory view draws."""
    if theory.bandwidth > 0:
        return float(theory.bandwidth)
    return auto_bandwidth(target, Grid.for_target(target, theory.grid))


def set_d_to_dstar(trainer, steps: int | None = None, polish: int | None = None, samples: int | None = None) -> float:
    """Fit trainer.D to the optimal D* of trainer.G, as closely as the network can; returns the mean |D - D*|
    (probability scale) over held-out samples of p_data and p_g, e.g. 0.02.

    D* is the oracle's, with a KDE of `samples` points of G (FIT_SAMPLES by default). D is fitted to it at as
    many samples of p_data and of p_g and a regular grid over their box (fit_to_dstar: `steps` Adam steps of
    its own optimizer, then `polish` L-BFGS iterations; ~1 s on a CPU for the default 2x64 D). G, the
    iteration, the loss history, opt_d's state and the training streams are left as they are: the fit draws
    from its own stream, seeded from the seed and the iteration, so it repeats. Freezing does not apply
    (this is an explicit edit of D). ValueError for a loss without a closed-form D* (naming train.loss) or a
    diverged G.
    """
    cfg = trainer.config
    check_loss(cfg.train.loss)
    n = int(samples or FIT_SAMPLES)
    g = torch.Generator(device="cpu").manual_seed(cfg.train.seed + SEED_OFFSET_FIT + trainer.iteration)
    c, device, target = cfg.noise, trainer.device, trainer.target
    with torch.no_grad():
        kde, fake, eval_fake = (trainer.G(sample_noise(n, c.dim, c.dist, generator=g).to(device)) for _ in range(3))
        real, eval_real = (target.sample(n, generator=g, device=device) for _ in range(2))
    if not all(bool(torch.isfinite(x).all()) for x in (kde, fake, eval_fake)):
        raise ValueError("G's samples are not finite (training diverged): reset before setting D to D*")
    h = bandwidth(target, cfg.theory)
    lo, hi = fit_box(torch.cat([real, fake]), target, h)
    points = torch.cat([real, fake, box_points(lo, hi)])
    return fit_to_dstar(trainer.D, OracleD(target, kde, h), cfg.train.loss, points, torch.cat([eval_real, eval_fake]),
                        FIT_STEPS if steps is None else steps, FIT_POLISH if polish is None else polish, generator=g)
