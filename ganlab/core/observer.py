"""Turns a trainer's state into a Snapshot: plain numpy copies that any thread may read.

The Observer keeps the displayed samples stable between frames: a fixed noise batch for the fake
cloud (each point can be followed as G learns) and fixed mode indices and offsets for the real
cloud (dragging a mode slides its points instead of re-drawing them). Its random streams are its
own, so watching a run never changes the numbers the run produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from . import losses
from .coverage import Coverage, mode_coverage
from .grid import Grid
from .history import History
from .networks import noise_grid, sample_noise
from .target import GaussianMixture
from .theory import TheoryFields, compute_theory
from .trainer import Trainer

METRIC_COLUMNS = ("step", "jsd", "v_estimate", "v_at_dstar", "kl_pg_pdata", "kl_pdata_pg",
                  "modes_captured", "hq_fraction")


@dataclass
class Snapshot:
    iteration: int
    target: GaussianMixture
    loss: str
    real: np.ndarray                    # (N, 2) float32
    fake: np.ndarray                    # (N, 2) float32
    grid: Grid
    d_logits: np.ndarray                # (n, n) float32, [iy, ix]
    d_prob: np.ndarray | None           # D(x) as a probability, None when the loss has no such reading
    theory: TheoryFields | None
    coverage: Coverage | None
    fake_push: np.ndarray | None = None     # (N, 2): -dL_G/dx at each fake point
    manifold: np.ndarray | None = None      # G over a noise grid: (m, 2) for 1-D noise, (m, m, 2) for 2-D
    losses: dict[str, np.ndarray] = field(default_factory=dict)   # per iteration (History.view())
    metrics: dict[str, np.ndarray] = field(default_factory=dict)  # per theory refresh
    status: str = "ok"
    message: str = ""
    device: str = "cpu"
    seed: int = 0
    freeze_g: bool = False
    freeze_d: bool = False
    theory_iteration: int = 0               # iteration at which D, D*, JSD and coverage were computed


class Observer:
    def __init__(self, trainer: Trainer, n_samples: int | None = None, grid_n: int | None = None):
        self.trainer = trainer
        self.metrics = History(METRIC_COLUMNS)
        self._n = n_samples
        self._grid_n = grid_n
        self._grid: Grid | None = None
        self._grid_key = None
        self._z: torch.Tensor | None = None
        self._z_key = None
        self._real_idx: np.ndarray | None = None
        self._real_eps: np.ndarray | None = None
        self._display_seed = trainer.config.train.seed + 101
        self._full: tuple | None = None  # last full evaluation (D on grid, theory, coverage)

    # ----------------------------------------------------------- display state
    @property
    def n_samples(self) -> int:
        return self._n or self.trainer.config.theory.samples

    def set_samples(self, n: int) -> None:
        self._n = n
        self._z = None
        self._real_idx = None

    def grid(self) -> Grid:
        t = self.trainer
        key = (t.target.bounds(), t.target.min_std, self._grid_n or t.config.theory.grid)
        if self._grid is None or key != self._grid_key:
            new = Grid.for_target(t.target, n=self._grid_n or t.config.theory.grid)
            # Keep the old box while the new target still fits: views must not jump during a drag.
            if self._grid is not None and new.n == self._grid.n and _fits(self._grid, t.target):
                new = self._grid
            self._grid, self._grid_key = new, key
        return self._grid

    def _noise(self) -> torch.Tensor:
        t = self.trainer
        c = t.config.noise
        key = (self.n_samples, c.dim, c.dist, t.device)
        if self._z is None or self._z_key != key:  # dist too: uniform noise must not show G on Gaussian z
            g = torch.Generator(device=t.device).manual_seed(self._display_seed)
            self._z = sample_noise(self.n_samples, c.dim, c.dist, generator=g, device=t.device)
            self._z_key = key
        return self._z

    def real_samples(self) -> np.ndarray:
        tgt = self.trainer.target
        if self._real_idx is None or len(self._real_idx) != self.n_samples or self._real_idx.max() >= tgt.n_modes:
            rng = np.random.default_rng(self._display_seed)
            self._real_idx = rng.choice(tgt.n_modes, size=self.n_samples, p=tgt.weights)
            self._real_eps = rng.standard_normal((self.n_samples, 2))
        pts = tgt.means[self._real_idx] + tgt.stds[self._real_idx, None] * self._real_eps
        return pts.astype(np.float32)

    def target_changed(self, structural: bool) -> None:
        """A mode was added or removed (structural) or moved/resized: redraw the real cloud's modes."""
        self._full = None  # D* depends on the target: the next snapshot recomputes it
        if structural:
            self._real_idx = None

    # --------------------------------------------------------------- snapshot
    def take(self, theory: bool = True, push: bool = False, manifold: bool = False,
             record: bool = True) -> Snapshot:
        """A snapshot of the current state.

        theory=False is the cheap frame: new point clouds, but D on the grid, D*, JSD and coverage
        are carried over from the last full snapshot (the app refreshes those ~10 times a second and
        the clouds every frame: the grid evaluation is most of a snapshot's cost).
        """
        t = self.trainer
        cfg = t.config
        grid = self.grid()
        z = self._noise()
        fake_push = None
        if push:
            fake_t, push_t = t.generator_push(z)
            fake = fake_t.cpu().numpy().astype(np.float32)
            fake_push = push_t.cpu().numpy().astype(np.float32)
        else:
            with torch.no_grad():
                fake = t.G(z).cpu().numpy().astype(np.float32)
        full = self._full
        if theory or full is None or full[0] is not grid or full[1] != cfg.train.loss:
            full = self._full = self._evaluate(grid, fake, record)
        _, _, d_logits, d_prob, fields, cov, theory_iteration = full
        man = None
        if manifold:
            zg = noise_grid(cfg.noise.dim, cfg.noise.dist, 48 if cfg.noise.dim == 2 else 400)
            if zg is not None:
                with torch.no_grad():
                    m = t.G(torch.from_numpy(zg).float().to(t.device)).cpu().numpy()
                man = m.reshape(48, 48, 2) if cfg.noise.dim == 2 else m
        if not np.all(np.isfinite(fake)):
            # finite for every reader, and off the grid: NaN at 0 drew a diverged G as a cluster at the origin
            fake = np.nan_to_num(fake, nan=1e6, posinf=1e6, neginf=-1e6)
        return Snapshot(
            iteration=t.iteration, target=t.target, loss=cfg.train.loss, real=self.real_samples(), fake=fake,
            grid=grid, d_logits=d_logits, d_prob=d_prob, theory=fields, coverage=cov, fake_push=fake_push,
            manifold=man, losses=t.losses.view(), metrics=self.metrics.view(), status=t.status,
            message=t.message, device=str(t.device), seed=cfg.train.seed, freeze_g=t.freeze_g,
            freeze_d=t.freeze_d, theory_iteration=theory_iteration)

    def _evaluate(self, grid: Grid, fake: np.ndarray, record: bool) -> tuple:
        t = self.trainer
        cfg = t.config
        with torch.no_grad():
            d_logits = t.D(torch.from_numpy(grid.points()).to(t.device)).reshape(grid.n, grid.n)
            d_logits = d_logits.float().cpu().numpy()
        with np.errstate(invalid="ignore"):  # a diverged D gives NaN logits: NaN probabilities, no warning
            d_prob = losses.logits_to_prob(cfg.train.loss, d_logits)
        fields = compute_theory(t.target, fake, grid, h=cfg.theory.bandwidth or None, d_prob=d_prob)
        cov = mode_coverage(fake, t.target)
        last = self.metrics.last()
        if record and (last is None or last["step"] != t.iteration):
            self.metrics.append(t.iteration, fields.jsd, fields.v_estimate, fields.v_at_dstar,
                                fields.kl_pg_pdata, fields.kl_pdata_pg, cov.modes_captured, cov.hq_fraction)
        d_prob = None if d_prob is None else d_prob.astype(np.float32)
        return grid, cfg.train.loss, d_logits, d_prob, fields, cov, t.iteration

    def clear(self) -> None:
        self.metrics.clear()
        self._full = None


def _fits(grid: Grid, target: GaussianMixture) -> bool:
    xmin, xmax, ymin, ymax = target.bounds()
    return xmin >= grid.xmin and xmax <= grid.xmax and ymin >= grid.ymin and ymax <= grid.ymax
