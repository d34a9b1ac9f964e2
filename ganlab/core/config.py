"""Typed configuration with validation that names the bad field and its allowed range.

Every field carries its limits as dataclass metadata, so the CLI's `--set key=value`, the TOML
loader, the app's controls (ranges, tooltips) and the tests all read the same source of truth.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import tomlio
from .files import write_atomic
from .presets import PRESET_NAMES, preset_dim
from .target import MAX_STD, MIN_STD

LOSSES = ("minimax", "nonsaturating", "lsgan", "wgan-gp", "hinge")
# The losses with a closed-form optimal D (losses.CLOSED_FORM_DSTAR): the ones train.oracle_d can train G against.
ORACLE_LOSSES = ("minimax", "nonsaturating", "lsgan")
OPTIMIZERS = ("adam", "sgd")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "elu", "gelu")
NOISE_DISTS = ("gaussian", "uniform")
DEVICES = ("auto", "cpu", "cuda")
CONFIG_VERSION = 1


class ConfigError(ValueError):
    """A configuration value outside its allowed range; `field` is the dotted key."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Marks a help text for translation without importing Qt: lupdate reads this file too
    (packaging/i18n/update_translations.sh), and the app translates the texts in context "Config"."""
    return text


def _f(default, *, lo=None, hi=None, choices=None, optional=False):
    """A config field with its limits (its help text is in HELP, by dotted key)."""
    return field(default=default, metadata={"lo": lo, "hi": hi, "choices": choices, "optional": optional})


# What each setting does in GAN terms, and where it sits in the lecture's formulas: the CLI's and the app's
# one text (the controls' tooltips; translated in context "Config").
HELP = {
    "target.preset": QT_TRANSLATE_NOOP(
        "Config", "The data distribution p_data the generator must learn. Drag its mode markers in the field."),
    "target.std": QT_TRANSLATE_NOOP(
        "Config", "Spread (standard deviation) of every mode of p_data. Narrow modes are harder to cover."),
    "target.points_file": QT_TRANSLATE_NOOP(
        "Config", "CSV of x,y rows when preset = 'points'"),
    "generator.depth": QT_TRANSLATE_NOOP(
        "Config", "Hidden layers of G (reset)."),
    "generator.width": QT_TRANSLATE_NOOP(
        "Config", "Units per hidden layer of G (reset)."),
    "generator.activation": QT_TRANSLATE_NOOP(
        "Config", "Non-linearity of G's hidden layers (reset)."),
    "discriminator.depth": QT_TRANSLATE_NOOP(
        "Config", "Hidden layers of D. Changing it builds new networks (reset)."),
    "discriminator.width": QT_TRANSLATE_NOOP(
        "Config", "Units per hidden layer of D. Changing it builds new networks (reset)."),
    "discriminator.activation": QT_TRANSLATE_NOOP(
        "Config", "Non-linearity of D's hidden layers (reset)."),
    "opt_g.name": QT_TRANSLATE_NOOP(
        "Config", "Optimizer of G."),
    "opt_g.lr": QT_TRANSLATE_NOOP(
        "Config", "Learning rate of the generator: how far G moves each step."),
    "opt_g.beta1": QT_TRANSLATE_NOOP(
        "Config", "Adam momentum of G."),
    "opt_g.beta2": QT_TRANSLATE_NOOP(
        "Config", "Adam beta2"),
    "opt_d.name": QT_TRANSLATE_NOOP(
        "Config", "Optimizer of D (Adam adapts per parameter; SGD is the plain gradient step)."),
    "opt_d.lr": QT_TRANSLATE_NOOP(
        "Config", "Learning rate of the discriminator: how far D moves toward D* each step."),
    "opt_d.beta1": QT_TRANSLATE_NOOP(
        "Config", "Adam momentum of D. 0.5 is the usual GAN choice; 0 for WGAN-GP."),
    "opt_d.beta2": QT_TRANSLATE_NOOP(
        "Config", "Adam beta2"),
    "noise.dim": QT_TRANSLATE_NOOP(
        "Config", "Dimension of the noise z ~ p_z fed to G. 1 or 2 lets you see G's manifold (reset)."),
    "noise.dist": QT_TRANSLATE_NOOP(
        "Config", "p_z: standard normal or uniform on [-1, 1]. Applies at once."),
    "train.loss": QT_TRANSLATE_NOOP(
        "Config", "The pair of losses (L_D, L_G).\n"
        "minimax: L_G = log(1 - D(G(z))), formula (9): saturates.\n"
        "non-saturating: L_G = -log D(G(z)), formula (7).\n"
        "lsgan: least squares.\n"
        "wgan-gp: Wasserstein critic with gradient penalty.\n"
        "hinge: margin loss."),
    "train.k_d": QT_TRANSLATE_NOOP(
        "Config", "k: discriminator steps per iteration (Algorithm 1 of the GAN paper). More k brings D closer to "
        "D*."),
    "train.k_g": QT_TRANSLATE_NOOP(
        "Config", "Generator steps per iteration."),
    "train.batch_size": QT_TRANSLATE_NOOP(
        "Config", "Real and generated samples per step (the minibatch m of Algorithm 1)."),
    "train.gp_lambda": QT_TRANSLATE_NOOP(
        "Config", "Weight of the WGAN-GP gradient penalty (only used by wgan-gp)."),
    "train.r1_gamma": QT_TRANSLATE_NOOP(
        "Config", "R1 penalty: discourages D's gradient on real data; stabilises training. 0 = off."),
    "train.seed": QT_TRANSLATE_NOOP(
        "Config", "Random seed used at the next reset: the same seed and settings give the same run."),
    "train.device": QT_TRANSLATE_NOOP(
        "Config", "Where training runs: auto uses a CUDA GPU when there is one and the networks and batch are large"
        " enough to gain from it; small ones train faster on the CPU (reset)."),
    "train.threads": QT_TRANSLATE_NOOP(
        "Config", "CPU threads for torch (1 is fastest for small nets)"),
    "train.oracle_d": QT_TRANSLATE_NOOP(
        "Config", "Oracle D: G trains against the optimal D* = p_data / (p_data + p_g) of its current samples, "
        "as in the paper's derivation (D maximised before every G step), not against the network D. The D steps "
        "still train the network D, which the views show. Needs minimax, non-saturating or lsgan."),
    "theory.samples": QT_TRANSLATE_NOOP(
        "Config", "Generated and real points drawn in the field and used for p_g, JSD and coverage."),
    "theory.grid": QT_TRANSLATE_NOOP(
        "Config", "grid cells per axis for D, D*, JSD (0 = choose from the target)"),
    "theory.bandwidth": QT_TRANSLATE_NOOP(
        "Config", "KDE bandwidth h for p_g (0 = choose from the target)"),
    "theory.every": QT_TRANSLATE_NOOP(
        "Config", "iterations between metric rows in headless runs"),
}


@dataclass
class TargetConfig:
    preset: str = _f("ring8", choices=PRESET_NAMES)
    std: float | None = _f(None, lo=MIN_STD, hi=MAX_STD, optional=True)
    points_file: str | None = _f(None, optional=True)


@dataclass
class NetConfig:
    depth: int = _f(2, lo=1, hi=8)
    width: int = _f(64, lo=1, hi=1024)
    activation: str = _f("relu", choices=ACTIVATIONS)


@dataclass
class OptimConfig:
    name: str = _f("adam", choices=OPTIMIZERS)
    lr: float = _f(1e-3, lo=1e-6, hi=1.0)
    beta1: float = _f(0.5, lo=0.0, hi=0.999)
    beta2: float = _f(0.999, lo=0.0, hi=0.9999)


@dataclass
class NoiseConfig:
    dim: int = _f(2, lo=1, hi=64)
    dist: str = _f("gaussian", choices=NOISE_DISTS)


@dataclass
class TrainConfig:
    loss: str = _f("nonsaturating", choices=LOSSES)
    k_d: int = _f(1, lo=0, hi=50)
    k_g: int = _f(1, lo=0, hi=50)
    batch_size: int = _f(256, lo=2, hi=16384)
    gp_lambda: float = _f(0.1, lo=0.0, hi=100.0)
    r1_gamma: float = _f(0.0, lo=0.0, hi=100.0)
    seed: int = _f(0, lo=0, hi=2**31 - 1)
    device: str = _f("auto", choices=DEVICES)
    threads: int = _f(1, lo=1, hi=64)
    oracle_d: bool = _f(False)


@dataclass
class TheoryConfig:
    samples: int = _f(2000, lo=100, hi=100_000)
    grid: int = _f(0, lo=0, hi=512)
    bandwidth: float = _f(0.0, lo=0.0, hi=2.0)
    every: int = _f(50, lo=1, hi=100_000)


@dataclass
class Config:
    target: TargetConfig = field(default_factory=TargetConfig)
    generator: NetConfig = field(default_factory=NetConfig)
    discriminator: NetConfig = field(default_factory=NetConfig)
    opt_g: OptimConfig = field(default_factory=OptimConfig)
    opt_d: OptimConfig = field(default_factory=OptimConfig)
    noise: NoiseConfig = field(default_factory=NoiseConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    theory: TheoryConfig = field(default_factory=TheoryConfig)

    # ---------------------------------------------------------------- access
    def get(self, key: str) -> Any:
        section, name = _split(key)
        return getattr(getattr(self, section), name)

    def with_value(self, key: str, value: Any, validate: bool = True) -> Config:
        """A copy with one dotted key set (value may be a string, as from the command line).

        validate=False skips the whole-config checks (ranges and cross-field rules) for a batch of
        edits that is only consistent as a whole; the value is still coerced to the field's type.
        """
        section, name = _split(key)
        sub = getattr(self, section)
        coerced = _coerce(key, _field(sub, name), value)
        new = replace(self, **{section: replace(sub, **{name: coerced})})
        if validate:
            new.validate()
        return new

    def with_values(self, items: dict[str, Any]) -> Config:
        """A copy with several keys set, validated once at the end (so that e.g. target.preset =
        'points' and target.points_file can be set together, in either order)."""
        cfg = self
        for k, v in items.items():
            cfg = cfg.with_value(k, v, validate=False)
        return cfg.validate()

    # ------------------------------------------------------------ validation
    def validate(self) -> Config:
        for section in fields(self):
            sub = getattr(self, section.name)
            for f in fields(sub):
                _check(f"{section.name}.{f.name}", f, getattr(sub, f.name))
        if self.target.preset == "points" and not self.target.points_file:
            raise ConfigError("target.points_file", "required when target.preset = 'points'")
        if self.train.k_d == 0 and self.train.k_g == 0:
            raise ConfigError("train.k_d", "k_d and k_g cannot both be 0 (nothing would train)")
        if self.train.oracle_d and self.train.loss not in ORACLE_LOSSES:
            raise ConfigError("train.oracle_d", f"needs train.loss one of {', '.join(ORACLE_LOSSES)} (a "
                                                f"closed-form optimal D*); '{self.train.loss}' has none")
        return self

    # ----------------------------------------------------------- persistence
    def to_dict(self) -> dict:
        out: dict[str, Any] = {"version": CONFIG_VERSION}
        for section in fields(self):
            sub = getattr(self, section.name)
            out[section.name] = {f.name: getattr(sub, f.name) for f in fields(sub)}
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Config:
        if not isinstance(d, dict):
            raise ConfigError("config", "expected a table of sections")
        version = d.get("version", CONFIG_VERSION)
        if version != CONFIG_VERSION:
            raise ConfigError("version", f"this ganlab reads config version {CONFIG_VERSION}, got {version!r}")
        cfg = cls()
        known = {f.name for f in fields(cls)}
        for key in d:
            if key != "version" and key not in known:
                raise ConfigError(key, f"unknown section; expected one of {', '.join(sorted(known))}")
        for section in fields(cls):
            values = d.get(section.name, {})
            if not isinstance(values, dict):
                raise ConfigError(section.name, "expected a table")
            sub = getattr(cfg, section.name)
            names = {f.name for f in fields(sub)}
            for name, value in values.items():
                if name not in names:
                    raise ConfigError(f"{section.name}.{name}",
                                      f"unknown key; expected one of {', '.join(sorted(names))}")
                coerced = _coerce(f"{section.name}.{name}", _field(sub, name), value)
                sub = replace(sub, **{name: coerced})
            cfg = replace(cfg, **{section.name: sub})
        return cfg.validate()

    def to_toml(self) -> str:
        return tomlio.dumps(self.to_dict())

    def save(self, path: str | Path) -> None:
        write_atomic(Path(path), self.to_toml())

    @classmethod
    def load(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError("config", f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
        if not text.strip():  # an empty file is a failed save or the wrong file, not "all defaults"
            raise ConfigError("config", f"{path.name} is empty: expected [sections] of settings")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ConfigError("config", f"{path.name} is not valid TOML: {e}") from None
        return cls.from_dict(data)


def architecture_key(cfg: Config) -> tuple:
    """What, when changed, needs new networks (and so a reset). The data dimension is part of it: G's output
    and D's input follow the target, so a preset switch between 1-D and 2-D builds new networks."""
    return (cfg.generator, cfg.discriminator, cfg.noise.dim, cfg.train.device, cfg.opt_g.name, cfg.opt_d.name,
            preset_dim(cfg.target.preset))


def field_info(key: str) -> dict:
    """Limits and help of one dotted key, for building controls and tooltips: lo, hi, choices, optional, and
    help, the one text of this key (the app's tooltip)."""
    section, name = _split(key)
    info = dict(_field(getattr(Config(), section), name).metadata)
    info["help"] = HELP.get(key, "")
    return info


def all_keys() -> list[str]:
    cfg = Config()
    return [f"{s.name}.{f.name}" for s in fields(cfg) for f in fields(getattr(cfg, s.name))]


# ---------------------------------------------------------------- helpers
def _split(key: str) -> tuple[str, str]:
    parts = key.split(".")
    sections = [f.name for f in fields(Config)]
    if len(parts) != 2 or parts[0] not in sections:
        raise ConfigError(key, f"unknown key; keys look like section.name with section one of "
                               f"{', '.join(sections)}")
    sub = getattr(Config(), parts[0])
    if parts[1] not in {f.name for f in fields(sub)}:
        raise ConfigError(key, f"unknown key; {parts[0]} has {', '.join(f.name for f in fields(sub))}")
    return parts[0], parts[1]


def _field(sub, name: str):
    return next(f for f in fields(sub) if f.name == name)


def _kind(f) -> type:
    d = f.default
    if f.metadata.get("choices") or isinstance(d, str) or f.name == "points_file":
        return str
    if isinstance(d, bool):
        return bool
    if isinstance(d, int) and not isinstance(d, bool):
        return int
    return float


def _coerce(key: str, f, value: Any) -> Any:
    kind = _kind(f)
    if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "") and
                         f.metadata.get("optional")):
        if f.metadata.get("optional"):
            return None
        raise ConfigError(key, "a value is required")
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(key, f"expected text, got {value!r}")
        return value.strip()
    if kind is bool:
        return _coerce_bool(key, value)
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a number, got {value!r}")
    try:
        if kind is int:
            number = float(value)  # accepts "1e3" and 256.0; rejects 2.5 below
            if not number.is_integer():
                raise ValueError
            return int(number)
        return float(value)
    except (TypeError, ValueError, OverflowError):
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(key, f"expected {what}{_range_text(f)}, got {value!r}") from None


_TRUE = ("true", "on", "yes", "1")
_FALSE = ("false", "off", "no", "0")


def _coerce_bool(key: str, value: Any) -> bool:
    """A switch: a bool, 0 or 1, or one of the words in _TRUE / _FALSE (the command line's --set key=on)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(key, f"expected on or off (true/false), got {value!r}")


def _range_text(f) -> str:
    lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
    if lo is None and hi is None:
        return ""
    return f" in [{lo:g}, {hi:g}]"


def _check(key: str, f, value: Any) -> None:
    meta = f.metadata
    if value is None:
        if meta.get("optional"):
            return
        raise ConfigError(key, "a value is required")
    if isinstance(f.default, bool):
        if not isinstance(value, bool):
            raise ConfigError(key, f"expected on or off (true/false), got {value!r}")
        return
    choices = meta.get("choices")
    if choices is not None:
        if value not in choices:
            raise ConfigError(key, f"'{value}' is not one of {', '.join(choices)}")
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(key, f"must be a finite number{_range_text(f)}, got {value}")
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(key, f"{value:g} is outside the allowed range{_range_text(f)}")
