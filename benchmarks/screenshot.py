"""A real screenshot of the running app, for README: the window trains on ring8, then is captured.

Normally started by packaging/screenshot.sh, which runs it on a virtual X screen (Xvfb) of the same
size as the window. The script opens the real MainWindow (worker thread, live training), places it
at the top-left corner of the screen, presses Play, trains for --seconds and, while training still
runs (so the status bar shows live rates), saves two pictures:

- OUT (default docs/screenshot.png): the X screen itself, `import -window root` (ImageMagick): what
  the display really showed, pixel for pixel;
- OUT with "-grab" before the suffix: QWidget.grab() of the window (Qt's own rendering of it).

With no X display (or no `import`), only the grab is written and the script says so.
Options: --size 1280x720 (a projector), --presenter (presenter mode, F11), --seed, --preset, --overlay, --lang ru
(the keyboard-shortcut sheet open). It prints what it saved and the iteration reached.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pump(app, seconds: float) -> None:
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        app.processEvents()
        time.sleep(0.005)


def _grab_name(out: Path) -> Path:
    return out.with_name(f"{out.stem}-grab{out.suffix}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=12.0, help="training time before the capture")
    ap.add_argument("--size", default="1500x950", help="window size WxH (the Xvfb screen should match)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    ap.add_argument("--preset", default="ring8")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--presenter", action="store_true", help="presenter mode (full screen, larger)")
    ap.add_argument("--overlay", action="store_true", help="show the keyboard-shortcut overlay")
    ap.add_argument("--lang", default="en", help="user-interface language (en, ru)")
    ap.add_argument("--tab", default="theory", help="theory tab on screen: theory, equations, saturation, probe")
    ap.add_argument("--workspace", action="store_true", help="the theory workspace (W): the tabs in the field's place")
    ap.add_argument("--lesson", default="", help="open this lesson (its id) first, with its panel")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a config value on top")
    args = ap.parse_args(argv)
    w_px, h_px = (int(v) for v in args.size.lower().split("x"))

    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    pg.setConfigOptions(antialias=False, useOpenGL=False)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ganlab")
    from ganlab.app.language import install_translator
    from ganlab.app.window import MainWindow

    install_translator(app, args.lang)
    from ganlab.core.config import Config

    extra = dict(kv.split("=", 1) for kv in args.set)
    cfg = Config().with_values({"target.preset": args.preset, "train.seed": args.seed, **extra})
    win = MainWindow(config=cfg)
    win.setGeometry(0, 0, w_px, h_px)
    win.show()
    win.move(0, 0)
    _pump(app, 1.5)
    if args.presenter:
        win.presenter.enter()
        _pump(app, 1.0)
    if args.lesson:
        win.lesson_controller.apply(args.lesson)
        _pump(app, 2.0)
    win.lecture.show_page(args.tab)
    if args.workspace:
        win.lecture_shell.set_workspace(True)
    _pump(app, 0.5)
    win.play()
    t0 = time.perf_counter()
    _pump(app, args.seconds)        # captured while training runs: the status bar shows live it/s and fps
    if args.overlay:
        win.shortcut_overlay.open()
        _pump(app, 0.5)
    it = win.worker.trainer.iteration
    print(f"trained {it} iterations in {time.perf_counter() - t0:.1f} s on {args.preset}; "
          f"window {win.width()}x{win.height()} at ({win.x()}, {win.y()}), "
          f"screen {app.primaryScreen().geometry().width()}x{app.primaryScreen().geometry().height()}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    status = 0
    display = os.environ.get("DISPLAY")
    if app.platformName() != "xcb" or not display:
        print(f"no X display (Qt platform '{app.platformName()}'): the real-screen capture is skipped; "
              f"run packaging/screenshot.sh for it", file=sys.stderr)
        status = 2
    elif shutil.which("import") is None:
        print("ImageMagick's `import` is missing (apt-get install imagemagick): real-screen capture skipped",
              file=sys.stderr)
        status = 2
    else:
        app.processEvents()
        r = subprocess.run(["import", "-display", display, "-window", "root", str(args.out)],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            print(f"`import -window root` failed: {r.stderr.strip()}", file=sys.stderr)
            status = 1
        else:
            print(f"saved {args.out} (the X screen, import -window root)")

    grab = _grab_name(args.out)
    win.grab().save(str(grab))
    print(f"saved {grab} (QWidget.grab of the window)")

    win.pause()
    if args.presenter:
        win.presenter.leave()
    win.close()
    app.processEvents()
    return status


if __name__ == "__main__":
    sys.exit(main())
