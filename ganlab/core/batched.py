"""Many small GANs trained as one batched computation: one step's per-call overhead paid once for all.

A single Trainer step at the playground's sizes is ~100 torch calls: per-call overhead plus a little
arithmetic. N GANs whose configs differ only in seed, learning rates, Adam betas or penalty weights
(PER_MEMBER) train together on stacked weights (batched_nets), which leaves mostly the arithmetic:
16 default-size GANs (2x64, batch 256) ran ~2x faster than 16 single Trainers (on their fast path, netpass.py)
one after another, where the batched matrix products alone are ~65% of a batched step and bound the gain near
3x; 16 small ones (2x16, batch 64) ~9x (benchmarks/bench_batched.py prints both). Every member's numbers are
the single Trainer's for its config, to float rounding (tests/test_batched.py):

- each member's G and D are built exactly as Trainer.reset builds them, under the member's seed, then stacked;
- each member has its own data and noise generators, seeded like Trainer's (SEED_OFFSET_DATA/NOISE), and
  draws BLOCK batches at a time the same way; WGAN-GP's interpolation weights come from the member's noise
  stream in the same order;
- the same order of operations: k_D steps (the last one's fake batch and its graph reused by the first G
  step), then k_G steps; the same optimizer kernels on each member's slice of the stacks.

A member whose losses or gradient norm become NaN or infinite is marked diverged (status and message as
the Trainer's), its state at that iteration is kept for member_state/extract, and it is no longer updated;
the others train on (members share no weights, so its NaNs reach no one else).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from . import batched_nets as bn
from .config import Config, ConfigError, all_keys
from .device import resolve_device
from .netpass import loss_grad
from .networks import Discriminator, Generator, sample_noise
from .presets import build_target
from .target import GaussianMixture
from .trainer import BLOCK, LOSS_COLUMNS, SEED_OFFSET_DATA, SEED_OFFSET_NOISE, Trainer

# What may differ between the members of one batch: everything else shapes the computation (architecture,
# loss, batch size, k_D/k_G, noise, target) or its evaluation (theory) and must be equal.
PER_MEMBER = frozenset({"train.seed", "opt_g.lr", "opt_g.beta1", "opt_g.beta2", "opt_d.lr", "opt_d.beta1",
                        "opt_d.beta2", "train.gp_lambda", "train.r1_gamma"})


def check_compatible(configs: Sequence[Config]) -> None:
    """Raise ConfigError (a ValueError) naming the first field in which a config differs from the first
    one, where members of a batch must agree."""
    if not configs:
        raise ValueError("a batch needs at least one config")
    base = configs[0]
    for k, cfg in enumerate(configs[1:], start=1):
        for key in all_keys():
            if key not in PER_MEMBER and cfg.get(key) != base.get(key):
                raise ConfigError(key, f"member {k} has {cfg.get(key)!r}, member 0 {base.get(key)!r}; members of "
                                       f"a batch may differ only in {', '.join(sorted(PER_MEMBER))}")


def diverged_message(cfg: Config, iteration: int, bad: Sequence[str]) -> str:
    """The Trainer's divergence message, word for word."""
    return (f"Training diverged at iteration {iteration}: {', '.join(bad)} became NaN or "
            f"infinite. Reset, or lower the learning rates (D {cfg.opt_d.lr:g}, "
            f"G {cfg.opt_g.lr:g}).")


def _clone_tree(v):
    if torch.is_tensor(v):
        return v.detach().clone()
    if isinstance(v, dict):
        return {k: _clone_tree(x) for k, x in v.items()}
    return v.copy() if isinstance(v, np.ndarray) else v


class BatchedTrainer:
    """N GANs trained together; member i is the Trainer of configs[i] (see the module docstring).

    After step(): iteration (batched iterations run), iterations[i] (member i's, which stops at its
    divergence), status[i] / message[i], losses (N, rows, 4) with the columns of LOSS_COLUMNS (NaN rows
    after a member diverged), history(i) (member i's rows, as Trainer.losses.array()).
    """

    def __init__(self, configs: Sequence[Config], target: GaussianMixture | None = None):
        configs = [c.validate() for c in configs]
        check_compatible(configs)
        self.configs = configs
        cfg = configs[0]
        self.n = len(configs)
        self.target = target if target is not None else build_target(cfg.target)
        if any(c.train.oracle_d for c in configs):
            raise ConfigError("train.oracle_d", "batched runs train G against the network D only; switch it off")
        if self.target.dim != 2:
            raise ValueError("batched training runs 2-D targets only; train a 1-D preset with a single Trainer")
        self.device = resolve_device(cfg.train.device, cfg)
        if self.device.type == "cpu":
            torch.set_num_threads(cfg.train.threads)
        Gs, Ds = [], []
        for c in configs:
            with torch.random.fork_rng(devices=[]):  # as Trainer.reset: the global stream is left alone
                torch.manual_seed(c.train.seed)
                Gs.append(Generator(c.noise.dim, c.generator).to(self.device))
                Ds.append(Discriminator(c.discriminator).to(self.device))
        self.G = bn.StackedMLP(Gs, cfg.generator.activation, squeeze=False)
        self.D = bn.StackedMLP(Ds, cfg.discriminator.activation, squeeze=True)
        self.opt_g = bn.StackedOptimizer(self.G.params, [c.opt_g for c in configs])
        self.opt_d = bn.StackedOptimizer(self.D.params, [c.opt_d for c in configs])
        self.rngs = [torch.Generator(device="cpu").manual_seed(c.train.seed + SEED_OFFSET_DATA) for c in configs]
        self.noise_rngs = [torch.Generator(device=self.device).manual_seed(c.train.seed + SEED_OFFSET_NOISE)
                           for c in configs]
        t = cfg.train
        lambdas = [c.train.gp_lambda for c in configs]
        self._gp = t.loss == "wgan-gp" and max(lambdas) > 0
        self._gp_draw = [lam > 0 for lam in lambdas]  # Trainer draws the weights only when it uses them
        self._gp_coef = torch.tensor(lambdas, dtype=torch.float32, device=self.device)
        self._r1 = max(c.train.r1_gamma for c in configs) > 0
        self._r1_coef = torch.tensor([0.5 * c.train.r1_gamma for c in configs], dtype=torch.float32,
                                     device=self.device)
        # The penalties differentiate D twice: they run under autograd; without them, the hand-written pass
        self._manual = not (self._gp or self._r1)
        self._xin = torch.empty((self.n, 2 * t.batch_size, 2), device=self.device)  # cat(real, fake)
        self._nan = torch.full((self.n,), float("nan"), device=self.device)
        self._half = torch.full((t.batch_size, 1), 0.5, device=self.device)  # e for a member without GP
        self._fake_cache: torch.Tensor | None = None
        self._real_block: torch.Tensor | None = None
        self._noise_block: torch.Tensor | None = None
        self._real_pos = self._noise_pos = 0
        self.iteration = 0
        self.iterations = np.zeros(self.n, dtype=np.int64)
        self.active = np.ones(self.n, dtype=bool)
        self.status = ["ok"] * self.n
        self.message = [""] * self.n
        self._frozen: dict[int, dict] = {}  # member -> its state at divergence
        self.columns = LOSS_COLUMNS  # of losses and history()
        self._losses = np.full((self.n, 1024, len(LOSS_COLUMNS)), np.nan)
        self._rows = 0

    def __len__(self) -> int:
        return self.n

    # ---------------------------------------------------------------- sampling
    def _real_batch(self, n: int) -> torch.Tensor:
        b = self._real_block
        if b is None or self._real_pos + n > b.shape[1]:
            b = self._real_block = torch.stack([self.target.sample(n * BLOCK, generator=g, device=self.device)
                                                for g in self.rngs])
            self._real_pos = 0
        self._real_pos += n
        return b[:, self._real_pos - n:self._real_pos]

    def _noise(self, n: int) -> torch.Tensor:
        b = self._noise_block
        if b is None or self._noise_pos + n > b.shape[1]:
            c = self.configs[0].noise
            b = self._noise_block = torch.stack([sample_noise(n * BLOCK, c.dim, c.dist, generator=g,
                                                              device=self.device) for g in self.noise_rngs])
            self._noise_pos = 0
        self._noise_pos += n
        return b[:, self._noise_pos - n:self._noise_pos]

    def _gp_weights(self, n: int) -> torch.Tensor:
        """Each member's interpolation weights (n, 1), drawn from its own noise stream, as Trainer does."""
        return torch.stack([torch.rand((n, 1), generator=g, device=self.device, dtype=torch.float32) if draw
                            else self._half for g, draw in zip(self.noise_rngs, self._gp_draw, strict=True)])

    # ---------------------------------------------------------------- training
    def step(self, n: int = 1) -> int:
        """Run up to n iterations of every member still training; returns how many ran (fewer only when
        every member has diverged)."""
        done = 0
        while done < n and self.active.any():
            stats = self._iteration(self.configs[0].train)
            self.iteration += 1
            done += 1
            self._log(stats.cpu().numpy().astype(np.float64))
        return done

    def _iteration(self, cfg) -> torch.Tensor:
        """One iteration of all members: (N, 3) of loss_d, loss_g, grad_norm_g, NaN for a part not run."""
        k_d, k_g = cfg.k_d, cfg.k_g
        loss_d = loss_g = gnorm = self._nan
        for j in range(k_d):
            loss_d = self._d_step(cfg, keep_graph=k_g > 0 and j == k_d - 1)
        for i in range(k_g):
            loss_g, gnorm = self._g_step(cfg, reuse=i == 0)
        self._fake_cache = None
        return torch.stack([loss_d, loss_g, gnorm], dim=1)

    def _d_step(self, cfg, keep_graph: bool) -> torch.Tensor:
        n = cfg.batch_size
        real = self._real_batch(n)
        z = self._noise(n)
        if self._manual:
            # G's activations stay in its buffers: the first G step backpropagates through them
            fake = self.G.forward_saving(z, "g")
            self._fake_cache = fake if keep_graph else None
            logits = self.D.forward_saving(torch.cat([real, fake], dim=1, out=self._xin), "d")
            loss, g = loss_grad(lambda l: bn.d_loss(cfg.loss, l[:, :n], l[:, n:]), logits)
            self.D.backward("d", g, weight_grads=True, input_grad=False)
            self.opt_d.step(self.D.grads)
            return loss
        if keep_graph:
            fake = self.G(z)  # graph kept for the first G step (G is unchanged until then)
            self._fake_cache = fake
            fake_in = fake.detach()
        else:
            with torch.no_grad():
                fake_in = self.G(z)
        logits = self.D(torch.cat([real, fake_in], dim=1))
        loss = bn.d_loss(cfg.loss, logits[:, :n], logits[:, n:])
        total = loss
        if self._gp:
            e = self._gp_weights(n)
            total = total + self._gp_coef * bn.gradient_penalty(self.D, real, fake_in, e)
        if self._r1:
            total = total + self._r1_coef * bn.r1_penalty(self.D, real)
        self.D.zero_grad()
        total.sum().backward()
        self.opt_d.step([p.grad for p in self.D.params])
        return loss.detach()

    def _g_step(self, cfg, reuse: bool) -> tuple[torch.Tensor, torch.Tensor]:
        fake = self._fake_cache if reuse else None
        self._fake_cache = None
        if self._manual:
            if fake is None:
                fake = self.G.forward_saving(self._noise(cfg.batch_size), "g")
            logits = self.D.forward_saving(fake, "f")
            loss, g = loss_grad(lambda l: bn.g_loss(cfg.loss, l), logits)
            g = self.D.backward("f", g, weight_grads=False, input_grad=True)
            self.G.backward("g", g, weight_grads=True, input_grad=False)
            grads = self.G.grads
        else:
            if fake is None:
                fake = self.G(self._noise(cfg.batch_size))
            loss = bn.g_loss(cfg.loss, self.D(fake))
            self.G.zero_grad()
            loss.sum().backward(inputs=self.G.params)
            loss = loss.detach()
            grads = [p.grad for p in self.G.params]
        gnorm = bn.member_norms(grads)
        self.opt_g.step(grads)
        return loss, gnorm

    def _log(self, values: np.ndarray) -> None:
        """Record the iteration's (N, 3) numbers for the active members; mark the ones that diverged."""
        if self._rows == self._losses.shape[1]:
            grown = np.full((self.n, 2 * self._rows, len(LOSS_COLUMNS)), np.nan)
            grown[:, :self._rows] = self._losses
            self._losses = grown
        act = self.active.copy()
        row = self._losses[:, self._rows]
        row[act, 0] = self.iteration
        row[act, 1:] = values[act]
        self.iterations[act] = self.iteration
        self._rows += 1
        t = self.configs[0].train
        ran = np.array([t.k_d > 0, t.k_g > 0, t.k_g > 0])
        bad = ~np.isfinite(values) & ran
        for i in np.flatnonzero(act & bad.any(axis=1)):
            names = [name for name, b in zip(("L_D", "L_G", "generator gradient"), bad[i], strict=True) if b]
            self._diverge(int(i), names)

    def _diverge(self, i: int, bad: list[str]) -> None:
        self.status[i] = "diverged"
        self.message[i] = diverged_message(self.configs[i], self.iteration, bad)
        self._frozen[i] = self._live_state(i)
        self.active[i] = False
        self.opt_d.set_active(self.active)
        self.opt_g.set_active(self.active)

    # ----------------------------------------------------------------- reading
    @property
    def losses(self) -> np.ndarray:
        """(N, iteration, len(LOSS_COLUMNS)) read-only view: row r is every member's iteration r + 1."""
        v = self._losses[:, :self._rows].view()
        v.setflags(write=False)
        return v

    def history(self, i: int) -> np.ndarray:
        """Member i's loss rows, as the single Trainer's losses.array() (a copy)."""
        return self._losses[i, :self.iterations[i]].copy()

    def member_state(self, i: int) -> dict:
        """Member i as a Trainer.state_dict() (copies): Trainer.load_state_dict continues it exactly. A diverged
        member's state is the one it had at the iteration it diverged, as the Trainer stops there."""
        if not 0 <= i < self.n:
            raise IndexError(f"member {i} out of range 0..{self.n - 1}")
        if i in self._frozen:
            return _clone_tree(self._frozen[i])
        return self._live_state(i)

    def extract(self, i: int) -> Trainer:
        """Member i as a single Trainer (for instance to open it as the app's main run)."""
        trainer = Trainer(self.configs[i], target=self.target)
        trainer.load_state_dict(self.member_state(i))
        return trainer

    def _live_state(self, i: int) -> dict:
        def part(block):
            return None if block is None else block[i].clone()

        prefetched = None
        if self._real_block is not None or self._noise_block is not None:
            prefetched = {"real": part(self._real_block), "real_pos": self._real_pos,
                          "noise": part(self._noise_block), "noise_pos": self._noise_pos}
        return {
            "config": self.configs[i], "target": self.target,
            "G": self.G.member_state(i), "D": self.D.member_state(i),
            "opt_g": self.opt_g.member_state(i), "opt_d": self.opt_d.member_state(i),
            "rng": self.rngs[i].get_state(), "noise_rng": self.noise_rngs[i].get_state().cpu(),
            "noise_rng_device": self.device.type, "prefetched": prefetched,
            "iteration": int(self.iterations[i]), "freeze_g": False, "freeze_d": False,
            "status": self.status[i], "message": self.message[i], "losses": self.history(i),
        }

    def metrics(self, samples: int | None = None, jsd: bool = True) -> dict[str, np.ndarray]:
        """Every member's mode coverage and JSD now, as the app's Observer scores a single run (see
        batched_metrics.checkpoint)."""
        from .batched_metrics import checkpoint

        return checkpoint(self, samples=samples, jsd=jsd)
