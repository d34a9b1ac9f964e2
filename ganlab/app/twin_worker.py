"""The twin runs' worker: two runs from the same seed that differ in ONE setting, trained in lockstep on one thread.

Where the setting may differ inside a batch (batched.PER_MEMBER: seed, learning rates, betas, penalty weights)
the pair is a BatchedTrainer of 2 members (one computation, each member the single Trainer of its config);
otherwise (the loss, k_D, the architecture, ...) two Trainers, each chunk stepping A then B by the same count,
so every frame shows both at the same iteration. Each frame adds a point to the JSD curves of both (the
Observer's theory JSD for a single Trainer, batched_metrics.checkpoint for the batch: the same numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.batched import BatchedTrainer, check_compatible
from ..core.batched_metrics import checkpoint, member_samples
from ..core.config import Config, ConfigError
from ..core.observer import Observer
from ..core.target import GaussianMixture
from ..core.trainer import Trainer
from ..core.verdict import Verdict, verdict
from .compare import PRESETS  # noqa: F401  (the settings a teacher most often contrasts, in the menu's module)
from .loop_worker import LoopWorker
from .seed_grid_worker import real_cloud


@dataclass(frozen=True, eq=False)
class TwinFrame:
    """One frame of both runs: plain numpy, any thread may read it."""

    iteration: int                      # the pair's (both, unless one diverged and stopped)
    iterations: tuple[int, int]
    samples: tuple[np.ndarray, np.ndarray]
    jsd: tuple[float, float]            # now
    verdicts: tuple[Verdict, Verdict]
    status: tuple[str, str]
    messages: tuple[str, str]
    curve_iterations: np.ndarray        # (M,) the iterations of the curve points
    curve_jsd: np.ndarray               # (M, 2) JSD of A and of B at them
    target: GaussianMixture
    real: np.ndarray
    batched: bool
    its_per_sec: float
    playing: bool

    @property
    def curve_difference(self) -> np.ndarray:
        """JSD of A minus JSD of B, per curve point."""
        return self.curve_jsd[:, 0] - self.curve_jsd[:, 1]


def twin_configs(config: Config, key: str, value_a, value_b) -> tuple[Config, Config]:
    """The config with `key` set to value_a and to value_b (values may be strings, as from a menu); raises
    ConfigError for an unknown key or a value out of range."""
    return config.with_values({key: value_a}), config.with_values({key: value_b})


class _BatchedPair:
    """Both runs as the 2 members of one BatchedTrainer."""

    batched = True

    def __init__(self, configs, target):
        self.batch = BatchedTrainer(configs, target)
        self.target = self.batch.target
        self.n_samples = configs[0].theory.samples

    def step(self, n: int) -> int:
        return self.batch.step(n)

    def state(self):
        b = self.batch
        fake = member_samples(b, self.n_samples)
        jsd = checkpoint(b, self.n_samples)["jsd"]
        return (tuple(int(i) for i in b.iterations), tuple(fake), tuple(float(j) for j in jsd), tuple(b.status),
                tuple(b.message))

    def extract(self, i: int) -> Trainer:
        return self.batch.extract(i)


class _AlternatePair:
    """Two Trainers stepped alternately by the same count: they stay at the same iteration."""

    batched = False

    def __init__(self, configs, target):
        self.trainers = [Trainer(c, target) for c in configs]
        self.target = self.trainers[0].target
        self.observers = [Observer(t) for t in self.trainers]
        for o in self.observers:   # the curves read the JSD only: W1 (the costliest metric) stays off
            o.w1_every, o.w1_interval = 1 << 62, math.inf

    def step(self, n: int) -> int:
        done = 0
        for t in self.trainers:
            if t.status == "ok":
                done = max(done, t.step(n))
        return done

    def state(self):
        snaps = [o.take(theory=True, record=False) for o in self.observers]
        ts = self.trainers
        return (tuple(t.iteration for t in ts), tuple(s.fake for s in snaps), tuple(float(s.theory.jsd) for s in snaps),
                tuple(t.status for t in ts), tuple(t.message for t in ts))

    def extract(self, i: int) -> Trainer:
        src = self.trainers[i]
        trainer = Trainer(src.config, target=src.target)
        trainer.load_state_dict(src.state_dict())
        return trainer


class TwinWorker(LoopWorker):
    """Owns the pair. Building it raises ConfigError for a bad key or value (the window shows the message)."""

    def __init__(self, config: Config, target: GaussianMixture | None, key: str, value_a, value_b):
        super().__init__()
        self.key = key
        self.configs = twin_configs(config, key, value_a, value_b)
        try:
            check_compatible(self.configs)
            self.batched = True
        except ConfigError:
            self.batched = False
        self._target_in = target
        self._rebuild()
        self.real = real_cloud(self.pair.target, config.train.seed, config.theory.samples)
        self.publish()

    def _rebuild(self) -> None:
        kind = _BatchedPair if self.batched else _AlternatePair
        self.pair = kind(self.configs, self._target_in)
        self._curve_it: list[int] = []
        self._curve_jsd: list[tuple[float, float]] = []

    def _step(self, n: int) -> int:
        return self.pair.step(n)

    def _extract(self, i: int) -> Trainer:
        return self.pair.extract(i)

    def _frame(self) -> TwinFrame:
        iterations, fake, jsd, status, messages = self.pair.state()
        it = max(iterations)
        if not self._curve_it or self._curve_it[-1] != it:
            self._curve_it.append(it)
            self._curve_jsd.append(jsd)
        target = self.pair.target
        return TwinFrame(
            iteration=it, iterations=iterations, samples=fake, jsd=jsd,
            verdicts=tuple(verdict(f, target, s == "diverged") for f, s in zip(fake, status, strict=True)),
            status=status, messages=messages, curve_iterations=np.array(self._curve_it, dtype=np.int64),
            curve_jsd=np.array(self._curve_jsd, dtype=np.float64).reshape(-1, 2), target=target, real=self.real,
            batched=self.batched, its_per_sec=self.its_per_sec, playing=self.playing)
