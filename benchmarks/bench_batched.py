"""N default-size GANs as one BatchedTrainer against N single Trainers run one after another.

Run by hand: `python benchmarks/bench_batched.py [--members 16] [--seconds 2] [--rounds 5]
[--out benchmarks/results/batched.txt]`. One process, one CPU thread; the two are measured in alternating
rounds so that machine noise hits both alike, and the medians are reported as aggregate iterations per
second (member iterations: a batched iteration of N members counts N). The load average is written too:
numbers taken on a busy machine are noisy.

Each case also reports the floor batching cannot go under: the time a batched iteration spends in its
matrix products alone (torch's profiler, the bmm/baddbmm kernels), their rate in GFLOP/s, and the speed-up
that would follow if everything else in a batched step cost nothing (N x a single run's iteration time over
that floor). Batching removes per-call overhead, never arithmetic: where the singles' own step is already
mostly arithmetic, no batched code on this CPU reaches more than that bound.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

from ganlab.core.batched import BatchedTrainer
from ganlab.core.config import Config
from ganlab.core.trainer import Trainer

SIZES = {
    "default (2x64, batch 256)": {},
    # GAN Lab's size class: here a step is nearly all per-call overhead, which batching removes
    "small (2x16, batch 64)": {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64},
}


def configs(n: int, size: dict, lr_sweep: bool) -> list[Config]:
    out = []
    for i in range(n):
        values = {**size, "train.seed": i, "train.device": "cpu", "train.threads": 1}
        if lr_sweep:  # every member its own learning rates: one optimizer call per member
            values.update({"opt_d.lr": 1e-4 * (1 + i), "opt_g.lr": 1e-4 * (1 + i)})
        out.append(Config().with_values(values))
    return out


def batched_rate(batch: BatchedTrainer, seconds: float) -> float:
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        batch.step(5)
        done += 5
    return done * batch.n / (time.perf_counter() - t0)


def singles_rate(trainers: list[Trainer], seconds: float) -> float:
    """Each trainer in turn for its share of the time (runs one after another, as a loop over configs)."""
    done, t0 = 0, time.perf_counter()
    share = seconds / len(trainers)
    for t in trainers:
        t1 = time.perf_counter()
        while time.perf_counter() - t1 < share:
            t.step(5)
            done += 5
    return done / (time.perf_counter() - t0)


def product_floor(batch: BatchedTrainer, iterations: int = 40) -> tuple[float, float]:
    """Seconds per batched iteration spent in the batched matrix products alone, and their GFLOP/s."""
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        batch.step(iterations)
    seconds = flops = 0.0
    for e in prof.key_averages(group_by_input_shape=True):
        if e.key not in ("aten::bmm", "aten::baddbmm"):
            continue
        seconds += e.self_cpu_time_total / 1e6
        a, b = (e.input_shapes[:2] if e.key == "aten::bmm" else e.input_shapes[1:3])
        flops += 2.0 * a[0] * a[1] * a[2] * b[2] * e.count  # (N, m, k) @ (N, k, n)
    return seconds / iterations, flops / seconds / 1e9


def measure(n: int, size: dict, lr_sweep: bool, seconds: float,
            rounds: int) -> tuple[float, float, float, float]:
    cfgs = configs(n, size, lr_sweep)
    batch = BatchedTrainer(cfgs)
    trainers = [Trainer(c) for c in cfgs]
    batch.step(10)  # warm-up: first blocks drawn, allocator primed
    for t in trainers:
        t.step(10)
    b, s = [], []
    for _ in range(rounds):
        b.append(batched_rate(batch, seconds))
        s.append(singles_rate(trainers, seconds))
    floor, gflops = product_floor(batch)
    assert all(st == "ok" for st in batch.status), batch.message
    return statistics.median(b), statistics.median(s), floor, gflops


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default="benchmarks/results/batched.txt")
    args = ap.parse_args()
    torch.set_num_threads(1)
    load = os.getloadavg()
    lines = [f"# bench_batched  {time.strftime('%Y-%m-%d %H:%M')}  torch {torch.__version__}  "
             f"{platform.processor() or platform.machine()}  {os.cpu_count()} CPUs  threads 1  "
             f"(median of {args.rounds} alternating rounds of {args.seconds:g} s)",
             f"# load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"]
    cases = [("default (2x64, batch 256)", "seeds", False), ("default (2x64, batch 256)", "seeds + lr", True),
             ("small (2x16, batch 64)", "seeds", False)]
    for size, name, sweep in cases:
        b, s, floor, gflops = measure(args.members, SIZES[size], sweep, args.seconds, args.rounds)
        bound = args.members / floor / s
        lines.append(f"{args.members} x {size:26s} members differ in {name:11s} "
                     f"batched {b:7.0f} it/s   singles {s:6.0f} it/s   speed-up {b / s:.2f}x   "
                     f"| products alone {floor * 1e3:.2f} of {args.members / b * 1e3:.2f} ms a batched iteration "
                     f"at {gflops:.0f} GFLOP/s: speed-up bound {bound:.2f}x")
        print(lines[-1], flush=True)
    load = os.getloadavg()
    lines.append(f"# load average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
