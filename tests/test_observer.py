import warnings

import numpy as np
import pytest
import torch

from ganlab.core.config import Config
from ganlab.core.coverage import Coverage
from ganlab.core.grid import Grid
from ganlab.core.observer import Observer
from ganlab.core.snapshot import METRIC_COLUMNS, Snapshot
from ganlab.core.theory import TheoryFields
from ganlab.core.trainer import Trainer


def small_config(**values) -> Config:
    base = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
            "opt_d.lr": 1e-3, "opt_g.lr": 1e-3}
    base.update(values)
    return Config().with_values(base)


def _pair(**values):
    t = Trainer(small_config(**{"theory.samples": 600, **values}))
    return t, Observer(t, grid_n=64)


def test_snapshot_fields():
    t, obs = _pair()
    t.step(3)
    s = obs.take(push=True, manifold=True)
    assert isinstance(s, Snapshot)
    assert s.iteration == 3 and s.status == "ok" and s.loss == "nonsaturating"
    assert s.device == "cpu" and s.seed == 0 and not s.freeze_g and not s.freeze_d
    assert s.target is t.target
    for arr in (s.real, s.fake, s.fake_push):
        assert arr.shape == (600, 2) and arr.dtype == np.float32 and np.all(np.isfinite(arr))
    assert isinstance(s.grid, Grid) and s.grid.n == 64
    assert s.d_logits.shape == (64, 64) and s.d_logits.dtype == np.float32
    assert s.d_prob.shape == (64, 64) and s.d_prob.dtype == np.float32
    np.testing.assert_allclose(s.d_prob, 1.0 / (1.0 + np.exp(-s.d_logits.astype(np.float64))), rtol=1e-5)
    assert s.manifold.shape == (48, 48, 2)
    assert isinstance(s.theory, TheoryFields) and isinstance(s.coverage, Coverage)
    assert 0.0 <= s.theory.jsd <= np.log(2) + 1e-12
    assert s.coverage.n_modes == 8 and s.coverage.hq.shape == (600,)
    np.testing.assert_array_equal(s.losses["step"], [1, 2, 3])
    assert set(s.metrics) == set(METRIC_COLUMNS)


def test_snapshot_d_logits_orientation():
    t, obs = _pair()
    s = obs.take(theory=False)
    g = s.grid
    iy, ix = 5, 40
    xy = np.array([[g.centers_x()[ix], g.centers_y()[iy]]], dtype=np.float32)
    assert s.d_logits[iy, ix] == pytest.approx(float(t.d_logits(xy)[0]), rel=1e-5, abs=1e-6)


def test_fake_cloud_is_g_of_fixed_noise():
    t, obs = _pair()
    a = obs.take(theory=False)
    b = obs.take(theory=False)
    np.testing.assert_array_equal(a.fake, b.fake)
    np.testing.assert_array_equal(a.real, b.real)
    t.step(5)
    c = obs.take(theory=False)
    assert not np.array_equal(a.fake, c.fake)  # G moved; the same z shows where each point went
    # the fake points are G applied to one fixed noise batch: training does not redraw them
    z = obs._noise()
    with torch.no_grad():
        np.testing.assert_allclose(c.fake, t.G(z).numpy(), rtol=1e-6)


def test_watching_does_not_change_the_run():
    a = Trainer(small_config())
    b, obs = _pair()
    for _ in range(4):
        a.step(5)
        b.step(5)
        obs.take(push=True, manifold=True)
    np.testing.assert_array_equal(a.losses.view()["loss_d"], b.losses.view()["loss_d"])
    np.testing.assert_array_equal(a.losses.view()["loss_g"], b.losses.view()["loss_g"])


def test_real_cloud_follows_moved_mode():
    t, obs = _pair()
    before = obs.take(theory=False).real
    old = t.target
    i, delta = 2, np.array([0.7, -0.4])
    t.set_target(old.moved(i, old.means[i] + delta))
    after = obs.take(theory=False).real
    nearest = np.array([old.nearest_mode(p)[0] for p in before])
    moved = nearest == i
    assert 30 < moved.sum() < 150  # about 1/8 of the points
    np.testing.assert_allclose(after[moved] - before[moved], np.broadcast_to(delta, (moved.sum(), 2)), atol=1e-5)
    np.testing.assert_array_equal(after[~moved], before[~moved])


def test_real_cloud_follows_resized_mode():
    t, obs = _pair()
    before = obs.take(theory=False).real
    old = t.target
    t.set_target(old.with_std(0, old.stds[0] * 3))
    after = obs.take(theory=False).real
    nearest = np.array([old.nearest_mode(p)[0] for p in before])
    sel = nearest == 0
    np.testing.assert_allclose(after[sel] - old.means[0], 3 * (before[sel] - old.means[0]), rtol=1e-4, atol=1e-5)


def test_real_cloud_after_mode_removed_and_added():
    t, obs = _pair()
    obs.take(theory=False)
    t.set_target(t.target.without_mode(7))
    r = obs.take(theory=False).real
    assert r.shape == (600, 2)
    d = np.array([t.target.nearest_mode(p)[1] for p in r])
    assert d.max() < 6 * t.target.stds.max()  # every point belongs to an existing mode
    t.set_target(t.target.with_mode((0.0, 0.0)))
    obs.target_changed(structural=True)
    r = obs.take(theory=False).real
    near_new = np.linalg.norm(r, axis=1) < 0.5
    assert 30 < near_new.sum() < 150  # the new mode gets its share


def test_metrics_row_once_per_iteration():
    t, obs = _pair()
    obs.take()
    obs.take()
    assert len(obs.metrics) == 1
    t.step(2)
    obs.take(record=False)
    assert len(obs.metrics) == 1
    obs.take(theory=False)
    assert len(obs.metrics) == 1
    s = obs.take()
    s2 = obs.take()
    assert len(obs.metrics) == 2
    np.testing.assert_array_equal(s2.metrics["step"], [0, 2])
    assert s.metrics["jsd"][-1] == pytest.approx(s.theory.jsd)
    assert s.metrics["modes_captured"][-1] == s.coverage.modes_captured
    assert s.metrics["n_modes"][-1] == s.coverage.n_modes == t.target.n_modes
    t.set_target(t.target.without_mode(0))               # the count of the target measured against, per row
    obs.target_changed(structural=True)
    t.step(1)
    s3 = obs.take()
    np.testing.assert_array_equal(s3.metrics["n_modes"], [8, 8, 7])
    assert s.metrics["v_at_dstar"][-1] == pytest.approx(s.theory.v_at_dstar)
    obs.clear()
    assert len(obs.metrics) == 0


def test_cheap_frames_carry_the_last_full_evaluation():
    t, obs = _pair(**{"train.loss": "wgan-gp"})
    full = obs.take()
    assert full.d_prob is None and np.isnan(full.theory.v_estimate) and np.isfinite(full.theory.jsd)
    t.step(5)
    cheap = obs.take(theory=False)
    assert cheap.iteration == 5 and cheap.theory_iteration == 0
    assert cheap.theory is full.theory and cheap.d_logits is full.d_logits  # carried, not recomputed
    assert not np.array_equal(cheap.fake, full.fake)                      # the clouds are new
    assert len(obs.metrics) == 1                                          # no metric row for a cheap frame
    obs.target_changed(structural=False)                                   # D* depends on the target
    again = obs.take(theory=False)
    assert again.theory_iteration == 5 and again.theory is not full.theory


def test_set_samples():
    t, obs = _pair()
    obs.set_samples(250)
    s = obs.take(theory=False)
    assert s.real.shape == (250, 2) and s.fake.shape == (250, 2)


def test_display_noise_follows_noise_distribution():
    t, obs = _pair()
    gauss = obs.take(theory=False).fake
    z_gauss = obs._noise().clone()
    assert float(z_gauss.abs().max()) > 1.5
    t.apply_config(t.config.with_value("noise.dist", "uniform"))  # weights unchanged
    z = obs._noise()
    assert float(z.abs().max()) <= 1.0
    assert not np.array_equal(obs.take(theory=False).fake, gauss)


@pytest.mark.parametrize("dim,shape", [(1, (400, 2)), (2, (48, 48, 2)), (3, None)])
def test_manifold_shapes(dim, shape):
    t, obs = _pair(**{"noise.dim": dim})
    s = obs.take(theory=False, manifold=True)
    if shape is None:
        assert s.manifold is None
    else:
        assert s.manifold.shape == shape and np.all(np.isfinite(s.manifold))


def test_diverged_snapshot_is_sanitised():
    t, obs = _pair()
    with torch.no_grad():
        for p in t.G.parameters():
            p.fill_(float("nan"))
    t.step(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = obs.take()
    assert s.status == "diverged" and "iteration 1" in s.message
    assert np.all(np.isfinite(s.fake))
    assert np.isnan(s.theory.v_estimate)  # D is NaN everywhere after the NaN update


def test_grid_is_kept_while_a_dragged_mode_still_fits():
    t, obs = _pair()
    g0 = obs.take(theory=False).grid
    t.set_target(t.target.moved(0, t.target.means[0] + [0.05, 0.0]))
    assert obs.take(theory=False).grid is g0
    t.set_target(t.target.moved(0, (8.0, 0.0)))
    g1 = obs.take(theory=False).grid
    assert g1.xmax >= 8.0 + 4 * t.target.stds[0]


# ------------------------------------------------------------------ theory jobs (the app runs them on a helper)
def test_a_theory_job_evaluates_a_copy_of_d_taken_when_it_was_made():
    from ganlab.core.observer import evaluate

    t, obs = _pair()
    t.step(5)
    fake = obs.take(theory=False).fake
    job = obs.theory_job(fake)
    assert job.D is not t.D and job.iteration == 5
    before = evaluate(job)
    sync = evaluate(obs.theory_job(fake, shadow=False))           # D itself, evaluated now
    np.testing.assert_array_equal(before.d_logits, sync.d_logits)             # same logits: the copy is exact
    t.step(20)                                                    # training moves D on ...
    after = evaluate(job)
    np.testing.assert_array_equal(after.d_logits, before.d_logits)            # ... the job still shows D at iteration 5
    assert not np.array_equal(evaluate(obs.theory_job(fake, shadow=False)).d_logits, before.d_logits)


def test_accept_uses_a_result_adds_its_metrics_row_and_drops_stale_ones():
    from ganlab.core.observer import evaluate

    t, obs = _pair()
    obs.take()                                                    # a full snapshot at iteration 0: one row
    t.step(4)
    result = evaluate(obs.theory_job(obs.take(theory=False).fake))
    assert obs.accept(result)
    s = obs.take(theory=False)
    assert s.theory_iteration == 4 and s.d_logits is result.d_logits
    assert list(obs.metrics.view()["step"]) == [0, 4]
    assert s.metrics["jsd"][-1] == pytest.approx(result.theory.jsd)

    for make_stale in (obs.clear, lambda: obs.target_changed(structural=False), lambda: obs.take(theory=True)):
        t.step(1)
        late = evaluate(obs.theory_job(obs.take(theory=False).fake))
        make_stale()                                             # a reset, a drag, a newer full evaluation
        steps = list(obs.metrics.view().get("step", []))
        assert not obs.accept(late)
        assert list(obs.metrics.view().get("step", [])) == steps   # no row from the stale result
        assert obs.take(theory=False).theory is not late.theory      # nor its fields


def test_the_real_cloud_is_one_read_only_array_until_the_target_changes():
    t, obs = _pair()
    a = obs.take(theory=False).real
    t.step(2)
    assert obs.take(theory=False).real is a                       # views may skip an unchanged cloud
    assert not a.flags.writeable
    t.set_target(t.target.moved(0, t.target.means[0] + 0.5))     # a drag: a new (immutable) target
    obs.target_changed(structural=False)
    b = obs.take(theory=False).real
    assert b is not a and b.shape == a.shape
    moved = ~np.isclose(a, b).all(axis=1)
    np.testing.assert_allclose(b[moved] - a[moved], 0.5, atol=1e-5)   # mode 0's points slid with it
    assert 0 < moved.sum() < len(a)


def test_reseed_gives_the_display_samples_of_a_fresh_observer_with_that_seed():
    from ganlab.core.observer import SEED_OFFSET_DISPLAY

    t, obs = _pair(**{"train.seed": 5})
    t.step(3)
    first = obs.take(theory=False)
    # the same networks under seed 9: a trainer loaded from t's state with the seed changed
    t9 = Trainer(small_config())
    t9.load_state_dict({**t.state_dict(), "config": t.config.with_value("train.seed", 9)})
    fresh9 = Observer(t9, grid_n=64).take(theory=False)

    obs.reseed(9)
    s = obs.take(theory=False)
    np.testing.assert_array_equal(s.real, fresh9.real)
    np.testing.assert_array_equal(s.fake, fresh9.fake)
    assert not np.array_equal(s.real, first.real) and not np.array_equal(s.fake, first.fake)
    rng = np.random.default_rng(9 + SEED_OFFSET_DISPLAY)  # the real cloud's stream
    idx = rng.choice(t.target.n_modes, size=600, p=t.target.weights)
    eps = rng.standard_normal((600, 2))
    np.testing.assert_allclose(s.real, t.target.means[idx] + t.target.stds[idx, None] * eps, rtol=1e-6)

    obs.reseed(5)  # back to the trainer's own seed: what a fresh observer shows
    back = obs.take(theory=False)
    fresh = Observer(t, grid_n=64).take(theory=False)
    np.testing.assert_array_equal(back.real, fresh.real)
    np.testing.assert_array_equal(back.fake, fresh.fake)
    np.testing.assert_array_equal(back.fake, first.fake)


# ------------------------------------------------------------------ the lecture's numbers in every snapshot
def test_a_snapshot_carries_v_from_samples_computed_from_its_own_logits():
    from ganlab.core.value import log_d_and_log_1md

    t, obs = _pair()
    t.step(30)
    s = obs.take()
    assert s.eval_fake.shape == s.fake.shape and s.eval_real.shape == s.real.shape
    with torch.no_grad():   # D's logits at the samples it used, recomputed here
        rl = t.D(torch.from_numpy(s.eval_real.copy())).numpy().ravel()
        fl = t.D(torch.from_numpy(s.eval_fake)).numpy().ravel()
    np.testing.assert_allclose(s.real_logits, rl, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s.fake_logits, fl, rtol=1e-5, atol=1e-5)
    a, _ = log_d_and_log_1md(s.loss, rl)
    _, b = log_d_and_log_1md(s.loss, fl)
    assert s.value.value == pytest.approx(a.mean() + b.mean(), rel=1e-5)
    assert s.value.n_real == len(s.eval_real) and s.value.stderr > 0
    row = obs.metrics.last()
    assert row["v_samples"] == pytest.approx(s.value.value) and row["v_stderr"] == pytest.approx(s.value.stderr)
    assert row["v_estimate"] == pytest.approx(s.theory.v_estimate)   # the grid integral stays its own column


def test_w1_is_computed_every_nth_evaluation_and_shown_until_the_next():
    from ganlab.core.observer import sample_w1

    t, obs = _pair()
    obs.w1_every = 3
    ws = []
    for _ in range(4):
        t.step(2)
        s = obs.take()
        ws.append(obs.metrics.last()["w1"])
        assert s.w1 == pytest.approx([w for w in ws if np.isfinite(w)][-1])
    assert [np.isfinite(w) for w in ws] == [True, False, False, True]
    s = obs.take()   # the 5th: not due; the snapshot still shows the 4th's value
    assert ws[3] == pytest.approx(sample_w1(s.eval_real, s.eval_fake), rel=0.3)   # the same metric on later G
    obs.clear()   # a reset forgets it
    assert obs.metrics.last() is None and obs._last_w1 != obs._last_w1


def test_a_loss_without_a_probability_reading_has_no_sample_value():
    t, obs = _pair(**{"train.loss": "wgan-gp"})
    s = obs.take()
    assert s.value is None and s.fake_logits.shape == (len(s.eval_fake),)
    assert np.isnan(obs.metrics.last()["v_samples"])


def test_frames_that_record_no_row_neither_compute_w1_nor_shift_which_rows_have_it():
    t, obs = _pair()
    obs.w1_every = 2
    for _ in range(4):
        t.step(2)
        obs.take(theory=True, record=False)          # a recording's frame between the logged rows
        obs.take()
    w1 = obs.metrics.view()["w1"]
    assert [bool(np.isfinite(v)) for v in w1] == [True, False, True, False]
