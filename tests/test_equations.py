"""The equation board's terms (core/equations.py): every value shown equals the quantity it names, recomputed here
independently with numpy from the snapshot's raw arrays (D's logits, the grid densities), on snapshots of a real
Trainer + Observer."""

import io
import math
from dataclasses import replace

import numpy as np
import pytest
from matplotlib import mathtext

from ganlab.core import equations
from ganlab.core.config import LOSSES, Config
from ganlab.core.equations import Value, board_terms, format_number
from ganlab.core.observer import Observer
from ganlab.core.trainer import Trainer

D_CLIP = 1e-7           # value.py and theory.py clip D to [D_CLIP, 1 - D_CLIP] before taking logs


def small_config(**values) -> Config:
    base = {"generator.width": 16, "discriminator.width": 16, "train.batch_size": 64, "train.device": "cpu",
            "opt_d.lr": 1e-3, "opt_g.lr": 1e-3, "theory.samples": 600, "target.preset": "single"}
    base.update(values)
    return Config().with_values(base)


_RUNS: dict = {}


def run(loss: str):
    """(trainer, snapshot) after 40 steps of `loss` on one Gaussian (G overlaps it, so JSD is inside (0, log 2))."""
    if loss not in _RUNS:
        t = Trainer(small_config(**{"train.loss": loss}))
        obs = Observer(t, grid_n=64)
        t.step(40)
        _RUNS[loss] = (t, obs.take())
    return _RUNS[loss]


def terms_by_id(snap) -> dict:
    return {t.id: t for t in board_terms(snap)}


def value_of(snap, term_id: str, name: str) -> Value:
    return terms_by_id(snap)[term_id].value(name)


# ------------------------------------------------------------------ independent recomputations
def log_sigmoid_parts(logits):
    l = np.asarray(logits, dtype=np.float64)
    d = 1.0 / (1.0 + np.exp(-l))
    d = np.clip(d, D_CLIP, 1.0 - D_CLIP)
    return np.log(d), np.log(1.0 - d)


def densities(th):
    return np.exp(th.log_p_data), np.exp(th.log_p_g), th.grid.cell_area


def kl_to_mixture(p, q, area):
    """KL(p || (p + q)/2) on the grid, plus the mass off the grid as one more bin (as theory.py documents)."""
    on = float(np.sum(p * np.log(2.0 * p / (p + q)))) * area
    p_out, q_out = 1.0 - p.sum() * area, 1.0 - q.sum() * area
    out = p_out * math.log(2.0 * p_out / (p_out + q_out)) if p_out > 0 else 0.0
    return on + out


# ------------------------------------------------------------------ tests
@pytest.mark.parametrize("loss", LOSSES)
def test_losses_are_the_latest_batch_values(loss):
    t, snap = run(loss)
    terms = terms_by_id(snap)
    assert terms["loss_d"].value("loss_d").value == pytest.approx(t.last.loss_d, rel=1e-12)
    assert terms["loss_g"].value("loss_g").value == pytest.approx(t.last.loss_g, rel=1e-12)
    assert terms["loss_d"].value("loss_d").value == snap.losses["loss_d"][-1]
    assert terms["loss_d"].key == "curve:loss_d" and terms["loss_g"].key == "curve:loss_g"


@pytest.mark.parametrize("loss", ["nonsaturating", "minimax"])
def test_sample_value_is_the_mean_of_log_d_recomputed_from_the_logits(loss):
    t, snap = run(loss)
    # the logits are D's at the samples: recompute them with the trainer's D
    np.testing.assert_allclose(snap.real_logits, t.d_logits(np.array(snap.eval_real)).cpu().numpy().ravel(), rtol=1e-5,
                               atol=1e-6)
    log_d_real, _ = log_sigmoid_parts(snap.real_logits)
    _, log_1md_fake = log_sigmoid_parts(snap.fake_logits)
    a, b = log_d_real.mean(), log_1md_fake.mean()
    stderr = math.sqrt(log_d_real.var(ddof=1) / log_d_real.size + log_1md_fake.var(ddof=1) / log_1md_fake.size)
    term = terms_by_id(snap)["v_samples"]
    assert term.applies and term.key == "curve:v_samples"
    assert term.value("mean_log_d_real").value == pytest.approx(a, rel=1e-6)
    assert term.value("mean_log_1md_fake").value == pytest.approx(b, rel=1e-6)
    assert term.value("v_samples").value == pytest.approx(a + b, rel=1e-6)
    assert term.value("v_samples").stderr == pytest.approx(stderr, rel=1e-5)
    assert term.value("n_real").value == len(snap.eval_real) and term.value("n_fake").value == len(snap.eval_fake)
    assert term.value("v_samples").number_text() == f"{format_number(a + b)} ± {stderr:.4f}"


def test_lsgan_sample_value_reads_the_output_as_the_probability_half_of_it_plus_one():
    _, snap = run("lsgan")
    d_real = np.clip((snap.real_logits.astype(np.float64) + 1.0) / 2.0, D_CLIP, 1.0 - D_CLIP)
    d_fake = np.clip((snap.fake_logits.astype(np.float64) + 1.0) / 2.0, D_CLIP, 1.0 - D_CLIP)
    expected = np.log(d_real).mean() + np.log1p(-d_fake).mean()
    assert value_of(snap, "v_samples", "v_samples").value == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("loss", ["nonsaturating", "lsgan"])
def test_grid_value_is_the_integral_against_the_smoothed_densities(loss):
    _, snap = run(loss)
    p, q, area = densities(snap.theory)
    d = np.clip(snap.d_prob.astype(np.float64), D_CLIP, 1.0 - D_CLIP)
    expected = float(np.sum(p * np.log(d) + q * np.log1p(-d))) * area
    term = terms_by_id(snap)["v_grid"]
    assert term.key == "heatmap:d"
    assert term.value("v_estimate").value == pytest.approx(expected, rel=1e-4, abs=1e-5)
    assert term.note_args == (snap.theory.bandwidth,)


def test_dstar_range_is_that_of_p_data_over_p_data_plus_p_g():
    _, snap = run("nonsaturating")
    p, q, _ = densities(snap.theory)
    dstar = p / (p + q)
    shown = (p + q) >= 1e-10 * (p + q).max()          # theory.py masks D* where both densities are negligible
    term = terms_by_id(snap)["dstar"]
    assert term.key == "heatmap:dstar" and term.value("dstar_range").key == "heatmap:dstar"
    assert term.value("dstar_range").value == pytest.approx(dstar[shown].min(), abs=1e-6)
    assert term.value("dstar_range").upper == pytest.approx(dstar[shown].max(), abs=1e-6)
    d = 1.0 / (1.0 + np.exp(-snap.d_logits.astype(np.float64)))
    assert term.value("d_range").value == pytest.approx(d.min(), abs=1e-6)
    assert term.value("d_range").upper == pytest.approx(d.max(), abs=1e-6)
    assert term.value("d_range").key == "heatmap:d"


@pytest.mark.parametrize("loss", ["nonsaturating", "minimax", "wgan-gp"])
def test_chain_13_to_16_terms_recomputed_from_the_grid_densities(loss):
    _, snap = run(loss)
    th = snap.theory
    p, q, area = densities(th)
    kp, kq = kl_to_mixture(p, q, area), kl_to_mixture(q, p, area)
    # V(G, D*) = E_pdata log D* + E_pg log(1 - D*), the mass off the grid as one more bin
    p_out, q_out = 1.0 - p.sum() * area, 1.0 - q.sum() * area
    v_star = float(np.sum(p * np.log(p / (p + q)) + q * np.log(q / (p + q)))) * area
    v_star += sum(x * math.log(x / (p_out + q_out)) for x in (p_out, q_out) if x > 0)
    assert 0.01 < kp + kq < 2 * math.log(2.0) - 0.01   # a snapshot where the identity is not trivially 0 or log 2
    t = terms_by_id(snap)
    assert t["v_dstar"].value("v_at_dstar").value == pytest.approx(v_star, rel=1e-6)
    assert t["v_kl"].value("minus_log4").value == pytest.approx(-math.log(4.0))
    assert t["v_kl"].value("kl_pdata_m").value == pytest.approx(kp, rel=1e-6, abs=1e-9)
    assert t["v_kl"].value("kl_pg_m").value == pytest.approx(kq, rel=1e-6, abs=1e-9)
    # (15): -log 4 + KL + KL is V(G, D*); (16): the JSD is their mean; (15) again: -log 4 + 2 JSD
    assert t["v_kl"].value("v_kl_sum").value == pytest.approx(v_star, rel=1e-6)
    assert t["jsd"].value("jsd").value == pytest.approx(0.5 * (kp + kq), rel=1e-6)
    assert t["jsd"].value("jsd_half_sum").value == pytest.approx(0.5 * (kp + kq), rel=1e-6)
    assert t["v_jsd"].value("v_identity").value == pytest.approx(v_star, rel=1e-6)
    assert t["jsd"].value("jsd").value == th.jsd and t["v_jsd"].value("v_at_dstar").value == th.v_at_dstar
    assert t["jsd"].key == "curve:jsd" and t["v_dstar"].key == "curve:v_at_dstar"
    assert t["jsd"].note == equations.N_SMOOTHED and t["jsd"].note_args == (th.bandwidth,)


@pytest.mark.parametrize("loss", ["wgan-gp", "hinge"])
def test_a_critic_loss_has_no_v_and_no_dstar(loss):
    _, snap = run(loss)
    assert not snap.has_dstar
    t = terms_by_id(snap)
    for term_id in ("v_samples", "v_grid", "dstar"):
        assert not t[term_id].applies
        assert t[term_id].note == equations.N_NO_D and t[term_id].note_args == (loss,)
        assert all(v.number_text() == "—" for v in t[term_id].values)
    assert t["v_dstar"].note == equations.N_NOT_MINIMISED
    assert math.isfinite(t["jsd"].value("jsd").value)      # the JSD still compares p_g with p_data
    assert r"\log" not in t["loss_d"].tex and t["loss_d"].eq == "" and "not in the lecture" in equations.loss_summary(
        loss)


def test_the_generator_formula_follows_the_loss():
    tex = {loss: terms_by_id(run(loss)[1])["loss_g"] for loss in LOSSES}
    assert tex["nonsaturating"].eq == "(7)" and r"L_G = -" in tex["nonsaturating"].tex
    assert r"\log D(G(z_j))$" in tex["nonsaturating"].tex
    assert tex["minimax"].eq == "(9)" and r"\log(1 - D(G(z_j)))" in tex["minimax"].tex
    assert r"L_G = -" not in tex["minimax"].tex
    assert r"^2" in tex["lsgan"].tex and tex["wgan-gp"].tex == tex["hinge"].tex
    assert len({tex[loss].tex for loss in LOSSES}) == 4
    d_tex = {loss: terms_by_id(run(loss)[1])["loss_d"].tex for loss in LOSSES}
    assert d_tex["minimax"] == d_tex["nonsaturating"] and r"\max(0" in d_tex["hinge"]


def test_missing_sample_value_and_theory_show_dashes():
    _, snap = run("nonsaturating")
    bare = replace(snap, value=None, theory=None, losses={})
    t = terms_by_id(bare)
    for term_id in ("loss_d", "loss_g", "v_samples", "v_grid", "dstar", "v_dstar", "jsd"):
        kept = ("minus_log4", "log2", "d_range")        # constants, and D on the grid (it needs no theory)
        assert all(v.number_text() == "—" for v in t[term_id].values if v.name not in kept), term_id
    assert t["dstar"].value("d_range").number_text() != "—"
    assert t["v_samples"].applies and t["v_grid"].note == equations.N_NO_THEORY
    assert t["v_kl"].value("minus_log4").number_text() == "−1.3863"


def test_every_formula_typesets():
    texts = {tex for loss in LOSSES for tex in equations.LOSS_TEX[loss][:2]}
    texts |= {t.tex for t in board_terms(run("nonsaturating")[1])}
    assert len(texts) >= 15
    for tex in texts:
        buf = io.BytesIO()
        mathtext.math_to_image(tex, buf, dpi=72, format="png")
        assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n", tex


def test_number_texts():
    assert format_number(-1.234567) == "−1.2346" and format_number(math.nan) == "—"
    assert format_number(-1e-6) == "0.0000"
    assert Value("v", "V", -0.5, "k", stderr=0.01234).number_text() == "−0.5000 ± 0.0123"
    assert Value("d", "D", 0.1, "k", upper=0.9).number_text() == "0.1000 … 0.9000"
    assert Value("n", "N", 600.0, "k", count=True).number_text() == "600"


def test_terms_are_in_board_order_with_known_keys():
    ids = [t.id for t in board_terms(run("nonsaturating")[1])]
    assert ids == ["loss_d", "loss_g", "v_samples", "v_grid", "dstar", "v_dstar", "v_kl", "jsd", "v_jsd"]
    keys = {t.key for t in board_terms(run("nonsaturating")[1])} | {
        v.key for t in board_terms(run("nonsaturating")[1]) for v in t.values}
    assert keys == {"curve:jsd", "curve:v_samples", "curve:loss_d", "curve:loss_g", "curve:v_at_dstar",
                    "heatmap:dstar", "heatmap:d"}


def test_values_are_plain_floats():
    for t in board_terms(run("minimax")[1]):
        for v in t.values:
            assert type(v.value) is float, (t.id, v.name)


def test_the_jsd_term_shows_the_kernel_free_jsd_in_1d_and_a_dash_in_2d():
    t = Trainer(small_config(**{"target.preset": "1d-two", "noise.dim": 1}))
    s = Observer(t).take()
    v = value_of(s, "jsd", "jsd_exact")
    assert math.isfinite(v.value) and v.value == s.jsd_exact
    assert s.theory.jsd <= v.value + 0.01                       # the smoothed one on the same term is below it
    _, s2 = run("nonsaturating")
    assert math.isnan(value_of(s2, "jsd", "jsd_exact").value)
