"""`ganlab run`: train without a window and write metrics, config and summary files.

Qt-free, so it runs in CI, over ssh and in notebooks. Ctrl+C or SIGTERM stop after the current
iteration and still write complete files; the exit code says what happened.
"""

from __future__ import annotations

import json
import math
import platform
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import __version__
from .core.config import Config
from .core.files import write_atomic
from .core.history import History
from .core.observer import Observer
from .core.trainer import Trainer

CSV_COLUMNS = ("step", "loss_d", "loss_g", "jsd", "v_estimate", "v_at_dstar", "kl_pg_pdata",
               "modes_captured", "hq_fraction", "v_samples", "v_stderr", "w1", "grad_norm_g", "seconds")

# W1 (the costliest metric, ~0.07 s in 2-D) is computed on every 10th logged row; the others read NaN.
W1_EVERY_LOGS = 10

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130


@dataclass
class RunResult:
    exit_code: int
    message: str
    rows: History
    summary: dict
    trainer: Trainer
    observer: Observer


class _Stop(Exception):
    pass


def run(config: Config, steps: int, out_dir: str | Path, progress: bool | None = None,
        on_log=None, on_frame=None, frame_every: int | None = None) -> RunResult:
    """Train for `steps` iterations, logging every config.theory.every; write the files into out_dir.

    on_log(trainer, observer, snapshot) is called at each logged step (the figure and recording
    writers hook in here). on_frame(trainer, observer, snapshot) is called every `frame_every`
    iterations (default: every logged step), at iteration 0 and at the last one: a recording can
    take frames more often than metric rows without adding rows (those snapshots are not recorded).
    """
    out = Path(out_dir)
    progress = sys.stderr.isatty() if progress is None else progress
    old_term = _install_sigterm()  # before the (slow) first trainer: SIGTERM then still ends cleanly
    try:
        trainer = Trainer(config)
    except BaseException as e:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if isinstance(e, _Stop):
            raise KeyboardInterrupt from None  # the CLI reports it and exits 130
        raise
    observer = Observer(trainer)
    observer.w1_every = W1_EVERY_LOGS
    out.mkdir(parents=True, exist_ok=True)  # the folder appears when training is about to start
    rows = History(CSV_COLUMNS)
    every = config.theory.every
    t0 = time.perf_counter()
    train_seconds = 0.0
    code, message = EXIT_OK, "done"
    try:
        fe = max(1, int(frame_every or every)) if on_frame is not None else 0
        snap = _log(trainer, observer, rows, t0, on_log)
        if fe:
            on_frame(trainer, observer, snap)
        while trainer.iteration < steps and trainer.status == "ok":
            n = min(every - trainer.iteration % every, steps - trainer.iteration)
            if fe:
                n = min(n, fe - trainer.iteration % fe)
            ts = time.perf_counter()
            trainer.step(n)
            train_seconds += time.perf_counter() - ts
            last = trainer.iteration >= steps or trainer.status != "ok"
            logged = trainer.iteration % every == 0 or last
            if logged:
                snap = _log(trainer, observer, rows, t0, on_log)
            if fe and (trainer.iteration % fe == 0 or last):
                on_frame(trainer, observer, snap if logged else observer.take(theory=True, record=False))
            if progress and logged:
                _progress(trainer.iteration, steps, time.perf_counter() - t0, snap)
        if trainer.status != "ok":
            code, message = EXIT_DIVERGED, trainer.message
    except (KeyboardInterrupt, _Stop):
        code, message = EXIT_INTERRUPTED, f"interrupted at iteration {trainer.iteration}; files hold the run so far"
        last_row = rows.last()
        if last_row is None or last_row["step"] != trainer.iteration:
            try:  # one last row, so metrics.csv ends at the iteration summary.json reports
                _log(trainer, observer, rows, t0, on_log)
            except (Exception, KeyboardInterrupt):  # a second Ctrl+C: skip the row, still write the files
                pass
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if progress:
            sys.stderr.write("\n")
    elapsed = time.perf_counter() - t0
    summary = _summary(config, trainer, rows, elapsed, train_seconds, code, message)
    write_atomic(out / "metrics.csv", rows.to_csv())
    write_atomic(out / "config.toml", config.to_toml())
    write_atomic(out / "summary.json", json.dumps(summary, indent=2, allow_nan=False) + "\n")
    return RunResult(code, message, rows, summary, trainer, observer)


def _log(trainer: Trainer, observer: Observer, rows: History, t0: float, on_log):
    snap = observer.take(theory=True)
    th, cov, last, v = snap.theory, snap.coverage, trainer.last, snap.value
    nan = float("nan")
    rows.append(trainer.iteration, last.loss_d, last.loss_g, th.jsd, th.v_estimate, th.v_at_dstar,
                th.kl_pg_pdata, cov.modes_captured, cov.hq_fraction, nan if v is None else v.value,
                nan if v is None else v.stderr, observer.metrics.last()["w1"], last.grad_norm_g,
                time.perf_counter() - t0)
    if on_log is not None:
        on_log(trainer, observer, snap)
    return snap


def _summary(config, trainer, rows, elapsed, train_seconds, code, message) -> dict:
    final = {k: _finite_or_none(v) for k, v in (rows.last() or {}).items()}
    for k in ("step", "modes_captured"):  # counts, stored as floats in the History
        if final.get(k) is not None:
            final[k] = int(final[k])
    return {
        "status": {EXIT_OK: "ok", EXIT_DIVERGED: "diverged", EXIT_INTERRUPTED: "interrupted"}[code],
        "message": message,
        "iterations": trainer.iteration,
        "final": final,
        "n_modes": trainer.target.n_modes,
        "device": str(trainer.device),
        "seconds": round(elapsed, 3),
        "iterations_per_second": round(trainer.iteration / train_seconds, 1) if train_seconds > 0 else None,
        "versions": {"ganlab": __version__, "python": platform.python_version(), "torch": torch.__version__,
                     "numpy": np.__version__},
        "seed": config.train.seed,
    }


def _finite_or_none(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def _progress(i: int, n: int, elapsed: float, snap) -> None:
    width = 30
    done = int(width * i / max(n, 1))
    rate = i / elapsed if elapsed > 0 else 0.0
    cov = snap.coverage
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n}  {rate:6.0f} it/s  "
                     f"JSD {snap.theory.jsd:.3f}  modes {cov.modes_captured}/{cov.n_modes}   ")
    sys.stderr.flush()


def _install_sigterm():
    def handler(signum, frame):
        raise _Stop()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        return None
