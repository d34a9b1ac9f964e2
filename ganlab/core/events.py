"""What changed in a run's settings, and at which iteration: the marks on the curves' iteration axis.

A teacher changes the loss or a learning rate mid-run and then points at the curves: "here". An `Event`
is one such change (loss: minimax → nonsaturating, lr_D 2e-4 → 1e-3, G frozen, a mode dragged, new
networks); the observer keeps them in an `EventLog` beside the metric history (cleared with it), and every
Snapshot carries them as an immutable tuple. Changes that come in a burst (a spin box clicked five times,
a mode dragged for two seconds) merge into one event: the burst's first iteration, the value before it and
the value after it; a burst that ends where it began leaves no event.

Texts here are plain English (`Event.text()`: the CLI, CSV, tests); the app shows each key's template
translated (views/markers.py), from the same table.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .config import QT_TRANSLATE_NOOP, Config

MERGE_SECONDS = 1.0       # changes of one setting closer than this (wall clock) are one event
MAX_EVENTS = 10_000       # the oldest go first: a log never grows without bound

# The settings that are recorded when they change, in the order a burst of changes is listed.
WATCHED = ("train.loss", "opt_d.lr", "opt_g.lr", "train.k_d", "train.k_g", "train.batch_size", "train.gp_lambda",
           "train.r1_gamma", "opt_d.beta1", "opt_g.beta1", "opt_d.beta2", "opt_g.beta2", "noise.dist",
           "target.preset", "target.std", "target.points_file", "train.oracle_d")
# Changing these builds new networks (config.architecture_key): the history restarts at 0 with them.
ARCHITECTURE = ("generator.depth", "generator.width", "generator.activation", "discriminator.depth",
                "discriminator.width", "discriminator.activation", "noise.dim", "opt_d.name", "opt_g.name",
                "train.device")

# key (or "key=after") -> (English text, short label); {0} the value before, {1} after, {2} the subject.
# Marked (Qt-free, as config.py's HELP) for lupdate in context "CurvesView": the app shows them translated.
TEMPLATES: dict[str, tuple[str, str]] = {
    "train.loss": (QT_TRANSLATE_NOOP("CurvesView", "loss: {0} → {1}"), QT_TRANSLATE_NOOP("CurvesView", "loss")),
    "opt_d.lr": (QT_TRANSLATE_NOOP("CurvesView", "lr_D {0} → {1}"), "lr_D"),
    "opt_g.lr": (QT_TRANSLATE_NOOP("CurvesView", "lr_G {0} → {1}"), "lr_G"),
    "train.k_d": (QT_TRANSLATE_NOOP("CurvesView", "k_D {0} → {1}"), "k_D"),
    "train.k_g": (QT_TRANSLATE_NOOP("CurvesView", "k_G {0} → {1}"), "k_G"),
    "train.batch_size": (QT_TRANSLATE_NOOP("CurvesView", "batch size {0} → {1}"),
                         QT_TRANSLATE_NOOP("CurvesView", "batch")),
    "train.gp_lambda": (QT_TRANSLATE_NOOP("CurvesView", "GP λ {0} → {1}"), "λ"),
    "train.r1_gamma": (QT_TRANSLATE_NOOP("CurvesView", "R1 γ {0} → {1}"), "R1"),
    "opt_d.beta1": (QT_TRANSLATE_NOOP("CurvesView", "β1_D {0} → {1}"), "β1"),
    "opt_g.beta1": (QT_TRANSLATE_NOOP("CurvesView", "β1_G {0} → {1}"), "β1"),
    "opt_d.beta2": (QT_TRANSLATE_NOOP("CurvesView", "β2_D {0} → {1}"), "β2"),
    "opt_g.beta2": (QT_TRANSLATE_NOOP("CurvesView", "β2_G {0} → {1}"), "β2"),
    "noise.dist": (QT_TRANSLATE_NOOP("CurvesView", "p_z: {0} → {1}"), "p_z"),
    "target.preset": (QT_TRANSLATE_NOOP("CurvesView", "target: {0} → {1}"), QT_TRANSLATE_NOOP("CurvesView", "target")),
    "target.std": (QT_TRANSLATE_NOOP("CurvesView", "target std {0} → {1}"), QT_TRANSLATE_NOOP("CurvesView", "std")),
    "target.points_file": (QT_TRANSLATE_NOOP("CurvesView", "target points: {1}"),
                           QT_TRANSLATE_NOOP("CurvesView", "target")),
    "generator.depth": (QT_TRANSLATE_NOOP("CurvesView", "new networks: G depth {0} → {1}"),
                        QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "generator.width": (QT_TRANSLATE_NOOP("CurvesView", "new networks: G width {0} → {1}"),
                        QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "generator.activation": (QT_TRANSLATE_NOOP("CurvesView", "new networks: G activation {0} → {1}"),
                             QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "discriminator.depth": (QT_TRANSLATE_NOOP("CurvesView", "new networks: D depth {0} → {1}"),
                            QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "discriminator.width": (QT_TRANSLATE_NOOP("CurvesView", "new networks: D width {0} → {1}"),
                            QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "discriminator.activation": (QT_TRANSLATE_NOOP("CurvesView", "new networks: D activation {0} → {1}"),
                                 QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "noise.dim": (QT_TRANSLATE_NOOP("CurvesView", "new networks: noise dim {0} → {1}"),
                  QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "opt_d.name": (QT_TRANSLATE_NOOP("CurvesView", "new networks: optimizer D {0} → {1}"),
                   QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "opt_g.name": (QT_TRANSLATE_NOOP("CurvesView", "new networks: optimizer G {0} → {1}"),
                   QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "train.device": (QT_TRANSLATE_NOOP("CurvesView", "new networks: device {0} → {1}"),
                     QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "reset": (QT_TRANSLATE_NOOP("CurvesView", "new networks"), QT_TRANSLATE_NOOP("CurvesView", "reset")),
    "freeze_g=on": (QT_TRANSLATE_NOOP("CurvesView", "G frozen"), QT_TRANSLATE_NOOP("CurvesView", "G frozen")),
    "freeze_g=off": (QT_TRANSLATE_NOOP("CurvesView", "G trains again"), QT_TRANSLATE_NOOP("CurvesView", "G on")),
    "freeze_d=on": (QT_TRANSLATE_NOOP("CurvesView", "D frozen"), QT_TRANSLATE_NOOP("CurvesView", "D frozen")),
    "freeze_d=off": (QT_TRANSLATE_NOOP("CurvesView", "D trains again"), QT_TRANSLATE_NOOP("CurvesView", "D on")),
    "target.moved": (QT_TRANSLATE_NOOP("CurvesView", "target: mode {2} moved"),
                     QT_TRANSLATE_NOOP("CurvesView", "target")),
    "target.added": (QT_TRANSLATE_NOOP("CurvesView", "target: mode {2} added"),
                     QT_TRANSLATE_NOOP("CurvesView", "target")),
    "target.removed": (QT_TRANSLATE_NOOP("CurvesView", "target: mode {2} removed"),
                       QT_TRANSLATE_NOOP("CurvesView", "target")),
    "target.resized": (QT_TRANSLATE_NOOP("CurvesView", "target: mode {2} std {0} → {1}"),
                       QT_TRANSLATE_NOOP("CurvesView", "target")),
    "target.replaced": (QT_TRANSLATE_NOOP("CurvesView", "target replaced: {1} modes"),
                        QT_TRANSLATE_NOOP("CurvesView", "target")),
    "train.oracle_d": (QT_TRANSLATE_NOOP("CurvesView", "oracle D* {0} → {1}"),
                       QT_TRANSLATE_NOOP("CurvesView", "oracle")),
    "train.oracle_d=on": (QT_TRANSLATE_NOOP("CurvesView", "G trains against the optimal D*"),
                          QT_TRANSLATE_NOOP("CurvesView", "oracle")),
    "train.oracle_d=off": (QT_TRANSLATE_NOOP("CurvesView", "G trains against D again"),
                           QT_TRANSLATE_NOOP("CurvesView", "D")),
    # Trainer.fit_d_to_dstar ("Set D to D*"): {1} is the mean |D - D*| it returned
    "dstar.set": (QT_TRANSLATE_NOOP("CurvesView", "D set to D* (mean |D − D*| = {1})"),
                  QT_TRANSLATE_NOOP("CurvesView", "D*")),
}


@dataclass(frozen=True)
class Event:
    """One change at one iteration. `before`/`after` are the setting's values as text ("" for a note such as
    a mode moved); `subject` names what a target edit touched (a mode's number)."""

    iteration: int
    key: str
    before: str = ""
    after: str = ""
    subject: str = ""

    @property
    def template_key(self) -> str:
        """The key of this event's text in TEMPLATES (freezes have one text per direction)."""
        k = f"{self.key}={self.after}"
        return k if k in TEMPLATES else self.key

    def text(self) -> str:
        """The English text: "loss: minimax → nonsaturating"."""
        template = TEMPLATES.get(self.template_key, (self.key + ": {0} → {1}", ""))[0]
        return template.format(self.before, self.after, self.subject)

    def short(self) -> str:
        """A label of a few letters for the curves ("loss", "lr_D", "reset")."""
        return TEMPLATES.get(self.template_key, ("", self.key))[1]

    def to_dict(self) -> dict:
        return {"iteration": self.iteration, "key": self.key, "before": self.before, "after": self.after,
                "subject": self.subject}

    @staticmethod
    def from_dict(d: dict) -> Event:
        return Event(int(d["iteration"]), str(d["key"]), str(d.get("before", "")), str(d.get("after", "")),
                     str(d.get("subject", "")))


def format_value(v) -> str:
    """A setting's value as short text: 2e-4 (not 0.0002), 0.5, 64, on/off, the name itself."""
    if v is None:
        return "auto"
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == 0 or not math.isfinite(v):
            return f"{v:g}"
        e = math.floor(math.log10(abs(v)))
        if -2 <= e <= 3:
            return f"{v:.4g}"
        m = float(f"{v / 10.0 ** e:.3g}")
        if abs(m) >= 10:
            m, e = m / 10, e + 1
        return f"{m:g}e{e}"
    return str(v)


def config_events(old: Config, new: Config, iteration: int, reset: bool = False) -> list[Event]:
    """The events of going from `old` to `new` at `iteration`: the new networks' reason first (when the
    change needed a reset), then every watched setting that differs."""
    out = []
    keys = (*ARCHITECTURE, *WATCHED) if reset else WATCHED
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a != b:
            out.append(Event(iteration, key, format_value(a), format_value(b)))
    if reset and not any(e.key in ARCHITECTURE for e in out):
        out.insert(0, Event(iteration, "reset"))
    return out


def freeze_events(before: tuple[bool, bool], after: tuple[bool, bool], iteration: int) -> list[Event]:
    """G and D frozen or training again: (freeze_g, freeze_d) before and after."""
    return [Event(iteration, key, format_value(a), format_value(b))
            for key, a, b in zip(("freeze_g", "freeze_d"), before, after, strict=True) if a != b]


class EventLog:
    """The run's events, oldest first; `view()` is an immutable tuple that any thread may read (a new
    tuple replaces it on each change: events are few)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, merge_seconds: float = MERGE_SECONDS):
        self._clock = clock
        self.merge_seconds = merge_seconds
        self._events: tuple[Event, ...] = ()
        self._touched: dict[tuple[str, str], tuple[float, Event]] = {}   # last change of each (key, subject)

    def __len__(self) -> int:
        return len(self._events)

    def view(self) -> tuple[Event, ...]:
        return self._events

    def record(self, events: Event | Iterable[Event]) -> None:
        """Add events, merging each into a change of the same setting made less than merge_seconds ago."""
        for ev in (events,) if isinstance(events, Event) else events:
            self._record(ev)

    def _record(self, ev: Event) -> None:
        now = self._clock()
        key = (ev.key, ev.subject)
        last = self._touched.get(key)
        events = list(self._events)
        if last is not None and now - last[0] <= self.merge_seconds and last[1] in events:
            i = len(events) - 1 - events[::-1].index(last[1])
            first = events.pop(i)
            change = bool(first.before or first.after) and bool(ev.before or ev.after)
            ev = Event(first.iteration, ev.key, first.before if change else ev.before, ev.after, ev.subject)
            if change and ev.before == ev.after:      # back where the burst began: nothing changed
                self._events = tuple(events)
                self._touched.pop(key, None)
                return
        events.append(ev)
        self._events = tuple(events[-MAX_EVENTS:])
        self._touched[key] = (now, ev)

    def clear(self) -> None:
        self._events = ()
        self._touched.clear()

    def to_list(self) -> list[dict]:
        """Plain dicts (JSON), for a session file."""
        return [e.to_dict() for e in self._events]

    def load(self, rows: Iterable[dict]) -> None:
        """Events from to_list() (a session file): they replace the log."""
        self._events = tuple(Event.from_dict(r) for r in rows)[-MAX_EVENTS:]
        self._touched.clear()
