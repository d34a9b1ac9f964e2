"""The D* argument at one point x, as numbers: formula (12) of the lecture evaluated where the user clicks.

For a fixed generator, V(G, D) = int p_data(x) log D(x) + p_g(x) log(1 - D(x)) dx is maximised pointwise, so at
each x the discriminator faces the one-variable problem

    f(D) = p_data(x) log D + p_g(x) log(1 - D),   f'(D) = p_data / D - p_g / (1 - D) = 0
    =>  D*(x) = p_data(x) / (p_data(x) + p_g(x))   (f'' < 0: a maximum).

`probe` reads p_data(x), p_g(x) and the trained D(x) off the snapshot's grids (the kernel-smoothed densities of
core/theory.py, cell centres on the grid), interpolated linearly between centres (bilinearly on a 2-D grid) and
held constant from the outermost centres to the grid's edge; `objective` is f. Pure numpy: the views import it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .theory import DSTAR_MASK_REL

NAN = float("nan")


@dataclass(frozen=True)
class ProbeValues:
    """What the probe found at (x, y). NaN where a number does not exist (outside the grid, no D, no mass)."""

    x: float
    y: float
    inside: bool            # (x, y) lies on the evaluation grid
    p_data: float           # smoothed p_data(x)
    p_g: float              # smoothed p_g(x) (KDE)
    dstar: float            # p_data / (p_data + p_g); NaN where both densities are negligible
    d: float                # the trained D(x) on [0, 1]; NaN for a critic
    critic: bool            # the loss has no probability reading (wgan-gp, hinge): D is a critic
    f_d: float              # f(D(x))
    f_dstar: float          # f(D*(x)), the maximum of f
    negligible: bool        # p_data + p_g below the D* map's mask (1e-10 of its peak): D* is not defined there

    @property
    def has_dstar(self) -> bool:
        return math.isfinite(self.dstar)


def objective(p_d, p_g, d) -> np.ndarray | float:
    """f(D) = p_d log D + p_g log(1 - D), broadcast over arrays; 0 log 0 = 0 (so f(1) = 0 when p_g = 0)."""
    p_d = np.asarray(p_d, dtype=np.float64)
    p_g = np.asarray(p_g, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(p_d == 0.0, 0.0, p_d * np.log(d))
        b = np.where(p_g == 0.0, 0.0, p_g * np.log1p(-d))
    out = a + b
    return float(out) if out.ndim == 0 else out


def dstar(p_d: float, p_g: float) -> float:
    """D* = p_d / (p_d + p_g); NaN when both are 0."""
    s = p_d + p_g
    return p_d / s if s > 0.0 else NAN


def probe(source, x: float, y: float | None = None, d_prob: np.ndarray | None = None) -> ProbeValues:
    """p_data, p_g, D*, D and f at the point (x, y) of a Snapshot (or of TheoryFields, with `d_prob` given).

    source: a Snapshot (its .theory, .d_prob and .grid are used; .theory None raises ValueError) or anything with
    .grid, .log_p_data and .log_p_g (TheoryFields), then `d_prob` (or source.d_prob) gives D. On a 1-D grid
    (grid.dim == 1, fields of shape (n,)) y is ignored.
    """
    fields = getattr(source, "theory", source)
    if fields is None:
        raise ValueError("the snapshot has no theory fields to probe")
    if d_prob is None:
        d_prob = getattr(source, "d_prob", None)
    grid = getattr(fields, "grid", None) or source.grid
    one_d = getattr(grid, "dim", 2) == 1
    x = float(x)
    y = NAN if one_d or y is None else float(y)
    lpd = np.asarray(fields.log_p_data, dtype=np.float64)
    lpg = np.asarray(fields.log_p_g, dtype=np.float64)
    corners = _corners_1d(grid, x) if one_d else _corners_2d(grid, x, y)
    critic = d_prob is None
    if corners is None:
        return ProbeValues(x, y, False, NAN, NAN, NAN, NAN, critic, NAN, NAN, True)
    p_d = _at(np.exp(lpd), corners)
    p_g = _at(np.exp(lpg), corners)
    # the D* map's mask (theory.log_dstar): where both densities are negligible the ratio is round-off
    peak = float(np.max(np.logaddexp(lpd, lpg)))
    s = p_d + p_g
    negligible = not (s > 0.0) or math.log(s) < peak + math.log(DSTAR_MASK_REL)
    ds = NAN if negligible else dstar(p_d, p_g)
    d = NAN if critic else _at(np.asarray(d_prob, dtype=np.float64), corners)
    f_d = NAN if critic or not math.isfinite(d) else objective(p_d, p_g, d)
    f_star = objective(p_d, p_g, ds) if math.isfinite(ds) else NAN
    return ProbeValues(x, y, True, p_d, p_g, ds, d, critic, f_d, f_star, negligible)


# --------------------------------------------------------------------------- interpolation
def _axis(centres: np.ndarray, v: float):
    """(i0, i1, t): v between centres[i0] and centres[i1] at fraction t; None outside the cells' extent.

    Between the outermost centre and the grid's edge (half a cell) the value is held (t = 0)."""
    c = np.asarray(centres, dtype=np.float64)
    n = len(c)
    if n == 0 or not math.isfinite(v):
        return None
    h = 0.5 * (c[-1] - c[0]) / (n - 1) if n > 1 else 0.5
    if v < c[0] - h or v > c[-1] + h:
        return None
    if n == 1 or v <= c[0]:
        return 0, 0, 0.0
    if v >= c[-1]:
        return n - 1, n - 1, 0.0
    f = (v - c[0]) / (c[-1] - c[0]) * (n - 1)
    i0 = min(int(math.floor(f)), n - 2)
    return i0, i0 + 1, f - i0


def _corners_1d(grid, x: float):
    ax = _axis(grid.centers_x(), x)
    if ax is None:
        return None
    i0, i1, t = ax
    return [((i0,), 1.0 - t), ((i1,), t)]


def _corners_2d(grid, x: float, y: float):
    ax, ay = _axis(grid.centers_x(), x), _axis(grid.centers_y(), y)
    if ax is None or ay is None:
        return None
    (ix0, ix1, tx), (iy0, iy1, ty) = ax, ay
    return [((iy0, ix0), (1 - ty) * (1 - tx)), ((iy0, ix1), (1 - ty) * tx),
            ((iy1, ix0), ty * (1 - tx)), ((iy1, ix1), ty * tx)]


def _at(field: np.ndarray, corners) -> float:
    """The weighted sum over the corners with weight > 0 (a NaN at a corner that does not count stays out)."""
    total = 0.0
    for idx, w in corners:
        if w > 0.0:
            total += w * float(field[idx])
    return total
