"""A seeded monkey test (issue 6): a few thousand random UI actions against the running window, offscreen,
with training on.

Actions: every control at random, at and beyond its limits and with garbage typed into it; play, pause,
step, D step, G step, reset, the speed box; layer and freeze boxes; drags of mode markers (near, far,
outside the view), the wheel, double-clicks and the mode menu; added, removed (the last one too), moved and
resized modes with garbage values; whole new targets of up to 512 modes; presets, lessons, points files
(good and bad); exports to a folder, to missing folders and with injected disk faults; sessions saved and
loaded (good, corrupt, truncated, crafted); presenter mode; the shortcut sheet; key presses; resizes.

It passes when nothing raised (sys.excepthook and threading.excepthook), Qt printed no warning or error
(qInstallMessageHandler; only the offscreen plugin's "propagateSizeHints" is ignored), the worker never
stopped on an exception, its thread is alive, and the final state is consistent: window.config equals the
trainer's config once the queue drained, every control shows it, the iteration count matches the history,
the views show the trainer's target, no temporary file is left, and training still runs.

The combinations of extremes are kept within a compute budget (width 1024 with depth 8 and a 512^2 grid
costs a minute per frame on a laptop CPU, which is allowed but not a test): before a heavy value is applied,
the monkey lowers the *other* heavy settings. Every extreme value is still applied on its own.

`benchmarks/monkey_long.py` runs the same monkey for minutes (`--actions`, `--seed`).
"""

from __future__ import annotations

import errno
import math
import os
import random
import sys
import time
from collections import Counter, deque
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QMessageBox, QSpinBox

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/monkey_long.py imports this module too
import qtinput  # noqa: E402
from faults import evil_npy, raise_oserror, rewrite_zip  # noqa: E402
from guard import Guard  # noqa: E402
from helpers import SMALL, wait_for  # noqa: E402

from ganlab.app import export  # noqa: E402
from ganlab.core import files as core_files  # noqa: E402
from ganlab.core.config import Config, field_info  # noqa: E402
from ganlab.core.target import GaussianMixture  # noqa: E402

SEED = 20240606
ACTIONS = int(os.environ.get("GANLAB_MONKEY_ACTIONS", "2500"))
BUDGET = float(os.environ.get("GANLAB_MONKEY_BUDGET", "0.3"))  # compute budget (1 = ~0.2 s an iteration)
START = {**SMALL, "theory.samples": 600}
# Lowered (in this order) when a heavy value would exceed the budget; values are moderate, not minimal.
CHEAPER = (("theory.grid", 64), ("train.batch_size", 64), ("train.k_d", 1), ("train.k_g", 1),
           ("theory.samples", 1000), ("discriminator.width", 64), ("generator.width", 64),
           ("discriminator.depth", 2), ("generator.depth", 2), ("noise.dim", 2))
HEAVY = {k for k, _ in CHEAPER}
GARBAGE_TEXT = ("nan", "inf", "-inf", "abc", "--", ".", "1e999", "99999999999", "0.0000000001", "-5", "0",
                "1,5", " ", "%%", "9" * 40)
GARBAGE_VALUES = (math.nan, math.inf, -math.inf, "nan", "", "x", -1, 0, 1e30, -1e30, None, "1e999", True)


# ===================================================================== compute budget
def _mlp_params(depth: int, width: int, n_in: int) -> float:
    return n_in * width + (depth - 1) * width * width + width * (depth + 2)


def cost(cfg: Config) -> float:
    """Rough cost of one training iteration and of one full snapshot, in units of the budget (1 = limit):
    about 0.2 s per iteration and 0.3 s per snapshot on a 2-core laptop."""
    gp = _mlp_params(cfg.generator.depth, cfg.generator.width, cfg.noise.dim)
    dp = _mlp_params(cfg.discriminator.depth, cfg.discriminator.width, 2)
    t = cfg.train
    iteration = 6.0 * t.batch_size * (t.k_d * 2 * dp + t.k_g * (gp + dp))
    grid = cfg.theory.grid or 256
    snapshot = 2.0 * grid * grid * dp + 6.0 * cfg.theory.samples * gp + 5e4 * cfg.theory.samples
    return max(iteration / 8e9, snapshot / 1.2e10)


# ===================================================================== the monkey
class Monkey:
    def __init__(self, window, seed: int, tmp: Path, budget: float = BUDGET):
        self.w = window
        self.limit = budget
        self.app = QApplication.instance()
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.tmp = Path(tmp)
        self.counts: Counter[str] = Counter()
        self.recent: deque[str] = deque(maxlen=40)  # the last actions, for the failure report
        self.seconds: Counter[str] = Counter()      # time spent per kind of action (with the events after it)
        self.dialog_answer = ""
        self.saved: list[Path] = []
        self.damaged = False
        self.zoomed_out = False
        self._files()
        self.keys = [k for k in window.controls._widgets if not k.startswith(("freeze.", "action."))]
        self.actions = [
            (30, "control", self.control), (10, "change_garbage", self.change_garbage),
            (16, "transport", self.transport), (4, "speed", self.speed), (5, "layers", self.layers),
            (4, "freeze", self.freeze), (5, "drag", self.drag), (2, "drag_far", self.drag_far),
            (3, "wheel", self.wheel), (1.5, "double_click", self.double_click), (8, "mode_signal", self.mode_signal),
            (3, "mode_menu", self.mode_menu), (1, "new_target", self.new_target), (2, "load_points", self.load_points),
            (0.7, "lesson", self.lesson), (2.5, "export", self.export), (1, "session_save", self.session_save),
            (1.5, "session_load", self.session_load), (0.5, "presenter", self.presenter),
            (0.7, "shortcut_sheet", self.shortcut_sheet), (2, "key", self.key), (0.6, "resize", self.resize),
            (0.7, "record", self.record), (1, "curves_zoom", self.curves_zoom), (2, "wait", self.wait),
        ]
        self._weights = [a[0] for a in self.actions]

    # ------------------------------------------------------------------ setup
    def _files(self) -> None:
        d = self.tmp
        for sub in ("exports", "sessions", "points", "records"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        p = d / "points"
        (p / "good.csv").write_text("x,y\n" + "\n".join(f"{math.cos(a):.4f},{math.sin(a):.4f}"
                                                        for a in np.linspace(0, 6, 40)) + "\n")
        (p / "empty.csv").write_bytes(b"")
        (p / "text.csv").write_text("x,y\nfoo,bar\n")
        (p / "binary.csv").write_bytes(bytes(range(256)) * 8)
        (p / "nan.csv").write_text("1,2\nnan,3\n")
        self.points = [p / n for n in ("good.csv", "empty.csv", "text.csv", "binary.csv", "nan.csv", "absent.csv")]
        s = d / "sessions"
        (s / "empty.ganlab").write_bytes(b"")
        (s / "garbage.ganlab").write_bytes(bytes(self.rng.randrange(256) for _ in range(3000)))
        (s / "text.ganlab").write_text("[train]\nloss = 'minimax'\n")
        self.bad_sessions = [s / n for n in ("empty.ganlab", "garbage.ganlab", "text.ganlab", "absent.ganlab")]

    def dialog(self, *args, **kwargs):
        """Stands in for every QFileDialog.get*FileName: answers what the monkey chose (often nothing)."""
        return (self.dialog_answer, "")

    # ------------------------------------------------------------------ run
    def run(self, n: int, progress=None) -> None:
        for i in range(n):
            _, name, fn = self.rng.choices(self.actions, weights=self._weights)[0]
            self.recent.append(name)
            t0 = time.perf_counter()
            fn()
            self.counts[name] += 1
            if i % 2:  # events (frames, the worker's answers) run between every other action
                self.app.processEvents()
            self.seconds[name] += time.perf_counter() - t0
            if i % 10 == 0:
                self.close_message_boxes()
            if progress is not None and i % 500 == 0:
                progress(i)
        self.close_message_boxes()

    def close_message_boxes(self) -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                box.close()

    # ------------------------------------------------------------------ helpers
    @property
    def trainer(self):
        return self.w.worker.trainer

    def budget(self, key: str, value) -> None:
        """Before `key` takes `value`: lower the other heavy settings until the combination fits the budget."""
        if key not in HEAVY:
            return
        try:
            cand = self.w.config.with_value(key, value)
        except (ValueError, TypeError):
            return
        for k, v in CHEAPER:
            if cost(cand) <= self.limit:
                return
            if k == key or cand.get(k) == v or (k == "theory.grid" and 0 < cand.get(k) <= v):
                continue
            if isinstance(cand.get(k), int) and k != "theory.grid" and cand.get(k) < v:
                continue
            self.w.change(k, v)
            cand = cand.with_value(k, v)
        if cost(cand) > self.limit:  # still too heavy with everything else moderate: lower this one's partner
            self.w.change("theory.grid", 32)

    def visible_modes(self) -> list[int]:
        f = self.w.field
        return f.modes.visible()

    def view_point(self) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.w.field.view.viewRange()
        return self.rng.uniform(x0, x1), self.rng.uniform(y0, y1)

    # ------------------------------------------------------------------ actions: controls
    def control(self) -> None:
        key = self.rng.choice(self.keys)
        w = self.w.controls.control(key)
        if isinstance(w, QComboBox):
            if key == "target.preset":
                self.dialog_answer = str(self.rng.choice(self.points + [""] * 3))
            w.setCurrentIndex(self.rng.randrange(w.count()))
            return
        if isinstance(w, QCheckBox):      # a switch (Oracle D): refused with a critic loss, with a message
            w.toggle()
            return
        lo, hi = w.minimum(), w.maximum()
        how = self.rng.choice(("lo", "hi", "below", "above", "random", "step", "type", "type"))
        is_int = isinstance(w, QSpinBox)
        if how == "lo":
            value = lo
        elif how == "hi":
            value = hi
        elif how == "below":
            value = lo - self.rng.choice((1, 10, 1e6))
        elif how == "above":
            value = hi * self.rng.choice((1.01, 2, 1e6)) + 1
        else:
            value = self.rng.uniform(lo, hi)
            if is_int:
                value = round(value)
        clamped = min(max(value, lo), hi)
        if how in ("step", "type"):
            self.budget(key, int(hi) if is_int else hi)
        else:
            v = int(clamped) if is_int else clamped
            self.budget(key, None if key == "target.std" and v == 0 else v)
        if how == "step":
            w.stepBy(self.rng.choice((-10, -1, 1, 3, 100)))
        elif how == "type":
            w.selectAll()
            QTest.keyClicks(w, self.rng.choice(GARBAGE_TEXT + (str(value),)))
            QTest.keyClick(w, Qt.Key.Key_Return)
        else:
            w.setValue(int(value) if is_int and math.isfinite(value) and abs(value) < 2**31 else
                       (value if not is_int else (hi if value > 0 else lo)))

    def change_garbage(self) -> None:
        key = self.rng.choice(self.keys)
        value = self.rng.choice(GARBAGE_VALUES)
        info = field_info(key)
        if info.get("lo") is not None and self.rng.random() < 0.3:
            value = self.rng.choice((info["lo"], info["hi"]))
            self.budget(key, value)
        self.w.change(key, value)

    def transport(self) -> None:
        w = self.w
        self.rng.choice((w.play, w.play, w.play, w.pause, w.toggle_play, w.act_step.trigger, w.act_step_d.trigger,
                         w.act_step_g.trigger, w.reset, w.act_play.trigger,
                         lambda: [w.commands.step.emit() for _ in range(self.rng.randint(2, 30))]))()

    def speed(self) -> None:
        self.w.speed.setCurrentIndex(self.rng.randrange(self.w.speed.count()))

    def layers(self) -> None:
        box = self.rng.choice(list(self.w.controls._layer_boxes.values()))
        box.setChecked(not box.isChecked())

    def freeze(self) -> None:
        box = self.w.controls.control(self.rng.choice(("freeze.generator", "freeze.discriminator")))
        box.setChecked(not box.isChecked())

    # ------------------------------------------------------------------ actions: the field
    def drag(self) -> None:
        modes = self.visible_modes()
        if not modes:
            return
        f = self.w.field
        i = self.rng.choice(modes)
        x, y = f.shown_means()[i]
        end = (x + self.rng.gauss(0, 1.0), y + self.rng.gauss(0, 1.0))
        qtinput.drag(f, (x, y), end, steps=self.rng.randint(2, 6))

    def drag_far(self) -> None:
        f = self.w.field
        if self.zoomed_out:
            f.reset_view()
            self.zoomed_out = False
            return
        f.view.setRange(xRange=(-2e4, 2e4), yRange=(-2e4, 2e4), padding=0)
        self.zoomed_out = True
        modes = self.visible_modes()
        if modes:
            x, y = f.shown_means()[self.rng.choice(modes)]
            end = (self.rng.choice((-1, 1)) * self.rng.uniform(500, 1.9e4), self.rng.uniform(-1.9e4, 1.9e4))
            qtinput.drag(f, (x, y), end, steps=self.rng.randint(2, 8))

    def wheel(self) -> None:
        modes = self.visible_modes()
        if modes:
            x, y = self.w.field.shown_means()[self.rng.choice(modes)]
            qtinput.wheel(self.w.field, (x, y), self.rng.choice((-8, -1, 1, 2, 12)))

    def double_click(self) -> None:
        qtinput.double_click(self.w.field, self.view_point())

    def mode_signal(self) -> None:
        f = self.w.field
        n = self.trainer.target.n_modes
        idx = self.rng.choice((0, n - 1, n, -1, n + 7, self.rng.randrange(max(n, 1))))
        bad = self.rng.choice((math.nan, math.inf, 1e4, -2e3, 1e300))
        which = self.rng.randrange(4)
        if which == 0:
            f.sigModeAdded.emit(*self.rng.choice(((self.rng.uniform(-3, 3), self.rng.uniform(-3, 3)), (bad, 0.0))))
        elif which == 1:
            f.sigModeRemoved.emit(idx)
        elif which == 2:
            f.sigModeStdChanged.emit(idx, self.rng.choice((0.0, -1.0, math.nan, 1e-3, 0.3, 10.0, 11.0)))
        else:
            f.sigModeMoved.emit(idx, *self.rng.choice(((self.rng.uniform(-4, 4), self.rng.uniform(-4, 4)),
                                                       (bad, 1.0), (999.0, -999.0))))

    def mode_menu(self) -> None:
        modes = self.visible_modes()
        if not modes:
            return
        f = self.w.field
        f.prepare_mode_menu(self.rng.choice(modes))
        self.rng.choice((f.action_remove, f.action_remove, f.action_wider, f.action_narrower)).trigger()

    def new_target(self) -> None:
        k = self.rng.choice((1, 2, 30, 200, 512))
        means = self.np_rng.uniform(-3, 3, (k, 2))
        self.w.commands.set_target.emit(GaussianMixture(means, self.rng.choice((0.02, 0.1, 0.4))))

    def load_points(self) -> None:
        self.w.load_points(str(self.rng.choice(self.points)))

    def lesson(self) -> None:
        lc = getattr(self.w, "lesson_controller", None)
        if lc is not None and lc.lessons:
            lc.apply(self.rng.choice(lc.lessons))

    # ------------------------------------------------------------------ actions: files
    def _fault(self):
        """A disk fault for the next write, as (object, name, replacement), or None."""
        r = self.rng.random()
        if r < 0.2:
            return (core_files.os, "replace", raise_oserror(errno.EACCES))
        if r < 0.4:
            return (core_files.os, "fsync", raise_oserror(errno.ENOSPC))
        return None

    def export(self) -> None:
        w = self.w
        kind = self.rng.choice(("png", "svg", "csv", "dialog"))
        folder = self.tmp / "exports" if self.rng.random() < 0.7 else self.tmp / "missing" / "folder"
        path = folder / f"e{self.counts['export']}.{kind}"
        fault = self._fault()
        old = getattr(fault[0], fault[1]) if fault else None
        if fault:
            setattr(fault[0], fault[1], fault[2])
        try:
            if kind == "png":
                what = self.rng.choice(("field", "theory", "curves", "window"))
                export.export_png(w, what, path, 1 if what == "window" else self.rng.choice((1, 2)))
            elif kind == "svg":
                export.export_svg(w, self.rng.choice(("field", "theory", "curves")), path)
            elif kind == "csv":
                export.export_csv(w, path)
            else:
                self.dialog_answer = self.rng.choice(("", str(path.with_suffix(".png"))))
                w.exporter.ask_and_export("png", "field")
        finally:
            if fault:
                setattr(fault[0], fault[1], old)

    def session_save(self) -> None:
        w = self.w
        ok_folder = self.rng.random() < 0.75
        path = (self.tmp / "sessions" if ok_folder else self.tmp / "missing") / f"s{self.counts['session_save']}.ganlab"
        fault = self._fault() if ok_folder else None
        if fault is None:  # answered later, between two chunks of training
            w.sessions.save_path(str(path))
            self.saved.append(path)
            return
        old = getattr(fault[0], fault[1])
        setattr(fault[0], fault[1], fault[2])
        try:
            w.sessions.last_saved = None
            if w.sessions.save_path(str(path)):
                t0 = time.perf_counter()  # the worker writes between chunks: keep the fault until it answered
                while w.sessions.last_saved is None and time.perf_counter() - t0 < 20:
                    self.app.processEvents()
                    time.sleep(0.002)
        finally:
            setattr(fault[0], fault[1], old)
        self.saved.append(path)  # must not exist: loading it is a "cannot read" error

    def session_load(self) -> None:
        if not self.damaged:
            good = next((p for p in self.saved if p.exists()), None)
            if good is not None:  # damaged copies of the first good session
                self.damaged = True
                data = good.read_bytes()
                s = self.tmp / "sessions"
                (s / "truncated.ganlab").write_bytes(data[: len(data) // 2])
                flipped = bytearray(data)
                flipped[len(data) // 3: len(data) // 3 + 200] = bytes(200)
                (s / "flipped.ganlab").write_bytes(bytes(flipped))
                self.bad_sessions += [s / "truncated.ganlab", s / "flipped.ganlab", _crafted(good, self.tmp)]
        path = self.rng.choice(self.bad_sessions + self.saved[-5:] * 2)
        self.w.sessions.open_path(str(path))
        self.close_message_boxes()

    # ------------------------------------------------------------------ actions: the window
    def presenter(self) -> None:
        p = getattr(self.w, "presenter", None)
        if p is not None:
            p.toggle()

    def shortcut_sheet(self) -> None:
        o = getattr(self.w, "shortcut_overlay", None)
        if o is not None:
            (o.close_overlay if o.isVisible() else o.open)()

    def key(self) -> None:
        keys = (Qt.Key.Key_Space, Qt.Key.Key_S, Qt.Key.Key_D, Qt.Key.Key_G, Qt.Key.Key_R, Qt.Key.Key_Right,
                Qt.Key.Key_F9, Qt.Key.Key_F11, Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Question)
        self.dialog_answer = ""
        QTest.keyClick(self.w, self.rng.choice(keys))

    def resize(self) -> None:
        self.w.resize(*self.rng.choice(((1300, 850), (400, 300), (2200, 1400), (1024, 700))))

    def record(self) -> None:
        rec = getattr(self.w, "recorder", None)
        if rec is None:
            return
        if rec.recording:
            rec.stop()
        else:
            folder = self.tmp / "records" if self.rng.random() < 0.7 else self.tmp / "missing"
            rec.start(folder / f"r{self.counts['record']}.gif", self.rng.choice(("field", "field", "window")))

    def curves_zoom(self) -> None:
        c = self.w.curves
        if self.rng.random() < 0.5:
            a = self.rng.uniform(-100, 5000)
            c.plot_loss.setXRange(a, a + self.rng.uniform(1, 5000))
        else:
            c.plot_loss.enableAutoRange(x=True)

    def wait(self) -> None:
        QTest.qWait(self.rng.choice((1, 5, 20, 60)))


def _crafted(good: Path, tmp: Path) -> Path:
    """A copy of a good session whose first array is a pickle that would create tmp/PWNED."""
    import zipfile

    with zipfile.ZipFile(good) as z:
        first = next(n for n in z.namelist() if n.startswith("arrays/"))
    return rewrite_zip(good, tmp / "sessions" / "crafted.ganlab", {first: evil_npy(tmp / "PWNED")})


# ===================================================================== the end state
def drain(w) -> None:
    """Pause and let the worker run every command queued so far, then let the GUI take the answers."""
    app = QApplication.instance()
    for _ in range(3):
        w.pause()
        app.processEvents()
        QMetaObject.invokeMethod(w.worker, "pause", Qt.ConnectionType.BlockingQueuedConnection)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.3:
            app.processEvents()
            time.sleep(0.005)


def consistency_problems(w, tmp: Path) -> list[str]:
    """Everything that is wrong with the final state (empty when it is consistent)."""
    out = []
    drain(w)
    t = w.worker.trainer
    if not w.worker_thread.thread.isRunning():
        out.append("the worker thread is not running")
    if w.config != t.config:
        out.append(f"window.config != trainer.config:\n  {w.config}\n  {t.config}")
    for key, widget in w.controls._widgets.items():
        if key.startswith(("freeze.", "action.")):
            continue
        v = w.config.get(key)
        if isinstance(widget, QComboBox):
            ok = widget.currentText() == str(v)
        elif isinstance(widget, QDoubleSpinBox):
            ok = abs(widget.value() - (0.0 if v is None else v)) <= 0.51 * 10 ** -widget.decimals() + 1e-12
        elif isinstance(widget, QSpinBox):
            ok = widget.value() == v
        elif isinstance(widget, QCheckBox):
            ok = widget.isChecked() == bool(v)
        else:
            ok = True
        if not ok:
            out.append(f"control {key} shows {getattr(widget, 'value', widget.currentText)()} but config has {v}")
    if w.controls.freeze_state() != (t.freeze_g, t.freeze_d):
        out.append(f"freeze boxes {w.controls.freeze_state()} != trainer {(t.freeze_g, t.freeze_d)}")
    n = len(t.losses)
    steps = t.losses.view()["step"]
    if t.iteration < 0 or n != t.iteration or (n and steps[-1] != t.iteration):
        out.append(f"iteration {t.iteration} but {n} loss rows (last step {steps[-1] if n else None})")
    if not wait_for(lambda: w.worker.latest is not None and w.worker.latest.iteration == t.iteration, 10):
        out.append("no snapshot of the final iteration")
    w.drawn = None
    w.redraw()
    if w.drawn is None or w.drawn.iteration != t.iteration:
        out.append("the views do not show the final snapshot")
    def modes_shown():   # the 2-D field's markers, or the 1-D view's handles for a 1-D target
        return len(w.world1d.shown_means()) if t.target.dim == 1 else len(w.field.modes.visible())

    shown = modes_shown()
    if not wait_for(lambda: modes_shown() == t.target.n_modes, 5):
        out.append(f"the {'1-D view' if t.target.dim == 1 else 'field'} shows {shown} modes, the target has "
                   f"{t.target.n_modes}")
    if t.status == "diverged" and not w.banner.isVisible():
        out.append("diverged but no banner")
    leftovers = [p for p in tmp.rglob("*.tmp")]
    if leftovers:
        out.append(f"temporary files left: {leftovers[:5]}")
    if (tmp / "PWNED").exists():
        out.append("a crafted session file executed code")
    # and it still takes settings and trains (the monkey may have left a config that diverges at once)
    w.apply_config(Config().with_values(START))
    w.commands.set_target.emit(GaussianMixture([[0.0, 0.0], [1.0, 1.0]], 0.2))
    w.reset()
    w.speed.setCurrentIndex(0)
    for box in ("freeze.generator", "freeze.discriminator"):
        w.controls.control(box).setChecked(False)
    it, frames = t.iteration, w.frames_drawn
    w.play()
    if not wait_for(lambda: w.worker.trainer.iteration > it + 5 and w.frames_drawn > frames + 3, 30):
        out.append("training does not run any more after the monkey")
    w.pause()
    return out


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# ===================================================================== the test
def test_monkey(qtbot, qapp, make_window, tmp_path, monkeypatch):
    guard = Guard()
    guard.install()
    try:
        w = make_window(START, size=(1300, 850), active=True)
        guard.watch(w)
        monkey = Monkey(w, SEED, tmp_path)
        for name in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, name, monkey.dialog)
        w.play()
        t0 = time.perf_counter()
        monkey.run(ACTIONS)
        seconds = time.perf_counter() - t0
        problems = consistency_problems(w, tmp_path)
        thread = w.worker_thread.thread
        t1 = time.perf_counter()
        w.play()
        w.close()
        closed = time.perf_counter() - t1
        if thread.isRunning() or closed > 2.0:
            problems.append(f"closing took {closed:.2f} s, thread running: {thread.isRunning()}")
    finally:
        guard.uninstall()
    print(f"\nmonkey: {ACTIONS} actions in {seconds:.1f} s; {dict(sorted(monkey.counts.items()))}")
    print("seconds per kind:", {k: round(v, 1) for k, v in monkey.seconds.most_common()})
    problems = guard.problems() + problems
    assert not problems, "\n".join(problems[:20]) + "\nlast actions: " + ", ".join(monkey.recent)
    assert sum(monkey.counts.values()) == ACTIONS and len(monkey.counts) >= 20
