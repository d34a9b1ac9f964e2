"""The evaluation grid on which the theory panel draws p_data, p_g, D* and D: a square (Grid) for a 2-D
target, an interval (Grid1D) for a 1-D one; `grid_for_target` (or Grid.for_target) picks the right one.

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
    def dim(self) -> int:
        return 2

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
                   min_cells: int = 64) -> Grid | Grid1D:
        """A square box centred at 0 that holds every mode out to 4 sigma (a Grid1D for a 1-D target, with
        Grid1D.for_target's cell counts: the size arguments here are the 2-D ones).

        half-width = max(min_half_width, largest |coordinate| of target.bounds(4)), rounded up to a
        multiple of 0.5 so that dragging a mode a little keeps the same grid (and the cached p_data).
        n = the given n if > 0, else the fewest cells with spacing <= target.min_std, clamped to
        [min_cells, max_cells]; at the max_cells clamp the spacing can exceed min_std (a warning for the
        caller to show: see numerics.md, the grid then loses mass).
        """
        if getattr(target, "dim", 2) == 1:
            return Grid1D.for_target(target, n, min_half_width)
        half = _half_width(target, min_half_width)
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


def _half_width(target, min_half_width: float) -> float:
    """max(min_half_width, largest |coordinate| of target.bounds(4)), rounded up to a multiple of 0.5."""
    reach = max(abs(v) for v in target.bounds(4.0))
    return max(float(min_half_width), math.ceil(reach / HALF_WIDTH_STEP - 1e-9) * HALF_WIDTH_STEP)


@dataclass(frozen=True)
class Grid1D:
    """n cells over the interval [xmin, xmax]: the grid of a 1-D target (a field on it has shape (n,)).

    The same geometry names as Grid where they make sense (n, dx, cell_area, extent, centers_x, points,
    points64, contains, shape, dim), so theory, observer and views read either. cell_area is the cell
    length dx: the measure a density is integrated with.
    """

    xmin: float
    xmax: float
    n: int

    def __post_init__(self) -> None:
        for name in ("xmin", "xmax"):
            v = float(getattr(self, name))
            if not math.isfinite(v):
                raise ValueError(f"grid {name} must be finite, got {v}")
            object.__setattr__(self, name, v)
        n = int(self.n)
        if n != self.n or n < 1:
            raise ValueError(f"grid size n must be a positive integer, got {self.n}")
        object.__setattr__(self, "n", n)
        if not self.xmax > self.xmin:
            raise ValueError("grid needs xmax > xmin")

    @property
    def dim(self) -> int:
        return 1

    @property
    def dx(self) -> float:
        return (self.xmax - self.xmin) / self.n

    @property
    def shape(self) -> tuple[int]:
        return (self.n,)

    @property
    def cell_area(self) -> float:
        return self.dx

    @property
    def extent(self) -> tuple[float, float]:
        return self.xmin, self.xmax

    def centers_x(self) -> np.ndarray:
        return self.xmin + (np.arange(self.n) + 0.5) * self.dx

    def points(self) -> np.ndarray:
        """Cell centres as float32 (n, 1), left to right."""
        return self.points64().astype(np.float32)

    def points64(self) -> np.ndarray:
        """Cell centres as float64 (n, 1)."""
        return self.centers_x()[:, None]

    @classmethod
    def for_target(cls, target, n: int = 0, min_half_width: float = 3.0, max_cells: int = 1024,
                   min_cells: int = 256) -> Grid1D:
        """An interval centred at 0 that holds every mode out to 4 sigma (half-width as Grid.for_target).

        n = the given n if > 0, else the fewest cells with spacing <= min_std / 4, clamped to
        [min_cells, max_cells]: a 1-D grid is cheap, so it resolves every mode finely (the binning then
        barely blurs p_g, and the curves are smooth at any zoom).
        """
        half = _half_width(target, min_half_width)
        if n <= 0:
            n = math.ceil(2.0 * half / (0.25 * float(target.min_std)) - 1e-9)
            n = int(min(max(n, min_cells), max_cells))
        return cls(-half, half, int(n))

    def contains(self, x: np.ndarray) -> np.ndarray:
        """Boolean mask of the points (N, 1) (or N numbers) that fall inside the interval."""
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        with np.errstate(invalid="ignore"):
            return (x >= self.xmin) & (x < self.xmax)


def grid_for_target(target, n: int = 0) -> Grid | Grid1D:
    """The grid of a target: a Grid1D for a 1-D target, a square Grid otherwise (n = 0: chosen from it)."""
    return Grid.for_target(target, n)
