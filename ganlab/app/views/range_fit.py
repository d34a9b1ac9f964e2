"""The field's range: the preset's grid, or (Fit) the grid widened to the generated cloud and the target;
and how many generated samples lie outside the range shown.

A generated cloud that drifts past the preset's +-3 leaves no trace on a fixed view, so the field counts
what it does not show (`off_view`, a few numpy comparisons a frame) and says so at its edge, with arrows
towards where the samples went. Fit takes the union of the grid, every finite generated sample and each
mode's centre +- 3 std, padded, in the grid's aspect. While Fit is on it follows the cloud with some slack
(`needs_refit`): it widens as soon as the cloud leaves the range and narrows only when the cloud needs
less than NARROW_SHARE of it. Re-ranging every frame would redraw every cached layer (heatmap, real cloud,
axes) at each frame and make the picture swim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAD_SHARE = 0.08      # room around what Fit must show, as a share of its span
NARROW_SHARE = 0.55   # Fit narrows when what it must show spans less than this share of the range
STD_REACH = 3.0       # a mode is shown to this many stds
LIMIT = 1.0e4         # Fit never goes past this (a diverged G's 1e30 is not a range)
ARROWS = (("right", "→"), ("left", "←"), ("above", "↑"), ("below", "↓"))

Box = tuple[float, float, float, float]   # x0, x1, y0, y1


@dataclass(frozen=True)
class OffView:
    """Generated samples outside the range shown: how many of how many (finite ones), and by side."""

    count: int = 0
    total: int = 0
    sides: tuple[tuple[str, int], ...] = ()   # ("right", n), ...: sides with samples past them, most first

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    def percent_text(self) -> str:
        """The share as people read it: "12", or "<1" for a few samples of many (never "0" for some)."""
        pct = 100.0 * self.share
        return "<1" if 0 < pct < 1 else f"{pct:.0f}"

    def arrows(self) -> str:
        marks = dict(ARROWS)
        return "".join(marks[side] for side, _ in self.sides)


def off_view(points: np.ndarray | None, xr, yr) -> OffView:
    """Count the finite rows of `points` outside [xr] x [yr]."""
    if points is None or len(points) == 0:
        return OffView()
    x, y = points[:, 0], points[:, 1]
    finite = np.isfinite(x) & np.isfinite(y)
    past = {"left": x < xr[0], "right": x > xr[1], "below": y < yr[0], "above": y > yr[1]}
    out = past["left"] | past["right"] | past["below"] | past["above"]
    count = int(np.count_nonzero(out & finite))
    total = int(np.count_nonzero(finite))
    if count == 0:
        return OffView(0, total)
    by_side = [(side, int(np.count_nonzero(past[side] & finite))) for side, _ in ARROWS]
    sides = tuple(sorted(((s, n) for s, n in by_side if n), key=lambda sn: -sn[1]))
    return OffView(count, total, sides)


def needed_box(grid, points: np.ndarray | None, target) -> Box:
    """What Fit must show: the grid, the finite generated samples, each mode's centre +- STD_REACH std."""
    x0, x1, y0, y1 = grid.xmin, grid.xmax, grid.ymin, grid.ymax
    if points is not None and len(points):
        ok = np.isfinite(points).all(axis=1)
        if ok.any():
            p = points[ok]
            x0, x1 = min(x0, float(p[:, 0].min())), max(x1, float(p[:, 0].max()))
            y0, y1 = min(y0, float(p[:, 1].min())), max(y1, float(p[:, 1].max()))
    if target is not None:
        m = np.asarray(target.means, dtype=np.float64)
        r = STD_REACH * np.asarray(target.stds, dtype=np.float64)
        x0, x1 = min(x0, float((m[:, 0] - r).min())), max(x1, float((m[:, 0] + r).max()))
        y0, y1 = min(y0, float((m[:, 1] - r).min())), max(y1, float((m[:, 1] + r).max()))
    return (max(x0, -LIMIT), min(x1, LIMIT), max(y0, -LIMIT), min(y1, LIMIT))


def fit_range(grid, points: np.ndarray | None, target) -> Box:
    """The range Fit shows: the grid itself while everything is inside it, else `needed_box` padded."""
    home = (grid.xmin, grid.xmax, grid.ymin, grid.ymax)
    box = needed_box(grid, points, target)
    if box == home:
        return home
    return fitted_range(box, (grid.xmax - grid.xmin) / (grid.ymax - grid.ymin))


def fitted_range(box: Box, aspect: float) -> Box:
    """`box` padded by PAD_SHARE and widened on one axis to `aspect` (width / height), same centre."""
    x0, x1, y0, y1 = box
    w, h = (x1 - x0) * (1 + 2 * PAD_SHARE), (y1 - y0) * (1 + 2 * PAD_SHARE)
    w, h = max(w, h * aspect), max(h, w / aspect)
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    return (cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2)


def contains(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and inner[3] <= outer[3]


def needs_refit(current: Box, needed: Box) -> bool:
    """True when the range shown misses part of `needed`, or is much larger than it needs to be."""
    if not contains(current, needed):
        return True
    cw, ch = current[1] - current[0], current[3] - current[2]
    nw, nh = needed[1] - needed[0], needed[3] - needed[2]
    return nw < NARROW_SHARE * cw and nh < NARROW_SHARE * ch
