"""Which device a run trains on: 'auto' takes CUDA only where a GPU gains at the run's size."""

from __future__ import annotations

import torch

from .config import Config
from .presets import preset_dim

# "auto" takes CUDA only from this much work per iteration (multiply-adds of both networks' forward passes
# over a batch). Below it a GPU step is bound by kernel launches: at the default size (2x64, batch 256,
# ~2.5M) an H100 ran 273 it/s against 501 on one CPU thread; at 3x128, batch 1024 (~70M) 237 against 82.
# One CPU thread's time grows ~0.16 ms per million, so the two meet near 15M.
CUDA_MIN_WORK = 15e6


def step_work(config: Config) -> float:
    """Multiply-adds of G's and D's forward passes over one batch (a size measure, not a timing)."""

    def net(n_in: int, nc, n_out: int) -> float:
        w = nc.width
        return n_in * w + (nc.depth - 1) * w * w + w * n_out

    dim = preset_dim(config.target.preset)
    per_sample = net(config.noise.dim, config.generator, dim) + net(dim, config.discriminator, 1)
    return float(config.train.batch_size) * per_sample


def resolve_device(name: str, config: Config | None = None) -> torch.device:
    """'auto' is CUDA when it is available and the networks and batch are big enough to gain from it
    (see CUDA_MIN_WORK; without a config, whenever CUDA is available)."""
    if name == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("train.device = 'cuda' but CUDA is not available here; use 'auto' or 'cpu'")
        return torch.device("cuda")
    if name == "auto":
        big = config is None or step_work(config) >= CUDA_MIN_WORK
        return torch.device("cuda" if big and torch.cuda.is_available() else "cpu")
    return torch.device("cpu")
