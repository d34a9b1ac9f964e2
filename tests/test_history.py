import csv
import io

import numpy as np
import pytest

from ganlab.core.history import History, curves_csv, decimate


def test_append_view_last():
    h = History(("step", "a", "b"), capacity=4)
    assert len(h) == 0 and h.last() is None
    v = h.view()
    assert set(v) == {"step", "a", "b"} and all(len(c) == 0 for c in v.values())
    h.append(1, 0.5, -1.0)
    h.append(2, 0.25, float("nan"))
    assert len(h) == 2
    v = h.view()
    np.testing.assert_array_equal(v["step"], [1, 2])
    np.testing.assert_array_equal(v["a"], [0.5, 0.25])
    assert v["b"][0] == -1.0 and np.isnan(v["b"][1])
    last = h.last()
    assert last["step"] == 2 and last["a"] == 0.25 and np.isnan(last["b"])
    assert list(last) == ["step", "a", "b"]


def test_append_wrong_arity():
    h = History(("step", "a"))
    with pytest.raises(ValueError, match="expected 2 values"):
        h.append(1, 2, 3)
    assert len(h) == 0


def test_view_is_read_only():
    h = History(("step", "a"))
    h.append(1, 2)
    v = h.view()
    with pytest.raises(ValueError):
        v["a"][0] = 5.0
    h.append(2, 3)  # the writer still writes
    assert h.last()["a"] == 3


def test_grow_past_capacity_and_old_views_stay_valid():
    h = History(("step", "x"), capacity=4)
    for i in range(3):
        h.append(i, i * 10)
    old = h.view()
    for i in range(3, 1000):
        h.append(i, i * 10)
    assert len(h) == 1000
    # the old view still holds exactly the rows it was taken at
    np.testing.assert_array_equal(old["step"], [0, 1, 2])
    np.testing.assert_array_equal(old["x"], [0, 10, 20])
    v = h.view()
    np.testing.assert_array_equal(v["step"], np.arange(1000))
    np.testing.assert_array_equal(v["x"], np.arange(1000) * 10)
    arr = h.array()
    assert arr.shape == (1000, 2)
    arr[0, 0] = -1  # a copy
    assert h.view()["step"][0] == 0


def test_zero_capacity_grows():
    h = History(("a",), capacity=0)
    for i in range(5):
        h.append(i)
    np.testing.assert_array_equal(h.view()["a"], np.arange(5))


def test_clear_and_load():
    h = History(("step", "a"))
    h.append(1, 2)
    h.clear()
    assert len(h) == 0 and h.last() is None
    data = np.column_stack([np.arange(5000), np.arange(5000) * 0.5])
    h.load(data)
    assert len(h) == 5000
    np.testing.assert_array_equal(h.array(), data)
    h.append(5000, 1.0)
    assert h.last() == {"step": 5000.0, "a": 1.0}


def test_to_csv():
    h = History(("step", "loss", "modes_captured"))
    h.append(0, float("nan"), 3)
    h.append(50, 0.123456789, 8)
    text = h.to_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["step", "loss", "modes_captured"]
    assert rows[1] == ["0", "", "3"]  # NaN -> empty cell, integer columns without ".0"
    assert rows[2][0] == "50" and rows[2][2] == "8"
    assert float(rows[2][1]) == pytest.approx(0.123456789, rel=1e-5)
    assert len(rows) == 3


def test_to_csv_writes_inf_and_six_digits():
    h = History(("step", "x"))
    h.append(1.0, float("inf"))
    h.append(2.5, -float("inf"))
    h.append(3, 0.123456789)
    assert h.to_csv() == "step,x\n1,inf\n2.5,-inf\n3,0.123457\n"  # a fractional step keeps its fraction


def test_curves_csv_joins_losses_and_metrics_on_step():
    nan, inf = float("nan"), float("inf")
    losses = {"step": np.array([1.0, 2.0, 3.0]), "loss_d": np.array([0.123456789, nan, 1.25]),
              "loss_g": np.array([0.5, 0.25, inf])}
    # a NaN step is no row; step 2 twice: the last row wins
    metrics = {"step": np.array([0.0, 2.0, nan, 2.0]), "jsd": np.array([0.69, 0.5, 0.1, 0.4]),
               "modes_captured": np.array([0.0, 3.0, 1.0, 4.0]), "loss_d": np.array([9.0, 9.0, 9.0, 9.0])}
    assert curves_csv(losses, metrics) == (
        "step,loss_d,loss_g,jsd,modes_captured\n"   # a metrics column named like a losses one is left out
        "0,,,0.69,0\n"
        "1,0.12345679,0.5,,\n"                      # 8 significant digits; integer columns without ".0"
        "2,,0.25,0.4,4\n"
        "3,1.25,inf,,\n")
    assert curves_csv({}, {}) == curves_csv(None, None) == "step\n"
    assert curves_csv({"step": np.array([5.0]), "a": np.array([-inf])}, {}) == "step,a\n5,-inf\n"
    h = History(("step", "jsd", "modes_captured"))
    h.append(10, 0.5, 2)
    assert curves_csv({}, h.view()) == "step,jsd,modes_captured\n10,0.5,2\n"


def test_decimate_passes_short_arrays_through():
    x = np.arange(100.0)
    y = np.sin(x)
    xd, yd = decimate(x, y, max_points=100)
    assert xd is x and yd is y


@pytest.mark.parametrize("n", [2001, 2500, 4999, 10_000, 123_457])
@pytest.mark.parametrize("max_points", [200, 2000])
def test_decimate_bounds_points_and_keeps_extremes(n, max_points):
    rng = np.random.default_rng(n)
    x = np.arange(n, dtype=np.float64)
    y = rng.standard_normal(n)
    spikes = rng.choice(n, 5, replace=False)
    spikes = np.concatenate([spikes, [1, n - 2]])  # also in the oldest and the newest points
    y[spikes] = 100.0 + np.arange(len(spikes))
    y[rng.choice(n, 3, replace=False)] = -50.0
    xd, yd = decimate(x, y, max_points=max_points)
    assert len(xd) <= max_points
    assert len(xd) >= min(n, max_points) // 2
    assert np.all(np.diff(xd) > 0)  # time order, no duplicates
    np.testing.assert_array_equal(yd, y[xd.astype(int)])  # points are real data points
    for s in spikes:
        assert s in xd, f"spike at {s} lost"
    assert np.sum(yd == -50.0) >= 1
    assert xd[0] == 0 and xd[-1] == n - 1  # spans the whole run
    assert yd.max() == y.max() and yd.min() == y.min()


def test_decimate_handles_nan():
    n = 10_000
    y = np.linspace(0, 1, n)
    y[:3000] = np.nan
    y[7000] = 5.0
    x = np.arange(n)
    xd, yd = decimate(x, y, max_points=500)
    assert len(xd) <= 500
    assert 7000 in xd
    assert np.nanmax(yd) == 5.0


@pytest.mark.parametrize("n", [2 * 998 - 1, 2500, 3001, 123_457])
def test_decimate_draws_every_part_of_the_run_at_the_same_resolution(n):
    """Buckets differ by at most one point. Before, the n % bins oldest points (up to half of a short run)
    formed one bucket: a min and a max, a straight line across the start of the curve."""
    x = np.arange(n, dtype=np.float64)
    y = np.sin(x / 7.0)
    xd, _ = decimate(x, y, max_points=2000)
    assert len(xd) <= 2000
    gaps = np.diff(xd)
    bins = (2000 - 2) // 2
    per = -(-n // bins)           # the longest bucket
    assert gaps.max() <= 2 * per  # no stretch of the run is skipped by more than two buckets
    # the older half of the run gets its share of the points (buckets of n // bins or one more points)
    first_half = np.count_nonzero(xd < n / 2)
    assert first_half >= len(xd) / 2 * (n // bins) / (n // bins + 1) - 2
