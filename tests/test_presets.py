import math

import numpy as np
import pytest

from ganlab.core.config import TargetConfig
from ganlab.core.presets import (
    PRESETS,
    build_target,
    from_csv,
    from_points,
    grid,
    make_preset,
    read_points_csv,
    ring,
)
from ganlab.core.target import MAX_MODES, GaussianMixture, TargetError


def _min_pairwise_distance(means):
    d = np.linalg.norm(means[:, None, :] - means[None, :, :], axis=-1)
    d[np.diag_indices(len(means))] = np.inf
    return d.min()


def test_ring8_has_eight_distinct_modes_on_radius_two():
    m = make_preset("ring8")
    assert m.n_modes == 8
    np.testing.assert_allclose(np.linalg.norm(m.means, axis=1), 2.0, rtol=1e-12)
    # evenly spaced: neighbouring modes are 2 r sin(pi / 8) apart (the linspace endpoint bug gives a
    # duplicated mode, distance 0)
    assert _min_pairwise_distance(m.means) == pytest.approx(2 * 2.0 * math.sin(math.pi / 8), rel=1e-9)
    angles = np.sort(np.mod(np.arctan2(m.means[:, 1], m.means[:, 0]), 2 * math.pi))
    np.testing.assert_allclose(np.diff(angles), 2 * math.pi / 8, atol=1e-9)
    np.testing.assert_allclose(m.weights, 1 / 8)


@pytest.mark.parametrize("n", [3, 5, 8, 13])
def test_ring_n_distinct(n):
    m = ring(n, radius=1.5)
    assert m.n_modes == n
    assert _min_pairwise_distance(m.means) == pytest.approx(2 * 1.5 * math.sin(math.pi / n), rel=1e-9)
    np.testing.assert_allclose(m.means.mean(0), 0.0, atol=1e-12)


def test_grid25():
    m = make_preset("grid25")
    assert m.n_modes == 25
    xs, ys = np.unique(m.means[:, 0].round(12)), np.unique(m.means[:, 1].round(12))
    assert len(xs) == 5 and len(ys) == 5
    np.testing.assert_allclose(np.diff(xs), np.diff(xs)[0])
    np.testing.assert_allclose(m.means.mean(0), 0.0, atol=1e-12)
    assert _min_pairwise_distance(m.means) > 5 * m.min_std
    assert grid(3, spacing=2.0).n_modes == 9


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_builds(name):
    m = make_preset(name)
    assert isinstance(m, GaussianMixture)
    assert 1 <= m.n_modes <= MAX_MODES
    assert np.isclose(m.weights.sum(), 1.0)
    # distinct modes
    if m.n_modes > 1:
        assert _min_pairwise_distance(m.means) > 0
    # each preset has a description
    assert isinstance(PRESETS[name][1], str) and PRESETS[name][1]
    # std override applies to every mode
    m2 = make_preset(name, std=0.07)
    np.testing.assert_allclose(m2.stds, 0.07)
    np.testing.assert_array_equal(m2.means, m.means)


def test_unknown_preset_lists_names():
    with pytest.raises(TargetError) as e:
        make_preset("nope")
    msg = str(e.value)
    assert "nope" in msg
    for name in PRESETS:
        assert name in msg


def test_from_points():
    pts = [[0.0, 1.0], [2.0, 3.0]]
    m = from_points(pts, std=0.2)
    np.testing.assert_array_equal(m.means, pts)
    np.testing.assert_array_equal(m.stds, [0.2, 0.2])
    for bad in ([], [[1.0, 2.0, 3.0]], [1.0, 2.0], [[0.0, float("nan")]]):
        with pytest.raises(TargetError):
            from_points(bad)


def test_from_points_thins_above_max_modes():
    pts = np.column_stack([np.arange(1000.0) / 1000, np.zeros(1000)])
    m = from_points(pts, max_modes=10)
    assert m.n_modes == 10
    # evenly spaced through the cloud, first and last kept
    assert m.means[0, 0] == 0.0 and m.means[-1, 0] == pytest.approx(0.999)
    assert len(np.unique(m.means[:, 0])) == 10
    # the default cap is MAX_MODES
    big = np.random.default_rng(0).uniform(-1, 1, (MAX_MODES + 100, 2))
    assert from_points(big).n_modes == MAX_MODES


def _write(tmp_path, text, name="pts.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_read_points_csv_with_header_and_blank_lines(tmp_path):
    p = _write(tmp_path, "x,y\n0.5,1.5\n\n-1, 2e-1\n3,4,extra\n")
    pts = read_points_csv(p)
    np.testing.assert_array_equal(pts, [[0.5, 1.5], [-1.0, 0.2], [3.0, 4.0]])


def test_read_points_csv_without_header_and_bom(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeff1,2\n3,4\n".encode())
    np.testing.assert_array_equal(read_points_csv(p), [[1.0, 2.0], [3.0, 4.0]])


def test_read_points_csv_empty_file(tmp_path):
    with pytest.raises(TargetError, match="no x,y rows"):
        read_points_csv(_write(tmp_path, ""))
    with pytest.raises(TargetError, match="no x,y rows"):
        read_points_csv(_write(tmp_path, "x,y\n", "header_only.csv"))


def test_read_points_csv_text_cell_names_line(tmp_path):
    p = _write(tmp_path, "x,y\n1,2\n3,abc\n")
    with pytest.raises(TargetError, match="line 3") as e:
        read_points_csv(p)
    assert "pts.csv" in str(e.value) and "abc" in str(e.value)


def test_read_points_csv_one_column_names_line(tmp_path):
    with pytest.raises(TargetError, match="line 2.*two columns"):
        read_points_csv(_write(tmp_path, "1,2\n5\n"))


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf"])
def test_read_points_csv_non_finite(tmp_path, cell):
    with pytest.raises(TargetError, match="line 2.*finite"):
        read_points_csv(_write(tmp_path, f"1,2\n{cell},0\n"))


def test_read_points_csv_row_limit(tmp_path):
    p = _write(tmp_path, "".join(f"{i},{i}\n" for i in range(6)))
    with pytest.raises(TargetError, match="more than 5 rows"):
        read_points_csv(p, max_rows=5)
    assert len(read_points_csv(p, max_rows=6)) == 6


def test_read_points_csv_missing_file(tmp_path):
    with pytest.raises(TargetError, match="cannot read"):
        read_points_csv(tmp_path / "absent.csv")


def test_from_csv_thins_large_files(tmp_path):
    n = MAX_MODES * 3
    p = _write(tmp_path, "x,y\n" + "".join(f"{i / n},{-i / n}\n" for i in range(n)))
    m = from_csv(p, std=0.05)
    assert m.n_modes == MAX_MODES
    np.testing.assert_allclose(m.stds, 0.05)


def test_build_target_points(tmp_path):
    p = _write(tmp_path, "x,y\n0,0\n1,1\n2,0\n")
    m = build_target(TargetConfig(preset="points", std=0.3, points_file=str(p)))
    np.testing.assert_array_equal(m.means, [[0, 0], [1, 1], [2, 0]])
    np.testing.assert_allclose(m.stds, 0.3)
    m2 = build_target(TargetConfig(preset="points", points_file=str(p)))
    np.testing.assert_allclose(m2.stds, 0.1)  # default std for points


def test_build_target_preset():
    assert build_target(TargetConfig(preset="grid25")) == make_preset("grid25")
    m = build_target(TargetConfig(preset="ring8", std=0.2))
    np.testing.assert_allclose(m.stds, 0.2)
