"""Target presets, each a GaussianMixture, plus targets built from points (drawn or from a CSV).

Sizes follow the classic 2-D GAN toys (gan_toy.py, VEEGAN, PacGAN) scaled to fit [-3, 3]^2, with
modes wide enough to see at a projector; the lesson presets narrow them when the literature does.
The 1d-* presets are targets on a line, for Figure 1 of the GAN paper (p_data, p_g, D and D* as curves);
their modes are as wide as the paper draws them, so the default networks learn them in ~2000 iterations.
"""

from __future__ import annotations

import csv
import math
from array import array
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .target import MAX_MODES, GaussianMixture, TargetError

MAX_CSV_ROWS = 1_000_000


def ring(n: int = 8, radius: float = 2.0, std: float = 0.05) -> GaussianMixture:
    # endpoint=False: linspace(0, 2pi, n) would repeat the first mode.
    a = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    return GaussianMixture(np.c_[radius * np.cos(a), radius * np.sin(a)], std)


def grid(n_side: int = 5, spacing: float = 1.0, std: float = 0.05) -> GaussianMixture:
    c = (np.arange(n_side) - (n_side - 1) / 2.0) * spacing
    xx, yy = np.meshgrid(c, c)
    return GaussianMixture(np.c_[xx.ravel(), yy.ravel()], std)


def two_gaussians(distance: float = 3.0, std: float = 0.3) -> GaussianMixture:
    return GaussianMixture([[-distance / 2, 0.0], [distance / 2, 0.0]], std)


def line(n: int = 12, length: float = 4.0, std: float = 0.12) -> GaussianMixture:
    x = np.linspace(-length / 2, length / 2, n)
    return GaussianMixture(np.c_[x, 0.5 * x], std)


def spiral(n: int = 24, turns: float = 1.75, std: float = 0.08, radius: float = 2.4) -> GaussianMixture:
    t = np.linspace(0.15, 1.0, n)
    a = 2.0 * math.pi * turns * t
    r = radius * t
    return GaussianMixture(np.c_[r * np.cos(a), r * np.sin(a)], std)


def single(std: float = 0.5) -> GaussianMixture:
    return GaussianMixture([[0.0, 0.0]], std)


def line1d(means=(0.0,), std: float = 0.5, weights=None) -> GaussianMixture:
    """A 1-D mixture: one mode at each of `means` (on the x axis), all of std `std`."""
    return GaussianMixture(np.asarray(means, dtype=np.float64).reshape(-1, 1), std, weights)


def one_1d(std: float = 0.5) -> GaussianMixture:
    return line1d((0.0,), std)


def two_1d(std: float = 0.4) -> GaussianMixture:
    return line1d((-2.0, 2.0), std)


def three_1d(std: float = 0.35) -> GaussianMixture:
    return line1d((-2.5, 0.0, 2.5), std, (0.5, 0.3, 0.2))


def from_points(points, std: float = 0.1, max_modes: int = MAX_MODES) -> GaussianMixture:
    """A mixture of small Gaussians centred on the given points.

    Above max_modes points the cloud is thinned to max_modes evenly spaced points (deterministic),
    so a large CSV still becomes a usable target.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
        raise TargetError("points must be a non-empty list of (x, y) pairs")
    if not np.all(np.isfinite(pts)):
        raise TargetError("points must be finite numbers")
    if len(pts) > max_modes:
        pts = pts[np.linspace(0, len(pts) - 1, max_modes).round().astype(int)]
    return GaussianMixture(pts, std)


def read_points_csv(path: str | Path, max_rows: int = MAX_CSV_ROWS) -> np.ndarray:
    """Read x,y pairs from a CSV (an optional header row is skipped). Errors name the line."""
    path = Path(path)
    try:
        f = path.open(newline="", encoding="utf-8-sig")
    except OSError as e:
        raise TargetError(f"cannot read points file {path}: {e.strerror or e}") from None
    rows = array("d")  # x, y, x, y, ...: 16 bytes a row (a list of tuples took ~130 MB for 10^6 rows)
    lineno = 0
    with f:
        try:
            for lineno, row in enumerate(csv.reader(f), start=1):
                cells = [c.strip() for c in row if c.strip()]
                if not cells:
                    continue
                if len(cells) < 2:
                    raise TargetError(f"{path.name}, line {lineno}: expected two columns x,y")
                try:
                    x, y = float(cells[0]), float(cells[1])
                except ValueError:
                    if not rows and lineno == 1:
                        continue  # header
                    raise TargetError(f"{path.name}, line {lineno}: '{cells[0]}, {cells[1]}' is not a number "
                                      f"pair") from None
                if not (math.isfinite(x) and math.isfinite(y)):
                    raise TargetError(f"{path.name}, line {lineno}: coordinates must be finite")
                rows.append(x)
                rows.append(y)
                if len(rows) > 2 * max_rows:
                    raise TargetError(f"{path.name}: more than {max_rows:,} rows; thin the file first")
        except UnicodeDecodeError:
            raise TargetError(f"{path.name}, line {lineno + 1}: not UTF-8 text (a binary file, or another "
                              f"encoding): expected a CSV of x,y rows") from None
        except csv.Error as e:  # a NUL byte, a field over the csv module's size limit, ...
            raise TargetError(f"{path.name}, line {lineno + 1}: not a readable CSV ({e})") from None
    if not rows:
        raise TargetError(f"{path.name}: no x,y rows found")
    return np.frombuffer(rows, dtype=np.float64).reshape(-1, 2).copy()


def from_csv(path: str | Path, std: float = 0.1) -> GaussianMixture:
    return from_points(read_points_csv(path), std)


# name -> (factory taking std or None, one-line description)
PRESETS: dict[str, tuple[Callable[..., GaussianMixture], str]] = {
    "ring8": (ring, "8 Gaussians on a circle of radius 2 (the classic mode-collapse test)"),
    "grid25": (grid, "25 Gaussians on a 5 x 5 grid"),
    "two": (two_gaussians, "two well separated Gaussians"),
    "line": (line, "12 small Gaussians along a line"),
    "spiral": (spiral, "24 small Gaussians along a spiral"),
    "single": (single, "one Gaussian (the easiest target)"),
    "1d-single": (one_1d, "1-D: one Gaussian on a line (Figure 1 of the GAN paper)"),
    "1d-two": (two_1d, "1-D: two Gaussians at -2 and 2 on a line"),
    "1d-three": (three_1d, "1-D: three Gaussians at -2.5, 0, 2.5 with weights 0.5, 0.3, 0.2"),
}
# The presets whose target lies on a line; every other target (and "points") is 2-D.
PRESETS_1D: tuple[str, ...] = tuple(name for name in PRESETS if name.startswith("1d-"))

# Every value target.preset takes: a preset above, or "points" for a mixture at the rows of target.points_file.
PRESET_NAMES: tuple[str, ...] = (*PRESETS, "points")


def preset_dim(name: str) -> int:
    """The dimension (1 or 2) of the target a preset name gives, without building it: the networks' data
    dimension follows it (config.architecture_key), so switching between 1-D and 2-D builds new networks."""
    return 1 if name in PRESETS_1D else 2


def make_preset(name: str, std: float | None = None) -> GaussianMixture:
    """Build a preset by name; std overrides the preset's mode std."""
    if name not in PRESETS:
        raise TargetError(f"unknown target preset '{name}'; choose one of: {', '.join(PRESETS)}")
    factory = PRESETS[name][0]
    return factory() if std is None else factory(std=std)


def build_target(tc) -> GaussianMixture:
    """The target a TargetConfig describes (a preset, or points from a CSV)."""
    if tc.preset == "points":
        return from_csv(tc.points_file, tc.std if tc.std is not None else 0.1)
    return make_preset(tc.preset, tc.std)
