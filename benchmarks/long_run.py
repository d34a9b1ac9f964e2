"""Long runs (issue 6): memory stays flat, iterations per second do not decay, curves stay drawable.

    .venv/bin/python benchmarks/long_run.py                          # both parts: 10^6 iterations + 10 min app
    .venv/bin/python benchmarks/long_run.py --iterations 300000 --app-minutes 0   # headless part only
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/long_run.py --iterations 0 --app-minutes 10

1. Headless: the core Trainer for --iterations (default 10^6) in chunks of --every iterations, with an
   Observer snapshot (D on the grid, D*, JSD, coverage; what `ganlab run` logs) after each chunk. Reports
   RSS (VmRSS from /proc/self/status) at the start, the middle and the end and after every 10% block, the
   iterations per second of every 10% block, the size of the loss history (it keeps one row of 4 float64
   per iteration by design: 32 bytes an iteration), and the time to min/max-decimate the whole history for
   a curve.
2. Live app: the main window offscreen, training at full speed for --app-minutes, with a loss history
   preloaded to --preload iterations (default 10^6, about an hour of classroom use at the app's rate), so the
   curves draw an hour's worth of data. Reports RSS, frames per second and iterations per second in the
   first and the last minute, and the time to redraw every curve from the full history at the end.

Results go to benchmarks/results/long_run.txt (overwritten; --out to change). On the 2-core machine here the
headless part runs 350-500 iterations per CPU second: 10^6 iterations take 35-50 minutes on a quiet machine.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


# ===================================================================== 1. headless
def headless(iterations: int, every: int, log) -> list[str]:
    import numpy as np
    import torch

    from ganlab.core.config import Config
    from ganlab.core.history import decimate
    from ganlab.core.observer import Observer
    from ganlab.core.trainer import Trainer

    cfg = Config()  # the defaults: ring8, width 64, depth 2, batch 256, Adam, k = 1
    trainer = Trainer(cfg)
    obs = Observer(trainer)
    obs.take(theory=True)
    trainer.step(200)  # warm-up (first-call costs), not counted
    trainer.reset()
    obs.clear()
    rss0 = rss_mib()
    out = [f"## Headless: {iterations:,} iterations of the core Trainer (defaults: {cfg.target.preset}, width "
           f"{cfg.generator.width}, depth {cfg.generator.depth}, batch {cfg.train.batch_size}, loss {cfg.train.loss}, "
           f"torch {torch.__version__}, {torch.get_num_threads()} thread), an Observer snapshot every {every:,}",
           "", f"RSS at the start: {rss0:.1f} MiB", "",
           "it/s is wall-clock; it/CPU-s divides by the process's CPU time, which other programs on the machine "
           "do not slow down (training runs on one thread).", "",
           "| block | iterations | it/s | it/CPU-s | RSS MiB | loss history MiB | JSD | modes | load avg |",
           "|---|---|---|---|---|---|---|---|---|"]
    log("\n".join(out))
    blocks = 10
    per_block = max(1, iterations // blocks)
    rates, cpu_rates, rss = [], [], [rss0]
    t_all = time.perf_counter()
    for b in range(blocks):
        target = iterations if b == blocks - 1 else (b + 1) * per_block
        t0, c0 = time.perf_counter(), time.process_time()
        while trainer.iteration < target and trainer.status == "ok":
            trainer.step(min(every, target - trainer.iteration))
            snap = obs.take(theory=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        done = target - (b * per_block)
        rate = done / wall
        rates.append(rate)
        cpu_rates.append(done / max(cpu, 1e-9))
        rss.append(rss_mib())
        hist_mib = trainer.losses._data.nbytes / 2**20
        line = (f"| {b + 1} | {trainer.iteration:,} | {rate:,.0f} | {cpu_rates[-1]:,.0f} | {rss[-1]:.1f} | "
                f"{hist_mib:.1f} | {snap.theory.jsd:.3f} | {snap.coverage.modes_captured}/{snap.coverage.n_modes} | "
                f"{os.getloadavg()[0]:.1f} |")
        out.append(line)
        log(line)
        if trainer.status != "ok":
            out.append(f"stopped: {trainer.message}")
            break
    total = time.perf_counter() - t_all
    v = trainer.losses.view()
    t0 = time.perf_counter()
    for col in ("loss_d", "loss_g", "grad_norm_g"):
        xd, yd = decimate(v["step"], v[col], 2000)
    dec_ms = (time.perf_counter() - t0) * 1000 / 3
    hist_rows = len(trainer.losses)
    mid = rss[len(rss) // 2]
    drift = (rates[-1] / rates[0] - 1) * 100 if rates and rates[0] > 0 else math.nan
    summary = [
        "",
        f"- {trainer.iteration:,} iterations in {total / 60:.1f} min: {trainer.iteration / total:,.0f} it/s overall; "
        f"first 10% block {rates[0]:,.0f} it/s, last {rates[-1]:,.0f} it/s ({drift:+.1f}%), "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}. Per CPU second: first {cpu_rates[0]:,.0f}, last "
        f"{cpu_rates[-1]:,.0f} ({(cpu_rates[-1] / cpu_rates[0] - 1) * 100:+.1f}%), min {min(cpu_rates):,.0f}, "
        f"max {max(cpu_rates):,.0f}.",
        f"- RSS start {rss0:.1f} MiB, middle {mid:.1f} MiB, end {rss[-1]:.1f} MiB "
        f"(+{rss[-1] - rss0:.1f} MiB; the loss history holds {hist_rows:,} rows = "
        f"{hist_rows * 32 / 2**20:.1f} MiB of data in a {trainer.losses._data.nbytes / 2**20:.1f} MiB array that "
        f"doubles when full; RSS without it: +{rss[-1] - rss0 - trainer.losses._data.nbytes / 2**20:.1f} MiB).",
        f"- Min/max decimation of a {hist_rows:,}-point curve to {len(xd)} points: {dec_ms:.1f} ms.",
        f"- Status at the end: {trainer.status}; all weights finite: {trainer.state_finite()}; "
        f"last L_D {float(np.asarray(v['loss_d'])[-1]):.4f}.",
    ]
    log("\n".join(summary))
    return out + summary


# ===================================================================== 2. live app
def live_app(minutes: float, preload: int, log) -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    pg.setConfigOptions(antialias=False, useOpenGL=False)
    app = QApplication.instance() or QApplication(["long_run"])
    from ganlab.app.window import MainWindow
    from ganlab.core.config import Config

    rss_before = rss_mib()
    w = MainWindow(Config())
    w.resize(1500, 950)
    w.show()
    while w.frames_drawn == 0:
        app.processEvents()
        time.sleep(0.005)
    if preload:
        # An hour's history (the app trains ~300-900 it/s while drawing): synthetic rows, loaded while paused.
        t = w.worker.trainer
        steps = np.arange(1, preload + 1, dtype=np.float64)
        rng = np.random.default_rng(0)
        rows = np.column_stack([steps, 1.386 + 0.05 * rng.standard_normal(preload),
                                0.693 + 0.05 * rng.standard_normal(preload), 0.1 + 0.01 * rng.random(preload)])
        t.losses.load(rows)
        t.iteration = preload
        m = max(1, preload // 200)
        ms = np.arange(m, preload + 1, m, dtype=np.float64)
        w.worker.observer.metrics.load(np.column_stack([ms] + [rng.random(len(ms)) for _ in range(7)]))
        w.worker.snapshot_now()
    samples: list[tuple[float, int, int, float]] = []  # (time, iteration, frames, rss)
    t_start = time.perf_counter()

    def sample():
        samples.append((time.perf_counter() - t_start, w.worker.trainer.iteration, w.frames_drawn, rss_mib()))
        if len(samples) % 6 == 1:
            s = samples[-1]
            log(f"  {s[0] / 60:5.1f} min  iteration {s[1]:,}  frames {s[2]:,}  RSS {s[3]:.1f} MiB")

    timer = QTimer()
    timer.timeout.connect(sample)
    timer.start(10_000)
    sample()
    w.play()
    QTimer.singleShot(int(minutes * 60_000), app.quit)
    app.exec()
    sample()
    w.pause()
    timer.stop()
    t0 = time.perf_counter()
    w.curves._force = True
    w.curves.flush()
    flush_ms = (time.perf_counter() - t0) * 1000
    n_points = max(len(s.curve.getData()[0]) for s in w.curves.series if s.curve.getData()[0] is not None)
    finite = all(np.isfinite(s.curve.getData()[0]).all() for s in w.curves.series
                 if s.curve.getData()[0] is not None and len(s.curve.getData()[0]))
    t0 = time.perf_counter()
    img = w.grab()
    grab_ms = (time.perf_counter() - t0) * 1000
    status = w.worker.trainer.status
    hist_rows = len(w.worker.trainer.losses)
    w.close()

    def window_rate(a, b):
        (t0_, i0, f0, _), (t1_, i1, f1, _) = a, b
        dt = max(t1_ - t0_, 1e-9)
        return (i1 - i0) / dt, (f1 - f0) / dt

    first = next((s for s in samples if s[0] >= 60), samples[-1])
    last_start = next((s for s in samples if s[0] >= samples[-1][0] - 60), samples[0])
    it0, fps0 = window_rate(samples[0], first)
    it1, fps1 = window_rate(last_start, samples[-1])
    out = [
        "", f"## Live app: {minutes:g} min offscreen at full speed (defaults, {preload:,} iterations of history "
            f"preloaded)", "",
        "| minute | iteration | frames | RSS MiB |", "|---|---|---|---|",
        *[f"| {s[0] / 60:.1f} | {s[1]:,} | {s[2]:,} | {s[3]:.1f} |" for s in samples[:: max(1, len(samples) // 12)]],
        "",
        f"- RSS before the window {rss_before:.1f} MiB; at the start {samples[0][3]:.1f} MiB, at the end "
        f"{samples[-1][3]:.1f} MiB ({samples[-1][3] - samples[0][3]:+.1f} MiB; the history grew by "
        f"{hist_rows - preload:,} rows = {(hist_rows - preload) * 32 / 2**20:.1f} MiB).",
        f"- First minute: {it0:,.0f} it/s, {fps0:.0f} frames/s; last minute: {it1:,.0f} it/s, {fps1:.0f} frames/s.",
        f"- At the end ({hist_rows:,} iterations in the history): redrawing every curve from the full history "
        f"{flush_ms:.0f} ms, at most {n_points} points per curve (min/max decimated), x finite: {finite}; "
        f"grabbing the whole window {grab_ms:.0f} ms ({img.width()}x{img.height()}); status {status}.",
    ]
    log("\n".join(out))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=1_000_000, help="headless iterations (0 skips)")
    ap.add_argument("--every", type=int, default=1000, help="iterations between observer snapshots (headless)")
    ap.add_argument("--app-minutes", type=float, default=10.0, help="minutes of the live app (0 skips)")
    ap.add_argument("--preload", type=int, default=1_000_000, help="iterations of history preloaded in the app")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "long_run.txt"))
    args = ap.parse_args(argv)

    def log(text: str) -> None:
        print(text, flush=True)

    lines = [f"# Long runs ({time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()})", "",
             f"Command: python benchmarks/long_run.py --iterations {args.iterations} --every {args.every} "
             f"--app-minutes {args.app_minutes:g} --preload {args.preload}", ""]
    if args.iterations > 0:
        lines += headless(args.iterations, args.every, log)
    if args.app_minutes > 0:
        lines += live_app(args.app_minutes, args.preload, log)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
