"""`ganlab sweep`: one setting on many seeds (and a grid of settings), trained as batched computations.

Whether a GAN collapses depends on its random start, so the answer a class needs is a share of seeds:
"all modes on 2 of 16 seeds". The runs of a sweep are grouped by everything a batch must share (core/batched.py
PER_MEMBER says what may differ: seeds, learning rates, betas, penalty weights); each group trains as one
BatchedTrainer, and the groups run one after another, or in local processes (--jobs), or on a cluster through
joblib's Dask or Ray backend when the user has those installed (--backend dask --scheduler ADDRESS).

Writes into --out: runs.csv (one row per run: its index, seed, grid values, final metrics), curves.csv (every
run's metrics at each checkpoint), summary.json, and phase.svg (the share of seeds that captured every mode, per
grid cell: a phase diagram for a two-key grid).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .core.config import Config, ConfigError

BACKENDS = ("local", "dask", "ray")
RUN_COLUMNS = ("run", "seed", "group", "iteration", "status", "modes_captured", "n_modes", "all_modes",
               "hq_fraction", "jsd", "loss_d", "loss_g")
CURVE_COLUMNS = ("run", "step", "modes_captured", "hq_fraction", "jsd")


class SweepError(ValueError):
    """A sweep that cannot run as asked: one line, naming the option."""


@dataclass(frozen=True)
class Grid:
    """The swept keys and their values, in the order given."""

    keys: tuple[str, ...]
    values: tuple[tuple, ...]

    def cells(self) -> list[tuple]:
        return list(itertools.product(*self.values)) if self.keys else [()]


def parse_grid(items: list[str], base: Config) -> Grid:
    """--grid KEY=V1,V2,... (repeatable) into a Grid; every value checked against the config's range."""
    keys, values = [], []
    for item in items:
        if "=" not in item:
            raise SweepError(f"--grid expects KEY=V1,V2,..., got '{item}'")
        key, raw = (s.strip() for s in item.split("=", 1))
        vals = [v.strip() for v in raw.split(",") if v.strip()]
        if not vals:
            raise SweepError(f"--grid {key}: no values after '='")
        if key in keys:
            raise SweepError(f"--grid {key}: given twice")
        if key == "train.seed":
            raise SweepError("--grid train.seed: use --seeds (every grid cell runs on the same seeds)")
        parsed = []
        for v in vals:
            try:
                parsed.append(base.with_value(key, v).get(key))
            except (ConfigError, ValueError, KeyError) as e:
                raise SweepError(f"--grid {key}={v}: {e}") from None
        keys.append(key)
        values.append(tuple(dict.fromkeys(parsed)))   # duplicates dropped, order kept
    return Grid(tuple(keys), tuple(values))


def make_runs(base: Config, grid: Grid, seeds: list[int]) -> list[tuple[Config, tuple, int]]:
    """(config, grid cell, seed) for every cell and seed, each config validated."""
    runs = []
    for cell in grid.cells():
        for seed in seeds:
            cfg = base.with_values({**dict(zip(grid.keys, cell, strict=True)), "train.seed": seed})
            runs.append((cfg, cell, seed))
    return runs


def batch_groups(configs: list[Config]) -> list[list[int]]:
    """Indices of the runs, grouped so that each group can train as one batch (equal outside PER_MEMBER)."""
    from .core.batched import PER_MEMBER
    from .core.config import all_keys

    shared = [k for k in all_keys() if k not in PER_MEMBER]
    groups: dict[tuple, list[int]] = {}
    for i, cfg in enumerate(configs):
        groups.setdefault(tuple(repr(cfg.get(k)) for k in shared), []).append(i)
    return list(groups.values())


def train_group(configs: list[dict], steps: int, every: int) -> dict:
    """One batch, start to end (a plain function of plain data, so that another process can run it):
    {"final": [per member dict], "curves": [per member list of rows]}."""
    import torch

    from .core.batched import BatchedTrainer

    torch.set_num_threads(1)
    bt = BatchedTrainer([Config.from_dict(c) for c in configs])
    curves: list[list[tuple]] = [[] for _ in range(bt.n)]

    def checkpoint() -> dict:
        m = bt.metrics()
        for i in range(bt.n):
            curves[i].append((int(bt.iterations[i]), int(m["modes_captured"][i]), float(m["hq_fraction"][i]),
                              float(m["jsd"][i])))
        return m

    checkpoint()
    while bt.iteration < steps and bt.active.any():
        bt.step(min(every, steps - bt.iteration))
        m = checkpoint()
    m = checkpoint() if bt.iteration == 0 else m
    final = []
    for i in range(bt.n):
        hist = bt.history(i)
        last = hist[-1] if len(hist) else [math.nan] * 4
        final.append({"iteration": int(bt.iterations[i]), "status": str(bt.status[i]),
                      "modes_captured": int(m["modes_captured"][i]), "n_modes": int(bt.target.n_modes),
                      "hq_fraction": float(m["hq_fraction"][i]), "jsd": float(m["jsd"][i]),
                      "loss_d": float(last[1]), "loss_g": float(last[2])})
    return {"final": final, "curves": curves}


def _run_groups(jobs: list[tuple[list[dict], int, int]], n_jobs: int, backend: str, scheduler: str | None,
                progress) -> list[dict]:
    if backend == "local" and n_jobs <= 1:
        out = []
        for j in jobs:
            out.append(train_group(*j))
            progress(len(out), len(jobs))
        return out
    if backend == "local":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n_jobs) as ex:
            return list(ex.map(train_group, *zip(*jobs, strict=True)))
    try:
        from joblib import Parallel, delayed, parallel_backend
    except ImportError:
        raise SweepError(f"--backend {backend} needs joblib and {backend} (pip install joblib "
                         f"{'dask distributed' if backend == 'dask' else 'ray'})") from None
    if backend == "dask":
        try:
            from dask.distributed import Client
        except ImportError:
            raise SweepError("--backend dask needs dask.distributed (pip install dask distributed)") from None
        client = Client(scheduler) if scheduler else Client()
        try:
            with parallel_backend("dask"):
                return Parallel(n_jobs=-1)(delayed(train_group)(*j) for j in jobs)
        finally:
            client.close()
    try:
        import ray
        from ray.util.joblib import register_ray
    except ImportError:
        raise SweepError("--backend ray needs ray (pip install ray)") from None
    ray.init(address=scheduler) if scheduler else ray.init()
    register_ray()
    with parallel_backend("ray"):
        return Parallel(n_jobs=-1)(delayed(train_group)(*j) for j in jobs)


def run_sweep(base: Config, grid: Grid, seeds: list[int], steps: int, out: Path, every: int | None = None,
              n_jobs: int = 1, backend: str = "local", scheduler: str | None = None, quiet: bool = False) -> dict:
    """Train every run, write the files, return the summary."""
    if steps < 1:
        raise SweepError(f"--steps must be at least 1, got {steps}")
    if not seeds:
        raise SweepError("--seeds must be at least 1")
    if backend not in BACKENDS:
        raise SweepError(f"--backend must be one of {', '.join(BACKENDS)}, got '{backend}'")
    every = max(1, every or max(1, steps // 10))
    runs = make_runs(base, grid, seeds)
    groups = batch_groups([c for c, _, _ in runs])
    jobs = [([runs[i][0].to_dict() for i in g], steps, every) for g in groups]
    t0 = time.perf_counter()

    def progress(done, total):
        if not quiet:
            print(f"\rganlab sweep: {done}/{total} batches", end="" if done < total else "\n", file=sys.stderr,
                  flush=True)

    results = _run_groups(jobs, n_jobs, backend, scheduler, progress)
    seconds = time.perf_counter() - t0
    rows: list[dict | None] = [None] * len(runs)
    curves: list[list] = [[] for _ in runs]
    for gi, (g, res) in enumerate(zip(groups, results, strict=True)):
        for k, i in enumerate(g):
            cfg, cell, seed = runs[i]
            f = res["final"][k]
            rows[i] = {"run": i, "seed": seed, "group": gi, **dict(zip(grid.keys, cell, strict=True)), **f,
                       "all_modes": int(f["modes_captured"] == f["n_modes"])}
            curves[i] = res["curves"][k]
    out.mkdir(parents=True, exist_ok=True)
    _write_runs(out / "runs.csv", grid, rows)
    _write_curves(out / "curves.csv", curves)
    cells = _cell_shares(grid, rows)
    if len(grid.keys) <= 2:   # a table of cells; more keys have no flat picture (runs.csv has them all)
        (out / "phase.svg").write_text(phase_svg(grid, cells, len(seeds)), encoding="utf-8")
    summary = {"runs": len(runs), "batches": len(groups), "seeds": seeds, "steps": steps, "seconds": seconds,
               "iterations_per_second": len(runs) * steps / seconds if seconds > 0 else None,
               "grid": {k: list(v) for k, v in zip(grid.keys, grid.values, strict=True)},
               "cells": [{"values": list(c), "all_modes": n, "of": len(seeds)} for c, n in cells.items()]}
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    (out / "config.toml").write_text(base.to_toml(), encoding="utf-8")
    return summary


def _write_runs(path: Path, grid: Grid, rows: list[dict]) -> None:
    cols = ["run", "seed", *grid.keys, *[c for c in RUN_COLUMNS if c not in ("run", "seed")]]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: r[c] for c in cols})


def _write_curves(path: Path, curves: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CURVE_COLUMNS)
        for i, rows in enumerate(curves):
            for step, modes, hq, jsd in rows:
                w.writerow([i, step, modes, f"{hq:.6g}", f"{jsd:.6g}"])


def _cell_shares(grid: Grid, rows: list[dict]) -> dict[tuple, int]:
    """For each grid cell, on how many seeds every mode was captured at the end."""
    out = {c: 0 for c in grid.cells()}
    for r in rows:
        out[tuple(r[k] for k in grid.keys)] += r["all_modes"]
    return out


def phase_svg(grid: Grid, cells: dict[tuple, int], n_seeds: int) -> str:
    """A table of cells (rows: the first key's values, columns: the second's; at most two keys), shaded by the
    share of seeds that captured every mode, with "k/n" written in each. Plain SVG: no plotting library needed."""
    rows_v = grid.values[0] if grid.keys else ("",)
    cols_v = grid.values[1] if len(grid.keys) > 1 else ("",)
    cw, ch, left, top = 90, 44, 150, 60
    width, height = left + cw * len(cols_v) + 20, top + ch * len(rows_v) + 40
    title = "share of seeds that captured every mode"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="DejaVu Sans, sans-serif" font-size="13">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="22" font-size="14">{title} ({n_seeds} seeds)</text>']
    if len(grid.keys) > 1:
        parts.append(f'<text x="{left}" y="44" fill="#444">{_esc(grid.keys[1])}</text>')
    if grid.keys:
        parts.append(f'<text x="10" y="{top - 6}" fill="#444">{_esc(grid.keys[0])}</text>')
    for ci, cv in enumerate(cols_v):
        parts.append(f'<text x="{left + ci * cw + cw / 2}" y="{top - 6}" text-anchor="middle">{_esc(cv)}</text>')
    for ri, rv in enumerate(rows_v):
        y = top + ri * ch
        parts.append(f'<text x="10" y="{y + ch / 2 + 5}">{_esc(rv)}</text>')
        for ci, cv in enumerate(cols_v):
            n = cells[(rv, cv)[:len(grid.keys)]]
            share = n / n_seeds if n_seeds else 0.0
            # white (no seed) to bluish green (every seed), the colour-blind-safe green of style.py
            fill = "rgb({},{},{})".format(*(round(255 + (c - 255) * share) for c in (0, 158, 115)))
            parts.append(f'<rect x="{left + ci * cw}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{fill}" '
                         f'stroke="#888"/>')
            parts.append(f'<text x="{left + ci * cw + cw / 2}" y="{y + ch / 2 + 5}" text-anchor="middle">'
                         f'{n}/{n_seeds}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _esc(v) -> str:
    return str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
