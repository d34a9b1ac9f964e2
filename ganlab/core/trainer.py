"""The training loop: k_D discriminator steps, then k_G generator steps, per iteration.

Written for speed at the small sizes of a 2-D playground, where the per-call overhead of torch
dominates (see benchmarks/bench_trainer.py against a textbook loop):
- one D forward on cat(real, fake) instead of two;
- the last D step's fake batch (and its graph through G) is reused by the first G step: G has not
  changed since it was drawn, so the result is the same as drawing anew;
- the G step's backward runs only into G's parameters (no wasted weight gradients for D);
- real and noise batches are drawn in blocks of BLOCK batches (two small kernels per block, not
  per step); an edit of the target or batch size drops the block;
- on the CPU, without penalties or the oracle D, a step runs netpass's hand-written forward and backward (autograd's own
  kernels, bit for bit its numbers, without the graph, the engine and module dispatch) and calls fused
  Adam's kernel directly; grads are set to None on the autograd path;
- the three logged numbers leave the device in one transfer.
Hyperparameters change between iterations without touching the weights; the architecture changes
only through a reset. A NaN or Inf becomes a `diverged` status, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from . import losses
from .config import Config, architecture_key
from .device import resolve_device
from .history import History
from .netpass import FastSteps
from .networks import Discriminator, Generator, sample_noise
from .presets import build_target
from .target import GaussianMixture

LOSS_COLUMNS = ("step", "loss_d", "loss_g", "grad_norm_g")
BLOCK = 32  # batches drawn at once
SYNC_EVERY = 64  # CUDA: iterations between host syncs

# The trainer's random streams are seeded from train.seed plus these offsets (the weights from the seed
# itself), so the data, the noise and the initial weights never share a stream.
SEED_OFFSET_DATA = 1   # target samples
SEED_OFFSET_NOISE = 2  # noise z and the WGAN-GP interpolation weights


@dataclass
class StepStats:
    loss_d: float = math.nan
    loss_g: float = math.nan
    grad_norm_g: float = math.nan


class Trainer:
    def __init__(self, config: Config, target: GaussianMixture | None = None):
        self.config = config.validate()
        self.target = target if target is not None else build_target(config.target)
        self.device = resolve_device(config.train.device, config)
        if self.device.type == "cpu":
            torch.set_num_threads(config.train.threads)
        self.freeze_g = False
        self.freeze_d = False
        self.losses = History(LOSS_COLUMNS)
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """New networks and optimizers from the config's seed; clears the history."""
        cfg = self.config
        seed = cfg.train.seed
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            G = Generator(cfg.noise.dim, cfg.generator, self.target.dim).to(self.device)
            D = Discriminator(cfg.discriminator, self.target.dim).to(self.device)
        rng = torch.Generator(device="cpu").manual_seed(seed + SEED_OFFSET_DATA)
        noise_rng = torch.Generator(device=self.device).manual_seed(seed + SEED_OFFSET_NOISE)
        self._install(G, D, self._optimizer(G, cfg.opt_g), self._optimizer(D, cfg.opt_d), rng, noise_rng)
        self.iteration = 0
        self.status = "ok"
        self.message = ""
        self.last = StepStats()
        self.losses.clear()

    def _install(self, G, D, opt_g, opt_d, rng: torch.Generator, noise_rng: torch.Generator) -> None:
        """Take networks, optimizers and random streams built for self.device; fresh per-run bookkeeping."""
        self.G, self.D = G, D
        self.g_params = list(G.parameters())
        self.opt_g, self.opt_d = opt_g, opt_d
        self.rng = rng  # data: target samples (always drawn on the CPU)
        self.noise_rng = noise_rng
        self._pending: list[torch.Tensor] = []
        self.sync_every = 1 if self.device.type == "cpu" else SYNC_EVERY
        self._nan = torch.tensor(math.nan, device=self.device)
        self._fake_cache: torch.Tensor | None = None  # G(z) with its graph, for the first G step
        self._fast = FastSteps(G, D, self.config)
        self.drop_prefetched()

    def state_dict(self) -> dict:
        """Everything a run needs to continue bit-identically, as copies (training on changes none of it):

        config, target, G and D (module state dicts), opt_g and opt_d (the optimizers' per-parameter
        "state" part, {parameter index: {name: tensor or number}}; their hyperparameters come from the
        config), rng and noise_rng (the random generators' states, CPU uint8 tensors), noise_rng_device
        (the device type the noise generator runs on), prefetched (the pre-drawn blocks of batches and the
        position in each, or None), iteration, freeze_g, freeze_d, status, message, and losses (the loss
        history as a (rows, len(LOSS_COLUMNS)) float64 array).

        Reading the state changes nothing: this trainer and one loaded from the state continue alike.
        """

        def clone(v):
            return v.detach().clone() if torch.is_tensor(v) else v

        def net(m: torch.nn.Module) -> dict[str, torch.Tensor]:
            return {k: clone(v) for k, v in m.state_dict().items()}

        def opt(o: torch.optim.Optimizer) -> dict[int, dict]:
            return {int(i): {k: clone(v) for k, v in st.items()} for i, st in o.state_dict()["state"].items()}

        prefetched = None
        if self._real_block is not None or self._noise_block is not None:
            prefetched = {"real": clone(self._real_block), "real_pos": self._real_pos,
                          "noise": clone(self._noise_block), "noise_pos": self._noise_pos}
        return {
            "config": self.config, "target": self.target,  # both immutable values
            "G": net(self.G), "D": net(self.D), "opt_g": opt(self.opt_g), "opt_d": opt(self.opt_d),
            "rng": self.rng.get_state(), "noise_rng": self.noise_rng.get_state().cpu(),
            "noise_rng_device": self.noise_rng.device.type, "prefetched": prefetched,
            "iteration": int(self.iteration), "freeze_g": bool(self.freeze_g), "freeze_d": bool(self.freeze_d),
            "status": self.status, "message": self.message, "losses": self.losses.array(),
        }

    def load_state_dict(self, state: dict) -> None:
        """Continue from a state_dict(), of this trainer or any other: the networks are built for
        state["config"], on the device it resolves to. Call between steps.

        Everything is built and checked before anything changes: on an error (KeyError for a missing
        entry, ValueError or RuntimeError for one that does not fit) the trainer is exactly as it was.
        A noise-generator state saved on another kind of device cannot be used here: the noise stream
        then restarts from the seed. prefetched, status and message are optional (None, "ok" and "").
        """
        cfg = state["config"].validate()
        target = state["target"]
        if not isinstance(target, GaussianMixture):
            raise ValueError(f"the target must be a GaussianMixture, got {type(target).__name__}")
        device = resolve_device(cfg.train.device, cfg)
        with torch.random.fork_rng(devices=[]):  # initial weights are overwritten: keep the global stream
            G = Generator(cfg.noise.dim, cfg.generator, target.dim)
            D = Discriminator(cfg.discriminator, target.dim)
        G.load_state_dict(state["G"], strict=True)
        D.load_state_dict(state["D"], strict=True)
        G, D = G.to(device), D.to(device)
        opt_g = self._optimizer(G, cfg.opt_g)
        opt_d = self._optimizer(D, cfg.opt_d)
        for o, opt_state in ((opt_g, state["opt_g"]), (opt_d, state["opt_d"])):
            groups = o.state_dict()["param_groups"]  # hyperparameters come from the config
            # copies: torch keeps the given tensors when dtype and device fit, and would update the caller's
            # state in place (a stored rewind point, a second trainer loaded from the same state)
            o.load_state_dict({"state": {int(k): {name: x.detach().clone() if torch.is_tensor(x) else x
                                                  for name, x in v.items()} for k, v in opt_state.items()},
                               "param_groups": groups})
            _check_optimizer_shapes(o)
        rng = torch.Generator(device="cpu")
        rng.set_state(state["rng"].clone())
        noise_rng = torch.Generator(device=device)
        if state["noise_rng_device"] == device.type:
            noise_rng.set_state(state["noise_rng"].cpu().clone())  # a CPU ByteTensor on every device
        else:
            noise_rng.manual_seed(cfg.train.seed + SEED_OFFSET_NOISE)
        losses = np.asarray(state["losses"], dtype=np.float64).reshape(-1, len(self.losses.columns))
        iteration = int(state["iteration"])
        if iteration < 0:
            raise ValueError(f"iteration {iteration} is negative")
        prefetched = state.get("prefetched")
        blocks = (None, 0, None, 0)
        if prefetched is not None:
            real, noise = prefetched["real"], prefetched["noise"]
            blocks = (None if real is None else real.detach().to(device, copy=True), int(prefetched["real_pos"]),
                      None if noise is None else noise.detach().to(device, copy=True), int(prefetched["noise_pos"]))
        status, message = str(state.get("status", "ok")), str(state.get("message", ""))
        freeze_g, freeze_d = bool(state["freeze_g"]), bool(state["freeze_d"])

        # ------------------------------------------ swap: nothing below can fail
        self.config = cfg
        self.target = target
        self.device = device
        if device.type == "cpu":
            torch.set_num_threads(cfg.train.threads)
        self._install(G, D, opt_g, opt_d, rng, noise_rng)
        self._real_block, self._real_pos, self._noise_block, self._noise_pos = blocks
        self.iteration = iteration
        self.status, self.message = status, message
        self.freeze_g, self.freeze_d = freeze_g, freeze_d
        self.losses.load(losses)
        self.last = StepStats(*losses[-1, 1:4].tolist()) if len(losses) else StepStats()

    def _optimizer(self, net: torch.nn.Module, oc) -> torch.optim.Optimizer:
        if oc.name == "adam":
            # fused Adam is exact and measurably faster at these sizes; it needs float params on cpu/cuda.
            return torch.optim.Adam(net.parameters(), lr=oc.lr, betas=(oc.beta1, oc.beta2), fused=True)
        return torch.optim.SGD(net.parameters(), lr=oc.lr)

    def needs_reset(self, new: Config) -> bool:
        """New networks for a new architecture, or a preset of another dimension (1-D <-> 2-D: architecture_key)."""
        return architecture_key(new) != architecture_key(self.config)

    def apply_config(self, new: Config) -> bool:
        """Take a new config between iterations; returns True when it needed new networks (a reset)."""
        new.validate()
        old = self.config
        reset = self.needs_reset(new)
        # Everything that can fail (a bad points file, CUDA missing) runs before any state changes,
        # so a refused config leaves the trainer exactly as it was.
        target = build_target(new.target) if new.target != old.target else None
        device = resolve_device(new.train.device, new) if reset else self.device
        self.config = new
        if target is not None:
            if reset:  # perhaps of another dimension: the networks built below follow it
                self.target, self._real_block = target, None
            else:
                self.set_target(target)
        if reset:
            self.device = device
            self.reset()
            return True
        if new.noise != old.noise or new.train.batch_size != old.train.batch_size:
            # The buffered block holds batches drawn for the old settings: a new noise distribution
            # must show in the very next step, not up to BLOCK batches later.
            self.drop_prefetched()
        for opt, oc in ((self.opt_g, new.opt_g), (self.opt_d, new.opt_d)):
            for group in opt.param_groups:
                group["lr"] = oc.lr
                if "betas" in group:
                    group["betas"] = (oc.beta1, oc.beta2)
        if self.device.type == "cpu" and new.train.threads != old.train.threads:
            torch.set_num_threads(new.train.threads)
        return False

    def set_target(self, target: GaussianMixture) -> None:
        """The very next batch samples from the new target; the networks keep training. A target of another
        dimension needs new networks: ValueError (switch the preset through apply_config instead)."""
        if target.dim != self.D.in_dim:
            raise ValueError(f"a {target.dim}-D target for networks built for {self.D.in_dim}-D points: change "
                             f"target.preset instead (new networks)")
        self.target = target
        self._real_block = None

    # --------------------------------------------------------------- sampling
    def drop_prefetched(self) -> None:
        """Forget the pre-drawn blocks of batches: the next batches are drawn from the random generators'
        current states. A state stored without its "prefetched" entry (a session file) needs this first, so
        that this trainer continues exactly as one loaded from that state does."""
        self._real_block: torch.Tensor | None = None
        self._noise_block: torch.Tensor | None = None
        self._real_pos = self._noise_pos = 0

    def real_batch(self, n: int) -> torch.Tensor:
        b = self._real_block
        if b is None or self._real_pos + n > len(b):
            b = self._real_block = self.target.sample(n * BLOCK, generator=self.rng, device=self.device)
            self._real_pos = 0
        self._real_pos += n
        return b[self._real_pos - n:self._real_pos]

    def noise(self, n: int) -> torch.Tensor:
        b = self._noise_block
        c = self.config.noise
        if b is None or self._noise_pos + n > len(b) or b.shape[1] != c.dim:
            b = self._noise_block = sample_noise(n * BLOCK, c.dim, c.dist, generator=self.noise_rng,
                                                 device=self.device)
            self._noise_pos = 0
        self._noise_pos += n
        return b[self._noise_pos - n:self._noise_pos]

    @torch.no_grad()
    def generate(self, n: int) -> torch.Tensor:
        return self.G(self.noise(n))

    # --------------------------------------------------------------- training
    def step(self, n: int = 1) -> int:
        """Run up to n iterations; stops early (and returns how many ran) if training diverges.

        On CUDA the logged numbers stay on the device for up to SYNC_EVERY iterations, so the GPU
        is not stalled by a host sync every iteration; divergence is still reported at the first
        bad iteration.
        """
        done = 0
        sync_every = self.sync_every
        while done < n and self.status == "ok":
            self._pending.append(self._iteration(self.config.train.k_d, self.config.train.k_g))
            done += 1
            if len(self._pending) >= sync_every:
                done -= self._flush()
        done -= self._flush()
        return done

    def d_step(self) -> None:
        """One discriminator step alone (the app's 'D step' button); counts as no iteration."""
        self._single(1, 0)

    def g_step(self) -> None:
        self._single(0, 1)

    def _single(self, k_d: int, k_g: int) -> None:
        if self.status == "ok":
            values = self._iteration(k_d, k_g).tolist()
            self.last = StepStats(*values)
            self._check(values, self.iteration, self._ran(k_d, k_g))

    def _iteration(self, k_d: int, k_g: int) -> torch.Tensor:
        """One iteration; returns (loss_d, loss_g, grad_norm_g) on the device, NaN for a part not run."""
        cfg = self.config.train
        k_d = 0 if self.freeze_d else k_d
        k_g = 0 if self.freeze_g else k_g
        loss_d = loss_g = gnorm = self._nan
        fast = self.device.type == "cpu" and self.fast_path(cfg)  # CUDA: the autograd path (not yet run on a GPU)
        for _ in range(k_d):
            loss_d = (self._d_step_fast(cfg, keep_fake=k_g > 0) if fast else self._d_step(cfg, keep_graph=k_g > 0))
            loss_d = loss_d.detach()
        for i in range(k_g):
            loss_g, gnorm = (self._g_step_fast if fast else self._g_step)(cfg, reuse=i == 0)
            loss_g = loss_g.detach()
        self._fake_cache = None
        return torch.stack([loss_d, loss_g, gnorm])

    def _flush(self) -> int:
        """Log the pending iterations; returns how many ran after the first divergence (not counted)."""
        if not self._pending:
            return 0
        rows = torch.stack(self._pending).tolist()
        self._pending.clear()
        ran = self._ran(self.config.train.k_d, self.config.train.k_g)
        for k, values in enumerate(rows):
            self.iteration += 1
            self.losses.append(self.iteration, *values)
            self.last = StepStats(*values)
            if not self._check(values, self.iteration, ran):
                extra = len(rows) - k - 1
                return extra
        return 0

    def _ran(self, k_d: int, k_g: int) -> tuple[bool, bool]:
        return k_d > 0 and not self.freeze_d, k_g > 0 and not self.freeze_g

    def _check(self, values, iteration: int, ran: tuple[bool, bool]) -> bool:
        bad = [name for name, v, r in (("L_D", values[0], ran[0]), ("L_G", values[1], ran[1]),
                                       ("generator gradient", values[2], ran[1]))
               if r and not math.isfinite(v)]
        if not bad:
            return True
        self.status = "diverged"
        self.message = (f"Training diverged at iteration {iteration}: {', '.join(bad)} became NaN or "
                        f"infinite. Reset, or lower the learning rates (D {self.config.opt_d.lr:g}, "
                        f"G {self.config.opt_g.lr:g}).")
        return False

    def _d_step(self, cfg, keep_graph: bool) -> torch.Tensor:
        n = cfg.batch_size
        real = self.real_batch(n)
        z = self.noise(n)
        if keep_graph:
            fake = self.G(z)  # graph kept for the first G step (G is unchanged until then)
            self._fake_cache = fake
            fake_in = fake.detach()
        else:
            with torch.no_grad():
                fake_in = self.G(z)
        logits = self.D(torch.cat([real, fake_in]))
        loss = losses.d_loss(cfg.loss, logits[:n], logits[n:])
        total = loss
        if cfg.loss == "wgan-gp" and cfg.gp_lambda > 0:
            total = total + cfg.gp_lambda * losses.gradient_penalty(self.D, real, fake_in, self.noise_rng)
        if cfg.r1_gamma > 0:
            total = total + 0.5 * cfg.r1_gamma * losses.r1_penalty(self.D, real)
        self.opt_d.zero_grad(set_to_none=True)
        total.backward()
        self.opt_d.step()
        return loss

    def _g_step(self, cfg, reuse: bool) -> tuple[torch.Tensor, torch.Tensor]:
        fake = self._take_fake(cfg, reuse)
        if fake is None:
            fake = self.G(self.noise(cfg.batch_size))
        loss = losses.g_loss(cfg.loss, self._g_logits(cfg, fake))
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward(inputs=self.g_params)
        grads = [p.grad for p in self.g_params if p.grad is not None]
        gnorm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads))) if grads else self._nan
        self.opt_g.step()
        return loss, gnorm

    def _take_fake(self, cfg, reuse: bool) -> torch.Tensor | None:
        """The last D step's G(z), when the first G step may reuse it (G unchanged since), else None."""
        fake = self._fake_cache
        self._fake_cache = None
        return fake if reuse and fake is not None and fake.shape[0] == cfg.batch_size else None

    # ------------------------------------------------ the same steps through netpass (no autograd graph)
    @staticmethod
    def fast_path(cfg) -> bool:
        """Whether an iteration runs netpass's hand-written pass: the penalties differentiate D twice and the
        oracle's G step reads D*, not the network D; those take autograd."""
        return not cfg.oracle_d and cfg.r1_gamma <= 0 and not (cfg.loss == "wgan-gp" and cfg.gp_lambda > 0)

    def _d_step_fast(self, cfg, keep_fake: bool) -> torch.Tensor:
        n = cfg.batch_size
        loss, fake = self._fast.d_step(cfg.loss, self.real_batch(n), self.noise(n), self.opt_d)
        self._fake_cache = fake if keep_fake else None  # G's activations stay for the first G step
        return loss

    def _g_step_fast(self, cfg, reuse: bool) -> tuple[torch.Tensor, torch.Tensor]:
        fake = self._take_fake(cfg, reuse)
        if fake is None:
            fake = self._fast.generate(self.noise(cfg.batch_size))
        return self._fast.g_step(cfg.loss, fake, self.opt_g)

    # -------------------------------------------------------------- probing
    @torch.no_grad()
    def d_logits(self, points) -> torch.Tensor:
        x = torch.as_tensor(points, dtype=torch.float32, device=self.device)
        return self.D(x)

    def generator_push(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Fake points G(z) and -dL_G/dx at them: where the generator's loss pushes each point."""
        with torch.no_grad():
            x = self.G(z)
        x = x.detach().requires_grad_(True)
        self.D.requires_grad_(False)
        try:
            loss = losses.g_loss(self.config.train.loss, self.D(x)) * len(x)  # per-sample gradient
            (grad,) = torch.autograd.grad(loss, x)
        finally:
            self.D.requires_grad_(True)
        return x.detach(), -grad

    def state_finite(self) -> bool:
        return all(bool(torch.isfinite(p).all()) for p in (*self.G.parameters(), *self.D.parameters()))

    # ------------------------------------------------------- the optimal D* (core/oracle.py)
    def _g_logits(self, cfg, fake: torch.Tensor) -> torch.Tensor:
        """What the G step's loss reads at G(z): D's logits, or with train.oracle_d the optimal D*'s for the
        current G (the idealised game; the D steps still train the network D, which the views keep showing)."""
        if not cfg.oracle_d:
            return self.D(fake)
        from .oracle import loss_logits

        return loss_logits(cfg.loss, self.oracle()(fake))

    def oracle(self, n: int | None = None):
        """D* for the current G: an oracle.OracleD against a KDE of n fresh samples of G (oracle.ORACLE_SAMPLES
        by default), with the theory panel's bandwidth. The samples come from the trainer's noise stream,
        so a run repeats from its seed, and a saved state continues exactly (state_dict holds that stream);
        so a caller outside training (a view) builds its own OracleD instead, or it changes later batches."""
        from .oracle import ORACLE_SAMPLES, OracleD, bandwidth

        with torch.no_grad():
            samples = self.G(self.noise(n or ORACLE_SAMPLES))
        return OracleD(self.target, samples, bandwidth(self.target, self.config.theory))

    def fit_d_to_dstar(self, steps: int | None = None, polish: int | None = None, samples: int | None = None) -> float:
        """The "Set D to D*" action: fit the network D to the optimal D* of the current G (panel (b) of the GAN paper's
        Figure 1); returns the mean |D - D*| over held-out samples (oracle.set_d_to_dstar). G, the iteration,
        the history, opt_d and the training streams are left as they are."""
        from .oracle import set_d_to_dstar

        return set_d_to_dstar(self, steps, polish, samples)


def _check_optimizer_shapes(opt: torch.optim.Optimizer) -> None:
    """torch loads an optimizer state of any shape; a wrong one would fail only at the next step."""
    for group in opt.param_groups:
        for p in group["params"]:
            for key, v in opt.state.get(p, {}).items():
                if not torch.is_tensor(v):
                    continue
                if (v.numel() != 1) if key == "step" else (tuple(v.shape) != tuple(p.shape)):
                    raise ValueError(f"optimizer state {key!r} has shape {tuple(v.shape)}, its parameter "
                                     f"{tuple(p.shape)}")
