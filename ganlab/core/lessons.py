"""Lesson presets: classroom scenarios with an explanation (English and Russian) and a checkable claim.

Each lesson is one TOML file in resources/lessons/ (the package `ganlab.resources`):

    id = "collapse"                 # unique, [a-z0-9_-]
    order = 2                       # position in the Lessons menu
    title_en = "..."  title_ru = "..."
    text_en = '''...'''  text_ru = '''...'''   # Markdown: what to watch, why, what to change
    freeze_g = false  freeze_d = false        # the Freeze G / Freeze D controls
    prepare = 0                     # iterations trained with both networks before the freeze flags apply

    [config]                        # applied on top of Config() defaults: dotted keys or nested tables
    "target.preset" = "ring8"
    [config.train]
    k_d = 1

    [check]                         # the claim, trained headless with the lesson's config and seed
    steps = 4000                    # iterations of the full check
    every = 500                     # metric rows for the report (checkpoints of the claims are added)
    fast = false                    # true: the pytest suite runs the full check (a few seconds)
    [check.variants.nonsaturating]  # optional extra runs: the lesson's config with these keys changed
    "train.loss" = "nonsaturating"
    [[check.claims]]
    text = "at most 2 of 8 modes captured"
    metric = "modes_captured"       # see METRICS
    at = [1000, 2000, 3000, 4000]   # one step or a list
    max = 2                         # bounds (min, max) hold at every listed step (unless at_least)
    # optional, changes what is bounded:
    # variant = "nonsaturating"     # the run the metric is read from ("lesson" by default)
    # relative_to_step = 10         # value(at) / value(at step 10) of the same run
    # relative_to_variant = "name"  # value(at) / value of that run at the same step
    # distinct_min = 3              # the metric takes >= 3 distinct values over the listed steps
    #                               #   (NaN steps left out: hq_top_mode is NaN where no sample is on a mode)
    # at_least = 12                 # min/max need hold at only 12 of the listed steps ("most of the time")

A check is deterministic: the same trainer and observer code as the app, CPU, one thread, fixed seeds,
and the observer's fixed display noise, so a class that opens the lesson sees the run that was checked.

A lesson must also make its point on seeds nobody tuned: run_check(lesson, seed=s) reruns the full check
with only train.seed changed (in every run, variants included), unseen_seeds(lesson, n) gives the n fixed
seeds 101, 102, ... (the lesson's own seed skipped) and run_seeds() counts per claim on how many of them it
held (SeedsResult; benchmarks/check_lessons.py --seeds 10). Every claim must hold on at least
SEEDS_REQUIRED (80%) of them; where a point holds only on most seeds, the lesson's text says so and says
what a class sees on the others.
"""

from __future__ import annotations

import math
import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, ConfigError
from .lesson_metrics import METRICS, measure  # noqa: F401  (METRICS: re-exported for the lesson format)

LESSON_DIR = "lessons"
BASE_VARIANT = "lesson"
LANGUAGES = ("en", "ru")


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CLAIM_KEYS = {"text", "metric", "at", "min", "max", "variant", "relative_to_step", "relative_to_variant",
               "distinct_min", "at_least"}


class LessonError(ValueError):
    """A malformed lesson file; the message names the file and the field."""


@dataclass(frozen=True)
class Claim:
    text: str
    metric: str
    at: tuple[int, ...]
    min: float | None = None
    max: float | None = None
    variant: str = BASE_VARIANT
    relative_to_step: int | None = None
    relative_to_variant: str | None = None
    distinct_min: int | None = None
    at_least: int | None = None    # bounds: hold at >= this many of the steps in `at` (None: at every one)

    def steps_needed(self) -> set[int]:
        s = set(self.at)
        if self.relative_to_step is not None:
            s.add(self.relative_to_step)
        return s

    def variants_needed(self) -> set[str]:
        return {self.variant} | ({self.relative_to_variant} if self.relative_to_variant else set())

    def bound_text(self) -> str:
        what = self.metric
        if self.relative_to_step is not None:
            what = f"{self.metric}(t) / {self.metric}({self.relative_to_step})"
        elif self.relative_to_variant is not None:
            what = f"{self.metric}[{self.variant}] / {self.metric}[{self.relative_to_variant}]"
        if self.distinct_min is not None:
            return f"distinct {self.metric} >= {self.distinct_min}"
        parts = []
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        where = "" if self.at_least is None else f" at >= {self.at_least} of {len(self.at)} steps"
        return f"{what} {' and '.join(parts)}{where}"


@dataclass(frozen=True)
class Check:
    steps: int
    claims: tuple[Claim, ...]
    every: int = 0
    fast: bool = False
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)

    def checkpoints(self, steps: int | None = None) -> list[int]:
        """Steps at which metrics are taken: 0, the claims' steps, every `every`, the last step."""
        last = self.steps if steps is None else min(int(steps), self.steps)
        pts = {0, last}
        for c in self.claims:
            pts |= c.steps_needed()
        if self.every > 0:
            pts |= set(range(0, last + 1, self.every))
        return sorted(p for p in pts if p <= last)


@dataclass(frozen=True)
class Lesson:
    id: str
    order: int
    titles: dict[str, str]
    texts: dict[str, str]
    overrides: dict[str, Any]
    check: Check
    freeze_g: bool = False
    freeze_d: bool = False
    prepare: int = 0
    source: str = ""

    def title(self, language: str = "en") -> str:
        return self.titles.get(_lang(language), self.titles["en"])

    def text(self, language: str = "en") -> str:
        return self.texts.get(_lang(language), self.texts["en"])

    def config(self, base: Config | None = None) -> Config:
        """The lesson's configuration: its overrides applied on top of `base` (default: Config())."""
        return (base or Config()).with_values(self.overrides)

    def variant_config(self, variant: str) -> Config:
        cfg = self.config()
        if variant == BASE_VARIANT:
            return cfg
        return cfg.with_values(self.check.variants[variant])

    @property
    def seed(self) -> int:
        return self.config().train.seed


def _lang(language: str) -> str:
    lang = (language or "en").lower().replace("-", "_").split("_")[0]
    return lang if lang in LANGUAGES else "en"


# ------------------------------------------------------------------------------------------- loading
def lesson_files() -> list[tuple[str, str]]:
    """(name, text) of every lesson file, read through importlib.resources from ganlab.resources.

    Falls back to the source tree's resources/ folder when the package is not importable (a checkout
    that was never installed)."""
    try:
        from importlib.resources import files

        root = files("ganlab.resources") / LESSON_DIR
        nodes = [n for n in root.iterdir() if n.name.endswith(".toml")]
    except ModuleNotFoundError:
        root = Path(__file__).resolve().parents[2] / "resources" / LESSON_DIR
        nodes = list(root.glob("*.toml"))
    return sorted((n.name, n.read_text(encoding="utf-8")) for n in nodes)


def load_lessons() -> list[Lesson]:
    """Every lesson, in menu order. Raises LessonError naming the file on a malformed one."""
    lessons = [parse_lesson(text, name) for name, text in lesson_files()]
    lessons.sort(key=lambda l: (l.order, l.id))
    seen: dict[str, str] = {}
    for l in lessons:
        if l.id in seen:
            raise LessonError(f"{l.source}: id '{l.id}' is already used by {seen[l.id]}")
        seen[l.id] = l.source
    return lessons


def parse_lesson(text: str, source: str = "<lesson>") -> Lesson:
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LessonError(f"{source}: not valid TOML: {e}") from None

    def need(table: dict, key: str, kind, where: str = ""):
        if key not in table:
            raise LessonError(f"{source}: missing '{where}{key}'")
        v = table[key]
        if kind is int and isinstance(v, bool) or not isinstance(v, kind):
            raise LessonError(f"{source}: '{where}{key}' must be {getattr(kind, '__name__', kind)}, got {v!r}")
        return v

    lid = need(d, "id", str)
    if not _ID_RE.match(lid):
        raise LessonError(f"{source}: id '{lid}' must be lower-case letters, digits, '-' or '_'")
    titles = {lang: need(d, f"title_{lang}", str).strip() for lang in LANGUAGES}
    texts = {lang: need(d, f"text_{lang}", str).strip() for lang in LANGUAGES}
    for key, value in (*titles.items(), *texts.items()):
        if not value:
            raise LessonError(f"{source}: the {key} title or text is empty")
    freeze = {}
    for key in ("freeze_g", "freeze_d"):
        v = d.get(key, False)
        if not isinstance(v, bool):
            raise LessonError(f"{source}: '{key}' must be true or false")
        freeze[key] = v
    prepare = d.get("prepare", 0)
    if not isinstance(prepare, int) or isinstance(prepare, bool) or prepare < 0:
        raise LessonError(f"{source}: 'prepare' must be a whole number >= 0")
    overrides = _flatten(need(d, "config", dict), source)
    try:
        Config().with_values(overrides)
    except ConfigError as e:
        raise LessonError(f"{source}: [config] {e}") from None
    check = _parse_check(need(d, "check", dict), source, overrides)
    if prepare > check.steps:
        raise LessonError(f"{source}: 'prepare' ({prepare}) is beyond the check's {check.steps} steps")
    return Lesson(id=lid, order=need(d, "order", int), titles=titles, texts=texts, overrides=overrides,
                  check=check, prepare=prepare, source=source, **freeze)


def _flatten(table: dict, source: str, prefix: str = "") -> dict[str, Any]:
    """Nested tables and dotted keys -> {"section.name": value}."""
    out: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, source, key + "."))
        else:
            out[key] = v
    for key in out:
        if key.count(".") != 1:
            raise LessonError(f"{source}: config key '{key}' must look like section.name")
    return out


def _parse_check(c: dict, source: str, overrides: dict) -> Check:
    steps = c.get("steps")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise LessonError(f"{source}: [check] steps must be a positive whole number")
    every = c.get("every", 0)
    if not isinstance(every, int) or every < 0:
        raise LessonError(f"{source}: [check] every must be a whole number >= 0")
    fast = c.get("fast", False)
    if not isinstance(fast, bool):
        raise LessonError(f"{source}: [check] fast must be true or false")
    variants: dict[str, dict[str, Any]] = {}
    for name, table in c.get("variants", {}).items():
        if not isinstance(table, dict) or name == BASE_VARIANT:
            raise LessonError(f"{source}: [check.variants.{name}] must be a table of config keys")
        variants[name] = _flatten(table, source)
        try:
            Config().with_values({**overrides, **variants[name]})
        except ConfigError as e:
            raise LessonError(f"{source}: [check.variants.{name}] {e}") from None
    raw = c.get("claims")
    if not isinstance(raw, list) or not raw:
        raise LessonError(f"{source}: [check] needs at least one [[check.claims]]")
    claims = []
    for i, r in enumerate(raw, start=1):
        where = f"{source}: claim {i}"
        if not isinstance(r, dict):
            raise LessonError(f"{where}: must be a table")
        unknown = set(r) - _CLAIM_KEYS
        if unknown:
            raise LessonError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        metric = r.get("metric")
        if metric not in METRICS:
            raise LessonError(f"{where}: metric {metric!r} is not one of {', '.join(METRICS)}")
        at = r.get("at")
        at = tuple(at) if isinstance(at, list) else (at,)
        if not at or any(not isinstance(a, int) or isinstance(a, bool) or not 0 <= a <= steps for a in at):
            raise LessonError(f"{where}: 'at' must be steps in [0, {steps}]")
        claim = Claim(text=str(r.get("text", "")).strip() or metric, metric=metric, at=at,
                      min=_num(r, "min", where), max=_num(r, "max", where),
                      variant=r.get("variant", BASE_VARIANT), relative_to_step=r.get("relative_to_step"),
                      relative_to_variant=r.get("relative_to_variant"), distinct_min=r.get("distinct_min"),
                      at_least=r.get("at_least"))
        for v in claim.variants_needed():
            if v != BASE_VARIANT and v not in variants:
                raise LessonError(f"{where}: unknown variant '{v}'")
        if claim.relative_to_step is not None and not (isinstance(claim.relative_to_step, int)
                                                       and 0 <= claim.relative_to_step <= steps):
            raise LessonError(f"{where}: relative_to_step must be a step in [0, {steps}]")
        if claim.relative_to_step is not None and claim.relative_to_variant is not None:
            raise LessonError(f"{where}: use relative_to_step or relative_to_variant, not both")
        if claim.distinct_min is not None:
            if not isinstance(claim.distinct_min, int) or claim.distinct_min < 2 or len(at) < claim.distinct_min:
                raise LessonError(f"{where}: distinct_min must be >= 2 and at most the number of steps in 'at'")
        elif claim.min is None and claim.max is None:
            raise LessonError(f"{where}: give min, max or distinct_min")
        if claim.at_least is not None:
            if claim.distinct_min is not None:
                raise LessonError(f"{where}: at_least goes with min/max, not with distinct_min")
            if not isinstance(claim.at_least, int) or isinstance(claim.at_least, bool) \
                    or not 1 <= claim.at_least <= len(at):
                raise LessonError(f"{where}: at_least must be a whole number from 1 to the number of steps in 'at'")
        claims.append(claim)
    return Check(steps=steps, claims=tuple(claims), every=every, fast=fast, variants=variants)


def _num(r: dict, key: str, where: str) -> float | None:
    v = r.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise LessonError(f"{where}: {key} must be a finite number")
    return float(v)


# ------------------------------------------------------------------------------------------- checks
@dataclass
class ClaimResult:
    claim: Claim
    values: list[float]        # the bounded quantity at each step of claim.at (ratio for relative claims)
    passed: bool | None        # None: skipped (a step beyond the steps trained)

    @property
    def text(self) -> str:
        return self.claim.text

    def values_text(self) -> str:
        if self.passed is None:
            return "skipped"
        return ", ".join(f"{s}: {fmt_number(v)}" for s, v in zip(self.claim.at, self.values, strict=True))


@dataclass
class CheckResult:
    lesson_id: str
    steps: int                                  # iterations trained (per run)
    claims: list[ClaimResult]
    tables: dict[str, dict[int, dict[str, float]]]  # run -> step -> metric -> value
    seconds: float
    seed: int | None = None                     # the train.seed every run used (None: not recorded)

    @property
    def passed(self) -> bool:
        """Every evaluated claim holds and at least one was evaluated."""
        evaluated = [c for c in self.claims if c.passed is not None]
        return bool(evaluated) and all(c.passed for c in evaluated)

    @property
    def complete(self) -> bool:
        """No claim was skipped (the full check ran)."""
        return all(c.passed is not None for c in self.claims)

    def failures(self) -> list[str]:
        return [f"{c.text}: {c.claim.bound_text()}; measured {c.values_text()}"
                for c in self.claims if c.passed is False]

    def report(self) -> str:
        seed = "" if self.seed is None else f", seed {self.seed}"
        lines = [f"lesson {self.lesson_id}: {'PASS' if self.passed else 'FAIL'}"
                 f"{'' if self.complete else ' (incomplete)'} in {self.seconds:.1f} s, {self.steps} iterations{seed}"]
        for c in self.claims:
            mark = {True: "ok  ", False: "FAIL", None: "skip"}[c.passed]
            lines.append(f"  [{mark}] {c.text} ({c.claim.bound_text()}): {c.values_text()}")
        return "\n".join(lines)


def run_check(lesson: Lesson, steps: int | None = None, seed: int | None = None) -> CheckResult:
    """Train the lesson (and each variant its claims need) headless and evaluate its claims.

    steps=None runs the full check (lesson.check.steps). A smaller `steps` trains only that far and
    skips the claims that need a later step (the result is then not `complete`).
    seed=None uses the lesson's own seed (config train.seed); another seed replaces train.seed in every run
    (the lesson and its variants), and so the initial networks, the data and noise streams and the
    observer's display samples: the lesson as a class would see it after changing only the seed.
    """
    from .observer import Observer  # late: torch is imported only when a check runs
    from .trainer import Trainer

    t0 = time.perf_counter()
    chk = lesson.check
    last = chk.steps if steps is None else max(0, min(int(steps), chk.steps))
    points = sorted(set(chk.checkpoints(last)) | ({lesson.prepare} if lesson.prepare <= last else set()))
    runs = [BASE_VARIANT, *sorted({v for c in chk.claims for v in c.variants_needed()} - {BASE_VARIANT})]
    tables: dict[str, dict[int, dict[str, float]]] = {}
    for run in runs:
        cfg = lesson.variant_config(run).with_values(
            {"train.device": "cpu", **({} if seed is None else {"train.seed": int(seed)})})
        trainer = Trainer(cfg)
        observer = Observer(trainer)
        table: dict[int, dict[str, float]] = {}
        for p in points:
            if trainer.iteration < lesson.prepare <= p:  # both networks train until `prepare`
                trainer.step(lesson.prepare - trainer.iteration)
            if trainer.iteration >= lesson.prepare:
                trainer.freeze_g, trainer.freeze_d = lesson.freeze_g, lesson.freeze_d
            if p > trainer.iteration and trainer.status == "ok":
                trainer.step(p - trainer.iteration)
            table[p] = measure(trainer, observer)
            if trainer.status != "ok":
                break
        tables[run] = table
    results = [evaluate_claim(c, tables, last) for c in chk.claims]
    used = lesson.seed if seed is None else int(seed)
    return CheckResult(lesson.id, last, results, tables, time.perf_counter() - t0, used)


def evaluate_claim(claim: Claim, tables: dict[str, dict[int, dict[str, float]]], last: int) -> ClaimResult:
    """Check one claim against measured tables (run -> step -> metric -> value). Pure: no training."""
    if max(claim.steps_needed()) > last:
        return ClaimResult(claim, [], None)

    def value(run: str, step: int) -> float:
        row = tables.get(run, {}).get(step)
        return math.nan if row is None else float(row.get(claim.metric, math.nan))

    values = []
    for s in claim.at:
        v = value(claim.variant, s)
        if claim.relative_to_step is not None:
            v = _ratio(v, value(claim.variant, claim.relative_to_step))
        elif claim.relative_to_variant is not None:
            v = _ratio(v, value(claim.relative_to_variant, s))
        values.append(v)
    if claim.distinct_min is not None:
        # NaN steps (e.g. hq_top_mode where no sample is on a mode) are left out of the count
        ok = len({v for v in values if math.isfinite(v)}) >= claim.distinct_min
    else:
        held = [math.isfinite(v) and (claim.min is None or v >= claim.min) and (claim.max is None or v <= claim.max)
                for v in values]
        ok = sum(held) >= (len(held) if claim.at_least is None else claim.at_least)
    return ClaimResult(claim, values, bool(ok))


def _ratio(a: float, b: float) -> float:
    if not (math.isfinite(a) and math.isfinite(b)) or b == 0:
        return math.nan
    return a / b


def fmt_number(v: float) -> str:
    """A measured value in a report: whole numbers as such, others to 3 significant digits."""
    if not math.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"
