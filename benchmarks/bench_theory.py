"""Time compute_theory: 2000 generated samples, 128 x 128 grid, ring of 8 (plain script, no pytest).

Run: .venv/bin/python benchmarks/bench_theory.py [--threads N]
Reports the median of 200 runs with the p_data cache warm (the usual refresh: only G changed) and
cold (the target or grid changed: p_data is recomputed), plus the parts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--cells", type=int, default=128)
    ap.add_argument("--threads", type=int, default=0, help="limit BLAS/torch threads (0: leave as is)")
    args = ap.parse_args()
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)

    import numpy as np  # after the thread limits

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from ganlab.core import theory
    from ganlab.core.coverage import mode_coverage
    from ganlab.core.grid import Grid
    from ganlab.core.presets import ring

    target = ring(8, 2.0, 0.05)
    grid = Grid(-3.0, 3.0, -3.0, 3.0, args.cells)
    rng = np.random.default_rng(0)
    fake = target.sample_numpy(args.samples, rng).astype(np.float32)
    h = theory.auto_bandwidth(target, grid)
    d_prob = rng.uniform(0.01, 0.99, (grid.n, grid.n)).astype(np.float32)

    def median_ms(fn, before=None) -> float:
        fn()
        times = []
        for _ in range(args.runs):
            if before is not None:
                before()
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return 1e3 * statistics.median(times)

    print(f"compute_theory: ring of 8, {args.samples} samples, {grid.n}x{grid.n} grid, h = {h:.4f}, "
          f"median of {args.runs} runs, numpy {np.__version__}, {os.cpu_count()} CPUs")
    rows = [
        ("warm cache", median_ms(lambda: theory.compute_theory(target, fake, grid))),
        ("warm cache + d_prob (V(G, D))", median_ms(lambda: theory.compute_theory(target, fake, grid,
                                                                                 d_prob=d_prob))),
        ("cold cache (p_data recomputed)", median_ms(lambda: theory.compute_theory(target, fake, grid),
                                                    before=theory.clear_cache)),
        ("  kde_log_density alone", median_ms(lambda: theory.kde_log_density(fake, grid, h))),
        ("  log_p_data_grid, cold", median_ms(lambda: theory.log_p_data_grid(target, grid, h),
                                             before=theory.clear_cache)),
        ("  target.log_prob on the grid (reference)",
         median_ms(lambda: target.log_prob(grid.points(), extra_var=h * h))),
        ("mode_coverage, 2500 samples", median_ms(lambda: mode_coverage(target.sample_numpy(2500, rng), target))),
    ]
    for name, ms in rows:
        print(f"{name:45s} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
