"""Run every lesson's full check (its claim, trained headless with its fixed seed) and report the numbers.

Run by hand: `python benchmarks/check_lessons.py [--only ID ...] [--out benchmarks/results/lessons.txt]`.
The fast lessons also run in tests/test_lessons.py; lessons 3 (k = 5, 5000 iterations) and 5 (WGAN-GP,
1000 iterations at about 25 it/s) take minutes on a laptop core and are checked only here.
Exit status 1 if any claim fails. The lesson texts quote the numbers this script measures: if a change
moves them, update the texts.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from pathlib import Path

import torch

from ganlab.core.lessons import load_lessons, run_check

COLUMNS = ("jsd", "gap", "modes_captured", "hq_fraction", "top_mode", "top_mode_share", "d_fake", "grad_norm_g")


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "-"
    if v == int(v) and abs(v) < 1e5:
        return str(int(v))
    return f"{v:.3g}"


def table(result) -> list[str]:
    """The measured metrics of every run at every checkpoint."""
    lines = []
    for run, rows in result.tables.items():
        lines.append(f"    run '{run}':")
        lines.append("    " + f"{'step':>6} " + " ".join(f"{c:>14}" for c in COLUMNS))
        for step, row in rows.items():
            lines.append("    " + f"{step:>6} " + " ".join(f"{_fmt(row[c]):>14}" for c in COLUMNS))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=None, help="lesson ids (default: all)")
    ap.add_argument("--out", default="benchmarks/results/lessons.txt")
    args = ap.parse_args(argv)
    lessons = [l for l in load_lessons() if not args.only or l.id in args.only]
    header = [f"# Lesson checks: {time.strftime('%Y-%m-%d %H:%M')}",
              f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
              f"torch {torch.__version__}, 1 thread, CPU"]
    summary = [f"{'#':>2} {'lesson':<20} {'result':<6} {'iterations':>10} {'seconds':>8} {'where checked':<14}"]
    details: list[str] = []
    ok = True
    for lesson in lessons:
        print(f"lesson {lesson.order} ({lesson.id}): {lesson.check.steps} iterations...", file=sys.stderr, flush=True)
        r = run_check(lesson)
        ok &= r.passed and r.complete
        where = "pytest + here" if lesson.check.fast else "here only"
        summary.append(f"{lesson.order:>2} {lesson.id:<20} {'PASS' if r.passed else 'FAIL':<6} {r.steps:>10} "
                       f"{r.seconds:>8.1f} {where:<14}")
        details += ["", r.report(), *table(r)]
        print(summary[-1], file=sys.stderr, flush=True)
    text = "\n".join([*header, "", *summary, *details]) + "\n"
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
