"""Grid.for_target and the grid's layout conventions."""

import numpy as np
import pytest

from ganlab.core.grid import Grid
from ganlab.core.presets import grid as grid_preset
from ganlab.core.presets import make_preset, ring
from ganlab.core.target import GaussianMixture


def test_geometry_and_row_major_points():
    g = Grid(-1.0, 3.0, -2.0, 2.0, 4)
    assert g.dx == pytest.approx(1.0) and g.dy == pytest.approx(1.0)
    assert g.cell_area == pytest.approx(1.0)
    assert g.extent == (-1.0, 3.0, -2.0, 2.0)
    np.testing.assert_allclose(g.centers_x(), [-0.5, 0.5, 1.5, 2.5])
    np.testing.assert_allclose(g.centers_y(), [-1.5, -0.5, 0.5, 1.5])
    pts = g.points()
    assert pts.shape == (16, 2) and pts.dtype == np.float32
    # index = iy * n + ix
    iy, ix = 2, 1
    np.testing.assert_allclose(pts[iy * 4 + ix], [g.centers_x()[ix], g.centers_y()[iy]])
    # a field f(x, y) = x reshaped (n, n) varies along the second axis
    f = pts[:, 0].reshape(4, 4)
    assert np.all(f[:, 1] > f[:, 0]) and np.all(f[1, :] == f[0, :])


def test_grid_is_hashable_and_validated():
    assert Grid(-3, 3, -3, 3, 64) == Grid(-3.0, 3.0, -3.0, 3.0, 64)
    assert len({Grid(-3, 3, -3, 3, 64), Grid(-3.0, 3.0, -3.0, 3.0, 64)}) == 1
    with pytest.raises(ValueError):
        Grid(1, 0, 0, 1, 8)
    with pytest.raises(ValueError):
        Grid(0, 1, 0, 1, 0)
    with pytest.raises(ValueError):
        Grid(0, float("nan"), 0, 1, 8)


@pytest.mark.parametrize("name", ["ring8", "grid25", "two", "line", "spiral", "single"])
def test_for_target_square_contains_modes_and_fine_enough(name):
    t = make_preset(name)
    g = Grid.for_target(t)
    assert g.xmin == -g.xmax == g.ymin == -g.ymax  # square, centred at 0
    assert g.xmax >= 3.0
    assert (g.xmax * 2) % 1.0 == 0.0  # half-width is a multiple of 0.5
    xmin, xmax, ymin, ymax = t.bounds(4.0)
    assert g.xmin <= xmin and xmax <= g.xmax and g.ymin <= ymin and ymax <= g.ymax
    assert 64 <= g.n <= 256
    if 2 * g.xmax / t.min_std <= 256:
        assert g.dx <= t.min_std + 1e-12
        assert g.n == max(64, int(np.ceil(2 * g.xmax / t.min_std - 1e-9)))


def test_for_target_default_ring_is_120_cells():
    g = Grid.for_target(ring(8, 2.0, 0.05))
    assert g.extent == (-3.0, 3.0, -3.0, 3.0)
    assert g.n == 120  # 6 / 0.05, not 121 from rounding
    assert g.dx == pytest.approx(0.05)


def test_for_target_clamps():
    narrow = ring(8, 2.0, 0.005)
    g = Grid.for_target(narrow)
    assert g.n == 256 and g.dx > narrow.min_std  # clamped at max_cells
    wide = GaussianMixture([[0.0, 0.0]], 1.0)
    g = Grid.for_target(wide)
    assert g.n == 64  # min_cells
    assert g.xmax == 4.0  # 4 sigma
    assert Grid.for_target(narrow, n=100).n == 100
    assert Grid.for_target(narrow, max_cells=128).n == 128


def test_for_target_large_target_and_rounding():
    t = grid_preset(5, 1.5, 0.05)  # modes at +-3, 4 sigma reach 3.2
    g = Grid.for_target(t)
    assert g.xmax == 3.5
    assert np.all(np.abs(t.means) < g.xmax)


def test_for_target_stable_under_small_drag():
    t = ring(8, 2.0, 0.05)
    g = Grid.for_target(t)
    for dxy in ([0.1, 0.0], [0.0, -0.2], [0.3, 0.3], [-0.5, 0.1]):
        moved = t.moved(0, t.means[0] + np.array(dxy))
        assert Grid.for_target(moved) == g
    # a big drag outwards grows the box, in 0.5 steps
    far = t.moved(0, [3.3, 0.0])
    gf = Grid.for_target(far)
    assert gf.xmax == 3.5 and gf.n == 140


def test_contains():
    g = Grid(-1, 1, -1, 1, 8)
    m = g.contains(np.array([[0, 0], [1.5, 0], [np.nan, 0], [-1, -1], [1, 0]]))
    assert m.tolist() == [True, False, False, True, False]
