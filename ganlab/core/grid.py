"""The square evaluation grid on which the theory panel draws p_data, p_g, D* and D.

Values live at cell centres. The box is chosen from the target's extent and the cell size from its
smallest mode std: a grid coarser than about one mode std loses mass and biases the JSD
(shared/notes/numerics.md measured 7% lost mass and JSD 0.197 instead of 0.216 at 2.4 sigma).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

HALF_WIDTH_STEP = 0.5  # the box half-width is rounded up to this, so small drags keep the same grid


@dataclass(frozen=True)
class Grid:
    """An n x n grid of cells over [xmin, xmax] x [ymin, ymax].

    Flattened arrays are row-major: index = iy * n + ix, so `values.reshape(n, n)` is indexed
    [iy, ix] (rows are y, the way an image is drawn with y as the first axis).
    """

    xmin: float
    xmax: float
    ymin: float
    ymax: float
    n: int

    def __post_init__(self) -> None:
        for name in ("xmin", "xmax", "ymin", "ymax"):
            v = float(getattr(self, name))
            if not math.isfinite(v):
                raise ValueError(f"grid {name} must be finite, got {v}")
            object.__setattr__(self, name, v)
        n = int(self.n)
        if n != self.n or n < 1:
            raise ValueError(f"grid size n must be a positive integer, got {self.n}")
        object.__setattr__(self, "n", n)
        if not (self.xmax > self.xmin and self.ymax > self.ymin):
            raise ValueError("grid needs xmax > xmin and ymax > ymin")

    # ---------------------------------------------------------------- geometry
    @property
    def dx(self) -> float:
        return (self.xmax - self.xmin) / self.n

    @property
    def dy(self) -> float:
        return (self.ymax - self.ymin) / self.n

    @property
    def shape(self) -> tuple[int, int]:
        """The shape of a field on the grid, indexed [iy, ix]."""
        return self.n, self.n

    @property
    def cell_area(self) -> float:
        return self.dx * self.dy

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return self.xmin, self.xmax, self.ymin, self.ymax

    def centers_x(self) -> np.ndarray:
        return self.xmin + (np.arange(self.n) + 0.5) * self.dx

    def centers_y(self) -> np.ndarray:
        return self.ymin + (np.arange(self.n) + 0.5) * self.dy

    def points(self) -> np.ndarray:
        """Cell centres as float32 (n*n, 2), row-major (index = iy * n + ix)."""
        return self.points64().astype(np.float32)

    def points64(self) -> np.ndarray:
        """Cell centres as float64 (n*n, 2), same order as points()."""
        n = self.n
        return np.column_stack([np.tile(self.centers_x(), n), np.repeat(self.centers_y(), n)])

    # ------------------------------------------------------------ construction
    @classmethod
    def for_target(cls, target, n: int = 0, min_half_width: float = 3.0, max_cells: int = 256,
                   min_cells: int = 64) -> Grid:
        """A square box centred at 0 that holds every mode out to 4 sigma.

        half-width = max(min_half_width, largest |coordinate| of target.bounds(4)), rounded up to a
        multiple of 0.5 so that dragging a mode a little keeps the same grid (and the cached p_data).
        n = the given n if > 0, else the fewest cells with spacing <= target.min_std, clamped to
        [min_cells, max_cells]; at the max_cells clamp the spacing can exceed min_std (a warning for the
        caller to show: see numerics.md, the grid then loses mass).
        """
        b = target.bounds(4.0)
        reach = max(abs(v) for v in b)
        half = max(float(min_half_width), math.ceil(reach / HALF_WIDTH_STEP - 1e-9) * HALF_WIDTH_STEP)
        if n <= 0:
            # the small tolerance keeps 6 / 0.05 from becoming 121 cells through rounding
            n = math.ceil(2.0 * half / float(target.min_std) - 1e-9)
            n = int(min(max(n, min_cells), max_cells))
        return cls(-half, half, -half, half, int(n))

    def contains(self, xy: np.ndarray) -> np.ndarray:
        """Boolean mask of the points (N, 2) that fall inside the grid box."""
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        with np.errstate(invalid="ignore"):
            return ((xy[:, 0] >= self.xmin) & (xy[:, 0] < self.xmax)
                    & (xy[:, 1] >= self.ymin) & (xy[:, 1] < self.ymax))
