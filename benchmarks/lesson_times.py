"""How long each lesson takes to show its point in the real window (offscreen, 1366x768): seconds from Start
until the iteration of its last checked claim, and until all modes are first captured (where that is the point).

Run by hand: `python benchmarks/lesson_times.py [--out benchmarks/results/lesson_times.txt]`. A lesson that needs
more than ~30 s in front of a class is too slow (issue 12).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "lesson_times.txt"))
    args = ap.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive for the run)
    from helpers import new_window, show_window, wait_for  # the tests' window helpers (no settings are kept)

    from ganlab.core.config import Config

    w = new_window(config=Config())
    w.resize(1366, 768)
    show_window(w)
    lines = [f"# lesson times in the app: {time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, "
             f"{os.cpu_count()} CPUs, offscreen 1366x768, full speed",
             f"{'lesson':<22}{'checked to':>11}{'seconds':>9}{'all modes after':>17}{'it/s':>7}"]
    for lesson in w.lesson_controller.lessons:
        w.lesson_controller.apply(lesson)
        wait_for(lambda lesson=lesson: w.drawn is not None and w.drawn.iteration == lesson.prepare
                 and w.worker.trainer.config.train.seed == lesson.seed, 60)
        goal = lesson.check.steps
        t0 = time.perf_counter()
        first_all = [None]
        w.lesson_controller.start()

        def done(goal=goal, t0=t0, first_all=first_all):
            s = w.drawn
            cov = s.coverage if s is not None else None
            if cov is not None and first_all[0] is None and cov.modes_captured == cov.n_modes:
                first_all[0] = time.perf_counter() - t0
            return s is not None and s.iteration >= goal

        wait_for(done, 300)
        secs = time.perf_counter() - t0
        w.pause()
        seen = "-" if first_all[0] is None else f"{first_all[0]:.1f} s"
        lines.append(f"{lesson.id:<22}{goal:>11}{secs:>9.1f}{seen:>17}{w.worker.its_per_sec:>7.0f}")
        print(lines[-1], file=sys.stderr, flush=True)
    w.close()
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
