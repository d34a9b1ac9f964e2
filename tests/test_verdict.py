"""The seed grid's verdict: collapse means samples ON one or two modes (the lessons' on_top_mode idea)."""

import numpy as np
import pytest

from ganlab.core.config import Config
from ganlab.core.coverage import mode_coverage, on_top_modes
from ganlab.core.presets import build_target
from ganlab.core.target import GaussianMixture
from ganlab.core.verdict import count, verdict, verdicts

RING = build_target(Config().target)   # ring8
RNG_SEED = 7


def _on_mode(target, i: int, n: int, rng, spread: float = 0.5) -> np.ndarray:
    """n samples within about `spread` standard deviations of mode i."""
    return target.means[i] + spread * target.stds[i] * rng.standard_normal((n, 2))


def test_a_far_away_blob_is_not_a_collapse():
    rng = np.random.default_rng(RNG_SEED)
    blob = np.array([9.0, 9.0]) + 0.01 * rng.standard_normal((1000, 2))  # compact, nearest one mode, ON none
    v = verdict(blob, RING)
    assert v.kind == "off" and not v.collapsed
    assert v.on_top1 == 0.0 and v.modes_captured == 0 and v.n_modes == 8


def test_all_samples_on_one_mode_is_a_collapse_onto_one():
    rng = np.random.default_rng(RNG_SEED)
    v = verdict(_on_mode(RING, 3, 1000, rng), RING)
    assert v.collapsed and v.collapsed_on == 1
    assert v.on_top1 == 1.0 and v.modes_captured == 1


def test_stray_samples_on_other_modes_do_not_undo_a_collapse():
    """90 % on one mode, 10 % spread over all eight: VEEGAN counts 8 modes captured, yet it is collapsed."""
    rng = np.random.default_rng(RNG_SEED)
    pts = np.concatenate([_on_mode(RING, 5, 900, rng), RING.sample_numpy(100, rng)])
    v = verdict(pts, RING)
    assert v.modes_captured == 8
    assert v.collapsed and v.collapsed_on == 1


def test_two_modes_of_eight_is_a_collapse_onto_two():
    rng = np.random.default_rng(RNG_SEED)
    pts = np.concatenate([_on_mode(RING, 0, 500, rng), _on_mode(RING, 4, 500, rng)])
    v = verdict(pts, RING)
    assert v.collapsed and v.collapsed_on == 2 and v.modes_captured == 2
    assert v.on_top1 == pytest.approx(0.5) and v.on_top2 == 1.0


def test_samples_on_all_eight_modes_is_eight_of_eight():
    rng = np.random.default_rng(RNG_SEED)
    v = verdict(RING.sample_numpy(2000, rng), RING)
    assert v.kind == "all" and (v.modes_captured, v.n_modes) == (8, 8)
    assert v.on_top2 < 0.5


def test_an_even_cover_of_some_modes_is_partial():
    """4 of 8 modes evenly: the two fullest hold half the samples (lesson 2's bar), but only half of those on
    modes: spread, not collapsed."""
    rng = np.random.default_rng(RNG_SEED)
    for modes in ((0, 2, 4, 6), (1, 4, 6)):
        pts = np.concatenate([_on_mode(RING, i, 300, rng) for i in modes])
        v = verdict(pts, RING)
        assert v.kind == "partial" and v.modes_captured == len(modes)
        assert v.on_top2 >= 0.5


def test_shares_are_the_lesson_metrics():
    rng = np.random.default_rng(RNG_SEED)
    pts = np.concatenate([_on_mode(RING, 1, 600, rng), _on_mode(RING, 2, 300, rng), RING.sample_numpy(100, rng)])
    cov = mode_coverage(pts, RING)
    v = verdict(pts, RING)
    assert v.on_top1 == on_top_modes(cov, 1) and v.on_top2 == on_top_modes(cov, 2)
    assert v.hq_fraction == pytest.approx(cov.hq_fraction)


def test_an_even_cover_of_few_modes_is_not_a_collapse():
    """Two modes, half the samples on each: that is full coverage, although one mode holds 1/2."""
    two = GaussianMixture([[-2.0, 0.0], [2.0, 0.0]], 0.2)
    rng = np.random.default_rng(RNG_SEED)
    even = two.sample_numpy(1000, rng)
    assert verdict(even, two).kind == "all"
    lopsided = np.concatenate([_on_mode(two, 0, 900, rng), _on_mode(two, 1, 100, rng)])
    v = verdict(lopsided, two)
    assert v.collapsed and v.collapsed_on == 1
    one = GaussianMixture([[0.0, 0.0]], 0.2)    # one mode: nothing to collapse from
    assert verdict(_on_mode(one, 0, 100, rng), one).kind == "all"


def test_nan_samples_or_the_flag_mean_diverged():
    rng = np.random.default_rng(RNG_SEED)
    assert verdict(np.full((100, 2), np.nan), RING).kind == "diverged"
    assert verdict(RING.sample_numpy(100, rng), RING, diverged=True).kind == "diverged"


def test_batched_verdicts_equal_one_at_a_time():
    rng = np.random.default_rng(RNG_SEED)
    members = [RING.sample_numpy(500, rng), _on_mode(RING, 2, 500, rng), 5.0 + rng.standard_normal((500, 2)),
               np.full((500, 2), np.nan), np.concatenate([_on_mode(RING, 1, 250, rng), _on_mode(RING, 6, 250, rng)])]
    stack = np.stack(members).astype(np.float32)
    flags = [False, False, False, False, True]
    got = verdicts(stack, RING, flags)
    want = [verdict(m, RING, f) for m, f in zip(stack, flags, strict=True)]
    assert got == want
    assert [v.kind for v in got] == ["all", "collapsed", "off", "diverged", "diverged"]
    assert count(got, "diverged") == 2 and count(got, "collapsed") == 1
