"""The monkey test of tests/app/test_monkey.py, for minutes instead of seconds (run by hand, not in CI).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/monkey_long.py --actions 20000 --seed 1

The same random UI actions against the running window with training on; at the end the same checks (no
exception, no Qt warning, worker thread alive, window.config == trainer.config, controls show it, iteration
count matches the history, no temporary file left, training still runs). Prints progress with the RSS every
500 actions and exits 0 when everything held, 1 otherwise (with the problems and the last actions).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=1.0,
                    help="compute budget for combined heavy settings (1 = ~0.2 s an iteration; CI uses 0.3)")
    ap.add_argument("--check-every", type=int, default=2500,
                    help="also check the consistency of the state after every N actions (0: only at the end)")
    ap.add_argument("--out", help="append a one-line result to this file")
    args = ap.parse_args(argv)

    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QFileDialog

    pg.setConfigOptions(mouseRateLimit=0, useOpenGL=False)
    app = QApplication.instance() or QApplication(["monkey"])
    import test_monkey as tm

    from ganlab.app.window import MainWindow
    from ganlab.core.config import Config

    guard = tm.Guard()
    guard.install()
    tmp = Path(tempfile.mkdtemp(prefix="ganlab-monkey-"))
    rss0 = tm.rss_bytes()
    w = MainWindow(Config().with_values(tm.START))
    w.resize(1300, 850)
    w.show()
    w.activateWindow()
    tm.wait_for(lambda: w.frames_drawn > 0)
    guard.watch(w)
    monkey = tm.Monkey(w, args.seed, tmp, budget=args.budget)
    QFileDialog.getOpenFileName = staticmethod(monkey.dialog)
    QFileDialog.getSaveFileName = staticmethod(monkey.dialog)
    w.play()
    rss_start = tm.rss_bytes()
    t0 = time.perf_counter()

    def progress(i):
        print(f"  {i:6d} actions  {time.perf_counter() - t0:7.1f} s  RSS {tm.rss_bytes() / 2**20:7.1f} MiB  "
              f"iteration {w.worker.trainer.iteration:,}  problems so far {len(guard.problems())}", flush=True)

    problems: list[str] = []
    try:
        done = 0
        step = args.check_every if args.check_every > 0 else args.actions
        while done < args.actions and not problems and not guard.problems():
            n = min(step, args.actions - done)
            monkey.run(n, progress=lambda i, d=done: progress(d + i))
            done += n
            if done < args.actions:  # a mid-run check (it ends with the start settings, training again)
                problems = [f"after {done} actions: {p}" for p in tm.consistency_problems(w, tmp)]
                print(f"  check after {done} actions: {'ok' if not problems else 'PROBLEMS'}", flush=True)
        seconds = time.perf_counter() - t0
        rss_end = tm.rss_bytes()
        problems += tm.consistency_problems(w, tmp)
        t1 = time.perf_counter()
        thread = w.worker_thread.thread
        w.play()
        w.close()
        if thread.isRunning() or time.perf_counter() - t1 > 2.0:
            problems.append(f"closing took {time.perf_counter() - t1:.2f} s")
    finally:
        guard.uninstall()
    problems = guard.problems() + problems
    line = (f"monkey seed {args.seed} budget {args.budget:g}: {args.actions} actions in {seconds:.0f} s, "
            f"RSS {rss0 / 2**20:.0f} MiB before the window, {rss_start / 2**20:.0f} MiB at the start, "
            f"{rss_end / 2**20:.0f} MiB at the end; {'OK' if not problems else f'{len(problems)} PROBLEMS'}")
    print(line)
    print("actions:", dict(sorted(monkey.counts.items())))
    print("seconds per kind:", {k: round(v, 1) for k, v in monkey.seconds.most_common()})
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    if problems:
        print("\n".join(problems[:30]))
        print("last actions:", ", ".join(monkey.recent))
        return 1
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
