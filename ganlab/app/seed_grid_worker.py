"""The seed grid's worker: one setting on N seeds (seed, seed + 1, ...) trained as ONE BatchedTrainer on its own
thread (loop_worker's pattern), publishing a GridFrame of every member's samples and verdict ~10 times a second.

Whether a GAN collapses depends on its random start; one run shows one draw. N runs that differ only in the
seed are a batch (batched.PER_MEMBER), and the batch is the single Trainer of each member's config, so a
member opened as the main run (request_member -> BatchedTrainer.extract) continues exactly where its cell was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.batched import BatchedTrainer
from ..core.batched_metrics import member_samples
from ..core.config import Config
from ..core.observer import SEED_OFFSET_DISPLAY
from ..core.target import GaussianMixture
from ..core.verdict import Verdict, verdicts
from .loop_worker import LoopWorker

SEEDS = 16
SAMPLES = 500    # per cell: enough for a verdict, few enough that 16 clouds draw at 10 frames a second


@dataclass(frozen=True, eq=False)
class GridFrame:
    """One frame of the grid: plain numpy, any thread may read it."""

    iteration: int
    iterations: np.ndarray          # (N,) each member's (a diverged member stops at its divergence)
    seeds: tuple[int, ...]
    samples: np.ndarray             # (N, n, 2) float32: each member's G on its fixed display noise
    verdicts: tuple[Verdict, ...]
    status: tuple[str, ...]
    target: GaussianMixture
    real: np.ndarray                # (n, 2) the real cloud, the same array while the target is
    its_per_sec: float
    playing: bool


def seed_configs(config: Config, n: int = SEEDS) -> list[Config]:
    """The config on n consecutive seeds from its own."""
    seed = config.train.seed
    return [config.with_value("train.seed", seed + k) for k in range(n)]


def real_cloud(target: GaussianMixture, seed: int, n: int) -> np.ndarray:
    """The faint real cloud every cell shows (display only: its own stream)."""
    pts = target.sample_numpy(n, np.random.default_rng(seed + SEED_OFFSET_DISPLAY)).astype(np.float32)
    pts.flags.writeable = False
    return pts


class SeedGridWorker(LoopWorker):
    """Owns the BatchedTrainer. Building it may raise (ConfigError where the configs cannot share a batch, a
    RuntimeError for a device that is not there): the window builds the worker and shows the message."""

    def __init__(self, config: Config, target: GaussianMixture | None = None, n: int = SEEDS,
                 samples: int = SAMPLES):
        super().__init__()
        self.configs = seed_configs(config, n)
        self.samples = int(samples)
        self._target_in = target
        self.batch = BatchedTrainer(self.configs, target)
        self.real = real_cloud(self.batch.target, config.train.seed, self.samples)
        self.publish()

    def _rebuild(self) -> None:
        self.batch = BatchedTrainer(self.configs, self._target_in)

    def _step(self, n: int) -> int:
        return self.batch.step(n)

    def _extract(self, i: int):
        return self.batch.extract(i)

    def _frame(self) -> GridFrame:
        b = self.batch
        samples = member_samples(b, self.samples)
        diverged = np.array([s == "diverged" for s in b.status])
        return GridFrame(
            iteration=int(b.iteration), iterations=b.iterations.copy(),
            seeds=tuple(c.train.seed for c in self.configs), samples=samples,
            verdicts=tuple(verdicts(samples, b.target, diverged)), status=tuple(b.status), target=b.target,
            real=self.real, its_per_sec=self.its_per_sec, playing=self.playing)
