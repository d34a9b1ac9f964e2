"""W1 (core/wasserstein.py) against closed forms and a brute-force assignment."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ganlab.core.wasserstein import assignment, w1_1d, w1_2d


@pytest.mark.parametrize("seed", range(6))
def test_assignment_is_optimal_against_every_permutation(seed):
    rng = np.random.default_rng(seed)
    c = rng.random((6, 6)) * rng.integers(1, 10)
    best = min(sum(c[i, p[i]] for i in range(6)) for p in itertools.permutations(range(6)))
    cols = assignment(c)
    assert sorted(cols.tolist()) == list(range(6))
    assert c[np.arange(6), cols].sum() == pytest.approx(best, rel=1e-12)


def test_w1_1d_closed_forms():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, 20000)
    assert w1_1d(a, a + 2.5) == pytest.approx(2.5, rel=1e-9)            # a shift moves every unit of mass
    assert w1_1d([0.0], [0.0, 1.0]) == pytest.approx(0.5)              # half the mass travels 1
    # N(0, 1) against N(0, 4): W1 = E|X - 2X| = E|X| = sqrt(2/pi) for the monotone coupling
    b = rng.normal(0, 2, 20000)
    assert w1_1d(a, b) == pytest.approx(np.sqrt(2 / np.pi), abs=0.03)


def test_w1_2d_a_translation_costs_its_length_and_grows_while_jsd_would_not():
    rng = np.random.default_rng(1)
    a = rng.normal(0, 0.05, (200, 2))
    for d in (1.0, 3.0, 6.0):
        shift = np.array([d * 0.6, d * 0.8])
        b = a[rng.permutation(200)] + shift
        assert w1_2d(a, b) == pytest.approx(d, rel=1e-9)
    assert w1_2d(a, a[::-1]) == pytest.approx(0.0, abs=1e-12)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        w1_2d(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError):
        w1_1d([], [1.0])
    with pytest.raises(ValueError):
        assignment(np.array([[1.0, np.inf], [0.0, 1.0]]))
