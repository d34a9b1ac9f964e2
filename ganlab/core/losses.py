"""GAN loss pairs (L_D, L_G) and gradient penalties, all written on discriminator logits.

Every log-loss goes through softplus (log D = -softplus(-l), log(1 - D) = -softplus(l)) because
log(sigmoid(l)) underflows to -inf once D is confident, and a confident D is exactly the regime the
playground is meant to show. L_D SUMS its real and fake terms (the GAN paper's convention), so at the
optimal D* the minimax L_D equals log 4 - 2 JSD(p_data || p_g); averaging would halve that identity.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .config import LOSSES

__all__ = [
    "LOSSES", "CLOSED_FORM_DSTAR", "has_closed_form_dstar", "check_loss", "d_loss", "g_loss",
    "gradient_penalty", "r1_penalty", "logits_to_prob",
]

CLOSED_FORM_DSTAR: dict[str, bool] = {
    "minimax": True,
    "nonsaturating": True,
    "lsgan": True,
    "wgan-gp": False,
    "hinge": False,
}
"""Whether the trained D can be compared with a closed-form optimum on a [0, 1] probability scale.

The two log losses share D* = p_d / (p_d + p_g) with D = sigmoid(l). LSGAN (a=-1, b=1, c=0) has the
optimal logit (p_d - p_g) / (p_d + p_g), which the map D = (l + 1) / 2 turns into that same D*.
A WGAN critic is only defined up to a constant, is Lipschitz-constrained and has no pointwise optimum
in terms of the densities (it approximates a Kantorovich potential), so there is nothing to compare.
Hinge's optimum sign(p_d - p_g) is a step function that carries no density ratio, so a D* heatmap
would be misleading.
"""


def check_loss(loss) -> None:
    """Raise ValueError naming the allowed losses; one place so every message is the same."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; expected one of {', '.join(LOSSES)}")


def has_closed_form_dstar(loss: str) -> bool:
    check_loss(loss)
    return CLOSED_FORM_DSTAR[loss]


def d_loss(loss: str, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """Discriminator loss (scalar, to minimise). WGAN-GP's penalty is separate: it needs D itself."""
    check_loss(loss)
    r, f = real_logits, fake_logits
    if loss in ("minimax", "nonsaturating"):
        # -[E_r log D + E_f log(1 - D)]
        return F.softplus(-r).mean() + F.softplus(f).mean()
    if loss == "lsgan":
        return 0.5 * (r - 1.0).square().mean() + 0.5 * (f + 1.0).square().mean()
    if loss == "wgan-gp":
        return f.mean() - r.mean()
    return F.relu(1.0 - r).mean() + F.relu(1.0 + f).mean()  # hinge


def g_loss(loss: str, fake_logits: Tensor) -> Tensor:
    """Generator loss (scalar, to minimise).

    minimax is E_f log(1 - D): its gradient wrt the logit is -sigmoid(l), which vanishes when D
    rejects fakes confidently; nonsaturating (-E_f log D) has -(1 - sigmoid(l)) there instead.
    """
    check_loss(loss)
    f = fake_logits
    if loss == "minimax":
        return -F.softplus(f).mean()
    if loss == "nonsaturating":
        return F.softplus(-f).mean()
    if loss == "lsgan":
        return 0.5 * f.square().mean()  # c = 0: G wants D undecided, not fooled
    return -f.mean()  # wgan-gp, hinge


def _input_grad(D: nn.Module, x: Tensor) -> Tensor:
    # create_graph=True: the penalty is a function of D's weights and must backpropagate into them.
    x = x.detach().requires_grad_(True)
    out = D(x)
    (grad,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    return grad.reshape(grad.shape[0], -1)


def gradient_penalty(D: nn.Module, real: Tensor, fake: Tensor,
                     generator: torch.Generator | None = None) -> Tensor:
    """WGAN-GP: mean (||grad_x D(x^)|| - 1)^2 on random interpolates x^ = e real + (1 - e) fake.

    Interpolates rather than the data: the optimal critic has unit gradient norm on the lines joining
    coupled real and fake points, so that is where the Lipschitz constraint is enforced.
    """
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    e = torch.rand(shape, generator=generator, device=real.device, dtype=real.dtype)
    x_hat = e * real.detach() + (1.0 - e) * fake.detach()
    norm = _input_grad(D, x_hat).norm(dim=1)
    return (norm - 1.0).square().mean()


def r1_penalty(D: nn.Module, real: Tensor) -> Tensor:
    """R1: mean ||grad_x D(x)||^2 over real samples; the caller multiplies by gamma / 2.

    Penalising D's slope on the data damps the rotation around the equilibrium (Mescheder et al. 2018).
    """
    return _input_grad(D, real).square().sum(dim=1).mean()


def logits_to_prob(loss: str, logits):
    """Map logits to the [0, 1] scale on which D is compared with D*; None where no such scale exists.

    Accepts np.ndarray or Tensor and returns the same type, so the GUI (numpy) and the trainer (torch)
    share one mapping.
    """
    check_loss(loss)
    if not CLOSED_FORM_DSTAR[loss]:
        return None
    if isinstance(logits, Tensor):
        if loss == "lsgan":
            return ((logits + 1.0) * 0.5).clamp(0.0, 1.0)
        return torch.sigmoid(logits)
    l = np.asarray(logits)
    if not np.issubdtype(l.dtype, np.floating):
        l = l.astype(np.float64)
    if loss == "lsgan":
        return np.clip((l + 1.0) * 0.5, 0.0, 1.0)
    # sigmoid via logaddexp: no overflow warning for large |l|.
    return np.exp(-np.logaddexp(0.0, -l)).astype(l.dtype, copy=False)
