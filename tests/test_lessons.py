"""Lesson presets (ganlab.core.lessons, resources/lessons/*.toml): the files, the claim checker, and the fast
lessons' claims themselves.

The lessons marked `fast` in their [check] table are trained here to their full checkpoints with their fixed
seeds (lessons 1, 2, 4 and 6, about 20 s together); lessons 3 and 5 (about 13 and 25 s each on a laptop core)
are checked by benchmarks/check_lessons.py (results in benchmarks/results/lessons.txt), which with --seeds 10
also checks every lesson on ten seeds it was not written for (tests/test_lessons_seeds.py: the machinery, and
lesson 1 on two of them). Also here: the on-mode metrics that the collapse claims use.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from lesson_toml import minimal_lesson

from ganlab.core import lessons as L
from ganlab.core.config import Config

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ["happy-path", "mode-collapse", "more-d-steps", "vanishing-gradients", "wgan-gp", "theory-check",
            "figure-1"]
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
FORMULA_REF = re.compile(r"\((\d{1,2})\)")

ALL = L.load_lessons()
BY_ID = {l.id: l for l in ALL}


# ------------------------------------------------------------------------------------------ the files
def test_seven_lessons_in_menu_order():
    assert [l.id for l in ALL] == EXPECTED
    assert [l.order for l in ALL] == [1, 2, 3, 4, 5, 6, 7]
    assert len({l.source for l in ALL}) == 7


def test_lessons_are_read_through_the_resources_package():
    names = [name for name, _ in L.lesson_files()]
    assert names == sorted(p.name for p in (ROOT / "resources" / "lessons").glob("*.toml")) or \
        not (ROOT / "resources" / "lessons").is_dir()  # an installed wheel: no source tree beside the tests
    assert len(names) == 7


def test_source_tree_fallback(monkeypatch):
    """Without an importable ganlab.resources the loader reads the checkout's resources/ folder."""
    if not (ROOT / "resources" / "lessons").is_dir():
        pytest.skip("not a source checkout")
    import importlib.resources

    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(importlib.resources, "files", missing)
    assert [name for name, _ in L.lesson_files()] == sorted(p.name for p in (ROOT / "resources/lessons").glob("*.toml"))
    assert [l.id for l in L.load_lessons()] == EXPECTED


@pytest.mark.parametrize("lesson", ALL, ids=lambda l: l.id)
def test_both_languages(lesson):
    for lang in ("en", "ru"):
        assert lesson.title(lang).strip() and len(lesson.text(lang)) > 400
    assert not CYRILLIC.search(lesson.title("en") + lesson.text("en"))
    assert CYRILLIC.search(lesson.title("ru")) and len(CYRILLIC.findall(lesson.text("ru"))) > 300
    # the translation cites the same formulas of the lecture as the English text
    assert set(FORMULA_REF.findall(lesson.text("en"))) == set(FORMULA_REF.findall(lesson.text("ru")))
    # unknown languages and locale names fall back sensibly
    assert lesson.text("ru_RU") == lesson.text("ru")
    assert lesson.text("de") == lesson.text("en")
    for lang in ("en", "ru"):  # what to watch, why, what to change
        assert lesson.text(lang).count("**") >= 8


@pytest.mark.parametrize("lesson", ALL, ids=lambda l: l.id)
def test_config_pins_what_the_lesson_depends_on(lesson):
    cfg = lesson.config()
    assert isinstance(cfg, Config)
    assert cfg.train.device == "cpu" and cfg.train.threads == 1
    for key in ("target.preset", "target.std", "train.seed", "train.loss", "train.k_d", "train.batch_size",
                "opt_g.lr", "opt_d.lr", "generator.width", "discriminator.depth", "theory.samples"):
        assert key in lesson.overrides, key
    # the config does not depend on what the user had before
    other = Config().with_values({"train.seed": 99, "opt_d.lr": 0.05, "generator.depth": 5})
    assert lesson.config(other) == cfg
    assert lesson.seed == cfg.train.seed
    for c in lesson.check.claims:
        assert max(c.steps_needed()) <= lesson.check.steps
        assert c.metric in L.METRICS


def test_relations_the_texts_rely_on():
    collapse, fix = BY_ID["mode-collapse"], BY_ID["more-d-steps"]
    # lesson 3 is lesson 2 with k = 5 and nothing else: same seed, same networks at the start
    diff = {k for k in collapse.overrides if collapse.overrides[k] != fix.overrides[k]}
    assert diff == {"train.k_d"} and collapse.config().train.k_d == 1 and fix.config().train.k_d == 5
    # lesson 2's collapse comes from a lagging D: it learns ten times slower than G
    assert collapse.config().opt_d.lr * 10 == pytest.approx(collapse.config().opt_g.lr)
    # collapse is claimed with samples ON modes, never with top_mode_share (1 for a blob far from every mode)
    assert {c.metric for c in collapse.check.claims} >= {"on_top2_modes", "hq_top_mode"}
    assert all(c.metric != "top_mode_share" for l in ALL for c in l.check.claims)
    # lesson 6 is lesson 1's run, frozen after `prepare` iterations
    happy, theory = BY_ID["happy-path"], BY_ID["theory-check"]
    assert theory.overrides == happy.overrides
    assert (theory.freeze_g, theory.freeze_d, theory.prepare) == (True, False, 200)
    assert all(not l.freeze_g and not l.freeze_d and l.prepare == 0 for l in ALL if l is not theory)
    # lesson 4 compares minimax with non-saturating on the same seed
    vanish = BY_ID["vanishing-gradients"]
    assert vanish.config().train.loss == "minimax"
    assert vanish.check.variants == {"nonsaturating": {"train.loss": "nonsaturating"}}
    assert vanish.config().opt_g.lr == 1e-6  # G practically frozen, but its gradient is still computed
    wgan = BY_ID["wgan-gp"].config()
    assert (wgan.train.loss, wgan.train.k_d, wgan.train.gp_lambda, wgan.opt_d.beta1, wgan.opt_d.beta2) == \
        ("wgan-gp", 5, 0.1, 0.0, 0.9)
    assert wgan.target.preset == "grid25"


# -------------------------------------------------------------------------------------- parsing errors
GOOD = minimal_lesson()   # tests/lesson_toml.py


def test_a_minimal_lesson_parses_with_dotted_and_nested_config():
    l = L.parse_lesson(GOOD, "t.toml")
    assert l.overrides == {"train.seed": 3, "target.preset": "two"}
    assert l.config().target.preset == "two" and l.seed == 3
    assert l.check.checkpoints() == [0, 10]


@pytest.mark.parametrize("edit, message", [
    (("text_ru = \"смотрите\"\n", ""), "missing 'text_ru'"),
    (("text_ru = \"смотрите\"", "text_ru = \"  \""), "empty"),
    (('"train.seed" = 3', '"train.sed" = 3'), "train.sed"),
    (('"train.seed" = 3', '"train.seed" = -1'), "train.seed"),
    (('metric = "jsd"', 'metric = "fid"'), "metric 'fid'"),
    (("at = 10", "at = 11"), "'at' must be steps in [0, 10]"),
    (("max = 0.7", ""), "give min, max or distinct_min"),
    (("max = 0.7", 'max = 0.7\nvariant = "nope"'), "unknown variant 'nope'"),
    (("max = 0.7", "max = 0.7\nbogus = 1"), "unknown keys bogus"),
    (('id = "t"', 'id = "T t"'), "id 'T t'"),
    (("order = 9", 'order = 9\nprepare = 20'), "'prepare' (20) is beyond"),
    (("steps = 10", "steps = 0"), "steps must be a positive"),
    (("max = 0.7", "max = 0.7\nat_least = 2"), "at_least must be a whole number from 1"),
    (("at = 10\nmax = 0.7", "at = [0, 10]\ndistinct_min = 2\nat_least = 1"), "at_least goes with min/max"),
    (("[[check.claims]]", "[check.variants.v]\n\"train.loss\" = \"nope\"\n[[check.claims]]"), "train.loss"),
])
def test_malformed_lessons_name_the_file_and_field(edit, message):
    old, new = edit
    assert old in GOOD
    with pytest.raises(L.LessonError) as e:
        L.parse_lesson(GOOD.replace(old, new, 1), "bad.toml")
    assert str(e.value).startswith("bad.toml") and message in str(e.value)


def test_duplicate_ids_are_refused(monkeypatch):
    monkeypatch.setattr(L, "lesson_files", lambda: [("a.toml", GOOD), ("b.toml", GOOD)])
    with pytest.raises(L.LessonError, match="already used by a.toml"):
        L.load_lessons()


# ------------------------------------------------------------------------------ evaluating claims (pure)
def claim(**kw) -> L.Claim:
    kw.setdefault("text", "c")
    kw["at"] = tuple(kw["at"]) if isinstance(kw["at"], list) else (kw["at"],)
    return L.Claim(**kw)


TABLES = {
    "lesson": {0: {"gap": 1.0, "modes_captured": 0.0, "top_mode": 4.0, "grad_norm_g": math.nan},
               10: {"gap": 0.5, "modes_captured": 1.0, "top_mode": 0.0, "grad_norm_g": 0.2},
               20: {"gap": 0.05, "modes_captured": 3.0, "top_mode": 0.0, "grad_norm_g": 1e-4}},
    "ns": {10: {"grad_norm_g": 0.25}, 20: {"grad_norm_g": 2.0}},
}


@pytest.mark.parametrize("c, passed, values", [
    (claim(metric="modes_captured", at=[10, 20], max=2), False, [1.0, 3.0]),
    (claim(metric="modes_captured", at=[10, 20], max=3), True, [1.0, 3.0]),
    (claim(metric="gap", at=20, relative_to_step=0, max=0.1), True, [0.05]),
    (claim(metric="gap", at=20, relative_to_step=0, max=0.01), False, [0.05]),
    (claim(metric="grad_norm_g", at=20, relative_to_step=10, max=1e-3), True, [5e-4]),
    (claim(metric="grad_norm_g", at=20, variant="ns", relative_to_variant="lesson", min=1e4), True, [2e4]),
    (claim(metric="grad_norm_g", at=20, variant="ns", relative_to_variant="lesson", min=1e5), False, [2e4]),
    (claim(metric="top_mode", at=[0, 10, 20], distinct_min=2), True, [4.0, 0.0, 0.0]),
    (claim(metric="top_mode", at=[0, 10, 20], distinct_min=3), False, [4.0, 0.0, 0.0]),
    (claim(metric="modes_captured", at=[0, 10, 20], max=1, at_least=2), True, [0.0, 1.0, 3.0]),
    (claim(metric="modes_captured", at=[0, 10, 20], max=0, at_least=2), False, [0.0, 1.0, 3.0]),
    (claim(metric="grad_norm_g", at=[0, 10, 20], max=1.0, at_least=2), True, [math.nan, 0.2, 1e-4]),
    (claim(metric="grad_norm_g", at=[0, 10, 20], max=0.1, at_least=2), False, [math.nan, 0.2, 1e-4]),
    (claim(metric="grad_norm_g", at=0, max=1.0), False, [math.nan]),      # NaN never passes
    (claim(metric="gap", at=10, relative_to_step=7, max=1.0), False, [math.nan]),  # a step never measured
])
def test_evaluate_claim(c, passed, values):
    r = L.evaluate_claim(c, TABLES, last=20)
    assert r.passed is passed
    assert r.values == pytest.approx(values, nan_ok=True)


def test_claims_beyond_the_steps_trained_are_skipped_not_passed():
    r = L.evaluate_claim(claim(metric="gap", at=20, max=1.0), TABLES, last=10)
    assert r.passed is None and r.values_text() == "skipped"
    res = L.CheckResult("x", 10, [r], TABLES, 0.0)
    assert not res.passed and not res.complete  # nothing evaluated: not a pass


# -------------------------------------------------------------------------------- checks that train
def test_a_false_claim_fails_and_steps_truncates():
    """The checker can fail: lesson 1 with an impossible claim added; and steps= skips later claims."""
    text = Path(ROOT / "resources/lessons/01_happy_path.toml").read_text(encoding="utf-8") \
        if (ROOT / "resources/lessons").is_dir() else dict(L.lesson_files())["01_happy_path.toml"]
    text += '\n[[check.claims]]\ntext = "nine of eight"\nmetric = "modes_captured"\nat = 50\nmin = 9\n'
    lesson = L.parse_lesson(text, "01_happy_path.toml")
    r = L.run_check(lesson, steps=50)
    assert r.steps == 50 and sorted(r.tables["lesson"]) == [0, 50]
    assert not r.complete
    assert [c.passed for c in r.claims] == [None, None, None, None, False]
    assert not r.passed and "nine of eight" in r.failures()[0]
    assert "FAIL" in r.report() and "skip" in r.report()


def test_checks_are_deterministic():
    lesson = BY_ID["theory-check"]
    a, b = L.run_check(lesson, steps=220), L.run_check(lesson, steps=220)
    rows = [(run, step, k, v, b.tables[run][step][k]) for run, t in a.tables.items() for step, row in t.items()
            for k, v in row.items()]
    assert len(rows) == 3 * len(L.METRICS) + 3  # steps 0, 200 (the freeze), 220; every metric and the iteration
    assert all(v == w or (math.isnan(v) and math.isnan(w)) for *_, v, w in rows)
    assert a.tables["lesson"][200]["iteration"] == 200


@pytest.mark.parametrize("lesson", [l for l in ALL if l.check.fast], ids=lambda l: l.id)
def test_fast_lesson_shows_what_it_claims(lesson):
    r = L.run_check(lesson)
    assert r.complete, r.report()
    assert r.passed, "\n".join(r.failures())


def test_slow_lessons_are_in_the_benchmark():
    slow = [l.id for l in ALL if not l.check.fast]
    assert slow == ["more-d-steps", "wgan-gp"]
    script = ROOT / "benchmarks" / "check_lessons.py"
    if script.exists():
        assert "load_lessons" in script.read_text(encoding="utf-8")


# ------------------------------------------------------------------------ the on-mode collapse metrics
def _ring_cov(x):
    from ganlab.core.coverage import mode_coverage
    from ganlab.core.presets import ring

    return mode_coverage(np.asarray(x, dtype=np.float64), ring(8, 2.0, 0.1))


def test_a_far_away_compact_blob_is_not_on_any_mode():
    """The defect of top_mode_share: a tight blob far from the data is 'all nearest one mode' but ON none."""
    from ganlab.core.coverage import on_top_modes, top_hq_mode

    rng = np.random.default_rng(0)
    blob = np.array([0.3, -0.2]) + 0.01 * rng.standard_normal((2500, 2))  # 17 sigma inside the ring
    cov = _ring_cov(blob)
    assert cov.hq_fraction == 0.0 and cov.modes_captured == 0
    assert on_top_modes(cov, 1) == 0.0 and on_top_modes(cov, 2) == 0.0
    assert top_hq_mode(cov) == -1
    # and through the lessons' measure: the top_mode_share it replaces reads 1 for this blob
    counts = np.bincount(cov.nearest, minlength=8)
    assert counts.max() / len(blob) == 1.0


def test_samples_on_one_mode_give_about_one():
    from ganlab.core.coverage import on_top_modes, top_hq_mode
    from ganlab.core.presets import ring

    t = ring(8, 2.0, 0.1)
    rng = np.random.default_rng(1)
    x = t.means[5] + 0.1 * rng.standard_normal((2500, 2))  # drawn from mode 5 itself
    cov = _ring_cov(x)
    assert top_hq_mode(cov) == 5
    assert on_top_modes(cov, 1) == pytest.approx(0.989, abs=0.01)  # P(chi2_2 < 9) = 1 - exp(-4.5) = 0.989
    assert on_top_modes(cov, 2) == on_top_modes(cov, 1)             # nothing on a second mode
    # a tighter cloud on the mode: every sample counts
    assert on_top_modes(_ring_cov(t.means[2] + 0.02 * rng.standard_normal((1000, 2))), 1) == 1.0


def test_on_top_modes_splits_and_even_cover():
    from ganlab.core.coverage import on_top_modes, top_hq_mode
    from ganlab.core.presets import ring

    t = ring(8, 2.0, 0.1)
    # 60% on mode 3, 30% on mode 7, 10% far away: top-1 0.6, top-2 0.9
    x = np.concatenate([np.repeat(t.means[[3]], 600, 0), np.repeat(t.means[[7]], 300, 0), np.full((100, 2), 9.0)])
    cov = _ring_cov(x)
    assert on_top_modes(cov, 1) == pytest.approx(0.6) and on_top_modes(cov, 2) == pytest.approx(0.9)
    assert top_hq_mode(cov) == 3
    # evenly on all 8 modes: top-k is k/8
    even = _ring_cov(np.repeat(t.means, 125, axis=0))
    assert on_top_modes(even, 1) == pytest.approx(1 / 8) and on_top_modes(even, 2) == pytest.approx(2 / 8)
    assert top_hq_mode(even) == 0  # a tie: the lowest index
    assert on_top_modes(even, 8) == pytest.approx(1.0) and on_top_modes(even, 0) == 0.0
    empty = _ring_cov(np.zeros((0, 2)))
    assert on_top_modes(empty, 1) == 0.0 and top_hq_mode(empty) == -1


def test_the_collapse_metrics_are_lesson_metrics():
    for m in ("on_top_mode", "on_top2_modes", "hq_top_mode"):
        assert m in L.METRICS
    text = GOOD.replace('metric = "jsd"', 'metric = "on_top2_modes"').replace("max = 0.7", "min = 0.5")
    assert L.parse_lesson(text, "t.toml").check.claims[0].metric == "on_top2_modes"
    # hq_top_mode is NaN when no sample is on a mode: distinct_min leaves such steps out of its count,
    # a bound on it fails there like any NaN
    tables = {"lesson": {0: {"hq_top_mode": math.nan}, 10: {"hq_top_mode": 2.0}, 20: {"hq_top_mode": 5.0}}}
    assert L.evaluate_claim(claim(metric="hq_top_mode", at=[0, 10, 20], distinct_min=2), tables, last=20).passed
    assert not L.evaluate_claim(claim(metric="hq_top_mode", at=[0, 10, 20], distinct_min=3), tables, last=20).passed
    assert not L.evaluate_claim(claim(metric="hq_top_mode", at=[0, 10], min=0), tables, last=20).passed


def test_lesson_2_claims_fail_for_a_blob_that_never_reaches_the_data():
    """A compact cloud circling inside the ring (more than 3 sigma from every mode) hops from 'nearest mode' to
    'nearest mode' with top_mode_share 1, which passed the old collapse check; the on-mode claims must fail."""
    from ganlab.core.coverage import mode_coverage, on_top_modes, top_hq_mode
    from ganlab.core.presets import make_preset

    lesson = BY_ID["mode-collapse"]
    target = lesson.config().target
    ring = make_preset(target.preset, target.std)
    rng = np.random.default_rng(0)
    table = {}
    for i, step in enumerate(lesson.check.checkpoints()):
        angle = 0.7 * i
        blob = 0.8 * np.array([np.cos(angle), np.sin(angle)]) + 0.02 * rng.standard_normal((2500, 2))
        cov = mode_coverage(blob, ring)
        counts = np.bincount(cov.nearest, minlength=cov.n_modes)
        hq_top = top_hq_mode(cov)
        table[step] = {"modes_captured": float(cov.modes_captured), "on_top2_modes": on_top_modes(cov, 2),
                       "hq_top_mode": math.nan if hq_top < 0 else float(hq_top), "jsd": 0.69,
                       "top_mode": float(counts.argmax()), "top_mode_share": float(counts.max() / 2500)}
    tables = {"lesson": table}
    results = {c.metric: L.evaluate_claim(c, tables, lesson.check.steps) for c in lesson.check.claims}
    assert results["on_top2_modes"].passed is False and results["hq_top_mode"].passed is False
    # what the old claims read: every sample 'next to' one mode, and that mode changing
    old = [claim(metric="top_mode_share", at=list(table)[1:], min=0.5),
           claim(metric="top_mode", at=list(table)[1:], distinct_min=3)]
    assert all(L.evaluate_claim(c, tables, lesson.check.steps).passed for c in old)
