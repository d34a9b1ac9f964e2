"""Lesson presets (ganlab.core.lessons, resources/lessons/*.toml): the files, the claim checker, and the fast
lessons' claims themselves.

The lessons marked `fast` in their [check] table are trained here to their full checkpoints with their fixed
seeds (lessons 1, 2, 4 and 6, about 30 s together); lessons 3 and 5 take minutes on a laptop core and are
checked by benchmarks/check_lessons.py (results in benchmarks/results/lessons.txt).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from ganlab.core import lessons as L
from ganlab.core.config import Config

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ["happy-path", "mode-collapse", "more-d-steps", "vanishing-gradients", "wgan-gp", "theory-check"]
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
FORMULA_REF = re.compile(r"\((\d{1,2})\)")

ALL = L.load_lessons()
BY_ID = {l.id: l for l in ALL}


# ------------------------------------------------------------------------------------------ the files
def test_six_lessons_in_menu_order():
    assert [l.id for l in ALL] == EXPECTED
    assert [l.order for l in ALL] == [1, 2, 3, 4, 5, 6]
    assert len({l.source for l in ALL}) == 6


def test_lessons_are_read_through_the_resources_package():
    names = [name for name, _ in L.lesson_files()]
    assert names == sorted(p.name for p in (ROOT / "resources" / "lessons").glob("*.toml")) or \
        not (ROOT / "resources" / "lessons").is_dir()  # an installed wheel: no source tree beside the tests
    assert len(names) == 6


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
GOOD = '''
id = "t"
order = 9
title_en = "T"
title_ru = "Т"
text_en = "watch"
text_ru = "смотрите"
[config]
"train.seed" = 3
[config.target]
preset = "two"
[check]
steps = 10
[[check.claims]]
metric = "jsd"
at = 10
max = 0.7
'''


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
