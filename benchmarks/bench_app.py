"""The live app's performance, measured in the real window (offscreen):

- training iterations per second headless (Trainer.step in a loop, same process, same config);
- the same while the app runs and draws (worker thread + GUI redraws), and the frames per second, at full
  speed (32 frames/s) and in fast-forward (10 frames/s);
- the time from `ganlab` to a shown window (a fresh process, `--smoke-test`);
- a paired ratio: in one process, phases of the playing, drawing app alternate with phases of a headless
  Trainer.step loop (the app paused), and each app phase is divided by the headless one next to it. This
  machine's speed drifts by +-20 % within a minute; the paired ratio is what changes of the code are
  compared by (the separate medians above move with the drift).

Run by hand: `QT_QPA_PLATFORM=offscreen python benchmarks/bench_app.py [--seconds 8]`.
Writes benchmarks/results/app.txt.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):  # as `ganlab` sets them (cli.py)
    os.environ.setdefault(_var, "1")


def headless_rate(seconds: float) -> float:
    import torch

    from ganlab.core.config import Config
    from ganlab.core.trainer import Trainer

    torch.set_num_threads(1)
    t = Trainer(Config())
    t.step(50)
    return _steps_per_second(t, seconds)


def _steps_per_second(trainer, seconds: float) -> float:
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        n += trainer.step(10)
    return n / (time.perf_counter() - t0)


def _open_window(size, speed: int = 0):
    """(app, window) as `ganlab` has them once the trainer is built, at an entry of transport.SPEEDS."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ganlab.app.perf import freeze_startup_heap
    from ganlab.app.window import MainWindow

    w = MainWindow()
    w.resize(*size)
    w.show()
    freeze_startup_heap()   # as main.py does once the trainer is built
    w.speed.setCurrentIndex(speed)   # 0: full speed, 32 frames/s
    return app, w


def app_rates(seconds: float, size=(1500, 950), speed: int = 0) -> tuple[float, float, int]:
    """Training it/s and frames/s in the real window, driven by app.exec() as `ganlab` runs it (the event
    loop releases the GIL while it waits; a processEvents loop would not be the app)."""
    from PySide6.QtCore import QTimer

    app, w = _open_window(size, speed)
    got: dict[str, float] = {}

    def begin() -> None:
        got.update(it0=w.worker.trainer.iteration, f0=w.frames_drawn, t0=time.perf_counter())
        QTimer.singleShot(int(seconds * 1000), end)

    def end() -> None:
        dt = time.perf_counter() - got["t0"]
        got.update(its=(w.worker.trainer.iteration - got["it0"]) / dt, fps=(w.frames_drawn - got["f0"]) / dt)
        app.quit()

    QTimer.singleShot(1000, w.play)   # the window settles
    QTimer.singleShot(2000, begin)    # a second of warm-up
    app.exec()
    points = len(w.drawn.real) + len(w.drawn.fake) if w.drawn is not None else 0
    w.close()
    return got["its"], got["fps"], points


def paired_ratios(pairs: int, phase: float = 2.5, size=(1500, 950)) -> tuple[list[float], float]:
    """(app it/s / headless it/s for each pair, median frames/s), full speed."""
    import torch
    from PySide6.QtCore import QTimer

    from ganlab.core.config import Config
    from ganlab.core.trainer import Trainer

    torch.set_num_threads(1)
    app, w = _open_window(size)
    head = Trainer(Config())
    head.step(50)
    live, alone, fps = [], [], []

    def headless() -> None:   # blocks the event loop: the app is paused meanwhile
        alone.append(_steps_per_second(head, phase))

    def cycle(i: int = 0) -> None:
        if i == pairs:
            app.quit()
            return
        w.play()

        def measure() -> None:
            it0, f0, t0 = w.worker.trainer.iteration, w.frames_drawn, time.perf_counter()

            def end() -> None:
                dt = time.perf_counter() - t0
                live.append((w.worker.trainer.iteration - it0) / dt)
                fps.append((w.frames_drawn - f0) / dt)
                w.pause()
                QTimer.singleShot(200, lambda: (headless(), cycle(i + 1)))

            QTimer.singleShot(int(phase * 1000), end)

        QTimer.singleShot(700, measure)   # the worker is up to speed

    QTimer.singleShot(1500, cycle)
    app.exec()
    w.close()
    return [a / h for a, h in zip(live, alone, strict=True)], statistics.median(fps)


def startup_seconds() -> tuple[float, float]:
    """(window shown, first frame drawn), in seconds from the process start (interpreter start included)."""
    out = subprocess.run([sys.executable, "-m", "ganlab", "--smoke-test", "0"], check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True)
    m = re.search(r"window shown after ([0-9.]+) s, first frame after ([0-9.]+) s", out.stdout)
    if not m:
        raise RuntimeError(f"unexpected smoke-test output: {out.stdout!r} {out.stderr[-500:]!r}")
    # the app measures from run_app(); add the interpreter and CLI start
    start = _interpreter_start()
    return start + float(m.group(1)), start + float(m.group(2))


def _interpreter_start() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import ganlab.cli"], check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=16, help="pairs for the paired ratio (0: skip it)")
    ap.add_argument("--out", default="benchmarks/results/app.txt")
    args = ap.parse_args()
    from ganlab.app.transport import SPEEDS

    fast = next(i for i, sp in enumerate(SPEEDS) if sp[0].startswith("Fast-forward"))
    head, live, fps, live_ff, fps_ff = [], [], [], [], []
    points = 0
    for _ in range(args.rounds):  # interleaved, so a change in the machine's speed hits all three alike
        head.append(headless_rate(args.seconds / 2))
        its, f, points = app_rates(args.seconds)
        live.append(its)
        fps.append(f)
        its, f, _ = app_rates(args.seconds, speed=fast)
        live_ff.append(its)
        fps_ff.append(f)
    ratios, pfps = paired_ratios(args.pairs) if args.pairs else ([], 0.0)
    starts = [startup_seconds() for _ in range(3)]
    h, li, fp = statistics.median(head), statistics.median(live), statistics.median(fps)
    lf, ff = statistics.median(live_ff), statistics.median(fps_ff)
    q1, _, q3 = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else (0.0, 0.0, 0.0)
    lines = [
        f"# bench_app  {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} CPUs  offscreen, 1500x950 window, "
        f"{points} points drawn, default config (median of {args.rounds} rounds)",
        f"headless training          {h:7.0f} it/s",
        f"training while GUI draws   {li:7.0f} it/s   ({100 * li / h:.0f}% of headless)   full speed",
        f"GUI frames                 {fp:7.1f} fps",
        f"training while GUI draws   {lf:7.0f} it/s   ({100 * lf / h:.0f}% of headless)   fast-forward",
        f"GUI frames                 {ff:7.1f} fps",
        *([f"paired, one process        {100 * statistics.median(ratios):6.0f} %     of headless, full speed, "
           f"{pfps:.1f} fps (median of {len(ratios)} pairs; quartiles {100 * q1:.0f}-{100 * q3:.0f} %)"]
          if len(ratios) >= 2 else []),
        f"window shown after start   {statistics.median(s for s, _ in starts):7.2f} s (median of 3, fresh process)",
        f"first frame drawn after    {statistics.median(f for _, f in starts):7.2f} s (torch loaded, trainer built)",
    ]
    print("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
