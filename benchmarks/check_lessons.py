"""Run every lesson's full check (its claim, trained headless with its fixed seed) and report the numbers.

Run by hand: `python benchmarks/check_lessons.py [--only ID ...] [--seeds N] [--jobs J]
[--out benchmarks/results/lessons.txt]`.

Without --seeds each lesson is checked on its own seed (config train.seed), the run a class sees when it
opens the lesson. --seeds N also reruns each lesson's full check with only the seed changed, on N fixed seeds
that no lesson was tuned on: 101, 102, ... (ganlab.core.lessons.unseen_seeds; a lesson's own seed is skipped),
and reports per lesson and per claim on how many of them the claim held ("9/10"). A claim must hold on at
least 80% of them (SEEDS_REQUIRED: 8 of 10); a lesson whose point is statistical says so in its text.
--jobs J runs J checks at a time in separate processes (each on one torch thread); the numbers do not
change, the seconds reported do (they then include the other processes' load).

The fast lessons also run in tests/test_lessons.py (own seed; tests/test_lessons_seeds.py checks a fast
lesson on two unseen seeds). Exit status 1 if a claim fails on a lesson's own seed or holds on fewer than
SEEDS_REQUIRED of the unseen seeds. The lesson texts quote the numbers this script measures: if a change
moves them, update the texts.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ganlab.core.lesson_seeds import SEEDS_REQUIRED, SeedsResult, unseen_seeds
from ganlab.core.lessons import CheckResult, load_lessons, run_check

COLUMNS = ("jsd", "gap", "modes_captured", "hq_fraction", "on_top_mode", "on_top2_modes", "hq_top_mode",
           "d_fake", "grad_norm_g")


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "-"
    if v == int(v) and abs(v) < 1e5:
        return str(int(v))
    return f"{v:.3g}"


def table(result: CheckResult) -> list[str]:
    """The measured metrics of every run at every checkpoint."""
    lines = []
    for run, rows in result.tables.items():
        lines.append(f"    run '{run}':")
        lines.append("    " + f"{'step':>6} " + " ".join(f"{c:>14}" for c in COLUMNS))
        for step, row in rows.items():
            lines.append("    " + f"{step:>6} " + " ".join(f"{_fmt(row[c]):>14}" for c in COLUMNS))
    return lines


def seed_lines(res: SeedsResult) -> list[str]:
    """One line per seed; the measured values of every claim that failed on it."""
    out = []
    for r in res.results:
        out.append(f"    seed {r.seed}: {'PASS' if r.passed else 'FAIL'} in {r.seconds:.1f} s")
        for c in r.claims:
            if c.passed is False:
                out.append(f"      [FAIL] {c.text}: {c.values_text()}")
    return out


def _task(args: tuple[str, int | None]) -> CheckResult:
    lesson_id, seed = args
    torch.set_num_threads(1)
    lesson = next(l for l in load_lessons() if l.id == lesson_id)
    return run_check(lesson, seed=seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=None, help="lesson ids (default: all)")
    ap.add_argument("--seeds", type=int, default=0, metavar="N",
                    help="also check each lesson on N unseen seeds (101, 102, ...; default 0: own seed only)")
    ap.add_argument("--jobs", type=int, default=1, metavar="J", help="checks run at a time (processes)")
    ap.add_argument("--out", default="benchmarks/results/lessons.txt")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    lessons = [l for l in load_lessons() if not args.only or l.id in args.only]
    tasks = [(l.id, None) for l in lessons]
    for l in lessons:
        tasks += [(l.id, s) for s in unseen_seeds(l, args.seeds)] if args.seeds > 0 else []
    t0 = time.perf_counter()
    results: dict[tuple[str, int | None], CheckResult] = {}

    def done(task, r: CheckResult) -> None:
        results[task] = r
        print(f"  {task[0]} seed {r.seed}: {'PASS' if r.passed else 'FAIL'} in {r.seconds:.1f} s "
              f"({len(results)}/{len(tasks)})", file=sys.stderr, flush=True)

    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for task, r in zip(tasks, pool.map(_task, tasks), strict=True):
                done(task, r)
    else:
        for task in tasks:
            done(task, _task(task))

    header = [f"# Lesson checks: {time.strftime('%Y-%m-%d %H:%M')}",
              f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
              f"torch {torch.__version__}, 1 thread per check, CPU, {args.jobs} check(s) at a time, "
              f"{time.perf_counter() - t0:.0f} s in all"]
    if args.seeds > 0:
        header.append(f"# unseen seeds: each lesson's full check rerun with only train.seed changed, on {args.seeds} "
                      f"fixed seeds from 101 up (its own seed skipped); a claim must hold on >= "
                      f"{SEEDS_REQUIRED:.0%} of them")
    summary = [f"{'#':>2} {'lesson':<20} {'own seed':<13} {'iterations':>10} {'seconds':>8} {'where checked':<14}"
               + (f" {'unseen seeds: claims (fewest passes), all claims, s/seed'}" if args.seeds > 0 else "")]
    details: list[str] = []
    ok = True
    for lesson in lessons:
        r = results[(lesson.id, None)]
        ok &= r.passed and r.complete
        where = "pytest + here" if lesson.check.fast else "here only"
        line = (f"{lesson.order:>2} {lesson.id:<20} {('PASS' if r.passed else 'FAIL') + f' (seed {r.seed})':<13} "
                f"{r.steps:>10} {r.seconds:>8.1f} {where:<14}")
        details += ["", r.report(), *table(r)]
        if args.seeds > 0:
            res = SeedsResult(lesson.id, [results[(lesson.id, s)] for s in unseen_seeds(lesson, args.seeds)])
            ok &= res.passed
            fewest = min(k for _, k in res.claim_passes())
            mean_s = sum(x.seconds for x in res.results) / len(res.results)
            line += (f" {'PASS' if res.passed else 'FAIL'} {fewest}/{args.seeds}, {res.all_passed}/{args.seeds}, "
                     f"{mean_s:.1f}")
            details += ["", res.report(), *seed_lines(res)]
        summary.append(line)
    text = "\n".join([*header, "", *summary, *details]) + "\n"
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
