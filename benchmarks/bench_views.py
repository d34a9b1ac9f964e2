"""Time one frame of each view: update_snapshot + repaint, offscreen.

2000 real + 2000 generated points, a 128 x 128 heatmap, a 48 x 48 manifold grid, 300 push arrows,
and a loss history that grows by one row per frame (so the curves really redraw every frame).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_views.py [--frames 200] [--size 1200x800]

"repaint" = update_snapshot, then processEvents (Qt paints what changed, as in the app);
"grab" = update_snapshot, then widget.grab() (a full render of the widget into a pixmap).
Prints the median (and 90th percentile) milliseconds per frame. These machines are noisy:
compare numbers from one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6 import QtWidgets  # noqa: E402

from ganlab.app.state import Layers  # noqa: E402
from ganlab.app.views import CurvesView, FieldView, TheoryView  # noqa: E402
from ganlab.core import losses as core_losses  # noqa: E402
from ganlab.core.coverage import mode_coverage  # noqa: E402
from ganlab.core.grid import Grid  # noqa: E402
from ganlab.core.presets import ring  # noqa: E402
from ganlab.core.snapshot import METRIC_COLUMNS, Snapshot  # noqa: E402
from ganlab.core.theory import compute_theory  # noqa: E402

N_POINTS = 2000
GRID_N = 128


def make_snapshots(count: int, history_rows: int, loss: str = "nonsaturating") -> list[Snapshot]:
    rng = np.random.default_rng(0)
    target = ring(8)
    grid = Grid(-3.0, 3.0, -3.0, 3.0, GRID_N)
    pts = grid.points64()
    n_hist = history_rows + count
    steps = np.arange(1, n_hist + 1, dtype=np.float64)
    loss_table = np.column_stack([steps, 1.3 + 0.1 * rng.standard_normal(n_hist),
                                  0.7 + 0.1 * rng.standard_normal(n_hist), np.exp(rng.standard_normal(n_hist))])
    m_rows = n_hist // 50
    metric_table = np.column_stack([np.arange(m_rows) * 50.0] + [rng.random(m_rows)
                                                                 for _ in METRIC_COLUMNS[1:]])
    g = np.linspace(-1, 1, 48)
    zx, zy = np.meshgrid(g, g)
    snaps = []
    base_theory = None
    for k in range(count):
        t = 0.2 * k
        real = target.sample_numpy(N_POINTS, rng).astype(np.float32)
        fake = (rng.standard_normal((N_POINTS, 2)) * 0.8 + [np.cos(t), np.sin(t)]).astype(np.float32)
        logits = (1.5 * np.sin(pts[:, 0] + t) + pts[:, 1]).reshape(GRID_N, GRID_N).astype(np.float32)
        d_prob = core_losses.logits_to_prob(loss, logits)
        d_prob = None if d_prob is None else d_prob.astype(np.float32)
        if k < 8:
            theory = compute_theory(target, fake, grid, d_prob=d_prob)
            base_theory = base_theory or theory
        else:
            theory = snaps[k % 8].theory
        manifold = np.stack([2 * zx + 0.3 * np.sin(3 * zy + t), 1.5 * zy + 0.2 * zx ** 2], -1).astype(np.float32)
        n = history_rows + k
        losses = {c: loss_table[:n, i] for i, c in enumerate(("step", "loss_d", "loss_g", "grad_norm_g"))}
        m = max(1, n // 50)
        metrics = {c: metric_table[:m, i] for i, c in enumerate(METRIC_COLUMNS)}
        snaps.append(Snapshot(
            iteration=n, target=target, loss=loss, real=real, fake=fake, grid=grid, d_logits=logits,
            d_prob=d_prob, theory=theory, coverage=mode_coverage(fake, target),
            fake_push=rng.standard_normal((N_POINTS, 2)).astype(np.float32), manifold=manifold,
            losses=losses, metrics=metrics))
    return snaps


def time_view(app, view, snaps, frames: int, mode: str) -> list[float]:
    out = []
    view.update_snapshot(snaps[0])
    app.processEvents()
    for k in range(frames):
        snap = snaps[(k + 1) % len(snaps)]
        t0 = time.perf_counter()
        view.update_snapshot(snap)
        if mode == "grab":
            view.grab()
        elif mode == "repaint":
            app.processEvents()
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def report(name: str, ms: list[float]) -> None:
    q = statistics.quantiles(ms, n=10)
    print(f"{name:<44s} median {statistics.median(ms):7.2f} ms   p90 {q[-1]:7.2f} ms   "
          f"({1000 / statistics.median(ms):6.0f} fps)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--size", default="1200x800", help="widget size WxH")
    ap.add_argument("--history", type=int, default=20_000, help="loss-history rows for the curves")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))
    pg.setConfigOptions(useOpenGL=False)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    print(f"building snapshots ({N_POINTS} real + {N_POINTS} fake, {GRID_N}^2 grid)...", flush=True)
    snaps = make_snapshots(min(args.frames + 1, 64), args.history)
    snaps_long = make_snapshots(16, 200_000)
    print(f"Qt platform {app.platformName()}, widget {w}x{h}, {args.frames} frames per line")

    field = FieldView()
    theory = TheoryView()
    curves = CurvesView(max_fps=None)   # no throttle: time every redraw
    views = []
    for v in (field, theory, curves):
        v.resize(w, h)
        v.show()
        views.append(v)
    app.processEvents()

    for mode in ("update", "repaint", "grab"):
        report(f"FieldView      {mode}", time_view(app, field, snaps, args.frames, mode))
    field.set_layers(Layers(push=True, manifold=True))
    for mode in ("repaint", "grab"):
        report(f"FieldView+push+manifold {mode}", time_view(app, field, snaps, args.frames, mode))
    field.set_layers(Layers())
    for mode in ("update", "repaint", "grab"):
        report(f"TheoryView     {mode}", time_view(app, theory, snaps, args.frames, mode))
    for mode in ("update", "repaint", "grab"):
        report(f"CurvesView {args.history // 1000}k rows {mode}",
               time_view(app, curves, snaps, args.frames, mode))
    for mode in ("update", "repaint"):
        report(f"CurvesView 200k rows {mode}", time_view(app, curves, snaps_long, min(args.frames, 100), mode))

    for v in views:
        v.close()
        v.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
