"""Turns a trainer's state into a Snapshot: plain numpy copies that any thread may read.

The Observer keeps the displayed samples stable between frames: a fixed noise batch for the fake
cloud (each point can be followed as G learns) and fixed mode indices and offsets for the real
cloud (dragging a mode slides its points instead of re-drawing them). Its random streams are its
own, so watching a run never changes the numbers the run produces. A 1-D target gives 1-D snapshots: points
(N, 1), a Grid1D and fields of shape (n,) (see Snapshot). Beside the metric history it keeps
the run's events (settings changed at an iteration: core/events.py), cleared with it.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from . import losses
from .config import Config
from .coverage import mode_coverage
from .events import Event, EventLog, config_events, format_value, freeze_events
from .exact1d import true_jsd_1d
from .grid import Grid, Grid1D
from .history import History
from .networks import noise_grid, sample_noise
from .snapshot import METRIC_COLUMNS, Snapshot
from .target import GaussianMixture
from .theory import TheoryFields, compute_theory
from .trainer import Trainer
from .value import SampleValue, value_from_samples
from .wasserstein import w1_1d, w1_2d

# The display samples (the fixed noise batch and the real cloud) are drawn from train.seed plus this offset:
# a stream apart from the trainer's (seed, and seed + its SEED_OFFSET_DATA and SEED_OFFSET_NOISE).
SEED_OFFSET_DISPLAY = 101
# W1 between this many real and generated samples: the exact 2-D assignment costs ~0.07 s at 128 (0.33 s at 256),
# so it is computed on a subset, at most once per Observer.w1_interval seconds where that is set (the app).
W1_SAMPLES = 128
# Noise quantiles for the 1-D world's kernel-free JSD (exact1d.py): 16384 keep it to ~2 ms a full evaluation.
EXACT_NOISE_APP = 16384


@dataclass(frozen=True, eq=False)
class TheoryJob:
    """Everything a full evaluation reads, copied at one iteration, so that it can run on another thread
    while training goes on (the app does this: the grid pass is most of a snapshot's cost, and torch and
    numpy run it without the GIL that training needs)."""

    grid: Grid
    loss: str
    D: nn.Module              # a copy of the discriminator: training may change the original meanwhile
    fake: np.ndarray
    target: GaussianMixture
    bandwidth: float | None
    device: torch.device
    iteration: int
    generation: int           # Observer.generation when copied: accept() drops a result that is stale
    real: np.ndarray | None = None   # the real samples V(G, D) is estimated from (None: no sample value)
    w1: bool = False                 # compute the Wasserstein-1 distance this time
    jsd_exact: float = float("nan")  # the kernel-free JSD where it can be had (1-D world: exact1d.py)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """What evaluate() found for one job: D on the grid, the theory, coverage and the sample values."""

    grid: Grid
    loss: str
    d_logits: np.ndarray
    d_prob: np.ndarray | None
    theory: TheoryFields
    coverage: object
    iteration: int
    generation: int
    value: SampleValue | None = None
    real: np.ndarray | None = None
    fake: np.ndarray | None = None
    real_logits: np.ndarray | None = None
    fake_logits: np.ndarray | None = None
    w1: float = float("nan")
    jsd_exact: float = float("nan")


def evaluate(job: TheoryJob) -> Evaluation:
    """D on the grid, D*, JSD, coverage and V(G, D) from samples for a job: a pure function of the copies in it."""
    pts = job.grid.points()
    n_grid = len(pts)
    parts = [pts, job.fake.reshape(len(job.fake), -1)]
    if job.real is not None:
        parts.append(job.real.reshape(len(job.real), -1))
    with torch.no_grad():   # one pass over the grid and both sample sets
        out = job.D(torch.from_numpy(np.concatenate(parts).astype(np.float32)).to(job.device))
        out = out.float().cpu().numpy().reshape(-1)
    d_logits = out[:n_grid].reshape(job.grid.shape)
    fake_logits = out[n_grid:n_grid + len(job.fake)]
    real_logits = out[n_grid + len(job.fake):] if job.real is not None else None
    with np.errstate(invalid="ignore"):  # a diverged D gives NaN logits: NaN probabilities, no warning
        d_prob = losses.logits_to_prob(job.loss, d_logits)
        value = None if real_logits is None else value_from_samples(job.loss, real_logits, fake_logits)
    fields = compute_theory(job.target, job.fake, job.grid, h=job.bandwidth, d_prob=d_prob)
    cov = mode_coverage(job.fake, job.target)
    d_prob = None if d_prob is None else d_prob.astype(np.float32)
    w1 = float("nan")
    if job.w1 and job.real is not None:
        w1 = sample_w1(job.real, job.fake)
    return Evaluation(job.grid, job.loss, d_logits, d_prob, fields, cov, job.iteration, job.generation, value,
                      job.real, job.fake, real_logits, fake_logits, w1, job.jsd_exact)


def sample_w1(real: np.ndarray, fake: np.ndarray, n: int = W1_SAMPLES) -> float:
    """W1 between the first n real and generated samples (the display sets are in random order); exact in 1-D
    on all of them (sorting is cheap). NaN when G has diverged."""
    if not (np.all(np.isfinite(fake)) and len(real) and len(fake)):
        return float("nan")
    if real.shape[1] == 1:
        return w1_1d(real[:, 0], fake[:, 0])
    m = min(n, len(real), len(fake))
    return w1_2d(real[:m], fake[:m])


class Observer:
    def __init__(self, trainer: Trainer, n_samples: int | None = None, grid_n: int | None = None):
        self.trainer = trainer
        self.metrics = History(METRIC_COLUMNS)
        self.events = EventLog()
        self._n = n_samples
        self._grid_n = grid_n
        self._grid: Grid | None = None
        self._grid_key = None
        self._z: torch.Tensor | None = None
        self._z_np: np.ndarray | None = None   # _z as read-only float32 numpy (Snapshot.noise)
        self._z_key = None
        self._real_idx: np.ndarray | None = None
        self._real_eps: np.ndarray | None = None
        self._real: tuple | None = None   # (target, its real cloud)
        self._display_seed = trainer.config.train.seed + SEED_OFFSET_DISPLAY
        self._full: tuple | None = None  # last full evaluation (D on grid, theory, coverage)
        self._shadow: tuple | None = None   # (trainer's D, its copy for theory jobs, device)
        self.generation = 0   # counts resets, target changes and full evaluations: older results are stale
        # W1 is the costliest metric: computed on every w1_every-th evaluation (headless: a fixed rule, so runs
        # repeat), and no sooner than w1_interval seconds after the last (the app); None: no time limit.
        self.w1_interval: float | None = None
        self.w1_every = 1
        self._evaluations = 0
        self._w1_last = -math.inf
        self._last_w1 = float("nan")   # the latest W1 computed, shown until the next one

    # ----------------------------------------------------------- display state
    @property
    def n_samples(self) -> int:
        return self._n or self.trainer.config.theory.samples

    def set_samples(self, n: int) -> None:
        self._n = n
        self._z = None
        self._real_idx = None

    def reseed(self, seed: int) -> None:
        """Draw the display samples anew from `seed` (a train.seed): the same fixed noise batch and real
        cloud as a fresh Observer of a trainer with that seed shows."""
        self._display_seed = int(seed) + SEED_OFFSET_DISPLAY
        self._z = None
        self._real_idx = None

    def grid(self) -> Grid | Grid1D:
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
            self._z_np = self._z.cpu().numpy().astype(np.float32)
            self._z_np.flags.writeable = False
            self._z_key = key
        return self._z

    def real_samples(self) -> np.ndarray:
        """The real cloud: the same read-only array until the target changes (a view may then skip it)."""
        tgt = self.trainer.target
        if (self._real_idx is None or len(self._real_idx) != self.n_samples or self._real_idx.max() >= tgt.n_modes
                or self._real_eps.shape[1] != tgt.dim):
            rng = np.random.default_rng(self._display_seed)
            self._real_idx = rng.choice(tgt.n_modes, size=self.n_samples, p=tgt.weights)
            self._real_eps = rng.standard_normal((self.n_samples, tgt.dim))
            self._real = None
        if self._real is None or self._real[0] is not tgt:   # targets are immutable: identity is enough
            pts = (tgt.means[self._real_idx] + tgt.stds[self._real_idx, None] * self._real_eps).astype(np.float32)
            pts.flags.writeable = False
            self._real = (tgt, pts)
        return self._real[1]

    def target_changed(self, structural: bool) -> None:
        """A mode was added or removed (structural) or moved/resized: redraw the real cloud's modes."""
        self._full = None  # D* depends on the target: the next snapshot recomputes it
        self.generation += 1
        if structural:
            self._real_idx = None

    # --------------------------------------------------------------- events
    def config_changed(self, old: Config, new: Config, reset: bool) -> None:
        """Record the settings that differ, at the current iteration (0 after a reset, which cleared the
        history: call clear() first)."""
        self.events.record(config_events(old, new, self.trainer.iteration, reset))

    def freeze_changed(self, before: tuple[bool, bool], after: tuple[bool, bool]) -> None:
        """Record G or D frozen or training again: (freeze_g, freeze_d) before and after."""
        self.events.record(freeze_events(before, after, self.trainer.iteration))

    def target_edited(self, kind: str, mode: int | None = None, before=None, after=None) -> None:
        """Record a target edit: kind "moved", "added", "removed", "resized" (a mode's number, from 1) or
        "replaced" (after: the new number of modes); a drag's many moves merge into one event."""
        self.events.record(Event(self.trainer.iteration, f"target.{kind}",
                                 "" if before is None else format_value(before),
                                 "" if after is None else format_value(after), "" if mode is None else str(mode)))

    # --------------------------------------------------------------- snapshot
    def take(self, theory: bool = True, push: bool = False, manifold: bool = False,
             record: bool = True) -> Snapshot:
        """A snapshot of the current state.

        theory=False is the cheap frame: new point clouds, but D on the grid, D*, JSD and coverage
        are carried over from the last full evaluation (the app refreshes those up to 8 times a second, on
        another thread through theory_job and accept, and the clouds every frame: the grid evaluation is
        most of a snapshot's cost).
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
        if theory or full is None or full.grid is not grid or full.loss != cfg.train.loss:
            self.generation += 1  # newer than any job still running elsewhere
            self.accept(evaluate(self.theory_job(fake, shadow=False, record=record)), record)
            full = self._full
        ev = full
        man = None
        if manifold:
            zg = noise_grid(cfg.noise.dim, cfg.noise.dist, 48 if cfg.noise.dim == 2 else 400)
            if zg is not None:
                with torch.no_grad():
                    m = t.G(torch.from_numpy(zg).float().to(t.device)).cpu().numpy()
                man = m.reshape(48, 48, -1) if cfg.noise.dim == 2 else m
        if not np.all(np.isfinite(fake)):
            # finite for every reader, and off the grid: NaN at 0 drew a diverged G as a cluster at the origin
            fake = np.nan_to_num(fake, nan=1e6, posinf=1e6, neginf=-1e6)
        return Snapshot(
            iteration=t.iteration, target=t.target, loss=cfg.train.loss, real=self.real_samples(), fake=fake,
            grid=grid, d_logits=ev.d_logits, d_prob=ev.d_prob, theory=ev.theory, coverage=ev.coverage,
            fake_push=fake_push, manifold=man, losses=t.losses.view(), metrics=self.metrics.view(), status=t.status,
            message=t.message, device=str(t.device), seed=cfg.train.seed, freeze_g=t.freeze_g,
            freeze_d=t.freeze_d, theory_iteration=ev.iteration,
            has_dstar=losses.has_closed_form_dstar(cfg.train.loss), events=self.events.view(), value=ev.value,
            eval_real=ev.real, eval_fake=ev.fake, real_logits=ev.real_logits, fake_logits=ev.fake_logits,
            w1=self._last_w1, noise=self._z_np, jsd_exact=ev.jsd_exact)

    # --------------------------------------------------------------- theory
    def theory_job(self, fake: np.ndarray, shadow: bool = True, record: bool = True) -> TheoryJob:
        """Copies for a full evaluation of the current state, with `fake` the displayed G(z).

        shadow=True evaluates a copy of D, for another thread (one job at a time: the copy is reused);
        shadow=False evaluates D itself, on this thread, now. record=False: a frame that adds no metrics row
        (a headless recording's frames): it computes no W1 and does not count towards w1_every, so W1 stays
        on every w1_every-th row whether frames are drawn or not."""
        t = self.trainer
        cfg = t.config
        now = time.monotonic()
        w1 = False
        if record:
            w1 = self._evaluations % max(1, self.w1_every) == 0 and (
                self.w1_interval is None or now - self._w1_last >= self.w1_interval)
            self._evaluations += 1
        if w1:
            self._w1_last = now
        grid = self.grid()
        exact = float("nan")
        if grid.dim == 1:   # G at this iteration, here: the job carries a copy of D only (~2 ms for 16k noise values)
            exact = true_jsd_1d(t.target, t.G, grid, cfg.noise.dim, cfg.noise.dist, t.device, k=EXACT_NOISE_APP,
                                seed=self._display_seed)
        return TheoryJob(grid=grid, loss=cfg.train.loss, D=self._d_copy() if shadow else t.D, fake=fake,
                         target=t.target, bandwidth=cfg.theory.bandwidth or None, device=t.device,
                         iteration=t.iteration, generation=self.generation, real=self.real_samples(), w1=w1,
                         jsd_exact=exact)

    def accept(self, full: Evaluation, record: bool = True) -> bool:
        """Use an evaluate() result for the snapshots that follow and add its metrics row. False (and
        nothing changes) for a stale result: its job was copied before a reset, a target change or a
        newer full evaluation, or for another grid."""
        if full.generation != self.generation or full.grid is not self.grid():
            return False
        self._full = full
        if math.isfinite(full.w1):
            self._last_w1 = full.w1
        last = self.metrics.last()
        if record and (last is None or last["step"] != full.iteration):
            th, cov, v = full.theory, full.coverage, full.value
            self.metrics.append(full.iteration, th.jsd, th.v_estimate, th.v_at_dstar, th.kl_pg_pdata,
                                th.kl_pdata_pg, cov.modes_captured, cov.hq_fraction,
                                float("nan") if v is None else v.value, float("nan") if v is None else v.stderr,
                                full.w1, cov.n_modes)
        return True

    def _d_copy(self) -> nn.Module:
        D, device = self.trainer.D, self.trainer.device
        if self._shadow is None or self._shadow[0] is not D or self._shadow[2] != device:
            self._shadow = (D, copy.deepcopy(D).requires_grad_(False), device)
        copy_d = self._shadow[1]
        with torch.no_grad():
            for dst, src in zip(copy_d.state_dict().values(), D.state_dict().values(), strict=True):
                dst.copy_(src)
        return copy_d

    def clear(self) -> None:
        """Forget the metric history and the events (a reset: iterations start again at 0)."""
        self.metrics.clear()
        self.events.clear()
        self._full = None
        self._last_w1 = float("nan")
        self.generation += 1


def _fits(grid: Grid | Grid1D, target: GaussianMixture) -> bool:
    if grid.dim != target.dim:
        return False
    xmin, xmax, ymin, ymax = target.bounds()
    if grid.dim == 1:
        return xmin >= grid.xmin and xmax <= grid.xmax
    return xmin >= grid.xmin and xmax <= grid.xmax and ymin >= grid.ymin and ymax <= grid.ymax
