"""What a lesson's claims can bound: the metrics of one moment of a run (METRICS names and explains them), and
`measure`, which reads them all from a trainer and its observer. Kept apart from the lesson files' parsing so
that each stays one concept."""

from __future__ import annotations

import math

import numpy as np

from .coverage import on_top_modes, top_hq_mode

METRICS: dict[str, str] = {
    "jsd": "JSD(p_data || p_g) on the grid, nats (kernel-smoothed: a lower bound)",
    "v_estimate": "V(G, D) on the grid against the smoothed densities, formula (11)",
    "v_samples": "V(G, D) from samples (the lecture's definition; the curve on screen), formula (10)",
    "v_at_dstar": "V(G, D*) = -log 4 + 2 JSD of the smoothed densities, formula (15): a lower bound of the true one",
    "gap": "V(G, D*) - V(G, D), both on the grid against the smoothed densities (>= 0): how far D is from the "
           "smoothed D*",
    "samples_above": "V(G, D) from samples minus the smoothed V(G, D*): > 0 shows the smoothed bound is below "
                     "the true V(G, D*)",
    "jsd_exact": "JSD(p_data || p_g) without the kernel, nats (the 1-D world: exact1d.py; NaN in 2-D)",
    "kl_pg_pdata": "KL(p_g || p_data) on the grid, nats",
    "modes_captured": "modes with at least one high-quality sample (3-sigma rule, VEEGAN)",
    "hq_fraction": "share of samples within 3 sigma of a mode",
    "top_mode": "index of the mode nearest to the most samples",
    "top_mode_share": "share of samples whose nearest mode is the top mode (1/K when spread evenly; 1 for ANY "
                      "compact cloud, on a mode or far from all: not a collapse test, use on_top_mode)",
    "on_top_mode": "share of ALL samples within 3 sigma of the mode holding most such samples (1: all ON one mode; "
                   "0: none on any mode, e.g. a blob far away)",
    "on_top2_modes": "share of ALL samples within 3 sigma of the two modes holding most such samples",
    "hq_top_mode": "index of the mode with the most samples within 3 sigma; NaN when none is (a bound then fails; "
                   "distinct_min leaves such steps out)",
    "d_fake": "mean D(G(z)) over the displayed samples (log losses only)",
    "loss_d": "L_D of the last iteration",
    "loss_g": "L_G of the last iteration",
    "grad_norm_g": "norm of the generator's gradient in the last iteration",
}


def measure(trainer, observer) -> dict[str, float]:
    """Every metric of METRICS for the trainer's current state (a full observer snapshot)."""
    import torch

    from .losses import logits_to_prob

    snap = observer.take(theory=True)
    th, cov = snap.theory, snap.coverage
    hq_top = top_hq_mode(cov)
    counts = np.bincount(cov.nearest[cov.nearest >= 0], minlength=cov.n_modes)
    n = max(len(cov.nearest), 1)
    with torch.no_grad():
        logits = trainer.D(torch.from_numpy(snap.fake).to(trainer.device)).float().cpu()
    prob = logits_to_prob(trainer.config.train.loss, logits)
    last = trainer.last
    return {
        "jsd": th.jsd, "v_estimate": th.v_estimate, "v_at_dstar": th.v_at_dstar,
        "gap": th.v_at_dstar - th.v_estimate, "kl_pg_pdata": th.kl_pg_pdata,
        "v_samples": math.nan if snap.value is None else snap.value.value, "jsd_exact": snap.jsd_exact,
        "samples_above": math.nan if snap.value is None else snap.value.value - th.v_at_dstar,
        "modes_captured": float(cov.modes_captured), "hq_fraction": cov.hq_fraction,
        "top_mode": float(counts.argmax()), "top_mode_share": float(counts.max() / n),
        "on_top_mode": on_top_modes(cov, 1), "on_top2_modes": on_top_modes(cov, 2),
        "hq_top_mode": math.nan if hq_top < 0 else float(hq_top),
        "d_fake": math.nan if prob is None else float(prob.mean()),
        "loss_d": last.loss_d, "loss_g": last.loss_g, "grad_norm_g": last.grad_norm_g,
        "iteration": float(trainer.iteration),
    }
