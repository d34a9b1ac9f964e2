"""The equation board's content: the lecture's formulas, typeset as mathtext, each with its current value.

`board_terms(snap)` turns one Snapshot into the list of Terms that the board shows (and the tests check): L_D (6)
and L_G (7) (or the active loss's own pair), V(G, D) from samples (10) and as the grid integral (11), D* (12) and
the chain (13)-(16) down to V(G, D*) = -log 4 + 2 JSD. It only reads numbers the trainer and theory.py already
computed; the sums it shows ("-log 4 + KL + KL") are added here so a viewer can check the identity by eye.

Notation follows the lecture (shared/seed, Russian): p_data, p_g, D*(x), D_KL, D_JS, J(P, Q) with R = (P + Q)/2.
The lecture writes (6) and (7) as sums over a batch; ganlab averages each sum over the batch (B samples), which
only rescales them, so the formulas say 1/B. Plain-text labels use Unicode so the view needs no typesetting for
values. Meanings are English, marked for translation (context "Equations") without importing Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .theory import LOG4

__all__ = ["Term", "Value", "board_terms", "loss_summary", "format_number", "SECTIONS", "LECTURE_LOSSES"]

CONTEXT = "Equations"
LECTURE_LOSSES = ("minimax", "nonsaturating")   # the losses the lecture derives; the others are shown for contrast


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Marks a text for translation without importing Qt (as core/config.py does)."""
    return text


@dataclass(frozen=True)
class Value:
    """One number shown beside a formula. `key` says where the quantity lives on screen (the board emits it on a
    click). NaN means "not available now" (shown as a dash); a Term that does not apply has only NaN values."""

    name: str                   # stable id, e.g. "kl_pdata_m" (tests and the view look values up by it)
    label: str                  # plain Unicode symbol, e.g. "KL(p_data ‖ R)"
    value: float
    key: str
    stderr: float = math.nan    # shown as "± stderr" when finite
    upper: float = math.nan     # a range value..upper (D* on the grid) when finite
    count: bool = False         # an integer (N, M)

    def number_text(self) -> str:
        """The value as shown: "-1.2345", "-1.2345 ± 0.0123", "0.0012 … 0.9988", "600", or "—"."""
        if self.count:
            return "—" if not math.isfinite(self.value) else str(int(self.value))
        if not math.isfinite(self.upper):
            text = format_number(self.value)
            if math.isfinite(self.value) and math.isfinite(self.stderr):
                text += f" ± {self.stderr:.4f}"
            return text
        return f"{format_number(self.value)} … {format_number(self.upper)}"


@dataclass(frozen=True)
class Term:
    """One formula of the board with its values. `key` is what clicking the formula highlights."""

    id: str                     # stable: loss_d, loss_g, v_samples, v_grid, dstar, v_dstar, v_kl, jsd, v_jsd
    section: str                # one of SECTIONS
    eq: str                     # the lecture's number, "(6)"; "" for a formula the lecture does not have
    tex: str                    # matplotlib mathtext, with the $...$
    key: str
    meaning: str                # English, marked for translation in context "Equations"
    values: tuple[Value, ...] = ()
    applies: bool = True        # False: this formula does not hold for the active loss (its values are NaN)
    note: str = ""              # one more English sentence (marked), formatted with note_args
    note_args: tuple = ()

    def value(self, name: str) -> Value:
        for v in self.values:
            if v.name == name:
                return v
        raise KeyError(name)


SECTIONS = ("losses", "value", "dstar", "chain")


def format_number(x: float) -> str:
    """Four decimals, a real minus sign; a dash for NaN or a missing number."""
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:.4f}"
    if text == "-0.0000":   # a tiny negative (V(G, D*) at JSD = log 2) reads as zero, not "minus zero"
        text = "0.0000"
    return text.replace("-", "−")


# ------------------------------------------------------------------ formulas (mathtext)
PD, PG = r"p_{\mathrm{data}}", "p_g"
SUM_X = r"\dfrac{1}{B}\sum_{i=1}^{B}"
SUM_Z = r"\dfrac{1}{B}\sum_{j=1}^{B}"
HALF_X, HALF_Z = r"\dfrac{1}{2B}\sum_{i=1}^{B}", r"\dfrac{1}{2B}\sum_{j=1}^{B}"
DGZ = "D(G(z_j))"
KL, JS = r"D_{\mathrm{KL}}", r"D_{\mathrm{JS}}"
HALF_MIX = rf"\dfrac{{{PD} + {PG}}}{{2}}"

# (loss_d, loss_g, eq_d, eq_g) per loss
LOSS_TEX = {
    "nonsaturating": (rf"$L_D = -{SUM_X}\log D(x_i) - {SUM_Z}\log(1 - {DGZ})$",
                      rf"$L_G = -{SUM_Z}\log {DGZ}$", "(6)", "(7)"),
    "minimax": (rf"$L_D = -{SUM_X}\log D(x_i) - {SUM_Z}\log(1 - {DGZ})$",
                rf"$L_G = {SUM_Z}\log(1 - {DGZ})$", "(6)", "(9)"),
    "lsgan": (rf"$L_D = {HALF_X}(D(x_i) - 1)^2 + {HALF_Z}({DGZ} + 1)^2$", rf"$L_G = {HALF_Z}{DGZ}^2$", "", ""),
    "wgan-gp": (rf"$L_D = {SUM_Z}{DGZ} - {SUM_X}D(x_i)$", rf"$L_G = -{SUM_Z}{DGZ}$", "", ""),
    "hinge": (rf"$L_D = {SUM_X}\max(0,\, 1 - D(x_i)) + {SUM_Z}\max(0,\, 1 + {DGZ})$",
              rf"$L_G = -{SUM_Z}{DGZ}$", "", ""),
}

TEX_V_SAMPLES = (rf"$V(G, D) \approx \dfrac{{1}}{{N}}\sum_{{i=1}}^{{N}}\log D(x_i)"
                 rf" + \dfrac{{1}}{{M}}\sum_{{j=1}}^{{M}}\log(1 - {DGZ})$")
TEX_V_GRID = rf"$V(G, D) = \int_{{\chi}} \left({PD}(x)\log D(x) + {PG}(x)\log(1 - D(x))\right)dx$"
TEX_DSTAR = rf"$D^*(x) = \dfrac{{{PD}(x)}}{{{PD}(x) + {PG}(x)}}$"
TEX_V_DSTAR = (rf"$V(G, D^*) = \mathbb{{E}}_{{x \sim {PD}}}[\log D^*(x)]"
               rf" + \mathbb{{E}}_{{x \sim {PG}}}[\log(1 - D^*(x))]$")
TEX_V_KL = (rf"$V(G, D^*) = -\log 4 + {KL}\left({PD} \,\Vert\, {HALF_MIX}\right)"
            rf" + {KL}\left({PG} \,\Vert\, {HALF_MIX}\right)$")
TEX_JSD = (rf"${JS}({PD} \,\Vert\, {PG}) = \dfrac{{1}}{{2}}\left({KL}({PD} \,\Vert\, R)"
           rf" + {KL}({PG} \,\Vert\, R)\right),\quad R = {HALF_MIX}$")
TEX_V_JSD = rf"$V(G, D^*) = -\log 4 + 2 \cdot {JS}({PD} \,\Vert\, {PG})$"

# ------------------------------------------------------------------ texts (English; translated by the view)
M_LOSS_D = QT_TRANSLATE_NOOP("Equations", "Discriminator loss: binary cross-entropy, real labelled 1 and "
                             "generated 0 (a batch mean of each sum).")
M_LOSS_G_NS = QT_TRANSLATE_NOOP("Equations", "Generator loss, non-saturating: G maximises log D(G(z)); steep "
                                "where D rejects the fakes, so G learns early.")
M_LOSS_G_MM = QT_TRANSLATE_NOOP("Equations", "Generator loss, minimax: G minimises the game (9) itself; flat "
                                "where D rejects the fakes confidently (it saturates).")
M_LOSS_D_OTHER = QT_TRANSLATE_NOOP("Equations", "Discriminator (critic) loss of this loss function: not in the "
                                   "lecture; D(x) is the network's raw output.")
M_LOSS_G_OTHER = QT_TRANSLATE_NOOP("Equations", "Generator loss of this loss function: not in the lecture.")
M_V_SAMPLES = QT_TRANSLATE_NOOP("Equations", "The value function as a sample mean: N real samples x_i, M "
                                "generated G(z_j), with its standard error.")
M_V_GRID = QT_TRANSLATE_NOOP("Equations", "The same V(G, D) in integral form, summed on the grid against "
                             "the kernel-smoothed densities.")
M_DSTAR = QT_TRANSLATE_NOOP("Equations", "The optimal discriminator for the current generator: a field, not one "
                            "number (its heatmap); below, its range on the grid and the trained D's.")
M_V_DSTAR = QT_TRANSLATE_NOOP("Equations", "The value of the game at D*: what G faces when D is optimal.")
M_V_KL = QT_TRANSLATE_NOOP("Equations", "The same value after taking out −log 4, written with two KL "
                           "divergences to the mixture (p_data + p_g)/2.")
M_JSD = QT_TRANSLATE_NOOP("Equations", "Jensen–Shannon divergence: the mean of the two KL terms; 0 when "
                          "p_g = p_data, at most log 2.")
M_V_JSD = QT_TRANSLATE_NOOP("Equations", "So at D* the generator minimises the JSD: V(G, D*) reaches its minimum "
                            "−log 4 exactly when p_g = p_data.")
N_NO_D = QT_TRANSLATE_NOOP("Equations", "Does not apply to {0}: its critic is not a probability, so there is no "
                           "log D, and D* is not what it learns.")
N_GRID = QT_TRANSLATE_NOOP("Equations", "Biased when G is sharper than the kernel (h = {0:.3g}): compare the sample "
                           "mean above.")
L_JSD_EXACT = QT_TRANSLATE_NOOP("Equations", "JSD without the kernel (1-D world)")   # a Value label: translated
N_SMOOTHED = QT_TRANSLATE_NOOP("Equations", "KL and JSD of the smoothed densities (kernel h = {0:.3g}): a lower bound "
                               "of the true JSD.")
N_NOT_MINIMISED = QT_TRANSLATE_NOOP("Equations", "{0} does not minimise this: the numbers still measure p_g "
                                    "against p_data.")
N_PENALTY = QT_TRANSLATE_NOOP("Equations", "The gradient penalty is added in each update but not to this value "
                              "(nor to the L_D curve).")
N_NO_THEORY = QT_TRANSLATE_NOOP("Equations", "Theory is off for this frame: no densities, so no value.")

SUMMARY = {
    "nonsaturating": QT_TRANSLATE_NOOP(
        "Equations", "Loss: non-saturating, the lecture's L_G (7). Everything below is the lecture's theory."),
    "minimax": QT_TRANSLATE_NOOP(
        "Equations", "Loss: minimax, the game (9) as written: G minimises log(1 − D(G(z))). Everything below is "
        "the lecture's theory."),
    "lsgan": QT_TRANSLATE_NOOP(
        "Equations", "Loss: LSGAN (least squares), not in the lecture. V(G, D) and D* read D's output as the "
        "probability (D + 1)/2; LSGAN's G minimises a Pearson χ² divergence, not the JSD."),
    "wgan-gp": QT_TRANSLATE_NOOP(
        "Equations", "Loss: WGAN-GP, not in the lecture. Its critic is not a probability: D*, V(G, D) and the "
        "lecture's identities do not apply to it."),
    "hinge": QT_TRANSLATE_NOOP(
        "Equations", "Loss: hinge, not in the lecture. Its critic is not a probability: D*, V(G, D) and the "
        "lecture's identities do not apply to it."),
}

SUMMARY_OTHER = QT_TRANSLATE_NOOP("Equations", "Loss: {0}.")
STALE = QT_TRANSLATE_NOOP("Equations", "D, D* and the divergences are from iteration {0}.")

_NAN = math.nan


def loss_summary(loss: str) -> str:
    """One English sentence (marked for translation) saying which loss is active and what of the lecture holds."""
    return SUMMARY.get(loss, SUMMARY_OTHER)


def _latest(losses: dict, column: str) -> float:
    col = losses.get(column) if losses else None
    return float(col[-1]) if col is not None and len(col) else _NAN


def _f(x) -> float:
    return _NAN if x is None else float(x)


def _loss_terms(snap) -> list[Term]:
    loss = snap.loss
    tex_d, tex_g, eq_d, eq_g = LOSS_TEX.get(loss, LOSS_TEX["nonsaturating"])
    lecture = loss in LECTURE_LOSSES
    meaning_g = {"nonsaturating": M_LOSS_G_NS, "minimax": M_LOSS_G_MM}.get(loss, M_LOSS_G_OTHER)
    note_d = N_PENALTY if loss == "wgan-gp" else ""
    return [
        Term("loss_d", "losses", eq_d, tex_d, "curve:loss_d", M_LOSS_D if lecture else M_LOSS_D_OTHER,
             (Value("loss_d", "L_D", _latest(snap.losses, "loss_d"), "curve:loss_d"),), note=note_d),
        Term("loss_g", "losses", eq_g, tex_g, "curve:loss_g", meaning_g,
             (Value("loss_g", "L_G", _latest(snap.losses, "loss_g"), "curve:loss_g"),)),
    ]


def _value_terms(snap, applies: bool) -> list[Term]:
    sv = snap.value if applies else None
    th = snap.theory
    v_grid = th.v_estimate if (applies and th is not None) else _NAN
    no_d = ((N_NO_D, (snap.loss,)) if not applies else (N_GRID, (th.bandwidth,)) if th is not None
            else (N_NO_THEORY, ()))
    samples = (
        Value("mean_log_d_real", "(1/N) Σ log D(x_i)", _f(sv and sv.mean_log_d_real), "curve:v_samples"),
        Value("mean_log_1md_fake", "(1/M) Σ log(1 − D(G(z_j)))", _f(sv and sv.mean_log_1md_fake), "curve:v_samples"),
        Value("v_samples", "V(G, D)", _f(sv and sv.value), "curve:v_samples", stderr=_f(sv and sv.stderr)),
        Value("n_real", "N", _f(sv and sv.n_real), "curve:v_samples", count=True),
        Value("n_fake", "M", _f(sv and sv.n_fake), "curve:v_samples", count=True),
    )
    return [
        Term("v_samples", "value", "(10)", TEX_V_SAMPLES, "curve:v_samples", M_V_SAMPLES, samples, applies,
             *((N_NO_D, (snap.loss,)) if not applies else ("", ()))),
        Term("v_grid", "value", "(11)", TEX_V_GRID, "heatmap:d", M_V_GRID,
             (Value("v_estimate", "V(G, D) (grid)", _f(v_grid), "heatmap:d"),), applies, *no_d),
    ]


def _nan_range(a) -> tuple[float, float]:
    if a is None:
        return _NAN, _NAN
    a = np.asarray(a, dtype=np.float64)
    ok = a[np.isfinite(a)]
    return (float(ok.min()), float(ok.max())) if ok.size else (_NAN, _NAN)


def _dstar_term(snap, applies: bool) -> Term:
    th = snap.theory
    lo, hi = _nan_range(th.dstar if (applies and th is not None) else None)
    dlo, dhi = _nan_range(snap.d_prob if applies else None)
    note = (N_NO_D, (snap.loss,)) if not applies else (N_NO_THEORY, ()) if th is None else ("", ())
    return Term("dstar", "dstar", "(12)", TEX_DSTAR, "heatmap:dstar", M_DSTAR,
                (Value("dstar_range", "D*(x)", lo, "heatmap:dstar", upper=hi),
                 Value("d_range", "D(x)", dlo, "heatmap:d", upper=dhi)), applies, *note)


def _chain_terms(snap) -> list[Term]:
    th = snap.theory
    v_star = th.v_at_dstar if th is not None else _NAN
    kp = th.kl_pdata_m if th is not None else _NAN
    kq = th.kl_pg_m if th is not None else _NAN
    j = th.jsd if th is not None else _NAN
    if th is None:
        note = (N_NO_THEORY, ())
    elif not snap.has_dstar or snap.loss not in LECTURE_LOSSES:
        note = (N_NOT_MINIMISED, (snap.loss,))
    else:
        note = ("", ())
    smoothed = (N_SMOOTHED, (th.bandwidth,)) if th is not None else note
    minus_log4 = Value("minus_log4", "−log 4", -LOG4, "curve:v_at_dstar")
    v_star_value = Value("v_at_dstar", "V(G, D*)", v_star, "curve:v_at_dstar")
    return [
        Term("v_dstar", "chain", "(13)", TEX_V_DSTAR, "curve:v_at_dstar", M_V_DSTAR, (v_star_value,), True, *note),
        Term("v_kl", "chain", "(14), (15)", TEX_V_KL, "curve:v_at_dstar", M_V_KL,
             (minus_log4, Value("kl_pdata_m", "KL(p_data ‖ R)", kp, "curve:jsd"),
              Value("kl_pg_m", "KL(p_g ‖ R)", kq, "curve:jsd"),
              Value("v_kl_sum", "−log 4 + KL + KL", -LOG4 + kp + kq, "curve:v_at_dstar"))),
        Term("jsd", "chain", "(16)", TEX_JSD, "curve:jsd", M_JSD,
             (Value("jsd", "JSD", j, "curve:jsd"), Value("jsd_half_sum", "½ (KL + KL)", 0.5 * (kp + kq), "curve:jsd"),
              Value("log2", "log 2", math.log(2.0), "curve:jsd"),
              # the kernel-free JSD where it is known (the 1-D world: exact1d.py), "—" elsewhere
              Value("jsd_exact", L_JSD_EXACT, float(getattr(snap, "jsd_exact", _NAN)), "curve:jsd")),
             True, *smoothed),
        Term("v_jsd", "chain", "(15)", TEX_V_JSD, "curve:v_at_dstar", M_V_JSD,
             (Value("v_identity", "−log 4 + 2 JSD", -LOG4 + 2.0 * j, "curve:v_at_dstar"), v_star_value)),
    ]


def board_terms(snap) -> list[Term]:
    """The board for one Snapshot, top to bottom: losses, V(G, D), D*, then the chain (13)-(16).

    Losses without a probability reading (snap.has_dstar False: WGAN-GP, hinge) keep every term, so the board's
    shape does not jump, but V(G, D) and D* are marked as not applying and carry NaN."""
    applies = bool(snap.has_dstar) and snap.d_prob is not None
    return [*_loss_terms(snap), *_value_terms(snap, applies), _dstar_term(snap, applies), *_chain_terms(snap)]
