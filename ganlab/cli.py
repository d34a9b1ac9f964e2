"""Command line: `ganlab` opens the app; `ganlab run ...` trains headless and writes files; `ganlab sweep ...`
trains one setting on many seeds (and a grid of settings) as batched computations."""

from __future__ import annotations

import argparse
import sys

from . import __version__

EPILOG = """examples:
  ganlab                                   open the app
  ganlab run --preset ring8 --steps 2000 --out runs/ring8
  ganlab run --preset 1d-two --steps 2000 --out runs/1d
  ganlab run --config lesson.toml --set train.loss=minimax --set opt_d.lr=1e-3 --out runs/x
  ganlab run --preset grid25 --steps 3000 --record runs/grid25.gif --record-every 20 --out runs/grid25
  ganlab sweep --preset ring8 --seeds 16 --grid train.k_d=1,5 --grid opt_d.lr=1e-4,1e-3 --steps 3000 --out runs/s
"""


def build_parser() -> argparse.ArgumentParser:
    from .core.config import field_info

    p = argparse.ArgumentParser(prog="ganlab", description="A desktop playground for GANs.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"ganlab {__version__}")
    p.add_argument("--smoke-test", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="train without a window and write metrics.csv, config.toml, summary.json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    # --preset has no argparse choices: a bad name gets the config's one-line error, like --set target.preset
    r.add_argument("--preset", help=f"target preset ({', '.join(field_info('target.preset')['choices'])})")
    r.add_argument("--config", metavar="FILE.toml", help="start from this config file")
    r.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                   help="override one config value, e.g. train.loss=minimax (repeatable)")
    r.add_argument("--steps", type=int, default=2000, help="iterations to train (default 2000)")
    r.add_argument("--seed", type=int, help="random seed (train.seed)")
    r.add_argument("--device", choices=field_info("train.device")["choices"], help="train.device")
    r.add_argument("--every", type=int, help="iterations between metric rows (theory.every)")
    r.add_argument("--out", metavar="DIR", default="ganlab-run", help="output folder (default ./ganlab-run)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--no-figures", action="store_true",
                   help="do not write the figures (field, theory and curves views as PNG and SVG) into --out")
    r.add_argument("--record", metavar="FILE.gif|mp4",
                   help="record the field view while training, to an animated GIF or an MP4 video")
    r.add_argument("--record-every", type=int, metavar="N",
                   help="iterations between recorded frames (default: --every, i.e. theory.every)")
    w = sub.add_parser("sweep", help="train one setting on many seeds (and a grid of settings), batched; write "
                                     "runs.csv, curves.csv, summary.json and phase.svg")
    _base_options(w)
    w.add_argument("--seeds", type=int, default=8, help="seeds per grid cell: 0, 1, ... (default 8)")
    w.add_argument("--grid", metavar="KEY=V1,V2", action="append", default=[],
                   help="a swept setting and its values, e.g. train.k_d=1,5 (repeatable: every combination)")
    w.add_argument("--steps", type=int, default=2000, help="iterations per run (default 2000)")
    w.add_argument("--every", type=int, help="iterations between the curves' checkpoints (default steps/10)")
    w.add_argument("--out", metavar="DIR", default="ganlab-sweep", help="output folder (default ./ganlab-sweep)")
    w.add_argument("--jobs", type=int, default=1, help="local processes for the batches (default 1)")
    w.add_argument("--backend", default="local", help="local, dask or ray (the last two through joblib, if "
                                                      "installed)")
    w.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler or Ray cluster address")
    w.add_argument("--quiet", action="store_true", help="no progress")
    return p


def _base_options(p) -> None:
    """The options that pick the config a sweep starts from (as `ganlab run`'s)."""
    from .core.config import field_info

    p.add_argument("--preset", help=f"target preset ({', '.join(field_info('target.preset')['choices'])})")
    p.add_argument("--config", metavar="FILE.toml", help="start from this config file")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                   help="override one config value, e.g. train.loss=minimax (repeatable)")


def cmd_sweep(args) -> int:
    """Exit 0 when every run trained, 2 for a bad option or grid (one line), 130 on Ctrl+C."""
    from pathlib import Path

    from .core.config import ConfigError
    from .sweep import SweepError, parse_grid, run_sweep

    try:
        base = resolve_config(_as_run_args(args))
        from .core.presets import preset_dim

        if preset_dim(base.target.preset) != 2:
            raise SweepError(f"sweeps train 2-D targets only; train the 1-D preset {base.target.preset} with "
                             f"`ganlab run` (one seed at a time)")
        if args.seeds < 1 or args.seeds > 4096:
            raise SweepError(f"--seeds must be between 1 and 4096, got {args.seeds}")
        if args.jobs < 1:
            raise SweepError(f"--jobs must be at least 1, got {args.jobs}")
        grid = parse_grid(args.grid, base)
        seeds = [base.train.seed + k for k in range(args.seeds)]
        summary = run_sweep(base, grid, seeds, args.steps, Path(args.out), every=args.every, n_jobs=args.jobs,
                            backend=args.backend, scheduler=args.scheduler, quiet=args.quiet)
    except (SweepError, ConfigError, ValueError) as e:
        print(f"ganlab sweep: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ganlab sweep: interrupted", file=sys.stderr)
        return 130
    if not args.quiet:
        cells = ", ".join(f"{'/'.join(map(str, c['values'])) or 'all'}: {c['all_modes']}/{c['of']}"
                          for c in summary["cells"])
        print(f"{summary['runs']} runs in {summary['batches']} batches, {summary['seconds']:.1f} s; "
              f"every mode captured on: {cells}; files in {args.out}")
    return 0


def _as_run_args(args):
    """The sweep's options as resolve_config reads them (no --seed/--device/--every of its own)."""
    import argparse as _a

    return _a.Namespace(config=args.config, preset=args.preset, seed=None, device=None, every=None, set=args.set)


def resolve_config(args):
    """Config from --config, then --preset/--seed/--device/--every, then each --set in order."""
    from .core.config import Config

    cfg = Config.load(args.config) if args.config else Config()
    items = []
    if args.preset:
        items.append(("target.preset", args.preset))
    if args.seed is not None:
        items.append(("train.seed", args.seed))
    if args.device:
        items.append(("train.device", args.device))
    if args.every is not None:
        items.append(("theory.every", args.every))
    for s in args.set:
        if "=" not in s:
            raise ValueError(f"--set expects KEY=VALUE, got '{s}'")
        k, v = s.split("=", 1)
        items.append((k.strip(), v.strip()))
    for k, v in items:  # validated once at the end: --preset points needs the --set points_file after it
        cfg = cfg.with_value(k, v, validate=False)
    return cfg.validate()


def cmd_run(args) -> int:
    from .core.config import ConfigError
    from .core.target import TargetError

    if args.steps < 0:
        print("ganlab run: --steps must be >= 0", file=sys.stderr)
        return 2
    try:
        cfg = resolve_config(args)
        from .core.presets import build_target

        build_target(cfg.target)  # a bad points file fails here, with its line number
    except (ConfigError, TargetError, ValueError) as e:
        print(f"ganlab run: {e}", file=sys.stderr)
        return 2
    if args.record_every is not None and args.record_every < 1:
        print("ganlab run: --record-every must be >= 1", file=sys.stderr)
        return 2
    figures = _load_figures(args)  # Qt is imported only here, and only when figures or a recording are asked for
    if figures is _FAILED:
        return 2
    recorder = None
    if args.record:
        try:
            recorder = figures.FrameRecorder(args.record)
        except (figures.VideoError, OSError) as e:
            print(f"ganlab run: {e}", file=sys.stderr)
            return 2
    from .headless import EXIT_OK, run

    last = {}

    def on_log(trainer, observer, snap):
        last["snap"] = snap

    try:
        result = run(cfg, args.steps, args.out, progress=False if args.quiet else None, on_log=on_log,
                     on_frame=recorder.on_frame if recorder else None,
                     frame_every=args.record_every or cfg.theory.every)
    except OSError as e:
        if recorder:
            recorder.abort()
        print(f"ganlab run: cannot write to {args.out}: {e.strerror or e}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # e.g. cuda requested but unavailable
        if recorder:
            recorder.abort()
        print(f"ganlab run: {e}", file=sys.stderr)
        return 2
    if recorder:
        recorder.finish()  # prints one line: the file, or why there is none
    if figures is not None and not args.no_figures and "snap" in last:
        figures.write_figures_or_warn(args.out, last["snap"])
    if figures is not None:
        figures.release()
    s = result.summary
    final = s["final"]
    if result.exit_code == EXIT_OK:
        rate = f" at {s['iterations_per_second']:g} it/s" if s["iterations_per_second"] else ""
        jsd = final.get("jsd")
        jsd_text = f"{jsd:.4f} nats" if jsd is not None else "n/a"
        print(f"ganlab run: {s['iterations']} iterations on {s['device']}{rate}; JSD {jsd_text}, "
              f"modes {final.get('modes_captured')}/{s['n_modes']}; files in {args.out}")
    else:
        print(f"ganlab run: {result.message}", file=sys.stderr)
    return result.exit_code


_FAILED = object()


def _load_figures(args):
    """ganlab.app.figures with an offscreen QApplication, None when not needed (or Qt cannot load and only
    figures were asked for: one warning line), _FAILED when a recording was asked for and Qt cannot load."""
    if args.no_figures and not args.record:
        return None
    try:
        from .app import figures

        figures.ensure_app()
        return figures
    except Exception as e:  # ImportError (no Qt, missing system libraries), RuntimeError, OSError
        reason = f"{type(e).__name__}: {e}".splitlines()[0]
        if args.record:
            print(f"ganlab run: cannot record without Qt ({reason})", file=sys.stderr)
            return _FAILED
        print(f"ganlab run: warning: no figures, Qt could not load ({reason})", file=sys.stderr)
        return None


def _single_threaded_blas() -> None:
    """numpy's BLAS threads spin against the training and GUI threads on a 2-core laptop; the
    matrices here are small, so one thread each is faster. Must run before numpy is imported."""
    import os

    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def main(argv: list[str] | None = None) -> int:
    _single_threaded_blas()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on bad options, 0 on --help/--version
        return int(e.code or 0)
    if args.command == "sweep":
        return cmd_sweep(args)
    if args.command == "run":
        try:
            return cmd_run(args)
        except KeyboardInterrupt:  # Ctrl+C outside the training loop (imports, building the networks)
            print("ganlab run: interrupted", file=sys.stderr)
            return 130
    from .app.main import run_app

    return run_app(smoke_seconds=args.smoke_test)


if __name__ == "__main__":
    sys.exit(main())
