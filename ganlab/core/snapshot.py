"""The contract between the training side and everything that shows it: a Snapshot is one frame of a run,
plain numpy and frozen-in-time copies, so any thread may read it and no view needs torch or the trainer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .coverage import Coverage
from .events import Event
from .grid import Grid
from .target import GaussianMixture
from .theory import TheoryFields
from .value import SampleValue

# v_estimate is V(G, D) integrated on the grid against the smoothed densities (the lessons' "gap" compares it with
# v_at_dstar, the same integral at D*); v_samples is V(G, D) as the lecture defines it, a sample mean (core/value.py),
# v_stderr its standard error, w1 the Wasserstein-1 distance between samples (NaN where not computed that time).
METRIC_COLUMNS = ("step", "jsd", "v_estimate", "v_at_dstar", "kl_pg_pdata", "kl_pdata_pg",
                  "modes_captured", "hq_fraction", "v_samples", "v_stderr", "w1", "n_modes")
# The columns of sessions saved before v_samples, v_stderr and w1 (V1) and before n_modes (V2, the target's mode
# count at each row, which the coverage curve divides by): they load with the newer columns as NaN.
METRIC_COLUMNS_V1 = METRIC_COLUMNS[:8]
METRIC_COLUMNS_V2 = METRIC_COLUMNS[:11]


@dataclass
class Snapshot:
    """One frame of a run as plain numpy: what every view and export reads, from any thread.

    Points have the target's dimension d = target.dim (grid.dim): d = 2 on the plane, d = 1 on a line (then the
    grid is a Grid1D and every field on it has shape (n,) instead of (n, n)).
    """

    iteration: int
    target: GaussianMixture
    loss: str
    real: np.ndarray                    # (N, d) float32
    fake: np.ndarray                    # (N, d) float32
    grid: Grid
    d_logits: np.ndarray                # grid.shape float32: (n, n) [iy, ix] in 2-D, (n,) in 1-D
    d_prob: np.ndarray | None           # D(x) as a probability, None when the loss has no such reading
    theory: TheoryFields | None
    coverage: Coverage | None
    fake_push: np.ndarray | None = None     # (N, d): -dL_G/dx at each fake point
    manifold: np.ndarray | None = None      # G over a noise grid: (m, d) for 1-D noise, (m, m, d) for 2-D
    losses: dict[str, np.ndarray] = field(default_factory=dict)   # per iteration (History.view())
    metrics: dict[str, np.ndarray] = field(default_factory=dict)  # per theory refresh
    status: str = "ok"
    message: str = ""
    device: str = "cpu"
    seed: int = 0
    freeze_g: bool = False
    freeze_d: bool = False
    theory_iteration: int = 0               # iteration at which D, D*, JSD and coverage were computed
    has_dstar: bool = True                  # the loss has the closed-form optimum D* = p_data / (p_data + p_g)
    events: tuple[Event, ...] = ()          # settings changed during the run, oldest first (EventLog.view())
    # From the same evaluation as d_logits and theory (at theory_iteration), so they agree with each other:
    value: SampleValue | None = None        # V(G, D) from samples with its standard error; None without D in (0, 1)
    eval_real: np.ndarray | None = None     # (N, d) the real samples it used
    eval_fake: np.ndarray | None = None     # (N, d) the generated samples it used
    real_logits: np.ndarray | None = None   # (N,) D's logits at eval_real
    fake_logits: np.ndarray | None = None   # (N,) D's logits at eval_fake
    w1: float = float("nan")                # Wasserstein-1 between real and generated samples, NaN if not computed
    jsd_exact: float = float("nan")         # the JSD without a kernel where it is known (1-D world), else NaN
    # The fixed display noise batch z (N, noise_dim) float32, read-only, row by row with `fake`: fake[i] = G(noise[i])
    # (the 1-D view draws the paper's lines from z to G(z)); None where the snapshot was not made by an Observer.
    noise: np.ndarray | None = None
