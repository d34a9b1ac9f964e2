"""Trainer iterations per second against a plain textbook PyTorch loop on the same config.

Run by hand: `python benchmarks/bench_trainer.py [--seconds 2] [--rounds 9] [--out benchmarks/results/trainer.txt]`.
All loops run in the same process, one thread, interleaved in rounds (ganlab, ganlab on its autograd path,
textbook), so machine noise hits them alike; medians are reported. "autograd path" is the same Trainer with
its hand-written fast path (core/netpass.py) switched off: the same numbers, bit for bit, by autograd.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from ganlab.core.config import Config
from ganlab.core.networks import Discriminator, Generator
from ganlab.core.presets import make_preset
from ganlab.core.trainer import Trainer


def textbook(cfg: Config):
    """The loop most tutorials write: two D forwards, a fresh G forward for the G step, default Adam."""
    torch.manual_seed(cfg.train.seed)
    G, D = Generator(cfg.noise.dim, cfg.generator), Discriminator(cfg.discriminator)
    og = torch.optim.Adam(G.parameters(), lr=cfg.opt_g.lr, betas=(cfg.opt_g.beta1, cfg.opt_g.beta2))
    od = torch.optim.Adam(D.parameters(), lr=cfg.opt_d.lr, betas=(cfg.opt_d.beta1, cfg.opt_d.beta2))
    target = make_preset(cfg.target.preset)
    n, dim = cfg.train.batch_size, cfg.noise.dim

    def step():
        for _ in range(cfg.train.k_d):
            real = target.sample(n)
            fake = G(torch.randn(n, dim)).detach()
            lr_, lf = D(real), D(fake)
            loss_d = F.binary_cross_entropy_with_logits(lr_, torch.ones_like(lr_)) + \
                F.binary_cross_entropy_with_logits(lf, torch.zeros_like(lf))
            od.zero_grad()
            loss_d.backward()
            od.step()
        for _ in range(cfg.train.k_g):
            lf = D(G(torch.randn(n, dim)))
            loss_g = F.binary_cross_entropy_with_logits(lf, torch.ones_like(lf))
            og.zero_grad()
            loss_g.backward()
            og.step()
        return loss_d.item(), loss_g.item()

    return step


def rate(step, seconds: float) -> float:
    for _ in range(20):
        step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--out", default="benchmarks/results/trainer.txt")
    args = ap.parse_args()
    torch.set_num_threads(1)
    configs = {
        "default (2x64, batch 256)": Config(),
        "larger (3x128, batch 1024)": Config().with_values({
            "generator.depth": 3, "generator.width": 128, "discriminator.depth": 3,
            "discriminator.width": 128, "train.batch_size": 1024}),
    }
    lines = [f"# bench_trainer  {time.strftime('%Y-%m-%d %H:%M')}  torch {torch.__version__}  "
             f"{platform.processor() or platform.machine()}  threads 1  "
             f"(median of {args.rounds} rounds of {args.seconds:g} s)",
             f"# load average at start {os.getloadavg()[0]:.2f}"]
    for name, cfg in configs.items():
        cfg = cfg.with_value("train.device", "cpu")
        ours, plain, theirs = [], [], []
        trainer, autograd = Trainer(cfg), Trainer(cfg)
        autograd.fast_path = lambda c: False
        tb = textbook(cfg)
        for _ in range(args.rounds):
            ours.append(rate(lambda t=trainer: t.step(1), args.seconds))
            plain.append(rate(lambda t=autograd: t.step(1), args.seconds))
            theirs.append(rate(tb, args.seconds))
        o, a, t = statistics.median(ours), statistics.median(plain), statistics.median(theirs)
        pairs = statistics.median(x / y for x, y in zip(ours, theirs, strict=True))
        lines.append(f"{name:28s} ganlab {o:6.0f} it/s   autograd path {a:6.0f} it/s   textbook {t:6.0f} it/s   "
                     f"speed-up {o / t:4.2f}x (median of the rounds' ratios {pairs:4.2f}x)")
        print(lines[-1], flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines.append(f"# load average at end {os.getloadavg()[0]:.2f}")
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
