"""The 1-D world: targets on a line, Grid1D, the theory and coverage in 1-D, a 1-D GAN with the same Trainer,
losses, k and freeze controls, the Observer's 1-D snapshots, headless `ganlab run` and preset switches 1-D <-> 2-D."""

from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import pytest
import torch

from ganlab.cli import main
from ganlab.core.config import LOSSES, Config, architecture_key, field_info
from ganlab.core.coverage import mode_coverage
from ganlab.core.grid import Grid, Grid1D, grid_for_target
from ganlab.core.observer import Observer
from ganlab.core.presets import PRESETS_1D, line1d, make_preset, preset_dim
from ganlab.core.target import GaussianMixture, TargetError
from ganlab.core.theory import compute_theory, value_function
from ganlab.core.trainer import Trainer
from ganlab.core.wasserstein import w1_1d

LOG4 = math.log(4.0)


def _normal(x, mean, var):
    return np.exp(-0.5 * (x - mean) ** 2 / var) / np.sqrt(2.0 * math.pi * var)


def _mixture(m: GaussianMixture, x: np.ndarray, extra_var: float = 0.0) -> np.ndarray:
    """An independent 1-D mixture density: sum_k w_k N(x; mu_k, sigma_k^2 + extra_var)."""
    return sum(w * _normal(x, mu[0], s * s + extra_var) for w, mu, s in zip(m.weights, m.means, m.stds, strict=True))


def _kl(p, q, x) -> float:
    return float(np.trapezoid(np.where(p > 0, p * np.log(np.maximum(p, 1e-300) / np.maximum(q, 1e-300)), 0.0), x))


def _config(preset: str = "1d-two", **values) -> Config:
    return Config().with_values({"target.preset": preset, "train.device": "cpu", **values})


# ------------------------------------------------------------------ targets and presets
def test_1d_presets_are_config_choices_with_dim_1():
    choices = field_info("target.preset")["choices"]
    for name in ("1d-single", "1d-two", "1d-three"):
        assert name in choices and name in PRESETS_1D
        t = make_preset(name)
        assert t.dim == 1 and t.means.shape == (t.n_modes, 1) and preset_dim(name) == 1
    assert make_preset("1d-two").means.ravel().tolist() == [-2.0, 2.0]
    assert make_preset("1d-three").weights.tolist() == pytest.approx([0.5, 0.3, 0.2])
    assert make_preset("ring8").dim == 2 and preset_dim("ring8") == 2 and preset_dim("points") == 2


def test_1d_log_prob_is_the_1d_formula():
    m = line1d((-1.0, 0.5, 3.0), (0.3, 0.7, 0.2), (0.2, 0.5, 0.3))
    x = np.linspace(-3.0, 4.0, 57)
    want = [sum(w * math.exp(-0.5 * (xi - mu) ** 2 / s**2) / (s * math.sqrt(2 * math.pi))
                for w, mu, s in ((0.2, -1.0, 0.3), (0.5, 0.5, 0.7), (0.3, 3.0, 0.2))) for xi in x]
    np.testing.assert_allclose(m.log_prob(x[:, None]), np.log(want), rtol=1e-12)
    np.testing.assert_allclose(m.log_prob(x[:, None], extra_var=0.04), m.smoothed(0.2).log_prob(x[:, None]),
                               rtol=1e-12)
    torch_lp = m.log_prob_torch(torch.tensor(x[:, None], dtype=torch.float64)).numpy()
    np.testing.assert_allclose(torch_lp, np.log(want), rtol=1e-10)
    fine = np.linspace(-8, 8, 40001)
    assert np.trapezoid(np.exp(m.log_prob(fine[:, None])), fine) == pytest.approx(1.0, abs=1e-9)


def test_1d_sampling_follows_the_mixture():
    m = make_preset("1d-three")
    x = m.sample(200_000, generator=torch.Generator().manual_seed(1)).numpy()
    assert x.shape == (200_000, 1) and x.dtype == np.float32
    mean = float((m.weights * m.means[:, 0]).sum())
    var = float((m.weights * (m.stds**2 + m.means[:, 0] ** 2)).sum()) - mean**2
    assert x.mean() == pytest.approx(mean, abs=0.02) and x.var() == pytest.approx(var, rel=0.02)
    y = m.sample_numpy(100_000, np.random.default_rng(2))
    assert y.shape == (100_000, 1) and y.mean() == pytest.approx(mean, abs=0.03)


def test_1d_editing_and_persistence():
    m = make_preset("1d-two")
    assert m.bounds(4.0) == pytest.approx((-2.0 - 1.6, 2.0 + 1.6, 0.0, 0.0))
    moved = m.moved(0, 1.0)
    assert moved.means.ravel().tolist() == [1.0, 2.0] and moved.dim == 1
    assert m.moved(0, (1.0, 5.0)) == moved          # a plot's (x, y) scene position: y ignored
    assert m.moved(1, [0.5]).means.ravel().tolist() == [-2.0, 0.5]
    added = m.with_mode(0.0, std=0.2)
    assert added.means.ravel().tolist() == [-2.0, 2.0, 0.0] and added.stds[-1] == 0.2
    assert m.nearest_mode(1.5) == (1, pytest.approx(0.5))
    with pytest.raises(TargetError):
        m.moved(0, (1.0, 2.0, 3.0))
    back = GaussianMixture.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back == m and back.dim == 1
    with pytest.raises(TargetError):
        GaussianMixture(np.zeros((2, 3)), 0.1)


# ------------------------------------------------------------------ grid
def test_grid1d_api_and_choice_for_a_1d_target():
    g = Grid1D(-2.0, 2.0, 8)
    assert (g.n, g.dim, g.shape, g.extent) == (8, 1, (8,), (-2.0, 2.0))
    assert g.dx == g.cell_area == 0.5
    np.testing.assert_allclose(g.centers_x(), np.arange(-1.75, 2.0, 0.5))
    assert g.points().shape == (8, 1) and g.points().dtype == np.float32 and g.points64().dtype == np.float64
    assert g.contains(np.array([[-2.0], [1.99], [2.0], [np.nan]])).tolist() == [True, True, False, False]
    with pytest.raises(ValueError):
        Grid1D(1.0, 1.0, 4)
    t = make_preset("1d-three")
    g = grid_for_target(t)
    assert isinstance(g, Grid1D) and Grid.for_target(t) == g
    lo, hi, _, _ = t.bounds(4.0)
    assert g.xmin <= lo and g.xmax >= hi
    assert g.dx <= t.min_std / 4 and g.n <= 1024
    assert grid_for_target(t, 100).n == 100
    g2 = grid_for_target(make_preset("ring8"))
    assert isinstance(g2, Grid) and g2.dim == 2 and g2.shape == (g2.n, g2.n)


# ------------------------------------------------------------------ theory
def test_dstar_closed_form_for_two_gaussians():
    """p_data = N(0, s^2), p_g = N(mu, s^2): D*(x) = sigmoid((mu^2 - 2 mu x) / 2 s'^2), s'^2 = s^2 + h^2 after
    both are smoothed; 1/2 exactly at x = mu / 2."""
    s, mu, h = 0.5, 1.0, 0.2
    target = line1d((0.0,), s)
    fake = target.sample_numpy(400_000, np.random.default_rng(3)) + mu
    g = Grid1D(-4.0, 4.0, 512)
    th = compute_theory(target, fake, g, h=h)
    x = g.centers_x()
    v = s * s + h * h
    want = 1.0 / (1.0 + np.exp(-(mu * mu - 2.0 * mu * x) / (2.0 * v)))
    inner = np.abs(x - mu / 2) < 1.5
    np.testing.assert_allclose(th.dstar[inner], want[inner], atol=0.01)
    assert th.dstar[np.argmin(np.abs(x - mu / 2))] == pytest.approx(0.5, abs=0.01)
    assert th.dstar.shape == th.log_p_data.shape == th.log_p_g.shape == (512,)


def test_jsd_kl_and_value_against_an_independent_integral():
    """compute_theory on samples of a known mixture vs np.trapezoid over the SMOOTHED densities: p_data and p_g
    both convolved with N(0, h^2), p_g also with the binning's uniform cell (variance dx^2 / 12)."""
    target = make_preset("1d-two")
    gen = line1d((-1.0, 1.5), 0.5, (0.3, 0.7))
    fake = gen.sample_numpy(400_000, np.random.default_rng(0))
    g = grid_for_target(target)
    h = 0.3
    th = compute_theory(target, fake, g, h=h)
    x = np.linspace(-12.0, 12.0, 200_001)
    p = _mixture(target, x, h * h)
    q = _mixture(gen, x, h * h + g.dx**2 / 12)
    m = 0.5 * (p + q)
    jsd = 0.5 * _kl(p, m, x) + 0.5 * _kl(q, m, x)
    assert 0.1 < jsd < 0.3                      # a case far from both 0 and log 2
    assert th.jsd == pytest.approx(jsd, abs=0.005)
    assert th.kl_pdata_m == pytest.approx(_kl(p, m, x), abs=0.005)
    assert th.kl_pg_m == pytest.approx(_kl(q, m, x), abs=0.005)
    assert th.kl_pdata_pg == pytest.approx(_kl(p, q, x), abs=0.01)
    assert th.kl_pg_pdata == pytest.approx(_kl(q, p, x), abs=0.01)
    v_star = float(np.trapezoid(p * np.log(p / (p + q)) + q * np.log(q / (p + q)), x))
    assert v_star == pytest.approx(-LOG4 + 2 * jsd, abs=1e-6)        # the integral itself obeys the identity
    assert th.v_at_dstar == pytest.approx(v_star, abs=0.01)
    assert th.v_at_dstar == pytest.approx(-LOG4 + 2 * th.jsd, abs=1e-9)
    # formula (14): -log 4 + KL(p_data || M) + KL(p_g || M) = V(G, D*), and their mean is the JSD
    assert -LOG4 + th.kl_pdata_m + th.kl_pg_m == pytest.approx(th.v_at_dstar, abs=1e-9)
    assert 0.5 * (th.kl_pdata_m + th.kl_pg_m) == pytest.approx(th.jsd, abs=1e-9)
    # V(G, D) at D = D* on the grid is the same number (masked cells skipped)
    assert value_function(th.dstar, th.log_p_data, th.log_p_g, g.cell_area) == pytest.approx(th.v_at_dstar,
                                                                                            abs=1e-3)


def test_theory_refuses_a_2d_target_on_a_1d_grid():
    with pytest.raises(ValueError, match="2-D target on a 1-D grid"):
        compute_theory(make_preset("two"), np.zeros((10, 2)), Grid1D(-3, 3, 32))


def test_coverage_in_1d():
    t = make_preset("1d-three")
    near = np.array([[-2.5], [-2.4], [0.1], [0.0], [9.0], [np.nan]])
    cov = mode_coverage(near, t)
    assert cov.per_mode.tolist() == [2, 2, 0]
    assert cov.modes_captured == 2 and cov.hq_fraction == pytest.approx(4 / 6)
    assert cov.nearest.tolist() == [0, 0, 1, 1, 2, -1]


# ------------------------------------------------------------------ training
def _params(net) -> torch.Tensor:
    return torch.cat([p.detach().flatten().clone() for p in net.parameters()])


def test_a_1d_gan_learns_both_modes():
    """Default networks and settings, preset 1d-two: after 2000 iterations the JSD is below 0.1 nats (seeds 0..9
    measured 0.004..0.06; at iteration 0 it is ~0.6) and each mode holds at least a fifth of the samples."""
    for seed in (0, 1, 2):
        t = Trainer(_config(**{"train.seed": seed}))
        obs = Observer(t)
        assert t.D.net[0].in_features == 1 and t.G.net[-1].out_features == 1
        start = obs.take()
        assert start.theory.jsd > 0.3
        assert t.step(2000) == 2000 and t.status == "ok"
        snap = obs.take()
        assert snap.theory.jsd < 0.1, (seed, snap.theory.jsd)
        assert snap.coverage.modes_captured == 2
        assert snap.coverage.per_mode.min() >= 0.2 * len(snap.fake), (seed, snap.coverage.per_mode)


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_runs_in_1d(loss):
    t = Trainer(_config(**{"train.loss": loss, "train.r1_gamma": 1.0, "train.batch_size": 64}))
    g0, d0 = _params(t.G), _params(t.D)
    assert t.step(10) == 10 and t.status == "ok"
    rows = t.losses.array()
    assert rows.shape == (10, 4) and np.all(np.isfinite(rows))
    assert not torch.equal(_params(t.G), g0) and not torch.equal(_params(t.D), d0)
    assert t.generate(5).shape == (5, 1)


def test_k_d_and_freezing_in_1d():
    t = Trainer(_config(**{"train.k_d": 5, "train.batch_size": 64}))
    t.step(3)
    assert all(int(s["step"]) == 15 for s in t.opt_d.state.values())   # 5 D steps per iteration
    assert all(int(s["step"]) == 3 for s in t.opt_g.state.values())
    t.freeze_g = True
    g, d = _params(t.G), _params(t.D)
    t.step(2)
    assert torch.equal(_params(t.G), g) and not torch.equal(_params(t.D), d)
    t.freeze_g, t.freeze_d = False, True
    g, d = _params(t.G), _params(t.D)
    t.step(2)
    assert not torch.equal(_params(t.G), g) and torch.equal(_params(t.D), d)
    assert t.iteration == 7 and np.all(np.isnan(t.losses.array()[-2:, 1]))   # L_D not run while D is frozen


# ------------------------------------------------------------------ observer
def test_observer_snapshot_shapes_in_1d():
    t = Trainer(_config(**{"noise.dim": 1, "theory.samples": 500}))
    t.step(20)
    obs = Observer(t)
    snap = obs.take(push=True, manifold=True)
    n = snap.grid.n
    assert isinstance(snap.grid, Grid1D) and snap.grid.dim == 1
    for a in (snap.real, snap.fake, snap.eval_real, snap.eval_fake, snap.fake_push):
        assert a.shape == (500, 1)
    assert snap.real.dtype == snap.fake.dtype == np.float32
    assert snap.d_logits.shape == snap.d_prob.shape == (n,)
    th = snap.theory
    assert th.log_p_data.shape == th.log_p_g.shape == th.dstar.shape == (n,)
    assert snap.real_logits.shape == snap.fake_logits.shape == (500,)
    assert snap.manifold.shape == (400, 1)
    # D on the grid is D at the grid's points
    want = t.d_logits(snap.grid.points()).numpy()
    np.testing.assert_allclose(snap.d_logits, want, rtol=1e-5, atol=1e-6)
    # the display noise lines up with the generated points: fake[i] = G(noise[i])
    assert snap.noise.shape == (500, 1) and snap.noise.dtype == np.float32
    with torch.no_grad():
        g_of_z = t.G(torch.from_numpy(np.array(snap.noise))).numpy()
    np.testing.assert_array_equal(g_of_z, snap.fake)
    assert snap.w1 == pytest.approx(w1_1d(snap.real[:, 0], snap.fake[:, 0]))
    assert obs.take().noise is snap.noise            # fixed between frames


def test_observer_noise_is_aligned_in_2d_too():
    t = Trainer(Config().with_values({"train.device": "cpu", "theory.samples": 300, "theory.grid": 32}))
    snap = Observer(t).take()
    assert snap.noise.shape == (300, 2)
    with torch.no_grad():
        np.testing.assert_array_equal(t.G(torch.from_numpy(np.array(snap.noise))).numpy(), snap.fake)


# ------------------------------------------------------------------ switching 1-D <-> 2-D
def test_a_preset_switch_between_1d_and_2d_builds_new_networks():
    one = _config(**{"theory.samples": 300})
    two = one.with_value("target.preset", "ring8")
    assert architecture_key(one) != architecture_key(two)
    assert architecture_key(one) == architecture_key(one.with_value("target.preset", "1d-three"))
    t = Trainer(one)
    obs = Observer(t)
    assert obs.take().real.shape == (300, 1)
    assert t.needs_reset(two)
    assert t.apply_config(two) is True
    assert t.target.dim == 2 and t.D.net[0].in_features == 2 and t.G.net[-1].out_features == 2
    t.step(3)
    snap = obs.take()
    assert snap.real.shape == snap.fake.shape == (300, 2) and isinstance(snap.grid, Grid)
    assert snap.d_logits.shape == snap.grid.shape
    assert t.apply_config(two.with_value("target.preset", "1d-single")) is True
    assert t.D.net[0].in_features == 1 and t.target.n_modes == 1
    assert not t.needs_reset(t.config.with_value("target.preset", "1d-two"))   # 1-D to 1-D keeps the networks
    with pytest.raises(ValueError, match="2-D target"):
        t.set_target(make_preset("ring8"))


# ------------------------------------------------------------------ headless
def test_headless_run_on_a_1d_preset_writes_its_files(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", "--preset", "1d-two", "--steps", "200", "--every", "100", "--out", str(out), "--quiet",
                 "--device", "cpu", "--set", "theory.samples=500"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["config.toml", "metrics.csv", "summary.json",
                            *(f"{n}.{e}" for n in ("field", "theory", "curves") for e in ("png", "svg"))])
    assert tomllib.loads((out / "config.toml").read_text())["target"]["preset"] == "1d-two"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["iterations"] == 200 and summary["n_modes"] == 2
    assert 0.0 <= summary["final"]["jsd"] <= math.log(2)
    lines = (out / "metrics.csv").read_text().splitlines()
    assert [ln.split(",")[0] for ln in lines[1:]] == ["0", "100", "200"]
    svg = (out / "field.svg").read_text()
    assert "Figure 1" in svg and "p_data" in svg


def test_1d_figure_draws_the_curves_of_the_snapshot():
    from ganlab.app.figures import Line1DFigure, Theory1DFigure, ensure_app, is_1d
    from ganlab.app.offscreen import dispose, show_offscreen

    ensure_app()
    t = Trainer(_config(**{"noise.dim": 1, "theory.samples": 300}))
    t.step(50)
    snap = Observer(t).take()
    assert is_1d(snap)
    fig = show_offscreen(Line1DFigure(), (600, 400))
    theory = show_offscreen(Theory1DFigure(), (600, 400))
    try:
        fig.update_snapshot(snap)
        theory.update_snapshot(snap)
        x, y = fig.pdata.getData()
        np.testing.assert_allclose(x, snap.grid.centers_x())
        np.testing.assert_allclose(y, np.exp(snap.theory.log_p_data))
        np.testing.assert_allclose(fig.d.getData()[1], snap.d_prob)
        zx, zy = fig.z_lines.getData()
        np.testing.assert_allclose(zx[0::2], snap.noise[: len(zx) // 2, 0])     # from z ...
        np.testing.assert_allclose(zx[1::2], snap.fake[: len(zx) // 2, 0])      # ... to G(z)
        np.testing.assert_allclose(theory.diff.getData()[1], snap.d_prob - snap.theory.dstar, atol=1e-6)
    finally:
        dispose([fig, theory])


def test_recording_a_1d_run_draws_the_1d_figure(tmp_path, capsys):
    from PIL import Image

    from ganlab.app.offscreen import FIGURE_SIZES

    out = tmp_path / "rec"
    gif = out / "x.gif"
    assert main(["run", "--preset", "1d-two", "--steps", "40", "--every", "20", "--out", str(out), "--quiet",
                 "--device", "cpu", "--record", str(gif), "--record-every", "20", "--no-figures",
                 "--set", "theory.samples=300"]) == 0
    assert "recorded 3 frames" in capsys.readouterr().out
    with Image.open(gif) as im:
        assert im.n_frames == 3 and im.size == FIGURE_SIZES["field"]


def test_sweep_refuses_a_1d_preset(tmp_path, capsys):
    assert main(["sweep", "--preset", "1d-two", "--seeds", "2", "--steps", "10", "--out", str(tmp_path / "s"),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "2-D targets only" in err and not (tmp_path / "s").exists()


def test_a_1d_snapshot_carries_the_kernel_free_jsd_and_the_smoothed_one_sits_below_it():
    """The JSD on screen is of the smoothed densities, a lower bound: in 1-D the exact one is known too."""
    from ganlab.core.config import Config
    from ganlab.core.exact1d import true_jsd_1d
    from ganlab.core.observer import Observer
    from ganlab.core.trainer import Trainer

    cfg = Config().with_values({"target.preset": "1d-two", "train.seed": 3, "noise.dim": 1,
                                "generator.width": 32, "discriminator.width": 32})
    t = Trainer(cfg)
    obs = Observer(t)
    for steps in (0, 300):
        t.step(steps)
        s = obs.take()
        assert 0 <= s.jsd_exact <= np.log(2) + 1e-9
        assert s.theory.jsd <= s.jsd_exact + 0.01          # a lower bound (up to the binning of both)
        again = true_jsd_1d(t.target, t.G, s.grid, 1, "gaussian", k=65536)
        assert s.jsd_exact == pytest.approx(again, abs=0.01)
    t2 = Trainer(Config().with_values({"generator.width": 16, "discriminator.width": 16}))
    assert np.isnan(Observer(t2).take().jsd_exact)           # 2-D: not known, not shown
